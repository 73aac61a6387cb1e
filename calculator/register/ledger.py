"""The payments ledger: each signed agreement's dues, receipts and payouts checked before they are written, move-ins,
balances.

A household's account is opened from its agreement's Quote the first time the ledger is used after the signing
(open_accounts); its installments are dated when the move-in is recorded. A receipt (money in) or a payout (money
out: cash compensation and the like) is refused, with nothing written, when it is not above zero, dated before the
agreement, more than is still due, or under a receipt or voucher number already used (the UNIQUE constraint settles
two clerks racing on one number)."""
from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import String, cast, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..fixed import fmt_money
from ..result import Quote
from . import dues as rules
from . import oplog
from .errors import RegisterError, not_found
from .models import Agreement, Household, Offer, utc_now
from .models_ledger import DueRow, Flat, MoveIn, Payout, Receipt
from .rights import require

RECEIPT_NO_MAX = 60  # receipt and voucher numbers alike


def yuan(fen: int) -> str:
    """12345 -> '123.45', as a clerk reads an amount in a message."""
    return fmt_money(fen, "")


# ------------------------------------------------------------------------------------------------ look-ups
def household_by_no(session: Session, project_id: int, household_no: str, lock: bool = False) -> Household:
    """The household, its row locked until the transaction ends when `lock` (PostgreSQL; SQLite writes are serial)."""
    query = select(Household).where(Household.project_id == project_id, Household.household_no == household_no)
    found = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if found is None:
        raise not_found("household", household_no, "住户", "household")
    return found


def active_agreement(session: Session, household: Household) -> Agreement:
    found = session.execute(select(Agreement).where(Agreement.household_id == household.id,
                                                    Agreement.cancelled_at.is_(None))).scalar_one_or_none()
    if found is None:
        raise RegisterError("household", household.household_no, f"住户 {household.household_no} 没有生效的协议",
                            f"household {household.household_no} has no agreement in force")
    return found


def quote_of(session: Session, agreement: Agreement) -> Quote:
    return Quote.model_validate_json(session.get(Offer, agreement.offer_id).quote_json)


# ------------------------------------------------------------------------------------------------ accounts
def _without_account(project_id: int):
    """The agreements in force of a project whose dues are not written yet."""
    has_dues = select(DueRow.agreement_id).where(DueRow.project_id == project_id)
    return (Agreement.project_id == project_id, Agreement.cancelled_at.is_(None), Agreement.id.not_in(has_dues))


def accounts_to_open(session: Session, project_id: int) -> int:
    """How many agreements in force have no account yet (a read, so a reading command takes no write lock for none)."""
    return session.execute(select(func.count()).select_from(Agreement).where(*_without_account(project_id))).scalar_one()


SYSTEM_USER = "register"  # who opens accounts when a read needs them (a report, a page): derived data, no one's action


def open_accounts(session: Session, project_id: int, user: str) -> int:
    """Write the dues of every agreement in force that has none yet; returns how many accounts were opened."""
    pending = session.execute(
        select(Agreement.id, Agreement.household_id, Offer.quote_json).join(Offer, Offer.id == Agreement.offer_id)
        .where(*_without_account(project_id)).order_by(Agreement.number)).all()
    rows, entries = [], []
    for agreement_id, household_id, quote_json in pending:
        schedule = rules.schedule(rules.SignedAmounts.model_validate_json(quote_json))
        part = [{"project_id": project_id, "household_id": household_id, "agreement_id": agreement_id, "kind": d.kind,
                     "number": d.number, "years_after_move_in": d.years_after_move_in, "due_on": d.due_on,
                     "amount_fen": d.amount_fen, "direction": d.direction} for d in schedule]
        rows += part
        entries.append({"user": user, "action": "account.open", "entity": "agreement", "entity_id": agreement_id, "before": None,
                            "after": [{k: p[k] for k in ("kind", "number", "amount_fen", "direction")} for p in part],
                            "household_id": household_id})
    for start in range(0, len(rows), 5000):
        session.execute(insert(DueRow), rows[start:start + 5000])
    oplog.record_many(session, entries)
    return len(pending)


def _dues_in_force(session: Session, household_id: int) -> list[DueRow]:
    return list(session.execute(
        select(DueRow).join(Agreement, Agreement.id == DueRow.agreement_id)
        .where(DueRow.household_id == household_id, Agreement.cancelled_at.is_(None))
        .order_by(DueRow.direction, DueRow.kind != rules.BEFORE_MOVE_IN, DueRow.number)).scalars())


def _paid_fen(session: Session, household_id: int) -> int:
    return sum(session.execute(select(Receipt.amount_fen).where(Receipt.household_id == household_id)).scalars())


def _paid_out_fen(session: Session, household_id: int) -> int:
    return sum(session.execute(select(Payout.amount_fen).where(Payout.household_id == household_id)).scalars())


# ------------------------------------------------------------------------------------------------ receipts, payouts
# What differs between money in and money out: the table, its number column, the words, and which dues it settles.
_RECEIPT = {"model": Receipt, "no": "receipt_no", "on": "received_on", "direction": "pay", "action": "receipt.add",
            "right": "receipt.record", "entity": "receipt", "no_zh": "收据号", "no_en": "receipt number", "what_zh": "收款",
            "what_en": "the receipt", "one_en": "a receipt", "date_zh": "收款日期"}
_PAYOUT = {"model": Payout, "no": "voucher_no", "on": "paid_on", "direction": "receive", "action": "payout.add",
           "right": "payout.record", "entity": "payout", "no_zh": "付款凭证号", "no_en": "voucher number", "what_zh": "付款",
           "what_en": "the payout", "one_en": "a payout", "date_zh": "付款日期"}


def _checked(session: Session, project_id: int, kind: dict, household_no: str, number: str, on: dt.date,
             amount_fen: int, clerk: str) -> tuple[Household, str, int]:
    """Every check a receipt or a payout passes before it is written: (the household locked, the number, what is
    still due in that direction before this one)."""
    require(session, clerk, kind["right"])
    number = (number or "").strip()
    if not number or len(number) > RECEIPT_NO_MAX:
        raise RegisterError(kind["no"], number, f"{kind['no_zh']}不能为空且不超过{RECEIPT_NO_MAX}个字符",
                            f"a {kind['no_en']} must be 1 to {RECEIPT_NO_MAX} characters")
    if amount_fen <= 0:
        raise RegisterError("amount", yuan(amount_fen), f"{kind['what_zh']}金额须大于0，收到 {yuan(amount_fen)} 元",
                            f"{kind['one_en']} must be above zero, got {yuan(amount_fen)} yuan")
    household = household_by_no(session, project_id, household_no, lock=True)
    agreement = active_agreement(session, household)
    signed_on = agreement.signed_at.date()
    if on < signed_on:
        raise RegisterError("date", on.isoformat(), f"{kind['date_zh']} {on} 早于协议签订日期 {signed_on}",
                            f"{kind['what_en']} is dated {on}, before the agreement was signed on {signed_on}")
    model = kind["model"]
    used = session.execute(select(model.household_id).where(model.project_id == project_id,
                                                            getattr(model, kind["no"]) == number)).first()
    if used is not None:
        raise _duplicate(kind, number)
    due = sum(d.amount_fen for d in _dues_in_force(session, household.id) if d.direction == kind["direction"])
    if kind is _RECEIPT:
        balance = due - _paid_fen(session, household.id)
        if amount_fen > balance:
            raise RegisterError("amount", yuan(amount_fen),
                                f"收款 {yuan(amount_fen)} 元超过住户 {household_no} 的欠款余额 {yuan(balance)} 元",
                                f"{yuan(amount_fen)} yuan is more than household {household_no} owes ({yuan(balance)} yuan)")
    else:
        balance = due - _paid_out_fen(session, household.id)
        if due == 0:
            raise RegisterError("household", household_no, f"住户 {household_no} 的协议没有应付给住户的款项",
                                f"household {household_no}'s agreement pays the household nothing")
        if balance == 0:
            raise RegisterError("amount", yuan(amount_fen), f"应付给住户 {household_no} 的 {yuan(due)} 元已全部付清",
                                f"the {yuan(due)} yuan payable to household {household_no} has all been paid")
        if amount_fen > balance:
            raise RegisterError("amount", yuan(amount_fen),
                                f"付款 {yuan(amount_fen)} 元超过应付给住户 {household_no} 的余额 {yuan(balance)} 元",
                                f"{yuan(amount_fen)} yuan is more than is still payable to household {household_no} "
                                f"({yuan(balance)} yuan)")
    return household, number, balance


def _write(session: Session, project_id: int, kind: dict, household: Household, number: str, on: dt.date,
           amount_fen: int, clerk: str, balance: int):
    row = kind["model"](project_id=project_id, household_id=household.id, amount_fen=amount_fen, clerk=clerk,
                        recorded_at=utc_now(), **{kind["no"]: number, kind["on"]: on})
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another clerk recorded this number a moment ago
        raise _duplicate(kind, number) from None
    oplog.record(session, user=clerk, action=kind["action"], entity=kind["entity"], entity_id=row.id,
                 before=None, after={kind["no"]: number, kind["on"]: on, "amount_fen": amount_fen,
                                     "balance_before_fen": balance}, household_id=household.id)
    return row


def receive(session: Session, project_id: int, *, household_no: str, receipt_no: str, received_on: dt.date,
            amount_fen: int, clerk: str) -> Receipt:
    """Record money a household paid in, after every check; a refusal writes nothing."""
    household, number, balance = _checked(session, project_id, _RECEIPT, household_no, receipt_no, received_on,
                                          amount_fen, clerk)
    return _write(session, project_id, _RECEIPT, household, number, received_on, amount_fen, clerk, balance)


def pay(session: Session, project_id: int, *, household_no: str, voucher_no: str, paid_on: dt.date,
        amount_fen: int, clerk: str) -> Payout:
    """Record money paid out to a household (its payout: cash compensation, compensation for an untaken area), after
    every check: above zero, not before the agreement, not more than is still payable (so never twice in full), and a
    voucher number not used before in the project. A refusal writes nothing."""
    household, number, balance = _checked(session, project_id, _PAYOUT, household_no, voucher_no, paid_on,
                                          amount_fen, clerk)
    return _write(session, project_id, _PAYOUT, household, number, paid_on, amount_fen, clerk, balance)


def _duplicate(kind: dict, number: str) -> RegisterError:
    return RegisterError(kind["no"], number, f"{kind['no_zh']} {number} 已登记过，不能重复使用",
                         f"{kind['no_en']} {number} has already been recorded")


# ------------------------------------------------------------------------------------------------ move-in
def move_in(session: Session, project_id: int, *, household_no: str, moved_in_on: dt.date, user: str) -> MoveIn:
    """Record the move-in: the household has its flat and has paid what is due before move-in; its installments are
    dated from this day (the policy's years after move-in)."""
    require(session, user, "household.move_in")
    household = household_by_no(session, project_id, household_no, lock=True)
    agreement = active_agreement(session, household)
    flat = session.execute(select(Flat).where(Flat.household_id == household.id)).scalar_one_or_none()
    if flat is None:
        raise RegisterError("household", household_no, f"住户 {household_no} 尚未分得房屋，不能登记入住",
                            f"household {household_no} has no flat yet, so cannot move in")
    if session.execute(select(MoveIn).where(MoveIn.household_id == household.id)).scalar_one_or_none() is not None:
        raise RegisterError("household", household_no, f"住户 {household_no} 已登记入住", f"household {household_no} has already moved in")
    if moved_in_on < agreement.signed_at.date():
        raise RegisterError("date", moved_in_on.isoformat(), f"入住日期 {moved_in_on} 早于协议签订日期 {agreement.signed_at.date()}",
                            f"the move-in date {moved_in_on} is before the agreement was signed ({agreement.signed_at.date()})")
    dues = _dues_in_force(session, household.id)
    before = sum(d.amount_fen for d in dues if d.kind == rules.BEFORE_MOVE_IN)
    paid = _paid_fen(session, household.id)
    if paid < before:
        raise RegisterError("household", household_no,
                            f"住户 {household_no} 入住前应交 {yuan(before)} 元，已交 {yuan(paid)} 元，未交清不能入住",
                            f"household {household_no} must pay {yuan(before)} yuan before moving in and has paid {yuan(paid)}")
    for due in dues:
        if due.kind == rules.BEFORE_MOVE_IN:
            due.due_on = moved_in_on
        elif due.kind == rules.INSTALLMENT:
            due.due_on = rules.years_after(moved_in_on, due.years_after_move_in)
    record = MoveIn(household_id=household.id, flat_id=flat.id, moved_in_on=moved_in_on, recorded_at=utc_now(),
                    recorded_by=user)
    session.add(record)
    session.flush()
    oplog.record(session, user=user, action="household.move_in", entity="move_in", entity_id=record.id, before=None,
                 after={"moved_in_on": moved_in_on, "flat_id": flat.id,
                        "due_dates": [[d.kind, d.number, d.due_on] for d in dues if d.due_on]}, household_id=household.id)
    return record


# ------------------------------------------------------------------------------------------------ balances
def book(session: Session, project_id: int, household_id: int | None = None) -> rules.Book:
    """The dues in force and the receipts of a project, or of one household."""
    # Dates as ISO text, parsed by numpy in one go (a date object per row costs more than the rest of the report).
    due_q = (select(DueRow.household_id, DueRow.kind, DueRow.number, cast(DueRow.due_on, String), DueRow.amount_fen,
                    DueRow.direction)
             .join(Agreement, Agreement.id == DueRow.agreement_id)
             .where(DueRow.project_id == project_id, Agreement.cancelled_at.is_(None)))
    paid_q = select(Receipt.household_id, cast(Receipt.received_on, String), Receipt.amount_fen, Receipt.receipt_no).where(
        Receipt.project_id == project_id)
    out_q = select(Payout.household_id, cast(Payout.paid_on, String), Payout.amount_fen, Payout.voucher_no).where(
        Payout.project_id == project_id)
    if household_id is not None:
        due_q = due_q.where(DueRow.household_id == household_id)
        paid_q = paid_q.where(Receipt.household_id == household_id)
        out_q = out_q.where(Payout.household_id == household_id)
    return rules.Book.of(plain_rows(session, due_q), plain_rows(session, paid_q), plain_rows(session, out_q))


def plain_rows(session: Session, query) -> list[tuple]:
    """The rows of a select as plain tuples from the database driver's own cursor, in the session's transaction.

    SQLAlchemy's row objects cost more than the query itself at 100,000 households (docs/register.md, speed); the
    query's values are integers the register chose (ids), so binding them as literals is safe."""
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def account(session: Session, household: Household, as_of: dt.date, lang: str = "zh",
            known: rules.Book | None = None) -> dict:
    """One household's account as plain data: its dues, receipts, payouts, balances, status and the policy's
    consequence. balance_fen is what the household still owes; payout_due_fen what is still to be paid out to it.
    `known`: the household's book when the caller has it already (the register's, by default)."""
    b = known if known is not None else book(session, household.project_id, household.id)
    row = rules.standing(b, as_of).of(household.id)
    consequence = None
    if row is not None and row["status"] in (rules.PAID_UP, rules.LOW_RENT):
        deferred = quote_of(session, active_agreement(session, household)).deferred
        if deferred.installments:
            text = (deferred.on_full_payment_zh, deferred.on_full_payment_en) if row["status"] == rules.PAID_UP \
                else (deferred.on_default_zh, deferred.on_default_en)
            consequence = {"zh": text[0], "en": text[1]}
    due_rows = sorted(zip(b.due_direction, b.due_number, b.due_kind, b.due_on, b.due_fen))
    paid_rows = sorted(zip(b.paid_on, b.receipt_no, b.paid_fen))
    out_rows = sorted(zip(b.out_on, b.voucher_no, b.out_fen))
    row = row or {"owed_fen": 0, "paid_fen": 0, "balance_fen": 0, "overdue_fen": 0, "status": None}
    payable = int(b.due_fen[b.due_direction == "receive"].sum())
    paid_out = int(b.out_fen.sum())
    return {
        "dues": [{"kind": kind, "number": int(number), "label": rules.KIND_LABELS[kind][0 if lang == "zh" else 1].format(n=number),
                  "due_on": None if np.isnat(due_on) else str(due_on), "amount_fen": int(fen), "direction": direction}
                 for direction, number, kind, due_on, fen in due_rows],
        "receipts": [{"receipt_no": no, "received_on": str(on), "amount_fen": int(fen)} for on, no, fen in paid_rows],
        "payouts": [{"voucher_no": no, "paid_on": str(on), "amount_fen": int(fen)} for on, no, fen in out_rows],
        **{k: row[k] for k in ("owed_fen", "paid_fen", "balance_fen", "overdue_fen", "status")},
        "payable_fen": payable, "paid_out_fen": paid_out, "payout_due_fen": payable - paid_out,
        "status_label": rules.status_label(row["status"], lang) if row["status"] else None,
        "consequence": consequence,
    }
