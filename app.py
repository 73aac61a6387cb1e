"""anzhi (安置) web app: page setup, language switch, who is signed in, and navigation; the pages live in ui/.

The four counter pages are for everyone (trying figures needs no login); the register's pages depend on who is
signed in (ui/staff_pages.py): the login page for nobody, the staff pages for staff, a resident's own page alone."""
from __future__ import annotations

import streamlit as st

from calculator.approval import mark
from ui.glossary import show_glossary
from ui.i18n import LANGS, pick, t
from ui.session_guard import check, sidebar
from ui.signed_in import GO
from ui.staff_pages import register_pages
from ui.state import UPLOADED, current_policy, keep_inputs
from ui.style import inject_css

st.set_page_config(page_title="安置 anzhi", page_icon="🏠", layout="wide", initial_sidebar_state="auto")
inject_css()
keep_inputs()

with st.sidebar:
    st.radio(t("app.language"), list(LANGS), format_func=LANGS.get, key="lang", horizontal=True)
user = check()  # a sign-in idle too long, or no longer allowed by the register, ends here
sidebar(user)

loaded = current_policy()
with st.sidebar:
    info = loaded.rules.policy
    session = t("app.policy_session") if st.session_state.get("policy_choice") == UPLOADED else ""
    st.caption(f"{t('app.policy')}{session}")
    st.markdown(f"**{pick(info.name_zh, info.name_en)}**  \n`{info.id}` {info.version} · `{loaded.identity.sha256[:12]}`")
    fallback = st.session_state.get("policy_fallback")
    if fallback:
        st.warning(t("app.policy_broken", name=fallback[0]))
    show_glossary(loaded.rules)
if not loaded.identity.approved:  # on every page, above it: a policy the office has not approved
    st.warning(f"{mark(loaded.identity.sha256)} — {t('app.not_approved')}", icon=":material/gpp_maybe:")

pages = [
    st.Page("ui/quote_page.py", title=t("nav.quote"), icon=":material/calculate:", default=True),
    st.Page("ui/batch_page.py", title=t("nav.batch"), icon=":material/table_view:", url_path="batch"),
    st.Page("ui/policy_page.py", title=t("nav.policy"), icon=":material/gavel:", url_path="policy"),
    st.Page("ui/plan_page.py", title=t("nav.plans"), icon=":material/compare_arrows:", url_path="plans"),
]
register = register_pages(user)
navigation = st.navigation({t("nav.figures"): pages, t("nav.register"): register} if register else pages)
if st.session_state.pop(GO, False) and register:
    st.switch_page(register[0])  # just signed in or out: the dashboard, the resident's page, or the login page
navigation.run()
