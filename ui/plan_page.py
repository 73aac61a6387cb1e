"""Page 方案测算 (plans compared): one survey under the current policy and another plan (a policy, or an edit of one),
the totals side by side, who gains and loses by decile and category, flats needed, and any household's two quotes."""
from __future__ import annotations

import io

import streamlit as st

from calculator.batch import SurveyFileError
from calculator.compare import compare
from calculator.compare_report import report_json, write_report
from calculator.fixed import fmt_money
from calculator.plans import Plan, load_plan
from calculator.policy import PolicyError, available_policies

from ui.batch_page import sample_files
from ui.charts import grouped_bars, simple_bars
from ui.format import inert
from ui.i18n import both, lang, t
from ui.plan_view import (flats_frame, group_names, groups_chart_frame, groups_frame, largest_frame, plan_name,
                          plans_frame, quotes_frame, totals_frame)
from ui.state import current_policy


def choose_plans() -> tuple[object, str, list[str]] | None:
    """(survey bytes or path, its name, the other plan's policy and edits) from the form, or None until it is run."""
    samples = sample_files()
    upload = st.file_uploader(t("b.upload"), type=["xlsx", "xls", "csv"], key="plan_upload")
    sample = st.selectbox(t("b.sample_pick"), samples, format_func=lambda p: p.name, key="plan_sample") if samples else None
    left, right = st.columns(2)
    other = left.selectbox(t("plan.other_policy"), available_policies(), key="plan_policy",
                           index=available_policies().index("tahe") if "tahe" in available_policies() else 0)
    edits = right.text_area(t("plan.edits"), key="plan_edits", placeholder="items.reasonable_extra_area.rate=1100",
                            help=t("plan.edits_help"))
    if not st.button(t("plan.run"), type="primary", icon=":material/compare_arrows:", key="plan_run"):
        return None
    if upload is not None:
        return upload.getvalue(), upload.name, other, [e.strip() for e in edits.splitlines() if e.strip()]
    if sample is None:
        return None
    return sample, sample.name, other, [e.strip() for e in edits.splitlines() if e.strip()]


def run_comparison(source, name: str, other: str, edits: list[str]) -> None:
    base = current_policy()
    try:
        plan = load_plan(other, edits)
    except PolicyError as exc:
        st.session_state["plan_failure"] = "; ".join(f"{key}: {reason}" for key, reason in exc.problems)
        st.session_state.pop("plan_comparison", None)
        return
    try:
        with st.spinner(t("b.running")):
            comparison = compare(source, [Plan(base), plan], filename=name)
    except SurveyFileError as exc:
        st.session_state["plan_failure"] = both(exc.message_zh, exc.message_en)
        st.session_state.pop("plan_comparison", None)
        return
    st.session_state["plan_comparison"], st.session_state["plan_failure"] = comparison, None


def show(comparison) -> None:
    st.subheader(t("plan.plans"))
    st.dataframe(plans_frame(comparison), hide_index=True, width="stretch")
    change = comparison.changes[0]
    x = plan_name(change.plan)
    st.subheader(t("plan.who", x=x))
    cols = st.columns(4)
    net = [r.totals.figure("net").total for r in comparison.results]
    cols[0].metric(t("plan.net_change"), fmt_money(net[change.plan] - net[0]), help=t("plan.net_change_help"))
    cols[1].metric(t("plan.better"), f"{change.better:,}", change.share(change.better), delta_color="off", delta_arrow="off")
    cols[2].metric(t("plan.worse"), f"{change.worse:,}", change.share(change.worse), delta_color="off", delta_arrow="off")
    cols[3].metric(t("plan.unchanged"), f"{change.unchanged:,}", change.share(change.unchanged), delta_color="off", delta_arrow="off")
    st.caption(t("plan.difference_means"))
    bars = groups_chart_frame(change)
    st.altair_chart(simple_bars(bars, "group", "yuan", t("plan.group_axis"), t("plan.mean_change"), "text",
                                order=list(bars["group"])), width="stretch")
    st.dataframe(groups_frame(change), hide_index=True, width="stretch")
    st.markdown(f"**{t('plan.largest')}**")
    st.dataframe(largest_frame(change), hide_index=True, width="stretch")

    st.subheader(t("plan.totals"))
    groups = group_names()
    group = st.radio(t("plan.households_of"), list(groups), format_func=groups.get, horizontal=True, key="plan_group")
    table = totals_frame(comparison, group)
    st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table))
    flats = flats_frame(comparison)
    if not flats.empty:
        st.subheader(t("plan.flats"))
        series = [t("plan.planned"), t("plan.available")] + [plan_name(i) for i in range(len(comparison.results))]
        st.altair_chart(grouped_bars(flats, "group", "flats", "series", t("b.group"), t("plan.flats_axis"),
                                     series_order=[s for s in series if s in set(flats["series"])]), width="stretch")

    st.subheader(t("plan.household_quotes"))
    if not len(change.rows):
        st.info(t("plan.none_compared"))
        downloads(comparison)
        return
    ids = [str(h) for h in change.household_id]
    largest = int(change.largest[0]) if len(change.largest) else 0
    chosen = st.selectbox(t("plan.household"), range(len(ids)), index=largest, format_func=lambda p: ids[p],
                          key="plan_household")
    st.dataframe(quotes_frame(comparison, change, chosen), hide_index=True, width="stretch")
    downloads(comparison)


def downloads(comparison) -> None:
    buffer = io.BytesIO()
    write_report(comparison, buffer, lang=lang())
    left, right = st.columns(2)
    left.download_button(t("plan.dl_xlsx"), buffer.getvalue(), file_name="plans.xlsx", type="primary",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                         icon=":material/download:")
    right.download_button(t("plan.dl_json"), report_json(comparison).encode("utf-8"), file_name="plans.json",
                          mime="application/json", on_click="ignore", icon=":material/download:")


def render() -> None:
    st.title(t("plan.title"))
    st.caption(t("plan.intro", policy=f"{current_policy().identity.id} {current_policy().identity.version}"))
    chosen = choose_plans()
    if chosen is not None:
        run_comparison(*chosen)
    if st.session_state.get("plan_failure"):
        st.error(t("plan.failed", reason=inert(st.session_state["plan_failure"])), icon=":material/error:")
    comparison = st.session_state.get("plan_comparison")
    if comparison is not None:
        show(comparison)


if __name__ == "__main__":
    render()
