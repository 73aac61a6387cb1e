"""The household list as the page shows it: rows filtered by a search and a stage, and the table's columns."""
from __future__ import annotations

import numpy as np
import pandas as pd

from calculator.fixed import fmt_money
from calculator.register.listing import HouseholdRow
from calculator.wording import signed_texts
from ui.i18n import lang, t


def stage_label(stage: str) -> str:
    return t(f"reg.stage_{stage}")


def option_label(option: str | None) -> str:
    return "" if option is None else t("reg.in_kind") if option == "in_kind" else t("reg.cash")


def net_text(net_fen: int | None) -> str:
    """应交 17,046.00 / 应领 125,911.00: the one sign convention, never a bare minus."""
    return "" if net_fen is None else signed_texts(np.array([net_fen], dtype=np.int64), lang())[0]


def matches(row: HouseholdRow, search: str) -> bool:
    """The search text within the household number, the name, the ID number or the flat (case ignored)."""
    needle = search.strip().lower()
    return not needle or any(needle in (v or "").lower() for v in (row.household_no, row.name, row.id_number, row.flat))


def filtered(rows: list[HouseholdRow], search: str, stage: str | None) -> list[HouseholdRow]:
    """The rows matching the search, at `stage` (None: every stage)."""
    return [r for r in rows if (stage is None or r.stage == stage) and matches(r, search)]


def households_frame(rows: list[HouseholdRow]) -> pd.DataFrame:
    def money(fen):
        return "" if fen is None else fmt_money(fen)

    def whole(n):
        return "" if n is None else str(n)

    return pd.DataFrame({
        t("reg.col_household"): [r.household_no for r in rows],
        t("reg.col_name"): [r.name for r in rows],
        t("reg.col_stage"): [stage_label(r.stage) for r in rows],
        t("reg.col_option"): [option_label(r.option) for r in rows],
        t("reg.col_net"): [net_text(r.net_fen) for r in rows],
        t("reg.col_agreement"): [whole(r.agreement_no) for r in rows],
        t("reg.col_order"): [whole(r.order_no) for r in rows],
        t("reg.col_flat"): [r.flat or "" for r in rows],
        t("reg.col_moved_in"): ["" if r.moved_in_on is None else r.moved_in_on.isoformat() for r in rows],
        t("reg.col_balance"): [money(r.balance_fen) for r in rows],
        t("reg.col_overdue"): [money(r.overdue_fen) if r.overdue_fen else "" for r in rows],
    })
