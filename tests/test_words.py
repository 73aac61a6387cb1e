"""Words a resident and a clerk read (issue 10, defects 6 and 7): one sign convention (应交 / 应领 with positive
amounts), statement titles by option, a glossary on the statement's back page and on every app page, the heating
fee per heating season (采暖期), the statement in the page's language, and no code name, file path or Python repr
on a statement, a workbook, the policy page, the batch page or the CLI."""
from __future__ import annotations

import re
import subprocess
import sys
from types import SimpleNamespace

import openpyxl
import pytest
from app_helpers import ROOT, html_text, start, texts
from test_statements import ISSUED, needs_poppler, pdf_text

from calculator import load_policy, quote
from calculator.batch import load_survey
from calculator.batch.workbook import write_workbook
from calculator.glossary import glossary
from calculator.policy import parse_policy
from calculator.render_text import TEXT as CLI_TEXT, render_quote
from calculator.statements import statement_pdf
from calculator.statements.labels import TEXT as STATEMENT_TEXT
from calculator.statements.notice_pdf import notice_pdf
from ui.i18n import STRINGS
from ui.policy_view import value_rows

COUNTY_B = ROOT / "tests" / "policies" / "county_b.toml"
WITH_INPUTS = ROOT / "tests" / "policies" / "with_inputs.toml"
# A minus in front of an amount (not the hyphen of a date or a clause such as "四、3")
BARE_MINUS = re.compile(r"(?<![\w\d-])[-−]\s?¥?\d")
# What code looks like: snake_case words, file names and paths, Python reprs
CODE_LIKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b|\.txt\b|\.toml\b|seed/|policies/|Decimal\(|\{'|\bNone\b|\bTrue\b|\bFalse\b")


def code_like(text: str, *allowed: str) -> list[str]:
    for word in allowed:  # the policy's id is printed on purpose: the result names its policy (e.g. county_b)
        text = text.replace(word, "")
    return CODE_LIKE.findall(text)


def cash(loaded):
    return quote(loaded, original_area="52.3", option="cash", appraised_price="2150")


# ---- defect 6: signs, titles, glossary, heating season, language ----------------------------------------------

@needs_poppler
@pytest.mark.parametrize("lang, in_kind, cash_title", [("zh", "回迁安置结算单", "货币补偿结算单"),
                                                      ("en", "In-kind resettlement statement", "Cash compensation statement")])
def test_the_statement_is_titled_by_its_option(tahe, lang, in_kind, cash_title):
    flat = pdf_text(statement_pdf(cash(tahe), tahe, issued=ISSUED, lang=lang))
    assert cash_title in flat and in_kind not in flat
    flat = pdf_text(statement_pdf(quote(tahe, original_area="45", unit_area="48"), tahe, issued=ISSUED, lang=lang))
    assert in_kind in flat and cash_title not in flat


@needs_poppler
@pytest.mark.parametrize("lang, receives", [("zh", "应领 112,445.00"), ("en", "receives 112,445.00")])
def test_no_bare_minus_in_front_of_a_resident(tahe, messy_run, lang, receives):
    """The cash household receives 112,445.00: the statement, the CLI text and the notice say so, with no minus."""
    text = pdf_text(statement_pdf(cash(tahe), tahe, issued=ISSUED, lang=lang))
    assert receives in text and not BARE_MINUS.findall(text)
    cli = render_quote(cash(tahe), tahe, lang=lang)
    assert receives in cli and not BARE_MINUS.findall(cli)
    notice = pdf_text(notice_pdf(messy_run.settlement, tahe, issued=ISSUED, lang=lang))
    assert not BARE_MINUS.findall(notice)
    for words in (STATEMENT_TEXT, {k: v for k, v in STRINGS.items() if not k.startswith("q.")}):
        assert not [k for k, pair in words.items() if any("负数" in w or "negative" in w for w in pair)]


@needs_poppler
@pytest.mark.parametrize("lang, title", [("zh", "术语说明"), ("en", "Glossary")])
def test_the_glossary_is_the_statements_back_page(tahe, lang, title):
    text = pdf_text(statement_pdf(quote(tahe, original_area="45", unit_area="48"), tahe, issued=ISSUED, lang=lang))
    *_, back = [page for page in text.split("\f") if page.strip()]
    assert title in back
    flat = re.sub(r"\s+", "", back)
    for term in glossary(tahe.rules):
        assert re.sub(r"\s+", "", term.term(lang)) in flat
    for must in ("上靠户型", "合理享受面积", "结构差价", "超面积", "低保户", "缓交", "采暖期"):
        assert must in {t.term_zh for t in glossary(tahe.rules)}


def test_a_policy_adds_or_replaces_glossary_entries():
    text = COUNTY_B.read_text("utf-8") + (
        '\n[[glossary]]\nterm_zh = "上靠户型"\nterm_en = "next unit type up"\ntext_zh = "本县的说法：向上取最近的户型。"\n'
        'text_en = "Here: the nearest type above."\n\n[[glossary]]\nterm_zh = "过渡费"\nterm_en = "transition allowance"\n'
        'text_zh = "搬迁期间的临时安置补助。"\ntext_en = "Help with housing while the new flat is built."\n')
    terms = {t.term_zh: t for t in glossary(parse_policy(text.encode("utf-8"), "county_b.toml").rules)}
    assert terms["上靠户型"].text_zh == "本县的说法：向上取最近的户型。" and terms["过渡费"].text_en.startswith("Help")
    assert list(terms).count("上靠户型") == 1


@pytest.mark.parametrize("page", ["ui/quote_page.py", "ui/batch_page.py", "ui/policy_page.py"])
@pytest.mark.parametrize("lang, title, term", [("zh", "术语说明", "上靠户型"), ("en", "Glossary", "next unit type up")])
def test_the_glossary_is_reachable_from_every_page(page, lang, title, term):
    at = start(page, lang=lang)
    expander = next(e for e in at.sidebar.expander if e.label == title)
    assert term in texts(expander.markdown)


def test_the_heating_fee_is_named_per_heating_season_everywhere(tahe, tmp_path):
    words = [w for pairs in (STRINGS.values(), STATEMENT_TEXT.values(), [tuple(CLI_TEXT["zh"].values()),
                                                                           tuple(CLI_TEXT["en"].values())])
             for pair in pairs for w in pair]
    assert not [w for w in words if "每季" in w or "每个采暖期" in w or "annual" in w.lower()
                or re.search(r"per season|per heating(?! season)", w)]
    q = quote(tahe, original_area="45", unit_area="48")
    assert "取暖费（每采暖期，不计入结算）" in render_quote(q, tahe)
    assert "Heating fee (per heating season" in render_quote(q, tahe, lang="en")
    run = load_survey(ROOT / "sample_data" / "tahe_survey_messy.xlsx", tahe)
    out = tmp_path / "book.xlsx"
    write_workbook(run, tahe, out)
    header = [c.value for c in openpyxl.load_workbook(out, read_only=True)["结算明细"][1]]
    assert "取暖费（元/采暖期）" in header and not [h for h in header if h and "年取暖费" in h]
    at = start("ui/quote_page.py")
    at.text_input(key="q_original_area").set_value("45").run()
    assert "每采暖期取暖费" in {m.label for m in at.metric}


@needs_poppler
def test_the_statement_download_is_in_the_pages_language(tahe, monkeypatch):
    """The PDF is made after the page is drawn, when the page's language can no longer be read: the English page
    must still give the English statement."""
    import ui.quote_page as page

    made = {}
    monkeypatch.setattr(page, "lang", lambda: "en")  # the page is drawn in English …
    monkeypatch.setattr(page.st, "download_button", lambda label, data, **kw: made.setdefault("data", data))
    page.statement_button(quote(tahe, original_area="45", unit_area="48"), tahe, SimpleNamespace(name=""))
    monkeypatch.setattr(page, "lang", lambda: "zh")  # … and the file is made outside that run
    text = pdf_text(made["data"]())
    assert "In-kind resettlement statement" in text and "回迁安置结算单" not in text


# ---- defect 7: nothing internal in front of a user --------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_statements_hold_no_code_path_or_repr(tahe, county_b, lang):
    for loaded, q in ((tahe, cash(tahe)), (tahe, quote(tahe, original_area="36.5", unit_area="40", low_income=True,
                                                                 defer=True)),
                      (county_b, quote(county_b, original_area="41.25", unit_area="45")),
                      (load_policy(WITH_INPUTS), quote(load_policy(WITH_INPUTS), original_area="50", unit_area="70",
                                                       inputs={"persons": "4"}))):
        text = pdf_text(statement_pdf(q, loaded, issued=ISSUED, lang=lang))
        assert code_like(text, q.policy.id) == [], q.policy.id


def test_the_workbook_holds_no_code_path_or_repr(tahe, messy_run, tmp_path):
    out = tmp_path / "book.xlsx"
    for lang in ("zh", "en"):
        write_workbook(messy_run, tahe, out, lang=lang)
        book = openpyxl.load_workbook(out, read_only=True)
        found = []
        for ws in book.worksheets:
            for row in ws.iter_rows(values_only=True):
                found += [(ws.title, c) for c in row if isinstance(c, str) and code_like(c, "tahe_survey_messy.xlsx")]
        assert found == [], found[:10]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_policy_page_holds_no_code_path_or_repr(lang):
    at = start("ui/policy_page.py", lang=lang)
    text = html_text(at) + texts(at.markdown) + " ".join(at.selectbox(key="policy_choice").options)
    text = re.sub(r"<style.*?</style>|\.st[\w-]+|anzhi-[\w-]+", "", text, flags=re.S)
    assert code_like(text) == []
    page = html_text(at)
    assert "structure_difference" not in page and "reasonable_extra" not in page  # labels, not keys
    for path in (ROOT / "policies").glob("*.toml"):  # the Chinese table quotes no English source
        assert not [row for row in value_rows(load_policy(path).rules) if re.search(r"[A-Za-z]{3,}", row[4])], path.name


def test_the_batch_page_names_columns_by_label(tmp_path):
    at = start("ui/batch_page.py")
    at.button(key="batch_sample_run").click().run()
    recognized = at.dataframe[0].value
    assert not [v for v in recognized["识别为"] if code_like(str(v))]


@pytest.mark.parametrize("args, words", [
    (["--original-area", "abc", "--unit-area", "48"], "original area must be a number"),
    (["--original-area", "-3", "--unit-area", "48"], "original area must be > 0"),
    (["--original-area", "45"], "chosen unit area is required"),
    (["--original-area", "45", "--cash"], "appraised price is required"),
    (["--original-area", "45", "--unit-area", "48", "--defer"], "defer"),
    (["--original-area", "45", "--unit-area", "48", "--move-in", "1800-01-01"], "move-in date must be between"),
    (["--original-area", "45", "--unit-area", "48", "--policy", str(WITH_INPUTS), "--input", "persons=abc"],
     "must be a whole number"),
])
def test_cli_messages_name_fields_by_label(args, words):
    done = subprocess.run([sys.executable, "-m", "calculator", "quote", *args], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and words in done.stderr
    assert code_like(done.stderr) == [], done.stderr
    assert "[" not in done.stderr and "(persons)" not in done.stderr  # no "[field]" tag, no code beside a label
    assert any("\u4e00" <= ch <= "\u9fff" for ch in done.stderr)


@pytest.mark.parametrize("misspelt, meant", [("efficient_ratio = ", "efficient_ratio"), ("deferrable = true", "deferrable"),
                                             ("[heating]", "heating")])
def test_a_misspelt_policy_key_is_named_with_did_you_mean(tmp_path, misspelt, meant):
    typo = {"efficient_ratio = ": "efficient_ration = ", "deferrable = true": "deferable = true",
            "[heating]": "[heatin]"}[misspelt]
    path = tmp_path / "county.toml"
    path.write_text((ROOT / "policies" / "tahe.toml").read_text("utf-8").replace(misspelt, typo, 1)
                    .replace('version = "2025.1"', 'version = "draft"', 1), "utf-8")
    done = subprocess.run([sys.executable, "-m", "calculator", "policy", "check", str(path)], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 2
    assert f"did you mean '{meant}'? / 是否应为 {meant}？" in done.stdout
    assert not re.search(r"Decimal\(|\{'|\bTrue\b|\bFalse\b", done.stdout)
