"""Project-level figures of a survey run: unit demand against the planned mix, money totals, deferred receivables by year."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..fixed import div_round_half_up, to_cents
from ..policy import Policy
from .survey import SurveyRun


@dataclass
class DemandRow:
    """One group of the planned mix (e.g. 68 and 75 m² together), or the non-standard areas (types empty)."""

    types_c: list[int]  # unit type areas in 0.01 m²
    planned_share_pct: str  # '25', as in the policy; '' for non-standard areas
    planned_units: int  # share × in-kind households, rounded half up
    demand_units: int  # households that chose one of these types
    gap_units: int  # demand − planned: > 0 more units needed than planned


def unit_demand(run: SurveyRun, policy: Policy) -> list[DemandRow]:
    """Demand per unit-type group of the planned mix (L246), and the units short (+) or spare (−)."""
    results = run.settlement.results
    chosen = results.loc[~results["is_cash"].to_numpy(bool), "area_chosen"].to_numpy(np.int64)
    in_kind = len(chosen)
    rows, standard = [], np.zeros(in_kind, dtype=bool)
    for group in policy.unit_types.mix:
        types = [to_cents(t)[0] for t in group.types_m2]
        hit = np.isin(chosen, types)
        standard |= hit
        num, den = group.share.fraction
        planned = int(div_round_half_up(np.array([in_kind * num]), den)[0])
        rows.append(DemandRow(types, format(group.share.value.normalize(), "f"), planned, int(hit.sum()), int(hit.sum()) - planned))
    other = int((~standard).sum())
    rows.append(DemandRow([], "", 0, other, other))
    return rows


@dataclass
class ProjectTotals:
    """Money in fen, areas in 0.01 m², counts of households."""

    item_totals: dict[str, int]  # item code -> sum over computed households
    collected: int  # sum of what households pay (positive items)
    paid_out_cash: int  # cash compensation, as a positive amount
    paid_out_shortfall: int  # shortfall compensation, as a positive amount
    maintenance_fund: int
    net: int  # sum of net payable
    due_before_move_in: int
    deferred_total: int
    deferred_by_year: list[tuple[str, int, int]]  # (year or '' when no move-in date, installment number, amount)
    households: dict[str, int]  # in_kind, cash, low_income, regular, deferring
    area_original: int
    area_chosen: int
    heating_annual: int


def project_totals(run: SurveyRun, policy: Policy) -> ProjectTotals:
    results, inputs = run.settlement.results, run.settlement.inputs
    codes = [b.code for b in policy.in_kind.bands] + [policy.in_kind.maintenance_fund.code,
                                                      policy.in_kind.shortfall.code, policy.cash.code]
    items = {c: int(results[f"amount_{c}"].to_numpy(np.int64).sum()) for c in codes}
    collected = sum(int(np.clip(results[f"amount_{c}"].to_numpy(np.int64), 0, None).sum()) for c in codes)
    by_year: dict[tuple[str, int], int] = {}
    for n in range(1, len(policy.deferral.installments) + 1):
        amount = results[f"installment_{n}"].to_numpy(np.int64)
        due = pd.to_datetime(results[f"installment_{n}_due"])
        year = np.where(due.isna(), "", due.dt.year.astype("Int64").astype(str).to_numpy(dtype=object))
        frame = pd.DataFrame({"year": year, "amount": amount})[amount != 0]
        for y, total in frame.groupby("year")["amount"].sum().items():
            by_year[(y, n)] = by_year.get((y, n), 0) + int(total)
    deferred_by_year = sorted(((y, n, a) for (y, n), a in by_year.items()), key=lambda t: (t[0] == "", t[0], t[1]))
    cash = results["is_cash"].to_numpy(bool)
    low = inputs["low_income"].to_numpy(bool)
    households = {"in_kind": int((~cash).sum()), "cash": int(cash.sum()), "low_income": int(low.sum()),
                  "regular": int((~low).sum()), "deferring": int((results["deferred_total"].to_numpy() != 0).sum()),
                  "low_income_in_kind": int((low & ~cash).sum()), "low_income_cash": int((low & cash).sum())}
    return ProjectTotals(
        item_totals=items, collected=collected,
        paid_out_cash=-items[policy.cash.code], paid_out_shortfall=-items[policy.in_kind.shortfall.code],
        maintenance_fund=items[policy.in_kind.maintenance_fund.code],
        net=int(results["net_payable"].to_numpy(np.int64).sum()),
        due_before_move_in=int(results["due_before_move_in"].to_numpy(np.int64).sum()),
        deferred_total=int(results["deferred_total"].to_numpy(np.int64).sum()),
        deferred_by_year=deferred_by_year, households=households,
        area_original=int(results["area_original"].to_numpy(np.int64).sum()),
        area_chosen=int(results["area_chosen"].to_numpy(np.int64).sum()),
        heating_annual=int(results["heating_annual"].to_numpy(np.int64).sum()),
    )
