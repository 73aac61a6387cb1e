"""The result workbook, csv and jsonl: read back and compared with the engine's numbers to the fen."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from calculator import load_policy
from calculator.batch import load_survey, unit_demand, write_machine, write_workbook
from calculator.totals import project_totals
from calculator.batch.workbook import SHEETS
from calculator.fixed import fmt_cents

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
POLICY = load_policy("tahe")
INJECTION = ("户号,户主姓名,原面积,选择户型,安置方式,评估单价,备注\n"
             "=1+1,@SUM(A1),45,48,回迁,,+cmd|' /C calc'!A0\n"
             "-H2,-李,52.3,,货币补偿,2150,普通\n")


@pytest.fixture(scope="module")
def clean_book(clean_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "result.xlsx"
    write_workbook(clean_run, POLICY, path)
    return path


def _sheet(path, name) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_workbook_has_the_seven_sheets_in_both_languages(clean_run, clean_book, tmp_path):
    assert CalamineWorkbook.from_path(str(clean_book)).sheet_names == [zh for zh, _ in SHEETS.values()]
    write_workbook(clean_run, POLICY, tmp_path / "en.xlsx", lang="en")
    assert CalamineWorkbook.from_path(str(tmp_path / "en.xlsx")).sheet_names == [en for _, en in SHEETS.values()]


def test_detail_sheet_round_trips_to_the_fen(clean_run, clean_book):
    rows = _sheet(clean_book, "结算明细")
    header, body, totals = rows[0], rows[1:1201], rows[1202]
    assert len(rows) == 1203 and rows[1201] == [""] * len(header)  # one empty row, then the totals
    results = clean_run.settlement.results
    col = {h: i for i, h in enumerate(header)}
    assert [r[col["行号"]] for r in body] == list(clean_run.settlement.inputs.index)
    assert [r[col["户号"]] for r in body] == list(clean_run.settlement.inputs["household_id"])
    assert [r[col["身份证号"]] for r in body] == list(clean_run.settlement.inputs["id_number"])  # text, all 18 digits
    money = {"结算合计（元）": "net_payable", "入住前应交（元）": "due_before_move_in", "缓交合计（元）": "deferred_total",
             "专项维修资金（元）": "amount_maintenance_fund", "货币补偿（元）": "amount_cash_compensation",
             "未安置面积货币补偿（元）": "amount_shortfall_compensation", "取暖费（元/采暖期）": "heating_annual"}
    for title, key in money.items():
        got = [round(r[col[title]] * 100) if r[col[title]] != "" else 0 for r in body]
        assert got == results[key].tolist(), title
        assert round(totals[col[title]] * 100) == results[key].sum(), title
    assert totals[:2] == ["合计", "1200 户"]
    assert totals[col["评估单价（元/㎡）"]] == "" and totals[col["取暖费标准（元/㎡）"]] == ""  # prices are not summed
    first_due = [r[col["第1期到期日"]] for r in body]
    expected = results["installment_1_due"].dt.date.tolist()
    assert [d if d != "" else None for d in first_due] == [None if pd.isna(e) else e for e in expected]


def test_detail_sheet_is_formatted_for_a_clerk(clean_book):
    ws = openpyxl.load_workbook(clean_book, read_only=False)["结算明细"]
    assert ws.freeze_panes == "D2"
    header = [c.value for c in ws[1]]
    net = ws.cell(row=2, column=header.index("结算合计（元）") + 1)
    # A number that sums, shown as 应交 / 应领 with a positive amount: never a bare minus (issue 10, defect 6)
    assert net.data_type == "n" and net.number_format == '"应交 "#,##0.00;"应领 "#,##0.00;0.00'
    assert ws.column_dimensions["D"].width >= 18  # ID numbers fit
    assert ws.auto_filter.ref is not None


def test_schedule_lists_every_installment_by_due_date(clean_run, clean_book):
    rows = _sheet(clean_book, "缓交计划")[1:]
    rows, totals = rows[:-2], rows[-1]
    assert totals[0] == "合计" and round(totals[6] * 100) == clean_run.settlement.results["deferred_total"].sum()
    deferring = int((clean_run.settlement.results["deferred_total"] > 0).sum())
    assert len(rows) == deferring * len(POLICY.rules.deferral.installments)
    dated = [r[0] for r in rows if r[0] != ""]
    assert dated == sorted(dated)
    assert round(sum(r[6] for r in rows) * 100) == clean_run.settlement.results["deferred_total"].sum()


def test_demand_and_summary_sheets_agree_with_the_engine(clean_run, clean_book):
    demand = unit_demand(clean_run, POLICY.rules)
    in_kind = int((~clean_run.settlement.results["is_cash"]).sum())
    assert sum(d.demand_units for d in demand) == in_kind
    assert [d.planned_share_pct for d in demand[:-1]] == ["25", "45", "20", "10"]
    rows = _sheet(clean_book, "户型需求")
    assert [r[3] for r in rows[1:len(demand) + 1]] == [d.demand_units for d in demand]
    assert [r[5] for r in rows[1:len(demand) + 1]] == [d.gap_units for d in demand]
    totals = project_totals(clean_run.settlement, POLICY.rules)
    fen = lambda code: totals.figure(code).total
    assert fen("collected") - fen("item:cash_compensation") - fen("item:shortfall_compensation") == fen("net")
    assert fen("net") == clean_run.settlement.results["net_payable"].sum()
    assert sum(a for _, _, a in totals.deferred_by_year) == fen("deferred")
    summary = {r[0]: r[1] for r in _sheet(clean_book, "项目汇总") if r and r[0]}
    assert round(summary["货币补偿"] * 100) == fen("item:cash_compensation") == 1061131650
    assert summary["计算户数"] == 1200


def test_errors_and_parameters_sheets(messy_run, tmp_path):
    path = tmp_path / "messy.xlsx"
    write_workbook(messy_run, POLICY, path)
    errors = _sheet(path, "错误")
    assert errors[0][:6] == ["行号", "户号", "列名", "字段", "填写值", "原因"]
    assert [int(r[0]) for r in errors[1:len(messy_run.errors) + 1]] == [e.row for e in messy_run.errors]
    params = {r[0]: r[1] for r in _sheet(path, "参数") if r and r[0]}
    assert params["政策文件SHA-256"] == POLICY.identity.sha256
    assert params["输入文件"] == "tahe_survey_messy.xlsx" and params["输入文件SHA-256"] == messy_run.source_sha256
    assert params["村组"].startswith("未识别")


def test_no_formula_injection_in_the_workbook(tmp_path):
    run = load_survey(INJECTION.encode(), POLICY, filename="i.csv")
    path = tmp_path / "i.xlsx"
    write_workbook(run, POLICY, path)
    ws = openpyxl.load_workbook(path)["结算明细"]
    header = [c.value for c in ws[1]]
    first = {h: ws.cell(row=2, column=i + 1) for i, h in enumerate(header)}
    assert first["户号"].data_type == "s" and first["户号"].value == "=1+1" and first["户号"].quotePrefix
    assert first["户主姓名"].value == "@SUM(A1)" and first["户主姓名"].quotePrefix
    assert first["备注"].value.startswith("+cmd") and first["备注"].quotePrefix
    second = {h: ws.cell(row=3, column=i + 1) for i, h in enumerate(header)}
    cash = second["结算合计（元）"]
    assert cash.data_type == "n" and cash.value == -112445  # a negative amount stays a number


def test_machine_csv_round_trips_and_is_not_injectable(messy_run, tmp_path):
    path = tmp_path / "out.csv"
    write_machine(messy_run, POLICY, path, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == messy_run.counts.read  # one row per input row, rejected ones too
    assert [int(r["row"]) for r in rows] == list(messy_run.raw.index)
    issue_columns = ["household_id", "status", "area_standard", "area_one_for_one", "area_reasonable_extra", "area_excess",
                     "area_shortfall", "amount_structure_difference", "amount_reasonable_extra_area", "amount_excess_area",
                     "amount_maintenance_fund", "amount_shortfall_compensation", "amount_cash_compensation", "net_payable",
                     "due_before_move_in", "deferred_total", "installment_1", "installment_1_due", "installment_2",
                     "installment_2_due", "heating_annual", "warnings", "error"]
    assert list(rows[0])[:len(issue_columns)] == issue_columns
    ok = [r for r in rows if r["status"] == "ok"]
    results = messy_run.settlement.results
    for key in ("net_payable", "amount_cash_compensation", "installment_1", "area_reasonable_extra"):
        assert [r[key] for r in ok] == [fmt_cents(v) for v in results[key]]
    bad = [r for r in rows if r["status"] == "error"]
    assert len(bad) == messy_run.counts.rejected and all(r["error"] and r["net_payable"] == "" for r in bad)
    inj = load_survey(INJECTION.encode(), POLICY, filename="i.csv")
    write_machine(inj, POLICY, tmp_path / "i.csv", fmt="csv")
    text = (tmp_path / "i.csv").read_text(encoding="utf-8-sig")
    got = list(csv.DictReader(io.StringIO(text)))
    assert [r["household_id"] for r in got] == ["'=1+1", "'-H2"]
    assert ",-112445.00," in text  # negative money is a plain number, not neutralised text


def test_machine_jsonl_is_exact(messy_run, tmp_path):
    buffer = io.BytesIO()
    write_machine(messy_run, POLICY, buffer, fmt="jsonl")
    lines = [json.loads(line, parse_float=Decimal) for line in buffer.getvalue().decode().splitlines()]
    assert len(lines) == messy_run.counts.read
    ok = [r for r in lines if r["status"] == "ok"]
    assert [r["net_payable"] for r in ok] == [Decimal(fmt_cents(v)) for v in messy_run.settlement.results["net_payable"]]
    m004 = next(r for r in ok if r["household_id"] == "M004")
    assert (m004["installment_1"], m004["installment_1_due"]) == (Decimal("1680.00"), "2026-10-01")
    assert all(r["net_payable"] is None and r["error"] for r in lines if r["status"] == "error")


def test_writers_accept_a_buffer(messy_run):
    buffer = io.BytesIO()
    write_workbook(messy_run, POLICY, buffer, lang="en")
    assert CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).sheet_names[0] == "Settlements"
    with pytest.raises(ValueError):
        write_machine(messy_run, POLICY, io.BytesIO(), fmt="xml")


def test_empty_survey_writes_empty_outputs(tmp_path):
    run = load_survey("户号,原面积\n".encode(), POLICY, filename="e.csv")
    write_workbook(run, POLICY, tmp_path / "e.xlsx")
    write_machine(run, POLICY, tmp_path / "e.jsonl", fmt="jsonl")
    detail = _sheet(tmp_path / "e.xlsx", "结算明细")
    assert len(detail) == 3 and detail[2][:2] == ["合计", "0 户"] and (tmp_path / "e.jsonl").read_bytes() == b""
    assert np.all(np.array(run.counts.read) == 0)


def _cell_order(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(ref[len(letters):]), col


@pytest.mark.parametrize("source", ["tahe_survey_1200.xlsx", "tahe_survey_messy.xlsx"])
def test_sheet_xml_is_well_formed_and_ordered(source, tmp_path):
    """What Excel insists on: well-formed XML, rows ascending, cells ascending in their row, within the dimension."""
    import re
    import xml.etree.ElementTree as ET
    import zipfile

    run = load_survey(SAMPLE / source, POLICY)
    path = tmp_path / "r.xlsx"
    write_workbook(run, POLICY, path)
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 7
        for name in sheets:
            root = ET.fromstring(z.read(name))
            last_row, last_col = _cell_order(re.split(":", root.find("m:dimension", ns).get("ref"))[-1])
            previous = 0
            for row in root.find("m:sheetData", ns):
                number = int(row.get("r"))
                assert number > previous, name
                previous = number
                cols = [_cell_order(c.get("r")) for c in row]
                assert all(r == number for r, _ in cols) and [c for _, c in cols] == sorted({c for _, c in cols})
                assert number <= last_row and all(c <= last_col for _, c in cols), name


def test_sheet_rows_are_the_same_in_any_chunking(clean_run):
    """The rows are built by threads chunk by chunk; the XML must not depend on the chunk size."""
    from calculator.batch.sheets import detail_columns
    from calculator.batch.sheetxml import Styles, rows_xml

    columns = detail_columns(clean_run, POLICY, "zh")
    styles = Styles(money=1, date=2, int=3, text=0, quoted=4, signed=5)
    whole = b"".join(bytes(c) for c in rows_xml(columns, 2, styles, chunk=10_000))
    pieces = b"".join(bytes(c) for c in rows_xml(columns, 2, styles, chunk=97, workers=3))
    assert pieces == whole and whole.count(b"<row ") == 1200
    assert whole.startswith(b'<row r="2">') and b'<row r="1201">' in whole
