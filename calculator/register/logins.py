"""Logging in: staff by user name and password, a resident by household number and access code.

Every attempt is recorded (login_attempts); N failures in a row lock the account, or the household's code, for a
while (lockout.py), and the lock is entered in the operator log. A wrong name and a wrong password get the same
answer; a disabled user is told so only when the password was right."""
from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from . import lockout, oplog, passwords
from .access_codes import code_sha256
from .db import transaction
from .errors import RegisterError
from .models import Household, User, utc_now
from .models_access import AccessCode, LoginAttempt


@dataclass(frozen=True)
class Login:
    """Who logged in: a user (name, role) or a resident (household number, role 'resident', project, household id),
    and when."""

    name: str
    role: str
    at: dt.datetime
    project_id: int | None = None
    household_id: int | None = None


class LoginRefused(RegisterError):
    """A login refused; `reason` is wrong, locked or disabled (and `minutes_left` while locked)."""

    def __init__(self, reason: str, message_zh: str, message_en: str, minutes_left: int | None = None):
        super().__init__("login", "", message_zh, message_en)
        self.reason = reason
        self.minutes_left = minutes_left


def _wrong(staff: bool) -> LoginRefused:
    if staff:
        return LoginRefused("wrong", "用户名或密码不正确", "the user name or password is not right")
    return LoginRefused("wrong", "户号或访问码不正确", "the household number or access code is not right")


def _locked(until: dt.datetime, now: dt.datetime, staff: bool) -> LoginRefused:
    left = lockout.minutes_left(until, now)
    what_zh, what_en = ("该账户", "this account") if staff else ("该户的访问码", "this household's access code")
    return LoginRefused("locked", f"连续{lockout.MAX_FAILED_ATTEMPTS}次输入错误，{what_zh}已锁定，请{left}分钟后再试"
                                  + ("，或请主管重置密码" if staff else "，或到经办窗口重新领取访问码"),
                        f"{lockout.MAX_FAILED_ATTEMPTS} wrong tries in a row: {what_en} is locked; try again in "
                        f"{left} minute{'s' if left != 1 else ''}"
                        + (", or ask a supervisor to reset the password" if staff else ", or ask the counter for a new code"),
                        minutes_left=left)


def _attempt(session: Session, kind: str, name: str, ok: bool, reason: str, now: dt.datetime,
             household_id: int | None = None) -> None:
    session.add(LoginAttempt(at=now, kind=kind, name=name[:200], household_id=household_id, ok=ok, reason=reason))


def _fail(session: Session, row, who: str, entity: str, entity_id, now: dt.datetime, household_id=None) -> None:
    """Count one failure on a user or an access code; the one that locks it goes to the operator log."""
    row.failed_logins, row.locked_until = lockout.after_failure(row.failed_logins, now)
    if row.locked_until is not None:
        oplog.record(session, user=who, action="login.lock", entity=entity, entity_id=entity_id,
                     household_id=household_id, before=None,
                     after={"failures": lockout.MAX_FAILED_ATTEMPTS, "locked_until": row.locked_until})


def staff_login(engine: Engine, name: str, password: str, now: dt.datetime | None = None) -> Login:
    """The user, if the password is theirs and they are neither locked nor disabled; else LoginRefused. The attempt
    and any failure count are committed either way."""
    now = now or utc_now()
    name = name.strip()
    with transaction(engine) as session:
        user = session.execute(select(User).where(User.name == name).with_for_update()).scalar_one_or_none()
        outcome = _check_staff(session, user, name, password, now)
    if isinstance(outcome, LoginRefused):
        raise outcome
    return outcome


def _check_staff(session: Session, user: User | None, name: str, password: str, now: dt.datetime):
    if user is not None and lockout.is_locked(user.locked_until, now):
        _attempt(session, "staff", name, False, "locked", now)
        return _locked(user.locked_until, now, staff=True)
    right = passwords.matches(user.password_hash if user else None, password)
    if user is None or not right:
        _attempt(session, "staff", name, False, "unknown" if user is None else
                 ("no_password" if user.password_hash is None else "wrong"), now)
        if user is not None:
            _fail(session, user, name, "user", user.id, now)
            if user.locked_until is not None:
                return _locked(user.locked_until, now, staff=True)
        return _wrong(staff=True)
    if user.disabled_at is not None:
        _attempt(session, "staff", name, False, "disabled", now)
        return LoginRefused("disabled", f"用户“{name}”已停用，不能登录；如有疑问请联系主管",
                            f"user '{name}' is disabled and cannot log in; ask a supervisor")
    _attempt(session, "staff", name, True, "ok", now)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    return Login(name=user.name, role=user.role, at=now)


def resident_login(engine: Engine, household_no: str, code: str, now: dt.datetime | None = None) -> Login:
    """The household, if the code is its current one and not locked; else LoginRefused. A household number used in
    several projects is matched by its code (each household's own); a wrong code counts against each of them."""
    now = now or utc_now()
    household_no = household_no.strip()
    typed = code_sha256(code)
    with transaction(engine) as session:
        rows = session.execute(select(AccessCode, Household).join(Household, Household.id == AccessCode.household_id)
                               .where(Household.household_no == household_no)
                               .with_for_update(of=AccessCode)).all()
        outcome = _check_resident(session, rows, household_no, typed, now)
    if isinstance(outcome, LoginRefused):
        raise outcome
    return outcome


def _check_resident(session: Session, rows, household_no: str, typed: str, now: dt.datetime):
    open_rows = [(c, h) for c, h in rows if not lockout.is_locked(c.locked_until, now)]
    for c, h in open_rows:
        if hmac.compare_digest(c.code_sha256, typed):
            _attempt(session, "resident", household_no, True, "ok", now, h.id)
            c.failed_logins, c.locked_until, c.last_login_at = 0, None, now
            return Login(name=h.household_no, role="resident", at=now, project_id=h.project_id, household_id=h.id)
    if rows and not open_rows:
        _attempt(session, "resident", household_no, False, "locked", now, rows[0][1].id)
        return _locked(min(c.locked_until for c, _ in rows), now, staff=False)
    _attempt(session, "resident", household_no, False, "wrong" if rows else "no_code", now,
             rows[0][1].id if rows else None)
    for c, h in open_rows:
        _fail(session, c, household_no, "household", h.id, now, household_id=h.id)
    locked = [c.locked_until for c, _ in rows if c.locked_until is not None and lockout.is_locked(c.locked_until, now)]
    if open_rows and len(locked) == len(rows):
        return _locked(min(locked), now, staff=False)
    return _wrong(staff=False)


def still_valid(session: Session, login: Login) -> bool:
    """Whether a session signed in at `login.at` may go on: the user still active in the same role, their password
    not reset since; a resident's code not re-issued since."""
    if login.role == "resident":
        issued = session.execute(select(AccessCode.issued_at).where(AccessCode.household_id == login.household_id)
                                 ).scalar_one_or_none()
        return issued is not None and issued <= login.at
    user = session.execute(select(User).where(User.name == login.name)).scalar_one_or_none()
    return (user is not None and user.disabled_at is None and user.role == login.role
            and user.password_set_at is not None and user.password_set_at <= login.at)
