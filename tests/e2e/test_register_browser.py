"""The register in a real headless Chromium, on an SQLite register of its own: the first supervisor created on the
login page, a project; a clerk imports a survey, makes offers, imports flats, issues a resident's access code and is
refused signing; the supervisor previews and signs and runs the public draw; the clerk allocates a flat in moving
order and records a receipt; the resident then checks their own file on a 390 x 844 phone.

Screenshots go to artifacts/; with ANZHI_DOCS_IMG=docs/img they refresh the pictures in docs/ and the README.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
import xlsxwriter
from test_browser import (  # noqa: F401 -- browser is a fixture used by name
    ARTIFACTS,
    CHROMIUM,
    ROOT,
    browser,
    choose,
    doc_picture,
    main_text,
    pdf_text,
    serve,
    settle,
    shot,
)

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (.ci/run installs it)")
sync_api = pytest.importorskip("playwright.sync_api")

SUPERVISOR, CLERK = "王主管", "李经办"
PASSWORDS = {SUPERVISOR: "supervisor pass 2026", CLERK: "clerk pass 2026"}
SEED = "塔河镇2026年1月15日 县公证处 第1次抽签"
SIGNED = ["TH-00001", "TH-00002", "TH-00007"]  # in kind: 40, 58 and 48 m² units
RESIDENT = "TH-00002"


def survey_slice(rows: int) -> bytes:
    lines = (ROOT / "sample_data" / "tahe_survey_1200.csv").read_text("utf-8").splitlines()
    return ("\n".join(lines[:2 + rows]) + "\n").encode("utf-8")


def flats_list() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["楼号", "单元", "楼层", "房号", "建筑面积（㎡）", "户型（㎡）"])
    for i, (room, area, unit) in enumerate([("101", 40.12, 40), ("102", 40.3, 40), ("201", 58.3, 58),
                                            ("202", 58.1, 58), ("301", 48.3, 48)], start=1):
        sheet.write_row(i, 0, ["1", "1", int(room[0]), room, area, unit])
    book.close()
    return out.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on its own empty SQLite register (no users yet): its address, the register's URL and a folder."""
    folder = tmp_path_factory.mktemp("register_e2e")
    url = f"sqlite:///{folder / 'anzhi.db'}"
    with serve({"ANZHI_DATABASE_URL": url}, "e2e_register_server.log") as address:
        yield address, url, folder


def new_page(browser, width=1400, height=1000):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    return pg


def go(pg, address: str, path: str, heading: str) -> None:
    pg.goto(f"{address}/{path}")
    pg.get_by_role("heading", name=heading).first.wait_for()
    settle(pg)


def menu(pg, link: str, heading: str) -> None:
    pg.get_by_role("link", name=link).click()
    pg.get_by_role("heading", name=heading).first.wait_for()
    settle(pg)


def fill(pg, label: str, value: str) -> None:
    pg.get_by_label(label, exact=True).fill(value)


def click(pg, name: str) -> None:
    pg.get_by_role("button", name=name, exact=True).click()
    settle(pg)


def sign_in(pg, address: str, name: str) -> None:
    go(pg, address, "login", "登录")
    fill(pg, "用户名", name)
    fill(pg, "密码", PASSWORDS[name])
    click(pg, "登录")
    pg.get_by_role("heading", name="项目进度").first.wait_for()
    settle(pg)


def sign_out(pg) -> None:
    pg.locator('[data-testid="stSidebar"]').get_by_role("button", name="退出登录").click()
    settle(pg)
    pg.get_by_role("heading", name="登录").first.wait_for()


def expect_text(pg, text: str, timeout_ms: int = 30_000) -> None:
    sync_api.expect(pg.locator('[data-testid="stMain"]')).to_contain_text(text, timeout=timeout_ms)


def act(pg, button: str, done: str) -> None:
    """Click `button` and wait for the page to say `done`. On a loaded machine a click can land while a run redraws
    the page and be lost (nothing done, nothing said): then, and only then, it is clicked again."""
    for _ in range(2):
        click(pg, button)
        try:
            expect_text(pg, done, 20_000)
            return
        except AssertionError:
            settle(pg)
    click(pg, button)
    expect_text(pg, done)


def test_clerk_supervisor_and_resident_walk_the_sample_project(server, browser):  # noqa: F811
    address, url, folder = server
    pg = new_page(browser)

    # First run: the register has no user; the first supervisor is created on the login page and signed in.
    go(pg, address, "login", "登录")
    expect_text(pg, "登记簿还没有用户")
    fill(pg, "用户名", SUPERVISOR)
    fill(pg, "密码", PASSWORDS[SUPERVISOR])
    fill(pg, "再次输入密码", PASSWORDS[SUPERVISOR])
    click(pg, "创建主管并登录")
    pg.get_by_role("heading", name="项目进度").first.wait_for()
    settle(pg)
    menu(pg, "项目与导入", "项目与导入")
    fill(pg, "项目编号（不含空格）", "TH")
    fill(pg, "项目名称", "塔河镇城区棚户区改造一期")
    act(pg, "新建项目", "已新建项目 TH")
    sign_out(pg)

    # The supervisor adds a clerk (the register's command, as an office does).
    done = subprocess.run([sys.executable, "-m", "calculator", "register", "--db", url, "user", "add", CLERK, "--role",
                           "clerk", "--user", SUPERVISOR, "--password-stdin"], input=PASSWORDS[CLERK] + "\n",
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr

    # The clerk: import the survey, make the offers, import the flats, issue a resident's code; signing is refused.
    sign_in(pg, address, CLERK)
    menu(pg, "项目与导入", "项目与导入")
    survey = folder / "survey.csv"
    survey.write_bytes(survey_slice(30))
    pg.locator('[data-testid="stFileUploader"]').locator('input[type="file"]').set_input_files(str(survey))
    settle(pg)
    act(pg, "导入", "已导入 survey.csv")
    act(pg, "为待生成的住户生成方案", "已生成方案 30 户")
    menu(pg, "顺序与选房", "搬迁顺序与选房")
    flats = folder / "flats.xlsx"
    flats.write_bytes(flats_list())
    pg.locator('[data-testid="stFileUploader"]').locator('input[type="file"]').set_input_files(str(flats))
    settle(pg)
    act(pg, "导入房源", "已导入房屋 5 套。")
    menu(pg, "住户档案", "住户档案")
    fill(pg, "户号", RESIDENT)
    pg.get_by_label("户号", exact=True).press("Enter")
    settle(pg)
    pg.get_by_text("住户查询访问码").click()
    act(pg, "发放新访问码", f"户号 {RESIDENT} 的新访问码")
    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", main_text(pg)).group(0)
    with pg.expect_download() as slip:
        click(pg, "打印访问码通知单（PDF）")
    assert code.replace("-", "") in pdf_text(slip.value.path()).replace("-", "")
    menu(pg, "签约", "签约")
    choose(pg, "待签约住户", RESIDENT)
    act(pg, "预览协议文书", "协议文书所载结算明细")
    act(pg, "签约", "此操作需要主管")  # the library refuses a clerk, and says why
    sign_out(pg)

    # The supervisor: preview and sign three households, then the public draw from a published seed.
    sign_in(pg, address, SUPERVISOR)
    menu(pg, "签约", "签约")
    for number in SIGNED:
        choose(pg, "待签约住户", number)
        act(pg, "预览协议文书", "协议文书所载结算明细")
        with pg.expect_download() as document:
            click(pg, "下载协议文书（PDF）")
        assert number in pdf_text(document.value.path())
        act(pg, "签约", f"已签约：住户 {number}")
    menu(pg, "顺序与选房", "搬迁顺序与选房")
    fill(pg, "公开的抽签种子", SEED)
    act(pg, "公开抽签", "抽签完成：3 户")
    sign_out(pg)

    # The clerk: a flat for the first in moving order, then the resident's receipt.
    sign_in(pg, address, CLERK)
    menu(pg, "顺序与选房", "搬迁顺序与选房")
    first = pg.locator('[data-testid="stRadio"]').filter(has_text="轮到选房的住户").locator("label").first.inner_text()
    pg.locator('[data-testid="stMain"] button').filter(has_text="1-1-").first.click()
    settle(pg)
    expect_text(pg, "已分配：住户")
    shot(pg, "register_flats_zh.png")
    assert first
    menu(pg, "收款", "收款")
    choose(pg, "住户", RESIDENT)
    fill(pg, "金额（元）", "1000")
    fill(pg, "收据号", "SJ-2026-0001")
    act(pg, "登记收款", "已登记收据 SJ-2026-0001")
    menu(pg, "项目进度", "项目进度")
    doc_picture(shot(pg, "register_dashboard_zh.png"), "staff_dashboard_zh.png")
    menu(pg, "住户档案", "住户档案")
    fill(pg, "户号", RESIDENT)
    pg.get_by_label("户号", exact=True).press("Enter")
    settle(pg)
    expect_text(pg, "收款 ¥1,000.00（收据号 SJ-2026-0001")
    doc_picture(shot(pg, "register_household_file_zh.png"), "household_file_zh.png")
    sign_out(pg)
    pg.context.close()

    # The resident, on a phone: the household number and the code from the slip; their own file, read only.
    phone = new_page(browser, 390, 844)
    go(phone, address, "login", "登录")
    phone.get_by_text("住户", exact=True).click()
    settle(phone)
    fill(phone, "户号", RESIDENT)
    fill(phone, "访问码", code.lower())
    act(phone, "查看本户档案", "SJ-2026-0001")  # the page is drawn down to the receipts (a run may still be drawing)
    expect_text(phone, "本页只供查看")
    settle(phone)
    body = main_text(phone)
    assert RESIDENT in body and "SJ-2026-0001" in body and "1,000.00" in body
    assert "TH-00001" not in body and "TH-00007" not in body  # no other household
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the resident's page is {width} px wide on a 390 px phone"
    top = ARTIFACTS / "register_resident_phone_zh.png"
    phone.screenshot(path=str(top))  # the first screen, as the resident sees it
    doc_picture(top, "resident_phone_zh.png")
    height = phone.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 844")
    phone.set_viewport_size({"width": 390, "height": min(max(height + 40, 844), 9000)})
    phone.wait_for_timeout(400)
    phone.screenshot(path=str(ARTIFACTS / "register_resident_phone_full_zh.png"), full_page=True)
    phone.locator('[data-testid="stMain"]').get_by_role("button", name="退出登录").click()  # the page's own, not the sidebar's
    phone.get_by_role("heading", name="登录").first.wait_for()
    phone.context.close()
