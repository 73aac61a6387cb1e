"""Helpers for the register staff pages' AppTests: a temp SQLite register built through the library (users, the
project, a slice of the sample survey, offers), and a page opened as a signed-in user."""
from __future__ import annotations

import datetime as dt

from app_helpers import ROOT
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from calculator.batch.survey import load_survey
from calculator.register import agreements, flats, ledger, order
from calculator.register.db import make_engine, reading, transaction
from calculator.register.flats_file import FlatRow
from calculator.register.households import import_survey
from calculator.register.migrate import upgrade
from calculator.register.models import LogEntry
from calculator.register.models_ledger import Flat, Receipt
from calculator.register.offers import make_offers
from calculator.register.projects import (
    create_project,
    current_policy,
    get_project,
    loaded_policy,
)
from calculator.register.users import add_user
from ui.signed_in import KEY, SignedIn

SUPERVISOR, CLERK, AUDITOR = "王主管", "李经办", "赵审计"
SAMPLE_CSV = ROOT / "sample_data" / "tahe_survey_1200.csv"
# TH-00001…00008 (in kind; TH-00007 low-income and deferring) and TH-00030 (cash).
SLICE = ("TH-00001", "TH-00002", "TH-00003", "TH-00004", "TH-00005", "TH-00006", "TH-00007", "TH-00008", "TH-00030")


def sample_slice(folder) -> str:
    """The sample survey's title, header and the SLICE households' rows, as a CSV the batch reader reads."""
    lines = SAMPLE_CSV.read_text("utf-8").splitlines()
    path = folder / "survey_slice.csv"
    path.write_text("\n".join(lines[:2] + [r for r in lines[2:] if r.split(",", 1)[0] in SLICE]) + "\n", "utf-8")
    return str(path)


def offered_register(tmp_path, monkeypatch):
    """A register at ANZHI_DATABASE_URL with a supervisor, a clerk, an auditor, project TH under tahe, the sample
    slice imported and offered. Returns its engine."""
    url = f"sqlite:///{tmp_path / 'register.db'}"
    monkeypatch.setenv("ANZHI_DATABASE_URL", url)
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as s:
        add_user(s, name=SUPERVISOR, role="supervisor", by=SUPERVISOR)
        add_user(s, name=CLERK, role="clerk", by=SUPERVISOR)
        add_user(s, name=AUDITOR, role="auditor", by=SUPERVISOR)
        project, _ = create_project(s, code="TH", name="塔河一期", policy="tahe", by=SUPERVISOR)
        run = load_survey(sample_slice(tmp_path), loaded_policy(current_policy(s, project)))
        import_survey(s, project, run, CLERK)
        make_offers(s, project, CLERK)
    return engine


def sign(engine, *household_nos: str, by: str = SUPERVISOR) -> None:
    """Sign households through the library, as `register sign` does."""
    for no in household_nos:
        with reading(engine) as s:
            project = get_project(s, None)
            h = agreements.household(s, project, no)
            document = agreements.render_document(s, h, agreements.signable_offer(s, project, h), dt.date(2026, 1, 5))
        with transaction(engine) as s:
            agreements.sign(s, get_project(s, None, lock=True), document, by)


def ordered_with_flats(engine, flats_of: dict[int, int]) -> None:
    """Every signed household numbered by signing time, and flats imported: flats_of = {type m²: how many}, in
    building 1, unit 1, rooms 101, 102 … (area = the type)."""
    rows, room = [], 100
    for type_m2, count in flats_of.items():
        for _ in range(count):
            room += 1
            rows.append(FlatRow(row=room - 99, building="1", unit="1", floor=room // 100, room=str(room),
                                area_c=type_m2 * 100, type_c=type_m2 * 100))
    with transaction(engine) as s:
        project = get_project(s, None)
        order.run_by_signing(s, project.id, SUPERVISOR)
        flats.import_flats(s, project.id, rows, CLERK)


def open_accounts(engine) -> None:
    with transaction(engine) as s:
        ledger.open_accounts(s, get_project(s, None).id, CLERK)


def log_size(engine) -> int:
    with reading(engine) as s:
        return s.execute(select(func.count()).select_from(LogEntry)).scalar_one()


def logged_since(engine, size: int) -> list[tuple[str, str, str]]:
    """(user, action, record) of the operator log's entries after the first `size`: a refusal of a user's rights
    is logged ('refused', the action refused); nothing else is written when the library refuses."""
    with reading(engine) as s:
        return [tuple(r) for r in s.execute(select(LogEntry.user, LogEntry.action, LogEntry.entity_id)
                                            .where(LogEntry.seq > size).order_by(LogEntry.seq))]


def flat_holder(engine, room: str) -> str | None:
    """The household number a flat (building 1, unit 1) is allocated to, or None."""
    from calculator.register.models import Household

    with reading(engine) as s:
        return s.execute(select(Household.household_no).join(Flat, Flat.household_id == Household.id)
                         .where(Flat.room == room)).scalar_one_or_none()


def receipt_count(engine) -> int:
    with reading(engine) as s:
        return s.execute(select(func.count()).select_from(Receipt)).scalar_one()


def page(name: str, user: tuple[str, str] | None, lang: str = "zh") -> AppTest:
    """ui/<name> run on its own, in `lang`, with (name, role) signed in (None: nobody)."""
    at = AppTest.from_file(str(ROOT / "ui" / name), default_timeout=60)
    at.session_state["lang"] = lang
    if user is not None:
        at.session_state[KEY] = SignedIn(*user)
    at.run()
    assert not at.exception, at.exception
    return at


def choose_option(at: AppTest, key: str, household: str, kind: str = "selectbox") -> AppTest:
    """Choose the option of widget `key` that starts with `household` (the options are the labels shown) and rerun."""
    widget = getattr(at, kind)(key=key)
    widget.set_value(next(o for o in widget.options if o.startswith(household))).run()
    assert not at.exception, at.exception
    return at
