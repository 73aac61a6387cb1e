"""`register verify`: the operator log's hash chain, and the sha256 of every agreement document and policy text."""
from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import oplog
from .models import Agreement, LogEntry, PolicyVersion


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
    return session.execute(select(func.count()).select_from(LogEntry)).scalar_one(), problems
