"""Signed households written straight into a register, so the ledger's tests need no survey import or signing."""
from __future__ import annotations

import datetime as dt
import hashlib

from calculator import load_policy
from calculator.policy import POLICY_DIR
from calculator.register.db import transaction
from calculator.register.models import (
    Agreement,
    Household,
    Offer,
    PolicyVersion,
    Project,
    User,
)
from calculator.settlement import quote

SUPERVISOR, CLERK = "王主管", "李经办"
SIGNED_AT = dt.datetime(2025, 6, 1, 9, 0, 0)


def seed_register(engine, households: list[dict], project_code: str = "P1") -> int:
    """A project under the Tahe policy with a supervisor and a clerk, and one signed agreement per household
    (dict: no, name, optional signed_at, and the quote's inputs). Returns the project id."""
    loaded = load_policy("tahe")
    now = dt.datetime(2025, 5, 1)
    with transaction(engine) as s:
        s.add_all([User(name=SUPERVISOR, role="supervisor", created_at=now, created_by="test"),
                   User(name=CLERK, role="clerk", created_at=now, created_by="test")])
        project = Project(code=project_code, name="塔河", created_at=now, created_by="test")
        s.add(project)
        s.flush()
        policy = PolicyVersion(project_id=project.id, policy_id="tahe", version=loaded.identity.version,
                               sha256=loaded.identity.sha256, text=(POLICY_DIR / "tahe.toml").read_text("utf-8"),
                               adopted_at=now, adopted_by="test")
        s.add(policy)
        s.flush()
        for number, h in enumerate(households, start=1):
            inputs = {k: v for k, v in h.items() if k not in ("no", "name", "signed_at")}
            q = quote(loaded, household_id=h["no"], **inputs)
            household = Household(project_id=project.id, household_no=h["no"], name=h.get("name", "张三"), id_number="",
                                  category=q.option, inputs={k: str(v) for k, v in inputs.items()}, survey={"联系电话": "139"},
                                  survey_row=number + 1, survey_sha256="0" * 64, status="signed", created_at=now,
                                  updated_at=now)
            s.add(household)
            s.flush()
            offer = Offer(household_id=household.id, version=1, policy_version_id=policy.id,
                          policy_sha256=loaded.identity.sha256, option=q.option, net_fen=int(q.net_payable * 100),
                          quote_json=q.model_dump_json(), created_at=now, created_by="test")
            s.add(offer)
            s.flush()
            s.add(Agreement(project_id=project.id, number=number, household_id=household.id, offer_id=offer.id,
                            signed_at=h.get("signed_at", SIGNED_AT), signed_by=CLERK,
                            document_sha256=hashlib.sha256(b"%PDF").hexdigest(),
                            document=b"%PDF"))
        return project.id
