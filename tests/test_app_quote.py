"""AppTest of the counter quote page: the worked examples of POLICY_SPEC §8 in, the numbers shown out."""
from __future__ import annotations

import datetime as dt
import re

from app_helpers import MONEY, html_text, metrics, quote_with, start, texts


def test_first_screen_is_a_worked_quote():
    at = start()
    # default inputs A 45 m² and the next type up, 48 m²: POLICY_SPEC §8 example 1
    assert metrics(at)["应交合计"] == "¥17,364.00"
    page = html_text(at)
    assert "壹万柒仟叁佰陆拾肆元整" in page
    assert "¥13,500.00" in page and "¥3,000.00" in page and "¥864.00" in page
    # the heating fee apart from the settlement, per heating season, in a small table, not a headline figure
    assert re.search(r"本户每采暖期\s+48\.00 ㎡ × ¥35\.00/㎡ × 70%\s+¥1,176\.00\s+按非节能标准，每采暖期\s+¥1,680\.00\s+"
                     r"每采暖期节省\s+¥504\.00", page)
    assert list(metrics(at)) == ["应交合计"]
    assert "下载结算单（PDF）" in [b.label for b in at.get("download_button")]


def test_example_2_excess_area_with_capital_numerals_and_clauses():
    at = quote_with(start(), unit_choice="58")
    assert metrics(at)["应交合计"] == "¥29,544.00"
    page = html_text(at)
    assert "贰万玖仟伍佰肆拾肆元整" in page
    # the factors multiplied = amount, exactly as the engine computed them, with the clause of each line
    assert re.search(r"超出上靠户型面积部分\s+四、3: 超出上靠户型面积部分按1200元/平方米结算\s+"
                     r"10\.00 ㎡ × 1,200\.00 元/㎡ = 12,000\.00\s+应交 ¥12,000\.00", page)
    assert re.search(r"专项维修资金\s+五、6: 专项维修资金在居民入住前按每平方米18元向住户一次性收取\s+"
                     r"58\.00 ㎡ × 18\.00 元/㎡ = 1,044\.00\s+应交 ¥1,044\.00", page)
    # the heating note names the example rate and its decision D5
    assert "D5" in texts(at.caption) and "D5" in texts(at.markdown)


def test_example_3_low_income_deferral_schedule_and_consequences():
    at = quote_with(start(), original_area="36.5", unit_choice="40", low_income=True, defer=True,
                    move_in=dt.date(2025, 10, 1))
    m = metrics(at)
    assert m["应交合计"] == "¥3,520.00"
    assert m["入住前应交"] == "¥720.00"
    assert m["缓交"] == "¥2,800.00"
    page = html_text(at)
    assert re.search(r"第1期\s+2026-10-01\s+60%\s+¥1,680\.00", page)
    assert re.search(r"第2期\s+2027-10-01\s+40%\s+¥1,120\.00", page)
    assert "房屋所有权证" in texts(at.success)
    assert "廉租房" in texts(at.warning)


def test_comparison_says_where_there_is_nothing_to_defer():
    # A 45, deferral asked: a 40 m² unit has no reasonable-extra area, so its column is shown without deferral
    at = quote_with(start(), appraised_price="2000", low_income=True, defer=True)
    assert metrics(at)["缓交"] == "¥2,400.00"  # 3 m² × 800 under the chosen 48 m² type
    assert "40㎡户型：此方案没有可缓交的房款，按不缓交计算。" in texts(at.caption)
    assert "48㎡户型：此方案没有可缓交的房款" not in texts(at.caption)


def test_deferral_without_move_in_date_shows_years():
    at = quote_with(start(), original_area="36.5", unit_choice="40", low_income=True, defer=True)
    page = html_text(at)
    assert "入住后第1年" in page and "入住后第2年" in page


def test_example_4_cash_is_paid_to_the_household():
    at = quote_with(start(), option="cash", original_area="52.3", appraised_price="2150")
    assert metrics(at)["应领合计"] == "¥112,445.00"
    page = html_text(at)
    assert "壹拾壹万贰仟肆佰肆拾伍元整" in page
    # one sign convention: who pays, and a positive amount; never a bare minus in front of a resident
    assert re.search(r"合计：住户应领\s+¥112,445\.00", page) and "应领 ¥112,445.00" in page
    assert "-¥" not in page and "−¥" not in page


def test_example_5_shortfall_uses_decision_d3():
    at = quote_with(start(), original_area="50", unit_choice="48", appraised_price="2000")
    assert metrics(at)["应交合计"] == "¥11,264.00"
    assert re.search(r"未安置面积货币补偿\s+D3\s+2\.00 ㎡ × 2,000\.00 元/㎡ = 4,000\.00\s+应领 ¥4,000\.00", html_text(at))
    assert "D3" in texts(at.markdown)


def test_bad_input_is_marked_at_its_field_in_both_languages():
    at = quote_with(start(), original_area="abc")
    inputs_column = at.columns[0]
    messages = texts(inputs_column.error)
    assert "原房屋建筑面积不是有效数字，输入为 abc" in messages
    assert "original area must be a number, got abc" in messages
    assert not at.metric  # no result is shown for a bad input
    at = quote_with(at, original_area="-3")
    assert "原房屋建筑面积必须大于0，输入为 -3" in texts(at.columns[0].error)


def test_a_smaller_unit_without_appraised_price_asks_for_it():
    at = quote_with(start(), original_area="50", unit_choice="48")
    assert "评估单价" in texts(at.columns[0].error)


def test_measured_area_gets_the_non_standard_note():
    at = quote_with(start(), unit_choice="other", unit_area="48.5")
    assert "D2" in texts(at.warning)
    assert metrics(at)["应交合计"] == "¥17,973.00"  # 13 500 + 3 000 + 0.5 × 1 200 + 48.5 × 18 (873)


def test_comparison_has_every_type_and_cash_only_with_a_price():
    at = start()
    compare = at.html[-1].value if "户型" in at.html[-1].value else next(h.value for h in at.html if "（当前）" in h.value)
    for unit in ("40㎡户型", "48㎡户型（当前）", "58㎡户型", "68㎡户型", "75㎡户型"):
        assert unit in compare
    assert "货币补偿" not in compare
    assert "未填评估单价" in texts(at.caption)
    at = quote_with(at, appraised_price="2000")
    page = html_text(at)
    assert "应领 ¥90,000.00" in page  # cash for 45 m² at 2 000 yuan/m², paid to the household
    assert "-¥" not in page
    assert "¥29,544.00" in page  # the 58 m² column equals example 2
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_every_amount_shown_has_two_decimals():
    at = quote_with(start(), appraised_price="1999.5")
    shown = MONEY.findall(html_text(at)) + [m for v in metrics(at).values() for m in MONEY.findall(v)]
    assert shown and all(re.fullmatch(r"-?¥\d{1,3}(,\d{3})*\.\d\d", s) for s in shown), shown


def test_english_switch_keeps_the_inputs():
    at = quote_with(start(), unit_choice="58")
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Counter quote"
    assert metrics(at)["Net payable"] == "¥29,544.00"


def test_english():
    at = start(lang="en")
    assert at.title[0].value == "Counter quote"
    assert metrics(at)["Net payable"] == "¥17,364.00"
    at = quote_with(at, original_area="x1")
    assert texts(at.columns[0].error).startswith("original area must be a number, got x1")


def test_heating_inputs():
    at = quote_with(start(), energy_efficient=False)
    assert re.search(r"本户每采暖期\s+48\.00 ㎡ × ¥35\.00/㎡ × 100%\s+¥1,680\.00", html_text(at))  # no 70 % reduction
    assert re.search(r"每采暖期节省\s+¥0\.00", html_text(at))
    at = quote_with(at, heating_rate="0")
    assert "取暖费标准必须大于0，输入为 0" in texts(at.columns[0].error)
    at = quote_with(at, heating_rate="40")
    assert re.search(r"本户每采暖期\s+48\.00 ㎡ × ¥40\.00/㎡ × 100%\s+¥1,920\.00", html_text(at))
    assert "D5" not in texts(at.markdown)  # a rate given by the clerk is not the example rate


def test_next_household_clears_the_inputs():
    at = quote_with(start(), household_id="TH-7", original_area="52.3", option="cash", appraised_price="2150")
    assert metrics(at)["应领合计"] == "¥112,445.00"
    at.button(key="quote_new").click().run()
    assert at.text_input(key="q_household_id").value == ""
    assert at.radio(key="q_option").value == "in_kind"
    assert metrics(at)["应交合计"] == "¥17,364.00"  # the first screen again


def test_inputs_survive_a_visit_to_another_page():
    at = quote_with(start(), original_area="45", unit_choice="58", appraised_price="2000")
    at.switch_page("ui/policy_page.py").run()
    at.switch_page("ui/quote_page.py").run()
    assert not at.exception
    assert metrics(at)["应交合计"] == "¥29,544.00"
    assert at.text_input(key="q_appraised_price").value == "2000"


def test_an_item_keeps_its_colour_from_one_quote_to_the_next():
    from calculator import load_policy, quote
    from ui.charts import option_items_chart

    tahe = load_policy("tahe")
    order = [zh for zh, _, _ in tahe.rules.item_labels().values()]

    def colours(**household):
        scale = option_items_chart([("x", quote(tahe, **household))], order).to_dict()["encoding"]["color"]["scale"]
        return dict(zip(scale["domain"], scale["range"]))

    regular = colours(original_area="45", unit_area="58")  # four items
    low = colours(original_area="36.5", unit_area="40", low_income=True)  # structure difference is 0: not drawn
    assert "原面积部分结构差价" in regular and "原面积部分结构差价" not in low
    assert low["专项维修资金"] == regular["专项维修资金"]
    assert low["合理享受面积部分"] == regular["合理享受面积部分"]


def test_unit_type_follows_the_area_until_picked():
    """Issue 10 #3: the unit type is the standard area's (next type up) for the area typed, not the first screen's."""
    at = quote_with(start(), original_area="36.5", low_income=True, defer=True)
    assert at.selectbox(key="q_unit_choice").value == "40"
    assert metrics(at)["应交合计"] == "¥3,520.00"  # POLICY_SPEC §8 example 3, not ¥13,264.00 under 48 m²
    for original, unit in (("50", "58"), ("60", "68"), ("45", "48")):
        at = quote_with(at, original_area=original)
        assert at.selectbox(key="q_unit_choice").value == unit
        assert not at.error  # no request for an appraised price: the unit is not smaller
    at = quote_with(at, unit_choice="68")  # picked: it stays when the area changes
    at = quote_with(at, original_area="50")
    assert at.selectbox(key="q_unit_choice").value == "68"


def test_a_smaller_unit_is_explained_before_the_error():
    at = quote_with(start(), original_area="50", unit_choice="48")
    inputs_column = at.columns[0]
    notes = texts(inputs_column.info)
    assert "所选户型 48.00 ㎡ 小于原房屋面积 50.00 ㎡：相差的 2.00 ㎡ 不安置住房，按评估单价结算为未安置面积货币补偿（D3）" in notes
    assert "评估单价" in texts(inputs_column.error)  # the error follows, at the appraised price
    at.radio(key="lang").set_value("en").run()
    assert "The chosen unit (48.00 ㎡) is smaller than the original home (50.00 ㎡)" in texts(at.columns[0].info)
