"""Plausibility flags (请核实 / please verify): a value far outside the survey's own values or the policy's plausible range.

A flagged row is settled as usual (a 1,234 m² home may be real); the flag asks the clerk to verify it, and the public
notice is withheld until the flags are accepted. Two tests, over whole columns:
- the policy's range: `[plausible]` for the core inputs, `plausible = [min, max]` on a declared input;
- the survey's own values: Tukey's far-out fences on the logarithm (areas and prices spread by ratio, not by
  difference): below Q1 − 3·IQR or above Q3 + 3·IQR of log(value), the IQR at least log(1.5) so a survey where
  nearly every value is the same does not flag a small difference. Only with 30 values or more, and only for the
  original area, the chosen unit area and the appraised price (a heating rate is the office's, not the household's).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import units
from .fixed import MISSING
from .inputs import column as input_column
from .policy import Policy

FENCE_IQRS = 3.0
MIN_LOG_SPREAD = math.log(1.5)
MIN_VALUES = 30
FLAG_WORDS = ("请核实", "please verify")

# field -> (frame column, label zh, label en, unit zh, unit en, rows it concerns)
CORE_FIELDS = {
    "original_area": ("original_area_c", "原房屋建筑面积", "original area", "㎡", "m²", "all"),
    "unit_area": ("unit_area_c", "选择户型面积", "chosen unit area", "㎡", "m²", "in_kind"),
    "appraised_price": ("appraised_price_c", "评估单价", "appraised price", "元/㎡", "yuan/m²", "all"),
    "heating_rate": ("heating_rate_c", "取暖费标准", "heating rate", "元/㎡", "yuan/m²", "in_kind"),
}
DISTRIBUTION_FIELDS = ("original_area", "unit_area", "appraised_price")


@dataclass(frozen=True)
class Fence:
    """The survey's own range of a field, in hundredths: a value outside is far from the other households'."""

    low_c: int
    high_c: int
    values: int  # how many values it was found from


@dataclass(frozen=True)
class Flag:
    """One value to verify: the row, the household, the field, the value as settled, and why (zh and en)."""

    row: int
    household_id: str
    field: str
    label_zh: str
    label_en: str
    value: str  # the number as settled: '1,234.00'
    unit_zh: str
    unit_en: str
    reason_zh: str
    reason_en: str

    def shown(self, lang: str = "zh") -> str:
        return f"{self.value}{self.unit_zh}" if lang == "zh" else f"{self.value} {self.unit_en}".rstrip()

    def reason(self, lang: str = "zh") -> str:
        return self.reason_zh if lang == "zh" else self.reason_en

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"{FLAG_WORDS[0]}：{self.label_zh} {self.shown('zh')}，{self.reason_zh}"
        return f"{FLAG_WORDS[1]}: {self.label_en} {self.shown('en')}, {self.reason_en}"

    def bilingual(self) -> str:
        return f"{self.message('zh')} / {self.message('en')}"


def _given(inputs: pd.DataFrame, field: str) -> tuple[np.ndarray, np.ndarray]:
    """(values in hundredths, the rows where the field is given and concerns the household)."""
    col, *_, rows = CORE_FIELDS[field]
    values = inputs[col].to_numpy(np.int64)
    given = values != MISSING
    if rows == "in_kind":
        given &= (inputs["option"] != "cash").to_numpy()
    return values, given


def survey_fences(inputs: pd.DataFrame) -> dict[str, Fence]:
    """The far-out fences of each distribution field with enough positive values (none for a small survey)."""
    fences = {}
    for field in DISTRIBUTION_FIELDS:
        values, given = _given(inputs, field)
        positive = values[given & (values > 0)]
        if len(positive) < MIN_VALUES:
            continue
        logs = np.log(positive.astype(np.float64))
        q1, q3 = np.percentile(logs, [25, 75])
        spread = max(q3 - q1, MIN_LOG_SPREAD) * FENCE_IQRS
        # Whole m² or yuan, outward: the range printed is exactly the range tested.
        fences[field] = Fence(int(math.floor(math.exp(q1 - spread) / 100)) * 100,
                              int(math.ceil(math.exp(q3 + spread) / 100)) * 100, len(positive))
    return fences


def _number(hundredths: int) -> str:
    return f"{hundredths / 100:,.2f}"


def _whole(hundredths: int) -> str:
    return f"{hundredths // 100:,}"


def plausibility_flags(inputs: pd.DataFrame, policy: Policy, fences: dict[str, Fence]) -> list[Flag]:
    """Every value outside the policy's plausible range or the survey's fences, in row order."""
    found: dict[tuple[int, int], Flag] = {}
    order = list(CORE_FIELDS) + [d.name for d in policy.inputs]
    ids = inputs["household_id"].to_numpy(dtype=object) if "household_id" in inputs else np.full(len(inputs), "", object)
    rows = inputs.index.to_numpy()

    def add(field: str, mask: np.ndarray, values: np.ndarray, labels, unit, reason_zh, reason_en, scale=100):
        for pos in np.flatnonzero(mask):
            key = (int(rows[pos]), order.index(field))
            shown = _number(int(values[pos])) if scale == 100 else f"{int(values[pos]):,}"
            old = found.get(key)
            zh, en = (reason_zh, reason_en) if old is None else (f"{old.reason_zh}；{reason_zh}", f"{old.reason_en}; {reason_en}")
            found[key] = Flag(int(rows[pos]), str(ids[pos]), field, labels[0], labels[1], shown, *unit, zh, en)

    for field, (_, label_zh, label_en, unit_zh, unit_en, _) in CORE_FIELDS.items():
        if CORE_FIELDS[field][0] not in inputs:
            continue
        values, given = _given(inputs, field)
        bounds = getattr(policy.plausible, field)
        if field == "heating_rate" and policy.heating is None:
            bounds = None
        if bounds is not None:
            low, high = int(bounds.min * 100), int(bounds.max * 100)
            add(field, given & ((values < low) | (values > high)), values, (label_zh, label_en), (unit_zh, unit_en),
                f"超出政策规定的核实范围 {_number(low)}–{_number(high)}{unit_zh}",
                f"outside the policy's plausible range {_number(low)}–{_number(high)} {unit_en}")
        fence = fences.get(field)
        if fence is not None:
            add(field, given & ((values < fence.low_c) | (values > fence.high_c)), values, (label_zh, label_en),
                (unit_zh, unit_en),
                f"与本调查表其他住户相差悬殊（本表常见范围 {_whole(fence.low_c)}–{_whole(fence.high_c)}{unit_zh}）",
                f"far from the other households of this survey (its usual range {_whole(fence.low_c)}–"
                f"{_whole(fence.high_c)} {unit_en})")
    for decl in policy.inputs:
        if decl.plausible is None:
            continue
        values = inputs[input_column(decl.name)].to_numpy(np.int64)
        scale = 1 if decl.type == "count" else 100
        low, high = (int(b * scale) for b in decl.plausible)
        unit_zh, unit_en = (units.label(decl.unit or "m2", lang) for lang in ("zh", "en"))
        shown = (lambda v: f"{v:,}") if scale == 1 else _number
        add(decl.name, (values != MISSING) & ((values < low) | (values > high)), values, (decl.label_zh, decl.label_en),
            (unit_zh, unit_en), f"超出政策规定的核实范围 {shown(low)}–{shown(high)}{unit_zh}",
            f"outside the policy's plausible range {shown(low)}–{shown(high)} {unit_en}", scale)
    return [found[k] for k in sorted(found)]


def flag_warnings(flags: list[Flag], index: pd.Index) -> list[tuple[np.ndarray, str, str]]:
    """The flags as row warnings (one mask per field), so every per-household output carries them."""
    by_field: dict[tuple[str, str, str], list[int]] = {}
    for f in flags:
        by_field.setdefault((f.field, f.label_zh, f.label_en), []).append(f.row)
    return [(index.isin(rows), f"{FLAG_WORDS[0]}{label_zh}", f"{FLAG_WORDS[1]} the {label_en}")
            for (_, label_zh, label_en), rows in by_field.items()]
