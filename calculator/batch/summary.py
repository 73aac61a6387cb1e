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
    """Demand per unit-type group of the planned mix, and the units short (+) or spare (−); none without unit types."""
    if policy.unit_types is None:
        return []
    results = run.settlement.results
    chosen = results.loc[~results["is_cash"].to_numpy(bool), policy.schema.area_col("chosen")].to_numpy(np.int64)
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

    item_totals: dict[str, int]  # item code -> sum over computed households, every item of the policy
    collected: int  # sum of what households pay (the settled items they pay)
    paid_out: dict[str, int]  # settled item paid to households (code) -> the sum, as a positive amount
    net: int  # sum of net payable = collected − paid out
    due_before_move_in: int
    deferred_total: int
    deferred_by_year: list[tuple[str, int, int]]  # (year or '' when no move-in date, installment number, amount)
    households: dict[str, int]  # in_kind, cash, low_income, regular, deferring
    area_original: int
    area_chosen: int
    total_totals: dict[str, int]  # declared subtotal code -> sum
    heating_annual: int | None  # None: the policy has no heating fee

    @property
    def paid_out_total(self) -> int:
        return sum(self.paid_out.values())


def project_totals(run: SurveyRun, policy: Policy) -> ProjectTotals:
    results, inputs = run.settlement.results, run.settlement.inputs
    schema = policy.schema
    total = lambda col: int(results[col].to_numpy(np.int64).sum())
    items = {c.code: total(c.amount) for c in schema.items}
    by_year: dict[tuple[str, int], int] = {}
    for inst in schema.installments:
        amount = results[inst.amount].to_numpy(np.int64)
        due = pd.to_datetime(results[inst.due])
        year = np.where(due.isna(), "", due.dt.year.astype("Int64").astype(str).to_numpy(dtype=object))
        frame = pd.DataFrame({"year": year, "amount": amount})[amount != 0]
        for y, sub in frame.groupby("year")["amount"].sum().items():
            by_year[(y, inst.number)] = by_year.get((y, inst.number), 0) + int(sub)
    deferred_by_year = sorted(((y, n, a) for (y, n), a in by_year.items()), key=lambda t: (t[0] == "", t[0], t[1]))
    cash = results["is_cash"].to_numpy(bool)
    low = inputs["low_income"].to_numpy(bool)
    households = {"in_kind": int((~cash).sum()), "cash": int(cash.sum()), "low_income": int(low.sum()),
                  "regular": int((~low).sum()), "deferring": int((results[schema.deferred_total].to_numpy() != 0).sum()),
                  "low_income_in_kind": int((low & ~cash).sum()), "low_income_cash": int((low & cash).sum())}
    return ProjectTotals(
        item_totals=items, collected=sum(items[c.code] for c in schema.paid_items),
        paid_out={c.code: -items[c.code] for c in schema.received_items},
        net=total(schema.net_payable), due_before_move_in=total(schema.due_before_move_in),
        deferred_total=total(schema.deferred_total), deferred_by_year=deferred_by_year, households=households,
        area_original=total(schema.area_col("original")), area_chosen=total(schema.area_col("chosen")),
        total_totals={t.code: total(t.col) for t in schema.totals},
        heating_annual=total("heating_annual") if schema.heating else None,
    )
