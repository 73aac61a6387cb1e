"""csv → csv in bounded memory: a large survey is read, settled and written in chunks of rows, never whole.

The same header finding, checks and writer as the in-memory path (survey.settle_grid, machine.write_csv_part) run on
each chunk, with the header rows put back in front (the survey's own plausible ranges, for the 请核实 flags, are found on
the first chunk and applied to every chunk); a household id repeated in two chunks is found at the end and the
file is settled once more with every repeated id known, so each row carrying it is rejected as in the in-memory path.
"""
from __future__ import annotations

import hashlib
from concurrent.futures import wait
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import clean_ids
from .errors import RowError, SurveyFileError
from .output import open_output
from .reader import OLE_MAGIC, ZIP_MAGIC, Grid, sniff_head, text_encoding

STREAM_BYTES = 32 * 2 ** 20  # a csv larger than this is streamed (about 300,000 rows of a survey)
CHUNK_ROWS = 100_000
BLOCK_BYTES = 8 * 2 ** 20
HEAD_BYTES = 2 * 2 ** 20
LISTED = 15


class NotStreamable(Exception):
    """A file the chunked reader cannot take (ragged rows): it is read whole instead."""


@dataclass
class StreamedRun:
    """What the summary needs of a run read in chunks: the first chunk's file facts, the counts and totals added up,
    the first rejected rows."""

    source_name: str
    kind: str
    encoding: str | None
    header_row: int
    columns: dict
    notes: list
    policy: object
    counts: object
    totals: object
    errors: list[RowError] = field(default_factory=list)  # the first LISTED errors
    error_count: int = 0
    sheet: str | None = None
    flags: list = field(default_factory=list)  # the first LISTED values to verify (their rows' warnings carry them all)
    flag_count: int = 0


def streamable(path: Path, out_kind: str) -> bool:
    """A large text survey (not a workbook under a .csv name) going to csv."""
    try:
        if not (out_kind == "csv" and path.is_file() and path.stat().st_size > STREAM_BYTES and
                path.suffix.lower() in (".csv", ".tsv", ".txt")):
            return False
        with path.open("rb") as f:
            return f.read(4) not in (ZIP_MAGIC, OLE_MAGIC)
    except OSError:
        return False


def _check_text(path: Path) -> tuple[str, str]:
    """(encoding, sha256): every block decoded as the reader decodes a whole file; one encoding for all of it."""
    digest, encoding, rest = hashlib.sha256(), None, b""
    with path.open("rb") as f:
        while True:
            block = f.read(BLOCK_BYTES)
            digest.update(block)
            data = rest + block
            cut = data.rfind(b"\n") + 1 if block else len(data)
            part, rest = data[:cut], data[cut:]
            if part:
                found = text_encoding(part)
                if encoding is not None and found != encoding:
                    raise SurveyFileError("文件混用了UTF-8和GBK两种编码，请统一保存为一种编码",
                                          "the file mixes UTF-8 and GBK text; save it in one encoding")
                encoding = encoding or found
            if not block:
                break
    return encoding or "utf-8", digest.hexdigest()


def _head(path: Path, encoding: str, kind: str) -> tuple[str, int, int, list[list[str]], bool]:
    """(delimiter, physical lines before the header record, width, the first records, BOM)."""
    with path.open("rb") as f:
        data = f.read(HEAD_BYTES)
    bom = data.startswith(b"\xef\xbb\xbf")
    cut = data.rfind(b"\n") + 1 or len(data)
    text = data[:cut].decode("utf-8-sig" if encoding == "utf-8" else "gb18030")
    delimiter, head, _, skip, width = sniff_head(text, kind)
    return delimiter, skip, width, head, bom


def chunks(path: Path, encoding: str, kind: str):
    """Yield frames of at most about CHUNK_ROWS records, every cell stripped text, indexed by physical row number."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    delimiter, skip, width, _, bom = _head(path, encoding, kind)
    if width == 0:
        raise NotStreamable
    names = [f"c{i}" for i in range(width)]
    with path.open("rb") as f:
        if bom and skip == 0:
            f.read(3)
        for _ in range(skip):
            f.readline()  # a line break byte never occurs inside a UTF-8 or GBK character
        try:
            reader = pacsv.open_csv(f, **_options(names, delimiter, encoding))
        except pa.ArrowInvalid:  # ragged rows in the first block
            raise NotStreamable from None
        line, pending = skip + 1, None
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                batch = None
            except pa.ArrowInvalid:  # ragged rows further down
                raise NotStreamable from None
            if batch is not None:
                table = pa.Table.from_batches([batch])
                pending = table if pending is None else pa.concat_tables([pending, table])
            while pending is not None and (pending.num_rows >= CHUNK_ROWS or (batch is None and pending.num_rows)):
                frame, line = _frame(pending.slice(0, CHUNK_ROWS), width, line)
                pending = pending.slice(CHUNK_ROWS) if pending.num_rows > CHUNK_ROWS else None
                yield frame
            if batch is None:
                return


def _options(names: list[str], delimiter: str, encoding: str) -> dict:
    """pyarrow's csv options as reader._arrow_csv sets them: every cell text, empty lines kept for the row numbers.
    Text is read as large_string, what pandas' "str" columns hold, so the frame is made without a cast."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    return dict(
        read_options=pacsv.ReadOptions(column_names=names, block_size=4 * 2 ** 20,
                                       encoding="utf8" if encoding == "utf-8" else "gb18030"),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names}, strings_can_be_null=False,
                                             quoted_strings_can_be_null=False))


def _frame(table, width: int, line: int) -> tuple[pd.DataFrame, int]:
    """The chunk as a frame of stripped text indexed by physical row number; stripping and counting the line breaks
    of a quoted cell are done on the arrow columns (pandas' str.strip is the same utf8_trim_whitespace)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lines = np.ones(table.num_rows, dtype=np.int64)
    columns = []
    for col in table.columns:  # a quoted line break makes a record span several lines (as reader.read_delimited)
        if _may_hold_newline(col):
            lines += pc.count_substring(col, "\n").to_numpy(zero_copy_only=False).astype(np.int64)
        columns.append(pc.utf8_trim_whitespace(col))
    frame = pa.table(columns, names=[str(i) for i in range(width)]).to_pandas(
        types_mapper={pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    frame.columns = range(width)
    starts = np.concatenate([[0], np.cumsum(lines)[:-1]]).astype(np.int64)
    frame.index = line + starts
    return frame, line + int(lines.sum())


def _may_hold_newline(column) -> bool:
    """Whether a text column may hold a line break: one byte search over its text buffers (much faster than a
    per-cell search; bytes outside a sliced chunk can only raise a false alarm, which costs the exact count)."""
    for chunk in column.chunks:
        data = chunk.buffers()[2]
        if data is not None and data.to_pybytes().find(b"\n") >= 0:
            return True
    return False


def _add(a, b):
    """Two Counts added field by field."""
    if a is None:
        return b
    return type(a)(**{f.name: getattr(a, f.name) + getattr(b, f.name) for f in fields(a)})


def stream_batch(path: Path, loaded, out: Path) -> StreamedRun:
    """Settle a large csv survey chunk by chunk into a csv at out; raises NotStreamable for a file read whole instead."""
    kind = "tsv" if path.suffix.lower() == ".tsv" else "csv"
    encoding, sha256 = _check_text(path)
    try:
        return _pass(path, kind, encoding, sha256, loaded, out, repeated=None)
    except _Again as again:
        return _pass(path, kind, encoding, sha256, loaded, out, repeated=again.repeated)


def _pass(path, kind, encoding, sha256, loaded, out, repeated):
    """One pass over the file into out; raises _Again (nothing written) when a household id repeats across chunks."""
    from .machine import machine_columns
    from ..totals import project_totals
    from .survey import settle_grid

    header_cells, result, seen, fences = None, None, _Seen(), None
    with open_output(out) as target, _Writer(target) as writer:
        for number, cells in enumerate(chunks(path, encoding, kind)):
            if header_cells is not None:
                cells = pd.concat([header_cells, cells])
            grid = Grid(cells=cells, kind=kind, encoding=encoding)
            # The survey's own ranges are found on the first chunk (up to CHUNK_ROWS households) and held for the rest.
            run = settle_grid(grid, loaded, path.name, sha256, repeated_ids=repeated, fences=fences)
            fences = run.fences
            if header_cells is None:
                header_cells = cells.loc[cells.index <= run.header_row]
                result = StreamedRun(source_name=path.name, kind=kind, encoding=encoding, header_row=run.header_row,
                                     columns=run.columns, notes=run.notes, policy=run.policy, counts=None, totals=None)
                id_at = list(run.raw.columns).index(run.header_of("household_id"))
            writer.write(machine_columns(run, loaded), first=number == 0)
            result.counts = _add(result.counts, run.counts)
            part = project_totals(run.settlement, loaded.rules)
            result.totals = part if result.totals is None else result.totals.plus(part)
            result.errors += run.errors[:max(0, LISTED - len(result.errors))]
            result.error_count += len(run.errors)
            result.flags += run.flags[:max(0, LISTED - len(result.flags))]
            result.flag_count += len(run.flags)
            if repeated is None:
                seen.add(run.household_ids)
            del run, grid, cells
        if result is None:
            raise NotStreamable
        if repeated is None and seen.across():
            across = _repeated(path, encoding, kind, id_at, result.header_row, seen.candidates())
            if across:
                raise _Again(across)
    return result


class _Writer:
    """Writes each chunk's columns in a thread (pyarrow formats the csv without the GIL) while the next chunk is
    settled; at most one chunk is being written. Leaving the block waits for the last write, and a failed
    write is raised there or at the next one."""

    def __init__(self, target):
        from concurrent.futures import ThreadPoolExecutor

        self.target, self.pending = target, None
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="csv-write")

    def write(self, columns, first: bool) -> None:
        self._wait()
        self.pending = self.pool.submit(self._write, columns, first)

    def _write(self, columns, first: bool) -> None:
        import pyarrow as pa

        from .machine import write_csv_part

        # Formatted into arrow's own buffer, then written at once: writing to a Python file, pyarrow would take the
        # GIL for each of its small writes, and wait for it while the other thread settles the next chunk.
        text = pa.BufferOutputStream()
        write_csv_part(columns, text, first)
        self.target.write(text.getvalue())

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        try:
            if kind is None:
                self._wait()
            elif self.pending is not None:  # stopping: let the write under way end before the file is removed
                wait([self.pending])
        finally:
            self.pool.shutdown(wait=True)
        return False


class _Again(Exception):
    def __init__(self, repeated):
        self.repeated = repeated


class _Seen:
    """The household ids of every chunk, kept as 64-bit hashes (8 bytes a row, whatever the id's length)."""

    def __init__(self):
        self.hashes: list[np.ndarray] = []

    def add(self, cleaned_ids: pd.Series) -> None:
        """A chunk's household ids, as cleaned by the checks (clean_ids)."""
        cleaned = cleaned_ids.to_numpy(dtype=object)
        hashes = pd.util.hash_array(cleaned, categorize=False)  # ids are mostly distinct
        hashes[cleaned == ""] = 0  # a blank id is its own error, never a repeat
        self.hashes.append(hashes)

    def across(self) -> bool:
        """Whether a (hash of a) household id is in two chunks; keeps the repeated hashes for candidates()."""
        sizes = np.cumsum([len(h) for h in self.hashes])
        every = np.concatenate(self.hashes) if self.hashes else np.zeros(0, np.uint64)
        self.hashes = []
        ordered = np.sort(every)
        same = ordered[1:] == ordered[:-1]
        self.repeats = np.unique(ordered[1:][same & (ordered[1:] != 0)])
        del ordered, same
        at = np.flatnonzero(np.isin(every, self.repeats))
        chunk = np.searchsorted(sizes, at, side="right")
        by_hash = pd.Series(chunk).groupby(every[at]).nunique()
        return bool((by_hash > 1).any())

    def candidates(self) -> set[int]:
        return set(self.repeats.tolist())


def _repeated(path, encoding, kind, id_at: int, header_row: int, candidates: set[int]) -> dict[str, list[int]]:
    """Every repeated household id (id -> the rows carrying it), read again exactly for the rows whose hash repeats,
    when one of them spans two chunks (else {}: repeats within a chunk are found by the chunk's own check)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for number, cells in enumerate(chunks(path, encoding, kind)):
        body = cells[cells.index > header_row]
        ids = clean_ids(body[id_at]).to_numpy(dtype=object)
        hashes = pd.util.hash_array(ids, categorize=False)
        hit = np.isin(hashes, np.array(sorted(candidates), dtype=np.uint64)) & (ids != "")
        for hid, row in zip(ids[hit], body.index[hit]):
            found.setdefault(hid, []).append((int(row), number))
    found = {hid: rows for hid, rows in found.items() if len(rows) > 1}
    if not any(len({n for _, n in rows}) > 1 for rows in found.values()):
        return {}
    return {hid: [r for r, _ in rows] for hid, rows in found.items()}
