"""Display text for results: money as ¥1,234.56, areas in m², percentages, capital numerals; user text made inert."""
from __future__ import annotations

import re
from decimal import Decimal

from calculator.capital import to_capital
from calculator.fixed import money

__all__ = ["money", "area", "percent", "capital", "plain", "inert"]

# What can start Markdown (or Streamlit's :icon: and :color[...]) inside a line is escaped with a backslash, which
# CommonMark allows before any ASCII punctuation and then shows the mark itself. An underscore inside a word
# (original_area) and a colon before a space cannot start anything and stay as they are, so messages read plainly.
_MARKUP = re.compile(r"[\\`*\[\]<>$~|&]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|:(?=[A-Za-z/])")
_LINE_START = re.compile(r"^(\s*)([-+#=>]|[0-9]+[.)])")  # a list, heading or quote where the text starts a line


def inert(text: str) -> str:
    """User text (a name, an id, a typed value, a file name) for st.markdown and messages: shown as typed, never
    as formatting, a link, an icon or a list ('**x**' stays **x**, '[a](http://x)' is no link)."""
    text = _MARKUP.sub(lambda m: "\\" + m.group(0), str(text).replace("\n", " ").replace("\r", " "))
    return _LINE_START.sub(lambda m: m.group(1) + "".join(c if c.isdigit() else "\\" + c for c in m.group(2)), text)


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
