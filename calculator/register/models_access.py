"""The register's access tables: residents' access codes (hashes only) and every login attempt, staff or resident."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base


class AccessCode(Base):
    """A household's access code for the resident view: its sha256 only (the code itself is printed once, never
    kept), who issued it when, and the failed attempts since the last good one. Re-issuing replaces the row's hash."""

    __tablename__ = "access_codes"
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), primary_key=True)
    code_sha256: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(String(100))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class LoginAttempt(Base):
    """One try to log in: staff by user name, a resident by household number; whether it worked and, if not, why
    (wrong, locked, disabled, unknown, no_password, no_code)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_name_at", "name", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(20))  # staff or resident
    name: Mapped[str] = mapped_column(String(200))  # the user name or household number as typed
    household_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(20))  # ok, wrong, locked, disabled, unknown, no_password, no_code


__all__ = ["AccessCode", "LoginAttempt"]
