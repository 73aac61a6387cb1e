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
    cents = np.asarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)  # each value as 128 bits, little-endian: low word, then sign
    words[:, 0] = cents
    words[:, 1] = cents >> 63
    data = pa.py_buffer(words)  # no copy: the buffer keeps the array alive
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

    # Text columns are made as arrow arrays (what the writers take) without a Python string per row.
    ok_arrow = pa.array(ok)
    id_header = run.header_of("household_id")
    if run.household_ids is not None:  # every row's id as the checks cleaned it: a computed row shows that
        ids = pc.if_else(ok_arrow, text_arrow(run.household_ids), text_arrow(raw[id_header]))
    else:
        ids = raw[id_header].to_numpy(dtype=object)
        ids[at] = settled.inputs["household_id"].to_numpy(dtype=object)
    cols = [Column("household_id", "户号", "household id", "text", ids),
            Column("status", "状态", "status", "text", pc.if_else(ok_arrow, "ok", "error"))]
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
    warn_en, warn_zh = (_sparse_text(n, at[rows], texts) for rows, texts in
                        (settled.warnings.joined_rows("en", "; "), settled.warnings.joined_rows("zh", "；")))
    err_en, err_zh = (_sparse_text(n, _positions(raw.index, list(texts)), list(texts.values())) for texts in
                      (errors_by_row(run, "en", "; "), errors_by_row(run, "zh", "；")))
    cols += [Column("warnings", "", "", "text", warn_en), Column("error", "", "", "text", err_en)]
    cash = pa.array(spread(results["is_cash"].to_numpy(bool), False))
    option = pc.if_else(ok_arrow, pc.if_else(cash, "cash", "in_kind"), "")
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


def text_arrow(values) -> pa.Array:
    """Text as an arrow string array: a pandas "str" column without a copy of its text, objects converted."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    if isinstance(values, pd.Series):
        values = values.array
    return pa.array(values, type=pa.string(), from_pandas=True).cast(pa.string())


def _sparse_text(n: int, at: np.ndarray, texts: list[str]) -> pa.Array:
    """n texts, empty but at positions `at`, which hold `texts`: one take from the few texts there are."""
    pick = np.zeros(n, dtype=np.int64)
    pick[at] = np.arange(1, len(texts) + 1)
    return pa.array([""] + texts, type=pa.string()).take(pa.array(pick))


def _positions(index: pd.Index, rows: list[int]) -> np.ndarray:
    """Where each row label sits in the index (every one is there)."""
    at = index.get_indexer(rows)
    if (at < 0).any():
        raise KeyError([r for r, p in zip(rows, at) if p < 0])
    return at


def _arrow(col: Column, for_csv: bool) -> pa.Array:
    if col.kind in ("money", "area"):
        return decimal_array(col.values, col.valid)
    if col.kind == "date":
        return pa.array(col.values, type=pa.date32(), mask=None if col.valid is None else ~col.valid)
    if col.kind == "int":
        return pa.array(col.values, type=pa.int64(), mask=None if col.valid is None else ~col.valid)
    text = text_arrow(col.values)
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
    text = text_arrow(values).fill_null("")
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
