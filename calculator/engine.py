"""The settlement rules as plain functions over arrays: one function per concept, N households at once.

Areas are int64 hundredths of m², money int64 fen. Every number comes from the policy; none lives here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .dates import add_years
from .fixed import MISSING, area_times_price, times_fraction, to_cents
from .policy import Policy

OPEN_END = np.iinfo(np.int64).max // 4  # an upper bound no area reaches


def _cents(value) -> int:
    return to_cents(value)[0]


def standard_area(original_c: np.ndarray, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """S: the smallest unit type ≥ A (L276); above every type, A itself (D1). Returns (S, used D1)."""
    types = np.array([_cents(a) for a in policy.type_areas], dtype=np.int64)
    idx = np.searchsorted(types, original_c, side="left")
    above = idx >= len(types)
    return np.where(above, original_c, types[np.minimum(idx, len(types) - 1)]), above


def is_standard_type(unit_c: np.ndarray, policy: Policy) -> np.ndarray:
    types = np.array([_cents(a) for a in policy.type_areas], dtype=np.int64)
    return np.isin(unit_c, types)


def band_upper_bounds(original_c, standard_c, policy: Policy) -> list[np.ndarray]:
    """Each band's upper bound: a named area plus its offset, or open-ended."""
    named = {"original_area": original_c, "standard_area": standard_c}
    bounds = []
    for band in policy.in_kind.bands:
        if band.upper_bound == "none":
            bounds.append(np.full(len(original_c), OPEN_END, dtype=np.int64))
        else:
            bounds.append(named[band.upper_bound] + _cents(band.upper_bound_offset_m2))
    return bounds


def band_areas(unit_c, original_c, standard_c, policy: Policy) -> list[np.ndarray]:
    """The chosen area cut at the band bounds: a1 = min(U, A), a2 = max(0, min(U, S) − A), a3 = max(0, U − S)."""
    lower = np.zeros(len(unit_c), dtype=np.int64)
    areas = []
    for upper in band_upper_bounds(original_c, standard_c, policy):
        upper = np.maximum(upper, lower)
        areas.append(np.maximum(np.minimum(unit_c, upper) - lower, 0))
        lower = upper
    return areas


def band_amounts(areas, low_income, policy: Policy) -> list[np.ndarray]:
    """Each band's area × its price (the low-income price for 低保户, L278), rounded once."""
    amounts = []
    for area, band in zip(areas, policy.in_kind.bands):
        price = np.where(low_income, _cents(band.low_income_price.value), _cents(band.price.value))
        amounts.append(area_times_price(area, price))
    return amounts


def shortfall_area(unit_c, original_c) -> np.ndarray:
    """a0 = A − U when the chosen unit is smaller than the original home (D3)."""
    return np.maximum(original_c - unit_c, 0)


def shortfall_compensation(shortfall_c, appraised_fen, policy: Policy) -> np.ndarray:
    price = np.where(shortfall_c > 0, appraised_fen, 0)
    return -area_times_price(shortfall_c, price, policy.in_kind.shortfall.ratio.fraction)


def maintenance_fund(unit_c, low_income, policy: Policy) -> np.ndarray:
    fund = policy.in_kind.maintenance_fund
    amount = area_times_price(unit_c, np.full(len(unit_c), _cents(fund.rate.value)))
    return np.where(low_income & fund.low_income_exempt, 0, amount)


def cash_compensation(original_c, appraised_fen, policy: Policy) -> np.ndarray:
    return -area_times_price(original_c, appraised_fen, policy.cash.ratio.fraction)


def deferred_total(items: dict[str, np.ndarray], defer, policy: Policy) -> np.ndarray:
    """D: the deferrable items (the reasonable-extra part, L278) where deferral was asked for."""
    total = sum(items[code] for code in policy.deferral.deferrable_items)
    return np.where(defer, total, 0)


def deferred_installments(deferred: np.ndarray, policy: Policy) -> list[np.ndarray]:
    """Installments rounded half up; the last takes the remainder so they always sum to D."""
    parts, paid = [], np.zeros(len(deferred), dtype=np.int64)
    for inst in policy.deferral.installments[:-1]:
        part = times_fraction(deferred, inst.share.fraction)
        parts.append(part)
        paid = paid + part
    parts.append(deferred - paid)
    return parts


def installment_due_dates(move_in: np.ndarray, deferred: np.ndarray, policy: Policy) -> list[np.ndarray]:
    """Due dates N years after move-in, only where something is deferred (NaT elsewhere, and without a date)."""
    move_in = np.asarray(move_in).astype("datetime64[D]")
    rows = np.flatnonzero(deferred != 0)
    dues = []
    for inst in policy.deferral.installments:
        due = np.full(len(move_in), np.datetime64("NaT"), dtype="datetime64[D]")
        due[rows] = add_years(move_in[rows], int(inst.years_after_move_in.value))
        dues.append(due)
    return dues


def heating_fees(unit_c, rate_fen, efficient, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """(standard annual fee, annual fee): U × rate, × the efficient ratio for达标节能住宅 (L280), rounded once."""
    standard = area_times_price(unit_c, rate_fen)
    reduced = area_times_price(unit_c, rate_fen, policy.heating.efficient_ratio.fraction)
    return standard, np.where(efficient, reduced, standard)


def settle(frame: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Compute every area, item, total, installment and heating fee for the validated households in frame."""
    cash = (frame["option"] == "cash").to_numpy()
    original = frame["original_area_c"].to_numpy()
    unit = np.where(cash, 0, frame["unit_area_c"].to_numpy())
    low_income = frame["low_income"].to_numpy()
    appraised = np.where(frame["appraised_price_c"].to_numpy() == MISSING, 0, frame["appraised_price_c"].to_numpy())
    in_kind = ~cash

    out: dict[str, np.ndarray] = {}
    standard, above_types = standard_area(original, policy)
    out["area_original"] = original
    out["area_standard"] = np.where(in_kind, standard, 0)
    out["area_chosen"] = unit
    areas = band_areas(unit, original, standard, policy)
    for band, area in zip(policy.in_kind.bands, areas):
        out[f"area_{band.area_key}"] = area
    short = np.where(in_kind, shortfall_area(unit, original), 0)
    out["area_shortfall"] = short

    items: dict[str, np.ndarray] = {}
    for band, amount in zip(policy.in_kind.bands, band_amounts(areas, low_income, policy)):
        items[band.code] = np.where(in_kind, amount, 0)
    items[policy.in_kind.maintenance_fund.code] = np.where(in_kind, maintenance_fund(unit, low_income, policy), 0)
    items[policy.in_kind.shortfall.code] = np.where(in_kind, shortfall_compensation(short, appraised, policy), 0)
    items[policy.cash.code] = np.where(cash, cash_compensation(original, appraised, policy), 0)
    for code, amount in items.items():
        out[f"amount_{code}"] = amount
    net = sum(items.values())
    out["net_payable"] = net

    deferred = deferred_total(items, frame["defer"].to_numpy() & in_kind, policy)
    out["deferred_total"] = deferred
    out["due_before_move_in"] = net - deferred
    dues = installment_due_dates(frame["move_in"].to_numpy(), deferred, policy)
    for n, (part, due) in enumerate(zip(deferred_installments(deferred, policy), dues), 1):
        out[f"installment_{n}"] = part
        out[f"installment_{n}_due"] = due

    standard_fee, annual_fee = heating_fees(unit, frame["heating_rate_c"].to_numpy(), frame["energy_efficient"].to_numpy(), policy)
    out["heating_standard_annual"] = np.where(in_kind, standard_fee, 0)
    out["heating_annual"] = np.where(in_kind, annual_fee, 0)
    out["heating_saving"] = out["heating_standard_annual"] - out["heating_annual"]

    out["is_cash"] = cash
    out["used_above_largest_type"] = in_kind & above_types
    out["non_standard_unit"] = in_kind & ~is_standard_type(unit, policy)
    return pd.DataFrame(out, index=frame.index, copy=False)
