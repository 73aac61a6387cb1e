"""Peak memory and time of `batch` csv → csv for 1 M and 10 M rows, each run as a fresh CLI process.

    python -m benchmarks.memory                  # 1,000,000 and 10,000,000 rows
    python -m benchmarks.memory --rows 1000000
The surveys are made once into artifacts/bench/ by repeating the 1,200 rows of sample_data/tahe_survey_1200.csv
with new household ids (TH-00000001 …). Peak memory is the child's ru_maxrss.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "artifacts" / "bench"
SAMPLE = ROOT / "sample_data" / "tahe_survey_1200.csv"
ROWS = (1_000_000, 10_000_000)


def survey(n: int) -> Path:
    """An n-row csv survey: the sample's rows over and over, each with its own household id, written in blocks."""
    path = BENCH_DIR / f"survey_{n}_rows.csv"
    if path.exists():
        return path
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    lines = SAMPLE.read_text("utf-8").splitlines()
    title, header, body = lines[0], lines[1], [line.split(",", 1)[1] for line in lines[2:] if line]
    part = path.with_suffix(".part")
    with part.open("w", encoding="utf-8", newline="") as out:
        out.write(f"{title}\n{header}\n")
        written = 0
        while written < n:
            block = io.StringIO()
            for i in range(min(len(body) * 50, n - written)):
                block.write(f"TH-{written + i + 1:08d},{body[i % len(body)]}\n")
            written += min(len(body) * 50, n - written)
            out.write(block.getvalue())
    os.replace(part, path)
    return path


def run(n: int) -> dict:
    source = survey(n)
    out = BENCH_DIR / f"result_{n}_rows.csv"
    start = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    done = subprocess.run([sys.executable, "-m", "calculator", "batch", str(source), "-o", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu
    if done.returncode not in (0, 3):
        raise SystemExit(f"batch failed ({done.returncode}): {done.stderr[-2000:]}")
    with out.open(encoding="utf-8-sig") as f:
        rows = sum(1 for _ in csv.reader(f)) - 1
    # ru_maxrss of the children is the largest of any child so far: runs go from small to large, so it is this one's.
    return {"rows": n, "seconds": seconds, "cpu": cpu, "peak_mb": max(peak, before) / 1024, "output_rows": rows,
            "floor": _floor(source, out)}


def _floor(source: Path, produced: Path) -> float:
    """The csv floor (benchmarks.batch): pyarrow reads the input and writes the produced table back, all text; the
    best of three fresh processes."""
    from benchmarks.batch import _child

    return min(_child(["csv_floor", str(source), str(produced)])["seconds"] for _ in range(3))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="*", default=list(ROWS))
    args = parser.parse_args(argv)
    print("csv → csv, one CLI process per size (peak = ru_maxrss of the process)")
    print(f"{'rows':>12} {'seconds':>9} {'CPU s':>7} {'rows/s':>10} {'peak MB':>9} {'floor s':>8} {'× floor':>8}")
    for n in sorted(args.rows):
        r = run(n)
        assert r["output_rows"] == n, r
        print(f"{n:>12,} {r['seconds']:>9.1f} {r['cpu']:>7.1f} {n / r['seconds']:>10,.0f} {r['peak_mb']:>9,.0f} "
              f"{r['floor']:>8.2f} {r['seconds'] / r['floor']:>8.1f}", flush=True)
    print("targets at 1,000,000 rows: within 3 × floor, peak < 1 GB")


if __name__ == "__main__":
    main()
