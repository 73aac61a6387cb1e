"""The policy file's small expression language, parsed (never executed as Python) and evaluated over arrays.

    expression := or;  or := and ("or" and)*;  and := not ("and" not)*;  not := "not" not | compare
    compare := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?;  sum := product (("+"|"-") product)*
    product := atom ("*" atom)*;  atom := name | "0" | 'text' | "(" expression ")" | function "(" args ")"
    function := max | min | days_between

Names are the household's quantities and inputs and the policy's parameters. Every number comes from a
named parameter with its source; the only literal is 0. Values keep their unit: adding m² to yuan, or an
area bound that does not come out in m², is refused when the policy loads.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from . import units
from .fixed import div_round_half_up

TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<str>'[^']*'|\"[^\"]*\")"
                   r"|(?P<op>==|!=|<=|>=|[-+*()<>,]))")
FUNCTIONS = ("max", "min", "days_between")
KEYWORDS = ("and", "or", "not")


class ExprError(ValueError):
    """A malformed expression or one whose units do not fit; the message says where and why."""


# ---------------------------------------------------------------------------------------------- parsing
def tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"unexpected character {text[pos:].strip()[:1]!r} at position {pos + 1} in '{text}'")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            want = f"'{value}'" if value else "more"
            raise ExprError(f"expected {want} in '{self.text}'")
        self.i += 1
        return tok

    def parse(self):
        if not self.toks:
            raise ExprError("empty expression")
        node = self.or_()
        if self.peek() is not None:
            raise ExprError(f"unexpected '{self.peek()[1]}' in '{self.text}'")
        return node

    def or_(self):
        node = self.and_()
        while self.peek() == ("name", "or"):
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.peek() == ("name", "and"):
            self.take()
            node = ("and", node, self.not_())
        return node

    def not_(self):
        if self.peek() == ("name", "not"):
            self.take()
            return ("not", self.not_())
        return self.compare()

    def compare(self):
        node = self.sum()
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            node = ("cmp", tok[1], node, self.sum())
        return node

    def sum(self):
        node = self.product()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            node = ("bin", op, node, self.product())
        return node

    def product(self):
        node = self.atom()
        while self.peek() == ("op", "*"):
            self.take()
            node = ("bin", "*", node, self.atom())
        return node

    def atom(self):
        kind, value = self.take()
        if kind == "num":
            if Fraction(value) != 0:
                raise ExprError(f"the number {value} in '{self.text}' must be a named parameter with its unit and source "
                                f"(表达式中的数值须定义为带单位和出处的参数); only 0 may be written")
            return ("zero",)
        if kind == "str":
            return ("str", value[1:-1])
        if kind == "op" and value == "(":
            node = self.or_()
            self.take(")")
            return node
        if kind == "name" and value in FUNCTIONS:
            self.take("(")
            args = [self.or_()]
            while self.peek() == ("op", ","):
                self.take()
                args.append(self.or_())
            self.take(")")
            return ("call", value, args)
        if kind == "name" and value not in KEYWORDS:
            return ("name", value)
        raise ExprError(f"unexpected '{value}' in '{self.text}'")


def parse(text: str):
    return _Parser(text).parse()


def names(node) -> set[str]:
    """Every name an expression reads."""
    if node[0] == "name":
        return {node[1]}
    out: set[str] = set()
    for part in node[1:]:
        if isinstance(part, tuple):
            out |= names(part)
        elif isinstance(part, list):
            for arg in part:
                out |= names(arg)
    return out


# ---------------------------------------------------------------------------------------------- values
@dataclass(frozen=True)
class Num:
    """A quantity: int64 data (array or scalar) at units.decimals(dims) decimal places."""

    data: object
    dims: units.Dims


@dataclass(frozen=True)
class Ratio:
    """A dimensionless constant (a share or a ratio), exact."""

    value: Fraction


@dataclass(frozen=True)
class Bool:
    data: object


@dataclass(frozen=True)
class Date:
    data: object  # datetime64[D]


@dataclass(frozen=True)
class Choice:
    """A choice per row, as the index of its value in values (-1: blank): comparing is comparing small integers."""

    data: object  # int8 codes
    values: tuple[str, ...]


@dataclass(frozen=True)
class Text:
    value: str


class Zero:
    """The literal 0: takes the unit of whatever it meets."""


def _rescale(data, have: int, want: int):
    if have == want:
        return data
    if have < want:
        return np.asarray(data, dtype=np.int64) * 10 ** (want - have)
    return div_round_half_up(np.asarray(data, dtype=np.int64), 10 ** (have - want))


def _num_pair(a, b, what: str):
    if isinstance(a, Zero) and isinstance(b, Zero):
        return Num(0, units.NONE), Num(0, units.NONE)
    if isinstance(a, Zero):
        a = Num(0, b.dims) if isinstance(b, Num) else Ratio(Fraction(0))
    if isinstance(b, Zero):
        b = Num(0, a.dims) if isinstance(a, Num) else Ratio(Fraction(0))
    if isinstance(a, Ratio) and isinstance(b, Ratio):
        return a, b
    if not (isinstance(a, Num) and isinstance(b, Num)):
        raise ExprError(f"{what} needs two numbers of the same unit")
    if a.dims != b.dims:
        raise ExprError(f"{what} of {units.show(a.dims)} and {units.show(b.dims)}: the units differ")
    return a, b


def _mul(a, b):
    if isinstance(a, Zero) or isinstance(b, Zero):
        other = b if isinstance(a, Zero) else a
        return Num(0, other.dims) if isinstance(other, Num) else Ratio(Fraction(0))
    if isinstance(a, Ratio) and isinstance(b, Ratio):
        return Ratio(a.value * b.value)
    if isinstance(a, Ratio):
        a, b = b, a
    if isinstance(a, Num) and isinstance(b, Ratio):
        num, den = b.value.numerator, b.value.denominator
        return Num(div_round_half_up(np.asarray(a.data, dtype=np.int64) * num, den), a.dims)
    if isinstance(a, Num) and isinstance(b, Num):
        dims = units.times(a.dims, b.dims)
        have = units.decimals(a.dims) + units.decimals(b.dims)
        product = np.asarray(a.data, dtype=np.int64) * np.asarray(b.data, dtype=np.int64)
        return Num(_rescale(product, have, units.decimals(dims)), dims)
    raise ExprError("only numbers can be multiplied")


def _compare(op: str, a, b):
    if isinstance(a, Choice) and isinstance(b, Text) or isinstance(a, Text) and isinstance(b, Choice):
        choice, text = (a, b) if isinstance(a, Choice) else (b, a)
        if op not in ("==", "!="):
            raise ExprError("a choice can only be compared with == or !=")
        if text.value not in choice.values:
            raise ExprError(f"'{text.value}' is not one of the choices {list(choice.values)}")
        equal = np.asarray(choice.data) == choice.values.index(text.value)
        return Bool(equal if op == "==" else ~equal)
    if isinstance(a, Date) and isinstance(b, Date):
        x, y = a.data, b.data
    elif isinstance(a, Bool) and isinstance(b, Bool) and op in ("==", "!="):
        x, y = a.data, b.data
    else:
        a, b = _num_pair(a, b, f"comparing with {op}")
        x, y = (a.value, b.value) if isinstance(a, Ratio) else (a.data, b.data)
    result = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
              ">": np.greater, ">=": np.greater_equal}[op](x, y)
    return Bool(result)


def _bool(value, what: str):
    if not isinstance(value, Bool):
        raise ExprError(f"'{what}' needs a yes/no condition")
    return value.data


def evaluate(node, env: dict):
    """Evaluate a parsed expression; env maps each name to a value (Num, Ratio, Bool, Date, Choice)."""
    kind = node[0]
    if kind == "zero":
        return Zero()
    if kind == "str":
        return Text(node[1])
    if kind == "name":
        if node[1] not in env:
            raise ExprError(f"unknown name '{node[1]}'")
        return env[node[1]]
    if kind == "not":
        return Bool(np.logical_not(_bool(evaluate(node[1], env), "not")))
    if kind in ("and", "or"):
        a, b = _bool(evaluate(node[1], env), kind), _bool(evaluate(node[2], env), kind)
        return Bool(np.logical_and(a, b) if kind == "and" else np.logical_or(a, b))
    if kind == "cmp":
        return _compare(node[1], evaluate(node[2], env), evaluate(node[3], env))
    if kind == "bin":
        op, a, b = node[1], evaluate(node[2], env), evaluate(node[3], env)
        if op == "*":
            return _mul(a, b)
        a, b = _num_pair(a, b, "adding" if op == "+" else "subtracting")
        if isinstance(a, Ratio):
            return Ratio(a.value + b.value if op == "+" else a.value - b.value)
        x, y = np.asarray(a.data, dtype=np.int64), np.asarray(b.data, dtype=np.int64)
        return Num(x + y if op == "+" else x - y, a.dims)
    if kind == "call":
        return _call(node[1], [evaluate(arg, env) for arg in node[2]])
    raise ExprError(f"cannot evaluate {kind}")


def _call(name: str, args: list):
    if name == "days_between":
        if len(args) != 2 or not all(isinstance(a, Date) for a in args):
            raise ExprError("days_between(from, to) takes two dates")
        first, second = (np.asarray(a.data).astype("datetime64[D]") for a in args)
        return Num((second - first).astype(np.int64), units.parse("day"))
    if len(args) < 2:
        raise ExprError(f"{name}() needs at least two values")
    result = args[0]
    for arg in args[1:]:
        a, b = _num_pair(result, arg, f"{name}()")
        if isinstance(a, Ratio):
            result = Ratio(max(a.value, b.value) if name == "max" else min(a.value, b.value))
        else:
            pick = np.maximum if name == "max" else np.minimum
            result = Num(pick(np.asarray(a.data, dtype=np.int64), np.asarray(b.data, dtype=np.int64)), a.dims)
    return result


def as_array(value, n: int, dtype=np.int64) -> np.ndarray:
    """A scalar or array value broadcast to n rows."""
    return np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy() if np.ndim(value) == 0 else np.asarray(value, dtype=dtype)


def unparse(node) -> str:
    """A parsed expression written back as text (for messages and the policy explanation)."""
    kind = node[0]
    if kind == "zero":
        return "0"
    if kind == "str":
        return f"'{node[1]}'"
    if kind == "name":
        return node[1]
    if kind == "not":
        return f"not {unparse(node[1])}"
    if kind in ("and", "or"):
        return f"({unparse(node[1])} {kind} {unparse(node[2])})"
    if kind in ("cmp", "bin"):
        return f"{unparse(node[2])} {node[1]} {unparse(node[3])}"
    return f"{node[1]}({', '.join(unparse(a) for a in node[2])})"
