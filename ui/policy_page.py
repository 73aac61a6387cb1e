"""Page 政策参数 (policy): the values in force with label, unit and source; choose or upload a policy file."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from calculator.policy import DEFAULT_POLICY, LoadedPolicy, PolicyError, parse_policy

from ui.i18n import pick, t
from ui.policy_view import area_rows, decision_rows, input_rows, item_rows, total_rows, value_rows
from ui.state import UPLOADED, current_policy, policy_choices
from ui.tables import show_table

ROOT = Path(__file__).resolve().parent.parent


def _use_uploaded(loaded: LoadedPolicy) -> None:
    # A callback runs before the next script run, so the policy selector can be switched here.
    st.session_state["uploaded_policy"] = loaded
    st.session_state["policy_choice"] = UPLOADED


def choose_policy() -> None:
    choices = policy_choices()
    if st.session_state.get("policy_choice") not in choices:
        st.session_state["policy_choice"] = DEFAULT_POLICY if DEFAULT_POLICY in choices else choices[0]
    uploaded = st.session_state.get("uploaded_policy")
    label = {UPLOADED: f"{uploaded.identity.path} {t('app.policy_session')}" if uploaded else UPLOADED}
    st.selectbox(t("p.choose"), choices, key="policy_choice", format_func=lambda c: label.get(c, f"policies/{c}.toml"))


def _shown_path(path: str) -> str:
    """A file inside the project as a relative path (policies/tahe.toml); an upload by its name."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path


def show_identity(loaded: LoadedPolicy) -> None:
    info, ident = loaded.rules.policy, loaded.identity
    st.subheader(pick(info.name_zh, info.name_en))
    st.markdown(
        f"- **{t('p.id')}**：`{info.id}`　**{t('p.version')}**：`{info.version}`\n"
        f"- **{t('p.path')}**：`{_shown_path(ident.path)}`\n"
        f"- **{t('p.sha')}**：`{ident.sha256}`\n"
        f"- **{t('p.source_doc')}**：{pick(info.document_zh, info.document_en)}"
    )


def show_values(loaded: LoadedPolicy) -> None:
    policy = loaded.rules
    st.subheader(t("p.items"))
    show_table([t("col.code"), t("col.label"), t("col.kind"), t("col.quantity"), t("col.rates"), t("col.source")],
               item_rows(policy), small={0, 5})
    if policy.totals:
        st.subheader(t("p.totals"))
        show_table([t("col.code"), t("col.label"), t("col.sum_of"), t("col.source")], total_rows(policy), small={0, 3})
    st.subheader(t("p.inputs"))
    st.caption(t("p.inputs_intro"))
    if policy.inputs:
        show_table([t("col.name"), t("col.label"), t("col.type"), t("col.range"), t("col.default"), t("col.required"),
                    t("col.choices"), t("col.source")], input_rows(policy), small={0, 7})
    else:
        st.caption(t("p.no_inputs"))
    st.subheader(t("p.areas"))
    show_table([t("col.name"), t("col.label"), t("col.expression"), t("col.options"), t("col.source")], area_rows(policy),
               small={0, 4})
    st.subheader(t("p.values"))
    st.caption(t("p.values_intro"))
    show_table([t("col.section"), t("col.label"), t("col.value_col"), t("col.unit"), t("col.source"), t("col.key")],
               value_rows(policy), numeric={2}, small={4, 5})
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
        st.error(t("p.invalid", n=len(exc.problems)), icon=":material/error:")
        show_table([t("col.key"), t("col.problem")], [[key, reason] for key, reason in exc.problems])
        return
    info = loaded.rules.policy
    st.success(t("p.valid", name=pick(info.name_zh, info.name_en), id=info.id, version=info.version))
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
