"""Every line multiplies out: under every shipped policy, each item's factors, multiplied and rounded half up to
the fen, give the amount shown (its absolute value), and the formula printed is made of exactly those figures."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InputErrors, load_policy, quote
from calculator.fixed import fmt_money

ROOT = Path(__file__).resolve().parent.parent
POLICY_FILES = sorted((ROOT / "policies").glob("*.toml")) + sorted((ROOT / "tests" / "policies").glob("*.toml"))
cents = lambda lo, hi: st.integers(lo, hi).map(lambda c: str(Decimal(c).scaleb(-2)))  # noqa: E731


def declared_value(decl):
    """A strategy for one declared input, within its limits."""
    low = decl.min if decl.min is not None else Decimal(0)
    if decl.type in ("area", "money"):
        return cents(int(low * 100), int(min(decl.max, Decimal(100000)) * 100))
    if decl.type == "count":
        return st.integers(int(low), int(min(decl.max, Decimal(1000)))).map(str)
    if decl.type == "date":
        return st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(str)
    if decl.type == "flag":
        return st.booleans()
    return st.sampled_from([c.value for c in decl.choices])


@st.composite
def household(draw, loaded):
    rules = loaded.rules
    cash = draw(st.booleans())
    values = {"original_area": draw(cents(1, 30000)), "option": "cash" if cash else "in_kind",
              "low_income": draw(st.booleans()), "appraised_price": draw(cents(1, 2000000))}
    if not cash:
        if rules.unit_types and draw(st.booleans()):
            values["unit_area"] = str(draw(st.sampled_from(rules.type_areas)))
        else:
            values["unit_area"] = draw(cents(1, 30000))
    if draw(st.booleans()):
        values["move_in_date"] = str(draw(st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31))))
    inputs = {d.name: draw(declared_value(d)) for d in rules.inputs if d.required or draw(st.integers(0, 9)) > 0}
    if inputs:
        values["inputs"] = inputs
    return values


def product_in_fen(factors) -> Decimal:
    total = Decimal(1)
    for f in factors:
        total *= f.value
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_multiplies_out(q) -> int:
    for item in q.items + q.shown:
        assert item.factors, item.code
        assert product_in_fen(item.factors) == abs(item.amount), (item.code, item.formula("en"))
        assert (item.amount < 0) == (item.direction == "receive" and item.amount != 0), item.code
        shown = item.formula("zh")
        assert shown.endswith(f"= {fmt_money(int(abs(item.amount) * 100), '')}")
        for factor in item.factors:
            assert factor.text("zh") in shown
    return len(q.items + q.shown)


@pytest.mark.parametrize("path", POLICY_FILES, ids=[p.stem for p in POLICY_FILES])
def test_every_item_of_every_policy_multiplies_out(path):
    loaded = load_policy(path)
    seen = {"quoted": 0}

    @settings(max_examples=150, deadline=None)
    @given(household(loaded))
    def run(values):
        try:
            q = quote(loaded, **values)
        except InputErrors:
            return
        seen["quoted"] += 1
        check_multiplies_out(q)

    run()
    assert seen["quoted"] > 30, "too few generated households were accepted to say anything"


def test_county_b_cash_line_shows_the_share_it_applied():
    # Found by a user: 50.01 × 2,200.06 was shown for −110,024.75. The share is a factor of its own now.
    q = quote(load_policy(str(ROOT / "tests/policies/county_b.toml")), original_area="50.01", option="cash",
              appraised_price="2000.05")
    [item] = q.items
    assert item.amount == Decimal("-110024.75")
    assert [(f.value, f.unit) for f in item.factors] == [(Decimal("50.01"), "m2"), (Decimal("2000.05"), "CNY/m2"),
                                                         (Decimal("1.10"), "ratio")]
    assert item.formula("zh") == "50.01 ㎡ × 2,000.05 元/㎡ × 110% = 110,024.75"
    assert item.formula("en") == "50.01 m² × 2,000.05 yuan/m² × 110% = 110,024.75"


def test_low_income_rate_is_the_factor_shown():
    q = quote(load_policy("tahe"), original_area="36.5", unit_area="40", low_income=True)
    line = q.item("reasonable_extra_area")
    assert line.formula("zh") == "3.50 ㎡ × 800.00 元/㎡ = 2,800.00"
    assert line.factors[1].label_en == "reasonable extra area price, low-income"
