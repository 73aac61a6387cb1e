"""Settlement statement PDFs: every figure of the quote printed to the fen, 大写, dates, consequences, embedded font."""
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from decimal import Decimal

import pytest
from case_files import load_cases, policy_ref

from calculator import load_policy, quote, units
from calculator.capital import to_capital
from calculator.statements import statement_pdf
from calculator.statements.layout import amount_text
from calculator.wording import signed_text

ISSUED = dt.date(2026, 11, 25)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext reads it (what a resident's viewer would show), spaces collapsed."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"[ \t]+", " ", out.stdout.decode("utf-8"))


def flat_text(pdf: bytes) -> str:
    """The PDF's text in reading order with all whitespace removed: a label wrapped inside a cell reads whole."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))


def pdf_fonts(pdf: bytes, tmp_path) -> list[list[str]]:
    """The rows of `pdffonts`: name, type, encoding, emb, sub, uni, object, generation."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdf_pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


GLOSSARY_PAGES = 1  # the back page: the glossary (术语说明)


def figures(q) -> list[str]:
    """Every amount and area the quote holds, as the statement prints them (a signed amount as 应交 / 应领)."""
    out = [signed_text(q.net_payable)]
    for item in q.items:  # every factor in yuan or m² (counts and shares print as they are), and the amount
        out += [amount_text(f.value) for f in item.factors if units.decimals(units.parse(f.unit)) == 2]
        out.append(signed_text(item.amount))
    if q.option == "in_kind":
        out.append(amount_text(abs(q.due_before_move_in)))  # said as 应交 or 应领 in its label
    for inst in q.deferred.installments:
        out.append(amount_text(inst.amount))
    if q.deferred.installments:
        out.append(amount_text(q.deferred.total))
    if q.heating:
        out += [amount_text(q.heating.standard_annual), amount_text(q.heating.annual), amount_text(q.heating.saving)]
    return out


@pytest.fixture(scope="module")
def example_2(tahe):
    q = quote(tahe, original_area="45", unit_area="58")
    return q, statement_pdf(q, tahe, household_id="H002", name="张小伟", issued=ISSUED)


@pytest.fixture(scope="module")
def example_3(tahe):
    q = quote(tahe, original_area="36.5", unit_area="40", low_income=True, defer=True, move_in_date="2025-10-01")
    return q, statement_pdf(q, tahe, household_id="H003", issued=ISSUED)


@needs_poppler
def test_example_2_net_and_capital(example_2):
    q, pdf = example_2
    text = pdf_text(pdf)
    assert q.net_payable == Decimal("29544.00")
    assert "¥29,544.00" in text and "贰万玖仟伍佰肆拾肆元整" in text
    for amount in ("13,500.00", "3,000.00", "12,000.00", "1,044.00"):
        assert amount in text
    assert "H002" in text and "张小伟" in text and "2026-11-25" in text


@needs_poppler
def test_example_3_deferral_dates_and_consequences(example_3, tahe):
    q, pdf = example_3
    text = pdf_text(pdf)
    assert re.search(r"2026-10-01.*1,680\.00", text) and re.search(r"2027-10-01.*1,120\.00", text)
    assert "叁仟伍佰贰拾元整" in text  # net 3,520.00
    assert "柒佰贰拾元整" in text  # due before move-in 720.00
    assert "¥2,800.00" in text  # deferred total
    deferral = tahe.rules.deferral
    assert deferral.on_full_payment_zh in text and "房屋所有权证" in text
    assert deferral.on_default_zh in text and "廉租房" in text


@needs_poppler
def test_cash_statement_says_the_household_receives(tahe):
    q = quote(tahe, original_area="52.3", option="cash", appraised_price="2150")
    text = pdf_text(statement_pdf(q, tahe, issued=ISSUED))
    assert "应领 112,445.00" in text and "-112,445" not in text  # the item, said as money received, never a minus
    assert "住户应领" in text and "¥112,445.00" in text and "壹拾壹万贰仟肆佰肆拾伍元整" in text
    assert "入住前应交" not in text  # a cash household moves into nothing


@needs_poppler
@pytest.mark.parametrize("name, case", load_cases(), ids=[n for n, _ in load_cases()])
def test_every_figure_of_every_worked_example_is_printed(name, case, tmp_path):
    """The statement renders the quote: each of its numbers appears, to the fen, on one page."""
    loaded = load_policy(policy_ref(case))
    q = quote(loaded, **case["input"])
    pdf = statement_pdf(q, loaded, household_id=name, issued=ISSUED)
    text = pdf_text(pdf)
    for figure in figures(q):
        assert figure in text, f"{figure} missing from the statement of {name}"
    for inst in q.deferred.installments:
        if inst.due_date:
            assert inst.due_date.isoformat() in text
    assert to_capital(abs(q.net_payable)) in text
    assert q.policy.id in text and q.policy.version in text and q.policy.sha256 in text
    for label in ("户主（签字）", "经办人（签字）", "经办单位（盖章）"):
        assert label in text
    flat = flat_text(pdf)
    for d in q.decisions:
        assert d.title_zh in flat
    # A plan of up to six lines fits one page; a longer one (the 2011-regulation plan has ten) may take a second.
    assert pdf_pages(pdf, tmp_path) <= (1 if len(q.items) <= 6 else 2) + GLOSSARY_PAGES


@needs_poppler
def test_font_is_embedded_and_nothing_else_is_used(example_2, tmp_path):
    fonts = pdf_fonts(example_2[1], tmp_path)
    assert fonts, "no font in the PDF"
    for row in fonts:
        assert row[-5] == "yes", f"font not embedded: {row}"  # the emb column
        assert row[1] == "TrueType" and "Helvetica" not in row[0]


@needs_poppler
def test_four_bands_and_three_installments_from_another_policy(county_b):
    """Columns and schedule rows follow the policy: a third installment and a fourth band print too."""
    q = quote(county_b, original_area="41.25", unit_area="45", low_income=True, defer=True, move_in_date="2024-02-29")
    pdf = statement_pdf(q, county_b, issued=ISSUED)
    text, flat = pdf_text(pdf), flat_text(pdf)
    assert len(q.deferred.installments) == 3 and len(q.items) == 5
    for inst, date in zip(q.deferred.installments, ("2025-02-28", "2026-02-28", "2027-02-28")):
        assert re.search(rf"第{inst.number}期 {date}.*{re.escape(amount_text(inst.amount))}", text)
    for item in q.items:
        assert item.label_zh in flat


@needs_poppler
def test_english_statement(example_3, tahe, tmp_path):
    q, _ = example_3
    pdf = statement_pdf(q, tahe, household_id="H003", issued=ISSUED, lang="en")
    text = pdf_text(pdf)
    assert pdf_pages(pdf, tmp_path) == 1 + GLOSSARY_PAGES and "Page 1 of 2" in text
    assert "In-kind resettlement statement" in text and "Due before move-in" in text
    assert "2026-10-01" in text and "1,680.00" in text and tahe.rules.deferral.on_default_en[:40] in text


@needs_poppler
def test_text_from_the_user_prints_as_typed(tahe):
    """A name with markup characters is printed, not interpreted (and does not break the PDF)."""
    q = quote(tahe, original_area="45", unit_area="48")
    text = pdf_text(statement_pdf(q, tahe, household_id="A&B<1>", name="<b>王</b>", issued=ISSUED))
    assert "A&B<1>" in text and "<b>王</b>" in text


def test_statement_is_a_pdf_and_refuses_an_unknown_language(tahe):
    q = quote(tahe, original_area="45", unit_area="48")
    assert statement_pdf(q, tahe, issued=ISSUED).startswith(b"%PDF-")
    with pytest.raises(ValueError):
        statement_pdf(q, tahe, lang="fr")


@needs_poppler
def test_deferral_without_a_move_in_date_shows_years_not_dates(tahe):
    q = quote(tahe, original_area="36.5", unit_area="40", low_income=True, defer=True)
    text = pdf_text(statement_pdf(q, tahe, issued=ISSUED))
    assert "入住满1年" in text and "入住满2年" in text and "1,680.00" in text and "1,120.00" in text
    assert not re.search(r"20\d\d-\d\d-\d\d（入住满", text)
    assert "入住日期 未定" in text


@needs_poppler
def test_sections_are_numbered_without_gaps(tahe):
    """A statement without deferral goes from 三 to 四, not to 五."""
    q = quote(tahe, original_area="45", unit_area="58")
    text = pdf_text(statement_pdf(q, tahe, issued=ISSUED))
    assert "三、结算金额" in text and "四、取暖费" in text and "五、适用的政策决定与提示" in text
    assert "缓交房款安排" not in text


@needs_poppler
def test_each_line_multiplies_out_as_printed(county_b):
    """The issue's example: cash, 50.01 m², appraised 2,000.05, bonus factor 110 %: the line shows what was multiplied."""
    q = quote(county_b, original_area="50.01", option="cash", appraised_price="2000.05")
    pdf = statement_pdf(q, county_b, issued=ISSUED)
    text = pdf_text(pdf)
    for figure in ("50.01", "2,000.05", "110%", "110,024.75"):
        assert figure in text
    assert "50.01 平方米 × 2,000.05 元/平方米 × 110% = 110,024.75" in text  # on one line, in the order multiplied
    assert "应领 110,024.75" in text and "-110,024.75" not in text and "壹拾壹万零贰拾肆元柒角伍分" in text
    english = pdf_text(statement_pdf(q, county_b, issued=ISSUED, lang="en"))
    assert "50.01 m² × 2,000.05 yuan/m² × 110% = 110,024.75" in english


WITH_INPUTS = Path(__file__).resolve().parent / "policies" / "with_inputs.toml"


@needs_poppler
def test_declared_inputs_subtotals_and_shown_items_are_printed(tmp_path):
    loaded = load_policy(WITH_INPUTS)
    q = quote(loaded, original_area="50", unit_area="70", inputs={"persons": "4", "disabled": "是"})
    pdf = statement_pdf(q, loaded, household_id="N001", name="王伟", issued=ISSUED)
    text, flat = pdf_text(pdf), flat_text(pdf)
    assert re.search(r"家庭人口 4 ?人 残疾人家庭 是", text)
    assert "60.00 平方米 × 300.00 元/平方米 = 18,000.00" in text
    assert "10.00 平方米 × 2,000.05 元/平方米 = 20,000.50" in text
    assert "4 人 × 800.00 元/人 = 3,200.00" in text and "应领 3,200.00" in text and "-3,200.00" not in text
    assert "支付住户小计 应领 3,200.00" in text  # the declared subtotal, said as money received
    assert "仅告知住户，不计入结算合计" in flat and "70.00 平方米 × 12.50 元/平方米 = 875.00" in text
    assert "¥34,800.50" in text and "叁万肆仟捌佰元伍角整" in text  # the fee shown only is not in the net
    assert "入住前应交" not in text and "缓交" not in text and "取暖费" not in text  # the policy has neither
    assert pdf_pages(pdf, tmp_path) == 1 + GLOSSARY_PAGES
    english = pdf_text(statement_pdf(q, loaded, household_id="N001", issued=ISSUED, lang="en"))
    assert "4 person × 800.00 yuan/person = 3,200.00" in english and "yes" in english


@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_internal_reaches_the_statement(county_b, lang):
    """No item or input code, column name, unit code or Python value on the page a resident signs."""
    loaded = load_policy(WITH_INPUTS)
    pages = [statement_pdf(quote(loaded, original_area="50", unit_area="70", inputs={"persons": "4"}), loaded,
                           issued=ISSUED, lang=lang),
             statement_pdf(quote(county_b, original_area="41.25", unit_area="45", low_income=True, defer=True,
                                 move_in_date="2024-02-29"), county_b, issued=ISSUED, lang=lang)]
    for pdf in pages:
        text = flat_text(pdf)
        for internal in ("amount_", "in_persons", "relocation_subsidy", "CNY", "m2", "None", "Decimal", "area_",
                         "installment_", "within_standard", "structure_difference", "ratio"):
            assert internal not in text, internal
