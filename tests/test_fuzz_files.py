"""Mutated survey files (csv bytes, xlsx members) and mutated policies through the real CLI, in process: every run
ends with exit 0, 2 or 3 and a message, never an exception. A few also run as a real process: no traceback."""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from calculator.cli import main
from fuzzing import fuzz_examples
from test_policy_fuzz import mutate

ROOT = Path(__file__).resolve().parent.parent
MESSY_GBK = (ROOT / "sample_data" / "tahe_survey_messy_gbk.csv").read_bytes()
SMALL_UTF8 = b"\n".join((ROOT / "sample_data" / "tahe_survey_1200.csv").read_bytes().splitlines()[:12]) + b"\n"
TAHE = (ROOT / "policies" / "tahe.toml").read_text("utf-8")
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                database=None)


def small_xlsx() -> bytes:
    """Ten households as an xlsx (openpyxl: shared strings, styles, a second sheet)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "调查表"
    for line in SMALL_UTF8.decode("utf-8").splitlines()[1:]:
        sheet.append([float(c) if c.replace(".", "", 1).isdigit() and len(c) < 10 else c for c in line.split(",")])
    book.create_sheet("说明").append(["填表说明"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = small_xlsx()


def mutate_bytes(data: bytes, draw) -> bytes:
    """One to five byte edits: flips, insertions, deletions, a truncation, a stray CR or NUL."""
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "special"]))
        at = draw(st.integers(0, len(data)))
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif kind == "truncate":
            data = data[:at]
        else:
            data = data[:at] + draw(st.sampled_from([b"\r", b"\x00", b'"', b",", b"\n\n", "４５_0".encode(), b"\xff\xfe",
                                                      "鐜嬩簲".encode("gbk"), b"1e400", b"\t"])) + data[at:]
    return data


def mutate_xlsx(data: bytes, draw) -> bytes:
    """Edit the workbook's parts: a member's bytes, a member dropped or emptied, or the zip itself."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {name: z.read(name) for name in z.namelist()}
    kind = draw(st.sampled_from(["member", "member", "drop", "empty", "raw", "dimension"]))
    if kind == "raw":
        return mutate_bytes(data, draw)
    name = draw(st.sampled_from(sorted(members)))
    if kind == "member":
        members[name] = mutate_bytes(members[name], draw)
    elif kind == "drop":
        del members[name]
    elif kind == "empty":
        members[name] = b""
    else:
        sheet = "xl/worksheets/sheet1.xml"
        ref = draw(st.sampled_from(["A1:XFD1048576", "A1:F200001", "A1", "ZZZZ9", "A0:B-1"]))
        members[sheet] = members[sheet].replace(b'<dimension ref="', f'<dimension ref="{ref}" x="'.encode(), 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for member, body in members.items():
            z.writestr(member, body)
    return out.getvalue()


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """The CLI in this process; an exception escaping it fails the test (that is the point)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def check_run(code: int, out: str, err: str, target: Path) -> None:
    assert code in (0, 2, 3), (code, out, err)
    if code == 2:
        assert "错误 / error" in err and "Traceback" not in err, err
        assert not target.exists()
    else:
        assert "已写出 / written" in out and target.exists()


@settings(max_examples=fuzz_examples(12), **SETTINGS)
@given(data=st.data())
def test_mutated_csv_ends_with_a_message(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("csv")
    source = data.draw(st.sampled_from([MESSY_GBK, SMALL_UTF8]))
    src = tmp / "survey.csv"
    src.write_bytes(mutate_bytes(source, data.draw))
    target = tmp / data.draw(st.sampled_from(["out.csv", "out.xlsx", "out.jsonl"]))
    check_run(*run_cli(["batch", str(src), "-o", str(target)]), target)


@settings(max_examples=fuzz_examples(12), **SETTINGS)
@given(data=st.data())
def test_mutated_xlsx_ends_with_a_message(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("xlsx")
    src = tmp / "survey.xlsx"
    src.write_bytes(mutate_xlsx(XLSX, data.draw))
    target = tmp / data.draw(st.sampled_from(["out.csv", "out.xlsx"]))
    check_run(*run_cli(["batch", str(src), "-o", str(target)]), target)


@settings(max_examples=fuzz_examples(8), **SETTINGS)
@given(data=st.data())
def test_mutated_policy_through_the_cli_ends_with_a_message(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("policy")
    policy = tmp / "policy.toml"
    policy.write_bytes(mutate(TAHE, data.draw).encode("utf-8", errors="surrogateescape"))
    command = data.draw(st.sampled_from(["quote", "batch"]))
    if command == "quote":
        code, out, err = run_cli(["quote", "--policy", str(policy), "--original-area", "45", "--unit-area", "58"])
        assert code in (0, 2), (code, out, err)
        assert (code == 0 and out) or ("错误 / error" in err and "Traceback" not in err), (code, out, err)
        return
    src = tmp / "survey.csv"
    src.write_bytes(SMALL_UTF8)
    target = tmp / "out.csv"
    check_run(*run_cli(["batch", str(src), "-o", str(target), "--policy", str(policy)]), target)


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_files_in_a_real_process_print_no_traceback(tmp_path, seed):
    import random

    rng = random.Random(seed)
    data = bytearray(MESSY_GBK if seed % 2 else SMALL_UTF8)
    for _ in range(8):
        data[rng.randrange(len(data))] = rng.randrange(256)
    src = tmp_path / ("survey.csv" if seed < 2 else "survey.xlsx")
    src.write_bytes(bytes(data) if seed < 2 else XLSX[: len(XLSX) // 2])
    done = subprocess.run([sys.executable, "-m", "calculator", "batch", str(src), "-o", str(tmp_path / "o.csv")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode in (0, 2, 3), done.stderr
    assert "Traceback" not in done.stderr and (done.returncode != 2 or "错误 / error" in done.stderr)


@pytest.mark.parametrize("damage", ["no workbook part", "sheet xml cut short"])
def test_a_damaged_workbook_found_by_the_fuzzer_is_exit_2(tmp_path, damage):
    with zipfile.ZipFile(io.BytesIO(XLSX)) as z:
        members = {name: z.read(name) for name in z.namelist()}
    if damage == "no workbook part":
        del members["xl/workbook.xml"]
    else:
        members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"][:300]
    src = tmp_path / "survey.xlsx"
    with zipfile.ZipFile(src, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    code, out, err = run_cli(["batch", str(src), "-o", str(tmp_path / "o.csv")])
    assert code == 2 and "Traceback" not in err
    assert any(text in err for text in ("工作簿中没有工作表", "电子表格已损坏", "无法打开电子表格", "工作表已损坏")), err


def test_a_stray_carriage_return_found_by_the_fuzzer_is_not_a_traceback(tmp_path):
    src = tmp_path / "survey.csv"
    src.write_bytes(b"\r" + MESSY_GBK)
    code, out, err = run_cli(["batch", str(src), "-o", str(tmp_path / "o.csv")])
    assert code in (0, 2, 3) and "Traceback" not in err and "_csv" not in err + out
