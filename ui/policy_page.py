"""Page 政策参数 (policy): the values in force with label, unit and source; choose or upload a policy file."""
from __future__ import annotations

import streamlit as st

from calculator.approval import mark
from calculator.policy import DEFAULT_POLICY, LoadedPolicy, PolicyError, load_policy, parse_policy
from calculator.source_check import source_conflicts

from ui.i18n import pick, t
from ui.policy_view import area_rows, decision_rows, input_rows, item_rows, total_rows, value_rows
from ui.state import UPLOADED, current_policy, policy_choices
from ui.tables import show_table

def _use_uploaded(loaded: LoadedPolicy) -> None:
    # A callback runs before the next script run, so the policy selector can be switched here.
    st.session_state["uploaded_policy"] = loaded
    st.session_state["policy_choice"] = UPLOADED


def choose_policy() -> None:
    choices = policy_choices()
    if st.session_state.get("policy_choice") not in choices:
        st.session_state["policy_choice"] = DEFAULT_POLICY if DEFAULT_POLICY in choices else choices[0]
    uploaded = st.session_state.get("uploaded_policy")
    label = {UPLOADED: f"{_name(uploaded)} {t('app.policy_session')}" if uploaded else UPLOADED}
    st.selectbox(t("p.choose"), choices, key="policy_choice", format_func=lambda c: label.get(c) or _office_policy(c))


def _name(loaded: LoadedPolicy) -> str:
    """The policy by its names and version, the same in either language (a selector's labels must not change
    with the language, or the choice is lost)."""
    info = loaded.rules.policy
    return f"{info.name_zh} · {info.name_en} ({info.version})"


def _office_policy(choice: str) -> str:
    """An approved policy by its name and version (a file that does not load: by its id)."""
    try:
        return _name(load_policy(choice))
    except PolicyError:
        return choice


def show_identity(loaded: LoadedPolicy) -> None:
    info, ident = loaded.rules.policy, loaded.identity
    st.subheader(pick(info.name_zh, info.name_en))
    st.markdown(
        f"- **{t('p.id')}**：`{info.id}`　**{t('p.version')}**：`{info.version}`\n"
        f"- **{t('p.sha')}**：`{ident.sha256}`\n"
        f"- **{t('p.source_doc')}**：{pick(info.document_zh, info.document_en)}"
    )


def show_values(loaded: LoadedPolicy) -> None:
    policy = loaded.rules
    st.subheader(t("p.items"))
    show_table([t("col.label"), t("col.kind"), t("col.quantity"), t("col.rates"), t("col.source")],
               item_rows(policy), small={4})
    if policy.totals:
        st.subheader(t("p.totals"))
        show_table([t("col.label"), t("col.sum_of"), t("col.source")], total_rows(policy), small={2})
    st.subheader(t("p.inputs"))
    st.caption(t("p.inputs_intro"))
    if policy.inputs:
        show_table([t("col.label"), t("col.type"), t("col.range"), t("col.default"), t("col.required"),
                    t("col.choices"), t("col.source")], input_rows(policy), small={6})
    else:
        st.caption(t("p.no_inputs"))
    st.subheader(t("p.areas"))
    show_table([t("col.label"), t("col.expression"), t("col.options"), t("col.source")], area_rows(policy), small={3})
    st.subheader(t("p.values"))
    st.caption(t("p.values_intro"))
    show_table([t("col.section"), t("col.label"), t("col.value_col"), t("col.unit"), t("col.source")],
               value_rows(policy), numeric={2}, small={4})
    if policy.decisions:
        st.subheader(t("p.decisions"))
        show_table([t("p.id"), t("col.label"), t("col.text")], decision_rows(policy))
    d = policy.deferral
    if d is not None:
        st.subheader(t("p.deferral"))
        ok, bad = st.columns(2)
        ok.success(pick(d.on_full_payment_zh, d.on_full_payment_en))
        bad.warning(pick(d.on_default_zh, d.on_default_en))


def upload_policy() -> None:
    st.subheader(t("p.upload"))
    st.caption(t("p.upload_intro"))
    file = st.file_uploader(t("p.upload"), type=["toml"], key="policy_upload", label_visibility="collapsed")
    if file is None:
        return
    try:
        loaded = parse_policy(file.getvalue(), file.name)
    except PolicyError as exc:
        if exc.refused:  # a changed copy of an approved policy: one plain message, nothing to use
            st.error(f"{t('p.refused')} {exc.problems[0][1]}", icon=":material/block:")
            return
        st.error(t("p.invalid", n=len(exc.problems)), icon=":material/error:")
        show_table([t("col.key"), t("col.problem")], [[key, reason] for key, reason in exc.problems])
        return
    info = loaded.rules.policy
    st.success(t("p.valid", name=pick(info.name_zh, info.name_en), id=info.id, version=info.version))
    if not loaded.identity.approved:
        st.warning(f"{mark(loaded.identity.sha256)} — {t('p.not_approved')}", icon=":material/gpp_maybe:")
    for key, reason in source_conflicts(loaded.rules):
        st.warning(f"{key}: {reason}", icon=":material/warning:")
    st.button(t("p.use"), on_click=_use_uploaded, args=(loaded,), type="primary")


def show_fallback() -> None:
    """Why the chosen file in policies/ is not in use (it failed validation); shown until another choice works."""
    fallback = st.session_state.pop("policy_fallback", None)
    if fallback:
        name, problems = fallback
        st.error(t("app.policy_broken", name=name) + " " + t("p.invalid", n=len(problems)), icon=":material/error:")
        show_table([t("col.key"), t("col.problem")], [[key, reason] for key, reason in problems])


def render() -> None:
    st.title(t("p.title"))
    show_fallback()
    choose_policy()
    loaded = current_policy()
    if st.session_state.get("policy_choice") == UPLOADED:
        st.info(t("p.using", id=loaded.identity.id, version=loaded.identity.version))
    show_identity(loaded)
    show_values(loaded)
    upload_policy()


if __name__ == "__main__":
    render()
