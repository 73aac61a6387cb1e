"""End to end in a real headless Chromium: quote a household, run the sample survey, download, switch language.

The app is served on 127.0.0.1 only; Chromium starts with networking extras off, so nothing reaches outward.
Screenshots of every page go to artifacts/ (gitignored).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SAMPLE = ROOT / "sample_data" / "tahe_survey_1200.xlsx"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (.ci/run installs it)")
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "e2e_server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {ARTIFACTS / 'e2e_server.log'}")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def settle(pg) -> None:
    """Wait until Streamlit has finished the current run."""
    pg.wait_for_timeout(200)  # let the rerun start before waiting for it to end
    pg.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    pg.wait_for_timeout(100)


def shot(pg, name: str) -> Path:
    """A full-height screenshot: Streamlit scrolls inside the page, so grow the viewport to the content first."""
    height = pg.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 1000")
    pg.set_viewport_size({"width": 1400, "height": min(max(height + 40, 900), 6000)})
    pg.wait_for_timeout(400)  # charts lay out again at the new size
    path = ARTIFACTS / name
    pg.screenshot(path=str(path), full_page=True)
    return path


def fill(pg, label: str, value: str) -> None:
    box = pg.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    settle(pg)


def choose(pg, label: str, option: str) -> None:
    pg.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    pg.get_by_role("option", name=option).click()
    settle(pg)


def test_quote_a_household(server, page):
    page.goto(server)
    page.get_by_role("heading", name="结算明细").wait_for()
    choose(page, "选择户型", "58平方米户型")
    # (¥29,544.00 is on the first screen already, in the comparison: wait for what only the new quote shows)
    page.get_by_text("贰万玖仟伍佰肆拾肆元整").wait_for()
    row = page.locator("tr").filter(has_text="超出上靠户型面积部分").first
    label, formula, amount = row.locator("td").all_inner_texts()
    assert label.split("\n") == ["超出上靠户型面积部分", "四、3: 超出上靠户型面积部分按1200元/平方米结算"]
    assert (formula, amount) == ("10.00 ㎡ × 1,200.00 元/㎡ = 12,000.00", "¥12,000.00")
    shot(page, "quote.png")

    # A name is shown as typed: no bold, no link, no italics (issue 9)
    fill(page, "户主姓名（可选）", "**x** [a](http://x) _i_")
    page.get_by_text("**x** [a](http://x) _i_").first.wait_for()
    assert page.locator('a[href="http://x"]').count() == 0
    fill(page, "原房屋建筑面积（㎡）", "45_0")  # Python would read 450
    page.get_by_text("original area must be a number, got 45_0").wait_for()

    fill(page, "原房屋建筑面积（㎡）", "abc")
    page.get_by_text("original area must be a number, got abc").wait_for()
    assert "原房屋建筑面积不是有效数字，输入为 abc" in page.inner_text("body")
    shot(page, "quote_bad_input.png")

    fill(page, "原房屋建筑面积（㎡）", "36.5")
    choose(page, "选择户型", "40平方米户型")
    page.get_by_test_id("stMainBlockContainer").get_by_text("低保户", exact=True).click()  # (the glossary has it too)
    settle(page)
    page.get_by_text("申请缓交（合理享受面积部分）").click()
    settle(page)
    # the date field is a row of year / month / day segments: type into the first, it moves on by itself
    page.get_by_label("入住日期", exact=True).locator('[role="spinbutton"]').first.click()
    page.keyboard.type("20251001")
    page.keyboard.press("Escape")  # close the calendar; leaving the field commits the date
    page.get_by_role("heading", name="单户测算").click()
    settle(page)
    for text in ("2026-10-01", "¥1,680.00", "2027-10-01", "¥1,120.00"):
        page.get_by_text(text, exact=True).first.wait_for()
    page.get_by_text("房屋所有权证").first.wait_for()
    page.get_by_text("廉租房").first.wait_for()
    shot(page, "quote_low_income.png")

    # The statement the resident signs is this quote, to the fen (made when the button is clicked).
    with page.expect_download() as info:
        page.get_by_role("button", name="下载结算单（PDF）").click()
    target = ARTIFACTS / "e2e_statement.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                                                  check=True).stdout)
        for figure in ("3,520.00", "叁仟伍佰贰拾元整", "720.00", "2026-10-01", "1,680.00", "2027-10-01", "1,120.00"):
            assert figure in text, figure


def test_quote_on_a_phone(server, browser):
    """At 390 × 844 every line of the breakdown fits the screen: label, formula, amount and clause."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    try:
        pg.goto(server)
        pg.get_by_role("heading", name="结算明细").wait_for()
        settle(pg)
        sync_api.expect(pg.locator('[data-testid="stSidebarContent"]')).not_to_be_in_viewport()  # collapsed on a phone
        choose(pg, "选择户型", "58平方米户型")
        pg.get_by_text("贰万玖仟伍佰肆拾肆元整").wait_for()
        formula = pg.get_by_text("10.00 ㎡ × 1,200.00 元/㎡ = 12,000.00", exact=True)
        for cell in (formula, pg.get_by_text("¥12,000.00", exact=True).first,
                     pg.get_by_text("四、3: 超出上靠户型面积部分按1200元/平方米结算", exact=True)):
            cell.scroll_into_view_if_needed()
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert formula.bounding_box()["height"] < 30  # one line: the formula is not broken inside a factor
        height = pg.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 844")
        pg.set_viewport_size({"width": 390, "height": min(height + 40, 6000)})
        pg.wait_for_timeout(400)
        pg.screenshot(path=str(ARTIFACTS / "quote_phone.png"), full_page=True)
    finally:
        context.close()


def test_a_declared_input_in_the_browser(server, page):
    """A policy uploaded for the session draws its own input (persons); the per-person line multiplies out."""
    page.goto(f"{server}/policy")
    page.get_by_role("heading", name="政策参数").first.wait_for()
    settle(page)
    page.locator('input[type="file"]').set_input_files(str(ROOT / "tests" / "policies" / "app_inputs.toml"))
    page.get_by_role("button", name="在本次会话中使用此政策").click()
    settle(page)
    page.get_by_role("link", name="单户测算").click()
    page.get_by_role("heading", name="结算明细").wait_for()
    settle(page)
    fill(page, "选择安置面积（㎡）", "50")
    fill(page, "家庭人口（人）（必填）", "abc")
    page.get_by_text("household members must be a whole number, got abc").wait_for()
    fill(page, "家庭人口（人）（必填）", "4")
    page.get_by_text("4 人 × 500.00 元/人 = 2,000.00", exact=True).wait_for()
    row = page.locator("tr").filter(has_text="搬迁补助").first
    assert row.locator("td").all_inner_texts()[1:] == ["4 人 × 500.00 元/人 = 2,000.00", "-¥2,000.00"]
    shot(page, "quote_declared_input.png")


def test_printed_quote_is_only_the_result(server, page):
    page.goto(server)
    page.get_by_role("heading", name="结算明细").wait_for()
    settle(page)
    page.emulate_media(media="print")
    sync_api.expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    sync_api.expect(page.locator(".st-key-quote_inputs")).to_be_hidden()
    sync_api.expect(page.get_by_text("¥17,364.00").first).to_be_visible()
    page.pdf(path=str(ARTIFACTS / "quote_print.pdf"))


def test_batch_sample_and_workbook(server, page):
    page.goto(f"{server}/batch")
    page.get_by_text("批量测算").first.wait_for()
    shot(page, "batch_empty.png")
    page.locator('input[type="file"]').set_input_files(str(SAMPLE))
    page.get_by_text("校验结果").wait_for()
    page.get_by_text("所有行均通过校验").wait_for()
    settle(page)
    assert "1,200" in page.inner_text("body")
    with page.expect_download() as info:
        page.get_by_role("button", name="结果工作簿（xlsx）").click()
    target = ARTIFACTS / "e2e_results.xlsx"
    info.value.save_as(target)
    import openpyxl

    book = openpyxl.load_workbook(target, read_only=True)
    assert len(book.sheetnames) >= 2, book.sheetnames
    first = book[book.sheetnames[0]]
    ids = {cell for row in first.iter_rows(values_only=True) for cell in row if isinstance(cell, str) and cell.startswith("TH-")}
    assert len(ids) == 1200 and "TH-00001" in ids  # every household of the sample, one row each
    shot(page, "batch.png")


def test_language_switch_and_policy_page(server, page):
    page.goto(server)
    page.get_by_role("heading", name="结算明细").wait_for()
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Counter quote").wait_for()
    page.get_by_text("Net payable").first.wait_for()
    page.get_by_text("¥17,364.00").first.wait_for()
    shot(page, "quote_en.png")
    page.get_by_role("link", name="Policy").click()
    page.get_by_role("heading", name="Every value").wait_for()
    main = page.get_by_test_id("stMainBlockContainer")  # (the sidebar's glossary holds the term too)
    main.get_by_text("structure price difference", exact=True).first.wait_for()  # the values table, in English
    shot(page, "policy_en.png")
    page.get_by_text("中文", exact=True).click()
    page.get_by_role("heading", name="全部参数").wait_for()
    main.get_by_text("结构差价", exact=True).first.wait_for()
    shot(page, "policy.png")
