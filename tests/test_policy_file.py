"""The policy validator refuses a broken policy with the file, the key and the reason."""
from pydantic import BaseModel

import pytest

from calculator.policy import POLICY_DIR, PolicyError, available_policies, load_policy, parse_policy

TAHE_TEXT = (POLICY_DIR / "tahe.toml").read_text("utf-8")


def problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text.encode("utf-8"), "broken.toml")
    assert "broken.toml" in str(caught.value)
    return caught.value.problems


def test_bundled_policy_loads_with_identity(tahe):
    import hashlib
    assert tahe.identity.id == "tahe" and tahe.identity.version
    assert tahe.identity.sha256 == hashlib.sha256((POLICY_DIR / "tahe.toml").read_bytes()).hexdigest()
    assert "tahe" in available_policies()
    assert [str(a) for a in tahe.rules.type_areas] == ["40.00", "48.00", "58.00", "68.00", "75.00"]


def test_every_param_has_unit_labels_and_source(tahe):
    from calculator.policy import Param

    def walk(node):
        if isinstance(node, Param):
            yield node
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                yield from walk(getattr(node, name))
        elif isinstance(node, list):
            for x in node:
                yield from walk(x)

    params = list(walk(tahe.rules))
    assert len(params) >= 20
    assert all(p.unit and p.label_zh and p.label_en and p.source for p in params)


def test_missing_source():
    text = TAHE_TEXT.replace(', source = "五、6: 按每平方米18元" }', " }", 1)
    found = problems(text)
    assert any(key == "items.maintenance_fund.rate.source" and "missing" in reason for key, reason in found)


def test_negative_price():
    text = TAHE_TEXT.replace("rate = { value = 300.00,", "rate = { value = -300.00,", 1)
    found = problems(text)
    assert any("items.structure_difference.rate.value" == key and "negative" in reason for key, reason in found)


def test_shares_not_summing_to_100():
    text = TAHE_TEXT.replace('share = { value = 25, unit = "%"', 'share = { value = 35, unit = "%"', 1)
    found = problems(text)
    assert any("unit_types" in key and "sum to 100 %, got 110 %" in reason for key, reason in found)


def test_installment_shares_not_summing_to_100():
    text = TAHE_TEXT.replace('share = { value = 40, unit = "%", label_zh = "第二期比例"',
                             'share = { value = 30, unit = "%", label_zh = "第二期比例"', 1)
    assert any("deferral" in key and "got 90 %" in reason for key, reason in problems(text))


def test_unknown_key():
    text = TAHE_TEXT.replace("[heating]\n", "[heating]\nefficient_ration = 0.7\n", 1)
    found = problems(text)
    assert any(key == "heating.efficient_ration" and "unknown key" in reason for key, reason in found)


def test_open_ended_band_before_another():
    # Bands are cut in file order (a later bound below an earlier one only gives an empty band), so the ordering
    # mistake left is an open-ended band that is not the last: every band after it would always be 0.
    text = TAHE_TEXT.replace('to = "standard"\n', "", 1)
    found = problems(text)
    assert any(key == "items.reasonable_extra_area.to" and "only the last area band may be open-ended" in reason
               and "excess_area" in reason for key, reason in found)


def test_undefined_decision():
    text = TAHE_TEXT.replace('rate_decision = "D5"', 'rate_decision = "D9"', 1)
    assert any("'D9'" in reason for _, reason in problems(text))


def test_not_toml():
    assert problems("this is = = not toml")[0][0] == "(file)"


def test_unknown_policy_id():
    with pytest.raises(PolicyError) as caught:
        load_policy("no_such_county")
    assert "tahe" in str(caught.value)
