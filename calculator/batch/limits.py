"""Survey size limits, and a check of an xlsx's zip (sizes, sheet extents, visibility) before the reader sees it."""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from .errors import SurveyFileError

# The reader (calamine) allocates the whole used range of a sheet, empty cells included, before we see a row:
# one stray cell at XFD1048576 asks for 549 GB. So the extent is checked from the zip first, against limits a
# real survey stays far below. At the cell limit, a stray cell at Z1048576, the read costs 14 s and 1.8 GB.
MAX_ROWS = 1_048_576  # Excel's own last row
MAX_COLUMNS = 200  # a survey has 10-40 columns
MAX_CELLS = MAX_ROWS * 26  # rows × columns of the used range: A:Z full height, or 136,314 rows × 200 columns
MAX_PART_BYTES = 1 << 30  # one uncompressed part of the workbook (a sheet's XML, the shared strings)
MAX_TOTAL_BYTES = 2 << 30  # all parts together, uncompressed
MAX_RATIO = 100  # uncompressed / compressed for a part over RATIO_FLOOR; real sheet XML packs 5-30 times
RATIO_FLOOR = 1 << 20
SCAN_CHUNK = 1 << 22  # the sheet XML is scanned in pieces of 4 MB: memory stays bounded whatever its size

_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]{1,9})"')
_ONE_LETTER = re.compile(rb'r="[A-Z][0-9]')
_NO_REF = re.compile(rb'<c[\s/>](?!\s*r=")')  # a cell without r (or not first): the reader places it by position
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")


@dataclass(frozen=True)
class SheetInfo:
    """A worksheet as the zip declares it: its name, whether the clerk can see it, and its part in the zip."""

    name: str
    visible: bool
    part: str | None


def column_number(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27, 'XFD' -> 16384."""
    n = 0
    for ch in letters.encode("ascii") if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


def column_letters(number: int) -> str:
    out = ""
    while number:
        number, rem = divmod(number - 1, 26)
        out = chr(65 + rem) + out
    return out


def _limit_error(sheet: str, zh: str, en: str) -> SurveyFileError:
    return SurveyFileError(f"工作表“{sheet}”{zh}，超出入户调查表的上限；请删除多余的行列（或表外的零散内容）后重试",
                           f"sheet '{sheet}' {en}, beyond the survey limits; delete the extra rows and columns "
                           f"(or stray cells outside the table) and try again")


def check_extent(sheet: str, rows: int, columns: int) -> None:
    """Refuse a used range of more rows, columns or cells than a survey can have (naming the limit)."""
    if rows > MAX_ROWS:
        raise _limit_error(sheet, f"已用区域达到第 {rows:,} 行（上限 {MAX_ROWS:,} 行）",
                           f"uses {rows:,} rows (at most {MAX_ROWS:,})")
    if columns > MAX_COLUMNS:
        raise _limit_error(sheet, f"已用区域达到第 {columns:,} 列（{column_letters(columns)} 列；上限 {MAX_COLUMNS} 列，"
                                  f"即 {column_letters(MAX_COLUMNS)} 列）",
                           f"uses {columns:,} columns (column {column_letters(columns)}; at most {MAX_COLUMNS}, "
                           f"column {column_letters(MAX_COLUMNS)})")
    if rows * columns > MAX_CELLS:
        raise _limit_error(sheet, f"已用区域为 {rows:,} 行 × {columns} 列 = {rows * columns:,} 个单元格"
                                  f"（上限 {MAX_CELLS:,} 个）",
                           f"uses {rows:,} rows × {columns} columns = {rows * columns:,} cells "
                           f"(at most {MAX_CELLS:,})")


def _attrs(raw: bytes) -> dict[str, str]:
    """An element's attributes by local name (r:id -> id), XML entities left as written."""
    return {k.split(b":")[-1].decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(raw)}


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _sheets(zf: zipfile.ZipFile, names: set[str]) -> list[SheetInfo]:
    """The workbook's worksheets in order, each with its visibility and the zip part holding its XML."""
    if "xl/workbook.xml" not in names:
        return []
    book = _read_small(zf, "xl/workbook.xml")
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for raw in _REL.findall(_read_small(zf, "xl/_rels/workbook.xml.rels")):
            a = _attrs(raw)
            target = a.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[a.get("Id", "")] = path
    out = []
    for raw in _SHEET.findall(book):
        a = _attrs(raw)
        out.append(SheetInfo(name=_unescape(a.get("name", "")), visible=a.get("state", "visible") == "visible",
                             part=targets.get(a.get("id", ""))))
    return out


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    with zf.open(name) as f:
        return f.read(MAX_PART_BYTES)


def _scan_extent(zf: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(last row, last column) the sheet's cells actually reach, from its XML read once in bounded pieces. The
    declared <dimension> is not trusted (it may lie either way) nor needed: the reader sizes its grid from the
    cells, so a sheet declaring A1:XFD1048576 around three cells reads fine."""
    extent = _Extent()
    tail = b""
    with zf.open(part) as f:
        while True:
            chunk = f.read(SCAN_CHUNK)
            data = tail + chunk
            # Every tag before the last '<' is complete; the last one may go on in the next piece.
            cut = data.rfind(b"<") if chunk else len(data)
            cut = len(data) if cut < 0 or len(data) - cut > (1 << 20) else cut
            extent.add(data[:cut])
            tail = data[cut:]
            if not chunk:
                break
    return extent.extent


class _Extent:
    """The last row and column of a sheet's XML, piece by piece, with one regex pass and no match per cell in a
    survey of columns A-Z: rows come in order, so only a reference with more digits than the piece's last row can
    reach further (or one with as many, where that many could pass a limit)."""

    def __init__(self):
        self.last_row = self.last_col = self.positional_rows = self.positional_col = 0

    def add(self, body: bytes) -> None:
        at = body.rfind(b"<row")
        m = _ROW_REF.match(body, at) if at >= 0 else None
        last = int(m.group(1)) if m else 0
        self.last_row = max(self.last_row, last)
        digits = len(str(last))
        # r="AB12" (two letters or more) or r="A1234567" (more digits than the last row): few or none in a survey.
        found = re.findall(rb'r="(?:([A-Z]{2,4})([0-9]{1,9})|[A-Z]?([0-9]{%d,9}))"' % (digits + 1), body)
        if found:
            columns, rows, long_rows = zip(*found)
            self.last_col = max(self.last_col, *map(column_number, set(columns) - {b""}), 0)
            self._rows([r for r in {*rows, *long_rows} if r])
        if self.last_col < 26 and _ONE_LETTER.search(body):
            self.last_col = 26  # at most Z: which letter matters to no limit (MAX_CELLS allows A:Z full height)
        if min(10 ** digits - 1, MAX_ROWS + 1) * MAX_COLUMNS > MAX_CELLS:
            self._rows(re.findall(rb'r="[A-Z]{0,4}([0-9]{%d})"' % digits, body))
        if _NO_REF.search(body):
            self._positional(body)

    def _positional(self, body: bytes) -> None:
        """Cells and rows without r take the next position: a row reaches at most as far as the last referenced
        column plus its cells, the rows at most as far as the last referenced row plus the rows without r. An
        upper bound, counted row by row, only for a piece that has such cells (no writer we know omits r)."""
        for segment in body.split(b"<row")[1:]:
            self.positional_col = max(self.positional_col, segment.count(b"<c") - segment.count(b"<col"))
            if b' r="' not in segment[:segment.find(b">")]:
                self.positional_rows += 1

    @property
    def extent(self) -> tuple[int, int]:
        return self.last_row + self.positional_rows, self.last_col + self.positional_col

    def _rows(self, found: list[bytes]) -> None:
        if found:
            self.last_row = max(self.last_row, max(map(int, set(found))))



def inspect_xlsx(data: bytes) -> list[SheetInfo]:
    """Refuse (SurveyFileError) a workbook whose parts or sheets pass the survey limits; return its worksheets.
    An ods or a zip we cannot read as xlsx is left to the reader to judge."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return []  # the reader says what is wrong with it
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_PART_BYTES or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
                raise SurveyFileError(
                    f"工作簿内的“{info.filename}”解压后为 {info.file_size:,} 字节（压缩 {ratio:,.0f} 倍；上限 "
                    f"{MAX_PART_BYTES:,} 字节、{MAX_RATIO} 倍），不像入户调查表",
                    f"the workbook part '{info.filename}' unpacks to {info.file_size:,} bytes (packed {ratio:,.0f} "
                    f"times; at most {MAX_PART_BYTES:,} bytes and {MAX_RATIO} times): not a survey")
        if total > MAX_TOTAL_BYTES:
            raise SurveyFileError(f"工作簿解压后共 {total:,} 字节（上限 {MAX_TOTAL_BYTES:,} 字节）",
                                  f"the workbook unpacks to {total:,} bytes (at most {MAX_TOTAL_BYTES:,})")
        try:
            sheets = _sheets(zf, names)
            for sheet in sheets:
                if sheet.part is None or sheet.part not in names:
                    continue
                check_extent(sheet.name, *_scan_extent(zf, sheet.part))
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
            if isinstance(exc, SurveyFileError):
                raise
            raise SurveyFileError("工作簿已损坏，无法读取", "the workbook is damaged and cannot be read") from None
    return sheets
