"""Page 批量测算 (batch run): upload a survey or take the sample, see what was read and rejected, download results."""
from __future__ import annotations

import ctypes
import gc
import io
import time
from pathlib import Path

import streamlit as st

from calculator.batch import SurveyFileError, load_survey, write_machine, write_workbook
from calculator.batch.headers import REQUIRED_COLUMNS
from calculator.batch.workbook import check_rows
from calculator.household import FIELDS
from calculator.policy import LoadedPolicy
from calculator.statements import notice_pdf, notice_xlsx
from calculator.totals import project_totals
from ui.batch_view import (
    columns_frame,
    demand_frame,
    errors_frame,
    flags_frame,
    headline,
    net_frame,
    option_totals_frame,
    results_frame,
    right_aligned,
    totals_frame,
)
from ui.charts import grouped_bars, histogram, simple_bars
from ui.format import inert
from ui.i18n import both, lang, pick, t
from ui.isolated import run_isolated
from ui.state import current_policy

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
PREVIEW_ROWS = 200


def sample_files() -> list[Path]:
    """The bundled surveys, the clean one first (it is the one to try first)."""
    files = [p for p in SAMPLE_DIR.glob("*") if p.suffix.lower() in (".xlsx", ".xls", ".csv")]
    return sorted(files, key=lambda p: ("messy" in p.stem, p.suffix != ".xlsx", p.name))


def drop_run() -> None:
    """Forget the session's run and its file, and give the memory back: a new run never sits beside the old one."""
    found = False
    for key in ("batch_run", "batch_source", "batch_loaded"):
        found |= st.session_state.pop(key, None) is not None
    if found:
        gc.collect()
        release_memory()


def release_memory() -> None:
    """Hand freed heap pages back to the system (glibc keeps them otherwise, and the server looks as big as its
    largest run ever was)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def run_survey(data: bytes, name: str, loaded: LoadedPolicy, sheet: str | None = None, isolated: bool = True) -> None:
    """Read, check and settle the file, showing each step; keep the run, its file and its policy in the session.
    An upload is read in a worker process with a memory cap (isolated): a file that crashes the reader ends that
    worker, not the server. The bundled samples are read here, without the worker's start-up."""
    drop_run()
    with st.status(t("b.running"), expanded=False) as status:
        status.write(t("b.step_read"))
        start = time.perf_counter()
        try:
            if isolated:
                run = run_isolated(load_survey, data, loaded, sheet=sheet, filename=name)
            else:
                run = load_survey(data, loaded, sheet=sheet, filename=name)
        except SurveyFileError as exc:
            status.update(state="error")
            st.session_state["batch_run"], st.session_state["batch_failure"] = None, both(exc.message_zh, exc.message_en)
            return
        except Exception:  # a file the reader did not foresee: say so at the upload, not as a traceback
            status.update(state="error")
            st.session_state["batch_run"], st.session_state["batch_failure"] = None, both(
                "无法读取该文件，请确认它是完整的入户调查表（xlsx、xls 或 csv）。",
                "This file cannot be read; check that it is a complete household survey (xlsx, xls or csv).")
            return
        seconds = f"{time.perf_counter() - start:.2f}"
        status.update(label=t("b.step_done", rows=run.counts.read, seconds=seconds), state="complete")
    st.session_state["batch_run"], st.session_state["batch_failure"] = run, None
    # The run belongs to the policy it was settled under: its downloads use that policy, not a later choice.
    st.session_state["batch_loaded"] = loaded
    st.session_state["batch_source"] = (data, name, isolated)
    st.session_state["batch_sheet"] = run.sheet  # the sheet choice follows the run (drawn after this, never before)


def rerun_survey(loaded: LoadedPolicy, sheet: str | None) -> None:
    """The same file again (another sheet, or under the current policy)."""
    data, name, isolated = st.session_state["batch_source"]
    run_survey(data, name, loaded, sheet=sheet, isolated=isolated)


def choose_source(loaded: LoadedPolicy) -> None:
    limit = st.get_option("server.maxUploadSize")
    upload = st.file_uploader(t("b.upload"), type=["xlsx", "xls", "csv"], key="batch_upload")
    required = ("、" if lang() == "zh" else ", ").join(pick(*FIELDS[f]) for f in REQUIRED_COLUMNS)
    st.caption(t("b.limit", mb=limit) + " " + t("b.required", columns=required))
    samples = sample_files()
    if samples:
        # The clean sample first: one click gives a full run; the messy ones show the validation.
        pick_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
        chosen = pick_col.selectbox(t("b.sample_pick"), samples, format_func=lambda p: p.name, key="batch_sample")
        if button_col.button(t("b.sample"), type="primary", icon=":material/play_arrow:", key="batch_sample_run",
                             help=t("b.sample_help", name=chosen.name), width="stretch"):
            run_survey(chosen.read_bytes(), chosen.name, loaded, isolated=False)
    else:
        st.caption(t("b.no_sample"))
    # An upload is settled once, when it arrives; a later click on the sample replaces its run.
    if upload is not None and st.session_state.get("batch_upload_seen") != upload.file_id:
        st.session_state["batch_upload_seen"] = upload.file_id
        run_survey(upload.getvalue(), upload.name, loaded)


def choose_sheet(run) -> None:
    """Name the sheet read; where several visible sheets hold a survey header, let the clerk pick another."""
    if not run.sheet:
        return
    if len(run.sheets) < 2:
        st.caption(t("b.sheet", sheet=run.sheet))
        return
    st.selectbox(t("b.sheet_pick", n=len(run.sheets)), run.sheets, key="batch_sheet", on_change=_sheet_changed)


def _sheet_changed() -> None:
    rerun_survey(st.session_state["batch_loaded"], st.session_state["batch_sheet"])


def show_counts(run) -> None:
    st.subheader(t("b.counts"))
    c = run.counts
    cols = st.columns(3)
    cols[0].metric(t("b.rows"), f"{c.read:,}")
    cols[1].metric(t("b.computed"), f"{c.computed:,}")
    cols[2].metric(t("b.rejected"), f"{c.rejected:,}")
    for zh, en in run.notes:
        st.info(both(inert(zh), inert(en)))


def show_columns(run, loaded: LoadedPolicy) -> None:
    st.subheader(t("b.columns"))
    st.dataframe(columns_frame(run.columns, loaded.rules), hide_index=True, width="stretch", height=38 + 35 * len(run.columns))


def show_rejected(run, loaded: LoadedPolicy) -> None:
    st.subheader(t("b.errors"))
    if not run.errors:
        st.success(t("b.no_errors"))
        return
    st.dataframe(errors_frame(run.errors, loaded.rules), hide_index=True, width="stretch", height=min(38 + 35 * len(run.errors), 420))


def show_results(run, loaded: LoadedPolicy) -> None:
    settled = run.settlement
    st.subheader(t("b.results"))
    totals = project_totals(settled, loaded.rules)  # the figures and names of the workbook's 项目汇总
    sums = headline(totals)
    for pair in (sums[:2], sums[2:]):
        for col, (label, value, summed) in zip(st.columns(2), pair):
            col.metric(label, value, help=t("b.sums_help", items=summed))
    total = len(settled.results)
    preview = results_frame(settled.inputs, settled.results, PREVIEW_ROWS, loaded.rules)
    st.dataframe(preview, hide_index=True, width="stretch", column_config=right_aligned(preview))
    if total > PREVIEW_ROWS:
        st.caption(t("b.show_rows", n=PREVIEW_ROWS, total=f"{total:,}"))
    with st.expander(t("b.totals_table")):
        st.dataframe(totals_frame(totals), hide_index=True, width="stretch")


def show_charts(run, loaded: LoadedPolicy) -> None:
    results = run.settlement.results
    if results.empty:
        return
    net = loaded.rules.schema.net_payable
    st.subheader(t("b.charts"))
    left, right = st.columns(2)
    if loaded.rules.unit_types is not None:
        with left:
            st.markdown(f"**{t('b.chart_demand')}**")
            st.altair_chart(grouped_bars(demand_frame(results, loaded.rules), "group", "share", "series",
                                         t("b.group"), t("b.share"), series_order=[t("b.series_demand"), t("b.series_plan")]),
                            width="stretch")
    with right if loaded.rules.unit_types is not None else left:
        st.markdown(f"**{t('b.chart_options')}**")
        st.altair_chart(simple_bars(option_totals_frame(project_totals(run.settlement, loaded.rules)), "option", "yuan",
                                    t("q.option"), t("b.chart_options_axis"), "text"), width="stretch")
    st.markdown(f"**{t('b.chart_net')}**")
    st.altair_chart(histogram(net_frame(results, net_column=net), t("b.net_bin"), t("b.households")), width="stretch")


def _bytes(write, *args, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write(*args, buffer, **kwargs)
    return buffer.getvalue()


def download_files(run, loaded: LoadedPolicy, current_lang: str) -> list[tuple[str, object, str, str, str]]:
    """(label, make bytes, file name, mime, button kind) for each file the run can be downloaded as."""
    stem = Path(run.source_name).stem or "survey"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    notice_args = {"rejected": run.counts.rejected, "lang": current_lang}
    return [
        (t("b.dl_workbook"), lambda: _bytes(write_workbook, run, loaded, lang=current_lang),
         f"{stem}_results.xlsx", xlsx, "primary"),
        (t("b.dl_csv"), lambda: _bytes(write_machine, run, loaded, fmt="csv"), f"{stem}_results.csv", "text/csv",
         "secondary"),
        (t("b.dl_notices_xlsx"), lambda: notice_xlsx(run.settlement, loaded, **notice_args),
         f"{stem}_notices.xlsx", xlsx, "secondary"),
        (t("b.dl_notices_pdf"), lambda: notice_pdf(run.settlement, loaded, **notice_args),
         f"{stem}_notices.pdf", "application/pdf", "secondary"),
    ]


def show_flags(run) -> None:
    """请核实: values settled as usual but far outside the policy's plausible range or the survey's own values."""
    if not run.flags:
        return
    st.subheader(t("b.flags"))
    st.warning(t("b.flags_intro", n=len(run.flags)), icon=":material/fact_check:")
    st.dataframe(flags_frame(run.flags), hide_index=True, width="stretch", height=min(38 + 35 * len(run.flags), 420))


def show_downloads(run, loaded: LoadedPolicy) -> None:
    """Each file is made when its button is clicked (a callable), so the page does not wait for all of them. The
    public notice waits while values to verify remain, until the clerk confirms them (as notice --accept-flags)."""
    st.subheader(t("b.downloads"))
    files = download_files(run, loaded, lang())
    if run.flags and not st.checkbox(t("b.flags_accept", n=len(run.flags)), key="batch_accept_flags"):
        st.caption(t("b.flags_notice_held"))
        files = [f for f in files if f[0] not in (t("b.dl_notices_xlsx"), t("b.dl_notices_pdf"))]
    try:
        check_rows(run, loaded, lang())
    except SurveyFileError as exc:  # past Excel's last row: the csv holds every row
        st.info(t("b.xlsx_too_long", reason=both(exc.message_zh, exc.message_en)), icon=":material/info:")
        files = [f for f in files if f[0] != t("b.dl_workbook")]
    cols = st.columns(max(len(files), 1))
    for col, (label, data, file_name, mime, kind) in zip(cols, files):
        col.download_button(label, data, file_name=file_name, mime=mime, type=kind, icon=":material/download:",
                            on_click="ignore", key=f"dl_{file_name}")


def warn_policy_changed(run_loaded: LoadedPolicy, loaded: LoadedPolicy) -> None:
    """Say so when the policy was changed after the run, and offer to settle the same file again."""
    if run_loaded.identity.sha256 == loaded.identity.sha256:
        return
    st.warning(t("b.policy_changed", run=f"{run_loaded.identity.id} {run_loaded.identity.version}",
                 now=f"{loaded.identity.id} {loaded.identity.version}"), icon=":material/sync_problem:")
    if st.button(t("b.rerun"), key="batch_rerun", type="primary"):
        rerun_survey(loaded, st.session_state["batch_run"].sheet)
        st.rerun()  # draw the page again from the new run, without this warning


def render() -> None:
    st.title(t("b.title"))
    st.caption(t("b.intro"))
    loaded = current_policy()
    choose_source(loaded)
    failure = st.session_state.get("batch_failure")
    if failure:
        st.error(t("b.failed", reason=inert(failure)), icon=":material/error:")
    run = st.session_state.get("batch_run")
    if run is None:
        return
    warn_policy_changed(st.session_state["batch_loaded"], loaded)
    run_loaded = st.session_state["batch_loaded"]
    code = run.source_name.replace("`", "'")  # in a code span nothing is formatting; only a backtick could end it
    st.markdown(t("b.source", name=f"`{code}`") + f" · SHA-256 `{run.source_sha256[:16]}…` · "
                + t("b.policy", id=run_loaded.identity.id, version=run_loaded.identity.version))
    choose_sheet(run)
    show_counts(run)
    show_downloads(run, run_loaded)
    show_columns(run, run_loaded)
    show_rejected(run, run_loaded)
    show_flags(run)
    show_results(run, run_loaded)
    show_charts(run, run_loaded)


if __name__ == "__main__":
    render()
