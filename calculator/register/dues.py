"""What a signed Quote makes a household owe or receive, and when; and where its payments stand on a given day.

The schedule is read from the Quote, never recomputed: its due_before_move_in and each deferred installment are
already rounded to the fen by the engine and sum exactly to its net. Due dates run from the actual move-in date
(the policy's "N years after move-in", 29 February falling back to the 28th); until a household moves in, its
installments have no date. Status over many households is worked out on arrays, so the one household at the
counter and the overdue report of a whole project read the same function.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from ..dates import add_years
from ..result import Quote
from .errors import RegisterError

BEFORE_MOVE_IN, INSTALLMENT, PAYOUT = "before_move_in", "installment", "payout"
KIND_LABELS = {
    BEFORE_MOVE_IN: ("入住前应交", "due before move-in"),
    INSTALLMENT: ("缓交第{n}期", "deferred installment {n}"),
    PAYOUT: ("应付给住户", "payable to the household"),
}


@dataclass(frozen=True)
class Due:
    """One amount of a household's schedule; direction as in the Quote: 'pay' the household pays, 'receive' it gets."""

    kind: str
    number: int  # 0 for the amount before move-in or the payout; 1, 2 … for installments
    due_on: dt.date | None  # None: before move-in (dated once the move-in is recorded), or a payout without a date
    amount_fen: int
    direction: str
    years_after_move_in: int = 0

    def label(self, lang: str = "zh") -> str:
        zh, en = KIND_LABELS[self.kind]
        return (zh if lang == "zh" else en).format(n=self.number)


def to_fen(amount: Decimal, field: str) -> int:
    """A Quote amount in yuan (two decimals) as integer fen; anything finer is refused, never rounded again."""
    fen = Decimal(amount) * 100
    if fen != fen.to_integral_value():
        raise RegisterError(field, amount, f"金额须精确到分，收到 {amount}", f"an amount is exact to the fen, got {amount}")
    return int(fen)


def schedule(quote: Quote, move_in: dt.date | None = None) -> list[Due]:
    """The dues of a signed Quote: the amount before move-in (or the payout), then each deferred installment."""
    before_fen = to_fen(quote.due_before_move_in, "due_before_move_in")
    dues: list[Due] = []
    if before_fen > 0:
        dues.append(Due(BEFORE_MOVE_IN, 0, move_in, before_fen, "pay"))
    elif before_fen < 0:
        dues.append(Due(PAYOUT, 0, None, -before_fen, "receive"))
    parts = [(inst, to_fen(inst.amount, f"installment_{inst.number}")) for inst in quote.deferred.installments]
    deferred_fen = to_fen(quote.deferred.total, "deferred_total")
    if sum(fen for _, fen in parts) != deferred_fen or before_fen + deferred_fen != to_fen(quote.net_payable, "net_payable"):
        raise RegisterError("deferred", quote.deferred.total, "协议报价的分期金额之和与缓交总额或应付净额不符，不能据此建立台账",
                            "the agreement's installments do not add up to its deferred total and net; no schedule is made")
    for inst, fen in parts:
        due_on = None
        if move_in is not None:
            due_on = pd.Timestamp(add_years(np.array([np.datetime64(move_in, "D")]), inst.years_after_move_in)[0]).date()
        dues.append(Due(INSTALLMENT, inst.number, due_on, fen, "pay", inst.years_after_move_in))
    return dues


# ----------------------------------------------------------------------------------------------- status
PAID_UP, BEFORE_DUE, IN_PERIOD, OVERDUE, LOW_RENT, NOTHING_OWED = (
    "paid_up", "due_before_move_in", "in_period", "overdue", "low_rent", "nothing_owed")
STATUS_LABELS = {
    PAID_UP: ("已结清（可办理房屋所有权证）", "paid in full (title certificate can be issued)"),
    BEFORE_DUE: ("入住前款项未交清", "amount due before move-in not yet paid"),
    IN_PERIOD: ("缓交期内", "within the deferral period"),
    OVERDUE: ("逾期未交", "overdue"),
    LOW_RENT: ("到期未交清（按廉租房管理）", "unpaid after the last due date (managed as low-rent housing)"),
    NOTHING_OWED: ("无应交款项", "nothing to pay"),
}


def status_label(code: str, lang: str = "zh") -> str:
    zh, en = STATUS_LABELS[code]
    return zh if lang == "zh" else en


def standing(dues: pd.DataFrame, receipts: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Each household's standing on as_of, one row per household of dues (index household_id).

    dues: household_id, due_on (datetime64, NaT when undated), amount_fen, direction, kind.
    receipts: household_id, received_on (datetime64), amount_fen — what the household paid in.
    Columns: owed_fen, paid_fen, balance_fen (still to pay), overdue_fen, last_due_on, status.
    The policy's rule (四、4): paid in full by the last due date gives the title certificate; still unpaid after
    it, the flat is managed as low-rent housing. A payment made after that day does not undo it (decided then).
    """
    day = np.datetime64(as_of, "D")
    pays = dues[dues["direction"] == "pay"]
    households = pd.Index(dues["household_id"].unique(), name="household_id")
    owed = pays.groupby("household_id")["amount_fen"].sum().reindex(households, fill_value=0)
    due_on = pays["due_on"].to_numpy(dtype="datetime64[D]")
    past = pays[~np.isnat(due_on) & (due_on < day)]
    due_by_now = past.groupby("household_id")["amount_fen"].sum().reindex(households, fill_value=0)
    installments = pays[pays["kind"] == INSTALLMENT]
    last_due = installments.groupby("household_id")["due_on"].max().reindex(households)
    before = pays[pays["kind"] == BEFORE_MOVE_IN].groupby("household_id")["amount_fen"].sum().reindex(households, fill_value=0)
    deferring = installments.groupby("household_id").size().reindex(households, fill_value=0) > 0

    taken = receipts[receipts["received_on"].to_numpy(dtype="datetime64[D]") <= day]
    paid = taken.groupby("household_id")["amount_fen"].sum().reindex(households, fill_value=0)
    last = last_due.to_numpy(dtype="datetime64[D]")
    joined = taken.join(pd.Series(last, index=households, name="last_due"), on="household_id")
    in_time = joined[joined["received_on"].to_numpy(dtype="datetime64[D]") <= joined["last_due"].to_numpy(dtype="datetime64[D]")]
    paid_in_period = in_time.groupby("household_id")["amount_fen"].sum().reindex(households, fill_value=0)

    o, p = owed.to_numpy(), paid.to_numpy()
    period_over = deferring.to_numpy() & ~np.isnat(last) & (last < day)
    defaulted = period_over & (paid_in_period.to_numpy() < o)
    status = np.select(
        [o == 0, defaulted, p >= o, (due_by_now.to_numpy() - p) > 0, p < before.to_numpy()],
        [NOTHING_OWED, LOW_RENT, PAID_UP, OVERDUE, BEFORE_DUE], default=IN_PERIOD)
    return pd.DataFrame({
        "owed_fen": o, "paid_fen": p, "balance_fen": o - p,
        "overdue_fen": np.maximum(due_by_now.to_numpy() - p, 0), "last_due_on": last, "status": status,
    }, index=households)
