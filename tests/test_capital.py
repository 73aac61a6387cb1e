"""Capital numerals (大写) against a table of known cases, a round trip back to fen, and refused amounts."""
import re
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from calculator.capital import MAX_FEN, to_capital

# (amount in yuan, capital numerals). Cases marked "PBOC" are the examples of the 支付结算办法 rules for
# financial documents; where the rules allow two forms (one 零 or none; 整 after 角 or not) this
# implementation's form is the one listed, and the comment names the other.
KNOWN = [
    ("0", "零元整"),
    ("0.01", "壹分"),
    ("0.04", "肆分"),
    ("0.10", "壹角整"),  # 整 after 角 is allowed (may also be left out)
    ("0.55", "伍角伍分"),
    ("1.01", "壹元零壹分"),
    ("1.10", "壹元壹角整"),
    ("10", "壹拾元整"),  # 壹拾, never a bare 拾, on a financial document
    ("10.05", "壹拾元零伍分"),
    ("101", "壹佰零壹元整"),
    ("110", "壹佰壹拾元整"),
    ("325.04", "叁佰贰拾伍元零肆分"),  # PBOC
    ("720", "柒佰贰拾元整"),  # §8 example 3, due before move-in
    ("1409.50", "壹仟肆佰零玖元伍角整"),  # PBOC writes 壹仟肆佰零玖元伍角 (整 optional after 角)
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),  # PBOC also allows 壹仟陆佰捌拾元零叁角贰分
    ("2800", "贰仟捌佰元整"),
    ("3520", "叁仟伍佰贰拾元整"),  # §8 example 3, net
    ("6007.14", "陆仟零柒元壹角肆分"),  # PBOC
    ("10005", "壹万零伍元整"),
    ("11264", "壹万壹仟贰佰陆拾肆元整"),  # §8 example 5
    ("17364", "壹万柒仟叁佰陆拾肆元整"),  # §8 example 1
    ("29544", "贰万玖仟伍佰肆拾肆元整"),  # §8 example 2
    ("100000", "壹拾万元整"),
    ("107000.53", "壹拾万柒仟元伍角叁分"),  # PBOC: 壹拾万柒仟元零伍角叁分 or 壹拾万零柒仟元伍角叁分; no 零 is allowed too
    ("110000", "壹拾壹万元整"),
    ("112445", "壹拾壹万贰仟肆佰肆拾伍元整"),
    ("1000100", "壹佰万零壹佰元整"),
    ("60000000", "陆仟万元整"),
    ("10000100", "壹仟万零壹佰元整"),
    ("10101010", "壹仟零壹拾万壹仟零壹拾元整"),
    ("100000000", "壹亿元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("101000000", "壹亿零壹佰万元整"),
    ("100001000", "壹亿零壹仟元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("200000000.10", "贰亿元壹角整"),
    ("1000000001", "壹拾亿零壹元整"),
    ("9999999999.99", "玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("-112445", "负壹拾壹万贰仟肆佰肆拾伍元整"),  # §8 example 4 (the household receives it)
    ("-0.05", "负伍分"),
    ("-0.00", "零元整"),
]


@pytest.mark.parametrize("amount, expected", KNOWN)
def test_known_cases(amount, expected):
    assert to_capital(Decimal(amount)) == expected
    assert to_capital(amount) == expected


@pytest.mark.parametrize("amount, expected", KNOWN)
def test_integer_fen_gives_the_same_text(amount, expected):
    fen = int(Decimal(amount) * 100)
    assert to_capital(fen, fen=True) == expected


@pytest.mark.parametrize("amount", ["10000000000", "9999999999.999", "0.001", "-10000000000.00", "12.345"])
def test_refuses_amounts_it_cannot_write(amount):
    with pytest.raises(ValueError):
        to_capital(amount)


DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
PLACE = {"仟": 1000, "佰": 100, "拾": 10}


def _section(text: str) -> int:
    """贰仟零伍拾 -> 2050 (a group below 万)."""
    total, digit = 0, 0
    for ch in text:
        if ch in PLACE:
            total += digit * PLACE[ch]
            digit = 0
        else:
            digit = DIGIT[ch]
    return total + digit


def parse_capital(text: str) -> int:
    """Read capital numerals back into fen: the inverse this test holds to_capital to."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    yuan_text, _, rest = text.rpartition("元") if "元" in text else ("", "", text)
    fen = 0
    for unit, scale in (("角", 10), ("分", 1)):
        if unit in rest:
            head, rest = rest.split(unit)
            fen += DIGIT[head[-1]] * scale
    yuan = 0
    for unit, scale in (("亿", 10**8), ("万", 10**4)):
        if unit in yuan_text:
            head, yuan_text = yuan_text.split(unit)
            yuan += _section(head.replace("零", "")) * scale
    yuan += _section(yuan_text.replace("零", ""))
    return sign * (yuan * 100 + fen)


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN))
def test_round_trip_and_form(fen):
    text = to_capital(fen, fen=True)
    assert parse_capital(text) == fen
    if fen:
        # one 零 for a run of zeros, never before a unit and never leading
        assert not re.search(r"零零|零[元万亿]|^负?零", text), text
    assert text.endswith("分") != text.endswith("整")  # 整 exactly when there are no fen
    assert all(ch in "负零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整" for ch in text)
