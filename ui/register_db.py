"""The register as the app sees it: one engine per database URL (ANZHI_DATABASE_URL, default the embedded
SQLite file), brought up to the newest tables on first use, shared by every page and session; and what every
staff page does first (who is signed in, which project) and how it shows a refusal."""
from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from calculator.register import listing, migrate
from calculator.register.db import database_url, make_engine, reading
from calculator.register.errors import RegisterError
from calculator.register.models import Project
from ui.format import inert
from ui.i18n import pick, t
from ui.signed_in import SignedIn, current

PROJECT = "reg_project"  # the code of the project the staff pages show (kept across pages)
FILE_NUMBER = "reg_file_no"  # the household number the file page shows (its input's key; the list sets it)


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = make_engine(url, create_folder=True)
    migrate.upgrade(engine)
    return engine


def engine() -> Engine:
    """The register's engine for this app (created and upgraded once per URL)."""
    return _engine(database_url())


def staff_user() -> SignedIn | None:
    """The signed-in staff user; otherwise a note to sign in (and None: the page shows nothing else)."""
    user = current()
    if user is None or not user.is_staff:
        st.info(t("reg.sign_in"), icon=":material/lock:")
        return None
    return user


def refused(exc: RegisterError) -> None:
    """The library's refusal, in the page's language (nothing was written)."""
    st.error(t("reg.refused", reason=inert(pick(exc.message_zh, exc.message_en))), icon=":material/block:")


def _pick_project() -> None:
    st.session_state[PROJECT] = st.session_state["reg_project_pick"]


def chosen_project(note: bool = True) -> Project | None:
    """The project the pages work on: the only one, or the one picked in the sidebar; None (with a note) if none."""
    with reading(engine()) as session:
        found = listing.projects(session)
    if not found:
        if note:
            st.info(t("reg.no_project"), icon=":material/info:")
        return None
    codes = [p.code for p in found]
    if st.session_state.get(PROJECT) not in codes:
        st.session_state[PROJECT] = codes[0]
    if len(found) > 1:
        names = {p.code: f"{p.code} · {p.name}" for p in found}
        st.session_state["reg_project_pick"] = st.session_state[PROJECT]
        st.sidebar.selectbox(t("reg.project"), codes, format_func=names.get, key="reg_project_pick",
                             on_change=_pick_project)
    return next(p for p in found if p.code == st.session_state[PROJECT])
