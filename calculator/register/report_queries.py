"""Read what each register report needs from the database and hand it to the builders in reports.py."""
from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..batch.cells import parse_cents
from ..batch.headers import canonical_field
from ..policy import Policy
from . import dues as rules
from . import ledger, order, reports
from .flats import inventory, unit_type_c
from .models import Agreement, Household, Offer
from .models_ledger import Flat, MoveIn


def _count(session: Session, query) -> int:
    return int(session.execute(query).scalar_one())


def progress(session: Session, project_id: int, as_of: dt.date) -> reports.Report:
    in_project = Household.project_id == project_id
    standing = rules.standing(ledger.book(session, project_id), as_of)
    counts = {
        "surveyed": _count(session, select(func.count()).select_from(Household).where(in_project)),
        "offered": _count(session, select(func.count(distinct(Offer.household_id))).join(Household).where(in_project)),
        "signed": _count(session, select(func.count()).select_from(Agreement).where(
            Agreement.project_id == project_id, Agreement.cancelled_at.is_(None))),
        "flat_chosen": _count(session, select(func.count()).select_from(Flat).where(
            Flat.project_id == project_id, Flat.household_id.is_not(None))),
        "moved_in": _count(session, select(func.count()).select_from(MoveIn).join(Household).where(in_project)),
        "paid_up": int((standing.status == rules.PAID_UP).sum()),
    }
    report = reports.progress(counts)
    report.notes.append((f"统计截至 {as_of.isoformat()}", f"as of {as_of.isoformat()}"))
    return report


def funds(session: Session, project_id: int, as_of: dt.date) -> reports.Report:
    return reports.funds_by_month(ledger.book(session, project_id), as_of)


def overdue(session: Session, project_id: int, as_of: dt.date) -> reports.Report:
    standing = rules.standing(ledger.book(session, project_id), as_of)
    late_ids = standing.household_id[np.isin(standing.status, [rules.OVERDUE, rules.LOW_RENT])].tolist()
    people = {}
    for start in range(0, len(late_ids), 5000):
        for hid, no, name, survey in session.execute(select(Household.id, Household.household_no, Household.name,
                                                            Household.survey).where(Household.id.in_(late_ids[start:start + 5000]))):
            people[hid] = (no, name, _phone(survey))
    return reports.overdue(standing, people, as_of)


def _phone(survey: dict) -> str:
    """The phone number as the survey gave it, under whatever header it used."""
    return next((str(v) for k, v in (survey or {}).items() if canonical_field(k) == "phone"), "")


def flats(session: Session, project_id: int, policy: Policy) -> reports.Report:
    types, allocated = inventory(session, project_id)
    chosen = session.execute(select(Household.inputs).join(Agreement, (Agreement.household_id == Household.id)
                                                           & Agreement.cancelled_at.is_(None))
                             .join(Offer, Offer.id == Agreement.offer_id)
                             .where(Household.project_id == project_id, Offer.option == "in_kind")).scalars()
    signed = [unit_type_c(parse_cents(str(inputs.get("unit_area", "")))[0], policy) for inputs in chosen
              if inputs and inputs.get("unit_area")]
    return reports.flats_mix(policy, np.array(types, dtype=np.int64), np.array(allocated, dtype=bool),
                             np.array(signed, dtype=np.int64))


def public(session: Session, project_id: int) -> reports.Report:
    rows, draws = order.public_rows(session, project_id)
    notes = [(f"第{d.first_order_no}至{d.first_order_no + d.households - 1}号：公开抽签，种子“{d.seed}”，名单指纹 {d.list_sha256}",
              (f"numbers {d.first_order_no} to {d.first_order_no + d.households - 1}: public draw, seed '{d.seed}', "
              f"list sha256 {d.list_sha256}")) for d in draws]
    notes.append(("复核方法：对每个户号计算 sha256(种子 + \":\" + 户号)，按结果升序排列即为顺序",
                  "to check: compute sha256(seed + \":\" + household number) for each household and sort ascending"))
    if draws:
        return reports.public_order(rows, "公开抽签（未参加抽签的按签约时间）", "public draw (others by signing time)", notes)
    return reports.public_order(rows, "签约时间（同一秒内按协议编号）", "signing time (within one second, by agreement number)", [])
