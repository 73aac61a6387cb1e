"""What a resident signed in with their access code may see: their own household, found by its project and household
number together, as plain data. Nothing only the office sees goes in (no ID number, survey row, operator log or
clerks' names), and nothing is written: an account the ledger has not opened yet is shown as the dues it will open."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..policy import LoadedPolicy
from ..result import Quote
from . import dues as rules
from . import ledger
from .errors import RegisterError
from .flats_file import flat_address
from .models import Agreement, Household, Offer, PolicyVersion, Project
from .models_ledger import DueRow, Flat, MoveIn, MovingOrder
from .offers import latest_offers
from .projects import loaded_policy


@dataclass(frozen=True)
class ResidentFlat:
    address: str  # building-unit-room, as printed
    floor: int
    area_c: int  # measured floor area, hundredths of a m²
    type_c: int  # the unit type, hundredths of a m²


@dataclass(frozen=True)
class ResidentFile:
    """One household as its resident sees it. `quote` is the agreement's offer when `signed`, else the newest offer
    (None before any offer is made); `account` is ledger.account's, None until an agreement is signed."""

    project_name: str
    household_no: str
    name: str
    quote: Quote | None
    policy: LoadedPolicy | None
    signed: bool
    agreement_no: int | None
    signed_on: dt.date | None
    document: bytes | None
    document_sha256: str | None
    order_no: int | None
    flat: ResidentFlat | None
    moved_in_on: dt.date | None
    account: dict | None


def own_household(session: Session, project_id: int | None, household_no: str | None) -> Household:
    """The household numbered `household_no` in project `project_id`, both required: a household number alone may
    be another project's household."""
    if not isinstance(project_id, int) or not household_no:
        raise RegisterError("household", household_no or "", "未指明项目和户号，不能查看住户档案",
                            "no project and household number: no household's file can be shown")
    return ledger.household_by_no(session, project_id, household_no)


def _account(session: Session, h: Household, offer: Offer, as_of: dt.date, lang: str) -> dict:
    """The ledger's account; for an agreement signed since the ledger was last used, the dues open_accounts will
    write (undated: nobody moves in before the account is opened), with no receipts."""
    opened = session.execute(select(DueRow.id).join(Agreement, Agreement.id == DueRow.agreement_id)
                             .where(DueRow.household_id == h.id, Agreement.cancelled_at.is_(None)).limit(1)).first()
    if opened is not None:
        return ledger.account(session, h, as_of, lang)
    schedule = rules.schedule(rules.SignedAmounts.model_validate_json(offer.quote_json))
    pending = rules.Book.of([(h.id, d.kind, d.number, None, d.amount_fen, d.direction) for d in schedule], [])
    return ledger.account(session, h, as_of, lang, known=pending)


def resident_file(session: Session, project_id: int | None, household_no: str | None, as_of: dt.date,
                  lang: str = "zh") -> ResidentFile:
    """The resident's own file on `as_of`; RegisterError when the project and number name no household."""
    h = own_household(session, project_id, household_no)
    project = session.get(Project, h.project_id)
    agreement = session.execute(select(Agreement).where(Agreement.household_id == h.id,
                                                        Agreement.cancelled_at.is_(None))).scalar_one_or_none()
    offer = session.get(Offer, agreement.offer_id) if agreement else latest_offers(session, [h.id]).get(h.id)
    quote = Quote.model_validate_json(offer.quote_json) if offer else None
    policy = loaded_policy(session.get(PolicyVersion, offer.policy_version_id)) if offer else None
    order_no = session.execute(select(MovingOrder.order_no).where(MovingOrder.household_id == h.id,
                                                                  MovingOrder.vacated_at.is_(None))).scalar()
    flat = session.execute(select(Flat).where(Flat.household_id == h.id)).scalar_one_or_none()
    moved_in_on = session.execute(select(MoveIn.moved_in_on).where(MoveIn.household_id == h.id)).scalar()
    return ResidentFile(
        project_name=project.name, household_no=h.household_no, name=h.name, quote=quote, policy=policy,
        signed=agreement is not None, agreement_no=agreement.number if agreement else None,
        signed_on=agreement.signed_at.date() if agreement else None,
        document=agreement.document if agreement else None,
        document_sha256=agreement.document_sha256 if agreement else None, order_no=order_no,
        flat=ResidentFlat(flat_address(flat.building, flat.unit, flat.room), flat.floor, flat.area_c, flat.type_c)
        if flat else None,
        moved_in_on=moved_in_on, account=_account(session, h, offer, as_of, lang) if agreement else None)
