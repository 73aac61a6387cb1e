"""`register show`, `register verify` (a tampered or deleted entry, on both backends) and backup/restore round trips."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from register_helpers import run_cli
from register_setup import FIVE, staffed, survey_csv

from calculator.register.db import make_engine
from calculator.register.migrate import metadata


@pytest.fixture
def lived(register_url, register_engine, tmp_path):
    """Five households imported and offered, two signed, one of them cancelled and signed again."""
    staffed(register_engine)
    run_cli("import", str(survey_csv(tmp_path / "s.csv", FIVE)), "--user", "ann", url=register_url)
    run_cli("offer", "--user", "ann", url=register_url)
    run_cli("sign", "H1", "H2", "--user", "boss", url=register_url)
    run_cli("cancel", "H1", "--reason", "面积复核", "--user", "boss", url=register_url)
    run_cli("sign", "H1", "--user", "boss", url=register_url)
    return register_url


def test_show_gives_the_file_with_its_history(lived):
    text = run_cli("show", "H1", url=lived).stdout
    assert "户号 / household H1" in text and "户主 / head 王一" in text and "已签约 (signed)" in text
    assert "第1号 / no. 1" in text and "已撤销 / cancelled" in text and "面积复核" in text and "第3号 / no. 3" in text
    assert "签约 agreement.sign" in text and "撤销协议 agreement.cancel" in text
    data = json.loads(run_cli("show", "H1", "--json", url=lived).stdout)
    assert data["household_no"] == "H1" and data["status"] == "signed" and data["inputs"]["original_area"] == "45.30"
    assert [a["number"] for a in data["agreements"]] == [1, 3] and data["agreements"][0]["cancel_reason"] == "面积复核"
    assert data["offers"][0]["quote"]["household_id"] == "H1" and data["offers"][0]["net_fen"] == round(
        float(data["offers"][0]["quote"]["net_payable"]) * 100)
    assert [e["action"] for e in data["history"]] == ["household.add", "offer.make", "agreement.sign",
                                                      "agreement.cancel", "agreement.sign"]
    missing = run_cli("show", "H9", url=lived, check=2)
    assert "登记簿中没有户号“H9”" in missing.stderr and "no household 'H9'" in missing.stderr


@pytest.mark.parametrize("tamper, words", [
    ("UPDATE oplog SET after = replace(after, '面积复核', '随便') WHERE action = 'agreement.cancel'", "was changed"),
    ("DELETE FROM oplog WHERE seq = 3", "log entry 3 is missing"),
    ("DELETE FROM oplog WHERE seq = (SELECT max(seq) FROM oplog)", "missing from the end"),
    ("UPDATE policies SET text = text || ' '", "does not match its sha256"),
])
def test_verify_finds_a_tampered_or_deleted_entry(lived, tamper, words):
    assert "intact" in run_cli("verify", url=lived).stdout
    engine = make_engine(lived)
    with engine.begin() as conn:
        conn.exec_driver_sql(tamper)
    engine.dispose()
    done = run_cli("verify", url=lived, check=1)
    assert words in done.stdout


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]
               for t in metadata().sorted_tables}
    engine.dispose()
    return out


def test_backup_and_restore_round_trip_row_for_row(lived, tmp_path, request):
    ext = ".db" if lived.startswith("sqlite") else ".dump.gz"
    copy = tmp_path / f"backup{ext}"
    assert "backed up" in run_cli("backup", str(copy), url=lived).stdout
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    if lived.startswith("postgresql"):  # a dump is portable: back into PostgreSQL, and into SQLite
        from register_helpers import postgres_database
        with postgres_database(request.getfixturevalue("postgres_server")) as pg_target:
            run_cli("restore", str(copy), url=pg_target)
            assert _rows(pg_target) == _rows(lived)
            assert "intact" in run_cli("verify", url=pg_target).stdout
            run_cli("sign", "H3", "--user", "boss", url=pg_target)  # ids continue after the restored ones
    run_cli("restore", str(copy), url=target)
    assert _rows(target) == _rows(lived)
    assert "intact" in run_cli("verify", url=target).stdout
    again = run_cli("restore", str(copy), url=target, check=2)
    assert "already holds records" in again.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a backup")
    assert "is not a register backup" in run_cli("restore", str(junk), url=f"sqlite:///{tmp_path / 'x.db'}",
                                                  check=2).stderr
    assert "does not exist" in run_cli("backup", str(tmp_path / "no" / "b.db"), url=lived, check=2).stderr


def test_a_backup_taken_while_a_clerk_signs_is_consistent(register_url, register_engine, tmp_path):
    """Backups taken while another process signs: each restores, verifies, and holds as many agreements as its log
    says were signed (a snapshot, never half a signing)."""
    import subprocess
    import time

    from register_helpers import cli_process

    staffed(register_engine)
    run_cli("import", str(survey_csv(tmp_path / "s.csv", FIVE)), "--user", "ann", url=register_url)
    run_cli("offer", "--user", "ann", url=register_url)
    clerk = cli_process("sign", "--all", "--user", "boss", url=register_url, stdout=subprocess.PIPE, text=True)
    copies = []
    while clerk.poll() is None or not copies:
        copy = tmp_path / f"copy{len(copies)}.bak"
        run_cli("backup", str(copy), url=register_url)
        copies.append(copy)
        time.sleep(0.5)
    assert clerk.wait(timeout=300) == 0
    for i, copy in enumerate(dict.fromkeys([copies[0], copies[len(copies) // 2], copies[-1]])):
        target = f"sqlite:///{tmp_path / f'restored{i}.db'}"
        run_cli("restore", str(copy), url=target)
        assert "intact" in run_cli("verify", url=target).stdout
        engine = make_engine(target)
        with engine.connect() as conn:
            agreements = conn.execute(sa.text("select count(*) from agreements")).scalar_one()
            logged = conn.execute(sa.text("select count(*) from oplog where action = 'agreement.sign'")).scalar_one()
            signed = conn.execute(sa.text("select count(*) from households where status = 'signed'")).scalar_one()
        engine.dispose()
        assert agreements == logged == signed
