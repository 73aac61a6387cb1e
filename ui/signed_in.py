"""Who is signed in to the register in this browser session: the one place pages read it from.

The login page (ui/login_page.py) puts a `SignedIn` here after checking the password or access code in the
register; staff pages and the resident view only read it. Rights are enforced again in the register library
(calculator/register), by the user's name and role, so a page that forgot to check still cannot write.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

KEY = "register_signed_in"


@dataclass(frozen=True)
class SignedIn:
    """A staff user (role clerk / supervisor / auditor, by user name) or a resident (role resident, by household)."""

    name: str  # the user name; for a resident, the household number
    role: str  # clerk, supervisor, auditor or resident
    project_id: int | None = None  # a resident's project (their household number is unique within it)

    @property
    def is_staff(self) -> bool:
        return self.role != "resident"


def current() -> SignedIn | None:
    return st.session_state.get(KEY)
