"""Policies with declared inputs: a blank required input is named once."""
import pytest

from calculator import InputErrors, load_policy, quote


def test_a_blank_required_input_is_named_once():
    with pytest.raises(InputErrors) as exc:
        quote(load_policy("expropriation_2011"), original_area="60", unit_area="50", appraised_price="9100",
              inputs={"signing_date": "2026-03-05"})
    fields = [e.field for e in exc.value.errors]
    assert fields == ["new_flat_price", "transition_months"]
    assert "产权调换房屋价值" in exc.value.errors[0].message_zh
