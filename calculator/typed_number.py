"""Number text as a person types it, read strictly: ASCII or full-width digits, a sign, one point, thousands commas.

Python's Decimal would also take '45_0' (450), '٤٥' or '४५' (45), '1e2' and 'Infinity'; a clerk's typo must not
become another number, so everything the survey, the counter and the command line read as a number goes
through `number_digits` and nothing else is accepted.
"""
from __future__ import annotations

import re
from decimal import Decimal

# Full-width forms (what a Chinese input method types) to ASCII, and the two symbols a clerk types with a number.
_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: " ", 0x33A1: "m2", 0xFFE5: "¥"}
# Units a clerk types around a number (after the full-width forms became ASCII).
_UNITS = re.compile(r"^[¥$]\s*|\s*(元/平方米|元/平米|元/m2|元/m²|平方米|平米|m2|m²|元|平|yuan|sqm)$")
_NUMBER = re.compile(r"([+-]?)(?:([0-9]{1,3}(?:,[0-9]{3})+)|([0-9]*))(?:\.([0-9]*))?", re.ASCII)


def number_digits(text: str) -> tuple[str, str, str] | None:
    """'45.3㎡' -> ('', '45', '3'); '-1,234.5' -> ('-', '1234', '5'); '４５' -> ('', '45', ''); None if not a number."""
    s = text.translate(_WIDE).strip().lower()
    s = _UNITS.sub("", s)
    m = _NUMBER.fullmatch(s)
    if m is None:
        return None
    whole = (m.group(2) or "").replace(",", "") or m.group(3) or ""
    frac = m.group(4) or ""
    if not whole and not frac:
        return None
    return m.group(1), whole, frac


def parse_decimal(text: str) -> Decimal | None:
    """The exact Decimal of typed number text (digits kept as typed: '45.300' stays 45.300), or None."""
    digits = number_digits(text)
    if digits is None:
        return None
    sign, whole, frac = digits
    return Decimal(f"{sign}{whole or '0'}.{frac}" if frac else f"{sign}{whole}")
