"""Read a survey file (xlsx/xls/ods, csv/tsv in UTF-8 or GBK) into a grid of cell text, rows numbered as the clerk sees them."""
from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import SurveyFileError
from .headers import find_header_row
from .limits import check_extent, inspect_xlsx

ZIP_MAGIC = b"PK\x03\x04"  # xlsx, ods
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # xls
SCAN_ROWS = 30


@dataclass
class Grid:
    """Every cell as stripped text ('' when empty); index = spreadsheet row number (1-based)."""

    cells: pd.DataFrame
    kind: str  # xlsx, xls, csv, tsv
    sheet: str | None = None
    encoding: str | None = None
    sheets: list[str] = field(default_factory=list)  # the visible sheets holding a survey header, in order
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, first col, last row, last col), 1-based rows


def source_bytes(source) -> tuple[bytes, str]:
    """The file's bytes and a display name, from a path, bytes or a binary file object."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), ""
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, str(getattr(source, "name", "") or "")
    path = Path(source)
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        raise SurveyFileError(f"无法读取文件 {path}：{exc.strerror}", f"cannot read {path}: {exc.strerror}") from None


def sniff_kind(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xls"
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise SurveyFileError(f"文件扩展名为 {suffix}，但内容不是电子表格", f"the file is named {suffix} but is not a spreadsheet")
    return "tsv" if suffix == ".tsv" else "csv"


def positional(value: float) -> str:
    """A fraction's shortest decimal with its digits written out (1e-05 -> '0.00001'): the number parser takes digits,
    never an exponent. (A whole number too long for a double keeps its exponent, for the ID-number checks.)"""
    return format(Decimal(repr(value)), "f")


def cell_text(value) -> str:
    """A cell value from the workbook as the text a clerk typed or sees."""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Excel stores every number as a binary double; its shortest repr is the decimal the clerk typed.
        if value.is_integer():  # a whole number too long for a double keeps its exponent: the id checks flag it
            return str(int(value)) if abs(value) < 1e15 else repr(value)
        return positional(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype


def _text_column(values) -> pd.Series:
    """One column of workbook values as stripped text, column-wise: text as is, numbers formatted by arrow,
    anything else (dates, booleans) per distinct value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kinds = set(map(type, values))
    if kinds <= {str}:
        texts = pa.array(values, type=pa.string())
    elif kinds <= {str, float, int}:
        texts = _numbers_as_text(values)
    elif bool in kinds:  # True == 1.0 would merge in factorize: convert cell by cell
        texts = pa.array([cell_text(v) for v in values], type=pa.string())
    else:
        array = np.empty(len(values), dtype=object)
        array[:] = values
        codes, uniques = pd.factorize(array, use_na_sentinel=False)
        dictionary = pa.array([u if type(u) is str else cell_text(u) for u in uniques], type=pa.string())
        texts = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), dictionary).cast(pa.string())
    return pd.Series(pd.array(pc.utf8_trim_whitespace(texts), dtype=STR_DTYPE))


def _numbers_as_text(values):
    """Number cells as cell_text writes them ('45', '45.3', '0.00001': the same decimal, never an exponent),
    over the whole column at once; text cells (typically '') kept."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = np.empty(len(values), dtype=object)
    array[:] = values
    is_text = np.fromiter((type(v) is str for v in values), dtype=bool, count=len(values))
    numbers = np.zeros(len(values), dtype=np.float64)
    numbers[~is_text] = array[~is_text].astype(np.float64)
    whole = (numbers == np.floor(numbers)) & (np.abs(numbers) < 1e15)
    as_int = pc.cast(pa.array(np.where(whole, numbers, 0).astype(np.int64)), pa.string())
    number_text = pc.if_else(pa.array(whole), as_int, pc.cast(pa.array(numbers), pa.string()))
    exponent = np.asarray(pc.fill_null(pc.match_substring(number_text, "e"), False)) & (numbers != np.floor(numbers))
    if exponent.any():  # arrow writes 2.5e-7 and 1e+20: the few such cells get their digits written out
        fixed = number_text.to_numpy(zero_copy_only=False).astype(object)
        fixed[exponent] = [positional(float(v)) for v in numbers[exponent]]
        number_text = pa.array(fixed, type=pa.string())
    text = pa.array(np.where(is_text, array, ""), type=pa.string())
    return pc.if_else(pa.array(is_text), text, number_text)


def read_workbook(data: bytes, kind: str, sheet: str | None) -> Grid:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    if kind == "xlsx":
        inspect_xlsx(data)  # refuses a sheet whose used range would not fit in memory, before calamine allocates it
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        meta = book.sheets_metadata
    except Exception as exc:  # calamine raises its own error types for a broken zip/OLE file
        raise SurveyFileError(f"无法打开电子表格：{exc}", f"cannot open the spreadsheet: {exc}") from None
    names = [m.name for m in meta]
    if not names:
        raise SurveyFileError("工作簿中没有工作表（文件可能已损坏）", "the workbook has no sheets (the file may be damaged)")
    visible = [m.name for m in meta if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet]
    if sheet is not None and sheet not in names:
        raise SurveyFileError(f"没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）",
                              f"no sheet named '{sheet}' (sheets: {', '.join(names)})")
    try:
        qualifying, found = _survey_sheets(book, visible)
        if sheet is not None:
            chosen, ws = sheet, (found[1] if found and found[0] == sheet else _load(book, sheet))
        elif found:
            chosen, ws = found
        else:  # no visible sheet has a header: the first visible one, whose header check then says what is missing
            first = (visible or names)[0]
            chosen, ws = first, _load(book, first)
        rows = ws.to_python(skip_empty_area=False)
    except SurveyFileError:
        raise
    except Exception:  # a sheet calamine cannot parse (broken XML, a bad cell)
        raise SurveyFileError("工作表已损坏或格式不受支持，无法读取", "a sheet is damaged or in a form we cannot read") from None
    width = max((len(r) for r in rows), default=0)
    try:
        grid = np.array(rows, dtype=object) if rows else np.empty((0, 0), dtype=object)  # rows -> columns in C
        columns = [grid[:, i] for i in range(grid.shape[1])]
    except ValueError:  # rows of unequal length (calamine pads them; a safeguard)
        columns = list(zip(*[r + [""] * (width - len(r)) for r in rows]))
    cells = pd.DataFrame({i: _text_column(col) for i, col in enumerate(columns)}) if width else pd.DataFrame()
    cells.index = np.arange(1, len(cells) + 1)
    merged = [(r0 + 1, c0, r1 + 1, c1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
    return Grid(cells=cells, kind=kind, sheet=chosen, merged=merged, sheets=qualifying)


def _load(book, name: str):
    """One sheet parsed, refused if its used range passes the survey limits (an xls is not checked beforehand)."""
    ws = book.get_sheet_by_name(name)
    if ws.end is not None:  # (last row, last column), 0-based; the grid starts at A1
        check_extent(name, ws.end[0] + 1, ws.end[1] + 1)
    return ws


def _survey_sheets(book, visible: list[str]) -> tuple[list[str], tuple | None]:
    """The visible sheets whose first rows hold a header we recognise, and the first of them as (name, loaded
    sheet). A hidden sheet (an old copy, a lookup list) is never picked by itself."""
    qualifying, first = [], None
    for name in visible:
        ws = _load(book, name)
        head = ws.to_python(skip_empty_area=False, nrows=SCAN_ROWS)
        if find_header_row([[cell_text(v) for v in row] for row in head]) is not None:
            qualifying.append(name)
            first = first or (name, ws)
    return qualifying, first


BOM = b"\xef\xbb\xbf"
# Three bytes a UTF-8 Chinese character is written as (U+4E00–U+9FFF): where a GBK file has them, look closer.
_UTF8_CJK = re.compile(rb"[\xe4-\xe9][\x80-\xbf][\x80-\xbf]")


def decode_text(data: bytes) -> tuple[str, str]:
    """One encoding for the whole file, every row checked: UTF-8 (with or without BOM), else GB18030 (a superset of
    GBK/GB2312, what Chinese Excel saves as CSV) when no row of it is UTF-8. Line ends become \\n (a file saved with
    CR alone, as old Mac programs do, reads like any other)."""
    if b"\x00" in data[:4096]:
        raise SurveyFileError("文件不是电子表格或CSV文本（含二进制内容）", "the file is not a spreadsheet or CSV text (binary content)")
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):  # neither byte occurs inside a UTF-8 or GBK character
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if data.startswith(BOM):
            row = data.count(b"\n", 0, exc.start) + 1
            raise SurveyFileError(f"文件以UTF-8标记开头，但第{row}行不是UTF-8编码：请将整个文件另存为UTF-8",
                                  f"the file starts with a UTF-8 mark but row {row} is not UTF-8: "
                                  "save the whole file again as UTF-8") from None
    row = _utf8_row(data)
    if row is not None:
        raise SurveyFileError(f"文件混用了两种编码：第{row}行是UTF-8，其他行是GBK；请将整个文件另存为同一种编码（UTF-8）",
                              f"the file mixes two encodings: row {row} is UTF-8, other rows are GBK; "
                              "save the whole file again in one encoding (UTF-8)")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise SurveyFileError(f"无法识别文件编码（应为UTF-8或GBK）：第{row}行两种都不是",
                              f"cannot decode the file (expected UTF-8 or GBK): row {row} is neither") from None
    return text, "gbk"


def text_encoding(data: bytes) -> str:
    """The encoding decode_text would find ("utf-8" or "gbk"), or its SurveyFileError; valid UTF-8 is recognised by
    pyarrow's validator without making the text (a streamed file is checked block by block before it is read)."""
    import pyarrow as pa

    if b"\x00" not in data[:4096]:
        try:
            pa.array([data], pa.binary()).cast(pa.string())  # rejects what Python's UTF-8 decoder rejects
            return "utf-8"
        except pa.ArrowInvalid:
            pass
    return decode_text(data)[1]


def _utf8_row(data: bytes) -> int | None:
    """The first line of a GBK file that is UTF-8 Chinese text (it would read as mojibake: 王五 as 鐜嬩簲), or None."""
    at = 0
    while (m := _UTF8_CJK.search(data, at)) is not None:
        start = data.rfind(b"\n", 0, m.start()) + 1
        end = data.find(b"\n", m.end())
        end = len(data) if end < 0 else end
        if _looks_utf8(data[start:end]):
            return data.count(b"\n", 0, start) + 1
        at = end + 1
    return None


def _common(text: str) -> bool:
    """Whether every character is in GB2312 (the 6,763 common hanzi, and ASCII)."""
    try:
        text.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _looks_utf8(line: bytes) -> bool:
    """A line whose bytes are valid UTF-8 spelling Chinese, and which reads better so than as GBK: as GBK it has a
    rare character (UTF-8's continuation bytes make GBK's extension pairs: 鐜嬩簲), or as UTF-8 it is all common
    characters. A GBK line of common characters whose bytes happen to be valid UTF-8 (about 1 in 50,000 short
    names) spells rare characters as UTF-8, and is read as GBK."""
    try:
        as_utf8 = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not _common(line.decode("gb18030", errors="replace")) or _common(as_utf8)


def _lines(text: str) -> Iterator[str]:
    """The physical lines of text (each with its line break), one at a time from the start, as io.StringIO(text)
    gives them: finding the header reads the first lines only, never copying a file of a million rows."""
    at = 0
    while at < len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end + 1
        yield text[at:end]
        at = end


def sniff_head(text: str, kind: str) -> tuple[str, list[list[str]], int | None, int, int]:
    """From the start of a delimited file: (delimiter, the first records, the header's index among them, the
    physical lines before the header record, the widest record from the header on)."""
    first_lines = text[:_offset_of_line(text, SCAN_ROWS)].splitlines()[:SCAN_ROWS]  # as the whole text's first lines
    delimiter = _delimiter(first_lines, prefer="\t" if kind == "tsv" else ",")
    reader = csv.reader(_lines(text), delimiter=delimiter)
    head, starts, last = [], [], 0  # the first records, and the physical line each starts on
    for record in reader:
        head.append(record)
        starts.append(last + 1)
        last = reader.line_num
        if len(head) >= SCAN_ROWS:
            break
    header_at = find_header_row(head)
    skip = starts[header_at] - 1 if header_at is not None else 0
    width = max((len(r) for r in head[header_at or 0:]), default=0)
    return delimiter, head, header_at, skip, width


def read_delimited(data: bytes, kind: str) -> Grid:
    text, encoding = decode_text(data)
    delimiter, head, header_at, skip, width = sniff_head(text, kind)
    try:
        cells = _arrow_csv(text[_offset_of_line(text, skip):], delimiter, width)
    except ValueError:  # pyarrow.ArrowInvalid: ragged rows (more cells than the widest of the first rows)
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))[header_at or 0:]
        width = max((len(r) for r in records), default=0)
        cells = pd.DataFrame([r + [""] * (width - len(r)) for r in records], dtype="str")
    cells.columns = range(cells.shape[1])
    # Each record starts on the line after the previous one ends; a quoted line break inside a cell
    # makes its record span several lines, and the records after it start that much lower.
    lines = np.ones(len(cells), dtype=np.int64)
    for c in cells.columns:
        if cells[c].str.contains("\n", regex=False).any():
            lines += cells[c].str.count("\n").to_numpy(dtype=np.int64)
    cells.index = skip + 1 + np.concatenate([[0], np.cumsum(lines)[:-1]]).astype(np.int64) if len(cells) else []
    cells = cells.apply(lambda col: col.str.strip()) if cells.shape[1] else cells
    return Grid(cells=cells, kind=kind, encoding=encoding)


def _offset_of_line(text: str, line: int) -> int:
    """Character offset where physical line `line` (0-based) starts."""
    at = 0
    for _ in range(line):
        nxt = text.find("\n", at)
        if nxt < 0:
            return len(text)
        at = nxt + 1
    return at


def _arrow_csv(text: str, delimiter: str, width: int) -> pd.DataFrame:
    """Every cell as text with pyarrow's multithreaded reader; empty lines kept so row numbers stay right."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    names = [f"c{i}" for i in range(width)]
    table = pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        read_options=pacsv.ReadOptions(column_names=names),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                             quoted_strings_can_be_null=False),
    )
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    frame.columns = range(width)
    return frame


def _delimiter(lines: list[str], prefer: str = ",") -> str:
    """The separator the first lines use most (a .tsv that is really comma-separated still reads)."""
    sample = "\n".join(lines)
    counts = {d: sample.count(d) for d in (prefer, ",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else prefer


def read_grid(data: bytes, name: str = "", sheet: str | None = None) -> Grid:
    """Read any supported survey file into a Grid; SurveyFileError if it is not one."""
    if not data:
        raise SurveyFileError("文件为空", "the file is empty")
    kind = sniff_kind(data, name)
    if kind in ("xlsx", "xls"):
        try:
            return read_workbook(data, kind, sheet)
        except SurveyFileError:
            raise
        except Exception:  # a damaged part calamine or the sheet reader trips over: the file, not a bug, is at fault
            raise SurveyFileError("电子表格已损坏，无法读取", "the spreadsheet is damaged and cannot be read") from None
    try:
        return read_delimited(data, kind)
    except csv.Error:  # the csv module's own complaint (a stray CR, a NUL): say it in the clerk's terms
        raise SurveyFileError("CSV文件格式无效（换行符或引号不规范），请在Excel中重新另存为CSV",
                              "the csv is malformed (a stray line break or quote); save it again as CSV from Excel") from None
