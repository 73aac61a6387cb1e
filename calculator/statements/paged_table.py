"""A long table laid out a page at a time, so that its time is linear in its rows (the one reportlab adapter that
reaches under Table's public API).

reportlab splits a Table at a page end by building a new Table of every remaining row and measuring them all
again: a notice of n households cost time in n² (100,000 did not finish in 19 minutes). PagedTable hands
reportlab only a page-sized Table at a time (the header plus as many rows as can reach the page), and lets
reportlab's own split choose where the page ends, so the pages are those one big table would have had.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.tables import CellStyle

FIRST_GUESS = 64  # rows in the first trial table; doubled until a trial is taller than the space left


def table_rows(table: Table) -> int:
    """The rows a reportlab Table holds (reportlab keeps the count private, as _nrows)."""
    return table._nrows


def last_row_height(table: Table) -> float:
    """The height of a wrapped Table's last row (reportlab keeps the heights private, as _rowHeights)."""
    return table._rowHeights[-1]


# The style commands reportlab applies cell by cell (tables.py _setCellStyle); the others (lines, backgrounds, spans)
# it keeps as lists and applies while drawing.
CELL_COMMANDS = frozenset({"FONT", "FONTNAME", "FACE", "SIZE", "FONTSIZE", "LEADING", "TEXTCOLOR", "ALIGN", "ALIGNMENT",
                           "VALIGN", "LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING", "HREF", "DESTINATION",
                           "DIRECTION", "SHAPING"})


class RowStyles:
    """The cell styles of a long table's header and body rows, worked out once.

    reportlab applies every style command to every cell it covers, in each page's table anew (1.5 M calls for
    5,000 households). Here the cell commands are applied once, to a table of the header and one body row, and each
    page's cells take those styles: each cell its own instance (reportlab sets a cell's style in place), of a class
    that holds the worked-out values. So every cell command must cover whole kinds of row: header rows, or the body
    from its first row to the last (-1). Row heights likewise: the header's measured once, a row of text by
    reportlab's own arithmetic, instead of reportlab wrapping the header's paragraphs again in every trial table."""

    def __init__(self, header: list[list], body_row: list, widths: list[float], commands: list[tuple]):
        self.widths, self.repeat = widths, len(header)
        cell = [c for c in commands if c[0] in CELL_COMMANDS]
        for name, (_, first), (_, last), *_ in cell:
            if not (last < self.repeat or (first == self.repeat and last == -1)):
                raise ValueError(f"{name} from row {first} to {last} does not cover whole kinds of row")
        probe = Table([*header, body_row], colWidths=widths, repeatRows=self.repeat)
        probe.setStyle(TableStyle(cell))
        kinds = [[type("RowStyle", (CellStyle,), {k: v for k, v in vars(style).items() if k != "name"})
                  for style in row] for row in probe._cellStyles]
        self.header_kinds, self.body_kinds = kinds[:-1], kinds[-1]
        self.other = [c for c in commands if c[0] not in CELL_COMMANDS]
        probe.wrap(sum(widths), float("inf"))
        self.header_heights = probe._rowHeights[:self.repeat]  # its paragraphs, measured once
        self.one_line = self._text_height([""] * len(widths))

    def _text_height(self, row: list[str]) -> float:
        """A body row of text as reportlab's Table._calc_height measures it (the same arithmetic, so the same float):
        the tallest cell's lines times its leading, plus its padding."""
        height = 0
        for value, kind in zip(row, self.body_kinds):
            cell = (kind.leading or 1.2 * kind.fontsize) * len(value.split("\n"))
            cell += kind.bottomPadding + kind.topPadding
            height = max(height, cell)
        return height

    def _height(self, row: list) -> float | None:
        """A body row's height; None (reportlab measures it) for a row that holds more than text."""
        if not all(isinstance(value, str) for value in row):
            return None
        return self._text_height(row) if any("\n" in value for value in row) else self.one_line

    def table(self, rows: list[list], extra: list[tuple] = ()) -> Table:
        """A reportlab Table of `rows` (the header rows first) in these styles, and `extra` commands."""
        styles = [[kind("cell") for kind in row] for row in self.header_kinds]
        styles += [[kind("cell") for kind in self.body_kinds] for _ in range(len(rows) - self.repeat)]
        heights = [*self.header_heights, *(self._height(row) for row in rows[self.repeat:])]
        table = Table(rows, colWidths=self.widths, rowHeights=heights, repeatRows=self.repeat, cellStyles=styles)
        table.setStyle(TableStyle([*self.other, *extra]))
        return table


class PagedTable(Flowable):
    """`header` rows repeated on every page above the `body` rows from `start` on; `make(rows, last)` builds the
    reportlab Table of header + rows, `last` when those rows end the body (for styles of the closing row).

    A page is the trial table when all its rows fit and the next row would not: the test reportlab's own split
    makes (rows are placed while their heights add up to no more than the space). Otherwise reportlab splits
    the trial."""

    def __init__(self, header: Sequence[list], body: Sequence[list], make: Callable[[list, bool], Table],
                 start: int = 0, guess: int = FIRST_GUESS, hAlign: str | None = None):
        super().__init__()
        self.header, self.body, self.make, self.start, self.guess = list(header), body, make, start, guess
        self._trial: Table | None = None
        self._page: Table | None = None  # the trial, when it is exactly what fits in the space
        self._trial_rows, self._space = 0, None
        self.hAlign = hAlign or make(self.header, False).hAlign

    def _table(self, rows: int) -> Table:
        stop = min(self.start + rows, len(self.body))
        self._trial_rows = stop - self.start
        self._trial = self.make([*self.header, *self.body[self.start:stop]], stop == len(self.body))
        return self._trial

    def _row_height(self, row: int, availWidth, availHeight) -> float:
        table = self.make([*self.header, self.body[row]], row == len(self.body) - 1)
        table.wrap(availWidth, availHeight)
        return last_row_height(table)

    def wrap(self, availWidth, availHeight):
        self._space, self._page = (availWidth, availHeight), None
        while True:
            width, height = self._table(self.guess).wrap(availWidth, availHeight)
            following = self.start + self._trial_rows
            if height > availHeight or following >= len(self.body):
                self.width, self.height = width, height  # taller than the space (split), or the rest of the table
                return width, height
            next_height = self._row_height(following, availWidth, availHeight)
            if height + next_height > availHeight:
                self._page = self._trial  # every row fits, the next would not: split here, the table is taller
                self._page_height = height
                self.width, self.height = width, height + next_height
                return self.width, self.height
            self.guess += max(1, int((availHeight - height) // next_height))

    def split(self, availWidth, availHeight):
        if self._space != (availWidth, availHeight):
            self.wrap(availWidth, availHeight)
        if self._page is not None:
            placed, parts = self._trial_rows, [_Measured(self._page, self._space, self.width, self._page_height)]
        else:
            parts = self._trial.split(availWidth, availHeight)
            if not parts:
                return []
            placed = table_rows(parts[0]) - len(self.header)
        if self.start + placed >= len(self.body):
            return [parts[0]]
        # The next page likely holds as many rows as this one: then its first trial is its page.
        return [parts[0], PagedTable(self.header, self.body, self.make, self.start + placed, placed, self.hAlign)]

    def drawOn(self, canvas, x, y, _sW=0):
        self._trial.drawOn(canvas, x, y, _sW)


class _Measured(Flowable):
    """A table already wrapped in this very space: platypus wraps a page again before drawing it; the heights
    are not measured twice."""

    def __init__(self, table: Table, space: tuple, width: float, height: float):
        super().__init__()
        self.table, self.space, self.hAlign = table, space, table.hAlign
        self.width, self.height = width, height

    def wrap(self, availWidth, availHeight):
        if (availWidth, availHeight) != self.space:
            self.space = (availWidth, availHeight)
            self.width, self.height = self.table.wrap(availWidth, availHeight)
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):
        self.table.drawOn(canvas, x, y, _sW)
