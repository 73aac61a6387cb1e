"""方案测算 speed: 100,000 households under two plans (tahe and tahe with the extra-area price at 1,100 yuan/m²), csv in,
xlsx report out: read once, settle twice, compare, write. Target < 5 s.

    python -m benchmarks.compare                 # 100,000 households (the survey is generated once into artifacts/bench/)
    python -m benchmarks.compare --size 10000
"""
from __future__ import annotations

import argparse
import resource
import time

from benchmarks.batch import BENCH_DIR, survey

EDIT = "items.reasonable_extra_area.rate=1100"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    source = survey(args.size, "csv")

    from calculator.compare import compare
    from calculator.compare_report import write_report
    from calculator.plans import load_plan

    plans = [load_plan("tahe"), load_plan("tahe", [EDIT])]
    out = BENCH_DIR / f"compare_{args.size}.xlsx"
    start = time.perf_counter()
    comparison = compare(source, plans)
    compared = time.perf_counter()
    write_report(comparison, out)
    end = time.perf_counter()
    change = comparison.changes[0]
    # The same machine, the same moment: one batch run of the survey (csv → csv), to read the figure against.
    from calculator.batch import load_survey, write_machine

    ref_start = time.perf_counter()
    write_machine(load_survey(source, plans[0].loaded), plans[0].loaded, BENCH_DIR / f"compare_ref_{args.size}.csv",
                  fmt="csv")
    reference = time.perf_counter() - ref_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"compare: {args.size:,} households × 2 plans (tahe; tahe with {EDIT}), csv → xlsx")
    print(f"  read + settle ×2 + compare {compared - start:6.2f} s")
    print(f"  write report (xlsx)        {end - compared:6.2f} s   {out.stat().st_size / 2 ** 20:.1f} MB")
    print(f"  total                      {end - start:6.2f} s   (target < 5 s)   peak memory {peak:,.0f} MB")
    print(f"  better off {change.better:,}  worse off {change.worse:,}  unchanged {change.unchanged:,}")
    print(f"  reference: one batch run, csv → csv, now {reference:.2f} s (the comparison = {(end - start) / reference:.1f} "
          f"× that)")


if __name__ == "__main__":
    main()
