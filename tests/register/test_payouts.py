"""Payouts (cash compensation paid to a household) on both backends: recorded once, never more than payable, counted
by the account and the funds report, logged, and checked by verify."""
import datetime as dt
import json

import pytest
from ledger_helpers import CLERK, seed_register
from sqlalchemy import func, select

from calculator.cli import main
from calculator.register import integrity, ledger, reports
from calculator.register.db import reading, transaction
from calculator.register.errors import RegisterError
from calculator.register.models import LogEntry
from calculator.register.models_ledger import Payout

D = dt.date
HOUSEHOLDS = [
    {"no": "H2", "name": "李四", "original_area": "45", "unit_area": "48"},  # example 1: pays 17,364.00
    {"no": "H3", "name": "王五", "option": "cash", "original_area": "52.3", "appraised_price": "2150"},  # receives 112,445.00
]
PAYABLE_FEN = 11244500


@pytest.fixture
def project(register_engine):
    pid = seed_register(register_engine, HOUSEHOLDS)
    with transaction(register_engine) as s:
        ledger.open_accounts(s, pid, CLERK)
    return register_engine, pid


def pay(s, pid, **given):
    return ledger.pay(s, pid, **({"household_no": "H3", "voucher_no": "V1", "paid_on": D(2025, 7, 1),
                                  "amount_fen": 100, "clerk": CLERK} | given))


def refused(engine, action) -> RegisterError:
    with reading(engine) as s:
        before = s.execute(select(func.count()).select_from(LogEntry)).scalar_one()
    with pytest.raises(RegisterError) as err, transaction(engine) as s:
        action(s)
    with reading(engine) as s:
        assert s.execute(select(func.count()).select_from(LogEntry)).scalar_one() == before
    return err.value


def test_a_payout_in_two_parts_then_no_more(project):
    engine, pid = project
    with transaction(engine) as s:
        pay(s, pid, voucher_no="V1", paid_on=D(2025, 7, 1), amount_fen=10000000)
        pay(s, pid, voucher_no="V2", paid_on=D(2025, 8, 3), amount_fen=PAYABLE_FEN - 10000000)
    err = refused(engine, lambda s: pay(s, pid, voucher_no="V3", amount_fen=1))
    assert err.message_en == "the 112,445.00 yuan payable to household H3 has all been paid"
    with reading(engine) as s:
        acct = ledger.account(s, ledger.household_by_no(s, pid, "H3"), D(2025, 9, 1), "en")
        entries = s.execute(select(LogEntry.after).where(LogEntry.action == "payout.add").order_by(LogEntry.seq)).scalars()
        assert [json.loads(e) for e in entries] == [
            {"voucher_no": "V1", "paid_on": "2025-07-01", "amount_fen": 10000000, "balance_before_fen": PAYABLE_FEN},
            {"voucher_no": "V2", "paid_on": "2025-08-03", "amount_fen": 1244500, "balance_before_fen": 1244500}]
        assert integrity.check(s)[1] == []
        funds = reports.funds_by_month(ledger.book(s, pid), D(2025, 9, 1))
    assert acct["payouts"] == [{"voucher_no": "V1", "paid_on": "2025-07-01", "amount_fen": 10000000},
                               {"voucher_no": "V2", "paid_on": "2025-08-03", "amount_fen": 1244500}]
    assert (acct["payable_fen"], acct["paid_out_fen"], acct["payout_due_fen"]) == (PAYABLE_FEN, PAYABLE_FEN, 0)
    by_month = {row[0]: row[4] for row in funds.rows}
    assert by_month["2025-07"] == 10000000 and by_month["2025-08"] == 1244500 and by_month["合计 / total"] == PAYABLE_FEN
    assert "已付 112,445.00 元，未付 0.00 元" in funds.notes[1][0]


@pytest.mark.parametrize("given, field, zh, en", [
    ({"amount_fen": 0}, "amount", "付款金额须大于0", "a payout must be above zero"),
    ({"amount_fen": -100}, "amount", "付款金额须大于0", "a payout must be above zero"),
    ({"paid_on": D(2025, 5, 31)}, "date", "付款日期 2025-05-31 早于协议签订日期 2025-06-01",
     "the payout is dated 2025-05-31, before the agreement was signed on 2025-06-01"),
    ({"amount_fen": PAYABLE_FEN + 1}, "amount", "超过应付给住户 H3 的余额 112,445.00 元", "(112,445.00 yuan)"),
    ({"voucher_no": " "}, "voucher_no", "付款凭证号不能为空", "a voucher number must be 1 to 60 characters"),
    ({"household_no": "H2"}, "household", "住户 H2 的协议没有应付给住户的款项", "pays the household nothing"),
    ({"household_no": "H9"}, "household", "登记簿中没有住户“H9”", "no household 'H9'"),
])
def test_a_bad_payout_is_refused_and_nothing_written(project, given, field, zh, en):
    engine, pid = project
    err = refused(engine, lambda s: pay(s, pid, **given))
    assert err.field == field and zh in err.message_zh and en in err.message_en
    with reading(engine) as s:
        assert s.execute(select(func.count()).select_from(Payout)).scalar_one() == 0


def test_a_voucher_number_is_used_once(project):
    engine, pid = project
    with transaction(engine) as s:
        pay(s, pid, voucher_no="V7")
    err = refused(engine, lambda s: pay(s, pid, voucher_no="V7"))
    assert (err.field, err.message_en) == ("voucher_no", "voucher number V7 has already been recorded")


def test_pay_from_the_command_line(project, register_url, tmp_path, capsys):
    def cli(*args):
        status = main(["register", "--db", register_url, *args])
        out = capsys.readouterr()
        return status, out.out, out.err

    status, out, _ = cli("pay", "H3", "--voucher", "F-001", "--amount", "100,000.00", "--date", "2025-07-01",
                         "--user", CLERK)
    assert (status, out) == (0, "已登记付款 1 笔，共 100,000.00 元 / recorded 1 payouts, 100,000.00 yuan\n")
    batch = tmp_path / "付款.csv"
    batch.write_text("户号,付款凭证号,金额,日期\nH3,F-002,12445.00,2025-07-02\nH3,F-003,0.01,2025-07-02\n", encoding="utf-8")
    status, _, err = cli("payout", "--file", str(batch), "--user", CLERK)
    assert status == 2 and "第3行：应付给住户 H3 的 112,445.00 元已全部付清" in err and "row 3: " in err
    batch.write_text("户号,付款凭证号,金额,日期\nH3,F-002,12445.00,2025-07-02\n", encoding="utf-8")
    assert cli("payout", "--file", str(batch), "--user", CLERK)[0] == 0
    status, out, _ = cli("account", "H3", "--as-of", "2025-08-01")
    assert "付款 / payout F-001" in out and "100,000.00" in out
    assert "应付给住户 / payable to the household: 112,445.00  已付 / paid out: 112,445.00  未付 / still to pay out: 0.00" in out
    status, out, _ = cli("account", "H3", "--as-of", "2025-08-01", "--json")
    assert json.loads(out)["paid_out_fen"] == PAYABLE_FEN
