"""Cell text to typed arrays, per column: numbers with units or thousands separators, yes/no, options, dates.

Each parser works on the distinct values of a column (a survey repeats its values heavily: 45.3, 是, 回迁,
2025-10-01), so the Python work per column is bounded by the number of distinct cells, and the result is
spread back to every row with one array take. Numbers are rounded half up on their decimal text, never
through a binary float.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from ..fixed import MISSING
from ..typed_number import number_digits, parse_decimal


@dataclass
class Parsed:
    """One column parsed: values (MISSING / None where blank or bad), whether rounded, which cells were bad."""

    values: np.ndarray
    rounded: np.ndarray  # bool: the text had more than two decimals
    bad: np.ndarray  # bool: text that is not a valid value of this kind
    blank: np.ndarray  # bool: the cell was empty


def blank_column(n: int, missing, dtype) -> Parsed:
    """A column the survey does not have: every cell blank."""
    values = np.empty(n, dtype=dtype)
    values[:] = missing
    return Parsed(values, np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.ones(n, dtype=bool))


def _by_unique(text: pd.Series, parse, missing, dtype) -> Parsed:
    """Apply parse(str) -> (value, rounded, bad) to each distinct text, then spread to the rows."""
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    uniques = [str(u) for u in uniques]
    parsed = [parse(u) if u else (missing, False, False) for u in uniques]
    values = np.empty(len(uniques), dtype=dtype)
    values[:] = [p[0] for p in parsed] if parsed else []
    rounded = np.fromiter((p[1] for p in parsed), dtype=bool, count=len(parsed))
    bad = np.fromiter((p[2] for p in parsed), dtype=bool, count=len(parsed))
    blank = np.fromiter((not u for u in uniques), dtype=bool, count=len(uniques))
    return Parsed(values[codes], rounded[codes], bad[codes], blank[codes])


# --- numbers --------------------------------------------------------------------------------------
def parse_cents(text: str) -> tuple[int, bool, bool]:
    """Decimal text -> (hundredths rounded half up, rounded?, bad?) — on the digits, exactly (typed_number's rules)."""
    digits = number_digits(text)
    if digits is None:
        return MISSING, False, True
    sign, whole, frac = digits
    whole = whole.lstrip("0") or "0"
    if len(whole) > 15:
        return MISSING, False, True
    cents = int(whole) * 100 + int(frac[:2].ljust(2, "0"))
    rest = frac[2:]
    rounded = bool(rest.strip("0"))
    if rest and rest[0] >= "5":  # half up, away from zero (四舍五入)
        cents += 1
    return (-cents if sign == "-" else cents), rounded, False


def parse_numbers(text: pd.Series) -> Parsed:
    return _by_unique(text, parse_cents, MISSING, np.int64)


# --- yes / no -------------------------------------------------------------------------------------
YES = {"是", "是的", "有", "y", "yes", "1", "√", "✓", "✔", "true", "t", "对"}
NO = {"否", "不是", "无", "n", "no", "0", "×", "✗", "✘", "false", "f", "不"}


def parse_yes_no_text(text: str) -> tuple[int, bool, bool]:
    """1 yes / 0 no; -1 with bad=True for anything else ('x' is refused: some mark yes with it, some no)."""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    if s in YES:
        return 1, False, False
    if s in NO:
        return 0, False, False
    number = parse_decimal(s)  # 1.0 / 0.0 from a number cell
    if number is not None and number in (0, 1):
        return int(number), False, False
    return -1, False, True


def parse_yes_no(text: pd.Series) -> Parsed:
    """values: int8 1 yes, 0 no, -1 blank or bad."""
    return _by_unique(text, parse_yes_no_text, -1, np.int8)


# --- option ---------------------------------------------------------------------------------------
OPTION_WORDS = {
    "in_kind": {"回迁", "回迁安置", "产权调换", "就地回迁", "就近回迁", "实物安置", "房屋安置", "产权置换",
                "in_kind", "in-kind", "inkind", "unit"},
    "cash": {"货币补偿", "货币", "货币安置", "现金", "现金补偿", "cash", "money"},
}
_OPTION_LOOKUP = {word: option for option, words in OPTION_WORDS.items() for word in words}


def parse_option_text(text: str) -> tuple[str, bool, bool]:
    s = unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")
    option = _OPTION_LOOKUP.get(s)
    return (option or "", False, option is None)


def parse_options(text: pd.Series) -> Parsed:
    """values: 'in_kind' / 'cash', '' where blank or bad."""
    return _by_unique(text, parse_option_text, "", object)


# --- dates ----------------------------------------------------------------------------------------
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[t ]0{1,2}:00(?::00(?:\.0+)?)?)?", re.ASCII)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?", re.ASCII)
EXCEL_EPOCH = dt.date(1899, 12, 30)  # the 1900 date system; serials this survey needs are far past 1900-03-01
NAT = np.datetime64("NaT", "D")
YEARS = (1900, 2200)


def parse_date_text(text: str) -> tuple[np.datetime64, bool, bool]:
    """'2025-10-01', '2025/10/1', '2025年10月1日', '20251001', Excel serial '45931' -> a day; else bad."""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    day = None
    try:
        if m := _DATE.fullmatch(s) or _COMPACT.fullmatch(s):
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif m := _SERIAL.fullmatch(s):
            day = EXCEL_EPOCH + dt.timedelta(days=int(m.group(1)))
    except ValueError:  # 2025-02-30, month 13: an impossible date
        day = None
    if day is None or not YEARS[0] <= day.year <= YEARS[1]:
        return NAT, False, True
    return np.datetime64(day, "D"), False, False


def parse_dates(text: pd.Series) -> Parsed:
    """values: datetime64[D], NaT where blank or bad."""
    return _by_unique(text, parse_date_text, NAT, "datetime64[D]")


# --- identifiers ----------------------------------------------------------------------------------
def clean_ids(text: pd.Series) -> pd.Series:
    """Household ids and ID numbers as text: NFKC (full-width digits), no inner spaces, a final x as X."""
    s = text if isinstance(text, pd.Series) and text.dtype == "str" else pd.Series(np.asarray(text, dtype=object), dtype="str")
    if not s.str.isascii().all():
        s = s.str.normalize("NFKC")
    s = s.str.replace(" ", "", regex=False).str.strip()
    if s.str.endswith("x").any():  # the regex only where it can match: it is the slowest step on 100,000 ids
        s = s.str.replace(r"^(\d{14,17})x$", r"\1X", regex=True)
    lost = stored_as_number(s)
    if lost.any():  # 2.327221987103059e+17: the integer digits the spreadsheet kept, never scientific notation
        s = s.copy()
        s[lost] = s[lost].map(lambda t: str(int(Decimal(t))))
    return s


def stored_as_number(ids: pd.Series) -> pd.Series:
    """Which ids a spreadsheet stored as a number too long for it ('2.32722E+17'): their last digits are lost."""
    return ids.str.fullmatch(r"[0-9](\.[0-9]+)?[eE]\+?[0-9]{1,2}", na=False)
