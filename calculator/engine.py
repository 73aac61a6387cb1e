"""The settlement rules as plain functions over arrays: N households at once, every number from the policy.

Areas are int64 hundredths of m², money int64 fen, counts whole. Each item's factors are kept per row, so
every view can print exactly what was multiplied; each amount is rounded once, half up.
"""
from __future__ import annotations

import numpy as np

from . import expr, units
from .columns import Columns
from .dates import add_years
from .fixed import MISSING, area_times_price, div_round_half_up, times_fraction, to_cents
from .policy import Item, LoadedPolicy, Param, Policy
from .policy_checks import Compiled, CompiledItem, input_value, param_value

OPEN_END = np.iinfo(np.int64).max // 4  # an upper bound no area reaches
BOUND_FLOOR, BOUND_CAP, BOUND_MONTHLY_FLOOR = 1, 2, 3  # which bound decided an amount (0: none)


def _cents(value) -> int:
    return to_cents(value)[0]


# ---------------------------------------------------------------------------------------------- areas
def next_type_up(original_c: np.ndarray, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """S: the smallest unit type ≥ A; above every type, A itself (a decision). Returns (S, above every type)."""
    types = np.array([_cents(a) for a in policy.type_areas], dtype=np.int64)
    idx = np.searchsorted(types, original_c, side="left")
    above = idx >= len(types)
    return np.where(above, original_c, types[np.minimum(idx, len(types) - 1)]), above


def is_standard_type(unit_c: np.ndarray, policy: Policy) -> np.ndarray:
    types = np.array([_cents(a) for a in policy.type_areas], dtype=np.int64)
    return np.isin(unit_c, types)


def _area(node, env: dict, n: int) -> np.ndarray:
    """An area expression, never below zero."""
    value = expr.evaluate(node, env)
    return np.maximum(expr.as_array(value.data if isinstance(value, expr.Num) else 0, n), 0)


def _mask(node, env: dict, n: int) -> np.ndarray:
    if node is None:
        return np.ones(n, dtype=bool)
    return expr.as_array(expr.evaluate(node, env).data, n, dtype=bool)


def _and_when(mask: np.ndarray, node, env: dict, n: int) -> np.ndarray:
    """mask where a condition holds; the mask itself where there is no condition (no extra pass)."""
    return mask if node is None else mask & _mask(node, env, n)


def household_env(frame: Columns, policy: Policy) -> dict:
    """The names an expression can read, as arrays over the frame's households."""
    cash = frame["option"] == "cash"
    unit = frame["unit_area_c"]
    price = frame["appraised_price_c"]
    env = {
        "original": expr.Num(frame["original_area_c"], units.M2),
        "chosen": expr.Num(np.where(cash | (unit == MISSING), 0, unit), units.M2),
        "appraised_price": expr.Num(np.where(price == MISSING, 0, price), units.parse("CNY/m2")),
        "low_income": expr.Bool(frame["low_income"]), "defer": expr.Bool(frame["defer"]),
        "energy_efficient": expr.Bool(frame["energy_efficient"]),
        "in_kind": expr.Bool(~cash), "cash": expr.Bool(cash),
        "option": expr.Choice(cash.astype(np.int8), ("in_kind", "cash")),
        "move_in_date": expr.Date(frame["move_in"].astype("datetime64[D]")),
    }
    for decl in policy.inputs:
        data = frame[f"in_{decl.name}"]
        if decl.type in ("area", "money", "count"):
            data = np.where(data == MISSING, 0, data)
        elif decl.type == "date":
            data = data.astype("datetime64[D]")
        env[decl.name] = input_value(decl, data)
    env.update({name: param_value(p) for name, p in policy.params.items()})
    return env


def standard_area(env: dict, policy: Policy, compiled: Compiled, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """S by the policy's rule, raised to any floor that applies. Returns (S, above every type, floor used)."""
    original = env["original"].data
    if policy.standard_area.rule == "next_unit_type_up":
        standard, above = next_type_up(original, policy)
    else:
        standard, above = _area(compiled.standard, env, n), np.zeros(n, dtype=bool)
    floored = np.zeros(n, dtype=bool)
    for when, area in compiled.floors:
        floor = np.where(_mask(when, env, n), _area(area, env, n), 0)
        floored |= floor > standard
        standard = np.maximum(standard, floor)
    return standard, above, floored


# ---------------------------------------------------------------------------------------------- items
def _ref_value(ref, env: dict):
    if isinstance(ref, Param):
        return param_value(ref)
    return env[ref]


def _pick(overrides: list, whens: list[np.ndarray], n: int) -> np.ndarray:
    """Per row, the index of the first override whose condition holds, 0 for the item's own."""
    pick = np.zeros(n, dtype=np.int8)
    chosen = np.zeros(n, dtype=bool)
    for k, (value, when) in enumerate(zip(overrides, whens), 1):
        if value is None:
            continue
        take = when & ~chosen
        pick[take] = k
        chosen |= take
    return pick


def rate_options(item: Item) -> list:
    """The rates an item can charge, in pick order: its own (or its tiers), then each override's."""
    if item.kind == "date_tiers":
        return [t.rate for t in item.tiers]
    return [item.rate] + [o.rate for o in item.overrides]


def share_options(item: Item) -> list:
    return [item.share] + [o.share for o in item.overrides]


def _rates(item: Item, env: dict, pick: np.ndarray, n: int) -> tuple[np.ndarray, int]:
    """The rate each row is charged, as stored integers, and their decimal places."""
    values = [_ref_value(r, env) if r is not None else None for r in rate_options(item)]
    first = values[0]
    out = np.full(n, first.data, dtype=np.int64) if np.ndim(first.data) == 0 else np.array(first.data, dtype=np.int64)
    for k, value in enumerate(values[1:], 1):
        if value is not None:
            np.copyto(out, value.data, where=pick == k)
    return out, units.decimals(first.dims)


def _share(item: Item, env: dict, pick: np.ndarray, n: int) -> tuple[np.ndarray, object, object]:
    """Per row: the index of the share applied (-1: none) and its numerator and denominator (scalars where
    every row has the same share, the common case)."""
    options = share_options(item)
    if not any(r is not None for r in options):
        return np.full(n, -1, dtype=np.int8), 1, 1
    if not item.overrides:
        value = _ref_value(item.share, env).value
        return np.zeros(n, dtype=np.int8), value.numerator, value.denominator
    index = np.full(n, -1, dtype=np.int8)
    num, den = np.ones(n, dtype=np.int64), np.ones(n, dtype=np.int64)
    for k, ref in enumerate(options):
        if ref is not None:
            rows = pick == k
            value = _ref_value(ref, env).value
            index[rows], num[rows], den[rows] = k, value.numerator, value.denominator
    return index, num, den


def item_quantities(ci: CompiledItem, env: dict, n: int) -> tuple[list[np.ndarray], int]:
    """The quantities an item multiplies (area, count, months, amount) and their decimal places added up."""
    quantities: list[np.ndarray] = []
    decimals = 0
    for name in ("area", "count", "months", "amount"):
        if name in ci.exprs and ci.exprs[name] is not None:
            value = expr.evaluate(ci.exprs[name], env)
            quantities.append(expr.as_array(value.data, n))
            decimals += units.decimals(value.dims)
    return quantities, decimals


def settle_item(ci: CompiledItem, env: dict, applies: np.ndarray, band_area: np.ndarray | None, n: int) -> dict[str, np.ndarray]:
    """One item over all rows: its factors, the bound that applied, and the amount (household pays: +)."""
    item = ci.item
    whens = [_mask(w, env, n) for w in ci.override_whens]
    out: dict[str, np.ndarray] = {}
    quantities, q_decimals = item_quantities(ci, env, n)
    if band_area is not None:
        quantities, q_decimals = [band_area], 2
    if item.kind == "date_tiers":
        when = env[item.date].data.astype("datetime64[D]")
        start = np.datetime64(env[item.start].data, "D")
        days = (when - start).astype("timedelta64[D]").astype(np.int64)
        ends = np.array([t.days_up_to if t.days_up_to is not None else OPEN_END for t in item.tiers], dtype=np.int64)
        pick = np.searchsorted(ends, np.maximum(days, 0), side="left").astype(np.int8)
        in_tier = (pick < len(ends)) & ~np.isnat(when)
        applies = applies & in_tier
        pick = np.where(in_tier, pick, 0).astype(np.int8)
        out["days"] = np.where(in_tier, days, 0)
    else:
        pick = _pick([o.rate for o in item.overrides], whens, n) if item.overrides else np.zeros(n, dtype=np.int8)
    share_pick = _pick([o.share for o in item.overrides], whens, n) if item.overrides else np.zeros(n, dtype=np.int8)
    if item.kind == "share_of_amount":
        rate, r_decimals = np.ones(n, dtype=np.int64), 0
    else:
        rate, r_decimals = _rates(item, env, pick, n)
    share_index, num, den = _share(item, env, share_pick, n)
    product = rate * num if np.ndim(num) or num != 1 else rate
    for q in quantities:
        product = product * q
    scale = 10 ** (q_decimals + r_decimals - 2)
    amount = _divide(product, den, scale)
    bound = np.zeros(n, dtype=np.int8)
    if item.monthly_floor is not None:
        floor = expr.as_array(_ref_value(item.monthly_floor, env).data, n)
        # Compared exactly, before any rounding: area × rate × share below the floor, to the last digit.
        low = rate * num * quantities[0] < floor * den * 10 ** (units.decimals(units.M2) + r_decimals - 2)
        amount = np.where(low, floor * quantities[1], amount)
        bound[low] = BOUND_MONTHLY_FLOOR
        out["monthly_floor"] = floor
    if item.floor is not None:
        floor = expr.as_array(_ref_value(item.floor, env).data, n)
        bound[amount < floor] = BOUND_FLOOR
        amount = np.maximum(amount, floor)
    if item.cap is not None:
        cap = expr.as_array(_ref_value(item.cap, env).data, n)
        bound[amount > cap] = BOUND_CAP
        amount = np.minimum(amount, cap)
    amount = np.where(applies, amount, 0)
    if item.direction == "receive":
        np.negative(amount, out=amount)
    out.update(applies=applies, rate=rate, rate_pick=pick, share_pick=share_index, bound=bound,
               amount=amount)
    for k, q in enumerate(quantities):
        out[f"q{k}"] = q
    return out


def _divide(product: np.ndarray, den, scale: int) -> np.ndarray:
    """product / (den × scale) rounded half up: one scalar division where every row has the same share."""
    if np.ndim(den) == 0:
        return product if den * scale == 1 else div_round_half_up(product, int(den) * scale)
    denominator = den * scale
    product = np.asarray(product, dtype=np.int64)
    magnitude = (np.abs(product) * 2 + denominator) // (2 * denominator)
    return np.where(product < 0, -magnitude, magnitude)


# ---------------------------------------------------------------------------------------------- deferral, heating
def deferred_installments(deferred: np.ndarray, policy: Policy) -> list[np.ndarray]:
    """Installments rounded half up; the last takes the remainder so they always sum to D."""
    parts, paid = [], np.zeros(len(deferred), dtype=np.int64)
    for inst in policy.deferral.installments[:-1]:
        part = times_fraction(deferred, inst.share.fraction)
        parts.append(part)
        paid = paid + part
    parts.append(deferred - paid)
    return parts


def installment_due_dates(move_in: np.ndarray, deferred: np.ndarray, policy: Policy) -> list[np.ndarray]:
    """Due dates N years after move-in, only where something is deferred (NaT elsewhere, and without a date)."""
    move_in = np.asarray(move_in).astype("datetime64[D]")
    rows = np.flatnonzero(deferred != 0)
    dues = []
    for inst in policy.deferral.installments:
        due = np.full(len(move_in), np.datetime64("NaT"), dtype="datetime64[D]")
        due[rows] = add_years(move_in[rows], int(inst.years_after_move_in.value))
        dues.append(due)
    return dues


def heating_fees(unit_c, rate_fen, efficient, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """(standard annual fee, annual fee): U × rate, × the efficient share for energy-efficient homes, rounded once."""
    standard = area_times_price(unit_c, rate_fen)
    reduced = area_times_price(unit_c, rate_fen, policy.heating.efficient_ratio.fraction)
    return standard, np.where(efficient, reduced, standard)


# ---------------------------------------------------------------------------------------------- settle
def settle(frame: Columns, loaded: LoadedPolicy) -> dict[str, np.ndarray]:
    """Every area, item, total, installment and heating fee for the validated households in frame.

    Columns are named by the policy's result schema (policy.schema), which every view reads."""
    policy, compiled, schema = loaded.rules, loaded.compiled, loaded.rules.schema
    n = len(frame)
    env = household_env(frame, policy)
    cash, in_kind = env["cash"].data, env["in_kind"].data
    out: dict[str, np.ndarray] = {}

    for name in compiled.areas_before_standard:
        env[name] = expr.Num(_area(compiled.areas[name], env, n), units.M2)
    standard, above, floored = standard_area(env, policy, compiled, n)
    env["standard"] = expr.Num(standard, units.M2)
    for name in compiled.area_order:
        if name not in compiled.areas_before_standard:
            env[name] = expr.Num(_area(compiled.areas[name], env, n), units.M2)
    out[schema.area_col("original")] = env["original"].data
    out[schema.area_col("standard")] = np.where(in_kind, standard, 0)
    out[schema.area_col("chosen")] = env["chosen"].data
    option_mask = {"in_kind": in_kind, "cash": cash}
    for name, decl in policy.areas.items():
        out[schema.area_col(name)] = np.where(np.logical_or.reduce([option_mask[o] for o in decl.options]), env[name].data, 0)

    chosen = env["chosen"].data
    lower = np.zeros(n, dtype=np.int64)
    band_area: dict[str, np.ndarray] = {}
    applies: dict[str, np.ndarray] = {}
    for ci in compiled.items:
        item = ci.item
        options = set(item.options)
        for_option = option_mask[options.pop()] if len(options) == 1 else np.ones(n, dtype=bool)
        applies[item.code] = _and_when(for_option, ci.exprs.get("when"), env, n)
        if item.kind != "area_band":
            continue
        upper = _area(ci.exprs["to"], env, n) if ci.exprs.get("to") is not None else np.full(n, OPEN_END, dtype=np.int64)
        upper = np.where(applies[item.code], np.maximum(upper, lower), lower)
        area = np.maximum(np.minimum(chosen, upper) - lower, 0)
        band_area[item.code] = area
        env[item.area_key] = expr.Num(area, units.M2)
        out[schema.area_col(item.area_key)] = area
        lower = upper

    net = np.zeros(n, dtype=np.int64)
    deferrable = np.zeros(n, dtype=np.int64)
    for ci in compiled.items:
        item = ci.item
        cols = schema.item(item.code)
        settled = settle_item(ci, env, applies[item.code], band_area.get(item.code), n)
        for key, values in settled.items():
            out[cols.col(key)] = values
        for i, when in enumerate(ci.decision_whens):  # which households each decision the item rests on concerns
            out[cols.col(f"decision{i}")] = _and_when(settled["applies"], when, env, n)
        if item.settled:
            net = net + settled["amount"]
        if item.deferrable:
            deferrable = deferrable + settled["amount"]
    for total in policy.totals:
        out[schema.total_col(total.code)] = sum(out[schema.item(code).amount] for code in total.items)
    out[schema.net_payable] = net

    if policy.deferral is not None:
        may_defer = _mask(compiled.deferral_when, env, n) & frame["defer"]
        deferred = np.where(may_defer, deferrable, 0)
    else:
        deferred = np.zeros(n, dtype=np.int64)
    out[schema.deferred_total] = deferred
    out[schema.due_before_move_in] = net - deferred
    if policy.deferral is not None:
        dues = installment_due_dates(frame["move_in"], deferred, policy)
        for inst, part, due in zip(schema.installments, deferred_installments(deferred, policy), dues):
            out[inst.amount] = part
            out[inst.due] = due

    if policy.heating is not None:
        standard_fee, annual_fee = heating_fees(chosen, frame["heating_rate_c"],
                                                frame["energy_efficient"], policy)
        out["heating_standard_annual"] = np.where(in_kind, standard_fee, 0)
        out["heating_annual"] = np.where(in_kind, annual_fee, 0)
        out["heating_saving"] = out["heating_standard_annual"] - out["heating_annual"]

    out["is_cash"] = cash
    out["used_above_largest_type"] = in_kind & above
    out["used_standard_floor"] = in_kind & floored
    out["non_standard_unit"] = in_kind & ~is_standard_type(chosen, policy) if policy.unit_types else np.zeros(n, bool)
    return out
