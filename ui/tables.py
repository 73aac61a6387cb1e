"""Small static HTML tables: text stays in the page (printable, searchable), amounts right-aligned."""
from __future__ import annotations

from html import escape
from typing import NamedTuple

import streamlit as st


class Cell(NamedTuple):
    """A cell with a note in small print below its text (e.g. a formula and the floor that decided it)."""

    text: str
    note: str = ""


def _cell_html(value) -> str:
    if isinstance(value, Cell):
        note = f'<div class="anzhi-note">{escape(value.note)}</div>' if value.note else ""
        return f"{_lines(value.text)}{note}"
    return _lines(str(value))


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
    return f'<table class="{css_class}">{head}<tbody>{body}</tbody></table>'


def show_table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(),
               total: list[str] | None = None, small: set[int] = frozenset(), after: list[list[str]] = (),
               css_class: str = "anzhi-table") -> None:
    st.html(html_table(headers, rows, numeric, total, small, after, css_class))
