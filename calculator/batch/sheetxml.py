"""The big sheets' cells as SpreadsheetML, built column-wise with pyarrow and spliced into an xlsxwriter workbook.

xlsxwriter spends ~5 µs per cell in Python (about 40 s for 100k households × 45 columns). Here each column
becomes one array of `<c>` elements in a few vectorized string operations, rows are joined element-wise, and
the XML is streamed into the zip in chunks, so a 100k-row sheet costs seconds and bounded memory. xlsxwriter
still writes everything else (styles, header row, widths, frozen panes, filter, the small sheets); only
`<sheetData>` of the big sheets is filled in here.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .machine import decimal_array
from .table import Column, formula_risk

EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
CHUNK_ROWS = 20_000
_ILLEGAL_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"  # characters XML 1.0 cannot carry (RE2 syntax)


@dataclass
class Styles:
    """xf indices (the `s` attribute) of the formats the cells use."""

    money: int
    date: int
    int: int
    text: int
    quoted: int  # text shown with a leading apostrophe: never run as a formula
    signed: int  # money shown as 应交 / 应领 with a positive amount (wording.xlsx_signed_format)
    blank: int | None = None  # an empty cell is written as empty text in this format (a ruled table), else left out


def xf_index(cell_format) -> int:
    """The index of an xlsxwriter Format in the workbook's cell formats, registering it (xlsxwriter keeps this
    private, as Format._get_xf_index)."""
    return cell_format._get_xf_index()


def column_letter(pos: int) -> str:
    out, pos = "", pos + 1
    while pos:
        pos, rem = divmod(pos - 1, 26)
        out = chr(65 + rem) + out
    return out


def concatenated(text: pa.Array) -> memoryview | bytes:
    """All values of a string array back to back, as UTF-8: arrow already stores them that way, in one buffer."""
    if len(text) == 0:
        return b""
    if text.null_count:
        text = pc.fill_null(text, "")
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)
    first, last = offsets[text.offset], offsets[text.offset + len(text)]
    return memoryview(text.buffers()[2])[first:last]  # a view: the memoryview keeps the arrow buffer alive


def _escape(text: pa.Array) -> pa.Array:
    text = pc.replace_substring_regex(text, _ILLEGAL_XML, "")
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, raw, entity)
    return text


def _arrow_text(values) -> pa.Array:
    """Text values as a pyarrow string array: pandas' arrow-backed strings are taken without conversion."""
    if hasattr(values, "__arrow_array__"):
        arrow = values.__arrow_array__()
        arrow = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
        return arrow.cast(pa.string())
    return pa.array(values, type=pa.string(), from_pandas=True)


def _cells(col: Column, pos: int, rows: pa.Array, start: int, stop: int, styles: Styles) -> pa.Array:
    """One column's `<c>` elements for rows [start, stop); null where the cell is empty (unless styles.blank)."""
    ref = pc.binary_join_element_wise(column_letter(pos), rows, "")
    cells = _value_cells(col, ref, start, stop, styles)
    if styles.blank is None or cells.null_count == 0:
        return cells
    empty = pc.binary_join_element_wise('<c r="', ref, f'" s="{styles.blank}" t="inlineStr"><is><t></t></is></c>', "")
    return pc.fill_null(cells, empty)


def _value_cells(col: Column, ref: pa.Array, start: int, stop: int, styles: Styles) -> pa.Array:
    valid = None if col.valid is None else col.valid[start:stop]
    values = col.values[start:stop]
    if col.kind in ("money", "area", "int", "date"):
        if col.kind in ("money", "area"):
            text = pc.cast(decimal_array(values, valid), pa.string())
            style = styles.signed if col.signed else styles.money
        elif col.kind == "date":
            missing = np.isnat(values)
            serial = (np.where(missing, EXCEL_EPOCH, values) - EXCEL_EPOCH).astype(np.int64)
            mask = missing if valid is None else (missing | ~valid)
            text = pc.cast(pa.array(serial, mask=mask), pa.string())
            style = styles.date
        else:
            text = pc.cast(pa.array(np.asarray(values, dtype=np.int64), mask=None if valid is None else ~valid), pa.string())
            style = styles.int
        return pc.binary_join_element_wise('<c r="', ref, f'" s="{style}"><v>', text, "</v></c>", "")
    text = _arrow_text(values)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    style = pc.if_else(formula_risk(text), str(styles.quoted), str(styles.text))
    return pc.binary_join_element_wise('<c r="', ref, '" s="', style, '" t="inlineStr"><is><t xml:space="preserve">',
                                       _escape(text), "</t></is></c>", "")


def rows_xml(columns: list[Column], first_row: int, styles: Styles, chunk: int = CHUNK_ROWS,
             workers: int = 2) -> Iterator[memoryview | bytes]:
    """`<row>` elements for every row of the columns, first_row being the 1-based row of the first value.

    Chunks are built by `workers` threads (pyarrow releases the GIL), at most two ahead of the one being
    written, so the XML is made on one core while the previous chunk is deflated on another."""
    from concurrent.futures import ThreadPoolExecutor

    n = len(columns[0].values) if columns else 0

    def build(start: int):
        stop = min(start + chunk, n)
        rows = pa.array(np.arange(first_row + start, first_row + stop).astype(str))
        cells = [_cells(col, pos, rows, start, stop, styles) for pos, col in enumerate(columns)]
        joined = pc.binary_join_element_wise('<row r="', rows, '">', *cells, "</row>", "",
                                             null_handling="replace", null_replacement="")
        return concatenated(joined)

    starts = list(range(0, n, chunk))
    # Started now, not at the first next(): the chunks are built while the caller does other work.
    pool = ThreadPoolExecutor(max_workers=workers)
    pending = [pool.submit(build, s) for s in starts[:workers + 1]]

    def in_order():
        try:
            for i in range(len(starts)):
                done = pending.pop(0).result()
                if i + workers + 1 < len(starts):
                    pending.append(pool.submit(build, starts[i + workers + 1]))
                yield done
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    return in_order()


def text_rows_xml(lines: list[str], first_row: int) -> Iterator[bytes]:
    """Plain text lines in column A, one per row from first_row (notes below a table)."""
    cells = pa.array(lines, type=pa.string())
    rows = pa.array([str(first_row + i) for i in range(len(lines))], type=pa.string())
    joined = pc.binary_join_element_wise('<row r="', rows, '"><c r="A', rows, '" t="inlineStr"><is><t xml:space="preserve">',
                                         _escape(cells), "</t></is></c></row>", "")
    yield concatenated(joined)


def splice(book_bytes: bytes, fills: dict[str, tuple[Iterator[bytes], str]], out,
           before_row: dict[str, int] | None = None) -> None:
    """Copy the workbook zip to out, appending the generated rows to the named sheets' <sheetData> (or inserting
    them before the 1-based row `before_row[sheet]` that xlsxwriter wrote) and widening their <dimension> to the
    given range."""
    with zipfile.ZipFile(io.BytesIO(book_bytes)) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename not in fills:
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            chunks, dimension = fills[info.filename]
            xml = data.decode("utf-8")
            xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', xml, count=1)
            if "<sheetData/>" in xml:
                xml = xml.replace("<sheetData/>", "<sheetData></sheetData>", 1)
            row = (before_row or {}).get(info.filename)
            at = xml.index(f'<row r="{row}"') if row is not None else xml.index("</sheetData>")
            head, tail = xml[:at], xml[at:]
            target = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            # The sheet XML is large and repetitive: the fastest deflate level loses little size.
            setattr(target, "compress_level" if hasattr(zipfile.ZipInfo, "compress_level") else "_compresslevel", 1)
            with dst.open(target, "w", force_zip64=True) as entry:
                entry.write(head.encode("utf-8"))
                for chunk in chunks:
                    entry.write(chunk)
                entry.write(tail.encode("utf-8"))
