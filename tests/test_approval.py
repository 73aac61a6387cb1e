"""Approved policies (issue 10, defect 4): the files in policies/ by id, version and SHA-256. A changed copy under the
same id and version is refused; any other policy is marked 未经批准 / not approved, with its hash, on everything it
touches; `policy check` flags a value that contradicts the number its own source quotes."""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys

import openpyxl
import pytest
from app_helpers import ROOT, start, texts
from test_statements import ISSUED, needs_poppler, pdf_text

from calculator import load_policy, quote
from calculator.approval import approved_set
from calculator.batch import load_survey
from calculator.batch.workbook import write_workbook
from calculator.policy import POLICY_DIR, PolicyError, parse_policy
from calculator.source_check import source_conflicts
from calculator.statements import statement_pdf
from calculator.statements.pdf_notice import notice_pdf
from calculator.statements.xlsx_notice import notice_xlsx

TAHE = POLICY_DIR / "tahe.toml"
COUNTY_B = ROOT / "tests" / "policies" / "county_b.toml"
PRICE_300 = 'rate = { value = 300.00, unit = "CNY/m2", label_zh = "结构差价"'
PRICE_400 = 'rate = { value = 400.00, unit = "CNY/m2", label_zh = "结构差价"'
MARK = "未经批准 / not approved"


def tahe_at_400() -> str:
    """The issue's file: tahe.toml with the structure price changed to 400, under the same name, id and version."""
    text = TAHE.read_text("utf-8")
    assert PRICE_300 in text
    return text.replace(PRICE_300, PRICE_400)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calculator", *args], capture_output=True, text=True, cwd=ROOT)


def test_the_approved_set_is_the_files_in_policies():
    approved = approved_set()
    assert approved[("tahe", "2025.1")] == {hashlib.sha256(TAHE.read_bytes()).hexdigest()}
    assert {key[0] for key in approved} == {p.stem for p in POLICY_DIR.glob("*.toml")}
    assert load_policy("tahe").identity.approved and not load_policy(COUNTY_B).identity.approved


def test_a_changed_copy_under_the_same_id_and_version_is_refused():
    with pytest.raises(PolicyError) as caught:
        parse_policy(tahe_at_400().encode("utf-8"), "tahe.toml")
    assert caught.value.refused
    (key, reason), = caught.value.problems
    assert key == "policy.version" and "拒绝使用" in reason and "refused" in reason and "tahe 2025.1" in reason


@pytest.mark.parametrize("command", [["quote", "--original-area", "45", "--unit-area", "48"],
                                     ["statement", "--original-area", "45", "--unit-area", "48"],
                                     ["policy", "check"]])
def test_the_cli_refuses_the_changed_copy_with_exit_2(tmp_path, command):
    copy = tmp_path / "tahe.toml"
    copy.write_text(tahe_at_400(), "utf-8")
    if command[0] == "policy":
        done = cli(*command, str(copy))
        out = done.stdout
    else:
        done = cli(*command, "--policy", str(copy), *(["-o", str(tmp_path / "s.pdf")] if command[0] == "statement" else []))
        out = done.stderr
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "拒绝使用" in out and "refused" in out and "Traceback" not in done.stderr
    assert not (tmp_path / "s.pdf").exists()


def test_the_same_bytes_anywhere_are_the_approved_policy(tmp_path):
    copy = tmp_path / "tahe.toml"
    copy.write_bytes(TAHE.read_bytes())
    done = cli("quote", "--policy", str(copy), "--original-area", "45", "--unit-area", "48", "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["policy"]["approved"] is True
    assert MARK not in cli("quote", "--policy", str(copy), "--original-area", "45", "--unit-area", "48").stdout


def test_an_approved_file_is_known_by_its_hash_without_reading_the_other_policies(tmp_path, monkeypatch):
    """A quote checks approval on every run: the very bytes of a file in policies/ need no TOML parsed but its own."""
    import tomllib

    import calculator.approval as approval

    copy = tmp_path / "tahe_copy.toml"
    copy.write_bytes((POLICY_DIR / "tahe.toml").read_bytes())
    parsed = []
    real = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text, **kw: parsed.append(1) or real(text, **kw))
    approval._approved.cache_clear()
    assert parse_policy(copy.read_bytes(), str(copy)).identity.approved is True
    assert len(parsed) == 1  # the file itself; before, every file in policies/ was parsed too


def test_the_app_refuses_the_changed_copy_at_the_upload():
    at = start("ui/policy_page.py")
    at.file_uploader(key="policy_upload").set_value(("tahe.toml", tahe_at_400().encode("utf-8"), "application/toml")).run()
    assert not at.exception
    assert "拒绝使用" in texts(at.error) and "refused" in texts(at.error)
    assert not at.button  # nothing to use


def test_a_policy_that_is_not_approved_is_marked_on_the_quote_and_the_cli():
    loaded = load_policy(COUNTY_B)
    q = quote(loaded, original_area="41.25", unit_area="45")
    assert q.policy.approved is False  # views only render this
    done = cli("quote", "--policy", str(COUNTY_B), "--original-area", "41.25", "--unit-area", "45", "--lang", "en")
    assert done.returncode == 0 and f"{MARK} · SHA-256 {loaded.identity.sha256}" in done.stdout


@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_statement_under_a_policy_not_approved_says_so_with_its_hash(lang):
    loaded = load_policy(COUNTY_B)
    fullest = quote(loaded, original_area="36.5", unit_area="48", low_income=True, defer=True, move_in_date="2025-10-01")
    text = pdf_text(statement_pdf(fullest, loaded, issued=ISSUED, lang=lang))
    assert text.count(MARK) >= 3  # under the title and in the footer of both pages
    assert len([p for p in text.split("\f") if p.strip()]) == 2  # the mark takes no room: one page, and the glossary
    assert loaded.identity.sha256 in text.replace("\n", "")
    tahe = load_policy("tahe")
    assert MARK not in pdf_text(statement_pdf(quote(tahe, original_area="45", unit_area="48"), tahe, issued=ISSUED))


@needs_poppler
def test_the_workbook_and_the_notice_under_a_policy_not_approved_say_so(tmp_path):
    loaded = load_policy(COUNTY_B)
    run = load_survey(ROOT / "sample_data" / "tahe_survey_messy.xlsx", loaded)
    out = tmp_path / "book.xlsx"
    write_workbook(run, loaded, out)
    params = [[c for c in row if c is not None] for row in openpyxl.load_workbook(out)["参数"].iter_rows(values_only=True)]
    assert ["批准状态", f"{MARK} · SHA-256 {loaded.identity.sha256}"] in params
    assert f"{MARK} · SHA-256 {loaded.identity.sha256}" in pdf_text(notice_pdf(run.settlement, loaded, issued=ISSUED))
    sheet = openpyxl.load_workbook(io.BytesIO(notice_xlsx(run.settlement, loaded, issued=ISSUED))).active
    assert any(MARK in str(c) for row in sheet.iter_rows(max_row=3, values_only=True) for c in row if c)
    tahe = load_policy("tahe")
    write_workbook(load_survey(ROOT / "sample_data" / "tahe_survey_messy.xlsx", tahe), tahe, out)
    params = [[c for c in row if c is not None] for row in openpyxl.load_workbook(out)["参数"].iter_rows(values_only=True)]
    assert ["批准状态", "已批准"] in params


def test_every_page_of_the_app_says_when_the_policy_is_not_approved():
    at = start("ui/policy_page.py")
    assert MARK not in texts(at.warning)
    at.file_uploader(key="policy_upload").set_value(("county_b.toml", COUNTY_B.read_bytes(), "application/toml")).run()
    assert MARK in texts(at.warning)  # said at the upload, before it is used
    at.button[0].click().run()
    sha = load_policy(COUNTY_B).identity.sha256
    for page in ("ui/quote_page.py", "ui/batch_page.py", "ui/policy_page.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert f"{MARK} · SHA-256 {sha}" in texts(at.warning), page


def test_policy_check_flags_a_value_that_contradicts_its_source(tmp_path):
    copy = tmp_path / "tahe_draft.toml"
    copy.write_text(tahe_at_400().replace('version = "2025.1"', 'version = "2025.2-draft"', 1), "utf-8")
    done = cli("policy", "check", str(copy))
    assert done.returncode == 2
    line = next(x for x in done.stdout.splitlines() if "items.structure_difference.rate" in x)
    assert "400" in line and "300" in line and "不符" in line and "is not the number its source quotes" in line
    assert "结构差价" in line and "structure price difference" in line
    # The draft still loads (the check is the officer's tool): it is quoted under the not-approved mark.
    assert load_policy(copy).identity.approved is False


def test_every_policy_file_agrees_with_its_sources():
    for path in [*POLICY_DIR.glob("*.toml"), *(ROOT / "tests" / "policies").glob("*.toml")]:
        assert source_conflicts(load_policy(path).rules) == [], path.name
    done = cli("policy", "check", *map(str, (ROOT / "tests" / "policies").glob("*.toml")))
    assert done.returncode == 0 and done.stdout.count(f"({MARK})") == len(list((ROOT / "tests" / "policies").glob("*.toml")))
