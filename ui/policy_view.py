"""The policy as tables: every Param with its label, unit and source; the items; the decisions."""
from __future__ import annotations

from pydantic import BaseModel

from calculator.policy import Param, Policy

from ui.i18n import lang, t

# Units as the policy file writes them -> how a reader says them.
UNITS = {
    "m2": ("㎡", "m²"),
    "CNY/m2": ("元/㎡", "yuan/m²"),
    "CNY/m2/season": ("元/㎡·采暖期", "yuan/m² per season"),
    "%": ("%", "%"),
    "ratio": ("倍", "× (ratio)"),
    "year": ("年", "years"),
}
SECTIONS = {"unit_types": "section.unit_types", "in_kind": "section.in_kind", "cash": "section.cash",
            "deferral": "section.deferral", "heating": "section.heating", "limits": "section.limits"}


def unit_text(unit: str) -> str:
    zh, en = UNITS.get(unit, (unit, unit))
    return zh if lang() == "zh" else en


def params(obj, path: tuple[str, ...] = ()):
    """Every Param in the policy with its path; list members are named by their code where they have one."""
    if isinstance(obj, Param):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from params(getattr(obj, name), path + (name,))
    elif isinstance(obj, list):
        for i, member in enumerate(obj):
            yield from params(member, path + (str(getattr(member, "code", i + 1)),))


def value_rows(policy: Policy) -> list[list[str]]:
    rows = []
    for path, p in params(policy):
        section = t(SECTIONS[path[0]]) if path[0] in SECTIONS else path[0]
        label = p.label_zh if lang() == "zh" else p.label_en
        rows.append([section, label, format(p.value.normalize(), ",f"), unit_text(p.unit), p.source, ".".join(path)])
    return rows


def item_rows(policy: Policy) -> list[list[str]]:
    return [[code, zh if lang() == "zh" else en, source] for code, (zh, en, source) in policy.item_labels().items()]


def decision_rows(policy: Policy) -> list[list[str]]:
    return [[d.id, d.title_zh if lang() == "zh" else d.title_en, d.text_zh if lang() == "zh" else d.text_en]
            for d in policy.decisions]
