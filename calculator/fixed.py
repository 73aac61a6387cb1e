"""Exact fixed-point numbers: areas in 0.01 m² and money in fen as int64, half-up rounding, formatting."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

CENTS = 100  # both areas (0.01 m²) and money (fen) carry two decimals
MISSING = np.iinfo(np.int64).min  # an input that was left blank


def to_cents(value: Decimal) -> tuple[int, bool]:
    """Round a Decimal half up to two decimals; return (hundredths, whether rounding changed it)."""
    scaled = value * CENTS
    rounded = scaled.to_integral_value(rounding=ROUND_HALF_UP)
    return int(rounded), rounded != scaled


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def div_round_half_up(numerator: np.ndarray, denominator: int) -> np.ndarray:
    """numerator / denominator rounded half up (away from zero on .5), exactly, over int64 arrays."""
    numerator = np.asarray(numerator, dtype=np.int64)
    negative = numerator < 0
    if not negative.any():  # the common case: one pass fewer
        return (numerator * 2 + denominator) // (2 * denominator)
    magnitude = (np.abs(numerator) * 2 + denominator) // (2 * denominator)
    return np.where(negative, -magnitude, magnitude)


def times_fraction(amount: np.ndarray, fraction: tuple[int, int]) -> np.ndarray:
    """amount × (num/den), rounded half up once."""
    num, den = fraction
    return div_round_half_up(np.asarray(amount, dtype=np.int64) * num, den)


def area_times_price(area_cm2: np.ndarray, price_fen: np.ndarray, fraction: tuple[int, int] = (1, 1)) -> np.ndarray:
    """(area in 0.01 m²) × (price in fen per m²) × fraction, in fen, rounded half up once."""
    num, den = fraction
    product = np.asarray(area_cm2, dtype=np.int64) * np.asarray(price_fen, dtype=np.int64) * num
    return div_round_half_up(product, CENTS * den)


def fmt_cents(cents: int) -> str:
    """Two-decimal text of a hundredths value: 1350000 -> '13500.00', -5 -> '-0.05'."""
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), CENTS)
    return f"{sign}{whole}.{part:02d}"


def fmt_money(fen: int, symbol: str = "¥") -> str:
    """Display money: -1234567 -> '-¥12,345.67'."""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), CENTS)
    return f"{sign}{symbol}{whole:,}.{part:02d}"


def money(amount, symbol: str = "¥") -> str:
    """Display a Decimal yuan amount (as in a Quote): Decimal('-1234.5') -> '-¥1,234.50'."""
    return fmt_money(to_cents(Decimal(str(amount)))[0], symbol)
