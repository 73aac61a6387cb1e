"""Units of the policy file as exponents of base dimensions: "CNY/m2/month" is CNY¹·m²⁻¹·month⁻¹.

A unit string is a numerator followed by denominators separated by "/". "%" and "ratio" have no dimension
("%" divides the value by 100). "household" counts one per household, so it cancels to nothing: a rate in
CNY/household times one household is CNY. Products of an item's factors must come to CNY.
"""
from __future__ import annotations

from collections import Counter

BASES = ("CNY", "m2", "person", "month", "year", "day", "season", "time")
NO_DIMENSION = ("%", "ratio", "household", "1")
LABELS = {  # how a unit is printed for a resident
    "CNY": ("元", "yuan"), "m2": ("㎡", "m²"), "person": ("人", "person"), "month": ("月", "month"),
    "year": ("年", "year"), "day": ("天", "day"), "season": ("采暖期", "season"), "time": ("次", "time"),
    "household": ("户", "household"), "%": ("%", "%"), "ratio": ("", ""),
}

Dims = frozenset  # frozenset of (base, exponent) pairs with exponent != 0


class UnitError(ValueError):
    pass


def parse(unit: str) -> Dims:
    """'CNY/m2/month' -> {CNY: 1, m2: -1, month: -1}; refuses a word it does not know."""
    parts = [p.strip() for p in unit.split("/")]
    if not unit.strip() or any(not p for p in parts):
        raise UnitError(f"empty unit in '{unit}'")
    counts: Counter = Counter()
    for i, part in enumerate(parts):
        if part in NO_DIMENSION:
            continue
        if part not in BASES:
            known = ", ".join(BASES + NO_DIMENSION)
            raise UnitError(f"unknown unit '{part}' in '{unit}' (known: {known})")
        counts[part] += 1 if i == 0 else -1
    return dims(counts)


def dims(counts: Counter | dict) -> Dims:
    return frozenset((k, v) for k, v in counts.items() if v)


def times(a: Dims, b: Dims) -> Dims:
    counts = Counter(dict(a))
    counts.update(dict(b))
    return dims(counts)


def is_dimensionless(unit: str) -> bool:
    return parse(unit) == NONE


def decimals(d: Dims) -> int:
    """Money and areas are held to two decimals (fen, 0.01 m²); counts, months and days are whole."""
    names = {k for k, _ in d}
    return 2 if names & {"CNY", "m2"} else 0


def show(d: Dims) -> str:
    """A unit for an error message: {CNY:1, m2:-1} -> 'CNY/m2'."""
    top = [k if v == 1 else f"{k}^{v}" for k, v in sorted(d) if v > 0]
    bottom = [k if v == -1 else f"{k}^{-v}" for k, v in sorted(d) if v < 0]
    return "/".join(["*".join(top) or "1", *bottom])


def label(unit: str, lang: str = "zh") -> str:
    """How a unit is printed: 'CNY/m2/month' -> '元/㎡·月' (zh) or 'yuan/m²/month' (en)."""
    parts = [p.strip() for p in unit.split("/")]
    words = [LABELS.get(p, (p, p))[0 if lang == "zh" else 1] for p in parts]
    if lang == "zh":
        return words[0] + ("/" + "·".join(words[1:]) if len(words) > 1 else "")
    return "/".join(words)


NONE: Dims = frozenset()
CNY: Dims = parse("CNY")
M2: Dims = parse("m2")
