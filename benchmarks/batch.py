"""Batch speed: rows/s for 1k/10k/100k-row surveys (csv→csv, xlsx→xlsx), peak memory, the xlsx I/O floor.
(The engine alone, per shipped policy: python -m benchmarks.engine.)

    python -m benchmarks.batch            # all sizes (generates the surveys once into artifacts/bench/)
    python -m benchmarks.batch --sizes 1000 10000
Each measurement runs in a fresh process so its peak memory (ru_maxrss) is its own.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "artifacts" / "bench"
SIZES = (1_000, 10_000, 100_000)


def survey(n: int, kind: str) -> Path:
    """The n-row synthetic Tahe survey (seeded), generated once."""
    from sample_data.generate import clean_rows, write_csv, write_xlsx

    path = BENCH_DIR / f"survey_{n}.{kind}"
    if not path.exists():
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        rows = clean_rows(n, seed=n)
        (write_csv if kind == "csv" else write_xlsx)(rows, path)
    return path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure_batch(source: Path, out: Path) -> dict:
    """End to end in this process, as the CLI does it: read, parse, check, settle, write."""
    from calculator import load_policy
    from calculator.batch import load_survey, write_machine, write_workbook

    loaded = load_policy("tahe")
    start = time.perf_counter()
    run = load_survey(source, loaded)
    read_done = time.perf_counter()
    if out.suffix == ".xlsx":
        write_workbook(run, loaded, out)
    else:
        write_machine(run, loaded, out, fmt=out.suffix[1:])
    end = time.perf_counter()
    return {"seconds": end - start, "load": read_done - start, "write": end - read_done, "rows": run.counts.read,
            "computed": run.counts.computed, "peak_mb": _peak_mb()}


def _read_back(produced: Path) -> list[tuple[str, list[list]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(produced))
    return [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]


def measure_xlsx_floor(source: Path, produced: Path, with_xlsxwriter: bool = True) -> dict:
    """The I/O floor: read the input with calamine (the fastest reader here), and write the very cells of the
    produced workbook, already built, with the fastest writer: both xlsxwriter (constant_memory, row by row)
    and the column-wise SpreadsheetML writer the batch uses (calculator.batch.sheetxml) are timed."""
    sheets = _read_back(produced)
    cells = sum(len(r) for _, rows in sheets for r in rows)
    start = time.perf_counter()
    wb_in = _calamine_read(source)
    read_s = time.perf_counter() - start
    xlsxwriter_s = _write_with_xlsxwriter(sheets, produced.with_name("floor_xlsxwriter.xlsx")) if with_xlsxwriter else float("inf")
    columnar_s = _write_columnar(sheets, produced.with_name("floor_columnar.xlsx"))
    del wb_in
    return {"seconds": read_s + min(xlsxwriter_s, columnar_s), "read": read_s, "xlsxwriter": xlsxwriter_s,
            "columnar": columnar_s, "cells": cells}


def _calamine_read(source: Path):
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(source))
    return wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)


def _write_with_xlsxwriter(sheets, out: Path) -> float:
    import xlsxwriter

    start = time.perf_counter()
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    money, date = book.add_format({"num_format": "#,##0.00"}), book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets:
        ws = book.add_worksheet(name)
        write_number, write_string, write_datetime = ws.write_number, ws.write_string, ws.write_datetime
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v == "":
                    continue
                if isinstance(v, str):
                    write_string(r, c, v)
                elif isinstance(v, (dt.date, dt.datetime)):
                    write_datetime(r, c, v, date)
                else:
                    write_number(r, c, v, money)
    book.close()
    return time.perf_counter() - start


def _write_columnar(sheets, out: Path) -> float:
    """The same cells through sheetxml: columns prepared first (not timed), then header + rows written."""
    import io

    import numpy as np
    import xlsxwriter

    from calculator.batch.sheetxml import Styles, rows_xml, splice
    from calculator.batch.table import Column

    prepared = []
    for name, rows in sheets:
        width = max((len(r) for r in rows), default=0)
        body = [r + [""] * (width - len(r)) for r in rows[1:]]
        columns = []
        for c in range(width):
            values = [r[c] for r in body]
            filled = [v for v in values if v != ""]
            if filled and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in filled):
                cents = np.array([round(v * 100) if v != "" else 0 for v in values], dtype=np.int64)
                columns.append(Column(str(c), "", "", "money", cents, np.array([v != "" for v in values])))
            elif filled and all(isinstance(v, dt.date) for v in filled):
                days = np.array([v if v != "" else None for v in values], dtype="datetime64[D]")
                columns.append(Column(str(c), "", "", "date", days))
            else:
                columns.append(Column(str(c), "", "", "text", np.array([str(v) for v in values], dtype=object)))
        prepared.append((name, rows[0] if rows else [], columns))
    start = time.perf_counter()
    staging = io.BytesIO()
    book = xlsxwriter.Workbook(staging, {"in_memory": True})
    formats = [book.add_format({"num_format": f}) for f in ("#,##0.00", "yyyy-mm-dd", "0")]
    fills = {}
    for i, (name, header, columns) in enumerate(prepared, 1):
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, header)
        fills[f"xl/worksheets/sheet{i}.xml"] = columns
    styles = Styles(*(f._get_xf_index() for f in formats), text=0, quoted=0)
    book.close()
    spliced = {k: (rows_xml(cols, 2, styles), "A1") for k, cols in fills.items() if cols}
    with open(out, "wb") as fh:
        splice(staging.getvalue(), spliced, fh)
    return time.perf_counter() - start


def measure_csv_floor(source: Path, produced: Path) -> dict:
    """csv floor: pyarrow reads the input and writes the produced table back (all text, no parsing)."""
    from pyarrow import csv as pacsv

    table_out = pacsv.read_csv(produced, convert_options=pacsv.ConvertOptions(auto_dict_encode=False))
    start = time.perf_counter()
    pacsv.read_csv(source, read_options=pacsv.ReadOptions(skip_rows=1))
    pacsv.write_csv(table_out, produced.with_name("floor.csv"))
    return {"seconds": time.perf_counter() - start}


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _child(args: list[str]) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.batch", "--child", *args], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cli_wall(source: Path, out: Path) -> float:
    """Wall-clock of the real command, Python start-up and imports included."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "calculator", "batch", str(source), "-o", str(out)], cwd=ROOT,
                   capture_output=True, check=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        what, *rest = args.child
        if what == "batch":
            result = measure_batch(Path(rest[0]), Path(rest[1]))
        elif what == "xlsx_floor":
            result = measure_xlsx_floor(Path(rest[0]), Path(rest[1]), with_xlsxwriter=rest[2:] != ["fast"])
        elif what == "csv_floor":
            result = measure_csv_floor(Path(rest[0]), Path(rest[1]))
        else:
            raise SystemExit(f"unknown measurement {what}")
        print(json.dumps(result))
        return

    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"{'rows':>8} {'route':<12} {'seconds':>8} {'rows/s':>10} {'load s':>7} {'write s':>8} {'peak MB':>8} {'floor s':>8} {'× floor':>8}")
    for n in args.sizes:
        for kind in ("csv", "xlsx"):
            source = survey(n, kind)
            out = BENCH_DIR / f"result_{n}.{kind}"
            # Best of three (the machine is shared); xlsxwriter, ~40 s at 100k rows, is timed once.
            r = min((_child(["batch", str(source), str(out)]) for _ in range(3)), key=lambda m: m["seconds"])
            floors = [_child([f"{kind}_floor", str(source), str(out)])]
            floors += [_child([f"{kind}_floor", str(source), str(out), "fast"]) for _ in range(2)]
            floor = min(floors, key=lambda m: m["seconds"])
            if kind == "xlsx":
                floor = {**floor, "xlsxwriter": floors[0]["xlsxwriter"]}
            ratio = r["seconds"] / floor["seconds"]
            print(f"{n:>8} {kind + '→' + kind:<12} {r['seconds']:>8.2f} {n / r['seconds']:>10,.0f} {r['load']:>7.2f} "
                  f"{r['write']:>8.2f} {r['peak_mb']:>8.0f} {floor['seconds']:>8.2f} {ratio:>8.2f}")
            if kind == "xlsx":
                print(f"{'':>8} {'  floor parts':<12} read {floor['read']:.2f} s; same {floor['cells']:,} cells written by "
                      f"xlsxwriter {floor['xlsxwriter']:.2f} s, by sheetxml {floor['columnar']:.2f} s")
        if n == max(args.sizes):
            wall = min(_cli_wall(survey(n, "csv"), BENCH_DIR / f"cli_{n}.csv") for _ in range(3))
            print(f"{n:>8} {'csv→csv CLI':<12} {wall:>8.2f} {n / wall:>10,.0f}   (python -m calculator batch, start-up included)")
    print("engine alone, per policy: python -m benchmarks.engine (make bench runs both)")

if __name__ == "__main__":
    main()
