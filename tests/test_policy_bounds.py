"""Policy values are bounded by what the documents print (9,999,999,999.99 yuan) and shares by 300 %: a policy that
loads can be quoted, stated and shown at its input limits; an amount beyond is a row error, never a crash."""
import subprocess
import sys
from pathlib import Path

import pytest

from calculator import policy_checks
from calculator.errors import InputErrors
from calculator.policy import POLICY_DIR, PolicyError, parse_policy
from calculator.settlement import quote

# A changed copy of an approved file needs its own version, or it is refused (calculator/approval.py).
TAHE = (POLICY_DIR / "tahe.toml").read_text("utf-8").replace('version = "2025.1"', 'version = "2025.1-test"', 1)
COUNTY_B = (Path(__file__).parent / "policies" / "county_b.toml").read_text("utf-8")
EXCESS = "rate = { value = 1200.00,"
REASONABLE = "rate = { value = 1000.00,"
PRICE_MAX = 'appraised_price_max = { value = 100000.00,'
# At the input limits (10,000 m² at 999,999.99 yuan/m²) the cash compensation is 9,999,999,900.00 yuan: the largest
# a loadable policy can give, one fen-hundred below what the documents print.
EDGE = TAHE.replace(PRICE_MAX, 'appraised_price_max = { value = 999999.99,')


def problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text.encode("utf-8"), "bounds.toml")
    return caught.value.problems


def test_an_item_beyond_the_printable_range_is_refused_naming_it_and_the_limit():
    found = problems(TAHE.replace(EXCESS, "rate = { value = 1500000.00,"))
    assert any(key == "items.excess_area" and "15,000,000,000.00 yuan" in reason and "9,999,999,999.99" in reason
               and "超出文书可打印的最大金额" in reason for key, reason in found), found


def test_the_excess_price_of_the_issue_is_refused():
    found = problems(TAHE.replace(EXCESS, "rate = { value = 99999999999.99,"))
    assert any(key == "items.excess_area" for key, _ in found), found


def test_items_each_printable_but_summing_beyond_are_refused():
    text = TAHE.replace(EXCESS, "rate = { value = 600000.00,").replace(REASONABLE, "rate = { value = 600000.00,")
    found = problems(text)
    assert any(key == "items" and "net payable could reach 12,0" in reason and "excess_area" in reason
               and "在输入上限处合计可达" in reason for key, reason in found), found


@pytest.mark.parametrize("share", ['value = 7, unit = "ratio"', 'value = 700, unit = "%"', 'value = 3.01, unit = "ratio"'])
def test_an_absurd_share_is_refused(share):
    found = problems(COUNTY_B.replace('value = 1.10, unit = "ratio"', share))
    assert any(key == "items.cash_compensation.share" and "above 300 %" in reason and "比例超过300%" in reason
               for key, reason in found), found


def test_shares_up_to_300_percent_load():
    parse_policy(COUNTY_B.replace('value = 1.10, unit = "ratio"', 'value = 300, unit = "%"').encode(), "b.toml")


@pytest.mark.parametrize("path", sorted(POLICY_DIR.glob("*.toml")) + sorted((Path(__file__).parent / "policies").glob("*.toml")),
                         ids=lambda p: p.name)
def test_every_shipped_policy_still_loads(path):
    parse_policy(path.read_bytes(), path.name)


def test_the_largest_loadable_amount_is_quoted_stated_and_shown(tmp_path):
    from calculator.render_text import render_quote
    from calculator.statements.statement_pdf import statement_pdf

    loaded = parse_policy(EDGE.encode("utf-8"), "edge.toml")
    q = quote(loaded, original_area="10000", option="cash", appraised_price="999999.99")
    text = render_quote(q, loaded)
    assert "9,999,999,900.00" in text and "玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰元整" in text
    assert statement_pdf(q, loaded).startswith(b"%PDF")

    from tests.app_helpers import metrics, quote_with, start
    path = tmp_path / "edge.toml"
    path.write_text(EDGE, "utf-8")
    at = quote_with(start(policy=path), option="cash", original_area="10000", appraised_price="999999.99")
    assert "¥9,999,999,900.00" in metrics(at).values()


def _beyond_the_limits() -> str:
    """A policy whose item reads more area than one input may have (original + chosen): the load check passes it,
    a household at both limits goes beyond what can be printed."""
    text = TAHE.replace('rate = { value = 18.00, unit = "CNY/m2"', 'rate = { value = 600000.00, unit = "CNY/m2"')
    start = text.index('code = "maintenance_fund"')
    area_at = text.index('area = "chosen"', start)
    return text[:area_at] + 'area = "original + chosen"' + text[area_at + len('area = "chosen"'):]


def test_a_row_beyond_the_printable_range_is_an_input_error_naming_the_item(tmp_path):
    text = _beyond_the_limits()
    loaded = parse_policy(text.encode("utf-8"), "beyond.toml")
    with pytest.raises(InputErrors) as caught:
        quote(loaded, original_area="10000", unit_area="10000")
    err = caught.value.errors[0]
    assert err.field == "maintenance_fund"
    assert "12,000,000,000.00元" in err.message_zh and "9,999,999,999.99" in err.message_en
    path = tmp_path / "beyond.toml"
    path.write_text(text, "utf-8")
    run = subprocess.run([sys.executable, "-m", "calculator", "quote", "--policy", str(path), "--original-area", "10000",
                          "--unit-area", "10000"], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "12,000,000,000.00" in run.stderr
