"""A resident's own file read from the register (calculator/register/resident.py), on both backends: found by project
and household number together, read without writing, and an account not opened yet shown as the dues it will open."""
import datetime as dt

import pytest
from ledger_helpers import CLERK, seed_register
from sqlalchemy import func, select

from calculator.register import ledger
from calculator.register.db import reading, transaction
from calculator.register.errors import RegisterError
from calculator.register.models import LogEntry
from calculator.register.models_ledger import DueRow
from calculator.register.resident import resident_file

DEFERS = {"no": "H1", "name": "张小伟", "original_area": "36.5", "unit_area": "40", "low_income": True, "defer": True,
          "move_in_date": "2025-09-01"}
CASH = {"no": "H3", "name": "王五", "option": "cash", "original_area": "52.3", "appraised_price": "2150"}


def _count(engine, model) -> int:
    with reading(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_an_account_not_yet_opened_shows_the_dues_it_will_open(register_engine):
    pid = seed_register(register_engine, [DEFERS, CASH])
    entries = _count(register_engine, LogEntry)
    with reading(register_engine) as s:
        pending = resident_file(s, pid, "H1", dt.date(2025, 7, 1))
    assert _count(register_engine, DueRow) == 0 and _count(register_engine, LogEntry) == entries  # nothing written
    with transaction(register_engine) as s:
        ledger.open_accounts(s, pid, CLERK)
    with reading(register_engine) as s:
        opened = resident_file(s, pid, "H1", dt.date(2025, 7, 1))
    assert pending.account == opened.account and pending.account["owed_fen"] == int(pending.quote.net_payable * 100)
    assert [(d["kind"], d["number"], d["due_on"]) for d in opened.account["dues"]] == [
        ("before_move_in", 0, None), ("installment", 1, None), ("installment", 2, None)]
    # the quote as signed still carries the survey's planned dates; the ledger has none until the move-in
    assert [i.due_date for i in opened.quote.deferred.installments] == [dt.date(2026, 9, 1), dt.date(2027, 9, 1)]
    assert (opened.signed, opened.agreement_no, opened.document, opened.flat, opened.order_no) == (True, 1, b"%PDF", None, None)


def test_the_household_is_found_by_project_and_number_together(register_engine):
    first = seed_register(register_engine, [DEFERS], project_code="P1")
    with reading(register_engine) as s:
        assert resident_file(s, first, "H1", dt.date(2025, 7, 1)).name == "张小伟"
        for project_id, number in ((first + 1, "H1"), (first, "H3"), (None, "H1"), ("1", "H1"), (first, ""),
                                   (first, None)):
            with pytest.raises(RegisterError):
                resident_file(s, project_id, number, dt.date(2025, 7, 1))
