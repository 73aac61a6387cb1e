"""Plausibility flags (请核实, issue 10 defect 9): a typing slip is settled but flagged, listed on its own sheet and page,
and the public notice is withheld until the flags are accepted; the streamed csv flags it too."""
from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from calculator import load_policy
from calculator.batch import load_survey, stream, write_workbook
from calculator.cli import main
from calculator.fixed import MISSING
from calculator.plausible import plausibility_flags, survey_fences
from calculator.policy import PolicyError, parse_policy

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "sample_data" / "tahe_survey_1200.csv"
TAHE = (ROOT / "policies" / "tahe.toml").read_text("utf-8")
POLICY = load_policy("tahe")


@pytest.fixture(scope="module")
def slip(tmp_path_factory) -> Path:
    """The 1,200 sample with household TH-00005 (row 7) typed as a cash household of 1,234 m² at 1,234 yuan/m²."""
    lines = CLEAN.read_text("utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("TH-00005,"):
            cells = line.split(",")
            cells[5], cells[6], cells[7], cells[10] = "1234", "货币补偿", "", "1234"
            line = ",".join(cells)
        out.append(line)
    path = tmp_path_factory.mktemp("slip") / "slip.csv"
    path.write_text("\n".join(out) + "\n", "utf-8")
    return path


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def test_the_typing_slip_is_settled_and_flagged_with_field_row_value_and_reason(slip):
    run = load_survey(slip, POLICY)
    assert run.counts.rejected == 0  # flagged, not rejected
    assert int(run.settlement.results.loc[7, "net_payable"]) == -152275600  # 1,234 m² × 1,234 yuan, paid out
    [flag] = run.flags
    assert (flag.row, flag.household_id, flag.field, flag.shown("zh")) == (7, "TH-00005", "original_area", "1,234.00㎡")
    assert "超出政策规定的核实范围 10.00–300.00㎡" in flag.reason_zh and "与本调查表其他住户相差悬殊" in flag.reason_zh
    assert "outside the policy's plausible range 10.00–300.00 m²" in flag.reason_en
    assert "far from the other households of this survey" in flag.reason_en
    assert run.settlement.warnings[run.settlement.inputs.index.get_loc(7)][-1] == ("请核实原房屋建筑面积",
                                                                                   "please verify the original area")


def test_the_clean_sample_has_nothing_to_verify():
    assert load_survey(CLEAN, POLICY).flags == []


def test_the_workbook_lists_the_flags_on_their_own_sheet(slip, tmp_path):
    run = load_survey(slip, POLICY)
    write_workbook(run, POLICY, tmp_path / "r.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "r.xlsx")["请核实"].iter_rows(values_only=True))
    assert rows[0] == ("行号", "户号", "字段", "填写值", "原因", "原因（英文）")
    assert rows[1][:4] == (7, "TH-00005", "原房屋建筑面积", "1,234.00㎡")
    assert rows[1][5].startswith("outside the policy's plausible range")
    summary = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "r.xlsx")["项目汇总"].iter_rows(values_only=True)}
    assert summary["请核实的数值（见“请核实”表）"] == 1


def test_the_notice_is_refused_until_the_flags_are_accepted(slip, tmp_path):
    out = tmp_path / "notice.xlsx"
    code, _, err = _cli(["notice", str(slip), "-o", str(out)])
    assert code == 2 and not out.exists()
    assert "第7行 / row 7 TH-00005: 请核实：原房屋建筑面积 1,234.00㎡" in err
    assert "有 1 项数值请核实" in err and "--accept-flags" in err
    code, stdout, _ = _cli(["notice", str(slip), "-o", str(out), "--accept-flags"])
    assert code == 0 and out.exists() and "已确认 1 项请核实的数值" in stdout


def test_the_streamed_csv_flags_too(slip, tmp_path, monkeypatch):
    """A large csv is settled in chunks: the survey's own ranges are found on the first chunk and used for all."""
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "CHUNK_ROWS", 250)
    calls = []
    real = stream.stream_batch
    monkeypatch.setattr(stream, "stream_batch", lambda *a: calls.append(1) or real(*a))
    code, stdout, _ = _cli(["batch", str(slip), "-o", str(tmp_path / "r.csv")])
    assert code == 0 and calls  # the chunked path ran
    assert "请核实 / please verify (1;" in stdout and "第7行 row 7  TH-00005  请核实：原房屋建筑面积 1,234.00㎡" in stdout
    result = pd.read_csv(tmp_path / "r.csv", dtype=str, keep_default_na=False)
    flagged = result[result["warnings_zh"].str.contains("请核实原房屋建筑面积")]
    assert list(flagged["row"]) == ["7"] and list(flagged["household_id"]) == ["TH-00005"]
    assert "please verify the original area" in flagged["warnings"].iloc[0]


def _policy(text: str):
    return parse_policy(text.encode("utf-8"), "test.toml")


@pytest.mark.parametrize("edit, key, words", [
    ("min = 10.00, max = 300.00, unit = \"m2\", label_zh = \"原房屋面积核实范围\"",
     "plausible.original_area", "min < max"),
    ("min = 10.00, max = 300.00, unit = \"m2\", label_zh = \"原房屋面积核实范围\"", "plausible.original_area.unit", "m2"),
    ("min = 10.00, max = 300.00, unit = \"m2\", label_zh = \"原房屋面积核实范围\"", "plausible.original_area.max",
     "above limits.original_area_max"),
], ids=["min above max", "wrong unit", "past the limit"])
def test_a_bad_plausible_range_stops_the_load(edit, key, words):
    replacement = {"min < max": "min = 300.00, max = 10.00, unit = \"m2\", label_zh = \"原房屋面积核实范围\"",
                   "m2": "min = 10.00, max = 300.00, unit = \"CNY/m2\", label_zh = \"原房屋面积核实范围\"",
                   "above limits.original_area_max": "min = 10.00, max = 30000.00, unit = \"m2\", label_zh = \"原房屋面积核实范围\""}
    assert edit in TAHE
    with pytest.raises(PolicyError) as exc:
        _policy(TAHE.replace(edit, replacement[words]))
    assert any(k.startswith(key) and words in reason for k, reason in exc.value.problems), exc.value.problems


def test_a_declared_input_may_declare_its_plausible_range():
    text = (ROOT / "tests" / "policies" / "with_inputs.toml").read_text("utf-8")
    assert "min = 1\nmax = 20\n" in text
    loaded = _policy(text.replace("min = 1\nmax = 20\n", "min = 1\nmax = 20\nplausible = [1, 10]\n", 1))
    frame = pd.DataFrame({"household_id": ["A", "B"], "option": ["in_kind"] * 2, "original_area_c": [4500, 4500],
                          "unit_area_c": [4800, 4800], "appraised_price_c": [MISSING, MISSING],
                          "heating_rate_c": [MISSING, MISSING], "in_persons": [3, 14]}, index=[2, 3])
    [flag] = plausibility_flags(frame, loaded.rules, {})
    assert (flag.row, flag.field, flag.value, flag.shown("zh")) == (3, "persons", "14", "14人")
    assert flag.reason_en == "outside the policy's plausible range 1–10 person"
    with pytest.raises(PolicyError):
        _policy(text.replace("min = 1\nmax = 20\n", "min = 1\nmax = 20\nplausible = [1, 30]\n", 1))


def test_fences_are_robust_and_ignore_a_survey_that_is_nearly_all_alike():
    rng = np.random.default_rng(7)
    areas = np.round(rng.lognormal(np.log(50), 0.25, 500) * 100).astype(np.int64)
    frame = pd.DataFrame({"original_area_c": np.append(areas, [123400, 250]), "unit_area_c": MISSING,
                          "appraised_price_c": MISSING, "option": "cash", "heating_rate_c": MISSING,
                          "household_id": "x"})
    fences = survey_fences(frame)
    assert set(fences) == {"original_area"} and fences["original_area"].values == 502
    flagged = [f.row for f in plausibility_flags(frame, POLICY.rules, fences)]
    assert flagged == [500, 501]  # 1,234 m² and 2.5 m²; none of the 500 drawn around 50 m²
    alike = frame.iloc[:40].assign(original_area_c=[5000] * 39 + [6000])  # one household of 60 among 39 of 50
    assert plausibility_flags(alike, POLICY.rules, survey_fences(alike)) == []
