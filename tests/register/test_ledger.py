"""The ledger on both backends: accounts from signed quotes, flats in moving order, receipts refused with a reason."""
import datetime as dt

import pytest
from ledger_helpers import CLERK, SUPERVISOR, seed_register
from sqlalchemy import func, select

from calculator import load_policy
from calculator.register import flats, ledger, oplog, order
from calculator.register.db import reading, transaction
from calculator.register.errors import RegisterError
from calculator.register.flats_file import FlatRow
from calculator.register.models import LogEntry
from calculator.register.models_ledger import DueRow, Flat, Receipt

D = dt.date
TAHE = load_policy("tahe").rules
HOUSEHOLDS = [
    {"no": "H1", "name": "张小伟", "original_area": "36.5", "unit_area": "40", "low_income": True, "defer": True},  # example 3
    {"no": "H2", "name": "李四", "original_area": "45", "unit_area": "48"},  # example 1: 17,364.00 before move-in
    {"no": "H3", "name": "王五", "option": "cash", "original_area": "52.3", "appraised_price": "2150"},  # example 4: a payout
    {"no": "H4", "name": "赵六", "original_area": "45", "unit_area": "48"},
]
FLATS = [FlatRow(2, "1", "1", 1, "101", 4012, 4000), FlatRow(3, "1", "1", 2, "201", 4810, 4800),
         FlatRow(4, "1", "1", 3, "301", 4800, 4800)]


@pytest.fixture
def project(register_engine):
    pid = seed_register(register_engine, HOUSEHOLDS)
    with transaction(register_engine) as s:
        flats.import_flats(s, pid, FLATS, CLERK)
        ledger.open_accounts(s, pid, CLERK)
        order.run_by_signing(s, pid, SUPERVISOR)
    return register_engine, pid


def refused(engine, action) -> RegisterError:
    """Run a write that must be refused; check nothing of it was written (a refused user's entry aside)."""
    written = select(func.count()).select_from(LogEntry).where(LogEntry.action != "refused")
    with reading(engine) as s:
        before = s.execute(written).scalar_one()
    with pytest.raises(RegisterError) as err, transaction(engine) as s:
        action(s)
    with reading(engine) as s:
        assert s.execute(written).scalar_one() == before
    return err.value


def test_accounts_opened_from_the_signed_quotes(project):
    engine, pid = project
    with reading(engine) as s:
        rows = s.execute(select(DueRow.kind, DueRow.number, DueRow.amount_fen, DueRow.direction).order_by(DueRow.id)).all()
    assert [tuple(r) for r in rows] == [("before_move_in", 0, 72000, "pay"), ("installment", 1, 168000, "pay"),
                                        ("installment", 2, 112000, "pay"), ("before_move_in", 0, 1736400, "pay"),
                                        ("payout", 0, 11244500, "receive"), ("before_move_in", 0, 1736400, "pay")]
    with transaction(engine) as s:
        assert ledger.open_accounts(s, pid, CLERK) == 0  # opened once


def test_the_whole_path_of_a_deferring_household(project):
    engine, pid = project
    with transaction(engine) as s:
        flats.allocate(s, pid, "H1", "1-1-101", CLERK, TAHE)
    err = refused(engine, lambda s: ledger.move_in(s, pid, household_no="H1", moved_in_on=D(2025, 10, 1), user=CLERK))
    assert "720.00" in err.message_zh and "before moving in" in err.message_en
    with transaction(engine) as s:
        ledger.receive(s, pid, household_no="H1", receipt_no="R1", received_on=D(2025, 9, 30), amount_fen=72000, clerk=CLERK)
        ledger.move_in(s, pid, household_no="H1", moved_in_on=D(2025, 10, 1), user=CLERK)
    with reading(engine) as s:
        household = ledger.household_by_no(s, pid, "H1")
        acct = ledger.account(s, household, D(2026, 10, 2), "en")
    assert [(d["label"], d["due_on"], d["amount_fen"]) for d in acct["dues"]] == [
        ("due before move-in", "2025-10-01", 72000), ("deferred installment 1", "2026-10-01", 168000),
        ("deferred installment 2", "2027-10-01", 112000)]
    assert (acct["status"], acct["balance_fen"], acct["overdue_fen"]) == ("overdue", 280000, 168000)
    with transaction(engine) as s:
        ledger.receive(s, pid, household_no="H1", receipt_no="R2", received_on=D(2027, 9, 1), amount_fen=280000, clerk=CLERK)
    with reading(engine) as s:
        acct = ledger.account(s, ledger.household_by_no(s, pid, "H1"), D(2027, 12, 1))
    assert acct["status"] == "paid_up" and acct["consequence"]["zh"] == "在规定的时间内交够欠款后，办理房屋所有权证。"


@pytest.mark.parametrize("receipt, field, zh, en", [
    ({"amount_fen": 0}, "amount", "须大于0", "above zero"),
    ({"amount_fen": -100}, "amount", "须大于0", "above zero"),
    ({"received_on": D(2025, 5, 31)}, "date", "早于协议签订日期 2025-06-01", "before the agreement was signed"),
    ({"amount_fen": 1736401}, "amount", "超过住户 H2 的欠款余额 17,364.00 元", "owes (17,364.00 yuan)"),
    ({"receipt_no": "  "}, "receipt_no", "收据号不能为空", "receipt number must be"),
    ({"household_no": "H9"}, "household", "登记簿中没有住户“H9”", "no household 'H9'"),
])
def test_a_bad_receipt_is_refused_and_nothing_written(project, receipt, field, zh, en):
    engine, pid = project
    given = {"household_no": "H2", "receipt_no": "R1", "received_on": D(2025, 7, 1), "amount_fen": 100, "clerk": CLERK} | receipt
    err = refused(engine, lambda s: ledger.receive(s, pid, **given))
    assert err.field == field and zh in err.message_zh and en in err.message_en
    with reading(engine) as s:
        assert s.execute(select(func.count()).select_from(Receipt)).scalar_one() == 0


def test_a_receipt_number_is_used_once(project):
    engine, pid = project
    with transaction(engine) as s:
        ledger.receive(s, pid, household_no="H2", receipt_no="R7", received_on=D(2025, 7, 1), amount_fen=100, clerk=CLERK)
    err = refused(engine, lambda s: ledger.receive(s, pid, household_no="H1", receipt_no="R7", received_on=D(2025, 7, 1),
                                                   amount_fen=100, clerk=CLERK))
    assert err.message_en == "receipt number R7 has already been recorded"


def test_a_cash_household_owes_nothing_and_gets_no_flat(project):
    engine, pid = project
    err = refused(engine, lambda s: ledger.receive(s, pid, household_no="H3", receipt_no="R1", received_on=D(2025, 7, 1),
                                                   amount_fen=1, clerk=CLERK))
    assert "owes (0.00 yuan)" in err.message_en
    err = refused(engine, lambda s: flats.allocate(s, pid, "H3", "1-1-301", CLERK, TAHE))
    assert "cash compensation" in err.message_en


def test_flats_in_order_of_the_right_type_once(project):
    engine, pid = project
    err = refused(engine, lambda s: flats.allocate(s, pid, "H2", "1-1-201", CLERK, TAHE))
    assert "household H1 (number 1) has not picked" in err.message_en  # H1 signed first: its turn
    err = refused(engine, lambda s: flats.allocate(s, pid, "H1", "1-1-201", CLERK, TAHE))
    assert err.message_zh == "房屋 1-1-201 为 48㎡ 户型，协议约定 40㎡ 户型"
    with transaction(engine) as s:
        flats.allocate(s, pid, "H1", "1-1-101", CLERK, TAHE)
        flats.allocate(s, pid, "H2", "1-1-201", CLERK, TAHE)  # H3 took cash: not waited for
    err = refused(engine, lambda s: flats.allocate(s, pid, "H1", "1-1-301", CLERK, TAHE))
    assert err.message_en == "household H1 already has flat 1-1-101"
    err = refused(engine, lambda s: flats.allocate(s, pid, "H4", "1-1-201", CLERK, TAHE))
    assert err.message_en == "flat 1-1-201 is already allocated to household H2"
    with transaction(engine) as s:
        flats.allocate(s, pid, "H4", "1-1-301", CLERK, TAHE)
    with reading(engine) as s:
        assert s.execute(select(func.count()).select_from(Flat).where(Flat.household_id.is_not(None))).scalar_one() == 3
        assert oplog.verify(s) is None


def test_out_of_turn_needs_a_supervisor_and_a_reason(project):
    engine, pid = project
    err = refused(engine, lambda s: flats.allocate(s, pid, "H2", "1-1-201", CLERK, TAHE, out_of_turn="病重优先"))
    assert err.message_en == f"user '{CLERK}' is a clerk; this needs a supervisor"
    with reading(engine) as s:
        entry = s.execute(select(LogEntry).where(LogEntry.action == "refused")).scalar_one()
    assert (entry.user, entry.entity_id) == (CLERK, "flat.allocate_out_of_turn")
    with transaction(engine) as s:
        flats.allocate(s, pid, "H2", "1-1-201", SUPERVISOR, TAHE, out_of_turn="病重优先")
        entry = s.execute(select(LogEntry).where(LogEntry.action == "flat.allocate")).scalar_one()
    assert "病重优先" in entry.after


def test_a_flat_already_in_the_register_is_not_imported_twice(project):
    engine, pid = project
    err = refused(engine, lambda s: flats.import_flats(s, pid, [FlatRow(9, "2", "1", 1, "101", 4000, 4000), FLATS[0]], CLERK))
    assert err.message_en == "row 2: flat 1-1-101 is already in the register"
