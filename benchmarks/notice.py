"""The public notice at programme scale: seconds to build it, write its PDF and its xlsx, for 1k, 10k, 100k households.

    python -m benchmarks.notice                       # 1,000, 10,000 and 100,000 households
    python -m benchmarks.notice --sizes 1000 2500 5000 --formats pdf
Surveys are the synthetic Tahe ones of benchmarks.batch (made once into artifacts/bench/). Each size runs in a
fresh process: the survey is read and settled first (not timed), then the Notice is built (`build_notice`) and
written as PDF and as xlsx (wall and CPU seconds: on a shared machine the CPU time varies less); µs per household
(of wall time) shows whether the time is linear in the households.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from benchmarks.batch import ROOT, survey

SIZES = (1_000, 10_000, 100_000)
TARGETS = {"pdf": 60.0, "xlsx": 3.0}  # seconds at 100,000 households


def measure(n: int, formats: list[str]) -> dict:
    """In this process: settle the n-row survey, then time the notice's stages."""
    from calculator import load_policy
    from calculator.batch import load_survey
    from calculator.statements.notice import build_notice
    from calculator.statements.notice_pdf import notice_document, unprintable_rows
    from calculator.statements.notice_xlsx import notice_workbook

    loaded = load_policy("tahe")
    run = load_survey(survey(n, "csv"), loaded)
    out = {"households": run.counts.computed}
    start, cpu = time.perf_counter(), time.process_time()
    notice = build_notice(run.settlement, loaded, issued=None, lang="zh")
    out["build"] = time.perf_counter() - start
    if "pdf" in formats:
        start, cpu = time.perf_counter(), time.process_time()
        unprintable_rows(notice)
        pdf = notice_document(notice)
        out["pdf"], out["pdf_cpu"], out["pdf_mb"] = time.perf_counter() - start, time.process_time() - cpu, len(pdf) / 1e6
    if "xlsx" in formats:
        start, cpu = time.perf_counter(), time.process_time()
        book = notice_workbook(notice)
        out["xlsx"], out["xlsx_cpu"], out["xlsx_mb"] = time.perf_counter() - start, time.process_time() - cpu, len(book) / 1e6
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--formats", nargs="+", choices=["pdf", "xlsx"], default=["pdf", "xlsx"])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.formats)))
        return 0
    print(f"{'households':>10} {'build s':>8} {'PDF s':>8} {'CPU s':>7} {'µs/hh':>7} {'PDF MB':>7} {'xlsx s':>7} "
          f"{'CPU s':>7} {'µs/hh':>7} {'peak MB':>8}")
    for n in args.sizes:
        survey(n, "csv")  # made once, outside the timing
        done = subprocess.run([sys.executable, "-m", "benchmarks.notice", "--child", str(n), "--formats", *args.formats],
                              cwd=ROOT, capture_output=True, text=True, check=True)
        m = json.loads(done.stdout)
        per = lambda key, m=m: f"{m[key] / m['households'] * 1e6:7.0f}" if key in m else f"{'':>7}"
        cell = lambda key, width, fmt, m=m: f"{m[key]:{width}{fmt}}" if key in m else " " * width
        print(f"{n:>10,} {m['build']:8.2f} {cell('pdf', 8, '.2f')} {cell('pdf_cpu', 7, '.2f')} {per('pdf')} "
              f"{cell('pdf_mb', 7, '.1f')} {cell('xlsx', 7, '.2f')} {cell('xlsx_cpu', 7, '.2f')} {per('xlsx')} "
              f"{m['peak_mb']:8.0f}", flush=True)
    print(f"targets at 100,000 households: PDF < {TARGETS['pdf']:.0f} s, xlsx < {TARGETS['xlsx']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
