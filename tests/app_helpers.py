"""Helpers for the Streamlit AppTest tests: start the app, read its text, set the counter's inputs."""
from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MONEY = re.compile(r"-?¥[\d,]+(?:\.\d+)?")


def start(page: str | None = None, lang: str = "zh", policy=None) -> AppTest:
    """The app on its first screen (or `page`), in `lang`; under `policy` (a path) as if the clerk had chosen it."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    if policy is not None:
        at.session_state["policy_choice"] = str(policy)
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def html_text(at: AppTest) -> str:
    """All static HTML the page shows (tables, capital numerals), tags removed (inline spans without a trace, so a
    formula reads as the text it is)."""
    page = re.sub(r"</?span[^>]*>", "", " ".join(h.value for h in at.html))
    return re.sub(r"<[^>]+>", " ", page)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def quote_with(at: AppTest, **inputs) -> AppTest:
    """Set counter inputs by widget key (without the q_ prefix) and rerun; conditional widgets in order."""
    for key, value in inputs.items():
        kind = {"option": "radio", "unit_choice": "selectbox", "low_income": "checkbox", "defer": "checkbox",
                "energy_efficient": "checkbox", "move_in": "date_input"}.get(key, "text_input")
        getattr(at, kind)(key=f"q_{key}").set_value(value)
        at.run()
        assert not at.exception, at.exception
    return at
