"""The ledger at scale: the funds report and one household's account in a register of 100,000 signed households.

    python -m benchmarks.register_ledger                      # SQLite file in a temporary folder, 100,000 households
    python -m benchmarks.register_ledger --n 20000 --db URL   # another size, or an empty PostgreSQL database
The register is filled fast and directly (not through the clerk's commands): the 1,200 sample households' signed
quotes repeated to n households, the accounts opened by the ledger itself (timed too), 95 % of the in-kind
households moved in over 2025, and receipts for what was due before move-in and for most installments.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select, update

from calculator import load_policy
from calculator.batch import load_survey
from calculator.policy import POLICY_DIR
from calculator.register import ledger, report_queries, reports
from calculator.register.db import make_engine, reading, transaction
from calculator.register.migrate import upgrade
from calculator.register.models import Agreement, Household, Offer, PolicyVersion, Project, User
from calculator.register.models_ledger import DueRow, Receipt
from calculator.result import build_quote

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 5000
AS_OF = dt.date(2027, 12, 31)


def sample_quotes(loaded) -> list[tuple[str, str, str, int]]:
    """(name, option, quote JSON, net fen) of every household of the 1,200 sample."""
    run = load_survey(ROOT / "sample_data" / "tahe_survey_1200.xlsx", loaded)
    out = []
    for i in range(len(run.settlement.inputs)):
        q = build_quote(run.settlement, i, loaded)
        out.append((str(run.settlement.inputs.iloc[i].get("name", "")), q.option, q.model_dump_json(), int(q.net_payable * 100)))
    return out


def fill(engine, n: int) -> int:
    """n signed households; returns the project id."""
    loaded = load_policy("tahe")
    quotes = sample_quotes(loaded)
    now = dt.datetime(2025, 1, 1)
    with transaction(engine) as s:
        s.add(User(name="bench", role="supervisor", created_at=now, created_by="bench"))
        project = Project(code="BENCH", name="bench", created_at=now, created_by="bench")
        s.add(project)
        s.flush()
        policy = PolicyVersion(project_id=project.id, policy_id="tahe", version=loaded.identity.version,
                               sha256=loaded.identity.sha256, text=(POLICY_DIR / "tahe.toml").read_text("utf-8"),
                               adopted_at=now, adopted_by="bench")
        s.add(policy)
        s.flush()
        pid, policy_id = project.id, policy.id
    for start in range(0, n, CHUNK):
        ids = range(start + 1, min(start + CHUNK, n) + 1)
        with transaction(engine) as s:
            s.execute(insert(Household), [{
                "id": i, "project_id": pid, "household_no": f"B{i:06d}", "name": quotes[i % len(quotes)][0], "id_number": "",
                "category": quotes[i % len(quotes)][1], "inputs": {}, "survey": {}, "survey_row": i + 2, "survey_sha256": "0" * 64,
                "status": "signed", "created_at": now, "updated_at": now} for i in ids])
            s.execute(insert(Offer), [{
                "id": i, "household_id": i, "version": 1, "policy_version_id": policy_id, "policy_sha256": loaded.identity.sha256,
                "option": quotes[i % len(quotes)][1], "net_fen": quotes[i % len(quotes)][3], "quote_json": quotes[i % len(quotes)][2],
                "created_at": now, "created_by": "bench"} for i in ids])
            s.execute(insert(Agreement), [{
                "id": i, "project_id": pid, "number": i, "household_id": i, "offer_id": i, "signed_at": now + dt.timedelta(minutes=i),
                "signed_by": "bench", "document_sha256": "0" * 64, "document": b""} for i in ids])
    return pid


def move_in_and_pay(engine, pid: int, seed: int = 7) -> tuple[int, int]:
    """Date the dues of 95 % of in-kind households from a move-in in 2025 and record their receipts."""
    rng = np.random.default_rng(seed)
    with reading(engine) as s:
        rows = s.execute(select(DueRow.id, DueRow.household_id, DueRow.kind, DueRow.years_after_move_in, DueRow.amount_fen)
                         .where(DueRow.direction == "pay").order_by(DueRow.id)).all()
    households = sorted({r[1] for r in rows})
    moved = {h: dt.date(2025, 3, 1) + dt.timedelta(days=int(d))
             for h, d in zip(households, rng.integers(0, 300, len(households))) if rng.random() < 0.95}
    dated, receipts = [], []
    for due_id, hid, kind, years, amount in rows:
        if hid not in moved:
            continue
        day = moved[hid].replace(year=moved[hid].year + years)
        dated.append({"id": due_id, "due_on": day})
        if kind == "before_move_in" or rng.random() < 0.85:
            paid_on = day - dt.timedelta(days=int(rng.integers(0, 30)))
            receipts.append({"project_id": pid, "receipt_no": f"R{len(receipts) + 1:07d}", "household_id": hid,
                                 "received_on": paid_on, "amount_fen": amount, "clerk": "bench", "recorded_at": dt.datetime(2025, 1, 1)})
    with transaction(engine) as s:
        for start in range(0, len(dated), CHUNK):
            s.execute(update(DueRow), dated[start:start + CHUNK])
        for start in range(0, len(receipts), CHUNK):
            s.execute(insert(Receipt), receipts[start:start + CHUNK])
    return len(moved), len(receipts)


def best(func, times: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (CPU time tells a slow run from a busy machine)."""
    wall, cpu = [], []
    for _ in range(times):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="an empty database (default: a SQLite file in a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.db or f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        print(f"backend {engine.dialect.name}, {args.n:,} signed households", flush=True)
        start = time.perf_counter()
        pid = fill(engine, args.n)
        print(f"filled in {time.perf_counter() - start:.1f} s", flush=True)
        start = time.perf_counter()
        with transaction(engine) as s:
            opened = ledger.open_accounts(s, pid, "bench")
        print(f"opening {opened:,} accounts from their signed quotes: {time.perf_counter() - start:.1f} s", flush=True)
        moved, paid = move_in_and_pay(engine, pid)
        print(f"{moved:,} households moved in, {paid:,} receipts", flush=True)

        def funds_report():
            with reading(engine) as s:
                return reports.xlsx_bytes(report_queries.funds(s, pid, AS_OF))

        wall, cpu = best(funds_report, 3)
        print(f"funds report (query, months, xlsx): best {min(wall):.2f} s of 3, CPU {min(cpu):.2f} s (target < 2 s)")
        with reading(engine) as s:
            household = ledger.household_by_no(s, pid, f"B{args.n // 2:06d}")
            wall, cpu = best(lambda: ledger.account(s, household, AS_OF), 21)
        print(f"one household's account (dues, receipts, standing): median {statistics.median(wall) * 1000:.1f} ms "
              f"of 21, CPU {statistics.median(cpu) * 1000:.1f} ms (target < 20 ms)")
        print(f"machine load (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
