"""The `quote` subcommand: one household from command-line options, printed as text or JSON."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine (pandas, pydantic) loads in run(): `--help` and other commands skip it
    from .errors import InputError
    from .policy import PolicyError

EXIT_BAD_INPUT = 2


def add_household_arguments(parser: argparse.ArgumentParser) -> None:
    """The household options shared by `quote` and `statement`."""
    parser.add_argument("--original-area", metavar="A", help="原房屋建筑面积 (㎡) / original floor area (m²)")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--unit-area", metavar="U", help="选择户型面积 (㎡) / chosen unit area (m²)")
    choice.add_argument("--cash", action="store_true", help="货币补偿 / take cash instead of a unit")
    parser.add_argument("--low-income", action="store_true", help="低保户 / low-income household")
    parser.add_argument("--defer", action="store_true", help="申请缓交 / ask to defer the reasonable-extra payment")
    parser.add_argument("--appraised-price", metavar="P", help="评估单价 (元/㎡) / appraised price (yuan/m²)")
    parser.add_argument("--no-energy-efficient", action="store_true", help="非节能住宅 / unit is not energy-efficient")
    parser.add_argument("--heating-rate", metavar="R", help="取暖费标准 (元/㎡) / standard heating rate (yuan/m²)")
    parser.add_argument("--move-in", metavar="YYYY-MM-DD", help="入住日期 / move-in date")
    parser.add_argument("--household-id", metavar="ID", help="户号 / household id")
    parser.add_argument("--input", metavar="NAME=VALUE", action="append", default=[], dest="inputs",
                        help="政策声明的其他输入，可重复 / an input the policy declares (persons=4, signing_date=2026-03-01); "
                             "repeatable; `policy explain` lists them")
    parser.add_argument("--policy", metavar="ID_OR_PATH", default=None, help="政策文件 / policy id or path (default: tahe)")


def household_from_args(args: argparse.Namespace) -> dict:
    """The values for calculator.quote(...) from parsed options; text stays text so the model reports bad values."""
    values = {
        "household_id": args.household_id,
        "original_area": args.original_area,
        "option": "cash" if args.cash else "in_kind",
        "unit_area": args.unit_area,
        "low_income": args.low_income,
        "defer": args.defer,
        "appraised_price": args.appraised_price,
        "energy_efficient": False if args.no_energy_efficient else None,
        "heating_rate": args.heating_rate,
        "move_in_date": args.move_in,
        "inputs": declared_inputs(args.inputs) or None,
    }
    return {k: v for k, v in values.items() if v is not None}


def declared_inputs(pairs: list[str]) -> dict[str, str]:
    """['persons=4', 'signing_date=2026-03-01'] -> {'persons': '4', …}; a pair without '=' keeps an empty value,
    which the policy's checks then report by name."""
    out = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        out[name.strip()] = value.strip()
    return out


def report_errors(errors: list[InputError], as_json: bool) -> int:
    for err in errors:  # each message names its field by label; the field's code stays in the JSON for programs
        print(f"错误 / error: {err.bilingual()}", file=sys.stderr)
    if as_json:
        print(json.dumps({"errors": [e.model_dump(include={"field", "value", "message_zh", "message_en"}) for e in errors]},
                         ensure_ascii=False, indent=2))
    return EXIT_BAD_INPUT


def policy_error(exc: PolicyError, as_json: bool) -> int:
    """A policy that cannot be used: each problem once (its reason is already in both languages)."""
    for key, reason in exc.problems:
        print(f"错误 / error: 政策文件无效 / invalid policy file {exc.path}: {key}: {reason}", file=sys.stderr)
    if as_json:
        print(json.dumps({"errors": [{"field": "policy", "value": exc.path, "message_zh": f"政策文件无效：{key}：{reason}",
                                      "message_en": f"invalid policy file: {key}: {reason}"}
                                     for key, reason in exc.problems]}, ensure_ascii=False, indent=2))
    return EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    from .errors import InputErrors
    from .policy import PolicyError, load_policy
    from .render_text import render_quote
    from .settlement import quote

    as_json = args.format == "json"
    try:
        loaded = load_policy(args.policy)
    except PolicyError as exc:
        return policy_error(exc, as_json)
    try:
        result = quote(loaded, **household_from_args(args))
    except InputErrors as exc:
        return report_errors(exc.errors, as_json)
    if as_json:
        print(result.model_dump_json(indent=2))
    else:
        print(render_quote(result, loaded, lang=args.lang))
    return 0


def register(sub) -> None:
    parser = sub.add_parser("quote", help="单户测算 / quote one household",
                            description="单户测算 / quote one household under a policy")
    add_household_arguments(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.set_defaults(func=run)
