"""Small static HTML tables: text stays in the page (printable, searchable), amounts right-aligned."""
from __future__ import annotations

from html import escape

import streamlit as st


def html_table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
               total: list[str] | None = None, small: set[int] = frozenset(), after: list[list[str]] = (),
               css_class: str = "anzhi-table") -> str:
    """A table whose column numbers in `numeric` are right-aligned and in `small` in small print (clauses);
    `total` is a bold row below the body, and `after` rows follow it (figures that are not part of the total)."""
    def kind(i: int) -> str:
        return " ".join(name for name, cols in (("num", numeric), ("src", small)) if i in cols)

    def cells(values: list[str], tag: str) -> str:
        return "".join(f'<{tag} class="{kind(i)}">{escape(str(v))}</{tag}>' for i, v in enumerate(values))

    head = f"<thead><tr>{cells(headers, 'th')}</tr></thead>"
    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
    if total is not None:
        body += f'<tr class="anzhi-total">{cells(total, "td")}</tr>'
    body += "".join(f'<tr class="anzhi-after">{cells(r, "td")}</tr>' for r in after)
    return f'<table class="{css_class}">{head}<tbody>{body}</tbody></table>'


def show_table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
               total: list[str] | None = None, small: set[int] = frozenset(), after: list[list[str]] = ()) -> None:
    st.html(html_table(headers, rows, numeric, total, small, after))
