"""The worked examples (tests/cases/*.toml) through the engine and through the CLI's JSON contract."""
import json

import pytest

from calculator import load_policy, quote
from calculator.cli import main
from case_files import cli_args, load_cases, policy_ref

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


def test_there_are_cases_for_both_policies():
    policies = {case.get("policy", "tahe") for _, case in CASES}
    assert len(CASES) >= 13 and len(policies) == 2


@pytest.mark.parametrize("name,case", CASES, ids=[n for n, _ in CASES])
def test_case_through_engine(name, case):
    result = quote(load_policy(policy_ref(case)), **case["input"])
    check(case, json.loads(result.model_dump_json()))


@pytest.mark.parametrize("name,case", CASES, ids=[n for n, _ in CASES])
def test_case_through_cli(name, case, capsys):
    status = main(cli_args(case) + ["--format", "json"])
    out = capsys.readouterr().out
    assert status == 0, out
    result = json.loads(out)
    check(case, result)
    policy = load_policy(policy_ref(case)).identity
    assert result["policy"] == {"id": policy.id, "version": policy.version, "sha256": policy.sha256}
