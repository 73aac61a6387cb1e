"""方案测算 (issue 13): one survey under several plans: totals equal to the batch runs', differences per household, who gains
and loses, flats, the CLI and its report."""
from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from calculator import load_policy
from calculator.batch import load_survey
from calculator.cli import main
from calculator.compare import area_deciles, compare
from calculator.plans import load_plan
from calculator.policy import PolicyError
from calculator.totals import project_totals

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "tahe_survey_1200.csv"
EDIT = "items.reasonable_extra_area.rate=1100"


@pytest.fixture(scope="module")
def comparison():
    return compare(SAMPLE, [load_plan("tahe"), load_plan("tahe", [EDIT])])


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def test_totals_equal_the_sums_of_two_batch_runs_to_the_fen(comparison, tmp_path):
    """The changed tahe written as a file and settled by the batch gives the plan's totals, figure by figure."""
    text = (ROOT / "policies" / "tahe.toml").read_text("utf-8")
    old = 'rate = { value = 1000.00, unit = "CNY/m2", label_zh = "合理享受面积单价"'
    assert text.count(old) == 1
    changed = text.replace(old, old.replace("1000.00", "1100")).replace('version = "2025.1"', 'version = "2025.1-1100"', 1)
    (tmp_path / "tahe_1100.toml").write_text(changed, "utf-8")
    for result, policy in zip(comparison.results, [load_policy("tahe"), load_policy(tmp_path / "tahe_1100.toml")]):
        run = load_survey(SAMPLE, policy)
        batch = project_totals(run.settlement, policy.rules)
        assert result.totals.figures == batch.figures
        assert result.totals.figure("net").total == int(run.settlement.results["net_payable"].sum())
    a, b = (r.totals.figure("item:reasonable_extra_area").total for r in comparison.results)
    assert (a, b) == (472939800, 515988500)  # 1,000 → 1,100 yuan/m² for regular households; 800 stays for low-income
    assert comparison.results[1].totals.figure("collected").total == 2202414120 + (b - a)


def test_every_household_difference_and_who_gains_and_loses(comparison):
    change = comparison.changes[0]
    assert len(change.difference) == 1200 and change.only_base == change.only_plan == 0
    assert (change.better, change.worse, change.unchanged) == (0, 897, 303)
    assert change.share(change.worse) == "74.8%"
    assert int(change.difference.sum()) == comparison.results[1].totals.figure("net").total - \
        comparison.results[0].totals.figure("net").total == 43048700
    # a regular household's extra area pays 100 yuan/m² more; low-income and cash households are unchanged
    base = comparison.results[0].run.settlement.results
    extra = base.loc[change.rows, "area_reasonable_extra"].to_numpy(np.int64)
    regular = ~change.low_income
    assert (change.difference[regular] == extra[regular] * 100).all()  # 0.01 m² × 100 yuan/m² = 100 fen
    assert (change.difference[change.low_income] == 0).all()
    assert sum(g.households for g in change.deciles) == 1200 and len(change.deciles) == 10
    assert sum(g.change_fen for g in change.deciles) == int(change.difference.sum())
    low = next(g for g in change.categories if g.key == "low_income")
    assert (low.households, low.change_fen) == (137, 0)
    largest = change.difference[change.largest]
    assert len(largest) == 10 and (np.diff(np.abs(largest)) <= 0).all() and largest[0] == 99900


def test_deciles_have_equal_counts_by_area():
    deciles = area_deciles(np.array([50, 10, 40, 30, 20, 60, 70, 80, 90, 100, 5, 1]))
    assert np.bincount(deciles).tolist() == [2, 1, 1, 1, 1, 2, 1, 1, 1, 1]
    assert deciles[11] == 0 and deciles[9] == 9


def test_an_edit_is_validated_like_a_file_and_shown_with_its_hash():
    plan = load_plan("tahe", [EDIT])
    assert plan.label == f"tahe 2025.1+draft · {EDIT}"  # an edit is a draft of its own version, not approved
    assert not plan.loaded.identity.approved
    assert len(plan.sha256) == 64 and plan.sha256 != load_policy("tahe").identity.sha256
    assert load_plan("tahe", [EDIT]).sha256 == plan.sha256  # the same edit, the same hash
    with pytest.raises(PolicyError) as exc:
        load_plan("tahe", ["items.excess_area.rate=-1"])
    assert exc.value.problems == [("items.excess_area.rate.value", "must not be negative, got -1")]
    with pytest.raises(PolicyError) as exc:
        load_plan("tahe", ["items.reasonable_extra_area.price=1100"])
    assert "no such key" in exc.value.problems[0][1] and "rate" in exc.value.problems[0][1]


def test_the_cli_writes_the_report(tmp_path):
    flats = tmp_path / "flats.csv"
    flats.write_text("户型面积,套数\n40,300\n48,400\n58,250\n68,150\n75,60\n", "utf-8")
    out = tmp_path / "report.xlsx"
    code, stdout, _ = _cli(["compare", str(SAMPLE), "--policy", "tahe", "--policy", "tahe", "--set", EDIT,
                            "--flats", str(flats), "-o", str(out)])
    assert code == 0
    assert "受损 / worse off 897 (74.8%)" in stdout and f"tahe 2025.1+draft · {EDIT}" in stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["方案", "合计对比", "户型需求", "变化概况", "逐户对比"]
    totals = {(r[0], r[1]): r[2:] for r in book["合计对比"].iter_rows(min_row=2, values_only=True)}
    assert totals[("全部住户", "向住户收取合计")][:3] == (22024141.2, 22454628.2, 430487)
    flats_rows = list(book["户型需求"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert flats_rows[0] == ("A", "40㎡", "25%", 275, 176, -99, 300, -124)
    households = list(book["逐户对比"].iter_rows(values_only=True))
    assert households[0] == ("行号", "户号", "安置方式（方案A）", "低保户", "原房屋建筑面积（㎡）", "方案A净额（元）",
                             "方案B净额（元）", "差额（B − A，元）")
    assert len(households) == 1201 and households[1] == (3, "TH-00001", "回迁安置", "否", 33.82, 17046, 17664, 618)


def test_the_cli_writes_json_and_refuses_bad_plans(tmp_path):
    code, stdout, _ = _cli(["compare", str(SAMPLE), "--policy", "tahe", "--policy", "tahe", "--set", EDIT,
                            "--format", "json"])
    data = json.loads(stdout)
    assert code == 0 and [p["plan"] for p in data["plans"]] == ["A", "B"]
    assert data["changes"][0]["worse"] == 897 and len(data["changes"][0]["households_detail"]["row"]) == 1200
    net = {p["plan"]: next(f for f in p["totals"] if f["code"] == "net")["fen"]["all"] for p in data["plans"]}
    assert net == {"A": 1037549770, "B": 1080598470}
    out = tmp_path / "r.xlsx"
    code, _, err = _cli(["compare", str(SAMPLE), "--policy", "tahe", "--policy", "tahe", "--set", "items.nope=1",
                         "-o", str(out)])
    assert code == 2 and not out.exists() and "items.nope: no such key" in err
    code, _, err = _cli(["compare", str(SAMPLE), "--policy", "tahe", "-o", str(out)])
    assert code == 2 and "至少需要两个方案" in err
