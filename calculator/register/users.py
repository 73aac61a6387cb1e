"""Register users: adding them with a role and a password, disabling and enabling, resetting a password, listing.

Who may do what is in rights.py; logging in is in logins.py."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import lockout, oplog, passwords
from .errors import RegisterError, not_found
from .models import ROLES, User, utc_now
from .rights import ROLE_LABELS, WRITERS, Refused, require, require_user

__all__ = ["ROLE_LABELS", "WRITERS", "Refused", "UserRow", "add_user", "disable", "enable", "list_users",
           "require_user", "reset_password"]


def add_user(session: Session, *, name: str, role: str, by: str, password: str | None = None) -> User:
    """Add a user, with a password (hashed) when given; one without a password cannot log in to the app until a
    supervisor sets one. The first user of a register adds themself and must be a supervisor; after that, only a
    supervisor adds users."""
    name = name.strip()
    if not name or len(name) > 100:
        raise RegisterError("name", name, "用户名不能为空且不超过100个字符", "a user name must be 1 to 100 characters")
    if role not in ROLES:
        raise RegisterError("role", role, f"角色“{role}”无效，应为 clerk、supervisor 或 auditor",
                            f"role '{role}' is not one of clerk, supervisor, auditor")
    oplog.lock(session)  # two first users at once (PostgreSQL): the second counts after the first is written
    existing = session.execute(select(func.count()).select_from(User)).scalar_one()
    if existing:
        require(session, by, "user.add")
    elif role != "supervisor":
        raise RegisterError("role", role, "第一个用户必须是主管（supervisor）", "the first user must be a supervisor")
    if session.execute(select(User).where(User.name == name)).scalar_one_or_none() is not None:
        raise RegisterError("name", name, f"用户“{name}”已存在", f"user '{name}' already exists")
    now = utc_now()
    user = User(name=name, role=role, created_at=now, created_by=by, failed_logins=0)
    if password is not None:
        user.password_hash, user.password_set_at = passwords.hash_password(passwords.check_new(password, name)), now
    session.add(user)
    session.flush()
    oplog.record(session, user=by, action="user.add", entity="user", entity_id=user.id, before=None,
                 after={"name": name, "role": role, "password_set": password is not None})
    return user


def _target(session: Session, name: str) -> User:
    user = session.execute(select(User).where(User.name == name).with_for_update()).scalar_one_or_none()
    if user is None:
        raise not_found("user", name, "用户", "user")
    return user


def disable(session: Session, name: str, by: str) -> User:
    """Disable a user: they can no longer log in or act (the library refuses them); the row and the log stay."""
    require(session, by, "user.disable")
    user = _target(session, name)
    if user.name == by:
        raise RegisterError("user", name, "不能停用自己", "you cannot disable yourself")
    if user.disabled_at is not None:
        raise RegisterError("user", name, f"用户“{name}”已停用", f"user '{name}' is already disabled")
    user.disabled_at = utc_now()
    oplog.record(session, user=by, action="user.disable", entity="user", entity_id=user.id,
                 before={"disabled": False}, after={"disabled": True})
    return user


def enable(session: Session, name: str, by: str) -> User:
    """Let a disabled user log in and act again."""
    require(session, by, "user.enable")
    user = _target(session, name)
    if user.disabled_at is None:
        raise RegisterError("user", name, f"用户“{name}”未被停用", f"user '{name}' is not disabled")
    user.disabled_at = None
    oplog.record(session, user=by, action="user.enable", entity="user", entity_id=user.id,
                 before={"disabled": True}, after={"disabled": False})
    return user


def reset_password(session: Session, name: str, password: str, by: str) -> User:
    """Set a new password and unlock the user; their sessions in the app end (signed in before the new password)."""
    require(session, by, "user.reset")
    user = _target(session, name)
    was_locked = user.locked_until is not None
    user.password_hash = passwords.hash_password(passwords.check_new(password, name))
    user.password_set_at, user.failed_logins, user.locked_until = utc_now(), 0, None
    oplog.record(session, user=by, action="user.reset", entity="user", entity_id=user.id,
                 before={"locked": was_locked}, after={"password_set": True, "locked": False})
    return user


@dataclass(frozen=True)
class UserRow:
    """A user as `register user list` shows them (never the hash)."""

    name: str
    role: str
    password_set: bool
    disabled: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


def list_users(session: Session, now: dt.datetime | None = None) -> list[UserRow]:
    now = now or utc_now()
    return [UserRow(u.name, u.role, u.password_hash is not None, u.disabled_at is not None,
                    u.locked_until if lockout.is_locked(u.locked_until, now) else None, u.last_login_at)
            for u in session.execute(select(User).order_by(User.id)).scalars()]
