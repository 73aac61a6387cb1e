"""A plan to compare (方案): a policy file, or an edit of one (`key.path=value`), validated like a file, with its hash.

A path walks the policy file's own keys; a list element is named by its code, name or id (or its position), and a
path ending at a number with its unit sets that number's value: `items.reasonable_extra_area.rate=1100` sets the
reasonable-extra-area price to 1,100 yuan/m². The edited policy is validated by the very checks a file meets; its
hash is the SHA-256 of the edited policy written as canonical JSON (sorted keys, numbers as written), so the same
edit of the same file always shows the same hash.
"""
from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .policy import LoadedPolicy, PolicyError, load_policy, resolve_policy_path, validate_policy


DRAFT_SUFFIX = "+draft"


@dataclass
class Plan:
    """One policy of a comparison: how it is named on every page, the edits made to its file, and the policy."""

    loaded: LoadedPolicy
    edits: list[str] = field(default_factory=list)  # 'items.reasonable_extra_area.rate=1100', as given

    @property
    def label(self) -> str:
        ident = self.loaded.identity
        return f"{ident.id} {ident.version}" + "".join(f" · {e}" for e in self.edits)

    @property
    def sha256(self) -> str:
        return self.loaded.identity.sha256


def _value(text: str):
    """The value of an edit as TOML reads it (1100, 0.8, true, "text"); bare words are text."""
    try:
        return tomllib.loads(f"v = {text}", parse_float=Decimal)["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def _step(node, part: str, done: str):
    """The child `part` of a table or list, or PolicyError naming the keys there are."""
    if isinstance(node, dict):
        if part in node:
            return node, part
        known = ", ".join(sorted(node))
    elif isinstance(node, list):
        for i, element in enumerate(node):
            if isinstance(element, dict) and part in (element.get("code"), element.get("name"), element.get("id")):
                return node, i
        if part.isdigit() and int(part) < len(node):
            return node, int(part)
        known = ", ".join(str(e.get("code") or e.get("name") or e.get("id") or i) if isinstance(e, dict) else str(i)
                          for i, e in enumerate(node))
    else:
        known = ""
    raise PolicyError("--set", [(done + part, f"no such key / 没有此项; keys here / 可用: {known or '(none)'}")])


def apply_edit(raw: dict, edit: str) -> dict:
    """The policy (as read from TOML) with one `key.path=value` edit; PolicyError on a path that is not there."""
    path, sep, text = edit.partition("=")
    if not sep or not path.strip():
        raise PolicyError("--set", [(edit, "an edit is key.path=value / 修改应写作 键路径=值")])
    parts = path.strip().split(".")
    out = copy.deepcopy(raw)
    node, done = out, ""
    for part in parts[:-1]:
        parent, key = _step(node, part, done)
        node, done = parent[key], done + part + "."
    parent, key = _step(node, parts[-1], done)
    value = _value(text)
    if isinstance(parent[key], dict) and "value" in parent[key] and not isinstance(value, dict):
        parent[key] = {**parent[key], "value": value}  # a number with its unit: set the number
    else:
        parent[key] = value
    return out


def _canonical(raw) -> bytes:
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")).encode("utf-8")


def load_plan(policy: str | Path | None, edits: list[str] = ()) -> Plan:
    """A plan: the policy by id or path, with each edit applied in turn and the whole validated as a file is."""
    if not edits:
        return Plan(load_policy(policy))
    path = resolve_policy_path(policy)
    load_policy(path)  # the file itself must be valid (and says so by its own name if it is not)
    raw = tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)
    for edit in edits:
        raw = apply_edit(raw, edit)
    # An edit is a draft, not the approved file: it gets a version of its own (and so the "not approved" mark).
    if isinstance(raw.get("policy"), dict) and isinstance(raw["policy"].get("version"), str):
        raw["policy"]["version"] += DRAFT_SUFFIX
    label = f"{path} + " + "; ".join(edits)
    return Plan(validate_policy(raw, label, hashlib.sha256(_canonical(raw)).hexdigest()), list(edits))
