"""Page 收款 (receipts): what falls due this month, who is overdue, record a receipt (the library's refusals named by
field), and print a receipt as a one-page PDF."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from calculator.fixed import fmt_money
from calculator.register import ledger, queues
from calculator.register.cli_ledger import parse_yuan
from calculator.statements.pdf_receipt import receipt_pdf
from ui.i18n import lang, t
from ui.register_staff import choose, done, project_or_stop, read, show_done, staff_or_stop, write
from ui.register_staff_view import money_columns, receivables_frame

PRINT_KEY = "reg_receipt_print"


def open_accounts(project) -> None:
    """Accounts of agreements signed since the ledger was last used (as the reports open them)."""
    write(lambda s: ledger.open_accounts(s, project.id, ledger.SYSTEM_USER))


def collections(project) -> None:
    as_of = st.date_input(t("reg.receipts.as_of"), value=dt.date.today(), key="reg_receipts_as_of")
    due, overdue = read(queues.receivables, project.id, as_of)
    st.subheader(t("reg.receipts.due_title", month=as_of.strftime("%Y-%m")))
    if due:
        frame = receivables_frame(due)
        st.dataframe(frame, hide_index=True, column_config=money_columns(frame))
    else:
        st.caption(t("reg.receipts.none_due"))
    st.subheader(t("reg.receipts.overdue_title"))
    if overdue:
        frame = receivables_frame(overdue, overdue=True)
        st.dataframe(frame, hide_index=True, column_config=money_columns(frame))
    else:
        st.caption(t("reg.receipts.none_overdue"))


def record(project, user) -> None:
    st.subheader(t("reg.receipts.record_title"))
    in_force = read(queues.agreements_in_force, project.id)
    by_no = {a.household_no: a for a in in_force}
    with st.form("reg_receipt_form", clear_on_submit=False):
        household_no = choose(st.selectbox, t("reg.receipts.household"),
                              {no: t("reg.receipts.household_choice", household=no, name=a.name) for no, a in by_no.items()},
                              key="reg_receipt_household", index=None, placeholder=t("reg.receipts.household_pick"))
        left, middle, right = st.columns(3)
        day = left.date_input(t("reg.receipts.date"), value=dt.date.today(), key="reg_receipt_date")
        amount = middle.text_input(t("reg.receipts.amount"), key="reg_receipt_amount", placeholder="1680.00")
        receipt_no = right.text_input(t("reg.receipts.receipt_no"), key="reg_receipt_no")
        submitted = st.form_submit_button(t("reg.receipts.record"), type="primary", icon=":material/payments:")
    if not submitted:
        return

    def receive(session):
        fen = parse_yuan(amount)
        ledger.open_accounts(session, project.id, user.name)
        receipt = ledger.receive(session, project.id, household_no=household_no or "", receipt_no=receipt_no,
                                 received_on=day, amount_fen=fen, clerk=user.name)
        session.flush()
        return queues.receipt_slip(session, project, receipt.receipt_no)

    slip = write(receive)
    if slip is not None:
        st.session_state[PRINT_KEY] = slip.receipt_no
        done(t("reg.receipts.recorded", receipt=slip.receipt_no, household=slip.household_no,
               amount=fmt_money(slip.amount_fen), balance=fmt_money(slip.balance_after_fen)))


def printing(project) -> None:
    st.subheader(t("reg.receipts.print_title"))
    recent = read(queues.recent_receipts, project.id)
    if not recent:
        st.caption(t("reg.receipts.none_recorded"))
        return
    labels = {no: t("reg.receipts.receipt_choice", receipt=no, household=h, date=on.isoformat(), amount=fmt_money(fen))
              for no, h, on, fen in recent}
    just_recorded = st.session_state.pop(PRINT_KEY, None)
    if just_recorded in labels:  # the receipt just recorded is the one to print
        st.session_state["reg_receipt_pick"] = labels[just_recorded]
    chosen = choose(st.selectbox, t("reg.receipts.pick"), labels, key="reg_receipt_pick")
    slip = read(queues.receipt_slip, project, chosen)
    st.download_button(t("reg.receipts.print"), receipt_pdf(slip, lang()), file_name=f"receipt_{chosen}.pdf",
                       mime="application/pdf", icon=":material/print:", key="reg_receipt_pdf")


user = staff_or_stop()
project = project_or_stop()
st.title(t("reg.receipts.title"))
show_done()
open_accounts(project)
collections(project)
st.divider()
record(project, user)
st.divider()
printing(project)
