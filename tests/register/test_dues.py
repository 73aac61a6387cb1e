"""The dues a signed quote makes (worked example 3 and County B's three installments) and a household's standing."""
import datetime as dt

import numpy as np
import pytest

from calculator.register import dues
from calculator.register.errors import RegisterError
from calculator.settlement import quote

D = dt.date


def test_example_3_schedule_from_the_actual_move_in(tahe):
    """POLICY_SPEC §8 example 3: 720.00 before move-in, 1,680.00 and 1,120.00 one and two years after moving in."""
    q = quote(tahe, original_area="36.5", unit_area="40", low_income=True, defer=True, move_in_date="2025-10-01")
    assert [(d.kind, d.number, d.due_on, d.amount_fen, d.direction) for d in dues.schedule(q, D(2026, 2, 29 - 1))] == [
        ("before_move_in", 0, D(2026, 2, 28), 72000, "pay"),
        ("installment", 1, D(2027, 2, 28), 168000, "pay"),
        ("installment", 2, D(2028, 2, 28), 112000, "pay"),
    ]
    undated = dues.schedule(q)
    assert [d.due_on for d in undated] == [None, None, None]
    assert dues.schedule(q, D(2024, 2, 29))[1].due_on == D(2025, 2, 28)  # 29 February falls back to the 28th
    assert undated[1].label("zh") == "缓交第1期" and undated[2].label("en") == "deferred installment 2"


def test_cash_household_gets_a_payout(tahe):
    q = quote(tahe, option="cash", original_area="52.3", appraised_price="2150")
    assert [(d.kind, d.amount_fen, d.direction) for d in dues.schedule(q)] == [("payout", 11244500, "receive")]


def test_three_installments_sum_to_the_deferred_total(county_b):
    q = quote(county_b, original_area="36.33", unit_area="48", low_income=True, defer=True, move_in_date="2025-01-31")
    parts = [d for d in dues.schedule(q, D(2025, 1, 31)) if d.kind == "installment"]
    assert len(parts) == 3
    assert sum(d.amount_fen for d in parts) == int(q.deferred.total * 100) > 0


def test_a_quote_whose_parts_do_not_add_up_is_refused(tahe):
    q = quote(tahe, original_area="36.5", unit_area="40", low_income=True, defer=True, move_in_date="2025-10-01")
    broken = q.model_copy(update={"deferred": q.deferred.model_copy(update={"total": q.deferred.total + 1})})
    with pytest.raises(RegisterError) as err:
        dues.schedule(broken)
    assert "deferred" in err.value.field and "add up" in err.value.message_en


def _book(rows, paid):
    return dues.Book.of([(h, kind, 0, on, fen, direction) for h, kind, on, fen, direction in rows],
                        [(h, on, fen, f"R{i}") for i, (h, on, fen) in enumerate(paid)])


SCHEDULE = [(1, "before_move_in", "2025-10-01", 72000, "pay"), (1, "installment", "2026-10-01", 168000, "pay"),
            (1, "installment", "2027-10-01", 112000, "pay")]


@pytest.mark.parametrize("paid, as_of, status, balance, overdue", [
    ([], "2025-09-01", "due_before_move_in", 352000, 0),
    ([(1, "2025-09-30", 72000)], "2026-10-01", "in_period", 280000, 0),  # due on the day itself: not yet overdue
    ([(1, "2025-09-30", 72000)], "2026-10-02", "overdue", 280000, 168000),
    ([(1, "2025-09-30", 72000), (1, "2026-12-01", 100000)], "2027-01-01", "overdue", 180000, 68000),
    ([(1, "2025-09-30", 72000), (1, "2027-10-01", 280000)], "2027-10-01", "paid_up", 0, 0),  # late on no.1, full in time
    ([(1, "2025-09-30", 72000), (1, "2027-09-01", 279999)], "2027-10-02", "low_rent", 1, 1),
    ([(1, "2025-09-30", 72000), (1, "2027-10-02", 280000)], "2028-01-01", "low_rent", 0, 0),  # paid a day too late
    ([(1, "2025-09-30", 352000)], "2025-10-01", "paid_up", 0, 0),  # everything at once
])
def test_standing(paid, as_of, status, balance, overdue):
    row = dues.standing(_book(SCHEDULE, paid), dt.date.fromisoformat(as_of)).of(1)
    assert (row["status"], row["balance_fen"], row["overdue_fen"]) == (status, balance, overdue)


def test_standing_of_many_households_at_once():
    rows = SCHEDULE + [(2, "payout", None, 11244500, "receive"), (3, "before_move_in", "2025-10-01", 86400, "pay")]
    paid = [(3, "2025-09-01", 86400), (1, "2025-09-01", 72000), (1, "2030-01-01", 999), (9, "2025-09-01", 5)]
    got = dues.standing(_book(rows, paid), D(2026, 1, 1))
    assert [got.of(h)["status"] for h in (1, 2, 3)] == ["in_period", "nothing_owed", "paid_up"]
    assert got.of(1)["paid_fen"] == 72000  # a receipt dated after the day asked about is not counted
    assert got.of(1)["last_due_on"] == np.datetime64("2027-10-01") and got.of(9) is None
    assert dues.status_label("low_rent", "en") == "unpaid after the last due date (managed as low-rent housing)"


def test_the_ledger_reads_a_stored_quote_as_the_quote_itself(tahe):
    q = quote(tahe, original_area="36.5", unit_area="40", low_income=True, defer=True, move_in_date="2025-10-01")
    stored = dues.SignedAmounts.model_validate_json(q.model_dump_json())
    assert dues.schedule(stored, D(2025, 10, 1)) == dues.schedule(q, D(2025, 10, 1))
