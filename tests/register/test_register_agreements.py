"""Agreements: signing freezes the newest offer with the statement PDF as its document; numbers without gaps, also
with two signing processes at once; a supervisor cancels with a reason; a signed household is not re-imported."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from register_helpers import cli_process, run_cli
from register_setup import FIVE, ROOT, staffed, survey_csv

from calculator.register import oplog
from calculator.register.db import reading
from calculator.register.models import Agreement, Household, Offer


def _offered(register_url, register_engine, tmp_path, rows=FIVE):
    staffed(register_engine)
    run_cli("import", str(survey_csv(tmp_path / "s.csv", rows)), "--user", "ann", url=register_url)
    run_cli("offer", "--user", "ann", url=register_url)


def _agreements(engine):
    with reading(engine) as session:
        return session.execute(sa.select(Household.household_no, Agreement.number, Agreement.cancelled_at,
                                          Agreement.document_sha256, Agreement.document, Agreement.offer_id)
                               .join(Household, Household.id == Agreement.household_id)
                               .order_by(Agreement.number)).all()


def test_signing_freezes_the_offer_with_its_statement_as_the_document(register_url, register_engine, tmp_path):
    _offered(register_url, register_engine, tmp_path)
    done = run_cli("sign", "H3", "H1", "--user", "boss", url=register_url)
    assert "H3  协议第1号 / agreement no. 1" in done.stdout and "H1  协议第2号 / agreement no. 2" in done.stdout
    rows = _agreements(register_engine)
    assert [(r.household_no, r.number) for r in rows] == [("H3", 1), ("H1", 2)]
    for r in rows:
        assert r.document.startswith(b"%PDF") and hashlib.sha256(r.document).hexdigest() == r.document_sha256
    with reading(register_engine) as session:
        h3 = session.execute(sa.select(Household).where(Household.household_no == "H3")).scalar_one()
        offer = session.get(Offer, rows[0].offer_id)
        assert h3.status == "signed" and offer.household_id == h3.id and offer.version == 1
        entry = oplog.history(session, h3.id)[-1]
        assert entry.action == "agreement.sign" and json.loads(entry.after)["document_sha256"] == rows[0].document_sha256
    out = tmp_path / "h3.pdf"
    run_cli("document", "H3", "-o", str(out), url=register_url)
    assert out.read_bytes() == rows[0].document
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True).stdout
        quote = json.loads(offer.quote_json)
        assert "H3" in text.decode() and f"{abs(float(quote['net_payable'])):,.2f}" in text.decode()
    again = run_cli("sign", "H3", "--user", "boss", url=register_url, check=2)
    assert "已签约（协议第1号）" in again.stderr and "already signed (agreement no. 1)" in again.stderr


def test_cancel_needs_a_supervisor_and_a_reason_and_stays_in_the_history(register_url, register_engine, tmp_path):
    _offered(register_url, register_engine, tmp_path)
    run_cli("sign", "H1", "H2", "--user", "boss", url=register_url)
    clerk = run_cli("cancel", "H1", "--reason", "面积有误", "--user", "ann", url=register_url, check=2)
    assert "needs a supervisor" in clerk.stderr
    blank = run_cli("cancel", "H1", "--reason", "  ", "--user", "boss", url=register_url, check=2)
    assert "needs a reason" in blank.stderr and "须写明原因" in blank.stderr
    run_cli("cancel", "H1", "--reason", "面积有误，重新测量", "--user", "boss", url=register_url)
    twice = run_cli("cancel", "H1", "--reason", "x", "--user", "boss", url=register_url, check=2)
    assert "no agreement in force" in twice.stderr
    run_cli("sign", "H1", "--user", "boss", url=register_url)
    rows = _agreements(register_engine)
    assert [(r.household_no, r.number, r.cancelled_at is not None) for r in rows] == [
        ("H1", 1, True), ("H2", 2, False), ("H1", 3, False)]
    with reading(register_engine) as session:
        cancelled = session.execute(sa.select(Agreement).where(Agreement.number == 1)).scalar_one()
        assert cancelled.cancelled_by == "boss" and cancelled.cancel_reason == "面积有误，重新测量"
        h1 = session.execute(sa.select(Household).where(Household.household_no == "H1")).scalar_one()
        actions = [e.action for e in oplog.history(session, h1.id)]
        assert actions == ["household.add", "offer.make", "agreement.sign", "agreement.cancel", "agreement.sign"]
        assert oplog.verify(session) is None


def test_a_signed_household_is_listed_not_updated_by_a_new_survey(register_url, register_engine, tmp_path):
    _offered(register_url, register_engine, tmp_path)
    run_cli("sign", "H1", "--user", "boss", url=register_url)
    changed = [FIVE[0].replace("45.30", "47.00"), FIVE[1].replace("30.00", "31.00"), *FIVE[2:]]
    done = run_cli("import", str(survey_csv(tmp_path / "b.csv", changed)), "--user", "ann", url=register_url)
    assert "updated 1" in done.stdout and "signed, left untouched 1" in done.stdout
    assert "  H1  （调查表中的数据不同 / the survey's row differs）" in done.stdout
    with reading(register_engine) as session:
        h1 = session.execute(sa.select(Household).where(Household.household_no == "H1")).scalar_one()
        assert h1.inputs["original_area"] == "45.30" and h1.status == "signed"
    assert "offers made 1" in run_cli("offer", "--user", "ann", url=register_url).stdout  # H2 only


def test_an_offer_under_an_older_policy_cannot_be_signed(register_url, register_engine, tmp_path):
    _offered(register_url, register_engine, tmp_path)
    policy = tmp_path / "tahe.toml"
    policy.write_text((ROOT / "policies" / "tahe.toml").read_text("utf-8").replace('version = "2025.1"',
                                                                                   'version = "2025.2"', 1), "utf-8")
    run_cli("project", "policy", "P1", "--policy", str(policy), "--user", "boss", url=register_url)
    done = run_cli("sign", "H1", "--user", "boss", url=register_url, check=2)
    assert "older policy" in done.stderr and "register offer" in done.stderr
    assert _agreements(register_engine) == []
    unknown = run_cli("sign", "H9", "--user", "boss", url=register_url, check=2)
    assert "no household 'H9'" in unknown.stderr


def test_two_signing_processes_at_once_number_without_gaps(register_url, register_engine, tmp_path):
    rows = [f"C{i:02d},住户{i},,{36 + i}.00,回迁,48,否,否,,2025-11-15" for i in range(1, 7)]
    _offered(register_url, register_engine, tmp_path, rows)
    numbers = [r.split(",")[0] for r in rows]
    clerks = [cli_process("sign", *order, "--user", user, url=register_url, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
              for order, user in ((numbers, "boss"), (numbers[::-1], "boss"))]
    outputs = [p.communicate(timeout=600) for p in clerks]
    assert all(p.returncode in (0, 3) for p in clerks), outputs
    signed = _agreements(register_engine)
    assert sorted(r.number for r in signed) == list(range(1, 7))  # no gap, no number twice
    assert sorted(r.household_no for r in signed) == numbers  # each household once
    # Every household was signed by one process and refused, with the reason, to the other.
    assert sum(o[0].count("已签约 / signed  ") for o in outputs) == 6
    assert sum(o[1].count("already signed") for o in outputs) == 6
    with reading(register_engine) as session:
        assert oplog.verify(session) is None


@pytest.mark.parametrize("args, words", [
    (["sign", "--user", "boss"], "give household numbers or --all"),
    (["sign", "H1", "--user", "audrey"], "this needs a supervisor"),
    (["sign", "H1", "--user", "ann"], "this needs a supervisor"),
    (["offer", "H1", "H77", "--user", "ann"], "no household 'H77'"),
    (["document", "H1", "-o", "/no/such/folder/x.pdf"], "has no such agreement"),
])
def test_bad_requests_are_refused(register_url, register_engine, tmp_path, args, words):
    _offered(register_url, register_engine, tmp_path)
    done = run_cli(*args, url=register_url, check=2)
    assert words in done.stderr and "Traceback" not in done.stderr
    assert _agreements(register_engine) == []
