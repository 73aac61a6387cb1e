"""Public notices: masking rules, nothing unmasked in any byte of the xlsx or the PDF, figures equal to the settlement."""
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from test_statements import ISSUED, needs_poppler, pdf_fonts, pdf_text

from calculator import settle_frame
from calculator.household import typed_frame
from calculator.result import build_quote
from calculator.statements import (
    build_notice,
    mask_id_number,
    mask_name,
    notice_pdf,
    notice_xlsx,
)
from calculator.wording import signed_text


@pytest.mark.parametrize("name, masked", [
    ("张伟", "张*"),
    ("张小伟", "张*伟"),
    ("欧阳娜", "欧*娜"),  # three characters: the surname alone would leave only one hidden
    ("欧阳明娜", "欧阳*娜"),
    ("欧阳小明娜", "欧阳**娜"),
    ("司马相如", "司马*如"),
    ("王", "*"),
    (" 张 小 伟 ", "张*伟"),
    ("阿不都·热合曼", "阿*****曼"),
    ("", ""),
    (None, ""),
    (float("nan"), ""),
])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("id_number, masked", [
    ("232723198001011234", "232723********1234"),
    ("23272319800101123x", "232723********123X"),
    ("232723800101123", "232723*****1123"),  # a first-generation 15-character ID
    (" 2327 2319 8001 0112 34 ", "232723********1234"),
    ("12345", "*****"),  # too short to be an ID: nothing of it is shown
    ("2327231980", "**********"),
    ("", ""),
    (None, ""),
])
def test_mask_id_number(id_number, masked):
    assert mask_id_number(id_number) == masked


PEOPLE = [
    # household id, name, ID number, option, A, U, low-income, defer, P, move-in
    ("N001", "张小伟", "232723198001011234", "in_kind", "45", "58", False, False, None, dt.date(2025, 10, 1)),
    ("N002", "欧阳明娜", "23272319750505432X", "in_kind", "36.5", "40", True, True, None, dt.date(2025, 10, 1)),
    ("N003", "李娜", "232723196201019876", "cash", "52.3", None, False, False, "2150", None),
    ("N004", "赵铁柱", "232723199912315555", "in_kind", "80", "75", False, False, "1800", None),
    ("N005", "孙悟空", "232723200002029999", "in_kind", "-5", "40", False, False, None, None),  # rejected: A ≤ 0
]


def people_settlement(loaded):
    cols = list(zip(*PEOPLE))
    frame = typed_frame(
        household_id=list(cols[0]), option=list(cols[3]), original_area=[Decimal(a) for a in cols[4]],
        unit_area=[None if u is None else Decimal(u) for u in cols[5]], low_income=list(cols[6]), defer=list(cols[7]),
        appraised_price=[None if p is None else Decimal(p) for p in cols[8]], energy_efficient=[None] * len(PEOPLE),
        heating_rate=[None] * len(PEOPLE), move_in_date=list(cols[9]), policy=loaded.rules)
    frame["name"] = list(cols[1])
    frame["id_number"] = list(cols[2])
    return settle_frame(frame, loaded)


@pytest.fixture(scope="module")
def settled(tahe):
    outcome = people_settlement(tahe)
    assert len(outcome.results) == 4 and len(outcome.rejected_index) == 1
    return outcome


def secrets():
    """Every full name and ID number of the input, in the forms a leak could take."""
    out = []
    for _, name, id_number, *_ in PEOPLE:
        out += [name, id_number, id_number.lower(), id_number[6:14]]  # the birth date part too
    return out


def xlsx_strings(data: bytes) -> str:
    """Every byte of text in every part of the workbook (cells, shared strings, properties, print titles)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_notice_xlsx_has_nothing_unmasked(settled, tahe):
    data = notice_xlsx(settled, tahe, issued=ISSUED)
    everything = xlsx_strings(data)
    for secret in secrets():
        assert secret not in everything, f"{secret} reached the notice"
    for masked in ("张*伟", "欧阳*娜", "李*", "赵*柱", "232723********1234", "232723********432X"):
        assert masked in everything


def test_notice_xlsx_figures_equal_the_quotes(settled, tahe):
    """Each household's row carries the quote's amounts to the fen; the total row is their sum."""
    book = openpyxl.load_workbook(io.BytesIO(notice_xlsx(settled, tahe, issued=ISSUED)))
    sheet = book.worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(cells) if row[0] == "序号")
    header = cells[header_at]
    rows = cells[header_at + 1: header_at + 5]
    for pos, row in enumerate(rows):
        q = build_quote(settled, pos, tahe)
        values = dict(zip(header, row))
        assert values["户号"] == PEOPLE[pos][0]
        assert Decimal(str(values["结算合计"])).quantize(Decimal("0.01")) == q.net_payable
        assert Decimal(str(values["入住前应交"])).quantize(Decimal("0.01")) == q.due_before_move_in
        for item in q.items:
            assert Decimal(str(values[item.label_zh])).quantize(Decimal("0.01")) == item.amount
    total = dict(zip(header, cells[header_at + 5]))
    assert total["序号"] == "合计"
    assert Decimal(str(total["结算合计"])).quantize(Decimal("0.01")) == Decimal("29544.00") + Decimal("3520.00") \
        - Decimal("112445.00") + Decimal("14850.00")
    text = "\n".join(str(c) for row in cells for c in row if c is not None)
    assert "另有 1 户" in text and "塔河镇城区棚户区改造项目" in text and "2026-11-25" in text
    assert tahe.identity.sha256[:16] in text and "2025.1" in text


@needs_poppler
def test_notice_pdf_has_nothing_unmasked(settled, tahe, tmp_path):
    pdf = notice_pdf(settled, tahe, issued=ISSUED)
    text = pdf_text(pdf)
    for secret in secrets():
        assert secret not in text, f"{secret} reached the notice"
        assert secret.encode("utf-8") not in pdf  # nor the metadata or any stream left uncompressed
    for masked in ("张*伟", "欧阳*娜", "李*", "232723********1234"):
        assert masked in text
    assert "-112,445.00" not in text and "-9,000.00" not in text  # said as money received, never a minus
    for figure in ("应交 29,544.00", "应交 3,520.00", "应领 112,445.00", "应交 14,850.00", "应交 2,800.00", "应领 9,000.00"):
        assert figure in text
    assert "另有 1 户" in text and "公示单位（盖章）" in text
    assert all(row[-5] == "yes" for row in pdf_fonts(pdf, tmp_path))


@needs_poppler
def test_notice_columns_follow_the_policy(county_b):
    """A four-band policy gets four band columns, named as the policy names them."""
    outcome = people_settlement(county_b)
    notice = build_notice(outcome, county_b, issued=ISSUED)
    money = [c.header for c in notice.columns if c.kind == "money"]
    labels = county_b.rules.item_labels()
    assert money[:4] == [labels[b.code][0] for b in county_b.rules.bands]
    text = pdf_text(notice_pdf(outcome, county_b, issued=ISSUED))
    for pos in range(len(outcome.results)):
        assert signed_text(build_quote(outcome, pos, county_b).net_payable) in text


def test_empty_batch_still_makes_a_notice(tahe):
    outcome = people_settlement(tahe)
    empty = type(outcome)(inputs=outcome.inputs.iloc[:0], results=outcome.results.iloc[:0], warnings=[],
                          errors=outcome.errors)
    notice = build_notice(empty, tahe, issued=ISSUED)
    assert notice.rows == [] and notice.totals["net_payable"] == Decimal("0.00")
    assert notice_xlsx(empty, tahe, issued=ISSUED)[:2] == b"PK"
    assert notice_pdf(empty, tahe, issued=ISSUED).startswith(b"%PDF-")


def test_notice_xlsx_prints_on_a4_landscape_with_the_header_on_every_page(settled, tahe):
    book = openpyxl.load_workbook(io.BytesIO(notice_xlsx(settled, tahe, issued=ISSUED)))
    sheet = book.worksheets[0]
    assert sheet.title == "公示表"
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"
    header_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "序号")
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.cell(header_row, 5).value.startswith("原房屋") and sheet.cell(header_row + 1, 5).number_format == "#,##0.00"
    money = next(c for c in range(1, 30) if sheet.cell(header_row, c).value == "结算合计")
    assert sheet.cell(header_row + 1, money).number_format == '"应交 "#,##0.00;"应领 "#,##0.00;0.00'  # money, not areas


@needs_poppler
def test_english_notice(settled, tahe):
    text = pdf_text(notice_pdf(settled, tahe, issued=ISSUED, lang="en"))
    assert "Public notice of relocation settlements" in text and "Net payable" in text
    assert "1 more household(s)" in text and "张*伟" in text and "张小伟" not in text


def test_a_household_id_that_is_an_id_number_is_masked_too(tahe):
    """Some offices file households by ID number: the id column must not print it whole."""
    frame = typed_frame(household_id=["232723198001011234", "张小伟家"], option=["in_kind"] * 2,
                        original_area=[Decimal("45")] * 2, unit_area=[Decimal("48")] * 2, low_income=[False] * 2,
                        defer=[False] * 2, appraised_price=[None] * 2, energy_efficient=[None] * 2,
                        heating_rate=[None] * 2, move_in_date=[None] * 2, policy=tahe.rules)
    frame["name"] = ["张小伟", "张小伟"]
    frame["id_number"] = ["232723198001011234", "232723198001015678"]
    outcome = settle_frame(frame, tahe)
    notice = build_notice(outcome, tahe, issued=ISSUED)
    ids = [row[1] for row in notice.rows]
    assert ids == ["232723********1234", "****"]
    everything = xlsx_strings(notice_xlsx(outcome, tahe, issued=ISSUED))
    assert "232723198001011234" not in everything and "张小伟" not in everything
