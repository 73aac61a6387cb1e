"""AppTest of the staff page 项目与导入 (project & import): a project created under a policy by a supervisor only,
a survey imported by a clerk (counts, rejected rows), offers made; refusals shown in zh/en with nothing written."""
from __future__ import annotations

import json

import pytest
from app_helpers import metrics, texts
from register_scenario import (
    AUDITOR,
    CLERK,
    ROOT,
    SUPERVISOR,
    changes_since,
    empty_register,
    log_count,
    page,
    page_text,
    sample_slice,
    staff,
)
from sqlalchemy import func, select
from test_words import code_like

from calculator.register.db import make_engine, reading
from calculator.register.models import Household, Offer, PolicyVersion, Project
from calculator.register.projects import read_policy
from ui.signed_in import SignedIn

PAGE = "ui/register_project_page.py"
CSV = "text/csv"


def count(url: str, model) -> int:
    engine = make_engine(url)
    with reading(engine) as s:
        n = s.execute(select(func.count()).select_from(model)).scalar_one()
    engine.dispose()
    return n


def create(at, code: str, name: str = "塔河二期", policy: str = "tahe"):
    at.text_input(key="reg_new_code").set_value(code)
    at.text_input(key="reg_new_name").set_value(name)
    at.selectbox(key="reg_new_policy").set_value(policy)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    return at


def upload(at, name: str, data: bytes):
    at.file_uploader(key="reg_upload").set_value((name, data, CSV)).run()
    at.button(key="reg_import").click().run()
    assert not at.exception, at.exception
    return at


def test_a_supervisor_creates_the_first_project_under_a_frozen_policy(tmp_path, monkeypatch):
    url = empty_register(tmp_path, monkeypatch, project=False)
    at = page(PAGE, staff(SUPERVISOR))
    assert "项目与导入页新建项目" not in page_text(at)  # this is that page: the form is open instead
    at = create(at, "TH2")
    assert "已新建项目 TH2，政策 tahe 2025.1。" in texts(at.success)
    engine = make_engine(url)
    with reading(engine) as s:
        project = s.execute(select(Project)).scalar_one()
        version = s.execute(select(PolicyVersion)).scalar_one()
    engine.dispose()
    assert (project.code, project.name, version.policy_id) == ("TH2", "塔河二期", "tahe")
    assert version.sha256 == read_policy("tahe")[0].identity.sha256
    assert "项目 TH2 · 塔河二期 · 政策 tahe 2025.1" in texts(at.caption)


@pytest.mark.parametrize("lang, words", [("zh", "用户“李经办”是经办人，此操作需要主管"),
                                         ("en", "user '李经办' is a clerk; this needs a supervisor")])
def test_a_clerk_cannot_create_a_project_and_nothing_is_written(tmp_path, monkeypatch, lang, words):
    url = empty_register(tmp_path, monkeypatch, project=False)
    logged = log_count(url)
    at = create(page(PAGE, staff(CLERK), lang=lang), "TH2")
    assert words in texts(at.error)
    assert count(url, Project) == 0 and changes_since(url, logged) == []


def test_a_clerk_imports_a_survey_then_makes_offers(tmp_path, monkeypatch):
    url = empty_register(tmp_path, monkeypatch)
    data = sample_slice(tmp_path / "s.csv", 12).read_bytes()
    at = upload(page(PAGE, staff(CLERK)), "s.csv", data)
    m = metrics(at)
    assert (m["读取"], m["新建档"], m["更新"], m["无变化"], m["被拒绝"]) == ("12", "12", "0", "0", "0")
    assert count(url, Household) == 12
    assert "待生成方案的住户：12 户" in texts(at.caption)
    at.button(key="reg_offers").click().run()
    assert "已生成方案 12 户；无法结算 0 户。" in texts(at.success)
    assert count(url, Offer) == 12
    assert "待生成方案的住户：0 户" in texts(at.caption) and at.button(key="reg_offers").disabled
    at = upload(at, "s.csv", data)  # the same survey again: nothing changes
    m = metrics(at)
    assert (m["新建档"], m["无变化"]) == ("0", "12")
    assert count(url, Offer) == 12


def test_rejected_rows_are_listed_and_not_imported(tmp_path, monkeypatch):
    url = empty_register(tmp_path, monkeypatch)
    expected = json.loads((ROOT / "sample_data" / "tahe_survey_messy_expected.json").read_text("utf-8"))["rejected"]
    at = page(PAGE, staff(CLERK))
    at.selectbox(key="reg_sample").set_value(ROOT / "sample_data" / "tahe_survey_messy.xlsx")
    at.button(key="reg_import").click().run()
    assert not at.exception, at.exception
    m = metrics(at)
    assert int(m["被拒绝"]) == len(expected)
    assert int(m["新建档"]) == int(m["读取"]) - len(expected) == count(url, Household)
    table = at.dataframe[0].value
    assert set(table["行号"]) == {r["row"] for r in expected}
    filed = set(make_households(url))
    assert not filed & {r["household_id"] for r in expected}


def make_households(url: str) -> list[str]:
    engine = make_engine(url)
    with reading(engine) as s:
        numbers = list(s.execute(select(Household.household_no)).scalars())
    engine.dispose()
    return numbers


@pytest.mark.parametrize("lang, words", [("zh", "用户“赵审计”是审计员，此操作需要经办人或主管"),
                                         ("en", "user '赵审计' is an auditor; this needs a clerk or supervisor")])
def test_an_auditor_cannot_import_or_make_offers(tmp_path, monkeypatch, lang, words):
    url = empty_register(tmp_path, monkeypatch)
    logged = log_count(url)
    at = upload(page(PAGE, staff(AUDITOR), lang=lang), "s.csv", sample_slice(tmp_path / "s.csv", 3).read_bytes())
    assert words in texts(at.error)
    assert count(url, Household) == 0 and changes_since(url, logged) == []


@pytest.mark.parametrize("lang, words", [("zh", "文件不是电子表格或CSV文本"), ("en", "the file is not a spreadsheet or CSV text")])
def test_a_file_that_is_no_survey_is_refused_in_words(tmp_path, monkeypatch, lang, words):
    url = empty_register(tmp_path, monkeypatch)
    at = upload(page(PAGE, staff(CLERK), lang=lang), "x.csv", b"\x00\x01garbage\xff")
    assert words in texts(at.error)
    assert count(url, Household) == 0


@pytest.mark.parametrize("user", [None, SignedIn(name="TH-00001", role="resident", project_id=1)])
def test_the_page_is_for_staff_only(tmp_path, monkeypatch, user):
    empty_register(tmp_path, monkeypatch)
    at = page(PAGE, user)
    assert "请先登录" in texts(at.info)
    assert not at.file_uploader and not at.button


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_holds_no_code_path_or_repr(tmp_path, monkeypatch, lang):
    empty_register(tmp_path, monkeypatch)
    at = upload(page(PAGE, staff(CLERK), lang=lang), "s.csv", sample_slice(tmp_path / "s.csv", 5).read_bytes())
    text = page_text(at)
    assert code_like(text, "tahe_survey_1200.xlsx", "tahe_survey_messy.xlsx", "tahe_survey_1200.csv",
                     "tahe_survey_messy_gbk.csv", "expropriation_2011", "per_person_quota", "percent_tiers") == []
