"""Who may do what in the register: one table of actions and the roles allowed, checked by every writing function,
and each refusal kept to be written to the operator log after the refused transaction has rolled back.

Roles: a clerk (经办人) keeps the households' files: imports surveys and flats, makes offers, allocates flats in turn,
records move-ins and receipts, issues residents' access codes. A supervisor (主管) may do all that too (the head of
an office stands in at the counter), and alone signs and cancels agreements, creates projects and adopts policies,
runs the moving-order draw, allocates out of turn and manages users. An auditor (审计员) reads everything and changes
nothing. A resident has no user row: the app shows them their own household only (ui/resident_page.py)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import RegisterError
from .models import User

ROLE_LABELS = {"clerk": "经办人", "supervisor": "主管", "auditor": "审计员"}
WRITERS = ("clerk", "supervisor")
SUPERVISOR = ("supervisor",)

RIGHTS: dict[str, tuple[str, ...]] = {
    "household.import": WRITERS,
    "offer.make": WRITERS,
    "flat.import": WRITERS,
    "flat.allocate": WRITERS,
    "household.move_in": WRITERS,
    "receipt.record": WRITERS,
    "payout.record": WRITERS,
    "access_code.issue": WRITERS,
    "agreement.sign": SUPERVISOR,
    "agreement.cancel": SUPERVISOR,
    "project.create": SUPERVISOR,
    "policy.adopt": SUPERVISOR,
    "order.draw": SUPERVISOR,
    "order.by_signing": SUPERVISOR,
    "flat.allocate_out_of_turn": SUPERVISOR,
    "user.add": SUPERVISOR,
    "user.disable": SUPERVISOR,
    "user.enable": SUPERVISOR,
    "user.reset": SUPERVISOR,
}

REFUSALS = "anzhi_refusals"  # session.info key: refusals waiting for their own transaction (db.py writes them)


class Refused(RegisterError):
    """A user may not do this (unknown, disabled, or without the role); logged in the operator log with the user."""


def require(session: Session, name: str, action: str) -> User:
    """The user named, if they may do `action` (a key of RIGHTS); otherwise Refused, logged."""
    return require_user(session, name, RIGHTS[action], action=action)


def require_user(session: Session, name: str, roles: tuple[str, ...] = WRITERS, *, action: str = "") -> User:
    """The user named, if they are active and hold one of `roles`; otherwise Refused naming the user and what is
    needed. The refusal is written to the operator log once this session has ended (db.transaction, db.reading)."""
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        raise _refuse(session, name, action, "unknown", RegisterError(
            "user", name, f"用户“{name}”不在登记簿中（用 register user add 添加）",
            f"user '{name}' is not in the register (add them with `register user add`)"))
    if user.disabled_at is not None:
        raise _refuse(session, name, action, "disabled", RegisterError(
            "user", name, f"用户“{name}”已停用", f"user '{name}' is disabled"))
    if user.role not in roles:
        need_zh = "或".join(ROLE_LABELS[r] for r in roles)
        raise _refuse(session, name, action, "role", RegisterError(
            "user", name, f"用户“{name}”是{ROLE_LABELS.get(user.role, user.role)}，此操作需要{need_zh}",
            f"user '{name}' is a {user.role}; this needs a {' or '.join(roles)}"))
    return user


def _refuse(session: Session, name: str, action: str, reason: str, error: RegisterError) -> Refused:
    session.info.setdefault(REFUSALS, []).append(
        {"user": name, "action": "refused", "entity": "right", "entity_id": action or "",
         "before": None, "after": {"reason": reason, "zh": error.message_zh, "en": error.message_en}})
    return Refused(error.field, error.value, error.message_zh, error.message_en)


def write_refusals(engine, session: Session) -> None:
    """Write the refusals `session` met to the operator log, in a transaction of their own (the refused one has
    rolled back, and a refusal must not be lost with it)."""
    pending = session.info.pop(REFUSALS, None)
    if not pending:
        return
    from . import oplog
    from .db import transaction

    with transaction(engine) as log_session:
        oplog.record_many(log_session, pending)
