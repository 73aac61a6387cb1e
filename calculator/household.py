"""What a household brings: the input fields, the Household model, and the typed frame the engine reads."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from .columns import Columns
from .errors import InputError
from .fixed import MISSING, to_cents
from .policy import Policy
from .typed_number import parse_decimal

if TYPE_CHECKING:  # a single quote runs without pandas
    import pandas as pd

# field -> (Chinese label, English label); the names used in errors, the CLI, the batch and the app.
FIELDS: dict[str, tuple[str, str]] = {
    "household_id": ("户号", "household id"),
    "name": ("户主姓名", "head of household"),
    "id_number": ("身份证号", "ID number"),
    "original_area": ("原房屋建筑面积", "original area"),
    "option": ("安置方式", "option"),
    "unit_area": ("选择户型面积", "chosen unit area"),
    "low_income": ("是否低保户", "low-income"),
    "defer": ("申请缓交", "deferral requested"),
    "appraised_price": ("评估单价", "appraised price"),
    "energy_efficient": ("节能住宅", "energy-efficient"),
    "heating_rate": ("取暖费标准", "heating rate"),
    "move_in_date": ("入住日期", "move-in date"),
}

OPTIONS = ("in_kind", "cash")
MAX_INPUT = Decimal(10) ** 12
OPTION_LABELS = {"in_kind": ("回迁安置", "in-kind resettlement"), "cash": ("货币补偿", "cash compensation")}


class Household(BaseModel):
    """One household's inputs, typed. Text from a form, the CLI or a spreadsheet goes through `from_text`."""

    model_config = ConfigDict(extra="forbid")
    household_id: str | None = None
    name: str | None = None
    id_number: str | None = None
    original_area: Decimal
    option: Literal["in_kind", "cash"] = "in_kind"
    unit_area: Decimal | None = None
    low_income: bool = False
    defer: bool = False
    appraised_price: Decimal | None = None
    energy_efficient: bool | None = None  # None: the policy's default
    heating_rate: Decimal | None = None  # None: the policy's rate
    move_in_date: dt.date | None = None
    inputs: dict[str, str | bool | int | Decimal | dt.date | None] = {}  # the policy's declared inputs, as given

    @field_validator("original_area", "unit_area", "appraised_price", "heating_rate", mode="before")
    @classmethod
    def _typed_number(cls, v):
        # Typed text by the strict rules (pydantic's Decimal would read '45_0' as 450 and '٤٥' as 45).
        if isinstance(v, str):
            number = parse_decimal(v)
            if number is None:
                raise PydanticCustomError("decimal_parsing", "not a number")
            return number
        return v

    @field_validator("original_area", "unit_area", "appraised_price", "heating_rate")
    @classmethod
    def _representable(cls, v: Decimal | None) -> Decimal | None:
        # Far beyond any policy limit, and beyond what int64 hundredths can hold: refuse before arithmetic.
        if v is not None and abs(v) >= MAX_INPUT:
            raise PydanticCustomError("out_of_range", "out of range")
        return v

    @classmethod
    def build(cls, /, **values) -> tuple["Household | None", list[InputError]]:
        """Validate values into a Household, or return bilingual errors naming each field and value."""
        try:
            return cls(**values), []
        except ValidationError as exc:
            return None, [_type_error(err) for err in exc.errors()]


def _type_error(err: dict) -> InputError:
    field = str(err["loc"][0]) if err["loc"] else "(household)"
    value = err.get("input")
    zh, en = FIELDS.get(field, (field, field))
    kind = err["type"]
    # The English message names the field as a person reads it (its label), never its code.
    if kind == "missing":
        return InputError(field=field, value="", message_zh=f"缺少{zh}", message_en=f"{en} is required")
    if kind == "extra_forbidden":
        return InputError(field=field, value=str(value), message_zh=f"未知字段 {field}", message_en=f"unknown field {field}")
    if kind.startswith("date"):
        return InputError(field=field, value=str(value), message_zh=f"{zh}不是有效日期（YYYY-MM-DD），输入为 {value}",
                          message_en=f"{en} must be a real date (YYYY-MM-DD), got {value}")
    if kind.startswith("bool"):
        return InputError(field=field, value=str(value), message_zh=f"{zh}应为是或否，输入为 {value}",
                          message_en=f"{en} must be yes or no, got {value}")
    if kind == "out_of_range":
        return InputError(field=field, value=str(value), message_zh=f"{zh}超出允许范围，输入为 {value}",
                          message_en=f"{en} is out of range, got {value}")
    if kind == "literal_error":
        return InputError(field=field, value=str(value), message_zh=f"{zh}应为回迁安置或货币补偿，输入为 {value}",
                          message_en=f"{en} must be in-kind resettlement or cash compensation, got {value}")
    return InputError(field=field, value=str(value), message_zh=f"{zh}不是有效数字，输入为 {value}",
                      message_en=f"{en} must be a number, got {value}")


def input_text(value) -> str:
    """A declared input's value as the text its parser reads: a Decimal in plain digits (never '1E+2')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _cents(values: list[Decimal | None]) -> tuple[np.ndarray, np.ndarray]:
    out = np.full(len(values), MISSING, dtype=np.int64)
    rounded = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if v is not None:
            out[i], rounded[i] = to_cents(v)
    return out, rounded


def household_columns(households: list[Household], policy: Policy) -> Columns:
    """The typed columns of N households: areas in 0.01 m², prices in fen, blanks as MISSING.

    Declared inputs that do not parse are left blank here; quote_household reports them first."""
    from .inputs import frame_columns, parse_column

    declared = {}
    for decl in policy.inputs:
        texts = [input_text(h.inputs.get(decl.name)) for h in households]
        declared[decl.name] = parse_column(decl, texts)
    return Columns(typed_columns(
        declared=frame_columns(declared, policy, len(households)),
        household_id=[h.household_id for h in households],
        option=[h.option for h in households],
        original_area=[h.original_area for h in households],
        unit_area=[h.unit_area for h in households],
        low_income=[h.low_income for h in households],
        defer=[h.defer for h in households],
        appraised_price=[h.appraised_price for h in households],
        energy_efficient=[h.energy_efficient for h in households],
        heating_rate=[h.heating_rate for h in households],
        move_in_date=[h.move_in_date for h in households],
        policy=policy,
    ))


def households_to_frame(households: list[Household], policy: Policy) -> pd.DataFrame:
    """household_columns as the pandas frame the batch settles."""
    import pandas as pd

    return pd.DataFrame(household_columns(households, policy).arrays)


def typed_columns(*, household_id, option, original_area, unit_area, low_income, defer, appraised_price,
                  energy_efficient, heating_rate, move_in_date, policy: Policy, declared: dict | None = None
                  ) -> dict[str, np.ndarray]:
    """The engine's input columns from per-field lists of Decimals/bools/dates (None = blank)."""
    columns = {"household_id": np.array(list(household_id), dtype=object), "option": np.array(list(option), dtype=object)}
    for field, values in (("original_area", original_area), ("unit_area", unit_area),
                          ("appraised_price", appraised_price), ("heating_rate", heating_rate)):
        columns[f"{field}_c"], columns[f"rounded_{field}"] = _cents(list(values))
    default_rate = to_cents(policy.heating.standard_rate.value)[0] if policy.heating else 0
    rate = columns["heating_rate_c"]
    columns["heating_rate_given"] = rate != MISSING
    columns["heating_rate_c"] = np.where(rate == MISSING, default_rate, rate)
    columns["low_income"] = np.asarray(low_income, dtype=bool)
    columns["defer"] = np.asarray(defer, dtype=bool)
    default_efficient = policy.heating.energy_efficient_default if policy.heating else True
    columns["energy_efficient"] = np.array([default_efficient if e is None else bool(e) for e in energy_efficient],
                                           dtype=bool)
    columns["move_in"] = np.array(list(move_in_date), dtype="datetime64[s]")
    columns.update(declared or {})
    return columns


def typed_frame(**fields) -> pd.DataFrame:
    """typed_columns as a pandas frame (the batch's and the tests' way in)."""
    import pandas as pd

    return pd.DataFrame(typed_columns(**fields))
