"""A row whose text cannot be laid out (a 6,000-character name) is rejected with its row; the others are written."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from test_statements import needs_poppler, pdf_text

from calculator.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
LONG = "王" * 6000


def _survey(tmp_path: Path, long_rows: dict[int, tuple[int, str]], n: int = 4) -> str:
    """The sample's title, header and first n households; long_rows: data position -> (column, text)."""
    with (SAMPLE / "tahe_survey_1200.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[:2 + n]
    for pos, (column, value) in long_rows.items():
        rows[2 + pos][column] = value
    path = tmp_path / "s.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return str(path)


NAME, ADDRESS = 1, 3  # columns of the sample survey


@pytest.mark.parametrize("output", ["st.zip", "st"])
def test_statements_skip_the_row_that_cannot_be_laid_out(tmp_path, capsys, output):
    survey = _survey(tmp_path, {1: (NAME, LONG)})  # the second household: file row 4 (title, header, then rows)
    out = tmp_path / output
    assert main(["statements", survey, "-o", str(out), "--jobs", "1", "--date", "2026-01-05"]) == 3
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "第4行 / row 4: 户主姓名过长（6000 个字符），结算单排不下" in captured.err
    assert "the name is too long (6000 characters) to fit on the statement" in captured.err
    assert "3 statements written" in captured.out
    names = sorted(zipfile.ZipFile(out).namelist() if output.endswith(".zip") else [p.name for p in out.iterdir()])
    assert names == ["TH-00001.pdf", "TH-00003.pdf", "TH-00004.pdf"]


def test_statements_with_no_printable_row_leave_no_empty_zip(tmp_path, capsys):
    survey = _survey(tmp_path, {0: (NAME, LONG), 1: (ADDRESS, "路" * 6000)}, n=2)
    assert main(["statements", survey, "-o", str(tmp_path / "st.zip"), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "第3行 / row 3: 户主姓名过长" in err and "第4行 / row 4: 房屋坐落过长" in err
    assert "no statement could be made; nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


@needs_poppler
def test_the_notice_leaves_out_the_row_that_cannot_fit(tmp_path, capsys):
    survey = _survey(tmp_path, {1: (NAME, LONG)})
    out = tmp_path / "n.pdf"
    assert main(["notice", survey, "-o", str(out), "--date", "2026-01-05"]) == 3
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "第4行 / row 4: 户主姓名过长（6000 个字符），公示表排不下" in captured.err
    text = pdf_text(out.read_bytes())
    assert "本表列 3 户" in text and "另有 1 户" in text
    assert "TH-00001" in text and "TH-00002" not in text and "TH-00003" in text


def test_a_single_statement_with_a_name_too_long_is_a_message(tmp_path, capsys):
    out = tmp_path / "one.pdf"
    assert main(["statement", "--original-area", "45", "--unit-area", "58", "--name", LONG, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "too long to fit on the statement" in err
    assert not out.exists()


def test_a_long_but_printable_name_stays_on_the_notice(tmp_path, capsys):
    survey = _survey(tmp_path, {1: (NAME, "阿" * 40)})
    assert main(["notice", survey, "-o", str(tmp_path / "n.pdf"), "--date", "2026-01-05"]) == 0
    assert "过长" not in capsys.readouterr().err
