"""The policy file: pydantic models that refuse a broken policy, loading by id or path, and its identity."""
from __future__ import annotations

import hashlib
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"
DEFAULT_POLICY = "tahe"


class Strict(BaseModel):
    """Every policy model refuses keys it does not know (a misspelt key must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Param(Strict):
    """One number of the policy, with its unit, labels and the clause or decision it rests on."""

    value: Decimal
    unit: str = Field(min_length=1)
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    source: str = Field(min_length=1)

    @field_validator("value")
    @classmethod
    def _not_negative(cls, v: Decimal) -> Decimal:
        if v < 0:
            raise ValueError(f"must not be negative, got {v}")
        return v

    @property
    def fraction(self) -> tuple[int, int]:
        """The value as an exact (numerator, denominator), a percentage divided by 100."""
        value = self.value / 100 if self.unit == "%" else self.value
        return value.as_integer_ratio()


class Labelled(Strict):
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    source: str = Field(min_length=1)


class PolicyInfo(Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    version: str = Field(min_length=1)
    name_zh: str
    name_en: str
    project_zh: str
    project_en: str
    source_document: str = Field(min_length=1)
    currency: Literal["CNY"]


class Decision(Strict):
    id: str = Field(pattern=r"^D\d+$")
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str


class MixGroup(Strict):
    types_m2: list[Decimal] = Field(min_length=1)
    share: Param


class UnitTypes(Strict):
    source: str = Field(min_length=1)
    areas: list[Param] = Field(min_length=1)
    mix: list[MixGroup] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "UnitTypes":
        values = [a.value for a in self.areas]
        if values != sorted(values) or len(set(values)) != len(values):
            raise ValueError(f"unit type areas must be strictly increasing, got {[str(v) for v in values]}")
        if any(v <= 0 for v in values):
            raise ValueError("unit type areas must be > 0")
        total = sum(g.share.value for g in self.mix)
        if total != 100:
            raise ValueError(f"planned mix shares must sum to 100 %, got {total} %")
        in_mix = [t for g in self.mix for t in g.types_m2]
        if sorted(in_mix) != values:
            raise ValueError(
                f"the planned mix must name every unit type exactly once: types {[str(v) for v in values]}, "
                f"mix {[str(v) for v in in_mix]}"
            )
        return self


class StandardArea(Labelled):
    above_largest_type: Literal["original_area"]
    above_largest_type_decision: str
    non_standard_unit_decision: str


Bound = Literal["original_area", "standard_area", "none"]


class Band(Labelled):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    area_key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")  # the name of this band's area in results
    # Upper bound of the band: a named area plus an optional offset ("up to 10 m² over the standard").
    upper_bound: Bound
    upper_bound_offset_m2: Decimal = Decimal(0)
    price: Param
    low_income_price: Param


class Shortfall(Labelled):
    code: str
    decision: str
    ratio: Param


class MaintenanceFund(Labelled):
    code: str
    rate: Param
    low_income_exempt: bool
    low_income_decision: str | None = None


_BOUND_ORDER = {"original_area": 0, "standard_area": 1, "none": 2}


class InKind(Labelled):
    bands: list[Band] = Field(min_length=1)
    shortfall: Shortfall
    maintenance_fund: MaintenanceFund

    @model_validator(mode="after")
    def _bands_in_order(self) -> "InKind":
        keys = [(_BOUND_ORDER[b.upper_bound], b.upper_bound_offset_m2) for b in self.bands]
        for (prev, cur, band) in zip(keys, keys[1:], self.bands[1:]):
            if cur <= prev:
                raise ValueError(f"bands out of order: band '{band.code}' must end above the band before it")
        if self.bands[0].upper_bound != "original_area" or self.bands[0].upper_bound_offset_m2 != 0:
            raise ValueError("the first band must end at the original area (one-for-one part)")
        if self.bands[-1].upper_bound != "none":
            raise ValueError("the last band must be open-ended (upper_bound = \"none\")")
        if any(b.upper_bound == "none" for b in self.bands[:-1]):
            raise ValueError("only the last band may be open-ended")
        if any(b.upper_bound_offset_m2 < 0 for b in self.bands):
            raise ValueError("band offsets must not be negative")
        keys = [b.area_key for b in self.bands]
        if len(set(keys)) != len(keys) or {"original", "standard", "chosen", "shortfall"} & set(keys):
            raise ValueError(f"band area keys must be unique and not original/standard/chosen/shortfall, got {keys}")
        codes = [b.code for b in self.bands] + [self.shortfall.code, self.maintenance_fund.code]
        if len(set(codes)) != len(codes):
            raise ValueError(f"item codes must be unique, got {codes}")
        return self


class Cash(Labelled):
    code: str
    ratio: Param


class Installment(Strict):
    years_after_move_in: Param
    share: Param


class Deferral(Labelled):
    eligible: Literal["low_income_in_kind"]
    deferrable_items: list[str] = Field(min_length=1)
    on_full_payment_zh: str
    on_full_payment_en: str
    on_default_zh: str
    on_default_en: str
    installments: list[Installment] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "Deferral":
        total = sum(i.share.value for i in self.installments)
        if total != 100:
            raise ValueError(f"installment shares must sum to 100 %, got {total} %")
        years = [i.years_after_move_in.value for i in self.installments]
        if years != sorted(set(years)) or any(y != int(y) or y <= 0 for y in years):
            raise ValueError(f"installment years must be whole, positive and increasing, got {[str(y) for y in years]}")
        return self


class Heating(Labelled):
    energy_efficient_default: bool
    energy_efficient_default_source: str
    efficient_ratio: Param
    standard_rate: Param
    rate_is_example: bool
    rate_decision: str | None = None


class Limits(Strict):
    original_area_max: Param
    unit_area_max: Param
    appraised_price_max: Param
    heating_rate_max: Param


class Policy(Strict):
    policy: PolicyInfo
    decisions: list[Decision]
    unit_types: UnitTypes
    standard_area: StandardArea
    in_kind: InKind
    cash: Cash
    deferral: Deferral
    heating: Heating
    limits: Limits

    @model_validator(mode="after")
    def _references(self) -> "Policy":
        ids = {d.id for d in self.decisions}
        if len(ids) != len(self.decisions):
            raise ValueError("decision ids must be unique")
        used = [
            self.standard_area.above_largest_type_decision,
            self.standard_area.non_standard_unit_decision,
            self.in_kind.shortfall.decision,
            self.in_kind.maintenance_fund.low_income_decision,
            self.heating.rate_decision,
        ]
        for ref in used:
            if ref is not None and ref not in ids:
                raise ValueError(f"decision '{ref}' is referenced but not defined in [[decisions]]")
        band_codes = {b.code for b in self.in_kind.bands}
        for code in self.deferral.deferrable_items:
            if code not in band_codes:
                raise ValueError(f"deferral item '{code}' is not a band code ({sorted(band_codes)})")
        return self

    # Convenience views used by the engine and the views.
    @property
    def type_areas(self) -> list[Decimal]:
        return [a.value for a in self.unit_types.areas]

    def decision(self, decision_id: str) -> Decision:
        return next(d for d in self.decisions if d.id == decision_id)

    def item_labels(self) -> dict[str, tuple[str, str, str]]:
        """code -> (label_zh, label_en, source) for every item the policy can produce."""
        ik = self.in_kind
        out = {b.code: (b.label_zh, b.label_en, b.source) for b in ik.bands}
        out[ik.maintenance_fund.code] = (ik.maintenance_fund.label_zh, ik.maintenance_fund.label_en, ik.maintenance_fund.source)
        out[ik.shortfall.code] = (ik.shortfall.label_zh, ik.shortfall.label_en, ik.shortfall.source)
        out[self.cash.code] = (self.cash.label_zh, self.cash.label_en, self.cash.source)
        return out


class PolicyIdentity(BaseModel):
    id: str
    version: str
    sha256: str
    path: str


class LoadedPolicy(BaseModel):
    """A validated policy with the identity of the file it came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    rules: Policy
    identity: PolicyIdentity


class PolicyError(Exception):
    """A policy file that cannot be used: names the file, the key and the reason."""

    def __init__(self, path: str, problems: list[tuple[str, str]]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {key}: {reason}" for key, reason in problems)
        super().__init__(f"政策文件无效 / invalid policy file {path}:\n{lines}")


def available_policies(directory: Path = POLICY_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.toml"))


def resolve_policy_path(id_or_path: str | Path | None) -> Path:
    if id_or_path is None:
        id_or_path = DEFAULT_POLICY
    candidate = Path(id_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        return candidate
    return POLICY_DIR / f"{id_or_path}.toml"


def parse_policy(data: bytes, path: str = "<upload>") -> LoadedPolicy:
    """Validate policy bytes; raise PolicyError naming every problem."""
    try:
        raw = tomllib.loads(data.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(path, [("(file)", f"not valid UTF-8 TOML: {exc}")]) from None
    try:
        rules = Policy.model_validate(raw)
    except ValidationError as exc:
        problems = [(".".join(str(p) for p in err["loc"]) or "(root)", _reason(err)) for err in exc.errors()]
        raise PolicyError(path, problems) from None
    identity = PolicyIdentity(
        id=rules.policy.id, version=rules.policy.version, sha256=hashlib.sha256(data).hexdigest(), path=path
    )
    return LoadedPolicy(rules=rules, identity=identity)


def _reason(err: dict) -> str:
    if err["type"] == "missing":
        return "missing (每个数值都须注明单位、中英文标签和出处 / every value needs unit, labels and source)"
    if err["type"] == "extra_forbidden":
        return f"unknown key (未知字段), value {err.get('input')!r}"
    return err["msg"]


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int) -> LoadedPolicy:
    return parse_policy(Path(path).read_bytes(), path)


def load_policy(id_or_path: str | Path | None = None) -> LoadedPolicy:
    """Load a policy by id (a file in policies/) or by path."""
    path = resolve_policy_path(id_or_path)
    if not path.is_file():
        known = ", ".join(available_policies())
        raise PolicyError(str(path), [("(file)", f"no such policy file; known ids: {known}")])
    return _load_cached(str(path), path.stat().st_mtime_ns)
