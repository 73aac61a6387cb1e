"""Display text for results: money as ¥1,234.56, areas in m², percentages, capital numerals; user text made inert."""
from __future__ import annotations

import re
from decimal import Decimal

from calculator.capital import to_capital
from calculator.fixed import money

__all__ = ["money", "area", "percent", "capital", "plain", "inert"]

# Every ASCII punctuation mark may be backslash-escaped in Markdown, and then shows as itself.
_MARKUP = re.compile(r"([!-/:-@\[-`{-~])")


def inert(text: str) -> str:
    """User text (a name, an id, a typed value, a file name) for st.markdown and messages: shown as typed, never
    as formatting, a link, an icon or a formula ('**x**' stays **x**, '[a](http://x)' is no link)."""
    return _MARKUP.sub(r"\\\1", str(text)).replace("\n", " ")


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
