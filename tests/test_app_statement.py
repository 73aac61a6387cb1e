"""The counter's statement download (ui/statement.py): it prints the quote last drawn, stamped with its check code."""
from __future__ import annotations

import inspect
import re
import shutil
import subprocess

import pytest

from calculator import load_policy, quote
from calculator.statements import font_status
from ui.statement import Desk, Shown, latest_statement


def test_nothing_on_screen_prints_nothing():
    # the last run showed an input error: the download fails rather than print an earlier quote
    with pytest.raises(ValueError):
        latest_statement(None, Desk())


@pytest.mark.skipif(not font_status()[0] or not shutil.which("pdftotext"), reason="needs a CJK font and pdftotext")
def test_the_statement_carries_the_check_code_of_the_quote(tmp_path):
    tahe = load_policy("tahe")
    q = quote(tahe, original_area="46.5", option="in_kind", unit_area="48")
    desk = Desk()
    desk.show(Shown(q, tahe, "王五", "zh"))
    target = tmp_path / "s.pdf"
    target.write_bytes(latest_statement(None, desk))
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                                               check=True).stdout)
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", q.check_code())
    assert f"核对码{q.check_code()}" in text and "16,314.00" in text and "王五" in text
    other = quote(tahe, original_area="45", option="in_kind", unit_area="48")
    assert other.check_code() != q.check_code()
    assert quote(tahe, original_area="46.50", option="in_kind", unit_area="48.00").check_code() == q.check_code()


def test_streamlit_still_has_the_session_attribute_the_wait_reads():
    # ui.statement.runs_going reads AppSession._scriptrunner (no public call says whether a run is queued):
    # an upgrade that renames it must break here, not silently print an older quote.
    from streamlit.runtime.app_session import AppSession

    assert "self._scriptrunner: ScriptRunner | None = None" in inspect.getsource(AppSession.__init__)
    assert "self._scriptrunner" in inspect.getsource(AppSession.request_rerun)
    assert "self._scriptrunner = ScriptRunner(" in inspect.getsource(AppSession._create_scriptrunner)
