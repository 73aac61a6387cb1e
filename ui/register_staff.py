"""What the register's staff pages share: who acts, which project, a write through the library, and its refusal shown
in the page's language (the library decides every right; a page never writes around it)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy import select

from calculator.register.db import reading, transaction
from calculator.register.errors import RegisterError
from calculator.register.models import Project
from calculator.register.projects import current_policy, loaded_policy
from ui.i18n import STRINGS, colon, pick, t
from ui.register_db import engine
from ui.signed_in import SignedIn, current

PROJECT_KEY = "register_project"  # the project code chosen in this session
DONE_KEY = "register_done"  # what the last write did, shown once after the page is redrawn
T = TypeVar("T")


def staff_or_stop() -> SignedIn:
    """The signed-in staff user; otherwise the page says to sign in and stops."""
    user = current()
    if user is None or not user.is_staff:
        st.info(t("reg.need_staff"), icon=":material/login:")
        st.stop()
    st.caption(t("reg.acting", name=user.name, role=t(f"reg.role.{user.role}") if f"reg.role.{user.role}" in STRINGS
                 else user.role))
    return user


def project_or_stop() -> Project:
    """The project the pages work in: the one chosen in this session, the register's only one, or a choice."""
    with reading(engine()) as session:
        projects = list(session.execute(select(Project).order_by(Project.id)).scalars())
    if not projects:
        st.info(t("reg.no_project"))
        st.stop()
    codes = [p.code for p in projects]
    if len(projects) > 1:
        chosen = st.session_state.get(PROJECT_KEY)
        st.selectbox(t("reg.project"), codes, index=codes.index(chosen) if chosen in codes else 0, key=PROJECT_KEY,
                     format_func=lambda code: f"{code} {projects[codes.index(code)].name}")
    code = st.session_state.get(PROJECT_KEY)
    return projects[codes.index(code)] if code in codes else projects[0]


def choose(widget, label: str, labels: dict[str, str], key: str, **options) -> str | None:
    """Pick one of labels' keys with `widget` (st.selectbox, st.radio) showing its label. The labels themselves are
    the options (not a format_func): a label in the page's language is then the same wherever it is read."""
    by_label = {text: item for item, text in labels.items()}
    picked = widget(label, list(by_label), key=key, **options)
    return by_label.get(picked)


def policy_of(project: Project):
    """The policy the project adopted last (its rules decide unit types)."""
    with reading(engine()) as session:
        return loaded_policy(current_policy(session, project))


def read(query: Callable[..., T], *args) -> T:
    """query(session, *args) in a read-only session."""
    with reading(engine()) as session:
        return query(session, *args)


def attempt(action: Callable[..., T], *args) -> T | RegisterError:
    """action(session, *args) in one write transaction: its result, or the library's refusal (nothing written)."""
    try:
        with transaction(engine()) as session:
            return action(session, *args)
    except RegisterError as exc:
        return exc


def write(action: Callable[..., T], *args) -> T | None:
    """attempt(), with a refusal shown on the page and None returned."""
    result = attempt(action, *args)
    if isinstance(result, RegisterError):
        refusal(result)
        return None
    return result


def refusal(exc: RegisterError) -> None:
    """The library's refusal in the page's language, naming the field it is about."""
    key = f"reg.field.{exc.field}"
    field = t(key) if key in STRINGS else ""
    reason = pick(exc.message_zh, exc.message_en)
    st.error(f"{field}{colon()}{reason}\n\n{t('reg.refused')}" if field else f"{reason}\n\n{t('reg.refused')}",
             icon=":material/block:")


def done(message: str) -> None:
    """After a write: say what was done at the top of the page, redrawn from the register (st.rerun)."""
    st.session_state[DONE_KEY] = message
    st.rerun()


def show_done() -> None:
    """The message of the write just done, once."""
    message = st.session_state.pop(DONE_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")
