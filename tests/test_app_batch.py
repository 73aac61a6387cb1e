"""AppTest of the batch page: the sample survey one click away, counts, rejected rows, totals, bad files."""
from __future__ import annotations

import re
from pathlib import Path

import calculator.batch
from app_helpers import ROOT, metrics, start, texts
from calculator import load_policy
from calculator.batch import load_survey
from calculator.fixed import fmt_money

PAGE = "ui/batch_page.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLES = ROOT / "sample_data"


def run_sample(name: str):
    at = start(PAGE)
    at.selectbox(key="batch_sample").set_value(SAMPLES / name).run()
    at.button(key="batch_sample_run").click().run()
    assert not at.exception, at.exception
    return at


def test_the_clean_sample_is_the_first_choice():
    at = start(PAGE)
    assert Path(at.selectbox(key="batch_sample").value).name == "tahe_survey_1200.xlsx"
    assert "50 MB" in texts(at.caption)  # the upload limit is stated on the page (.streamlit/config.toml)


def test_sample_survey_counts_and_totals():
    at = run_sample("tahe_survey_1200.xlsx")
    m = metrics(at)
    assert (m["总行数"], m["已测算"], m["被拒绝"]) == ("1,200", "1,200", "0")
    # the totals shown are the sums of the engine's own rows, read here without the app
    run = load_survey(SAMPLES / "tahe_survey_1200.xlsx", load_policy("tahe"))
    assert m["净额（收取 − 支付）"] == fmt_money(int(run.settlement.results["net_payable"].sum()))
    assert m["缓交应收合计"] == fmt_money(int(run.settlement.results["deferred_total"].sum()))
    assert "所有行均通过校验" in texts(at.success)
    recognized = at.dataframe[0].value
    assert dict(zip(recognized["表头"], recognized["识别为"]))["原房屋建筑面积（㎡）"] == "原房屋建筑面积"  # its label, not its code
    preview = at.dataframe[1].value
    # who pays, and a positive amount; the areas by their labels, never A and U (issue 10, defects 6 and 7)
    assert len(preview) == 200 and preview["应交合计"].str.fullmatch(r"(应交 |应领 )?¥[\d,]+\.\d\d").all()
    assert not preview["应交合计"].str.contains("-").any()
    assert {"原房屋建筑面积（㎡）", "选择户型面积（㎡）"} <= set(preview.columns)
    assert not [c for c in preview.columns if re.search(r"\b[AU]\b", c)]
    assert len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")) == 3


def test_messy_sample_lists_rejected_rows_with_reasons():
    at = run_sample("tahe_survey_messy.xlsx")
    run = load_survey(SAMPLES / "tahe_survey_messy.xlsx", load_policy("tahe"))
    m = metrics(at)
    assert m["被拒绝"] == f"{run.counts.rejected:,}" and run.counts.rejected > 0
    assert m["已测算"] == f"{run.counts.computed:,}"
    rejected = at.dataframe[1].value
    assert len(rejected) == len(run.errors)
    assert set(rejected["行号"]) == set(run.rejected_rows)
    assert "缺少原房屋建筑面积" in set(rejected["原因"])
    recognized = dict(zip(at.dataframe[0].value["表头"], at.dataframe[0].value["识别为"]))
    assert recognized["村组"] == "（未识别，忽略）"


def test_upload_a_small_csv():
    csv = ("户号,原房屋建筑面积,安置方式,选择户型,评估单价\n"
           "A1,45,回迁,58,\nA2,52.3,货币,,2150\nA3,abc,回迁,48,\n").encode("utf-8")
    at = start(PAGE)
    at.file_uploader(key="batch_upload").set_value(("mini.csv", csv, "text/csv")).run()
    assert not at.exception, at.exception
    m = metrics(at)
    assert (m["总行数"], m["已测算"], m["被拒绝"]) == ("3", "2", "1")
    assert m["净额（收取 − 支付）"] == "-¥82,901.00"  # 29 544.00 − 112 445.00 (examples 2 and 4)
    assert "abc" in set(at.dataframe[1].value["输入值"])


def test_a_file_that_is_not_a_survey_is_an_error_not_a_traceback():
    at = start(PAGE)
    at.file_uploader(key="batch_upload").set_value(("notes.csv", "hello,world\n1,2\n".encode(), "text/csv")).run()
    assert not at.exception
    assert "无法读取该文件" in texts(at.error)


def test_downloads_are_offered():
    at = run_sample("tahe_survey_messy.xlsx")
    labels = [b.label for b in at.get("download_button")]
    if hasattr(calculator.batch, "write_workbook"):  # the workbook writer lands with the batch package
        assert "结果工作簿（xlsx）" in labels
    assert "结果数据（csv）" in labels
    # The messy sample holds a value to verify (1,234 m², row 12): the notice waits until the clerk confirms it.
    assert "结算公示表（xlsx）" not in labels and "结算公示表（PDF）" not in labels
    flags = at.dataframe[2].value  # after the columns read and the rejected rows
    assert list(flags["行号"]) == [12] and "1,234.00㎡" in flags["输入值"].iloc[0]
    at.checkbox(key="batch_accept_flags").check().run()
    labels = [b.label for b in at.get("download_button")]
    assert "结算公示表（xlsx）" in labels and "结算公示表（PDF）" in labels


def test_the_sample_replaces_an_uploaded_file():
    csv = "户号,原房屋建筑面积,安置方式,选择户型\nA1,45,回迁,58\n".encode("utf-8")
    at = start(PAGE)
    at.file_uploader(key="batch_upload").set_value(("one.csv", csv, "text/csv")).run()
    assert metrics(at)["总行数"] == "1"
    at.button(key="batch_sample_run").click().run()
    assert metrics(at)["总行数"] == "1,200"
    assert "tahe_survey_1200.xlsx" in texts(at.markdown)


def test_every_download_makes_its_file():
    from ui.batch_page import download_files

    run = load_survey(SAMPLES / "tahe_survey_messy.xlsx", load_policy("tahe"))
    files = download_files(run, load_policy("tahe"), "en")
    magic = {".xlsx": b"PK", ".pdf": b"%PDF", ".csv": b"\xef\xbb\xbf"}
    assert {Path(name).suffix for _, _, name, _, _ in files} == set(magic)
    for _, make, name, _, _ in files:
        data = make()
        assert data.startswith(magic[Path(name).suffix]), name


def test_a_run_keeps_its_policy_until_settled_again():
    at = run_sample("tahe_survey_messy.xlsx")
    before = metrics(at)["净额（收取 − 支付）"]
    at.switch_page("ui/policy_page.py").run()
    county_b = (ROOT / "tests" / "policies" / "county_b.toml").read_bytes()
    at.file_uploader(key="policy_upload").set_value(("county_b.toml", county_b, "application/toml")).run()
    at.button[0].click().run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "当前选择的政策是 county_b" in texts(at.warning)
    assert metrics(at)["净额（收取 − 支付）"] == before  # still the tahe run, and said so
    at.button(key="batch_rerun").click().run()
    assert not at.exception
    run = load_survey(SAMPLES / "tahe_survey_messy.xlsx", load_policy(ROOT / "tests" / "policies" / "county_b.toml"))
    assert metrics(at)["净额（收取 − 支付）"] == fmt_money(int(run.settlement.results["net_payable"].sum()))
    assert "当前选择的政策是" not in texts(at.warning)
    assert "未经批准 / not approved" in texts(at.warning)  # county_b is not one of the office's approved files


def test_a_hostile_workbook_is_refused_and_the_app_keeps_working():
    from test_batch_limits import survey_xlsx

    at = start(PAGE)
    bad = survey_xlsx(stray=(1_048_575, 16_383))  # 5 KB; calamine asked for 549 GB and aborted the server
    at.file_uploader(key="batch_upload").set_value(("bad.xlsx", bad, XLSX)).run()
    assert not at.exception, at.exception
    error = texts(at.error)
    assert "无法读取该文件" in error and "16,384 列（XFD 列；上限 200 列" in error and "16,384 columns" in error
    at.button(key="batch_sample_run").click().run()
    assert not at.exception and metrics(at)["总行数"] == "1,200"


def test_the_sheet_read_is_named_and_a_hidden_one_passed_over():
    from test_batch_limits import two_sheet_book

    at = start(PAGE)
    at.file_uploader(key="batch_upload").set_value(("two.xlsx", two_sheet_book(), XLSX)).run()
    assert not at.exception, at.exception
    assert metrics(at)["总行数"] == "8" and "读取的工作表：本期" in texts(at.caption)


def test_the_clerk_picks_another_sheet_when_several_hold_a_survey():
    from test_batch_limits import two_sheet_book

    at = start(PAGE)
    at.file_uploader(key="batch_upload").set_value(("two.xlsx", two_sheet_book(hidden_first=False), XLSX)).run()
    assert not at.exception, at.exception
    choice = at.selectbox(key="batch_sheet")
    assert (choice.value, choice.options, metrics(at)["总行数"]) == ("旧表", ["旧表", "本期"], "1")
    choice.set_value("本期").run()
    assert not at.exception, at.exception
    assert metrics(at)["总行数"] == "8" and at.selectbox(key="batch_sheet").value == "本期"


def test_a_reader_that_dies_ends_its_worker_not_the_app():
    import os

    import pytest

    from calculator.batch import SurveyFileError
    from ui.isolated import run_isolated

    with pytest.raises(SurveyFileError, match="读取程序异常终止.*the app is unaffected"):
        run_isolated(os.abort)  # what calamine did on a 549 GB request (SIGABRT)
    with pytest.raises(SurveyFileError, match=r"内存超过上限（1 GB）.*more memory than allowed \(1 GB\)"):
        run_isolated(bytearray, 2 << 30, memory_limit=1 << 30)
    with pytest.raises(SurveyFileError, match="16,384 列"):
        from test_batch_limits import survey_xlsx
        run_isolated(load_survey, survey_xlsx(stray=(1_048_575, 16_383)), load_policy("tahe"), filename="bad.xlsx")
    assert run_isolated(sum, [1, 2, 3]) == 6


def test_no_workbook_download_past_excels_last_row(monkeypatch):
    import calculator.batch.workbook as workbook

    monkeypatch.setattr(workbook, "EXCEL_ROWS", 100)
    at = run_sample("tahe_survey_1200.xlsx")
    labels = [b.label for b in at.get("download_button")]
    assert "结果工作簿（xlsx）" not in labels and "结果数据（csv）" in labels
    assert "“结算明细”表需要 1,203 行，超过 Excel 每张工作表 100 行的上限" in texts(at.info)
def test_a_new_run_starts_after_the_previous_one_is_let_go(monkeypatch):
    """Two runs never sit in one session at once: the old run and its file are dropped before the new file is read."""
    held = []
    real = calculator.batch.load_survey

    def spy(data, *args, **kwargs):
        import streamlit as st
        held.append([k for k in ("batch_run", "batch_source", "batch_loaded") if st.session_state.get(k) is not None])
        return real(data, *args, **kwargs)

    at = start(PAGE)
    at.selectbox(key="batch_sample").set_value(SAMPLES / "tahe_survey_1200.csv").run()
    monkeypatch.setattr(calculator.batch, "load_survey", spy)
    at.button(key="batch_sample_run").click().run()
    at.button(key="batch_sample_run").click().run()
    assert not at.exception, at.exception
    assert held == [[], []]
    assert metrics(at)["总行数"] == "1,200"
    assert at.session_state["batch_source"][1] == "tahe_survey_1200.csv"
