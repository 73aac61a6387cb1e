"""Start-up: a whole `python -m calculator …` process, timed from outside, for the commands a script calls per household.

    python -m benchmarks.startup            # 20 runs each
    python -m benchmarks.startup --runs 50
and then `quote --stdin` over 2,000 households in one process (what a program quoting many pays per household).
Each run is a fresh process (fork, exec, imports, parse, the work, exit); min and median wall time, and the least
CPU time (user + system, steadier on a shared machine), are printed beside
`python -c pass` (the floor of any Python command), what `import numpy` (the engine's arrays) and `import numpy,
pydantic` cost (the floor of a quote: its engine and its policy and result models) and what `import pandas` alone costs (which a quote no longer loads).
Python writes its byte-code caches (__pycache__/, gitignored) as on a user's machine, even where the environment
says not to (PYTHONDONTWRITEBYTECODE, set on some CI machines: each start then compiles the project's modules
again, about 35 ms of `--help`); one run of each command before the timed ones writes them.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUOTE = ["quote", "--original-area", "62.5", "--unit-area", "75", "--appraised-price", "6000", "--move-in", "2026-06-01"]
COMMANDS = [
    ("python -c pass", ["-c", "pass"], None),
    ("python -c 'import numpy'", ["-c", "import numpy"], None),
    ("python -c 'import numpy, pydantic'", ["-c", "import numpy, pydantic"], None),
    ("python -c 'import pandas'", ["-c", "import pandas"], None),
    ("python -m calculator --help", ["-m", "calculator", "--help"], 0.100),
    ("python -m calculator quote …", ["-m", "calculator", *QUOTE], 0.150),
    ("python -m calculator quote … --format json", ["-m", "calculator", *QUOTE, "--format", "json"], 0.150),
]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as a user's Python runs


def timed(args: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall seconds and CPU seconds (user + system) of each run: on a shared machine the CPU time varies less."""
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=ENV)  # caches
    walls, cpus = [], []
    for _ in range(runs):
        cpu, start = _children_cpu(), time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=ENV)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    return walls, cpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    print(f"{'command':48} {'min ms':>8} {'median ms':>10} {'CPU ms':>8} {'target':>8}")
    for label, command, target in COMMANDS:
        walls, cpus = timed(command, args.runs)
        goal = f"< {target * 1000:.0f}" if target else ""
        print(f"{label:48} {min(walls) * 1000:8.0f} {statistics.median(walls) * 1000:10.0f} {min(cpus) * 1000:8.0f} "
              f"{goal:>8}", flush=True)
    lines_per_household()
    return 0


def lines_per_household(count: int = 2000, runs: int = 3) -> None:
    """`quote --stdin` over `count` households (one JSON line each, areas and flats varied): one process for all,
    what a program quoting household after household pays per household once Python has started."""
    import json
    import random

    pick = random.Random(14)
    lines = "".join(json.dumps({"household_id": f"H{i}", "original_area": f"{pick.uniform(20, 90):.2f}",
                                "unit_area": pick.choice(["40", "58", "68", "75", "89"]), "appraised_price": "6000",
                                "move_in_date": "2026-06-01"}) + "\n" for i in range(count)).encode()
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "calculator", "quote", "--stdin"], cwd=ROOT, input=lines,
                              capture_output=True, env=ENV, check=True)
        walls.append(time.perf_counter() - start)
        assert done.stdout.count(b"\n") == count
    best = min(walls)
    print(f"python -m calculator quote --stdin, {count:,} households: {best:.2f} s, "
          f"{best / count * 1000:.2f} ms a household (start included)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
