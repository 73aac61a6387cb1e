"""Every shipped policy, whatever its declared inputs: each line multiplies out, totals add up, blanks are named once."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import Household, InputErrors, load_policy, quote, quote_household
from calculator.policy import available_policies

SHIPPED = [load_policy(p) for p in available_policies()]
cents = lambda lo, hi: st.integers(lo, hi).map(lambda c: Decimal(c).scaleb(-2))  # noqa: E731


def declared_value(draw, decl):
    """A valid value of a declared input, as text a clerk could type."""
    if decl.type in ("area", "money"):
        low = int((decl.min or 0) * 100)
        return str(draw(cents(low, max(low, min(int(decl.max * 100), 2_000_000)))))
    if decl.type == "count":
        return str(draw(st.integers(int(decl.min or 0), int(decl.max))))
    if decl.type == "date":
        return draw(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31))).isoformat()
    if decl.type == "flag":
        return draw(st.sampled_from(["是", "否"]))
    return draw(st.sampled_from([c.value for c in decl.choices]))


@st.composite
def policy_and_household(draw):
    loaded = draw(st.sampled_from(SHIPPED))
    cash = draw(st.booleans())
    return loaded, Household(
        original_area=draw(cents(1, 30000)), option="cash" if cash else "in_kind",
        unit_area=None if cash else draw(cents(1, 30000)), low_income=draw(st.booleans()),
        appraised_price=draw(cents(1, 2_000_000)),
        inputs={d.name: declared_value(draw, d) for d in loaded.rules.inputs},
    )


@settings(max_examples=300, deadline=None)
@given(policy_and_household())
def test_every_line_multiplies_out_and_totals_add_up(case):
    loaded, household = case
    q = quote_household(household, loaded)
    for item in q.items + q.shown:
        product = Decimal(1)
        for factor in item.factors:
            product *= factor.value
        assert product.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == abs(item.amount), item.formula("en")
    assert q.net_payable == sum(i.amount for i in q.items)
    amounts = {i.code: i.amount for i in q.items}
    for total, rule in zip(q.totals, loaded.rules.totals):
        assert total.amount == sum(amounts.get(code, 0) for code in rule.items), total.code


def test_a_blank_required_input_is_named_once():
    with pytest.raises(InputErrors) as exc:
        quote(load_policy("expropriation_2011"), original_area="60", unit_area="50", appraised_price="9100",
              inputs={"signing_date": "2026-03-05"})
    fields = [e.field for e in exc.value.errors]
    assert fields == ["new_flat_price", "transition_months"]
    assert "产权调换房屋价值" in exc.value.errors[0].message_zh


def test_the_county_policies_ship():
    """Each shipped policy loads under its file name, the three county plans among them."""
    assert {lp.identity.id for lp in SHIPPED} == set(available_policies())
    assert {"tahe", "expropriation_2011", "per_person_quota", "percent_tiers"} <= set(available_policies())
