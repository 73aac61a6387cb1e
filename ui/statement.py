"""The statement download: made, when clicked, from the quote on screen once every pending edit is applied.

Streamlit registers a download's data at the run that drew the button. A clerk who types 46.5 and clicks the
button without pressing Enter sends two messages: the click and the edit (a rerun). The click reached the
callable of the previous run, so the PDF said 45.00 ㎡ while the screen said 46.50 ㎡. Here every button's
callable reads one per-session `Desk`, waits until the session has had no run going for QUIET_S (the edit's
rerun has then been requested, run and drawn), and prints the Quote that run drew. The statement's footer and
the screen carry the same check code (Quote.check_code), so a clerk can see that the paper is the screen.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from calculator.policy import LoadedPolicy
from calculator.result import Quote
from calculator.statements import font_status, statement_pdf

from ui.i18n import lang, t

WAIT_S = 30.0  # a run longer than this is broken; the download then fails instead of printing an older quote
# How long no run must be going before the statement is made. The browser sends the click before the edit: the
# text field hands its new value to Streamlit after the page has re-rendered (measured 40–120 ms later in
# Chromium). A second covers that many times over on a busy counter PC, and is paid once per download.
QUIET_S = 1.0


@dataclass(frozen=True)
class Shown:
    """What the last finished run of the quote page drew: the Quote, whose name, in which language."""

    quote: Quote
    loaded: LoadedPolicy
    name: str | None
    lang: str


class Desk:
    """The session's latest quote on screen; None while the inputs hold an error (nothing to print)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shown: Shown | None = None

    def show(self, shown: Shown | None) -> None:
        with self._lock:
            self._shown = shown

    def shown(self) -> Shown | None:
        with self._lock:
            return self._shown


def desk() -> Desk:
    return st.session_state.setdefault("statement_desk", Desk())


def runs_going(session_id: str) -> bool:
    """Whether the session has a script run going or queued. Streamlit has no public call for this: the session's
    ScriptRunner exists from the moment a rerun is requested until its run chain has ended (tests/test_app_quote
    breaks here loudly if an upgrade renames it)."""
    session = runtime.get_instance().get_app_session(session_id)
    return session is not None and session._scriptrunner is not None  # private: see the docstring


def latest_statement(session_id: str | None, the_desk: Desk) -> bytes:
    """The statement of the quote the screen shows once the session's pending runs are over."""
    start = quiet_from = time.monotonic()
    while session_id is not None:
        now = time.monotonic()
        if runs_going(session_id):
            quiet_from = now
        elif now - quiet_from >= QUIET_S:
            break
        if now - start > WAIT_S:
            raise TimeoutError("the quote page did not finish its run")
        time.sleep(0.02)
    shown = the_desk.shown()
    if shown is None:  # the last run showed an input error, not a quote: there is nothing to print
        raise ValueError("no quote on screen")
    q = shown.quote
    return statement_pdf(q, shown.loaded, household_id=q.household_id, name=shown.name, lang=shown.lang)


def statement_button(result: Quote, loaded: LoadedPolicy, name: str | None) -> None:
    """The download button; the statement's footer carries the check code shown under the quote."""
    usable, reason = font_status()  # cached after the first call: the font is found once per process
    if not usable:  # the quote stays on screen; only the PDF is unavailable
        st.caption(t("q.statement_error", reason=reason))
        return
    ctx = get_script_run_ctx()
    session_id = ctx.session_id if ctx is not None else None
    the_desk = desk()
    st.download_button(t("q.statement"), lambda: latest_statement(session_id, the_desk),
                       file_name=f"statement_{result.household_id or 'quote'}.pdf", mime="application/pdf",
                       icon=":material/picture_as_pdf:", on_click="ignore")


def record(result: Quote | None, loaded: LoadedPolicy, name: str | None) -> None:
    """Called at the end of each run of the quote page: what any statement button of this session prints next."""
    desk().show(Shown(result, loaded, name, lang()) if result is not None else None)
