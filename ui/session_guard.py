"""On each run of the app, before its menu is built: a sign-in idle for 30 minutes ends, and so does one the
register no longer allows (the user disabled or given another role, their password reset, a resident's code issued
again: logins.still_valid); and in the sidebar, who is signed in, in what role, with a button to sign out."""
from __future__ import annotations

import time

import streamlit as st

from ui.format import inert
from ui.i18n import t
from ui.login_view import idle_expired, role_key
from ui.signed_in import LAST_SEEN, LOGIN, SignedIn, current, sign_out


def check() -> SignedIn | None:
    """Who is signed in, once the session has been checked (and this run counted as activity); None if nobody, or
    if the sign-in has just ended (the login page then says why)."""
    user = current()
    if user is None:
        return None
    login = st.session_state.get(LOGIN)
    if login is None or (login.name, login.role) != (user.name, user.role):
        sign_out("login.ended")  # only the login page signs in, and it keeps the Login it checked
        return None
    now = time.time()
    if idle_expired(st.session_state.get(LAST_SEEN), now):
        sign_out("login.timed_out")
        return None
    valid = _still_valid(login)
    if valid is not True:
        sign_out("login.ended" if valid is False else "login.no_register")
        return None
    st.session_state[LAST_SEEN] = now
    return user


def _still_valid(login) -> bool | None:
    """The register's answer (None if the register cannot be read: the sign-in ends all the same)."""
    from sqlalchemy.exc import SQLAlchemyError

    from calculator.register.db import reading
    from calculator.register.errors import RegisterError
    from calculator.register.logins import still_valid
    from ui.register_db import engine

    try:
        with reading(engine()) as session:
            return still_valid(session, login)
    except (RegisterError, SQLAlchemyError):
        return None


def sidebar(user: SignedIn | None) -> None:
    """Who is signed in and their role in words, and the sign-out button (nothing when nobody is)."""
    if user is None:
        return
    with st.sidebar:
        st.caption(t("login.signed_in_as"))
        st.markdown(f"**{inert(user.name)}** · {t(role_key(user.role))}")
        st.button(t("login.sign_out"), icon=":material/logout:", key="login_sign_out", on_click=sign_out,
                  args=("login.signed_out",))
