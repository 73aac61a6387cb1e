"""The result a household gets: line items with the factors multiplied, areas, totals, deferral, heating,
decisions, warnings and the policy identity. build_quote only reads what the engine computed."""

import datetime as dt
import hashlib
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel

from . import units
from .engine import BOUND_CAP, BOUND_FLOOR, BOUND_MONTHLY_FLOOR, rate_options, share_options
from .fixed import cents_to_decimal, fmt_money
from .policy import DateParam, Item as ItemRule, LoadedPolicy, Param, Policy
from .policy_checks import CORE_NAMES

if TYPE_CHECKING:
    from .settlement import Settlement


class PolicyRef(BaseModel):
    id: str
    version: str
    sha256: str
    approved: bool  # False: every view prints approval.mark(sha256) (未经批准 / not approved)


class Factor(BaseModel):
    """One number an item's amount is the product of: the product of all values, rounded half up to the fen,
    is the amount's absolute value. A share is given as its multiplier (70 % is 0.7, unit '%')."""

    value: Decimal
    unit: str
    label_zh: str
    label_en: str

    def text(self, lang: str = "zh") -> str:
        if self.unit in ("%", "ratio"):  # a share reads best as a percentage: 0.7 -> 70%, 1.1 -> 110%
            return f"{_plain(self.value * 100)}%"
        dims = units.parse(self.unit)
        number = fmt_money(int(self.value * 100), "") if units.decimals(dims) == 2 else _plain(self.value)
        return f"{number} {units.label(self.unit, lang)}"


class Item(BaseModel):
    code: str
    kind: str
    label_zh: str
    label_en: str
    area: Decimal | None  # m², two decimals, where the item is charged on an area
    unit_price: Decimal | None  # the rate charged, in its unit (yuan/m² for an area)
    factors: list[Factor]
    amount: Decimal  # yuan; negative: the household receives it
    direction: Literal["pay", "receive"]
    settled: bool
    source: str
    note_zh: str = ""
    note_en: str = ""

    def formula(self, lang: str = "zh") -> str:
        """'52.30 ㎡ × 20.00 元/㎡·月 × 24 月 = 25,104.00': the factors and the amount, as the engine multiplied them."""
        return " × ".join(f.text(lang) for f in self.factors) + f" = {fmt_money(int(abs(self.amount) * 100), '')}"


class InstallmentOut(BaseModel):
    number: int
    years_after_move_in: int
    share_percent: Decimal
    due_date: dt.date | None
    amount: Decimal


class Deferred(BaseModel):
    total: Decimal
    installments: list[InstallmentOut]
    on_full_payment_zh: str | None = None
    on_full_payment_en: str | None = None
    on_default_zh: str | None = None
    on_default_en: str | None = None


class HeatingOut(BaseModel):
    energy_efficient: bool
    rate: Decimal  # yuan per m² per season
    rate_is_example: bool
    efficient_percent: Decimal
    standard_annual: Decimal
    annual: Decimal
    saving: Decimal


class DecisionOut(BaseModel):
    id: str
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str


class Warning(BaseModel):
    message_zh: str
    message_en: str


class TotalOut(BaseModel):
    code: str
    label_zh: str
    label_en: str
    amount: Decimal


class InputOut(BaseModel):
    """A declared input as given: its plain value ('4', 'tekun') and how a resident reads it in each language."""

    name: str
    label_zh: str
    label_en: str
    value: str
    text_zh: str
    text_en: str


class Quote(BaseModel):
    policy: PolicyRef
    household_id: str | None = None
    option: Literal["in_kind", "cash"]
    low_income: bool
    defer: bool
    move_in_date: dt.date | None
    inputs: list[InputOut] = []
    areas: dict[str, Decimal]
    items: list[Item]
    shown: list[Item] = []  # only shown to the household, not part of the settlement
    totals: list[TotalOut] = []
    net_payable: Decimal
    due_before_move_in: Decimal
    deferred: Deferred
    heating: HeatingOut | None
    decisions: list[DecisionOut]
    warnings: list[Warning]

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items + self.shown if i.code == code), None)

    def check_code(self) -> str:
        """Eight hex digits of the SHA-256 of this whole result ('3F2A-91C0'): printed on the statement and shown
        beside the quote on screen, so a clerk sees at a glance that the paper is the quote on the screen."""
        digest = hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:8].upper()
        return f"{digest[:4]}-{digest[4:]}"


def _plain(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def _d(cents) -> Decimal:
    return cents_to_decimal(int(cents))


def _date(value) -> dt.date | None:
    """A day from a numpy datetime64 (the arrays) or a pandas Timestamp (a frame's row); None for NaT or None."""
    if value is None or value != value:  # NaT is not equal to itself
        return None
    return np.datetime64(value, "D").item()


def name_label(name: str, policy: Policy) -> tuple[str, str]:
    """The zh/en label of a name an expression reads: a core quantity, an input, an area or a parameter."""
    if name in CORE_NAMES:
        zh, en = CORE_NAMES[name].split(" / ")
        return zh, en.split(" (")[0]
    if (decl := policy.input(name)) is not None:
        return decl.label_zh, decl.label_en
    if name in policy.areas:
        return policy.areas[name].label_zh, policy.areas[name].label_en
    if name in policy.params:
        return policy.params[name].label_zh, policy.params[name].label_en
    band = next((b for b in policy.bands if b.area_key == name), None)
    if band is not None:
        return band.label_zh, band.label_en
    return name, name


def _ref_param(ref, policy: Policy) -> Param | None:
    if isinstance(ref, Param):
        return ref
    found = policy.params.get(ref)
    return found if isinstance(found, Param) else None


def _ref_labels(ref, policy: Policy) -> tuple[str, str, str]:
    """(zh, en, unit) of a rate or share reference."""
    param = _ref_param(ref, policy)
    if param is not None:
        return param.label_zh, param.label_en, param.unit
    decl = policy.input(ref)
    if decl is not None:
        return decl.label_zh, decl.label_en, decl.unit or "m2"
    zh, en = name_label(ref, policy)
    return zh, en, "CNY/m2"  # the appraised price


def _share_value(ref, policy: Policy) -> tuple[Decimal, str]:
    param = _ref_param(ref, policy)
    return (param.value / 100 if param.unit == "%" else param.value), param.unit


QUANTITY_FIELDS = ("area", "count", "months", "amount")


def item_factors(rule: ItemRule, row, cols, policy: Policy) -> tuple[list[Factor], str, str]:
    """The factors of one item on one row, and a note where a floor, cap or tier decided the amount."""
    from .policy_checks import FACTOR_FIELDS

    factors: list[Factor] = []
    q = 0
    if rule.kind == "area_band":
        factors.append(Factor(value=_d(row[cols.col("q0")]), unit="m2", label_zh="面积", label_en="area"))
    else:
        for field_name, _ in FACTOR_FIELDS[rule.kind]:
            text = getattr(rule, field_name)
            if text is None:
                continue
            zh, en = name_label(text, policy) if text.isidentifier() else (text, text)
            value = int(row[cols.col(f"q{q}")])
            unit = {"area": "m2", "amount": "CNY"}.get(field_name) or _count_unit(text, field_name, policy)
            factors.append(Factor(value=_d(value) if field_name in ("area", "amount") else Decimal(value),
                                  unit=unit, label_zh=zh, label_en=en))
            q += 1
    pick = int(row[cols.col("rate_pick")])
    if rule.kind != "share_of_amount":
        ref = rate_options(rule)[pick] if rate_options(rule)[pick] is not None else rule.rate
        zh, en, unit = _ref_labels(ref, policy)
        places = _places(unit)
        rate = Decimal(int(row[cols.col("rate")])).scaleb(-places)
        factors.insert(len(factors) if rule.kind != "area_rate_months" else 1,
                       Factor(value=rate, unit=unit, label_zh=zh, label_en=en))
    share_index = int(row[cols.col("share_pick")])
    if share_index >= 0:
        ref = share_options(rule)[share_index]
        value, unit = _share_value(ref, policy)
        zh, en, _ = _ref_labels(ref, policy)
        if value != 1:
            factors.append(Factor(value=value, unit=unit, label_zh=zh, label_en=en))
    note_zh = note_en = ""
    bound = int(row[cols.col("bound")])
    if bound == BOUND_MONTHLY_FLOOR:
        zh, en, unit = _ref_labels(rule.monthly_floor, policy)
        months = next(f for f in factors if f.unit == "month")
        factors = [Factor(value=_d(row[cols.col("monthly_floor")]), unit=unit, label_zh=zh, label_en=en), months]
        note_zh, note_en = "按月计算不足保底标准，按保底标准计", "below the monthly floor: the floor applies"
    elif bound in (BOUND_FLOOR, BOUND_CAP):
        ref = rule.floor if bound == BOUND_FLOOR else rule.cap
        zh, en, unit = _ref_labels(ref, policy)
        param = _ref_param(ref, policy)
        factors = [Factor(value=param.value, unit=unit, label_zh=zh, label_en=en)]
        note_zh, note_en = ("低于保底金额，按保底金额计", "below the floor: the floor applies") if bound == BOUND_FLOOR \
            else ("超过封顶金额，按封顶金额计", "above the cap: the cap applies")
    if rule.kind == "date_tiers":
        start = policy.params[rule.start]
        days = int(row[cols.col("days")])
        start_date = start.value if isinstance(start, DateParam) else ""
        when_zh = f"{start.label_zh}（{start_date}）后第{days}天" if days >= 0 else f"{start.label_zh}（{start_date}）前签约，按第一档"
        when_en = f"day {days} after the {start.label_en} ({start_date})" if days >= 0 \
            else f"before the {start.label_en} ({start_date}): the first tier"
        note_zh = when_zh + (f"；{note_zh}" if note_zh else "")
        note_en = when_en + (f"; {note_en}" if note_en else "")
    return factors, note_zh, note_en


@lru_cache(maxsize=256)
def _places(unit: str) -> int:
    """Decimal places a rate in `unit` is kept to (parsed once per unit, not once per household)."""
    return units.decimals(units.parse(unit))


def _count_unit(text: str, field_name: str, policy: Policy) -> str:
    if field_name == "months":
        return "month"
    decl = policy.input(text)
    return decl.unit if decl is not None and decl.unit else "person"


def build_quote(outcome: "Settlement", position: int, loaded: LoadedPolicy) -> Quote:
    """Render row `position` of a settlement as a Quote (no arithmetic beyond reading the row)."""
    return quote_of_row(outcome.results.iloc[position], outcome.inputs.iloc[position], outcome.warnings[position],
                        loaded)


class RowView:
    """Row `position` of a frame read from its columns' arrays: what `frame.iloc[position][name]` gives, without
    building a pandas row per household."""

    __slots__ = ("arrays", "position")

    def __init__(self, arrays: dict, position: int):
        self.arrays, self.position = arrays, position

    def __getitem__(self, name: str):
        return self.arrays[name][self.position]


def build_quotes(outcome: "Settlement", loaded: LoadedPolicy):
    """Every row's Quote in order: build_quote for each row, with each column turned into an array once (the fast
    path for thousands of households)."""
    results = {c: outcome.results[c].to_numpy() for c in outcome.results.columns}
    inputs = {c: outcome.inputs[c].to_numpy() for c in outcome.inputs.columns}
    for position in range(len(outcome.inputs)):
        yield quote_of_row(RowView(results, position), RowView(inputs, position), outcome.warnings[position], loaded)


def quote_of_row(row, given, warnings: list[tuple[str, str]], loaded: LoadedPolicy) -> Quote:
    """A Quote from one row of engine output (`row`), the typed inputs it came from (`given`) and its warnings."""
    policy = loaded.rules
    schema = policy.schema
    cash = bool(row["is_cash"])
    low = bool(given["low_income"])

    used: list[str] = []
    items: list[Item] = []
    shown: list[Item] = []
    for cols in schema.items:
        rule = cols.item
        amount = int(row[cols.amount])
        if not row[cols.col("applies")] or (rule.hide_when_zero and amount == 0):
            continue
        factors, note_zh, note_en = item_factors(rule, row, cols, policy)
        area = next((f.value for f in factors if f.unit == "m2"), None)
        price = next((f.value for f in factors if f.unit.startswith("CNY/")), None)
        line = Item(code=rule.code, kind=rule.kind, label_zh=rule.label_zh, label_en=rule.label_en, area=area,
                    unit_price=price, factors=factors, amount=_d(amount), direction=rule.direction, settled=rule.settled,
                    source=rule.source, note_zh=note_zh, note_en=note_en)
        (items if rule.settled else shown).append(line)
        used += [use.id for i, use in enumerate(rule.decisions) if row[cols.col(f"decision{i}")]]

    sa = policy.standard_area
    if not cash:
        if row["used_above_largest_type"] and sa.above_largest_type_decision:
            used.append(sa.above_largest_type_decision)
        if row["non_standard_unit"] and sa.non_standard_unit_decision:
            used.append(sa.non_standard_unit_decision)
        if row["used_standard_floor"]:
            used += [f.decision for f in sa.floors if f.decision]

    areas = {a.key: _d(row[a.col]) for a in schema.areas}
    deferral = policy.deferral
    deferred = Deferred(total=_d(row[schema.deferred_total]), installments=[])
    if row[schema.deferred_total] != 0:
        deferred = Deferred(
            total=_d(row[schema.deferred_total]),
            installments=[
                InstallmentOut(number=inst.number, years_after_move_in=inst.years_after_move_in,
                               share_percent=rule.share.value, due_date=_date(row[inst.due]), amount=_d(row[inst.amount]))
                for inst, rule in zip(schema.installments, deferral.installments)
            ],
            on_full_payment_zh=deferral.on_full_payment_zh, on_full_payment_en=deferral.on_full_payment_en,
            on_default_zh=deferral.on_default_zh, on_default_en=deferral.on_default_en,
        )

    heating = None
    if not cash and policy.heating is not None:
        example = policy.heating.rate_is_example and not bool(given["heating_rate_given"])
        if example and policy.heating.rate_decision:
            used.append(policy.heating.rate_decision)
        heating = HeatingOut(
            energy_efficient=bool(given["energy_efficient"]), rate=_d(given["heating_rate_c"]), rate_is_example=example,
            efficient_percent=policy.heating.efficient_ratio.value,
            standard_annual=_d(row["heating_standard_annual"]), annual=_d(row["heating_annual"]),
            saving=_d(row["heating_saving"]),
        )

    decisions = [DecisionOut(**policy.decision(d).model_dump()) for d in sorted(set(used), key=lambda d: int(d[1:]))]
    ident = loaded.identity
    household_id = given["household_id"]
    return Quote(
        policy=PolicyRef(id=ident.id, version=ident.version, sha256=ident.sha256, approved=ident.approved),
        household_id=None if household_id is None or household_id != household_id else str(household_id),
        option="cash" if cash else "in_kind", low_income=low, defer=bool(row[schema.deferred_total] != 0),
        move_in_date=_date(given["move_in"]), inputs=_inputs(given, policy),
        areas=areas, items=items, shown=shown,
        totals=[TotalOut(code=t.code, label_zh=t.label_zh, label_en=t.label_en, amount=_d(row[t.col])) for t in schema.totals],
        net_payable=_d(row[schema.net_payable]), due_before_move_in=_d(row[schema.due_before_move_in]),
        deferred=deferred, heating=heating, decisions=decisions,
        warnings=[Warning(message_zh=zh, message_en=en) for zh, en in warnings],
    )


def _inputs(given, policy: Policy) -> list[InputOut]:
    from .inputs import column, value_text

    out = []
    for decl in policy.inputs:
        value = given[column(decl.name)]
        text = value_text(decl, value)
        if text:
            out.append(InputOut(name=decl.name, label_zh=decl.label_zh, label_en=decl.label_en, value=text,
                                text_zh=value_text(decl, value, "zh"), text_en=value_text(decl, value, "en")))
    return out
