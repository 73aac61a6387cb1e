"""One statement PDF per computed household of a settled batch, named by household id, into a folder or a zip."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ..policy import LoadedPolicy
from ..result import build_quote
from ..settlement import Settlement
from .statement_pdf import statement_pdf

_UNSAFE = re.compile(r"[^\w.\-]+")  # \w keeps letters of any script (户号 may be Chinese) and digits
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
MAX_STEM = 80


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


def household_statements(settlement: Settlement, loaded: LoadedPolicy, *, issued: dt.date | None = None,
                         lang: str = "zh") -> Iterator[tuple[str, bytes]]:
    """(file name, PDF bytes) for every computed household, in row order; a repeated stem gets its row added."""
    inputs = settlement.inputs
    used: set[str] = set()
    for pos in range(len(settlement.results)):
        quote = build_quote(settlement, pos, loaded)
        household_id = _cell(inputs, "household_id", pos)
        row = inputs.index[pos]
        stem = safe_stem(household_id, row)
        if stem.lower() in used:  # two ids that differ only in unsafe characters or case
            stem = f"{stem}_row{row}"
        used.add(stem.lower())
        pdf = statement_pdf(quote, loaded, household_id=household_id, name=_cell(inputs, "name", pos),
                            id_number=_cell(inputs, "id_number", pos), address=_cell(inputs, "address", pos),
                            issued=issued, lang=lang)
        yield f"{stem}.pdf", pdf


def write_statements(settlement: Settlement, loaded: LoadedPolicy, target: str | Path, *,
                     issued: dt.date | None = None, lang: str = "zh", progress=None) -> list[str]:
    """Write the statements into a folder, or into a zip when `target` ends in .zip; return the file names."""
    target = Path(target)
    names: list[str] = []
    documents = household_statements(settlement, loaded, issued=issued, lang=lang)
    if progress is not None:
        documents = progress(documents)
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, pdf in documents:
                archive.writestr(name, pdf)
                names.append(name)
        return names
    target.mkdir(parents=True, exist_ok=True)
    for name, pdf in documents:
        (target / name).write_bytes(pdf)
        names.append(name)
    return names
