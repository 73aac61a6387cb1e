"""Finding the CJK font: the system font, the PyPI fallback, the operator's choice, and a clear error when none."""
import pytest
from test_statements import ISSUED, needs_poppler, pdf_fonts, pdf_text

from calculator import quote
from calculator.statements import fonts, statement_pdf


@pytest.fixture
def fresh_font(monkeypatch):
    """Forget the registered font before and after, so each test finds its own."""
    fonts.cjk_font.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    fonts.cjk_font.cache_clear()


def test_no_font_anywhere_says_how_to_install_one(fresh_font, tmp_path):
    fresh_font.setattr(fonts, "SYSTEM_FONTS", [(str(tmp_path / "none.ttc"), 0, "Debian fonts-wqy-zenhei")])
    fresh_font.setattr(fonts, "PACKAGE_FONTS", [("no_such_font_package", "fonts/x.ttc", 0, "PyPI nothing")])
    fresh_font.delenv(fonts.FONT_ENV, raising=False)
    with pytest.raises(fonts.FontMissing) as caught:
        fonts.cjk_font()
    message = str(caught.value)
    assert "找不到可嵌入的中文字体" in message and "No embeddable Chinese font" in message
    assert "fonts-wqy-zenhei" in message and "requirements.txt" in message and fonts.FONT_ENV in message
    assert "none.ttc" in message and "no_such_font_package" in message  # what was tried
    ok, line = fonts.font_status()
    assert not ok and "fonts-wqy-zenhei" in line


def test_a_file_that_is_not_a_font_is_skipped_with_the_reason(fresh_font, tmp_path):
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    fresh_font.setattr(fonts, "SYSTEM_FONTS", [(str(junk), 0, "junk")])
    fresh_font.setattr(fonts, "PACKAGE_FONTS", [])
    fresh_font.delenv(fonts.FONT_ENV, raising=False)
    with pytest.raises(fonts.FontMissing, match="not usable"):
        fonts.cjk_font()


@needs_poppler
def test_pypi_font_serves_a_machine_without_system_fonts(fresh_font, tahe, tmp_path):
    """Only Python installed: the pinned wheel's WenQuanYi Micro Hei is found and embedded."""
    fresh_font.setattr(fonts, "SYSTEM_FONTS", [])
    fresh_font.delenv(fonts.FONT_ENV, raising=False)
    font = fonts.cjk_font()
    assert font.origin.startswith("PyPI") and font.path.endswith("wqy-microhei.ttc")
    pdf = statement_pdf(quote(tahe, original_area="45", unit_area="58"), tahe, issued=ISSUED)
    rows = pdf_fonts(pdf, tmp_path)
    assert rows and all(r[-5] == "yes" and "MicroHei" in r[0] for r in rows)
    assert "贰万玖仟伍佰肆拾肆元整" in pdf_text(pdf)


def test_operator_can_choose_the_font(fresh_font):
    chosen = fonts.candidates()[-1][0]  # the wheel's font, wherever it is installed
    fresh_font.setenv(fonts.FONT_ENV, f"{chosen}#0")
    font = fonts.cjk_font()
    assert font.path == chosen and font.origin == f"${fonts.FONT_ENV}"
    assert font.has("壹贰叁") and font.pick("m²", "m2") == "m²"


def test_commands_exit_2_without_a_font(fresh_font, tmp_path, capsys):
    from calculator.cli import main

    fresh_font.setattr(fonts, "SYSTEM_FONTS", [])
    fresh_font.setattr(fonts, "PACKAGE_FONTS", [])
    fresh_font.delenv(fonts.FONT_ENV, raising=False)
    out = tmp_path / "s.pdf"
    assert main(["statement", "--original-area", "45", "--unit-area", "58", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "找不到可嵌入的中文字体" in err and "No embeddable Chinese font" in err and not out.exists()
    survey = tmp_path / "survey.csv"
    survey.write_text("户号,原房屋建筑面积,选择户型\nH1,45,58\nH2,40,40\n", encoding="utf-8")
    assert main(["statements", str(survey), "-o", str(tmp_path / "st"), "--jobs", "2"]) == 2
    assert "No embeddable Chinese font" in capsys.readouterr().err
    assert not (tmp_path / "st").exists()


def test_subset_work_is_reused_and_the_same_bytes(tahe):
    """The font's tables and the subsets already made are kept per process (reportlab internals: a reportlab
    upgrade that renames them fails here), and a kept subset is exactly what reportlab makes."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFontFile

    face = pdfmetrics.getFont(fonts.cjk_font().name).face
    assert "get_table" in vars(face) and "makeSubset" in vars(face)  # the instance's cached versions
    subset = [ord(ch) for ch in "回迁安置结算单0123456789"]
    made = face.makeSubset(subset)
    assert face.makeSubset(list(subset)) is made  # the second time from the cache
    assert made == TTFontFile.makeSubset(face, subset)  # reportlab's own, uncached
    assert face.get_table("glyf") is face.get_table("glyf")
    first = statement_pdf(quote(tahe, original_area="45", unit_area="58"), tahe, issued=ISSUED)
    again = statement_pdf(quote(tahe, original_area="45", unit_area="58"), tahe, issued=ISSUED)
    assert first.count(b"/FontFile2") == again.count(b"/FontFile2") >= 1
