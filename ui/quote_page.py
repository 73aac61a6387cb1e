"""Page 单户测算 (counter quote): inputs on the left, the settlement on the right, all options compared below."""
from __future__ import annotations

import streamlit as st

from calculator import InputErrors, quote

from ui.compare import show_comparison
from ui.format import inert
from ui.i18n import both, t
from ui.quote_inputs import Form, clear_inputs, read_inputs
from ui.quote_view import (show_breakdown, show_deferral, show_heating, show_inputs, show_notes, show_policy_ref,
                           show_signatures, show_summary, show_totals)
from ui.state import current_policy
from ui.statement import record, statement_button


def show_errors(form: Form, errors) -> None:
    """Each error at its own field; one without a field slot goes to the top of the result."""
    unplaced = []
    by_field: dict[str, list[str]] = {}
    for err in errors:
        by_field.setdefault(err.field, []).append(both(inert(err.message_zh), inert(err.message_en)))
    for field, messages in by_field.items():
        slot = form.slots.get(field)
        if slot is None:
            unplaced.extend(messages)
        else:
            slot.error("\n\n".join(messages), icon=":material/error:")
    st.error(t("q.fix_inputs"), icon=":material/edit:")
    for message in unplaced:
        st.error(message)


def render() -> None:
    loaded = current_policy()
    record(None, loaded, None)  # until this run has drawn a quote, no statement can be made
    st.title(t("q.title"))
    with st.container(key="quote_intro"):  # "… on the right": not shown on a phone, where the result comes first
        st.caption(t("q.intro"))
    left, right = st.columns([1, 2], gap="large")
    # On a phone the inputs' column comes second, below the result (style.py), and folds away.
    with left, st.expander(t("q.inputs"), expanded=True, icon=":material/edit_note:"), st.container(key="quote_inputs"):
        st.button(t("q.new"), on_click=clear_inputs, args=(loaded,), icon=":material/person_add:",
                  type="tertiary", help=t("q.new_help"), key="quote_new")
        form = read_inputs(loaded)
    with right, st.container(key="quote_result"):
        st.subheader(t("q.result"))
        try:
            result = quote(loaded, **form.values)
        except InputErrors as exc:
            show_errors(form, exc.errors)
            return
        record(result, loaded, form.name)
        show_summary(result, form.name)
        show_inputs(result)
        show_totals(result)
        show_breakdown(result)
        show_notes(result)
        show_deferral(result, loaded)
        show_heating(result, loaded)
        with st.container(key="no_print"):
            statement_button(result, loaded, form.name)
            compare_on_paper = st.checkbox(t("q.print_compare"), key="quote_print_compare")
            st.caption(t("q.print_hint"))
        show_policy_ref(result)
        show_signatures(result)
    # One household's quote prints on one A4 page; with every option compared, on two (style.py's print rules).
    with st.container(key="quote_compare_printed" if compare_on_paper else "quote_compare"):
        show_comparison(loaded, form.values)

if __name__ == "__main__":
    render()
