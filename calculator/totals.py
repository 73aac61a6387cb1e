"""Every project total of a settled survey, computed once and named by what it sums.

Each figure (collected, paid out, net, before move-in, deferred, each item, each declared subtotal) is a sum of named
items over households, for all households and by option and category. The batch page, the workbook's 项目汇总, the
batch summary on screen, the public notice and the policy comparison read these figures and their names; none of
them sums a result column itself (two sums called alike once reached users: issue 10).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .policy import Policy

# Groups of households each figure is given for: (zh, en).
GROUPS = {
    "all": ("全部住户", "all households"),
    "in_kind": ("回迁安置户", "in-kind households"),
    "cash": ("货币补偿户", "cash households"),
    "low_income": ("低保户", "low-income households"),
    "regular": ("非低保户", "other households (not low-income)"),
}
COUNTS = {**GROUPS, "deferring": ("申请缓交户", "households deferring"),
          "low_income_in_kind": ("低保户中回迁安置", "low-income, in-kind"),
          "low_income_cash": ("低保户中货币补偿", "low-income, cash")}


@dataclass(frozen=True)
class Figure:
    """One total: its name, the items it sums (codes and their labels joined), and fen for each group of households.
    Amounts are positive as named: '向住户收取' and '向住户支付' are both ≥ 0; a net is + where households pay."""

    code: str  # collected, paid_out, net, due_before_move_in, deferred, item:<code>, total:<code>
    label_zh: str
    label_en: str
    items: tuple[str, ...]  # the item codes summed
    sums_zh: str  # what is summed, in words: '原面积部分结构差价 + 合理享受面积部分 + …'
    sums_en: str
    fen: dict[str, int]  # group -> amount in fen

    @property
    def total(self) -> int:
        return self.fen["all"]

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def sums(self, lang: str) -> str:
        return self.sums_zh if lang == "zh" else self.sums_en


@dataclass
class ProjectTotals:
    """Money in fen, areas in 0.01 m², counts of households."""

    households: dict[str, int]  # COUNTS key -> households
    figures: list[Figure]
    deferred_by_year: list[tuple[str, int, int]]  # (year due, '' without a move-in date; installment; fen)
    area_original_c: int
    area_chosen_c: int
    heating_season_fen: int | None  # the heating fees of one season (not settled); None: the policy has none
    column_fen: dict[str, int] = field(default_factory=dict)  # each money column of the results -> its sum, as signed

    def figure(self, code: str) -> Figure:
        return next(f for f in self.figures if f.code == code)

    def has(self, code: str) -> bool:
        return any(f.code == code for f in self.figures)

    @property
    def headline(self) -> list[Figure]:
        """The figures a page shows first: collected, paid out, net, and deferred where the policy defers."""
        return [f for f in self.figures if f.code in ("collected", "paid_out", "net", "deferred")]

    @property
    def by_item(self) -> list[Figure]:
        return [f for f in self.figures if f.code.startswith("item:")]

    @property
    def summary(self) -> list[Figure]:
        """The sums over several items: collected, paid out, declared subtotals, net, before move-in, deferred."""
        return [f for f in self.figures if not f.code.startswith("item:")]

    def plus(self, other: "ProjectTotals") -> "ProjectTotals":
        """The totals of two parts of one survey (chunks of a streamed file) added."""
        add = lambda a, b: {k: a.get(k, 0) + b.get(k, 0) for k in {**a, **b}}
        by_year: dict[tuple[str, int], int] = {}
        for year, number, fen in self.deferred_by_year + other.deferred_by_year:
            by_year[(year, number)] = by_year.get((year, number), 0) + fen
        heating = None if self.heating_season_fen is None else self.heating_season_fen + other.heating_season_fen
        return ProjectTotals(
            households=add(self.households, other.households),
            figures=[replace(f, fen=add(f.fen, other.figure(f.code).fen)) for f in self.figures],
            deferred_by_year=_sorted_years(by_year), area_original_c=self.area_original_c + other.area_original_c,
            area_chosen_c=self.area_chosen_c + other.area_chosen_c, heating_season_fen=heating,
            column_fen=add(self.column_fen, other.column_fen))


def _sorted_years(by_year: dict[tuple[str, int], int]) -> list[tuple[str, int, int]]:
    return sorted(((y, n, a) for (y, n), a in by_year.items()), key=lambda t: (t[0] == "", t[0], t[1]))


def group_masks(inputs: pd.DataFrame, results: pd.DataFrame) -> dict[str, np.ndarray]:
    cash = results["is_cash"].to_numpy(bool)
    low = inputs["low_income"].to_numpy(bool)
    return {"all": np.ones(len(cash), dtype=bool), "in_kind": ~cash, "cash": cash, "low_income": low, "regular": ~low}


def _sum_text(items: list, sign: int, lang: str) -> str:
    """'A + B − C': the items' labels with the sign each enters the figure (a receive item lowers a net)."""
    if not items:
        return "（无）" if lang == "zh" else "(none)"
    text = ""
    for item in items:
        minus = sign * (-1 if item.direction == "receive" else 1) < 0
        label = item.label_zh if lang == "zh" else item.label_en
        text += ("− " if minus else "+ " if text else "") + label + " "
    return text.strip()


def project_totals(settlement, policy: Policy) -> ProjectTotals:
    """Every total of a settlement (its .inputs and .results), over whole columns: one matrix product sums each
    money column for each group of households, exactly in int64."""
    inputs, results = settlement.inputs, settlement.results
    schema = policy.schema
    masks = group_masks(inputs, results)
    money = [c.amount for c in schema.items] + [t.col for t in schema.totals] + [schema.net_payable]
    if schema.installments:
        money += [schema.due_before_move_in, schema.deferred_total] + [i.amount for i in schema.installments]
    if schema.heating:
        money += ["heating_annual"]
    # Each money column summed for each group as an integer dot product with the group's 0/1 mask, exact in int64
    # (numpy's integer matrix product, with no BLAS behind it, took four times as long on a 100,000-row chunk).
    weights = [m.astype(np.int64) for m in masks.values()]
    by_column = {}
    for col in money:
        values = results[col].to_numpy(np.int64)
        by_column[col] = {g: int(np.dot(values, w)) for g, w in zip(masks, weights)}

    def figure(code, zh, en, items, sign=1, sums_zh=None, sums_en=None, column=None):
        labels = [schema.item(i).item for i in items]
        if column is not None:
            fen = by_column[column]
        else:
            fen = {g: sum(by_column[schema.item(i).amount][g] for i in items) for g in masks}
        return Figure(code, zh, en, tuple(items), sums_zh or _sum_text(labels, sign, "zh"),
                      sums_en or _sum_text(labels, sign, "en"), {g: sign * v for g, v in fen.items()})

    paid = [c.code for c in schema.paid_items]
    received = [c.code for c in schema.received_items]
    settled = [c.code for c in schema.settled_items]
    figures = []
    for c in schema.items:
        note = ("", "") if c.item.settled else ("（仅列示，不计入结算）", " (shown only, not settled)")
        figures.append(figure(f"item:{c.code}", c.item.label_zh + note[0], c.item.label_en + note[1], [c.code],
                              -1 if c.item.direction == "receive" else 1))
    figures.append(figure("collected", "向住户收取合计", "collected from households", paid))
    figures.append(figure("paid_out", "向住户支付合计", "paid out to households", received, -1))
    figures += [figure(f"total:{t.code}", t.label_zh, t.label_en, list(t.items), column=t.col) for t in schema.totals]
    figures.append(figure("net", "净额（收取 − 支付）", "net (collected − paid out)", settled, column=schema.net_payable))
    if schema.installments:
        deferrable = [i.code for i in policy.deferrable_items]
        names = [schema.item(i).item for i in deferrable]
        figures.append(figure("due_before_move_in", "入住前应交合计", "due before move-in", settled,
                              sums_zh="净额 − 缓交应收合计", sums_en="net − deferred receivables",
                              column=schema.due_before_move_in))
        figures.append(figure("deferred", "缓交应收合计", "deferred receivables", deferrable,
                              sums_zh=_sum_text(names, 1, "zh") + "（申请缓交的住户）",
                              sums_en=_sum_text(names, 1, "en") + " (households deferring)",
                              column=schema.deferred_total))

    by_year: dict[tuple[str, int], int] = {}
    for inst in schema.installments:
        amount = results[inst.amount].to_numpy(np.int64)
        due = np.asarray(results[inst.due].to_numpy(), dtype="datetime64[s]")
        owed = amount != 0
        owed_fen, years = amount[owed], due[owed].astype("datetime64[Y]")  # NaT (no due date) stays NaT: the "" year
        for year in np.unique(years):  # NaT sorts last, once
            at = np.isnat(years) if np.isnat(year) else years == year
            by_year[("" if np.isnat(year) else str(year.astype(int) + 1970), inst.number)] = int(owed_fen[at].sum())
    deferring = results[schema.deferred_total].to_numpy(np.int64) != 0
    low, cash = masks["low_income"], masks["cash"]
    households = {g: int(m.sum()) for g, m in masks.items()}
    households |= {"deferring": int(deferring.sum()), "low_income_in_kind": int((low & ~cash).sum()),
                   "low_income_cash": int((low & cash).sum())}
    return ProjectTotals(
        households=households, figures=figures, deferred_by_year=_sorted_years(by_year),
        area_original_c=int(results[schema.area_col("original")].to_numpy(np.int64).sum()),
        area_chosen_c=int(results[schema.area_col("chosen")].to_numpy(np.int64).sum()),
        heating_season_fen=by_column["heating_annual"]["all"] if schema.heating else None,
        column_fen={col: v["all"] for col, v in by_column.items()})
