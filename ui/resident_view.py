"""The resident's own file as the page shows it: the name masked, the signed quote dated by the ledger, the flat, the
account as table rows, and what paying or not paying brings, in plain words."""
from __future__ import annotations

import datetime as dt

from calculator.fixed import fmt_money
from calculator.register.flats import m2
from calculator.register.resident import ResidentFile, ResidentFlat
from calculator.result import Quote
from ui.i18n import pick, t

PAYS = "pay"


def masked(name: str) -> str:
    """'潘杰萍' -> '潘**', 'Jane Roe' -> 'J*******': enough for the resident to know it is theirs, not enough for
    someone looking over their shoulder at a phone."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""


def agreement_file_name(number: int) -> str:
    return f"agreement_{number}.pdf"


def ledger_dates(account: dict | None) -> dict[int, str | None]:
    """Installment number -> its due date in the ledger (from the recorded move-in; None until the move-in)."""
    return {d["number"]: d["due_on"] for d in (account or {}).get("dues", []) if d["kind"] == "installment"}


def dated_by_ledger(quote: Quote, account: dict | None) -> Quote:
    """The quote with each installment dated as the ledger dates it: from the move-in the office recorded, not the
    move-in date the survey planned (which the quote was computed with). Until the move-in is recorded, no date:
    the page then says 'year N after move-in'. Amounts and shares are the quote's own."""
    dates = ledger_dates(account)  # none without an agreement: nothing is dated before one is signed and moved into
    installments = [i.model_copy(update={"due_date": dt.date.fromisoformat(dates[i.number]) if dates.get(i.number) else None})
                    for i in quote.deferred.installments]
    return quote.model_copy(update={"deferred": quote.deferred.model_copy(update={"installments": installments})})


def planned_dates_differ(quote: Quote, account: dict | None) -> bool:
    """Whether the quote (and the agreement document printed from it) dates an installment otherwise than the
    ledger does: the planned move-in was not the recorded one, or the move-in is not recorded yet."""
    dates = ledger_dates(account)
    return any(i.due_date is not None and (dates.get(i.number) or None) != i.due_date.isoformat()
               for i in quote.deferred.installments)


def flat_line(flat: ResidentFlat) -> str:
    """'1-1-301 · 3层 · 建筑面积 48.3㎡ · 48㎡户型'."""
    return t("res.flat_line", address=flat.address, floor=flat.floor, area=m2(flat.area_c), type=m2(flat.type_c))


def due_rows(account: dict) -> list[list[str]]:
    """Each amount the household pays or is paid: what it is, when it falls due (the ledger's date), how much."""
    return [[d["label"], d["due_on"] or (t("res.at_move_in") if d["kind"] == "before_move_in" else t("reg.not_dated")),
             fmt_money(d["amount_fen"])] for d in account["dues"]]


def receipt_rows(account: dict) -> list[list[str]]:
    return [[r["received_on"], r["receipt_no"], fmt_money(r["amount_fen"])] for r in account["receipts"]]


def payout_rows(account: dict) -> list[list[str]]:
    return [[p["paid_on"], p["voucher_no"], fmt_money(p["amount_fen"])] for p in account["payouts"]]


def _last_due(account: dict) -> str | None:
    dated = [d["due_on"] for d in account["dues"] if d["kind"] == "installment" and d["due_on"]]
    return max(dated) if dated else None


def consequences(file: ResidentFile) -> list[tuple[str, str]]:
    """What paying or not paying brings, as (kind, text): kind 'ok' (what paying brings), 'warn' (what not paying
    brings) or 'now' (where the household stands). In the policy's own words where it has them."""
    account, quote = file.account, file.quote
    if account is None or quote is None:
        return []
    lines: list[tuple[str, str]] = []
    deferred = quote.deferred
    owes = account["owed_fen"] > 0
    before = sum(d["amount_fen"] for d in account["dues"] if d["kind"] == "before_move_in")
    if before and file.moved_in_on is None and account["paid_fen"] < before:
        lines.append(("warn", t("res.pay_before_move_in", amount=fmt_money(before))))
    if deferred.installments and owes:
        last = _last_due(account)
        years = max(i.years_after_move_in for i in deferred.installments)
        by = t("res.by_day", day=last) if last else t("res.by_year", n=years)
        lines.append(("ok", t("res.if_paid", by=by, balance=fmt_money(account["balance_fen"]),
                              outcome=pick(deferred.on_full_payment_zh, deferred.on_full_payment_en))))
        lines.append(("warn", t("res.if_unpaid", by=by, outcome=pick(deferred.on_default_zh, deferred.on_default_en))))
    if account["payable_fen"]:
        lines.append(("ok", t("res.payable", amount=fmt_money(account["payable_fen"]),
                              paid=fmt_money(account["paid_out_fen"]), left=fmt_money(account["payout_due_fen"]))))
    if account["status_label"] and account["owed_fen"]:
        now = t("res.standing", status=account["status_label"], balance=fmt_money(account["balance_fen"]))
        if account["overdue_fen"]:
            now += t("res.overdue", amount=fmt_money(account["overdue_fen"]))
        lines.append(("now", now))
    if account["consequence"]:
        lines.append(("now", t("res.decided", outcome=pick(account["consequence"]["zh"], account["consequence"]["en"]))))
    return lines
