"""One statement PDF per computed household of a settled batch, named by household id, into a folder or a zip."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError

from ..batch.output import open_output, staged_folder
from ..interrupts import ignore_in_worker, raise_if_stopped
from ..policy import LoadedPolicy
from ..result import build_quotes
from ..settlement import Settlement
from .fonts import cjk_font
from .layout import TEXT_LABELS, Unprintable, unprintable
from .pdf_statement import statement_pdf

_UNSAFE = re.compile(r"[^\w.\-]+")  # \w keeps letters of any script (户号 may be Chinese) and digits
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
MAX_STEM = 80
CHUNK = 25  # households per task sent to a worker process


def safe_stem(household_id: str, row) -> str:
    """A file name stem from a household id: no path separators, no leading dots, not empty, not a device name."""
    text = unicodedata.normalize("NFC", str(household_id or "")).strip()
    stem = _UNSAFE.sub("_", text).strip("._")[:MAX_STEM]
    if not stem or stem.upper() in _RESERVED:
        stem = f"row{row}" if not stem else f"{stem}_row{row}"
    return stem


def _cell(frame, column: str, position: int) -> str | None:
    if column not in frame.columns:
        return None
    value = frame[column].iat[position]
    return None if value is None or value != value or str(value).strip() == "" else str(value)


def file_names(settlement: Settlement) -> list[str]:
    """The PDF name of every computed household, in row order; a repeated stem gets its row number added."""
    inputs = settlement.inputs
    used: set[str] = set()
    names = []
    for pos, row in enumerate(inputs.index):
        stem = safe_stem(_cell(inputs, "household_id", pos), row)
        if stem.lower() in used:  # two ids that differ only in unsafe characters or in case
            stem = f"{stem}_row{row}"
        used.add(stem.lower())
        names.append(f"{stem}.pdf")
    return names


TEXT_FIELDS = {f: TEXT_LABELS[f] for f in ("household_id", "name", "id_number", "address")}  # printed as given


def _unprintable(row: int, texts: dict[str, str | None]) -> Unprintable:
    field = max(TEXT_FIELDS, key=lambda f: len(texts[f] or ""))
    return unprintable(row, field, TEXT_FIELDS[field], len(texts[field] or ""), ("结算单", "statement"))


def _render(settlement: Settlement, loaded: LoadedPolicy, issued: dt.date | None,
            lang: str) -> list[bytes | Unprintable]:
    """The statements of every row of `settlement` (a whole batch, or one worker's slice of it)."""
    inputs = settlement.inputs
    out = []
    for pos, quote in enumerate(build_quotes(settlement, loaded)):  # each column read into an array once
        texts = {f: _cell(inputs, f, pos) for f in TEXT_FIELDS}
        try:
            out.append(statement_pdf(quote, loaded, **texts, issued=issued, lang=lang))
        except LayoutError:
            out.append(_unprintable(int(inputs.index[pos]), texts))
    return out


def household_statements(settlement: Settlement, loaded: LoadedPolicy, *, issued: dt.date | None = None,
                         lang: str = "zh", jobs: int = 1) -> Iterator[tuple[str, bytes | Unprintable]]:
    """(file name, PDF bytes or why there is none) for every computed household, in row order; `jobs` > 1 renders
    in that many processes."""
    issued = issued or dt.date.today()  # one date for the whole batch, even across midnight
    cjk_font()  # no font: say so once, here, before any worker starts
    names = file_names(settlement)
    parts = settlement.slices(CHUNK)
    if jobs <= 1 or len(names) < 2 * CHUNK:
        rendered = (_render(part, loaded, issued, lang) for part in parts)
        yield from zip(names, (pdf for pdfs in rendered for pdf in pdfs), strict=True)
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=ignore_in_worker)
    try:
        rendered = pool.map(_render, parts, repeat(loaded), repeat(issued), repeat(lang))
        yield from zip(names, (pdf for pdfs in rendered for pdf in pdfs), strict=True)
    finally:  # on an interrupt, the chunks not started are dropped rather than rendered for nobody
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class Written:
    """What `write_statements` did: the files written and the rows left out."""

    names: list[str]
    unprintable: list[Unprintable]


def write_statements(settlement: Settlement, loaded: LoadedPolicy, target: str | Path, *,
                     issued: dt.date | None = None, lang: str = "zh", jobs: int = 1, progress=None) -> Written:
    """Write the statements into a folder, or into a zip when `target` ends in .zip. All or nothing: the zip or the
    folder's new files appear only once every statement is made; when none can be made, nothing is written."""
    target = Path(target)
    cjk_font()  # fail before creating the folder or the zip
    done = Written([], [])
    made = household_statements(settlement, loaded, issued=issued, lang=lang, jobs=jobs)
    documents = made if progress is None else progress(made)
    try:
        if target.suffix.lower() == ".zip":
            # Stored, not deflated: a statement's streams are compressed inside the PDF already; deflating the
            # PDFs again made the zip 6 % smaller for 1.7 ms of CPU a statement (a sixth of making it).
            with open_output(target) as out, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
                _collect(documents, done, archive.writestr)
                if not done.names:
                    raise _NothingToWrite
        else:
            with staged_folder(target) as staging:
                _collect(documents, done, lambda name, pdf: (staging / name).write_bytes(pdf))
                if not done.names:
                    raise _NothingToWrite
    except _NothingToWrite:
        pass
    finally:
        made.close()  # now, not when collected: stops the worker processes on an interrupt or an error
    return done


class _NothingToWrite(Exception):
    """Not one statement: leave no empty zip or folder behind."""


def _collect(documents, done: Written, put) -> None:
    for name, pdf in documents:
        raise_if_stopped()  # a Ctrl-C whose exception was lost while a worker started: stop now, not at the end
        if isinstance(pdf, Unprintable):
            done.unprintable.append(pdf)
            continue
        put(name, pdf)
        done.names.append(name)
