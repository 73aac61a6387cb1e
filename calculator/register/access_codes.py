"""Residents' access codes: random, shown once, kept only as a hash; issuing a new one makes the old one useless.

A code is 12 characters drawn by `secrets` from 31 that cannot be mistaken for one another (no 0/O, 1/I/L), about
59 bits: nothing about the household goes into it. Because it is that random, one sha256 is enough to keep it: a
hash can only be reversed by trying every code, 31^12 of them. A human password is different (people choose
guessable ones), so staff passwords get argon2's slow salted hash (passwords.py)."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import oplog
from .models import Household, utc_now
from .models_access import AccessCode
from .rights import require

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def grouped(code: str) -> str:
    """'ABCDEFGHJKMN' -> 'ABCD-EFGH-JKMN', as printed for the resident."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str:
    """What the resident typed, as the code it means: any case, spaces and dashes ignored."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def code_sha256(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()


def issue(session: Session, household: Household, by: str) -> str:
    """A new code for the household (the clerk's transaction); returns it, grouped, to be printed once. A code
    issued before stops working, and the household's lock-out is lifted."""
    require(session, by, "access_code.issue")
    code = new_code()
    now = utc_now()
    row = session.execute(select(AccessCode).where(AccessCode.household_id == household.id)
                          .with_for_update()).scalar_one_or_none()
    before = None if row is None else {"issued_at": row.issued_at}
    if row is None:
        row = AccessCode(household_id=household.id)
        session.add(row)
    row.code_sha256, row.issued_at, row.issued_by = code_sha256(code), now, by
    row.failed_logins, row.locked_until = 0, None
    session.flush()
    oplog.record(session, user=by, action="access_code.issue", entity="household", entity_id=household.id,
                 household_id=household.id, before=before, after={"issued_at": now})
    return grouped(code)
