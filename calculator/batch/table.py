"""The per-household result table of a survey run, as typed columns named after the policy (bands, items, installments)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..policy import Policy
from .survey import SurveyRun

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Column:
    """One output column: key (English, machine), Chinese and English headers, kind and values.

    kind: 'text' (object str), 'int', 'money' / 'area' (int64 hundredths), 'date' (datetime64[D]), 'bool'.
    valid: False where the cell is empty (a rejected row, no due date); None when every cell has a value.
    """

    key: str
    zh: str
    en: str
    kind: str
    values: np.ndarray
    valid: np.ndarray | None = None

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


def item_columns(policy: Policy) -> list[tuple[str, str, str]]:
    """(item code, zh, en) in the order of the policy: bands, maintenance fund, shortfall, cash."""
    labels = policy.item_labels()
    codes = [b.code for b in policy.in_kind.bands] + [policy.in_kind.maintenance_fund.code,
                                                      policy.in_kind.shortfall.code, policy.cash.code]
    return [(code, labels[code][0], labels[code][1]) for code in codes]


def area_columns(policy: Policy) -> list[tuple[str, str, str]]:
    """(results column, zh, en) for the areas: standard, each band, shortfall."""
    out = [("area_standard", "安置标准面积（㎡）", "standard area (m²)")]
    for band in policy.in_kind.bands:
        out.append((f"area_{band.area_key}", f"面积：{band.label_zh}（㎡）", f"area: {band.label_en} (m²)"))
    out.append(("area_shortfall", "未安置面积（㎡）", "untaken area (m²)"))
    return out


def installment_columns(policy: Policy) -> list[tuple[int, str, str, str, str]]:
    """(number, amount zh, amount en, due zh, due en) for each installment the policy schedules."""
    out = []
    for n, inst in enumerate(policy.deferral.installments, 1):
        share = format(inst.share.value.normalize(), "f")
        out.append((n, f"第{n}期缓交款（{share}%）", f"installment {n} ({share} %)",
                    f"第{n}期到期日", f"installment {n} due"))
    return out


def errors_by_row(run: SurveyRun, lang: str, sep: str) -> dict[int, str]:
    """Every rejected row's problems as one text: '[column] message; [column] message'."""
    out: dict[int, list[str]] = {}
    for e in run.errors:
        where = e.column or e.field
        out.setdefault(e.row, []).append(f"[{where}] {e.message(lang)}")
    return {row: sep.join(texts) for row, texts in out.items()}
