"""Typed output columns of a survey run: the Column every writer takes, declared inputs as columns, formula-safe text."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import inputs, units
from ..fixed import MISSING
from ..policy import InputDecl
from .survey import SurveyRun

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Column:
    """One output column: key (English, machine), Chinese and English headers, kind and values.

    kind: 'text' (object str; an arrow string array in the machine columns), 'int', 'money' / 'area' (int64
    hundredths), 'date' (datetime64[D]), 'bool'.
    valid: False where the cell is empty (a rejected row, no due date); None when every cell has a value.
    """

    key: str
    zh: str
    en: str
    kind: str
    values: np.ndarray
    valid: np.ndarray | None = None
    summed: bool = True  # False for a price per m² or a count: a column total would mean nothing
    signed: bool = False  # money the household pays (+) or receives (−): shown as 应交 / 应领, never a minus

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def formula_risk(text):
    """Which cells of a pyarrow string array a spreadsheet would take for a formula (= + - @ first)."""
    import pyarrow.compute as pc

    risky = pc.fill_null(pc.starts_with(text, FORMULA_START[0]), False)
    for mark in FORMULA_START[1:]:
        risky = pc.or_(risky, pc.fill_null(pc.starts_with(text, mark), False))
    return risky


def neutralise_arrow(text):
    """A leading apostrophe where a spreadsheet would see a formula: shown as text, never run (csv output)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    risky = formula_risk(text)
    if not pc.any(risky).as_py():
        return text
    return pc.if_else(risky, pc.binary_join_element_wise("'", text, ""), text).cast(pa.string())


def input_header(decl: InputDecl, lang: str) -> str:
    """A declared input's column header: its label and, for a number, its unit ('家庭人口（人）')."""
    label = decl.label_zh if lang == "zh" else decl.label_en
    unit = decl.unit or ("m2" if decl.type == "area" else None)
    if unit is None or decl.type not in ("area", "money", "count"):
        return label
    return f"{label}（{units.label(unit, 'zh')}）" if lang == "zh" else f"{label} ({units.label(unit, 'en')})"


def input_column(decl: InputDecl, values: np.ndarray, lang: str = "zh", machine: bool = False) -> Column:
    """A declared input as typed output: numbers as numbers, a flag as yes/no, a choice as its label (its value
    for machines). `values` is the engine frame's column (in_<name>)."""
    key = inputs.column(decl.name)
    zh, en = input_header(decl, "zh"), input_header(decl, "en")
    if decl.type in ("area", "money", "count"):
        values = np.asarray(values, dtype=np.int64)
        kind = "int" if decl.type == "count" else decl.type
        return Column(key, zh, en, kind, values, values != MISSING,
                      summed="/" not in (decl.unit or ""))
    if decl.type == "date":
        days = np.asarray(values).astype("datetime64[D]")
        return Column(key, zh, en, "date", days, ~np.isnat(days))
    if decl.type == "flag":
        yes, no = ("true", "false") if machine else ("是", "否") if lang == "zh" else ("yes", "no")
        return Column(key, zh, en, "text", np.where(np.asarray(values, dtype=bool), yes, no).astype(object))
    # A choice is held as the index of its value (-1 blank): one take from the labels, blank last.
    labels = [c.value if machine else (c.label_zh if lang == "zh" else c.label_en) for c in decl.choices] + [""]
    codes = np.asarray(values, dtype=np.int64)
    return Column(key, zh, en, "text", np.array(labels, dtype=object)[np.where(codes < 0, len(labels) - 1, codes)])


def errors_by_row(run: SurveyRun, lang: str, sep: str) -> dict[int, str]:
    """Every rejected row's problems as one text: '[column] message; [column] message'."""
    out: dict[int, list[str]] = {}
    for e in run.errors:
        where = e.column or e.field
        out.setdefault(e.row, []).append(f"[{where}] {e.message(lang)}")
    return {row: sep.join(texts) for row, texts in out.items()}
