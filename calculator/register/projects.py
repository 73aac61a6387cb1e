"""Projects and the policies they adopt: each policy frozen by id, version and sha256, its text kept to recompute offers."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..policy import (
    LoadedPolicy,
    PolicyError,
    load_policy,
    parse_policy,
    resolve_policy_path,
)
from . import oplog
from .errors import RegisterError, not_found
from .models import PolicyVersion, Project, utc_now
from .rights import require


def read_policy(id_or_path: str) -> tuple[LoadedPolicy, str]:
    """A policy file checked as every command checks it, and its exact text (RegisterError if unusable)."""
    try:
        loaded = load_policy(id_or_path)
        data = resolve_policy_path(id_or_path).read_bytes()
    except PolicyError as exc:
        problems = "; ".join(f"{key}: {reason}" for key, reason in exc.problems)
        raise RegisterError("policy", id_or_path, f"政策文件“{id_or_path}”无效：{problems}",
                            f"the policy '{id_or_path}' cannot be used: {problems}") from None
    if hashlib.sha256(data).hexdigest() != loaded.identity.sha256:  # changed between the two reads
        raise RegisterError("policy", id_or_path, "政策文件在读取时被改动，请重试", "the policy file changed while read; try again")
    return loaded, data.decode("utf-8")


@lru_cache(maxsize=16)
def _parsed(text: str, sha256: str) -> LoadedPolicy:
    return parse_policy(text.encode("utf-8"), f"policy {sha256[:12]}")


def loaded_policy(version: PolicyVersion) -> LoadedPolicy:
    """The stored policy text, parsed; its sha256 is the one frozen when it was adopted."""
    loaded = _parsed(version.text, version.sha256)
    if loaded.identity.sha256 != version.sha256:
        raise RegisterError("policy", version.sha256, "登记簿中保存的政策文本与其哈希不符（已被改动）",
                            "the policy text kept in the register does not match its sha256 (it was changed)")
    return loaded


def _check_code(code: str) -> str:
    code = code.strip()
    if not code or len(code) > 100 or any(c.isspace() for c in code):
        raise RegisterError("code", code, f"项目编号“{code}”无效：应为1到100个字符，不含空格",
                            f"project code '{code}' is not valid: 1 to 100 characters, no spaces")
    return code


def create_project(session: Session, *, code: str, name: str, policy: str, by: str) -> tuple[Project, PolicyVersion]:
    """A new project settled under `policy` (an id or a file); a supervisor creates it."""
    require(session, by, "project.create")
    code = _check_code(code)
    name = name.strip() or code
    if session.execute(select(Project).where(Project.code == code)).scalar_one_or_none() is not None:
        raise RegisterError("code", code, f"项目“{code}”已存在", f"project '{code}' already exists")
    loaded, text = read_policy(policy)
    project = Project(code=code, name=name, created_at=utc_now(), created_by=by)
    session.add(project)
    session.flush()
    oplog.record(session, user=by, action="project.create", entity="project", entity_id=project.id, before=None,
                 after={"code": code, "name": name})
    return project, _adopt(session, project, loaded, text, by)


def adopt_policy(session: Session, project: Project, policy: str, by: str) -> PolicyVersion:
    """The project's offers from now on are made under this policy; offers already made stay as they are."""
    require(session, by, "policy.adopt")
    loaded, text = read_policy(policy)
    same = session.execute(select(PolicyVersion).where(PolicyVersion.project_id == project.id,
                                                       PolicyVersion.sha256 == loaded.identity.sha256)).scalar_one_or_none()
    if same is not None:
        raise RegisterError("policy", policy, f"项目“{project.code}”已采用过这份政策文件（{same.policy_id} {same.version}）",
                            f"project '{project.code}' already adopted this policy file ({same.policy_id} {same.version})")
    return _adopt(session, project, loaded, text, by)


def _adopt(session: Session, project: Project, loaded: LoadedPolicy, text: str, by: str) -> PolicyVersion:
    ident = loaded.identity
    version = PolicyVersion(project_id=project.id, policy_id=ident.id, version=ident.version, sha256=ident.sha256,
                            text=text, adopted_at=utc_now(), adopted_by=by)
    session.add(version)
    session.flush()
    oplog.record(session, user=by, action="policy.adopt", entity="project", entity_id=project.id, before=None,
                 after={"policy_id": ident.id, "version": ident.version, "sha256": ident.sha256})
    return version


def get_project(session: Session, code: str | None, *, lock: bool = False) -> Project:
    """The project by code; with no code, the register's only project. `lock` holds it until the transaction ends
    (what serialises imports and signings of one project on PostgreSQL)."""
    query = select(Project)
    if code is None:
        count = session.execute(select(func.count()).select_from(Project)).scalar_one()
        if count != 1:
            raise RegisterError("project", "", "登记簿中有多个项目或没有项目：请用 --project 指定项目编号",
                                "the register holds several projects or none: name one with --project")
    else:
        query = query.where(Project.code == code)
    project = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if project is None:
        raise not_found("project", code, "项目", "project")
    return project


def current_policy(session: Session, project: Project) -> PolicyVersion:
    """The policy the project adopted last."""
    return session.execute(select(PolicyVersion).where(PolicyVersion.project_id == project.id)
                           .order_by(PolicyVersion.id.desc()).limit(1)).scalar_one()
