"""A policy's rules in words, for the office that signs it off: every number with its unit and source.

explain_policy(policy, lang, identity) is pure (policy in, text out), so the CLI and the app show the same text.
"""
from __future__ import annotations

from decimal import Decimal

from . import expr, units
from .fixed import fmt_money
from .household import OPTION_LABELS
from .policy import DateParam, InputDecl, Item, Param, Policy, PolicyIdentity
from .result import name_label

# Every phrase of the explanation: key -> (zh, en).
WORDS = {
    "document": ("文件", "Document"), "project": ("项目", "Project"), "id": ("编号", "Id"), "version": ("版本", "Version"),
    "sha256": ("文件哈希 (SHA-256)", "File hash (SHA-256)"), "file": ("文件名", "File"),
    "decisions": ("原文未明确之处的决定", "Decisions where the text is silent"),
    "inputs": ("户的输入", "Household inputs"),
    "core_inputs": ("每户都填写：原房屋建筑面积、安置方式（回迁安置或货币补偿）、选择户型面积、评估单价、是否低保户、"
                    "是否申请缓交、入住日期。",
                    "Every household gives: original area, option (in-kind or cash), chosen unit area, appraised price, "
                    "low-income or not, deferral asked or not, move-in date."),
    "declared": ("本政策另需：", "This policy also needs:"), "no_declared": ("本政策不需要其他输入。", "This policy needs no other input."),
    "params": ("参数", "Parameters"), "no_params": ("（无具名参数；数值写在各项目中）", "(no named parameters; the numbers are written in the items)"),
    "standard": ("安置标准面积", "Standard area"), "areas": ("派生面积", "Named areas"),
    "items": ("结算项目（按顺序）", "Items (in order)"), "totals": ("小计", "Subtotals"), "deferral": ("缓交", "Deferral"),
    "heating": ("取暖费", "Heating fee"), "limits": ("输入上限", "Input limits"), "source": ("出处", "source"),
    "plausible": ("核实范围（超出时批量测算提示“请核实”，照常结算）", "Plausible ranges (outside one a batch asks to verify; settled as usual)"),
    "none": ("无", "none"), "pay": ("住户交纳", "the household pays"), "receive": ("住户领取", "the household receives"),
    "settled": ("计入结算", "settled"), "shown": ("仅列示，不计入结算", "shown only, not settled"),
    "deferrable": ("可缓交", "may be deferred"), "hide": ("为0时不列出", "not listed when 0"),
    "options": ("适用", "applies to"), "when": ("条件", "only when"), "otherwise": ("其他情况", "otherwise"),
    "floor": ("保底", "at least"), "cap": ("封顶", "at most"), "rests_on": ("依据决定", "rests on decision"),
    "required": ("必填", "required"), "required_when": ("以下情况必填", "required when"), "optional": ("选填", "optional"),
    "default": ("默认", "default"), "min": ("最小", "min"), "max": ("最大", "max"), "aliases": ("别名", "also accepted as"),
    "choices": ("选项", "choices"), "never_negative": ("不小于0", "never below 0"),
    "net": ("应交合计 = 计入结算的各项相加（交纳为正，领取为负）。",
            "Net payable = the sum of the settled items (paid: +, received: −)."),
}
TYPES = {"area": ("面积", "area"), "money": ("金额", "money"), "count": ("整数", "whole number"), "date": ("日期", "date"),
         "flag": ("是/否", "yes/no"), "choice": ("选项", "choice")}
OPS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "+": "+", "-": "−", "*": "×"}
LOGIC = {"and": ("并且", "and"), "or": ("或者", "or"), "not": ("非", "not")}
FUNCTIONS = {"max": ("取较大值", "the larger of"), "min": ("取较小值", "the smaller of"),
             "days_between": ("相隔天数", "days between")}
PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6}


class _Text:
    """The explanation of one policy in one language."""

    def __init__(self, policy: Policy, lang: str):
        self.policy, self.lang, self.zh = policy, lang, lang == "zh"

    def w(self, key: str) -> str:
        return WORDS[key][0 if self.zh else 1]

    def pick(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    def paren(self, text: str) -> str:
        return f"（{text}）" if self.zh else f" ({text})"

    # ------------------------------------------------------------------------------------------ numbers
    def number(self, value, unit: str) -> str:
        """A value with its unit as a resident reads it: '1,000.00 元/㎡', '70%', '2026-03-01'."""
        if unit == "date":
            return value.isoformat()
        value = Decimal(value)
        if unit == "%":
            return f"{_plain(value)}%"
        if unit in ("ratio", "1"):
            return _plain(value)
        if units.decimals(units.parse(unit)) == 2:
            return f"{fmt_money(int(value * 100), '')} {units.label(unit, self.lang)}"
        return f"{_plain(value)} {units.label(unit, self.lang)}"

    def param(self, p: Param | DateParam, with_label: bool = True) -> str:
        label = p.label_zh if self.zh else p.label_en
        head = f"{label} {self.number(p.value, p.unit)}" if with_label else self.number(p.value, p.unit)
        return head + self.paren(f"{self.w('source')}: {p.source}")

    def ref(self, ref) -> str:
        """A rate, share, floor or cap: a parameter with value, unit and source, or the input it reads."""
        if isinstance(ref, Param):
            return self.param(ref)
        found = self.policy.params.get(ref)
        if found is not None:
            return self.param(found)
        return self.label(ref)

    def label(self, name: str) -> str:
        zh, en = name_label(name, self.policy)
        return zh if self.zh else en

    # ------------------------------------------------------------------------------------------ expressions
    def expression(self, text: str | None) -> str:
        """An expression with every name replaced by its label (a parameter also shows its value)."""
        if text is None:
            return ""
        try:
            return self._words(expr.parse(text), 0)
        except expr.ExprError:
            return text

    def _words(self, node, outer: int) -> str:
        kind = node[0]
        if kind == "zero":
            return "0"
        if kind == "str":
            return self._choice(node[1])
        if kind == "name":
            name = node[1]
            param = self.policy.params.get(name)
            if param is not None:
                return f"{self.label(name)}{self.paren(self.number(param.value, param.unit))}"
            return self.label(name)
        if kind == "call":
            zh, en = FUNCTIONS[node[1]]
            args = ("，" if self.zh else ", ").join(self._words(a, 0) for a in node[2])
            return f"{zh}（{args}）" if self.zh else f"{en} ({args})"
        if kind == "not":
            level, text = PRECEDENCE["not"], f"{LOGIC['not'][0 if self.zh else 1]} {self._words(node[1], 3)}"
        elif kind in ("and", "or"):
            level = PRECEDENCE[kind]
            word = LOGIC[kind][0 if self.zh else 1]
            text = f"{self._words(node[1], level)} {word} {self._words(node[2], level + 1)}"
        else:  # cmp or bin
            op = node[1]
            level = PRECEDENCE["cmp" if kind == "cmp" else op]
            text = f"{self._words(node[2], level)} {OPS[op]} {self._words(node[3], level + 1)}"
        return f"({text})" if level < outer else text

    def _choice(self, value: str) -> str:
        for decl in self.policy.inputs:
            for c in decl.choices:
                if c.value == value:
                    return f"「{c.label_zh}」" if self.zh else f"'{c.label_en}'"
        if value in OPTION_LABELS:
            zh, en = OPTION_LABELS[value]
            return f"「{zh}」" if self.zh else f"'{en}'"
        return f"'{value}'"


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def explain_policy(policy: Policy, lang: str = "zh", identity: PolicyIdentity | None = None,
                   file_name: str | None = None) -> str:
    """The whole policy in words: identity, decisions, inputs, parameters, areas, items, totals, deferral, limits."""
    t = _Text(policy, lang)
    info = policy.policy
    lines = [info.name_zh if t.zh else info.name_en, "=" * 60,
             f"{t.w('document')}: {info.document_zh if t.zh else info.document_en}",
             f"{t.w('project')}: {info.project_zh if t.zh else info.project_en}",
             f"{t.w('id')}: {info.id}    {t.w('version')}: {info.version}"]
    if identity is not None:
        lines.append(f"{t.w('sha256')}: {identity.sha256}")
    if file_name:
        lines.append(f"{t.w('file')}: {file_name}")
    sections = [("decisions", _decisions), ("inputs", _inputs), ("params", _params), ("standard", _standard),
                ("areas", _areas), ("items", _items), ("totals", _totals), ("deferral", _deferral),
                ("heating", _heating), ("limits", _limits), ("plausible", _plausible)]
    number = 0
    for key, build in sections:
        body = build(t)
        if body is None:
            continue
        number += 1
        lines += ["", f"{number}. {t.w(key)}", *body]
    return "\n".join(lines) + "\n"


def _decisions(t: _Text) -> list[str] | None:
    if not t.policy.decisions:
        return None
    return [f"  {d.id} {d.title_zh if t.zh else d.title_en}: {d.text_zh if t.zh else d.text_en}" for d in t.policy.decisions]


def _inputs(t: _Text) -> list[str]:
    lines = ["  " + t.w("core_inputs"), "  " + t.w("declared" if t.policy.inputs else "no_declared")]
    for decl in t.policy.inputs:
        lines.append(f"  - {decl.label_zh if t.zh else decl.label_en} ({decl.name}): {_input_words(t, decl)}")
        help_text = decl.help_zh if t.zh else decl.help_en
        if help_text:
            lines.append(f"      {help_text}")
    return lines


def _input_words(t: _Text, decl: InputDecl) -> str:
    zh, en = TYPES[decl.type]
    parts = [zh if t.zh else en]
    if decl.unit:
        parts[0] += f", {units.label(decl.unit, t.lang)}"
    if decl.min is not None:
        parts.append(f"{t.w('min')} {_plain(decl.min)}")
    if decl.max is not None:
        parts.append(f"{t.w('max')} {_plain(decl.max)}")
    if decl.required:
        parts.append(t.w("required"))
    elif decl.required_when:
        parts.append(f"{t.w('required_when')} {t.expression(decl.required_when)}")
    else:
        parts.append(t.w("optional"))
    if decl.default is not None:
        default = decl.default
        if isinstance(default, bool):
            default = t.pick("是", "yes") if default else t.pick("否", "no")
        elif decl.type == "choice":
            default = t._choice(str(default))
        parts.append(f"{t.w('default')} {_plain(default) if isinstance(default, Decimal) else default}")
    if decl.choices:
        parts.append(f"{t.w('choices')}: " + ", ".join(
            f"{c.value} = {c.label_zh if t.zh else c.label_en}" + (f" ({', '.join(c.aliases)})" if c.aliases else "")
            for c in decl.choices))
    if decl.aliases:
        parts.append(f"{t.w('aliases')}: {', '.join(decl.aliases)}")
    if decl.source:
        parts.append(f"{t.w('source')}: {decl.source}")
    return "; ".join(parts)


def _params(t: _Text) -> list[str]:
    if not t.policy.params:
        return ["  " + t.w("no_params")]
    return [f"  - {name}: {t.param(p)}" for name, p in t.policy.params.items()]


def _standard(t: _Text) -> list[str]:
    sa = t.policy.standard_area
    lines = [f"  {sa.label_zh if t.zh else sa.label_en}{t.paren(t.w('source') + ': ' + sa.source)}"]
    if sa.rule == "next_unit_type_up":
        types = t.policy.unit_types
        areas = ", ".join(t.number(a.value, a.unit) for a in types.areas)
        lines.append("  " + t.pick(f"取不小于原房屋建筑面积的最小户型面积（上靠户型）。户型：{areas}",
                                   f"The smallest unit type at or above the original area (next type up). Types: {areas}"))
        lines.append("  " + t.pick(f"户型出处：{types.source}", f"Unit types source: {types.source}"))
        for group in types.mix:
            sizes = ", ".join(t.number(a, "m2") for a in group.types_m2)
            lines.append(f"    {sizes}: {t.param(group.share)}")
        if sa.above_largest_type_decision:
            lines.append("  " + t.pick(f"原面积大于所有户型时：见决定 {sa.above_largest_type_decision}",
                                       f"Above every unit type: see decision {sa.above_largest_type_decision}"))
        if sa.non_standard_unit_decision:
            lines.append("  " + t.pick(f"选择非标准户型面积时：见决定 {sa.non_standard_unit_decision}",
                                       f"A chosen area that is not a unit type: see decision {sa.non_standard_unit_decision}"))
    else:
        lines.append(f"  = {t.expression(sa.expression)}")
    for floor in sa.floors:
        decision = f", {t.w('rests_on')} {floor.decision}" if floor.decision else ""
        lines.append("  " + t.pick(f"保底：当 {t.expression(floor.when)} 时，不低于 {t.expression(floor.area)}",
                                   f"Floor: when {t.expression(floor.when)}, at least {t.expression(floor.area)}")
                     + t.paren(f"{t.w('source')}: {floor.source}{decision}"))
    return lines


def _option_words(t: _Text, options: list[str]) -> str:
    return t.pick("、", ", ").join(OPTION_LABELS[o][0 if t.zh else 1] for o in options)


def _areas(t: _Text) -> list[str] | None:
    if not t.policy.areas:
        return None
    return [f"  - {a.label_zh if t.zh else a.label_en} ({name}) = {t.expression(a.expression)}, {t.w('never_negative')}; "
            f"{t.w('options')}: {_option_words(t, a.options)}; {t.w('source')}: {a.source}"
            for name, a in t.policy.areas.items()]


def _items(t: _Text) -> list[str]:
    lines, lower = [], None
    for n, item in enumerate(t.policy.items, 1):
        lines.append(f"  {n}. {item.label_zh if t.zh else item.label_en} ({item.code})")
        lines.append(f"     {_kind_words(t, item, lower)}")
        for o in item.overrides:
            parts = [t.ref(x) for x in (o.rate, o.share) if x is not None]
            lines.append(f"     {t.expression(o.when)}{t.pick('时：', ': ')}{' × '.join(parts)}")
        flags = [f"{t.w('options')}: {_option_words(t, item.options)}", t.w(item.direction),
                 t.w("settled" if item.settled else "shown")]
        if item.deferrable:
            flags.append(t.w("deferrable"))
        if item.hide_when_zero:
            flags.append(t.w("hide"))
        lines.append("     " + "; ".join(flags))
        if item.when:
            lines.append(f"     {t.w('when')}: {t.expression(item.when)}")
        for name in ("floor", "cap"):
            if getattr(item, name) is not None:
                lines.append(f"     {t.w(name)}: {t.ref(getattr(item, name))}")
        for use in item.decisions:
            cond = f" ({t.w('when')}: {t.expression(use.when)})" if use.when else ""
            lines.append(f"     {t.w('rests_on')} {use.id}{cond}")
        lines.append(f"     {t.w('source')}: {item.source}")
        if item.kind == "area_band":
            lower = item.to if item.to else lower
    lines.append("  " + t.w("net"))
    return lines


def _kind_words(t: _Text, item: Item, lower: str | None) -> str:
    """What the item multiplies, in words: 'area between the original area and the standard area × 1,000.00 元/㎡'."""
    rate = t.ref(item.rate) if item.rate is not None else ""
    share = f" × {t.ref(item.share)}" if item.share is not None else ""
    if item.kind == "area_band":
        low = t.expression(lower) if lower else "0"
        if item.to:
            where = t.pick(f"选择面积中 {low} 至 {t.expression(item.to)} 之间的部分",
                           f"chosen area between {low} and {t.expression(item.to)}")
        else:
            where = t.pick(f"选择面积中超过 {low} 的部分", f"chosen area above {low}")
        return f"{where} × {rate}{share}"
    if item.kind == "per_m2":
        return f"{t.expression(item.area)} × {rate}{share}"
    if item.kind == "per_household":
        return t.pick(f"每户 {rate}{share}", f"per household: {rate}{share}")
    if item.kind == "fixed":
        return t.pick(f"固定金额 {rate}", f"a fixed amount: {rate}")
    if item.kind == "per_person":
        return f"{t.expression(item.count)} × {rate}{share}"
    if item.kind == "area_rate_months":
        text = f"{t.expression(item.area)} × {rate} × {t.expression(item.months)}{share}"
        if item.monthly_floor is not None:
            text += t.pick(f"；每月不低于 {t.ref(item.monthly_floor)}", f"; per month at least {t.ref(item.monthly_floor)}")
        return text
    if item.kind == "share_of_amount":
        return f"{t.expression(item.amount)}{share}"
    # date_tiers
    start = t.policy.params.get(item.start)
    start_text = t.param(start) if start is not None else item.start
    area = f"{t.expression(item.area)} × " if item.area else ""
    tiers = []
    for tier in item.tiers:
        days = tier.days_up_to
        when = t.pick(f"{days}天内", f"within {days} days") if days is not None else t.pick("其后", "later")
        tiers.append(f"{when}: {area}{t.ref(tier.rate)}{share}")
    later = t.pick("；超出各档不适用", "; after the last tier: none") if item.tiers and item.tiers[-1].days_up_to is not None else ""
    return t.pick(f"按 {t.label(item.date)} 距 {start_text} 的天数分档：", f"by days from {start_text} to the {t.label(item.date)}: ") \
        + "; ".join(tiers) + later


def _totals(t: _Text) -> list[str] | None:
    if not t.policy.totals:
        return None
    labels = {i.code: (i.label_zh if t.zh else i.label_en) for i in t.policy.items}
    return [f"  - {x.label_zh if t.zh else x.label_en} ({x.code}) = " + " + ".join(labels.get(c, c) for c in x.items)
            + t.paren(f"{t.w('source')}: {x.source}") for x in t.policy.totals]


def _deferral(t: _Text) -> list[str] | None:
    d = t.policy.deferral
    if d is None:
        return None
    items = ", ".join(i.label_zh if t.zh else i.label_en for i in t.policy.deferrable_items)
    lines = [f"  {d.label_zh if t.zh else d.label_en}{t.paren(t.w('source') + ': ' + d.source)}",
             "  " + t.pick(f"可申请的户：{t.expression(d.when)}", f"Who may defer: {t.expression(d.when)}"),
             "  " + t.pick(f"可缓交的项目：{items}", f"Items that may be deferred: {items}")]
    for n, inst in enumerate(d.installments, 1):
        years = int(inst.years_after_move_in.value)
        lines.append("  " + t.pick(f"第{n}期：入住后{years}年，{t.param(inst.share, with_label=False)}",
                                   f"Installment {n}: {years} year(s) after move-in, {t.param(inst.share, with_label=False)}"))
    lines.append("  " + t.pick(f"付清：{d.on_full_payment_zh}", f"Paid in full: {d.on_full_payment_en}"))
    lines.append("  " + t.pick(f"逾期：{d.on_default_zh}", f"Not paid: {d.on_default_en}"))
    return lines


def _heating(t: _Text) -> list[str] | None:
    h = t.policy.heating
    if h is None:
        return None
    example = t.pick("（示例值）", " (an example)") if h.rate_is_example else ""
    decision = f", {t.w('rests_on')} {h.rate_decision}" if h.rate_decision else ""
    default = t.pick("是", "yes") if h.energy_efficient_default else t.pick("否", "no")
    return [f"  {h.label_zh if t.zh else h.label_en}{t.paren(t.w('source') + ': ' + h.source)}",
            "  " + t.pick("仅列示，不计入结算：选择面积 × 取暖费标准；节能住宅按比例收取。",
                          "Shown only, not settled: chosen area × heating rate; energy-efficient homes pay a share."),
            f"  {t.param(h.standard_rate)}{example}{decision}",
            f"  {t.param(h.efficient_ratio)}",
            "  " + t.pick(f"默认节能住宅：{default}（出处: {h.energy_efficient_default_source}）",
                          f"Energy-efficient by default: {default} (source: {h.energy_efficient_default_source})")]


def _plausible(t: _Text) -> list[str] | None:
    ranges = [r for r in (getattr(t.policy.plausible, k) for k in type(t.policy.plausible).model_fields) if r is not None]
    lines = [f"  - {r.label_zh if t.zh else r.label_en} {t.number(r.min, r.unit)} – {t.number(r.max, r.unit)}"
             + t.paren(f"{t.w('source')}: {r.source}") for r in ranges]
    lines += [f"  - {d.label_zh if t.zh else d.label_en} {d.plausible[0]} – {d.plausible[1]}" for d in t.policy.inputs
              if d.plausible is not None]
    return lines or None


def _limits(t: _Text) -> list[str]:
    lim = t.policy.limits
    params = [lim.original_area_max, lim.unit_area_max, lim.appraised_price_max, lim.heating_rate_max]
    return [f"  - {t.param(p)}" for p in params if p is not None]
