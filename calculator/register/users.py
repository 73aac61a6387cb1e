"""Register users and their roles: who may do what (a clerk records, a supervisor also cancels and administers)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import oplog
from .errors import RegisterError
from .models import ROLES, User, utc_now

ROLE_LABELS = {"clerk": "经办人", "supervisor": "主管", "auditor": "审计员"}
WRITERS = ("clerk", "supervisor")


def require_user(session: Session, name: str, roles: tuple[str, ...] = WRITERS) -> User:
    """The user named, if they hold one of `roles`; otherwise RegisterError naming the user and what is needed."""
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        raise RegisterError("user", name, f"用户“{name}”不在登记簿中（用 register user add 添加）",
                            f"user '{name}' is not in the register (add them with `register user add`)")
    if user.role not in roles:
        need_zh = "或".join(ROLE_LABELS[r] for r in roles)
        raise RegisterError("user", name, f"用户“{name}”是{ROLE_LABELS[user.role]}，此操作需要{need_zh}",
                            f"user '{name}' is a {user.role}; this needs a {' or '.join(roles)}")
    return user


def add_user(session: Session, *, name: str, role: str, by: str) -> User:
    """Add a user. The first user of a register may be added by anyone (and should be a supervisor); after that,
    only a supervisor adds users."""
    name = name.strip()
    if not name or len(name) > 100:
        raise RegisterError("name", name, "用户名不能为空且不超过100个字符", "a user name must be 1 to 100 characters")
    if role not in ROLES:
        raise RegisterError("role", role, f"角色“{role}”无效，应为 clerk、supervisor 或 auditor",
                            f"role '{role}' is not one of clerk, supervisor, auditor")
    existing = session.execute(select(func.count()).select_from(User)).scalar_one()
    if existing:
        require_user(session, by, ("supervisor",))
    elif role != "supervisor":
        raise RegisterError("role", role, "第一个用户必须是主管（supervisor）", "the first user must be a supervisor")
    if session.execute(select(User).where(User.name == name)).scalar_one_or_none() is not None:
        raise RegisterError("name", name, f"用户“{name}”已存在", f"user '{name}' already exists")
    user = User(name=name, role=role, created_at=utc_now(), created_by=by)
    session.add(user)
    session.flush()
    oplog.record(session, user=by, action="user.add", entity="user", entity_id=user.id, before=None,
                 after={"name": name, "role": role})
    return user
