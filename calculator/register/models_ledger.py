"""The register's ledger tables: flats, draws, the moving order, dues, receipts, payouts and move-ins.

Money is integer fen (BIGINT), areas integer hundredths of a m² (_c), dates are calendar days, times UTC to the second.
The database itself holds the rules two clerks could race on: a flat has at most one household (UNIQUE household_id),
a household one flat, one moving-order place in force and one move-in, and a receipt or voucher number is used once per
project."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base


class Flat(Base):
    """A flat of the resettlement buildings, from the inventory; allocated to at most one household."""

    __tablename__ = "flats"
    __table_args__ = (UniqueConstraint("project_id", "building", "unit", "room", name="uq_flats_project_address"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    building: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(40))  # '' where the building has no units
    floor: Mapped[int] = mapped_column(Integer)
    room: Mapped[str] = mapped_column(String(40))
    area_c: Mapped[int] = mapped_column(Integer)  # measured floor area, hundredths of a m²
    type_c: Mapped[int] = mapped_column(Integer)  # the nominal unit type, hundredths of a m²
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), unique=True, nullable=True)
    allocated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    allocated_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(100))


class Draw(Base):
    """A public draw: the published seed and the fingerprint of the list it ordered (see draw.py)."""

    __tablename__ = "draws"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    seed: Mapped[str] = mapped_column(String(200))
    list_sha256: Mapped[str] = mapped_column(String(64))
    households: Mapped[int] = mapped_column(Integer)
    first_order_no: Mapped[int] = mapped_column(Integer)
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime)
    drawn_by: Mapped[str] = mapped_column(String(100))


class MovingOrder(Base):
    """A household's moving-order number (搬迁顺序号), by a draw or by signing time; given once, never renumbered.
    A cancelled agreement vacates its place (the number stays, marked vacated); a household holds one place in force."""

    __tablename__ = "moving_order"
    __table_args__ = (
        UniqueConstraint("project_id", "order_no", name="uq_moving_order_project_no"),
        Index("uq_moving_order_household_active", "household_id", unique=True,
              sqlite_where=text("vacated_at IS NULL"), postgresql_where=text("vacated_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    order_no: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))  # draw or signing
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("draws.id"), nullable=True)
    ordered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ordered_by: Mapped[str] = mapped_column(String(100))
    vacated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)  # its agreement was cancelled
    vacated_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class DueRow(Base):
    """One amount of a household's schedule, from its signed agreement's Quote (see dues.py)."""

    __tablename__ = "dues"
    __table_args__ = (UniqueConstraint("agreement_id", "kind", "number", name="uq_dues_agreement_kind_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # before_move_in, installment, payout
    number: Mapped[int] = mapped_column(Integer)
    years_after_move_in: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # set when the move-in is recorded
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    direction: Mapped[str] = mapped_column(String(10))  # pay: the household pays; receive: it is paid


class Receipt(Base):
    """Money a household paid in: a receipt number used once per project, the day, the amount and the clerk."""

    __tablename__ = "receipts"
    __table_args__ = (UniqueConstraint("project_id", "receipt_no", name="uq_receipts_project_no"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    receipt_no: Mapped[str] = mapped_column(String(60))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    received_on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    clerk: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Payout(Base):
    """Money paid out to a household (cash compensation, compensation for an untaken area): a voucher number used once
    per project, the day, the amount and the clerk. Like receipts, payouts stay with the household."""

    __tablename__ = "payouts"
    __table_args__ = (UniqueConstraint("project_id", "voucher_no", name="uq_payouts_project_no"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    voucher_no: Mapped[str] = mapped_column(String(60))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    clerk: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class MoveIn(Base):
    """The day a household moved into its flat; its installments fall due from this day."""

    __tablename__ = "move_ins"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), unique=True)
    flat_id: Mapped[int] = mapped_column(ForeignKey("flats.id"), unique=True)
    moved_in_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(100))
