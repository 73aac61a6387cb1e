"""The signing page (签约): a supervisor previews the agreement document and signs; a clerk and an auditor see the
library's refusal with nothing written; a supervisor cancels with a reason, a blank reason is refused."""
from __future__ import annotations

import hashlib
from html import escape

import pytest
from app_helpers import metrics, texts
from register_pages import (
    AUDITOR,
    CLERK,
    SUPERVISOR,
    choose_option,
    log_size,
    logged_since,
    offered_register,
    page,
    sign,
)
from sqlalchemy import select
from test_words import code_like

from calculator.register.db import reading
from calculator.register.models import Agreement, Household, Offer
from calculator.result import Quote

SIGN = "register_sign_page.py"


@pytest.fixture
def engine(tmp_path, monkeypatch):
    return offered_register(tmp_path, monkeypatch)


def agreements_of(engine) -> list[tuple[str, int, str | None, str]]:
    """(household no, agreement number, cancel reason, document sha256) of every agreement."""
    with reading(engine) as s:
        return [tuple(r) for r in s.execute(select(Household.household_no, Agreement.number, Agreement.cancel_reason,
                                                   Agreement.document_sha256)
                                            .join(Household, Household.id == Agreement.household_id)
                                            .order_by(Agreement.number))]


def preview(at, household: str | None = None):
    """Preview the agreement of `household` (None: the first listed)."""
    if household is not None:
        choose_option(at, "reg_sign_household", household)
    at.button(key="reg_sign_preview").click().run()
    assert not at.exception, at.exception
    return at


def test_a_supervisor_previews_the_document_and_signs(engine):
    at = page(SIGN, (SUPERVISOR, "supervisor"))
    households = at.selectbox(key="reg_sign_household").options
    assert len(households) == 9 and households[0] == "TH-00001 江英明 · 回迁安置 · 应交 ¥17,046.00 · 方案第1版"
    assert "TH-00030" in households[8] and "货币补偿 · 应领 ¥125,911.00" in households[8]
    preview(at, "TH-00002")
    assert [b.label for b in at.get("download_button")] == ["下载协议文书（PDF）"]
    with reading(engine) as s:  # the preview on screen is the offer's quote: its total and a line multiplied out
        quote = Quote.model_validate_json(s.execute(select(Offer.quote_json).join(Household)
                                                    .where(Household.household_no == "TH-00002")).scalar_one())
    assert "协议文书所载结算明细（签约即按此冻结）" in texts(at.markdown)
    assert metrics(at)["应交合计"] == f"¥{quote.net_payable:,.2f}"
    shown_html = " ".join(h.proto.body for h in at.get("html"))
    first = quote.items[0]
    assert escape(first.label_zh) in shown_html and f"¥{first.amount:,.2f}" in shown_html
    shown = next(c.value for c in at.caption if c.value.startswith("协议文书"))
    at.button(key="reg_sign_sign").click().run()
    assert not at.exception, at.exception
    assert texts(at.success) == "已签约：住户 TH-00002，协议第1号。"
    [(no, number, reason, sha)] = agreements_of(engine)
    assert (no, number, reason) == ("TH-00002", 1, None) and f"sha256 {sha[:12]}…" in shown
    with reading(engine) as s:  # the stored document is the one previewed: its bytes match the sha256 shown
        pdf = s.execute(select(Agreement.document)).scalar_one()
    assert hashlib.sha256(pdf).hexdigest() == sha and pdf.startswith(b"%PDF")
    assert "TH-00002" not in " ".join(at.selectbox(key="reg_sign_household").options)  # signed: off the list
    preview(at, "TH-00005").button(key="reg_sign_sign").click().run()
    assert texts(at.success) == "已签约：住户 TH-00005，协议第2号。"


@pytest.mark.parametrize("who, role", [(CLERK, "clerk"), (AUDITOR, "auditor")])
def test_only_a_supervisor_signs_and_nothing_is_written_otherwise(engine, who, role):
    at = preview(page(SIGN, (who, role)), "TH-00003")
    before = log_size(engine)
    at.button(key="reg_sign_sign").click().run()
    assert not at.exception, at.exception
    refusal = texts(at.error)
    assert refusal.startswith(f"未办理：用户：用户“{who}”是") and "此操作需要主管" in refusal
    assert not at.success and agreements_of(engine) == []
    assert logged_since(engine, before) == [(who, "refused", "agreement.sign")]  # the refusal, and nothing else


def test_a_supervisor_cancels_with_a_reason(engine):
    sign(engine, "TH-00001", "TH-00004")
    at = page(SIGN, (SUPERVISOR, "supervisor"))
    choose_option(at, "reg_cancel_household", "协议第2号")
    before = log_size(engine)
    at.button(key="reg_cancel").click().run()  # no reason
    assert "原因：撤销协议须写明原因" in texts(at.error) and log_size(engine) == before
    at.text_area(key="reg_cancel_reason").set_value("面积复核有误").run()
    at.button(key="reg_cancel").click().run()
    assert texts(at.success) == "已撤销协议第2号（住户 TH-00004），原因：面积复核有误"
    assert [a[:3] for a in agreements_of(engine)] == [("TH-00001", 1, None), ("TH-00004", 2, "面积复核有误")]
    # cancelled: the household is back among those waiting to sign, and signs again under a new number
    preview(at, "TH-00004").button(key="reg_sign_sign").click().run()
    assert texts(at.success) == "已签约：住户 TH-00004，协议第3号。"


def test_a_clerk_cannot_cancel(engine):
    sign(engine, "TH-00001")
    at = page(SIGN, (CLERK, "clerk"))
    at.text_area(key="reg_cancel_reason").set_value("住户要求").run()
    before = log_size(engine)
    at.button(key="reg_cancel").click().run()
    assert texts(at.error) == "未办理：用户：用户“李经办”是经办人，此操作需要主管"
    assert agreements_of(engine)[0][2] is None and logged_since(engine, before) == [(CLERK, "refused", "agreement.cancel")]


def test_nobody_signed_in_sees_no_register(engine):
    at = page(SIGN, None)
    assert texts(at.info).startswith("请先登录") and not at.selectbox and not at.button
    resident = page(SIGN, ("TH-00001", "resident"))
    assert texts(resident.info).startswith("请先登录") and not resident.selectbox


def test_the_page_in_english_without_code_names(engine):
    sign(engine, "TH-00001")
    at = preview(page(SIGN, (CLERK, "clerk"), lang="en"), "TH-00030")
    assert [t.value for t in at.title] == ["Signing"]
    assert [o for o in at.selectbox(key="reg_sign_household").options if "TH-00030" in o][0].startswith(
        "TH-00030 张明艳 · cash compensation · receives ¥125,911.00")
    at.button(key="reg_sign_sign").click().run()
    assert texts(at.error) == "Not done: User: user '李经办' is a clerk; this needs a supervisor"
    shown = "\n".join([texts(at.caption), texts(at.error), texts(at.markdown), texts(at.subheader),
                       *at.selectbox(key="reg_sign_household").options, *at.selectbox(key="reg_cancel_household").options])
    assert "Agreement no. 1 · TH-00001 江英明" in shown
    assert code_like(shown) == [] and "register offer" not in shown
