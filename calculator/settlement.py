"""From typed households to settled results: check, settle, check again, collect warnings — for 1 or N rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from .columns import Columns
from .engine import household_env, settle, standard_area
from .errors import InputError, InputErrors
from .fixed import cents_to_decimal
from .household import Household, household_columns
from .inputs import parse_inputs
from .policy import LoadedPolicy
from .result import Quote, RowView, quote_of_row
from .validate import RowWarnings, Typed, check_households, check_settled, row_warnings

if TYPE_CHECKING:  # a single quote runs without pandas; the batch's Settlement holds frames
    import pandas as pd


@dataclass
class Settlement:
    """The outcome of settling a frame: results for the rows that passed, errors for the rest."""

    inputs: pd.DataFrame  # the typed rows that computed
    results: pd.DataFrame  # engine output, same index as inputs
    warnings: RowWarnings  # warnings[i]: the (zh, en) warnings of computed row i
    errors: list[tuple[object, InputError]] = field(default_factory=list)  # (index of the input frame, error)

    @property
    def rejected_index(self) -> list:
        return sorted({idx for idx, _ in self.errors}, key=str)

    def slices(self, size: int):
        """Consecutive slices of `size` computed rows, to hand to worker processes; warnings become a plain list
        (they may be held as lazy masks)."""
        total = len(self.results)
        for start in range(0, total, size):
            stop = min(start + size, total)
            yield Settlement(inputs=self.inputs.iloc[start:stop], results=self.results.iloc[start:stop],
                             warnings=[self.warnings[i] for i in range(start, stop)])


def settle_columns(given: Columns, loaded: LoadedPolicy, typed: Typed | None = None
                   ) -> tuple[np.ndarray | None, Columns, dict[str, np.ndarray], RowWarnings, list[tuple[object, InputError]]]:
    """Check, settle and check again. Returns which given rows computed (None: all), those rows, their results and
    warnings, and the errors of the rest; `typed` gives the values as typed, so a message echoes what the user wrote."""
    policy = loaded.rules
    errors = check_households(given, policy, typed)
    keep = given.without({idx for idx, _ in errors}) if errors else None
    ok = given.rows(keep) if keep is not None else given
    results = settle(ok, loaded)
    later = check_settled(ok, results, loaded)
    if later:
        errors += later
        passed = ok.without({idx for idx, _ in later})
        ok, results = ok.rows(passed), {name: values[passed] for name, values in results.items()}
        if keep is None:
            keep = passed
        else:
            keep[np.flatnonzero(keep)[~passed]] = False
    return keep, ok, results, row_warnings(ok, results, policy), errors


def settle_frame(frame: pd.DataFrame, loaded: LoadedPolicy, typed: Typed | None = None) -> Settlement:
    """settle_columns over a pandas frame: the rows that computed and their results as frames."""
    import pandas as pd

    _, ok, results, warnings, errors = settle_columns(Columns.of_frame(frame), loaded, typed)
    inputs = ok.frame  # the rows of `frame` that computed
    return Settlement(inputs=inputs, results=pd.DataFrame(results, index=inputs.index, copy=False), warnings=warnings,
                      errors=errors)


def quote_household(household: Household, loaded: LoadedPolicy, typed: dict[str, str] | None = None) -> Quote:
    """The single-household quote: the batch code on a batch of one. Raises InputErrors on bad input.
    `typed`: field -> the text the user typed, for the messages."""
    _, errors = parse_inputs(household.inputs, loaded.rules)
    if errors:
        raise InputErrors(errors)
    given = household_columns([household], loaded.rules)
    _, ok, results, warnings, errors = settle_columns(given, loaded, (lambda _, f: typed.get(f)) if typed else None)
    if errors:
        raise InputErrors([err for _, err in errors])
    return quote_of_row(RowView(results, 0), RowView(ok.arrays, 0), warnings[0], loaded)


def quote(loaded: LoadedPolicy, /, **values) -> Quote:
    """Quote from plain values (as from a form or the CLI); raises InputErrors naming every bad field."""
    household, errors = Household.build(**values)
    if errors:
        raise InputErrors(errors)
    texts = {k: v.strip() for k, v in values.items() if isinstance(v, str)}
    texts |= {k: v.strip() for k, v in (values.get("inputs") or {}).items() if isinstance(v, str)}
    return quote_household(household, loaded, texts)


def standard_area_of(loaded: LoadedPolicy, **values) -> Decimal | None:
    """The standard area S of one household by the policy's rule (floors included), as the engine computes it for
    the quote; None while the values do not make a household. The counter offers the unit type it leads to."""
    household, errors = Household.build(**values)
    if errors:
        return None
    env = household_env(household_columns([household], loaded.rules), loaded.rules)
    standard, _, _ = standard_area(env, loaded.rules, loaded.compiled, 1)
    return cents_to_decimal(int(standard[0]))
