"""The worked examples (tests/cases/*.toml) through the engine and through the CLI's JSON contract."""
import json

import pytest

from calculator import load_policy, quote
from calculator.cli import main
from calculator.policy import available_policies
from calculator.result import Item
from case_files import cli_args, load_cases, policy_ref, quote_values

CASES = load_cases()


def check(case: dict, result: dict) -> None:
    """Compare a quote (as JSON-mode dict) with a case's expected values, field by field."""
    expected = case["expected"]
    for key in ("net_payable", "due_before_move_in"):
        if key in expected:
            assert result[key] == expected[key], key
    for key, value in expected.get("areas", {}).items():
        assert result["areas"][key] == value, f"area {key}"
    items = {i["code"]: i["amount"] for i in result["items"]}
    for code, amount in expected.get("items", {}).items():
        assert items.get(code) == amount, f"item {code}"
    assert sum(float(v) for v in items.values()) == pytest.approx(float(result["net_payable"]), abs=1e-9)
    if "working" in case:  # a case worked by hand lists every settled item
        assert sorted(items) == sorted(expected.get("items", {})), "the items listed in the case"
    shown = {i["code"]: i["amount"] for i in result["shown"]}
    for code, amount in expected.get("shown", {}).items():
        assert shown.get(code) == amount, f"shown item {code}"
    formulas = {i["code"]: Item.model_validate(i).formula("zh") for i in result["items"] + result["shown"]}
    for code, text in expected.get("factors", {}).items():
        assert formulas.get(code) == text, f"formula of {code}"
    totals = {t["code"]: t["amount"] for t in result["totals"]}
    for code, amount in expected.get("totals", {}).items():
        assert totals.get(code) == amount, f"total {code}"
    if "decisions" in expected:
        assert [d["id"] for d in result["decisions"]] == expected["decisions"]
    if "warnings" in expected:
        assert [w["message_en"] for w in result["warnings"]] == expected["warnings"]
    if expected.get("heating") == "none":
        assert result["heating"] is None
    else:
        for key, value in expected.get("heating", {}).items():
            assert result["heating"][key] == value, f"heating {key}"
    if "deferred" in expected:
        deferred = result["deferred"]
        assert deferred["total"] == expected["deferred"]["total"]
        got = [(i["number"], i["amount"], i["due_date"] or "none") for i in deferred["installments"]]
        want = [(i["number"], i["amount"], i["due_date"]) for i in expected["deferred"]["installments"]]
        assert got == want
    else:
        assert result["deferred"]["total"] == "0.00" and result["deferred"]["installments"] == []


def test_there_are_cases_for_every_policy():
    """Every shipped policy and the test-only county_b have worked examples; each shipped one at least five."""
    counts = {}
    for _, case in CASES:
        ref = case.get("policy", "tahe")
        counts[ref] = counts.get(ref, 0) + 1
    shipped = available_policies()
    assert len(shipped) >= 4 and len(counts) >= 5 and "tests/policies/county_b.toml" in counts
    assert {p: counts.get(p, 0) for p in shipped if counts.get(p, 0) < 5} == {}


def test_new_cases_are_worked_by_hand():
    """A case of a policy beyond the first two shows its working and asserts formulas, not only amounts."""
    for name, case in CASES:
        if case.get("policy", "tahe") in ("tahe", "tests/policies/county_b.toml"):
            continue
        expected = case["expected"]
        assert case.get("working", "").count("\n") >= 3 and "net_payable" in expected, name
        assert len(expected.get("factors", {})) >= min(3, len(expected.get("items", {}))), name


@pytest.mark.parametrize("name,case", CASES, ids=[n for n, _ in CASES])
def test_case_through_engine(name, case):
    result = quote(load_policy(policy_ref(case)), **quote_values(case))
    check(case, json.loads(result.model_dump_json()))


@pytest.mark.parametrize("name,case", CASES, ids=[n for n, _ in CASES])
def test_case_through_cli(name, case, capsys):
    status = main(cli_args(case) + ["--format", "json"])
    out = capsys.readouterr().out
    assert status == 0, out
    result = json.loads(out)
    check(case, result)
    policy = load_policy(policy_ref(case)).identity
    assert result["policy"] == {"id": policy.id, "version": policy.version, "sha256": policy.sha256,
                                "approved": policy.approved}
