"""The public notice as an A4 landscape PDF for the notice board (writes a Notice; computes nothing)."""
from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer

from ..fixed import MISSING
from ..policy import LoadedPolicy
from ..settlement import Settlement
from .fonts import cjk_font
from ..wording import signed_text, signed_texts
from .layout import (SHADE, TEXT_LABELS, Unprintable, amount_texts, build_pdf, grid_style, para, styles,
                     unprintable)
from .notice import Notice, build_notice
from .paged_table import PagedTable, RowStyles

PAGE_WIDTH = 267 * mm  # A4 landscape less the margins
PADDING = 6  # points of cell padding, left and right together
HEADER_MIN = 4  # a header may wrap, but each column keeps room for 4 characters of it
FONT_SIZES = (7, 6.5, 6, 5.5)  # the largest that fits the page is used
ORDINARY_TEXT = PAGE_WIDTH / 8  # about 17 Chinese characters at the smallest size: longer is not a real name or id


def _widest(columns: list[list[str]]) -> list[list[str]]:
    """Each column's widest values. A TrueType width is the sum of the glyphs' widths times the font size, so the
    values widest at one size are the widest at every size: each value is measured once, not once per size."""
    font, size = cjk_font().name, FONT_SIZES[0]
    out = []
    for values in columns:
        widths = {v: stringWidth(v, font, size) for v in set(values)}
        top = max(widths.values(), default=0)
        out.append([v for v, w in widths.items() if w == top])
    return out


def _needed(widest: list[list[str]], headers: list[str], size: float) -> list[float]:
    """Each column as wide as its widest value at font `size`."""
    font = cjk_font().name
    need = []
    for values, header in zip(widest, headers):
        width = max((stringWidth(v, font, size) for v in values), default=0)
        need.append(max(width, stringWidth(header[:HEADER_MIN], font, size)) + PADDING)
    return need


def _fit(widest: list[list[str]], headers: list[str]) -> tuple[float, list[float]]:
    """The largest font size whose columns fit the page, and the widths, spare width shared alike."""
    for size in FONT_SIZES:
        need = _needed(widest, headers, size)
        if sum(need) <= PAGE_WIDTH:
            break
    spare = (PAGE_WIDTH - sum(need)) / len(need)  # negative only past the smallest size: columns then clip
    return size, [w + spare for w in need]


def _columns(notice: Notice) -> list[list[str]]:
    """Each column's values as printed (an area that does not apply is blank)."""
    columns = []
    for c in notice.columns:
        values = notice.values[c.key]
        if c.kind == "text":
            columns.append(values)
            continue
        if c.kind == "area":  # a plain number of m²; blank where it does not apply
            texts = ["" if v == MISSING else t for v, t in zip(values.tolist(), amount_texts(values))]
        else:  # money says who pays: 应交 / 应领 with a positive amount
            texts = signed_texts(values, notice.lang)
        columns.append(texts)
    return columns


def _cells(notice: Notice) -> list[list[str]]:
    """Each household's row as printed."""
    return [list(row) for row in zip(*_columns(notice))]


def unprintable_rows(notice: Notice) -> list[int]:
    """Positions of the rows to leave out so the table fits the page: while some column would be squeezed below
    one character at the smallest font, the row holding the widest text goes, if that text is longer than any
    ordinary value (a name thousands of characters long); an ordinary row is never left out."""
    if not notice.households:
        return []
    headers = [c.header for c in notice.columns]
    size = FONT_SIZES[-1]
    need = _needed(_widest(_columns(notice)), headers, size)
    if min(need) + (PAGE_WIDTH - sum(need)) / len(need) >= PADDING + size:
        return []  # every column keeps room for a character: the usual case, without measuring each row
    cells, font = _cells(notice), cjk_font().name
    text_cols = {i for i, c in enumerate(notice.columns) if c.kind == "text"}
    widths = [[stringWidth(v, font, size) for v in row] for row in cells]
    widest = [max(w for i, w in enumerate(row) if i in text_cols) for row in widths]
    head = [stringWidth(h[:HEADER_MIN], font, size) for h in headers]
    keep, dropped = set(range(len(cells))), []
    while keep:
        need = [max(max(widths[r][c] for r in keep), head[c]) + PADDING for c in range(len(headers))]
        if min(need) + (PAGE_WIDTH - sum(need)) / len(need) >= PADDING + size:
            break
        worst = max(keep, key=widest.__getitem__)
        if widest[worst] <= ORDINARY_TEXT:
            break  # too many columns, not too long a text: the columns clip, as they always have
        keep.remove(worst)
        dropped.append(worst)
    return sorted(dropped)


def notice_document(notice: Notice) -> bytes:
    """The notice as PDF bytes: title block, the table (header repeated on every page), totals, seal line."""
    columns = _columns(notice)
    first_money = next(i for i, c in enumerate(notice.columns) if c.kind == "money")
    total = ["合计" if notice.lang == "zh" else "Total"] + [""] * (first_money - 1)
    total += [signed_text(notice.totals[c.key], notice.lang) for c in notice.columns[first_money:]]
    columns = [[*values, last] for values, last in zip(columns, total)]
    cells = [list(row) for row in zip(*columns)]
    headers = [c.header for c in notice.columns]
    size, widths = _fit(_widest(columns), headers)
    st = styles(size)
    big = styles(10)
    header = [para(h, st["center"]) for h in headers]
    extra = [("FONTSIZE", (0, 1), (-1, -1), size), ("LEFTPADDING", (0, 0), (-1, -1), PADDING / 2),
             ("RIGHTPADDING", (0, 0), (-1, -1), PADDING / 2), ("ALIGN", (0, 1), (0, -1), "CENTER")]
    area_cols = [i for i, c in enumerate(notice.columns) if c.kind == "area"]
    extra += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in area_cols]
    extra += [("ALIGN", (i, 1), (i, -1), "LEFT") for i, c in enumerate(notice.columns) if c.kind == "text" and i]
    total_row = [("SPAN", (0, -1), (first_money - 1, -1)), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]

    kinds = RowStyles([header], cells[0], widths, grid_style(align_right_from=first_money, extra=extra))

    def page_table(rows: list, last: bool):
        return kinds.table(rows, total_row if last else ())

    table = PagedTable([header], cells, page_table)  # the header repeats on every page, as before
    story = [para(notice.title, big["title"])]
    story += [para(line, big["small"]) for line in notice.header_lines]
    story += [Spacer(1, 2 * mm), table, Spacer(1, 3 * mm)]
    story += [para(line, big["base"]) for line in notice.footer_lines]
    footer = f"anzhi · {notice.policy_ref[:40]}"
    return build_pdf(story, title=notice.title, footer=footer, wide=True, lang=notice.lang)


def notice_pdf_checked(settlement: Settlement, loaded: LoadedPolicy, *, issued: dt.date | None = None,
                       rejected: int | None = None, lang: str = "zh") -> tuple[bytes, list]:
    """The notice PDF and the survey rows (index labels) left out because their text cannot fit the page; those
    rows count as rejected in the notice's header and are not in its totals."""
    notice = first = build_notice(settlement, loaded, issued=issued, rejected=rejected, lang=lang)
    dropped = unprintable_rows(notice)
    if dropped:
        keep = [pos for pos in range(len(settlement.results)) if pos not in set(dropped)]
        rest = Settlement(inputs=settlement.inputs.iloc[keep], results=settlement.results.iloc[keep],
                          warnings=[settlement.warnings[i] for i in keep], errors=settlement.errors)
        already = len(settlement.rejected_index) if rejected is None else rejected
        notice = build_notice(rest, loaded, issued=issued, rejected=already + len(dropped), lang=lang)
    return notice_document(notice), [_why(settlement, pos, first) for pos in dropped]


def _why(settlement: Settlement, pos: int, notice: Notice) -> Unprintable:
    """The row's longest text (as masked: the masks keep the length) names what did not fit."""
    texts = {c.key: (c.header, notice.values[c.key][pos]) for c in notice.columns
             if c.kind == "text" and notice.values[c.key][pos]}
    key = max(texts, key=lambda k: len(texts[k][1]))
    header, value = texts[key]
    label = TEXT_LABELS.get(key, (header, header))
    return unprintable(settlement.inputs.index[pos], key, label, len(value), ("公示表", "notice"))


def notice_pdf(settlement: Settlement, loaded: LoadedPolicy, *, issued: dt.date | None = None,
               rejected: int | None = None, lang: str = "zh") -> bytes:
    """The public notice of a settled batch as PDF bytes (names and ID numbers masked; rows too long to print
    are left out and counted as rejected)."""
    return notice_pdf_checked(settlement, loaded, issued=issued, rejected=rejected, lang=lang)[0]
