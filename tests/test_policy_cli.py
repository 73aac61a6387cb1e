"""`policy check` and `policy explain`: what a policy author and the reviewing office see."""
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from calculator.cli import main
from calculator.explain import explain_policy
from calculator.policy import POLICY_DIR, load_policy

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(POLICY_DIR.glob("*.toml")) + sorted((ROOT / "tests" / "policies").glob("*.toml"))
TAHE = POLICY_DIR / "tahe.toml"
EVERY_KIND = ROOT / "tests" / "policies" / "every_kind.toml"


def run(capsys, *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out + err


def test_shipped_files_pass_the_check(capsys):
    status, out = run(capsys, "policy", "check", *map(str, SHIPPED))
    assert status == 0, out
    lines = out.strip().splitlines()
    assert len(lines) == len(SHIPPED)
    sha = hashlib.sha256(TAHE.read_bytes()).hexdigest()
    assert f"OK / 通过 tahe.toml: tahe 2025.1 sha256 {sha}; 6 items / 项目, 0 inputs / 输入" in lines
    assert any(line.startswith("OK / 通过 every_kind.toml: every_kind 0.1-test sha256 ")
               and line.endswith("; 14 items / 项目, 6 inputs / 输入") for line in lines)


def test_a_policy_id_is_checked_too(capsys):
    status, out = run(capsys, "policy", "check", "tahe")
    assert status == 0 and out.startswith("OK / 通过 tahe.toml: tahe 2025.1")


def test_broken_files_exit_2_listing_every_problem_with_its_key(capsys, tmp_path):
    text = TAHE.read_text("utf-8")
    first = tmp_path / "first.toml"
    first.write_text(text.replace("rate = { value = 300.00,", "rate = { value = -300.00,", 1)
                     .replace(', source = "五、6: 按每平方米18元" }', " }", 1), "utf-8")
    second = tmp_path / "second.toml"
    second.write_text(text.replace('to = "standard"', 'to = "standrad"', 1), "utf-8")
    status, out = run(capsys, "policy", "check", str(first), str(TAHE), str(second))
    assert status == 2
    assert "first.toml: items.structure_difference.rate.value: must not be negative, got -300.00" in out
    assert "first.toml: items.maintenance_fund.rate.source: missing / 缺少此项" in out
    assert "second.toml: items.reasonable_extra_area.to: unknown name(s) standrad in 'standrad' / 未定义的名称" in out
    assert "OK / 通过 tahe.toml" in out
    assert out.strip().endswith("3 problem(s) / 共3处问题")
    assert str(tmp_path) not in out  # the file's name, never the machine's path


def test_a_missing_file_or_bad_toml_is_a_problem_not_a_traceback(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"[policy\nid = \xff")
    status, out = run(capsys, "policy", "check", str(tmp_path / "nowhere.toml"), str(bad))
    assert status == 2
    assert "nowhere.toml: (file): no such policy file / 没有这个政策文件" in out
    assert "bad.toml: (file): not valid UTF-8 TOML / 不是有效的UTF-8 TOML文件" in out
    assert "Traceback" not in out and str(tmp_path) not in out


def test_explain_tahe_in_chinese_gives_each_number_with_unit_and_source(capsys):
    status, out = run(capsys, "policy", "explain", str(TAHE))
    assert status == 0
    sha = hashlib.sha256(TAHE.read_bytes()).hexdigest()
    for text in ("塔河县棚户区改造回迁安置政策", "《塔河县棚户区改造实施方案》", "版本: 2025.1", sha, "文件名: tahe.toml",
                 "D1 原面积大于所有户型",
                 "选择面积中 0 至 原房屋建筑面积 之间的部分 × 结构差价 300.00 元/㎡（出处: 四、3: 每平方米300元结构差价）",
                 "选择面积中 原房屋建筑面积 至 安置标准面积 之间的部分 × 合理享受面积单价 1,000.00 元/㎡（出处: 四、3: 按1000元/平方米结算差价）",
                 "低保户时：低保户合理享受面积单价 800.00 元/㎡（出处: 四、4: 合理扩大面积部分每平方米减收200元房款 (1000 − 200)）",
                 "选择面积中超过 安置标准面积 的部分 × 超出面积单价 1,200.00 元/㎡",
                 "选择户型面积 × 维修资金标准 18.00 元/㎡（出处: 五、6: 按每平方米18元）",
                 "依据决定 D4 (条件: 低保户)",
                 "未安置面积 (shortfall) = 原房屋建筑面积 − 选择户型面积, 不小于0",
                 "适用: 回迁安置; 住户交纳; 计入结算; 可缓交",
                 "适用: 货币补偿; 住户领取; 计入结算",
                 "可申请的户：低保户 并且 回迁安置", "第1期：入住后1年，60%（出处: 四、4: 第一年交房款的60%）",
                 "第2期：入住后2年，40%", "非节能住宅取暖费标准（示例） 35.00 元/㎡·采暖期（出处: D5）",
                 "节能住宅收费比例 70%", "评估单价上限 100,000.00 元/㎡",
                 "户型：40.00 ㎡, 48.00 ㎡, 58.00 ㎡, 68.00 ㎡, 75.00 ㎡"):
        assert text in out, text
    _plain_text(out)


def test_explain_tahe_in_english(capsys):
    status, out = run(capsys, "policy", "explain", str(TAHE), "--lang", "en")
    assert status == 0
    for text in ("Tahe County shantytown redevelopment resettlement policy",
                 "chosen area between original area and standard area × reasonable extra area price 1,000.00 yuan/m² "
                 "(source: 四、3: 按1000元/平方米结算差价)",
                 "low-income: reasonable extra area price, low-income 800.00 yuan/m² (source: 四、4",
                 "applies to: in-kind resettlement; the household pays; settled; may be deferred",
                 "chosen unit area × maintenance fund rate 18.00 yuan/m² (source: 五、6: 按每平方米18元)",
                 "Who may defer: low-income and in-kind", "Installment 1: 1 year(s) after move-in, 60% (source:",
                 "standard heating rate (example) 35.00 yuan/m²/season (source: D5) (an example)",
                 "maximum appraised price 100,000.00 yuan/m²", "File: tahe.toml"):
        assert text in out, text
    _plain_text(out)


def test_explain_every_kind_describes_inputs_and_every_item_kind(capsys):
    status, out = run(capsys, "policy", "explain", str(EVERY_KIND), "--lang", "en")
    assert status == 0
    for text in (
        "household members (persons): whole number, person; min 1; max 20; required; also accepted as: 人口, 家庭人数",
        "transition period (transition_months): whole number, month; min 0; max 60; required when in-kind; default 24",
        "household registration (hukou): choice; optional; default 'local'; choices: local = local (本地), nonlocal = non-local (外地)",
        "has a business use (has_business): yes/no; optional; default no",
        "signing_start: signing period start 2026-03-01 (source: 第七条: 自2026年3月1日起签约)",
        "= the larger of (household members × area per person (20.00 m²/person), original area)",
        "Floor: when low-income, at least low-income minimum area (45.00 m²) (source: D1, rests on decision D1)",
        "chosen area between standard area and standard area + area at cost over the standard (10.00 m²) × cost price 1,500.00 yuan/m²",
        "household registration = 'non-local': cash factor, non-local 100%",
        "per household: moving allowance rate 1,500.00 yuan/household",
        "household members × subsidy per person 2,000.00 yuan/person",
        "at most: relocation subsidy cap 8,000.00 yuan (source: 第五条: 每户最高8000元)",
        "at least: minimum fund 1,000.00 yuan",
        "original area × transition rent rate 12.00 yuan/m²/month (source: 第六条: 每月每平方米12元) × transition period; "
        "per month at least transition rent monthly minimum 600.00 yuan/month",
        "appraised decoration value × decoration share 100% (source: 第八条: 按评估价值全额补偿)",
        "within 30 days: original area × reward within 30 days 200.00 yuan/m²",
        "after the last tier: none",
        "a fixed amount: business allowance 5,000.00 yuan", "only when: has a business use",
        "the household pays; shown only, not settled",
        "rewards and subsidies (rewards_and_subsidies) = moving allowance + relocation subsidy + transition rent + "
        "early signing reward + business interruption allowance",
        "Installment 3: 3 year(s) after move-in, 20%",
    ):
        assert text in out, text
    _plain_text(out)


def test_explain_of_a_broken_file_lists_its_problems(capsys, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(TAHE.read_text("utf-8").replace('to = "original"', 'to = "original + 10"', 1), "utf-8")
    status, out = run(capsys, "policy", "explain", str(broken))
    assert status == 2
    assert "broken.toml: items.structure_difference.to: the number 10 in 'original + 10' must be a named parameter" in out


def test_explain_is_a_pure_function_the_app_can_show():
    loaded = load_policy("tahe")
    text = explain_policy(loaded.rules, "zh", loaded.identity, "tahe.toml")
    assert text == explain_policy(loaded.rules, "zh", loaded.identity, "tahe.toml")
    assert "结构差价 300.00 元/㎡" in text and loaded.identity.sha256 in text
    assert "文件哈希" not in explain_policy(loaded.rules, "zh")


def test_the_command_as_a_real_process():
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "calculator", "policy", "explain", "tahe", "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and "1,200.00 yuan/m²" in done.stdout and done.stderr == ""


def _plain_text(out: str) -> None:
    """No Python reprs and no machine paths in what a reviewer reads."""
    for bad in ("Decimal(", "None", "datetime", "{'", "[", "True", "False", str(ROOT)):
        assert bad not in out, bad
    assert not re.search(r"\d+\.\d{3,}", out.replace(hashlib.sha256(b"").hexdigest(), ""))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_shipped_policy_explains_without_reprs(capsys, path, lang):
    status, out = run(capsys, "policy", "explain", str(path), "--lang", lang)
    assert status == 0
    loaded = load_policy(path)
    for item in loaded.rules.items:
        assert f"({item.code})" in out and item.source in out
    _plain_text(out)


def test_a_policy_nested_100000_levels_deep_is_refused_with_a_message(tmp_path):
    # Issue 9: a policy nested 100,000 levels deep gave a RecursionError in the CLI and on the policy page.
    from calculator.policy import PolicyError, parse_policy

    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    done = subprocess.run([sys.executable, "-m", "calculator", "policy", "check", str(deep)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr + done.stdout
    assert "nested too deeply / 嵌套层数过多" in done.stdout + done.stderr
    with pytest.raises(PolicyError) as caught:
        parse_policy(("a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n").encode(), "deep.toml")
    assert caught.value.problems == [("(file)", "nested too deeply / 嵌套层数过多")]


def test_a_policy_in_another_currency_is_refused():
    from calculator.policy import PolicyError, parse_policy

    text = (ROOT / "policies" / "tahe.toml").read_text("utf-8").replace('unit = "CNY/m2"', 'unit = "USD/m2"', 1)
    with pytest.raises(PolicyError) as caught:
        parse_policy(text.encode(), "usd.toml")
    assert any("unknown unit 'USD'" in reason for _, reason in caught.value.problems)
