"""The policy file: pydantic models that refuse a broken policy, loading by id or path, and its identity.

The shape is generic: declared inputs, named parameters and areas, and items of a closed catalogue of kinds
(see docs/policy.md). Cross-references, expressions and units are checked in policy_checks.py at load.
"""

import datetime as dt
import hashlib
import tomllib
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, field_validator,
                      model_validator)

from . import units

POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"
DEFAULT_POLICY = "tahe"
NAME = r"^[a-z][a-z0-9_]*$"
OPTIONS = ("in_kind", "cash")
MAX_VALUE = 10 ** 12  # no number of a policy comes near; keeps every value exact in 64-bit arithmetic
RATIO_PLACES = 8
MAX_SHARE = 3  # 300 %: above any share or ratio a policy uses (the largest shipped is 130 %), docs/policy.md
MAX_DEFERRAL_YEARS = 100


class Strict(BaseModel):
    """Every policy model refuses keys it does not know (a misspelt key must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Labelled(Strict):
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    source: str = Field(min_length=1)


class Param(Labelled):
    """One number of the policy, with its unit, labels and the clause or decision it rests on."""

    value: Decimal
    unit: str = Field(min_length=1)

    @field_validator("value")
    @classmethod
    def _not_negative(cls, v: Decimal) -> Decimal:
        if not v.is_finite():
            raise ValueError(f"must be a finite number, got {v}")
        if v < 0:
            raise ValueError(f"must not be negative, got {v}")
        if v >= MAX_VALUE:
            raise ValueError(f"must be below {MAX_VALUE:,}, got {v}")
        return v

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, v: str) -> str:
        units.parse(v)
        return v

    @model_validator(mode="after")
    def _precision(self) -> "Param":
        places = units.decimals(units.parse(self.unit))
        if units.is_dimensionless(self.unit):
            places = RATIO_PLACES  # a share is exact, but its denominator must stay a machine integer
        if self.value != round(self.value, places):
            raise ValueError(f"a value in {self.unit} is held to {places} decimal places, got {self.value}")
        if units.is_dimensionless(self.unit) and Fraction(*self.fraction) > MAX_SHARE:
            raise ValueError(f"a share or ratio above 300 % is taken for a typing slip, got {self.value} {self.unit} "
                             f"/ 比例超过300%，疑为笔误")
        return self

    @property
    def fraction(self) -> tuple[int, int]:
        """The value as an exact (numerator, denominator), a percentage divided by 100."""
        value = self.value / 100 if self.unit == "%" else self.value
        return value.as_integer_ratio()


class DateParam(Labelled):
    """A date of the policy (an announcement, a deadline)."""

    value: dt.date
    unit: Literal["date"]


ParamRef = str | Param  # the name of a parameter or input, or a parameter written in place
# unit = "date" picks DateParam, anything else Param, so an error is reported once, for the kind that was meant.
AnyParam = Annotated[Annotated[Param, Tag("Param")] | Annotated[DateParam, Tag("DateParam")],
                     Discriminator(lambda v: "DateParam" if (v.get("unit") if isinstance(v, dict) else
                                                             getattr(v, "unit", None)) == "date" else "Param")]


class PolicyInfo(Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    version: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    project_zh: str = Field(min_length=1)
    project_en: str = Field(min_length=1)
    document_zh: str = Field(min_length=1)  # the document residents can ask for: 《…实施方案》
    document_en: str = Field(min_length=1)
    currency: Literal["CNY"]


class Decision(Strict):
    id: str = Field(pattern=r"^D\d+$")
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str


class Choice(Strict):
    value: str = Field(pattern=NAME)
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    aliases: list[str] = []


InputType = Literal["area", "money", "count", "date", "flag", "choice"]


class InputDecl(Strict):
    """A household input the policy needs beyond the core ones (persons, signing date, appraised decoration …)."""

    name: str = Field(pattern=NAME)
    type: InputType
    unit: str | None = None  # money: "CNY" or "CNY/m2"…; count: "person", "month"…; area: m2
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    help_zh: str = ""
    help_en: str = ""
    source: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    default: Decimal | bool | dt.date | str | None = None
    required: bool = False
    required_when: str | None = None
    aliases: list[str] = []
    choices: list[Choice] = []
    plausible: list[Decimal] | None = None  # [min, max]: a batch asks to verify a value outside (it still settles)

    @model_validator(mode="after")
    def _check(self) -> "InputDecl":
        numeric = self.type in ("area", "money", "count")
        if self.plausible is not None:
            _check_plausible(self.plausible, numeric, self.min, self.max)
        if self.type == "area" and self.unit not in (None, "m2"):
            raise ValueError(f"an area input is in m2, got unit '{self.unit}'")
        if self.type in ("money", "count") and not self.unit:
            raise ValueError(f"a {self.type} input needs a unit (money: CNY, CNY/m2 …; count: person, month …)")
        if self.unit:
            dims = units.parse(self.unit)
            if self.type == "money" and ("CNY", 1) not in dims:
                raise ValueError(f"a money input's unit must be in CNY, got '{self.unit}'")
            if self.type == "count" and units.decimals(dims) != 0:
                raise ValueError(f"a count is whole (person, month, day …), got unit '{self.unit}'")
        if numeric and self.max is None:
            raise ValueError("a number input needs a max (it bounds every amount it can reach)")
        if not numeric and (self.min is not None or self.max is not None):
            raise ValueError(f"min and max are for numbers, not for a {self.type}")
        if self.type == "choice":
            values = [c.value for c in self.choices]
            if len(values) < 2 or len(set(values)) != len(values):
                raise ValueError(f"a choice needs two or more distinct choices, got {values}")
        elif self.choices:
            raise ValueError("choices are for a choice input")
        if self.required and self.required_when:
            raise ValueError("give required or required_when, not both")
        return self

    @property
    def dims(self) -> units.Dims:
        return units.parse(self.unit or "m2") if self.type in ("area", "money", "count") else units.NONE


def _check_plausible(bounds: list[Decimal], numeric: bool, low: Decimal | None, high: Decimal | None) -> None:
    """plausible = [min, max] of a declared input: two finite numbers, min < max, within the input's own bounds."""
    if not numeric:
        raise ValueError("plausible is for a number input / 只有数值输入可规定核实范围")
    if len(bounds) != 2 or not all(b.is_finite() for b in bounds) or not bounds[0] < bounds[1]:
        raise ValueError(f"plausible must be [min, max] with min < max / 核实范围须为 [下限, 上限]，下限小于上限, "
                         f"got {[str(b) for b in bounds]}")
    if (low is not None and bounds[0] < low) or (high is not None and bounds[1] > high):
        raise ValueError(f"plausible [{bounds[0]}, {bounds[1]}] must lie within min and max / 核实范围须在上下限之内")


class Plausible(Labelled):
    """The range a core input usually falls in: outside it a batch asks the clerk to verify the row (请核实) and
    settles it all the same; the notice is withheld until the flags are accepted."""

    min: Decimal
    max: Decimal
    unit: str = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "Plausible":
        if not (self.min.is_finite() and self.max.is_finite()) or self.min < 0 or not self.min < self.max:
            raise ValueError(f"needs 0 ≤ min < max / 须 0 ≤ 下限 < 上限, got min {self.min}, max {self.max}")
        if self.min != round(self.min, 2) or self.max != round(self.max, 2):
            raise ValueError(f"min and max are held to 2 decimal places / 上下限保留两位小数, got {self.min}, {self.max}")
        return self


class PlausibleRanges(Strict):
    """[plausible]: ranges of the core inputs (area in m², prices in CNY/m²); each optional."""

    original_area: Plausible | None = None
    unit_area: Plausible | None = None
    appraised_price: Plausible | None = None
    heating_rate: Plausible | None = None


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


class Floor(Strict):
    """A minimum standard area for some households (e.g. low-income households are guaranteed 45 m²)."""

    when: str
    area: str  # an expression in m²
    source: str = Field(min_length=1)
    decision: str | None = None


class StandardArea(Labelled):
    """How the standard area S is found: the next unit type up (with a decision above the largest type), or an
    expression such as max(persons * area_per_person, original)."""

    rule: Literal["next_unit_type_up", "expression"]
    expression: str | None = None
    above_largest_type_decision: str | None = None
    non_standard_unit_decision: str | None = None
    floors: list[Floor] = []

    @model_validator(mode="after")
    def _check(self) -> "StandardArea":
        if self.rule == "expression" and not self.expression:
            raise ValueError("rule = \"expression\" needs an expression")
        if self.rule == "next_unit_type_up" and self.expression:
            raise ValueError("an expression is only read with rule = \"expression\"")
        return self


class AreaDecl(Labelled):
    """A named area computed from others, never below zero (e.g. untaken = original - chosen)."""

    expression: str
    options: list[Literal["in_kind", "cash"]] = ["in_kind", "cash"]  # shown as 0 for the other option


class Override(Strict):
    """Another rate or share for the households this condition picks (the first that holds wins)."""

    when: str
    rate: ParamRef | None = None
    share: ParamRef | None = None

    @model_validator(mode="after")
    def _check(self) -> "Override":
        if self.rate is None and self.share is None:
            raise ValueError("an override changes the rate, the share or both")
        return self


class DecisionUse(Strict):
    id: str
    when: str | None = None


class Tier(Strict):
    """A date tier: households signing within days_up_to days of the start get this rate (none: any later day)."""

    days_up_to: int | None = Field(default=None, ge=0)
    rate: ParamRef


ItemKind = Literal["area_band", "per_m2", "per_household", "per_person", "area_rate_months", "share_of_amount",
                   "date_tiers", "fixed"]
# Which keys each kind reads (besides the common ones), and which of them it needs.
KIND_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "area_band": ({"to", "area_key", "rate", "share"}, {"rate", "area_key"}),
    "per_m2": ({"area", "rate", "share"}, {"area", "rate"}),
    "per_household": ({"rate", "share"}, {"rate"}),
    "fixed": ({"rate"}, {"rate"}),
    "per_person": ({"count", "rate", "share"}, {"count", "rate"}),
    "area_rate_months": ({"area", "rate", "months", "monthly_floor", "share"}, {"area", "rate", "months"}),
    "share_of_amount": ({"amount", "share"}, {"amount", "share"}),
    "date_tiers": ({"date", "start", "tiers", "area", "share"}, {"date", "start", "tiers"}),
}
KIND_FIELDS = {"to", "area_key", "area", "count", "months", "amount", "rate", "share", "monthly_floor", "date", "start",
               "tiers"}


class Item(Labelled):
    """One line of the settlement, of a kind from the closed catalogue (docs/policy.md lists them)."""

    code: str = Field(pattern=NAME)
    kind: ItemKind
    options: list[Literal["in_kind", "cash"]] = Field(min_length=1)
    direction: Literal["pay", "receive"]
    settled: bool = True  # False: shown to the household, not added to the settlement
    deferrable: bool = False
    hide_when_zero: bool = False
    when: str | None = None
    decisions: list[DecisionUse] = []
    floor: ParamRef | None = None
    cap: ParamRef | None = None
    overrides: list[Override] = []
    # kind-specific
    to: str | None = None
    area_key: str | None = Field(default=None, pattern=NAME)
    area: str | None = None
    count: str | None = None
    months: str | None = None
    amount: str | None = None
    rate: ParamRef | None = None
    share: ParamRef | None = None
    monthly_floor: ParamRef | None = None
    date: str | None = None
    start: str | None = None
    tiers: list[Tier] = []

    @model_validator(mode="after")
    def _kind_keys(self) -> "Item":
        allowed, needed = KIND_KEYS[self.kind]
        given = {k for k in KIND_FIELDS if getattr(self, k) not in (None, [])}
        if extra := sorted(given - allowed):
            raise ValueError(f"a {self.kind} item does not read {', '.join(extra)} (it reads {', '.join(sorted(allowed))})")
        if missing := sorted(needed - given):
            raise ValueError(f"a {self.kind} item needs {', '.join(missing)}")
        if self.kind == "date_tiers":
            ends = [t.days_up_to for t in self.tiers]
            bounded = [e for e in ends if e is not None]
            if any(e is None for e in ends[:-1]) or bounded != sorted(set(bounded)):
                raise ValueError(f"tiers must be in increasing days_up_to, only the last open-ended, got {ends}")
        if self.deferrable and self.direction != "pay":
            raise ValueError("only an amount the household pays can be deferred (deferrable with direction = \"receive\")")
        if self.deferrable and not self.settled:
            raise ValueError("an item that is only shown cannot be deferred")
        return self


class Total(Labelled):
    """A subtotal declared as the sum of named items (e.g. all rewards)."""

    code: str = Field(pattern=NAME)
    items: list[str] = Field(min_length=1)


class Installment(Strict):
    years_after_move_in: Param
    share: Param


class Deferral(Labelled):
    when: str  # who may defer: e.g. "low_income and in_kind"
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
        if years[-1] > MAX_DEFERRAL_YEARS:  # a due date must stay a calendar date
            raise ValueError(f"the last installment falls due {years[-1]} years after move-in; at most {MAX_DEFERRAL_YEARS}")
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
    heating_rate_max: Param | None = None


class GlossaryEntry(Strict):
    """A term of the glossary (术语说明) the policy adds, or replaces where the Chinese term is already there."""

    term_zh: str = Field(min_length=1)
    term_en: str = Field(min_length=1)
    text_zh: str = Field(min_length=1)
    text_en: str = Field(min_length=1)


class Policy(Strict):
    policy: PolicyInfo
    decisions: list[Decision] = []
    params: dict[str, AnyParam] = {}
    inputs: list[InputDecl] = []
    unit_types: UnitTypes | None = None
    standard_area: StandardArea
    areas: dict[str, AreaDecl] = {}
    items: list[Item] = Field(min_length=1)
    totals: list[Total] = []
    deferral: Deferral | None = None
    heating: Heating | None = None
    limits: Limits
    glossary: list[GlossaryEntry] = []
    plausible: PlausibleRanges = PlausibleRanges()

    # Views used by the engine and the views.
    @property
    def type_areas(self) -> list[Decimal]:
        return [a.value for a in self.unit_types.areas] if self.unit_types else []

    def decision(self, decision_id: str) -> Decision:
        return next(d for d in self.decisions if d.id == decision_id)

    def item_labels(self) -> dict[str, tuple[str, str, str]]:
        """code -> (label_zh, label_en, source) for every item the policy can produce."""
        return {i.code: (i.label_zh, i.label_en, i.source) for i in self.items}

    @property
    def bands(self) -> list[Item]:
        return [i for i in self.items if i.kind == "area_band"]

    @property
    def deferrable_items(self) -> list[Item]:
        return [i for i in self.items if i.deferrable]

    def input(self, name: str) -> InputDecl | None:
        return next((i for i in self.inputs if i.name == name), None)

    @cached_property
    def schema(self):
        """The result schema, derived once: every writer and view iterates it."""
        from .schema import ResultSchema

        return ResultSchema.of(self)


class PolicyIdentity(BaseModel):
    id: str
    version: str
    sha256: str
    path: str
    approved: bool = False  # one of the office's files in policies/ (approval.py); else marked "not approved"


class LoadedPolicy(BaseModel):
    """A validated policy with the identity of the file it came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    rules: Policy
    identity: PolicyIdentity
    compiled: object = None  # policy_checks.Compiled: parsed expressions, ready for the engine


class PolicyError(Exception):
    """A policy file that cannot be used: names the file, the key and the reason."""

    def __init__(self, path: str, problems: list[tuple[str, str]], refused: bool = False):
        self.path = path
        self.problems = problems
        self.refused = refused  # a valid file refused by approval.py: another file under an approved id and version
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
        raise PolicyError(path, [("(file)", f"not valid UTF-8 TOML / 不是有效的UTF-8 TOML文件: {exc}")]) from None
    except RecursionError:
        raise PolicyError(path, [("(file)", "nested too deeply / 嵌套层数过多")]) from None
    return validate_policy(raw, path, hashlib.sha256(data).hexdigest())


def validate_policy(raw: dict, path: str, sha256: str) -> LoadedPolicy:
    """Validate a policy read from TOML (or edited after reading, calculator.plans); raise PolicyError naming every
    problem."""
    from .approval import ApprovalRefused, is_approved
    from .policy_checks import compile_policy

    try:
        rules = Policy.model_validate(raw)
    except ValidationError as exc:
        problems = [(_key(raw, err["loc"]), _reason(err)) for err in _without_other_branches(exc.errors())]
        raise PolicyError(path, problems) from None
    compiled, problems = compile_policy(rules)
    if problems:
        raise PolicyError(path, problems)
    try:
        approved = is_approved(rules.policy.id, rules.policy.version, sha256)
    except ApprovalRefused as exc:
        raise PolicyError(path, [("policy.version", f"{exc.message_zh} / {exc.message_en}")], refused=True) from None
    identity = PolicyIdentity(id=rules.policy.id, version=rules.policy.version, sha256=sha256, path=path,
                              approved=approved)
    return LoadedPolicy(rules=rules, identity=identity, compiled=compiled)


def _without_other_branches(errors: list[dict]) -> list[dict]:
    """A rate written as a table that fails is reported as a table: drop "Input should be a valid string" from the
    name branch of `name | Param` when the Param branch has its own errors at the same place."""
    def branch(loc: tuple, tag) -> tuple | None:
        at = next((i for i, part in enumerate(loc) if tag(part)), None)
        return None if at is None else loc[:at]

    is_table = lambda part: isinstance(part, str) and (part == "Param" or part.endswith(", Param]"))  # noqa: E731
    tables = {branch(err["loc"], is_table) for err in errors} - {None}
    return [err for err in errors if branch(err["loc"], lambda part: part == "str") not in tables]


def _key(raw, loc: tuple) -> str:
    """A readable key: items[2] becomes items.<its code> where the item has one (as the load-time checks name it)."""
    parts, node = [], raw
    for part in loc:
        if isinstance(part, int) and isinstance(node, list):
            item = node[part] if part < len(node) else None
            code = item.get("code") or item.get("name") if isinstance(item, dict) else None
            parts.append(f".{code}" if isinstance(code, str) and code else f"[{part}]")
            node = item
        else:
            if not isinstance(part, int) and part in ("Param", "str", "DateParam") or str(part).startswith("function-"):
                continue
            parts.append(("." if parts else "") + str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return "".join(parts) or "(root)"


@lru_cache(maxsize=1)
def known_keys() -> tuple[str, ...]:
    """Every key a policy file may use, from the models themselves: what a misspelt key is compared with."""
    keys, todo, seen = set(), [Policy], set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            keys.add(name)
            todo += [t for t in _models_in(info.annotation) if t not in seen]
    return tuple(sorted(keys))


def _models_in(annotation) -> list[type]:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def did_you_mean(word: str, choices) -> str:
    """' (did you mean 'efficient_ratio'? / 是否应为 efficient_ratio？)' for a near miss, else ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'? / 是否应为 {close[0]}？)" if close else ""


def _toml_text(value) -> str:
    """A value as the file writes it (true, 18.00, "text"), never as Python shows it (True, Decimal('18.00'))."""
    if isinstance(value, dict):
        return "a table / 表"
    if isinstance(value, list):
        return "a list / 列表"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)[:80]


def _reason(err: dict) -> str:
    if err["type"] == "missing":
        return "missing / 缺少此项 (每个数值都须注明单位、中英文标签和出处 / every value needs unit, labels and source)"
    if err["type"] == "extra_forbidden":
        key = str(err["loc"][-1]) if err["loc"] else ""
        return f"unknown key / 未知字段, value {_toml_text(err.get('input'))}{did_you_mean(key, known_keys())}"
    msg = err["msg"]
    return msg.removeprefix("Value error, ")


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int) -> LoadedPolicy:
    return parse_policy(Path(path).read_bytes(), path)


def load_policy(id_or_path: str | Path | None = None) -> LoadedPolicy:
    """Load a policy by id (a file in policies/) or by path."""
    path = resolve_policy_path(id_or_path)
    if not path.is_file():
        known = ", ".join(available_policies())
        raise PolicyError(str(path), [("(file)", f"no such policy file / 没有这个政策文件; known ids: {known}")])
    return _load_cached(str(path), path.stat().st_mtime_ns)
