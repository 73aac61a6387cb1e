"""Amounts in Chinese capital numerals (大写) as financial documents write them: 贰万玖仟伍佰肆拾肆元整."""
from __future__ import annotations

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("仟", "佰", "拾", "")
GROUPS = ((10**8, "亿"), (10**4, "万"), (1, ""))
MAX_FEN = 999_999_999_999  # 9,999,999,999.99 yuan


def _group(n: int) -> str:
    """0 < n < 10000: digits with 仟佰拾, one 零 for a run of inner zeros, none at the end."""
    out, zero = [], False
    started = False
    for place, digit in zip(PLACES, f"{n:04d}"):
        d = int(digit)
        if d == 0:
            zero = started
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + place)
        started = True
    return "".join(out)


def _yuan(n: int) -> str:
    out, started, gap = [], False, False
    for size, unit in GROUPS:
        group = (n // size) % 10000
        if group == 0:
            gap = gap or started
            continue
        if started and (gap or group < 1000):
            out.append("零")
        out.append(_group(group) + unit)
        started, gap = True, False
    return "".join(out)


def to_capital(amount: Decimal | int | str, *, fen: bool = False) -> str:
    """Capital numerals of a yuan amount (or of integer fen with fen=True); negative amounts start with 负."""
    total = int(amount) if fen else int((Decimal(str(amount)) * 100).to_integral_value())
    if not fen and Decimal(str(amount)) * 100 != total:
        raise ValueError(f"amount has more than two decimals: {amount}")
    sign = "负" if total < 0 else ""
    total = abs(total)
    if total > MAX_FEN:
        raise ValueError(f"amount above 9,999,999,999.99: {amount}")
    yuan, rest = divmod(total, 100)
    jiao, fen_digit = divmod(rest, 10)
    if total == 0:
        return "零元整"
    text = _yuan(yuan) + "元" if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    if fen_digit:
        if yuan and not jiao:
            text += "零"
        text += DIGITS[fen_digit] + "分"
    else:
        text += "整"
    return sign + text
