"""Offers: households settled by the engine under the project's policy, each stored with its full Quote JSON.

The whole set is settled at once, from the survey rows kept in each household's file, through the same reader and
checks as `batch`; a new policy version gives each unsigned household a new offer version, never a rewritten one."""
from __future__ import annotations

import contextlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from ..batch.errors import RowError
from ..batch.reader import Grid
from ..batch.survey import SurveyRun, settle_grid
from ..interrupts import ignore_in_worker
from ..policy import LoadedPolicy
from ..result import build_quotes
from ..settlement import Settlement
from . import oplog
from .errors import not_found
from .models import Household, Offer, PolicyVersion, Project, utc_now
from .projects import current_policy, loaded_policy
from .rights import require

CHUNK = 5000
PARALLEL_FROM = 20_000  # households: below this, starting worker processes costs more than they save


@dataclass
class OfferReport:
    policy: PolicyVersion
    made: int = 0
    rejected: list[tuple[str, RowError]] = field(default_factory=list)  # (household no, why it cannot be settled)


def latest_offers(session: Session, household_ids) -> dict[int, Offer]:
    """household id -> its newest offer."""
    newest = (select(Offer.household_id, func.max(Offer.version).label("version"))
              .where(Offer.household_id.in_(household_ids)).group_by(Offer.household_id).subquery())
    query = select(Offer).join(newest, (Offer.household_id == newest.c.household_id) & (Offer.version == newest.c.version))
    return {o.household_id: o for o in session.execute(query).scalars()}


def due_for_offer(session: Session, project: Project, version: PolicyVersion, numbers: list[str] | None = None) -> list:
    """Unsigned households with no offer under `version` that reflects their current survey row: newly surveyed or
    updated ones (status 'surveyed') and offered ones whose newest offer is under an older policy."""
    newest = (select(Offer.household_id, func.max(Offer.version).label("version")).group_by(Offer.household_id)
              .subquery())
    query = (select(Household.id, Household.household_no, Household.survey, Household.status,
                    func.coalesce(newest.c.version, 0).label("last_version"), Offer.policy_version_id)
             .outerjoin(newest, newest.c.household_id == Household.id)
             .outerjoin(Offer, (Offer.household_id == Household.id) & (Offer.version == newest.c.version))
             .where(Household.project_id == project.id, Household.status.in_(("surveyed", "offered")))
             .order_by(Household.id))
    if numbers:
        query = query.where(Household.household_no.in_(numbers))
    return [h for h in session.execute(query) if h.status == "surveyed" or h.policy_version_id != version.id]


def settle_households(households: list, loaded: LoadedPolicy) -> tuple[list[SurveyRun], dict[int, object]]:
    """The households' survey rows as one survey (a grid with the header on row 1) settled under `loaded`; also the
    grid row -> household. Households imported from surveys with different columns are settled group by group."""
    runs, row_of = [], {}
    groups: dict[tuple, list] = {}
    for h in households:
        groups.setdefault(tuple(h.survey), []).append(h)
    first_row = 2
    for headers, members in groups.items():
        matrix = [list(headers)] + [[h.survey[k] for k in headers] for h in members]
        cells = pd.DataFrame(matrix, dtype="str")
        cells.index = np.arange(first_row - 1, first_row - 1 + len(matrix))
        row_of |= {first_row + i: h for i, h in enumerate(members)}
        runs.append(settle_grid(Grid(cells=cells, kind="csv"), loaded, "register", ""))
        first_row += len(matrix) + 1
    return runs, row_of


def _quote_jsons(part: Settlement, loaded: LoadedPolicy) -> list[str]:
    return [q.model_dump_json() for q in build_quotes(part, loaded)]


def quote_jsons(settlement: Settlement, loaded: LoadedPolicy, jobs: int | None = None, chunk: int = CHUNK):
    """Every computed row's Quote as JSON, in row order. Building them is most of an offer's cost: a large set is
    built in `jobs` processes (default: every core), the same JSON as in one."""
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(settlement.results) >= PARALLEL_FROM else 1
    if jobs <= 1:
        yield from (q.model_dump_json() for q in build_quotes(settlement, loaded))
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=ignore_in_worker)
    try:
        for part in pool.map(_quote_jsons, settlement.slices(chunk), repeat(loaded)):
            yield from part
    finally:  # on an interrupt, the slices not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def _insert_offers(session: Session, batch: list[dict]) -> list[int]:
    """Insert the offers (one per household, each its household's newest) and return their ids in batch order.
    A plain executemany and one query: RETURNING in parameter order runs row by row on SQLite (1.3 s per 50,000)."""
    session.connection().execute(insert(Offer.__table__), batch)
    households = [b["household_id"] for b in batch]
    newest = dict(session.execute(select(Offer.household_id, func.max(Offer.id)).where(Offer.household_id.in_(households))
                                  .group_by(Offer.household_id)).all())
    return [newest[h] for h in households]


def make_offers(session: Session, project: Project, by: str, numbers: list[str] | None = None) -> OfferReport:
    """Settle every household due for an offer and store one new offer version each (the caller's transaction)."""
    require(session, by, "offer.make")
    version = current_policy(session, project)
    loaded = loaded_policy(version)
    report = OfferReport(policy=version)
    if numbers:
        known = set(session.execute(select(Household.household_no).where(Household.project_id == project.id,
                                                                         Household.household_no.in_(numbers))).scalars())
        unknown = [n for n in numbers if n not in known]
        if unknown:
            raise not_found("household", unknown[0], "户号", "household")
    households = due_for_offer(session, project, version, numbers)
    if not households:
        return report
    runs, row_of = settle_households(households, loaded)
    schema = loaded.rules.schema
    now = utc_now()
    for run in runs:
        report.rejected += [(row_of[e.row].household_no, e) for e in run.errors]
        s = run.settlement
        rows = s.inputs.index.to_numpy()
        net = s.results[schema.net_payable].to_numpy(np.int64)
        cash = s.results["is_cash"].to_numpy(bool)
        with contextlib.closing(quote_jsons(s, loaded)) as quotes:  # closed: its worker processes end here
            for start in range(0, len(rows), CHUNK):
                batch = []
                for pos in range(start, min(start + CHUNK, len(rows))):
                    h = row_of[int(rows[pos])]
                    batch.append({"household_id": h.id, "version": h.last_version + 1, "policy_version_id": version.id,
                                  "policy_sha256": version.sha256, "option": "cash" if cash[pos] else "in_kind",
                                  "net_fen": int(net[pos]), "quote_json": next(quotes),
                                  "created_at": now, "created_by": by})
                ids = _insert_offers(session, batch)
                session.connection().execute(
                    update(Household.__table__).where(Household.__table__.c.id == bindparam("hid"))
                    .values(status="offered", updated_at=now), [{"hid": b["household_id"]} for b in batch])
                oplog.record_many(session, [
                    {"user": by, "action": "offer.make", "entity": "offer", "entity_id": offer_id,
                     "household_id": b["household_id"],
                     "before": None, "after": {"version": b["version"], "option": b["option"], "net_fen": b["net_fen"],
                                               "policy": {"id": version.policy_id, "version": version.version,
                                                          "sha256": version.sha256}}}
                    for offer_id, b in zip(ids, batch)])
                report.made += len(batch)
    return report
