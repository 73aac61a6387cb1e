"""The one sign convention every view shares: 应交 / 应领 (pays / receives), the amount always written positive."""
from __future__ import annotations

from decimal import Decimal

from .fixed import money

PAYS = ("应交", "pays")
RECEIVES = ("应领", "receives")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def direction(amount: Decimal, lang: str = "zh") -> str:
    """应交 for an amount the household pays (positive), 应领 for one it receives (negative)."""
    return _pick(RECEIVES if amount < 0 else PAYS, lang)


def signed_text(amount: Decimal, lang: str = "zh", symbol: str = "") -> str:
    """'应交 13,500.00' / '应领 30,000.00': never a bare minus in front of a resident; zero is just '0.00'."""
    if amount == 0:
        return money(Decimal(0), symbol)
    return f"{direction(amount, lang)} {money(abs(amount), symbol)}"


def signed_texts(hundredths, lang: str = "zh") -> list[str]:
    """signed_text over a whole column of int64 fen (-300000 -> '应领 3,000.00'), by integer arithmetic: the same
    text without a Decimal per cell."""
    pays, receives = _pick(PAYS, lang), _pick(RECEIVES, lang)
    out = []
    for fen in hundredths.tolist():
        whole, part = divmod(abs(fen), 100)
        figure = f"{whole:,}.{part:02d}"
        out.append(figure if fen == 0 else f"{receives if fen < 0 else pays} {figure}")
    return out


def xlsx_signed_format(lang: str = "zh") -> str:
    """The spreadsheet number format of a signed amount: the value stays a number (sums work), the cell reads
    '应交 13,500.00' or '应领 30,000.00'."""
    pays, receives = _pick(PAYS, lang), _pick(RECEIVES, lang)
    return f'"{pays} "#,##0.00;"{receives} "#,##0.00;0.00'
