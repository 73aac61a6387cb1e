"""Read-only queries for the staff pages: a project's households with the stage each has reached, and the log's
last entry number (what a page's cache is keyed on: any change to the register moves it)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import dues as rules
from . import ledger
from .flats_file import flat_address
from .models import Agreement, Household, LogHead, Offer, Project
from .models_ledger import Flat, MoveIn, MovingOrder

# The stages of a household, in the order it passes them; "overdue" is where a household behind on its payments is
# shown, whatever stage it had reached (the progress report counts the same stages, reports.STAGES).
STAGES = ("surveyed", "offered", "signed", "flat_chosen", "moved_in", "paid_up", "overdue")
BEHIND = (rules.OVERDUE, rules.LOW_RENT)  # what the overdue report lists


@dataclass(frozen=True)
class HouseholdRow:
    """One line of the household list: who, where it stands, and its money in fen."""

    household_no: str
    name: str
    id_number: str
    stage: str  # one of STAGES: the furthest reached, or overdue
    option: str | None  # in_kind or cash, of the newest offer (None: no offer yet)
    net_fen: int | None  # the newest offer's net: positive the household pays, negative it receives
    agreement_no: int | None  # the agreement in force
    order_no: int | None  # the moving-order number
    flat: str | None  # the flat allocated, building-unit-room
    moved_in_on: dt.date | None
    balance_fen: int | None  # still to pay (None: no account yet)
    overdue_fen: int | None
    payment_status: str | None  # dues.STATUS_LABELS code


def log_head(session: Session) -> int:
    """The number of the operator log's last entry (0 for an empty log)."""
    return session.execute(select(func.coalesce(func.max(LogHead.seq), 0))).scalar_one()


def projects(session: Session) -> list[Project]:
    """Every project, oldest first."""
    return list(session.execute(select(Project).order_by(Project.id)).scalars())


def stage_of(status: str, agreement: bool, flat: bool, moved_in: bool, payment: str | None) -> str:
    """The stage a household is at: overdue when behind on its payments, else the furthest it has reached."""
    if payment in BEHIND:
        return "overdue"
    if payment == rules.PAID_UP:
        return "paid_up"
    if moved_in:
        return "moved_in"
    if flat:
        return "flat_chosen"
    if agreement:
        return "signed"
    return "offered" if status == "offered" else "surveyed"


def households(session: Session, project_id: int, as_of: dt.date, household_id: int | None = None) -> list[HouseholdRow]:
    """Every household of the project (or the one household) in household order, with its newest offer, agreement,
    moving-order number, flat, move-in and its payments' standing on as_of (the same standing the overdue report reads)."""
    newest = (select(Offer.household_id, func.max(Offer.version).label("version")).group_by(Offer.household_id)
              .subquery())
    query = (select(Household.id, Household.household_no, Household.name, Household.id_number, Household.status,
                    Offer.option, Offer.net_fen, Agreement.number, MovingOrder.order_no, Flat.building, Flat.unit,
                    Flat.room, MoveIn.moved_in_on)
             .outerjoin(newest, newest.c.household_id == Household.id)
             .outerjoin(Offer, (Offer.household_id == Household.id) & (Offer.version == newest.c.version))
             .outerjoin(Agreement, (Agreement.household_id == Household.id) & Agreement.cancelled_at.is_(None))
             .outerjoin(MovingOrder, MovingOrder.household_id == Household.id)
             .outerjoin(Flat, Flat.household_id == Household.id)
             .outerjoin(MoveIn, MoveIn.household_id == Household.id)
             .where(Household.project_id == project_id).order_by(Household.household_no))
    if household_id is not None:
        query = query.where(Household.id == household_id)
    standing = rules.standing(ledger.book(session, project_id, household_id), as_of)
    rows = []
    for r in session.execute(query):
        money = standing.of(r.id) if len(standing.household_id) else None
        payment = money["status"] if money else None
        flat = None if r.room is None else flat_address(r.building, r.unit, r.room)
        rows.append(HouseholdRow(
            household_no=r.household_no, name=r.name, id_number=r.id_number,
            stage=stage_of(r.status, r.number is not None, flat is not None, r.moved_in_on is not None, payment),
            option=r.option, net_fen=r.net_fen, agreement_no=r.number, order_no=r.order_no, flat=flat,
            moved_in_on=r.moved_in_on, balance_fen=money["balance_fen"] if money else None,
            overdue_fen=money["overdue_fen"] if money else None, payment_status=payment))
    return rows


def stage_counts(rows: list[HouseholdRow]) -> dict[str, int]:
    """How many households are at each stage (every stage named, zero included)."""
    found = Counter(r.stage for r in rows)
    return {s: found[s] for s in STAGES}
