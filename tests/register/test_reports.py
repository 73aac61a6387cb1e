"""Report builders over plain rows, and the xlsx and JSON every report is written as."""
import datetime as dt
import io
import json
from decimal import Decimal

import numpy as np
from python_calamine import CalamineWorkbook

from calculator.register import dues, reports

D = dt.date


def frames(due_rows, paid_rows) -> dues.Book:
    return dues.Book.of([(h, kind, 0, on, fen, direction) for h, kind, on, fen, direction in due_rows],
                        [(h, on, fen, f"R{i}") for i, (h, on, fen) in enumerate(paid_rows)])


DUES = [(1, "before_move_in", "2025-10-01", 72000, "pay"), (1, "installment", "2026-10-01", 168000, "pay"),
        (1, "installment", "2027-10-01", 112000, "pay"), (2, "before_move_in", "2025-11-15", 1736400, "pay"),
        (3, "before_move_in", None, 86400, "pay"), (4, "payout", None, 11244500, "receive")]
PAID = [(1, "2025-09-28", 72000), (2, "2025-10-03", 1000000), (2, "2025-12-01", 736400), (3, "2025-10-05", 86400)]


def test_funds_by_month():
    rep = reports.funds_by_month(frames(DUES, PAID), D(2026, 10, 31))
    rows = {row[0]: row[1:4] for row in rep.rows}
    assert rows["2025-09"] == (0, 72000, 0)  # paid before the due month: nothing outstanding
    assert rows["2025-10"] == (72000, 1086400, 0)  # household 3 paid before its due is dated: no arrears from it
    assert rows["2025-11"] == (1736400, 0, 736400)  # household 2 owes 7,364.00 at the end of November
    assert rows["2025-12"] == (0, 736400, 0)
    assert rows["2026-10"] == (168000, 0, 168000)  # installment 1, due 1 October, unpaid at the month end
    assert rows["2027-10"] == (112000, 0, None)  # after as_of: expected only
    assert rows["未定日期（入住前应交）/ not yet dated (before move-in)"] == (86400, 0, None)
    total = rows["合计 / total"]
    assert total[0] == 72000 + 168000 + 112000 + 1736400 + 86400 and total[1] == sum(p[2] for p in PAID)
    assert "112,445.00" in rep.notes[1][0] and all(row[4] == 0 for row in rep.rows)  # nothing paid out


def test_funds_outstanding_is_per_household_not_netted():
    """One household paying ahead must not hide another's arrears."""
    book = frames([(1, "before_move_in", "2026-01-10", 1000, "pay"), (2, "before_move_in", "2026-01-10", 1000, "pay")],
                  [(1, "2026-01-05", 2000)])
    rep = reports.funds_by_month(book, D(2026, 1, 31))
    assert rep.rows[0] == ("2026-01", 2000, 2000, 1000, 0)


def test_overdue_list_and_writers(tmp_path):
    standing = dues.standing(frames(DUES, PAID), D(2027, 11, 1))
    people = {1: ("TH-1", "张小伟", "139"), 2: ("TH-2", "李四", ""), 3: ("TH-3", "王五", ""), 4: ("TH-4", "赵六", "")}
    rep = reports.overdue(standing, people, D(2027, 11, 1))
    assert rep.rows == [("TH-1", "张小伟", "139", "到期未交清（按廉租房管理）", ("unpaid after the last due date (managed as "
                         "low-rent housing)"), 280000, 280000, D(2027, 10, 1))]
    out = tmp_path / "overdue.xlsx"
    reports.write_xlsx(rep, out, "en")
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Overdue"]
    sheet = book.get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "Overdue households" and sheet[3][:3] == ["household", "head of household", "phone"]
    assert sheet[4][5] == 2800.0 and sheet[4][7] == dt.date(2027, 10, 1)
    reports.write_json(rep, tmp_path / "o.json")
    data = json.loads((tmp_path / "o.json").read_text("utf-8"))
    assert data["rows"][0]["overdue_fen"] == 280000 and data["rows"][0]["last_due_on"] == "2027-10-01"


def test_a_cell_that_looks_like_a_formula_stays_text():
    rep = reports.Report("x", "x", "x", [reports.Col("a", "a", "a")], [("=1+1",)])
    cell = CalamineWorkbook.from_filelike(io.BytesIO(reports.xlsx_bytes(rep))).get_sheet_by_index(0).to_python()[3][0]
    assert cell == "=1+1"


def test_progress():
    rep = reports.progress({"surveyed": 1200, "offered": 1200, "signed": 1190, "flat_chosen": 1000, "moved_in": 990,
                            "paid_up": 900})
    assert rep.rows[2] == ("已签协议", "signed", 1190, Decimal("99.2"))
    assert reports.to_json(rep)["rows"][5] == {"stage_zh": "已结清", "stage_en": "paid up", "households": 900,
                                               "percent_of_surveyed": "75.0"}


def test_flats_against_the_planned_mix(tahe):
    flats = np.array([4000, 4800, 4800, 6800, 7500, 5800], dtype=np.int64)
    allocated = np.array([True, True, False, False, True, False])
    rep = reports.flats_mix(tahe.rules, flats, allocated, np.array([4800, 4800, 7500], dtype=np.int64))
    assert [r[0] for r in rep.rows] == ["40㎡", "48㎡", "58㎡", "68、75㎡"]
    assert rep.rows[1] == ("48㎡", Decimal(45), Decimal("33.3"), 2, 2, 1, 1)
    assert rep.rows[3] == ("68、75㎡", Decimal(10), Decimal("33.3"), 1, 2, 1, 1)


def test_public_list_masks_names():
    rep = reports.public_order([(2, "TH-2", "欧阳明娜", True), (1, "TH-9", "张伟", False)], "公开抽签", "public draw",
                               [("种子：abc", "seed: abc")])
    assert rep.rows == [(1, "TH-9", "张*", "", ""),
                        (2, "TH-2", "欧阳*娜", "协议已撤销，顺序号空出", "agreement cancelled: place vacated")]
    assert rep.notes[0] == ("排序方式：公开抽签", "ordered by: public draw")
