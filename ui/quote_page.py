"""Page 单户测算 (counter quote): inputs on the left, the settlement on the right, all options compared below."""
from __future__ import annotations

import streamlit as st

from calculator import InputErrors, quote
from calculator.policy import LoadedPolicy
from calculator.result import Quote
from calculator.statements import font_status, statement_pdf

from ui.compare import show_comparison
from ui.format import inert
from ui.i18n import both, lang, t
from ui.quote_inputs import Form, clear_inputs, read_inputs
from ui.quote_view import (show_breakdown, show_deferral, show_heating, show_inputs, show_notes, show_policy_ref,
                           show_summary, show_totals)
from ui.state import current_policy


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


def statement_button(result: Quote, loaded: LoadedPolicy, form: Form) -> None:
    """The printable statement, made when the button is clicked; without a usable CJK font the page says so."""
    usable, reason = font_status()  # cached after the first call: the font is found once per process
    if not usable:  # the quote stays on screen; only the PDF is unavailable
        st.caption(t("q.statement_error", reason=reason))
        return
    name = f"statement_{result.household_id or 'quote'}.pdf"
    page_lang = lang()  # read now: the download is made after this run, where the page's language is not known
    st.download_button(t("q.statement"),
                       lambda: statement_pdf(result, loaded, household_id=result.household_id, name=form.name,
                                             lang=page_lang),
                       file_name=name, mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore")


def render() -> None:
    loaded = current_policy()
    st.title(t("q.title"))
    st.caption(t("q.intro"))
    left, right = st.columns([1, 2], gap="large")
    with left:
        with st.container(border=True, key="quote_inputs"):
            title, reset = st.columns([3, 2], vertical_alignment="center")
            title.subheader(t("q.inputs"))
            reset.button(t("q.new"), on_click=clear_inputs, icon=":material/person_add:", type="tertiary",
                         help=t("q.new_help"), key="quote_new")
            form = read_inputs(loaded)
    with right:
        st.subheader(t("q.result"))
        try:
            result = quote(loaded, **form.values)
        except InputErrors as exc:
            show_errors(form, exc.errors)
            return
        show_summary(result, form.name)
        show_inputs(result)
        show_totals(result)
        show_breakdown(result)
        show_notes(result)
        show_deferral(result, loaded)
        show_heating(result, loaded)
        with st.container(key="no_print"):
            statement_button(result, loaded, form)
            st.caption(t("q.print_hint"))
        show_policy_ref(result)
    show_comparison(loaded, form.values)


if __name__ == "__main__":
    render()
