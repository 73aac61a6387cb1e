"""The glossary (术语说明) as a small expander, reachable from every page (app.py puts it in the sidebar)."""
from __future__ import annotations

import streamlit as st

from calculator.glossary import glossary
from calculator.policy import Policy

from ui.i18n import lang, t


def show_glossary(policy: Policy) -> None:
    """Every term of the policy's glossary with its plain explanation, in the page's language."""
    with st.expander(t("g.title"), icon=":material/menu_book:"):
        st.caption(t("g.intro"))
        st.markdown("\n".join(f"- **{term.term(lang())}**：{term.text(lang())}" if lang() == "zh" else
                              f"- **{term.term(lang())}**: {term.text(lang())}" for term in glossary(policy)))
