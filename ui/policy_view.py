"""The policy as tables in the reader's language: every value with unit and source, items, inputs, areas."""
from __future__ import annotations

from decimal import Decimal

from calculator import expr, units
from calculator.household import OPTION_LABELS
from calculator.policy import DateParam, InputDecl, Item, Param, Policy
from calculator.source_check import params_in

from ui.format import plain
from ui.i18n import lang, pick, t

SECTIONS = {"params": "section.params", "unit_types": "section.unit_types", "deferral": "section.deferral",
            "heating": "section.heating", "limits": "section.limits", "standard_area": "section.standard"}
KINDS = {  # item kind -> (zh, en)
    "area_band": ("面积分段", "area band"), "per_m2": ("按面积", "per m²"), "per_household": ("按户", "per household"),
    "per_person": ("按人", "per person"), "fixed": ("固定金额", "fixed amount"),
    "area_rate_months": ("面积 × 单价 × 月数", "area × rate × months"), "share_of_amount": ("金额的比例", "share of an amount"),
    "date_tiers": ("按日期分档", "date tiers"),
}
INPUT_TYPES = {"area": ("面积", "area"), "money": ("金额", "amount"), "count": ("整数", "whole number"),
               "date": ("日期", "date"), "flag": ("是/否", "yes/no"), "choice": ("选项", "choice")}
DIRECTIONS = {"pay": ("住户交", "household pays"), "receive": ("住户领", "household receives")}


def unit_text(unit: str) -> str:
    """A unit as a reader says it; a ratio is shown as a percentage, as the quote's lines show it."""
    if unit in ("ratio", "%"):
        return "%"
    if unit == "date":
        return ""
    return units.label(unit, lang())


def value_text(p: Param | DateParam) -> str:
    """A value as written in the file, with thousands separators (no padding zeros, no Python repr); a ratio
    in percent (1.10 -> 110)."""
    if isinstance(p, DateParam):
        return p.value.isoformat()
    value = p.value * 100 if p.unit == "ratio" else p.value
    return format(value.normalize(), ",f")


def _section(path: tuple[str, ...], policy: Policy) -> str:
    if path[0] == "items" and len(path) > 1:
        item = next((i for i in policy.items if i.code == path[1]), None)
        return pick(item.label_zh, item.label_en) if item else path[1]
    return t(SECTIONS[path[0]]) if path[0] in SECTIONS else path[0]


def value_rows(policy: Policy) -> list[list[str]]:
    """section | label | value | unit | source — every number of the file (by its label: a key is for the file)."""
    return [[_section(path, policy), pick(p.label_zh, p.label_en), value_text(p), unit_text(p.unit), p.source]
            for path, p in params_in(policy)]


def paren(text: str) -> str:
    return f"（{text}）" if lang() == "zh" else f" ({text})"


def joined(words) -> str:
    return ("、" if lang() == "zh" else ", ").join(words)


def ref_text(ref, policy: Policy) -> str:
    """A rate or share as a reader says it: '300 元/㎡（结构差价）', or the input or parameter it names."""
    if ref is None:
        return ""
    if isinstance(ref, Param):
        return f"{value_text(ref)} {unit_text(ref.unit)}{paren(pick(ref.label_zh, ref.label_en))}"
    param = policy.params.get(ref)
    if param is not None:
        return f"{value_text(param)} {unit_text(param.unit)}{paren(pick(param.label_zh, param.label_en))}"
    decl = policy.input(ref)
    if decl is not None:
        return pick(decl.label_zh, decl.label_en)
    from calculator.result import name_label

    return pick(*name_label(ref, policy))


def rate_lines(item: Item, policy: Policy) -> list[str]:
    """The item's rate, share, overrides (with their conditions), tiers, floor and cap, one line each."""
    lines = []
    if item.rate is not None:
        lines.append(t("p.rate") + ref_text(item.rate, policy))
    if item.share is not None:
        lines.append(t("p.share") + ref_text(item.share, policy))
    for o in item.overrides:
        changed = ("；" if lang() == "zh" else "; ").join(x for x in (ref_text(o.rate, policy), ref_text(o.share, policy)) if x)
        lines.append(t("p.override", when=expression_text(o.when, policy), value=changed))
    start = pick(*_name(item.start, policy)) if item.start else ""
    for tier in item.tiers:
        rate = ref_text(tier.rate, policy)
        lines.append(t("p.tier", days=tier.days_up_to, start=start, rate=rate) if tier.days_up_to is not None
                     else t("p.tier_rest", rate=rate))
    if item.monthly_floor is not None:
        lines.append(t("p.monthly_floor") + ref_text(item.monthly_floor, policy))
    if item.floor is not None:
        lines.append(t("p.floor") + ref_text(item.floor, policy))
    if item.cap is not None:
        lines.append(t("p.cap") + ref_text(item.cap, policy))
    return lines


def _name(name: str, policy: Policy) -> tuple[str, str]:
    from calculator.result import name_label

    return name_label(name, policy)


WORDS = {"and": ("且", "and"), "or": ("或", "or"), "not": ("非", "not"), "max": ("较大值", "max"),
         "min": ("较小值", "min"), "days_between": ("相隔天数", "days_between"), "==": ("为", "is"),
         "!=": ("不为", "is not")}


def expression_text(text: str, policy: Policy) -> str:
    """An expression in the reader's words: each name as its label ('chosen' -> 选择户型面积), a choice's value
    as its label, and/or/not in the current language; numbers and operators as written."""
    try:
        toks = expr.tokens(text)
    except expr.ExprError:
        return text
    choices = {c.value: c for d in policy.inputs for c in d.choices}
    out = []
    for kind, value in toks:
        if kind == "name":
            out.append(pick(*WORDS[value]) if value in WORDS else pick(*_name(value, policy)))
        elif kind == "str" and value.strip("'") in choices:
            choice = choices[value.strip("'")]
            out.append(pick(choice.label_zh, choice.label_en))
        elif value in WORDS:
            out.append(pick(*WORDS[value]))
        else:
            out.append(value)
    return " ".join(out).replace(" ( ", "(").replace(" )", ")").replace(" ,", ",")


def quantity_lines(item: Item, policy: Policy) -> list[str]:
    """What the item multiplies, and when it applies."""
    fields = (("to", "p.to"), ("area", "p.area"), ("count", "p.count"), ("months", "p.months"),
              ("amount", "p.amount"), ("date", "p.date"))
    lines = [t(key) + expression_text(getattr(item, name), policy) for name, key in fields if getattr(item, name)]
    if item.when:
        lines.append(t("p.when") + expression_text(item.when, policy))
    return lines


def item_rows(policy: Policy) -> list[list[str]]:
    """label | kind and options | what it multiplies | rates | source."""
    rows = []
    for item in policy.items:
        options = joined(pick(*OPTION_LABELS[o]) for o in item.options)
        flags = [pick(*DIRECTIONS[item.direction])]
        if not item.settled:
            flags.append(t("p.not_settled"))
        if item.deferrable:
            flags.append(t("p.deferrable"))
        kind = f"{pick(*KINDS[item.kind])} · {options} · {' · '.join(flags)}"
        rows.append([pick(item.label_zh, item.label_en), kind, "\n".join(quantity_lines(item, policy)),
                     "\n".join(rate_lines(item, policy)), item.source])
    return rows


def _range(decl: InputDecl) -> str:
    if decl.type not in ("area", "money", "count"):
        return ""
    unit = units.label(decl.unit or "m2", lang())
    low = plain(decl.min) if decl.min is not None else ""
    return f"{low} – {plain(decl.max)} {unit}".strip()


def _default(decl: InputDecl) -> str:
    value = decl.default
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, Decimal):
        return plain(value)
    choice = next((c for c in decl.choices if c.value == value), None)
    return pick(choice.label_zh, choice.label_en) if choice else str(value)


def input_rows(policy: Policy) -> list[list[str]]:
    """label | type | range | default | when required | choices and aliases | source."""
    rows = []
    for d in policy.inputs:
        required = t("yes") if d.required else (expression_text(d.required_when, policy) if d.required_when else "")
        choices = joined(pick(c.label_zh, c.label_en) for c in d.choices)
        aliases = joined(d.aliases)
        rows.append([pick(d.label_zh, d.label_en), pick(*INPUT_TYPES[d.type]), _range(d), _default(d), required,
                     "\n".join(x for x in (choices, aliases and t("p.aliases") + aliases) if x), d.source])
    return rows


def area_rows(policy: Policy) -> list[list[str]]:
    """label | expression | options | source: the standard area, then every named area."""
    sa = policy.standard_area
    rule = t("p.next_type_up") if sa.rule == "next_unit_type_up" else expression_text(sa.expression, policy)
    floors = [t("p.area_floor", when=expression_text(f.when, policy), area=expression_text(f.area, policy))
              for f in sa.floors]
    rows = [[pick(sa.label_zh, sa.label_en), "\n".join([rule, *floors]), "", sa.source]]
    for a in policy.areas.values():
        rows.append([pick(a.label_zh, a.label_en), expression_text(a.expression, policy),
                     joined(pick(*OPTION_LABELS[o]) for o in a.options),
                     a.source])
    return rows


def total_rows(policy: Policy) -> list[list[str]]:
    labels = {i.code: pick(i.label_zh, i.label_en) for i in policy.items}
    return [[pick(x.label_zh, x.label_en), " + ".join(labels.get(c, c) for c in x.items), x.source]
            for x in policy.totals]


def decision_rows(policy: Policy) -> list[list[str]]:
    return [[d.id, pick(d.title_zh, d.title_en), pick(d.text_zh, d.text_en)] for d in policy.decisions]
