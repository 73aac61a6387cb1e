"""The register's part of app.py's navigation, by who is signed in: nobody gets the login page, a staff user the
staff pages, a resident only their own household's page."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.i18n import t
from ui.signed_in import SignedIn

UI = Path(__file__).resolve().parent

# (file, menu word, icon, url) in menu order. A page whose file is not there yet is left out of the menu rather than
# breaking it.
PAGES = [
    ("register_dashboard_page.py", "nav.reg_dashboard", ":material/monitoring:", "register"),
    ("register_households_page.py", "nav.reg_households", ":material/groups:", "households"),
    ("register_household_page.py", "nav.reg_household", ":material/folder_shared:", "household"),
    ("register_sign_page.py", "nav.reg_sign", ":material/draw:", "sign"),
    ("register_flats_page.py", "nav.reg_flats", ":material/apartment:", "flats"),
    ("register_receipts_page.py", "nav.reg_receipts", ":material/payments:", "receipts"),
    ("register_project_page.py", "nav.reg_project", ":material/upload_file:", "project"),
]
LOGIN_PAGE = ("login_page.py", "nav.login", ":material/login:", "login")
RESIDENT_PAGE = ("resident_page.py", "nav.mine", ":material/home:", "mine")


def register_entries(user: SignedIn | None, folder: Path = UI) -> list[tuple[str, str, str, str]]:
    """The register's menu entries for who is signed in (their files found in `folder`): the login page for nobody,
    the staff pages for a clerk, supervisor or auditor (every role sees them; the library refuses writes), the
    resident's own page alone for a resident. The first entry is where a sign-in leads."""
    if user is None:
        entries = [LOGIN_PAGE]
    elif user.is_staff:
        entries = PAGES
    else:
        entries = [RESIDENT_PAGE]
    return [entry for entry in entries if (folder / entry[0]).exists()]


def _page(entry: tuple[str, str, str, str]) -> st.Page:
    name, word, icon, url = entry
    return st.Page(f"ui/{name}", title=t(word), icon=icon, url_path=url)


def register_pages(user: SignedIn | None) -> list[st.Page]:
    """register_entries as pages for st.navigation."""
    return [_page(entry) for entry in register_entries(user)]


def staff_pages(user: SignedIn) -> list[st.Page]:
    """The register pages for a staff user, in menu order (every role sees them; the library refuses writes)."""
    return register_pages(user) if user.is_staff else []
