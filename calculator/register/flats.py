"""Flats: the inventory imported all or nothing, and each household picking, in moving order, a flat of its type.

A flat goes to one household only: the UPDATE takes it only while its household_id is still empty, and the UNIQUE
household_id column refuses a second flat for a household, so two clerks racing get one success and one refusal on
either backend."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..fixed import cents_to_decimal
from ..policy import Policy
from . import oplog
from .ledger import active_agreement, household_by_no, quote_of
from .errors import RegisterError
from .flats_file import FlatRow, flat_address
from .models import Agreement, Household, Offer, utc_now
from .models_ledger import Flat, MovingOrder
from .rights import require


def unit_type_c(chosen_c: int, policy: Policy) -> int:
    """The unit type an agreement's chosen area stands for: the nearest type of the plan (a measured 48.37 m² is a
    48 m² flat; halfway between two, the smaller), or the area itself when the plan names no types."""
    types = [int(t * 100) for t in policy.type_areas]
    if not types:
        return chosen_c
    return min(types, key=lambda t: (abs(t - chosen_c), t))


def m2(area_c: int) -> str:
    return format(cents_to_decimal(area_c).normalize(), "f")


def import_flats(session: Session, project_id: int, rows: list[FlatRow], user: str) -> int:
    """Add every flat of the file, or none: a flat already in the register (same building, unit, room) is refused."""
    require(session, user, "flat.import")
    existing = {(b, u, r) for b, u, r in session.execute(
        select(Flat.building, Flat.unit, Flat.room).where(Flat.project_id == project_id))}
    for row in rows:
        if (row.building, row.unit, row.room) in existing:
            raise RegisterError("room", row.address, f"第{row.row}行：房屋 {row.address} 已在登记簿中",
                                f"row {row.row}: flat {row.address} is already in the register")
    now = utc_now()
    flats = [Flat(project_id=project_id, building=r.building, unit=r.unit, floor=r.floor, room=r.room, area_c=r.area_c,
                  type_c=r.type_c, imported_at=now, imported_by=user) for r in rows]
    session.add_all(flats)
    session.flush()
    oplog.record_many(session, [{"user": user, "action": "flat.import", "entity": "flat", "entity_id": f.id, "before": None,
                                     "after": _state(f)} for f in flats])
    return len(flats)


def _state(flat: Flat) -> dict:
    return {"address": flat_address(flat.building, flat.unit, flat.room), "floor": flat.floor, "area_c": flat.area_c,
            "type_c": flat.type_c, "household_id": flat.household_id}


def find_flat(session: Session, project_id: int, address: str) -> Flat:
    """A flat by its address as printed ('3-2-501', or '3-501' in a building without units)."""
    for flat in session.execute(select(Flat).where(Flat.project_id == project_id, Flat.room == address.rsplit("-", 1)[-1])).scalars():
        if flat_address(flat.building, flat.unit, flat.room) == address:
            return flat
    raise RegisterError("flat", address, f"登记簿中没有房屋“{address}”（格式：楼号-单元-房号）",
                        f"no flat '{address}' in the register (written building-unit-room)")


def allocate(session: Session, project_id: int, household_no: str, address: str, user: str, policy: Policy,
             out_of_turn: str | None = None) -> Flat:
    """Give a household the flat it picked. Refused: no agreement in force, a cash agreement, no moving-order number,
    not its turn (an earlier in-kind household has no flat yet; a supervisor may pass it with a reason), a flat of
    another type, a flat already taken, or a household that already has one."""
    require(session, user, "flat.allocate")
    household = household_by_no(session, project_id, household_no, lock=True)
    agreement = active_agreement(session, household)
    quote = quote_of(session, agreement)
    if quote.option != "in_kind":
        raise RegisterError("household", household_no, f"住户 {household_no} 选择货币补偿，不分配房屋",
                            f"household {household_no} took cash compensation: no flat is allocated")
    held = session.execute(select(Flat).where(Flat.household_id == household.id)).scalar_one_or_none()
    if held is not None:
        raise RegisterError("household", household_no, f"住户 {household_no} 已分得房屋 {_address(held)}",
                            f"household {household_no} already has flat {_address(held)}")
    order_no = session.execute(select(MovingOrder.order_no).where(MovingOrder.household_id == household.id)).scalar()
    if order_no is None:
        raise RegisterError("household", household_no, f"住户 {household_no} 尚无搬迁顺序号（先抽签或按签约时间排序）",
                            f"household {household_no} has no moving-order number yet (run the draw or order by signing time)")
    waiting = _first_waiting(session, project_id, order_no)
    if waiting is not None:
        if not out_of_turn or not out_of_turn.strip():
            raise RegisterError("household", household_no,
                                f"尚未轮到住户 {household_no}（顺序号 {order_no}）：顺序号 {waiting[0]} 的住户 {waiting[1]} 还未选房",
                                f"it is not yet the turn of household {household_no} (number {order_no}): household "
                                f"{waiting[1]} (number {waiting[0]}) has not picked a flat")
        require(session, user, "flat.allocate_out_of_turn")
    flat = find_flat(session, project_id, address)
    wanted = unit_type_c(int(quote.areas["chosen"] * 100), policy)
    if flat.type_c != wanted:
        raise RegisterError("flat", address, f"房屋 {address} 为 {m2(flat.type_c)}㎡ 户型，协议约定 {m2(wanted)}㎡ 户型",
                            f"flat {address} is a {m2(flat.type_c)} m² unit; the agreement is for a {m2(wanted)} m² unit")
    before = _state(flat)
    try:
        with session.begin_nested():
            taken = session.execute(update(Flat).where(Flat.id == flat.id, Flat.household_id.is_(None)).values(
                household_id=household.id, allocated_at=utc_now(), allocated_by=user).execution_options(synchronize_session=False))
    except IntegrityError:  # another clerk gave this household a flat a moment ago
        raise RegisterError("household", household_no, f"住户 {household_no} 刚刚已分得另一套房屋",
                            f"household {household_no} has just been given another flat") from None
    if taken.rowcount != 1:
        session.refresh(flat)
        other = session.get(Household, flat.household_id)
        raise RegisterError("flat", address, f"房屋 {address} 已分配给住户 {other.household_no if other else ''}",
                            f"flat {address} is already allocated to household {other.household_no if other else ''}")
    session.refresh(flat)
    oplog.record(session, user=user, action="flat.allocate", entity="flat", entity_id=flat.id, before=before,
                 after={**_state(flat), "order_no": order_no,
                        **({"out_of_turn": out_of_turn.strip()} if waiting is not None else {})},
                 household_id=household.id)
    return flat


def _first_waiting(session: Session, project_id: int, order_no: int) -> tuple[int, str] | None:
    """The earliest-numbered in-kind household before order_no still without a flat, if any."""
    earlier = (select(MovingOrder.order_no, Household.household_no, Household.id)
               .join(Household, Household.id == MovingOrder.household_id)
               .join(Agreement, (Agreement.household_id == Household.id) & Agreement.cancelled_at.is_(None))
               .join(Offer, Offer.id == Agreement.offer_id)
               .outerjoin(Flat, Flat.household_id == Household.id)
               .where(MovingOrder.project_id == project_id, MovingOrder.order_no < order_no, Flat.id.is_(None),
                      Offer.option == "in_kind")
               .order_by(MovingOrder.order_no).limit(1))
    row = session.execute(earlier).first()
    return (row[0], row[1]) if row else None


def _address(flat: Flat) -> str:
    return flat_address(flat.building, flat.unit, flat.room)


def inventory(session: Session, project_id: int) -> tuple[list[int], list[bool]]:
    """(type_c, allocated?) of every flat of the project, for the flats report."""
    rows = session.execute(select(Flat.type_c, Flat.household_id.is_not(None)).where(Flat.project_id == project_id)).all()
    return [r[0] for r in rows], [bool(r[1]) for r in rows]

