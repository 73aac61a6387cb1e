"""Writing safely: no command writes over its input, and every write error is a bilingual message and exit 2."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from calculator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
HEAD = 12  # the title line, the header and ten households of the sample survey


@pytest.fixture
def survey_csv(tmp_path) -> Path:
    lines = (SAMPLE / "tahe_survey_1200.csv").read_text(encoding="utf-8").splitlines(keepends=True)[:HEAD]
    path = tmp_path / "s.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def survey_xlsx(tmp_path) -> Path:
    path = tmp_path / "s.xlsx"
    shutil.copy(SAMPLE / "tahe_survey_1200.xlsx", path)
    return path


def _untouched(path: Path):
    """A check that `path` still has the bytes and the modification time it has now."""
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    return lambda: (path.read_bytes(), path.stat().st_mtime_ns) == before


def _refused(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "输出文件就是输入文件" in err and "the output is the input file" in err
    return err


@pytest.mark.parametrize("command", [
    lambda s: ["batch", s, "-o", s],
    lambda s: ["statements", s, "-o", s, "--jobs", "1"],
    lambda s: ["notice", s, "-o", s],
])
def test_no_command_writes_over_its_xlsx_input(survey_xlsx, capsys, command):
    same = _untouched(survey_xlsx)
    assert main(command(str(survey_xlsx))) == 2
    _refused(capsys)
    assert same()


def test_batch_refuses_its_csv_input_however_it_is_named(survey_csv, tmp_path, capsys, monkeypatch):
    same = _untouched(survey_csv)
    (tmp_path / "link.csv").symlink_to(survey_csv)
    os.link(survey_csv, tmp_path / "hard.csv")
    monkeypatch.chdir(tmp_path)
    for given, output in [("s.csv", "s.csv"), ("s.csv", "./s.csv"), (str(survey_csv), "s.csv"),
                          ("link.csv", "s.csv"), ("s.csv", "link.csv"), ("s.csv", "hard.csv"),
                          ("s.csv", "../" + tmp_path.name + "/s.csv")]:
        assert main(["batch", given, "-o", output]) == 2, (given, output)
        _refused(capsys)
    assert same()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.csv", "link.csv", "s.csv"]


def test_the_policy_file_is_an_input_too(survey_csv, tmp_path, capsys):
    policy = tmp_path / "p.toml"
    shutil.copy(ROOT / "policies" / "tahe.toml", policy)
    renamed = tmp_path / "p.xlsx"
    policy.rename(renamed)  # a policy file whose name ends in .xlsx, so the extension check lets it through
    same = _untouched(renamed)
    assert main(["batch", str(survey_csv), "--policy", str(renamed), "-o", str(renamed)]) == 2
    _refused(capsys)
    assert same()


def _cannot_write(capsys, zh: str, en: str) -> None:
    err = capsys.readouterr().err
    assert "Traceback" not in err and ".part" not in err
    assert zh in err and en in err, err


def test_a_folder_where_nothing_can_be_written_exits_2(survey_csv, tmp_path, capsys):
    # The tests run as root, who may write anywhere a permission bit forbids: /sys and /proc refuse even root.
    blocker = tmp_path / "plain_file"
    blocker.write_text("a file, not a folder")
    s = str(survey_csv)
    for args in (["batch", s, "-o", "/sys/out.xlsx"], ["batch", s, "-o", "/sys/out.csv"],
                 ["template", "-o", "/sys/t.xlsx"], ["notice", s, "-o", "/sys/n.pdf"],
                 ["statements", s, "-o", "/sys/st.zip", "--jobs", "1"],
                 ["statement", "--original-area", "45", "--unit-area", "58", "-o", "/sys/one.pdf"]):
        assert main(args) == 2, args
        _cannot_write(capsys, "无法写入", "no permission to write there")
    for args in (["batch", s, "-o", "/proc/version/x.xlsx"], ["batch", s, "-o", str(blocker / "out.xlsx")],
                 ["template", "-o", str(blocker / "t.xlsx")]):
        assert main(args) == 2, args
        _cannot_write(capsys, "不是文件夹", "is not a folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain_file", "s.csv"]


def test_a_missing_folder_is_refused_by_every_command(survey_csv, tmp_path, capsys):
    s, missing = str(survey_csv), tmp_path / "missing" / "dir"
    for args in (["batch", s, "-o", str(missing / "r.xlsx")], ["template", "-o", str(missing / "t.xlsx")],
                 ["notice", s, "-o", str(missing / "n.xlsx")], ["statements", s, "-o", str(missing / "st.zip")],
                 ["statements", s, "-o", str(missing / "st"), "--jobs", "1"],
                 ["statement", "--original-area", "45", "--unit-area", "58", "-o", str(missing / "one.pdf")]):
        assert main(args) == 2, args
        _cannot_write(capsys, "输出目录不存在", "the output folder does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


def test_statements_create_their_own_folder_but_not_its_parents(survey_csv, tmp_path, capsys):
    assert main(["statements", str(survey_csv), "-o", str(tmp_path / "st"), "--jobs", "1", "--date", "2026-01-05"]) == 0
    assert len(list((tmp_path / "st").glob("*.pdf"))) == HEAD - 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv", "st"]  # no staging folder left


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("output", ["r.xlsx", "r.csv", "r.jsonl"])
def test_a_full_disk_is_a_message_not_a_traceback(survey_csv, tmp_path, capsys, monkeypatch, output):
    """ENOSPC raised by the file the output is written through, in-process (always runs)."""
    import calculator.batch.output as output_module

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd, mode):
            self.f = real_fdopen(fd, mode)

        def write(self, data):
            _disk_full()

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    monkeypatch.setattr(output_module.os, "fdopen", Full)
    assert main(["batch", str(survey_csv), "-o", str(tmp_path / output)]) == 2
    _cannot_write(capsys, "磁盘空间不足", "the disk is full")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs (needs root and permission to mount; skipped where the sandbox forbids it)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_really_full_disk_leaves_nothing(tiny_disk, survey_csv, capsys):
    survey = str(SAMPLE / "tahe_survey_1200.csv")
    for args in (["batch", survey, "-o", str(tiny_disk / "r.xlsx")], ["batch", survey, "-o", str(tiny_disk / "r.csv")],
                 ["statements", str(survey_csv), "-o", str(tiny_disk / "st.zip"), "--jobs", "1"]):
        assert main(args) == 2, args
        _cannot_write(capsys, "磁盘空间不足", "the disk is full")
        assert list(tiny_disk.iterdir()) == []
