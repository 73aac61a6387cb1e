"""The ledger's commands as a clerk types them: flats import, draw, allocate, receive, move-in, account, reports."""
import json

import pytest
from ledger_helpers import CLERK, SUPERVISOR, seed_register
from python_calamine import CalamineWorkbook

from calculator.cli import main
from calculator.register.db import make_engine
from calculator.register.migrate import upgrade

FLATS_CSV = "楼号,单元,楼层,房号,建筑面积（㎡）,户型（㎡）\n1,1,1,101,40.12,40\n1,1,2,201,48.10,48\n"


@pytest.fixture
def url(register_url):
    engine = make_engine(register_url)
    upgrade(engine)
    seed_register(engine, [{"no": "H1", "name": "张小伟", "original_area": "36.5", "unit_area": "40", "low_income": True,
                            "defer": True},
                           {"no": "H2", "name": "欧阳明娜", "original_area": "45", "unit_area": "48"}])
    engine.dispose()
    return register_url


def cli(capsys, url, *args) -> tuple[int, str, str]:
    status = main(["register", "--db", url, *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_a_household_from_its_flat_to_the_end_of_its_deferral(url, tmp_path, capsys):
    flats = tmp_path / "flats.csv"
    flats.write_text(FLATS_CSV + "1,1,3,301,50.00,50\n", encoding="utf-8")
    status, _, err = cli(capsys, url, "flats", "import", str(flats), "--project", "P1", "--user", CLERK)
    assert status == 3 and "第4行“户型”：不是本方案的户型（40、48、58、68、75㎡）（50）" in err
    assert "row 4, type: is not a unit type of the plan (40, 48, 58, 68, 75 m²)" in err and "no flat was imported" in err
    flats.write_text(FLATS_CSV, encoding="utf-8")
    assert cli(capsys, url, "flats", "import", str(flats), "--project", "P1", "--user", CLERK)[:2] == (
        0, "已导入房屋 2 套 / 2 flats imported\n")
    status, out, _ = cli(capsys, url, "draw", "--seed", "2026-01-15 县公证处", "--project", "P1", "--user", SUPERVISOR)
    assert status == 0 and "numbers 1–2" in out
    status, _, err = cli(capsys, url, "draw", "--seed", "again", "--project", "P1", "--user", SUPERVISOR)
    assert status == 2 and "no household to order" in err and "nothing was written" in err
    # sha256("2026-01-15 县公证处:H1") < sha256("…:H2"): H1 picks first
    status, _, err = cli(capsys, url, "allocate", "H2", "1-1-201", "--project", "P1", "--user", CLERK)
    assert status == 2 and "household H1 (number 1) has not picked" in err
    assert cli(capsys, url, "allocate", "H1", "1-1-101", "--project", "P1", "--user", CLERK)[0] == 0
    for args, message in [
        (("--amount", "720.001", "--date", "2025-07-01"), "the amount '720.001' is not valid"),
        (("--amount", "720", "--date", "2025-02-30"), "the date '2025-02-30' is not valid"),
        (("--amount", "-5", "--date", "2025-07-01"), "a receipt must be above zero"),
        (("--amount", "3520.01", "--date", "2025-07-01"), "more than household H1 owes (3,520.00 yuan)"),
    ]:
        status, _, err = cli(capsys, url, "receive", "H1", "--receipt", "R1", *args, "--project", "P1", "--user", CLERK)
        assert status == 2 and message in err
    status, _, err = cli(capsys, url, "move-in", "H1", "--date", "2025-10-01", "--project", "P1", "--user", CLERK)
    assert status == 2 and "must pay 720.00 yuan before moving in" in err
    assert cli(capsys, url, "receive", "H1", "--receipt", "R1", "--amount", "720.00", "--date", "2025-09-30",
               "--project", "P1", "--user", CLERK)[0] == 0
    assert cli(capsys, url, "move-in", "H1", "--date", "2025-10-01", "--project", "P1", "--user", CLERK)[:2] == (
        0, "已登记入住 1 户 / moved in: 1\n")
    status, out, _ = cli(capsys, url, "account", "H1", "--project", "P1", "--as-of", "2027-10-02", "--json")
    data = json.loads(out)
    assert [(d["due_on"], d["amount_fen"]) for d in data["dues"]] == [("2025-10-01", 72000), ("2026-10-01", 168000),
                                                                       ("2027-10-01", 112000)]
    assert data["status"] == "low_rent" and data["consequence"]["zh"] == "到期后仍无能力交纳欠款的，按廉租房管理。"

    out_file = tmp_path / "overdue.xlsx"
    assert cli(capsys, url, "report", "overdue", "-o", str(out_file), "--project", "P1", "--as-of", "2027-10-02")[0] == 0
    rows = CalamineWorkbook.from_path(str(out_file)).get_sheet_by_index(0).to_python()
    assert rows[4][:3] == ["H1", "张小伟", "139"] and rows[4][5] == 2800.0
    public = tmp_path / "public.json"
    assert cli(capsys, url, "report", "public", "-o", str(public), "--format", "json", "--project", "P1")[0] == 0
    assert [r["name"] for r in json.loads(public.read_text("utf-8"))["rows"]] == ["张*伟", "欧阳*娜"]
    status, _, err = cli(capsys, url, "report", "funds", "-o", str(tmp_path / "no" / "f.xlsx"), "--project", "P1")
    assert status == 2 and "the output folder does not exist" in err


def test_a_batch_of_receipts_is_all_or_nothing(url, tmp_path, capsys):
    batch = tmp_path / "bank.csv"
    batch.write_text("户号,收据号,金额（元）,日期\nH2,B-1,10000.00,2025-07-01\nH1,B-2,720.00,2025-07-01\n"
                     "H2,B-3,7364.01,2025-07-02\n", encoding="utf-8")
    status, _, err = cli(capsys, url, "receive", "--file", str(batch), "--user", CLERK)
    assert status == 2 and "第4行：收款 7,364.01 元超过住户 H2 的欠款余额 7,364.00 元" in err and "row 4: " in err
    status, out, _ = cli(capsys, url, "account", "H2", "--json")
    assert json.loads(out)["paid_fen"] == 0  # rows 2 and 3 were not kept either
    batch.write_text(batch.read_text("utf-8").replace("7364.01", "7364.00"), encoding="utf-8")
    assert cli(capsys, url, "receive", "--file", str(batch), "--user", CLERK)[:2] == (
        0, "已登记收款 3 笔，共 18,084.00 元 / recorded 3 receipts, 18,084.00 yuan\n")
    status, _, err = cli(capsys, url, "receive", "H1", "--file", str(batch), "--user", CLERK)
    assert status == 2 and "not both" in err
    status, _, err = cli(capsys, url, "receive", "H1", "--amount", "1", "--date", "2025-07-01", "--user", CLERK)
    assert status == 2 and "receipt is missing" in err


def test_account_and_show_open_the_accounts_of_new_agreements(url, capsys):
    """Signed but never seen by the ledger: `account` and `show` open its account first, so its dues show."""
    status, out, _ = cli(capsys, url, "account", "H2", "--json", "--as-of", "2025-07-01")
    assert status == 0 and [(d["kind"], d["amount_fen"]) for d in json.loads(out)["dues"]] == [("before_move_in", 1736400)]
    status, out, _ = cli(capsys, url, "show", "H1", "--as-of", "2025-07-01")
    assert status == 0 and "缓交第2期" in out and "入住前款项未交清" in out
