"""AppTest of the policy page: values with label, unit and source; the hash; upload a bad or a good policy."""
from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from app_helpers import APP, ROOT, html_text, metrics, start, texts
from calculator import load_policy

PAGE = "ui/policy_page.py"
TAHE = ROOT / "policies" / "tahe.toml"
COUNTY_B = ROOT / "tests" / "policies" / "county_b.toml"


def test_every_value_with_label_unit_and_source():
    at = start(PAGE)
    page = html_text(at)
    assert re.search(r"原面积部分结构差价\s+结构差价\s+300\s+元/㎡\s+四、3: 每平方米300元结构差价", page)
    assert re.search(r"缓交\s+第一期比例\s+60\s+%\s+四、4: 第一年交房款的60%", page)
    assert re.search(r"取暖费\s+非节能住宅取暖费标准（示例）\s+35\s+元/㎡·采暖期\s+D5", page)
    assert "D3" in page and "未安置的面积按评估单价给予货币补偿" in page
    assert load_policy("tahe").identity.sha256 in texts(at.markdown)


def test_a_broken_policy_shows_its_problems():
    # the maintenance fund rate loses its source: a value without a source must not load (STYLE §1)
    broken = TAHE.read_text("utf-8").replace(', source = "五、6: 按每平方米18元" }', " }").encode("utf-8")
    assert broken != TAHE.read_bytes()
    at = start(PAGE)
    at.file_uploader(key="policy_upload").set_value(("broken.toml", broken, "application/toml")).run()
    assert not at.exception
    assert "政策文件无效：1 处问题" in texts(at.error)
    assert re.search(r"items\.maintenance_fund\.rate\.source\s+missing", html_text(at))
    assert not at.button  # nothing to use


def test_use_an_uploaded_policy_for_the_session():
    at = start(PAGE)
    at.file_uploader(key="policy_upload").set_value(("county_b.toml", COUNTY_B.read_bytes(), "application/toml")).run()
    assert "政策文件有效" in texts(at.success)
    at.button[0].click().run()
    assert not at.exception
    assert "本次会话正在使用上传的政策 county_b" in texts(at.info)
    # the counter now quotes under County B: four bands, its own unit types (tests/cases/county_b_01)
    at.switch_page("ui/quote_page.py").run()
    at.text_input(key="q_original_area").set_value("50").run()
    at.selectbox(key="q_unit_choice").set_value("other").run()
    at.text_input(key="q_unit_area").set_value("72").run()
    assert not at.exception
    assert metrics(at)["应交合计"] == "¥40,800.00"
    assert "¥15,000.00" in html_text(at)  # the near-excess band at cost price


def test_choose_a_policy_file():
    at = start(PAGE)
    assert at.selectbox(key="policy_choice").value == "tahe"
    assert "塔河县棚户区改造回迁安置政策 · Tahe County shantytown redevelopment resettlement policy (2025.1)" in \
        at.selectbox(key="policy_choice").options  # by name, no path


def test_a_policy_file_that_fails_falls_back_to_the_default_and_says_why():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["policy_choice"] = "no_such_policy"
    at.run()
    assert not at.exception
    assert "no_such_policy" in texts(at.sidebar.warning)
    assert metrics(at)["应交合计"] == "¥17,364.00"  # the counter works, on tahe
    at.switch_page(PAGE).run()
    assert "政策文件 no_such_policy 无法使用" in texts(at.error)
    assert "no such policy file" in html_text(at)
    at.run()
    assert not at.sidebar.warning  # said once; the session is on tahe now
