"""Load-time checks: each small broken variant of tahe.toml is refused with the key it breaks and the reason."""
from pathlib import Path

import pytest

from calculator.policy import POLICY_DIR, PolicyError, parse_policy

# A changed copy of an approved file needs its own version, or it is refused (calculator/approval.py).
TAHE = (POLICY_DIR / "tahe.toml").read_text("utf-8").replace('version = "2025.1"', 'version = "2025.1-test"', 1)

PERSONS = '''
[[inputs]]
name = "persons"
type = "count"
unit = "person"
label_zh = "家庭人口"
label_en = "household members"
max = 20
'''
TWO_PARAMS = '''
[params]
fund_a = { value = 1.00, unit = "m2", label_zh = "甲", label_en = "a", source = "test" }
fund_b = { value = 2.00, unit = "m2", label_zh = "乙", label_en = "b", source = "test" }
'''
LOOP_AREA = '''
[areas.loop]
label_zh = "环"
label_en = "loop"
source = "test"
expression = "shortfall"
'''
SIGNING = '''
[params]
signing_start = { value = 2026-03-01, unit = "date", label_zh = "签约开始", label_en = "signing start", source = "test" }

[[inputs]]
name = "signing_date"
type = "date"
label_zh = "签约日期"
label_en = "signing date"

[[items]]
code = "signing_reward"
kind = "date_tiers"
options = ["in_kind"]
direction = "receive"
label_zh = "签约奖励"
label_en = "signing reward"
source = "test"
date = "signing_date"
start = "signing_start"
tiers = [
  { days_up_to = 60, rate = { value = 100.00, unit = "CNY", label_zh = "60日内", label_en = "within 60 days", source = "test" } },
  { days_up_to = 30, rate = { value = 200.00, unit = "CNY", label_zh = "30日内", label_en = "within 30 days", source = "test" } },
]
'''
FUND = 'code = "maintenance_fund"\nkind = "per_m2"\n'


def edit(old: str, new: str, count: int = 1):
    def apply(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)
    return apply


def before(marker: str, block: str):
    return lambda text: text.replace(marker, block + "\n" + marker, 1)


def chain(*edits):
    def apply(text: str) -> str:
        for e in edits:
            text = e(text)
        return text
    return apply


def problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text.encode("utf-8"), "broken.toml")
    assert "broken.toml" in str(caught.value)
    found = caught.value.problems
    assert all(key and reason for key, reason in found)
    return found


CASES = {
    "unknown name in an expression": (
        edit('to = "standard"', 'to = "standrad"'),
        "items.reasonable_extra_area.to", "unknown name(s) standrad"),
    "a cycle between areas": (
        chain(edit('expression = "original - chosen"', 'expression = "original - loop"'), lambda t: t + LOOP_AREA),
        "areas", "circle / 面积定义循环引用: loop -> shortfall -> loop"),
    "an undeclared input in a condition": (
        edit('when = "low_income"\nrate = { value = 800.00', 'when = "persons > 0"\nrate = { value = 800.00'),
        "items.reasonable_extra_area.overrides[0].when", "unknown name(s) persons"),
    "an undeclared input as a rate": (
        edit('area = "original"\nrate = "appraised_price"', 'area = "original"\nrate = "persons"'),
        "items.cash_compensation.rate", "'persons' is neither a parameter nor a number input"),
    "a rate whose units do not give CNY": (
        edit('unit = "CNY/m2", label_zh = "维修资金标准"', 'unit = "CNY/person", label_zh = "维修资金标准"'),
        "items.maintenance_fund.rate", "chosen × CNY/person gives CNY*m2/person, not CNY"),
    "a deferrable item the household receives": (
        edit('direction = "pay"\ndeferrable = true', 'direction = "receive"\ndeferrable = true'),
        "items.reasonable_extra_area", "only an amount the household pays can be deferred"),
    "an area band for cash households only": (
        edit('area_key = "excess"\noptions = ["in_kind"]', 'area_key = "excess"\noptions = ["cash"]'),
        "items.excess_area.options", "an area band cuts the chosen unit, which a cash household does not take"),
    "a condition that is constant false": (
        chain(edit(FUND, FUND + 'when = "fund_a > fund_b"\n'), before("[standard_area]", TWO_PARAMS)),
        "items.maintenance_fund.when", "'fund_a > fund_b' never holds for any household"),
    "a literal number in an expression": (
        edit('to = "original"', 'to = "original + 10"'),
        "items.structure_difference.to", "the number 10 in 'original + 10' must be a named parameter"),
    "a duplicate code": (
        edit('code = "excess_area"', 'code = "maintenance_fund"'),
        "items.maintenance_fund", "the code 'maintenance_fund' is used more than once"),
    "an unknown key in a block": (
        edit("[heating]\n", "[heating]\nefficient_ration = 0.7\n"),
        "heating.efficient_ration", "unknown key"),
    "an unknown key in an item": (
        edit(FUND, FUND + 'colour = "red"\n'),
        "items.maintenance_fund.colour", "unknown key / 未知字段, value red"),
    "a missing source": (
        edit(', source = "五、6: 按每平方米18元" }', " }"),
        "items.maintenance_fund.rate.source", "missing"),
    "a negative price": (
        edit("rate = { value = 300.00,", "rate = { value = -300.00,"),
        "items.structure_difference.rate.value", "must not be negative, got -300.00"),
    "an open-ended band before another": (
        edit('to = "standard"\n', ""),
        "items.reasonable_extra_area.to", "only the last area band may be open-ended; the bands after it (excess_area)"),
    "a band bound that is not an area": (
        edit('to = "standard"', 'to = "appraised_price"'),
        "items.reasonable_extra_area.to", "'appraised_price' gives CNY/m2, expected m2"),
    "date tiers out of order": (
        before("# ---------------------------------------------------------------------------------------------\n# Low-income deferral", SIGNING),
        "items.signing_reward", "tiers must be in increasing days_up_to"),
    "a share in yuan": (
        edit('share = { value = 1.00, unit = "ratio"', 'share = { value = 1.00, unit = "CNY"'),
        "items.shortfall_compensation.share", "a share must be a % or a ratio, got CNY"),
    "a share that is not a parameter": (
        edit('share = { value = 1.00, unit = "ratio", label_zh = "按评估单价的比例", label_en = "share of the appraised price", '
             'source = "D3: 按评估单价补偿" }', 'share = "max(original"'),
        "items.shortfall_compensation.share", "'max(original' is not a parameter"),
    "a floor that is not money": (
        edit(FUND, FUND + 'floor = { value = 5.00, unit = "m2", label_zh = "x", label_en = "x", source = "test" }\n'),
        "items.maintenance_fund.floor", "a floor is an amount in CNY"),
    "an undefined decision": (
        edit('decisions = [{ id = "D3" }]', 'decisions = [{ id = "D7" }]'),
        "items.shortfall_compensation.decisions[0].id", "decision 'D7' is referenced but not defined"),
    "a unit word the calculator does not know": (
        edit('unit = "CNY/m2", label_zh = "结构差价"', 'unit = "yuan/m2", label_zh = "结构差价"'),
        "items.structure_difference.rate.unit", "unknown unit 'yuan' in 'yuan/m2'"),
    "a price finer than the fen": (
        edit('value = 300.00, unit = "CNY/m2"', 'value = 300.005, unit = "CNY/m2"'),
        "items.structure_difference.rate", "a value in CNY/m2 is held to 2 decimal places, got 300.005"),
    "a kind that does not exist": (
        edit(FUND, 'code = "maintenance_fund"\nkind = "per_sqm"\n'),
        "items.maintenance_fund.kind", "Input should be 'area_band', 'per_m2'"),
    "a kind without the key it needs": (
        edit('area = "chosen"\n', ""),
        "items.maintenance_fund", "a per_m2 item needs area"),
    "a key the kind does not read": (
        edit(FUND, 'code = "maintenance_fund"\nkind = "per_household"\n'),
        "items.maintenance_fund", "a per_household item does not read area"),
    "a malformed expression": (
        edit('expression = "original - chosen"', 'expression = "original - (chosen"'),
        "areas.shortfall.expression", "expected ')' in 'original - (chosen'"),
    "an area from m² and yuan": (
        edit('expression = "original - chosen"', 'expression = "original - appraised_price"'),
        "areas.shortfall.expression", "subtracting of m2 and CNY/m2: the units differ"),
    "a condition that is not yes/no": (
        edit('when = "low_income"\nrate = { value = 800.00', 'when = "original"\nrate = { value = 800.00'),
        "items.reasonable_extra_area.overrides[0].when", "'original' gives m2, expected bool"),
    "a name defined twice": (
        edit("[areas.shortfall]", "[areas.excess]"),
        "items.excess", "the name 'excess' is already used in [areas]"),
    "a code the calculator keeps": (
        edit('code = "excess_area"', 'code = "net_payable"'),
        "items.net_payable", "'net_payable' is a total the calculator keeps"),
    "a total of an unknown item": (
        lambda t: t + '\n[[totals]]\ncode = "paid"\nlabel_zh = "合计"\nlabel_en = "paid"\nsource = "test"\nitems = ["excess"]\n',
        "totals.paid.items", "'excess' is not an item code"),
    "a deferral with nothing to defer": (
        edit("deferrable = true\n", ""),
        "deferral", "a [deferral] needs at least one item with deferrable = true"),
    "installment shares not adding up": (
        edit('share = { value = 40, unit = "%", label_zh = "第二期比例"', 'share = { value = 30, unit = "%", label_zh = "第二期比例"'),
        "deferral", "installment shares must sum to 100 %, got 90 %"),
    "an installment a century away": (
        edit('years_after_move_in = { value = 2, unit = "year"', 'years_after_move_in = { value = 1000, unit = "year"'),
        "deferral", "the last installment falls due 1000 years after move-in; at most 100"),
    "heating without its limit": (
        lambda t: "\n".join(line for line in t.splitlines() if not line.startswith("heating_rate_max")),
        "limits.heating_rate_max", "a policy with [heating] needs heating_rate_max"),
    "a number input without a max": (
        before("[unit_types]", PERSONS.replace("max = 20\n", "")),
        "inputs.persons", "a number input needs a max"),
    "a required_when naming an unknown input": (
        before("[unit_types]", PERSONS + 'required_when = "has_car"\n'),
        "inputs.persons.required_when", "unknown name(s) has_car"),
    "a huge number": (
        edit("rate = { value = 300.00,", "rate = { value = 1e30,"),
        "items.structure_difference.rate.value", "must be below 1,000,000,000,000"),
    "amounts beyond exact arithmetic": (
        edit("rate = { value = 300.00,", "rate = { value = 999999999999.00,"),
        "items.structure_difference", "amounts could reach"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_broken_variant_is_refused_naming_the_key(name):
    make, key, reason = CASES[name]
    text = make(TAHE)
    assert text != TAHE
    found = problems(text)
    assert any(k == key and reason in r for k, r in found), found


def test_every_problem_is_reported_at_once():
    text = CASES["a missing source"][0](CASES["a negative price"][0](TAHE))
    keys = {key for key, _ in problems(text)}
    assert {"items.maintenance_fund.rate.source", "items.structure_difference.rate.value"} <= keys


def test_later_bound_below_an_earlier_one_gives_an_empty_band(tahe):
    """Bands are cut in file order: a bound below the one before it is allowed and leaves its band empty."""
    from calculator.settlement import quote

    text = TAHE.replace('to = "standard"', 'to = "original"', 1)
    loaded = parse_policy(text.encode("utf-8"), "bands.toml")
    q = quote(loaded, original_area="45", unit_area="58")
    assert q.areas["reasonable_extra"] == 0 and q.areas["excess"] == 13
    assert q.item("excess_area").amount == 13 * 1200


def test_the_standard_area_may_not_read_itself():
    text = (Path(__file__).parent / "policies" / "every_kind.toml").read_text("utf-8")
    found = problems(text.replace('expression = "max(persons * area_per_person, original)"',
                                  'expression = "max(persons * area_per_person, standard)"', 1))
    assert ("standard_area.expression", "'max(persons * area_per_person, standard)' reads the standard area it defines "
            "/ 安置标准面积不能由它自身算出") in found


def test_a_bad_date_parameter_is_reported_once_as_a_date():
    text = (Path(__file__).parent / "policies" / "every_kind.toml").read_text("utf-8")
    found = problems(text.replace('value = 2026-03-01, unit = "date"', 'value = "March", unit = "date"', 1))
    assert found == [("params.signing_start.value", "Input should be a valid date or datetime, input is too short")]


def test_next_unit_type_up_without_unit_types_names_the_rule():
    text = TAHE.split("[unit_types]")[0] + "[standard_area]" + TAHE.split("[standard_area]")[1]
    assert problems(text) == [("standard_area.rule", 'rule = "next_unit_type_up" needs [unit_types] / 上靠户型须有[unit_types]')]


def test_a_factor_refused_is_not_refused_again_through_the_rate():
    found = problems(TAHE.replace('area = "chosen"', 'area = "appraised_price"', 1))
    assert found == [("items.maintenance_fund.area", "'appraised_price' gives CNY/m2, expected m2 / 结果应为 m2")]
