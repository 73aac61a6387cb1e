"""Page 项目与导入 (project & import): create a project under a policy, import a survey into it, make offers."""
from __future__ import annotations

import streamlit as st

from calculator.batch import SurveyFileError, load_survey
from calculator.register.db import reading, transaction
from calculator.register.errors import RegisterError
from calculator.register.households import import_survey
from calculator.register.models import Project
from calculator.register.offers import due_for_offer, make_offers
from calculator.register.projects import (
    create_project,
    current_policy,
    get_project,
    loaded_policy,
)
from calculator.register.users import require_user
from ui.batch_page import sample_files
from ui.batch_view import errors_frame
from ui.format import inert
from ui.i18n import STRINGS, pick, t
from ui.isolated import run_isolated
from ui.register_db import PROJECT, chosen_project, engine, refused, staff_user
from ui.register_project_view import (
    import_counts,
    offer_rejections_frame,
    policy_names,
    signed_untouched_text,
)
from ui.signed_in import SignedIn

DONE = "reg_project_done"  # what the last action did, shown after the page is drawn again: (kind, value)


def new_project(user: SignedIn, expanded: bool) -> None:
    """The form for a new project; the register refuses anyone but a supervisor."""
    with st.expander(t("reg.p_new"), expanded=expanded, icon=":material/add:"):
        st.caption(t("reg.p_new_help"))
        names = policy_names()
        with st.form("reg_new_project", border=False):
            code = st.text_input(t("reg.p_code"), key="reg_new_code")
            name = st.text_input(t("reg.p_name"), key="reg_new_name")
            policy = st.selectbox(t("reg.p_policy"), list(names), format_func=names.get, key="reg_new_policy")
            if not st.form_submit_button(t("reg.p_create"), type="primary"):
                return
        try:
            with transaction(engine()) as session:
                project, version = create_project(session, code=code, name=name, policy=policy, by=user.name)
        except RegisterError as exc:
            st.session_state[DONE] = ("refused", exc)
        else:
            st.session_state[PROJECT] = project.code
            st.session_state[DONE] = ("created", t("reg.p_created", code=project.code,
                                                   policy=f"{version.policy_id} {version.version}"))
        st.rerun()


def show_identity(project: Project) -> None:
    with reading(engine()) as session:
        version = current_policy(session, project)
    st.caption(t("reg.p_identity", code=inert(project.code), name=inert(project.name), policy=version.policy_id,
                 version=version.version, sha=version.sha256[:12]))


def read_survey(data: bytes, name: str, loaded, isolated: bool):
    """An upload is read in a worker process with a memory cap (as on the batch page); a bundled sample here."""
    try:
        if isolated:
            return run_isolated(load_survey, data, loaded, filename=name)
        return load_survey(data, loaded, filename=name)
    except SurveyFileError:
        raise
    except Exception:  # noqa: BLE001 -- a file the reader did not foresee: say so, not a traceback
        raise SurveyFileError(*STRINGS["reg.p_unreadable"]) from None


def import_file(user: SignedIn, project: Project, data: bytes, name: str, isolated: bool) -> None:
    """One import, all of it or none: the user checked, the project locked, the survey read under its policy."""
    try:
        with transaction(engine()) as session:
            require_user(session, user.name)
            locked = get_project(session, project.code, lock=True)
            loaded = loaded_policy(current_policy(session, locked))
            run = read_survey(data, name, loaded, isolated)
            report = import_survey(session, locked, run, user.name)
    except RegisterError as exc:
        st.session_state[DONE] = ("refused", exc)
    except SurveyFileError as exc:
        st.session_state[DONE] = ("unreadable", pick(exc.message_zh, exc.message_en))
    else:
        st.session_state[DONE] = ("imported", (name, run.counts.read, report, loaded))  # not the run: it can be large


def import_section(user: SignedIn, project: Project) -> None:
    st.subheader(t("reg.p_import"))
    st.caption(t("reg.p_import_help"))
    upload = st.file_uploader(t("reg.p_upload"), type=["xlsx", "xls", "csv"], key="reg_upload")
    samples = sample_files()
    sample = st.selectbox(t("reg.p_sample"), [None, *samples], key="reg_sample",
                          format_func=lambda p: t("reg.p_no_file") if p is None else p.name)
    if st.button(t("reg.p_import_button"), type="primary", icon=":material/upload_file:", key="reg_import"):
        if upload is not None:
            import_file(user, project, upload.getvalue(), upload.name, isolated=True)
        elif sample is not None:
            import_file(user, project, sample.read_bytes(), sample.name, isolated=False)
        else:
            st.session_state[DONE] = ("unreadable", t("reg.p_choose_file"))
        st.rerun()


def offers_section(user: SignedIn, project: Project) -> None:
    st.subheader(t("reg.p_offers"))
    with reading(engine()) as session:
        due = len(due_for_offer(session, project, current_policy(session, project)))
    st.caption(t("reg.p_offers_due", n=due))
    if st.button(t("reg.p_offers_button"), type="primary", icon=":material/calculate:", key="reg_offers",
                 disabled=due == 0):
        try:
            with transaction(engine()) as session:
                require_user(session, user.name)
                report = make_offers(session, get_project(session, project.code, lock=True), user.name)
        except RegisterError as exc:
            st.session_state[DONE] = ("refused", exc)
        else:
            st.session_state[DONE] = ("offers", report)
        st.rerun()


def show_done() -> None:
    """What the last action did (kept in the session, so it shows after the page is drawn again)."""
    done = st.session_state.pop(DONE, None)
    if done is None:
        return
    kind, value = done
    if kind == "refused":
        refused(value)
    elif kind == "unreadable":
        st.error(inert(value), icon=":material/error:")
    elif kind == "created":
        st.success(value, icon=":material/check_circle:")
    elif kind == "offers":
        st.success(t("reg.p_offers_made", made=value.made, rejected=len({no for no, _ in value.rejected})),
                   icon=":material/check_circle:")
        if value.rejected:
            st.dataframe(offer_rejections_frame(value.rejected), hide_index=True, width="stretch")
    elif kind == "imported":
        name, read, report, loaded = value
        st.success(t("reg.p_imported", name=inert(name)), icon=":material/check_circle:")
        for col, (label, count) in zip(st.columns(3) + st.columns(3), import_counts(read, report)):
            col.metric(label, f"{count:,}")
        if report.signed_untouched:
            st.info(signed_untouched_text(report), icon=":material/lock:")
        if report.rejected:
            st.dataframe(errors_frame(report.rejected, loaded.rules), hide_index=True, width="stretch",
                         height=min(38 + 35 * len(report.rejected), 420))


def render() -> None:
    st.title(t("reg.p_title"))
    st.caption(t("reg.p_intro"))
    user = staff_user()
    if user is None:
        return
    project = chosen_project(note=False)
    show_done()
    new_project(user, expanded=project is None)
    if project is None:
        return
    show_identity(project)
    import_section(user, project)
    offers_section(user, project)


if __name__ == "__main__":
    render()
