"""The result a household gets: line items, areas, totals, deferral, heating, decisions, warnings, policy identity."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

import pandas as pd
from pydantic import BaseModel

from .fixed import cents_to_decimal, to_cents
from .policy import LoadedPolicy

if TYPE_CHECKING:
    from .settlement import Settlement


class PolicyRef(BaseModel):
    id: str
    version: str
    sha256: str


class Item(BaseModel):
    code: str
    label_zh: str
    label_en: str
    area: Decimal  # m², two decimals
    unit_price: Decimal  # yuan per m², two decimals
    amount: Decimal  # yuan; negative: the household receives it
    source: str


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


class Quote(BaseModel):
    policy: PolicyRef
    household_id: str | None = None
    option: Literal["in_kind", "cash"]
    low_income: bool
    defer: bool
    move_in_date: dt.date | None
    areas: dict[str, Decimal]
    items: list[Item]
    net_payable: Decimal
    due_before_move_in: Decimal
    deferred: Deferred
    heating: HeatingOut | None
    decisions: list[DecisionOut]
    warnings: list[Warning]

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)


def _d(cents) -> Decimal:
    return cents_to_decimal(int(cents))


def _date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _scaled(price_fen, ratio: Decimal) -> int:
    """The unit price shown for a compensation line: the appraised price × the policy's ratio, to the fen."""
    return to_cents(cents_to_decimal(int(price_fen)) * ratio)[0]


def build_quote(outcome: "Settlement", position: int, loaded: LoadedPolicy) -> Quote:
    """Render row `position` of a settlement as a Quote (no arithmetic beyond reading the row)."""
    policy = loaded.rules
    row = outcome.results.iloc[position]
    given = outcome.inputs.iloc[position]
    cash = bool(row["is_cash"])
    low = bool(given["low_income"])
    labels = policy.item_labels()

    def item(code: str, area_col: str, price_cents: int) -> Item:
        zh, en, source = labels[code]
        return Item(code=code, label_zh=zh, label_en=en, area=_d(row[area_col]), unit_price=_d(price_cents),
                    amount=_d(row[f"amount_{code}"]), source=source)

    items: list[Item] = []
    used: list[str] = []
    if cash:
        items.append(item(policy.cash.code, "area_original", _scaled(given["appraised_price_c"], policy.cash.ratio.value)))
    else:
        for band in policy.in_kind.bands:
            price = band.low_income_price.value if low else band.price.value
            items.append(item(band.code, f"area_{band.area_key}", to_cents(price)[0]))
        fund = policy.in_kind.maintenance_fund
        fund_price = 0 if (low and fund.low_income_exempt) else to_cents(fund.rate.value)[0]
        items.append(item(fund.code, "area_chosen", fund_price))
        if row["area_shortfall"] > 0:
            sf = policy.in_kind.shortfall
            items.append(item(sf.code, "area_shortfall", _scaled(given["appraised_price_c"], sf.ratio.value)))
            used.append(sf.decision)
        if row["used_above_largest_type"]:
            used.append(policy.standard_area.above_largest_type_decision)
        if row["non_standard_unit"]:
            used.append(policy.standard_area.non_standard_unit_decision)
        if low and fund.low_income_decision:
            used.append(fund.low_income_decision)

    areas = {"original": _d(row["area_original"]), "standard": _d(row["area_standard"]), "chosen": _d(row["area_chosen"])}
    areas.update({b.area_key: _d(row[f"area_{b.area_key}"]) for b in policy.in_kind.bands})
    areas["shortfall"] = _d(row["area_shortfall"])

    deferral = policy.deferral
    deferred = Deferred(total=_d(row["deferred_total"]), installments=[])
    if row["deferred_total"] != 0:
        deferred = Deferred(
            total=_d(row["deferred_total"]),
            installments=[
                InstallmentOut(number=n, years_after_move_in=int(inst.years_after_move_in.value),
                               share_percent=inst.share.value, due_date=_date(row[f"installment_{n}_due"]),
                               amount=_d(row[f"installment_{n}"]))
                for n, inst in enumerate(deferral.installments, 1)
            ],
            on_full_payment_zh=deferral.on_full_payment_zh, on_full_payment_en=deferral.on_full_payment_en,
            on_default_zh=deferral.on_default_zh, on_default_en=deferral.on_default_en,
        )

    heating = None
    if not cash:
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
        policy=PolicyRef(id=ident.id, version=ident.version, sha256=ident.sha256),
        household_id=None if household_id is None or household_id != household_id else str(household_id),
        option="cash" if cash else "in_kind", low_income=low, defer=bool(row["deferred_total"] != 0),
        move_in_date=_date(given["move_in"]),
        areas=areas, items=items,
        net_payable=_d(row["net_payable"]), due_before_move_in=_d(row["due_before_move_in"]),
        deferred=deferred, heating=heating, decisions=decisions,
        warnings=[Warning(message_zh=zh, message_en=en) for zh, en in outcome.warnings[position]],
    )
