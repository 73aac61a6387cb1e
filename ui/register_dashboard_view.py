"""The dashboard's tables and chart data, read from the register's reports (reports.py) and never recomputed."""
from __future__ import annotations

import pandas as pd

from calculator.fixed import fmt_money
from calculator.register.reports import Report
from ui.i18n import lang, t


def one_language(text: str) -> str:
    """A report's label given in both languages ('合计 / total', as the xlsx shows it) in the page's language."""
    zh, sep, en = (part.strip() for part in text.partition("/"))
    if not sep or not any("\u4e00" <= ch <= "\u9fff" for ch in zh) or any("\u4e00" <= ch <= "\u9fff" for ch in en):
        return text
    return zh if lang() == "zh" else en


def report_frame(report: Report) -> pd.DataFrame:
    """A report as a table in the page's language: money to the fen, shares in %, the other language's columns left out."""
    other = "_en" if lang() == "zh" else "_zh"
    shown = [(i, c) for i, c in enumerate(report.columns) if not c.key.endswith(other)]

    def cell(value, kind):
        if value is None:
            return ""
        if kind == "fen":
            return fmt_money(value)
        if kind == "percent":
            return f"{value}%"
        if kind == "count":
            return f"{int(value):,}"
        return one_language(str(value))

    return pd.DataFrame({c.label(lang()): [cell(row[i], c.kind) for row in report.rows] for i, c in shown})


def funnel_frame(progress: Report) -> pd.DataFrame:
    """Households at each stage of the progress report, in its order."""
    at = 0 if lang() == "zh" else 1
    return pd.DataFrame({"stage": [row[at] for row in progress.rows], "households": [row[2] for row in progress.rows],
                         "text": [f"{row[2]:,}" + ("" if row[3] is None else f" ({row[3]}%)") for row in progress.rows]})


def months_frame(funds: Report) -> pd.DataFrame:
    """Expected and received by month (the report's last two rows, not yet dated and the total, are not months)."""
    rows = []
    for month, expected, received, *_ in funds.rows[:-2]:
        for series, fen in ((t("reg.d_expected"), expected), (t("reg.d_received"), received)):
            rows.append({"month": month, "series": series, "yuan": fen / 100, "text": fmt_money(fen)})  # float only to draw
    return pd.DataFrame(rows, columns=["month", "series", "yuan", "text"])


def mix_frame(flats: Report) -> pd.DataFrame:
    """Per group of unit types: the planned share, the share of the flats, and the share of in-kind agreements."""
    signed_total = sum(row[3] for row in flats.rows)
    rows = []
    for types, planned, inventory, agreements, *_ in flats.rows:
        signed = agreements * 100 / signed_total if signed_total else None
        for series, share in ((t("reg.d_planned"), planned), (t("reg.d_inventory"), inventory), (t("reg.d_signed"), signed)):
            rows.append({"group": types, "series": series, "share": None if share is None else float(share)})
    return pd.DataFrame(rows, columns=["group", "series", "share"])
