"""Invariants of the engine, checked by hypothesis over many generated households, under both policies."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import Household, InputErrors, load_policy, quote_household, settle_frame
from calculator.fixed import area_times_price, times_fraction
from calculator.household import households_to_frame
from calculator.result import build_quote

TAHE, COUNTY = load_policy("tahe"), load_policy(Path(__file__).parent / "policies" / "county_b.toml")
POLICIES = st.sampled_from([TAHE, COUNTY])
cents = lambda lo, hi: st.integers(lo, hi).map(lambda c: Decimal(c).scaleb(-2))  # noqa: E731
AREA = cents(1, 30000)  # 0.01 … 300.00 m²
PRICE = cents(1, 1000000)  # 0.01 … 10,000.00 yuan/m²


@st.composite
def households(draw, in_kind_only=False):
    cash = False if in_kind_only else draw(st.booleans())
    low = draw(st.booleans())
    a = draw(AREA)
    u = None if cash else draw(AREA)
    needs_price = cash or u < a
    return Household(
        original_area=a, unit_area=u, option="cash" if cash else "in_kind", low_income=low,
        appraised_price=draw(PRICE) if needs_price or draw(st.booleans()) else None,
        energy_efficient=draw(st.sampled_from([None, True, False])),
        heating_rate=draw(st.one_of(st.none(), cents(1, 10000))),
        move_in_date=draw(st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)))),
    )


def band_codes(loaded):
    return [b.code for b in loaded.rules.bands]


@settings(max_examples=150, deadline=None)
@given(POLICIES, AREA, AREA)
def test_band_areas_add_up_to_the_chosen_area(loaded, a, u):
    if u < a:
        u, a = a, u
    q = quote_household(Household(original_area=a, unit_area=u), loaded)
    keys = [b.area_key for b in loaded.rules.bands]
    assert sum(q.areas[k] for k in keys) == q.areas["chosen"] == u
    assert q.areas["shortfall"] == 0
    assert q.areas["standard"] >= q.areas["original"]


@settings(max_examples=80, deadline=None)
@given(POLICIES, households(in_kind_only=True))
def test_installments_sum_to_the_deferred_total(loaded, h):
    h = h.model_copy(update={"low_income": True, "defer": True})
    try:
        q = quote_household(h, loaded)
    except InputErrors as exc:  # nothing to defer (no reasonable-extra area) is an input error by design
        assert [e.field for e in exc.errors] == ["defer"] and "nothing to defer" in exc.errors[0].message_en
        assert quote_household(h.model_copy(update={"defer": False}), loaded).deferred.total == 0
        return
    parts = [i.amount for i in q.deferred.installments]
    assert len(parts) == len(loaded.rules.deferral.installments)
    assert sum(parts) == q.deferred.total > 0
    assert q.due_before_move_in == q.net_payable - q.deferred.total


@settings(max_examples=80, deadline=None)
@given(POLICIES, households())
def test_low_income_never_pays_more(loaded, h):
    regular = quote_household(h.model_copy(update={"low_income": False}), loaded)
    low = quote_household(h.model_copy(update={"low_income": True}), loaded)
    assert low.net_payable <= regular.net_payable


@settings(max_examples=80, deadline=None)
@given(POLICIES, households())
def test_net_is_the_sum_of_the_items_and_heating_saves(loaded, h):
    q = quote_household(h, loaded)
    assert q.net_payable == sum(i.amount for i in q.items)
    for item in q.items:
        assert item.amount == item.amount.quantize(Decimal("0.01"))
    if q.heating:
        assert 0 <= q.heating.annual <= q.heating.standard_annual
        assert q.heating.saving == q.heating.standard_annual - q.heating.annual


@settings(max_examples=20, deadline=None)
@given(POLICIES, st.lists(households(), min_size=1, max_size=25))
def test_the_batch_equals_n_single_quotes(loaded, batch):
    frame = households_to_frame(batch, loaded.rules)
    outcome = settle_frame(frame, loaded)
    assert not outcome.errors
    for position, h in enumerate(batch):
        assert build_quote(outcome, position, loaded) == quote_household(h, loaded)


@settings(max_examples=500, deadline=None)
@given(st.integers(-10**9, 10**9), st.integers(0, 10**7))
def test_area_times_price_rounds_half_up_like_decimal(area_c, price_fen):
    exact = Decimal(area_c) * Decimal(price_fen) / Decimal(10000)
    expected = int((exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100))
    assert area_times_price(np.array([area_c]), np.array([price_fen]))[0] == expected


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 10**12), st.sampled_from([(3, 5), (2, 5), (1, 2), (3, 10), (7, 10), (1, 3)]))
def test_shares_round_half_up(amount_fen, fraction):
    num, den = fraction
    expected = int((Decimal(amount_fen) * num / den).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert times_fraction(np.array([amount_fen]), fraction)[0] == expected
