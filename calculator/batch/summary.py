"""Flats of a survey run: unit demand against the planned mix (the money totals are calculator.totals)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
