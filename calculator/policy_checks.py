"""Load-time checks a schema cannot express: names, cycles, units, reachability and amount bounds.

compile_policy parses every expression once and checks it on a one-row household of the right types, so a
policy that loads can be settled without a unit or name error. Problems come back as (key, reason) pairs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from . import expr, units
from .capital import MAX_FEN
from .policy import DateParam, Item, Param, Policy, did_you_mean

CORE_NAMES = {
    "original": "原房屋建筑面积 / original area (m²)", "chosen": "选择户型面积 / chosen unit area (m²)",
    "standard": "安置标准面积 / standard area (m²)", "appraised_price": "评估单价 / appraised price (CNY/m²)",
    "low_income": "低保户 / low-income (yes/no)", "defer": "申请缓交 / deferral asked (yes/no)",
    "energy_efficient": "节能住宅 / energy-efficient (yes/no)", "in_kind": "回迁安置 / in-kind (yes/no)",
    "cash": "货币补偿 / cash (yes/no)", "option": "安置方式 / option ('in_kind' or 'cash')",
    "move_in_date": "入住日期 / move-in date",
}
INT62 = 2 ** 62


@dataclass
class CompiledItem:
    item: Item
    exprs: dict[str, tuple]  # field -> parsed expression (when, to, area, count, months, amount)
    override_whens: list[tuple]
    decision_whens: list[tuple | None]


@dataclass
class Compiled:
    """Parsed expressions in the order the engine evaluates them."""

    area_order: list[str]  # declared areas, each after the areas it reads (standard is placed by the engine)
    areas: dict[str, tuple]
    areas_before_standard: list[str]
    standard: tuple | None
    floors: list[tuple[tuple, tuple]]
    items: list[CompiledItem]
    required_when: dict[str, tuple] = field(default_factory=dict)
    deferral_when: tuple | None = None


def param_value(p: Param | DateParam):
    """A parameter as an expression value: a Ratio for shares, a Num at its unit's decimals, or a Date."""
    if isinstance(p, DateParam):
        return expr.Date(np.datetime64(p.value, "D"))
    dims = units.parse(p.unit)
    if dims == units.NONE:
        num, den = p.fraction
        return expr.Ratio(Fraction(num, den))
    return expr.Num(int(p.value * 10 ** units.decimals(dims)), dims)


def input_value(decl, data):
    """A declared input's column as an expression value."""
    if decl.type == "flag":
        return expr.Bool(data)
    if decl.type == "date":
        return expr.Date(data)
    if decl.type == "choice":
        return expr.Choice(data, tuple(c.value for c in decl.choices))
    return expr.Num(data, decl.dims)


def sample_env(policy: Policy) -> dict:
    """One household of the right types (every number 0): enough to check every expression's units."""
    zero, no, day = np.zeros(1, np.int64), np.zeros(1, bool), np.array(["2000-01-01"], dtype="datetime64[D]")
    env = {
        "original": expr.Num(zero, units.M2), "chosen": expr.Num(zero, units.M2), "standard": expr.Num(zero, units.M2),
        "appraised_price": expr.Num(zero, units.parse("CNY/m2")), "low_income": expr.Bool(no), "defer": expr.Bool(no),
        "energy_efficient": expr.Bool(no), "in_kind": expr.Bool(no), "cash": expr.Bool(no),
        "option": expr.Choice(np.zeros(1, np.int8), ("in_kind", "cash")), "move_in_date": expr.Date(day),
    }
    for decl in policy.inputs:
        sample = {"flag": no, "date": day, "choice": np.zeros(1, np.int8)}
        env[decl.name] = input_value(decl, sample.get(decl.type, zero))
    for name in policy.areas:
        env[name] = expr.Num(zero, units.M2)
    for band in policy.bands:
        env[band.area_key] = expr.Num(zero, units.M2)
    env.update({name: param_value(p) for name, p in policy.params.items()})
    return env


class _Checker:
    def __init__(self, policy: Policy):
        self.policy = policy
        self.problems: list[tuple[str, str]] = []
        self.largest_fen: dict[str, Fraction] = {}  # item code -> largest |amount| at the input limits
        self.env = sample_env(policy)
        self.household_names = set(CORE_NAMES) | {d.name for d in policy.inputs} | set(policy.areas) | \
            {b.area_key for b in policy.bands}

    def fail(self, key: str, reason: str) -> None:
        self.problems.append((key, reason))

    def parse(self, key: str, text: str, allowed: set[str], want: str):
        """Parse text, check its names are among allowed and its value is of kind want ('m2', 'bool', …)."""
        try:
            node = expr.parse(text)
        except expr.ExprError as exc:
            self.fail(key, f"{exc} / 表达式无效")
            return None
        unknown = sorted(expr.names(node) - allowed)
        if unknown:
            self.fail(key, f"unknown name(s) {', '.join(unknown)} in '{text}' / 未定义的名称; "
                           f"known here: {', '.join(sorted(allowed))}")
            return None
        try:
            value = expr.evaluate(node, self.env)
        except expr.ExprError as exc:
            self.fail(key, f"{exc} / 单位或类型不符")
            return None
        got = self.kind_of(value)
        if want and got != want and not (isinstance(value, expr.Zero) and want not in ("bool", "date")):
            self.fail(key, f"'{text}' gives {got}, expected {want} / 结果应为 {want}")
            return None
        return node

    @staticmethod
    def kind_of(value) -> str:
        if isinstance(value, expr.Bool):
            return "bool"
        if isinstance(value, expr.Date):
            return "date"
        if isinstance(value, (expr.Ratio, expr.Zero)):
            return "ratio"
        if isinstance(value, expr.Num):
            return units.show(value.dims)
        return type(value).__name__.lower()

    def ref_dims(self, key: str, ref, want_share: bool = False):
        """Dims of a rate or share reference: a parameter, a money input, or an inline parameter."""
        if isinstance(ref, Param):
            value = param_value(ref)
        elif ref in self.policy.params:
            value = param_value(self.policy.params[ref])
        elif (decl := self.policy.input(ref)) is not None and decl.type in ("money", "count", "area"):
            value = input_value(decl, np.zeros(1, np.int64))
        elif ref == "appraised_price":
            value = self.env["appraised_price"]
        else:
            names = [*self.policy.params, *(d.name for d in self.policy.inputs), "appraised_price"]
            self.fail(key, f"'{ref}' is neither a parameter nor a number input / 不是已定义的参数或数值输入"
                           + did_you_mean(str(ref), names))
            return None
        if isinstance(value, expr.Date):
            self.fail(key, f"'{ref}' is a date, not a number")
            return None
        dims = units.NONE if isinstance(value, expr.Ratio) else value.dims
        if want_share and dims != units.NONE:
            self.fail(key, f"a share must be a % or a ratio, got {units.show(dims)} / 比例须为%或ratio")
            return None
        return dims


def _topological(deps: dict[str, set[str]]) -> tuple[list[str], list[str]]:
    """Order names so each comes after what it reads; returns (order, names caught in a cycle)."""
    order, done, state = [], set(), {}

    def visit(name: str, path: list[str]) -> list[str] | None:
        if name in done:
            return None
        if state.get(name) == "open":
            return path[path.index(name):] + [name]
        state[name] = "open"
        for dep in sorted(deps.get(name, ())):
            if dep in deps:
                cycle = visit(dep, path + [name])
                if cycle:
                    return cycle
        state[name] = "done"
        done.add(name)
        order.append(name)
        return None

    for name in sorted(deps):
        cycle = visit(name, [])
        if cycle:
            return order, cycle
    return order, []


def compile_policy(policy: Policy) -> tuple[Compiled | None, list[tuple[str, str]]]:
    c = _Checker(policy)
    if policy.standard_area.rule == "next_unit_type_up" and policy.unit_types is None:
        c.fail("standard_area.rule", "rule = \"next_unit_type_up\" needs [unit_types] / 上靠户型须有[unit_types]")
    _names(policy, c)
    if c.problems:
        return None, c.problems
    base = set(CORE_NAMES) | set(policy.params) | {d.name for d in policy.inputs}
    decisions = {d.id for d in policy.decisions}

    # Areas and the standard area: parse, then order (a cycle is an error naming its members).
    parsed_areas = {name: c.parse(f"areas.{name}.expression", a.expression, base | set(policy.areas), "m2")
                    for name, a in policy.areas.items()}
    sa = policy.standard_area
    standard = _standard_parse(c, "standard_area.expression", sa.expression, base | set(policy.areas), "m2") \
        if sa.expression else None
    floors = []
    for i, f in enumerate(sa.floors):
        when = _standard_parse(c, f"standard_area.floors[{i}].when", f.when, base | set(policy.areas), "bool")
        area = _standard_parse(c, f"standard_area.floors[{i}].area", f.area, base | set(policy.areas), "m2")
        floors.append((when, area))
        _decision_ref(c, f"standard_area.floors[{i}].decision", f.decision, decisions)
    for key, ref in (("above_largest_type_decision", sa.above_largest_type_decision),
                     ("non_standard_unit_decision", sa.non_standard_unit_decision)):
        _decision_ref(c, f"standard_area.{key}", ref, decisions)
    deps = {name: expr.names(node) & (set(policy.areas) | {"standard"}) for name, node in parsed_areas.items() if node}
    deps["standard"] = set()
    for node in [standard] + [n for pair in floors for n in pair]:
        if node:
            deps["standard"] |= expr.names(node) & set(policy.areas)
    order, cycle = _topological(deps)
    if cycle:
        c.fail("areas", f"the areas read each other in a circle / 面积定义循环引用: {' -> '.join(cycle)}")
    before = []
    if "standard" in order:
        before = order[:order.index("standard")]
        order = [n for n in order if n != "standard"]

    all_names = base | set(policy.areas) | {b.area_key for b in policy.bands}
    items = [_item(c, item, base | set(policy.areas), all_names, decisions) for item in policy.items]
    required_when = {d.name: c.parse(f"inputs.{d.name}.required_when", d.required_when, all_names, "bool")
                     for d in policy.inputs if d.required_when}
    deferral_when = c.parse("deferral.when", policy.deferral.when, all_names, "bool") if policy.deferral else None
    if policy.heating and policy.heating.rate_decision:
        _decision_ref(c, "heating.rate_decision", policy.heating.rate_decision, decisions)
    if policy.heating and policy.limits.heating_rate_max is None:
        c.fail("limits.heating_rate_max", "a policy with [heating] needs heating_rate_max / 有取暖费时须规定取暖费标准上限")
    _bands(c, policy)
    _deferral(c, policy)
    _totals(c, policy)
    _plausible(c, policy)
    _settlement_bounded(c, policy)
    if c.problems:
        return None, c.problems
    return Compiled(area_order=order, areas=parsed_areas, areas_before_standard=before, standard=standard, floors=floors,
                    items=items, required_when=required_when, deferral_when=deferral_when), []


def _standard_parse(c: _Checker, key: str, text: str, allowed: set[str], want: str):
    """The standard area and its floors are what defines `standard`, so they may not read it."""
    try:
        reads_itself = "standard" in expr.names(expr.parse(text))
    except expr.ExprError:
        reads_itself = False
    if reads_itself:
        c.fail(key, f"'{text}' reads the standard area it defines / 安置标准面积不能由它自身算出")
        return None
    return c.parse(key, text, allowed - {"standard"}, want)


def _names(policy: Policy, c: _Checker) -> None:
    """Every name is defined once: parameters, inputs, areas and band area keys may not shadow each other."""
    seen: dict[str, str] = {name: "a core quantity" for name in CORE_NAMES}
    groups = [("params", list(policy.params)), ("inputs", [d.name for d in policy.inputs]),
              ("areas", list(policy.areas)), ("items", [b.area_key for b in policy.bands])]
    for group, names in groups:
        for name in names:
            if name in seen:
                c.fail(f"{group}.{name}", f"the name '{name}' is already {seen[name]} / 名称重复")
            seen[name] = f"used in [{group}]"
    codes = [i.code for i in policy.items] + [t.code for t in policy.totals]
    for code in sorted({x for x in codes if codes.count(x) > 1}):
        c.fail(f"items.{code}", f"the code '{code}' is used more than once / 项目代码重复")
    reserved = {"net_payable", "due_before_move_in", "deferred_total"}
    for code in sorted(reserved & set(codes)):
        c.fail(f"items.{code}", f"'{code}' is a total the calculator keeps / 保留名称")


def _decision_ref(c: _Checker, key: str, ref: str | None, decisions: set[str]) -> None:
    if ref is not None and ref not in decisions:
        c.fail(key, f"decision '{ref}' is referenced but not defined in [[decisions]] / 引用了未定义的决定")


FACTOR_FIELDS = {  # the quantity expressions each kind multiplies, with the unit each must give
    "area_band": [], "per_m2": [("area", "m2")], "per_household": [], "fixed": [],
    "per_person": [("count", None)], "area_rate_months": [("area", "m2"), ("months", "month")],
    "share_of_amount": [("amount", "CNY")], "date_tiers": [("area", "m2")],
}


def _item(c: _Checker, item: Item, band_names: set[str], names: set[str], decisions: set[str]) -> CompiledItem:
    key = f"items.{item.code}"
    allowed = band_names if item.kind == "area_band" else names
    exprs: dict[str, tuple] = {}
    if item.when:
        exprs["when"] = c.parse(f"{key}.when", item.when, names, "bool")
    if item.to:
        exprs["to"] = c.parse(f"{key}.to", item.to, allowed, "m2")
    dims, factors_ok = units.NONE, True  # a factor already refused is not refused again through the rate's unit
    for field_name, want in FACTOR_FIELDS[item.kind]:
        text = getattr(item, field_name)
        if text is None:
            continue
        node = c.parse(f"{key}.{field_name}", text, allowed, want or "")
        exprs[field_name] = node
        factors_ok &= node is not None
        if node is not None:
            value = expr.evaluate(node, c.env)
            if want is None and (not isinstance(value, expr.Num) or units.decimals(value.dims) != 0):
                c.fail(f"{key}.{field_name}", f"'{text}' must be a whole count (person, household …) / 须为整数计数")
                factors_ok = False
            elif isinstance(value, expr.Num):
                dims = units.times(dims, value.dims)
    if item.kind == "area_band":
        dims = units.M2
    rate_refs = [t.rate for t in item.tiers] if item.kind == "date_tiers" else [item.rate]
    rate_refs += [o.rate for o in item.overrides if o.rate is not None]
    found = [d for d in (c.ref_dims(f"{key}.rate", r) for r in rate_refs if r is not None) if d is not None]
    if len(set(found)) > 1:
        c.fail(f"{key}.rate", f"the rates of one item must share a unit, got {sorted(units.show(d) for d in set(found))} "
                              f"/ 同一项目的单价单位须一致")
    elif not factors_ok:
        pass
    elif found and units.times(dims, found[0]) != units.CNY:
        c.fail(f"{key}.rate", f"{_factor_text(item)} gives {units.show(units.times(dims, found[0]))}, not CNY / 各因子相乘须得出元")
    elif item.kind == "share_of_amount" and dims != units.CNY:
        c.fail(f"{key}.amount", f"the amount must be in CNY, got {units.show(dims)} / 须为金额（元）")
    for ref in [item.share] + [o.share for o in item.overrides]:
        if ref is not None and not isinstance(ref, Param) and not isinstance(c.policy.params.get(ref), Param):
            c.fail(f"{key}.share", f"'{ref}' is not a parameter: a share is a parameter in % or ratio "
                                   f"/ 比例须为[params]中以%或ratio为单位的参数")
        elif ref is not None:
            c.ref_dims(f"{key}.share", ref, want_share=True)
    for name in ("floor", "cap"):
        ref = getattr(item, name)
        if ref is not None and c.ref_dims(f"{key}.{name}", ref) not in (units.CNY, None):
            c.fail(f"{key}.{name}", f"a {name} is an amount in CNY / 须为金额（元）")
    if item.monthly_floor is not None:
        d = c.ref_dims(f"{key}.monthly_floor", item.monthly_floor)
        if d is not None and d != units.parse("CNY/month"):
            c.fail(f"{key}.monthly_floor", f"a monthly floor is in CNY/month, got {units.show(d)}")
    if item.kind == "date_tiers":
        _date_names(c, key, item)
    override_whens = [c.parse(f"{key}.overrides[{i}].when", o.when, names, "bool") for i, o in enumerate(item.overrides)]
    decision_whens = []
    for i, use in enumerate(item.decisions):
        _decision_ref(c, f"{key}.decisions[{i}].id", use.id, decisions)
        decision_whens.append(c.parse(f"{key}.decisions[{i}].when", use.when, names, "bool") if use.when else None)
    _reachable(c, key, item, exprs.get("when"))
    _bounded(c, key, item)
    return CompiledItem(item=item, exprs=exprs, override_whens=override_whens, decision_whens=decision_whens)


def _factor_text(item: Item) -> str:
    parts = [getattr(item, f) for f, _ in FACTOR_FIELDS[item.kind] if getattr(item, f)]
    if item.kind == "area_band":
        parts = ["band area (m2)"]
    rate = item.rate if isinstance(item.rate, str) else (item.rate.unit if item.rate else "tier rate")
    return " × ".join(parts + [str(rate)])


def _date_names(c: _Checker, key: str, item: Item) -> None:
    decl = c.policy.input(item.date)
    if item.date != "move_in_date" and (decl is None or decl.type != "date"):
        c.fail(f"{key}.date", f"'{item.date}' must be a declared date input / 须为已声明的日期输入")
    start = c.policy.params.get(item.start)
    if not isinstance(start, DateParam):
        c.fail(f"{key}.start", f"'{item.start}' must be a date parameter in [params] / 须为[params]中的日期参数")


def _reachable(c: _Checker, key: str, item: Item, when) -> None:
    """An item that can never apply is almost always a mistake in the file."""
    if item.kind == "area_band" and item.options == ["cash"]:
        c.fail(f"{key}.options", "an area band cuts the chosen unit, which a cash household does not take / "
                                 "货币补偿户没有安置面积，此分段永远为0")
    if when is not None and not (expr.names(when) & c.household_names):
        value = expr.evaluate(when, c.env)
        if isinstance(value, expr.Bool) and not np.asarray(value.data).any():
            c.fail(f"{key}.when", f"'{item.when}' never holds for any household / 条件永远不成立，此项永远不适用")


def _max_of(c: _Checker, ref) -> int:
    """The largest value (in its stored integer form) a rate, share or quantity can take, for the bound check."""
    if ref is None:
        return 1
    if isinstance(ref, Param):
        value = param_value(ref)
    elif ref in c.policy.params:
        value = param_value(c.policy.params[ref])
    elif (decl := c.policy.input(ref)) is not None:
        return int(decl.max * 10 ** units.decimals(decl.dims)) if decl.max is not None else 1
    elif ref == "appraised_price":
        return int(c.policy.limits.appraised_price_max.value * 100)
    else:
        return 1
    if isinstance(value, expr.Ratio):
        return value.value.numerator
    return int(value.data) if isinstance(value, expr.Num) else 1


def _rate_decimals(c: _Checker, refs: list) -> int:
    """Decimal places of an item's rate as stored (fen for every money unit, 0 where there is no rate)."""
    for ref in refs:
        if ref is None:
            continue
        value = param_value(ref) if isinstance(ref, Param) else (
            param_value(c.policy.params[ref]) if ref in c.policy.params else None)
        if value is None:
            decl = c.policy.input(ref)
            dims = decl.dims if decl is not None else units.parse("CNY/m2")
        else:
            dims = value.dims if isinstance(value, expr.Num) else units.NONE
        return units.decimals(dims)
    return 0


def _share_max(c: _Checker, ref) -> Fraction:
    if ref is None:
        return Fraction(1)
    p = ref if isinstance(ref, Param) else c.policy.params.get(ref)
    return Fraction(*p.fraction) if isinstance(p, Param) else Fraction(1)


def _bounded(c: _Checker, key: str, item: Item) -> None:
    """The exact product of an item's factors must fit in 64-bit integers for every input within its limits,
    and its largest amount must fit what the documents print (MAX_FEN)."""
    limits = c.policy.limits
    largest_area = int(max(limits.original_area_max.value, limits.unit_area_max.value) * 100)
    area = largest_area * 4
    counts = max([int(d.max) for d in c.policy.inputs if d.type == "count" and d.max is not None] + [1000])
    money = max([int(d.max * 100) for d in c.policy.inputs if d.type == "money" and d.max is not None]
                + [int(limits.appraised_price_max.value * 100)])
    bound = {"area_band": area, "per_m2": area, "per_household": 1, "fixed": 1, "per_person": counts,
             "area_rate_months": area * counts, "share_of_amount": money, "date_tiers": area if item.area else 1}[item.kind]
    rates = [item.rate] + [o.rate for o in item.overrides] + [t.rate for t in item.tiers] + [item.monthly_floor]
    shares = [item.share] + [o.share for o in item.overrides]
    biggest = bound * max(_max_of(c, r) for r in rates) * max(_max_of(c, s) for s in shares) * 100
    if biggest >= INT62:
        c.fail(key, f"amounts could reach {biggest // 10000:,} yuan at the input limits, beyond what is computed exactly; "
                    f"lower the input max or the rate / 在输入上限处金额过大，无法精确计算")
        return
    # The printable bound takes the largest area an input may have (not the 4× margin above): an item whose
    # area expression reaches further is caught per row by the engine (validate.check_amounts).
    quantity = bound // 4 if bound in (area, area * counts) and item.kind != "share_of_amount" else bound
    decimals = {"per_household": 0, "fixed": 0, "per_person": 0, "share_of_amount": 2}.get(
        item.kind, 2 if item.kind != "date_tiers" or item.area else 0)
    rate_refs = [t.rate for t in item.tiers] if item.kind == "date_tiers" else [item.rate] + [o.rate for o in item.overrides]
    r_decimals = 0 if item.kind == "share_of_amount" else _rate_decimals(c, rate_refs)
    fen = Fraction(quantity * max(_max_of(c, r) for r in rates)) * max(_share_max(c, s) for s in shares) \
        / 10 ** (decimals + r_decimals - 2)
    if item.kind == "area_rate_months" and item.monthly_floor is not None:
        fen = max(fen, Fraction(_max_of(c, item.monthly_floor) * counts))
    if item.floor is not None:
        fen = max(fen, Fraction(_max_of(c, item.floor)))
    if item.cap is not None:
        fen = min(fen, Fraction(_max_of(c, item.cap)))
    c.largest_fen[item.code] = fen
    if fen > MAX_FEN:
        c.fail(key, f"amounts could reach {_yuan(fen)} yuan at the input limits; statements and quotes print at most "
                    f"{_yuan(MAX_FEN)} yuan; lower the input max or the rate / 在输入上限处金额可达{_yuan(fen)}元，"
                    f"超出文书可打印的最大金额{_yuan(MAX_FEN)}元，请降低输入上限或单价")


def _yuan(fen) -> str:
    whole = int(fen)  # floor for the positive amounts shown here
    return f"{whole // 100:,}.{whole % 100:02d}"


def _settlement_bounded(c: _Checker, policy: Policy) -> None:
    """A household's net (and each declared total) sums items; at the input limits it must still print."""
    if len(c.largest_fen) != len(policy.items) or any(f > MAX_FEN for f in c.largest_fen.values()):
        return  # an item already refused; its sum says nothing more
    sums = [("items", "net payable", [i.code for i in policy.items if i.settled])]
    sums += [(f"totals.{t.code}", t.label_en, list(t.items)) for t in policy.totals]
    by_code = {i.code: i for i in policy.items}
    for key, label, codes in sums:
        # Paid items count up and received ones down, and an item of one option never meets one of the other:
        # the sum lies between the largest received and the largest paid total of one option.
        fen, biggest = Fraction(0), []
        for option in ("in_kind", "cash"):
            for direction in ("pay", "receive"):
                part = [code for code in codes if code in by_code and option in by_code[code].options and by_code[code].direction == direction]
                total = sum((c.largest_fen[code] for code in part), Fraction(0))
                if total > fen:
                    fen, biggest = total, sorted(part, key=lambda code: -c.largest_fen[code])[:3]
        if fen > MAX_FEN:
            c.fail(key, f"the {label} could reach {_yuan(fen)} yuan at the input limits (largest items: "
                        f"{', '.join(biggest)}); statements and quotes print at most {_yuan(MAX_FEN)} yuan; lower the "
                        f"input max or the rates / 在输入上限处合计可达{_yuan(fen)}元，超出文书可打印的最大金额"
                        f"{_yuan(MAX_FEN)}元")


def _bands(c: _Checker, policy: Policy) -> None:
    """Bands are cut in file order; one without `to` takes all the rest, so only the last may leave it out."""
    bands = policy.bands
    for i, band in enumerate(bands[:-1]):
        if band.to is None and band.when is None:
            after = ", ".join(b.code for b in bands[i + 1:])
            c.fail(f"items.{band.code}.to", f"missing: only the last area band may be open-ended; the bands after it "
                                            f"({after}) would always be 0 / 只有最后一个分段可以不设上限")


def _deferral(c: _Checker, policy: Policy) -> None:
    deferrable = policy.deferrable_items
    if deferrable and policy.deferral is None:
        c.fail("deferral", f"items {[i.code for i in deferrable]} are deferrable but there is no [deferral] / 缺少缓交规则")
    if policy.deferral is not None and not deferrable:
        c.fail("deferral", "a [deferral] needs at least one item with deferrable = true / 没有可缓交的项目")
    for item in deferrable:
        if item.options == ["cash"]:
            c.fail(f"items.{item.code}.deferrable", "a cash-only item is never deferred (deferral is for in-kind) / 货币补偿项目不能缓交")


def _totals(c: _Checker, policy: Policy) -> None:
    codes = {i.code for i in policy.items}
    for total in policy.totals:
        for code in total.items:
            if code not in codes:
                c.fail(f"totals.{total.code}.items", f"'{code}' is not an item code / 不是项目代码; items: {sorted(codes)}")


# Each core input's unit and the limit its plausible range must stay under.
PLAUSIBLE_FIELDS = {"original_area": ("m2", "original_area_max"), "unit_area": ("m2", "unit_area_max"),
                    "appraised_price": ("CNY/m2", "appraised_price_max"), "heating_rate": ("CNY/m2/season", "heating_rate_max")}


def _plausible(c: _Checker, policy: Policy) -> None:
    """A plausible range is in its field's unit and inside the input limits (a range past the limit flags nothing)."""
    for name, (unit, limit_key) in PLAUSIBLE_FIELDS.items():
        bounds = getattr(policy.plausible, name)
        if bounds is None:
            continue
        key = f"plausible.{name}"
        if bounds.unit != unit:
            c.fail(f"{key}.unit", f"must be {unit}, got '{bounds.unit}' / 单位应为 {unit}")
        if name == "heating_rate" and policy.heating is None:
            c.fail(key, "a heating rate range needs [heating] / 没有取暖费规定，不能规定取暖费标准核实范围")
        limit = getattr(policy.limits, limit_key)
        if limit is not None and bounds.max > limit.value:
            c.fail(f"{key}.max", f"{bounds.max} is above limits.{limit_key} {limit.value} / 核实范围上限超过输入上限")
