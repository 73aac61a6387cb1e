"""Two clerks in two real processes racing on one flat, one household or one receipt number: one wins, the other is
told why, and the database holds one of each."""
import os
import subprocess
import sys
import time
from pathlib import Path

from ledger_helpers import CLERK, SUPERVISOR, seed_register
from sqlalchemy import func, select

from calculator.register import flats, ledger, oplog, order
from calculator.register.db import reading, transaction
from calculator.register.flats_file import FlatRow
from calculator.register.models_ledger import Flat, Receipt

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("race_worker.py")
ROUNDS = [  # (desk A, desk B)
    ("allocate:H1:1-1-201:" + SUPERVISOR, "allocate:H2:1-1-201:" + SUPERVISOR),  # one flat, two households
    ("allocate:H3:1-1-301:" + SUPERVISOR, "allocate:H3:1-1-401:" + SUPERVISOR),  # one household, two flats
    ("receive:H1:R-001:" + CLERK, "receive:H2:R-001:" + CLERK),  # one receipt number
]


def run_rounds(engine, pid, tmp_path) -> list[list[str]]:
    barrier = str(tmp_path / "go")
    url = engine.url.render_as_string(hide_password=False)
    procs = [subprocess.Popen([sys.executable, str(WORKER), url, str(pid), barrier, desk, *(r[d] for r in ROUNDS)],
                              cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}) for d, desk in enumerate("AB")]
    deadline = time.monotonic() + 120
    for i in range(len(ROUNDS)):
        while len(list(tmp_path.glob(f"go.{i}.ready.*"))) < 2:
            assert time.monotonic() < deadline and all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            time.sleep(0.01)
        Path(f"{barrier}.{i}").touch()
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    return [sorted(pair) for pair in zip(*(out.splitlines() for out, _ in outs))]


def test_two_desks_race(register_engine, tmp_path):
    pid = seed_register(register_engine, [{"no": f"H{i}", "original_area": "45", "unit_area": "48"} for i in (1, 2, 3)])
    with transaction(register_engine) as s:
        flats.import_flats(s, pid, [FlatRow(r, "1", "1", r, f"{r}01", 4800, 4800) for r in (2, 3, 4)], CLERK)
        ledger.open_accounts(s, pid, CLERK)
        order.run_by_signing(s, pid, SUPERVISOR)
    flat, household, receipt = run_rounds(register_engine, pid, tmp_path)
    assert flat[1] == "ok" and flat[0] in ("flat 1-1-201 is already allocated to household H1",
                                           "flat 1-1-201 is already allocated to household H2")
    assert household[1] == "ok" and household[0] in (
        "household H3 has just been given another flat", "household H3 already has flat 1-1-301",
        "household H3 already has flat 1-1-401")
    assert receipt == ["ok", "receipt number R-001 has already been recorded"]
    with reading(register_engine) as s:
        assert s.execute(select(func.count()).select_from(Flat).where(Flat.household_id.is_not(None))).scalar_one() == 2
        assert s.execute(select(func.count()).select_from(Receipt)).scalar_one() == 1
        assert oplog.verify(s) is None
