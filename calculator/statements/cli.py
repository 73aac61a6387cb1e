"""The `statement`, `statements` and `notice` subcommands: one household's PDF, a batch of PDFs, the public notice."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from ..batch.output import OutputRefused, check_output, write_file
from ..cli_quote import add_household_arguments, household_from_args, policy_error, report_errors
from .fonts import FontMissing

EXIT_OK, EXIT_BAD_INPUT, EXIT_SOME_REJECTED = 0, 2, 3  # as the batch: all computed / unusable / some rows rejected
NOTICE_FORMATS = (".xlsx", ".pdf")


def _fail(zh: str, en: str) -> int:
    print(f"错误 / error: {zh} / {en}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _issued(args) -> dt.date | None:
    """The --date given, or today; raises InputErrors on a date that is not real."""
    from ..errors import InputError, InputErrors

    if not args.date:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(args.date)
    except ValueError:
        raise InputErrors([InputError(field="date", value=args.date,
                                      message_zh=f"结算日期不是有效日期（YYYY-MM-DD），输入为 {args.date}",
                                      message_en=f"--date must be a real date (YYYY-MM-DD), got {args.date}")]) from None


def _refuse(args, output, survey: str | None = None, folder: bool = False) -> int | None:
    """An exit status if `output` must not be written (it is an input, or its folder is missing), else None."""
    from ..policy import resolve_policy_path

    try:
        check_output(output, [survey, resolve_policy_path(args.policy)], folder=folder)
    except OutputRefused as exc:
        return _fail(exc.message_zh, exc.message_en)
    return None


def _write(path: Path, data: bytes) -> int | None:
    """Write the file atomically; an exit status if the file system refuses (no permission, disk full)."""
    try:
        write_file(path, data)
    except OutputRefused as exc:
        return _fail(exc.message_zh, exc.message_en)
    return None


def _report_unprintable(rows) -> None:
    for u in rows:
        print(f"第{u.row}行 / row {u.row}: {u.bilingual()}", file=sys.stderr)


def run_statement(args: argparse.Namespace) -> int:
    from reportlab.platypus.doctemplate import LayoutError

    from ..errors import InputErrors
    from ..policy import PolicyError, load_policy
    from ..settlement import quote
    from .statement_pdf import statement_pdf

    if (refused := _refuse(args, args.output)) is not None:
        return refused
    try:
        loaded = load_policy(args.policy)
    except PolicyError as exc:
        return policy_error(exc, False)
    try:
        issued = _issued(args)
        result = quote(loaded, **household_from_args(args))
    except InputErrors as exc:
        return report_errors(exc.errors, False)
    try:
        pdf = statement_pdf(result, loaded, household_id=args.household_id, name=args.name, id_number=args.id_number,
                            address=args.address, issued=issued, lang=args.lang)
    except FontMissing as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except LayoutError:
        return _fail("文字过长，结算单排不下（户号、姓名、身份证号或坐落）",
                     "a text is too long to fit on the statement (household id, name, ID number or address)")
    if (failed := _write(Path(args.output), pdf)) is not None:
        return failed
    print(f"已写入结算单 / statement written: {args.output}")
    return EXIT_OK


def _load_run(args):
    """(loaded policy, survey run) or an exit status after saying why on stderr."""
    from ..batch import SurveyFileError, load_survey
    from ..policy import PolicyError, load_policy

    try:
        loaded = load_policy(args.policy)
    except PolicyError as exc:
        return None, policy_error(exc, False)
    path = Path(args.survey)
    if not path.is_file():
        return None, _fail(f"找不到调查表文件 {path}", f"no such survey file: {path}")
    try:
        run = load_survey(path, loaded, sheet=args.sheet)
    except SurveyFileError as exc:
        return None, _fail(exc.message_zh, exc.message_en)
    for err in run.errors:
        column = f"“{err.column}”" if err.column else err.field
        print(f"第{err.row}行 / row {err.row} {column}: {err.bilingual()}", file=sys.stderr)
    return (loaded, run), None


def _prepare_survey(args):
    """(loaded policy, survey run, issue date) for `statements` and `notice`, or an exit status after saying why."""
    from ..errors import InputErrors

    try:
        issued = _issued(args)
    except InputErrors as exc:
        return None, report_errors(exc.errors, False)
    pair, status = _load_run(args)
    if pair is None:
        return None, status
    return (*pair, issued), None


def _summary(run, unprintable: int = 0) -> str:
    c = run.counts
    line = (f"读取 {c.read} 户，计算 {c.computed} 户，拒绝 {c.rejected} 户 / "
            f"read {c.read}, computed {c.computed}, rejected {c.rejected}")
    if unprintable:
        line += f"；另有 {unprintable} 户文字过长未列入 / {unprintable} more left out, their text too long to print"
    return line


def run_statements(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .batch import write_statements

    if (refused := _refuse(args, args.output, args.survey, folder=Path(args.output).suffix.lower() != ".zip")):
        return refused
    prepared, status = _prepare_survey(args)
    if prepared is None:
        return status
    loaded, run, issued = prepared
    progress = None
    if sys.stderr.isatty():  # a bar for the clerk at a terminal; nothing in logs or pipes
        def progress(docs):
            return tqdm(docs, total=run.counts.computed, unit="户", file=sys.stderr)
    try:
        written = write_statements(run.settlement, loaded, args.output, issued=issued, lang=args.lang,
                                   jobs=args.jobs, progress=progress)
    except FontMissing as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputRefused as exc:
        return _fail(exc.message_zh, exc.message_en)
    _report_unprintable(written.unprintable)
    print(_summary(run, len(written.unprintable)))
    if not written.names:
        return _fail("没有一户能生成结算单，未写出任何文件", "no statement could be made; nothing was written")
    print(f"已写入 {len(written.names)} 份结算单 / {len(written.names)} statements written: {args.output}")
    return EXIT_SOME_REJECTED if run.counts.rejected or written.unprintable else EXIT_OK


def run_notice(args: argparse.Namespace) -> int:
    from .notice_pdf import notice_pdf_checked
    from .notice_xlsx import notice_xlsx

    output = Path(args.output)
    if output.suffix.lower() not in NOTICE_FORMATS:
        return _fail(f"公示表须为 .xlsx 或 .pdf 文件，输入为 {output.name}",
                     f"the notice must be a .xlsx or .pdf file, got {output.name}")
    if (refused := _refuse(args, output, args.survey)) is not None:
        return refused
    prepared, status = _prepare_survey(args)
    if prepared is None:
        return status
    loaded, run, issued = prepared
    if run.flags and not args.accept_flags:
        return _refuse_flags(run.flags)
    left_out = []
    try:
        if output.suffix.lower() == ".pdf":
            data, left_out = notice_pdf_checked(run.settlement, loaded, issued=issued, rejected=run.counts.rejected,
                                                lang=args.lang)
        else:
            data = notice_xlsx(run.settlement, loaded, issued=issued, rejected=run.counts.rejected, lang=args.lang)
    except FontMissing as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    _report_unprintable(left_out)
    if (failed := _write(output, data)) is not None:
        return failed
    print(_summary(run, len(left_out)))
    if run.flags:
        print(f"已确认 {len(run.flags)} 项请核实的数值 / {len(run.flags)} values to verify accepted (--accept-flags)")
    print(f"已写入公示表 / notice written: {output}")
    return EXIT_SOME_REJECTED if run.counts.rejected or left_out else EXIT_OK


def _refuse_flags(flags) -> int:
    """Nothing is published while a value awaits verification: list each one and say how to go on."""
    for flag in flags:
        print(f"第{flag.row}行 / row {flag.row} {flag.household_id}: {flag.bilingual()}", file=sys.stderr)
    return _fail(f"有 {len(flags)} 项数值请核实（见上），公示表未生成；核实并改正调查表后重新生成，"
                 f"或确认无误后加 --accept-flags",
                 f"{len(flags)} values to verify (listed above); the notice was not written. Correct the survey and "
                 f"run again, or add --accept-flags once they are confirmed")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="结算/公示日期，默认今天 / date printed, default today")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言 / language (default zh)")


def _survey(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("survey", metavar="SURVEY", help="入户调查表 (.xlsx/.xls/.csv) / household survey file")
    parser.add_argument("--sheet", default=None, help="工作表名称 / sheet name (default: the first)")
    parser.add_argument("--policy", metavar="ID_OR_PATH", default=None, help="政策文件 / policy id or path (default: tahe)")


def register(sub) -> None:
    one = sub.add_parser("statement", help="单户结算单PDF / one household's settlement statement (PDF)",
                         description="生成单户回迁安置结算单（A4 PDF） / write one household's settlement statement (A4 PDF)")
    add_household_arguments(one)
    one.add_argument("--name", help="户主姓名 / head of household")
    one.add_argument("--id-number", help="身份证号 / ID number")
    one.add_argument("--address", help="原房屋坐落 / address of the former home")
    one.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="输出PDF / output PDF file")
    _common(one)
    one.set_defaults(func=run_statement)

    many = sub.add_parser("statements", help="批量结算单 / a statement PDF per household of a survey",
                          description="按户号为调查表中每户生成结算单PDF，写入文件夹或zip / one statement PDF per computed "
                                      "household, named by household id, into a folder or a .zip. Exit 0: all computed; "
                                      "3: some rows rejected (listed on stderr); 2: file or policy unusable.")
    _survey(many)
    many.add_argument("-o", "--output", required=True, metavar="DIR_OR_ZIP", help="输出文件夹或.zip / folder or .zip")
    many.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                      help="并行进程数 / worker processes (default: the number of CPUs)")
    _common(many)
    many.set_defaults(func=run_statements)

    notice = sub.add_parser("notice", help="公示表 (xlsx/PDF) / public notice of a survey",
                            description="生成公示表，姓名与身份证号部分隐去 / write the public notice with names and ID "
                                        "numbers masked. Exit 0: all computed; 3: some rows rejected; 2: unusable, or values to verify "
                                        "(请核实) without --accept-flags.")
    _survey(notice)
    notice.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FILE.pdf", help="输出文件 / output file")
    notice.add_argument("--accept-flags", action="store_true",
                        help="数值已核实无误，仍生成公示表 / the values to verify (请核实) are confirmed: publish anyway")
    _common(notice)
    notice.set_defaults(func=run_notice)
