"""Page 住户名册 (households): the project's households, searched and filtered by stage, each one click from its file."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from calculator.register import listing
from calculator.register.db import database_url, reading
from calculator.register.models import utc_now
from ui.i18n import t
from ui.register_db import FILE_NUMBER, chosen_project, engine, staff_user
from ui.register_households_view import filtered, households_frame, stage_label

FILE_PAGE = "ui/register_household_page.py"


@st.cache_data(show_spinner=False, max_entries=8)
def _rows(url: str, project_id: int, as_of: dt.date, log_head: int) -> list[listing.HouseholdRow]:
    """The list, read again only when the register changed (any change moves the log's head) or the day did."""
    with reading(engine()) as session:
        return listing.households(session, project_id, as_of)


def household_rows(project_id: int, as_of: dt.date) -> list[listing.HouseholdRow]:
    with reading(engine()) as session:
        head = listing.log_head(session)
    return _rows(database_url(), project_id, as_of, head)


def open_file(numbers: list[str]) -> None:
    """Pick one of the listed households and go to its file."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(t("reg.l_open"), numbers, key="reg_list_open")
    if right.button(t("reg.l_open_button"), icon=":material/folder_open:", key="reg_list_open_button", width="stretch"):
        st.session_state[FILE_NUMBER] = chosen
        st.switch_page(FILE_PAGE)


def render() -> None:
    st.title(t("reg.l_title"))
    st.caption(t("reg.l_intro"))
    if staff_user() is None:
        return
    project = chosen_project()
    if project is None:
        return
    search_col, stage_col, day_col = st.columns([2, 2, 1])
    as_of = day_col.date_input(t("reg.as_of"), value=utc_now().date(), key="reg_list_as_of")
    rows = household_rows(project.id, as_of)
    counts = listing.stage_counts(rows)
    search = search_col.text_input(t("reg.l_search"), key="reg_list_search", help=t("reg.l_search_help"))
    stage = stage_col.selectbox(
        t("reg.l_stage"), [None, *listing.STAGES], key="reg_list_stage",
        format_func=lambda s: t("reg.l_all", n=len(rows)) if s is None else t("reg.l_stage_n", stage=stage_label(s), n=counts[s]))
    shown = filtered(rows, search, stage)
    st.caption(t("reg.l_shown", shown=f"{len(shown):,}", total=f"{len(rows):,}"))
    if not shown:
        st.info(t("reg.l_none"))
        return
    st.dataframe(households_frame(shown), hide_index=True, width="stretch", height=min(38 + 35 * len(shown), 560))
    open_file([r.household_no for r in shown])


if __name__ == "__main__":
    render()
