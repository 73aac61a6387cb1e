"""Display text for results: money as ¥1,234.56, areas in m², percentages, capital numerals."""
from __future__ import annotations

from decimal import Decimal

from calculator.capital import to_capital
from calculator.fixed import money

__all__ = ["money", "area", "percent", "capital", "plain"]


def plain(value: Decimal) -> str:
    """A policy number as written, without padding zeros: Decimal('48.00') -> '48'."""
    text = format(Decimal(value).normalize(), "f")
    return text


def area(value: Decimal) -> str:
    """45 -> '45.00 ㎡'."""
    return f"{Decimal(value):,.2f} ㎡"


def percent(value: Decimal) -> str:
    return f"{plain(value)}%"


def capital(value: Decimal) -> str:
    """The amount in Chinese capital numerals, without its sign (the label says who pays whom)."""
    return to_capital(abs(Decimal(value)))
