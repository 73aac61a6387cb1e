"""What the 方案测算 page shows of a Comparison: totals side by side, who gains and loses, flats, two quotes of one household."""
from __future__ import annotations

import pandas as pd

from calculator.approval import NOT_APPROVED
from calculator.compare import Change, Comparison, flats_table
from calculator.compare_report import letter, totals_rows
from calculator.fixed import CENTS, fmt_money
from calculator.result import build_quote
from calculator.totals import GROUPS
from calculator.wording import signed_text

from ui.i18n import lang, pick, t


def plan_name(i: int) -> str:
    return t("plan.plan", x=letter(i))


def plans_frame(comparison: Comparison) -> pd.DataFrame:
    rows = []
    for i, r in enumerate(comparison.results):
        c = r.run.counts
        mark = "" if r.plan.loaded.identity.approved else f" · {pick(*NOT_APPROVED)}"
        rows.append({t("plan.col_plan"): plan_name(i), t("plan.col_policy"): r.plan.label + mark,
                     "SHA-256": r.plan.sha256[:16] + "…", t("b.computed"): c.computed, t("b.rejected"): c.rejected})
    return pd.DataFrame(rows)


def totals_frame(comparison: Comparison, group: str = "all") -> pd.DataFrame:
    """Each figure under each plan, and its change from plan A, for one group of households."""
    rows = totals_rows(comparison, group)
    out = pd.DataFrame({t("b.figure"): [pick(r["label_zh"], r["label_en"]) for r in rows]})
    for i in range(len(comparison.results)):
        out[plan_name(i)] = [fmt_money(r["fen"][i]) if r["fen"][i] is not None else "" for r in rows]
    for i in range(1, len(comparison.results)):
        out[t("plan.change", x=letter(i))] = [fmt_money(r["change_fen"][i - 1]) if r["change_fen"][i - 1] is not None
                                           else "" for r in rows]
    out[t("b.sums")] = [pick(r["sums_zh"], r["sums_en"]) for r in rows]
    return out


def group_names() -> dict[str, str]:
    return {g: pick(*names) for g, names in GROUPS.items()}


def groups_chart_frame(change: Change) -> pd.DataFrame:
    """Mean difference (yuan) per decile of original area (D1 smallest homes … D10) and per category, in that order:
    float only to place the bars; the tooltip shows the exact amount and the decile's areas."""
    rows = [{"group": f"D{k}", "yuan": g.mean_change_fen / CENTS, "text": f"{pick(g.label_zh, g.label_en)}: "
             f"{fmt_money(g.mean_change_fen)}"} for k, g in enumerate(change.deciles, 1)]
    rows += [{"group": pick(g.label_zh, g.label_en), "yuan": g.mean_change_fen / CENTS,
              "text": fmt_money(g.mean_change_fen)} for g in change.categories]
    return pd.DataFrame(rows, columns=["group", "yuan", "text"])


def groups_frame(change: Change) -> pd.DataFrame:
    groups = change.deciles + change.categories
    return pd.DataFrame({
        t("plan.group"): [pick(g.label_zh, g.label_en) for g in groups],
        t("b.households"): [g.households for g in groups], t("plan.better"): [g.better for g in groups],
        t("plan.worse"): [g.worse for g in groups], t("plan.unchanged"): [g.unchanged for g in groups],
        t("plan.total_change"): [fmt_money(g.change_fen) for g in groups],
        t("plan.mean_change"): [fmt_money(g.mean_change_fen) for g in groups]})


def largest_frame(change: Change) -> pd.DataFrame:
    p = change.largest
    x = letter(change.plan)
    return pd.DataFrame({t("col.row"): change.rows[p], t("plan.household"): change.household_id[p],
                         plan_name(0): [fmt_money(int(v)) for v in change.net_base[p]],
                         plan_name(change.plan): [fmt_money(int(v)) for v in change.net_plan[p]],
                         t("plan.change", x=x): [fmt_money(int(v)) for v in change.difference[p]]})


def flats_frame(comparison: Comparison) -> pd.DataFrame:
    """Flats needed per type group under each plan, against the planned mix (and the inventory), for a chart."""
    rows = []
    for i, r in enumerate(comparison.results):
        for f in flats_table(r, comparison.inventory):
            group = "/".join(f"{c / 100:g}" for c in f.types_c) + " ㎡" if f.types_c else t("b.non_standard")
            rows.append({"group": group, "series": plan_name(i), "flats": f.needed})
            if i == 0 and f.types_c:
                rows.append({"group": group, "series": t("plan.planned"), "flats": f.planned})
                if f.available is not None:
                    rows.append({"group": group, "series": t("plan.available"), "flats": f.available})
    return pd.DataFrame(rows, columns=["group", "series", "flats"])


def quotes_frame(comparison: Comparison, change: Change, position: int) -> pd.DataFrame:
    """One household's two quotes side by side, item by item (each line as the counter prints it)."""
    row = int(change.rows[position])
    lines: dict[str, dict[str, str]] = {}
    nets = {}
    for i in (0, change.plan):
        result = comparison.results[i]
        settlement = result.run.settlement
        quote = build_quote(settlement, settlement.inputs.index.get_loc(row), result.plan.loaded)
        for item in quote.items:
            line = lines.setdefault(pick(item.label_zh, item.label_en), {})
            line[plan_name(i)] = item.formula(lang())  # the factors multiplied, = the amount
        nets[plan_name(i)] = signed_text(quote.net_payable, lang(), "¥")
    lines[t("plan.net")] = nets
    names = [plan_name(0), plan_name(change.plan)]
    return pd.DataFrame({t("plan.item"): list(lines), **{n: [v.get(n, "") for v in lines.values()] for n in names}})
