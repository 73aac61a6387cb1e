"""The PDF page shared by statements and notices: A4, the embedded CJK font, styles, and a numbered footer."""
from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from xml.sax.saxutils import escape

from .fonts import cjk_font

# Page streams compressed only, not also written out in ASCII85 (reportlab's default, for 7-bit channels): a PDF is
# a binary file everywhere it goes now, and its pages are a fifth smaller.
rl_config.useA85 = 0

TEXT_LABELS = {"household_id": ("户号", "household id"), "name": ("户主姓名", "name"),
               "id_number": ("身份证号", "ID number"), "address": ("房屋坐落", "address")}


@dataclass(frozen=True)
class Unprintable:
    """A survey row whose text cannot be laid out on the page (a name thousands of characters long): rejected."""

    row: object  # the survey row, as the batch numbers it
    field: str
    message_zh: str
    message_en: str

    def bilingual(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def unprintable(row, field: str, label: tuple[str, str], length: int, document: tuple[str, str]) -> Unprintable:
    return Unprintable(row, field, f"{label[0]}过长（{length} 个字符），{document[0]}排不下，此户未列入",
                       f"the {label[1]} is too long ({length} characters) to fit on the {document[1]}; this row is left out")


GRID = colors.HexColor("#7a7a7a")
SHADE = colors.HexColor("#eeeeee")
MARGIN = 15 * mm


def styles(size: float = 9.5) -> Mapping[str, ParagraphStyle]:
    """Paragraph styles in the embedded font; wordWrap CJK breaks Chinese lines between any two characters. Made
    once per size and font and shared (read-only), so that a paragraph's parsed text can be reused (`para`)."""
    return _styles(size, cjk_font().name)


@lru_cache(maxsize=16)
def _styles(size: float, font: str) -> Mapping[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=size, leading=size * 1.28, wordWrap="CJK")
    tiny = ParagraphStyle("tiny", parent=base, fontSize=size - 2.5, leading=(size - 2.5) * 1.3,
                          textColor=colors.HexColor("#444444"))
    return MappingProxyType({
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=size - 1.5, leading=(size - 1.5) * 1.3,
                                textColor=colors.HexColor("#333333")),
        "tiny": tiny,
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontSize=size + 8.5, leading=(size + 8.5) * 1.3,
                                alignment=TA_CENTER, spaceAfter=1 * mm),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=size + 0.5, alignment=TA_CENTER),
        "section": ParagraphStyle("section", parent=base, fontSize=size + 1.5, leading=(size + 1.5) * 1.3,
                                  spaceBefore=1.8 * mm, spaceAfter=0.8 * mm),
        # A formula wraps only at its spaces, never inside a number ("2,000.05" stays whole).
        "formula": ParagraphStyle("formula", parent=base, wordWrap=None, leading=size * 1.15),
        "clause": ParagraphStyle("clause", parent=tiny, leading=tiny.fontSize * 1.15),
    })


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: a name with '<' or '&' must print as typed)."""
    markup = escape(str(text)).replace("\n", "<br/>")
    return Paragraph(markup, style, frags=_parsed(markup, style))


@lru_cache(maxsize=4096)
def _parsed(markup: str, style: ParagraphStyle) -> list:
    """reportlab's parse of a paragraph's markup (its fragments), made once per text and style: most of a statement's
    paragraphs are the same labels in every statement. The fragments are read, not changed, by layout and drawing."""
    return Paragraph(markup, style).frags


def amount_text(value: Decimal) -> str:
    """13500 -> '13,500.00'; negatives with an ASCII minus, which every CJK font can draw."""
    return f"{Decimal(value):,.2f}"


def amount_texts(hundredths) -> list[str]:
    """amount_text over a whole column of int64 hundredths (1350000 -> '13,500.00'), by integer arithmetic:
    the same text without a Decimal per cell."""
    out = []
    for cents in hundredths.tolist():
        whole, fen = divmod(abs(cents), 100)
        out.append(f"{'-' if cents < 0 else ''}{whole:,}.{fen:02d}")
    return out


def grid_style(*, header_rows: int = 1, align_right_from: int | None = None, extra=()) -> list[tuple]:
    """The style commands of a ruled table with a shaded header; numbers right-aligned from column
    `align_right_from` on."""
    style = [
        ("FONTNAME", (0, 0), (-1, -1), cjk_font().name),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    if align_right_from is not None:
        style.append(("ALIGN", (align_right_from, header_rows), (-1, -1), "RIGHT"))
    return style + list(extra)


def grid_table(rows, widths, *, header_rows: int = 1, align_right_from: int | None = None, extra=()) -> Table:
    """A ruled table with a shaded header; numbers right-aligned from column `align_right_from` on."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle(grid_style(header_rows=header_rows, align_right_from=align_right_from, extra=extra)))
    return table


PAGE_OF = {"zh": "第 {n} 页 / 共 {total} 页", "en": "Page {n} of {total}"}


def numbered_canvas(footer_left: str, lang: str = "zh", seed: str = ""):
    """A canvas class that prints `footer_left` and 第 n 页 / 共 N 页 on every page (two passes for N); the
    characters of `seed` (a text the document draws) get the font's first codes (rl_adapter.seed_codes)."""
    font = cjk_font().name

    class FooterCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []
            if seed:
                from reportlab.pdfbase import pdfmetrics

                from .rl_adapter import seed_codes

                seed_codes(self, pdfmetrics.getFont(font), seed)

        def showPage(self):
            # Held until the page count is known: the page's operators as one text (reportlab joins them with
            # newlines when it makes the page: the same stream), not thousands of small strings.
            self._pages.append({**self.__dict__, "_code": ["\n".join(self._code)]})
            self._startPage()

        def save(self):
            total = len(self._pages)
            self._pages.reverse()
            while self._pages:  # each page's held state is let go once reportlab has made the page
                state = self._pages.pop()
                self.__dict__.update(state)
                width, _ = self._pagesize
                self.setFont(font, 7)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawString(MARGIN, 8 * mm, footer_left)
                self.drawRightString(width - MARGIN, 8 * mm, PAGE_OF[lang].format(n=self._pageNumber, total=total))
                super().showPage()
            super().save()

    return FooterCanvas


def build_pdf(story: list, *, title: str, footer: str, wide: bool = False, lang: str = "zh", seed: str = "") -> bytes:
    """Lay out `story` on A4 (landscape when `wide`) and return the PDF bytes; `seed`: see numbered_canvas."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A4) if wide else A4, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=12 * mm, bottomMargin=15 * mm, title=title, author="anzhi", creator="anzhi (安置)", lang="zh-CN",
        initialFontName=cjk_font().name,  # else every page names Helvetica, a font that is not embedded
    )
    doc.build(story, canvasmaker=numbered_canvas(footer, lang, seed))
    return out.getvalue()
