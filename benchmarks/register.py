"""The register at scale: import and settle n households into offers, then read one household's file with history.

    python -m benchmarks.register                      # SQLite file in a temporary folder, 100,000 households
    python -m benchmarks.register --n 20000 --db URL   # another size, or an empty PostgreSQL database
Each stage runs as its command does (`register import`, `register offer`, `register show`), through the library in
this process, so the figures leave out only the interpreter's start-up. The survey is the seeded synthetic Tahe
survey of benchmarks.batch. (The ledger's figures: python -m benchmarks.register_ledger.)
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.batch import survey
from calculator.batch.survey import load_survey
from calculator.register.db import make_engine, reading, transaction
from calculator.register.household_file import file_text, household_file
from calculator.register.households import import_survey
from calculator.register.migrate import upgrade
from calculator.register.offers import make_offers
from calculator.register.projects import create_project, current_policy, get_project, loaded_policy
from calculator.register.users import add_user

SHOWN = 50  # households whose file is read, at random


def run(n: int, url: str) -> dict:
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as s:
        add_user(s, name="bench", role="supervisor", by="bench")
        create_project(s, code="BENCH", name="bench", policy="tahe", by="bench")
    path = survey(n, "csv")
    c0 = time.process_time()  # CPU time too: on a shared machine the wall clock measures the load as much as the work
    t0 = time.perf_counter()
    with transaction(engine) as s:
        project = get_project(s, "BENCH", lock=True)
        run_ = load_survey(path, loaded_policy(current_policy(s, project)))
        t_read = time.perf_counter()
        report = import_survey(s, project, run_, "bench")
    t_import, c_import = time.perf_counter(), time.process_time()
    with transaction(engine) as s:
        offers = make_offers(s, get_project(s, "BENCH", lock=True), "bench")
    t_offers, c_offers = time.perf_counter(), time.process_time()
    numbers = random.Random(n).sample(report.added, min(SHOWN, len(report.added)))
    shows = []
    with reading(engine) as s:
        project = get_project(s, "BENCH")
        for no in numbers:
            start = time.perf_counter()
            file_text(household_file(s, project, no))
            shows.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    return {"households": len(report.added), "offers": offers.made, "read_s": t_read - t0, "import_s": t_import - t0,
            "offers_s": t_offers - t_import, "total_s": t_offers - t0, "import_cpu_s": c_import - c0,
            "offers_cpu_s": c_offers - c_import, "show_median_ms": statistics.median(shows),
            "show_max_ms": max(shows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="an empty database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        r = run(args.n, url)
        size = f"   file {os.path.getsize(Path(folder) / 'bench.db') / 1e6:.0f} MB" if args.db is None else ""
    backend = url.split(":", 1)[0].split("+")[0]
    print(f"register, {backend}: {r['households']:,} households")
    print(f"  import (read {r['read_s']:.1f} s + write) {r['import_s']:.1f} s (CPU {r['import_cpu_s']:.1f} s)   "
          f"offers {r['offers']:,} in {r['offers_s']:.1f} s (CPU {r['offers_cpu_s']:.1f} s)   import + offers "
          f"{r['total_s']:.1f} s (target < 30 s on SQLite){size}")
    print(f"  one household's file with history: median {r['show_median_ms']:.1f} ms, max {r['show_max_ms']:.1f} ms "
          f"over {SHOWN} (target < 20 ms)")


if __name__ == "__main__":
    main()
