"""The engine's typed frame built straight from parsed arrays: what household.typed_frame gives, without per-row Decimals."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..fixed import MISSING, to_cents
from ..policy import Policy


def fast_typed_frame(*, household_id: np.ndarray, option: np.ndarray, original_area_c: np.ndarray,
                     rounded_original_area: np.ndarray, unit_area_c: np.ndarray, rounded_unit_area: np.ndarray,
                     appraised_price_c: np.ndarray, rounded_appraised_price: np.ndarray, heating_rate_c: np.ndarray,
                     rounded_heating_rate: np.ndarray, low_income: np.ndarray, defer: np.ndarray,
                     energy_efficient: np.ndarray, move_in: np.ndarray, policy: Policy, index=None,
                     declared: dict | None = None) -> pd.DataFrame:
    """Same columns, dtypes and rules as household.typed_frame. Amounts are int64 hundredths (MISSING = blank),
    energy_efficient int8 (1 yes, 0 no, -1 blank: the policy's default), move_in datetime64 (NaT = none)."""
    # Text columns as pandas' "str" dtype, the engine frame's; an arrow-backed Series is taken as it is.
    ids = household_id.array if isinstance(household_id, pd.Series) else pd.array(household_id, dtype=object)
    frame = pd.DataFrame({"household_id": ids, "option": np.asarray(option, dtype=object)}, index=index)
    for field, cents, rounded in (("original_area", original_area_c, rounded_original_area),
                                  ("unit_area", unit_area_c, rounded_unit_area),
                                  ("appraised_price", appraised_price_c, rounded_appraised_price),
                                  ("heating_rate", heating_rate_c, rounded_heating_rate)):
        frame[f"{field}_c"] = np.asarray(cents, dtype=np.int64)
        frame[f"rounded_{field}"] = np.asarray(rounded, dtype=bool)
    default_rate = to_cents(policy.heating.standard_rate.value)[0] if policy.heating else 0
    given = frame["heating_rate_c"].to_numpy() != MISSING
    frame["heating_rate_given"] = given
    frame["heating_rate_c"] = np.where(given, frame["heating_rate_c"].to_numpy(), default_rate)
    frame["low_income"] = np.asarray(low_income, dtype=bool)
    frame["defer"] = np.asarray(defer, dtype=bool)
    efficient = np.asarray(energy_efficient, dtype=np.int8)
    default_efficient = policy.heating.energy_efficient_default if policy.heating else True
    frame["energy_efficient"] = np.where(efficient < 0, default_efficient, efficient == 1)
    frame["move_in"] = np.asarray(move_in, dtype="datetime64[D]").astype("datetime64[s]")
    for name, values in (declared or {}).items():
        frame[name] = values
    return frame
