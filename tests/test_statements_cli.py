"""The statement, statements and notice subcommands: files written, exit codes 0/2/3, bilingual errors on stderr."""
import zipfile

import openpyxl
import pytest
from case_files import ROOT
from test_statements import needs_poppler, pdf_text

from calculator.cli import main

HEADER = "户号,户主姓名,身份证号,房屋坐落,原房屋建筑面积（㎡）,安置方式,选择户型（㎡）,是否低保户,申请缓交,评估单价（元/㎡）,入住日期\n"
GOOD = [
    "TH-001,张小伟,232723198001011234,塔河镇林海路54号,45,回迁,58,否,,,2025-10-01\n",
    "TH/002,欧阳明娜,23272319750505432X,塔河镇林海路46号,36.5,回迁,40,是,是,,2025-10-01\n",
    "TH-003,李娜,232723196201019876,塔河镇塔河大街1号,52.3,货币补偿,,否,,2150,\n",
]
BAD = "TH-004,赵铁柱,232723199912315555,塔河镇塔河大街2号,abc,回迁,48,否,,,\n"


@pytest.fixture
def survey(tmp_path):
    def write(rows, name="survey.csv"):
        path = tmp_path / name
        path.write_text(HEADER + "".join(rows), encoding="utf-8")
        return str(path)
    return write


@needs_poppler
def test_statement_writes_the_pdf(tmp_path, capsys):
    out = tmp_path / "s.pdf"
    status = main(["statement", "--original-area", "45", "--unit-area", "58", "--household-id", "H002",
                   "--name", "张小伟", "--date", "2026-11-25", "-o", str(out)])
    assert status == 0 and str(out) in capsys.readouterr().out
    text = pdf_text(out.read_bytes())
    assert "¥29,544.00" in text and "贰万玖仟伍佰肆拾肆元整" in text and "张小伟" in text and "2026-11-25" in text


@needs_poppler
def test_statement_mirrors_the_quote_options(tmp_path):
    out = tmp_path / "s3.pdf"
    status = main(["statement", "--original-area", "36.5", "--unit-area", "40", "--low-income", "--defer",
                   "--move-in", "2025-10-01", "--heating-rate", "40", "--no-energy-efficient", "-o", str(out)])
    assert status == 0
    text = pdf_text(out.read_bytes())
    assert "2026-10-01" in text and "2027-10-01" in text and "1,680.00" in text
    assert "¥1,600.00" in text  # 40 m² × 40.00, not energy-efficient: the full standard fee
    out = tmp_path / "s4.pdf"
    assert main(["statement", "--original-area", "52.3", "--cash", "--appraised-price", "2150", "-o", str(out)]) == 0
    assert "壹拾壹万贰仟肆佰肆拾伍元整" in pdf_text(out.read_bytes())


@pytest.mark.parametrize("argv, field", [
    (["--original-area", "abc", "--unit-area", "58"], "original area"),  # named by its label, not its code
    (["--original-area", "45", "--unit-area", "58", "--defer"], "defer"),
    (["--original-area", "45", "--unit-area", "58", "--date", "2026-02-30"], "date"),
    (["--original-area", "45", "--unit-area", "58", "--policy", "no_such_policy"], "policy"),
])
def test_statement_bad_input_exits_2_in_both_languages(argv, field, tmp_path, capsys):
    out = tmp_path / "bad.pdf"
    assert main(["statement", *argv, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert field in err and " / " in err and any("\u4e00" <= ch <= "\u9fff" for ch in err)
    assert "original_area" not in err and "[" not in err
    assert not out.exists()


@needs_poppler
def test_statements_into_a_folder_named_by_household_id(survey, tmp_path, capsys):
    out = tmp_path / "statements"
    assert main(["statements", survey(GOOD), "-o", str(out), "--date", "2026-11-25"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["TH-001.pdf", "TH-003.pdf", "TH_002.pdf"]  # the slash cannot reach the file system
    text = pdf_text((out / "TH_002.pdf").read_bytes())
    assert "TH/002" in text and "欧阳明娜" in text and "2026-10-01" in text and "塔河镇林海路46号" in text
    assert "计算 3 户" in capsys.readouterr().out


def test_statements_into_a_zip_with_rejected_rows_exit_3(survey, tmp_path, capsys):
    out = tmp_path / "out.zip"
    assert main(["statements", survey(GOOD + [BAD]), "-o", str(out)]) == 3
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["TH-001.pdf", "TH-003.pdf", "TH_002.pdf"]
        assert all(archive.read(n).startswith(b"%PDF-") for n in archive.namelist())
    err = capsys.readouterr().err
    assert "第5行" in err and "row 5" in err and "abc" in err  # the header on row 1, 3 good rows, then the bad one


@pytest.mark.parametrize("content", ["not,a,survey\n1,2,3\n", ""])
def test_unusable_survey_exits_2(content, tmp_path, capsys):
    path = tmp_path / "junk.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["statements", str(path), "-o", str(tmp_path / "x")]) == 2
    assert "/" in capsys.readouterr().err
    assert main(["notice", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "n.xlsx")]) == 2
    assert "missing.csv" in capsys.readouterr().err


def test_notice_xlsx_exit_codes_and_masking(survey, tmp_path):
    out = tmp_path / "notice.xlsx"
    assert main(["notice", survey(GOOD), "-o", str(out)]) == 0
    assert main(["notice", survey(GOOD + [BAD], "bad.csv"), "-o", str(out)]) == 3
    cells = " ".join(str(c.value) for row in openpyxl.load_workbook(out).worksheets[0].iter_rows() for c in row)
    assert "张*伟" in cells and "欧阳*娜" in cells and "232723********1234" in cells
    for secret in ("张小伟", "欧阳明娜", "李娜", "232723198001011234", "赵铁柱"):
        assert secret not in cells
    assert "另有 1 户" in cells


@needs_poppler
def test_notice_pdf_of_the_messy_sample(tmp_path, capsys):
    sample = ROOT / "sample_data" / "tahe_survey_messy.xlsx"
    out = tmp_path / "notice.pdf"
    assert main(["notice", str(sample), "-o", str(out), "--accept-flags"]) == 3
    text = pdf_text(out.read_bytes())
    assert "回迁安置补偿结算公示表" in text and "王*" in text and "另有 16 户" in text


def test_notice_refuses_other_formats(survey, tmp_path, capsys):
    assert main(["notice", survey(GOOD), "-o", str(tmp_path / "n.docx")]) == 2
    assert ".xlsx" in capsys.readouterr().err


@needs_poppler
@pytest.mark.parametrize("jobs", [1, 2])
def test_each_file_holds_its_own_household(jobs, survey, tmp_path, monkeypatch, tahe):
    """Across slices and worker processes, every PDF carries the household its name says."""
    from calculator.batch import load_survey
    from calculator.statements import batch

    monkeypatch.setattr(batch, "CHUNK", 1)  # one household per slice: any shift between names and PDFs shows
    run = load_survey(survey(GOOD), tahe)
    names = batch.write_statements(run.settlement, tahe, tmp_path / "out", jobs=jobs).names
    assert names == ["TH-001.pdf", "TH_002.pdf", "TH-003.pdf"]
    for name, household, person in zip(names, ("TH-001", "TH/002", "TH-003"), ("张小伟", "欧阳明娜", "李娜")):
        text = pdf_text((tmp_path / "out" / name).read_bytes())
        assert household in text and person in text


def test_an_output_that_cannot_be_written_exits_2(survey, tmp_path, capsys):
    blocker = tmp_path / "file.txt"
    blocker.write_text("in the way")
    assert main(["statement", "--original-area", "45", "--unit-area", "58", "-o", str(tmp_path)]) == 2
    assert "输出路径是一个文件夹" in capsys.readouterr().err
    assert main(["statements", survey(GOOD), "-o", str(blocker), "--jobs", "1"]) == 2
    assert "the output is a file, not a folder" in capsys.readouterr().err
    assert main(["notice", survey(GOOD), "-o", str(blocker / "n.xlsx")]) == 2
    assert "is not a folder" in capsys.readouterr().err
