"""The `quote` subcommand: one household from command-line options, printed as text or JSON."""
from __future__ import annotations

import argparse
import gc
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine (pandas, pydantic) loads in run(): `--help` and other commands skip it
    from .errors import InputError
    from .policy import PolicyError

EXIT_BAD_INPUT, EXIT_SOME_REFUSED = 2, 3


def add_household_arguments(parser: argparse.ArgumentParser) -> tuple[str, ...]:
    """The household options shared by `quote` and `statement`; returns the names of those that describe the household
    (all but --policy)."""
    choice = parser.add_mutually_exclusive_group()
    household = (
        parser.add_argument("--original-area", metavar="A", help="原房屋建筑面积 (㎡) / original floor area (m²)"),
        choice.add_argument("--unit-area", metavar="U", help="选择户型面积 (㎡) / chosen unit area (m²)"),
        choice.add_argument("--cash", action="store_true", help="货币补偿 / take cash instead of a unit"),
        parser.add_argument("--low-income", action="store_true", help="低保户 / low-income household"),
        parser.add_argument("--defer", action="store_true", help="申请缓交 / ask to defer the reasonable-extra payment"),
        parser.add_argument("--appraised-price", metavar="P", help="评估单价 (元/㎡) / appraised price (yuan/m²)"),
        parser.add_argument("--no-energy-efficient", action="store_true", help="非节能住宅 / unit is not energy-efficient"),
        parser.add_argument("--heating-rate", metavar="R", help="取暖费标准 (元/㎡) / standard heating rate (yuan/m²)"),
        parser.add_argument("--move-in", metavar="YYYY-MM-DD", help="入住日期 / move-in date"),
        parser.add_argument("--household-id", metavar="ID", help="户号 / household id"),
        parser.add_argument("--input", metavar="NAME=VALUE", action="append", default=[], dest="inputs",
                            help="政策声明的其他输入，可重复 / an input the policy declares (persons=4, "
                                 "signing_date=2026-03-01); repeatable; `policy explain` lists them"),
    )
    parser.add_argument("--policy", metavar="ID_OR_PATH", default=None, help="政策文件 / policy id or path (default: tahe)")
    return tuple(action.dest for action in household)


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

    as_json = args.format == "json" or args.stdin
    if args.stdin and any(getattr(args, name) for name in args.household_options):  # each line is the household
        print("错误 / error: --stdin 从标准输入逐行读取住户，不能再给单户选项 / --stdin reads each household from a "
              "line of standard input: give no household options with it", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        loaded = load_policy(args.policy)
    except PolicyError as exc:
        return policy_error(exc, as_json)
    if args.stdin:
        return quote_lines(loaded, sys.stdin.buffer, sys.stdout)
    try:
        result = quote(loaded, **household_from_args(args))
    except InputErrors as exc:
        return report_errors(exc.errors, as_json)
    if as_json:
        print(result.model_dump_json(indent=2))
    else:
        print(render_quote(result, loaded, lang=args.lang))
    return 0


def quote_lines(loaded, lines, out) -> int:
    """Each line of `lines` (bytes) a household as a JSON object, keyed as the Quote's JSON names its inputs
    (original_area, unit_area, option, low_income, defer, appraised_price, energy_efficient, heating_rate,
    move_in_date, household_id, inputs); each answered at once on `out` by one line: its Quote as JSON, or
    {"line": n, "errors": [...]}. Numbers are read from their text, as the command line reads them (45.3 stays
    45.3, not a binary fraction); null is an input not given; a blank line gets no answer. A program that quotes
    household after household keeps one process, instead of starting one (and its imports) per household."""
    from .errors import InputErrors
    from .settlement import quote

    if not gc.isenabled():  # started as a program, with the collector off (cli.main): what start-up made lives to the
        gc.freeze()         # end, so it is left out of collections; the lines' garbage is collected from here on
        gc.enable()
    refused = 0
    for number, raw in enumerate(lines, 1):
        values, errors = _household_line(raw, number)
        if values is None and not errors:
            continue
        if not errors:
            try:
                out.write(quote(loaded, **values).model_dump_json() + "\n")
                out.flush()
                continue
            except InputErrors as exc:
                errors = exc.errors
        refused += 1
        for err in errors:
            print(f"错误 / error: 第 {number} 行 / line {number}: {err.bilingual()}", file=sys.stderr)
        fields = {"field", "value", "message_zh", "message_en"}
        out.write(json.dumps({"line": number, "errors": [e.model_dump(include=fields) for e in errors]},
                             ensure_ascii=False, separators=(",", ":")) + "\n")
        out.flush()
    return EXIT_SOME_REFUSED if refused else 0


def _household_line(raw: bytes, number: int) -> tuple[dict | None, list]:
    """The values of one line, or why there are none ((None, []) for a blank line)."""
    from .errors import InputError

    def refused(zh: str, en: str, value: str = "", field: str = "line") -> tuple[None, list]:
        return None, [InputError(field=field, value=value, message_zh=zh, message_en=en, row=number)]

    try:
        text = raw.decode("utf-8").lstrip("\ufeff").strip()
    except UnicodeDecodeError:
        return refused("这一行不是 UTF-8 文本", "this line is not UTF-8 text")
    if not text:
        return None, []
    try:  # numbers as their text: the model reads them as it reads the command line's
        values = json.loads(text, parse_float=str, parse_int=str)
    except json.JSONDecodeError as exc:
        return refused(f"这一行不是有效的 JSON（第 {exc.colno} 个字符处）",
                       f"this line is not valid JSON (at character {exc.colno}: {exc.msg})", text[:80])
    except RecursionError:  # nested deeper than Python can read
        return refused("这一行嵌套过深", "this line is nested too deeply", text[:80])
    if not isinstance(values, dict):
        return refused("这一行应是一个 JSON 对象（{…}）", "this line must be a JSON object ({…})", text[:80])
    inputs = values.get("inputs")
    if inputs is not None and not (isinstance(inputs, dict) and all(isinstance(v, (str, bool)) or v is None
                                                                    for v in inputs.values())):
        return refused("inputs 应是「名称: 值」的对象，每个值是数字、文字、是否或 null",
                       "inputs must be an object of name: value, each value a number, a text, true/false or null",
                       json.dumps(inputs, ensure_ascii=False)[:80], "inputs")
    return {k: v for k, v in values.items() if v is not None}, []


def register(sub) -> None:
    parser = sub.add_parser("quote", help="单户测算 / quote one household",
                            description="单户测算 / quote one household under a policy")
    parser.set_defaults(household_options=add_household_arguments(parser))
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--stdin", action="store_true",
                        help="逐行读取住户（JSON），逐行输出测算结果（JSON）/ read households as JSON lines from standard "
                             "input and answer each at once with a JSON line (one process for many households)")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    # A quote holds nothing open but its output, so `python -m calculator quote` ends without Python's teardown.
    parser.set_defaults(func=run, leaves_nothing_open=True)
