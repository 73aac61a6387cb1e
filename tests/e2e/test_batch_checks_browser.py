"""Issue 10, defects 9 and 10, in Chromium: a typing slip is flagged and holds the notice back; the batch page's totals
are the workbook's, under the same names. (The server, browser and page come from test_browser.)"""
from __future__ import annotations

import openpyxl
from test_browser import ARTIFACTS, ROOT, browser, page, server, settle, shot  # noqa: F401  (fixtures)

MESSY = ROOT / "sample_data" / "tahe_survey_messy.xlsx"
SAMPLE = ROOT / "sample_data" / "tahe_survey_1200.xlsx"


def test_a_typing_slip_is_flagged_and_holds_the_notice(server, page):  # noqa: F811
    page.goto(f"{server}/batch")
    page.get_by_text("批量测算").first.wait_for()
    page.locator('input[type="file"]').set_input_files(str(MESSY))
    page.get_by_text("校验结果").wait_for()
    settle(page)
    page.get_by_text("1 项数值远超政策规定的核实范围").wait_for()
    assert page.get_by_role("button", name="结算公示表（xlsx）").count() == 0
    page.get_by_text("已核实以上 1 项数值无误，可以生成公示表").click()
    settle(page)
    page.get_by_role("button", name="结算公示表（xlsx）").wait_for()
    shot(page, "batch_flags.png")


def test_the_page_totals_are_the_workbooks(server, page):  # noqa: F811
    page.goto(f"{server}/batch")
    page.get_by_text("批量测算").first.wait_for()
    page.locator('input[type="file"]').set_input_files(str(SAMPLE))
    page.get_by_text("所有行均通过校验").wait_for()
    settle(page)
    page.locator('[data-testid="stMetricLabel"]').filter(has_text="缓交应收合计").wait_for()
    shown = {m.locator('[data-testid="stMetricLabel"]').inner_text().strip():
             m.locator('[data-testid="stMetricValue"]').inner_text().strip()
             for m in page.locator('[data-testid="stMetric"]').all()}
    with page.expect_download() as info:
        page.get_by_role("button", name="结果工作簿（xlsx）").click()
    target = ARTIFACTS / "e2e_totals.xlsx"
    info.value.save_as(target)
    summary = {r[0]: r[1] for r in openpyxl.load_workbook(target)["项目汇总"].iter_rows(values_only=True) if r and r[0]}
    names = ["向住户收取合计", "向住户支付合计", "净额（收取 − 支付）", "缓交应收合计"]
    assert [shown[n] for n in names] == ["¥22,024,141.20", "¥11,648,643.50", "¥10,375,497.70", "¥222,160.00"]
    assert [round(summary[n] * 100) for n in names] == [2202414120, 1164864350, 1037549770, 22216000]
    assert "回迁安置应收" not in page.inner_text("body")
