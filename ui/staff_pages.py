"""The register's staff pages, for app.py's navigation: which pages a signed-in staff user sees."""
from __future__ import annotations

import streamlit as st

from ui.signed_in import SignedIn


def staff_pages(user: SignedIn) -> list[st.Page]:
    """The register pages for a staff user, in menu order (every role sees them; the library refuses writes)."""
    return []
