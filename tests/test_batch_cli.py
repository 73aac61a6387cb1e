"""`python -m calculator batch` and `template`: exit codes, what is written (and what is not), the summary."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from calculator import load_policy
from calculator.batch import load_survey
from calculator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"


def test_clean_survey_exits_0_with_a_summary(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["batch", str(SAMPLE / "tahe_survey_1200.xlsx"), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "读取 / read 1200 = 计算 / computed 1200 + 拒绝 / rejected 0" in text
    assert CalamineWorkbook.from_path(str(out)).sheet_names[0] == "结算明细"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]  # no temp file left beside it


def test_messy_survey_exits_3_lists_rejects_and_writes(tmp_path, capsys):
    out = tmp_path / "r.csv"
    assert main(["batch", str(SAMPLE / "tahe_survey_messy.xlsx"), "-o", str(out), "--lang", "en"]) == 3
    text = capsys.readouterr().out
    assert "rejected 16" in text and "第15行 row 15" in text and "more in the output" in text
    assert out.read_text(encoding="utf-8-sig").count("\n") == 1 + 29


@pytest.mark.parametrize("content, name", [(b"not a survey at all\n", "x.csv"), (b"PK\x03\x04broken", "x.xlsx"),
                                           ("户号,姓名\nH1,张三\n".encode(), "x.csv")])
def test_unusable_file_exits_2_and_writes_nothing(tmp_path, capsys, content, name):
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "out.xlsx"
    assert main(["batch", str(src), "-o", str(out)]) == 2
    assert "nothing was written" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_failed_run_keeps_an_older_output_intact(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("previous result")
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing here")
    assert main(["batch", str(bad), "-o", str(out)]) == 2
    assert out.read_text() == "previous result"


def test_crash_while_writing_leaves_no_half_file(tmp_path, monkeypatch):
    import calculator.batch.workbook as workbook

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(workbook, "_params_sheet", boom)  # fails after five sheets were written
    out = tmp_path / "r.xlsx"
    with pytest.raises(RuntimeError):
        main(["batch", str(SAMPLE / "tahe_survey_messy.xlsx"), "-o", str(out)])
    assert list(tmp_path.iterdir()) == []


def test_bad_output_extension_exits_2(tmp_path):
    assert main(["batch", str(SAMPLE / "tahe_survey_messy.xlsx"), "-o", str(tmp_path / "r.pdf")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_template_reads_back_as_an_empty_survey(tmp_path):
    out = tmp_path / "survey.xlsx"
    assert main(["template", "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["入户调查", "填表说明"]
    ws = book["入户调查"]
    header = [c.value for c in ws[2]]
    assert header[:5] == ["户号", "户主姓名", "身份证号", "原房屋建筑面积（㎡）", "安置方式"]
    lists = {next(iter(dv.sqref.ranges)).min_col: dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists[header.index("安置方式") + 1] == '"回迁安置,货币补偿"'
    assert lists[header.index("选择户型面积（㎡）") + 1] == '"40,48,58,68,75"'  # the policy's unit types
    assert lists[header.index("是否低保户") + 1] == '"是,否"'
    assert ws.column_dimensions["C"].width > 18
    # Filled in by a clerk, it goes through the batch.
    ws.append(["TH-1", "王伟", "23272219750123056X", 45, "回迁安置", 48, "否", "否"])
    book.save(out)
    run = load_survey(out, load_policy("tahe"))
    assert run.counts.computed == 1 and run.settlement.results["net_payable"].tolist() == [1_736_400]


def test_module_entry_point_runs(tmp_path):
    out = tmp_path / "r.jsonl"
    done = subprocess.run([sys.executable, "-m", "calculator", "batch", str(SAMPLE / "tahe_survey_messy_gbk.csv"),
                           "-o", str(out)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 3, done.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 29
    assert "\x1b" not in done.stderr  # no progress bar when stderr is not a terminal
