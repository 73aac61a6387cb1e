"""Every unit type and the cash option for one household, side by side: one calculator.quote() per option."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import streamlit as st

from calculator import InputErrors, quote
from calculator.household import OPTION_LABELS
from calculator.policy import LoadedPolicy
from calculator.result import Quote

from ui.charts import option_items_chart
from ui.format import inert, money, plain
from ui.quote_view import due
from ui.i18n import colon, pick, t
from ui.quote_inputs import policy_options
from ui.tables import show_table

CASH_ONLY_DROPS = ("defer", "energy_efficient", "heating_rate", "move_in_date")  # inputs of in-kind only


@dataclass
class Alternative:
    key: str  # a unit type as text ("48"), "in_kind" (a policy without unit types) or "cash"
    label: str
    quote: Quote | None
    reason: str | None  # why there is no quote (e.g. a smaller unit needs the appraised price)
    without_deferral: bool = False  # the household asked to defer, but under this option there is nothing to defer


def alternatives(loaded: LoadedPolicy, values: dict) -> tuple[list[Alternative], bool]:
    """The household's quote under each standard unit type (or its chosen area where the policy has no types)
    and under cash; and whether cash was left out because it needs the appraised price, not given."""
    policy = loaded.rules
    options = policy_options(policy)
    base = {k: v for k, v in values.items() if k not in ("unit_area", "option")}
    out = []
    if "in_kind" in options:
        if policy.unit_types is not None:
            for unit in policy.unit_types.areas:
                key = plain(unit.value)
                out.append(_one(loaded, key, t("q.type_label", area=key), {**base, "option": "in_kind", "unit_area": key}))
        elif values.get("unit_area") is not None:
            out.append(_one(loaded, "in_kind", pick(*OPTION_LABELS["in_kind"]),
                            {**base, "option": "in_kind", "unit_area": values["unit_area"]}))
    no_cash = False
    if "cash" in options:
        cash = {k: v for k, v in base.items() if k not in CASH_ONLY_DROPS}
        alt = _one(loaded, "cash", pick(*OPTION_LABELS["cash"]), {**cash, "option": "cash"})
        no_cash = alt.quote is None and values.get("appraised_price") is None
        if not no_cash:
            out.append(alt)
    return out, no_cash


def _one(loaded: LoadedPolicy, key: str, label: str, values: dict) -> Alternative:
    try:
        return Alternative(key, label, quote(loaded, **values), None)
    except InputErrors as first:
        # A deferral the household asked for may have nothing to defer under another type: show it without.
        if values.get("defer") and all(e.field == "defer" for e in first.errors):
            alt = _one(loaded, key, label, {**values, "defer": False})
            alt.without_deferral = alt.quote is not None
            return alt
        reason = "；".join(inert(pick(e.message_zh, e.message_en)) for e in first.errors)
        return Alternative(key, label, None, reason)


def current_key(values: dict, loaded: LoadedPolicy) -> str:
    if values.get("option") == "cash":
        return "cash"
    return values.get("unit_area", "") if loaded.rules.unit_types is not None else "in_kind"


def show_comparison(loaded: LoadedPolicy, values: dict) -> None:
    policy = loaded.rules
    alts, no_cash = alternatives(loaded, values)
    if not alts:
        return
    st.subheader(t("q.compare"))
    st.caption(t("q.compare_intro") if policy.unit_types is not None else t("q.compare_intro_options"))
    current = current_key(values, loaded)
    headers = [t("col.item")] + [a.label + (t("q.compare_current") if a.key == current else "") for a in alts]

    def cell(a: Alternative, get) -> str:
        return "—" if a.quote is None else get(a.quote)

    def item_row(rule) -> list[str]:
        return [pick(rule.label_zh, rule.label_en)] + \
            [cell(a, lambda q: due(q.item(rule.code).amount) if q.item(rule.code) else "—") for a in alts]

    def occurs(rule) -> bool:
        return any(a.quote and a.quote.item(rule.code) for a in alts)

    schema = policy.schema
    rows = [item_row(c.item) for c in schema.settled_items if occurs(c.item)]
    total = [t("q.compare_net_due")] + [cell(a, lambda q: due(q.net_payable)) for a in alts]
    after = []
    if policy.deferral is not None:
        after.append([t("q.compare_before_move_in")] + [cell(a, lambda q: due(q.due_before_move_in)) for a in alts])
    if policy.heating is not None:
        after.append([t("q.compare_heating_season")] + [cell(a, lambda q: money(q.heating.annual) if q.heating else "—")
                                                        for a in alts])
    after += [item_row(c.item) for c in schema.shown_items if occurs(c.item)]
    if len(alts) > 2:  # on a phone only: the table is wider than the screen
        st.html(f'<p class="anzhi-phone-only">{escape(t("q.compare_swipe"))}</p>')
    show_table(headers, rows, numeric=set(range(1, len(headers))), total=total, after=after,
               css_class="anzhi-table anzhi-compare")
    for a in alts:
        if a.quote is None:
            st.caption(f"{a.label}{colon()}{t('q.compare_error', reason=a.reason)}")
        elif a.without_deferral:
            st.caption(f"{a.label}{colon()}{t('q.compare_no_deferral')}")
    if no_cash:
        st.caption(t("q.compare_no_cash"))
    item_order = [pick(c.item.label_zh, c.item.label_en) for c in schema.settled_items]
    chart = option_items_chart([(a.label, a.quote) for a in alts if a.quote is not None], item_order)
    st.markdown(f"**{t('q.chart_title')}**")
    st.altair_chart(chart, width="stretch")
