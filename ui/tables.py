"""Small static HTML tables: text stays in the page (printable, searchable), amounts right-aligned."""
from __future__ import annotations

from html import escape
from typing import NamedTuple

import streamlit as st


class Cell(NamedTuple):
    """A cell with small print below its text: a note (the floor that decided a formula) or a clause."""

    text: str
    note: str = ""  # stands out: it says why the amount is not the plain product
    sub: str = ""  # small grey print: the clause a line rests on
    formula: bool = False  # a line of factors: broken only between factors


def _cell_html(value) -> str:
    if isinstance(value, Cell):
        text = f'<span class="anzhi-formula">{_factors(value.text)}</span>' if value.formula else _lines(value.text)
        if value.sub:
            text += f'<div class="anzhi-sub">{escape(value.sub)}</div>'
        if value.note:
            text += f'<div class="anzhi-note">{escape(value.note)}</div>'
        return text
    return _lines(str(value))


def _factors(formula: str) -> str:
    """'45.00 ㎡ × 300.00 元/㎡ = 13,500.00' with each factor unbreakable, so a narrow column breaks the line only
    between factors; the text itself is unchanged."""
    head, _, amount = formula.rpartition(" = ")
    pieces = [f'<span class="anzhi-factor">{escape(p)}</span>' for p in head.split(" × ")]
    return " × ".join(pieces) + f' <span class="anzhi-factor">= {escape(amount)}</span>'



def _lines(text: str) -> str:
    """Escaped text; a line break in it stays a line break."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def html_table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(),
               total: list[str] | None = None, small: set[int] = frozenset(), after: list[list[str]] = (),
               css_class: str = "anzhi-table") -> str:
    """A table whose column numbers in `numeric` are right-aligned and in `small` in small print (clauses);
    `total` is a bold row below the body, and `after` rows follow it (figures that are not part of the total).
    Each cell carries its column's header as data-label, so a phone can show a row as a labelled card."""
    def kind(i: int) -> str:
        return " ".join(name for name, cols in (("num", numeric), ("src", small)) if i in cols)

    def cells(values: list, tag: str) -> str:
        label = [escape(h) for h in headers]
        return "".join(f'<{tag} class="{kind(i)}" data-label="{label[i] if i < len(label) else ""}">{_cell_html(v)}</{tag}>'
                       for i, v in enumerate(values))

    head = "<thead><tr>" + "".join(f'<th class="{kind(i)}">{escape(h)}</th>' for i, h in enumerate(headers)) + "</tr></thead>"
    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
    if total is not None:
        body += f'<tr class="anzhi-total">{cells(total, "td")}</tr>'
    body += "".join(f'<tr class="anzhi-after">{cells(r, "td")}</tr>' for r in after)
    return f'<div class="anzhi-scroll"><table class="{css_class}">{head}<tbody>{body}</tbody></table></div>'


def show_table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(),
               total: list[str] | None = None, small: set[int] = frozenset(), after: list[list[str]] = (),
               css_class: str = "anzhi-table") -> None:
    st.html(html_table(headers, rows, numeric, total, small, after, css_class))
