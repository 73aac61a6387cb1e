"""The statement's paragraphs and ruled tables as flowables that measure once and draw as PDF operators.

`Text` is a reportlab Paragraph of plain text in one style, and `Grid` a reportlab Table of such paragraphs and
strings, laid out the same: the same lines (reportlab breaks them, once per text, style and width), the same row
heights, paddings and positions (tables.py's _calc_height and _drawCell), drawn as a few text and path operators
instead of reportlab's text object and cell by cell machinery (most of a statement's time). Platypus still flows
them onto pages (frames, KeepTogether, page breaks); the rare split across a page is the Paragraph's or the Table's
own, on the same content.
"""
from __future__ import annotations

from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Table, TableStyle

from .layout import grid_style, para
from .rl_adapter import codes, keep_bounded, paragraph_lines, text_operators

LINES_KEPT = 8192  # (text, style, width) -> lines, per process: most of a statement's texts are the same labels


@lru_cache(maxsize=LINES_KEPT)
def lines_of(text: str, style, width: float) -> tuple[tuple[str, float], ...]:
    """The lines of `text` in `style` at `width`: (text, space left), as reportlab's Paragraph breaks them. A text
    that fits on one line as it is (no newline, no run of spaces to collapse) is measured without the Paragraph."""
    if text and "\n" not in text and " ".join(text.split()) == text:
        used = pdfmetrics.stringWidth(text, style.fontName, style.fontSize)
        if used <= width - 0.01:
            return ((text, width - used),)
    return paragraph_lines(para(text, style), width)


@lru_cache(maxsize=64)
def _fill(color) -> str:
    return f"{fp_str(color.red, color.green, color.blue)} rg"


class Text(Flowable):
    """A paragraph of plain text in one style (what layout.para makes), drawn line by line as text operators."""

    def __init__(self, text, style):
        super().__init__()
        if style.alignment not in (TA_LEFT, TA_CENTER, TA_RIGHT) or style.leftIndent or style.rightIndent:
            raise ValueError(f"Text draws left, centred or right-aligned lines without indents, not {style.name}")
        self.text = str(text)
        self.style = style
        self.lines: tuple[tuple[str, float], ...] = ()

    def wrap(self, availWidth, availHeight):
        self.lines = lines_of(self.text, self.style, availWidth)
        self.width, self.height = availWidth, len(self.lines) * self.style.leading
        return self.width, self.height

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter

    def split(self, availWidth, availHeight):  # across a page: reportlab's own paragraph, the same text and style
        return para(self.text, self.style).split(availWidth, availHeight)

    def drawOn(self, canvas, x, y, _sW=0):
        canvas.addLiteral(self.operators(canvas, x, y))

    def operators(self, canvas, x, y) -> str:
        """The paragraph's lines as PDF operators, its bottom left corner at (x, y)."""
        style = self.style
        if not self.lines:
            return ""
        font = pdfmetrics.getFont(style.fontName)
        size, leading, align = style.fontSize, style.leading, style.alignment
        base = y + self.height - size  # rl_config.paraFontSizeHeightOffset: the first baseline a font size down
        ops = ["q", _fill(style.textColor)]
        for i, (line, left) in enumerate(self.lines):
            dx = left if align == TA_RIGHT else left / 2 if align == TA_CENTER else 0
            ops.append(text_operators(canvas, font, size, x + dx, base - i * leading, line))
        ops.append("Q")
        return "\n".join(ops)


class _Cell:
    """A cell's style as a reportlab Table resolves it (tables.py CellStyle and the commands applied in order)."""

    __slots__ = ("fontname", "fontsize", "leading", "align", "valign", "left", "right", "top", "bottom")

    def __init__(self, fontname):
        self.fontname, self.fontsize, self.leading = fontname, 10, 12
        self.align, self.valign = "LEFT", "BOTTOM"
        self.left = self.right = 6
        self.top = self.bottom = 3


_CELL_OPS = {"FONTNAME": "fontname", "FONTSIZE": "fontsize", "LEADING": "leading", "ALIGN": "align",
             "VALIGN": "valign", "LEFTPADDING": "left", "RIGHTPADDING": "right", "TOPPADDING": "top",
             "BOTTOMPADDING": "bottom"}


DRAWN_KEPT = 16  # tables drawn again from their operators, per process (a glossary per policy and language)
_DRAWN: dict[tuple, str] = {}
_CHARS: dict[object, str] = {}  # replay key -> the table's characters


def _texts(cell) -> list[str]:
    if isinstance(cell, Text):
        return [cell.text]
    if isinstance(cell, (list, tuple)):
        return [t for part in cell for t in _texts(part)]
    return [str(cell)]


def _range(start, end, n_cols: int, n_rows: int) -> tuple[int, int, int, int]:
    """A style command's cells as (first column, first row, last column, last row), negatives counted from the end."""
    (c0, r0), (c1, r1) = start, end
    return c0 % n_cols, r0 % n_rows, c1 % n_cols, r1 % n_rows


class Grid(Flowable):
    """A table of fixed column widths whose cells are Texts (one or a list) or strings, styled by the Table style
    commands the statement uses (FONTNAME, FONTSIZE, ALIGN, VALIGN, paddings, BACKGROUND, GRID, one-row SPAN)."""

    def __init__(self, rows, widths, commands, *, row_heights=None, repeat_rows=0, replay=None):
        super().__init__()
        self.rows, self.widths, self.commands = rows, list(widths), list(commands)
        self.row_heights, self.repeat_rows = row_heights, repeat_rows
        self.replay = replay  # a key naming this table's content: drawn again from the operators kept (see drawOn)
        self.hAlign = "CENTER"  # as a Table
        n_rows, n_cols = len(rows), len(self.widths)
        self.cells = [[_Cell("Helvetica") for _ in range(n_cols)] for _ in range(n_rows)]
        self.backgrounds, self.rules, self.spans, self.hidden = [], [], {}, set()
        for op, start, end, *values in self.commands:
            c0, r0, c1, r1 = _range(start, end, n_cols, n_rows)
            if op in _CELL_OPS:
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        setattr(self.cells[r][c], _CELL_OPS[op], values[0])
            elif op == "BACKGROUND":
                self.backgrounds.append((c0, r0, c1, r1, values[0]))
            elif op == "GRID":
                self.rules.append((c0, r0, c1, r1, values[0], values[1]))
            elif op == "SPAN" and r0 == r1:
                self.spans[c0, r0] = c1
                self.hidden |= {(c, r0) for c in range(c0 + 1, c1 + 1)}
            else:
                raise ValueError(f"Grid does not draw {op} {start} {end}")
        self.x = [0.0]
        for w in self.widths:
            self.x.append(self.x[-1] + w)

    def _width(self, c: int, r: int) -> float:
        return self.x[self.spans.get((c, r), c) + 1] - self.x[c]

    def wrap(self, availWidth, availHeight):
        heights, self.geometry = [], {}
        for r, row in enumerate(self.rows):
            tallest = 0
            for c, value in enumerate(row):
                s = self.cells[r][c]
                if isinstance(value, (Flowable, list, tuple)):
                    if (c, r) in self.hidden:  # under a span: not measured (a string there is, as tables.py does)
                        continue
                    parts = [value] if isinstance(value, Flowable) else list(value)
                    inner = self._width(c, r) - s.left - s.right
                    sizes = [p.wrap(inner, 72000)[1] for p in parts]
                    t = sum(h + p.getSpaceBefore() + p.getSpaceAfter() for p, h in zip(parts, sizes))
                    t -= parts[0].getSpaceBefore() + parts[-1].getSpaceAfter() if parts else 0
                    self.geometry[c, r] = (parts, sizes, t)
                else:
                    t = s.leading * len(str(value).split("\n"))
                tallest = max(tallest, t + s.top + s.bottom)
            heights.append(tallest)
        self.heights = list(self.row_heights) if self.row_heights else heights
        self.y = [sum(self.heights)]  # the top of each row, then the bottom of the last
        for h in self.heights:
            self.y.append(self.y[-1] - h)
        self.width, self.height = self.x[-1], self.y[0]
        return self.width, self.height

    def split(self, availWidth, availHeight):  # across a page: reportlab's own Table, the same cells and style
        table = Table(self.rows, colWidths=self.widths, rowHeights=self.row_heights, repeatRows=self.repeat_rows)
        table.setStyle(TableStyle(self.commands))
        return table.split(availWidth, availHeight)

    def drawOn(self, canvas, x, y, _sW=0):
        x = self._hAlignAdjust(x, _sW)
        if self.replay is None:
            return canvas.addLiteral(self.operators(canvas, x, y))
        # The same table (the glossary of a policy in a language) at the same place, its characters with the same
        # codes in this document (rl_adapter.seed_codes gives them first): the same operators, kept from the first.
        chars = _CHARS.get(self.replay)
        if chars is None:
            chars = keep_bounded(_CHARS, self.replay, "".join(dict.fromkeys("".join(
                t for row in self.rows for cell in row for t in _texts(cell)))), DRAWN_KEPT)
        key = (self.replay, fp_str(x, y), *codes(canvas, pdfmetrics.getFont(self.cells[0][0].fontname), chars))
        ops = _DRAWN.get(key)
        if ops is None:
            ops = self.operators(canvas, x, y)
            if None not in key:  # every character already has its code: the next document draws the same
                keep_bounded(_DRAWN, key, ops, DRAWN_KEPT)
        canvas.addLiteral(ops)

    def operators(self, canvas, x, y) -> str:
        """The table as PDF operators, its bottom left corner at (x, y)."""
        X, Y = [x + v for v in self.x], [y + v for v in self.y]
        ops = ["q"]  # as Table.draw: the backgrounds, then the cells row by row, then the rules
        for c0, r0, c1, r1, color in self.backgrounds:
            ops.append(f"{_fill(color)} n {fp_str(X[c0], Y[r1 + 1], X[c1 + 1] - X[c0], Y[r0] - Y[r1 + 1])} re f")
        for r, row in enumerate(self.rows):
            for c, value in enumerate(row):
                if (c, r) in self.hidden:
                    continue
                cell = (self.cells[r][c], X[c], Y[r + 1], self._width(c, r), self.heights[r])
                if (c, r) in self.geometry:
                    self._draw_parts(canvas, ops, *self.geometry[c, r], *cell)
                else:
                    self._draw_string(canvas, ops, str(value), *cell)
        for c0, r0, c1, r1, weight, color in self.rules:
            ops.append(f"1 J 1 j {fp_str(weight)} w {fp_str(color.red, color.green, color.blue)} RG n")
            for r in range(r0, r1 + 2):  # every row boundary (a span is of one row: no boundary inside it)
                ops.append(f"{fp_str(X[c0], Y[r])} m {fp_str(X[c1 + 1], Y[r])} l")
            for c in range(c0, c1 + 2):  # every column boundary, one line down each run of rows it divides
                top = None  # (a span is of one row: the boundary inside it breaks the run there)
                for r in range(r0, r1 + 2):
                    divides = r <= r1 and (c in (c0, c1 + 1) or (c, r) not in self.hidden)
                    if divides and top is None:
                        top = r
                    elif not divides and top is not None:
                        ops.append(f"{fp_str(X[c], Y[top])} m {fp_str(X[c], Y[r])} l")
                        top = None
            ops.append("S")
        ops.append("Q")
        return "\n".join(ops)

    @staticmethod
    def _draw_parts(canvas, ops, parts, sizes, t, s: _Cell, x, y, width, height):
        """tables.py _drawCell for a list of flowables: placed by VALIGN, each at the cell's left padding (a Text
        is as wide as the cell, so ALIGN does not move it)."""
        if not parts:
            return
        if s.valign == "TOP":
            top = y + height - s.top
        elif s.valign == "BOTTOM":
            top = y + s.bottom + t
        else:
            top = y + (height + s.bottom - s.top + t) / 2
        top += parts[0].getSpaceBefore()
        for part, h in zip(parts, sizes):
            top -= part.getSpaceBefore() + h
            ops.append(part.operators(canvas, x + s.left, top))
            top -= part.getSpaceAfter()

    @staticmethod
    def _draw_string(canvas, ops, value: str, s: _Cell, x, y, width, height):
        """tables.py _drawCell for a string: its lines at the cell's font and size, in black, placed by VALIGN."""
        lines = value.split("\n")
        if s.valign == "BOTTOM":
            base = y + s.bottom + len(lines) * s.leading - s.fontsize
        elif s.valign == "TOP":
            base = y + height - s.top - s.fontsize
        else:
            base = y + (s.bottom + height - s.top + len(lines) * s.leading) / 2 - s.fontsize
        font = pdfmetrics.getFont(s.fontname)
        for line in lines:
            if line:
                used = font.stringWidth(line, s.fontsize)
                if s.align == "RIGHT":
                    at = x + width - s.right - used
                elif s.align in ("CENTER", "CENTRE"):
                    at = x + (width + s.left - s.right) / 2 - used / 2
                else:
                    at = x + s.left
                ops.append(f"0 0 0 rg {text_operators(canvas, font, s.fontsize, at, base, line)}")
            base -= s.leading


def ruled(rows, widths, *, header_rows: int = 1, align_right_from: int | None = None, extra=(), replay=None) -> Grid:
    """layout.grid_table as a Grid: a ruled table with a shaded header; numbers right-aligned from column
    `align_right_from` on. `replay`: a key that names the table's content (Grid.drawOn)."""
    return Grid(rows, widths, grid_style(header_rows=header_rows, align_right_from=align_right_from, extra=extra),
                repeat_rows=header_rows, replay=replay)
