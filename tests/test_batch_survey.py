"""load_survey on the sample surveys and on small hand-made files: rows, columns, errors, counts, results."""
from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import xlsxwriter

from calculator import load_policy, quote
from calculator.batch import RowError, SurveyFileError, load_survey
from calculator.batch.headers import canonical_field, find_header_row, normalise_header
from calculator.fixed import MISSING
from calculator.result import build_quote

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
POLICY = load_policy("tahe")
EXPECTED = json.loads((SAMPLE / "tahe_survey_messy_expected.json").read_text(encoding="utf-8"))


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


# --- headers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("header, field", [
    ("户号", "household_id"), ("档案编号", "household_id"), ("household_id", "household_id"), ("Household ID", "household_id"),
    ("原房屋建筑面积（㎡）", "original_area"), ("原面积 (㎡)", "original_area"), ("Original Area (m2)", "original_area"),
    ("安置方式", "option"), ("选择户型", "unit_area"), ("安置面积", "unit_area"), ("是否低保户", "low_income"),
    ("申请缓交", "defer"), ("评估单价(元/㎡)", "appraised_price"), ("评估单价元", "appraised_price"),
    ("节能住宅", "energy_efficient"), ("入住日期", "move_in_date"), (" 户主 ", "name"), ("身份证号码", "id_number"),
    ("产权性质", "property_type"), ("村组", None), ("", None),
])
def test_header_aliases(header, field):
    assert canonical_field(header) == field


def test_header_normalisation_drops_units_and_spaces():
    assert normalise_header("原房屋建筑面积（㎡）") == "原房屋建筑面积"
    assert normalise_header(" Appraised  Price [yuan/m2] ") == "appraisedprice"


def test_header_row_found_below_title_rows():
    rows = [["塔河镇入户调查表", "", ""], ["填报单位：……", "", ""], ["户号", "原面积", "选择户型"], ["H1", "45", "48"]]
    assert find_header_row(rows) == 2
    assert find_header_row([["标题"], ["H1", "45"]]) is None


# --- the sample surveys --------------------------------------------------------------------------
def test_clean_sample_computes_every_household(clean_run):
    c = clean_run.counts
    assert (c.read, c.computed, c.rejected, c.blank_skipped) == (1200, 1200, 0, 0)
    assert clean_run.errors == []
    assert clean_run.header_row == 3 and clean_run.sheet == "入户调查"
    assert clean_run.settlement.results["area_original"].sum() == 6_000_000  # 60,000.00 m², the plan's 6万平方米
    inputs = clean_run.settlement.inputs
    assert list(inputs.index[:3]) == [4, 5, 6]  # spreadsheet row numbers
    ids = inputs["id_number"]
    assert ids.str.len().eq(18).all() and ids.str.endswith("X").any()  # IDs as text, X kept
    assert set(inputs["option"]) == {"in_kind", "cash"}
    assert inputs["low_income"].sum() > 50 and (clean_run.settlement.results["deferred_total"] > 0).sum() > 20


def test_clean_sample_agrees_with_single_quotes(clean_run):
    """Every 37th household: the batch row equals quote() of the same inputs, item by item."""
    s = clean_run.settlement
    raw = clean_run.raw
    for pos in range(0, len(s.inputs), 37):
        row = s.inputs.iloc[pos]
        text = raw.loc[s.inputs.index[pos]]
        cash = row["option"] == "cash"
        price = text["评估单价（元/㎡）"]
        single = quote(POLICY, original_area=Decimal(text["原房屋建筑面积（㎡）"]), option=row["option"],
                       unit_area=None if cash else Decimal(text["选择户型（㎡）"]), low_income=bool(row["low_income"]),
                       defer=bool(row["defer"]), appraised_price=Decimal(price) if price else None,
                       energy_efficient=bool(row["energy_efficient"]),
                       move_in_date=None if np.isnat(row["move_in"].to_datetime64()) else row["move_in"].date())
        batch = build_quote(s, pos, POLICY)
        assert batch.items == single.items
        assert (batch.net_payable, batch.due_before_move_in, batch.deferred) == (single.net_payable, single.due_before_move_in, single.deferred)


def test_messy_sample_rejects_exactly_the_bad_rows(messy_run):
    rejected = {b["row"] for b in EXPECTED["rejected"]}
    assert set(messy_run.rejected_rows) == rejected
    fields_by_row: dict[int, set[str]] = {}
    for e in messy_run.errors:
        assert isinstance(e, RowError) and e.message_zh and e.message_en
        fields_by_row.setdefault(e.row, set()).add(e.field)
    for bad in EXPECTED["rejected"]:
        assert set(bad["fields"]) <= fields_by_row[bad["row"]], bad
    c = messy_run.counts
    assert c.reconciles and c.read == EXPECTED["data_rows"] and c.blank_skipped == len(EXPECTED["blank_rows"])
    assert c.rejected == len(rejected)
    # Nothing lost: every non-blank row is either computed or rejected.
    assert sorted([*messy_run.settlement.inputs.index, *messy_run.rejected_rows]) == sorted(messy_run.raw.index)


def test_messy_errors_name_the_column_and_the_cell(messy_run):
    by_row = {(e.row, e.field): e for e in messy_run.errors}
    negative = by_row[(15, "original_area")]
    assert (negative.column, negative.value) == ("原面积 (㎡)", "-5")
    date = by_row[(18, "move_in_date")]
    assert (date.column, date.value) == ("入住时间", "2025-02-30") and "2025-02-30" in date.message_zh
    dup = [e for e in messy_run.errors if e.field == "household_id" and e.value == "M015"]
    assert [e.row for e in dup] == [19, 20] and "19" in dup[0].message_en and "20" in dup[0].message_en
    assert by_row[(22, "option")].value == "搬走"
    assert by_row[(23, "low_income")].value == "x"


def test_messy_rows_that_compute_match_the_worked_examples(messy_run):
    s = messy_run.settlement
    net = dict(zip(s.inputs["household_id"], s.results["net_payable"]))
    assert net["M001"] == 1_736_400  # §8 example 1: A 45, U 48
    assert net["M003"] == -11_244_500  # §8 example 4: cash, A 52.3 (" 52.3 "), P 2,150
    assert net["M005"] == 1_126_400  # §8 example 5: A 50, U 48, P 2000元/㎡
    assert net["M006"] == 1_485_000  # §8 example 6: A 80, U 75, P 1800 (D1)
    pos = list(s.inputs["household_id"]).index("M004")  # §8 example 3: 低保户 36.5 → 40, deferring
    q = build_quote(s, pos, POLICY)
    assert q.net_payable == Decimal("3520.00") and q.due_before_move_in == Decimal("720.00")
    assert [(i.amount, str(i.due_date)) for i in q.deferred.installments] == [(Decimal("1680.00"), "2026-10-01"),
                                                                               (Decimal("1120.00"), "2027-10-01")]
    m008 = list(s.inputs["household_id"]).index("M008")  # 45.333 → 45.33 with a warning
    assert any("四舍五入" in zh for zh, _ in s.warnings[m008])
    merged = [list(s.inputs["household_id"]).index(h) for h in ("M024", "M025")]
    assert all(any("合并单元格" in zh for zh, _ in s.warnings[p]) for p in merged)
    assert (s.inputs.iloc[merged]["option"] == "in_kind").all()


def test_gbk_csv_reads_like_the_xlsx(messy_run):
    run = load_survey(SAMPLE / "tahe_survey_messy_gbk.csv", POLICY)
    assert run.encoding == "gbk" and run.header_row == 2
    assert run.rejected_rows == [r - 1 for r in messy_run.rejected_rows]  # one title row fewer
    # (the csv has no merged cell: M025's option is written out, so the same households compute)
    assert run.settlement.results["net_payable"].tolist() == messy_run.settlement.results["net_payable"].tolist()


# --- small files ---------------------------------------------------------------------------------
def test_bytes_file_object_and_path_give_the_same_run(tmp_path):
    data = _csv("户号,原面积,选择户型\nH1,45,48\nH2,45,58\n")
    path = tmp_path / "s.csv"
    path.write_bytes(data)
    runs = [load_survey(data, POLICY, filename="s.csv"), load_survey(io.BytesIO(data), POLICY), load_survey(path, POLICY)]
    assert [r.settlement.results["net_payable"].tolist() for r in runs] == [[1_736_400, 2_954_400]] * 3
    assert runs[0].source_name == "s.csv" and runs[2].source_name == "s.csv"
    assert len({r.source_sha256 for r in runs}) == 1


def test_duplicate_ids_reject_every_row_and_blank_rows_are_counted():
    run = load_survey(_csv("户号,原面积,选择户型\nA,45,48\n,,\nB,45,48\nA,40,40\n\nA,50,58\n"), POLICY, filename="d.csv")
    assert run.rejected_rows == [2, 5, 7]
    assert list(run.settlement.inputs["household_id"]) == ["B"]
    assert (run.counts.read, run.counts.computed, run.counts.rejected, run.counts.blank_skipped) == (4, 1, 3, 2)


def test_tab_separated_and_english_headers():
    text = "household_id\toriginal_area\toption\tunit_area\tlow_income\tdefer\tmove_in_date\nX1\t36.5\tin_kind\t40\tY\tY\t2025-10-01\n"
    run = load_survey(_csv(text), POLICY, filename="s.tsv")
    assert run.counts.computed == 1
    assert run.settlement.results["deferred_total"].tolist() == [280_000]


def test_unknown_columns_pass_through_untouched():
    run = load_survey(_csv("户号,原面积,选择户型,村组,备注\nH1,45,48,一组,=cmd\n"), POLICY, filename="s.csv")
    assert run.columns == {"户号": "household_id", "原面积": "original_area", "选择户型": "unit_area", "村组": None, "备注": "remarks"}
    assert run.raw.loc[2, "村组"] == "一组" and run.raw.loc[2, "备注"] == "=cmd"


def test_numeric_id_number_gets_a_warning(tmp_path):
    path = tmp_path / "n.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["户号", "原面积", "选择户型", "身份证号"])
    ws.write_row(1, 0, ["H1", 45, 48, 110101199001011234])
    book.close()
    run = load_survey(path, POLICY)
    assert any("身份证号" in zh for zh, _ in run.settlement.warnings[0])


@pytest.mark.parametrize("data, name, needle", [
    (b"", "e.csv", "empty"),
    (b"hello world\n", "h.csv", "no header row"),
    ("户号,姓名\nH1,张三\n".encode(), "n.csv", "original_area"),
    (b"\x00\x01\x02binary", "b.csv", "not a spreadsheet"),
    (b"PK\x03\x04garbage", "g.xlsx", "cannot open"),
    (b"just text", "t.xlsx", "not a spreadsheet"),
])
def test_unusable_files_raise_with_both_languages(data, name, needle):
    with pytest.raises(SurveyFileError) as exc:
        load_survey(data, POLICY, filename=name)
    assert needle in exc.value.message_en and exc.value.message_zh


def test_missing_sheet_is_unusable():
    with pytest.raises(SurveyFileError, match="no sheet named"):
        load_survey(SAMPLE / "tahe_survey_1200.xlsx", POLICY, sheet="不存在")


def test_parse_error_is_not_repeated_as_a_rule_error():
    run = load_survey(_csv("户号,原面积,选择户型,安置方式\nH1,abc,48,回迁\nH2,45,48,搬走\n"), POLICY, filename="s.csv")
    fields = [(e.row, e.field) for e in run.errors]
    assert fields == [(2, "original_area"), (3, "option")]  # no extra "area is required" for the unreadable cell


def test_missing_values_are_missing_not_zero():
    run = load_survey(_csv("户号,原面积,选择户型,评估单价\nH1,45,48,\n"), POLICY, filename="s.csv")
    assert run.settlement.inputs["appraised_price_c"].tolist() == [MISSING]


def test_two_row_header_with_a_merged_group(tmp_path):
    """面积（㎡） merged over 原面积 | 选择户型, the other headers merged down over both rows."""
    path = tmp_path / "two.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet()
    ws.merge_range("A1:E1", "入户调查表")
    ws.merge_range("A2:A3", "户号")
    ws.merge_range("B2:B3", "户主姓名")
    ws.merge_range("C2:D2", "面积（㎡）")
    ws.write_row(2, 2, ["原面积", "选择户型"])
    ws.merge_range("E2:E3", "安置方式")
    ws.write_row(3, 0, ["H1", "王伟", 45, 58, "回迁"])
    book.close()
    run = load_survey(path, POLICY)
    assert run.header_row == 3 and run.columns["原面积"] == "original_area" and run.columns["户号"] == "household_id"
    assert run.counts.computed == 1 and run.settlement.results["net_payable"].tolist() == [2_954_400]
    assert list(run.settlement.inputs.index) == [4]


def test_csv_row_numbers_count_line_breaks_inside_cells():
    text = '标题\n户号,原面积,选择户型,备注\nH1,45,48,"两行\n备注"\nH2,abc,48,\n'
    run = load_survey(text.encode(), POLICY, filename="x.csv")
    assert list(run.raw.index) == [3, 5] and run.errors[0].row == 5  # H2 is on line 5 of the file


def test_the_survey_sheet_is_found_behind_a_cover_sheet(tmp_path):
    path = tmp_path / "cover.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("说明").write(0, 0, "本表由社区填报")
    ws = book.add_worksheet("调查")
    ws.write_row(0, 0, ["户号", "原面积", "选择户型"])
    ws.write_row(1, 0, ["H1", 45, 48])
    book.close()
    run = load_survey(path, POLICY)
    assert run.sheet == "调查" and run.counts.computed == 1
    with pytest.raises(SurveyFileError, match="no header row"):
        load_survey(path, POLICY, sheet="说明")


_area = st.decimals(min_value=Decimal("20"), max_value=Decimal("120"), places=2, allow_nan=False)
_household = st.fixed_dictionaries({
    "original_area": _area, "unit_area": st.sampled_from([Decimal(t) for t in ("40", "48", "58", "68", "75", "48.37")]),
    "cash": st.booleans(), "low_income": st.booleans(), "price": st.decimals(min_value=Decimal("1500"), max_value=Decimal("3000"), places=2),
    "efficient": st.sampled_from(["", "是", "否"]), "move_in": st.sampled_from(["", "2025-10-01", "2024-02-29"]),
})


@settings(max_examples=25, deadline=None)
@given(st.lists(_household, min_size=1, max_size=6))
def test_every_csv_row_settles_like_a_single_quote(households):
    """Property: whatever the mix, a survey row computes exactly what quote() gives for the same household."""
    lines = ["户号,原面积,安置方式,选择户型,是否低保户,评估单价,节能住宅,入住日期"]
    for i, h in enumerate(households):
        lines.append(",".join([f"H{i}", str(h["original_area"]), "货币补偿" if h["cash"] else "回迁",
                               "" if h["cash"] else str(h["unit_area"]), "是" if h["low_income"] else "否",
                               str(h["price"]), h["efficient"], h["move_in"]]))
    run = load_survey("\n".join(lines).encode(), POLICY, filename="p.csv")
    assert run.counts.rejected == 0 and run.counts.computed == len(households)
    for pos, h in enumerate(households):
        single = quote(POLICY, original_area=h["original_area"], option="cash" if h["cash"] else "in_kind",
                       unit_area=None if h["cash"] else h["unit_area"], low_income=h["low_income"],
                       appraised_price=h["price"], energy_efficient=None if not h["efficient"] else h["efficient"] == "是",
                       move_in_date=h["move_in"] or None)
        batch = build_quote(run.settlement, pos, POLICY)
        assert batch.model_dump(exclude={"household_id"}) == single.model_dump(exclude={"household_id"})


def test_separator_is_sniffed_whatever_the_name():
    comma = load_survey("户号,原面积,选择户型\nH1,45,48\n".encode(), POLICY, filename="really_commas.tsv")
    semicolon = load_survey("户号;原面积;选择户型\nH1;45;48\n".encode(), POLICY, filename="s.csv")
    assert comma.counts.computed == semicolon.counts.computed == 1
