"""Page 搬迁顺序与选房 (moving order and flats): the public draw from a published seed or the order by signing time, the
flat choice in moving order (one click allocates a free flat of the agreed type), and the move-in."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from calculator.register import flats, ledger, order, queues
from calculator.register.errors import RegisterError
from calculator.register.flats_file import FlatsFileError, read_flats
from ui.format import inert
from ui.i18n import pick, t
from ui.register_staff import (
    attempt,
    choose,
    done,
    later,
    policy_of,
    project_or_stop,
    read,
    refusal,
    show_done,
    staff_or_stop,
    write,
)
from ui.register_staff_view import flat_label, housed_label, waiting_label

BAD_ROWS_SHOWN = 20  # problems of a flats list named on the page; the rest are counted
FLATS_SHOWN = 40  # free flats offered as buttons at once; the rest are counted
COLUMNS = 4


def inventory(project, user) -> None:
    """The flats inventory: how many, how many allocated, and an import of a flats list (all rows or none)."""
    st.subheader(t("reg.flats.inventory_title"))
    types, allocated = read(flats.inventory, project.id)
    st.caption(t("reg.flats.inventory", n=len(types), allocated=sum(allocated)))
    upload = st.file_uploader(t("reg.flats.upload"), type=["xlsx", "xls", "csv"], key="reg_flats_upload")
    if not st.button(t("reg.flats.import"), icon=":material/upload_file:", key="reg_flats_import"):
        return
    if upload is None:
        st.warning(t("reg.flats.choose_file"), icon=":material/info:")
        return
    try:
        rows, errors = read_flats(upload.getvalue(), policy_of(project).rules)
    except FlatsFileError as exc:
        refusal(RegisterError("file", upload.name, exc.message_zh, exc.message_en))
        return
    if errors:  # as `register flats import`: a list with bad rows imports nothing
        st.error(t("reg.flats.bad_rows", n=len(errors)), icon=":material/block:")
        st.markdown("\n".join(f"- {inert(pick(e.message_zh, e.message_en))}" for e in errors[:BAD_ROWS_SHOWN]))
        if len(errors) > BAD_ROWS_SHOWN:
            st.caption(t("reg.flats.more_bad", n=len(errors) - BAD_ROWS_SHOWN))
        return
    count = write(lambda s: flats.import_flats(s, project.id, rows, user.name))
    if count is not None:
        done(t("reg.flats.imported", n=count))


def moving_order(project, user) -> None:
    st.subheader(t("reg.flats.order_title"))
    st.caption(t("reg.flats.unordered", n=read(queues.unordered_count, project.id)))
    seed = st.text_input(t("reg.flats.seed"), key="reg_draw_seed", help=t("reg.flats.seed_help"),
                         max_chars=200)
    left, right = st.columns(2)
    if left.button(t("reg.flats.draw"), type="primary", icon=":material/casino:", key="reg_draw", width="stretch"):
        drawn = write(lambda s: order.run_draw(s, project.id, seed, user.name))
        if drawn is not None:
            done(t("reg.flats.drawn", n=drawn.households, first=drawn.first_order_no,
                   last=drawn.first_order_no + drawn.households - 1, seed=drawn.seed, sha=drawn.list_sha256))
    if right.button(t("reg.flats.by_signing"), icon=":material/schedule:", key="reg_order", width="stretch"):
        numbered = write(lambda s: order.run_by_signing(s, project.id, user.name))
        if numbered is not None:
            first, count = numbered
            done(t("reg.flats.ordered", n=count, first=first, last=first + count - 1))


def allocate(project, user, policy, household_no: str, address: str) -> None:
    """A flat button's callback (run before the page is redrawn, so a flat another clerk took meanwhile, and so no
    longer listed, still answers the click): the flat to the household, or the library's refusal, said so."""
    out_of_turn = st.session_state.get("reg_flats_out_of_turn") or None
    result = attempt(lambda s: flats.allocate(s, project.id, household_no, address, user.name, policy.rules, out_of_turn))
    if not isinstance(result, RegisterError):
        later(("success", t("reg.flats.allocated", household=household_no, address=address)))
    elif result.field == "flat" and read(lambda s: flats.find_flat(s, project.id, address).household_id) is not None:
        later(("warning", t("reg.flats.taken", address=address)), ("refusal", result))
    else:
        later(("refusal", result))


def flat_choice(project, user) -> None:
    st.subheader(t("reg.flats.choice_title"))
    policy = policy_of(project)
    waiting = read(queues.next_in_order, project.id, policy.rules)
    if not waiting:
        st.info(t("reg.flats.none_waiting"))
        return
    by_no = {w.household_no: w for w in waiting}
    chosen = choose(st.radio, t("reg.flats.pick_household"), {no: waiting_label(w) for no, w in by_no.items()},
                    key="reg_flats_household")
    household = by_no[chosen]
    if chosen != waiting[0].household_no:
        st.text_input(t("reg.flats.out_of_turn"), key="reg_flats_out_of_turn")
    free = read(queues.free_flats, project.id, household.type_c)
    type_m2 = flats.m2(household.type_c)
    if not free:
        st.info(t("reg.flats.no_free", type=type_m2))
        return
    st.caption(t("reg.flats.free", type=type_m2, n=len(free)))
    columns = st.columns(COLUMNS)
    for i, flat in enumerate(free[:FLATS_SHOWN]):
        columns[i % COLUMNS].button(flat_label(flat), key=f"reg_flat_{flat.address}", width="stretch",
                                    on_click=allocate, args=(project, user, policy, chosen, flat.address))
    if len(free) > FLATS_SHOWN:
        st.caption(t("reg.flats.more", n=len(free) - FLATS_SHOWN))


def move_in(project, user) -> None:
    st.subheader(t("reg.flats.move_in_title"))
    housed = read(queues.awaiting_move_in, project.id)
    if not housed:
        st.info(t("reg.flats.none_housed"))
        return
    by_no = {h.household_no: h for h in housed}
    left, right = st.columns([3, 1])
    chosen = choose(left.selectbox, t("reg.flats.move_in_household"), {no: housed_label(h) for no, h in by_no.items()},
                    key="reg_move_in_household")
    day = right.date_input(t("reg.flats.move_in_date"), value=dt.date.today(), key="reg_move_in_date")
    if st.button(t("reg.flats.move_in"), icon=":material/key:", key="reg_move_in"):
        def record(session):
            ledger.open_accounts(session, project.id, user.name)  # as `register move-in` does
            return ledger.move_in(session, project.id, household_no=chosen, moved_in_on=day, user=user.name)
        if write(record) is not None:
            done(t("reg.flats.moved_in", household=chosen, date=day.isoformat()))


user = staff_or_stop()
project = project_or_stop()
st.title(t("reg.flats.title"))
show_done()
inventory(project, user)
st.divider()
moving_order(project, user)
st.divider()
flat_choice(project, user)
st.divider()
move_in(project, user)
