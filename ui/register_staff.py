"""What the signing, flats and receipts pages share on top of ui/register_db: stop unless staff and a project, a write
through the library with its refusal shown naming the field, and the message of a write once the page is redrawn.
The library decides every right; a page never writes around it."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from calculator.register.db import reading, transaction
from calculator.register.errors import RegisterError
from calculator.register.models import Project
from calculator.register.projects import current_policy, loaded_policy
from ui.format import inert
from ui.i18n import STRINGS
from ui.register_db import chosen_project, engine, refused, staff_user
from ui.signed_in import SignedIn

DONE_KEY = "register_done"  # what the last write did, shown once after the page is redrawn
T = TypeVar("T")


def staff_or_stop() -> SignedIn:
    """The signed-in staff user; otherwise the page says to sign in and stops."""
    user = staff_user()
    if user is None:
        st.stop()
    return user


def project_or_stop() -> Project:
    """The project the staff pages work on (ui/register_db); with none yet, the page says so and stops."""
    project = chosen_project()
    if project is None:
        st.stop()
    return project


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
    """The library's refusal in the page's language, naming the field it is about (收据号：…, Amount: …)."""
    words = STRINGS.get(f"reg.field.{exc.field}")
    if words is not None:
        exc = RegisterError(exc.field, exc.value, f"{words[0]}：{exc.message_zh}", f"{words[1]}: {exc.message_en}")
    refused(exc)


def done(message: str) -> None:
    """After a write: say what was done at the top of the page, redrawn from the register (st.rerun)."""
    st.session_state[DONE_KEY] = [("success", message)]
    st.rerun()


def later(*notes: tuple[str, object]) -> None:
    """From a button's callback (run before the page is redrawn): what to show once it is, each note ("success",
    text), ("warning", text) or ("refusal", RegisterError)."""
    st.session_state[DONE_KEY] = list(notes)


def show_done() -> None:
    """What the write just done said, once."""
    for kind, note in st.session_state.pop(DONE_KEY, None) or []:
        if kind == "refusal":
            refusal(note)
        elif kind == "warning":
            st.warning(inert(note), icon=":material/group:")
        else:
            st.success(inert(note), icon=":material/check_circle:")
