"""Altair charts (bundled with Streamlit, nothing from a CDN): option items, unit-type demand, net payable."""
from __future__ import annotations

import altair as alt
import pandas as pd

from calculator.result import Quote

from ui.format import money
from ui.i18n import pick, t


# One colour per item of the policy, in policy order, so an item keeps its colour from one quote to the next.
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]


def option_items_chart(options: list[tuple[str, Quote]], item_order: list[str]) -> alt.Chart:
    """Stacked bars: what each option is made of; amounts below zero are paid to the household."""
    rows = []
    for label, q in options:
        for item in q.items:
            if item.amount:
                # float only to place the bar; the tooltip shows the exact amount as text
                name = pick(item.label_zh, item.label_en)
                rows.append({"option": label, "item": name, "order": item_order.index(name) if name in item_order else 99,
                             "amount": float(item.amount), "text": money(item.amount), "net": money(q.net_payable)})
    data = pd.DataFrame(rows, columns=["option", "item", "order", "amount", "text", "net"])
    order = [label for label, _ in options]
    # Only the items that occur in the legend, each in its policy colour.
    present = [name for name in item_order if name in set(data["item"])]
    colours = [PALETTE[item_order.index(name) % len(PALETTE)] for name in present]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("option:N", sort=order, title=t("q.chart_option"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("amount:Q", title=t("q.chart_amount"), stack="zero"),
            color=alt.Color("item:N", title=t("q.chart_item"), legend=alt.Legend(orient="bottom", columns=1, labelLimit=400),
                            scale=alt.Scale(domain=present, range=colours)),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("option:N", title=t("q.chart_option")), alt.Tooltip("item:N", title=t("q.chart_item")),
                     alt.Tooltip("text:N", title=t("col.amount")), alt.Tooltip("net:N", title=t("q.compare_net"))],
        )
        .properties(height=320)
    )


def grouped_bars(data: pd.DataFrame, x: str, y: str, series: str, x_title: str, y_title: str,
                 order: list[str] | None = None, series_order: list[str] | None = None) -> alt.Chart:
    """Side-by-side bars of `series` per `x` (e.g. chosen share vs planned share per type group)."""
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", sort=order, title=x_title, axis=alt.Axis(labelAngle=0, labelOverlap=False)),
            xOffset=alt.XOffset(f"{series}:N", sort=series_order),
            y=alt.Y(f"{y}:Q", title=y_title),
            color=alt.Color(f"{series}:N", title="", legend=alt.Legend(orient="bottom"), sort=series_order),
            tooltip=[f"{x}:N", f"{series}:N", alt.Tooltip(f"{y}:Q", format=".1f")],
        )
        .properties(height=280)
    )


def histogram(data: pd.DataFrame, x_title: str, y_title: str) -> alt.Chart:
    """Bars of counted ranges (start, end, households, range text), as batch_view.net_frame makes them."""
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("start:Q", title=x_title),
            x2="end:Q",
            y=alt.Y("households:Q", title=y_title),
            y2=alt.datum(0),
            tooltip=[alt.Tooltip("range:N", title=x_title), alt.Tooltip("households:Q", title=y_title)],
        )
        .properties(height=280)
    )


def simple_bars(data: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, tooltip: str,
                order: list[str] | None = None) -> alt.Chart:
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", title=x_title, sort=order, axis=alt.Axis(labelAngle=0, labelOverlap=False)),
            y=alt.Y(f"{y}:Q", title=y_title),
            tooltip=[f"{x}:N", f"{tooltip}:N"],
        )
        .properties(height=280)
    )


def horizontal_bars(data: pd.DataFrame, y: str, x: str, y_title: str, x_title: str, label: str) -> alt.Chart:
    """One bar per row, in the frame's order, top to bottom, with `label` written beside it (a funnel of stages:
    long category names stay readable on a phone)."""
    base = alt.Chart(data).encode(y=alt.Y(f"{y}:N", sort=list(data[y]), title=y_title, axis=alt.Axis(labelLimit=200)),
                                  x=alt.X(f"{x}:Q", title=x_title), tooltip=[f"{y}:N", f"{label}:N"])
    return (base.mark_bar() + base.mark_text(align="left", dx=4).encode(text=f"{label}:N")).properties(height=36 * len(data) + 40)


def monthly_lines(data: pd.DataFrame, month: str, y: str, series: str, text: str, x_title: str, y_title: str,
                  series_order: list[str]) -> alt.Chart:
    """A line with points per series over months ('2026-11'); the time axis thins its own labels on a narrow screen."""
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"yearmonth({month}):T", title=x_title, axis=alt.Axis(format="%Y-%m", labelAngle=0)),
            y=alt.Y(f"{y}:Q", title=y_title),
            color=alt.Color(f"{series}:N", title="", legend=alt.Legend(orient="bottom"), sort=series_order),
            tooltip=[alt.Tooltip(f"{month}:N", title=x_title), f"{series}:N", alt.Tooltip(f"{text}:N", title=y_title)],
        )
        .properties(height=280)
    )
