"""Who is signed in to the register in this browser session: the one place pages read it from.

The login page (ui/login_page.py) puts a `SignedIn` here after checking the password or access code in the
register, with the library's `Login` it came from (kept to ask the register, on every run, whether the session may
go on: ui/session_guard.py) and the time of the last run (for the idle timeout). Staff pages and the resident view
only read it. Rights are enforced again in the register library (calculator/register), by the user's name and
role, so a page that forgot to check still cannot write.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

KEY = "register_signed_in"
LOGIN = "register_login"  # the register's Login (calculator/register/logins.py) behind the SignedIn
LAST_SEEN = "register_last_seen"  # time.time() of the signed-in user's last run of the app
NOTE = "register_signed_out_note"  # why a session was ended (an i18n key), shown once on the login page
GO = "register_go"  # set when who is signed in changed: app.py then opens the first register page for them


@dataclass(frozen=True)
class SignedIn:
    """A staff user (role clerk / supervisor / auditor, by user name) or a resident (role resident, by household)."""

    name: str  # the user name; for a resident, the household number
    role: str  # clerk, supervisor, auditor or resident
    project_id: int | None = None  # a resident's project (their household number is unique within it)

    @property
    def is_staff(self) -> bool:
        return self.role != "resident"


def current() -> SignedIn | None:
    return st.session_state.get(KEY)


def sign_in(login) -> SignedIn:
    """Put who logged in (a calculator.register.logins.Login) in the session, and go to their first page."""
    user = SignedIn(login.name, login.role, login.project_id if login.role == "resident" else None)
    st.session_state[KEY] = user
    st.session_state[LOGIN] = login
    st.session_state[LAST_SEEN] = time.time()
    st.session_state[GO] = True
    return user


def sign_out(note: str | None = None) -> None:
    """End the session's sign-in (with the i18n key of a note saying why, for the login page) and go to the login."""
    for key in (KEY, LOGIN, LAST_SEEN):
        st.session_state.pop(key, None)
    if note:
        st.session_state[NOTE] = note
    st.session_state[GO] = True
