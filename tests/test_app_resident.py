"""AppTests of the resident view (ui/resident_page.py): a resident signed in sees their own household's file — the
quote as signed, the agreement and its PDF, the moving order, the flat, dues with the ledger's dates, receipts, the
balance and what paying or not brings — and nothing of any other household, whatever else the session, the URL or
the project says; anyone else sees only a note to sign in."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from app_helpers import ROOT, html_text
from register_scenario import (
    CLERK,
    SAMPLE_CSV,
    SUPERVISOR,
    lived_register,
    page,
    page_text,
    staff,
)
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from test_words import code_like

from calculator.batch import load_survey
from calculator.fixed import fmt_money
from calculator.register.db import make_engine, reading, transaction
from calculator.register.household_file import household_file
from calculator.register.households import import_survey
from calculator.register.models import Agreement, Household, Offer
from calculator.register.offers import make_offers
from calculator.register.projects import create_project, current_policy, get_project, loaded_policy
from calculator.result import Quote
from ui.signed_in import KEY, SignedIn

PAGE = "ui/resident_page.py"
NOTE_ZH = "请用户号和访问码登录后查看本户档案。"
NOTE_EN = "Please sign in with your household number and access code to see your household's file."
OTHER_NAME = "郑海洋"  # TH-00007 of project P2: the same household number as P1's 潘杰萍, another household


def _second_project(tmp_path: Path, url: str) -> int:
    """Project P2 whose TH-00007 is another family (another name, a 60 m² home, not low-income), offered only."""
    lines = SAMPLE_CSV.read_text("utf-8").splitlines()
    row = next(r for r in lines[2:] if r.startswith("TH-00007,")).split(",")
    row[1], row[5], row[7], row[8], row[9], row[12], row[14] = OTHER_NAME, "60.00", "68", "否", "", "", ""
    path = tmp_path / "p2.csv"
    path.write_text("\n".join(lines[:2] + [",".join(row)]) + "\n", encoding="utf-8")
    engine = make_engine(url)
    with transaction(engine) as s:
        project, _ = create_project(s, code="P2", name="塔河二期", policy="tahe", by=SUPERVISOR)
        import_survey(s, project, load_survey(path, loaded_policy(current_policy(s, project))), CLERK)
        make_offers(s, project, CLERK)
        project_id = project.id
    engine.dispose()
    return project_id


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    folder = tmp_path_factory.mktemp("resident")
    with pytest.MonkeyPatch.context() as mp:
        scenario = lived_register(folder, mp)
        scenario.p2 = _second_project(folder, scenario.url)
        yield scenario


@pytest.fixture
def lived(register, monkeypatch):
    monkeypatch.setenv("ANZHI_DATABASE_URL", register.url)
    return register


def resident(number: str, project_id: int) -> SignedIn:
    return SignedIn(name=number, role="resident", project_id=project_id)


def everything(at: AppTest) -> str:
    """Every word on the page: its elements, its HTML tables and the labels of its downloads (Markdown's escapes
    taken out, spaces collapsed: a masked name '潘**' is written '潘\\*\\*' so that it shows as typed)."""
    text = "\n".join([page_text(at), html_text(at)] + [b.label for b in at.get("download_button")]).replace("\\", "")
    return re.sub(r"[ \t]+", " ", text)  # a table's cells one space apart


def facts(url: str, project_code: str, number: str) -> tuple[dict, Quote]:
    """The household's file as `register show` prints it (as of today), and the quote its agreement froze."""
    engine = make_engine(url)
    with reading(engine) as s:
        project = get_project(s, project_code)
        file = household_file(s, project, number)
        h = s.execute(select(Household).where(Household.project_id == project.id,
                                              Household.household_no == number)).scalar_one()
        quote_json = s.execute(select(Offer.quote_json).join(Agreement, Agreement.offer_id == Offer.id)
                               .where(Agreement.household_id == h.id, Agreement.cancelled_at.is_(None))).scalar_one()
    engine.dispose()
    return file, Quote.model_validate_json(quote_json)


def document_of(url: str, project_id: int, number: str) -> tuple[int, bytes]:
    engine = make_engine(url)
    with reading(engine) as s:
        row = s.execute(select(Agreement.number, Agreement.document).join(Household, Household.id == Agreement.household_id)
                        .where(Household.project_id == project_id, Household.household_no == number)).one()
    engine.dispose()
    return row.number, row.document


# ---- the resident's own file ----------------------------------------------------------------------------------

def test_a_resident_sees_their_own_file(lived):
    at = page(PAGE, resident("TH-00007", lived.project_id))
    text = everything(at)
    file, _ = facts(lived.url, "P1", "TH-00007")
    before, first, second = file["account"]["dues"]
    assert (before["amount_fen"], first["amount_fen"], second["amount_fen"]) == (86400, 254400, 169600)
    assert before["amount_fen"] + first["amount_fen"] + second["amount_fen"] == 510400  # the net as signed
    today = lived.today.isoformat()
    assert "户号 TH-00007 · 潘**" in text and "潘杰萍" not in text  # the name masked
    assert "合计：住户应交 ¥5,104.00" in text and "大写： 伍仟壹佰零肆元整" in text
    # every line of the quote as signed, its factors multiplied out, with its clause
    assert "合理享受面积部分 四、3: 超出原面积部分并在合理享受面积内按1000元/平方米结算差价" in text
    assert "5.30 ㎡ × 800.00 元/㎡ = 4,240.00 应交 ¥4,240.00" in text
    assert "48.00 ㎡ × 18.00 元/㎡ = 864.00 应交 ¥864.00" in text
    assert f"协议第3号，{today} 签订" in text and "搬迁顺序号：**3**" in text
    assert "**1-1-301 · 3层 · 建筑面积 48.3㎡ · 48㎡户型**" in text and f"入住日期：{today}" in text
    # each installment with the ledger's due date; the receipt with its date and number; the balance
    assert f"缓交第1期 {first['due_on']} ¥2,544.00" in text and f"缓交第2期 {second['due_on']} ¥1,696.00" in text
    assert f"{today} R-002 ¥864.00" in text
    assert "应交 ¥5,104.00" in text and "已交 ¥864.00" in text and "尚欠 ¥4,240.00" in text
    # what paying or not brings, in plain words, dated by the last installment
    assert (f"在{second['due_on']}（最后一期到期日）前交清尚欠的 ¥4,240.00：在规定的时间内交够欠款后，办理房屋所有权证。"
            in text)
    assert f"过了{second['due_on']}（最后一期到期日）仍未交清：到期后仍无能力交纳欠款的，按廉租房管理。" in text
    assert "目前：缓交期内；尚欠 ¥4,240.00" in text


def test_in_english(lived):
    at = page(PAGE, resident("TH-00007", lived.project_id), lang="en")
    text = everything(at)
    file, _ = facts(lived.url, "P1", "TH-00007")
    last = file["account"]["dues"][-1]["due_on"]
    assert "Household TH-00007 · 潘**" in text and "My resettlement file" in text
    assert "5.30 m² × 800.00 yuan/m² = 4,240.00 pays ¥4,240.00" in text
    assert f"Agreement no. 3, signed on {lived.today.isoformat()}" in text and "Moving-order number: **3**" in text
    assert "1-1-301 · floor 3 · floor area 48.3 m² · 48 m² unit type" in text
    assert f"deferred installment 2 {last} ¥1,696.00" in text and "R-002" in text
    assert f"Pay the ¥4,240.00 still owed by {last} (the last installment's due date): Once the debt" in text
    assert "managed as low-rent housing (廉租房)" in text and "title certificate (房屋所有权证)" in text
    assert "Download the agreement (PDF)" in text and "下载" not in text


def test_the_agreement_pdf_is_the_stored_document(lived):
    """The download is the agreement's own bytes under agreement_<no>.pdf: Streamlit names a download's file by a hash
    of its bytes, mime type and file name (a private function, used here only to check what the button holds)."""
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id

    number, document = document_of(lived.url, lived.project_id, "TH-00007")
    at = page(PAGE, resident("TH-00007", lived.project_id))
    buttons = at.get("download_button")
    assert len(buttons) == 1 and number == 3
    expected = _calculate_file_id(document, "application/pdf", "agreement_3.pdf")
    assert Path(buttons[0].proto.url).stem == expected
    assert Path(buttons[0].proto.url).stem != _calculate_file_id(document, "application/pdf", "agreement_4.pdf")


def test_a_cash_household_sees_what_it_receives(lived):
    at = page(PAGE, resident("TH-00030", lived.project_id))
    text = everything(at)
    assert "货币补偿，不分配房屋。" in text and "应付给住户 入住后确定 ¥125,911.00" in text
    assert "应付给本户 ¥125,911.00，已付 ¥0.00，未付 ¥125,911.00。" in text
    assert "61.42 ㎡ × 2,050.00 元/㎡ = 125,911.00 应领 ¥125,911.00" in text
    assert "尚欠" not in text  # nothing to pay: no balance of debt on the page


def test_a_household_not_yet_signed_sees_its_newest_offer_marked_so(lived):
    at = page(PAGE, resident("TH-00003", lived.project_id))
    text = everything(at)
    assert "尚未签约：下面是本户最新的安置方案，签约前仅供参考。" in text and "最新安置方案（尚未签约）" in text
    assert "合计：住户应交 ¥27,451.00" in text and "10.00 ㎡ × 1,200.00 元/㎡ = 12,000.00" in text
    assert not at.get("download_button") and "协议第" not in text and "交款情况" not in text


def test_a_household_signed_with_nothing_paid_is_told_to_pay_before_moving_in(lived):
    at = page(PAGE, resident("TH-00009", lived.project_id))
    text = everything(at)
    assert "入住前应交 入住前 ¥18,162.00" in text and "尚无交款记录。" in text
    assert "入住前须交清 ¥18,162.00：交清后才能办理入住。" in text and "尚未选房：按搬迁顺序号依次选房。" in text


def test_a_household_only_surveyed(lived):
    text = everything(page(PAGE, resident("TH-00031", lived.project_id)))
    assert "本户尚未生成安置方案。" in text and "¥" not in text


# ---- one installment, one date: the ledger's ---------------------------------------------------------------------

def test_installments_carry_the_ledgers_dates_not_the_surveys(lived):
    """TH-00007's survey planned the move-in for 2025-10-01, so its quote (and the agreement document) date the
    installments 2026-10-01 and 2027-10-01; the office recorded the move-in today, and the ledger, `register show`
    and the receipts page date them from today. The page shows the ledger's dates, in the account and in the quote."""
    file, quote = facts(lived.url, "P1", "TH-00007")
    ledger_dates = [d["due_on"] for d in file["account"]["dues"] if d["kind"] == "installment"]
    survey_dates = [i.due_date.isoformat() for i in quote.deferred.installments]
    assert quote.move_in_date == dt.date(2025, 10, 1) and survey_dates == ["2026-10-01", "2027-10-01"]
    assert ledger_dates != survey_dates and ledger_dates[0].startswith(str(lived.today.year + 1))
    at = page(PAGE, resident("TH-00007", lived.project_id))
    text = everything(at)
    for number, day in enumerate(ledger_dates, start=1):
        assert f"缓交第{number}期 {day}" in text  # the account
        assert f"第{number}期 {day}" in text  # the quote's deferral table
    assert not [day for day in survey_dates if day in text]
    assert f"实际到期日按登记的入住日期 {lived.today.isoformat()} 起算" in text


def test_the_receipts_page_dates_them_alike(lived):
    """The receipts page's queue of what falls due reads the ledger too: the same due date, the same amount."""
    from calculator.register import queues

    file, _ = facts(lived.url, "P1", "TH-00007")
    first = next(d for d in file["account"]["dues"] if d["kind"] == "installment")
    engine = make_engine(lived.url)
    with reading(engine) as s:
        due, _ = queues.receivables(s, lived.project_id, dt.date.fromisoformat(first["due_on"]))
    engine.dispose()
    row = next(r for r in due if r.household_no == "TH-00007")
    assert str(row.due_on) == first["due_on"] and row.amount_fen == first["amount_fen"]
    assert f"缓交第1期 {first['due_on']} {fmt_money(first['amount_fen'])}" in everything(
        page(PAGE, resident("TH-00007", lived.project_id)))


# ---- nobody else ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("user", [None, staff(CLERK), staff(SUPERVISOR), SignedIn("TH-00007", "resident", None)],
                         ids=["nobody", "clerk", "supervisor", "resident-without-project"])
def test_anyone_but_a_resident_sees_only_the_note(lived, user):
    at = page(PAGE, user, reg_file_no="TH-00007", reg_project="P1")
    assert [e.value for e in at.info] == [NOTE_ZH]
    assert page_text(at).splitlines() == ["我的安置档案", NOTE_ZH] and not at.html and not at.get("download_button")


def test_the_note_in_english(lived):
    at = page(PAGE, None, lang="en")
    assert page_text(at).splitlines() == ["My resettlement file", NOTE_EN]


def other_household_absent(text: str) -> None:
    """Nothing of P1's TH-00007 (潘杰萍: net 5,104.00, installments 2,544.00 and 1,696.00, receipt R-002)."""
    for word in ("TH-00007", "潘", "5,104.00", "2,544.00", "1,696.00", "R-002", "1-1-301"):
        assert word not in text, word


def test_other_session_keys_do_not_change_the_household(lived):
    """The staff pages' household and project keys point elsewhere: the resident still sees only their own."""
    at = page(PAGE, resident("TH-00030", lived.project_id), reg_file_no="TH-00007", reg_project="P2",
              reg_file_as_of=dt.date(2030, 1, 1))
    text = everything(at)
    assert "户号 TH-00030 · 张**" in text and "¥125,911.00" in text
    other_household_absent(text)


def test_a_query_parameter_does_not_change_the_household(lived):
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.session_state["lang"] = "zh"
    at.session_state[KEY] = resident("TH-00030", lived.project_id)
    for key, value in (("household", "TH-00007"), ("household_no", "TH-00007"), ("project", "P2"),
                       ("project_id", str(lived.p2))):
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    text = everything(at)
    assert "户号 TH-00030 · 张**" in text
    other_household_absent(text)


def test_the_same_number_in_another_project_is_that_projects_household(lived):
    """TH-00007 of P2 is another family: signed in to P2 the resident sees it, never P1's TH-00007."""
    at = page(PAGE, resident("TH-00007", lived.p2))
    text = everything(at)
    assert "户号 TH-00007 · 郑**" in text and "项目：塔河二期" in text and "尚未签约" in text
    assert "60.00 ㎡ × 300.00 元/㎡ = 18,000.00" in text
    for word in ("潘", "5,104.00", "2,544.00", "R-002", "1-1-301", "塔河一期", OTHER_NAME):
        assert word not in text, word
    # and P1's resident TH-00007 never sees P2's
    assert "郑" not in everything(page(PAGE, resident("TH-00007", lived.project_id)))


def test_a_project_without_that_household_shows_nothing(lived):
    at = page(PAGE, resident("TH-00030", lived.p2))  # P2 holds only its TH-00007
    assert [e.value for e in at.info] == ["登记簿中找不到本户档案，请到经办窗口询问。"]
    assert not at.html and "TH-00030" not in page_text(at) and "¥" not in everything(at)
    at = page(PAGE, resident("TH-00007", 999))
    assert [e.value for e in at.info] == ["登记簿中找不到本户档案，请到经办窗口询问。"]
    other_household_absent(everything(at))


def test_the_page_writes_nothing(lived):
    from register_scenario import log_count

    before = log_count(lived.url)
    at = page(PAGE, resident("TH-00007", lived.project_id))
    assert [b.key for b in at.button] == ["resident_sign_out"]  # the only button signs out (on a phone, too)
    assert not at.text_input and not at.selectbox and not at.date_input
    page(PAGE, resident("TH-00009", lived.project_id))
    assert log_count(lived.url) == before
    at.button(key="resident_sign_out").click().run()
    assert "register_signed_in" not in at.session_state and log_count(lived.url) == before


@pytest.mark.parametrize("number", ["TH-00007", "TH-00030", "TH-00003", "TH-00009"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_holds_no_code_path_or_repr(lived, number, lang):
    at = page(PAGE, resident(number, lived.project_id), lang=lang)
    assert code_like(everything(at)) == []
