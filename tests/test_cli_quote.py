"""The `quote` command as outside scripts call it: a real process, its stdout, stderr and exit status."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "calculator", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=60)


def test_json_contract_of_example_2():
    done = run("quote", "--original-area", "45", "--unit-area", "58", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"net_payable": "29544.00"' in done.stdout
    result = json.loads(done.stdout)
    assert set(result) >= {"policy", "option", "areas", "items", "net_payable", "due_before_move_in", "deferred",
                           "heating", "warnings"}
    assert set(result["policy"]) == {"id", "version", "sha256", "approved"} and len(result["policy"]["sha256"]) == 64
    assert result["option"] == "in_kind"
    assert set(result["areas"]) == {"original", "standard", "chosen", "one_for_one", "reasonable_extra", "excess",
                                    "shortfall"}
    assert set(result["items"][0]) >= {"code", "label_zh", "label_en", "area", "unit_price", "amount", "source"}
    assert result["heating"] == {**result["heating"], "standard_annual": "2030.00", "annual": "1421.00", "saving": "609.00"}


def test_text_breakdown_in_chinese_and_english():
    zh = run("quote", "--original-area", "45", "--unit-area", "58")
    assert zh.returncode == 0
    for text in ("原面积部分结构差价", "13,500.00", "12,000.00", "¥29,544.00", "贰万玖仟伍佰肆拾肆元整", "四、3", "D5",
                 "45.00 ㎡ × 300.00 元/㎡ = 13,500.00"):
        assert text in zh.stdout
    en = run("quote", "--original-area", "45", "--unit-area", "58", "--lang", "en")
    assert "Net the household pays" in en.stdout and "¥29,544.00" in en.stdout and "reasonable extra area" in en.stdout


def test_cash_option_and_policy_by_path():
    done = run("quote", "--original-area", "60.5", "--cash", "--appraised-price", "2000",
               "--policy", "tests/policies/county_b.toml", "--format", "json")
    result = json.loads(done.stdout)
    assert (result["option"], result["net_payable"], result["heating"]) == ("cash", "-133100.00", None)
    assert result["policy"]["id"] == "county_b"


def test_bad_input_exits_2_with_json_errors_and_stderr():
    done = run("quote", "--original-area", "-3", "--unit-area", "40", "--format", "json")
    assert done.returncode == 2
    assert json.loads(done.stdout) == {"errors": [{"field": "original_area", "value": "-3",
                                                   "message_zh": "原房屋建筑面积必须大于0，输入为 -3",
                                                   "message_en": "original area must be > 0, got -3"}]}
    assert "原房屋建筑面积必须大于0，输入为 -3 / original area must be > 0, got -3" in done.stderr


def test_bad_input_in_text_mode_prints_nothing_on_stdout():
    done = run("quote", "--original-area", "45", "--unit-area", "48", "--defer")
    assert done.returncode == 2 and done.stdout == "" and "not low-income" in done.stderr


def test_unit_area_and_cash_are_exclusive():
    done = run("quote", "--original-area", "45", "--unit-area", "48", "--cash")
    assert done.returncode == 2 and "not allowed with argument" in done.stderr


def test_unknown_policy_is_exit_2():
    done = run("quote", "--original-area", "45", "--unit-area", "48", "--policy", "atlantis", "--format", "json")
    assert done.returncode == 2 and json.loads(done.stdout)["errors"][0]["field"] == "policy"


def _subcommands(parser) -> dict:
    import argparse

    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_each_command_is_built_from_its_own_module_alone():
    """The command line loads only the named command's module: the mapping of modules to commands is every command
    there is, each command's parser is the one the whole command line has, and an unknown command or --help still
    lists them all."""
    from calculator import cli

    everything = _subcommands(cli.build_parser())
    named = [c for commands in cli.COMMAND_MODULES.values() for c in commands]
    assert sorted(named) == sorted(everything) and len(named) == len(set(named))
    for commands in cli.COMMAND_MODULES.values():
        for command in commands:
            alone = _subcommands(cli.build_parser(command))
            assert command in alone and set(alone) <= set(commands)
            assert alone[command].format_help() == everything[command].format_help()
    assert set(_subcommands(cli.build_parser("no-such-command"))) == set(everything)
    assert cli._command(["quote", "--cash"]) == "quote" and cli._command(["--help"]) is None and cli._command([]) is None
    listed = run("--help").stdout
    assert all(command in listed for command in named)
    wrong = run("qoute", "--cash")
    assert wrong.returncode == 2 and "quote" in wrong.stderr and "register" in wrong.stderr
