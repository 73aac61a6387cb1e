"""csv → csv in bounded memory: a large survey is settled in chunks, with the very output and summary of a whole read."""
from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from calculator.batch import stream, survey
from calculator.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "sample_data" / "tahe_survey_1200.csv"
MESSY_GBK = ROOT / "sample_data" / "tahe_survey_messy_gbk.csv"


def _run(src: Path, out: Path, streamed: bool, monkeypatch, chunk: int = 7) -> tuple[int, list[str], bytes]:
    monkeypatch.setattr(stream, "STREAM_BYTES", 0 if streamed else 10 ** 15)
    monkeypatch.setattr(stream, "CHUNK_ROWS", chunk)
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(["batch", str(src), "-o", str(out)])
    lines = [line for line in buf.getvalue().splitlines() if not line.startswith("已写出")]  # the time differs
    return code, lines, out.read_bytes() if out.exists() else b""


def _dup_survey(tmp_path: Path) -> Path:
    """Ids repeated far apart (other chunks), a blank stretch, a repeated header row and a quoted line break."""
    lines = CLEAN.read_text("utf-8").splitlines()
    body = lines[2:40] + [lines[2], "", ""] + lines[1:5] + [lines[41].replace("江", '"江\n', 1).replace(",", '",', 1)]
    path = tmp_path / "dup.csv"
    path.write_text("\n".join(lines[:2] + body) + "\n", "utf-8")
    return path


@pytest.mark.parametrize("make", [lambda tmp: CLEAN, lambda tmp: MESSY_GBK, _dup_survey], ids=["clean", "messy_gbk", "dups"])
def test_streamed_output_and_summary_equal_a_whole_read(make, tmp_path, monkeypatch):
    src = make(tmp_path)
    chunk = 250 if src == CLEAN else 7
    whole = _run(src, tmp_path / "whole.csv", False, monkeypatch, chunk)
    chunked = _run(src, tmp_path / "chunked.csv", True, monkeypatch, chunk)
    assert whole == chunked
    assert whole[0] in (0, 3) and whole[2].startswith(b"\xef\xbb\xbf")


def test_an_id_repeated_in_another_chunk_rejects_every_row_carrying_it(tmp_path, monkeypatch):
    code, lines, out = _run(_dup_survey(tmp_path), tmp_path / "o.csv", True, monkeypatch)
    assert code == 3
    text = "\n".join(lines)
    assert "household id TH-00001 is repeated (rows 3, 41, 45); every row carrying it is rejected" in text
    assert out.decode("utf-8-sig").count("household id TH-00001 is repeated") == 3


def test_no_chunk_holds_more_than_the_chunk_size(tmp_path, monkeypatch):
    seen = []
    real = survey.settle_grid

    def spy(grid, *args, **kwargs):
        seen.append(len(grid.cells))
        return real(grid, *args, **kwargs)

    monkeypatch.setattr(survey, "settle_grid", spy)
    code, lines, out = _run(CLEAN, tmp_path / "o.csv", True, monkeypatch, chunk=250)
    assert code == 0 and "读取 / read 1200 = 计算 / computed 1200 + 拒绝 / rejected 0" in "\n".join(lines)
    assert seen == [250, 251, 251, 251, 202]  # each chunk; the header row is put back in front of all but the first
    assert out.decode("utf-8-sig").count("\n") == 1201


def test_a_file_mixing_encodings_across_blocks_is_refused(tmp_path, monkeypatch, capsys):
    lines = CLEAN.read_text("utf-8").splitlines()
    src = tmp_path / "mixed.csv"
    src.write_bytes("\n".join(lines[:30]).encode("gbk") + b"\n" + "\n".join(lines[30:60]).encode("utf-8") + b"\n")
    monkeypatch.setattr(stream, "BLOCK_BYTES", 512)
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    assert main(["batch", str(src), "-o", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "文件混用了UTF-8和GBK两种编码" in err and "mixes UTF-8 and GBK" in err
    assert not (tmp_path / "o.csv").exists()


def test_ragged_rows_are_read_whole_instead(tmp_path, monkeypatch):
    lines = CLEAN.read_text("utf-8").splitlines()
    src = tmp_path / "ragged.csv"
    src.write_text("\n".join(lines[:20] + [lines[20] + ",extra,cells"] + lines[21:30]) + "\n", "utf-8")
    assert _run(src, tmp_path / "a.csv", False, monkeypatch) == _run(src, tmp_path / "b.csv", True, monkeypatch)


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path, monkeypatch):
    src = tmp_path / "survey.csv"
    src.write_bytes((ROOT / "sample_data" / "tahe_survey_messy.xlsx").read_bytes())
    assert not stream.streamable(src, "csv")
    code, lines, _ = _run(src, tmp_path / "o.csv", True, monkeypatch)
    assert code == 3 and "(xlsx" in lines[0]


def test_a_write_failing_in_the_writer_thread_refuses_the_output_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    from calculator.batch import machine

    real, calls = machine.write_csv_part, []

    def fails_third(cols, out, first):
        calls.append(first)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(cols, out, first)

    monkeypatch.setattr(machine, "write_csv_part", fails_third)
    code, _, out = _run(CLEAN, tmp_path / "o.csv", True, monkeypatch, chunk=250)
    assert code == 2 and out == b"" and calls == [True, False, False]
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "the disk is full" in err and "nothing was written" in err
    assert list(tmp_path.iterdir()) == []


def test_a_stop_while_a_chunk_is_being_written_leaves_nothing(tmp_path, monkeypatch, capsys):
    real, seen = survey.settle_grid, []

    def stops_third(grid, *args, **kwargs):
        seen.append(len(grid.cells))
        if len(seen) == 3:  # the second chunk's csv is being written in the other thread
            raise KeyboardInterrupt
        return real(grid, *args, **kwargs)

    monkeypatch.setattr(survey, "settle_grid", stops_third)
    code, _, out = _run(CLEAN, tmp_path / "o.csv", True, monkeypatch, chunk=250)
    assert code == 130 and out == b"" and len(seen) == 3
    assert "interrupted; no half-written file is left" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
