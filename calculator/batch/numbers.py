"""Every number a policy sets, labelled and with its source, in the order of the file: for the parameters sheet."""
from __future__ import annotations

from decimal import Decimal

from .. import units
from ..policy import DateParam, Item, Param, Policy

Number = tuple[str, str, Param | DateParam]  # (label zh, label en, the parameter)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def param_text(param: Param | DateParam, lang: str = "zh") -> str:
    """A parameter's value as the office reads it: '300.00 元/㎡', '60%', '110%' (a ratio of 1.10), '2025-03-01'."""
    if isinstance(param, DateParam):
        return param.value.isoformat()
    if param.unit == "%":
        return f"{_plain(param.value)}%"
    if param.unit == "ratio":
        return f"{_plain(param.value * 100)}%"
    unit = units.label(param.unit, lang)
    return f"{format(param.value, 'f')} {unit}".strip()


def _item_numbers(item: Item) -> list[Number]:
    """The parameters written inside an item: its rate and share, bounds, each override's, each tier's."""
    refs = [item.rate, item.share, item.monthly_floor, item.floor, item.cap]
    refs += [r for o in item.overrides for r in (o.rate, o.share)]
    refs += [t.rate for t in item.tiers]
    return [(f"{item.label_zh}：{p.label_zh}", f"{item.label_en}: {p.label_en}", p) for p in refs if isinstance(p, Param)]


def policy_numbers(policy: Policy) -> list[Number]:
    """Named parameters, then each item's own numbers, then the deferral's installments and the heating fee."""
    out: list[Number] = [(p.label_zh, p.label_en, p) for p in policy.params.values()]
    for item in policy.items:
        out += _item_numbers(item)
    if policy.deferral is not None:
        for inst in policy.deferral.installments:
            out += [(p.label_zh, p.label_en, p) for p in (inst.years_after_move_in, inst.share)]
    if policy.heating is not None:
        out += [(p.label_zh, p.label_en, p) for p in (policy.heating.efficient_ratio, policy.heating.standard_rate)]
    return out
