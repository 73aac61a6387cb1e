"""Rule checks on the typed frame, over whole arrays: each failed check becomes a bilingual InputError."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .fixed import MISSING, cents_to_decimal, to_cents
from .household import FIELDS
from .policy import Policy


def _plain(cents: int) -> str:
    """-300 -> '-3', 4530 -> '45.3': the value as the user wrote it, without padding zeros."""
    text = format(cents_to_decimal(cents).normalize(), "f")
    return text


def _limit(param) -> int:
    return to_cents(param.value)[0]


def _errors(mask: np.ndarray, frame: pd.DataFrame, field: str, column: str | None, zh: str, en: str) -> list[tuple[object, InputError]]:
    """One error per row where mask holds, showing that row's value of column; zh/en may use {value} and {label}."""
    label = FIELDS[field][0]
    found = []
    for pos in np.flatnonzero(mask):
        idx = frame.index[pos]
        raw = frame[column].iat[pos] if column else None
        value = "true" if column is None else ("" if raw == MISSING else _plain(raw))
        found.append((idx, InputError(field=field, value=value,
                                      message_zh=zh.format(value=value, label=label),
                                      message_en=en.format(value=value, field=field))))
    return found


def check_households(frame: pd.DataFrame, policy: Policy) -> list[tuple[object, InputError]]:
    """Every rule the inputs must meet before settling (POLICY_SPEC §2–§4, §7). Returns (frame index, error)."""
    lim = policy.limits
    cash = (frame["option"] == "cash").to_numpy()
    in_kind = ~cash
    a = frame["original_area_c"].to_numpy()
    u = frame["unit_area_c"].to_numpy()
    p = frame["appraised_price_c"].to_numpy()
    r = frame["heating_rate_c"].to_numpy()
    low, defer = frame["low_income"].to_numpy(), frame["defer"].to_numpy()

    a_txt, u_txt, p_txt, r_txt = "original_area_c", "unit_area_c", "appraised_price_c", "heating_rate_c"
    a_max, u_max, p_max, r_max = (_limit(lim.original_area_max), _limit(lim.unit_area_max),
                                  _limit(lim.appraised_price_max), _limit(lim.heating_rate_max))
    errors: list[tuple[object, InputError]] = []
    add = errors.extend

    add(_errors(a == MISSING, frame, "original_area", a_txt, "缺少{label}", "{field} is required"))
    add(_errors((a != MISSING) & (a <= 0), frame, "original_area", a_txt,
                "{label}必须大于0，输入为 {value}", "{field} must be > 0, got {value}"))
    add(_errors(a > a_max, frame, "original_area", a_txt,
                f"{{label}}不能超过{_plain(a_max)}㎡，输入为 {{value}}", f"{{field}} must be at most {_plain(a_max)} m², got {{value}}"))

    add(_errors(in_kind & (u == MISSING), frame, "unit_area", u_txt,
                "回迁安置须填写{label}（或选择货币补偿）", "{field} is required for in-kind resettlement (or choose cash)"))
    add(_errors(in_kind & (u != MISSING) & (u <= 0), frame, "unit_area", u_txt,
                "{label}必须大于0，输入为 {value}", "{field} must be > 0, got {value}"))
    add(_errors(in_kind & (u > u_max), frame, "unit_area", u_txt,
                f"{{label}}不能超过{_plain(u_max)}㎡，输入为 {{value}}", f"{{field}} must be at most {_plain(u_max)} m², got {{value}}"))
    add(_errors(cash & (u != MISSING), frame, "unit_area", u_txt,
                "货币补偿不安置房屋，不应填写{label}，输入为 {value}", "a cash household takes no unit: {field} must be blank, got {value}"))

    needs_price = cash | (in_kind & (u != MISSING) & (a != MISSING) & (u > 0) & (u < a))
    add(_errors(needs_price & (p == MISSING), frame, "appraised_price", p_txt,
                "货币补偿或选择面积小于原面积时须提供{label}", "{field} is required for cash or for a unit smaller than the original area"))
    add(_errors((p != MISSING) & (p <= 0), frame, "appraised_price", p_txt,
                "{label}必须大于0，输入为 {value}", "{field} must be > 0, got {value}"))
    add(_errors(p > p_max, frame, "appraised_price", p_txt,
                f"{{label}}不能超过{_plain(p_max)}元/㎡，输入为 {{value}}", f"{{field}} must be at most {_plain(p_max)} yuan/m², got {{value}}"))

    add(_errors(r <= 0, frame, "heating_rate", r_txt, "{label}必须大于0，输入为 {value}", "{field} must be > 0, got {value}"))
    add(_errors(r > r_max, frame, "heating_rate", r_txt,
                f"{{label}}不能超过{_plain(r_max)}元/㎡，输入为 {{value}}", f"{{field}} must be at most {_plain(r_max)} yuan/m², got {{value}}"))

    add(_errors(defer & ~low, frame, "defer", None,
                "只有低保户可以申请缓交，该户不是低保户", "only a low-income household may defer payment; this household is not low-income"))
    add(_errors(defer & low & cash, frame, "defer", None,
                "货币补偿的住户没有可缓交的房款", "a cash household has no payment to defer"))
    return errors


def check_deferrable(frame: pd.DataFrame, settled: pd.DataFrame, policy: Policy) -> list[tuple[object, InputError]]:
    """A deferral with nothing to defer (no reasonable-extra amount) is an input error, not ignored."""
    defer = (frame["defer"] & frame["low_income"] & (frame["option"] != "cash")).to_numpy()
    nothing = defer & (settled["deferred_total"].to_numpy() == 0)
    items = "、".join(b.label_zh for b in policy.in_kind.bands if b.code in policy.deferral.deferrable_items)
    items_en = ", ".join(b.label_en for b in policy.in_kind.bands if b.code in policy.deferral.deferrable_items)
    return _errors(nothing, frame, "defer", None,
                   f"该户没有可缓交的房款（{items}为0）", f"nothing to defer: the {items_en} amount is 0")


class RowWarnings(Sequence):
    """Warnings per computed row, held as one mask per kind; `warnings[i]` lists row i's (zh, en) messages."""

    def __init__(self, checks: list[tuple[np.ndarray, str, str]], length: int):
        self.checks = checks
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> list[tuple[str, str]]:
        if not -self.length <= i < self.length:
            raise IndexError(i)
        return [(zh, en) for mask, zh, en in self.checks if mask[i]]

    def any(self) -> np.ndarray:
        out = np.zeros(self.length, dtype=bool)
        for mask, _, _ in self.checks:
            out |= mask
        return out

    def joined(self, lang: str = "zh", sep: str = "；") -> np.ndarray:
        """One text per row (empty where none), built column-wise for the batch outputs."""
        out = np.full(self.length, "", dtype=object)
        for mask, zh, en in self.checks:
            text = zh if lang == "zh" else en
            rows = np.flatnonzero(mask)
            out[rows] = [f"{prev}{sep}{text}" if prev else text for prev in out[rows]]
        return out


def row_warnings(frame: pd.DataFrame, settled: pd.DataFrame, policy: Policy) -> RowWarnings:
    """Per row: (zh, en) warnings — inputs rounded to 0.01, a non-standard unit (D2)."""
    checks = [
        ("rounded_original_area", "原房屋建筑面积已四舍五入到0.01㎡", "original area rounded half up to 0.01 m²"),
        ("rounded_unit_area", "选择户型面积已四舍五入到0.01㎡", "chosen unit area rounded half up to 0.01 m²"),
        ("rounded_appraised_price", "评估单价已四舍五入到0.01元", "appraised price rounded half up to 0.01 yuan"),
        ("rounded_heating_rate", "取暖费标准已四舍五入到0.01元", "heating rate rounded half up to 0.01 yuan"),
    ]
    masks = [(frame[col].to_numpy(dtype=bool), zh, en) for col, zh, en in checks]
    d2 = policy.decision(policy.standard_area.non_standard_unit_decision)
    types = "、".join(_plain(to_cents(t)[0]) for t in policy.type_areas)
    masks.append((settled["non_standard_unit"].to_numpy(dtype=bool),
                  f"选择面积不是标准户型（{types}㎡），按实际面积计算（{d2.id}）",
                  f"the chosen area is not a standard unit type ({types} m²); computed as given ({d2.id})"))
    return RowWarnings(masks, len(frame))


__all__ = ["check_households", "check_deferrable", "row_warnings", "RowWarnings"]
