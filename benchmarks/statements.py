"""Statements per second: the 1,200 households of sample_data/tahe_survey_1200.csv, one PDF each, into a zip.

    python -m benchmarks.statements                 # on 1 process and on every core
    python -m benchmarks.statements --jobs 2
Each run is a fresh process (`write_statements`, as `python -m calculator statements` calls it, after the survey is
read and settled); wall time, and CPU time of the process and its workers (steadier on a shared machine).
Whether reportlab's C accelerator (the rl-accel package) is in use is printed first: without it reportlab runs
pure-Python fallbacks.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "sample_data" / "tahe_survey_1200.csv"
OUT = ROOT / "artifacts" / "bench" / "statements.zip"
TARGET = 200  # statements per second on 2 cores


def accelerated() -> bool:
    from reportlab.lib import rl_accel

    return type(rl_accel.fp_str).__name__ == "builtin_function_or_method"


def measure(jobs: int) -> dict:
    import datetime as dt

    from calculator import load_policy
    from calculator.batch import load_survey
    from calculator.statements.batch import write_statements

    loaded = load_policy("tahe")
    run = load_survey(SURVEY, loaded)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    start, cpu = time.perf_counter(), time.process_time()
    written = write_statements(run.settlement, loaded, OUT, issued=dt.date(2026, 11, 25), jobs=jobs)
    seconds = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
    return {"statements": len(written.names), "seconds": seconds, "cpu": cpu, "accelerated": accelerated()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=sorted({1, os.cpu_count() or 1}))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child)))
        return 0
    print(f"{'jobs':>4} {'statements':>10} {'seconds':>8} {'per s':>7} {'CPU ms each':>12} {'rl-accel':>9}")
    for jobs in args.jobs:
        done = subprocess.run([sys.executable, "-m", "benchmarks.statements", "--child", str(jobs)], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        m = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{jobs:>4} {m['statements']:>10,} {m['seconds']:>8.2f} {m['statements'] / m['seconds']:>7.0f} "
              f"{m['cpu'] / m['statements'] * 1000:>12.1f} {'yes' if m['accelerated'] else 'no':>9}", flush=True)
    print(f"target: ≥ {TARGET} statements/s on 2 cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
