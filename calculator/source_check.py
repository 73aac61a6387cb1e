"""Values that contradict their own source: a parameter of 400 元/㎡ whose clause quotes "300元" is flagged.

A source quotes numbers with their units ("按1000元/平方米", "占25%", "75平方米"); a value whose unit matches
must be one of those numbers, or the result of an arithmetic the source writes out ("(1000 − 200)").
A number said as a reduction ("减收200元") is a difference, not the value; a percentage may be said as the part
above or below the whole ("超出原面积10%" for 110 %). A source that quotes no number of the value's kind (a
decision id "D3", "第一年") is not checked.
"""
from __future__ import annotations

import re
from decimal import Decimal

from pydantic import BaseModel

from .policy import DateParam, Param, Policy

NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
# unit class -> how a source quotes a number of that class
QUOTED = {
    "money": re.compile(NUMBER + r"\s*(万)?元"),
    "percent": re.compile(NUMBER + r"\s*[%％]"),
    "area": re.compile(NUMBER + r"\s*(?:平方米|㎡|m²|m2)"),
}
ARITHMETIC = re.compile(NUMBER + r"\s*([−\-+×*])\s*" + NUMBER)
REDUCTION = re.compile(r"(?:减收|减免|少收|降低|优惠|减)\s*$")


def params_in(obj, path: tuple[str, ...] = ()):
    """Every Param (and DateParam) in the policy with its path; list members named by their code where they have one."""
    if isinstance(obj, (Param, DateParam)):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from params_in(getattr(obj, name), path + (name,))
    elif isinstance(obj, dict):
        for name, member in obj.items():
            yield from params_in(member, path + (str(name),))
    elif isinstance(obj, list):
        for i, member in enumerate(obj):
            yield from params_in(member, path + (str(getattr(member, "code", None) or getattr(member, "name", None) or i + 1),))


def _unit_class(unit: str) -> str | None:
    if unit.startswith("CNY"):
        return "money"
    if unit in ("%", "ratio"):
        return "percent"
    if unit == "m2":
        return "area"
    return None  # months, years, persons: sources write them in words (第一年), not checked


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def quoted_numbers(source: str, unit_class: str) -> set[Decimal]:
    """The numbers of one kind a source quotes, with the results of any arithmetic it writes out; empty where it
    quotes no number of that kind."""
    found = set()
    matches = list(QUOTED[unit_class].finditer(source))
    if not matches:
        return found
    for match in matches:
        if REDUCTION.search(source[:match.start()]):
            continue
        value = _number(match.group(1))
        found.add(value * 10000 if unit_class == "money" and match.group(2) else value)
    if unit_class == "percent":
        found |= {100 + n for n in found} | {100 - n for n in found if n < 100}
    for left, op, right in ARITHMETIC.findall(source):
        a, b = _number(left), _number(right)
        found.add({"−": a - b, "-": a - b, "+": a + b, "×": a * b, "*": a * b}[op])
    return found


def source_conflicts(policy: Policy) -> list[tuple[str, str]]:
    """(key, reason) for every value that is none of the numbers its own source quotes, in both languages."""
    conflicts = []
    for path, param in params_in(policy):
        kind = _unit_class(param.unit) if isinstance(param, Param) else None
        if kind is None:
            continue
        value = param.value * 100 if param.unit == "ratio" else param.value
        quoted = quoted_numbers(param.source, kind)
        if quoted and value not in quoted:
            numbers = "、".join(f"{n.normalize():f}" for n in sorted(quoted))
            shown = f"{value.normalize():f}"
            conflicts.append((".".join(path),
                              f"数值 {shown} 与出处所引的数字（{numbers}）不符：“{param.source}”（{param.label_zh}）/ "
                              f"the value {shown} is not the number its source quotes ({numbers.replace('、', ', ')}): "
                              f"“{param.source}” ({param.label_en})"))
    return conflicts
