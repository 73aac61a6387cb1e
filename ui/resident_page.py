"""Page 我的档案 (a resident's own file), phone-first and read-only: who, the agreement and its PDF, the moving order and
the flat, what is paid and what is due (the ledger's dates), what paying or not brings, and the quote as signed.

The household is the signed-in resident's, read only from ui.signed_in (its project and household number together):
never from a query parameter, a widget or another session key, so nothing a browser sends can name another one."""
from __future__ import annotations

import streamlit as st

from calculator.fixed import fmt_money
from calculator.register.db import reading
from calculator.register.errors import RegisterError
from calculator.register.models import utc_now
from calculator.register.resident import ResidentFile, resident_file
from ui.format import inert
from ui.i18n import colon, lang, t
from ui.quote_view import (show_breakdown, show_deferral, show_heating, show_inputs, show_notes, show_policy_ref,
                           show_summary, show_totals)
from ui.register_db import engine
from ui.resident_view import (agreement_file_name, consequences, dated_by_ledger, due_rows, flat_line, masked,
                              payout_rows, planned_dates_differ, receipt_rows)
from ui.signed_in import SignedIn, current, sign_out
from ui.tables import show_table


def signed_in_resident() -> SignedIn | None:
    """The resident signed in to this session; otherwise a note to sign in (and None: the page shows nothing else)."""
    user = current()
    if not isinstance(user, SignedIn) or user.role != "resident" or not isinstance(user.project_id, int):
        st.info(t("res.sign_in"), icon=":material/lock:")
        return None
    return user


def read(user: SignedIn) -> ResidentFile | None:
    try:
        with reading(engine()) as session:
            return resident_file(session, user.project_id, user.name, utc_now().date(), lang())
    except RegisterError:
        st.info(t("res.not_found"), icon=":material/help:")
        return None


def show_who(file: ResidentFile) -> None:
    st.subheader(t("res.heading", number=inert(file.household_no), name=inert(masked(file.name))))
    st.caption(t("res.project", name=inert(file.project_name)))


def show_agreement(file: ResidentFile) -> None:
    st.subheader(t("res.agreement_title"))
    if not file.signed:
        st.info(t("res.not_signed") if file.quote else t("res.no_offer"), icon=":material/edit_document:")
        return
    st.markdown(t("res.agreement", number=file.agreement_no, date=file.signed_on.isoformat()))
    st.download_button(t("res.download"), file.document, file_name=agreement_file_name(file.agreement_no),
                       mime="application/pdf", icon=":material/download:", key="res_agreement_pdf", width="stretch")
    st.caption(t("res.document", sha=file.document_sha256[:12]))
    order_no = file.order_no if file.order_no is not None else t("res.order_none")
    st.markdown(f"{t('res.order')}{colon()}**{order_no}**")


def show_flat(file: ResidentFile) -> None:
    if not file.signed:
        return
    st.subheader(t("res.flat_title"))
    if file.flat is not None:
        st.markdown(f"**{inert(flat_line(file.flat))}**")
    elif file.quote.option == "cash":
        st.markdown(t("res.flat_cash"))
    else:
        st.markdown(t("res.flat_none"))
    if file.moved_in_on is not None:
        st.markdown(t("res.moved_in", date=file.moved_in_on.isoformat()))


def show_account(file: ResidentFile) -> None:
    account = file.account
    if account is None:
        return
    st.subheader(t("res.account_title"))
    if account["owed_fen"]:
        cols = st.container(key="resident_totals").columns(3)
        cols[0].metric(t("res.owed"), fmt_money(account["owed_fen"]))
        cols[1].metric(t("res.paid"), fmt_money(account["paid_fen"]))
        cols[2].metric(t("res.balance"), fmt_money(account["balance_fen"]))
    headers = [t("res.col_item"), t("res.col_due_on"), t("res.col_amount")]
    if any(d["direction"] == "pay" for d in account["dues"]):
        st.markdown(f"**{t('res.dues')}**")
        show_table(headers, due_rows({"dues": [d for d in account["dues"] if d["direction"] == "pay"]}), numeric={2},
                   total=[t("res.total"), "", fmt_money(account["owed_fen"])])
        st.markdown(f"**{t('res.receipts')}**")
        if account["receipts"]:
            show_table([t("res.col_received_on"), t("res.col_receipt"), t("res.col_amount")], receipt_rows(account),
                       numeric={2}, total=[t("res.total"), "", fmt_money(account["paid_fen"])])
        else:
            st.caption(t("res.no_receipts"))
    if account["payable_fen"]:
        st.markdown(f"**{t('res.payable_title')}**")
        show_table(headers, due_rows({"dues": [d for d in account["dues"] if d["direction"] == "receive"]}), numeric={2})
        if account["payouts"]:
            st.markdown(f"**{t('res.payouts')}**")
            show_table([t("res.col_paid_on"), t("res.col_voucher"), t("res.col_amount")], payout_rows(account),
                       numeric={2}, total=[t("res.total"), "", fmt_money(account["paid_out_fen"])])


def show_consequences(file: ResidentFile) -> None:
    lines = consequences(file)
    if not lines:
        return
    st.subheader(t("res.consequences"))
    for kind, text in lines:
        if kind == "ok":
            st.success(inert(text), icon=":material/verified:")
        elif kind == "warn":
            st.warning(inert(text), icon=":material/home_work:")
        else:
            st.info(inert(text), icon=":material/account_balance_wallet:")


def show_quote(file: ResidentFile) -> None:
    """The quote exactly as the counter renders it, its installments dated by the ledger (not the survey's plan)."""
    quote = file.quote
    if quote is None:
        return
    st.subheader(t("res.quote_signed") if file.signed else t("res.quote_offer"))
    show_summary(quote, masked(file.name))
    show_inputs(quote)
    show_totals(quote)
    show_breakdown(quote)
    show_notes(quote)
    show_deferral(dated_by_ledger(quote, file.account), file.policy)
    if file.signed and planned_dates_differ(quote, file.account):
        st.caption(t("res.dates_moved", moved_in=file.moved_in_on.isoformat()) if file.moved_in_on
                   else t("res.dates_later"))
    show_heating(quote, file.policy)
    show_policy_ref(quote)


def render() -> None:
    st.title(t("res.title"))
    user = signed_in_resident()
    if user is None:
        return
    file = read(user)
    if file is None:
        return
    with st.container(key="resident"):
        show_who(file)
        show_agreement(file)
        show_flat(file)
        show_account(file)
        show_consequences(file)
        show_quote(file)
        st.caption(t("res.read_only"))
        # On a phone the sidebar is folded away: the resident signs out here too (a shared phone, a counter screen).
        st.button(t("login.sign_out"), icon=":material/logout:", key="resident_sign_out", on_click=sign_out,
                  args=("login.signed_out",), width="stretch")


if __name__ == "__main__":
    render()
