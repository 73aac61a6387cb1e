"""Text and numbers as typed (issue 9): strict numbers everywhere, one encoding per file, any line ending, ID numbers
stored as numbers, text that a spreadsheet would run as a formula."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from calculator import InputErrors, load_policy, quote
from calculator.batch import load_survey
from calculator.batch.errors import SurveyFileError
from calculator.batch.reader import decode_text
from calculator.cli import main
from calculator.inputs import parse_inputs

ROOT = Path(__file__).resolve().parent.parent
GBK_SAMPLE = ROOT / "sample_data" / "tahe_survey_messy_gbk.csv"
WITH_INPUTS = ROOT / "tests" / "policies" / "with_inputs.toml"
HEADER = "户号,户主姓名,原面积,选择户型,安置方式,评估单价\n"


# --- numbers ------------------------------------------------------------------------------------------------------
def _quote(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "calculator", "quote", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=60)


def test_cli_refuses_digit_grouping_and_echoes_what_was_typed():
    done = _quote("--original-area", "45_0", "--unit-area", "48")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "原房屋建筑面积不是有效数字，输入为 45_0" in done.stderr and "got 45_0" in done.stderr
    done = _quote("--original-area", "-3.456", "--unit-area", "48")
    assert done.returncode == 2
    assert "原房屋建筑面积必须大于0，输入为 -3.456" in done.stderr and "got -3.456" in done.stderr


@pytest.mark.parametrize("typed", ["1_0", "٤", "४", "1e1"])
def test_declared_numbers_are_strict(typed):
    loaded = load_policy(WITH_INPUTS)
    _, errors = parse_inputs({"persons": typed}, loaded.rules)
    assert [(e.field, e.value) for e in errors] == [("persons", typed)]
    assert errors[0].message_zh.endswith(f"输入为 {typed}")


def test_declared_number_out_of_range_echoes_the_typed_text():
    loaded = load_policy(WITH_INPUTS)
    decl = next(d for d in loaded.rules.inputs if d.name == "persons")
    typed = f"{(int(decl.max) + 1) * 100:,}"  # '2,100' for max 20: echoed so, not as 2100
    with pytest.raises(InputErrors) as caught:
        quote(loaded, original_area="45", unit_area="48", inputs={"persons": typed})
    assert [e.value for e in caught.value.errors if e.field == "persons"] == [typed]


def test_yes_no_refuses_other_scripts_digits():
    from calculator.batch.cells import parse_yes_no_text
    assert parse_yes_no_text("1.0") == (1, False, False) and parse_yes_no_text("٠")[2] and parse_yes_no_text("0_0")[2]


def test_batch_refuses_grouped_digits_and_echoes_typed_values():
    run = load_survey((HEADER + "H1,张三,45_0,48,回迁,\nH2,李四,-3.456,48,回迁,\nH3,王五,٤٥,48,回迁,\n"
                       "H4,赵六,1,234,48,回迁,\n").encode(), load_policy("tahe"), filename="s.csv")
    by_row = {e.row: e for e in run.errors}
    assert by_row[2].value == "45_0" and "“45_0”不是有效数字" in by_row[2].message_zh
    assert by_row[3].value == "-3.456" and by_row[3].message_zh.endswith("输入为 -3.456")
    assert by_row[3].message_en.endswith("got -3.456")
    assert by_row[4].value == "٤٥"
    assert run.counts.computed == 0


# --- line endings and encodings -------------------------------------------------------------------------------------
def test_csv_with_carriage_returns_only_is_read(tmp_path, capsys):
    src = tmp_path / "mac.csv"
    src.write_bytes((HEADER + "H1,张三,45,48,回迁,\rH2,李四,52.3,58,回迁,\r").replace("\n", "\r").encode("utf-8"))
    out = tmp_path / "out.csv"
    assert main(["batch", str(src), "-o", str(out)]) == 0
    run = load_survey(src, load_policy("tahe"))
    assert run.counts.computed == 2 and list(run.settlement.inputs.index) == [2, 3]
    assert run.settlement.inputs["name"].tolist() == ["张三", "李四"]


def _gbk_with_one_utf8_row() -> bytes:
    data = GBK_SAMPLE.read_bytes().rstrip(b"\r\n") + b"\r\n"
    return data + "H99,王五,232722198001011234,一组,45,回迁,48,否,,,,,\r\n".encode("utf-8")


def test_a_gbk_file_with_one_utf8_row_is_refused_naming_the_row(tmp_path, capsys):
    data = _gbk_with_one_utf8_row()
    row = data.count(b"\n")
    with pytest.raises(SurveyFileError) as caught:
        decode_text(data)
    assert f"第{row}行是UTF-8" in caught.value.message_zh and f"row {row} is UTF-8" in caught.value.message_en
    src = tmp_path / "mixed.csv"
    src.write_bytes(data)
    assert main(["batch", str(src), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert f"第{row}行" in err and "Traceback" not in err and "鐜嬩簲" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mixed.csv"]


def test_a_utf8_file_with_a_bom_and_one_gbk_row_is_refused():
    data = b"\xef\xbb\xbf" + (HEADER + "H1,张三,45,48,回迁,\n").encode() + "H2,李四,45,48,回迁,\n".encode("gbk")
    with pytest.raises(SurveyFileError, match="第3行不是UTF-8"):
        decode_text(data)


@pytest.mark.parametrize("encode", [lambda t: t.encode("utf-8"), lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
                                    lambda t: t.encode("gbk")], ids=["utf-8", "utf-8-bom", "gbk"])
def test_one_encoding_files_still_read(encode):
    text = HEADER + "H1,欧阳娜,45,48,回迁,\nH2,堃,45,48,回迁,\n"
    run = load_survey(encode(text), load_policy("tahe"), filename="s.csv")
    assert run.settlement.inputs["name"].tolist() == ["欧阳娜", "堃"]


def test_the_gbk_sample_still_reads():
    assert decode_text(GBK_SAMPLE.read_bytes())[1] == "gbk"


# --- ID numbers stored as numbers -----------------------------------------------------------------------------------
def test_an_id_number_stored_as_a_number_is_written_as_digits(tmp_path):
    src = tmp_path / "ids.xlsx"
    book = xlsxwriter.Workbook(str(src))
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["户号", "户主姓名", "身份证号", "原面积", "选择户型"])
    ws.write_row(1, 0, ["H1", "张三", 232722198710305912, 45, 48])  # Excel keeps a double: 2.327221987103059e+17
    ws.write_row(2, 0, ["H2", "李四", "23272219871030591X", 45, 48])
    book.close()
    run = load_survey(src, load_policy("tahe"))
    assert run.settlement.inputs["id_number"].tolist() == ["232722198710305900", "23272219871030591X"]
    assert any("末几位可能已丢失" in zh for zh, _ in run.settlement.warnings[0])
    assert not any("末几位可能已丢失" in zh for zh, _ in run.settlement.warnings[1])
    book_out = tmp_path / "out.xlsx"
    assert main(["batch", str(src), "-o", str(book_out)]) == 0
    cells = [c.value for row in openpyxl.load_workbook(book_out).worksheets[0].iter_rows() for c in row]
    assert "232722198710305900" in cells and not any("e+17" in str(c) for c in cells)


# --- formulas in the notice ----------------------------------------------------------------------------------------
def test_notice_xlsx_writes_formula_like_text_with_the_quote_prefix(tahe):
    from calculator import settle_frame
    from calculator.household import typed_frame
    from calculator.statements.notice_xlsx import notice_xlsx

    ids = ["=1+1", "+H2", "H3"]
    frame = typed_frame(household_id=ids, option=["in_kind"] * 3, original_area=[Decimal(45)] * 3,
                        unit_area=[Decimal(48)] * 3, low_income=[False] * 3, defer=[False] * 3, appraised_price=[None] * 3,
                        energy_efficient=[None] * 3, heating_rate=[None] * 3, move_in_date=[None] * 3, policy=tahe.rules)
    frame["name"] = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "张三"]
    frame["id_number"] = ["232723198001011234"] * 3
    book = openpyxl.load_workbook(io.BytesIO(notice_xlsx(settle_frame(frame, tahe), tahe)))
    rows = [r for r in book.worksheets[0].iter_rows() if r[1].value in ids]
    assert [r[1].value for r in rows] == ids
    assert [r[1].quotePrefix for r in rows] == [True, True, False]
    assert all(r[1].data_type == "s" and r[2].data_type == "s" for r in rows)
    assert rows[0][2].value.startswith("=") and rows[0][2].quotePrefix
    assert rows[1][2].value.startswith("@") and rows[1][2].quotePrefix and not rows[2][2].quotePrefix


# --- the app -------------------------------------------------------------------------------------------------------
def test_app_shows_names_as_typed_and_refuses_grouped_digits():
    from app_helpers import quote_with, start, texts

    at = quote_with(start(), name="**x**", household_id="[a](http://x)", original_area="45_0")
    errors = texts(at.error)
    assert "输入为 45_0" in errors and "got 45_0" in errors
    at = quote_with(at, original_area="45")
    summary = next(m.value for m in at.markdown if "·" in str(m.value) and "x" in str(m.value))
    assert summary.startswith(r"**\[a\](http\://x) · \*\*x\*\*** · ")  # bold, and only bold


def test_user_text_is_inert_markdown():
    from ui.format import inert

    assert inert("**x** [a](http://x) :red[y] $x$ <b>`c` _i_ ~~s~~") == \
        r"\*\*x\*\* \[a\](http\://x) \:red\[y\] \$x\$ \<b\>\`c\` \_i\_ \~\~s\~\~"
    assert inert("- 1") == r"\- 1" and inert("1. x") == r"1\. x" and inert("# h") == r"\# h"
    # what cannot start anything is left alone, so a message reads as it is written
    assert inert("王五 45.3, original_area: -3.456 (m²)") == "王五 45.3, original_area: -3.456 (m²)"


def test_a_tiny_number_cell_is_read_as_its_digits_never_an_exponent():
    # A workbook number cell of 0.00001 reached the strict parser as '1e-05' and was refused as not a number.
    from calculator.batch.reader import _numbers_as_text, cell_text

    assert [cell_text(v) for v in (1e-05, 2.5e-7, 45.3, 3.0)] == ["0.00001", "0.00000025", "45.3", "3"]
    assert _numbers_as_text([1e-05, "x", 2.5e-7, 3.0]).to_pylist() == ["0.00001", "x", "0.00000025", "3"]
