"""The comparison (方案测算) as a workbook or json: plans, totals side by side, flats, who gains and loses, every household.

Renders a calculator.compare.Comparison; computes nothing but the differences of figures it is given. The
households sheet is written column-wise (batch.sheetxml), so 100,000 households take seconds, as in the batch workbook.
"""
from __future__ import annotations

import io
import json

import numpy as np
import xlsxwriter

from .batch.output import open_output
from .batch.sheetxml import rows_xml, splice
from .batch.table import Column
from .approval import NOT_APPROVED
from .batch.workbook import SheetWriter
from .household import OPTION_LABELS
from .compare import Change, Comparison, GroupRow, flats_table
from .totals import GROUPS

SHEETS = {
    "plans": ("方案", "Plans"), "totals": ("合计对比", "Totals"), "flats": ("户型需求", "Flats"),
    "changes": ("变化概况", "Who gains and loses"), "households": ("逐户对比", "Households"),
}


def letter(i: int) -> str:
    return chr(ord("A") + i)


def _pick(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def figure_codes(comparison: Comparison) -> list[tuple[str, str, str, str, str]]:
    """(code, label zh, label en, sums zh, sums en) of every figure any plan has, in the order the plans list them."""
    seen: dict[str, tuple] = {}
    for result in comparison.results:
        for f in result.totals.by_item + result.totals.summary:
            seen.setdefault(f.code, (f.code, f.label_zh, f.label_en, f.sums_zh, f.sums_en))
    return list(seen.values())


def totals_rows(comparison: Comparison, group: str = "all") -> list[dict]:
    """Each figure under each plan for one group of households, and its change from plan A (None: the plan has no
    such figure)."""
    rows = []
    for code, zh, en, sums_zh, sums_en in figure_codes(comparison):
        fen = [r.totals.figure(code).fen[group] if r.totals.has(code) else None for r in comparison.results]
        base = fen[0]
        rows.append({"code": code, "label_zh": zh, "label_en": en, "sums_zh": sums_zh, "sums_en": sums_en, "fen": fen,
                     "change_fen": [None if base is None or v is None else v - base for v in fen[1:]]})
    return rows


def write_report(comparison: Comparison, path_or_buffer, lang: str = "zh") -> None:
    staging = io.BytesIO()
    book = xlsxwriter.Workbook(staging, {"in_memory": True})
    w = SheetWriter(book, lang)
    styles = w.styles()
    name = lambda key: _pick(lang, *SHEETS[key])
    _plans_sheet(w, book.add_worksheet(name("plans")), comparison, lang)
    _totals_sheet(w, book.add_worksheet(name("totals")), comparison, lang)
    _flats_sheet(w, book.add_worksheet(name("flats")), comparison, lang)
    _changes_sheet(w, book.add_worksheet(name("changes")), comparison, lang)
    columns = household_columns(comparison, lang)
    dimension = w.header_only(book.add_worksheet(name("households")), columns, lang, 2)
    spliced = {f"xl/worksheets/sheet{len(book.worksheets())}.xml": (rows_xml(columns, 2, styles), dimension)}
    book.close()
    with open_output(path_or_buffer) as out:
        splice(staging.getvalue(), spliced, out)


def _table(w: SheetWriter, ws, row: int, header: list[str], rows: list[list], kinds: list[str]) -> int:
    """A small table at `row`: header, then rows (money in fen, counts, text); returns the next free row."""
    for c, text in enumerate(header):
        ws.write_string(row, c, text, w.header)
    return _table_rows(w, ws, row + 1, rows, kinds)


def _table_rows(w: SheetWriter, ws, row: int, rows: list[list], kinds: list[str]) -> int:
    """Rows from `row` on, each cell by its column's kind; returns the next free row."""
    for r, values in enumerate(rows, row):
        for c, (value, kind) in enumerate(zip(values, kinds)):
            if value is None:
                continue
            if kind == "money":
                ws.write_number(r, c, value / 100, w.money)
            elif kind == "count":
                ws.write_number(r, c, value, w.count)
            else:
                ws.write_string(r, c, str(value))
    return row + len(rows)


def _plans_sheet(w: SheetWriter, ws, comparison: Comparison, lang: str) -> None:
    zh = lang == "zh"
    ws.set_column(0, 0, 10)
    ws.set_column(1, 2, 40)
    ws.set_column(3, 3, 66)
    ws.set_column(4, 8, 12)
    ws.write_string(0, 0, _pick(lang, "方案测算：同一调查表，不同政策", "Plans compared over one survey"), w.title)
    ws.write_string(1, 0, _pick(lang, f"调查表：{comparison.source_name}（SHA-256 {comparison.source_sha256}）",
                                f"survey: {comparison.source_name} (SHA-256 {comparison.source_sha256})"))
    header = [_pick(lang, "方案", "plan"), _pick(lang, "政策", "policy"), _pick(lang, "修改", "edits"),
              _pick(lang, "政策SHA-256", "policy SHA-256"), _pick(lang, "读取", "read"), _pick(lang, "计算", "computed"),
              _pick(lang, "拒绝", "rejected"), _pick(lang, "请核实", "to verify")]
    rows = []
    for i, r in enumerate(comparison.results):
        info, c = r.plan.loaded.rules.policy, r.run.counts
        rows.append([letter(i), f"{info.name_zh if zh else info.name_en}（{info.id} {info.version}）",
                     ("；".join(r.plan.edits) or _pick(lang, "（原文件）", "(the file as it is)"))
                     + ("" if r.plan.loaded.identity.approved else f"（{_pick(lang, *NOT_APPROVED)}）"), r.plan.sha256,
                     c.read, c.computed, c.rejected, len(r.run.flags)])
    nxt = _table(w, ws, 3, header, rows, ["text"] * 4 + ["count"] * 4)
    ws.write_string(nxt + 1, 0, _pick(lang, "差额 = 方案X净额 − 方案A净额：大于0表示住户在方案X下多交（或少领），小于0表示住户受益。",
                                      "difference = plan X net − plan A net: above 0, the household pays more (or "
                                      "receives less) under plan X; below 0, it is better off."))


def _totals_sheet(w: SheetWriter, ws, comparison: Comparison, lang: str) -> None:
    n = len(comparison.results)
    header = [_pick(lang, "住户", "households"), _pick(lang, "合计项目（元）", "total (yuan)")]
    header += [_pick(lang, f"方案{letter(i)}", f"plan {letter(i)}") for i in range(n)]
    header += [_pick(lang, f"变化（{letter(i)} − A）", f"change ({letter(i)} − A)") for i in range(1, n)]
    header.append(_pick(lang, "所含项目（求和）", "what is summed"))
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2 * n, 18)
    ws.set_column(2 * n + 1, 2 * n + 1, 80)
    money, count = ["text", "text"] + ["money"] * (2 * n - 1) + ["text"], ["text", "text"] + ["count"] * (2 * n - 1)
    _table(w, ws, 0, header, [], money)
    row = 1
    for group, (g_zh, g_en) in GROUPS.items():
        counts = [r.totals.households[group] for r in comparison.results]
        row = _table_rows(w, ws, row, [[_pick(lang, g_zh, g_en), _pick(lang, "户数", "households"), *counts,
                                        *[c - counts[0] for c in counts[1:]]]], count)
        row = _table_rows(w, ws, row, [[_pick(lang, g_zh, g_en), _pick(lang, t["label_zh"], t["label_en"]), *t["fen"],
                                        *t["change_fen"], _pick(lang, t["sums_zh"], t["sums_en"])]
                                       for t in totals_rows(comparison, group)], money)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, row - 1, len(header) - 1)


def _types_text(types_c: list[int], lang: str) -> str:
    if not types_c:
        return _pick(lang, "非标准面积（实测面积）", "non-standard (measured) areas")
    return "、".join(f"{c / 100:g}" for c in types_c) + _pick(lang, "㎡", " m²")


def _flats_sheet(w: SheetWriter, ws, comparison: Comparison, lang: str) -> None:
    ws.set_column(0, 1, 22)
    ws.set_column(2, 8, 14)
    row = 0
    header = [_pick(lang, "方案", "plan"), _pick(lang, "户型", "unit type"), _pick(lang, "规划占比", "planned share"),
              _pick(lang, "规划套数", "planned flats"), _pick(lang, "需求套数", "flats needed"),
              _pick(lang, "较规划缺口", "short of plan"), _pick(lang, "现有房源", "flats available"),
              _pick(lang, "较房源缺口", "short of stock")]
    rows = []
    for i, r in enumerate(comparison.results):
        table = flats_table(r, comparison.inventory)
        for t in table:
            rows.append([letter(i), _types_text(t.types_c, lang), f"{t.planned_share_pct}%" if t.types_c else "",
                         t.planned, t.needed, t.short_of_plan, t.available, t.short_of_stock])
    if not rows:
        ws.write_string(0, 0, _pick(lang, "政策未规定户型", "the policies declare no unit types"))
        return
    nxt = _table(w, ws, row, header, rows, ["text"] * 3 + ["count"] * 5)
    ws.write_string(nxt + 1, 0, _pick(lang, "规划套数 = 回迁安置户数 × 规划占比，四舍五入；缺口大于0表示需求超过规划（或房源）。",
                                      "planned flats = in-kind households × planned share, rounded half up; a shortfall "
                                      "above 0: more flats needed than planned (or available)."))


def _group_rows(groups: list[GroupRow], lang: str) -> list[list]:
    return [[_pick(lang, g.label_zh, g.label_en), g.households, g.better, g.worse, g.unchanged, g.change_fen,
             g.mean_change_fen] for g in groups]


def _changes_sheet(w: SheetWriter, ws, comparison: Comparison, lang: str) -> None:
    ws.set_column(0, 0, 34)
    ws.set_column(1, 8, 16)
    row = 0
    for change in comparison.changes:
        x = letter(change.plan)
        ws.write_string(row, 0, _pick(lang, f"方案{x}与方案A比较（{comparison.results[change.plan].plan.label}）",
                                      f"plan {x} against plan A ({comparison.results[change.plan].plan.label})"), w.title)
        row += 1
        summary = [[_pick(lang, "比较户数（两方案均计算）", "households compared (computed under both)"),
                    len(change.difference), ""],
                   [_pick(lang, "受益（差额 < 0）", "better off (difference < 0)"), change.better, change.share(change.better)],
                   [_pick(lang, "受损（差额 > 0）", "worse off (difference > 0)"), change.worse, change.share(change.worse)],
                   [_pick(lang, "不变", "unchanged"), change.unchanged, change.share(change.unchanged)],
                   [_pick(lang, f"仅方案A计算（方案{x}下被拒绝）", f"computed under A only (rejected under {x})"), change.only_base, ""],
                   [_pick(lang, f"仅方案{x}计算", f"computed under {x} only"), change.only_plan, ""]]
        row = _table(w, ws, row, [_pick(lang, "住户", "households"), _pick(lang, "户数", "count"),
                                  _pick(lang, "占比", "share")], summary, ["text", "count", "text"]) + 1
        group_header = [_pick(lang, "分组", "group"), _pick(lang, "户数", "households"), _pick(lang, "受益", "better off"),
                        _pick(lang, "受损", "worse off"), _pick(lang, "不变", "unchanged"),
                        _pick(lang, "差额合计（元）", "total difference (yuan)"), _pick(lang, "户均差额（元）", "mean (yuan)")]
        kinds = ["text"] + ["count"] * 4 + ["money"] * 2
        ws.write_string(row, 0, _pick(lang, "按原房屋面积十分位", "by decile of original area"), w.bold)
        row = _table(w, ws, row + 1, group_header, _group_rows(change.deciles, lang), kinds) + 1
        ws.write_string(row, 0, _pick(lang, "按住户类别（方案A的安置方式）", "by category (option under plan A)"), w.bold)
        row = _table(w, ws, row + 1, group_header, _group_rows(change.categories, lang), kinds) + 1
        ws.write_string(row, 0, _pick(lang, f"变化最大的{len(change.largest)}户", f"the {len(change.largest)} largest changes"),
                        w.bold)
        largest = [[str(change.household_id[p]), int(change.rows[p]), int(change.net_base[p]), int(change.net_plan[p]),
                    int(change.difference[p])] for p in change.largest]
        row = _table(w, ws, row + 1, [_pick(lang, "户号", "household id"), _pick(lang, "行号", "row"),
                                      _pick(lang, "方案A净额（元）", "plan A net (yuan)"),
                                      _pick(lang, f"方案{x}净额（元）", f"plan {x} net (yuan)"),
                                      _pick(lang, "差额（元）", "difference (yuan)")],
                     largest, ["text", "count", "money", "money", "money"]) + 2


def household_columns(comparison: Comparison, lang: str = "zh") -> list[Column]:
    """逐户对比: every household computed under plan A and each other plan: both nets and the difference."""
    base = comparison.base
    inputs, results = base.run.settlement.inputs, base.run.settlement.results
    net = base.plan.loaded.rules.schema.net_payable
    option = np.where(results["is_cash"].to_numpy(bool), *(OPTION_LABELS[k][lang != "zh"] for k in ("cash", "in_kind")))
    low = np.where(inputs["low_income"].to_numpy(bool), _pick(lang, "是", "yes"), _pick(lang, "否", "no"))
    cols = [Column("row", "行号", "row", "int", inputs.index.to_numpy(np.int64)),
            Column("household_id", "户号", "household id", "text", inputs["household_id"].to_numpy(object)),
            Column("option", "安置方式（方案A）", "option (plan A)", "text", option.astype(object)),
            Column("low_income", "低保户", "low-income", "text", low.astype(object)),
            Column("original", "原房屋建筑面积（㎡）", "original area (m²)", "area",
                   inputs["original_area_c"].to_numpy(np.int64)),
            Column("net_a", "方案A净额（元）", "plan A net (yuan)", "money", results[net].to_numpy(np.int64))]
    for change in comparison.changes:
        x = letter(change.plan)
        at = inputs.index.get_indexer(change.rows)  # the households computed under both, among plan A's
        valid = np.zeros(len(inputs), dtype=bool)
        valid[at] = True
        plan_net = np.zeros(len(inputs), dtype=np.int64)
        plan_net[at] = change.net_plan
        diff = np.zeros(len(inputs), dtype=np.int64)
        diff[at] = change.difference
        cols += [Column(f"net_{x}", f"方案{x}净额（元）", f"plan {x} net (yuan)", "money", plan_net, valid),
                 Column(f"diff_{x}", f"差额（{x} − A，元）", f"difference ({x} − A, yuan)", "money", diff, valid)]
    return cols


def report_json(comparison: Comparison) -> str:
    """The comparison as json: money in fen (integers, keys ending _fen), every household's nets and differences."""
    def groups(rows: list[GroupRow]) -> list[dict]:
        return [{"key": g.key, "label_zh": g.label_zh, "label_en": g.label_en, "households": g.households,
                 "better": g.better, "worse": g.worse, "unchanged": g.unchanged, "change_fen": g.change_fen,
                 "mean_change_fen": g.mean_change_fen} for g in rows]

    def change(c: Change) -> dict:
        return {"plan": letter(c.plan), "against": "A", "households": len(c.difference), "better": c.better,
                "worse": c.worse, "unchanged": c.unchanged, "only_base": c.only_base, "only_plan": c.only_plan,
                "deciles": groups(c.deciles), "categories": groups(c.categories),
                "largest": [{"row": int(c.rows[p]), "household_id": str(c.household_id[p]),
                             "net_base_fen": int(c.net_base[p]), "net_plan_fen": int(c.net_plan[p]),
                             "difference_fen": int(c.difference[p])} for p in c.largest],
                "households_detail": {"row": c.rows.tolist(), "household_id": [str(h) for h in c.household_id],
                                      "net_base_fen": c.net_base.tolist(), "net_plan_fen": c.net_plan.tolist(),
                                      "difference_fen": c.difference.tolist()}}

    plans = []
    for i, r in enumerate(comparison.results):
        ident = r.plan.loaded.identity
        flats = flats_table(r, comparison.inventory)
        plans.append({
            "plan": letter(i), "label": r.plan.label, "id": ident.id, "version": ident.version, "sha256": ident.sha256,
            "edits": r.plan.edits, "counts": vars(r.run.counts), "flags": len(r.run.flags),
            "households": r.totals.households,
            "totals": [{"code": f.code, "label_zh": f.label_zh, "label_en": f.label_en, "items": list(f.items),
                        "sums_zh": f.sums_zh, "sums_en": f.sums_en, "fen": f.fen}
                       for f in r.totals.by_item + r.totals.summary],
            "deferred_by_year": [{"year": y, "installment": n, "fen": a} for y, n, a in r.totals.deferred_by_year],
            "flats": [{"types_m2": [t / 100 for t in row.types_c], "planned": row.planned, "needed": row.needed,
                       "short_of_plan": row.short_of_plan, "available": row.available, "short_of_stock": row.short_of_stock}
                      for row in flats],
        })
    return json.dumps({"survey": {"name": comparison.source_name, "sha256": comparison.source_sha256}, "plans": plans,
                       "changes": [change(c) for c in comparison.changes]}, ensure_ascii=False, indent=1)
