"""One module computes every project total (issue 10 defect 10): the batch page, the workbook's 项目汇总 and the notice
show the same numbers under the same names, and each total is the sum of the items it names, to the fen."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from app_helpers import metrics, start
from calculator import load_policy
from calculator.batch import load_survey, write_workbook
from calculator.fixed import fmt_money
from calculator.statements.notice import build_notice
from calculator.totals import GROUPS, group_masks, project_totals

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "tahe_survey_1200.xlsx"
POLICY = load_policy("tahe")


@pytest.fixture(scope="module")
def run():
    return load_survey(SAMPLE, POLICY)


@pytest.fixture(scope="module")
def summary(run, tmp_path_factory):
    """The workbook's 项目汇总 as {label: (all, in-kind, cash, low-income, other, what is summed)}."""
    path = tmp_path_factory.mktemp("wb") / "r.xlsx"
    write_workbook(run, POLICY, path)
    rows = openpyxl.load_workbook(path)["项目汇总"].iter_rows(values_only=True)
    return {r[0]: r[1:] for r in rows if r and r[0]}


def _fen(yuan) -> int:
    return round(yuan * 100)


def test_each_total_is_the_sum_of_its_items_over_its_households_to_the_fen(run):
    settled = run.settlement
    totals = project_totals(settled, POLICY.rules)
    masks = group_masks(settled.inputs, settled.results)
    schema = POLICY.rules.schema
    for f in totals.figures:
        for group, mask in masks.items():
            by_item = sum(int(settled.results[schema.item(code).amount].to_numpy(np.int64)[mask].sum()) for code in f.items)
            if f.code in ("paid_out",) or f.code.startswith("item:") and schema.item(f.items[0]).item.direction == "receive":
                by_item = -by_item  # paid to households, shown positive
            if f.code == "deferred":  # the deferrable items of the households who defer
                deferring = settled.results[schema.deferred_total].to_numpy(np.int64) != 0
                by_item = sum(int(settled.results[schema.item(code).amount].to_numpy(np.int64)[mask & deferring].sum())
                              for code in f.items)
            if f.code == "due_before_move_in":
                by_item -= totals.figure("deferred").fen[group]
            assert f.fen[group] == by_item, (f.code, group)
    net = totals.figure("net")
    assert net.total == int(settled.results["net_payable"].sum()) == 1037549770
    assert totals.figure("collected").total == 2202414120  # the workbook's old 向住户收取合计, ¥22,024,141.20
    assert net.fen["in_kind"] == 2098681420  # the page's old 回迁安置应收, ¥20,986,814.20: now named for what it is
    assert net.fen["in_kind"] + net.fen["cash"] == net.fen["low_income"] + net.fen["regular"] == net.total
    assert sum(a for _, _, a in totals.deferred_by_year) == totals.figure("deferred").total == 22216000
    assert set(net.items) == {c.code for c in schema.settled_items}
    assert net.sums_zh.endswith("− 未安置面积货币补偿 − 货币补偿")


def test_the_page_shows_the_workbooks_figures_under_the_workbooks_names(run, summary):
    at = start("ui/batch_page.py")
    at.selectbox(key="batch_sample").set_value(SAMPLE).run()
    at.button(key="batch_sample_run").click().run()
    assert not at.exception, at.exception
    shown = {k: v for k, v in metrics(at).items() if k not in ("总行数", "已测算", "被拒绝")}
    assert list(shown) == ["向住户收取合计", "向住户支付合计", "净额（收取 − 支付）", "缓交应收合计"]
    for label, value in shown.items():
        assert value == fmt_money(_fen(summary[label][0])), label  # same name, same number
    table = at.dataframe[-1].value  # every figure by group, as the workbook lays it out
    headers = [zh for zh, _ in GROUPS.values()]
    assert list(table.columns) == ["合计项目（元）", *headers, "所含项目（求和）"]
    for _, row in table.iterrows():
        in_book = summary[row["合计项目（元）"]]
        assert [row[h] for h in headers] == [fmt_money(_fen(v)) for v in in_book[:len(GROUPS)]]
        assert row["所含项目（求和）"] == in_book[len(GROUPS)]
    assert "回迁安置应收" not in str(at)  # the name that summed something else is gone


def test_the_notice_total_row_is_the_project_totals(run):
    totals = project_totals(run.settlement, POLICY.rules)
    notice = build_notice(run.settlement, POLICY)
    assert _fen(notice.totals["net_payable"]) == totals.figure("net").total
    assert _fen(notice.totals["amount_cash_compensation"]) == -totals.figure("item:cash_compensation").total
    assert _fen(notice.totals["deferred_total"]) == totals.figure("deferred").total


def test_totals_of_parts_add_up_to_the_totals_of_the_whole(run):
    """The streamed csv adds the totals of its chunks."""
    settled = run.settlement
    whole = project_totals(settled, POLICY.rules)

    class Part:
        def __init__(self, rows):
            self.inputs, self.results = settled.inputs.iloc[rows], settled.results.iloc[rows]

    parts = project_totals(Part(slice(0, 500)), POLICY.rules).plus(project_totals(Part(slice(500, None)), POLICY.rules))
    assert parts == whole
