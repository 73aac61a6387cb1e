"""The register's reports as plain tables (progress, funds by month, overdue, flats against the plan, public moving
order), and the one xlsx and one JSON writer every report goes through. Builders take plain rows and arrays; the
database queries that feed them live in report_queries.py."""
from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import xlsxwriter

from ..batch.output import write_file
from ..batch.table import formula_risk
from ..batch.workbook import MONEY_FORMAT
from ..fixed import fmt_money
from ..policy import Policy
from ..statements.masking import mask_name
from . import dues as dues_rules

SHEETS = {"progress": ("进度", "Progress"), "funds": ("资金", "Funds"), "overdue": ("逾期", "Overdue"),
          "flats": ("房源", "Flats"), "public": ("搬迁顺序", "Moving order")}  # a sheet name is at most 31 characters


@dataclass(frozen=True)
class Col:
    key: str
    label_zh: str
    label_en: str
    kind: str = "text"  # text, count, fen (integer fen, shown in yuan), date, percent (a Decimal, 12.5 = 12.5 %)

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


@dataclass
class Report:
    code: str
    title_zh: str
    title_en: str
    columns: list[Col]
    rows: list[tuple]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) lines printed above the table

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


# ------------------------------------------------------------------------------------------------ writers
def to_json(report: Report) -> dict:
    """For machines: money stays integer fen (keys ending _fen), dates ISO, percentages as decimal text."""
    def plain(value, kind):
        if value is None:
            return None
        if kind == "date":
            return value.isoformat()
        if kind == "percent":
            return str(value)
        return int(value) if kind in ("count", "fen") else value
    return {
        "report": report.code, "title_zh": report.title_zh, "title_en": report.title_en,
        "notes": [{"zh": zh, "en": en} for zh, en in report.notes],
        "columns": [{"key": c.key, "label_zh": c.label_zh, "label_en": c.label_en, "kind": c.kind} for c in report.columns],
        "rows": [{c.key: plain(v, c.kind) for c, v in zip(report.columns, row)} for row in report.rows],
    }


def write_json(report: Report, path) -> None:
    write_file(path, json.dumps(to_json(report), ensure_ascii=False, indent=1).encode("utf-8"))


def xlsx_bytes(report: Report, lang: str = "zh") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}),
        "fen": book.add_format({"num_format": MONEY_FORMAT}), "count": book.add_format({"num_format": "#,##0"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}), "percent": book.add_format({"num_format": "0.0"}),
        "title": book.add_format({"bold": True, "font_size": 13}), "quoted": book.add_format({"quote_prefix": True}),
    }
    ws = book.add_worksheet(SHEETS.get(report.code, (report.code, report.code))[lang != "zh"])
    ws.write_string(0, 0, report.title(lang), formats["title"])
    for r, (zh, en) in enumerate(report.notes, start=1):
        ws.write_string(r, 0, zh if lang == "zh" else en)
    top = len(report.notes) + 2
    for c, col in enumerate(report.columns):
        ws.write_string(top, c, col.label(lang) + (" (元)" if col.kind == "fen" and lang == "zh" else
                                                  " (yuan)" if col.kind == "fen" else ""), formats["header"])
        ws.set_column(c, c, 14 if col.kind != "text" else 18)
    for r, row in enumerate(report.rows, start=top + 1):
        for c, (col, value) in enumerate(zip(report.columns, row)):
            if value is None:
                continue
            if col.kind == "fen":
                ws.write_number(r, c, int(value) / 100, formats["fen"])  # shown to the fen; the JSON keeps integer fen
            elif col.kind == "count":
                ws.write_number(r, c, int(value), formats["count"])
            elif col.kind == "percent":
                ws.write_number(r, c, float(value), formats["percent"])
            elif col.kind == "date":
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), formats["date"])
            else:
                text = str(value)
                ws.write_string(r, c, text, formats["quoted"] if formula_risk(text) else None)
    ws.freeze_panes(top + 1, 0)
    if report.rows:
        ws.autofilter(top, 0, top + len(report.rows), len(report.columns) - 1)
    book.close()
    return out.getvalue()


def write_xlsx(report: Report, path, lang: str = "zh") -> None:
    write_file(path, xlsx_bytes(report, lang))


# ------------------------------------------------------------------------------------------------ progress
STAGES = {
    "surveyed": ("已入户调查", "surveyed"), "offered": ("已出具报价", "offered"), "signed": ("已签协议", "signed"),
    "flat_chosen": ("已选房", "flat chosen"), "moved_in": ("已入住", "moved in"), "paid_up": ("已结清", "paid up"),
}


def progress(counts: dict[str, int]) -> Report:
    """How many households have reached each stage, and the share of those surveyed."""
    total = counts.get("surveyed", 0)
    rows = [(STAGES[s][0], STAGES[s][1], counts.get(s, 0), _share(counts.get(s, 0), total)) for s in STAGES]
    return Report("progress", "项目进度", "Progress", [
        Col("stage_zh", "阶段", "stage (zh)"), Col("stage_en", "阶段（英文）", "stage"),
        Col("households", "户数", "households", "count"), Col("percent_of_surveyed", "占调查户数（%）", "% of surveyed", "percent"),
    ], rows)


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1")) if whole else None


# ------------------------------------------------------------------------------------------------ funds
def funds_by_month(book: dues_rules.Book, as_of: dt.date) -> Report:
    """Expected (dues falling due in the month), received (payments in the month), outstanding at the month's end
    (per household: due by then less paid by then, never below zero, summed; only up to the month of as_of) and paid
    out (payouts to households in the month), for every month with any. Amounts not yet dated (due before a move-in
    not yet recorded) come last; the payouts payable (undated: paid when the household comes) are in a note."""
    pays = book.due_direction == "pay"
    dated = pays & ~np.isnat(book.due_on)
    due_month = book.due_on[dated].astype("datetime64[M]")
    paid_month = book.paid_on.astype("datetime64[M]")
    out_month = book.out_on.astype("datetime64[M]")
    now = np.datetime64(as_of, "M")
    months = np.union1d(np.union1d(np.unique(due_month), np.unique(paid_month)), np.unique(out_month))
    rows = []
    if len(months):
        months = np.arange(months[0], months[-1] + 1)
        households, codes = np.unique(np.concatenate([book.due_household[dated], book.paid_household]), return_inverse=True)
        n_due = int(dated.sum())
        expected = _by_month(codes[:n_due], due_month - months[0], book.due_fen[dated], len(households), len(months))
        received = _by_month(codes[n_due:], paid_month - months[0], book.paid_fen, len(households), len(months))
        outstanding = np.maximum(expected.cumsum(axis=1) - received.cumsum(axis=1), 0).sum(axis=0)
        paid_out = _by_month(np.zeros(len(out_month), dtype=np.int64), out_month - months[0], book.out_fen, 1,
                             len(months))[0]
        for m, month in enumerate(months):
            rows.append((str(month), int(expected[:, m].sum()), int(received[:, m].sum()),
                         int(outstanding[m]) if month <= now else None, int(paid_out[m])))
    undated = int(book.due_fen[pays & np.isnat(book.due_on)].sum())
    rows.append(("未定日期（入住前应交）/ not yet dated (before move-in)", undated, 0, None, 0))
    rows.append(("合计 / total", int(book.due_fen[pays].sum()), int(book.paid_fen.sum()),
                 next((r[3] for r in reversed(rows) if r[3] is not None), 0), int(book.out_fen.sum())))
    payable = int(book.due_fen[book.due_direction == "receive"].sum())
    paid = int(book.out_fen.sum())
    payable_y, paid_y, left_y = (fmt_money(v, "") for v in (payable, paid, payable - paid))
    return Report("funds", "资金收支（按月）", "Funds by month", [
        Col("month", "月份", "month"), Col("expected_fen", "应收", "expected", "fen"),
        Col("received_fen", "实收", "received", "fen"), Col("outstanding_fen", "月末应收未收", "outstanding at month end", "fen"),
        Col("paid_out_fen", "实付给住户", "paid out to households", "fen"),
    ], rows, notes=[(f"统计截至 {as_of.isoformat()}", f"as of {as_of.isoformat()}"),
                    (f"应付给住户（货币补偿等）合计 {payable_y} 元，已付 {paid_y} 元，未付 {left_y} 元",
                     f"payable to households (cash compensation etc.): {payable_y} yuan, paid out {paid_y}, "
                     f"still to pay out {left_y}")])


def _by_month(household: np.ndarray, month: np.ndarray, amount: np.ndarray, n_households: int, n_months: int) -> np.ndarray:
    grid = np.zeros(n_households * n_months, dtype=np.int64)
    np.add.at(grid, household * n_months + month.astype(np.int64), amount.astype(np.int64))
    return grid.reshape(n_households, n_months)


# ------------------------------------------------------------------------------------------------ overdue
def overdue(standing: dues_rules.Standing, people: dict[int, tuple[str, str, str]], as_of: dt.date) -> Report:
    """Households behind on as_of (overdue, or unpaid after the last due date), most overdue first.

    people: household id -> (household number, name, phone)."""
    late = np.flatnonzero(np.isin(standing.status, [dues_rules.OVERDUE, dues_rules.LOW_RENT]))
    rows = []
    for i in late:
        no, name, phone = people.get(int(standing.household_id[i]), ("", "", ""))
        status, last = str(standing.status[i]), standing.last_due_on[i]
        rows.append((no, name, phone, dues_rules.status_label(status, "zh"), dues_rules.status_label(status, "en"),
                     int(standing.overdue_fen[i]), int(standing.balance_fen[i]),
                     None if np.isnat(last) else last.astype(dt.date)))
    rows.sort(key=lambda r: (-r[5], r[0]))
    return Report("overdue", "逾期名单", "Overdue households", [
        Col("household_no", "户号", "household"), Col("name", "户主姓名", "head of household"), Col("phone", "联系电话", "phone"),
        Col("status_zh", "状态", "status (zh)"), Col("status_en", "状态（英文）", "status"),
        Col("overdue_fen", "逾期金额", "overdue", "fen"), Col("balance_fen", "欠款余额", "balance", "fen"),
        Col("last_due_on", "最后缴款日", "last due date", "date"),
    ], rows, notes=[(f"统计截至 {as_of.isoformat()}", f"as of {as_of.isoformat()}")])


# ------------------------------------------------------------------------------------------------ flats
def flats_mix(policy: Policy, flat_types_c: np.ndarray, allocated: np.ndarray, signed_types_c: np.ndarray) -> Report:
    """For each group of the planned mix (二、3): its planned share, the in-kind agreements of its types, the flats of
    its types in the inventory, allocated and free. flat_types_c / signed_types_c: unit types in hundredths of a m²."""
    rows = []
    groups = policy.unit_types.mix if policy.unit_types else []
    total_flats = len(flat_types_c)
    for group in groups:
        types = np.array([int(t * 100) for t in group.types_m2], dtype=np.int64)
        in_group = np.isin(flat_types_c, types)
        label = "、".join(format(t.normalize(), "f") for t in group.types_m2)
        rows.append((f"{label}㎡", group.share.value, _share(int(in_group.sum()), total_flats),
                     int(np.isin(signed_types_c, types).sum()), int(in_group.sum()), int((in_group & allocated).sum()),
                     int((in_group & ~allocated).sum())))
    return Report("flats", "房源分配与规划户型比例", "Flats allocated against the planned mix", [
        Col("types", "户型", "unit types"), Col("planned_percent", "规划占比（%）", "planned share (%)", "percent"),
        Col("inventory_percent", "房源占比（%）", "share of the inventory (%)", "percent"),
        Col("agreements", "签约户数（实物安置）", "in-kind agreements", "count"),
        Col("flats", "房源套数", "flats", "count"), Col("allocated", "已分配", "allocated", "count"),
        Col("free", "未分配", "free", "count"),
    ], rows, notes=[(policy.unit_types.source, policy.unit_types.source)] if groups else [])


# ------------------------------------------------------------------------------------------------ public order
VACATED = ("协议已撤销，顺序号空出", "agreement cancelled: place vacated")


def public_order(rows: list[tuple[int, str, str, bool]], method_zh: str, method_en: str,
                 notes: list[tuple[str, str]]) -> Report:
    """The list posted for residents: moving-order number, household number, the name masked (张*伟), and a vacated
    place marked (its number is not given again). rows: (order number, household_no, name, vacated?)."""
    return Report("public", "搬迁顺序号公示", "Moving order (public list)", [
        Col("order_no", "搬迁顺序号", "moving order", "count"), Col("household_no", "户号", "household"),
        Col("name", "户主姓名", "head of household"), Col("remark_zh", "备注", "remark (zh)"),
        Col("remark_en", "备注（英文）", "remark"),
    ], [(n, no, mask_name(name), *(VACATED if vacated else ("", ""))) for n, no, name, vacated in sorted(rows)],
        notes=[(f"排序方式：{method_zh}", f"ordered by: {method_en}"), *notes])
