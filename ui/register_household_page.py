"""Page 住户档案 (a household's file): where it stands, its history as a timeline, and its records."""
from __future__ import annotations

import streamlit as st

from calculator.fixed import fmt_money
from calculator.register import access_codes, ledger, listing
from calculator.register.access_slip import household_slip
from calculator.register.db import reading, transaction
from calculator.register.errors import RegisterError
from calculator.register.household_file import household_file
from calculator.register.models import utc_now
from ui.format import inert
from ui.i18n import lang, t
from ui.register_db import FILE_NUMBER, chosen_project, engine, refused, staff_user
from ui.register_household_view import (
    dues_frame,
    members_frame,
    offers_frame,
    receipts_frame,
    survey_frame,
    timeline,
)
from ui.register_households_view import net_text, stage_label


CODE_KEY = "reg_file_code"  # (project code, household number, code, slip PDF) of the code just issued: shown once


def access_code(project, number: str, user) -> None:
    """Issue the household a new access code (the old one stops working) and offer its slip to print."""
    held = st.session_state.get(CODE_KEY)
    shown = bool(held) and held[:2] == (project.code, number)
    with st.expander(t("reg.f_code_title"), icon=":material/key:", expanded=shown):
        st.caption(t("reg.f_code_help"))
        if st.button(t("reg.f_code_issue"), key="reg_file_code_issue"):
            try:
                with transaction(engine()) as session:
                    household = ledger.household_by_no(session, project.id, number)
                    code = access_codes.issue(session, household, user.name)
                    slip = household_slip(session, project, household, code, user.name, lang=lang())
            except RegisterError as exc:
                refused(exc)
                return
            st.session_state[CODE_KEY] = (project.code, number, code, slip)
            st.rerun()  # the file is drawn again with the issue in its timeline; the code is kept to show once
        if shown:
            st.success(t("reg.f_code_issued", number=inert(number), code=held[2]), icon=":material/key:")
            st.download_button(t("reg.f_code_slip"), held[3], file_name=f"access_code_{number}.pdf",
                               mime="application/pdf", icon=":material/print:", key="reg_file_code_slip")


def read_file(project, number: str, as_of):
    """The household's file, its line of the list and its account on as_of (RegisterError if unknown)."""
    with reading(engine()) as session:
        file = household_file(session, project, number)
        household = ledger.household_by_no(session, project.id, number)
        row = listing.households(session, project.id, as_of, household.id)[0]
        account = ledger.account(session, household, as_of, lang())
    return file, row, account


def show_standing(row: listing.HouseholdRow, account: dict) -> None:
    none = t("reg.f_none")
    cols = st.columns(2) + st.columns(2)
    cols[0].metric(t("reg.f_stage"), stage_label(row.stage))
    cols[1].metric(t("reg.f_offer"), net_text(row.net_fen) or none)
    cols[2].metric(t("reg.f_agreement"), t("reg.f_agreement_no", n=row.agreement_no) if row.agreement_no else none)
    cols[3].metric(t("reg.f_flat"), row.flat or none)
    if account["status_label"]:
        st.caption(t("reg.f_payment", status=account["status_label"]) + " · "
                   + f"{t('reg.f_balance')} {fmt_money(account['balance_fen'])}")


def show_timeline(file: dict) -> None:
    st.subheader(t("reg.f_timeline"))
    for event in timeline(file):
        st.markdown(f"**{inert(event.text)}**  \n{inert(t('reg.t_by', at=event.at, user=event.user))}")


def show_records(file: dict, account: dict) -> None:
    with st.expander(t("reg.f_survey", row=file["survey_row"])):
        st.dataframe(survey_frame(file), hide_index=True, width="stretch")
    with st.expander(t("reg.f_members")):
        st.dataframe(members_frame(file), hide_index=True, width="stretch")
    with st.expander(t("reg.f_offers")):
        st.dataframe(offers_frame(file), hide_index=True, width="stretch")
    if account["dues"] or account["receipts"]:
        with st.expander(t("reg.f_account"), expanded=True):
            st.dataframe(dues_frame(account), hide_index=True, width="stretch")
            if account["receipts"]:
                st.dataframe(receipts_frame(account), hide_index=True, width="stretch")


def render() -> None:
    st.title(t("reg.f_title"))
    user = staff_user()
    if user is None:
        return
    project = chosen_project()
    if project is None:
        return
    number_col, day_col = st.columns([3, 1])
    number = number_col.text_input(t("reg.f_household"), key=FILE_NUMBER, help=t("reg.f_household_help")).strip()
    as_of = day_col.date_input(t("reg.as_of"), value=utc_now().date(), key="reg_file_as_of")
    if not number:
        st.caption(t("reg.f_household_help"))
        return
    try:
        file, row, account = read_file(project, number, as_of)
    except RegisterError as exc:
        refused(exc)
        return
    st.subheader(t("reg.f_heading", number=inert(file["household_no"]), name=inert(file["name"])))
    show_standing(row, account)
    access_code(project, file["household_no"], user)
    show_timeline(file)
    show_records(file, account)


if __name__ == "__main__":
    render()
