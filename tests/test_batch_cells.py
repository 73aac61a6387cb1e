"""Cell parsing of survey text: numbers with units and separators, yes/no, options, dates; the fast typed frame."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import load_policy
from calculator.batch.cells import (clean_ids, parse_cents, parse_dates, parse_numbers, parse_options, parse_yes_no,
                                    parse_date_text)
from calculator.batch.frame import fast_typed_frame
from calculator.fixed import MISSING, to_cents
from calculator.household import typed_frame

POLICY = load_policy("tahe")


@pytest.mark.parametrize("text, cents, rounded", [
    ("45", 4500, False), ("45.3", 4530, False), ("45.3㎡", 4530, False), ("45.3 m2", 4530, False),
    ("45.30平方米", 4530, False), (" 52.3 ", 5230, False), ("1,234", 123400, False), ("1,234.5", 123450, False),
    ("2000元/㎡", 200000, False), ("￥2,480", 248000, False), ("¥2150元", 215000, False), ("４５．５", 4550, False),
    ("45.335", 4534, True), ("45.334", 4533, True), ("45.3350", 4534, True), ("45.300", 4530, False),
    ("-0.005", -1, True), ("-5", -500, False), (".5", 50, False), ("+45", 4500, False),
    ("４５㎡", 4500, False), ("1,234,567.5", 123456750, False), ("45.", 4500, False), ("¥ 2,150 元", 215000, False),
])
def test_numbers_round_half_up_on_the_text(text, cents, rounded):
    assert parse_cents(text) == (cents, rounded, False)


@pytest.mark.parametrize("text", ["abc", "45,3", "12,34", "1.2.3", "--5", "45㎡㎡", "nan", "inf", "1" * 20, "四十五",
                                  "45_0", "4_5.3", "٤٥", "४५", "४५.३", "৪৫", "45²", "①", "1e2", "4.53E+1", "1e-05",
                                  "4 5", "1 234", "1,23,456", ",123", "1,234,56", "+-5", "Infinity", "0x10", "45.3.",
                                  "．", "-", ""])
def test_numbers_refuse_what_is_not_one(text):
    cents, _, bad = parse_cents(text)
    assert bad and cents == MISSING


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=Decimal("-99999"), max_value=Decimal("99999"), places=4, allow_nan=False))
def test_numbers_agree_with_decimal_half_up(value):
    assert parse_cents(str(value))[:2] == to_cents(value)


def test_number_column_spreads_unique_results_to_rows():
    parsed = parse_numbers(pd.Series(["45", "", "abc", "45", "45.333"], dtype="str"))
    assert parsed.values.tolist() == [4500, MISSING, MISSING, 4500, 4533]
    assert parsed.bad.tolist() == [False, False, True, False, False]
    assert parsed.blank.tolist() == [False, True, False, False, False]
    assert parsed.rounded.tolist() == [False, False, False, False, True]


def test_yes_no_words():
    text = pd.Series(["是", "否", "√", "×", "Y", "n", "1", "0", "TRUE", "false", "1.0", "", "x", "也许"], dtype="str")
    parsed = parse_yes_no(text)
    assert parsed.values.tolist() == [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, -1, -1, -1]
    assert parsed.bad.tolist() == [False] * 12 + [True, True]


def test_options():
    parsed = parse_options(pd.Series(["回迁", "产权调换", "货币补偿", "cash", "In-Kind", "", "搬走"], dtype="str"))
    assert parsed.values.tolist() == ["in_kind", "in_kind", "cash", "cash", "in_kind", "", ""]
    assert parsed.bad.tolist() == [False] * 6 + [True]


@pytest.mark.parametrize("text, day", [
    ("2025-10-01", dt.date(2025, 10, 1)), ("2025/10/1", dt.date(2025, 10, 1)), ("2025.10.01", dt.date(2025, 10, 1)),
    ("2025年10月1日", dt.date(2025, 10, 1)), ("20251001", dt.date(2025, 10, 1)), ("45931", dt.date(2025, 10, 1)),
    ("2025-10-01 00:00:00", dt.date(2025, 10, 1)), ("2024-02-29", dt.date(2024, 2, 29)),
])
def test_dates_in_the_forms_clerks_write(text, day):
    value, _, bad = parse_date_text(text)
    assert not bad and value == np.datetime64(day, "D")


@pytest.mark.parametrize("text", ["2025-02-30", "2023-02-29", "2025-13-01", "明年", "10/01/2025", "2025-10-01 08:30"])
def test_impossible_or_unclear_dates_are_bad(text):
    assert parse_date_text(text)[2]


def test_date_column():
    parsed = parse_dates(pd.Series(["2025-10-01", "", "2025-02-30"], dtype="str"))
    assert parsed.values.astype(str).tolist() == ["2025-10-01", "NaT", "NaT"]
    assert parsed.bad.tolist() == [False, False, True]


def test_ids_stay_text_with_final_x():
    ids = clean_ids(pd.Series(["23272219750123056x", "０１２３", " H 001 ", "110101199001011234"], dtype="str"))
    assert ids.tolist() == ["23272219750123056X", "0123", "H001", "110101199001011234"]


def test_fast_typed_frame_equals_typed_frame():
    """The batch's array builder gives exactly the engine's typed frame for the same inputs."""
    areas = [Decimal("45"), Decimal("45.335"), Decimal("52.3"), Decimal("80")]
    units = [Decimal("48"), Decimal("58"), None, Decimal("75.004")]
    prices = [None, None, Decimal("2150"), Decimal("1800.005")]
    rates = [None, Decimal("30"), None, None]
    moves = [None, dt.date(2025, 10, 1), None, dt.date(2024, 2, 29)]
    efficient = [None, False, True, None]
    reference = typed_frame(household_id=["a", "b", "c", "d"], option=["in_kind", "in_kind", "cash", "in_kind"],
                            original_area=areas, unit_area=units, low_income=[False, True, False, False],
                            defer=[False, True, False, False], appraised_price=prices, energy_efficient=efficient,
                            heating_rate=rates, move_in_date=moves, policy=POLICY.rules)

    def cents(values):
        pairs = [to_cents(v) if v is not None else (MISSING, False) for v in values]
        return np.array([p[0] for p in pairs], dtype=np.int64), np.array([p[1] for p in pairs])

    (a, ra), (u, ru), (p, rp), (r, rr) = cents(areas), cents(units), cents(prices), cents(rates)
    fast = fast_typed_frame(
        household_id=np.array(["a", "b", "c", "d"], dtype=object), option=np.array(["in_kind", "in_kind", "cash", "in_kind"], dtype=object),
        original_area_c=a, rounded_original_area=ra, unit_area_c=u, rounded_unit_area=ru, appraised_price_c=p,
        rounded_appraised_price=rp, heating_rate_c=r, rounded_heating_rate=rr,
        low_income=np.array([False, True, False, False]), defer=np.array([False, True, False, False]),
        energy_efficient=np.array([-1, 0, 1, -1], dtype=np.int8),
        move_in=np.array([np.datetime64("NaT"), "2025-10-01", "NaT", "2024-02-29"], dtype="datetime64[D]"),
        policy=POLICY.rules)
    pd.testing.assert_frame_equal(fast, reference)
    assert fast["rounded_original_area"].tolist() == [False, True, False, False]
