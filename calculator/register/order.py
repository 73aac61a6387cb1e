"""Giving households their moving-order numbers (搬迁顺序号) in the register: by a public draw or by signing time.

Each run numbers the households whose agreement is in force and who have no number yet, after the last number
given, so a later signer joins the end and a published number never changes."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import draw as drawing
from . import oplog
from .errors import RegisterError
from .models import Agreement, Household, utc_now
from .models_ledger import Draw, MovingOrder
from .rights import require


def _unordered(session: Session, project_id: int):
    ordered = select(MovingOrder.household_id).where(MovingOrder.project_id == project_id)
    return session.execute(
        select(Household.id, Household.household_no, Agreement.signed_at, Agreement.number)
        .join(Agreement, (Agreement.household_id == Household.id) & Agreement.cancelled_at.is_(None))
        .where(Household.project_id == project_id, Household.id.not_in(ordered))).all()


def _number(session: Session, project_id: int, user: str, ids_in_order: list[int], method: str,
            draw_id: int | None) -> int:
    last = session.execute(select(func.coalesce(func.max(MovingOrder.order_no), 0))
                           .where(MovingOrder.project_id == project_id)).scalar_one()
    now = utc_now()
    rows = [MovingOrder(project_id=project_id, household_id=hid, order_no=last + i, method=method, draw_id=draw_id,
                        ordered_at=now, ordered_by=user) for i, hid in enumerate(ids_in_order, start=1)]
    session.add_all(rows)
    session.flush()
    oplog.record_many(session, [{"user": user, "action": "order.assign", "entity": "moving_order", "entity_id": r.id, "before": None,
                                     "after": {"order_no": r.order_no, "method": method, "draw_id": draw_id},
                                     "household_id": r.household_id} for r in rows])
    return last + 1


def _nothing_to_order() -> RegisterError:
    return RegisterError("households", "0", "没有待排序的住户（已签协议且尚无搬迁顺序号的住户）",
                         "no household to order (signed, and without a moving-order number yet)")


def run_draw(session: Session, project_id: int, seed: str, user: str) -> Draw:
    """The public draw over every signed household not yet numbered; a supervisor runs it."""
    require(session, user, "order.draw")
    drawing.check_seed(seed)
    pending = _unordered(session, project_id)
    if not pending:
        raise _nothing_to_order()
    by_no = {no: hid for hid, no, _, _ in pending}
    drawn = drawing.draw_order(seed, by_no)
    record = Draw(project_id=project_id, seed=seed, list_sha256=drawing.list_sha256(by_no), households=len(drawn),
                  first_order_no=0, drawn_at=utc_now(), drawn_by=user)
    session.add(record)
    session.flush()
    record.first_order_no = _number(session, project_id, user, [by_no[no] for no in drawn], "draw", record.id)
    oplog.record(session, user=user, action="order.draw", entity="draw", entity_id=record.id, before=None,
                 after={"seed": seed, "list_sha256": record.list_sha256, "households": len(drawn),
                        "first_order_no": record.first_order_no})
    return record


def run_by_signing(session: Session, project_id: int, user: str) -> tuple[int, int]:
    """Number every signed household not yet numbered by signing time; returns (first number, how many)."""
    require(session, user, "order.by_signing")
    pending = _unordered(session, project_id)
    if not pending:
        raise _nothing_to_order()
    by_no = {no: hid for hid, no, _, _ in pending}
    ordered = drawing.signing_order(drawing.Signed(no, at, number) for _, no, at, number in pending)
    return _number(session, project_id, user, [by_no[no] for no in ordered], "signing", None), len(ordered)


def public_rows(session: Session, project_id: int) -> tuple[list[tuple[int, str, str]], list[Draw]]:
    """(order number, household number, name) of every numbered household, and the draws behind them."""
    rows = session.execute(select(MovingOrder.order_no, Household.household_no, Household.name)
                           .join(Household, Household.id == MovingOrder.household_id)
                           .where(MovingOrder.project_id == project_id).order_by(MovingOrder.order_no)).all()
    draws = list(session.execute(select(Draw).where(Draw.project_id == project_id).order_by(Draw.id)).scalars())
    return [tuple(r) for r in rows], draws
