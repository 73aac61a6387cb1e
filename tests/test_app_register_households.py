"""AppTests of the staff pages that read the register: the household list (search, stage filters), a household's
file (its timeline) and the project dashboard (funnel, funds by month, flats against the planned mix), on the small
register of register_scenario (31 households of the sample at every stage)."""
from __future__ import annotations

import pytest
from app_helpers import metrics, texts
from register_scenario import (
    AUDITOR,
    CLERK,
    LATER,
    SUPERVISOR,
    chart_data,
    lived_register,
    page,
    page_text,
    staff,
)
from sqlalchemy import select
from test_words import code_like

from calculator.fixed import fmt_money
from calculator.register.db import make_engine, reading
from calculator.register.models import Offer
from calculator.register.models_ledger import DueRow, Receipt
from ui.signed_in import SignedIn

LIST, FILE, DASHBOARD = "ui/register_households_page.py", "ui/register_household_page.py", "ui/register_dashboard_page.py"


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        yield lived_register(tmp_path_factory.mktemp("register"), mp)


@pytest.fixture
def lived(register, monkeypatch):
    monkeypatch.setenv("ANZHI_DATABASE_URL", register.url)
    return register


def listed(at) -> list[str]:
    return list(at.dataframe[0].value["户号" if "户号" in at.dataframe[0].value else "Household"]) if at.dataframe else []


def on(at, day):
    at.date_input(key="reg_list_as_of").set_value(day).run()
    assert not at.exception, at.exception
    return at


# ---- the household list ---------------------------------------------------------------------------------------

def test_every_household_is_listed_with_its_stage(lived):
    at = page(LIST, staff(CLERK))
    assert len(listed(at)) == 31 and "显示 31 户，共 31 户。" in texts(at.caption)
    table = at.dataframe[0].value.set_index("户号")
    assert table.loc["TH-00001", "阶段"] == "已结清" and table.loc["TH-00001", "房屋"] == "1-1-101"
    assert table.loc["TH-00007", "阶段"] == "已入住"  # today: within the deferral period
    assert table.loc["TH-00030", "应交 / 应领"] == "应领 125,911.00" and table.loc["TH-00030", "安置方式"] == "货币补偿"
    assert table.loc["TH-00031", "阶段"] == "已调查" and table.loc["TH-00031", "应交 / 应领"] == ""


@pytest.mark.parametrize("stage, label, households", [
    ("surveyed", "已调查（1）", ["TH-00031"]),
    ("offered", "已出方案（25）", None),
    ("signed", "已签约（2）", ["TH-00009", "TH-00030"]),
    ("flat_chosen", "已选房（1）", ["TH-00002"]),
    ("moved_in", "已入住（0）", []),
    ("paid_up", "已结清（1）", ["TH-00001"]),
    ("overdue", "逾期（1）", ["TH-00007"]),
])
def test_the_stage_filter_on_a_later_day(lived, stage, label, households):
    """On 1 January 2030 TH-00007's installments are unpaid after the last due date: it is listed as overdue."""
    at = on(page(LIST, staff(CLERK)), LATER)
    box = at.selectbox(key="reg_list_stage")
    assert box.format_func(stage) == label
    box.set_value(stage).run()
    shown = listed(at)
    if households is None:
        assert len(shown) == 25 and not {"TH-00001", "TH-00007", "TH-00031"} & set(shown)
    else:
        assert shown == households
        if not households:
            assert "没有符合条件的住户。" in texts(at.info)


def test_the_overdue_household_shows_what_it_owes(lived):
    at = on(page(LIST, staff(AUDITOR)), LATER)
    at.selectbox(key="reg_list_stage").set_value("overdue").run()
    row = at.dataframe[0].value.iloc[0]
    engine = make_engine(lived.url)
    with reading(engine) as s:
        installments = sum(s.execute(select(DueRow.amount_fen).where(DueRow.household_id == 7,
                                                                     DueRow.kind == "installment")).scalars())
    engine.dispose()
    assert (row["户号"], row["逾期金额"], row["欠款余额"]) == ("TH-00007", fmt_money(installments), fmt_money(installments))


@pytest.mark.parametrize("search, households", [("潘杰萍", ["TH-00007"]), ("1-1-201", ["TH-00002"]),
                                                ("th-0003", ["TH-00030", "TH-00031"]),
                                                ("232722198806277939", ["TH-00007"]), ("nobody", [])])
def test_search_by_number_name_id_or_flat(lived, search, households):
    at = page(LIST, staff(CLERK))
    at.text_input(key="reg_list_search").set_value(search).run()
    assert listed(at) == households
    assert f"显示 {len(households)} 户，共 31 户。" in texts(at.caption)


def test_search_and_stage_together(lived):
    at = page(LIST, staff(CLERK))
    at.text_input(key="reg_list_search").set_value("TH-0000").run()
    at.selectbox(key="reg_list_stage").set_value("signed").run()
    assert listed(at) == ["TH-00009"]


# ---- a household's file ---------------------------------------------------------------------------------------

def timeline(at) -> list[str]:
    return [m.value.split("  \n")[0].strip("*") for m in at.markdown if m.value.startswith("**")]


def test_the_file_is_a_timeline_of_everything_done(lived):
    at = page(FILE, staff(CLERK), reg_file_no="TH-00007")
    engine = make_engine(lived.url)
    with reading(engine) as s:
        dues = s.execute(select(DueRow.kind, DueRow.amount_fen).where(DueRow.household_id == 7).order_by(DueRow.id)).all()
        receipt = s.execute(select(Receipt.amount_fen)).scalars().all()
        net = s.execute(select(Offer.net_fen).where(Offer.household_id == 7)).scalar_one()
    engine.dispose()
    before, first, second = (fen for _, fen in dues)
    assert before + first + second == net == 510400
    assert timeline(at) == [
        "建档",
        "生成方案第1版：回迁，应交 5,104.00（政策 tahe 2025.1）",
        "签订协议第3号（方案第1版，应交 5,104.00）",
        "搬迁顺序号 3（按签约时间）",
        "选房：1-1-301（48㎡户型，建筑面积 48.3㎡）",
        f"建立缴款台账：入住前应交 {fmt_money(before)}；缓交第1期 {fmt_money(first)}；缓交第2期 {fmt_money(second)}",
        f"收款 {fmt_money(before)}（收据号 R-002，{lived.today.isoformat()}）",
        f"入住（{lived.today.isoformat()}）",
    ]
    assert fmt_money(before) in [fmt_money(r) for r in receipt]
    assert f"· {SUPERVISOR}" in texts(at.markdown) and f"· {CLERK}" in texts(at.markdown)  # who did each
    m = metrics(at)
    assert (m["阶段"], m["最新方案"], m["协议"], m["房屋"]) == ("已入住", "应交 5,104.00", "第3号", "1-1-301")
    assert f"缴款情况：缓交期内 · 欠款余额 {fmt_money(first + second)}" in texts(at.caption)


def test_the_file_on_a_later_day_and_in_english(lived):
    at = page(FILE, staff(AUDITOR), lang="en", reg_file_no="TH-00007")
    at.date_input(key="reg_file_as_of").set_value(LATER).run()
    assert metrics(at)["Stage"] == "overdue"
    assert "Payments: unpaid after the last due date (managed as low-rent housing)" in texts(at.caption)
    assert timeline(at)[2] == "Agreement no. 3 signed (offer v1, pays 5,104.00)"
    assert timeline(at)[-1] == f"Moved in ({lived.today.isoformat()})"


def test_a_cash_household_receives(lived):
    at = page(FILE, staff(CLERK), reg_file_no="TH-00030")
    assert metrics(at)["最新方案"] == "应领 125,911.00" and metrics(at)["房屋"] == "无"
    assert "建立缴款台账：应付给住户 ¥125,911.00" in timeline(at)


def test_a_household_only_surveyed_has_a_short_file(lived):
    at = page(FILE, staff(CLERK), reg_file_no="TH-00031")
    assert timeline(at) == ["建档"] and metrics(at)["阶段"] == "已调查"
    assert metrics(at)["最新方案"] == "无"


@pytest.mark.parametrize("lang, words", [("zh", "登记簿中没有户号“TH-99999”"), ("en", "no household 'TH-99999' in the register")])
def test_an_unknown_household_is_said_in_words(lived, lang, words):
    at = page(FILE, staff(CLERK), lang=lang, reg_file_no="TH-99999")
    assert words in texts(at.error)
    assert not at.metric


# ---- the dashboard --------------------------------------------------------------------------------------------

def test_the_dashboard_funnel_funds_and_flats(lived):
    at = page(DASHBOARD, staff(SUPERVISOR))
    progress, funds, flats = (d.value for d in at.dataframe)
    assert list(progress["户数"]) == ["31", "30", "5", "3", "2", "1"]
    assert list(progress["阶段"]) == ["已入户调查", "已出具报价", "已签协议", "已选房", "已入住", "已结清"]
    engine = make_engine(lived.url)
    with reading(engine) as s:
        received = sum(s.execute(select(Receipt.amount_fen)).scalars())
    engine.dispose()
    month = funds.set_index("月份").loc[lived.today.strftime("%Y-%m")]
    assert month["实收"] == fmt_money(received) == month["应收"]  # both paid what fell due this month
    assert list(funds["月份"])[-2:] == ["未定日期（入住前应交）", "合计"]  # the report's two-language labels, in Chinese
    mix = flats.set_index("户型")
    assert (mix.loc["48㎡", "房源套数"], mix.loc["48㎡", "已分配"], mix.loc["48㎡", "签约户数（实物安置）"]) == ("2", "1", "2")
    assert (mix.loc["40㎡", "已分配"], mix.loc["40㎡", "规划占比（%）"]) == ("1", "25%")
    funnel, months, shares = chart_data(at)
    assert list(funnel["households"]) == [31, 30, 5, 3, 2, 1]
    this_month = months[months["month"] == lived.today.strftime("%Y-%m")].set_index("series")["text"]
    assert this_month["实收"] == this_month["应收"] == fmt_money(received)
    planned = shares[shares["series"] == "规划占比"].set_index("group")["share"]
    assert planned["48㎡"] == 45.0


def test_the_dashboard_in_english(lived):
    at = page(DASHBOARD, staff(AUDITOR), lang="en")
    progress = at.dataframe[0].value
    assert list(progress["stage"]) == ["surveyed", "offered", "signed", "flat chosen", "moved in", "paid up"]
    assert "payable to households (cash compensation etc.): 125,911.00 yuan" in texts(at.caption)
    funds = at.dataframe[1].value
    assert list(funds.iloc[-2:, 0]) == ["not yet dated (before move-in)", "total"]


@pytest.mark.parametrize("path", [LIST, FILE, DASHBOARD])
@pytest.mark.parametrize("user", [None, SignedIn(name="TH-00001", role="resident", project_id=1)])
def test_the_pages_are_for_staff_only(lived, path, user):
    at = page(path, user, reg_file_no="TH-00001")
    assert "请先登录" in texts(at.info)
    assert not at.dataframe and not at.metric and "TH-00001" not in page_text(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", [LIST, FILE, DASHBOARD])
def test_the_pages_hold_no_code_path_or_repr(lived, path, lang):
    at = page(path, staff(CLERK), lang=lang, reg_file_no="TH-00007")
    assert code_like(page_text(at)) == []


def test_a_cancelled_agreement_stays_in_the_timeline(tmp_path, monkeypatch):
    from calculator.register.agreements import cancel
    from calculator.register.db import transaction
    from calculator.register.projects import get_project

    scenario = lived_register(tmp_path, monkeypatch)
    engine = make_engine(scenario.url)
    with transaction(engine) as s:
        cancel(s, get_project(s, "P1", lock=True), "TH-00009", "面积复核", SUPERVISOR)
    engine.dispose()
    at = page(FILE, staff(AUDITOR), reg_file_no="TH-00009")
    lines = timeline(at)
    assert lines.index("撤销协议第4号，原因：面积复核") > lines.index("签订协议第4号（方案第1版，应交 18,162.00）")
    assert metrics(at)["协议"] == "无" and metrics(at)["阶段"] == "已出方案"
    at = page(LIST, staff(CLERK))
    at.selectbox(key="reg_list_stage").set_value("signed").run()
    assert listed(at) == ["TH-00030"]


@pytest.mark.parametrize("action, after, zh", [
    ("payout.add", {"voucher_no": "V-1", "paid_on": "2026-12-01", "amount_fen": 12591100},
     "付款给住户 ¥125,911.00（付款凭证号 V-1，2026-12-01）"),
    ("flat.release", {"household_id": None, "agreement_number": 4}, "协议第4号撤销，所分房屋退回"),
    ("order.vacate", {"order_no": 4, "agreement_number": 4}, "协议第4号撤销，搬迁顺序号 4 空出"),
    ("flat.allocate", {"address": "1-1-301", "type_c": 4800, "area_c": 4830, "out_of_turn": "病重"},
     "选房：1-1-301（48㎡户型，建筑面积 48.3㎡）；越过顺序，原因：病重"),
    ("order.assign", {"order_no": 7, "method": "draw"}, "搬迁顺序号 7（公开抽签）"),
    ("something.new", {"x": 1}, "操作记录"),
])
def test_each_log_entry_in_words(action, after, zh):
    from ui.register_household_view import event_text

    assert event_text(action, after) == zh
