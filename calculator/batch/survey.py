"""load_survey: a household survey file in, a settlement out, with every rejected row and what each column was read as."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..fixed import MISSING
from ..household import FIELDS
from ..inputs import frame_columns, parse_column, type_error
from ..plausible import Fence, Flag, flag_warnings, plausibility_flags, survey_fences
from ..policy import LoadedPolicy, PolicyIdentity
from ..settlement import Settlement, settle_frame
from ..validate import RowWarnings
from .cells import (NAT, Parsed, blank_column, clean_ids, parse_dates, parse_numbers, parse_options, parse_yes_no,
                    stored_as_number)
from .errors import RowError, SurveyFileError
from .frame import fast_typed_frame
from .headers import (ALIASES, PASS_THROUGH_FIELDS, REQUIRED_COLUMNS, canonical_field, find_header_row, input_lookup,
                      map_columns)
from .reader import SCAN_ROWS, Grid, read_grid, source_bytes

NUMBER_FIELDS = ("original_area", "unit_area", "appraised_price", "heating_rate")
YES_NO_FIELDS = ("low_income", "defer", "energy_efficient")
# A rule check that reads an unreadable cell would only repeat the parse error in other words.
DEPENDS_ON = {"option": ("unit_area", "appraised_price", "defer"), "low_income": ("defer",)}


@dataclass
class Counts:
    """Rows read = computed + rejected; blank rows are skipped and counted apart."""

    read: int
    computed: int
    rejected: int
    blank_skipped: int

    @property
    def reconciles(self) -> bool:
        return self.read == self.computed + self.rejected


@dataclass
class SurveyRun:
    """One survey file settled under one policy."""

    settlement: Settlement  # inputs indexed by spreadsheet row number, with household_id, name, id_number
    errors: list[RowError]  # every problem of every rejected row, in row order
    columns: dict[str, str | None]  # header as written -> canonical field (None: unknown, passed through)
    raw: pd.DataFrame  # the non-blank rows as read (text), indexed by spreadsheet row number, every column kept
    counts: Counts
    source_name: str
    source_sha256: str
    policy: PolicyIdentity
    run_at: dt.datetime
    sheet: str | None = None  # the sheet read (a workbook's first visible sheet with a header, unless one was named)
    sheets: list[str] = field(default_factory=list)  # every visible sheet with a header: a choice when several
    header_row: int = 1
    kind: str = ""
    encoding: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # file-level (zh, en) notes, e.g. a repeated column
    flags: list[Flag] = field(default_factory=list)  # values to verify (请核实): settled, but the notice waits
    fences: dict[str, Fence] = field(default_factory=dict)  # the survey's own ranges the flags were found with
    household_ids: pd.Series | None = None  # every row's household id as cleaned for the checks (raw's index)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def header_of(self, field_name: str) -> str | None:
        """The header text the clerk used for a canonical field (or a declared input, by its name)."""
        return next((h for h, f in self.columns.items() if f == field_name), None)


def load_survey(source, loaded: LoadedPolicy, sheet: str | None = None, filename: str | None = None) -> SurveyRun:
    """Read, parse, check and settle a survey file (path, bytes or binary file object)."""
    data, name = source_bytes(source)
    name = filename or name
    grid = read_grid(data, name, sheet)
    return settle_grid(grid, loaded, name, hashlib.sha256(data).hexdigest())


def _letters(pos: int) -> str:
    out = ""
    pos += 1
    while pos:
        pos, rem = divmod(pos - 1, 26)
        out = chr(65 + rem) + out
    return out


def _headers(texts: list[str]) -> list[str]:
    """Unique display headers: an empty header becomes '列C' (its column letter), a repeated one gets '(2)'."""
    out, seen = [], {}
    for pos, text in enumerate(texts):
        text = text or f"列{_letters(pos)}"
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text}({seen[text]})")
    return out


def _header(cells: pd.DataFrame, head: list[list], policy):
    """(last header row number, header texts, position -> field, header -> field, repeated fields) or SurveyFileError."""
    header_at = find_header_row(head)
    if header_at is None:
        raise SurveyFileError("找不到表头行（应包含户号、原房屋建筑面积等列名）",
                              "no header row found (expected columns such as 户号/household_id and 原房屋建筑面积/original_area)")
    header_row = int(cells.index[header_at])
    header_texts = [str(t) for t in head[header_at]]
    # A two-row header (面积 merged over 原面积 | 选择户型): take the sub-header where it names a field.
    if header_at + 1 < len(head) and _names_more(header_texts, head[header_at + 1]):
        header_texts = _merge_headers(header_texts, head[header_at + 1])
        header_row = int(cells.index[header_at + 1])
    elif header_at > 0 and _names_more(header_texts, head[header_at - 1]):
        header_texts = _merge_headers(header_texts, head[header_at - 1])
    by_position, recognised, repeated = map_columns(header_texts, input_lookup(policy))
    missing = [f for f in REQUIRED_COLUMNS if f not in by_position.values()]
    if missing:
        zh = "、".join(FIELDS[f][0] for f in missing)
        raise SurveyFileError(f"第{header_row}行表头缺少必需的列：{zh}（找到：{'、'.join(t for t in header_texts if t)}）",
                              f"the header on row {header_row} lacks required columns: {', '.join(missing)} "
                              f"(found: {', '.join(t for t in header_texts if t)})")
    return header_row, header_texts, by_position, recognised, repeated


def _names_more(main: list[str], other: list) -> bool:
    """Whether another header row names a field where the main one names none (a group or merged header)."""
    other = [str(o) for o in other] + [""] * (len(main) - len(other))
    return any(canonical_field(o) and not canonical_field(m) for m, o in zip(main, other)) and \
        not any(canonical_field(o) and canonical_field(m) for m, o in zip(main, other))


def _merge_headers(main: list[str], other: list) -> list[str]:
    other = [str(o) for o in other] + [""] * (len(main) - len(other))
    return [o if canonical_field(o) and not canonical_field(m) else (m or o) for m, o in zip(main, other)]


def _fill_merged(cells: pd.DataFrame, grid: Grid, header_row: int) -> dict[int, list[tuple[str, str]]]:
    """A cell merged down over several household rows shows its value on each of them: fill it, and say so."""
    notes: dict[int, list[tuple[str, str]]] = {}
    for r0, c0, r1, c1 in grid.merged:
        if r1 <= r0 or r0 <= header_row or c0 not in cells.columns:
            continue
        value = cells.at[r0, c0] if r0 in cells.index else ""
        rows = [r for r in range(r0 + 1, r1 + 1) if r in cells.index]
        cells.loc[rows, c0] = value
        for r in [r0, *rows]:
            notes.setdefault(r, []).append((f"合并单元格（第{r0}–{r1}行）的值“{value}”用于本行",
                                            f"merged cell (rows {r0}–{r1}): its value '{value}' is used for this row"))
    return notes


def _error(row: int, field_name: str, column: str | None, value: str, zh: str, en: str) -> RowError:
    return RowError(field=field_name, value=value, message_zh=zh, message_en=en, row=int(row), column=column)


def _parse_errors(parsed: Parsed, text: pd.Series, field_name: str, column: str, kind: str) -> list[RowError]:
    label_zh, label_en = FIELDS[field_name]
    reasons = {
        "number": ("不是有效数字", "is not a number"),
        "yes_no": ("应为是/否（是、否、Y、N、1、0、√、×）", "must be yes or no (是/否, Y/N, 1/0, √/×)"),
        "option": ("应为回迁安置（回迁、产权调换）或货币补偿", "must be in-kind (回迁, 产权调换) or cash (货币补偿)"),
        "date": ("不是有效日期（如 2025-10-01）", "is not a real date (e.g. 2025-10-01)"),
    }
    zh, en = reasons[kind]
    out = []
    for pos in np.flatnonzero(parsed.bad):
        value = text.iat[pos]
        out.append(_error(text.index[pos], field_name, column, value,
                          f"{label_zh}“{value}”{zh}", f"{label_en} '{value}' {en}"))
    return out


def settle_grid(grid: Grid, loaded: LoadedPolicy, source_name: str, source_sha256: str,
                repeated_ids: dict[str, list[int]] | None = None, fences: dict[str, Fence] | None = None) -> SurveyRun:
    """Find the header, parse every column, reject bad rows with reasons, settle the rest, flag values to verify.
    `repeated_ids` (id -> every row carrying it) names the repeated household ids of a whole file read in chunks
    (calculator.batch.stream), and `fences` the survey's own ranges found on its first chunk (default: this grid's)."""
    policy = loaded.rules
    cells = grid.cells
    head = cells.head(SCAN_ROWS).to_numpy().tolist()
    header_row, header_texts, by_position, recognised, repeated = _header(cells, head, policy)
    headers = _headers(header_texts)
    body = cells.iloc[int(np.searchsorted(cells.index.to_numpy(), header_row, side="right")):]  # a view, no copy
    row_notes = _fill_merged(body, grid, header_row)
    seq_at = [pos for pos, f in by_position.items() if f == "seq"]
    filled = body.drop(columns=[c for c in seq_at if c in body.columns]).ne("")
    nonblank = filled.any(axis=1).to_numpy() if filled.shape[1] else np.zeros(len(body), dtype=bool)
    raw = body if nonblank.all() else body.loc[nonblank]
    raw.columns = headers[: raw.shape[1]] + [f"列{_letters(i)}" for i in range(len(headers), raw.shape[1])]
    n = len(raw)
    index = raw.index
    column_of = {f: raw.columns[pos] for pos, f in by_position.items()}
    notes = [(f"“{headers[p2]}”与“{headers[p1]}”都表示{_label(f, policy)}，使用“{headers[p1]}”",
              f"'{headers[p2]}' and '{headers[p1]}' both name {f}; '{headers[p1]}' is used") for f, p1, p2 in repeated]

    def text(field_name: str) -> pd.Series:
        col = column_of.get(field_name)
        return raw[col] if col is not None else pd.Series(np.full(n, "", dtype=object), index=index, dtype="str")

    declared = {d.name for d in policy.inputs}
    input_of = {f: column_of.pop(f) for f in list(column_of) if f in declared and f not in ALIASES}
    parsed, errors = _parse_columns(raw, column_of)
    given, input_errors = _parse_inputs(raw, input_of, policy)
    errors += input_errors

    household_id = clean_ids(text("household_id"))
    errors += _id_errors(household_id, index, column_of["household_id"], repeated_ids)

    # A blank option means in-kind, the form's default; a bad one is already an error above.
    option = np.where(parsed["option"].values == "cash", "cash", "in_kind").astype(object)
    frame = fast_typed_frame(
        household_id=household_id, option=option,
        original_area_c=parsed["original_area"].values, rounded_original_area=parsed["original_area"].rounded,
        unit_area_c=parsed["unit_area"].values, rounded_unit_area=parsed["unit_area"].rounded,
        appraised_price_c=parsed["appraised_price"].values, rounded_appraised_price=parsed["appraised_price"].rounded,
        heating_rate_c=parsed["heating_rate"].values, rounded_heating_rate=parsed["heating_rate"].rounded,
        low_income=parsed["low_income"].values == 1, defer=parsed["defer"].values == 1,
        energy_efficient=parsed["energy_efficient"].values, move_in=parsed["move_in_date"].values,
        policy=policy, index=index, declared=frame_columns(given, policy, n))
    frame["name"] = _text_array(text("name"))
    id_text = text("id_number")
    _note_numeric_ids(id_text, row_notes)
    frame["id_number"] = _text_array(clean_ids(id_text))
    for f in PASS_THROUGH_FIELDS[2:]:
        if f in column_of:
            frame[f] = _text_array(text(f))

    typed_columns = {**column_of, **input_of}
    outcome = settle_frame(frame, loaded, lambda idx, f: raw.at[idx, typed_columns[f]] if f in typed_columns else None)
    unreadable: dict[int, set[str]] = {}
    for e in errors:
        unreadable.setdefault(e.row, set()).update((e.field, *DEPENDS_ON.get(e.field, ())))
    for idx, err in outcome.errors:
        if err.field in unreadable.get(int(idx), ()):
            continue
        column = input_of.get(err.field) or column_of.get(err.field)
        value = raw.at[idx, column] if column is not None else err.value  # the cell as the clerk wrote it
        errors.append(RowError(**err.model_dump(exclude={"row", "value"}), value=value, row=int(idx), column=column))
    order = {f: i for i, f in enumerate(["household_id", *NUMBER_FIELDS, "option", *YES_NO_FIELDS, "move_in_date"])}
    errors.sort(key=lambda e: (e.row, order.get(e.field, 99)))

    rejected = np.array(sorted({e.row for e in errors}), dtype=np.int64)
    settlement = _without(outcome, rejected, row_notes, errors)
    fences = survey_fences(settlement.inputs) if fences is None else fences
    flags = plausibility_flags(settlement.inputs, policy, fences)
    settlement.warnings.checks.extend(flag_warnings(flags, settlement.inputs.index))
    counts = Counts(read=n, computed=len(settlement.inputs), rejected=len(rejected), blank_skipped=int((~nonblank).sum()))
    return SurveyRun(settlement=settlement, errors=errors, columns=recognised, raw=raw, counts=counts,
                     source_name=source_name, source_sha256=source_sha256, policy=loaded.identity,
                     run_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0), sheet=grid.sheet, sheets=grid.sheets,
                     header_row=header_row, kind=grid.kind, encoding=grid.encoding, notes=notes, flags=flags,
                     fences=fences, household_ids=household_id)


def _text_array(values: pd.Series):
    """A text column for the engine frame: pandas' "str" array as it is (no round trip through Python objects),
    anything else as before (pandas infers "str" from the objects)."""
    return values.array if values.dtype == "str" else values.to_numpy()


def _parse_columns(raw: pd.DataFrame, column_of: dict[str, str]) -> tuple[dict[str, Parsed], list[RowError]]:
    """Every settlement field parsed column-wise (blank where the survey lacks the column), and each bad cell."""
    n = len(raw)
    errors: list[RowError] = []
    parsed: dict[str, Parsed] = {}
    kinds = [(f, "number", parse_numbers, MISSING, np.int64) for f in NUMBER_FIELDS]
    kinds += [(f, "yes_no", parse_yes_no, -1, np.int8) for f in YES_NO_FIELDS]
    kinds += [("option", "option", parse_options, "", object), ("move_in_date", "date", parse_dates, NAT, "datetime64[D]")]
    for f, kind, parser, missing, dtype in kinds:
        if f not in column_of:
            parsed[f] = blank_column(n, missing, dtype)
            continue
        parsed[f] = parser(raw[column_of[f]])
        errors += _parse_errors(parsed[f], raw[column_of[f]], f, column_of[f], kind)
    return parsed, errors


def _parse_inputs(raw: pd.DataFrame, input_of: dict[str, str], policy) -> tuple[dict[str, Parsed], list[RowError]]:
    """The policy's declared inputs the survey has a column for, parsed as declared, and each bad cell."""
    parsed: dict[str, Parsed] = {}
    errors: list[RowError] = []
    for decl in policy.inputs:
        column = input_of.get(decl.name)
        if column is None:
            continue  # frame_columns fills the default, or a blank the checks then ask for where it is required
        text = raw[column]
        parsed[decl.name] = parse_column(decl, text)
        for pos in np.flatnonzero(parsed[decl.name].bad):
            err = type_error(decl, str(text.iat[pos]))
            errors.append(RowError(**err.model_dump(exclude={"row"}), row=int(text.index[pos]), column=column))
    return parsed, errors


def _label(field_name: str, policy) -> str:
    decl = policy.input(field_name)
    return decl.label_zh if decl is not None and field_name not in ALIASES else FIELDS.get(field_name, (field_name,))[0]


def _note_numeric_ids(id_number: pd.Series, notes: dict[int, list[tuple[str, str]]]) -> None:
    """An 18-digit ID typed into a number cell keeps only 15-17 digits: say so rather than print a wrong number."""
    lost = stored_as_number(id_number)
    for row in id_number.index[lost.to_numpy()]:
        notes.setdefault(int(row), []).append(
            ("身份证号以数字格式保存，末几位可能已丢失，请将该列设为文本后重新填写",
             "the ID number was stored as a number and may have lost its last digits; set the column to text and re-enter it"))


def _id_errors(household_id: np.ndarray, index: pd.Index, column: str,
               repeated: dict[str, list[int]] | None = None) -> list[RowError]:
    """A blank household id cannot be filed; a repeated one rejects every row that carries it."""
    errors = []
    ids = pd.Series(household_id, index=index)
    blank = (ids == "").to_numpy(dtype=bool)
    for row in index[blank]:
        errors.append(_error(row, "household_id", column, "", "缺少户号，无法建档", "household id is required"))
    if repeated is None:
        codes, _ = pd.factorize(ids)  # ids held by pyarrow: its hashing, no Python string per row
        dup = ids[(np.bincount(codes)[codes] > 1) & ~blank]
        groups = dup.groupby(dup, sort=False).groups.items()
    else:
        dup = ids[ids.isin(list(repeated))]
        groups = [(hid, repeated[hid]) for hid in dict.fromkeys(dup.to_numpy().tolist())]
    here = set(index) if repeated is not None else None
    for hid, rows in groups:
        rows_txt = "、".join(str(r) for r in rows)
        for row in rows:
            if here is not None and row not in here:
                continue  # a row of another chunk of the file
            errors.append(_error(row, "household_id", column, hid,
                                 f"户号 {hid} 重复（第{rows_txt}行），重复的各行均不计算",
                                 f"household id {hid} is repeated (rows {', '.join(str(r) for r in rows)}); "
                                 f"every row carrying it is rejected"))
    return errors


def _without(outcome: Settlement, rejected: np.ndarray, notes: dict[int, list[tuple[str, str]]],
             errors: list[RowError]) -> Settlement:
    """The settlement of the rows that passed every check, with the batch's own notes added to their warnings."""
    keep = ~outcome.inputs.index.isin(rejected)
    inputs, results = outcome.inputs.loc[keep], outcome.results.loc[keep]
    checks = [(mask[keep], zh, en) for mask, zh, en in outcome.warnings.checks]
    by_text: dict[tuple[str, str], list[int]] = {}
    for row, texts in notes.items():
        for text in texts:
            by_text.setdefault(text, []).append(row)
    for (zh, en), rows in by_text.items():
        checks.append((inputs.index.isin(rows), zh, en))
    return Settlement(inputs=inputs, results=results, warnings=RowWarnings(checks, len(inputs)),
                      errors=[(e.row, e) for e in errors])


__all__ = ["Counts", "SurveyRun", "load_survey", "settle_grid"]
