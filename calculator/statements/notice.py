"""The public notice (公示表) as data: one masked row per computed household, columns named by the policy."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, partial
from typing import Literal

import numpy as np
import pandas as pd

from ..approval import mark
from ..fixed import MISSING, cents_to_decimal
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
    # Column key -> one value per household: text as a list of str; areas and money as int64 hundredths,
    # MISSING where not applicable. Held by column, so that writers turn whole columns into cells.
    values: dict[str, list | np.ndarray]
    totals: dict[str, Decimal]  # money column -> sum over the rows
    footer_lines: list[str]
    lang: str = "zh"
    policy_ref: str = ""

    @property
    def households(self) -> int:
        return len(self.values["no"])

    @cached_property
    def rows(self) -> list[list]:
        """Row by row: text as str, areas and money as Decimal (None: not applicable)."""
        cells = [self.values[c.key] if c.kind == "text" else
                 [None if v == MISSING else cents_to_decimal(v) for v in self.values[c.key].tolist()]
                 for c in self.columns]
        return [list(row) for row in zip(*cells)]


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


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    """A column's values as text; blank where the column is absent, None or NaN."""
    if column not in frame.columns:
        return [""] * len(frame)
    return ["" if v is None or v != v else str(v) for v in frame[column].to_numpy(dtype=object)]


def _public_id(household_id: str, name: str, id_number: str) -> str:
    """The household id, unless it holds the household's own ID number or name (some offices file by ID number)."""
    name, id_number = name.strip(), id_number.strip().upper()
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
    n = len(results)
    # Column by column: a Python loop over households only where each value is text to mask.
    cash = results["is_cash"].to_numpy(dtype=bool) if n else np.zeros(0, dtype=bool)
    ids, names, id_numbers = (_texts(inputs, c) for c in ("household_id", "name", "id_number"))
    option = OPTION_LABELS["cash"][0 if lang == "zh" else 1], OPTION_LABELS["in_kind"][0 if lang == "zh" else 1]
    values: dict[str, list | np.ndarray] = {
        "no": [str(pos + 1) for pos in range(n)],
        "household_id": list(map(_public_id, ids, names, id_numbers)),
        "name": list(map(mask_name, names)), "id_number": list(map(mask_id_number, id_numbers)),
        "option": np.where(cash, *option).tolist(),
        "low_income": np.where(inputs["low_income"].to_numpy(dtype=bool), t("yes"), t("no")).tolist() if n else [],
    }
    for col in columns:
        if col.kind != "text":  # a cash household chose no unit and has no standard area
            hundredths = results[col.key].to_numpy(dtype=np.int64)
            values[col.key] = np.where(cash, MISSING, hundredths) if col.kind == "area" and col.key != original \
                else hundredths
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
        t("notice_count", n=n) + (t("notice_rejected", n=rejected) if rejected else ""),
        t("notice_privacy", m2=m2),
    ]
    if not ident.approved:  # a notice under a policy the office has not approved says so first
        header.insert(0, mark(ident.sha256))
    footer = [t("notice_objection"), f"{t('notice_office')}{'_' * 20}    {t('sign_date')}"]
    return Notice(title=t("notice_title"), header_lines=header, columns=columns, values=values, totals=totals,
                  footer_lines=footer, lang=lang, policy_ref=f"{ident.id} {ident.version} sha256 {ident.sha256}")
