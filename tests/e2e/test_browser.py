"""End to end in a real headless Chromium: quote a household, run the sample survey, download, switch language.

The app is served on 127.0.0.1 only; Chromium starts with networking extras off, so nothing reaches outward.
Screenshots of every page go to artifacts/ (gitignored).
"""
from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def serve(env: dict[str, str] | None = None, log_name: str = "e2e_server.log"):
    """`streamlit run app.py` on a free loopback port (with `env` added to this process's), until the block ends;
    yields its address."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / log_name, "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
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
                    raise RuntimeError(f"streamlit did not start; see {ARTIFACTS / log_name}")
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
def server():
    with serve() as url:
        yield url


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
    """Wait until Streamlit has finished the current run (the app's own run state, not the status widget, which
    shows only once a run has taken a while) and has removed what the run did not draw again."""
    pg.wait_for_timeout(150)  # let the rerun be requested before waiting for it to end
    pg.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached")
    pg.wait_for_timeout(100)


def shot(pg, name: str) -> Path:
    """A full-height screenshot: Streamlit scrolls inside the page, so grow the viewport to the content first."""
    height = pg.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 1000")
    pg.set_viewport_size({"width": 1400, "height": min(max(height + 40, 900), 6000)})
    pg.wait_for_timeout(400)  # charts lay out again at the new size
    path = ARTIFACTS / name
    pg.screenshot(path=str(path), full_page=True)
    return path


DOCS_IMG = os.environ.get("ANZHI_DOCS_IMG")  # set (to docs/img) to refresh the pictures docs/app.md shows


def doc_picture(source: Path, name: str) -> None:
    """A small copy (256 colours) of a screenshot for the docs, when ANZHI_DOCS_IMG names their folder."""
    if DOCS_IMG:
        from PIL import Image

        Image.open(source).convert("RGB").quantize(colors=256).save(ROOT / DOCS_IMG / name, optimize=True)


def pdf_text(path: Path) -> str:
    """The PDF's text without white space (a CJK line may break anywhere)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def main_text(pg) -> str:
    """The page's text as a reader sees it (the print-only signature block is in the DOM too)."""
    return pg.locator('[data-testid="stMain"]').inner_text()


def fill(pg, label: str, value: str) -> None:
    box = pg.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    settle(pg)


def choose(pg, label: str, option: str) -> None:
    """Pick the option of the selectbox `label` that holds `option`, typed to filter the list (a long list draws
    only what is in view); opened again if a run redrew the page and closed the list meanwhile."""
    box = pg.locator('[data-testid="stSelectbox"]').filter(has_text=label)
    wanted = pg.get_by_role("option", name=re.compile(re.escape(option))).first
    for _ in range(3):
        box.click()
        pg.keyboard.type(option)
        try:
            wanted.wait_for(timeout=10_000)
        except sync_api.TimeoutError:
            pg.keyboard.press("Escape")
            settle(pg)
            continue
        wanted.click()
        settle(pg)
        return
    raise AssertionError(f"no option {option!r} in {label!r}")


def test_quote_a_household(server, page):
    page.goto(server)
    page.get_by_role("heading", name="结算明细").wait_for()
    choose(page, "选择户型", "58平方米户型")
    # (¥29,544.00 is on the first screen already, in the comparison: wait for what only the new quote shows)
    page.get_by_text("贰万玖仟伍佰肆拾肆元整").wait_for()
    row = page.locator("tr").filter(has_text="超出上靠户型面积部分").first
    label, formula, amount = row.locator("td").all_inner_texts()
    assert label.split("\n") == ["超出上靠户型面积部分", "四、3: 超出上靠户型面积部分按1200元/平方米结算"]
    assert (formula, amount) == ("10.00 ㎡ × 1,200.00 元/㎡ = 12,000.00", "应交 ¥12,000.00")
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

    fill(page, "原房屋建筑面积（㎡）", "36.5")  # the unit type follows: 40 m² (issue 10 #3), not the 58 m² picked above
    choose(page, "选择户型", "40平方米户型")
    page.get_by_test_id("stMainBlockContainer").get_by_text("低保户", exact=True).click()  # (the glossary names it too)
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
    """Issue 10 #5: at 390 × 844 the first screen is the result (the inputs fold away below it), nothing is wider
    than the screen, and each line of the breakdown is a card: item and amount, clause, formula."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    try:
        pg.goto(server)
        pg.get_by_role("heading", name="结算明细").wait_for()
        settle(pg)
        sync_api.expect(pg.locator('[data-testid="stSidebarContent"]')).not_to_be_in_viewport()  # collapsed on a phone
        total = pg.locator('[data-testid="stMetric"]').filter(has_text="应交合计")
        sync_api.expect(total).to_be_in_viewport()  # the result on the first screen, without scrolling
        sync_api.expect(pg.get_by_text("壹万柒仟叁佰陆拾肆元整")).to_be_in_viewport()
        inputs = pg.locator('[data-testid="stExpander"]').filter(has_text="住户情况")
        assert inputs.bounding_box()["y"] > total.bounding_box()["y"]  # the inputs come after the result
        pg.wait_for_timeout(500)
        pg.screenshot(path=str(ARTIFACTS / "quote_phone_first_screen.png"))
        doc_picture(ARTIFACTS / "quote_phone_first_screen.png", "counter_phone_zh.png")
        row = pg.locator("table.anzhi-items tr").filter(has_text="合理享受面积部分").first
        label, formula, amount = (row.locator("td").nth(i) for i in range(3))
        row.scroll_into_view_if_needed()
        boxes = [c.bounding_box() for c in (label, formula, amount)]
        for box in boxes:
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert abs(boxes[0]["y"] - boxes[2]["y"]) < 5  # a card: the item and its amount on one line
        assert boxes[1]["y"] > boxes[0]["y"] + 10  # the formula below them
        assert boxes[2]["x"] + boxes[2]["width"] > 300  # the amount at the right edge, not cut off
        assert amount.inner_text() == "应交 ¥3,000.00"
        assert pg.get_by_text("3.00 ㎡ × 1,000.00 元/㎡ = 3,000.00", exact=True).bounding_box()["height"] < 30
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 390  # no page wider than the phone
        inputs.locator("summary").first.click()  # the inputs fold away
        sync_api.expect(pg.get_by_label("原房屋建筑面积（㎡）", exact=True)).to_be_hidden()
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
    assert row.locator("td").all_inner_texts()[1:] == ["4 人 × 500.00 元/人 = 2,000.00", "应领 ¥2,000.00"]
    shot(page, "quote_declared_input.png")


def low_income_quote(pg) -> None:
    """POLICY_SPEC §8 example 3: 36.5 m², low-income, deferral; the unit type follows the area to 40 m²."""
    fill(pg, "原房屋建筑面积（㎡）", "36.5")
    pg.get_by_test_id("stMainBlockContainer").get_by_text("低保户", exact=True).click()
    settle(pg)
    pg.get_by_text("申请缓交（合理享受面积部分）").click()
    settle(pg)


def test_printed_quote_is_one_page(server, page):
    """Issue 10 #8: the browser's print of a low-income quote is one A4 page (two with the comparison), with the
    date and signature lines, and no chart cut from its title."""
    page.goto(server)
    page.get_by_role("heading", name="结算明细").wait_for()
    settle(page)
    low_income_quote(page)
    page.get_by_text("¥2,800.00").first.wait_for()
    page.emulate_media(media="print")
    sync_api.expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    sync_api.expect(page.locator(".st-key-quote_inputs")).to_be_hidden()
    target = ARTIFACTS / "quote_print.pdf"
    page.pdf(path=str(target), format="A4", print_background=True)
    assert pdf_pages(target) == 1
    text = pdf_text(target)
    for words in ("应交合计", "¥3,520.00", "叁仟伍佰贰拾元整", "第1期", "¥1,680.00", "取暖费（每采暖期，另行缴纳，不计入上方结算）",
                  "户主（签字）", "经办人（签字）", "日期：______年____月____日", "打印日期："):
        assert words in text, words
    assert "各方案" not in text  # neither the comparison nor its chart on the household's page
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(target), str(ARTIFACTS / "quote_print")],
                   check=True)
    doc_picture(ARTIFACTS / "quote_print.png", "quote_print.png")

    page.emulate_media(media="screen")
    page.get_by_text("打印时附各方案比较（第二页）").click()
    settle(page)
    page.emulate_media(media="print")
    target = ARTIFACTS / "quote_print_compared.pdf"
    page.pdf(path=str(target), format="A4", print_background=True)
    assert pdf_pages(target) == 2
    text = pdf_text(target)
    assert "各方案比较" in text and "75㎡户型" in text and "户主（签字）" in text


def check_code(body: str) -> str:
    return re.search(r"核对码 (\w{4}-\w{4})", body).group(1)


def statement_of(pg) -> str:
    with pg.expect_download() as info:
        pg.get_by_role("button", name="下载结算单（PDF）").click()
    target = ARTIFACTS / "e2e_statement_pending.pdf"
    info.value.save_as(target)
    settle(pg)
    return pdf_text(target)


def test_statement_is_the_quote_on_screen(server, page):
    """Issue 10 #1: 46.5 typed and the download clicked without Enter: the PDF is the quote the screen then shows,
    and both carry the same check code."""
    page.goto(server)
    page.get_by_role("heading", name="结算明细").wait_for()
    settle(page)
    page.get_by_label("原房屋建筑面积（㎡）", exact=True).fill("46.5")  # no Enter: the edit is still in the field
    text = statement_of(page)
    body = main_text(page)
    assert "46.50 ㎡" in body and "¥16,314.00" in body
    assert "46.50" in text and "16,314.00" in text and "17,364.00" not in text  # 17,364.00: the 45 m² quote
    assert f"核对码{check_code(body)}" in text
    # a name typed and the download clicked at once: the statement names the household on screen
    page.get_by_label("户主姓名（可选）", exact=True).fill("王五")
    text = statement_of(page)
    assert "王五" in text
    assert f"核对码{check_code(main_text(page))}" in text


def test_next_household_resets_the_screen(server, page):
    """Issue 10 #2: "下一户" puts every input back to the policy's default, on screen as in the quote."""
    page.goto(server)
    page.get_by_role("heading", name="结算明细").wait_for()
    settle(page)
    fill(page, "户号（可选）", "TH-7")
    fill(page, "户主姓名（可选）", "张三")
    fill(page, "评估单价（元/㎡）", "2000")
    low_income_quote(page)
    page.get_by_text("¥2,800.00").first.wait_for()
    page.get_by_role("button", name="下一户").click()
    settle(page)
    page.get_by_text("壹万柒仟叁佰陆拾肆元整").wait_for()  # the first screen's quote: 45 m², regular
    for label, value in (("户号（可选）", ""), ("户主姓名（可选）", ""), ("原房屋建筑面积（㎡）", "45"),
                         ("评估单价（元/㎡）", "")):
        assert page.get_by_label(label, exact=True).input_value() == value, label
    assert not page.get_by_label("低保户", exact=True).is_checked()
    sync_api.expect(page.get_by_text("申请缓交（合理享受面积部分）")).to_have_count(0)
    sync_api.expect(page.get_by_role("combobox", name="选择户型")).to_have_value("48平方米户型")
    body = main_text(page)
    assert "普通户" in body and "TH-7" not in body and "张三" not in body


def test_unit_type_follows_the_area(server, page):
    """Issue 10 #3: the unit type is the standard area's for the area typed, until the clerk picks one; a unit
    smaller than the original home is explained before the error that asks for the appraised price."""
    page.goto(server)
    page.get_by_role("heading", name="结算明细").wait_for()
    settle(page)
    low_income_quote(page)
    unit = page.get_by_role("combobox", name="选择户型")
    sync_api.expect(unit).to_have_value("40平方米户型")
    total = page.locator('[data-testid="stMetric"]').filter(has_text="应交合计")
    sync_api.expect(total).to_contain_text("¥3,520.00")  # not ¥13,264.00 under 48 m²
    for area, type_label in (("50", "58平方米户型"), ("60", "68平方米户型")):
        fill(page, "原房屋建筑面积（㎡）", area)
        sync_api.expect(unit).to_have_value(type_label)
        sync_api.expect(page.get_by_text(f"选择面积 {type_label[:2]}.00 ㎡").first).to_be_visible()
        assert page.locator('[data-testid="stAlert"]').filter(has_text="评估单价").count() == 0
    fill(page, "原房屋建筑面积（㎡）", "50")
    choose(page, "选择户型", "48平方米户型")
    note = page.get_by_text("所选户型 48.00 ㎡ 小于原房屋面积 50.00 ㎡")
    error = page.locator('[data-testid="stAlert"]').filter(has_text="须提供评估单价")
    note.wait_for()
    assert note.bounding_box()["y"] < error.first.bounding_box()["y"]  # the reason first, then what to enter
    fill(page, "原房屋建筑面积（㎡）", "52")  # picked: the type stays
    sync_api.expect(page.get_by_text("所选户型 48.00 ㎡ 小于原房屋面积 52.00 ㎡")).to_be_visible()
    sync_api.expect(unit).to_have_value("48平方米户型")


def test_signs_and_heating_on_the_page(server, page):
    """Issue 10: 应交 / 应领 with positive amounts, never a bare minus; the heating fee apart, per heating season,
    smaller than the settlement's total."""
    page.goto(server)
    page.get_by_role("heading", name="结算明细").wait_for()
    settle(page)
    heating = page.locator(".st-key-quote_heating")
    sync_api.expect(heating).to_contain_text("每采暖期")
    assert "每季" not in main_text(page)
    fee = heating.get_by_text("¥1,176.00", exact=True)
    total = page.locator('[data-testid="stMetricValue"]').first
    size = "(e) => parseFloat(getComputedStyle(e).fontSize)"
    assert fee.evaluate(size) * 2 < total.evaluate(size)  # not in type as large as the total
    page.get_by_test_id("stMainBlockContainer").get_by_text("货币补偿", exact=True).first.click()
    settle(page)
    fill(page, "原房屋建筑面积（㎡）", "52.3")
    fill(page, "评估单价（元/㎡）", "2150")
    page.get_by_text("壹拾壹万贰仟肆佰肆拾伍元整").wait_for()
    body = main_text(page)
    assert "应领合计" in body and "应领 ¥112,445.00" in body
    assert "合计：住户应领" in body
    assert not re.search(r"[-−]\s*¥", body), re.findall(r".{20}[-−]\s*¥.{12}", body)


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
    page.get_by_text("壹万柒仟叁佰陆拾肆元整").wait_for()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "quote_first_screen.png"))
    doc_picture(ARTIFACTS / "quote_first_screen.png", "counter_zh.png")
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Counter quote").wait_for()
    page.get_by_text("Net payable").first.wait_for()
    page.get_by_text("¥17,364.00").first.wait_for()
    page.get_by_text("This home, per heating season").wait_for()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "quote_first_screen_en.png"))
    doc_picture(ARTIFACTS / "quote_first_screen_en.png", "counter_en.png")
    shot(page, "quote_en.png")
    page.get_by_role("link", name="Policy").click()
    page.get_by_role("heading", name="Every value").wait_for()
    page.get_by_test_id("stMainBlockContainer").get_by_text("structure price difference", exact=True).first.wait_for()  # the values table, in English
    shot(page, "policy_en.png")
    page.get_by_text("中文", exact=True).click()
    page.get_by_role("heading", name="全部参数").wait_for()
    page.get_by_test_id("stMainBlockContainer").get_by_text("结构差价", exact=True).first.wait_for()
    shot(page, "policy.png")
