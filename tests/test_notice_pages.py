"""The notice laid out a page at a time prints what one long reportlab table printed, page for page, and its xlsx
written column-wise holds the cells xlsxwriter wrote one by one."""
import importlib
from pathlib import Path

import pytest
from test_statements import ISSUED, needs_poppler, pdf_text

from calculator.batch import load_survey
from calculator.statements import build_notice, notice_pdf
from calculator.statements.paged_table import PagedTable, table_rows

notice_pdf_module = importlib.import_module("calculator.statements.pdf_notice")  # the package's notice_pdf is the function
SURVEY = Path(__file__).resolve().parent.parent / "sample_data" / "tahe_survey_1200.csv"


@pytest.fixture(scope="module")
def survey_run(tahe):
    return load_survey(SURVEY, tahe)


def one_long_table(header, body, make):
    """The layout before PagedTable: every row in one reportlab Table, split by reportlab at each page end."""
    return make([*header, *body], True)


@needs_poppler
@pytest.mark.parametrize("households, lang", [(300, "zh"), (61, "en"), (1, "zh")])
def test_paged_notice_prints_the_same_pages_as_one_long_table(survey_run, tahe, monkeypatch, households, lang):
    run = survey_run.settlement
    part = type(run)(inputs=run.inputs.iloc[:households], results=run.results.iloc[:households],
                     warnings=[run.warnings[i] for i in range(households)], errors=run.errors)
    paged = notice_pdf(part, tahe, issued=ISSUED, lang=lang)
    monkeypatch.setattr(notice_pdf_module, "PagedTable", one_long_table)
    before = notice_pdf(part, tahe, issued=ISSUED, lang=lang)
    pages_now, pages_before = pdf_text(paged).split("\f"), pdf_text(before).split("\f")
    assert len(pages_now) == len(pages_before) >= (3 if households == 300 else 1)
    assert pages_now == pages_before
    assert paged.count(b"/Type /Page\n") == before.count(b"/Type /Page\n")


def test_table_rows_reads_reportlab_s_row_count():
    """PagedTable counts the rows reportlab placed on a page through a private attribute: fail loudly if it moves."""
    from reportlab.platypus import Table

    table = Table([["a"], ["b"], ["c"]], repeatRows=1)
    assert table_rows(table) == 3
    first, rest = table.split(100, 40)  # rows of 18 points: room for the header and one body row
    assert table_rows(first) + table_rows(rest) == 3 + 1  # the header repeats on the rest


def test_paged_table_splits_a_long_body_into_page_sized_parts():
    from reportlab.platypus import Table

    body = [[f"row {i}"] for i in range(1000)]
    made = []

    def make(rows, last):
        made.append(len(rows))
        return Table(rows, repeatRows=1)

    flow = PagedTable([["head"]], body, make)
    placed, parts = 0, 0
    while flow is not None:
        flow.wrap(200, 400)
        pieces = flow.split(200, 400) if flow.height > 400 else [flow]
        page = pieces[0]
        page = page._trial if isinstance(page, PagedTable) else getattr(page, "table", page)
        placed += table_rows(page) - 1
        parts += 1
        flow = pieces[1] if len(pieces) > 1 else None
    assert placed == 1000
    assert max(made) <= 4 * 400 / 18 + 1  # no trial ever held more than a few pages of rows
    assert parts == -(-1000 // (400 // 18 - 1))


CELL_ATTRIBUTES = ("fontname", "fontsize", "leading", "alignment", "valign", "leftPadding", "rightPadding",
                   "topPadding", "bottomPadding", "color")


def test_row_styles_give_each_cell_and_row_what_reportlab_s_own_style_commands_give():
    """RowStyles works the cell styles out once and the row heights by reportlab's arithmetic: each page's table must
    hold what grid_table (every command applied to every cell, every row measured by reportlab) holds, a row of two
    lines and the total row included."""
    from calculator.statements.layout import SHADE, grid_style, grid_table, para, styles
    from calculator.statements.paged_table import RowStyles

    def header():
        return [[para("户号", styles(7)["center"]), para("金额（元）很长的表头会换行", styles(7)["center"])]]

    body = [["A-1", "应交 1,234.00"], ["B-2\n第二行", "应领 5.00"], ["合计", "应交 1,239.00"]]
    extra = [("FONTSIZE", (0, 1), (-1, -1), 7), ("LEFTPADDING", (0, 0), (-1, -1), 3),
             ("ALIGN", (0, 1), (0, -1), "CENTER")]
    total = [("SPAN", (0, -1), (0, -1)), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]
    widths = [60, 80]
    ours = RowStyles(header(), body[0], widths, grid_style(align_right_from=1, extra=extra)).table([*header(), *body],
                                                                                                   total)
    theirs = grid_table([*header(), *body], widths, align_right_from=1, extra=extra + total)
    for table in (ours, theirs):
        table.wrap(500, 500)
    assert ours._rowHeights == theirs._rowHeights
    assert ours._rowHeights[2] > ours._rowHeights[1]  # the row of two lines is taller

    def cells(table):
        return [[tuple(str(getattr(c, a)) for a in CELL_ATTRIBUTES) for c in row] for row in table._cellStyles]

    assert cells(ours) == cells(theirs)
    assert ours._bkgrndcmds == theirs._bkgrndcmds and ours._spanCmds == theirs._spanCmds


def test_row_styles_refuse_a_cell_command_for_some_body_rows_only():
    from calculator.statements.layout import grid_style
    from calculator.statements.paged_table import RowStyles

    with pytest.raises(ValueError, match="whole kinds of row"):
        RowStyles([["h"]], ["b"], [50], grid_style(extra=[("ALIGN", (0, 2), (0, 2), "RIGHT")]))


def test_notice_rows_are_built_from_its_columns(survey_run, tahe):
    notice = build_notice(survey_run.settlement, tahe, issued=ISSUED)
    assert notice.households == len(notice.rows) == survey_run.counts.computed
    assert len({len(row) for row in notice.rows}) == 1 and len(notice.rows[0]) == len(notice.columns)


def test_notice_xlsx_rows_hold_every_value_as_the_cell_by_cell_writer_did(survey_run, tahe):
    """Each household's cells: the number as a number, text as text (an apostrophe before a formula-like text),
    areas and money as numbers in the money format, an area that does not apply as empty text; every cell ruled."""
    import io as _io

    import openpyxl

    from calculator.batch.workbook import MONEY_FORMAT
    from calculator.statements.xlsx_notice import notice_workbook
    from calculator.wording import xlsx_signed_format

    notice = build_notice(survey_run.settlement, tahe, issued=ISSUED)
    notice.values["name"][0] = "=HYPERLINK(1)"  # as a masked name never is, but a household id may be
    sheet = openpyxl.load_workbook(_io.BytesIO(notice_workbook(notice))).worksheets[0]
    header_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "序号")
    assert [sheet.cell(header_row, c + 1).value for c in range(len(notice.columns))] == [c.header for c in notice.columns]
    blanks = 0
    for pos, expected in enumerate(notice.rows):
        for c, (col, value) in enumerate(zip(notice.columns, expected)):
            cell = sheet.cell(header_row + 1 + pos, c + 1)
            assert cell.border.left.style == "thin" and cell.font.name == "SimSun", cell.coordinate
            if col.key == "no":
                assert cell.value == int(value) and cell.number_format == "General"
            elif value is None or col.kind == "text":
                assert cell.value == ("" if value is None else value), cell.coordinate
                assert cell.quotePrefix == (value is not None and value.startswith("=")), cell.coordinate
                blanks += value is None
            else:
                shown = xlsx_signed_format() if col.kind == "money" else MONEY_FORMAT  # money says 应交 / 应领
                assert cell.value == float(value) and cell.number_format == shown, cell.coordinate
    assert blanks > 0  # the survey has cash households: their chosen and standard areas are empty text
    total = header_row + 1 + len(notice.rows)
    assert sheet.cell(total, 1).value == "合计"
    assert sheet.cell(total, len(notice.columns)).value == float(notice.totals[notice.columns[-1].key])
    assert sheet.auto_filter.ref == f"A{header_row}:R{total - 1}"
    assert sheet.cell(total + 2, 1).value == notice.footer_lines[0]
