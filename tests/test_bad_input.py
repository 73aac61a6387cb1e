"""Bad input: every error names the field and the value, in Chinese and English; nothing is guessed."""
import pytest

from calculator import InputErrors, quote


def errors_of(loaded, **values):
    with pytest.raises(InputErrors) as caught:
        quote(loaded, **values)
    return [(e.field, e.value, e.message_zh, e.message_en) for e in caught.value.errors]


def test_negative_original_area(tahe):
    assert errors_of(tahe, original_area="-3", unit_area="40") == [
        ("original_area", "-3", "原房屋建筑面积必须大于0，输入为 -3", "original area must be > 0, got -3")]


@pytest.mark.parametrize("field,value,fragment", [
    ("original_area", "abc", "must be a number, got abc"),
    ("original_area", "NaN", "must be a number, got NaN"),
    ("original_area", "1" + "0" * 30, "out of range, got 1" + "0" * 30),
    ("original_area", "1e30", "must be a number, got 1e30"),
    ("original_area", "45_0", "must be a number, got 45_0"),
    ("original_area", "٤٥", "must be a number, got ٤٥"),
    ("unit_area", "४८", "must be a number, got ४८"),
    ("appraised_price", "5_000", "must be a number, got 5_000"),
    ("heating_rate", "2_5", "must be a number, got 2_5"),
    ("original_area", "-3.456", "must be > 0, got -3.456"),
    ("original_area", "10,000.006", "must be at most 10000 m², got 10,000.006"),
    ("original_area", "10000.01", "must be at most 10000 m², got 10000.01"),
    ("original_area", "0", "must be > 0, got 0"),
    ("unit_area", "0", "must be > 0, got 0"),
    ("unit_area", "-48", "must be > 0, got -48"),
    ("move_in_date", "2025-02-30", "must be a real date (YYYY-MM-DD), got 2025-02-30"),
    ("appraised_price", "-1", "must be > 0, got -1"),
    ("heating_rate", "0", "must be > 0, got 0"),
])
def test_each_bad_value_is_named(tahe, field, value, fragment):
    values = {"original_area": "45", "unit_area": "48", field: value}
    found = errors_of(tahe, **values)
    assert any(f == field and fragment in en and v == value for f, v, _, en in found), found
    assert all(zh and en for _, _, zh, en in found)


def test_in_kind_needs_a_unit_area(tahe):
    [(field, _, zh, en)] = errors_of(tahe, original_area="45")
    assert field == "unit_area" and "required" in en and "选择户型面积" in zh


def test_cash_without_appraised_price(tahe):
    [(field, _, _, en)] = errors_of(tahe, original_area="45", option="cash")
    assert field == "appraised_price" and "required for cash" in en


def test_shortfall_without_appraised_price(tahe):
    [(field, _, _, en)] = errors_of(tahe, original_area="50", unit_area="48")
    # The message names the item that needs the price (D3's compensation for the untaken area).
    assert field == "appraised_price" and "required for cash compensation for the untaken area" in en


def test_cash_with_a_unit_area_is_a_conflict(tahe):
    [(field, value, _, en)] = errors_of(tahe, original_area="45", option="cash", unit_area="48", appraised_price="2000")
    assert (field, value) == ("unit_area", "48") and "must be blank" in en


def test_deferral_without_low_income(tahe):
    [(field, _, zh, en)] = errors_of(tahe, original_area="45", unit_area="48", defer=True)
    assert field == "defer" and "not low-income" in en and "低保户" in zh


def test_deferral_with_cash(tahe):
    found = errors_of(tahe, original_area="45", option="cash", appraised_price="2000", low_income=True, defer=True)
    assert [f for f, *_ in found] == ["defer"] and "no payment to defer" in found[0][3]


def test_deferral_with_nothing_to_defer(tahe):
    # A = 48 is a standard type: no reasonable-extra area, so nothing can be deferred.
    [(field, _, zh, en)] = errors_of(tahe, original_area="48", unit_area="58", low_income=True, defer=True)
    assert field == "defer" and "nothing to defer" in en and "没有可缓交" in zh


def test_unknown_option_and_several_errors_at_once(tahe):
    found = errors_of(tahe, original_area="45", option="swap")
    assert found[0][0] == "option" and "in-kind resettlement or cash compensation" in found[0][3]
    found = errors_of(tahe, original_area="-1", unit_area="-2", appraised_price="-3")
    assert {f for f, *_ in found} == {"original_area", "unit_area", "appraised_price"}


def test_a_move_in_date_far_outside_the_programme_is_refused(tahe):
    # 9998-01-01 was accepted and its second installment fell after the year 9999, which no date can hold.
    [(field, value, zh, en)] = errors_of(tahe, original_area="36.5", unit_area="40", low_income=True, defer=True,
                                         move_in_date="9998-01-01")
    assert (field, value) == ("move_in_date", "9998-01-01") and "between 1900-01-01 and 2199-12-31" in en and "入住日期" in zh
