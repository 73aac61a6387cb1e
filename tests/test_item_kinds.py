"""Every item kind of the catalogue on worked figures (tests/policies/all_kinds.toml), through the public quote()."""
from decimal import Decimal
from pathlib import Path

import pytest

from calculator import InputErrors, load_policy, quote

POLICY = load_policy(str(Path(__file__).resolve().parent / "policies" / "all_kinds.toml"))


def lines(q, lang="zh"):
    return {i.code: (str(i.amount), i.formula(lang)) for i in q.items + q.shown}


def test_in_kind_household_with_every_kind():
    q = quote(POLICY, original_area="40", unit_area="100", low_income=True,
              inputs={"persons": "4", "signing_date": "2026-01-20", "decoration": "12345.67", "category": "特困"})
    # The standard area is persons × 30 m² = 120 m² (the low-income 45 m² floor is below it).
    assert q.areas["standard"] == Decimal("120.00")
    assert lines(q) == {
        "one": ("4000.00", "40.00 ㎡ × 100.00 元/㎡ = 4,000.00"),
        "std": ("60000.00", "60.00 ㎡ × 1,000.00 元/㎡ = 60,000.00"),
        "beyond": ("0.00", "0.00 ㎡ × 5,000.00 元/㎡ × 50% = 0.00"),
        # 40 m² × 12.50 = 500.00 a month is below the 800.00 floor: the floor is what is multiplied.
        "transition": ("-19200.00", "800.00 元/月 × 24 月 = 19,200.00"),
        "signing": ("-20000.00", "20,000.00 元/户 = 20,000.00"),  # day 19 after the announcement: first tier
        "decoration_comp": ("-12345.67", "12,345.67 元 = 12,345.67"),  # 100 %: a share of one is not printed
        "subsidy": ("-3000.00", "3,000.00 元 = 3,000.00"),  # 4 × 1,000.00 = 4,000.00, capped at 3,000.00
        "moving": ("-1500.00", "1,500.00 元/户 = 1,500.00"),
    }
    assert q.item("transition").note_en == "below the monthly floor: the floor applies"
    assert q.item("subsidy").note_en == "above the cap: the cap applies"
    assert q.item("signing").note_en == "day 19 after the announcement (2026-01-01)"
    assert str(q.net_payable) == "7954.33"
    assert [(t.code, str(t.amount)) for t in q.totals] == [("rewards", "-24500.00")]
    assert [(i.name, i.value, i.text_zh) for i in q.inputs][:2] == [("persons", "4", "4 人"), ("months", "24", "24 月")]


def test_the_monthly_floor_does_not_bind_above_it_and_a_late_signing_gets_no_reward():
    q = quote(POLICY, original_area="80", unit_area="100",
              inputs={"persons": "2", "signing_date": "2026-03-15", "months": "12"})
    assert lines(q)["transition"] == ("-12000.00", "80.00 ㎡ × 12.50 元/㎡·月 × 12 月 = 12,000.00")
    assert q.item("signing") is None  # day 73: past the last tier
    # standard = max(2 × 30, 80) = 80: nothing between the original and the standard; 20 m² beyond at half price.
    assert lines(q)["beyond"] == ("50000.00", "20.00 ㎡ × 5,000.00 元/㎡ × 50% = 50,000.00")
    assert q.item("subsidy") is None and q.item("decoration_comp") is None


def test_low_income_floor_raises_the_standard_area_and_names_its_decision():
    q = quote(POLICY, original_area="30", unit_area="45", low_income=True, inputs={"persons": "1", "signing_date": "2026-05-01"})
    assert q.areas["standard"] == Decimal("45.00")
    assert [d.id for d in q.decisions] == ["D1"]
    assert lines(q)["std"] == ("15000.00", "15.00 ㎡ × 1,000.00 元/㎡ = 15,000.00")


def test_declared_inputs_are_checked_by_name_in_both_languages():
    with pytest.raises(InputErrors) as caught:
        quote(POLICY, original_area="40", unit_area="100",
              inputs={"persons": "99", "signing_date": "2026-13-01", "category": "xx", "months": "1.5", "pets": "2"})
    found = {(e.field, e.message_en) for e in caught.value.errors}
    assert ("pets", "this policy has no input 'pets' (it takes: category, decoration, months, persons, signing_date)") in found
    assert ("signing_date", "signing date must be a real date (YYYY-MM-DD), got 2026-13-01") in found
    assert ("category", "category must be one of: none, extreme poverty, got xx") in found
    assert ("months", "transition months must be a whole number, got 1.5") in found
    with pytest.raises(InputErrors) as caught:
        quote(POLICY, original_area="40", unit_area="100", inputs={"persons": "99"})
    assert [(e.field, e.message_zh) for e in caught.value.errors] == [("persons", "家庭人口不能超过20，输入为 99")]


def test_an_input_an_applying_item_reads_is_required_and_the_message_says_which_item():
    with pytest.raises(InputErrors) as caught:
        quote(POLICY, original_area="40", option="cash", inputs={"persons": "2", "signing_date": "2026-01-05"})
    [error] = caught.value.errors
    assert (error.field, error.message_zh) == ("appraised_price", "「货币补偿」须提供评估单价")


def test_cash_household_gets_the_items_for_cash_only():
    q = quote(POLICY, original_area="80", option="cash", appraised_price="3000",
              inputs={"persons": "2", "signing_date": "2026-02-20"})
    assert lines(q, "en") == {
        "signing": ("-10000.00", "10,000.00 yuan/household = 10,000.00"),
        "moving": ("-1500.00", "1,500.00 yuan/household = 1,500.00"),
        "cash_comp": ("-240000.00", "80.00 m² × 3,000.00 yuan/m² = 240,000.00"),
    }
