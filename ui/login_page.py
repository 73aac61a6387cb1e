"""Page 登录 (sign in to the register): staff by user name and password, a resident by household number and the
access code printed on their slip; on a register without users, the first supervisor is created here.

The register library checks everything (calculator/register/logins.py): the password or code, the lock-out after
repeated failures, a disabled user; it records every attempt. The page says what the library said, in the page's
language, and never whether a user or a household exists."""
from __future__ import annotations

import streamlit as st
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from calculator.register import passwords
from calculator.register.db import reading, transaction
from calculator.register.errors import RegisterError
from calculator.register.logins import LoginRefused, resident_login, staff_login
from calculator.register.models import User
from calculator.register.users import add_user
from ui.format import inert
from ui.i18n import pick, t
from ui.login_view import IDLE_MINUTES, first_run_problem, resident_form_problem, staff_form_problem
from ui.register_db import engine
from ui.register_staff import choose, refusal
from ui.signed_in import NOTE, sign_in

WHO = {"staff": "login.staff", "resident": "login.resident"}


def user_count(register: Engine) -> int:
    with reading(register) as session:
        return session.execute(select(func.count()).select_from(User)).scalar_one()


def refused(exc: RegisterError) -> None:
    """A login refused: the library's words (wrong name or password alike; locked, with the minutes left)."""
    icon = ":material/lock_clock:" if getattr(exc, "reason", "") == "locked" else ":material/block:"
    st.error(inert(pick(exc.message_zh, exc.message_en)), icon=icon)


def signed_in(login) -> None:
    """Keep who logged in and let app.py open their first page."""
    sign_in(login)
    st.rerun()


def attempt(problem: str | None, log_in) -> None:
    """A sent form: the field left blank (nothing sent to the register), or the register's answer to `log_in()`:
    signed in, or refused in its words."""
    if problem:
        st.error(t(problem), icon=":material/edit:")
        return
    try:
        login = log_in()
    except LoginRefused as exc:
        refused(exc)
        return
    signed_in(login)


def staff_form(register: Engine) -> None:
    with st.form("login_staff_form"):
        name = st.text_input(t("login.name"), key="login_name", max_chars=100, autocomplete="username")
        password = st.text_input(t("login.password"), type="password", key="login_password", max_chars=200,
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("login.submit"), type="primary", icon=":material/login:",
                                          key="login_staff_submit")
    if submitted:
        attempt(staff_form_problem(name, password), lambda: staff_login(register, name, password))


def resident_form(register: Engine) -> None:
    st.caption(t("login.resident_intro"))
    with st.form("login_resident_form"):
        household_no = st.text_input(t("login.household"), key="login_household", max_chars=100)
        code = st.text_input(t("login.code"), type="password", key="login_code", max_chars=40,
                             placeholder="ABCD-EFGH-JKLM", help=t("login.code_help"), autocomplete="off")
        submitted = st.form_submit_button(t("login.resident_submit"), type="primary", icon=":material/search:",
                                          key="login_resident_submit")
    if submitted:
        attempt(resident_form_problem(household_no, code), lambda: resident_login(register, household_no, code))


def first_run(register: Engine) -> None:
    """No user yet: the first one, a supervisor, is created here (the library lets only the first user add themself)
    and signed in."""
    st.info(t("login.first_run"), icon=":material/person_add:")
    with st.form("login_first_form"):
        name = st.text_input(t("login.name"), key="login_first_name", max_chars=100, autocomplete="username")
        rule = t("login.password_rule", min=passwords.MIN_LENGTH, max=passwords.MAX_LENGTH)
        password = st.text_input(t("login.new_password"), type="password", key="login_first_password",
                                 max_chars=passwords.MAX_LENGTH, help=rule, autocomplete="new-password")
        again = st.text_input(t("login.password_again"), type="password", key="login_first_again",
                              max_chars=passwords.MAX_LENGTH, autocomplete="new-password")
        st.caption(rule)
        submitted = st.form_submit_button(t("login.first_submit"), type="primary", icon=":material/person_add:",
                                          key="login_first_submit")
    if not submitted:
        return
    problem = first_run_problem(name, password, again)
    if problem:
        st.error(t(problem), icon=":material/edit:")
        return
    if user_count(register):  # someone else was quicker; the library would refuse too (only a supervisor adds users)
        st.error(t("login.first_run_taken"), icon=":material/block:")
        return
    try:
        with transaction(register) as session:
            add_user(session, name=name.strip(), role="supervisor", by=name.strip(), password=password)
    except RegisterError as exc:
        refusal(exc)
        return
    signed_in(staff_login(register, name, password))


def render() -> None:
    st.title(t("login.title"))
    note = st.session_state.pop(NOTE, None)
    if note:
        st.warning(t(note, minutes=IDLE_MINUTES), icon=":material/logout:")
    try:
        register = engine()
        users = user_count(register)
    except (RegisterError, SQLAlchemyError):
        st.error(t("login.no_register_open"), icon=":material/database:")
        return
    if not users:
        first_run(register)
        return
    if st.session_state.get("login_first_submit"):  # a first-run form sent after someone else made the first user
        st.error(t("login.first_run_taken"), icon=":material/block:")
    who = choose(st.radio, t("login.who"), {k: t(word) for k, word in WHO.items()}, "login_who", horizontal=True)
    if who == "resident":
        resident_form(register)
    else:
        staff_form(register)


if __name__ == "__main__":
    render()
