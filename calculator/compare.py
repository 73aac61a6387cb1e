"""Plans compared over one survey (方案测算): each plan settles the same survey once; its totals (calculator.totals) and
flats (unit demand against the planned mix and an inventory); and, against the first plan, each household's net under
both, who is better or worse off, by decile of original area and by category, the largest changes and the change in
every total. Pure data: the xlsx/json report and the app page render it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from .batch.reader import read_grid, source_bytes
from .batch.summary import DemandRow, unit_demand
from .batch.survey import SurveyRun, settle_grid
from .plans import Plan
from .totals import ProjectTotals, project_totals

LARGEST = 10
DECILES = 10


@dataclass
class PlanResult:
    """One plan over the survey: its run (settlement, rejected rows, flags), totals and flats."""

    plan: Plan
    run: SurveyRun
    totals: ProjectTotals
    demand: list[DemandRow]


@dataclass
class GroupRow:
    """Households of one group (a decile of original area, or a category), and how the plan changes their net."""

    key: str
    label_zh: str
    label_en: str
    households: int
    better: int
    worse: int
    unchanged: int
    change_fen: int  # sum of the differences (plan − base; + the households pay more)
    mean_change_fen: int  # the mean difference, rounded half up to the fen


@dataclass
class Change:
    """A plan against the base plan, over the households computed under both. Differences are plan − base net, in
    fen: + the household pays more (or receives less) under the plan, − it is better off."""

    plan: int  # index into Comparison.results
    rows: np.ndarray  # spreadsheet row of each household computed under both
    household_id: np.ndarray
    low_income: np.ndarray
    cash_base: np.ndarray
    cash_plan: np.ndarray
    original_c: np.ndarray
    net_base: np.ndarray
    net_plan: np.ndarray
    difference: np.ndarray
    only_base: int  # computed under the base plan only (rejected under this one)
    only_plan: int
    deciles: list[GroupRow] = field(default_factory=list)
    categories: list[GroupRow] = field(default_factory=list)
    largest: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # positions of the largest |changes|

    @property
    def better(self) -> int:
        return int((self.difference < 0).sum())

    @property
    def worse(self) -> int:
        return int((self.difference > 0).sum())

    @property
    def unchanged(self) -> int:
        return int((self.difference == 0).sum())

    def share(self, count: int) -> str:
        return f"{count * 100 / len(self.difference):.1f}%" if len(self.difference) else "—"


@dataclass
class Comparison:
    source_name: str
    source_sha256: str
    results: list[PlanResult]
    changes: list[Change]  # each plan after the first, against the first
    inventory: dict[int, int] | None = None  # unit type area (0.01 m²) -> flats available

    @property
    def base(self) -> PlanResult:
        return self.results[0]


def _round_half_up(num: int, den: int) -> int:
    if den == 0:
        return 0
    q = (abs(num) * 2 + den) // (2 * den)
    return q if num >= 0 else -q


def _group(key, zh, en, diff: np.ndarray) -> GroupRow:
    total = int(diff.sum())
    return GroupRow(key, zh, en, len(diff), int((diff < 0).sum()), int((diff > 0).sum()), int((diff == 0).sum()),
                    total, _round_half_up(total, len(diff)))


def area_deciles(original_c: np.ndarray) -> np.ndarray:
    """Decile 0–9 of each household by original area: equal counts, ranked by area (ties in row order)."""
    n = len(original_c)
    out = np.zeros(n, dtype=np.int64)
    out[np.argsort(original_c, kind="stable")] = np.arange(n) * DECILES // max(n, 1)
    return out


def compare_two(base: PlanResult, other: PlanResult, index: int) -> Change:
    """The plan `other` against `base` over the households computed under both."""
    a, b = base.run.settlement, other.run.settlement
    common = a.inputs.index.intersection(b.inputs.index, sort=False)
    pos_a, pos_b = a.inputs.index.get_indexer(common), b.inputs.index.get_indexer(common)
    net_col_a, net_col_b = base.plan.loaded.rules.schema.net_payable, other.plan.loaded.rules.schema.net_payable
    net_a = a.results[net_col_a].to_numpy(np.int64)[pos_a]
    net_b = b.results[net_col_b].to_numpy(np.int64)[pos_b]
    diff = net_b - net_a
    original = a.inputs["original_area_c"].to_numpy(np.int64)[pos_a]
    low = a.inputs["low_income"].to_numpy(bool)[pos_a]
    change = Change(
        plan=index, rows=np.asarray(common, dtype=np.int64), household_id=a.inputs["household_id"].to_numpy(object)[pos_a],
        low_income=low, cash_base=a.results["is_cash"].to_numpy(bool)[pos_a],
        cash_plan=b.results["is_cash"].to_numpy(bool)[pos_b], original_c=original, net_base=net_a, net_plan=net_b,
        difference=diff, only_base=len(a.inputs) - len(common), only_plan=len(b.inputs) - len(common))
    decile = area_deciles(original)
    for d in range(DECILES):
        mask = decile == d
        if mask.any():
            low_m2, high_m2 = original[mask].min() / 100, original[mask].max() / 100
            span = f"{low_m2:,.2f}–{high_m2:,.2f}"
            change.deciles.append(_group(f"d{d + 1}", f"D{d + 1}（{span}㎡）", f"D{d + 1} ({span} m²)", diff[mask]))
    cash = change.cash_base
    for key, zh, en, mask in (("low_income", "低保户", "low-income", low), ("regular", "非低保户", "other households", ~low),
                              ("in_kind", "回迁安置户", "in-kind", ~cash), ("cash", "货币补偿户", "cash", cash)):
        change.categories.append(_group(key, zh, en, diff[mask]))
    order = np.lexsort((change.rows, -np.abs(diff)))  # largest first, then in row order
    change.largest = order[:LARGEST][diff[order[:LARGEST]] != 0]
    return change


def compare(source, plans: list[Plan], sheet: str | None = None, filename: str | None = None,
            inventory: dict[int, int] | None = None) -> Comparison:
    """Read the survey once and settle it under each plan (the first is the base the others are compared with)."""
    data, name = source_bytes(source)
    name = filename or name
    sha256 = hashlib.sha256(data).hexdigest()
    grid = read_grid(data, name, sheet)
    del data
    results = []
    for plan in plans:
        run = settle_grid(grid, plan.loaded, name, sha256)
        results.append(PlanResult(plan, run, project_totals(run.settlement, plan.loaded.rules),
                                  unit_demand(run, plan.loaded.rules)))
    changes = [compare_two(results[0], r, i) for i, r in enumerate(results[1:], 1)]
    return Comparison(name, sha256, results, changes, inventory)


def read_inventory(source) -> dict[int, int]:
    """A flats inventory (户型面积, 套数 per line; a header row is skipped): unit type area in 0.01 m² -> flats."""
    data, _ = source_bytes(source)
    grid = read_grid(data, "inventory.csv")
    out: dict[int, int] = {}
    for values in grid.cells.to_numpy().tolist():
        cells = [str(v).strip() for v in values if str(v).strip()]
        if len(cells) < 2:
            continue
        try:
            area, count = Decimal(cells[0].removesuffix("㎡").removesuffix("m2").strip()), int(cells[1])
        except (ArithmeticError, ValueError):
            continue  # a header or a note
        out[int(area * 100)] = out.get(int(area * 100), 0) + count
    return out


@dataclass
class FlatsRow:
    """A group of the planned mix (types empty: non-standard measured areas) under one plan."""

    types_c: list[int]
    planned_share_pct: str
    planned: int
    needed: int
    short_of_plan: int  # needed − planned: > 0, more flats needed than planned
    available: int | None  # in the inventory (None: no inventory given, or a non-standard area)
    short_of_stock: int | None


def flats_table(result: PlanResult, inventory: dict[int, int] | None) -> list[FlatsRow]:
    """Per group of the planned mix: planned, needed (chosen), short against the plan, and against the inventory."""
    rows = []
    for d in result.demand:
        available = sum(inventory.get(t, 0) for t in d.types_c) if inventory is not None and d.types_c else None
        rows.append(FlatsRow(d.types_c, d.planned_share_pct, d.planned_units, d.demand_units, d.gap_units, available,
                             None if available is None else d.demand_units - available))
    return rows
