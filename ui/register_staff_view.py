"""What the signing, flats and receipts pages show: choices and tables in the page's language, money as 应交/应领 ¥."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from calculator.fixed import cents_to_decimal, fmt_money
from calculator.household import OPTION_LABELS
from calculator.register import dues as rules
from calculator.register.flats import m2
from calculator.register.queues import (
    Awaiting,
    FreeFlat,
    Housed,
    InForce,
    Receivable,
    Waiting,
)
from calculator.wording import signed_text
from ui.i18n import lang, pick, t


def net_text(net_fen: int) -> str:
    """'应交 ¥29,544.00' / 'receives ¥112,445.00': who pays, and a positive amount."""
    return signed_text(cents_to_decimal(net_fen), lang(), "¥")


def awaiting_label(a: Awaiting) -> str:
    return t("reg.sign.choice", household=a.household_no, name=a.name, option=pick(*OPTION_LABELS[a.option]),
             net=net_text(a.net_fen), version=a.offer_version)


def agreement_label(a: InForce) -> str:
    return t("reg.sign.agreement_choice", number=a.number, household=a.household_no, name=a.name,
             signed=a.signed_at.isoformat(sep=" ", timespec="minutes"))


def waiting_label(w: Waiting) -> str:
    return t("reg.flats.next", order=w.order_no, household=w.household_no, name=w.name, type=m2(w.type_c))


def flat_label(f: FreeFlat) -> str:
    return t("reg.flats.flat", address=f.address, floor=f.floor, area=m2(f.area_c))


def housed_label(h: Housed) -> str:
    return t("reg.flats.housed", household=h.household_no, name=h.name, address=h.address)


def _what(r: Receivable) -> str:
    zh, en = rules.KIND_LABELS[r.kind]
    return pick(zh, en).format(n=r.number)


def receivables_frame(rows: list[Receivable], overdue: bool = False) -> pd.DataFrame:
    """One row per amount to collect: household, what, due date, amount, balance (and overdue), the account's status."""
    frame = pd.DataFrame({
        t("reg.col_household"): [r.household_no for r in rows],
        t("reg.col_name"): [r.name for r in rows],
        t("reg.col_due"): [_what(r) for r in rows],
        t("reg.col_due_on"): [r.due_on.isoformat() if r.due_on else t("reg.receipts.at_move_in") for r in rows],
        t("reg.col_amount"): [fmt_money(r.amount_fen) for r in rows],
        t("reg.col_balance"): [fmt_money(r.balance_fen) for r in rows],
    })
    if overdue:
        frame[t("reg.col_overdue")] = [fmt_money(r.overdue_fen) for r in rows]
    frame[t("reg.receipts.col.status")] = [rules.status_label(r.status, lang()) for r in rows]
    return frame


def money_columns(frame: pd.DataFrame) -> dict:
    """Right-aligned money columns, so the decimals line up."""
    money = (t("reg.col_amount"), t("reg.col_balance"), t("reg.col_overdue"))
    return {c: st.column_config.TextColumn(c, alignment="right") for c in frame.columns if c in money}
