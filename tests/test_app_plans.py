"""AppTest of the 方案测算 page: the sample under tahe and an edit of it, who gains and loses, totals, two quotes."""
from __future__ import annotations

from app_helpers import ROOT, metrics, start, texts

PAGE = "ui/plan_page.py"
SAMPLE = ROOT / "sample_data" / "tahe_survey_1200.xlsx"


def _compare(edits: str):
    at = start(PAGE)
    at.selectbox(key="plan_sample").set_value(SAMPLE).run()
    at.text_area(key="plan_edits").input(edits).run()
    at.button(key="plan_run").click().run()
    assert not at.exception, at.exception
    return at


def test_the_page_compares_the_sample_under_an_edit():
    at = _compare("items.reasonable_extra_area.rate=1100")
    m = metrics(at)
    assert (m["受益户"], m["受损户"], m["不变"]) == ("0", "897", "303")
    assert m["净额变化（收取 − 支付）"] == "¥430,487.00"
    plans = at.dataframe[0].value
    assert list(plans["政策与修改"]) == ["tahe 2025.1", "tahe 2025.1+draft · items.reasonable_extra_area.rate=1100 · 未经批准"]
    totals = next(d.value for d in at.dataframe if "所含项目（求和）" in d.value.columns and "方案B" in d.value.columns)
    row = totals[totals["合计项目（元）"] == "向住户收取合计"].iloc[0]
    assert (row["方案A"], row["方案B"], row["变化（B − A）"]) == ("¥22,024,141.20", "¥22,454,628.20", "¥430,487.00")
    quotes = at.dataframe[-1].value  # the household with the largest change, under both plans
    assert at.selectbox(key="plan_household").value is not None
    assert list(quotes.columns) == ["项目", "方案A", "方案B"] and "合理享受面积部分" in set(quotes["项目"])
    assert len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")) == 2
    assert [b.label for b in at.get("download_button")] == ["测算报告（xlsx）", "测算数据（json）"]


def test_a_bad_edit_is_said_in_words_not_a_traceback():
    at = _compare("items.nope.rate=1")
    assert "无法测算" in texts(at.error) and "no such key" in texts(at.error)


def test_every_word_key_is_written_once():
    """A dict literal keeps the last of two equal keys: a page's words could be another page's, silently."""
    import ast
    from collections import Counter

    tree = ast.parse((ROOT / "ui" / "i18n.py").read_text("utf-8"))
    strings = next(n.value for n in ast.walk(tree) if isinstance(n, ast.AnnAssign) and n.target.id == "STRINGS")
    keys = Counter(k.value for k in strings.keys)
    assert [k for k, n in keys.items() if n > 1] == []


def test_the_policy_page_keeps_its_own_title():
    at = start("ui/policy_page.py")
    assert [h.value for h in at.title] == ["政策参数"]
