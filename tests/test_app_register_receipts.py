"""The receipts page (收款): what is due this month and what is overdue, recording a receipt with the balance after it,
each refusal of the library named by field with nothing written, and the printed receipt."""
from __future__ import annotations

import datetime as dt

import pytest
from app_helpers import texts
from register_pages import (
    AUDITOR,
    CLERK,
    SLICE,
    log_size,
    logged_since,
    offered_register,
    ordered_with_flats,
    page,
    receipt_count,
    sign,
)
from test_statements import needs_poppler, pdf_text

from calculator.register import flats, ledger, queues
from calculator.register.db import reading, transaction
from calculator.register.dues import years_after
from calculator.register.projects import current_policy, get_project, loaded_policy
from calculator.statements.pdf_receipt import receipt_pdf

RECEIPTS = "register_receipts_page.py"
TODAY = dt.date.today()  # the agreements are signed today; a receipt cannot be dated before


@pytest.fixture
def engine(tmp_path, monkeypatch):
    engine = offered_register(tmp_path, monkeypatch)
    sign(engine, *SLICE)
    return engine


def record(at, household: str, amount: str, receipt_no: str, day: dt.date = TODAY):
    widget = at.selectbox(key="reg_receipt_household")  # in a form: sent with the submit, not before
    widget.set_value(next(o for o in widget.options if o.startswith(household)))
    at.date_input(key="reg_receipt_date").set_value(day)
    at.text_input(key="reg_receipt_amount").set_value(amount)
    at.text_input(key="reg_receipt_no").set_value(receipt_no)
    at.button[[b.label for b in at.button].index("登记收款" if at.session_state["lang"] == "zh" else
                                                  "Record the receipt")].click().run()
    assert not at.exception, at.exception
    return at


def test_due_this_month_lists_what_each_household_pays_before_move_in(engine):
    at = page(RECEIPTS, (CLERK, "clerk"))
    due = at.dataframe[0].value
    assert list(due.columns) == ["户号", "户主", "款项", "到期日", "金额", "欠款余额", "状态"]
    assert list(due["户号"]) == [no for no in SLICE if no != "TH-00030"]  # the cash household is paid, not paying
    row = due[due["户号"] == "TH-00007"].iloc[0]
    assert (row["款项"], row["到期日"], row["金额"], row["欠款余额"], row["状态"]) == (
        "入住前应交", "入住前", "¥864.00", "¥5,104.00", "入住前款项未交清")
    assert "没有逾期的住户。" in texts(at.caption)


def test_a_receipt_is_recorded_with_the_balance_after_it_and_printed(engine):
    at = record(page(RECEIPTS, (CLERK, "clerk")), "TH-00007", "500.00", "R-0001")
    assert texts(at.success) == "已登记收据 R-0001：住户 TH-00007 交款 ¥500.00，本次交款后尚欠 ¥4,604.00。"
    assert receipt_count(engine) == 1
    assert at.selectbox(key="reg_receipt_pick").value == f"R-0001 · TH-00007 · {TODAY.isoformat()} · ¥500.00"
    assert [b.label for b in at.get("download_button")] == ["下载收据（PDF）"]
    record(at, "TH-00007", "364", "R-0002")
    assert texts(at.success) == "已登记收据 R-0002：住户 TH-00007 交款 ¥364.00，本次交款后尚欠 ¥4,240.00。"
    assert "TH-00007" not in list(at.dataframe[0].value["户号"])  # paid what is due before move-in: off the list
    assert len(at.dataframe[0].value) == 7


@pytest.mark.parametrize("household, amount, receipt_no, day, refusal", [
    ("TH-00007", "6000", "R-0009", TODAY, "未办理：金额：收款 6,000.00 元超过住户 TH-00007 的欠款余额 4,604.00 元"),
    ("TH-00007", "12.345", "R-0009", TODAY, "未办理：金额：金额“12.345”无效（元，最多两位小数）"),
    ("TH-00007", "0", "R-0009", TODAY, "未办理：金额：收款金额须大于0，收到 0.00 元"),
    ("TH-00007", "100", "R-0001", TODAY, "未办理：收据号：收据号 R-0001 已登记过，不能重复使用"),
    ("TH-00007", "100", "  ", TODAY, "未办理：收据号：收据号不能为空且不超过60个字符"),
    ("TH-00007", "100", "R-0009", TODAY - dt.timedelta(days=1),
     f"未办理：日期：收款日期 {TODAY - dt.timedelta(days=1)} 早于协议签订日期 {TODAY}"),
])
def test_each_refusal_names_its_field_and_writes_nothing(engine, household, amount, receipt_no, day, refusal):
    at = record(page(RECEIPTS, (CLERK, "clerk")), "TH-00007", "500.00", "R-0001")
    before = log_size(engine)
    at = record(at, household, amount, receipt_no, day)
    assert texts(at.error) == refusal and not at.success
    assert receipt_count(engine) == 1 and logged_since(engine, before) == []


def test_an_auditor_records_nothing_and_the_page_speaks_english(engine):
    at = page(RECEIPTS, (AUDITOR, "auditor"), lang="en")
    before = log_size(engine)
    at = record(at, "TH-00001", "100.00", "R-0100")
    assert texts(at.error) == "Not done: User: user '赵审计' is an auditor; this needs a clerk or supervisor"
    assert receipt_count(engine) == 0 and logged_since(engine, before) == [(AUDITOR, "refused", "receipt.record")]
    assert list(at.dataframe[0].value.columns) == ["Household", "Head of household", "Due", "Due on", "Amount",
                                                   "Balance", "Status"]
    assert at.dataframe[0].value.iloc[0]["Due on"] == "before move-in"


def test_overdue_after_the_first_installment_falls_due(engine):
    ordered_with_flats(engine, {40: 3, 48: 1, 58: 2, 68: 1, 75: 1})
    with transaction(engine) as s:
        project = get_project(s, None)
        rules = loaded_policy(current_policy(s, project)).rules
        for no, address in [("TH-00001", "1-1-101"), ("TH-00002", "1-1-105"), ("TH-00003", "1-1-106"),
                            ("TH-00004", "1-1-102"), ("TH-00005", "1-1-103"), ("TH-00006", "1-1-107")]:
            flats.allocate(s, project.id, no, address, CLERK, rules)
        flats.allocate(s, project.id, "TH-00007", "1-1-104", CLERK, rules)
        ledger.open_accounts(s, project.id, CLERK)
        ledger.receive(s, project.id, household_no="TH-00007", receipt_no="R-1", received_on=TODAY, amount_fen=86_400,
                       clerk=CLERK)
        ledger.move_in(s, project.id, household_no="TH-00007", moved_in_on=TODAY, user=CLERK)
    first_due = years_after(TODAY, 1)
    at = page(RECEIPTS, (CLERK, "clerk"))
    at.date_input(key="reg_receipts_as_of").set_value(first_due).run()  # due on the day: not yet overdue
    due = at.dataframe[0].value.set_index("户号")
    assert tuple(due.loc["TH-00007", ["款项", "到期日", "金额"]]) == ("缓交第1期", first_due.isoformat(), "¥2,544.00")
    assert "没有逾期的住户。" in texts(at.caption)
    at.date_input(key="reg_receipts_as_of").set_value(first_due + dt.timedelta(days=1)).run()
    overdue = at.dataframe[-1].value
    assert list(overdue["户号"]) == ["TH-00007"]
    assert tuple(overdue.iloc[0][["到期日", "欠款余额", "逾期金额", "状态"]]) == (
        first_due.isoformat(), "¥4,240.00", "¥2,544.00", "逾期未交")


@needs_poppler
def test_the_printed_receipt(engine):
    at = record(page(RECEIPTS, (CLERK, "clerk")), "TH-00007", "500.00", "R-0001")
    with reading(engine) as s:
        slip = queues.receipt_slip(s, get_project(s, None), "R-0001")
    assert (slip.household_no, slip.amount_fen, slip.balance_after_fen, slip.clerk) == ("TH-00007", 50_000, 460_400, CLERK)
    text = pdf_text(receipt_pdf(slip))
    for shown in ("回迁安置房款收款收据", "塔河一期", "R-0001", TODAY.isoformat(), "TH-00007 潘杰萍",
                  "500.00（大写：伍佰元整）", "4,604.00", CLERK):
        assert shown in text, shown
    assert text.count("\f") <= 1  # one page
    english = pdf_text(receipt_pdf(slip, "en"))
    assert "Receipt for resettlement payments" in english and "Still owed after this" in english
    assert not at.error
