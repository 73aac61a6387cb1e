"""Calendar arithmetic over arrays: the same month and day N years later, 29 February falling back to the 28th."""
from __future__ import annotations

import numpy as np


def add_years(days: np.ndarray, years: int) -> np.ndarray:
    """datetime64 array + N years; NaT stays NaT (no move-in date: no due dates)."""
    days = np.asarray(days).astype("datetime64[D]")
    missing = np.isnat(days)
    safe = np.where(missing, np.datetime64("2000-01-01"), days)
    year = safe.astype("datetime64[Y]").astype(np.int64) + 1970
    month = safe.astype("datetime64[M]").astype(np.int64) % 12
    day = (safe - safe.astype("datetime64[M]")).astype(np.int64)  # 0-based day of month
    new_year = year + years
    leap = (new_year % 4 == 0) & ((new_year % 100 != 0) | (new_year % 400 == 0))
    day = np.where((month == 1) & (day == 28) & ~leap, 27, day)
    first_of_month = ((new_year - 1970) * 12 + month).astype("datetime64[M]").astype("datetime64[D]")
    result = first_of_month + day.astype("timedelta64[D]")
    return np.where(missing, np.datetime64("NaT"), result).astype("datetime64[D]")
