"""Random mutations of every shipped policy file are either loaded or refused with a PolicyError naming the key and
the reason; never another exception. A mutation that loads quotes a simple household or reports InputErrors."""
from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from calculator.errors import InputErrors
from calculator.policy import POLICY_DIR, PolicyError, parse_policy
from calculator.settlement import quote
from fuzzing import fuzz_examples

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(POLICY_DIR.glob("*.toml")) + sorted((ROOT / "tests" / "policies").glob("*.toml"))
NAME_WORD = re.compile(r"[a-z][a-z0-9_]*")


# ---------------------------------------------------------------------------------------------- a small TOML writer
def _string(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    return out.replace("\x7f", "\\u007f")


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, Decimal)):
        return str(v) if not isinstance(v, Decimal) or v.is_finite() else "nan"
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_string(str(k))} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def dumps(data: dict) -> str:
    """Top-level keys as `key = value` lines, everything below written inline (valid TOML for any tree)."""
    return "\n".join(f"{_string(str(k))} = {_value(v)}" for k, v in data.items()) + "\n"


# ---------------------------------------------------------------------------------------------- mutations
def paths(node, prefix=()):
    """Every (container path, key) in the tree, for picking where to mutate."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix + (i,)
            yield from paths(v, prefix + (i,))


def parent_of(data, path):
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


def referenced_names(data) -> list[str]:
    names = set(data.get("params", {})) | set(data.get("areas", {}))
    names |= {d.get("name") for d in data.get("inputs", []) if isinstance(d, dict) and isinstance(d.get("name"), str)}
    return sorted(n for n in names if isinstance(n, str))


ODD_VALUES = st.one_of(
    st.just(""), st.just(-1), st.just(Decimal("-300.00")), st.just(10 ** 18), st.just(Decimal("1e30")),
    st.just(Decimal("0.001")), st.just(True), st.just([]), st.just({}), st.just(dt.date(2026, 1, 1)),
    st.just("original - chosen"), st.just("unknown_name"), st.just("1000"), st.just("max(original"),
    st.just("cash"), st.just("D9"), st.just("CNY/person"), st.just("m2"), st.just("'x'"),
    st.text(max_size=12), st.integers(-10 ** 20, 10 ** 20),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10 ** 9, max_value=10 ** 9),
)


def mutate(text: str, data_draw) -> str:
    data = tomllib.loads(text, parse_float=Decimal)
    kind = data_draw(st.sampled_from(["delete", "change", "rename", "duplicate", "swap", "truncate", "garbage",
                                      "change", "delete", "replace_word"]))
    if kind == "truncate":
        return text[:data_draw(st.integers(0, len(text)))]
    if kind == "garbage":
        raw = text.encode("utf-8")
        at = data_draw(st.integers(0, len(raw)))
        junk = data_draw(st.binary(min_size=1, max_size=8))
        return (raw[:at] + junk + raw[at:]).decode("utf-8", errors="surrogateescape")
    if kind == "replace_word":  # rename every use of one name in the text (expressions, definitions or both)
        words = sorted(set(NAME_WORD.findall(text)))
        word = data_draw(st.sampled_from(words))
        new = data_draw(st.sampled_from(["zz_renamed", "original", "standard", "chosen", "low_income", "and"]))
        return re.sub(rf"\b{word}\b", new, text, count=data_draw(st.integers(0, 3)))
    all_paths = list(paths(data))
    if kind in ("delete", "change"):
        path = data_draw(st.sampled_from(all_paths))
        parent = parent_of(data, path)
        if kind == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = data_draw(ODD_VALUES)
    elif kind == "rename":
        names = referenced_names(data)
        if names:
            name = data_draw(st.sampled_from(names))
            for group in ("params", "areas"):
                if name in data.get(group, {}):
                    data[group]["zz_" + name] = data[group].pop(name)
            for decl in data.get("inputs", []):
                if isinstance(decl, dict) and decl.get("name") == name:
                    decl["name"] = "zz_" + name
    else:
        lists = [p for p in all_paths if isinstance(_get(data, p), list) and _get(data, p)]
        if lists:
            path = data_draw(st.sampled_from(lists))
            seq = _get(data, path)
            i = data_draw(st.integers(0, len(seq) - 1))
            if kind == "duplicate":
                seq.insert(i, _copy(seq[i]))
            else:
                j = data_draw(st.integers(0, len(seq) - 1))
                seq[i], seq[j] = seq[j], seq[i]
    return dumps(data)


def _get(data, path):
    node = data
    for part in path:
        node = node[part]
    return node


def _copy(node):
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


HOUSEHOLDS = [
    dict(original_area="50", unit_area="58"),
    dict(original_area="50", unit_area="40", appraised_price="3000"),
    dict(original_area="50", cash=True, appraised_price="3000"),
    dict(original_area="30", unit_area="75", low_income=True, defer=True, move_in_date="2026-05-01"),
    dict(original_area="50", unit_area="58", appraised_price="3000", with_inputs=True),
    dict(original_area="30", unit_area="68", low_income=True, defer=True, move_in_date="2026-05-01", with_inputs=True),
    dict(original_area="60", cash=True, appraised_price="3000", with_inputs=True),
]


SAMPLE_INPUT = {"area": "50", "money": "1000", "count": "2", "date": "2026-03-10", "flag": "是"}


def declared_inputs(loaded) -> dict[str, str]:
    """A plausible value for every input the (mutated) policy declares."""
    out = {}
    for decl in loaded.rules.inputs:
        out[decl.name] = decl.choices[0].value if decl.type == "choice" and decl.choices else SAMPLE_INPUT.get(decl.type, "")
    return out


def _quote(loaded, household: dict) -> None:
    values = dict(household)
    if values.pop("cash", False):
        values["option"] = "cash"
    if values.pop("with_inputs", False) and loaded.rules.inputs:
        values["inputs"] = declared_inputs(loaded)
    try:
        quote(loaded, **values)
    except InputErrors as exc:
        assert exc.errors and all(e.field and e.message_zh and e.message_en for e in exc.errors)


def test_the_writer_round_trips_every_file():
    for path in FILES:
        text = path.read_text("utf-8")
        assert tomllib.loads(dumps(tomllib.loads(text, parse_float=Decimal)), parse_float=Decimal) == \
            tomllib.loads(text, parse_float=Decimal)
        raw = tomllib.loads(text, parse_float=Decimal)
        raw["policy"]["version"] += "-rewritten"  # other bytes under an approved id and version are refused
        parse_policy(dumps(raw).encode("utf-8"), path.name)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
@settings(max_examples=fuzz_examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(data=st.data())
def test_mutated_policy_loads_or_is_refused_by_key(path, data):
    text = mutate(path.read_text("utf-8"), data.draw)
    try:
        loaded = parse_policy(text.encode("utf-8", errors="surrogateescape"), path.name)
    except PolicyError as exc:
        assert exc.problems
        for key, reason in exc.problems:
            assert isinstance(key, str) and key.strip(), exc.problems
            assert isinstance(reason, str) and reason.strip(), exc.problems
        return
    household = data.draw(st.sampled_from(HOUSEHOLDS))
    _quote(loaded, household)
