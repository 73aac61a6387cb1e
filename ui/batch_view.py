"""What a survey run shows: recognized columns, rejected rows, a results preview, totals and chart data."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from calculator.batch.headers import field_names
from calculator.fixed import CENTS, cents_to_decimal, fmt_money, to_cents
from calculator.household import FIELDS, OPTION_LABELS
from calculator.policy import Policy
from calculator.totals import GROUPS, ProjectTotals
from calculator.wording import signed_text

from ui.format import plain
from ui.i18n import lang, pick, t

def field_label(field: str | None, policy: Policy | None = None) -> str:
    """A recognized column as the reader says it: a household field, a column carried through, or an input the
    policy declares (persons, signing date …); never its code."""
    if field is None:
        return t("b.unrecognized")
    return pick(*field_names(field, policy))


def columns_frame(columns: dict[str, str | None], policy: Policy | None = None) -> pd.DataFrame:
    return pd.DataFrame({t("col.header"): list(columns),
                         t("col.field"): [field_label(f, policy) for f in columns.values()]})


def errors_frame(errors, policy: Policy | None = None) -> pd.DataFrame:
    return pd.DataFrame({
        t("col.row"): [e.row for e in errors],
        t("col.header"): [getattr(e, "column", None) or "" for e in errors],
        t("col.field_name"): [field_label(e.field, policy) for e in errors],
        t("col.value"): [e.value for e in errors],
        t("col.reason"): [pick(e.message_zh, e.message_en) for e in errors],
    })


def _money_column(fen: pd.Series) -> list[str]:
    return [fmt_money(v) for v in fen.to_numpy()]


def _area_column(cm2: pd.Series) -> list[str]:
    return [f"{v / CENTS:,.2f}" for v in cm2.to_numpy()]  # display of an exact int; the digits match fmt_cents


def results_frame(inputs: pd.DataFrame, results: pd.DataFrame, limit: int, policy: Policy) -> pd.DataFrame:
    """The first `limit` settled rows, money as ¥1,234.56 text (exact, and as the workbook shows it).
    Columns come from the policy's result schema: a policy without deferral or heating has no such column."""
    schema = policy.schema
    inputs, results = inputs.head(limit), results.head(limit)
    options = [pick(*OPTION_LABELS["cash" if c else "in_kind"]) for c in results["is_cash"].to_numpy()]
    out = pd.DataFrame({
        t("col.row"): inputs.index.to_numpy(),
        pick(*FIELDS["household_id"]): inputs["household_id"].to_numpy(),
        t("q.option"): options,
        _area_header("original_area"): _area_column(results[schema.area_col("original")]),
        _area_header("unit_area"): [s if not c else "" for s, c in zip(_area_column(results[schema.area_col("chosen")]),
                                                                      results["is_cash"])],
        t("q.net_payable"): _signed_column(results[schema.net_payable]),
    })
    if policy.deferral is not None:
        out[t("q.due_before")] = _signed_column(results[schema.due_before_move_in])
        out[t("q.deferred")] = _money_column(results[schema.deferred_total])
    if policy.heating is not None:
        out[t("q.heating_annual")] = [m if not c else "" for m, c in zip(_money_column(results["heating_annual"]),
                                                                         results["is_cash"])]
    if "name" in inputs:
        out.insert(2, pick(*FIELDS["name"]), inputs["name"].fillna("").to_numpy())
    return out


def _area_header(field: str) -> str:
    """原房屋建筑面积（㎡）: an area column by its field's label, never a letter (A, U) or a code."""
    return f"{pick(*FIELDS[field])}{'（㎡）' if lang() == 'zh' else ' (m²)'}"


def _signed_column(fen: pd.Series) -> list[str]:
    """'应交 ¥29,544.00' / '应领 ¥112,445.00': who pays, and a positive amount (calculator/wording.py)."""
    return [signed_text(cents_to_decimal(v), lang(), "¥") for v in fen.to_numpy()]


def right_aligned(frame: pd.DataFrame) -> dict:
    """Column config that right-aligns the area and money text columns so the decimals line up."""
    numeric = [c for c in frame.columns if c in (_area_header("original_area"), _area_header("unit_area")) or c in
               (t("q.net_payable"), t("q.due_before"), t("q.deferred"), t("q.heating_annual"))]
    return {c: st.column_config.TextColumn(c, alignment="right") for c in numeric}


def headline(totals: ProjectTotals) -> list[tuple[str, str, str]]:
    """(label, ¥ amount, what it sums) of the first figures: the same names and numbers as the workbook's 项目汇总."""
    return [(f.label(lang()), fmt_money(f.total), f.sums(lang())) for f in totals.headline]


def totals_frame(totals: ProjectTotals) -> pd.DataFrame:
    """Every figure of the project totals by group of households, as the workbook's 项目汇总 lays it out."""
    figures = totals.by_item + totals.summary
    out = pd.DataFrame({t("b.figure"): [f.label(lang()) for f in figures]})
    for group, names in GROUPS.items():
        out[pick(*names)] = [fmt_money(f.fen[group]) for f in figures]
    out[t("b.sums")] = [f.sums(lang()) for f in figures]
    return out


def flags_frame(flags) -> pd.DataFrame:
    """请核实: each value to verify, as the workbook's sheet of that name lists it."""
    return pd.DataFrame({
        t("col.row"): [f.row for f in flags],
        pick(*FIELDS["household_id"]): [f.household_id for f in flags],
        t("col.field_name"): [pick(f.label_zh, f.label_en) for f in flags],
        t("col.value"): [f.shown(lang()) for f in flags],
        t("col.reason"): [f.reason(lang()) for f in flags],
    })


def demand_frame(results: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per group of the planned mix: the share of in-kind households choosing it and the planned share (%).
    Empty for a policy without unit types."""
    if policy.unit_types is None:
        return pd.DataFrame(columns=["group", "series", "share"])
    chosen = results.loc[~results["is_cash"], policy.schema.area_col("chosen")].to_numpy()
    total = max(len(chosen), 1)
    rows, counted = [], 0
    for group in policy.unit_types.mix:
        cm2 = [to_cents(x)[0] for x in group.types_m2]
        n = int(pd.Series(chosen).isin(cm2).sum())
        counted += n
        name = "/".join(plain(x) for x in group.types_m2) + " ㎡"
        rows.append({"group": name, "series": t("b.series_demand"), "share": 100 * n / total})
        rows.append({"group": name, "series": t("b.series_plan"), "share": float(group.share.value)})
    if len(chosen) - counted:
        rows.append({"group": t("b.non_standard"), "series": t("b.series_demand"),
                     "share": 100 * (len(chosen) - counted) / total})
    return pd.DataFrame(rows)


def net_frame(results: pd.DataFrame, bins: int = 30, net_column: str = "net_payable") -> pd.DataFrame:
    """Households per range of net payable, counted here so a survey of any size sends the chart ~30 rows.
    Yuan as float only to place the bars; the amounts shown as text stay exact."""
    yuan = results[net_column].to_numpy() / CENTS
    counts, edges = np.histogram(yuan, bins=bins)
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "households": counts,
                         "range": [f"{fmt_money(round(a * CENTS))} – {fmt_money(round(b * CENTS))}"
                                   for a, b in zip(edges[:-1], edges[1:])]})


def option_totals_frame(totals: ProjectTotals) -> pd.DataFrame:
    """The net (collected − paid out) of each option's households, from the project totals."""
    net = totals.figure("net")
    rows = []
    for key in ("in_kind", "cash"):
        fen = net.fen[key]
        rows.append({"option": pick(*OPTION_LABELS[key]), "yuan": fen / CENTS, "text": fmt_money(fen),
                     "households": totals.households[key]})
    return pd.DataFrame(rows)
