"""The register's core tables: users, projects, policies, households, members, offers, agreements and the operator log.

Money is integer fen (BIGINT), areas integer hundredths of a m², never floats; times are UTC, to the second."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (JSON, BigInteger, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROLES = ("clerk", "supervisor", "auditor")


def utc_now() -> dt.datetime:
    """Now in UTC, to the second, without tzinfo (what every time column holds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person who works in the register, with one role: clerk, supervisor or auditor, and what their login needs:
    the argon2 hash of their password (none until one is set), when it was set, whether they are disabled, and the
    failed attempts since their last login (passwords.py, logins.py)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    password_set_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Project(Base):
    """A redevelopment project, settled under the policy it adopted last."""

    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


class PolicyVersion(Base):
    """A policy file a project adopted, frozen by id, version and sha256, with its text so any offer can be recomputed."""

    __tablename__ = "policies"
    __table_args__ = (UniqueConstraint("project_id", "sha256", name="uq_policies_project_sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    policy_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    adopted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    adopted_by: Mapped[str] = mapped_column(String(100))


class Household(Base):
    """One household's file: who, the survey row as read, the inputs the policy settles on, and where it stands."""

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("project_id", "household_no", name="uq_households_project_no"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    household_no: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    id_number: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(20))  # in_kind or cash, and low_income: 'in_kind', 'cash_low_income'…
    inputs: Mapped[dict] = mapped_column(JSON)  # settlement field -> value as read (text), declared inputs included
    survey: Mapped[dict] = mapped_column(JSON)  # the survey row as read: header -> cell text, every column kept
    survey_row: Mapped[int] = mapped_column(Integer)  # its row number in the survey file
    survey_sha256: Mapped[str] = mapped_column(String(64))  # the survey file it came from
    status: Mapped[str] = mapped_column(String(20))  # surveyed, offered, signed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Member(Base):
    """A person of a household: the head (from the survey's name and ID number) and others listed in a members column."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("household_id", "position", name="uq_members_household_position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1 is the head of household
    name: Mapped[str] = mapped_column(String(200))
    id_number: Mapped[str] = mapped_column(String(40))
    relation: Mapped[str] = mapped_column(String(40))  # head, or as written in the survey


class Offer(Base):
    """One settlement of a household under one policy version: the full Quote JSON, never rewritten."""

    __tablename__ = "offers"
    __table_args__ = (UniqueConstraint("household_id", "version", name="uq_offers_household_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, … per household
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    policy_sha256: Mapped[str] = mapped_column(String(64))
    option: Mapped[str] = mapped_column(String(20))  # in_kind or cash
    net_fen: Mapped[int] = mapped_column(BigInteger)  # positive: the household pays; negative: it receives
    quote_json: Mapped[str] = mapped_column(Text)  # calculator.result.Quote, exactly as the statement renders it
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


class Agreement(Base):
    """A signed agreement (协议): one frozen offer, a per-project number without gaps, and its PDF document."""

    __tablename__ = "agreements"
    __table_args__ = (
        UniqueConstraint("project_id", "number", name="uq_agreements_project_number"),
        # At most one agreement in force per household; a cancelled one stays in the history.
        Index("uq_agreements_household_active", "household_id", unique=True,
              sqlite_where=text("cancelled_at IS NULL"), postgresql_where=text("cancelled_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    number: Mapped[int] = mapped_column(Integer)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"))
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    signed_by: Mapped[str] = mapped_column(String(100))
    document_sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[bytes] = mapped_column(LargeBinary)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    cancelled_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class LogEntry(Base):
    """The operator log: who did what when, before and after, each entry chained to the previous by sha256."""

    __tablename__ = "oplog"
    __table_args__ = (Index("ix_oplog_entity", "entity", "entity_id"), Index("ix_oplog_household", "household_id"))
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    household_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # files the entry in a household's history
    before: Mapped[str] = mapped_column(Text)  # canonical JSON ('null' for a creation)
    after: Mapped[str] = mapped_column(Text)  # canonical JSON ('null' for a deletion)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class LogHead(Base):
    """One row: the last entry's number and hash. Appending locks it, so entries chain in order; a deleted last
    entry shows as a head pointing past the end."""

    __tablename__ = "oplog_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


__all__ = ["Base", "User", "Project", "PolicyVersion", "Household", "Member", "Offer", "Agreement", "LogEntry",
           "LogHead", "ROLES", "utc_now"]
