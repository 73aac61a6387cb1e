"""The register as the app sees it: one engine per database URL (ANZHI_DATABASE_URL, default the embedded
SQLite file), brought up to the newest tables on first use, shared by every page and session."""
from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from calculator.register import migrate
from calculator.register.db import database_url, make_engine


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = make_engine(url, create_folder=True)
    migrate.upgrade(engine)
    return engine


def engine() -> Engine:
    """The register's engine for this app (created and upgraded once per URL)."""
    return _engine(database_url())
