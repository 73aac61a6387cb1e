"""The `compare` subcommand (方案测算): one survey under several plans, a report (.xlsx or .json) and a summary on screen."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_UNUSABLE, EXIT_SOME_REJECTED = 0, 2, 3
FORMATS = {".xlsx": "xlsx", ".json": "json"}


class _PlanAction(argparse.Action):
    """--policy starts a plan; each --set after it edits that plan: [[policy, [edits]], …] in args.plans."""

    def __call__(self, parser, namespace, value, option_string=None):
        plans = getattr(namespace, "plans", None) or []
        if option_string == "--policy":
            plans.append([value, []])
        elif not plans:
            parser.error("--set edits the --policy before it; give a --policy first / --set 须跟在 --policy 之后")
        else:
            plans[-1][1].append(value)
        namespace.plans = plans


def register(sub) -> None:
    p = sub.add_parser(
        "compare", help="方案测算：同一调查表在多个政策下比较 / compare policies over one survey",
        description="方案测算：同一调查表按每个方案结算，比较合计、户型需求和逐户差额。 Settle one survey under each plan "
                    "and compare totals, flats and every household's net. A plan is a policy (id or file), or one "
                    "edited with --set key.path=value (validated as a file is, shown with its hash). Exit 0: written; "
                    "3: written, some rows rejected under a plan; 2: a policy, edit, survey or output unusable.")
    p.add_argument("survey", metavar="SURVEY", help="入户调查表 / survey file (.xlsx, .xls, .csv)")
    p.add_argument("--policy", action=_PlanAction, metavar="ID_OR_PATH", dest="plans",
                   help="方案（可重复；第一个为比较基准）/ a plan, repeated; the first is the base")
    p.add_argument("--set", action=_PlanAction, metavar="KEY.PATH=VALUE", dest="plans",
                   help="修改前一个方案，如 items.reasonable_extra_area.rate=1100 / edit the plan before it")
    p.add_argument("-o", "--output", metavar="REPORT", help="报告 / report: .xlsx or .json (json: stdout if omitted)")
    p.add_argument("--format", choices=("xlsx", "json"), default=None, help="报告格式 / default: from the file name")
    p.add_argument("--flats", metavar="CSV", help="现有房源（户型面积,套数）/ a flats inventory: type area, count")
    p.add_argument("--sheet", default=None, help="工作表名 / sheet name")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="报告语言 / report language (default zh)")
    p.set_defaults(func=run_compare)


def _fail(zh: str, en: str) -> int:
    print(f"错误 / error: {zh} / {en}", file=sys.stderr)
    print("未写出任何文件 / nothing was written", file=sys.stderr)
    return EXIT_UNUSABLE


def run_compare(args: argparse.Namespace) -> int:
    from .batch.errors import SurveyFileError
    from .batch.output import OutputRefused, check_output, write_file
    from .compare import compare, read_inventory
    from .compare_report import report_json, write_report
    from .plans import load_plan
    from .policy import PolicyError, resolve_policy_path

    plans_given = args.plans or []
    if len(plans_given) < 2:
        return _fail("至少需要两个方案（--policy A --policy B）", "give at least two plans (--policy A --policy B)")
    out = Path(args.output) if args.output else None
    fmt = args.format or (FORMATS.get(out.suffix.lower()) if out else "json")
    if fmt is None:
        return _fail(f"报告应为 .xlsx 或 .json，而不是“{out.suffix}”", f"the report must be .xlsx or .json, not '{out.suffix}'")
    if fmt == "xlsx" and out is None:
        return _fail("xlsx 报告须用 -o 指定文件", "an xlsx report needs -o FILE")
    try:
        plans = [load_plan(policy, edits) for policy, edits in plans_given]
    except PolicyError as exc:
        lines = "; ".join(f"{key}: {reason}" for key, reason in exc.problems)
        return _fail(f"方案无效（{exc.path}）：{lines}", f"a plan is unusable ({exc.path}): {lines}")
    survey = Path(args.survey)
    if not survey.is_file():
        return _fail(f"找不到调查表文件 {survey}", f"no such survey file: {survey}")
    try:
        if out is not None:
            check_output(out, [survey, *(resolve_policy_path(p) for p, _ in plans_given),
                               *([args.flats] if args.flats else [])])
        inventory = _inventory(args.flats, read_inventory)
        start = time.perf_counter()
        comparison = compare(survey, plans, sheet=args.sheet, inventory=inventory)
        if fmt == "json":
            text = report_json(comparison)
            if out is None:
                print(text)
            else:
                write_file(out, text.encode("utf-8"))
        else:
            write_report(comparison, out, lang=args.lang)
    except (SurveyFileError, OutputRefused) as exc:
        return _fail(exc.message_zh, exc.message_en)
    if out is not None:
        print_summary(comparison, out, time.perf_counter() - start)
    rejected = any(r.run.counts.rejected for r in comparison.results)
    return EXIT_SOME_REJECTED if rejected else EXIT_OK


def _inventory(path: str | None, read):
    """The flats inventory, if given; SurveyFileError for a file that cannot be read."""
    from .batch.errors import SurveyFileError

    if path is None:
        return None
    if not Path(path).is_file():
        raise SurveyFileError(f"找不到房源文件 {path}", f"no such flats inventory: {path}")
    inventory = read(Path(path))
    if not inventory:
        raise SurveyFileError(f"房源文件 {path} 中没有“户型面积,套数”行", f"the flats inventory {path} has no 'type area, count' lines")
    return inventory


def print_summary(comparison, out: Path, seconds: float) -> None:
    from .approval import NOT_APPROVED
    from .compare_report import letter
    from .fixed import fmt_money

    lines = [f"调查表 / survey  {comparison.source_name}"]
    for i, r in enumerate(comparison.results):
        c = r.run.counts
        mark = "" if r.plan.loaded.identity.approved else f"  {' / '.join(NOT_APPROVED)}"
        lines.append(f"方案{letter(i)} / plan {letter(i)}  {r.plan.label}{mark}  sha256 {r.plan.sha256[:12]}…  "
                     f"计算 / computed {c.computed}  拒绝 / rejected {c.rejected}")
        lines += [f"    {f.label_zh} / {f.label_en} {fmt_money(f.total)}" for f in r.totals.headline]
    for change in comparison.changes:
        x = letter(change.plan)
        lines.append(f"方案{x} − 方案A / plan {x} − plan A: 受益 / better off {change.better} ({change.share(change.better)})"
                     f"  受损 / worse off {change.worse} ({change.share(change.worse)})"
                     f"  不变 / unchanged {change.unchanged} ({change.share(change.unchanged)})")
    lines.append(f"已写出 / written  {out}   ({seconds:.2f} s)")
    print("\n".join(lines))
