"""`register verify`: the operator log's hash chain, the sha256 of every agreement document and policy text, and every
receipt and payout against the log entry that recorded it."""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import oplog
from .models import Agreement, LogEntry, PolicyVersion
from .models_ledger import Payout, Receipt

# table, log action, its number and date columns, and how a problem names one row
MONEY = ((Receipt, "receipt.add", "receipt_no", "received_on", "收据号", "receipt number"),
         (Payout, "payout.add", "voucher_no", "paid_on", "付款凭证号", "voucher number"))


def check(session: Session) -> tuple[int, list[tuple[str, str]]]:
    """(log entries, problems as (zh, en)); no problems means the register is as its log says it was written."""
    problems = []
    broken = oplog.verify(session)
    if broken is not None:
        problems.append((broken.message_zh, broken.message_en))
    for number, document, sha in session.execute(select(Agreement.number, Agreement.document, Agreement.document_sha256)
                                                 .execution_options(yield_per=200)):
        if hashlib.sha256(document).hexdigest() != sha:
            problems.append((f"协议第{number}号的文书与其sha256不符", f"agreement no. {number}'s document does not match its sha256"))
    for p in session.execute(select(PolicyVersion)).scalars():
        if hashlib.sha256(p.text.encode("utf-8")).hexdigest() != p.sha256:
            problems.append((f"政策 {p.policy_id} {p.version} 的原文与其sha256不符",
                             f"the text of policy {p.policy_id} {p.version} does not match its sha256"))
    for kind in MONEY:
        problems += _money_against_log(session, *kind)
    return session.execute(select(func.count()).select_from(LogEntry)).scalar_one(), problems


def _money_against_log(session: Session, model, action: str, no: str, on: str, no_zh: str,
                       no_en: str) -> list[tuple[str, str]]:
    """Each row of a money table as its (chained, so trusted) log entry wrote it: the number, day, amount and
    household; a row edited, added or deleted by hand shows here even though the log itself is intact."""
    logged = {int(entity_id): (household_id, json.loads(after)) for entity_id, household_id, after in session.execute(
        select(LogEntry.entity_id, LogEntry.household_id, LogEntry.after).where(LogEntry.action == action))}
    problems = []
    rows = session.execute(select(model.id, model.household_id, getattr(model, no), getattr(model, on), model.amount_fen)
                           .execution_options(yield_per=5000))
    for row_id, household_id, number, day, amount_fen in rows:
        entry = logged.pop(row_id, None)
        if entry is None or entry[0] != household_id or entry[1] != {**entry[1], no: number, on: day.isoformat(),
                                                                          "amount_fen": amount_fen}:
            problems.append((f"{no_zh} {number} 的记录与操作日志不符（被改动或未经登记写入）",
                             f"{no_en} {number} does not match the log entry that recorded it (changed, or written "
                             f"outside the register)"))
    for _, after in logged.values():
        problems.append((f"{no_zh} {after.get(no)} 已记入操作日志，但记录已被删除",
                         f"{no_en} {after.get(no)} is in the log but its record has been deleted"))
    return problems
