"""Importing a survey into the register: new households added, unsigned ones updated, signed ones listed untouched.

The survey is read and checked by the batch reader (the same messages for bad rows); the good rows are written in
one transaction, so an import interrupted at any point leaves all of it or none of it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ..batch.errors import RowError
from ..batch.survey import SurveyRun
from . import oplog
from .models import Household, Member, Project, utc_now
from .rights import require

MEMBER_HEADERS = {"家庭成员", "成员", "家庭成员姓名", "members", "household members"}
# One member: 姓名, optionally （关系） and ：身份证号. Entries are separated by ; ； 、 or a line break.
MEMBER = re.compile(r"^(?P<name>[^（()：:]+?)\s*(?:[（(](?P<relation>[^）)]{1,40})[）)])?\s*"
                    r"(?:[：:]\s*(?P<id>\d{17}[\dXx]|\d{15}))?$")
SIGNED = "signed"


@dataclass
class ImportReport:
    """What an import did: household numbers added and updated, how many were the same, the signed ones left alone."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    signed_untouched: list[tuple[str, bool]] = field(default_factory=list)  # (household no, survey row differs)
    rejected: list[RowError] = field(default_factory=list)  # the batch reader's errors and the members column's


def members_header(run: SurveyRun) -> str | None:
    return next((h for h in run.raw.columns if str(h).strip().lower() in MEMBER_HEADERS), None)


def parse_members(text: str) -> list[tuple[str, str, str]] | None:
    """'李四（配偶）；王小五（子女）：232722201001010011' -> [(name, relation, id number)…]; None if an entry is unreadable."""
    out = []
    for part in re.split(r"[;；、\n]", text):
        part = part.strip()
        if not part:
            continue
        m = MEMBER.match(part)
        if m is None or len(m["name"]) > 200:
            return None
        out.append((m["name"].strip(), (m["relation"] or "").strip(), (m["id"] or "").upper()))
    return out


def _member_errors(run: SurveyRun, header: str | None, rows) -> tuple[dict[int, list], list[RowError]]:
    parsed, errors = {}, []
    if header is None:
        return parsed, errors
    for row in rows:
        text = run.raw.at[row, header]
        members = parse_members(text if isinstance(text, str) else "")
        if members is None:
            errors.append(RowError(field="members", value=text, row=int(row), column=header,
                                   message_zh=f"家庭成员“{text}”无法识别：应写作 姓名（关系）：身份证号，多人用分号隔开",
                                   message_en=f"members '{text}' cannot be read: write name (relation): ID number, "
                                              "people separated by semicolons"))
        else:
            parsed[row] = members
    return parsed, errors


def _records(run: SurveyRun, survey_sha256: str) -> tuple[list[dict], dict[int, list], list[RowError]]:
    """One record per computed row: household no, name, category, inputs as read, the whole survey row."""
    s = run.settlement
    rows = s.inputs.index
    header = members_header(run)
    members, errors = _member_errors(run, header, rows)
    bad = {e.row for e in errors}
    fields = {h: f for h, f in run.columns.items() if f is not None and f != "seq"}
    raw = run.raw.loc[rows]
    headers = [str(h) for h in raw.columns]
    columns = [raw[h].fillna("").to_numpy(dtype=object) for h in raw.columns]  # column-wise: to_dict is slow on text
    cash = s.results["is_cash"].to_numpy(bool)
    low = s.inputs["low_income"].to_numpy(bool)
    category = np.where(cash, "cash", "in_kind").astype(object) + np.where(low, "_low_income", "")
    ids, names, id_numbers = (s.inputs[c].fillna("").astype(str).to_numpy() for c in ("household_id", "name", "id_number"))
    records = []
    for pos, row in enumerate(rows):
        if row in bad:
            continue
        cells = dict(zip(headers, (c[pos] for c in columns)))
        records.append({"household_no": ids[pos], "name": names[pos], "id_number": id_numbers[pos],
                        "category": category[pos], "inputs": {f: cells[h] for h, f in fields.items() if h in cells},
                        "survey": cells, "survey_row": int(row), "survey_sha256": survey_sha256})
    members_of = {r["household_no"]: [(r["name"], "户主", r["id_number"]), *members.get(r["survey_row"], [])]
                  for r in records}
    return records, members_of, errors


def _logged(record: dict) -> dict:
    """What the log keeps of a household (the full survey row is in the household's file)."""
    return {k: record[k] for k in ("household_no", "name", "id_number", "category", "inputs")}


def import_survey(session: Session, project: Project, run: SurveyRun, by: str) -> ImportReport:
    """Write the survey's good rows into the project (the caller's transaction; lock the project first)."""
    require(session, by, "household.import")
    records, members_of, member_errors = _records(run, run.source_sha256)
    report = ImportReport(rejected=sorted([*run.errors, *member_errors], key=lambda e: e.row))
    existing = {h.household_no: h for h in session.execute(
        select(Household.id, Household.household_no, Household.name, Household.id_number, Household.category,
               Household.inputs, Household.survey, Household.status).where(Household.project_id == project.id))}
    now = utc_now()
    new, changed, entries = [], [], []
    for r in records:
        old = existing.get(r["household_no"])
        if old is None:
            new.append({**r, "project_id": project.id, "status": "surveyed", "created_at": now, "updated_at": now})
            continue
        same = old.survey == r["survey"] and old.category == r["category"]
        if old.status == SIGNED:
            report.signed_untouched.append((r["household_no"], not same))
        elif same:
            report.unchanged += 1
        else:
            changed.append({**r, "id": old.id, "status": "surveyed", "updated_at": now})
            entries.append({"user": by, "action": "household.update", "entity": "household", "entity_id": old.id,
                            "household_id": old.id, "before": {**_logged(old._mapping), "status": old.status},
                            "after": {**_logged(r), "status": "surveyed"}})
    ids = {}
    for start in range(0, len(new), 5000):  # a plain executemany, then the ids by number (RETURNING in parameter
        chunk = new[start:start + 5000]     # order runs row by row on SQLite)
        session.connection().execute(insert(Household.__table__), chunk)
        ids |= {no: hid for hid, no in session.execute(
            select(Household.id, Household.household_no).where(Household.project_id == project.id,
                                                               Household.household_no.in_([r["household_no"] for r in chunk])))}
    for r in new:
        entries.append({"user": by, "action": "household.add", "entity": "household", "entity_id": ids[r["household_no"]],
                        "household_id": ids[r["household_no"]], "before": None, "after": {**_logged(r), "status": "surveyed"}})
    if changed:
        session.execute(update(Household), changed)
        session.execute(delete(Member).where(Member.household_id.in_([c["id"] for c in changed])))
        ids |= {c["household_no"]: c["id"] for c in changed}
    member_rows = [{"household_id": ids[no], "position": i, "name": name, "relation": relation, "id_number": idn}
                   for no in ids for i, (name, relation, idn) in enumerate(members_of[no], start=1)]
    for start in range(0, len(member_rows), 10000):
        session.connection().execute(insert(Member.__table__), member_rows[start:start + 10000])
    oplog.record_many(session, sorted(entries, key=lambda e: e["household_id"]))
    report.added = [r["household_no"] for r in new]
    report.updated = [c["household_no"] for c in changed]
    return report
