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
    typed = f"{int(decl.max) + 1:,}0"  # '210' for max 20: with a thousands comma where there are 4+ digits
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
