"""A household's file as the page shows it: its history as a timeline in words, and its records as tables."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from calculator.fixed import fmt_money
from calculator.register.dues import KIND_LABELS
from calculator.register.flats import m2
from calculator.register.ledger import SYSTEM_USER
from ui.i18n import lang, pick, t
from ui.register_households_view import net_text, option_label


@dataclass(frozen=True)
class Event:
    """One line of the timeline: when (UTC, to the minute), who, and what happened in words."""

    at: str
    user: str
    text: str


def when(stamp: str | None) -> str:
    """'2026-11-26 15:30:12Z' -> '2026-11-26 15:30 UTC'."""
    return "" if not stamp else f"{stamp[:16]} UTC"


def _dues(after: list) -> str:
    sep = "；" if lang() == "zh" else "; "
    return sep.join(f"{pick(*KIND_LABELS[d['kind']]).format(n=d['number'])} {fmt_money(d['amount_fen'])}" for d in after)


def _flat(after: dict) -> str:
    text = t("reg.t_flat", flat=after.get("address", ""), type=m2(after.get("type_c", 0)), area=m2(after.get("area_c", 0)))
    if after.get("out_of_turn"):
        text += "；" if lang() == "zh" else "; "
        text += t("reg.t_out_of_turn", reason=after["out_of_turn"])
    return text


def event_text(action: str, after) -> str:
    """The log entry in words: what a clerk would write in the paper file."""
    a = after if isinstance(after, dict) else {}
    if action == "household.add":
        return t("reg.t_add_short")
    if action == "household.update":
        return t("reg.t_update")
    if action == "offer.make":
        policy = a.get("policy") or {}
        return t("reg.t_offer", version=a.get("version"), option=option_label(a.get("option")), net=net_text(a.get("net_fen")),
                 policy=policy.get("id", ""), policy_version=policy.get("version", ""))
    if action == "agreement.sign":
        return t("reg.t_sign", number=a.get("number"), version=a.get("offer_version"), net=net_text(a.get("net_fen")))
    if action == "agreement.cancel":
        return t("reg.t_cancel", number=a.get("number"), reason=a.get("reason", ""))
    if action == "order.assign":
        method = t("reg.t_order_draw") if a.get("method") == "draw" else t("reg.t_order_signing")
        return t("reg.t_order", order_no=a.get("order_no"), method=method)
    if action == "flat.allocate":
        return _flat(a)
    if action == "account.open":
        return t("reg.t_account", dues=_dues(after if isinstance(after, list) else []))
    if action == "receipt.add":
        return t("reg.t_receipt", amount=fmt_money(a.get("amount_fen", 0)), receipt=a.get("receipt_no", ""),
                 date=a.get("received_on", ""))
    if action == "payout.add":
        return t("reg.t_payout", amount=fmt_money(a.get("amount_fen", 0)), voucher=a.get("voucher_no", ""),
                 date=a.get("paid_on", ""))
    if action == "household.move_in":
        return t("reg.t_move_in", date=a.get("moved_in_on", ""))
    if action == "flat.release":
        return t("reg.t_flat_release", number=a.get("agreement_number"))
    if action == "order.vacate":
        return t("reg.t_order_vacate", number=a.get("agreement_number"), order_no=a.get("order_no"))
    if action == "access_code.issue":
        return t("reg.t_access_code")
    if action == "login.lock":
        return t("reg.t_login_lock", until=when(str(a.get("locked_until", "")).replace("T", " ")))
    return t("reg.t_other")


def who(user: str) -> str:
    """The user in words: the register's own automatic work (an account opened for a report) is not a person's."""
    return t("reg.t_system") if user == SYSTEM_USER else user


def timeline(file: dict) -> list[Event]:
    """Every log entry filed under the household, oldest first: survey, offers, agreement (and its cancellation,
    the flat and moving-order place it releases), moving order, flat, account, receipts and payouts, move-in, and
    anything else the log holds about it."""
    return [Event(when(e["at"]), who(e["user"]), event_text(e["action"], e["after"])) for e in file["history"]]


def survey_frame(file: dict) -> pd.DataFrame:
    """The survey row as read, every column under the header the survey gave it."""
    cells = [(k, str(v)) for k, v in (file["survey"] or {}).items() if str(v) != ""]
    return pd.DataFrame({t("reg.col_heading"): [k for k, _ in cells], t("reg.col_cell"): [v for _, v in cells]})


def members_frame(file: dict) -> pd.DataFrame:
    members = file["members"]
    return pd.DataFrame({t("reg.col_name"): [m["name"] for m in members],
                         t("reg.col_relation"): [m["relation"] for m in members],
                         t("reg.col_id_number"): [m["id_number"] for m in members]})


def offers_frame(file: dict) -> pd.DataFrame:
    offers = file["offers"]
    return pd.DataFrame({t("reg.col_version"): [o["version"] for o in offers],
                         t("reg.col_policy"): [f"{o['policy']['id']} {o['policy']['version']}" for o in offers],
                         t("reg.col_option"): [option_label(o["option"]) for o in offers],
                         t("reg.col_net"): [net_text(o["net_fen"]) for o in offers],
                         t("reg.col_made"): [f"{when(o['created_at'])} · {o['created_by']}" for o in offers]})


def dues_frame(account: dict) -> pd.DataFrame:
    dues = account["dues"]
    return pd.DataFrame({t("reg.col_due"): [d["label"] for d in dues],
                         t("reg.col_due_on"): [d["due_on"] or t("reg.not_dated") for d in dues],
                         t("reg.col_amount"): [fmt_money(d["amount_fen"]) for d in dues]})


def receipts_frame(account: dict) -> pd.DataFrame:
    receipts = account["receipts"]
    return pd.DataFrame({t("reg.col_receipt"): [r["receipt_no"] for r in receipts],
                         t("reg.col_received_on"): [r["received_on"] for r in receipts],
                         t("reg.col_amount"): [fmt_money(r["amount_fen"]) for r in receipts]})
