"""The operator log: every change appended in the changer's transaction, each entry chained to the previous by sha256."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .models import LogEntry, LogHead, utc_now

__all__ = ["GENESIS", "Break", "LogEntry", "canonical", "entry_hash", "history", "lock", "record", "record_many",
           "verify"]

GENESIS = "0" * 64  # the prev_hash of the first entry
HEAD_ID = 1


def _plain(value):
    if isinstance(value, (Decimal, dt.date, dt.datetime)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def canonical(value) -> str:
    """One JSON text per value: keys sorted, no spaces, Chinese as is (the same bytes on every machine)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)


def entry_hash(*, seq: int, at: dt.datetime, user: str, action: str, entity: str, entity_id: str,
               household_id: int | None, before: str, after: str, prev_hash: str) -> str:
    """sha256 over the canonical JSON of the entry's fields (before/after already canonical JSON text)."""
    body = canonical({"seq": seq, "at": at.replace(microsecond=0).isoformat(), "user": user, "action": action,
                      "entity": entity, "entity_id": entity_id, "household_id": household_id, "before": before,
                      "after": after, "prev_hash": prev_hash})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def lock(session: Session) -> None:
    """Wait for, and hold until the caller's transaction ends, the log's head: every change takes it to chain its
    entry, so a check made after it (say, that the register has no user yet) holds until the change is written."""
    _head(session)


def _head(session: Session) -> LogHead:
    """The head row, locked until the caller's transaction ends (created with the first entry)."""
    if session.get_bind().dialect.name == "postgresql":  # two first writers at once: one creates it, both then lock it
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(LogHead).values(id=HEAD_ID, seq=0, hash=GENESIS).on_conflict_do_nothing())
    head = session.execute(select(LogHead).where(LogHead.id == HEAD_ID).with_for_update()).scalar_one_or_none()
    if head is None:  # SQLite: the writer holds the database's write lock already
        head = LogHead(id=HEAD_ID, seq=0, hash=GENESIS)
        session.add(head)
    return head


def record(session: Session, *, user: str, action: str, entity: str, entity_id, before, after,
           household_id: int | None = None) -> int:
    """Append one entry in the caller's transaction; returns its number. `household_id` (the household's row id)
    files the entry in that household's history (`register show`)."""
    entry = {"user": user, "action": action, "entity": entity, "entity_id": entity_id, "before": before,
             "after": after, "household_id": household_id}
    return record_many(session, [entry])[0]


def record_many(session: Session, entries: list[dict]) -> list[int]:
    """Append several entries (each a dict of record's keyword arguments) in one go, in order; returns their numbers."""
    if not entries:
        return []
    head = _head(session)
    at = utc_now()
    seq, prev = head.seq, head.hash
    rows = []
    for e in entries:
        seq += 1
        fields = {"seq": seq, "at": at, "user": str(e["user"]), "action": e["action"], "entity": e["entity"],
                  "entity_id": str(e["entity_id"]), "household_id": e.get("household_id"),
                  "before": canonical(e["before"]), "after": canonical(e["after"]), "prev_hash": prev}
        prev = entry_hash(**fields)
        rows.append({**fields, "hash": prev})
    session.flush()
    for start in range(0, len(rows), 5000):
        session.connection().execute(insert(LogEntry.__table__), rows[start:start + 5000])
    head.seq, head.hash = seq, prev
    session.flush()
    return [r["seq"] for r in rows]


@dataclass
class Break:
    """Where the log stops being trustworthy: the entry number and why, in both languages."""

    seq: int
    message_zh: str
    message_en: str


def verify(session: Session) -> Break | None:
    """The first tampered, missing or reordered entry, or None when the whole chain holds."""
    expected_seq, prev = 1, GENESIS
    rows = session.execute(select(LogEntry).order_by(LogEntry.seq).execution_options(yield_per=5000)).scalars()
    for e in rows:
        if e.seq != expected_seq:
            return Break(expected_seq, f"第{expected_seq}条日志缺失（下一条是第{e.seq}条）",
                         f"log entry {expected_seq} is missing (the next one is {e.seq})")
        if e.prev_hash != prev:
            return Break(e.seq, f"第{e.seq}条日志与前一条的链接不符（前一条被删除或改动）",
                         f"log entry {e.seq} does not chain to the one before it (that one was deleted or changed)")
        recomputed = entry_hash(seq=e.seq, at=e.at, user=e.user, action=e.action, entity=e.entity,
                                entity_id=e.entity_id, household_id=e.household_id, before=e.before, after=e.after,
                                prev_hash=e.prev_hash)
        if recomputed != e.hash:
            return Break(e.seq, f"第{e.seq}条日志的内容被改动过（哈希不符）",
                         f"log entry {e.seq} was changed after it was written (its hash does not match)")
        expected_seq, prev = e.seq + 1, e.hash
    head = session.get(LogHead, HEAD_ID)
    last = expected_seq - 1
    if head is None:
        if last:
            return Break(1, "日志头记录缺失", "the log's head record is missing")
        return None
    if head.seq != last or head.hash != prev:
        return Break(last + 1, f"日志末尾缺失：应有{head.seq}条，现有{last}条",
                     f"entries are missing from the end of the log: {head.seq} were written, {last} remain")
    return None


def history(session: Session, household_id: int) -> list[LogEntry]:
    """Every log entry filed under a household, oldest first."""
    return list(session.execute(select(LogEntry).where(LogEntry.household_id == household_id)
                                .order_by(LogEntry.seq)).scalars())
