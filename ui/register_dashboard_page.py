"""Page 项目进度 (dashboard): the progress funnel, funds by month and flats against the planned mix, as charts and tables."""
from __future__ import annotations

import streamlit as st

from calculator.register import report_queries
from calculator.register.db import reading, transaction
from calculator.register.ledger import SYSTEM_USER, open_accounts
from calculator.register.models import utc_now
from calculator.register.projects import current_policy, loaded_policy
from ui.charts import grouped_bars, horizontal_bars, monthly_lines
from ui.i18n import pick, t
from ui.register_dashboard_view import (
    funnel_frame,
    mix_frame,
    months_frame,
    report_frame,
)
from ui.register_db import chosen_project, engine, staff_user



def read_reports(project, as_of):
    """The progress, funds and flats reports of the project on as_of; accounts of agreements signed since the ledger
    was last used are opened first, as the report command does."""
    with transaction(engine()) as session:
        open_accounts(session, project.id, SYSTEM_USER)
    with reading(engine()) as session:
        rules = loaded_policy(current_policy(session, project)).rules
        return (report_queries.progress(session, project.id, as_of), report_queries.funds(session, project.id, as_of),
                report_queries.flats(session, project.id, rules))


def show_funnel(progress) -> None:
    st.subheader(t("reg.d_funnel"))
    data = funnel_frame(progress)
    st.altair_chart(horizontal_bars(data, "stage", "households", t("reg.d_stage"), t("reg.households"), "text"),
                    width="stretch")


def show_funds(funds) -> None:
    st.subheader(t("reg.d_funds"))
    for zh, en in funds.notes[1:]:  # the first note is the as-of day, chosen above
        st.caption(pick(zh, en))
    data = months_frame(funds)
    if data.empty:
        st.info(t("reg.d_no_funds"))
    else:
        st.altair_chart(monthly_lines(data, "month", "yuan", "series", "text", t("reg.d_month"), t("reg.d_yuan"),
                                      [t("reg.d_expected"), t("reg.d_received")]), width="stretch")
    st.dataframe(report_frame(funds), hide_index=True, width="stretch")


def show_flats(flats) -> None:
    st.subheader(t("reg.d_flats"))
    if not flats.rows:
        st.info(t("reg.d_no_flats"))
        return
    st.altair_chart(grouped_bars(mix_frame(flats), "group", "share", "series", t("reg.d_group"), t("reg.d_percent"),
                                 series_order=[t("reg.d_planned"), t("reg.d_inventory"), t("reg.d_signed")]),
                    width="stretch")
    st.dataframe(report_frame(flats), hide_index=True, width="stretch")


def render() -> None:
    st.title(t("reg.d_title"))
    st.caption(t("reg.d_intro"))
    if staff_user() is None:
        return
    project = chosen_project()
    if project is None:
        return
    as_of = st.date_input(t("reg.as_of"), value=utc_now().date(), key="reg_dash_as_of")
    progress, funds, flats = read_reports(project, as_of)
    show_funnel(progress)
    st.dataframe(report_frame(progress), hide_index=True, width="stretch")
    show_funds(funds)
    show_flats(flats)


if __name__ == "__main__":
    render()
