"""What the staff pages list, read-only: offers awaiting a signature, agreements in force, the next households in
moving order with the free flats of their type, move-ins to record, what falls due this month, what is overdue, and
one receipt as printed (with the balance after it)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..policy import Policy
from ..result import Quote
from . import dues as rules
from .flats import unit_type_c
from .flats_file import flat_address
from .ledger import book
from .models import Agreement, Household, Offer, Project
from .models_ledger import DueRow, Flat, MoveIn, MovingOrder, Receipt
from .projects import current_policy


@dataclass(frozen=True)
class Awaiting:
    """A household whose newest offer, under the project's current policy, can be signed."""

    household_no: str
    name: str
    option: str  # in_kind or cash
    net_fen: int  # positive: the household pays; negative: it receives
    offer_version: int


def awaiting_signature(session: Session, project: Project) -> list[Awaiting]:
    """Households with an up-to-date offer and no agreement in force, in household order."""
    newest = (select(Offer.household_id, func.max(Offer.version).label("version")).group_by(Offer.household_id)
              .subquery())
    rows = session.execute(
        select(Household.household_no, Household.name, Offer.option, Offer.net_fen, Offer.version)
        .join(newest, newest.c.household_id == Household.id)
        .join(Offer, (Offer.household_id == Household.id) & (Offer.version == newest.c.version))
        .where(Household.project_id == project.id, Household.status == "offered",
               Offer.policy_version_id == current_policy(session, project).id)
        .order_by(Household.id)).all()
    return [Awaiting(*r) for r in rows]


@dataclass(frozen=True)
class InForce:
    household_no: str
    name: str
    number: int
    signed_at: dt.datetime
    signed_by: str


def agreements_in_force(session: Session, project_id: int) -> list[InForce]:
    """Every agreement not cancelled, by number."""
    rows = session.execute(select(Household.household_no, Household.name, Agreement.number, Agreement.signed_at,
                                  Agreement.signed_by)
                           .join(Household, Household.id == Agreement.household_id)
                           .where(Agreement.project_id == project_id, Agreement.cancelled_at.is_(None))
                           .order_by(Agreement.number)).all()
    return [InForce(*r) for r in rows]


def unordered_count(session: Session, project_id: int) -> int:
    """Households with an agreement in force and no moving-order number yet (what a draw would number)."""
    ordered = select(MovingOrder.household_id).where(MovingOrder.project_id == project_id)
    return len(session.execute(select(Agreement.id).where(Agreement.project_id == project_id,
                                                          Agreement.cancelled_at.is_(None),
                                                          Agreement.household_id.not_in(ordered))).all())


@dataclass(frozen=True)
class Waiting:
    """An in-kind household with a moving-order number and no flat yet, and the unit type its agreement is for."""

    order_no: int
    household_no: str
    name: str
    type_c: int


def next_in_order(session: Session, project_id: int, policy: Policy, limit: int = 3) -> list[Waiting]:
    """The first `limit` in-kind households in moving order still without a flat."""
    rows = session.execute(
        select(MovingOrder.order_no, Household.household_no, Household.name, Offer.quote_json)
        .join(Household, Household.id == MovingOrder.household_id)
        .join(Agreement, (Agreement.household_id == Household.id) & Agreement.cancelled_at.is_(None))
        .join(Offer, Offer.id == Agreement.offer_id)
        .outerjoin(Flat, Flat.household_id == Household.id)
        .where(MovingOrder.project_id == project_id, Flat.id.is_(None), Offer.option == "in_kind")
        .order_by(MovingOrder.order_no).limit(limit)).all()
    return [Waiting(no, household_no, name, unit_type_c(int(Quote.model_validate_json(q).areas["chosen"] * 100), policy))
            for no, household_no, name, q in rows]


@dataclass(frozen=True)
class FreeFlat:
    address: str
    floor: int
    area_c: int
    type_c: int


def free_flats(session: Session, project_id: int, type_c: int) -> list[FreeFlat]:
    """The flats of a unit type not yet allocated, by building, unit, floor and room."""
    rows = session.execute(select(Flat.building, Flat.unit, Flat.room, Flat.floor, Flat.area_c, Flat.type_c)
                           .where(Flat.project_id == project_id, Flat.type_c == type_c, Flat.household_id.is_(None))
                           .order_by(Flat.building, Flat.unit, Flat.floor, Flat.room)).all()
    return [FreeFlat(flat_address(b, u, r), floor, area, kind) for b, u, r, floor, area, kind in rows]


@dataclass(frozen=True)
class Housed:
    household_no: str
    name: str
    address: str


def awaiting_move_in(session: Session, project_id: int) -> list[Housed]:
    """Households with a flat and no move-in recorded, by moving-order number."""
    rows = session.execute(select(Household.household_no, Household.name, Flat.building, Flat.unit, Flat.room)
                           .join(Flat, Flat.household_id == Household.id)
                           .outerjoin(MoveIn, MoveIn.household_id == Household.id)
                           .outerjoin(MovingOrder, MovingOrder.household_id == Household.id)
                           .where(Household.project_id == project_id, MoveIn.id.is_(None))
                           .order_by(MovingOrder.order_no, Household.id)).all()
    return [Housed(no, name, flat_address(b, u, r)) for no, name, b, u, r in rows]


@dataclass(frozen=True)
class Receivable:
    """A household with money to collect: what falls due (its kind, number and date) and where its account stands."""

    household_no: str
    name: str
    kind: str  # dues.BEFORE_MOVE_IN or dues.INSTALLMENT (dues.KIND_LABELS names it)
    number: int
    due_on: dt.date | None
    amount_fen: int
    balance_fen: int
    overdue_fen: int
    status: str  # dues.STATUS_LABELS


def receivables(session: Session, project_id: int, as_of: dt.date) -> tuple[list[Receivable], list[Receivable]]:
    """(due this month, overdue) on `as_of`. Due this month: each amount dated in as_of's month, and each amount due
    before move-in (dated only at the move-in) not yet paid; of households that still owe. Overdue: households whose dated dues fell due
    before as_of unpaid (dues.standing), most overdue first, each with the earliest due its receipts do not cover."""
    b = book(session, project_id)
    standing = rules.standing(b, as_of)
    at = {int(h): i for i, h in enumerate(standing.household_id.tolist())}
    first = np.datetime64(as_of.replace(day=1), "D")
    following = np.datetime64((as_of.replace(day=28) + dt.timedelta(days=4)).replace(day=1), "D")
    pays = b.due_direction == "pay"
    this_month = pays & ~np.isnat(b.due_on) & (b.due_on >= first) & (b.due_on < following)
    undated = pays & np.isnat(b.due_on) & (b.due_kind == rules.BEFORE_MOVE_IN)
    ids = [int(h) for h in b.due_household.tolist()]
    names = {hid: (no, name) for hid, no, name in session.execute(
        select(Household.id, Household.household_no, Household.name).where(Household.project_id == project_id))}

    def row(i: int) -> Receivable:
        s = at[ids[i]]
        due_on = None if np.isnat(b.due_on[i]) else b.due_on[i].astype(dt.date)
        return Receivable(*names[ids[i]], str(b.due_kind[i]), int(b.due_number[i]), due_on, int(b.due_fen[i]),
                          int(standing.balance_fen[s]), int(standing.overdue_fen[s]), str(standing.status[s]))

    due = [row(i) for i in np.flatnonzero(this_month).tolist() if standing.balance_fen[at[ids[i]]] > 0]
    due += [row(i) for i in np.flatnonzero(undated).tolist() if standing.status[at[ids[i]]] == rules.BEFORE_DUE]
    due.sort(key=lambda r: (r.due_on or dt.date.max, r.household_no))
    late = {}  # household -> its earliest dated due not covered by what it paid (receipts pay the earliest first)
    dated = pays & ~np.isnat(b.due_on) & (b.due_on < np.datetime64(as_of, "D"))
    for i in sorted(np.flatnonzero(dated).tolist(), key=lambda i: b.due_on[i]):
        s = at[ids[i]]
        if standing.overdue_fen[s] <= 0 or ids[i] in late:
            continue
        covered = int(b.due_fen[dated & (b.due_household == ids[i]) & (b.due_on <= b.due_on[i])].sum())
        if covered > standing.paid_fen[s]:
            late[ids[i]] = i
    overdue = sorted((row(i) for i in late.values()), key=lambda r: (-r.overdue_fen, r.household_no))
    return due, overdue


@dataclass(frozen=True)
class ReceiptSlip:
    """One receipt as printed: who paid what, when, to whom, and what the household still owed after it."""

    project_name: str
    receipt_no: str
    household_no: str
    name: str
    received_on: dt.date
    amount_fen: int
    clerk: str
    recorded_at: dt.datetime
    balance_after_fen: int


def receipt_slip(session: Session, project: Project, receipt_no: str) -> ReceiptSlip | None:
    """The receipt of that number in the project, with the balance after it (dues in force less the household's
    receipts recorded up to and including this one), or None."""
    found = session.execute(select(Receipt, Household.household_no, Household.name)
                            .join(Household, Household.id == Receipt.household_id)
                            .where(Receipt.project_id == project.id, Receipt.receipt_no == receipt_no)).first()
    if found is None:
        return None
    receipt, household_no, name = found
    owed = sum(session.execute(select(DueRow.amount_fen).join(Agreement, Agreement.id == DueRow.agreement_id)
                               .where(DueRow.household_id == receipt.household_id, Agreement.cancelled_at.is_(None),
                                      DueRow.direction == "pay")).scalars())
    paid = sum(session.execute(select(Receipt.amount_fen).where(Receipt.household_id == receipt.household_id,
                                                                Receipt.id <= receipt.id)).scalars())
    return ReceiptSlip(project.name, receipt.receipt_no, household_no, name, receipt.received_on, receipt.amount_fen,
                       receipt.clerk, receipt.recorded_at, owed - paid)


def recent_receipts(session: Session, project_id: int, limit: int = 50) -> list[tuple[str, str, dt.date, int]]:
    """(receipt number, household number, date, amount fen) of the latest receipts recorded, newest first."""
    return [tuple(r) for r in session.execute(
        select(Receipt.receipt_no, Household.household_no, Receipt.received_on, Receipt.amount_fen)
        .join(Household, Household.id == Receipt.household_id)
        .where(Receipt.project_id == project_id).order_by(Receipt.id.desc()).limit(limit))]
