"""Hostile and oversized workbooks: refused before the reader allocates them, in a real process with a memory cap;
hidden sheets passed over; a result workbook never written past Excel's last row."""
from __future__ import annotations

import io
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from calculator import load_policy
from calculator.batch import SurveyFileError, load_survey, write_workbook

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["户号", "原房屋建筑面积", "选择户型", "安置方式"]
AS_LIMIT = 2 << 30  # a regression then fails with MemoryError or a signal instead of eating the machine


def survey_xlsx(path: Path | None = None, stray: tuple[int, int] | None = None, rows: int = 1) -> bytes:
    """A small real survey (xlsxwriter), optionally with one stray cell at (row, column), 0-based."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    ws = book.add_worksheet("入户调查")
    ws.write_row(0, 0, HEADER)
    for r in range(rows):
        ws.write_row(r + 1, 0, [f"H{r + 1}", 80, 90, "回迁"])
    if stray:
        ws.write(*stray, "x")
    book.close()
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML changed by `change(xml) -> xml`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            zout.writestr(info.filename, change(part) if info.filename == "xl/worksheets/sheet1.xml" else part)
    return out.getvalue()


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))


def run_cli(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "calculator", *args], capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=_cap_memory, timeout=120)
    return proc, time.perf_counter() - start


HOSTILE = {
    # one stray cell at XFD1048576: calamine asked for 549 GB and aborted (SIGABRT)
    "far_corner": (lambda: survey_xlsx(stray=(1_048_575, 16_383)), r"16,384 列（XFD 列；上限 200 列"),
    # BI1048576: 61 columns × 1,048,576 rows, 3.9 GB and 17 s
    "full_height_61_columns": (lambda: survey_xlsx(stray=(1_048_575, 60)),
                               r"1,048,576 行 × 61 列 = 63,963,136 个单元格（上限 27,262,976 个）"),
    # the declared dimension says A1:D2, the cells say otherwise
    "lying_dimension": (lambda: rewrite_sheet(survey_xlsx(stray=(1_048_575, 16_383)),
                                              lambda x: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:D2"/>', x)),
                        r"16,384 列"),
    # cells without r are placed by position: 300 of them in one row, then a stray cell at A1048575
    "cells_without_references": (lambda: rewrite_sheet(survey_xlsx(), lambda x: x.replace(
        b"</sheetData>", b"<row>" + b"<c><v>1</v></c>" * 300 + b'</row><row r="1048575"><c r="A1048575"><v>1</v></c>'
        b"</row></sheetData>")), r"上限 200 列"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_workbook_is_refused_fast_with_bounded_memory(tmp_path, case):
    make, message = HOSTILE[case]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(make())
    assert bad.stat().st_size < 10_000
    proc, seconds = run_cli("batch", str(bad), "-o", str(tmp_path / "out.xlsx"))
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert re.search(message, proc.stderr), proc.stderr
    assert "工作表“入户调查”" in proc.stderr and "sheet '入户调查'" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out.xlsx").exists()
    assert seconds < 30


def test_a_sheet_of_whitespace_is_refused_by_its_packing_ratio():
    from calculator.batch import limits

    # 2 GiB of whitespace in a 2 MB file took 2.3 GB; 64 MB shows the same ratio (~1000 : 1) in a test's time
    data = rewrite_sheet(survey_xlsx(), lambda x: x.replace(b"<sheetData>", b"<sheetData>" + b" " * (64 << 20)))
    with pytest.raises(SurveyFileError) as err:
        load_survey(data, load_policy("tahe"), filename="ws.xlsx")
    assert "xl/worksheets/sheet1.xml" in err.value.message_zh and "上限" in err.value.message_zh
    assert f"at most {limits.MAX_PART_BYTES:,} bytes and {limits.MAX_RATIO} times" in err.value.message_en


def test_the_limits_and_their_edges():
    from calculator.batch import limits
    from calculator.batch.limits import check_extent

    assert (limits.MAX_ROWS, limits.MAX_COLUMNS, limits.MAX_CELLS) == (1_048_576, 200, 1_048_576 * 26)
    check_extent("s", 1_048_576, 26)  # columns A-Z, full height: a survey can be that large
    check_extent("s", 136_314, 200)
    for rows, columns in ((1_048_577, 1), (10, 201), (136_315, 200)):
        with pytest.raises(SurveyFileError):
            check_extent("s", rows, columns)


def test_the_scan_finds_a_stray_cell_across_its_reading_pieces(monkeypatch):
    from calculator.batch import limits
    from calculator.batch.limits import inspect_xlsx

    monkeypatch.setattr(limits, "SCAN_CHUNK", 7)  # every reference is cut somewhere
    stray = rewrite_sheet(survey_xlsx(rows=50), lambda x: x.replace(b'<c r="A20"', b'<c r="XFD1048576"', 1))
    with pytest.raises(SurveyFileError, match="XFD"):
        inspect_xlsx(stray)
    down = rewrite_sheet(survey_xlsx(rows=50), lambda x: x.replace(b'<c r="AA1"', b'<c r="AA1"', 1)
                         .replace(b'<c r="D30"', b'<c r="BI1048576"', 1))
    with pytest.raises(SurveyFileError, match="63,963,136"):
        inspect_xlsx(down)
    assert [s.name for s in inspect_xlsx(survey_xlsx(rows=50, stray=(200_000, 5)))] == ["入户调查"]


def test_a_legitimate_workbook_still_reads():
    run = load_survey(survey_xlsx(rows=3, stray=(200_000, 5)), load_policy("tahe"), filename="s.xlsx")
    assert run.counts.read == 4 and run.counts.computed == 3  # the stray row is a row without a household id


# --- sheets ----------------------------------------------------------------------------------------------------

def two_sheet_book(hidden_first: bool = True, second_header: bool = True) -> bytes:
    """A hidden (or visible) first sheet with 1 household, then a visible '本期' with 8."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    old = book.add_worksheet("旧表")
    old.write_row(0, 0, HEADER)
    old.write_row(1, 0, ["OLD1", 70, 90, "回迁"])
    current = book.add_worksheet("本期")
    current.write_row(0, 0, HEADER if second_header else ["说明"])
    for r in range(8):
        current.write_row(r + 1, 0, [f"H{r + 1}", 80, 90, "回迁"])
    if hidden_first:
        current.activate()
        old.hide()
    book.close()
    return buffer.getvalue()


def test_a_hidden_first_sheet_is_passed_over(tmp_path):
    run = load_survey(two_sheet_book(), load_policy("tahe"), filename="two.xlsx")
    assert (run.sheet, run.counts.read, run.sheets) == ("本期", 8, ["本期"])
    named = load_survey(two_sheet_book(), load_policy("tahe"), sheet="旧表", filename="two.xlsx")
    assert (named.sheet, named.counts.read) == ("旧表", 1)  # a hidden sheet is read when asked for by name
    path = tmp_path / "two.xlsx"
    path.write_bytes(two_sheet_book())
    proc, _ = run_cli("batch", str(path), "-o", str(tmp_path / "out.csv"))
    assert proc.returncode == 0, proc.stderr
    assert "工作表 sheet 本期" in proc.stdout and "读取 / read 8 =" in proc.stdout


def test_every_visible_sheet_with_a_header_is_offered():
    run = load_survey(two_sheet_book(hidden_first=False), load_policy("tahe"), filename="two.xlsx")
    assert (run.sheet, run.sheets, run.counts.read) == ("旧表", ["旧表", "本期"], 1)
    other = load_survey(two_sheet_book(hidden_first=False), load_policy("tahe"), sheet="本期", filename="two.xlsx")
    assert (other.sheet, other.sheets, other.counts.read) == ("本期", ["旧表", "本期"], 8)


# --- Excel's last row ------------------------------------------------------------------------------------------

def test_excel_row_limit_is_excels():
    from calculator.batch import workbook

    assert workbook.EXCEL_ROWS == 1_048_576


def test_a_workbook_past_excels_last_row_is_refused(monkeypatch, tmp_path):
    from calculator.batch import workbook

    loaded = load_policy("tahe")
    run = load_survey(survey_xlsx(rows=6), loaded, filename="s.xlsx")
    assert workbook.sheet_rows(run, loaded, "zh")["detail"] == 9  # header, 6 rows, a blank row, the totals
    monkeypatch.setattr(workbook, "EXCEL_ROWS", 8)
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"older")
    with pytest.raises(SurveyFileError) as err:
        write_workbook(run, loaded, out)
    assert err.value.message_zh == ("结果工作簿的“结算明细”表需要 9 行，超过 Excel 每张工作表 8 行的上限；"
                                    "请改为输出 .csv 或 .jsonl（不限行数）")
    assert "write .csv or .jsonl instead" in err.value.message_en
    assert out.read_bytes() == b"older" and [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    monkeypatch.setattr(workbook, "EXCEL_ROWS", 9)
    write_workbook(run, loaded, out)  # exactly up to the last row is fine
    assert out.read_bytes()[:2] == b"PK"
