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
from pydantic import BaseModel

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


class _Installment(BaseModel):
    number: int
    years_after_move_in: int
    amount: Decimal


class _Deferred(BaseModel):
    total: Decimal
    installments: list[_Installment]


class SignedAmounts(BaseModel):
    """The part of a stored Quote the ledger reads (reading only this is four times quicker than the whole Quote,
    which counts when 100,000 accounts open at once). Field names are the Quote's own."""

    net_payable: Decimal
    due_before_move_in: Decimal
    deferred: _Deferred


def to_fen(amount: Decimal, field: str) -> int:
    """A Quote amount in yuan (two decimals) as integer fen; anything finer is refused, never rounded again."""
    fen = Decimal(amount) * 100
    if fen != fen.to_integral_value():
        raise RegisterError(field, amount, f"金额须精确到分，收到 {amount}", f"an amount is exact to the fen, got {amount}")
    return int(fen)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same month and day `years` later (29 February falls back to the 28th), as the engine dates installments."""
    return add_years(np.array([np.datetime64(day, "D")]), years)[0].astype(dt.date)


def schedule(quote: Quote | SignedAmounts, move_in: dt.date | None = None) -> list[Due]:
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
            due_on = years_after(move_in, inst.years_after_move_in)
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


@dataclass(frozen=True)
class Book:
    """Dues and receipts as arrays, one entry per due and per receipt: what standing() and the reports read."""

    due_household: np.ndarray  # int64 household ids
    due_kind: np.ndarray  # before_move_in, installment, payout
    due_number: np.ndarray
    due_on: np.ndarray  # datetime64[D]; NaT while undated
    due_fen: np.ndarray
    due_direction: np.ndarray  # pay or receive
    paid_household: np.ndarray
    paid_on: np.ndarray  # datetime64[D]
    paid_fen: np.ndarray
    receipt_no: np.ndarray
    out_household: np.ndarray  # payouts paid to households (cash compensation and the like)
    out_on: np.ndarray  # datetime64[D]
    out_fen: np.ndarray
    voucher_no: np.ndarray

    @classmethod
    def of(cls, dues: list[tuple], receipts: list[tuple], payouts: list[tuple] = ()) -> Book:
        """dues: (household_id, kind, number, due_on, amount_fen, direction); receipts: (household_id, received_on,
        amount_fen, receipt_no); payouts: (household_id, paid_on, amount_fen, voucher_no); dates as dates, ISO text
        or None."""
        d = list(zip(*dues)) or [()] * 6
        r = list(zip(*receipts)) or [()] * 4
        p = list(zip(*payouts)) or [()] * 4
        return cls(np.array(d[0], dtype=np.int64), np.array(d[1], dtype=object), np.array(d[2], dtype=np.int64),
                   np.array(d[3], dtype="datetime64[D]"), np.array(d[4], dtype=np.int64), np.array(d[5], dtype=object),
                   np.array(r[0], dtype=np.int64), np.array(r[1], dtype="datetime64[D]"), np.array(r[2], dtype=np.int64),
                   np.array(r[3], dtype=object), np.array(p[0], dtype=np.int64), np.array(p[1], dtype="datetime64[D]"),
                   np.array(p[2], dtype=np.int64), np.array(p[3], dtype=object))


@dataclass(frozen=True)
class Standing:
    """Where each household of a Book stands on a day: arrays aligned on household_id (sorted)."""

    household_id: np.ndarray
    owed_fen: np.ndarray
    paid_fen: np.ndarray
    balance_fen: np.ndarray  # still to pay
    overdue_fen: np.ndarray  # fallen due before the day and not paid
    last_due_on: np.ndarray  # datetime64[D] of the last installment (NaT: none, or not dated yet)
    status: np.ndarray

    def of(self, household_id: int) -> dict | None:
        at = np.searchsorted(self.household_id, household_id)
        if at >= len(self.household_id) or self.household_id[at] != household_id:
            return None
        return {"owed_fen": int(self.owed_fen[at]), "paid_fen": int(self.paid_fen[at]),
                "balance_fen": int(self.balance_fen[at]), "overdue_fen": int(self.overdue_fen[at]),
                "last_due_on": self.last_due_on[at], "status": str(self.status[at])}


def standing(book: Book, as_of: dt.date) -> Standing:
    """Each household's standing on as_of (households with dues; receipts of others are ignored).

    The policy's rule (四、4): paid in full by the last due date gives the title certificate; still unpaid after
    it, the flat is managed as low-rent housing. A payment made after that day does not undo it (decided then).
    Plain array sums, so one household at the counter and a whole project read the same code, both fast.
    """
    day = np.datetime64(as_of, "D")
    households, code = np.unique(book.due_household, return_inverse=True)
    n = len(households)
    amount, due_on = book.due_fen, book.due_on
    pays = book.due_direction == "pay"
    installment = pays & (book.due_kind == INSTALLMENT)

    def total(mask: np.ndarray, codes: np.ndarray = code, values: np.ndarray = amount) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        np.add.at(out, codes[mask], values[mask])
        return out

    owed = total(pays)
    due_by_now = total(pays & ~np.isnat(due_on) & (due_on < day))
    before = total(pays & (book.due_kind == BEFORE_MOVE_IN))
    deferring = total(installment, values=np.ones(len(amount), dtype=np.int64)) > 0
    last_int = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)  # the NaT bit pattern: no dated installment
    np.maximum.at(last_int, code[installment], due_on[installment].astype(np.int64))
    last = last_int.view("datetime64[D]")

    paid_code = np.minimum(np.searchsorted(households, book.paid_household), max(n - 1, 0))
    known = (households[paid_code] == book.paid_household) if n else np.zeros(len(book.paid_household), dtype=bool)
    taken = known & (book.paid_on <= day)
    paid = total(taken, paid_code, book.paid_fen)
    in_period = total(taken & (book.paid_on <= last[paid_code]), paid_code, book.paid_fen)  # NaT compares False

    defaulted = deferring & ~np.isnat(last) & (last < day) & (in_period < owed)
    status = np.select(
        [owed == 0, defaulted, paid >= owed, (due_by_now - paid) > 0, paid < before],
        [NOTHING_OWED, LOW_RENT, PAID_UP, OVERDUE, BEFORE_DUE], default=IN_PERIOD)
    return Standing(households, owed, paid, owed - paid, np.maximum(due_by_now - paid, 0), last, status)
