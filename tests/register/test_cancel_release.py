"""Cancelling an agreement releases what it held, on both backends: the flat goes back to the inventory, the moving-order
place is vacated (its number kept and marked, never given again, nobody waits for it), and a household that signs again
joins the end. Refused after the move-in or a payout."""
import datetime as dt
import hashlib
import json

import pytest
from ledger_helpers import CLERK, SUPERVISOR, seed_register
from register_helpers import run_cli
from sqlalchemy import func, select

from calculator import load_policy
from calculator.register import agreements, flats, ledger, oplog, order, report_queries
from calculator.register.db import reading, transaction
from calculator.register.errors import RegisterError
from calculator.register.flats_file import FlatRow
from calculator.register.models import Agreement, LogEntry, Project
from calculator.register.models_ledger import Flat, MovingOrder

D = dt.date
TAHE = load_policy("tahe").rules
HOUSEHOLDS = [
    {"no": "H1", "name": "张小伟", "original_area": "36.5", "unit_area": "40", "low_income": True, "defer": True},
    {"no": "H2", "name": "李四", "original_area": "45", "unit_area": "48"},
    {"no": "H3", "name": "王五", "option": "cash", "original_area": "52.3", "appraised_price": "2150"},
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
    return register_engine, pid


def cancel(s, pid, no, reason="面积复核"):
    return agreements.cancel(s, s.get(Project, pid), no, reason, SUPERVISOR)


def sign_again(s, pid, no):
    """Sign the household's offer again (the document stands in for the statement PDF)."""
    project = s.get(Project, pid)
    offer = agreements.signable_offer(s, project, agreements.household(s, project, no))
    return agreements.sign(s, project, agreements.Document(no, offer.id, b"%PDF"), SUPERVISOR)


def places(s, pid):
    return [tuple(r) for r in s.execute(select(MovingOrder.order_no, MovingOrder.household_id, MovingOrder.vacated_at.is_not(None))
                                        .where(MovingOrder.project_id == pid).order_by(MovingOrder.order_no))]


def test_a_cancellation_frees_the_flat_and_vacates_the_place(project):
    engine, pid = project
    with transaction(engine) as s:
        order.run_by_signing(s, pid, SUPERVISOR)  # H1 1, H2 2, H3 3, H4 4
        flats.allocate(s, pid, "H1", "1-1-101", CLERK, TAHE)
        flats.allocate(s, pid, "H2", "1-1-201", CLERK, TAHE)
        cancel(s, pid, "H2")
    with transaction(engine) as s:
        assert s.execute(select(Flat.household_id).where(Flat.room == "201")).scalar_one() is None
        flats.allocate(s, pid, "H4", "1-1-201", CLERK, TAHE)  # the released flat goes to the next in order
        h2 = ledger.household_by_no(s, pid, "H2").id
        assert (2, h2, True) in places(s, pid)
        actions = s.execute(select(LogEntry.action).where(LogEntry.household_id == h2).order_by(LogEntry.seq)).scalars()
        assert list(actions)[-3:] == ["agreement.cancel", "flat.release", "order.vacate"]
    with transaction(engine) as s:
        again = sign_again(s, pid, "H2")
        assert again.number == 5  # agreement numbers are never reused
        first, count = order.run_by_signing(s, pid, SUPERVISOR)
        assert (first, count) == (5, 1)  # the household joins the end under a new number
        flats.allocate(s, pid, "H2", "1-1-301", CLERK, TAHE)
    with reading(engine) as s:
        assert places(s, pid)[1] == (2, h2, True) and places(s, pid)[-1] == (5, h2, False)
        public = report_queries.public(s, pid)
        assert oplog.verify(s) is None
    assert [r[:2] + r[3:4] for r in public.rows] == [
        (1, "H1", ""), (2, "H2", "协议已撤销，顺序号空出"), (3, "H3", ""), (4, "H4", ""), (5, "H2", "")]


def test_nobody_waits_for_a_vacated_place_and_the_draw_reruns_from_its_seed(project):
    engine, pid = project
    seed = "2026-01-15 县公证处"
    drawn = sorted(["H1", "H2", "H3", "H4"], key=lambda no: hashlib.sha256(f"{seed}:{no}".encode()).hexdigest())
    in_kind = [no for no in drawn if no != "H3"]
    with transaction(engine) as s:
        order.run_draw(s, pid, seed, SUPERVISOR)
        cancel(s, pid, in_kind[0])  # the first to pick cancels before picking
    flat_of = {"H1": "1-1-101", "H2": "1-1-201", "H4": "1-1-301"}
    with transaction(engine) as s:
        flats.allocate(s, pid, in_kind[1], flat_of[in_kind[1]], CLERK, TAHE)
        sign_again(s, pid, in_kind[0])
        assert order.run_by_signing(s, pid, SUPERVISOR) == (5, 1)  # before the fix: it kept its old number
        flats.allocate(s, pid, in_kind[2], flat_of[in_kind[2]], CLERK, TAHE)  # not waiting for number 5
    with reading(engine) as s:
        public = report_queries.public(s, pid)
    assert [r[1] for r in public.rows] == [*drawn, in_kind[0]]  # every published number stays where the seed put it
    assert [bool(r[3]) for r in public.rows] == [no == in_kind[0] for no in drawn] + [False]


def test_a_cancellation_after_the_move_in_or_a_payout_is_refused(project):
    engine, pid = project
    with transaction(engine) as s:
        order.run_by_signing(s, pid, SUPERVISOR)
        flats.allocate(s, pid, "H1", "1-1-101", CLERK, TAHE)
        ledger.receive(s, pid, household_no="H1", receipt_no="R1", received_on=D(2025, 9, 30), amount_fen=72000, clerk=CLERK)
        ledger.move_in(s, pid, household_no="H1", moved_in_on=D(2025, 10, 1), user=CLERK)
        ledger.pay(s, pid, household_no="H3", voucher_no="V1", paid_on=D(2025, 7, 1), amount_fen=100, clerk=CLERK)
    for no, en in [("H1", "household H1 moved in on 2025-10-01: an agreement cannot be cancelled after the move-in"),
                   ("H3", "household H3 has been paid 1.00 yuan: the agreement cannot be cancelled")]:
        with reading(engine) as s:
            entries = s.execute(select(func.count()).select_from(LogEntry)).scalar_one()
        with pytest.raises(RegisterError) as err, transaction(engine) as s:
            cancel(s, pid, no)
        assert err.value.message_en == en
        with reading(engine) as s:
            assert s.execute(select(func.count()).select_from(LogEntry)).scalar_one() == entries
            assert s.execute(select(func.count()).select_from(Agreement).where(Agreement.cancelled_at.is_not(None))
                             ).scalar_one() == 0


def test_cancel_from_the_command_line_says_what_it_released(project, register_url, tmp_path):
    engine, pid = project
    with transaction(engine) as s:
        order.run_by_signing(s, pid, SUPERVISOR)
        flats.allocate(s, pid, "H1", "1-1-101", CLERK, TAHE)
    done = run_cli("cancel", "H1", "--reason", "面积复核", "--user", SUPERVISOR, url=register_url)
    assert "房屋 1-1-101 已退回房源 / flat 1-1-101 is back in the inventory" in done.stdout
    assert "moving-order number 1 is vacated (not given again)" in done.stdout
    run_cli("report", "public", "-o", str(tmp_path / "p.json"), "--format", "json", url=register_url)
    rows = json.loads((tmp_path / "p.json").read_text("utf-8"))["rows"]
    assert rows[0] == {"order_no": 1, "household_no": "H1", "name": "张*伟", "remark_zh": "协议已撤销，顺序号空出",
                       "remark_en": "agreement cancelled: place vacated"}
