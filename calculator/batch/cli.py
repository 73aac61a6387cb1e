"""The `batch` and `template` subcommands: a survey file in, a workbook / csv / jsonl out, and a one-screen summary."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .output import OutputRefused, check_output

EXIT_OK, EXIT_UNUSABLE, EXIT_SOME_REJECTED = 0, 2, 3
OUTPUT_KINDS = {".xlsx": "xlsx", ".csv": "csv", ".jsonl": "jsonl"}
LISTED_REJECTS = 15  # rejected rows listed on screen; the output holds them all


def register(subparsers) -> None:
    batch = subparsers.add_parser(
        "batch", help="批量结算入户调查表 / settle a household survey spreadsheet",
        description="读取入户调查表（xlsx/xls/csv），逐户结算，输出结果工作簿（.xlsx）或机器可读结果（.csv/.jsonl）。"
                    " Read a survey (xlsx/xls/csv), settle every household, write a result workbook (.xlsx) or .csv/.jsonl."
                    " Exit 0: all rows computed; 3: some rows rejected (output written); 2: file unusable or output not"
                    " writable (nothing written); 128+N: stopped by signal N (130 for Ctrl-C; nothing written).")
    batch.add_argument("input", metavar="INPUT", help="入户调查表 / survey file (.xlsx, .xls, .csv, .tsv)")
    batch.add_argument("-o", "--output", required=True, metavar="OUTPUT", help="输出文件 / output file: .xlsx, .csv or .jsonl")
    batch.add_argument("--policy", metavar="ID_OR_PATH", default=None, help="政策文件 / policy id or path (default: tahe)")
    batch.add_argument("--sheet", metavar="NAME", default=None, help="工作表名 / sheet name (default: the first visible sheet with a header)")
    batch.add_argument("--lang", choices=("zh", "en"), default="zh", help="工作簿语言 / workbook language (default zh)")
    batch.set_defaults(func=run_batch)

    template = subparsers.add_parser("template", help="生成空白入户调查表 / write a blank survey template",
                                     description="写出带表头、下拉选项和填表说明的空白入户调查表。"
                                                 " Write a blank survey workbook with headers, dropdowns and instructions.")
    template.add_argument("-o", "--output", required=True, metavar="OUTPUT", help="输出文件 / output .xlsx")
    template.add_argument("--policy", metavar="ID_OR_PATH", default=None, help="政策文件 / policy id or path (default: tahe)")
    template.set_defaults(func=run_template)


class _Stages:
    """A progress bar over the stages of a run, shown only when stderr is a terminal."""

    def __init__(self, total: int):
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, file=sys.stderr, unit="step", leave=False, bar_format="{l_bar}{bar}| {n}/{total}")

    def step(self, label: str) -> None:
        if self.bar is not None:
            self.bar.set_description(label)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def policy_file(policy: str | None) -> Path:
    """The policy file read (an input too, never to be written over)."""
    from ..policy import resolve_policy_path

    return resolve_policy_path(policy)


def _fail(zh: str, en: str) -> int:
    print(f"错误 / error: {zh} / {en}", file=sys.stderr)
    print("未写出任何文件 / nothing was written", file=sys.stderr)
    return EXIT_UNUSABLE


def run_batch(args: argparse.Namespace) -> int:
    from ..policy import PolicyError, load_policy
    from .errors import SurveyFileError
    from .machine import write_machine
    from .survey import load_survey
    from .workbook import write_workbook

    out = Path(args.output)
    kind = OUTPUT_KINDS.get(out.suffix.lower())
    if kind is None:
        return _fail(f"输出文件扩展名应为 .xlsx、.csv 或 .jsonl，而不是“{out.suffix}”",
                     f"the output must end in .xlsx, .csv or .jsonl, not '{out.suffix}'")
    try:
        loaded = load_policy(args.policy)
        check_output(out, [args.input, policy_file(args.policy)])
    except PolicyError as exc:
        return _fail("政策文件无效", str(exc))
    except OutputRefused as exc:
        return _fail(exc.message_zh, exc.message_en)
    stages = _Stages(3)
    start = time.perf_counter()
    try:
        stages.step("读取并结算 / reading and settling")
        run = _streamed(Path(args.input), loaded, out, kind) if args.sheet is None else None
        if run is not None:
            stages.close()
            print_summary(run, loaded, out, time.perf_counter() - start)
            return EXIT_SOME_REJECTED if run.counts.rejected else EXIT_OK
        run = load_survey(args.input, loaded, sheet=args.sheet)
        stages.step("写出 / writing")
        if kind == "xlsx":
            write_workbook(run, loaded, out, lang=args.lang)
        else:
            write_machine(run, loaded, out, fmt=kind)
        stages.step("完成 / done")
    except (SurveyFileError, OutputRefused) as exc:
        stages.close()
        return _fail(exc.message_zh, exc.message_en)
    finally:
        stages.close()
    print_summary(run, loaded, out, time.perf_counter() - start)
    return EXIT_SOME_REJECTED if run.counts.rejected else EXIT_OK


def _streamed(path: Path, loaded, out: Path, kind: str):
    """A large csv to csv is settled in chunks (bounded memory); None for every other run, read whole."""
    from .stream import NotStreamable, stream_batch, streamable

    if not streamable(path, kind):
        return None
    try:
        return stream_batch(path, loaded, out)
    except NotStreamable:
        return None


def print_summary(run, loaded, out: Path, seconds: float) -> None:
    """One screen: what was read as what, the counts that reconcile, the totals, and the rejected rows."""
    from ..fixed import fmt_money
    from ..totals import project_totals

    c = run.counts
    t = getattr(run, "totals", None) or project_totals(run.settlement, loaded.rules)
    error_count = getattr(run, "error_count", len(run.errors))
    p = run.policy
    deferral = loaded.rules.deferral is not None
    lines = [
        f"输入 / input   {run.source_name}  ({run.kind}{', ' + run.encoding if run.encoding else ''}"
        f"{', 工作表 sheet ' + run.sheet if run.sheet else ''}, 表头第{run.header_row}行 / header row {run.header_row})",
        f"政策 / policy  {p.id} {p.version}  sha256 {p.sha256[:12]}…",
        f"读取 / read {c.read} = 计算 / computed {c.computed} + 拒绝 / rejected {c.rejected}"
        f"    跳过空行 / blank rows skipped {c.blank_skipped}",
        f"回迁 / in-kind {t.households['in_kind']}   货币补偿 / cash {t.households['cash']}   "
        f"低保户 / low-income {t.households['low_income']}"
        + (f"   缓交 / deferring {t.households['deferring']}" if deferral else ""),
    ]
    # The headline totals, under the names the workbook and the batch page give them.
    lines += [f"{f.label_zh} / {f.label_en} {fmt_money(f.total)}" for f in t.headline]
    unknown = [h for h, f in run.columns.items() if f is None]
    if unknown:
        lines.append(f"未识别的列（原样保留）/ columns passed through: {', '.join(unknown)}")
    for zh, en in run.notes:
        lines.append(f"注意 / note: {zh} / {en}")
    flags, flag_count = run.flags[:LISTED_REJECTS], getattr(run, "flag_count", len(run.flags))
    if flags:
        lines.append(f"请核实 / please verify ({flag_count}; 已照常结算 / settled as usual, 公示前须确认 / "
                     f"to confirm before the notice):")
        lines += [f"  第{f.row}行 row {f.row}  {f.household_id}  {f.bilingual()}" for f in flags]
        if flag_count > len(flags):
            lines.append(f"  … 另有 {flag_count - len(flags)} 项，见输出文件 / {flag_count - len(flags)} more in the output")
    if run.errors:
        lines += rejected_lines(run.errors, c.rejected, error_count, ("见输出文件", "in the output"))
    lines.append(f"已写出 / written  {out}   ({seconds:.2f} s)")
    print("\n".join(lines))


def rejected_lines(errors, rejected: int, error_count: int, more_in: tuple[str, str]) -> list[str]:
    """The rejected rows, each problem with its row, column and message in both languages; the first few only."""
    lines = [f"被拒绝的行 / rejected rows ({rejected}):"]
    shown = errors[:LISTED_REJECTS]
    for e in shown:
        lines.append(f"  第{e.row}行 row {e.row}  [{e.column or e.field}] {e.message_zh} / {e.message_en}")
    if error_count > len(shown):
        more = error_count - len(shown)
        lines.append(f"  … 另有 {more} 条，{more_in[0]} / {more} more {more_in[1]}")
    return lines


def run_template(args: argparse.Namespace) -> int:
    from ..policy import PolicyError, load_policy
    from .template import write_template

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        return _fail("模板须为 .xlsx 文件", "the template must be an .xlsx file")
    try:
        loaded = load_policy(args.policy)
        check_output(out, [policy_file(args.policy)])
        write_template(loaded, out)
    except PolicyError as exc:
        return _fail("政策文件无效", str(exc))
    except OutputRefused as exc:
        return _fail(exc.message_zh, exc.message_en)
    print(f"已写出空白入户调查表 / blank survey written: {out}")
    return EXIT_OK
