"""Engine speed per shipped policy: households settled per second by calculator.engine.settle, best of three.

    python -m benchmarks.engine                 # every policy in policies/, 1,000,000 households each
    python -m benchmarks.engine --n 100000 --policies tahe
The households are synthetic (seeded): every core and declared input filled within the policy's limits.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from calculator import load_policy
from calculator.batch.frame import fast_typed_frame
from calculator.columns import Columns
from calculator.engine import settle
from calculator.fixed import MISSING
from calculator.inputs import column
from calculator.policy import available_policies


def synthetic_frame(loaded, n: int, seed: int = 1):
    """n households for this policy: 8 % cash, 10 % low-income, unit types where the policy has them."""
    rules = loaded.rules
    rng = np.random.default_rng(seed)
    a = rng.integers(3000, 9000, n)
    types = [int(t * 100) for t in rules.type_areas] or [4000, 5000, 6000, 7000, 8000]
    u = np.array(types)[rng.integers(0, len(types), n)]
    cash = rng.random(n) < 0.08
    declared = {}
    for decl in rules.inputs:
        low = int((decl.min or 0) * (100 if decl.type in ("area", "money") else 1))
        high = int(decl.max * (100 if decl.type in ("area", "money") else 1)) if decl.max is not None else 0
        if decl.type in ("area", "money", "count"):
            declared[column(decl.name)] = rng.integers(low, max(high // 4, low + 1) + 1, n)
        elif decl.type == "date":
            declared[column(decl.name)] = (np.datetime64("2026-01-01") + rng.integers(0, 120, n)).astype("datetime64[s]")
        elif decl.type == "flag":
            declared[column(decl.name)] = rng.random(n) < 0.2
        else:
            declared[column(decl.name)] = rng.integers(0, len(decl.choices), n).astype(np.int8)
        if decl.type in ("area", "money"):
            declared[f"rounded_{column(decl.name)}"] = np.zeros(n, bool)
    return fast_typed_frame(
        household_id=np.arange(n).astype(str).astype(object), option=np.where(cash, "cash", "in_kind").astype(object),
        original_area_c=a, rounded_original_area=np.zeros(n, bool), unit_area_c=np.where(cash, MISSING, u),
        rounded_unit_area=np.zeros(n, bool), appraised_price_c=rng.integers(180000, 260000, n),
        rounded_appraised_price=np.zeros(n, bool), heating_rate_c=np.full(n, MISSING), rounded_heating_rate=np.zeros(n, bool),
        low_income=rng.random(n) < 0.1, defer=np.zeros(n, bool), energy_efficient=np.full(n, -1, np.int8),
        move_in=np.full(n, np.datetime64("2025-10-01"), "datetime64[D]"), policy=rules, declared=declared)


def measure(policy_id: str, n: int) -> tuple[float, int]:
    """Best of three seconds to settle n households, and the number of items the policy has."""
    loaded = load_policy(policy_id)
    frame = Columns.of_frame(synthetic_frame(loaded, n))  # the engine reads arrays; the frame is the batch's edge
    settle(frame.rows(np.arange(len(frame)) < 1000), loaded)  # warm-up
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        settle(frame, loaded)
        best = min(best, time.perf_counter() - start)
    return best, len(loaded.rules.items)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--policies", nargs="*", default=available_policies())
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"{'policy':<22} {'items':>5} {'households':>11} {'seconds':>8} {'households/s':>13}")
    for policy_id in args.policies:
        seconds, items = measure(policy_id, args.n)
        print(f"{policy_id:<22} {items:>5} {args.n:>11,} {seconds:>8.3f} {args.n / seconds:>13,.0f}")


if __name__ == "__main__":
    main()
