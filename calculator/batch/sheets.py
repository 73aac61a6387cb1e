"""The result workbook's tables as typed columns: 结算明细 (per household), 缓交计划 (installments), 请核实 (flags),
错误 (rejects)."""
from __future__ import annotations

import numpy as np

from ..fixed import MISSING
from ..household import FIELDS, OPTION_LABELS
from ..inputs import column as inputs_column
from ..policy import LoadedPolicy
from .headers import PASS_THROUGH_FIELDS, SETTLEMENT_FIELDS, field_names
from .survey import SurveyRun
from .table import Column, input_column


def pick(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _yes_no(mask: np.ndarray, lang: str) -> np.ndarray:
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    return np.where(mask, yes, no).astype(object)


def detail_columns(run: SurveyRun, loaded: LoadedPolicy, lang: str) -> list[Column]:
    """结算明细: one row per computed household: inputs, areas, every item, totals, installments, heating, warnings."""
    policy = loaded.rules
    inputs, results = run.settlement.inputs, run.settlement.results
    n = len(inputs)
    cash = results["is_cash"].to_numpy(bool)
    in_kind = ~cash
    label = lambda f: FIELDS[f][0] if lang == "zh" else FIELDS[f][1]
    r = lambda key: results[key].to_numpy(np.int64)
    option = np.where(cash, pick(lang, *OPTION_LABELS["cash"]), pick(lang, *OPTION_LABELS["in_kind"])).astype(object)
    price = inputs["appraised_price_c"].to_numpy(np.int64)
    schema = policy.schema
    original, chosen = schema.area("original"), schema.area("chosen")
    m2 = lambda a: (f"{a.label_zh}（㎡）", f"{a.label_en} (m²)")
    cols = [
        Column("row", "行号", "row", "int", inputs.index.to_numpy(np.int64)),
        Column("household_id", "户号", "household id", "text", inputs["household_id"].array),
        Column("name", label("name"), label("name"), "text", inputs["name"].array),
        Column("id_number", label("id_number"), label("id_number"), "text", inputs["id_number"].array),
        Column("option", label("option"), label("option"), "text", option),
        Column("low_income", label("low_income"), label("low_income"), "text", _yes_no(inputs["low_income"].to_numpy(bool), lang)),
        Column(original.col, *m2(original), "area", r(original.col)),
        Column(chosen.col, *m2(chosen), "area", r(chosen.col), in_kind),
    ]
    if schema.installments:
        cols.insert(6, Column("defer", label("defer"), label("defer"), "text", _yes_no(r(schema.deferred_total) != 0, lang)))
    option_mask = {("in_kind",): in_kind, ("cash",): cash}
    for a in schema.derived_areas:  # blank where the option has no such area (a cash household has no bands)
        options = tuple(policy.areas[a.key].options) if a.key in policy.areas else ("in_kind",)
        cols.append(Column(a.col, *m2(a), "area", r(a.col), option_mask.get(options)))
    cols.append(Column("appraised_price", "评估单价（元/㎡）", "appraised price (yuan/m²)", "money", price, price != MISSING,
                       summed=False))
    # The policy's declared inputs, as read, beside the core ones.
    cols += [input_column(decl, inputs[inputs_column(decl.name)].to_numpy(), lang) for decl in policy.inputs]
    for c in schema.items:
        note = ("" if c.item.settled else "，不计入结算", "" if c.item.settled else ", not settled")
        cols.append(Column(c.amount, f"{c.item.label_zh}（元{note[0]}）", f"{c.item.label_en} (yuan{note[1]})", "money",
                           r(c.amount), signed=True))
    cols += [Column(t.col, f"{t.label_zh}（元）", f"{t.label_en} (yuan)", "money", r(t.col), signed=True)
             for t in schema.totals]
    # Amounts a household pays or receives read 应交 / 应领 (a number format: the cells stay numbers that sum).
    cols.append(Column(schema.net_payable, "结算合计（元）", "net settlement (yuan)", "money", r(schema.net_payable),
                       signed=True))
    if schema.installments:  # without a deferral, nothing is deferred and all is due before move-in
        cols += [Column(schema.due_before_move_in, "入住前应交（元）", "due before move-in (yuan)", "money",
                        r(schema.due_before_move_in), signed=True),
                 Column(schema.deferred_total, "缓交合计（元）", "deferred total (yuan)", "money", r(schema.deferred_total))]
    deferred = r(schema.deferred_total) != 0
    for inst in schema.installments:
        due = results[inst.due].to_numpy().astype("datetime64[D]")
        cols.append(Column(inst.amount, f"第{inst.number}期缓交款（{inst.share_text}）（元）",
                           f"installment {inst.number} ({inst.share_text}) (yuan)", "money", r(inst.amount), deferred))
        cols.append(Column(inst.due, f"第{inst.number}期到期日", f"installment {inst.number} due", "date", due, ~np.isnat(due)))
    move_in = inputs["move_in"].to_numpy().astype("datetime64[D]")
    cols.append(Column("move_in_date", label("move_in_date"), label("move_in_date"), "date", move_in, ~np.isnat(move_in)))
    if schema.heating:
        cols += [
            Column("energy_efficient", label("energy_efficient"), label("energy_efficient"), "text",
                   np.where(in_kind, _yes_no(inputs["energy_efficient"].to_numpy(bool), lang), "").astype(object)),
            Column("heating_rate", "取暖费标准（元/㎡）", "heating rate (yuan/m²)", "money", inputs["heating_rate_c"].to_numpy(np.int64),
                   in_kind, summed=False),
            Column("heating_standard_annual", "按非节能标准的取暖费（元/采暖期）",
                   "heating fee at the standard rate (yuan per heating season)", "money",
                   r("heating_standard_annual"), in_kind),
            Column("heating_annual", "取暖费（元/采暖期）", "heating fee (yuan per heating season)", "money",
                   r("heating_annual"), in_kind),
            Column("heating_saving", "取暖费节省（元/采暖期）", "heating saving (yuan per heating season)", "money",
                   r("heating_saving"), in_kind),
        ]
    cols.append(Column("warnings", "提示", "warnings", "text", run.settlement.warnings.joined(lang, "；" if lang == "zh" else "; ")))
    # The survey's other columns (address, remarks, columns we do not know) travel with the household.
    used = {run.header_of(f) for f in (*SETTLEMENT_FIELDS, *PASS_THROUGH_FIELDS[:2])}
    used |= {run.header_of(d.name) for d in policy.inputs}
    for header in run.raw.columns:
        if header not in used:
            values = run.raw[header].array if len(run.raw) == n else run.raw.loc[inputs.index, header].array
            cols.append(Column(f"raw:{header}", header, header, "text", values))
    return cols


def schedule_columns(run: SurveyRun, loaded: LoadedPolicy, lang: str) -> list[Column]:
    """缓交计划: every installment of every deferring household, by due date (no move-in date: last)."""
    schema = loaded.rules.schema
    inputs, results = run.settlement.inputs, run.settlement.results
    has = results[schema.deferred_total].to_numpy(np.int64) != 0 if schema.installments else np.zeros(0, bool)
    parts = [(np.flatnonzero(has), inst) for inst in schema.installments]
    pos = np.concatenate([p for p, _ in parts]) if parts else np.array([], dtype=np.int64)
    number = np.concatenate([np.full(len(p), inst.number) for p, inst in parts]) if parts else np.array([], dtype=np.int64)
    amount = np.concatenate([results[inst.amount].to_numpy(np.int64)[p] for p, inst in parts]) if parts \
        else np.array([], dtype=np.int64)
    due = np.concatenate([results[inst.due].to_numpy().astype("datetime64[D]")[p] for p, inst in parts]) \
        if parts else np.array([], dtype="datetime64[D]")
    share = {inst.number: inst.share_text for inst in schema.installments}
    years = {inst.number: inst.years_after_move_in for inst in schema.installments}
    sort_due = np.where(np.isnat(due), np.datetime64("9999-12-31"), due)
    order = np.lexsort((number, inputs.index.to_numpy(np.int64)[pos], sort_due))
    pos, number, amount, due = pos[order], number[order], amount[order], due[order]
    when = np.array([f"入住后第{years[k]}年" if lang == "zh" else f"year {years[k]} after move-in" for k in number], dtype=object)
    move_in = inputs["move_in"].to_numpy().astype("datetime64[D]")[pos]
    return [
        Column("due", "到期日", "due date", "date", due, ~np.isnat(due)),
        Column("household_id", "户号", "household id", "text", inputs["household_id"].to_numpy(dtype=object)[pos]),
        Column("name", FIELDS["name"][0], FIELDS["name"][1], "text", inputs["name"].to_numpy(dtype=object)[pos]),
        Column("installment", "期数", "installment", "int", number.astype(np.int64)),
        Column("when", "缴款时间", "when", "text", when),
        Column("share", "比例", "share", "text", np.array([share[k] for k in number], dtype=object)),
        Column("amount", "金额（元）", "amount (yuan)", "money", amount),
        Column("move_in", FIELDS["move_in_date"][0], FIELDS["move_in_date"][1], "date", move_in, ~np.isnat(move_in)),
        Column("row", "行号", "row", "int", inputs.index.to_numpy(np.int64)[pos]),
    ]


def error_columns(run: SurveyRun, lang: str, policy=None) -> list[Column]:
    """错误: every problem of every rejected row, with the column as the clerk named it and the cell as written."""
    other = "en" if lang == "zh" else "zh"
    errs = run.errors
    ids_header = run.header_of("household_id")
    ids = [run.raw.at[e.row, ids_header] if e.row in run.raw.index else "" for e in errs]
    return [
        Column("row", "行号", "row", "int", np.array([e.row for e in errs], dtype=np.int64)),
        Column("household_id", "户号", "household id", "text", np.array(ids, dtype=object)),
        Column("column", "列名", "column", "text", np.array([e.column or "" for e in errs], dtype=object)),
        Column("field", "字段", "field", "text", np.array([pick(lang, *field_names(e.field, policy)) for e in errs],
                                                          dtype=object)),
        Column("value", "填写值", "value", "text", np.array([e.value for e in errs], dtype=object)),
        Column("reason", "原因", "reason", "text", np.array([e.message(lang) for e in errs], dtype=object)),
        Column("reason_other", "原因（英文）", "reason (Chinese)", "text", np.array([e.message(other) for e in errs], dtype=object)),
    ]


def flag_columns(run: SurveyRun, lang: str) -> list[Column]:
    """请核实: each value to verify, with its row, household, field, value and why (both languages)."""
    other = "en" if lang == "zh" else "zh"
    flags = run.flags
    text = lambda values: np.array(values, dtype=object)
    return [
        Column("row", "行号", "row", "int", np.array([f.row for f in flags], dtype=np.int64)),
        Column("household_id", "户号", "household id", "text", text([f.household_id for f in flags])),
        Column("field", "字段", "field", "text", text([pick(lang, f.label_zh, f.label_en) for f in flags])),
        Column("value", "填写值", "value", "text", text([f.shown(lang) for f in flags])),
        Column("reason", "原因", "reason", "text", text([f.reason(lang) for f in flags])),
        Column("reason_other", "原因（英文）", "reason (Chinese)", "text", text([f.reason(other) for f in flags])),
    ]
