"""The moving order and flats page (搬迁顺序与选房): the public draw re-run with nothing but sha256, the order by
signing time, one click allocating a flat in moving order, a flat another clerk took first, and the move-in."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from app_helpers import texts
from register_pages import (
    CLERK,
    SLICE,
    SUPERVISOR,
    choose_option,
    flat_holder,
    log_size,
    logged_since,
    offered_register,
    ordered_with_flats,
    page,
    sign,
)

from calculator.register import flats, ledger, order
from calculator.register.db import reading, transaction
from calculator.register.projects import current_policy, get_project, loaded_policy

FLATS = "register_flats_page.py"
SEED = "塔河镇2026年1月15日 县公证处 第1次抽签"
# The slice's agreed unit types: 40 m² TH-00001, 04, 05; 58 m² TH-00002, 03; 48 TH-00007; 68 TH-00006; 75 TH-00008.
# Rooms 101-104 are 40 m², 105 48 m², 106-107 58 m², 108 68 m², 109 75 m².
INVENTORY = {40: 4, 48: 1, 58: 2, 68: 1, 75: 1}


@pytest.fixture
def engine(tmp_path, monkeypatch):
    engine = offered_register(tmp_path, monkeypatch)
    sign(engine, *SLICE)
    return engine


def public_order(engine) -> list[str]:
    with reading(engine) as s:
        rows, _ = order.public_rows(s, get_project(s, None).id)
    return [no for _, no, *_ in rows]


def test_a_supervisor_runs_the_public_draw_anyone_can_re_run(engine):
    at = page(FLATS, (SUPERVISOR, "supervisor"))
    assert "已签协议、尚无顺序号的住户：9 户。" in texts(at.caption)
    at.text_input(key="reg_draw_seed").set_value(SEED).run()
    at.button(key="reg_draw").click().run()
    assert not at.exception, at.exception
    fingerprint = hashlib.sha256("\n".join(sorted(SLICE)).encode()).hexdigest()
    assert texts(at.success) == f"抽签完成：9 户，顺序号 1–9。种子：{SEED}；名单指纹：{fingerprint}"
    by_hand = sorted(SLICE, key=lambda no: hashlib.sha256(f"{SEED}:{no}".encode()).hexdigest())
    assert public_order(engine) == by_hand
    assert "已签协议、尚无顺序号的住户：0 户。" in texts(at.caption)


def test_the_draw_is_refused_to_a_clerk_and_without_a_seed(engine):
    at = page(FLATS, (CLERK, "clerk"))
    at.text_input(key="reg_draw_seed").set_value(SEED).run()
    before = log_size(engine)
    at.button(key="reg_draw").click().run()
    assert texts(at.error) == "未办理：用户：用户“李经办”是经办人，此操作需要主管"
    at.button(key="reg_order").click().run()
    assert texts(at.error) == "未办理：用户：用户“李经办”是经办人，此操作需要主管"
    boss = page(FLATS, (SUPERVISOR, "supervisor"))
    boss.button(key="reg_draw").click().run()  # no seed
    assert texts(boss.error).startswith("未办理：抽签种子：抽签种子须为1至200个可打印字符")
    assert public_order(engine) == []
    assert logged_since(engine, before) == [(CLERK, "refused", "order.draw"), (CLERK, "refused", "order.by_signing")]


def test_order_by_signing_time(engine):
    at = page(FLATS, (SUPERVISOR, "supervisor"), lang="en")
    at.button(key="reg_order").click().run()
    assert texts(at.success) == "Ordered by signing time: 9 households, numbers 1–9."
    assert public_order(engine) == list(SLICE)  # signed in this order
    at.button(key="reg_order").click().run()  # nobody left to number
    assert texts(at.error).startswith("Not done: Households: no household to order")


def test_one_click_allocates_the_next_household_a_flat_of_its_type(engine):
    ordered_with_flats(engine, INVENTORY)
    at = page(FLATS, (CLERK, "clerk"))
    assert at.radio(key="reg_flats_household").options == [
        "顺序号 1 · TH-00001 江英明 · 40㎡ 户型", "顺序号 2 · TH-00002 蔡兰磊 · 58㎡ 户型", "顺序号 3 · TH-00003 程磊涛 · 58㎡ 户型"]
    assert "40㎡ 户型空余房屋 4 套，点击即分配给该户：" in texts(at.caption)
    assert [b.label for b in at.button if b.key.startswith("reg_flat_")] == [
        f"1-1-10{i} · 1层 · 40㎡" for i in range(1, 5)]
    at.button(key="reg_flat_1-1-102").click().run()
    assert not at.exception, at.exception
    assert texts(at.success) == "已分配：住户 TH-00001 → 房屋 1-1-102。"
    assert flat_holder(engine, "102") == "TH-00001"
    assert at.radio(key="reg_flats_household").options[0] == "顺序号 2 · TH-00002 蔡兰磊 · 58㎡ 户型"
    assert [b.label for b in at.button if b.key.startswith("reg_flat_")] == ["1-1-106 · 1层 · 58㎡", "1-1-107 · 1层 · 58㎡"]


def test_a_household_out_of_turn_is_refused_to_a_clerk(engine):
    ordered_with_flats(engine, INVENTORY)
    at = choose_option(page(FLATS, (CLERK, "clerk")), "reg_flats_household", "顺序号 3", kind="radio")
    at.text_input(key="reg_flats_out_of_turn").set_value("住户行动不便").run()
    before = log_size(engine)
    at.button(key="reg_flat_1-1-106").click().run()
    assert texts(at.error) == "未办理：用户：用户“李经办”是经办人，此操作需要主管"
    assert flat_holder(engine, "106") is None
    assert logged_since(engine, before) == [(CLERK, "refused", "flat.allocate_out_of_turn")]


def test_a_flat_another_clerk_took_first_is_said_so(engine):
    ordered_with_flats(engine, INVENTORY)
    at = page(FLATS, (CLERK, "clerk"))  # the clerk sees TH-00001's four free 40 m² flats
    with transaction(engine) as s:  # meanwhile the supervisor, at another desk, gives 1-1-101 to TH-00004
        project = get_project(s, None)
        flats.allocate(s, project.id, "TH-00004", "1-1-101", SUPERVISOR, loaded_policy(current_policy(s, project)).rules,
                       out_of_turn="住户年迈，先行选房")
    at.button(key="reg_flat_1-1-101").click().run()
    assert not at.exception, at.exception
    assert texts(at.warning) == "房屋 1-1-101 刚被其他经办人分配，请另选一套。"
    assert texts(at.error) == "未办理：房屋：房屋 1-1-101 已分配给住户 TH-00004"
    assert flat_holder(engine, "101") == "TH-00004" and not at.success
    assert [b.label for b in at.button if b.key.startswith("reg_flat_")][0] == "1-1-102 · 1层 · 40㎡"
    at.button(key="reg_flat_1-1-102").click().run()
    assert texts(at.success) == "已分配：住户 TH-00001 → 房屋 1-1-102。"


def test_a_move_in_needs_the_amount_due_before_it(engine):
    ordered_with_flats(engine, INVENTORY)
    with transaction(engine) as s:
        project = get_project(s, None)
        rules = loaded_policy(current_policy(s, project)).rules
        flats.allocate(s, project.id, "TH-00001", "1-1-101", CLERK, rules)
        flats.allocate(s, project.id, "TH-00002", "1-1-106", CLERK, rules)
    at = page(FLATS, (CLERK, "clerk"))
    assert at.selectbox(key="reg_move_in_household").options == ["TH-00001 江英明 · 房屋 1-1-101",
                                                                 "TH-00002 蔡兰磊 · 房屋 1-1-106"]
    today = dt.date.today()  # the agreements were signed today
    at.button(key="reg_move_in").click().run()
    assert texts(at.error) == "未办理：户号：住户 TH-00001 入住前应交 17,046.00 元，已交 0.00 元，未交清不能入住"
    with transaction(engine) as s:
        project_id = get_project(s, None).id
        ledger.open_accounts(s, project_id, CLERK)
        ledger.receive(s, project_id, household_no="TH-00001", receipt_no="R-1", received_on=today,
                       amount_fen=1_704_600, clerk=CLERK)
    at.button(key="reg_move_in").click().run()
    assert texts(at.success) == f"已登记入住：住户 TH-00001，{today.isoformat()}。"
    assert at.selectbox(key="reg_move_in_household").options == ["TH-00002 蔡兰磊 · 房屋 1-1-106"]
