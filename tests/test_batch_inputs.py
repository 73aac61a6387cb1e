"""Declared inputs in the batch: read by name, label or alias, checked per cell, carried to every output and template."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from calculator import load_policy, quote
from calculator.batch import load_survey, write_machine, write_template, write_workbook
from calculator.batch.workbook import SHEETS

POLICY = load_policy(Path(__file__).resolve().parent / "policies" / "with_inputs.toml")
TAHE = load_policy("tahe")


def _survey(text: str):
    return load_survey(text.encode("utf-8"), POLICY, filename="s.csv")


def _sheet(path, name) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


@pytest.mark.parametrize("header", ["人口", "家庭人口（人）", "persons", "Persons in the household"])
def test_a_declared_input_is_read_by_alias_label_or_name(header):
    run = _survey(f"户号,原面积,选择户型,{header},残疾\nN1,50,70,4,是\nN2,50,60,2,\n")
    assert run.columns[header] == "persons" and run.columns["残疾"] == "disabled"
    assert run.counts.computed == 2 and run.errors == []
    results = run.settlement.results
    # N1: 60 m² × 300 + 10 m² × 2,000.05 − 4 persons × 800 (disabled) = 34,800.50
    assert results["amount_relocation_subsidy"].tolist() == [-320_000, -100_000]
    assert results["net_payable"].tolist() == [3_480_050, 3_400_050]  # N2: 50 × 300 + 10 × 2,000.05 − 2 × 500
    single = quote(POLICY, original_area="50", unit_area="70", inputs={"persons": "4", "disabled": "是"})
    assert single.net_payable == Decimal("34800.50")


def test_bad_declared_cells_are_row_errors_naming_row_column_and_value():
    run = _survey("户号,原面积,选择户型,家庭人口（人）\n"
                  "N1,50,70,四\nN2,50,70,2.5\nN3,50,70,25\nN4,50,70,\nN5,50,70,3\n")
    assert run.rejected_rows == [2, 3, 4, 5] and run.counts.computed == 1
    by_row = {e.row: e for e in run.errors}
    assert len(run.errors) == 4  # one error per row: no second complaint about the same cell
    word = by_row[2]
    assert (word.field, word.column, word.value) == ("persons", "家庭人口（人）", "四")
    assert word.message_zh == "家庭人口应为整数，输入为 四"
    assert word.message_en == "persons in the household must be a whole number, got 四"
    assert (by_row[3].column, by_row[3].value) == ("家庭人口（人）", "2.5") and "2.5" in by_row[3].message_en
    assert (by_row[4].value, by_row[4].column) == ("25", "家庭人口（人）") and "20" in by_row[4].message_zh
    assert by_row[5].column == "家庭人口（人）" and "家庭人口" in by_row[5].message_zh and "required" in by_row[5].message_en


def test_a_required_input_without_its_column_rejects_every_row():
    run = _survey("户号,原面积,选择户型\nN1,50,70\n")
    assert run.rejected_rows == [2] and run.errors[0].field == "persons"


def test_declared_inputs_reach_the_workbook_and_the_machine_outputs(tmp_path):
    run = _survey("户号,原面积,选择户型,安置方式,评估单价,人口,残疾\n"
                  "N1,50,70,回迁,,4,是\nN2,50.01,,货币补偿,2000.05,3,否\nN3,50,70,回迁,,x,否\n")
    path = tmp_path / "r.xlsx"
    write_workbook(run, POLICY, path)
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    # No deferral and no unit types in this policy: no schedule, no unit-demand sheet.
    assert names == [SHEETS[k][0] for k in ("detail", "summary", "flags", "errors", "params")]
    detail = _sheet(path, "结算明细")
    col = {h: i for i, h in enumerate(detail[0])}
    assert [r[col["家庭人口（人）"]] for r in detail[1:3]] == [4, 3]
    assert [r[col["残疾人家庭"]] for r in detail[1:3]] == ["是", "否"]
    assert [r[col["支付住户小计（元）"]] for r in detail[1:3]] == [-3200, -101522.5]
    assert not any("缓交" in h or "取暖" in h or "到期日" in h for h in detail[0])
    errors = _sheet(path, "错误")
    assert errors[1][:5] == [4, "N3", "人口", "家庭人口", "x"]  # the field by its label, not its code

    out = tmp_path / "r.csv"
    write_machine(run, POLICY, out, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["in_persons"], r["in_disabled"]) for r in rows] == [("4", "true"), ("3", "false"), ("", "")]
    assert [r["amount_cash_compensation"] for r in rows] == ["0.00", "-100022.50", ""]
    assert not any(k.startswith(("installment_", "heating_")) for k in rows[0])
    assert [r["total_paid_to_household"] for r in rows] == ["-3200.00", "-101522.50", ""]


def test_template_has_a_column_per_declared_input_and_reads_back(tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(POLICY, path)
    book = openpyxl.load_workbook(path)
    ws = book["入户调查"]
    header = [c.value for c in ws[2]]
    assert "家庭人口（人）" in header and "残疾人家庭" in header
    assert "申请缓交" not in header and "节能住宅" not in header  # the policy has no deferral and no heating fee
    at = header.index("家庭人口（人）") + 1
    checks = {next(iter(dv.sqref.ranges)).min_col: dv for dv in ws.data_validations.dataValidation}
    assert (checks[at].type, checks[at].formula1, checks[at].formula2) == ("whole", "1", "20")
    assert checks[header.index("残疾人家庭") + 1].formula1 == '"是,否"'
    help_rows = {r[0]: r for r in book["填表说明"].iter_rows(values_only=True) if r and r[0]}
    assert help_rows["家庭人口（人）"][1] == "必填" and "1–20" in help_rows["家庭人口（人）"][2]
    assert help_rows["家庭人口（人）"][3] == "3"
    row = {"户号": "N1", "原房屋建筑面积（㎡）": 50, "安置方式": "回迁安置", "选择户型面积（㎡）": 70, "家庭人口（人）": 4,
           "残疾人家庭": "是"}
    ws.append([row.get(h, None) for h in header])
    book.save(path)
    run = load_survey(path, POLICY)
    assert run.errors == [] and run.settlement.results["net_payable"].tolist() == [3_480_050]


def test_parameters_sheet_lists_every_number_of_the_policy(messy_run, tmp_path):
    path = tmp_path / "p.xlsx"
    write_workbook(messy_run, TAHE, path)
    params = {r[0]: r[1] for r in _sheet(path, "参数") if r and r[0]}
    assert params["原面积部分结构差价：结构差价"].startswith("300.00 元/㎡（四、3")
    assert params["原面积部分结构差价：低保户结构差价"].startswith("0.00 元/㎡（四、4")
    assert params["合理享受面积部分：低保户合理享受面积单价"].startswith("800.00 元/㎡")
    assert params["未安置面积货币补偿：按评估单价的比例"].startswith("100%")
    assert params["第一期比例"].startswith("60%") and params["第二期缴款时间"].startswith("2 年")
    assert params["非节能住宅取暖费标准（示例）"].startswith("35.00 元/㎡·采暖期")
    assert params["依据"] == "《塔河县棚户区改造实施方案》"


def test_parameters_sheet_of_a_policy_with_named_parameters(tmp_path):
    run = _survey("户号,原面积,选择户型,人口\nN1,50,70,4\n")
    path = tmp_path / "p.xlsx"
    write_workbook(run, POLICY, path)
    params = {r[0]: r[1] for r in _sheet(path, "参数") if r and r[0]}
    assert params["人均安置面积"].startswith("15.00 ㎡/人（test §1")
    assert params["人口搬迁补助：残疾人家庭每人补助"].startswith("800.00 元/人")
    assert params["人口"] == "家庭人口"
