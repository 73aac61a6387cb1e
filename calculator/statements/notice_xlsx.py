"""The public notice as an xlsx workbook, ready to print on A4 landscape (writes a Notice; computes nothing)."""
from __future__ import annotations

import datetime as dt
import io

import numpy as np
import xlsxwriter

from ..batch.sheetxml import Styles, column_letter, rows_xml, splice, xf_index
from ..batch.table import Column as TableColumn
from ..fixed import MISSING
from ..policy import LoadedPolicy
from ..settlement import Settlement
from ..wording import xlsx_signed_format
from .notice import Notice, build_notice

WIDTHS = {"no": 5, "household_id": 11, "name": 9, "id_number": 21, "option": 9, "low_income": 6}


def _table_columns(notice: Notice) -> list[TableColumn]:
    """The households' rows as whole typed columns: the number as a number (the clerk can sort back by it), text,
    areas and money as hundredths (an area that does not apply: a blank cell)."""
    out = []
    for col in notice.columns:
        values = notice.values[col.key]
        if col.key == "no":
            out.append(TableColumn(col.key, col.header, col.header, "int", np.arange(1, len(values) + 1)))
        elif col.kind == "text":
            out.append(TableColumn(col.key, col.header, col.header, "text", np.array(values, dtype=object)))
        else:
            out.append(TableColumn(col.key, col.header, col.header, col.kind, values, values != MISSING))
    return out


def notice_workbook(notice: Notice) -> bytes:
    """The notice as xlsx bytes: a title block, one row per household, a total row, and the office's seal line.

    xlsxwriter writes the lines, the header and the total row; the households' rows are made column-wise
    (batch.sheetxml, as the result workbook's) and spliced in above the total row."""
    staging = io.BytesIO()
    book = xlsxwriter.Workbook(staging, {"in_memory": True})
    book.set_properties({"title": notice.title, "author": "anzhi", "comments": notice.policy_ref})
    base = {"font_name": "SimSun", "font_size": 10, "valign": "vcenter"}
    money = xlsx_signed_format(notice.lang)  # 应交 / 应领 with a positive amount; the cell stays a number
    fmt = {
        "title": book.add_format({**base, "bold": True, "font_size": 16, "align": "center"}),
        "line": book.add_format(base),
        "head": book.add_format({**base, "bold": True, "border": 1, "bg_color": "#EEEEEE", "text_wrap": True,
                                 "align": "center"}),
        "text": book.add_format({**base, "border": 1}),
        "quoted": book.add_format({**base, "border": 1, "quote_prefix": True}),  # shown as text, never run as a formula
        "number": book.add_format({**base, "border": 1, "num_format": money}),
        "total_label": book.add_format({**base, "border": 1, "bold": True, "bg_color": "#EEEEEE"}),
        "total": book.add_format({**base, "border": 1, "bold": True, "bg_color": "#EEEEEE", "num_format": money}),
    }
    sheet = book.add_worksheet("公示表" if notice.lang == "zh" else "notice")
    last = len(notice.columns) - 1
    _merged_line(sheet, 0, last, notice.title, fmt["title"])
    sheet.set_row(0, 28)
    for i, line in enumerate(notice.header_lines, 1):
        _merged_line(sheet, i, last, line, fmt["line"])
    head_row = len(notice.header_lines) + 2
    for c, col in enumerate(notice.columns):
        sheet.write_string(head_row, c, col.header, fmt["head"])
        sheet.set_column(c, c, WIDTHS.get(col.key, 12))
    sheet.set_row(head_row, 30)
    styles = Styles(money=xf_index(fmt["number"]), date=xf_index(fmt["text"]), int=xf_index(fmt["text"]),
                    text=xf_index(fmt["text"]), quoted=xf_index(fmt["quoted"]), blank=xf_index(fmt["text"]),
                    signed=xf_index(fmt["number"]))
    total_row = head_row + 1 + notice.households
    first_money = next(c for c, col in enumerate(notice.columns) if col.kind == "money")
    sheet.merge_range(total_row, 0, total_row, first_money - 1, "合计" if notice.lang == "zh" else "Total",
                      fmt["total_label"])
    for c, col in enumerate(notice.columns):
        if col.kind == "money":
            sheet.write_number(total_row, c, float(notice.totals[col.key]), fmt["total"])
    for i, line in enumerate(notice.footer_lines, total_row + 2):
        _merged_line(sheet, i, last, line, fmt["line"])
    sheet.freeze_panes(head_row + 1, 4)
    sheet.autofilter(head_row, 0, total_row - 1, last)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(head_row)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&L" + notice.policy_ref[:60] + "&R第 &P 页 / 共 &N 页" if notice.lang == "zh"
                     else "&L" + notice.policy_ref[:60] + "&RPage &P of &N")
    book.close()
    name = "xl/worksheets/sheet1.xml"
    dimension = f"A1:{column_letter(last)}{total_row + 1 + len(notice.footer_lines) + 1}"
    rows = rows_xml(_table_columns(notice), head_row + 2, styles)  # 1-based: the row below the header
    out = io.BytesIO()
    splice(staging.getvalue(), {name: (rows, dimension)}, out, before_row={name: total_row + 1})
    return out.getvalue()


def _merged_line(sheet, row: int, last: int, text: str, cell_format) -> None:
    """A line across the table, always as text (merge_range would run a line starting with = as a formula)."""
    sheet.merge_range(row, 0, row, last, "", cell_format)
    sheet.write_string(row, 0, text, cell_format)


def notice_xlsx(settlement: Settlement, loaded: LoadedPolicy, *, issued: dt.date | None = None,
                rejected: int | None = None, lang: str = "zh") -> bytes:
    """The public notice of a settled batch as xlsx bytes (names and ID numbers masked)."""
    return notice_workbook(build_notice(settlement, loaded, issued=issued, rejected=rejected, lang=lang))
