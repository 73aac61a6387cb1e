"""A small register for the staff pages' AppTests, made through the library: the first 30 households of the sample
survey offered, five signed, three with a flat, two moved in, receipts, and a 31st household surveyed only.

Stages on 2030-01-01: TH-00001 paid up (moved in), TH-00002 flat chosen, TH-00007 overdue (deferring, moved in,
installments unpaid), TH-00009 and TH-00030 (cash) signed, TH-00031 surveyed, the other 25 offered."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

from calculator.batch import load_survey
from calculator.register import agreements, flats, ledger, migrate, order
from calculator.register.db import make_engine, reading, transaction
from calculator.register.flats_file import FlatRow
from calculator.register.households import import_survey
from calculator.register.models import utc_now
from calculator.register.offers import make_offers
from calculator.register.projects import (
    create_project,
    current_policy,
    get_project,
    loaded_policy,
)
from calculator.register.users import add_user
from ui.signed_in import KEY, SignedIn

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "sample_data" / "tahe_survey_1200.csv"
SUPERVISOR, CLERK, AUDITOR = "王主管", "李经办", "赵审计"
LATER = dt.date(2030, 1, 1)
SIGNED = ["TH-00001", "TH-00002", "TH-00007", "TH-00009", "TH-00030"]
FLATS = [FlatRow(2, "1", "1", 1, "101", 4012, 4000), FlatRow(3, "1", "1", 2, "201", 5790, 5800),
         FlatRow(4, "1", "1", 3, "301", 4830, 4800), FlatRow(5, "1", "1", 4, "401", 4800, 4800)]


def sample_slice(path: Path, rows: int) -> Path:
    """The sample survey's title, header and first `rows` households, as a csv."""
    lines = SAMPLE_CSV.read_text("utf-8").splitlines()
    path.write_text("\n".join(lines[:2 + rows]) + "\n", encoding="utf-8")
    return path


def empty_register(tmp_path: Path, monkeypatch, project: bool = True) -> str:
    """A register with a supervisor, a clerk and an auditor (and project P1 under tahe); the app's URL set to it."""
    url = f"sqlite:///{tmp_path / 'register.db'}"
    monkeypatch.setenv("ANZHI_DATABASE_URL", url)
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(engine) as s:
        add_user(s, name=SUPERVISOR, role="supervisor", by=SUPERVISOR)
        add_user(s, name=CLERK, role="clerk", by=SUPERVISOR)
        add_user(s, name=AUDITOR, role="auditor", by=SUPERVISOR)
        if project:
            create_project(s, code="P1", name="塔河一期", policy="tahe", by=SUPERVISOR)
    engine.dispose()
    return url


def _import(engine, path: Path) -> None:
    with transaction(engine) as s:
        project = get_project(s, "P1", lock=True)
        run = load_survey(path, loaded_policy(current_policy(s, project)))
        import_survey(s, project, run, CLERK)


def _sign(engine, number: str) -> None:
    """Sign with a stand-in document (the PDF is not what these pages show; the signing page draws the real one)."""
    with transaction(engine) as s:
        project = get_project(s, "P1", lock=True)
        offer = agreements.signable_offer(s, project, agreements.household(s, project, number))
        agreements.sign(s, project, agreements.Document(number, offer.id, b"%PDF-1.4 test"), SUPERVISOR)


@dataclass
class Scenario:
    url: str
    project_id: int
    today: dt.date


def lived_register(tmp_path: Path, monkeypatch) -> Scenario:
    url = empty_register(tmp_path, monkeypatch)
    engine = make_engine(url)
    _import(engine, sample_slice(tmp_path / "survey30.csv", 30))
    with transaction(engine) as s:
        make_offers(s, get_project(s, "P1", lock=True), CLERK)
    for number in SIGNED:
        _sign(engine, number)
    today = utc_now().date()
    with transaction(engine) as s:
        project = get_project(s, "P1", lock=True)
        policy = loaded_policy(current_policy(s, project)).rules
        order.run_by_signing(s, project.id, SUPERVISOR)
        flats.import_flats(s, project.id, FLATS, CLERK)
        for number, flat in (("TH-00001", "1-1-101"), ("TH-00002", "1-1-201"), ("TH-00007", "1-1-301")):
            flats.allocate(s, project.id, number, flat, CLERK, policy)
        ledger.open_accounts(s, project.id, CLERK)
    for number, receipt in (("TH-00001", "R-001"), ("TH-00007", "R-002")):
        with transaction(engine) as s:
            h = ledger.household_by_no(s, project.id, number)
            before = ledger.account(s, h, today)["dues"][0]["amount_fen"]  # due before move-in
            ledger.receive(s, project.id, household_no=number, receipt_no=receipt, received_on=today,
                           amount_fen=before, clerk=CLERK)
            ledger.move_in(s, project.id, household_no=number, moved_in_on=today, user=CLERK)
    _import(engine, sample_slice(tmp_path / "survey31.csv", 31))  # TH-00031: surveyed, no offer yet
    with reading(engine) as s:
        project_id = get_project(s, "P1").id
    engine.dispose()
    return Scenario(url, project_id, today)


def page(path: str, user: SignedIn | None, lang: str = "zh", **state) -> AppTest:
    """A staff page on its own (as app.py's navigation runs it), signed in as `user`, in `lang`."""
    assert os.environ.get("ANZHI_DATABASE_URL"), "set the register first"
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.session_state["lang"] = lang
    if user is not None:
        at.session_state[KEY] = user
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def staff(name: str) -> SignedIn:
    role = {SUPERVISOR: "supervisor", CLERK: "clerk", AUDITOR: "auditor"}[name]
    return SignedIn(name=name, role=role)


def page_text(at: AppTest) -> str:
    """Every word the page shows: titles, text, notes, messages, metrics, tables and the choices of its selectboxes."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "success", "warning", "error")
             for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [" ".join(map(str, d.value.columns)) + " " + d.value.to_string() for d in at.dataframe]
    parts += [" ".join(map(str, s.options)) for s in at.selectbox]
    parts += [e.label for kind in ("text_input", "date_input", "button", "selectbox") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def log_count(url: str) -> int:
    from sqlalchemy import func, select

    from calculator.register.models import LogEntry

    engine = make_engine(url)
    with reading(engine) as s:
        count = s.execute(select(func.count()).select_from(LogEntry)).scalar_one()
    engine.dispose()
    return count


def changes_since(url: str, seq: int) -> list[str]:
    """The actions logged after entry `seq`, other than refusals (the library logs those, and only those, when it
    refuses)."""
    from sqlalchemy import select

    from calculator.register.models import LogEntry

    engine = make_engine(url)
    with reading(engine) as s:
        actions = list(s.execute(select(LogEntry.action).where(LogEntry.seq > seq).order_by(LogEntry.seq)).scalars())
    engine.dispose()
    return [a for a in actions if a != "refused"]


def chart_data(at: AppTest) -> list:
    """The data each chart of the page draws, as frames, in page order."""
    import pyarrow as pa

    return [pa.ipc.open_stream(c.proto.datasets[0].data.data).read_all().to_pandas() for c in at.get("vega_lite_chart")]
