"""The register's staff pages, for app.py's navigation: which pages a signed-in staff user sees."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.i18n import t
from ui.signed_in import SignedIn

UI = Path(__file__).resolve().parent

# (file, menu word, icon, url) in menu order. The signing, flats and receipts pages are staffb's; a page whose file
# is not there yet is left out of the menu rather than breaking it.
PAGES = [
    ("register_dashboard_page.py", "nav.reg_dashboard", ":material/monitoring:", "register"),
    ("register_households_page.py", "nav.reg_households", ":material/groups:", "households"),
    ("register_household_page.py", "nav.reg_household", ":material/folder_shared:", "household"),
    ("register_sign_page.py", "nav.reg_sign", ":material/draw:", "sign"),
    ("register_flats_page.py", "nav.reg_flats", ":material/apartment:", "flats"),
    ("register_receipts_page.py", "nav.reg_receipts", ":material/payments:", "receipts"),
    ("register_project_page.py", "nav.reg_project", ":material/upload_file:", "project"),
]


def staff_pages(user: SignedIn) -> list[st.Page]:
    """The register pages for a staff user, in menu order (every role sees them; the library refuses writes)."""
    return [st.Page(f"ui/{name}", title=t(word), icon=icon, url_path=url)
            for name, word, icon, url in PAGES if (UI / name).exists()]
