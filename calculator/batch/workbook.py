"""The result workbook a relocation office files: 结算明细, 缓交计划, 户型需求, 项目汇总, 请核实, 错误, 参数 (English with
lang='en')."""
from __future__ import annotations

import io
import itertools
import unicodedata

import numpy as np
import xlsxwriter

from ..approval import mark
from ..policy import LoadedPolicy
from ..totals import COUNTS, GROUPS, project_totals
from ..wording import xlsx_signed_format
from .headers import ALIASES, field_names
from .numbers import param_text, policy_numbers
from .output import open_output
from .errors import SurveyFileError
from .sheetxml import Styles, column_letter, rows_xml, splice, text_rows_xml, xf_index
from .summary import unit_demand
from .sheets import detail_columns, error_columns, flag_columns, pick, schedule_columns
from .survey import SurveyRun
from .table import FORMULA_START, Column

SHEETS = {
    "detail": ("结算明细", "Settlements"),
    "schedule": ("缓交计划", "Deferred schedule"),
    "demand": ("户型需求", "Unit demand"),
    "summary": ("项目汇总", "Project summary"),
    "flags": ("请核实", "Please verify"),
    "errors": ("错误", "Errors"),
    "params": ("参数", "Parameters"),
}
EXCEL_ROWS = 1_048_576  # the last row of an Excel sheet: nothing may be written below it
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
MONEY_FORMAT = "#,##0.00"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


class SheetWriter:
    """Formats and a fast row-by-row table writer (constant_memory: rows strictly in order)."""

    def __init__(self, book: xlsxwriter.Workbook, lang: str = "zh"):
        self.book = book
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "valign": "vcenter", "align": "center"})
        self.money = book.add_format({"num_format": MONEY_FORMAT})
        self.money_bold = book.add_format({"num_format": MONEY_FORMAT, "bold": True})
        self.signed = book.add_format({"num_format": xlsx_signed_format(lang)})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.int = book.add_format({"num_format": "0"})
        self.count = book.add_format({"num_format": "#,##0"})
        self.text = book.add_format({})
        self.quoted = book.add_format({"quote_prefix": True})  # shown as text, never run as a formula
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 13})

    def styles(self) -> Styles:
        """Register the cell formats with the workbook and return their xf indices."""
        return Styles(money=xf_index(self.money), date=xf_index(self.date), int=xf_index(self.int),
                      text=xf_index(self.text), quoted=xf_index(self.quoted), signed=xf_index(self.signed))

    def header_only(self, ws, columns: list[Column], lang: str, freeze_cols: int, extra_rows: int = 0) -> str:
        """Header row, widths, frozen header and filter for a sheet whose rows sheetxml writes; returns its range
        (with extra_rows more below the table)."""
        n = len(columns[0].values) if columns else 0
        ws.set_row(0, 32)
        for c, col in enumerate(columns):
            ws.write_string(0, c, col.header(lang), self.header)
            ws.set_column(c, c, self._col_width(col, lang))
        ws.freeze_panes(1, freeze_cols)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.repeat_rows(0)  # the header on every printed page
        ws.fit_to_pages(1, 0)  # all columns on the page width
        last = column_letter(max(len(columns) - 1, 0))
        if n:
            ws.autofilter(0, 0, n, len(columns) - 1)
        return f"A1:{last}{n + 1 + extra_rows}"

    def table(self, ws, columns: list[Column], lang: str, first_row: int = 0, freeze_cols: int = 0) -> int:
        """Write a header and the columns; return the next free row."""
        ws.set_row(first_row, 32)
        for c, col in enumerate(columns):
            ws.write_string(first_row, c, col.header(lang), self.header)
        n = len(columns[0].values) if columns else 0
        constant, per_row = [], []
        for c, col in enumerate(columns):
            values, fmt, write = self._prepare(ws, col)
            ws.set_column(c, c, self._col_width(col, lang))
            if isinstance(fmt, list):
                per_row.append((c, write, values, fmt))
            else:
                constant.append((c, write, values, fmt))
        for r in range(n):
            row = first_row + 1 + r
            for c, write, values, fmt in constant:
                v = values[r]
                if v is not None:
                    write(row, c, v, fmt)
            for c, write, values, fmts in per_row:
                v = values[r]
                if v is not None:
                    write(row, c, v, fmts[r])
        ws.freeze_panes(first_row + 1, freeze_cols)
        if n:
            ws.autofilter(first_row, 0, first_row + n, len(columns) - 1)
        return first_row + 1 + n

    def _prepare(self, ws, col: Column):
        valid = col.valid
        if col.kind in ("money", "area"):
            values = (col.values / 100).tolist()  # the nearest double; Excel holds every number as one
            fmt, write = self.signed if col.signed else self.money, ws.write_number
        elif col.kind == "date":
            safe = np.where(np.isnat(col.values), EXCEL_EPOCH, col.values)
            values = (safe - EXCEL_EPOCH).astype(np.int64).tolist()  # Excel's day serial, shown as a date
            fmt, write = self.date, ws.write_number
            valid = ~np.isnat(col.values) if valid is None else valid & ~np.isnat(col.values)
        elif col.kind == "int":
            values, fmt, write = col.values.tolist(), self.int, ws.write_number
        else:
            values = ["" if v is None or v != v else str(v) for v in col.values]
            risky = [bool(v) and v.startswith(FORMULA_START) for v in values]
            values = [v if v else None for v in values]
            write = ws.write_string
            fmt = [self.quoted if k else self.text for k in risky] if any(risky) else self.text
            return values, fmt, write
        if valid is not None and not valid.all():
            values = [v if ok else None for v, ok in zip(values, valid.tolist())]
        return values, fmt, write

    @staticmethod
    def _col_width(col: Column, lang: str) -> float:
        header = min(_width(col.header(lang)), 24)
        if col.kind in ("money", "area"):
            body = 14
        elif col.kind == "date":
            body = 11
        elif col.kind == "int":
            body = 6
        else:
            sample = col.values[:500]
            body = max((_width(v) for v in sample if v is not None and v == v), default=4)
        return float(min(max(header, body) + 2, 60))


def write_workbook(run: SurveyRun, loaded: LoadedPolicy, path_or_buffer, lang: str = "zh") -> None:
    """Write the result workbook (to a path, atomically, or to a binary buffer): seven sheets, less the deferred
    schedule and unit demand where the policy has no deferral or no unit types.

    xlsxwriter builds the workbook with the big sheets' header rows only; their rows are then generated
    column-wise (sheetxml) and spliced in while the zip is copied to the output.

    A sheet that would pass Excel's last row is refused (SurveyFileError) before anything is written."""
    check_rows(run, loaded, lang)
    staging = io.BytesIO()
    book = xlsxwriter.Workbook(staging, {"in_memory": True})
    w = SheetWriter(book, lang)
    styles = w.styles()
    policy = loaded.rules
    name = lambda key: pick(lang, *SHEETS[key])
    big = [(name("detail"), detail_columns, 3, ("户", "households"))]
    if policy.deferral is not None:
        big.append((name("schedule"), schedule_columns, 0, ("期", "installments")))
    spliced = {}
    # xlsxwriter names each sheet's XML by its position: sheet1.xml, sheet2.xml …
    last_sheet = lambda: f"xl/worksheets/sheet{len(book.worksheets())}.xml"
    for title, columns_of, freeze, unit in big:
        columns = columns_of(run, loaded, lang)
        dimension = w.header_only(book.add_worksheet(title), columns, lang, freeze, extra_rows=2)
        # The rows start building in threads now, while the rest of the workbook is laid out.
        rows = rows_xml(columns, 2, styles)
        totals = rows_xml(_totals_row(columns, lang, unit), len(columns[0].values) + 3, styles)
        spliced[last_sheet()] = (itertools.chain(rows, totals), dimension)
    if policy.unit_types is not None:
        _demand_sheet(w, book.add_worksheet(name("demand")), run, loaded, lang)
    _summary_sheet(w, book.add_worksheet(name("summary")), run, loaded, lang)
    _flags_sheet(w, book.add_worksheet(name("flags")), run, lang)
    errors, notes = error_columns(run, lang, policy), _error_notes(run, lang)
    dimension = w.header_only(book.add_worksheet(name("errors")), errors, lang, 2, extra_rows=len(notes) + 1)
    # Notes go one empty row below the errors (rows must stay in ascending order in the sheet XML).
    spliced[last_sheet()] = (
        itertools.chain(rows_xml(errors, 2, styles), text_rows_xml(notes, len(errors[0].values) + 3)), dimension)
    _params_sheet(w, book.add_worksheet(name("params")), run, loaded, lang)
    book.close()
    with open_output(path_or_buffer) as out:
        splice(staging.getvalue(), spliced, out)


def sheet_rows(run: SurveyRun, loaded: LoadedPolicy, lang: str) -> dict[str, int]:
    """The last row each long sheet of the workbook reaches: header, data, a blank row, then totals or notes."""
    results, schema = run.settlement.results, loaded.rules.schema
    rows = {"detail": len(results) + 3}
    if loaded.rules.deferral is not None:
        deferring = int((results[schema.deferred_total].to_numpy(np.int64) != 0).sum()) if schema.installments else 0
        rows["schedule"] = deferring * len(schema.installments) + 3
    rows["errors"] = len(run.errors) + 2 + len(_error_notes(run, lang))
    return rows


def check_rows(run: SurveyRun, loaded: LoadedPolicy, lang: str = "zh") -> None:
    """Refuse a workbook whose sheet would run past Excel's last row: the clerk is told to write csv instead."""
    for key, last in sheet_rows(run, loaded, lang).items():
        if last > EXCEL_ROWS:
            zh, en = SHEETS[key]
            raise SurveyFileError(
                f"结果工作簿的“{zh}”表需要 {last:,} 行，超过 Excel 每张工作表 {EXCEL_ROWS:,} 行的上限；"
                f"请改为输出 .csv 或 .jsonl（不限行数）",
                f"the result workbook's '{en}' sheet needs {last:,} rows, past Excel's {EXCEL_ROWS:,} rows per sheet; "
                f"write .csv or .jsonl instead (no row limit)")


def _totals_row(columns: list[Column], lang: str, unit: tuple[str, str]) -> list[Column]:
    """One row: '合计' and the household count in the first columns, the sum of every money and area column."""
    out = []
    for pos, col in enumerate(columns):
        if col.kind in ("money", "area") and col.summed:
            valid = np.ones(len(col.values), dtype=bool) if col.valid is None else col.valid
            out.append(Column(col.key, "", "", col.kind, np.array([int(col.values[valid].sum())], dtype=np.int64),
                              signed=col.signed))
        elif pos == 0:
            out.append(Column(col.key, "", "", "text", np.array(["合计" if lang == "zh" else "total"], dtype=object)))
        elif pos == 1:
            label = f"{len(col.values)} {unit[0]}" if lang == "zh" else f"{len(col.values)} {unit[1]}"
            out.append(Column(col.key, "", "", "text", np.array([label], dtype=object)))
        else:
            out.append(Column(col.key, "", "", "text", np.array([""], dtype=object)))
    return out


def _flags_sheet(w: SheetWriter, ws, run: SurveyRun, lang: str) -> None:
    """请核实: every value far outside the policy's plausible range or the survey's own, settled but to verify."""
    nxt = w.table(ws, flag_columns(run, lang), lang, freeze_cols=2)
    note = (f"以上 {len(run.flags)} 项已照常结算；请逐项核实，公示表须在确认无误后方可生成"
            if lang == "zh" else f"the {len(run.flags)} values above are settled as usual; verify each, the public "
            "notice waits until they are confirmed") if run.flags else \
        ("没有需要核实的数值" if lang == "zh" else "no values to verify")
    ws.write_string(nxt + 1, 0, note)


def _error_notes(run: SurveyRun, lang: str) -> list[str]:
    notes = [] if run.errors else ["无被拒绝的行" if lang == "zh" else "no rejected rows"]
    return notes + [zh if lang == "zh" else en for zh, en in run.notes]


def _demand_sheet(w: SheetWriter, ws, run: SurveyRun, loaded: LoadedPolicy, lang: str) -> None:
    rows = unit_demand(run, loaded.rules)
    in_kind = sum(r.demand_units for r in rows)
    def types(r):
        if not r.types_c:
            return "非标准面积（实测面积）" if lang == "zh" else "non-standard (measured) areas"
        return "、".join(f"{c / 100:g}" for c in r.types_c) + ("㎡" if lang == "zh" else " m²")
    pct = lambda units: f"{units * 100 / in_kind:.1f}%" if in_kind else ""
    cols = [
        Column("types", "户型", "unit type", "text", np.array([types(r) for r in rows], dtype=object)),
        Column("planned_share", "规划占比", "planned share", "text",
               np.array([f"{r.planned_share_pct}%" if r.types_c else "" for r in rows], dtype=object)),
        Column("planned", "规划套数", "planned units", "int", np.array([r.planned_units for r in rows], dtype=np.int64)),
        Column("demand", "需求套数", "units chosen", "int", np.array([r.demand_units for r in rows], dtype=np.int64)),
        Column("demand_share", "需求占比", "share chosen", "text", np.array([pct(r.demand_units) for r in rows], dtype=object)),
        Column("gap", "缺口（正数：需求超过规划）", "gap (positive: more chosen than planned)", "int",
               np.array([r.gap_units for r in rows], dtype=np.int64)),
    ]
    nxt = w.table(ws, cols, lang)
    ws.write_string(nxt, 0, "合计" if lang == "zh" else "total", w.bold)
    ws.write_number(nxt, 2, sum(r.planned_units for r in rows), w.int)
    ws.write_number(nxt, 3, in_kind, w.int)
    note = (f"规划套数 = 回迁安置户数 {in_kind} × 规划占比（{loaded.rules.unit_types.source}），四舍五入"
            if lang == "zh" else
            f"planned units = {in_kind} in-kind households × planned share ({loaded.rules.unit_types.source}), rounded half up")
    ws.write_string(nxt + 2, 0, note)


def _kv(w: SheetWriter, ws, row: int, key: str, value, kind: str = "text") -> int:
    ws.write_string(row, 0, key)
    if kind == "money":
        ws.write_number(row, 1, value / 100, w.money)
    elif kind == "count":
        ws.write_number(row, 1, value, w.count)
    else:
        ws.write_string(row, 1, str(value), w.quoted if str(value).startswith(FORMULA_START) else w.text)
    return row + 1


def _summary_sheet(w: SheetWriter, ws, run: SurveyRun, loaded: LoadedPolicy, lang: str) -> None:
    """项目汇总: counts, then every total of calculator.totals by group of households, each naming what it sums."""
    policy = loaded.rules
    t = project_totals(run.settlement, policy)
    zh = lang == "zh"
    ws.set_column(0, 0, 46)
    ws.set_column(1, len(GROUPS), 18)
    ws.set_column(len(GROUPS) + 1, len(GROUPS) + 1, 90)
    ws.write_string(0, 0, policy.policy.project_zh if zh else policy.policy.project_en, w.title)
    ws.write_string(1, 0, "项目" if zh else "item", w.header)
    ws.write_string(1, 1, "数值" if zh else "value", w.header)
    ws.freeze_panes(2, 1)
    row = 2
    def section(title_zh, title_en):
        nonlocal row
        ws.write_string(row, 0, title_zh if zh else title_en, w.bold)
        row += 1
    c = run.counts
    section("户数", "households")
    counts = [("读取行数", "rows read", c.read), ("计算户数", "computed", c.computed),
              ("拒绝行数（见“错误”表）", "rejected (see Errors)", c.rejected),
              ("跳过空行", "blank rows skipped", c.blank_skipped),
              ("请核实的数值（见“请核实”表）", "values to verify (see Please verify)", len(run.flags))]
    keys = ["in_kind", "cash", "low_income", "low_income_in_kind", "low_income_cash", "regular"]
    keys += ["deferring"] * (policy.deferral is not None)
    counts += [(*COUNTS[k], t.households[k]) for k in keys]
    for key_zh, key_en, value in counts:
        row = _kv(w, ws, row, key_zh if zh else key_en, value, "count")
    row += 1
    # One table of money: a figure per row, its sum for each group of households, and the items it sums.
    ws.write_string(row, 0, "金额（元）" if zh else "money (yuan)", w.header)
    for k, (g_zh, g_en) in enumerate(GROUPS.values(), 1):
        ws.write_string(row, k, g_zh if zh else g_en, w.header)
    ws.write_string(row, len(GROUPS) + 1, "所含项目（求和）" if zh else "what is summed", w.header)
    row += 1
    for title, figures in ((("按项目", "by item"), t.by_item), (("合计", "totals"), t.summary)):
        section(*title)
        for f in figures:
            ws.write_string(row, 0, f.label(lang))
            for k, group in enumerate(GROUPS, 1):
                ws.write_number(row, k, f.fen[group] / 100, w.money)
            ws.write_string(row, len(GROUPS) + 1, f.sums(lang))
            row += 1
    row += 1
    if policy.deferral is not None:
        section("缓交应收（按到期年份）", "deferred receivables by year due")
        for year, number, amount in t.deferred_by_year:
            when = (year or ("未填入住日期" if zh else "no move-in date"))
            key = f"{when} 第{number}期" if zh else f"{when}, installment {number}"
            row = _kv(w, ws, row, key, amount, "money")
        row += 1
    heating = t.heating_season_fen
    section("面积" if heating is None else "面积与取暖", "areas" if heating is None else "areas and heating")
    ws.write_string(row, 0, "原房屋建筑面积合计（㎡）" if zh else "total original area (m²)")
    ws.write_number(row, 1, t.area_original_c / 100, w.money)
    ws.write_string(row + 1, 0, "选择户型面积合计（㎡）" if zh else "total chosen unit area (m²)")
    ws.write_number(row + 1, 1, t.area_chosen_c / 100, w.money)
    if heating is not None:
        ws.write_string(row + 2, 0, "取暖费合计（元，每个采暖期，不计入结算）" if zh else
                        "heating fees (yuan per heating season, not settled)")
        ws.write_number(row + 2, 1, heating / 100, w.money)


def _params_sheet(w: SheetWriter, ws, run: SurveyRun, loaded: LoadedPolicy, lang: str) -> None:
    zh = lang == "zh"
    policy, ident = loaded.rules, run.policy
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 70)
    ws.write_string(0, 0, "参数" if zh else "parameter", w.header)
    ws.write_string(0, 1, "值" if zh else "value", w.header)
    ws.freeze_panes(1, 0)
    c = run.counts
    pairs = [
        ("政策", "policy", policy.policy.name_zh if zh else policy.policy.name_en),
        ("政策编号", "policy id", ident.id), ("政策版本", "policy version", ident.version),
        ("政策文件SHA-256", "policy file SHA-256", ident.sha256),
        ("批准状态", "approval", ("已批准" if zh else "approved") if ident.approved else mark(ident.sha256)),
        ("依据", "source document", policy.policy.document_zh if zh else policy.policy.document_en),
        ("计算时间（UTC）", "run time (UTC)", run.run_at.isoformat()),
        ("输入文件", "input file", run.source_name or ("（上传）" if zh else "(uploaded)")),
        ("输入文件SHA-256", "input file SHA-256", run.source_sha256),
        ("文件类型", "file type", run.kind + (f" ({run.encoding})" if run.encoding else "")),
        ("工作表", "sheet", run.sheet or ""), ("表头所在行", "header row", str(run.header_row)),
        ("行数核对", "row count check",
         f"读取 {c.read} = 计算 {c.computed} + 拒绝 {c.rejected}；跳过空行 {c.blank_skipped}" if zh else
         f"read {c.read} = computed {c.computed} + rejected {c.rejected}; blank rows skipped {c.blank_skipped}"),
    ]
    row = 1
    for k_zh, k_en, value in pairs:
        row = _kv(w, ws, row, k_zh if zh else k_en, value)
    row += 1
    ws.write_string(row, 0, "原表头" if zh else "header in the file", w.header)
    ws.write_string(row, 1, "识别为" if zh else "read as", w.header)
    row += 1
    for header, field in run.columns.items():
        decl = policy.input(field) if field is not None and field not in ALIASES else None
        if field is None:
            meaning = "未识别，原样保留在结算明细末尾" if zh else "not recognised; carried through at the end of Settlements"
        elif decl is not None:
            meaning = decl.label_zh if zh else decl.label_en
        else:  # a field by its label, never its code
            meaning = pick(lang, *field_names(field, policy))
        row = _kv(w, ws, row, header, meaning)
    row += 1
    ws.write_string(row, 0, "政策参数" if zh else "policy values", w.header)
    ws.write_string(row, 1, "值（出处）" if zh else "value (source)", w.header)
    row += 1
    for label_zh, label_en, param in policy_numbers(policy):
        value = f"{param_text(param, lang)}（{param.source}）" if zh else f"{param_text(param, lang)} ({param.source})"
        row = _kv(w, ws, row, label_zh if zh else label_en, value)
