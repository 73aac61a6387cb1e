"""The inputs a policy declares beyond the core ones: text to typed columns, and the errors of bad text.

One parser per type, shared by the single quote (a column of one) and the batch (a survey column), so a value
the counter accepts is a value the batch accepts. Columns go into the engine's frame as in_<name>.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .errors import InputError
from .fixed import MISSING, cents_to_decimal
from .policy import InputDecl, Policy

if TYPE_CHECKING:  # the parsers are the batch's (pandas): loaded only for a policy that declares inputs
    import pandas as pd

    from .batch.cells import Parsed

TYPE_WORDS = {  # how each type is described in an error
    "area": ("面积（㎡）", "an area in m²"), "money": ("金额", "an amount"), "count": ("整数", "a whole number"),
    "date": ("日期（YYYY-MM-DD）", "a real date (YYYY-MM-DD)"), "flag": ("是或否", "yes or no"),
    "choice": ("以下之一", "one of"),
}


def column(name: str) -> str:
    """The engine frame's column for a declared input."""
    return f"in_{name}"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def choice_lookup(decl: InputDecl) -> dict[str, str]:
    """Every way a clerk may write a choice (its value, labels and aliases) -> the value."""
    out = {}
    for c in decl.choices:
        for word in [c.value, c.label_zh, c.label_en, *c.aliases]:
            out[_fold(word)] = c.value
    return out


def parse_column(decl: InputDecl, text: pd.Series | Sequence[str]) -> Parsed:
    """A column of text as the declared type: int64 hundredths (area, money), int64 (count), datetime64[D],
    int8 yes/no (1, 0, -1 blank), or int8 the index of the choice (-1 blank). Blank cells take the declared default."""
    import pandas as pd

    from .batch.cells import Parsed, _by_unique, parse_dates, parse_numbers, parse_yes_no

    if not isinstance(text, pd.Series):
        text = pd.Series(list(text), dtype=object)
    if decl.default is not None:
        text = text.where(text.astype(str).str.strip() != "", str(decl.default).lower() if isinstance(decl.default, bool)
                          else str(decl.default))
    if decl.type in ("area", "money"):
        return parse_numbers(text)
    if decl.type == "count":
        parsed = parse_numbers(text)
        fraction = (parsed.values != MISSING) & (parsed.values % 100 != 0)
        values = np.where(parsed.values == MISSING, MISSING, parsed.values // 100)
        return Parsed(values, np.zeros(len(values), bool), parsed.bad | parsed.rounded | fraction, parsed.blank)
    if decl.type == "date":
        return parse_dates(text)
    if decl.type == "flag":
        return parse_yes_no(text.map(lambda v: {"true": "是", "false": "否"}.get(str(v), v)))
    lookup = choice_lookup(decl)
    codes = {c.value: k for k, c in enumerate(decl.choices)}
    return _by_unique(text.astype(str), lambda u: (codes.get(lookup.get(_fold(u)), -1), False, _fold(u) not in lookup),
                      -1, np.int8)


def parse_inputs(values: dict, policy: Policy) -> tuple[dict[str, Parsed], list[InputError]]:
    """One household's declared inputs from text (a form, the CLI): parsed columns of one, and bilingual errors."""
    errors = []
    known = {d.name for d in policy.inputs}
    for name in sorted(set(values) - known):
        errors.append(InputError(field=name, value=str(values[name]), message_zh=f"本政策没有输入项 {name}",
                                 message_en=f"this policy has no input '{name}' (it takes: {', '.join(sorted(known)) or 'none'})"))
    from .household import input_text

    parsed = {}
    for decl in policy.inputs:
        raw = values.get(decl.name)
        text = input_text(raw)
        got = parse_column(decl, [text])
        parsed[decl.name] = got
        if got.bad[0]:
            errors.append(type_error(decl, text))
    return parsed, errors


def type_error(decl: InputDecl, text: str) -> InputError:
    zh, en = TYPE_WORDS[decl.type]
    if decl.type == "choice":
        zh += "：" + "、".join(c.label_zh for c in decl.choices)
        en += ": " + ", ".join(c.label_en for c in decl.choices)
    return InputError(field=decl.name, value=text, message_zh=f"{decl.label_zh}应为{zh}，输入为 {text}",
                      message_en=f"{decl.label_en} must be {en}, got {text}")


def frame_columns(parsed: dict[str, Parsed], policy: Policy, n: int) -> dict[str, np.ndarray]:
    """The engine frame's declared-input columns (and a rounded_ flag for areas and money)."""
    out = {}
    for decl in policy.inputs:
        got = parsed.get(decl.name)
        if got is None:
            from .batch.cells import blank_column

            missing, dtype = {"date": (np.datetime64("NaT"), "datetime64[D]"), "flag": (-1, np.int8),
                              "choice": (-1, np.int8)}.get(decl.type, (MISSING, np.int64))
            got = parse_column(decl, [""] * n) if decl.default is not None \
                else blank_column(n, missing, dtype)
        values = got.values
        if decl.type == "flag":
            values = np.asarray(values) == 1
        elif decl.type == "date":
            values = np.asarray(values, dtype="datetime64[D]").astype("datetime64[s]")
        out[column(decl.name)] = values
        if decl.type in ("area", "money"):
            out[f"rounded_{column(decl.name)}"] = np.asarray(got.rounded, dtype=bool)
    return out


def value_text(decl: InputDecl, value, lang: str | None = None) -> str:
    """A declared input's typed value: the plain value (lang None: '4', '2026-01-20', 'tekun', 'true'), or as a
    resident reads it in zh or en ('4 人', '特困'); '' when blank."""
    from . import units

    if decl.type in ("area", "money", "count"):
        if value == MISSING:
            return ""
        text = format(cents_to_decimal(int(value)), "f") if decl.type != "count" else str(int(value))
        return text if lang is None else f"{text} {units.label(decl.unit or 'm2', lang)}"
    if decl.type == "date":
        return "" if value is None or value != value else str(np.datetime64(value, "D"))  # NaT is not equal to itself
    if decl.type == "flag":
        return {None: "true" if value else "false", "zh": "是" if value else "否", "en": "yes" if value else "no"}[lang]
    if not 0 <= int(value) < len(decl.choices):
        return ""
    choice = decl.choices[int(value)]
    return {None: choice.value, "zh": choice.label_zh, "en": choice.label_en}[lang]
