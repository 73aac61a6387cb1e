"""The public notice (公示表) as data: one masked row per computed household, columns named by the policy."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Literal

import pandas as pd

from ..approval import mark
from ..fixed import cents_to_decimal
from ..household import OPTION_LABELS
from ..policy import LoadedPolicy
from ..settlement import Settlement
from ..totals import project_totals
from .labels import text
from .masking import mask_id_number, mask_name

Kind = Literal["text", "area", "money"]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind


@dataclass
class Notice:
    """Everything a notice prints. Names and ID numbers are masked here, before any writer sees them."""

    title: str
    header_lines: list[str]
    columns: list[Column]
    rows: list[list]  # text as str, areas and money as Decimal (None: not applicable)
    totals: dict[str, Decimal]  # money column -> sum over the rows
    footer_lines: list[str]
    lang: str = "zh"
    policy_ref: str = ""


def notice_columns(loaded: LoadedPolicy, lang: str = "zh") -> list[Column]:
    """The notice's columns: who, the areas, then every settled item, subtotal and total the policy's schema lists."""
    t = partial(text, lang=lang)
    schema = loaded.rules.schema
    label = lambda zh, en: zh if lang == "zh" else en
    cols = [Column("no", t("col_no"), "text"), Column("household_id", t("col_household_id"), "text"),
            Column("name", t("col_name"), "text"), Column("id_number", t("col_id_number"), "text"),
            Column(schema.area_col("original"), t("col_original"), "area"), Column("option", t("col_option"), "text"),
            Column("low_income", t("col_low_income"), "text"), Column(schema.area_col("chosen"), t("col_chosen"), "area"),
            Column(schema.area_col("standard"), t("col_standard"), "area")]
    cols += [Column(c.amount, label(c.item.label_zh, c.item.label_en), "money") for c in schema.settled_items]
    cols += [Column(c.col, label(c.label_zh, c.label_en), "money") for c in schema.totals]
    cols.append(Column(schema.net_payable, t("col_net"), "money"))
    if schema.installments:
        cols += [Column(schema.deferred_total, t("col_deferred"), "money"),
                 Column(schema.due_before_move_in, t("col_due"), "money")]
    return cols


def _cell(frame: pd.DataFrame, column: str, position: int) -> str:
    if column not in frame.columns:
        return ""
    value = frame[column].iat[position]
    return "" if value is None or value != value else str(value)  # None or NaN: blank


def _public_id(inputs: pd.DataFrame, pos: int) -> str:
    """The household id, unless it holds the household's own ID number or name (some offices file by ID number)."""
    household_id = _cell(inputs, "household_id", pos)
    name, id_number = _cell(inputs, "name", pos).strip(), _cell(inputs, "id_number", pos).strip().upper()
    if (id_number and id_number in household_id.upper()) or (len(name) >= 2 and name in household_id):
        return mask_id_number(household_id) if len(household_id) >= 15 else "*" * len(household_id)
    return household_id


def build_notice(settlement: Settlement, loaded: LoadedPolicy, *, issued: dt.date | None = None,
                 rejected: int | None = None, lang: str = "zh") -> Notice:
    """The notice of a settled batch; `rejected` defaults to the rows the settlement rejected."""
    t = partial(text, lang=lang)
    info, ident = loaded.rules.policy, loaded.identity
    columns = notice_columns(loaded, lang)
    inputs, results = settlement.inputs, settlement.results
    original = loaded.rules.schema.area_col("original")
    rows: list[list] = []
    yes, no = t("yes"), t("no")
    for pos in range(len(results)):
        r = results.iloc[pos]
        cash = bool(r["is_cash"])
        values = {
            "no": str(pos + 1), "household_id": _public_id(inputs, pos),
            "name": mask_name(_cell(inputs, "name", pos)), "id_number": mask_id_number(_cell(inputs, "id_number", pos)),
            "option": OPTION_LABELS["cash" if cash else "in_kind"][0 if lang == "zh" else 1],
            "low_income": yes if bool(inputs["low_income"].iat[pos]) else no,
        }
        for col in columns:
            if col.kind == "money":
                values[col.key] = cents_to_decimal(r[col.key])
            elif col.kind == "area":  # a cash household chose no unit and has no standard area
                values[col.key] = None if cash and col.key != original else cents_to_decimal(r[col.key])
        rows.append([values[c.key] for c in columns])
    sums = project_totals(settlement, loaded.rules).column_fen  # the totals the page and the workbook show
    totals = {c.key: cents_to_decimal(sums[c.key]) for c in columns if c.kind == "money"}
    rejected = len(settlement.rejected_index) if rejected is None else rejected
    issued = issued or dt.date.today()
    m2 = "平方米" if lang == "zh" else "m²"
    name = info.name_zh if lang == "zh" else info.name_en
    header = [
        t("notice_project", project=info.project_zh if lang == "zh" else info.project_en),
        t("notice_policy", name=name, id=ident.id, version=ident.version, sha=ident.sha256[:16] + "…"),
        t("notice_date", date=issued.isoformat()),
        t("notice_count", n=len(rows)) + (t("notice_rejected", n=rejected) if rejected else ""),
        t("notice_privacy", m2=m2),
    ]
    if not ident.approved:  # a notice under a policy the office has not approved says so first
        header.insert(0, mark(ident.sha256))
    footer = [t("notice_objection"), f"{t('notice_office')}{'_' * 20}    {t('sign_date')}"]
    return Notice(title=t("notice_title"), header_lines=header, columns=columns, rows=rows, totals=totals,
                  footer_lines=footer, lang=lang, policy_ref=f"{ident.id} {ident.version} sha256 {ident.sha256}")
