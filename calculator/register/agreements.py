"""Agreements (协议): signing freezes a household's newest offer under a per-project number without gaps, with the
statement PDF as its document (sha256 kept); a supervisor cancels one with a reason, and it stays in the history."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..result import Quote
from . import oplog
from .errors import RegisterError, not_found
from .models import Agreement, Household, Offer, PolicyVersion, Project, utc_now
from .offers import latest_offers
from .projects import current_policy, loaded_policy
from .rights import require

SIGNED, OFFERED = "signed", "offered"
MAX_REASON = 1000


@dataclass
class Document:
    """An agreement document rendered for one offer, before it is signed."""

    household_no: str
    offer_id: int
    pdf: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def household(session: Session, project: Project, number: str) -> Household:
    found = session.execute(select(Household).where(Household.project_id == project.id,
                                                    Household.household_no == number)).scalar_one_or_none()
    if found is None:
        raise not_found("household", number, "户号", "household")
    return found


def signable_offer(session: Session, project: Project, h: Household) -> Offer:
    """The offer a household would sign: its newest, made under the project's current policy; else RegisterError."""
    if h.status == SIGNED:
        number = session.execute(select(Agreement.number).where(Agreement.household_id == h.id,
                                                                Agreement.cancelled_at.is_(None))).scalar_one_or_none()
        raise RegisterError("household", h.household_no, f"住户 {h.household_no} 已签约（协议第{number}号）",
                            f"household {h.household_no} has already signed (agreement no. {number})")
    offer = latest_offers(session, [h.id]).get(h.id)
    if h.status != OFFERED or offer is None:
        raise RegisterError("household", h.household_no, f"住户 {h.household_no} 没有最新的安置方案：请先运行 register offer",
                            f"household {h.household_no} has no up-to-date offer: run `register offer` first")
    policy = current_policy(session, project)
    if offer.policy_version_id != policy.id:
        raise RegisterError("household", h.household_no,
                            f"住户 {h.household_no} 的方案按旧政策计算，项目已采用 {policy.policy_id} {policy.version}：请先运行 register offer",
                            f"household {h.household_no}'s offer is under an older policy; the project now uses "
                            f"{policy.policy_id} {policy.version}: run `register offer` first")
    return offer


def render_document(session: Session, h: Household, offer: Offer, issued: dt.date, lang: str = "zh") -> Document:
    """The statement PDF of the offer: the agreement's document (rendered outside the signing lock)."""
    from reportlab.platypus.doctemplate import LayoutError

    from ..statements.pdf_statement import statement_pdf

    loaded = loaded_policy(session.get(PolicyVersion, offer.policy_version_id))
    quote = Quote.model_validate_json(offer.quote_json)
    try:
        pdf = statement_pdf(quote, loaded, household_id=h.household_no, name=h.name or None,
                            id_number=h.id_number or None, address=h.inputs.get("address") or None,
                            issued=issued, lang=lang)
    except LayoutError:
        raise RegisterError("household", h.household_no, f"住户 {h.household_no} 的姓名或地址过长，无法排入协议文书",
                            f"household {h.household_no}'s name or address is too long to fit the agreement document") from None
    return Document(household_no=h.household_no, offer_id=offer.id, pdf=pdf)


def sign(session: Session, project: Project, document: Document, by: str) -> Agreement:
    """Sign the rendered offer (the caller's transaction, the project locked): the next number, no gaps."""
    require(session, by, "agreement.sign")
    h = household(session, project, document.household_no)
    offer = signable_offer(session, project, h)
    if offer.id != document.offer_id:
        raise RegisterError("household", h.household_no, f"住户 {h.household_no} 的方案刚刚更新，请重新签约",
                            f"household {h.household_no}'s offer changed just now; sign again")
    number = session.execute(select(func.coalesce(func.max(Agreement.number), 0))
                             .where(Agreement.project_id == project.id)).scalar_one() + 1
    agreement = Agreement(project_id=project.id, number=number, household_id=h.id, offer_id=offer.id,
                          signed_at=utc_now(), signed_by=by, document_sha256=document.sha256, document=document.pdf)
    session.add(agreement)
    h.status, h.updated_at = SIGNED, agreement.signed_at
    session.flush()
    oplog.record(session, user=by, action="agreement.sign", entity="agreement", entity_id=agreement.id,
                 household_id=h.id, before={"status": OFFERED},
                 after={"status": SIGNED, "number": number, "offer_version": offer.version, "net_fen": offer.net_fen,
                        "policy_sha256": offer.policy_sha256, "document_sha256": document.sha256,
                        "signed_at": agreement.signed_at})
    return agreement


def cancel(session: Session, project: Project, household_no: str, reason: str, by: str) -> Agreement:
    """Cancel the household's agreement in force: a supervisor, with a reason. Its number is not reused."""
    require(session, by, "agreement.cancel")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise RegisterError("reason", reason, f"撤销协议须写明原因（1至{MAX_REASON}个字符）",
                            f"a cancellation needs a reason (1 to {MAX_REASON} characters)")
    h = household(session, project, household_no)
    agreement = session.execute(select(Agreement).where(Agreement.household_id == h.id, Agreement.cancelled_at.is_(None))
                                .with_for_update()).scalar_one_or_none()
    if agreement is None:
        raise RegisterError("household", household_no, f"住户 {household_no} 没有生效的协议",
                            f"household {household_no} has no agreement in force")
    agreement.cancelled_at, agreement.cancelled_by, agreement.cancel_reason = utc_now(), by, reason
    h.status, h.updated_at = OFFERED, agreement.cancelled_at
    session.flush()
    oplog.record(session, user=by, action="agreement.cancel", entity="agreement", entity_id=agreement.id,
                 household_id=h.id, before={"status": SIGNED, "number": agreement.number},
                 after={"status": OFFERED, "number": agreement.number, "cancelled_at": agreement.cancelled_at,
                        "reason": reason})
    return agreement


def due_for_signing(session: Session, project: Project) -> list[str]:
    """Household numbers with an offer and no agreement in force, in household order."""
    return list(session.execute(select(Household.household_no).where(Household.project_id == project.id,
                                                                     Household.status == OFFERED)
                                .order_by(Household.id)).scalars())
