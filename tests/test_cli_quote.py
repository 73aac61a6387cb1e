"""The `quote` command as outside scripts call it: a real process, its stdout, stderr and exit status."""
import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calculator import cli

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


def run_lines(stdin: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calculator", "quote", "--stdin", *args], cwd=ROOT, input=stdin,
                          capture_output=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60)


HOUSEHOLDS = [  # (a line's values, the same household as command-line options)
    ({"household_id": "H1", "original_area": 62.5, "unit_area": "75", "appraised_price": 6000,
      "move_in_date": "2026-06-01"},
     ["--household-id", "H1", "--original-area", "62.5", "--unit-area", "75", "--appraised-price", "6000",
      "--move-in", "2026-06-01"]),
    ({"original_area": "36.5", "unit_area": 40, "low_income": True, "defer": True, "move_in_date": "2025-10-01"},
     ["--original-area", "36.5", "--unit-area", "40", "--low-income", "--defer", "--move-in", "2025-10-01"]),
    ({"original_area": 45.3, "option": "cash", "appraised_price": "2150", "unit_area": None},
     ["--original-area", "45.3", "--cash", "--appraised-price", "2150"]),
]


def test_households_as_lines_are_answered_as_the_command_line_answers_each():
    """quote --stdin: one JSON line a household in, its Quote as one JSON line out, the same Quote as `quote
    --format json` with the same values as options (45.3 read as typed, not as a binary fraction; null: not given)."""
    lines = "".join(json.dumps(values) + "\n" for values, _ in HOUSEHOLDS).encode()
    done = run_lines(lines)
    assert done.returncode == 0, done.stderr.decode()
    answers = done.stdout.decode().splitlines()
    assert len(answers) == len(HOUSEHOLDS)
    for answer, (_, options) in zip(answers, HOUSEHOLDS):
        alone = run("quote", *options, "--format", "json")
        assert alone.returncode == 0
        assert json.loads(answer) == json.loads(alone.stdout)
    assert json.loads(answers[2])["areas"]["original"] == "45.30"
    assert json.loads(answers[0])["household_id"] == "H1" and json.loads(answers[0])["net_payable"] == "34000.00"


def test_a_line_that_is_not_a_household_is_answered_with_its_errors_and_the_others_still_quoted():
    """Every non-blank line gets one answer, in order: its Quote, or its line number and errors (in Chinese and
    English, naming the field and value); stderr names the lines; exit 3 as a batch with rejected rows."""
    lines = (b'{"original_area": "45", "unit_area": "58"}\n'
             b"\n"
             b"not json\n"
             b"[1, 2]\n"
             b'{"original_area": "abc", "unit_area": "58"}\n'
             b'{"loaded": 1, "cls": 2, "original_area": "45", "unit_area": "58"}\n'
             b'{"original_area": "\xff\xfe"}\n'
             + b"[" * 100000 + b"\n"
             + b'\xef\xbb\xbf{"original_area": "60", "option": "cash", "appraised_price": "2150"}\n')
    done = run_lines(lines)
    assert done.returncode == 3
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [a.get("line") for a in answers] == [None, 3, 4, 5, 6, 7, 8, None]
    assert answers[0]["net_payable"] == "29544.00" and answers[-1]["option"] == "cash"
    errors = {a["line"]: a["errors"] for a in answers if "line" in a}
    assert "JSON" in errors[3][0]["message_en"] and "JSON" in errors[3][0]["message_zh"]
    assert errors[4][0]["message_en"] == "this line must be a JSON object ({…})"
    assert errors[5] == [{"field": "original_area", "value": "abc", "message_zh": "原房屋建筑面积不是有效数字，输入为 abc",
                          "message_en": "original area must be a number, got abc"}]
    assert sorted(e["field"] for e in errors[6]) == ["cls", "loaded"]
    assert errors[7][0]["message_en"] == "this line is not UTF-8 text"
    assert errors[8][0]["message_en"] == "this line is nested too deeply"
    stderr = done.stderr.decode()
    assert all(f"line {n}:" in stderr for n in errors) and "Traceback" not in stderr


def test_stdin_refuses_household_options_and_a_broken_policy(tmp_path):
    with_options = run_lines(b'{"original_area": "45"}\n', "--original-area", "45")
    assert with_options.returncode == 2 and with_options.stdout == b"" and "--stdin" in with_options.stderr.decode()
    broken = tmp_path / "broken.toml"
    broken.write_text("[policy\n", encoding="utf-8")
    refused = run_lines(b'{"original_area": "45"}\n', "--policy", str(broken))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr.decode()
    assert json.loads(refused.stdout)["errors"][0]["field"] == "policy"


def test_each_line_is_answered_before_the_next_is_sent():
    """A program can ask household after household over one process: each answer is written (and flushed) as soon
    as its line is read, before standard input ends."""
    process = subprocess.Popen([sys.executable, "-m", "calculator", "quote", "--stdin"], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        for area, net in (("45", "29544.00"), ("50.5", None)):
            process.stdin.write(json.dumps({"original_area": area, "unit_area": "58"}).encode() + b"\n")
            process.stdin.flush()
            answer = json.loads(process.stdout.readline())  # blocks until this household is answered
            assert answer["areas"]["original"] == f"{float(area):.2f}"
            assert net is None or answer["net_payable"] == net
        process.stdin.close()
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()


def test_declared_inputs_in_a_line_are_read_as_the_command_lines_and_a_wrong_shape_is_named():
    """A policy's declared inputs as the line's `inputs` object (numbers read from their text): the Quote of the
    same options; an `inputs` that is not an object of plain values is refused by name, not guessed at."""
    line = {"original_area": "78.36", "unit_area": "89.47", "appraised_price": 8123.45,
            "inputs": {"new_flat_price": 7600, "transition_months": 22, "signing_date": "2026-03-20"}}
    wrong = [{"original_area": "45", "inputs": [1, 2]}, {"original_area": "45", "inputs": {"transition_months": [22]}}]
    done = run_lines("".join(json.dumps(v) + "\n" for v in [line, *wrong]).encode(), "--policy", "expropriation_2011")
    assert done.returncode == 3
    first, *refused = [json.loads(a) for a in done.stdout.decode().splitlines()]
    alone = run("quote", "--policy", "expropriation_2011", "--original-area", "78.36", "--unit-area", "89.47",
                "--appraised-price", "8123.45", "--input", "new_flat_price=7600", "--input", "transition_months=22",
                "--input", "signing_date=2026-03-20", "--format", "json")
    assert first == json.loads(alone.stdout) and first["net_payable"] == "-7948.34"
    assert [(r["line"], [e["field"] for e in r["errors"]]) for r in refused] == [(2, ["inputs"]), (3, ["inputs"])]


def test_a_reader_that_stops_reading_ends_the_lines_quietly():
    """`quote --stdin | head -1`: once the reader has gone, the command stops with the status a pipe's writer gets
    from the shell's tools (128 + SIGPIPE), and no traceback. It printed one before."""
    process = subprocess.Popen([sys.executable, "-m", "calculator", "quote", "--stdin"], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    line = json.dumps({"original_area": "45", "unit_area": "58"}).encode() + b"\n"
    try:
        process.stdin.write(line)
        process.stdin.flush()
        assert json.loads(process.stdout.readline())["net_payable"] == "29544.00"
        process.stdout.close()  # the reader goes away; the lines keep coming
        with contextlib.suppress(BrokenPipeError):
            process.stdin.write(line * 200)
            process.stdin.close()
        assert process.wait(timeout=60) == 141
        assert process.stderr.read().decode() == ""
    finally:
        process.kill()


def test_the_program_ends_without_teardown_but_with_all_its_output_and_status():
    """`python -m calculator quote` ends without Python's teardown (cli.exit_now): what it printed is all there, as
    the same command run in this process prints it, and its exit status is the command's (0, or 2 for bad input)."""
    args = ["quote", "--original-area", "62.5", "--unit-area", "75", "--appraised-price", "6000", "--format", "json"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(args) == 0
    done = run(*args)
    assert done.returncode == 0 and done.stdout == out.getvalue() and len(done.stdout) > 2000
    bad = run("quote", "--original-area", "-5", "--format", "json")
    assert bad.returncode == 2 and json.loads(bad.stdout)["errors"][0]["field"] == "original_area"
    assert "原房屋建筑面积必须大于0，输入为 -5 / original area must be > 0, got -5" in bad.stderr


def test_lines_are_read_with_the_garbage_collector_on_and_start_up_left_out_of_it():
    """As a program, a quote runs with the garbage collector off (it ends at once when done); `--stdin` turns it back
    on for its lines, which may run for hours, with what start-up made frozen out of its collections."""
    script = ("import gc, sys; from calculator import cli, cli_quote; lines = cli_quote.quote_lines\n"
              "def watched(*a):\n"
              "    status = lines(*a)\n"
              "    print(gc.isenabled(), gc.get_freeze_count() > 10000, file=sys.stderr)\n"
              "    return status\n"
              "cli_quote.quote_lines = watched\n"
              "sys.exit(cli.main(['quote', '--stdin'], as_program=True))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, input=b'{"original_area": "45", "unit_area": "58"}\n',
                          capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stderr.decode().split() == ["True", "True"]
    assert json.loads(done.stdout)["areas"]["original"] == "45.00"


def test_a_broken_pipe_that_is_not_the_readers_is_not_taken_for_it(monkeypatch):
    """Only a closed standard output ends a command quietly; a broken pipe elsewhere (a worker's, a connection's)
    with standard output still read is a failure, and not hidden behind 141."""
    from calculator import cli_quote

    def broken(args):
        raise BrokenPipeError("a worker's pipe")
    monkeypatch.setattr(cli_quote, "run", broken)
    with pytest.raises(BrokenPipeError):
        cli.main(["quote", "--cash"])
