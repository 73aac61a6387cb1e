"""AppTests of what a clerk hands a resident and what the flats page imports: a new access code issued from the
household's file (shown once, its slip to print, the old code then refused, an auditor refused and logged), and a
flats list imported on the flats page (all rows or none, each bad row named)."""
from __future__ import annotations

import io

import pytest
import xlsxwriter
from app_helpers import texts
from register_pages import AUDITOR, CLERK, log_size, logged_since, offered_register
from register_scenario import page, staff
from sqlalchemy import func, select

from calculator.register.db import reading
from calculator.register.logins import LoginRefused, resident_login
from calculator.register.models_ledger import Flat

FILE, FLATS = "ui/register_household_page.py", "ui/register_flats_page.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def engine(tmp_path, monkeypatch):
    return offered_register(tmp_path, monkeypatch)


def issued_code(at) -> str:
    """The code the page shows once, as printed (ABCD-EFGH-JKLM)."""
    success = texts(at.success)
    return success.split("**")[1]


def test_a_clerk_issues_a_code_the_resident_signs_in_with(engine):
    size = log_size(engine)
    at = page(FILE, staff(CLERK), reg_file_no="TH-00002")
    at.button(key="reg_file_code_issue").click().run()
    code = issued_code(at)
    assert len(code) == 14 and code.count("-") == 2 and "户号 TH-00002 的新访问码" in texts(at.success)
    slip = at.get("download_button")[0]
    assert slip.proto.label == "打印访问码通知单（PDF）"
    assert logged_since(engine, size)[-1][:2] == (CLERK, "access_code.issue")
    assert "**发放住户查询访问码（此前的访问码失效）**  \n" in "".join(m.value for m in at.markdown)
    assert any(m.value.startswith("**发放住户查询访问码") and m.value.endswith(f"· {CLERK}") for m in at.markdown)
    login = resident_login(engine, "TH-00002", code.lower().replace("-", " "))  # as the slip says: case, dashes
    assert (login.name, login.role) == ("TH-00002", "resident")
    with pytest.raises(LoginRefused):
        resident_login(engine, "TH-00003", code)  # another household's number with this code
    at.button(key="reg_file_code_issue").click().run()  # a new code: the first one stops working
    second = issued_code(at)
    assert second != code
    with pytest.raises(LoginRefused):
        resident_login(engine, "TH-00002", code)
    resident_login(engine, "TH-00002", second)


def test_the_register_s_own_work_is_not_shown_as_a_person_s(engine):
    from calculator.register import ledger
    from calculator.register.db import transaction
    from calculator.register.projects import get_project
    from register_pages import sign

    sign(engine, "TH-00002")
    with transaction(engine) as s:
        ledger.open_accounts(s, get_project(s, None).id, ledger.SYSTEM_USER)  # as a report or the receipts page does
    at = page(FILE, staff(CLERK), lang="en", reg_file_no="TH-00002")
    account = next(m.value for m in at.markdown if m.value.startswith("**Account opened"))
    assert account.endswith("· the register, automatically") and "register\n" not in account


def test_the_code_is_shown_only_on_its_own_household(engine):
    at = page(FILE, staff(CLERK), reg_file_no="TH-00002")
    at.button(key="reg_file_code_issue").click().run()
    code = issued_code(at)
    at.text_input(key="reg_file_no").set_value("TH-00003").run()
    assert code not in texts(at.success) and not at.get("download_button")


@pytest.mark.parametrize("lang, words", [("zh", "审计"), ("en", "auditor")])
def test_an_auditor_cannot_issue_a_code_and_the_refusal_is_logged(engine, lang, words):
    size = log_size(engine)
    at = page(FILE, staff(AUDITOR), lang=lang, reg_file_no="TH-00002")
    at.button(key="reg_file_code_issue").click().run()
    assert words in texts(at.error) and not at.success
    assert [(u, a) for u, a, _ in logged_since(engine, size)] == [(AUDITOR, "refused")]


def flats_xlsx(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["楼号", "单元", "楼层", "房号", "建筑面积（㎡）", "户型（㎡）"])
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    book.close()
    return out.getvalue()


def flat_count(engine) -> int:
    with reading(engine) as s:
        return s.execute(select(func.count()).select_from(Flat)).scalar_one()


def upload_flats(at, data: bytes):
    at.file_uploader(key="reg_flats_upload").set_value(("flats.xlsx", data, XLSX)).run()
    at.button(key="reg_flats_import").click().run()
    return at


def test_a_clerk_imports_the_flats_list(engine):
    size = log_size(engine)
    at = upload_flats(page(FLATS, staff(CLERK)),
                      flats_xlsx([["1", "1", 1, "101", 40.12, 40], ["1", "1", 2, "201", 58.3, 58], ["2", "1", 1, "101", 48.5, 48]]))
    assert "已导入房屋 3 套。" in texts(at.success) and "房源共 3 套，已分配 0 套。" in texts(at.caption)
    assert flat_count(engine) == 3
    assert {(u, a) for u, a, _ in logged_since(engine, size)} == {(CLERK, "flat.import")}


def test_a_flats_list_with_a_bad_row_imports_nothing(engine):
    at = upload_flats(page(FLATS, staff(CLERK), lang="en"),
                      flats_xlsx([["1", "1", 1, "101", 40.12, 40], ["1", "1", 2, "201", "abc", 58]]))
    assert "1 problems in the flats list: no flat was imported:" in texts(at.error)
    assert "row 3" in texts(at.markdown)
    assert flat_count(engine) == 0


def test_a_long_list_of_bad_rows_is_named_then_counted(engine):
    rows = [["1", "1", 1, f"{100 + i}", "abc", 40] for i in range(1, 26)]  # 25 rows, each without an area
    at = upload_flats(page(FLATS, staff(CLERK)), flats_xlsx(rows))
    assert "房源表有 25 处错误" in texts(at.error)
    named = [m.value for m in at.markdown if m.value.startswith("- ")][0].splitlines()
    assert len(named) == 20 and "第2行" in named[0] and "第21行" in named[-1]
    assert "另有 5 处错误未列出" in texts(at.caption) and flat_count(engine) == 0


def test_an_auditor_cannot_import_flats(engine):
    at = upload_flats(page(FLATS, staff(AUDITOR)), flats_xlsx([["1", "1", 1, "101", 40.12, 40]]))
    assert "审计" in texts(at.error) and flat_count(engine) == 0


def test_the_import_button_without_a_file_says_so(engine):
    at = page(FLATS, staff(CLERK))
    at.button(key="reg_flats_import").click().run()
    assert "请先选择房源表文件。" in texts(at.warning)
