"""Lock-out after repeated failed logins, the same rule for staff passwords and residents' access codes."""
from __future__ import annotations

import datetime as dt
import math

MAX_FAILED_ATTEMPTS = 5  # failures in a row before the account (or the household's code) is locked
LOCK_TIME = dt.timedelta(minutes=15)  # how long it stays locked; a supervisor's reset or a new code unlocks at once


def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    return locked_until is not None and now < locked_until


def after_failure(failed: int, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """(failures counted, locked until) after one more failure: the Nth in a row locks and starts the count again,
    so after the lock has run out there are N more tries (never a lock that grows without end)."""
    failed += 1
    if failed >= MAX_FAILED_ATTEMPTS:
        return 0, now + LOCK_TIME
    return failed, None


def minutes_left(locked_until: dt.datetime, now: dt.datetime) -> int:
    """Whole minutes until the lock runs out, rounded up (a lock of 30 s left says 1 minute)."""
    return max(1, math.ceil((locked_until - now).total_seconds() / 60))
