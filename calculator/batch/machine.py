"""Machine-readable results, .csv or .jsonl, English columns, one row per input row (rejected ones too), built column-wise."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from .. import inputs
from ..policy import LoadedPolicy
from ..schema import GIVEN_AREAS
from .output import open_output
from .survey import SurveyRun
from .table import Column, errors_by_row, input_column, neutralise_arrow

DECIMAL = pa.decimal128(18, 2)


def decimal_array(cents: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """int64 hundredths -> exact decimal128(18, 2) (what csv writes as '13500.00'), null where not valid."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    high = np.where(cents < 0, -1, 0).astype(np.int64)  # sign-extend to 128 bits, little-endian
    data = pa.py_buffer(np.column_stack([cents, high]).ravel().tobytes())
    if valid is None or valid.all():
        return pa.Array.from_buffers(DECIMAL, len(cents), [None, data], null_count=0)
    bitmap = pa.array(np.asarray(valid, dtype=bool)).buffers()[1]
    return pa.Array.from_buffers(DECIMAL, len(cents), [bitmap, data], null_count=int((~valid).sum()))


def machine_columns(run: SurveyRun, loaded: LoadedPolicy) -> list[Column]:
    """Every input row in spreadsheet order: status, areas, items, totals, installments, heating, warnings, error,
    then the row, option, given areas, Chinese messages and declared inputs. Column names come from policy.schema."""
    policy = loaded.rules
    settled, raw = run.settlement, run.raw
    n = len(raw)
    at = raw.index.get_indexer(settled.inputs.index)  # where each computed row sits among all rows
    ok = np.zeros(n, dtype=bool)
    ok[at] = True
    results = settled.results

    def spread(values: np.ndarray, fill) -> np.ndarray:
        out = np.full(n, fill, dtype=values.dtype)
        out[at] = values
        return out

    id_header = run.header_of("household_id")
    ids = raw[id_header].to_numpy(dtype=object)
    ids[at] = settled.inputs["household_id"].to_numpy(dtype=object)
    cols = [Column("household_id", "户号", "household id", "text", ids),
            Column("status", "状态", "status", "text", np.where(ok, "ok", "error").astype(object))]
    money = lambda key: Column(key, key, key, "money", spread(results[key].to_numpy(np.int64), 0), ok)
    schema = policy.schema
    cols += [Column(a.col, a.col, a.col, "area", spread(results[a.col].to_numpy(np.int64), 0), ok) for a in schema.derived_areas]
    cols += [money(c.amount) for c in schema.items]
    cols += [money(t.col) for t in schema.totals]
    cols.append(money(schema.net_payable))
    if schema.installments:  # without a deferral, nothing is deferred and all is due before move-in
        cols += [money(schema.due_before_move_in), money(schema.deferred_total)]
    for inst in schema.installments:
        cols.append(money(inst.amount))
        due = spread(results[inst.due].to_numpy().astype("datetime64[D]"), np.datetime64("NaT"))
        cols.append(Column(inst.due, "", "", "date", due, ~np.isnat(due)))
    if schema.heating:
        cols.append(money("heating_annual"))
    warn_en, warn_zh = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    warn_en[at], warn_zh[at] = settled.warnings.joined("en", "; "), settled.warnings.joined("zh", "；")
    err_en, err_zh = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    row_pos = pd.Series(np.arange(n), index=raw.index)
    for row, text in errors_by_row(run, "en", "; ").items():
        err_en[row_pos[row]] = text
    for row, text in errors_by_row(run, "zh", "；").items():
        err_zh[row_pos[row]] = text
    cols += [Column("warnings", "", "", "text", warn_en), Column("error", "", "", "text", err_en)]
    option = np.full(n, "", dtype=object)
    option[at] = np.where(results["is_cash"].to_numpy(bool), "cash", "in_kind")
    # Beyond the list: where the row came from, what it was, and the messages in Chinese.
    cols += [Column("row", "", "", "int", raw.index.to_numpy(np.int64)),
             Column("option", "", "", "text", option),
             *[Column(a.col, "", "", "area", spread(results[a.col].to_numpy(np.int64), 0), ok)
               for a in map(schema.area, GIVEN_AREAS)],
             Column("warnings_zh", "", "", "text", warn_zh), Column("error_zh", "", "", "text", err_zh)]
    # The policy's declared inputs, as read (blank on a rejected row).
    for decl in policy.inputs:
        col = input_column(decl, settled.inputs[inputs.column(decl.name)].to_numpy(), machine=True)
        fill = {"text": "", "date": np.datetime64("NaT")}.get(col.kind, 0)
        values = spread(col.values, fill)
        valid = np.zeros(n, dtype=bool)
        valid[at] = True if col.valid is None else col.valid
        cols.append(Column(col.key, "", "", col.kind, values, valid))
    return cols


def _arrow(col: Column, for_csv: bool) -> pa.Array:
    if col.kind in ("money", "area"):
        return decimal_array(col.values, col.valid)
    if col.kind == "date":
        return pa.array(col.values, type=pa.date32(), mask=None if col.valid is None else ~col.valid)
    if col.kind == "int":
        return pa.array(col.values, type=pa.int64(), mask=None if col.valid is None else ~col.valid)
    text = pa.array(col.values, type=pa.string(), from_pandas=True)
    return neutralise_arrow(text) if for_csv else text


def write_machine(run: SurveyRun, loaded: LoadedPolicy, path_or_buffer, fmt: str = "csv") -> None:
    """Write the run as UTF-8 CSV (with BOM, so Excel reads the Chinese) or as JSON lines."""
    cols = machine_columns(run, loaded)
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown machine format {fmt!r} (csv or jsonl)")
    if fmt == "csv":
        with open_output(path_or_buffer) as out:
            write_csv_part(cols, out, first=True)
        return
    payload = _jsonl(cols)
    with open_output(path_or_buffer) as out:
        out.write(payload)


def write_csv_part(cols: list[Column], out, first: bool) -> None:
    """The rows of one run (or one chunk of a streamed file) as csv; the BOM and the header only with the first."""
    table = pa.table({c.key: _arrow(c, True) for c in cols})
    if first:
        out.write(b"\xef\xbb\xbf")  # BOM: Excel then reads the Chinese as UTF-8
    pacsv.write_csv(table, out, pacsv.WriteOptions(quoting_style="needed", include_header=first))


def _json_text(values: np.ndarray) -> pa.Array:
    """JSON string literals: quotes around plain text, json.dumps only for text that needs escaping."""
    text = pa.array(values, type=pa.string()).fill_null("")
    needs = pc.match_substring_regex(text, r'["\\\x00-\x1f]')
    quoted = pc.binary_join_element_wise('"', text, '"', "")
    if not pc.any(needs).as_py():
        return quoted
    escaped = [json.dumps(v, ensure_ascii=False) if flag else None
               for v, flag in zip(text.to_pylist(), needs.to_pylist())]
    return pc.if_else(needs, pa.array(escaped, type=pa.string()), quoted)


def _jsonl(cols: list[Column]) -> bytes:
    from .sheetxml import concatenated

    """One JSON object per row; money as exact decimal literals (13500.00), blanks as null."""
    parts: list = []
    for i, col in enumerate(cols):
        parts.append(("{" if i == 0 else ",") + json.dumps(col.key) + ":")
        if col.kind in ("money", "area"):
            parts.append(pc.fill_null(pc.cast(decimal_array(col.values, col.valid), pa.string()), "null"))
        elif col.kind == "date":
            dates = pc.cast(pa.array(col.values, type=pa.date32(), mask=~col.valid), pa.string())
            parts.append(pc.fill_null(pc.binary_join_element_wise('"', dates, '"', ""), "null"))
        elif col.kind == "int":
            ints = pa.array(col.values, type=pa.int64(), mask=None if col.valid is None else ~col.valid)
            parts.append(pc.fill_null(pc.cast(ints, pa.string()), "null"))
        else:
            parts.append(_json_text(col.values))
    parts.append("}\n")
    if not len(cols[0].values):
        return b""
    return concatenated(pc.binary_join_element_wise(*parts, ""))
