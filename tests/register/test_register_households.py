"""Project, import and offers: the batch reader's rows and messages, updates of unsigned households, offer versions."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from register_helpers import run_cli
from register_setup import FIVE, MESSY_XLSX, ROOT, SAMPLE_XLSX, staffed, survey_csv

from calculator.register import oplog
from calculator.register.db import reading
from calculator.register.models import Household, Member, Offer, PolicyVersion
from calculator.result import build_quotes


def _count(engine, table: str, where: str = "") -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"select count(*) from {table} {where}")).scalar_one()


def test_the_sample_imports_and_every_offer_is_the_batch_quote(register_url, register_engine, clean_run, tahe):
    staffed(register_engine)
    done = run_cli("import", str(SAMPLE_XLSX), "--user", "ann", url=register_url)
    assert "added 1200" in done.stdout and "rejected 0" in done.stdout
    done = run_cli("offer", "--user", "ann", url=register_url)
    assert "offers made 1200" in done.stdout
    with reading(register_engine) as session:
        stored = dict(session.execute(sa.select(Household.household_no, Offer.quote_json)
                                      .join(Offer, Offer.household_id == Household.id)).all())
        net = dict(session.execute(sa.select(Household.household_no, Offer.net_fen)
                                   .join(Offer, Offer.household_id == Household.id)).all())
        policy = session.execute(sa.select(PolicyVersion)).scalar_one()
        assert oplog.verify(session) is None
    expected = {q.household_id: q.model_dump_json() for q in build_quotes(clean_run.settlement, tahe)}
    assert stored == expected  # every offer is, to the character, the quote `batch` gives that household
    results = clean_run.settlement.results
    assert sum(net.values()) == int(results[tahe.rules.schema.net_payable].sum())
    assert policy.sha256 == tahe.identity.sha256 and policy.text == (ROOT / "policies" / "tahe.toml").read_text("utf-8")
    first = json.loads(stored["TH-00001"])
    assert first["policy"] == {"id": "tahe", "version": "2025.1", "sha256": tahe.identity.sha256}
    assert _count(register_engine, "members") == 1200  # each head of household
    assert _count(register_engine, "oplog", "where action = 'household.add'") == 1200
    assert "offers made 0" in run_cli("offer", "--user", "ann", url=register_url).stdout  # nothing new to settle


def test_rejected_rows_are_listed_with_the_batch_messages_and_exit_3(register_url, register_engine, messy_run):
    staffed(register_engine)
    done = run_cli("import", str(MESSY_XLSX), "--user", "ann", url=register_url, check=3)
    for e in messy_run.errors[:15]:
        assert f"第{e.row}行 row {e.row}  [{e.column or e.field}] {e.message_zh} / {e.message_en}" in done.stdout
    assert f"rejected {messy_run.counts.rejected}" in done.stdout
    assert _count(register_engine, "households") == messy_run.counts.computed
    rejected_ids = {messy_run.raw.at[r, messy_run.header_of("household_id")] for r in messy_run.rejected_rows}
    with reading(register_engine) as session:
        filed = set(session.execute(sa.select(Household.household_no)).scalars())
    assert not filed & (rejected_ids - {""})


def test_reimport_updates_unsigned_households_and_new_offers_are_new_versions(register_url, register_engine, tmp_path):
    staffed(register_engine)
    run_cli("import", str(survey_csv(tmp_path / "a.csv", FIVE)), "--user", "ann", url=register_url)
    run_cli("offer", "--user", "ann", url=register_url)
    with reading(register_engine) as session:
        first = {o.household_id: o.quote_json for o in session.execute(sa.select(Offer)).scalars()}
    changed = [FIVE[0].replace("45.30", "46.10"), *FIVE[1:], "H6,孙六,,40.00,回迁,40,否,否,,2025-11-15"]
    done = run_cli("import", str(survey_csv(tmp_path / "b.csv", changed)), "--user", "ann", url=register_url)
    assert "added 1   更新 / updated 1   无变化 / unchanged 4" in done.stdout
    done = run_cli("offer", "--user", "ann", url=register_url)
    assert "offers made 2" in done.stdout  # H1 (changed) and H6 (new)
    with reading(register_engine) as session:
        h1 = session.execute(sa.select(Household).where(Household.household_no == "H1")).scalar_one()
        offers = session.execute(sa.select(Offer).where(Offer.household_id == h1.id).order_by(Offer.version)).scalars().all()
        assert [o.version for o in offers] == [1, 2]
        assert offers[0].quote_json == first[h1.id]  # the old offer is kept as it was
        assert json.loads(offers[1].quote_json)["areas"]["original"] == "46.10"
        assert h1.inputs["original_area"] == "46.10" and h1.survey["原房屋建筑面积（㎡）"] == "46.10"
        log = oplog.history(session, h1.id)
        assert [e.action for e in log] == ["household.add", "offer.make", "household.update", "offer.make"]
        assert json.loads(log[2].before)["inputs"]["original_area"] == "45.30"
        assert oplog.verify(session) is None


def test_a_new_policy_version_makes_new_offer_versions_and_keeps_the_old(register_url, register_engine, tmp_path):
    staffed(register_engine)
    run_cli("import", str(survey_csv(tmp_path / "a.csv", FIVE)), "--user", "ann", url=register_url)
    run_cli("offer", "--user", "ann", url=register_url)
    text = (ROOT / "policies" / "tahe.toml").read_text("utf-8")
    newer = tmp_path / "tahe_2026.toml"
    newer.write_text(text.replace('version = "2025.1"', 'version = "2026.1"', 1)
                     .replace("value = 300.00, unit = \"CNY/m2\", label_zh = \"结构差价\"",
                              "value = 320.00, unit = \"CNY/m2\", label_zh = \"结构差价\""), "utf-8")
    refused = run_cli("project", "policy", "P1", "--policy", str(newer), "--user", "ann", url=register_url, check=2)
    assert "supervisor" in refused.stderr
    run_cli("project", "policy", "P1", "--policy", str(newer), "--user", "boss", url=register_url)
    again = run_cli("project", "policy", "P1", "--policy", str(newer), "--user", "boss", url=register_url, check=2)
    assert "already adopted" in again.stderr
    assert "offers made 5" in run_cli("offer", "--user", "ann", url=register_url).stdout
    with reading(register_engine) as session:
        offers = session.execute(sa.select(Offer).order_by(Offer.household_id, Offer.version)).scalars().all()
        versions = session.execute(sa.select(PolicyVersion).order_by(PolicyVersion.id)).scalars().all()
    assert [(o.version, o.policy_version_id) for o in offers] == [(1, versions[0].id), (2, versions[1].id)] * 5
    for old, new in zip(offers[::2], offers[1::2]):
        assert json.loads(old.quote_json)["policy"]["version"] == "2025.1"
        assert json.loads(new.quote_json)["policy"] == {"id": "tahe", "version": "2026.1", "sha256": versions[1].sha256}
    h1_old, h1_new = json.loads(offers[0].quote_json), json.loads(offers[1].quote_json)
    assert h1_old["net_payable"] != h1_new["net_payable"]  # the structure difference went up


def test_members_and_declared_inputs_are_kept(register_url, register_engine, tmp_path):
    staffed(register_engine, policy="per_person_quota")
    header = "户号,户主姓名,身份证号,原房屋建筑面积（㎡）,安置方式,选择户型（㎡）,评估单价（元/㎡）,家庭成员,persons"
    rows = ["Q1,周一,232722198001010016,45.30,回迁,60,,李梅（配偶）；周小一（子女）：232722201001010013,3",
            "Q2,吴二,,50.00,回迁,60,,,1",
            "Q3,郑三,,50.00,回迁,60,,张三？？（,2"]
    done = run_cli("import", str(survey_csv(tmp_path / "m.csv", rows, header)), "--user", "ann", url=register_url,
                   check=3)
    assert "[家庭成员] 家庭成员“张三？？（”无法识别" in done.stdout and "members '张三？？（' cannot be read" in done.stdout
    with reading(register_engine) as session:
        q1 = session.execute(sa.select(Household).where(Household.household_no == "Q1")).scalar_one()
        members = session.execute(sa.select(Member.position, Member.name, Member.relation, Member.id_number)
                                  .where(Member.household_id == q1.id).order_by(Member.position)).all()
        assert session.execute(sa.select(Household.household_no).order_by(Household.id)).scalars().all() == ["Q1", "Q2"]
    assert [tuple(m) for m in members] == [(1, "周一", "户主", "232722198001010016"), (2, "李梅", "配偶", ""),
                                          (3, "周小一", "子女", "232722201001010013")]
    assert q1.inputs["persons"] == "3" and q1.survey["家庭成员"].startswith("李梅")


@pytest.mark.parametrize("args, field, words", [
    (["--user", "nobody"], "user", "is not in the register"),
    (["--user", "audrey"], "user", "this needs a clerk or supervisor"),
    (["--user", "ann", "--project", "NOPE"], "project", "no project 'NOPE'"),
])
def test_refused_imports_write_nothing(register_url, register_engine, args, field, words):
    staffed(register_engine)
    done = run_cli("import", str(SAMPLE_XLSX), *args, url=register_url, check=2)
    assert words in done.stderr and "nothing was written" in done.stderr
    assert _count(register_engine, "households") == 0


def test_an_unusable_survey_is_refused_with_the_reader_message(register_url, register_engine, tmp_path):
    staffed(register_engine)
    bad = tmp_path / "bad.csv"
    bad.write_text("名字,电话\n王一,123\n", encoding="utf-8")
    done = run_cli("import", str(bad), "--user", "ann", url=register_url, check=2)
    assert "找不到表头行" in done.stderr and "no header row found" in done.stderr
    missing = run_cli("import", str(tmp_path / "none.csv"), "--user", "ann", url=register_url, check=2)
    assert "cannot read" in missing.stderr and "Traceback" not in missing.stderr
    assert _count(register_engine, "households") == 0 and _count(register_engine, "oplog", "where action like 'household%'") == 0
