"""Every unit type and the cash option for one household, side by side: one calculator.quote() per option."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from calculator import InputErrors, quote
from calculator.policy import LoadedPolicy
from calculator.result import Quote

from ui.charts import option_items_chart
from ui.format import money, plain
from ui.i18n import pick, t
from ui.tables import show_table


@dataclass
class Alternative:
    key: str  # a unit type as text ("48") or "cash"
    label: str
    quote: Quote | None
    reason: str | None  # why there is no quote (e.g. a smaller unit needs the appraised price)
    without_deferral: bool = False  # the household asked to defer, but under this option there is nothing to defer


def alternatives(loaded: LoadedPolicy, values: dict) -> list[Alternative]:
    """The household's quote under each standard unit type, and under cash when an appraised price is given."""
    base = {k: v for k, v in values.items() if k not in ("unit_area", "option")}
    out = []
    for unit in loaded.rules.unit_types.areas:
        key = plain(unit.value)
        out.append(_one(loaded, key, t("q.type_label", area=key), {**base, "option": "in_kind", "unit_area": key}))
    if values.get("appraised_price") is not None:
        cash = {k: v for k, v in base.items() if k not in ("defer", "energy_efficient", "heating_rate", "move_in_date")}
        out.append(_one(loaded, "cash", pick(loaded.rules.cash.label_zh, loaded.rules.cash.label_en),
                        {**cash, "option": "cash"}))
    return out


def _one(loaded: LoadedPolicy, key: str, label: str, values: dict) -> Alternative:
    try:
        return Alternative(key, label, quote(loaded, **values), None)
    except InputErrors as first:
        # A deferral the household asked for may have nothing to defer under another type: show it without.
        if values.get("defer") and all(e.field == "defer" for e in first.errors):
            alt = _one(loaded, key, label, {**values, "defer": False})
            alt.without_deferral = alt.quote is not None
            return alt
        reason = "；".join(pick(e.message_zh, e.message_en) for e in first.errors)
        return Alternative(key, label, None, reason)


def current_key(values: dict) -> str:
    if values.get("option") == "cash":
        return "cash"
    return values.get("unit_area", "")


def show_comparison(loaded: LoadedPolicy, values: dict) -> None:
    st.subheader(t("q.compare"))
    st.caption(t("q.compare_intro"))
    alts = alternatives(loaded, values)
    current = current_key(values)
    headers = [t("col.item")] + [a.label + (t("q.compare_current") if a.key == current else "") for a in alts]

    labels = loaded.rules.item_labels()
    codes = []  # every item that occurs in some alternative, in policy order
    for code in labels:
        if any(a.quote and a.quote.item(code) for a in alts):
            codes.append(code)

    def cell(a: Alternative, get) -> str:
        return "—" if a.quote is None else get(a.quote)

    rows = [[pick(*labels[c][:2])] + [cell(a, lambda q, c=c: money(q.item(c).amount) if q.item(c) else "—") for a in alts]
            for c in codes]
    total = [t("q.compare_net")] + [cell(a, lambda q: money(q.net_payable)) for a in alts]
    after = [[t("q.compare_due")] + [cell(a, lambda q: money(q.due_before_move_in)) for a in alts],
             [t("q.compare_heating")] + [cell(a, lambda q: money(q.heating.annual) if q.heating else "—") for a in alts]]
    show_table(headers, rows, numeric=set(range(1, len(headers))), total=total, after=after)
    for a in alts:
        if a.quote is None:
            st.caption(f"{a.label}：{t('q.compare_error', reason=a.reason)}")
        elif a.without_deferral:
            st.caption(f"{a.label}：{t('q.compare_no_deferral')}")
    if values.get("appraised_price") is None:
        st.caption(t("q.compare_no_cash"))
    item_order = [pick(zh, en) for zh, en, _ in labels.values()]
    chart = option_items_chart([(a.label, a.quote) for a in alts if a.quote is not None], item_order)
    st.markdown(f"**{t('q.chart_title')}**")
    st.altair_chart(chart, width="stretch")
