"""Rule checks on the typed frame, over whole arrays: each failed check becomes a bilingual InputError."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property, partial
from decimal import Decimal

import numpy as np

from .capital import MAX_FEN
from .columns import Columns
from .errors import InputError
from .fixed import MISSING, cents_to_decimal, to_cents
from . import expr, units
from .household import FIELDS, OPTION_LABELS
from .inputs import column
from .policy import Policy


# A date outside these is a typing slip, and its installments' due dates could not be written as dates at all.
EARLIEST_DATE, LATEST_DATE = np.datetime64("1900-01-01"), np.datetime64("2199-12-31")


def _plain(cents: int) -> str:
    """-300 -> '-3', 4530 -> '45.3': the value as the user wrote it, without padding zeros."""
    text = format(cents_to_decimal(cents).normalize(), "f")
    return text


def _limit(param) -> int:
    return to_cents(param.value)[0]


Typed = Callable[[object, str], "str | None"]  # (frame index, field) -> the value as the user typed it, if known


def _row_errors(mask: np.ndarray, frame: Columns, field: str, column: str | None, zh: str, en: str,
               typed: Typed | None = None) -> list[tuple[object, InputError]]:
    """One error per row where mask holds, showing that row's value of column (as typed where known);
    zh/en may use {value} and {label}."""
    label, label_en = FIELDS[field]
    found = []
    for pos in np.flatnonzero(mask):
        idx = frame.index[pos]
        raw = frame[column][pos] if column else None
        value = "true" if column is None else ("" if raw == MISSING else (typed and typed(idx, field)) or _plain(raw))
        found.append((idx, InputError(field=field, value=value,
                                      message_zh=zh.format(value=value, label=label),
                                      message_en=en.format(value=value, field=label_en))))
    return found


def check_households(frame: Columns, policy: Policy, typed: Typed | None = None) -> list[tuple[object, InputError]]:
    """Every rule the inputs must meet before settling (POLICY_SPEC §2–§4, §7). Returns (frame index, error);
    `typed` gives a value as the user typed it, for the messages ('-3.456', not the rounded '-3.46')."""
    rows_errors = partial(_row_errors, typed=typed)
    lim = policy.limits
    cash = frame["option"] == "cash"
    in_kind = ~cash
    a = frame["original_area_c"]
    u = frame["unit_area_c"]
    p = frame["appraised_price_c"]
    r = frame["heating_rate_c"]

    a_txt, u_txt, p_txt, r_txt = "original_area_c", "unit_area_c", "appraised_price_c", "heating_rate_c"
    a_max, u_max, p_max = _limit(lim.original_area_max), _limit(lim.unit_area_max), _limit(lim.appraised_price_max)
    errors: list[tuple[object, InputError]] = []
    add = errors.extend

    add(rows_errors(a == MISSING, frame, "original_area", a_txt, "缺少{label}", "{field} is required"))
    add(rows_errors((a != MISSING) & (a <= 0), frame, "original_area", a_txt,
                "{label}必须大于0，输入为 {value}", "{field} must be > 0, got {value}"))
    add(rows_errors(a > a_max, frame, "original_area", a_txt,
                f"{{label}}不能超过{_plain(a_max)}㎡，输入为 {{value}}", f"{{field}} must be at most {_plain(a_max)} m², got {{value}}"))

    add(rows_errors(in_kind & (u == MISSING), frame, "unit_area", u_txt,
                "回迁安置须填写{label}（或选择货币补偿）", "{field} is required for in-kind resettlement (or choose cash)"))
    add(rows_errors(in_kind & (u != MISSING) & (u <= 0), frame, "unit_area", u_txt,
                "{label}必须大于0，输入为 {value}", "{field} must be > 0, got {value}"))
    add(rows_errors(in_kind & (u > u_max), frame, "unit_area", u_txt,
                f"{{label}}不能超过{_plain(u_max)}㎡，输入为 {{value}}", f"{{field}} must be at most {_plain(u_max)} m², got {{value}}"))
    add(rows_errors(cash & (u != MISSING), frame, "unit_area", u_txt,
                "货币补偿不安置房屋，不应填写{label}，输入为 {value}", "a cash household takes no unit: {field} must be blank, got {value}"))

    add(rows_errors((p != MISSING) & (p <= 0), frame, "appraised_price", p_txt,
                "{label}必须大于0，输入为 {value}", "{field} must be > 0, got {value}"))
    add(rows_errors(p > p_max, frame, "appraised_price", p_txt,
                f"{{label}}不能超过{_plain(p_max)}元/㎡，输入为 {{value}}", f"{{field}} must be at most {_plain(p_max)} yuan/m², got {{value}}"))

    if policy.heating is not None:
        r_max = _limit(lim.heating_rate_max)
        add(rows_errors(r <= 0, frame, "heating_rate", r_txt, "{label}必须大于0，输入为 {value}", "{field} must be > 0, got {value}"))
        add(rows_errors(r > r_max, frame, "heating_rate", r_txt,
                    f"{{label}}不能超过{_plain(r_max)}元/㎡，输入为 {{value}}", f"{{field}} must be at most {_plain(r_max)} yuan/m², got {{value}}"))
    move_in = frame["move_in"].astype("datetime64[D]")
    odd = ~np.isnat(move_in) & ((move_in < EARLIEST_DATE) | (move_in > LATEST_DATE))
    for pos in np.flatnonzero(odd):
        day = str(move_in[pos])
        errors.append((frame.index[pos], InputError(
            field="move_in_date", value=day, message_zh=f"入住日期应在{EARLIEST_DATE}至{LATEST_DATE}之间，输入为 {day}",
            message_en=f"the move-in date must be between {EARLIEST_DATE} and {LATEST_DATE}, got {day}")))
    for decl in policy.inputs:
        add(_declared_range(frame, decl, typed))
    return errors


def _declared_range(frame: Columns, decl, typed: Typed | None = None) -> list[tuple[object, InputError]]:
    """A declared number outside its min and max."""
    if decl.type not in ("area", "money", "count"):
        return []
    values = frame[column(decl.name)]
    scale = 100 if decl.type in ("area", "money") else 1
    found = []
    lowest = decl.min if decl.min is not None else Decimal(0)  # an area, an amount or a count is never negative
    for limit, outside, zh, en in ((lowest, np.less, "不能小于", "must be at least"),
                                   (decl.max, np.greater, "不能超过", "must be at most")):
        if limit is None:
            continue
        rows = np.flatnonzero((values != MISSING) & outside(values, int(limit * scale)))
        for pos in rows:
            text = (typed and typed(frame.index[pos], decl.name)) or (_plain(values[pos]) if scale == 100 else str(values[pos]))
            found.append((frame.index[pos], InputError(
                field=decl.name, value=text, message_zh=f"{decl.label_zh}{zh}{limit.normalize():f}，输入为 {text}",
                message_en=f"{decl.label_en} {en} {limit.normalize():f}, got {text}")))
    return found


def _missing(frame: Columns, name: str, policy: Policy) -> np.ndarray | None:
    """Where an input the items read was left blank (None: an input that cannot be blank)."""
    if name == "appraised_price":
        return frame["appraised_price_c"] == MISSING
    decl = policy.input(name)
    if decl is None or decl.type == "flag":
        return None
    values = frame[column(name)]
    if decl.type == "date":
        return np.isnat(values)
    if decl.type == "choice":
        return values < 0
    return values == MISSING


def _label(name: str, policy: Policy) -> tuple[str, str]:
    if name in FIELDS:
        return FIELDS[name]
    decl = policy.input(name)
    return (decl.label_zh, decl.label_en) if decl else (name, name)


class _SettledNames:
    """The names an expression reads over settled rows (the inputs and every area the engine computed), built once,
    when a check first needs them."""

    def __init__(self, frame: Columns, settled: dict[str, np.ndarray], loaded):
        self.frame, self.settled, self.loaded = frame, settled, loaded

    @cached_property
    def env(self) -> dict:
        from .engine import household_env

        env = household_env(self.frame, self.loaded.rules)
        for area in self.loaded.rules.schema.areas:
            env[area.key] = expr.Num(self.settled[area.col], units.M2)
        return env

    def mask(self, node) -> np.ndarray:
        n = len(self.frame)
        return np.ones(n, dtype=bool) if node is None else expr.as_array(expr.evaluate(node, self.env).data, n, dtype=bool)


def _required(names: _SettledNames) -> list[tuple[object, InputError]]:
    """An input is required where an item that applies reads it: the appraised price for cash, a signing date
    for a signing reward … The message names the item, so the clerk knows why."""
    frame, settled, loaded = names.frame, names.settled, names.loaded
    policy, schema, compiled = loaded.rules, loaded.rules.schema, loaded.compiled
    missing_of = {name: m for name in ["appraised_price", *(d.name for d in policy.inputs)]
                  if (m := _missing(frame, name, policy)) is not None and m.any()}
    found, seen = [], set()
    for ci in compiled.items:
        item, cols = ci.item, schema.item(ci.item.code)
        reads = set()
        for key, node in ci.exprs.items():
            if node is not None and key != "when":
                reads |= expr.names(node)
        refs = [item.rate, item.share, item.monthly_floor, item.floor, item.cap, item.date,
                *(o.rate for o in item.overrides), *(t.rate for t in item.tiers)]
        reads = sorted((reads | {r for r in refs if isinstance(r, str)}) & set(missing_of))
        if item.kind == "area_band" or not reads:
            continue
        if item.kind == "date_tiers":  # the engine's applies leaves out a blank date: ask for it where it could apply
            live = _options_mask(frame, item) & names.mask(ci.exprs.get("when"))
        else:  # where it applies to a quantity that is not zero
            live = settled[cols.col("applies")].copy()
            for k in range(4):
                if cols.col(f"q{k}") in settled:
                    live &= settled[cols.col(f"q{k}")] != 0
        for name in reads:
            zh, en = _label(name, policy)
            for pos in np.flatnonzero(live & missing_of[name]):
                if (pos, name) in seen:
                    continue
                seen.add((pos, name))
                found.append((frame.index[pos], InputError(
                    field=name, value="", message_zh=f"「{item.label_zh}」须提供{zh}",
                    message_en=f"{en} is required for {item.label_en}")))
    return found


def _options_mask(frame, item) -> np.ndarray:
    cash = frame["option"] == "cash"
    return np.logical_or.reduce([cash if o == "cash" else ~cash for o in item.options])


def _required_when(names: _SettledNames) -> list[tuple[object, InputError]]:
    frame, policy, compiled = names.frame, names.loaded.rules, names.loaded.compiled
    found = []
    for decl in policy.inputs:
        missing = _missing(frame, decl.name, policy)
        if missing is None or not missing.any():
            continue
        if decl.required:
            need = np.ones(len(frame), dtype=bool)
        elif decl.name in compiled.required_when:
            need = names.mask(compiled.required_when[decl.name])
        else:
            continue
        for pos in np.flatnonzero(need & missing):
            found.append((frame.index[pos], InputError(
                field=decl.name, value="", message_zh=f"缺少{decl.label_zh}",
                message_en=f"{decl.label_en} is required")))
    return found


def check_settled(frame: Columns, settled: dict[str, np.ndarray], loaded) -> list[tuple[object, InputError]]:
    """Checks that need the settled areas: inputs the applying items read, who may defer, and what."""
    names = _SettledNames(frame, settled, loaded)
    required = _required(names)
    named = {(idx, err.field) for idx, err in required}  # a blank input is reported once, with the item needing it
    required_when = [(idx, err) for idx, err in _required_when(names) if (idx, err.field) not in named]
    return required + required_when + _deferral(names) + check_printable(frame, settled, loaded)


def check_printable(frame: Columns, settled: dict[str, np.ndarray], loaded) -> list[tuple[object, InputError]]:
    """A row whose amount or total the documents cannot print (beyond 9,999,999,999.99 yuan) is an input error naming
    the amount. The policy check at load keeps every amount within this at the input limits; this holds anyway."""
    schema = loaded.rules.schema
    named = [(c.code, c.amount, c.item.label_zh, c.item.label_en) for c in schema.items]
    named += [(t.code, t.col, t.label_zh, t.label_en) for t in schema.totals]
    named += [(col, col, zh, en) for col, zh, en in (
        (schema.net_payable, "结算合计", "net settlement"), (schema.deferred_total, "缓交房款", "deferred total"),
        (schema.due_before_move_in, "入住前应交", "due before move-in"))]
    named += [(i.amount, i.amount, f"第{i.number}期缓交房款", f"installment {i.number}") for i in schema.installments]
    if schema.heating:
        named += [(col, col, zh, en) for col, zh, en in (("heating_standard_annual", "取暖费（标准）", "standard heating fee"),
                                                          ("heating_annual", "取暖费", "heating fee"))]
    found: list[tuple[object, InputError]] = []
    too_big = np.zeros(len(frame), dtype=bool)
    for code, col, zh, en in named:
        if col not in settled:
            continue
        rows = (np.abs(settled[col]) > MAX_FEN) & ~too_big
        for pos in np.flatnonzero(rows):
            shown = format(cents_to_decimal(int(settled[col][pos])), ",.2f")
            found.append((frame.index[pos], InputError(
                field=code, value=_plain(int(settled[col][pos])),
                message_zh=f"{zh}达{shown}元，超出文书可打印的最大金额9,999,999,999.99元，请核对面积和单价",
                message_en=f"the {en} would be {shown} yuan, beyond the 9,999,999,999.99 "
                           f"yuan the documents can print; check the areas and prices")))
        too_big |= rows
    return found


def _deferral(names: _SettledNames) -> list[tuple[object, InputError]]:
    """Deferral asked where the policy does not allow it, or with nothing to defer, is an input error."""
    frame, settled, policy, compiled = names.frame, names.settled, names.loaded.rules, names.loaded.compiled
    defer = frame["defer"]
    if not defer.any():
        return []
    if policy.deferral is None:
        return _row_errors(defer, frame, "defer", None, "本政策没有缓交规定", "this policy has no deferred payment")
    found: list[tuple[object, InputError]] = []
    cash = frame["option"] == "cash"
    options = {o for i in policy.deferrable_items for o in i.options}
    refused = np.zeros(len(frame), dtype=bool)
    for option, mask in (("cash", cash), ("in_kind", ~cash)):
        if option not in options:
            zh, en = OPTION_LABELS[option]
            rows = defer & mask & ~refused
            found += _row_errors(rows, frame, "defer", None, f"{zh}的住户没有可缓交的房款", f"a {en} household has no payment to defer")
            refused |= rows
    for part in _conjuncts(compiled.deferral_when):
        rows = defer & ~names.mask(part) & ~refused
        zh, en = _describe(part, policy)
        found += _row_errors(rows, frame, "defer", None, f"只有{zh}的住户可以申请缓交，该户不符合",
                         f"only a household that is {en} may defer payment; this household is not {en}")
        refused |= rows
    nothing = defer & ~refused & (settled[policy.schema.deferred_total] == 0)
    items = "、".join(i.label_zh for i in policy.deferrable_items)
    items_en = ", ".join(i.label_en for i in policy.deferrable_items)
    found += _row_errors(nothing, frame, "defer", None, f"该户没有可缓交的房款（{items}为0）", f"nothing to defer: the {items_en} amount is 0")
    return found


def _conjuncts(node) -> list:
    if node[0] == "and":
        return _conjuncts(node[1]) + _conjuncts(node[2])
    return [node]


def _describe(node, policy) -> tuple[str, str]:
    from .result import name_label

    if node[0] == "name":
        return name_label(node[1], policy)
    return expr.unparse(node), expr.unparse(node)


class RowWarnings(Sequence):
    """Warnings per computed row, held as one mask per kind; `warnings[i]` lists row i's (zh, en) messages."""

    def __init__(self, checks: list[tuple[np.ndarray, str, str]], length: int):
        self.checks = checks
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> list[tuple[str, str]]:
        if not -self.length <= i < self.length:
            raise IndexError(i)
        return [(zh, en) for mask, zh, en in self.checks if mask[i]]

    def any(self) -> np.ndarray:
        out = np.zeros(self.length, dtype=bool)
        for mask, _, _ in self.checks:
            out |= mask
        return out

    def joined(self, lang: str = "zh", sep: str = "；") -> np.ndarray:
        """One text per row (empty where none), built column-wise for the batch outputs."""
        out = np.full(self.length, "", dtype=object)
        for mask, zh, en in self.checks:
            text = zh if lang == "zh" else en
            rows = np.flatnonzero(mask)
            out[rows] = [f"{prev}{sep}{text}" if prev else text for prev in out[rows]]
        return out

    def joined_rows(self, lang: str = "zh", sep: str = "；") -> tuple[np.ndarray, list[str]]:
        """joined() for the rows that have a warning only: (their positions, their texts), for long columns where
        most rows have none."""
        rows = np.flatnonzero(self.any())
        if not len(rows):
            return rows, []
        few = RowWarnings([(np.asarray(mask)[rows], zh, en) for mask, zh, en in self.checks], len(rows))
        return rows, few.joined(lang, sep).tolist()


def row_warnings(frame: Columns, settled: dict[str, np.ndarray], policy: Policy) -> RowWarnings:
    """Per row: (zh, en) warnings — inputs rounded to 0.01, a non-standard unit (D2)."""
    checks = [
        ("rounded_original_area", "原房屋建筑面积已四舍五入到0.01㎡", "original area rounded half up to 0.01 m²"),
        ("rounded_unit_area", "选择户型面积已四舍五入到0.01㎡", "chosen unit area rounded half up to 0.01 m²"),
        ("rounded_appraised_price", "评估单价已四舍五入到0.01元", "appraised price rounded half up to 0.01 yuan"),
        ("rounded_heating_rate", "取暖费标准已四舍五入到0.01元", "heating rate rounded half up to 0.01 yuan"),
    ]
    if policy.heating is None:
        checks.pop()
    checks += [(f"rounded_{column(d.name)}", f"{d.label_zh}已四舍五入到0.01", f"{d.label_en} rounded half up to 0.01")
               for d in policy.inputs if d.type in ("area", "money")]
    masks = [(np.asarray(frame[col], dtype=bool), zh, en) for col, zh, en in checks]
    if policy.unit_types is not None:
        ref = policy.standard_area.non_standard_unit_decision
        types = [_plain(to_cents(t)[0]) for t in policy.type_areas]
        masks.append((np.asarray(settled["non_standard_unit"], dtype=bool),
                      f"选择面积不是标准户型（{'、'.join(types)}㎡），按实际面积计算" + (f"（{ref}）" if ref else ""),
                      f"the chosen area is not a standard unit type ({', '.join(types)} m²); computed as given"
                      + (f" ({ref})" if ref else "")))
    return RowWarnings(masks, len(frame))


__all__ = ["check_households", "check_settled", "row_warnings", "RowWarnings"]
