"""The operator log: entries chain by sha256; an edited, deleted or trailing-deleted entry is found on both backends."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from calculator.register import oplog
from calculator.register.db import reading, transaction


def _write_three(engine):
    with transaction(engine) as session:
        oplog.record(session, user="ann", action="household.add", entity="household", entity_id=1, before=None,
                     after={"name": "王五", "area_c": 4530}, household_id=1)
        oplog.record(session, user="ann", action="household.update", entity="household", entity_id=1,
                     before={"area_c": 4530}, after={"area_c": 4600}, household_id=1)
    with transaction(engine) as session:
        oplog.record(session, user="bob", action="offer.add", entity="offer", entity_id=7, before=None,
                     after={"net_fen": 1234567}, household_id=1)


def _verify(engine):
    with reading(engine) as session:
        return oplog.verify(session)


def test_an_untouched_log_verifies(register_engine):
    assert _verify(register_engine) is None  # empty
    _write_three(register_engine)
    assert _verify(register_engine) is None
    with reading(register_engine) as session:
        entries = oplog.history(session, 1)
        assert [e.seq for e in entries] == [1, 2, 3]
        assert entries[0].prev_hash == oplog.GENESIS and entries[1].prev_hash == entries[0].hash
        assert entries[2].after == '{"net_fen":1234567}'


@pytest.mark.parametrize("tamper, seq, words", [
    ("UPDATE oplog SET after = '{\"area_c\":9999}' WHERE seq = 2", 2, "changed"),
    ("UPDATE oplog SET \"user\" = 'mallory' WHERE seq = 1", 1, "changed"),
    ("DELETE FROM oplog WHERE seq = 2", 2, "missing"),
    ("DELETE FROM oplog WHERE seq = 3", 3, "missing from the end"),
    ("DELETE FROM oplog", 1, "missing from the end"),
])
def test_a_tampered_or_deleted_entry_is_found(register_engine, tamper, seq, words):
    _write_three(register_engine)
    with register_engine.begin() as conn:
        conn.exec_driver_sql(tamper)
    broken = _verify(register_engine)
    assert broken is not None and broken.seq == seq and words in broken.message_en
    assert f"第{seq}条" in broken.message_zh or "末尾" in broken.message_zh


def test_a_rewritten_entry_with_a_fresh_hash_breaks_the_next_link(register_engine):
    _write_three(register_engine)
    with reading(register_engine) as session:
        e = session.get(oplog.LogEntry, 2)
        forged = oplog.entry_hash(seq=2, at=e.at, user=e.user, action=e.action, entity=e.entity, entity_id=e.entity_id,
                                  household_id=e.household_id, before=e.before, after='{"area_c":1}',
                                  prev_hash=e.prev_hash)
    with register_engine.begin() as conn:
        conn.execute(sa.text("UPDATE oplog SET after = :a, hash = :h WHERE seq = 2"), {"a": '{"area_c":1}', "h": forged})
    broken = _verify(register_engine)
    assert broken.seq == 3 and "does not chain" in broken.message_en
