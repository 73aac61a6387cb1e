"""The register's ledger commands: flats import, draw, order, allocate, receive, pay, move-in, account and reports."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from .cli import EXIT_OK, EXIT_SOME_REJECTED, add_user, command, open_register
from .errors import RegisterError

REPORTS = ("progress", "funds", "overdue", "flats", "public")


def add_commands(sub) -> None:
    flats = sub.add_parser("flats", help="房源 / the flats inventory")
    flats_sub = flats.add_subparsers(dest="flats_command", required=True, metavar="ACTION")
    imp = flats_sub.add_parser("import", help="导入房源表 / import the flats inventory (xlsx or csv)",
                               description="导入房源表（楼号、单元、楼层、房号、建筑面积、户型）：全部导入或全部不导入。"
                                           " Import the flats inventory (building, unit, floor, room, area, type): all"
                                           " rows or none. Exit 3 when some rows are bad (nothing is written).")
    imp.add_argument("file", metavar="FILE", help="房源表 / the inventory file")
    _project_and_user(imp)
    imp.set_defaults(func=run_flats_import)

    drawn = sub.add_parser("draw", help="公开抽签确定搬迁顺序号 / public draw of the moving order",
                           description="对已签协议、尚无顺序号的住户公开抽签：按 sha256(种子:户号) 升序排列，任何人可据公布的"
                                       "种子和名单复核。 Draw the moving order of the signed households not yet numbered:"
                                       " sorted by sha256(seed:household number), so anyone can re-run it.")
    drawn.add_argument("--seed", required=True, help="公开的抽签种子 / the published seed")
    _project_and_user(drawn)
    drawn.set_defaults(func=run_draw)

    ordered = sub.add_parser("order", help="按签约时间确定搬迁顺序号 / moving order by signing time",
                             description="已签协议、尚无顺序号的住户按签约时间（精确到秒；同一秒按协议编号）排序。"
                                         " Number the signed households not yet numbered by signing time (to the"
                                         " second; within a second by agreement number).")
    _project_and_user(ordered)
    ordered.set_defaults(func=run_order)

    alloc = sub.add_parser("allocate", help="按顺序选房 / allocate a flat in moving order",
                           description="一户：HOUSEHOLD FLAT；多户：--file CSV（列：户号、房屋），按行顺序全部登记或全部不登记。"
                                       " One household: HOUSEHOLD FLAT; many: --file CSV (columns household, flat), in"
                                       " row order, all or none.")
    alloc.add_argument("household", metavar="HOUSEHOLD", nargs="?", help="户号 / household number")
    alloc.add_argument("flat", metavar="FLAT", nargs="?", help="房屋（楼号-单元-房号）/ flat (building-unit-room)")
    _batch_file(alloc)
    alloc.add_argument("--out-of-turn", metavar="REASON", default=None,
                       help="越过顺序的理由（仅主管）/ reason for allocating out of turn (supervisor only)")
    _project_and_user(alloc)
    alloc.set_defaults(func=run_allocate)

    receive = sub.add_parser("receive", help="登记收款 / record a payment from a household",
                             description="一笔：HOUSEHOLD --receipt --amount --date；多笔：--file CSV（列：户号、收据号、金额、"
                                         "日期），全部登记或全部不登记。 One payment, or many from --file CSV (columns"
                                         " household, receipt, amount, date), all or none.")
    receive.add_argument("household", metavar="HOUSEHOLD", nargs="?", help="户号 / household number")
    receive.add_argument("--receipt", metavar="NO", help="收据号 / receipt number")
    receive.add_argument("--amount", metavar="YUAN", help="金额（元）/ amount in yuan, e.g. 1680.00")
    receive.add_argument("--date", metavar="YYYY-MM-DD", help="收款日期 / date received")
    _batch_file(receive)
    _project_and_user(receive)
    receive.set_defaults(func=run_receive)

    paying = sub.add_parser("pay", aliases=["payout"], help="登记向住户付款 / record a payout paid to a household",
                            description="登记已向住户支付的款项（货币补偿等）。一笔：HOUSEHOLD --voucher --amount --date；"
                                        "多笔：--file CSV（列：户号、付款凭证号、金额、日期），全部登记或全部不登记。"
                                        " Record money paid out to a household (cash compensation and the like): one,"
                                        " or many from --file CSV (columns household, voucher, amount, date), all or"
                                        " none. Refused when it is more than is still payable.")
    paying.add_argument("household", metavar="HOUSEHOLD", nargs="?", help="户号 / household number")
    paying.add_argument("--voucher", metavar="NO", help="付款凭证号 / payment voucher number")
    paying.add_argument("--amount", metavar="YUAN", help="金额（元）/ amount in yuan, e.g. 112445.00")
    paying.add_argument("--date", metavar="YYYY-MM-DD", help="付款日期 / date paid")
    _batch_file(paying)
    _project_and_user(paying)
    paying.set_defaults(func=run_pay)

    moving = sub.add_parser("move-in", help="登记入住 / record a move-in",
                            description="一户：HOUSEHOLD --date；多户：--file CSV（列：户号、日期），全部登记或全部不登记。"
                                        " One household, or many from --file CSV (columns household, date), all or none.")
    moving.add_argument("household", metavar="HOUSEHOLD", nargs="?", help="户号 / household number")
    moving.add_argument("--date", metavar="YYYY-MM-DD", help="入住日期 / move-in date")
    _batch_file(moving)
    _project_and_user(moving)
    moving.set_defaults(func=run_move_in)

    acct = sub.add_parser("account", help="住户账户 / a household's dues, receipts and balance")
    acct.add_argument("household", metavar="HOUSEHOLD", help="户号 / household number")
    acct.add_argument("--project", default=None, metavar="CODE",
                        help="项目编号 / project code (default: the only one)")
    acct.add_argument("--as-of", metavar="YYYY-MM-DD", default=None, help="统计日期（默认今天）/ as of (default today)")
    acct.add_argument("--json", action="store_true", help="JSON 输出 / print JSON")
    acct.set_defaults(func=run_account)

    rep = sub.add_parser("report", help="报表 / reports",
                         description="progress 进度; funds 按月资金; overdue 逾期名单; flats 房源与规划户型; public 搬迁顺序号公示（姓名打码）。")
    rep.add_argument("which", choices=REPORTS, metavar="REPORT", help=" | ".join(REPORTS))
    rep.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件 / output file")
    rep.add_argument("--format", choices=("xlsx", "json"), default="xlsx", help="xlsx（默认）或 json")
    rep.add_argument("--lang", choices=("zh", "en"), default="zh", help="xlsx 的语言 / language of the xlsx")
    rep.add_argument("--project", default=None, metavar="CODE",
                        help="项目编号 / project code (default: the only one)")
    rep.add_argument("--as-of", metavar="YYYY-MM-DD", default=None, help="统计日期（默认今天）/ as of (default today)")
    rep.set_defaults(func=run_report)


def project_and_policy(session, code: str | None):
    """The project (by code, or the register's only one) and the policy it adopted last."""
    from .projects import current_policy, get_project, loaded_policy

    project = get_project(session, code)
    return project, loaded_policy(current_policy(session, project))


def open_pending_accounts(engine, project_code: str | None) -> None:
    """Open the accounts of agreements signed since the ledger was last used, before a command reads balances."""
    from .db import reading, transaction
    from .ledger import SYSTEM_USER, accounts_to_open, open_accounts
    from .projects import get_project

    with reading(engine) as session:
        if not accounts_to_open(session, get_project(session, project_code).id):
            return
    with transaction(engine) as session:
        open_accounts(session, get_project(session, project_code).id, SYSTEM_USER)


def _batch_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--file", metavar="CSV", default=None, help="批量登记的CSV文件 / a CSV of many, all or none")


BATCH_HEADERS = {  # field -> headers a clerk's CSV may use (matched as the survey's headers are)
    "household": ("户号", "household", "household_no"), "flat": ("房屋", "房号", "flat"),
    "receipt": ("收据号", "收据编号", "receipt", "receipt_no"), "voucher": ("付款凭证号", "凭证号", "voucher", "voucher_no"), "amount": ("金额", "收款金额", "amount"),
    "date": ("日期", "收款日期", "付款日期", "入住日期", "date"),
}


def requests(args: argparse.Namespace, fields: tuple[str, ...]) -> list[tuple[int | None, dict[str, str]]]:
    """What to record: one request from the arguments, or one per row of --file (row numbers as the clerk sees them)."""
    import csv

    from ..batch.headers import normalise_header

    given = {f: getattr(args, f, None) for f in fields}
    if args.file is None:
        missing = [f for f in fields if not given[f]]
        if missing:
            raise RegisterError(missing[0], "", f"缺少{missing[0]}（或用 --file 批量登记）",
                                f"{missing[0]} is missing (or give many with --file)")
        return [(None, given)]
    if any(given.values()):
        raise RegisterError("file", args.file, "--file 与单户参数不能同时使用", "give --file or one household's values, not both")
    try:
        with open(args.file, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError("file", args.file, f"无法读取 {args.file}（须为UTF-8编码的CSV）：{exc}",
                            f"cannot read {args.file} (a UTF-8 CSV is needed): {exc}") from None
    lookup = {normalise_header(h): f for f in fields for h in BATCH_HEADERS[f]}
    columns = {lookup[normalise_header(h)]: i for i, h in enumerate(rows[0] if rows else []) if normalise_header(h) in lookup}
    if missing := [f for f in fields if f not in columns]:
        raise RegisterError("file", args.file, f"{args.file} 第1行须有列：{'、'.join(BATCH_HEADERS[f][0] for f in missing)}",
                            f"row 1 of {args.file} needs the columns: {', '.join(missing)}")
    return [(n, {f: (row[i].strip() if i < len(row) else "") for f, i in columns.items()})
            for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]


def each_row(items, action) -> int:
    """Apply action to every request in order; a refusal names the file's row (the caller's transaction rolls back)."""
    for row, values in items:
        try:
            action(values)
        except RegisterError as exc:
            if row is None:
                raise
            raise RegisterError(exc.field, exc.value, f"第{row}行：{exc.message_zh}", f"row {row}: {exc.message_en}") from None
    return len(items)


def _project_and_user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", default=None, metavar="CODE",
                        help="项目编号 / project code (default: the only one)")
    add_user(parser)


def parse_day(text: str | None, field: str) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise RegisterError(field, text, f"日期“{text}”无效，应为 YYYY-MM-DD", f"the date '{text}' is not valid (YYYY-MM-DD)") from None


def parse_yuan(text: str) -> int:
    """'1,680.00' -> 168000 fen; more than two decimals or not a number is refused."""
    from ..batch.cells import parse_cents

    fen, rounded, bad = parse_cents(text)
    if bad or rounded:
        raise RegisterError("amount", text, f"金额“{text}”无效（元，最多两位小数）",
                            f"the amount '{text}' is not valid (yuan, at most two decimals)")
    return fen


@command
def run_flats_import(args: argparse.Namespace) -> int:
    from .db import transaction
    from .flats import import_flats
    from .flats_file import FlatsFileError, read_flats

    engine = open_register(args)
    with transaction(engine) as session:
        project, loaded = project_and_policy(session, args.project)
        try:
            rows, errors = read_flats(args.file, loaded.rules)
        except FlatsFileError as exc:
            raise RegisterError("file", args.file, exc.message_zh, exc.message_en) from None
        if errors:
            for e in errors:
                print(f"{e.message_zh} / {e.message_en}", file=sys.stderr)
            print(f"{len(errors)} 处错误，未导入任何房屋 / {len(errors)} problems: no flat was imported", file=sys.stderr)
            session.rollback()
            return EXIT_SOME_REJECTED
        count = import_flats(session, project.id, rows, args.user)
    print(f"已导入房屋 {count} 套 / {count} flats imported")
    return EXIT_OK


@command
def run_draw(args: argparse.Namespace) -> int:
    from .db import transaction
    from .order import run_draw as draw

    engine = open_register(args)
    with transaction(engine) as session:
        project, _ = project_and_policy(session, args.project)
        record = draw(session, project.id, args.seed, args.user)
    last = record.first_order_no + record.households - 1
    print(f"抽签完成：{record.households} 户，顺序号 {record.first_order_no}–{last} / drawn: {record.households} households, "
          f"numbers {record.first_order_no}–{last}")
    print(f"种子 / seed: {record.seed}\n名单指纹 / list sha256: {record.list_sha256}")
    return EXIT_OK


@command
def run_order(args: argparse.Namespace) -> int:
    from .db import transaction
    from .order import run_by_signing

    engine = open_register(args)
    with transaction(engine) as session:
        project, _ = project_and_policy(session, args.project)
        first, count = run_by_signing(session, project.id, args.user)
    print(f"按签约时间排序：{count} 户，顺序号 {first}–{first + count - 1} / ordered by signing time: {count} households, "
          f"numbers {first}–{first + count - 1}")
    return EXIT_OK


@command
def run_allocate(args: argparse.Namespace) -> int:
    from .db import transaction
    from .flats import allocate

    items = requests(args, ("household", "flat"))
    engine = open_register(args)
    with transaction(engine) as session:
        project, loaded = project_and_policy(session, args.project)
        count = each_row(items, lambda v: allocate(session, project.id, v["household"], v["flat"], args.user,
                                                   loaded.rules, args.out_of_turn))
    print(f"已分配 {count} 户 / allocated: {count}" if args.file else f"已分配 / allocated: {args.household} → {args.flat}")
    return EXIT_OK


@command
def run_receive(args: argparse.Namespace) -> int:
    from .db import transaction
    from .ledger import open_accounts, receive, yuan

    items = requests(args, ("household", "receipt", "amount", "date"))
    engine = open_register(args)
    total = [0]

    def one(v: dict[str, str]) -> None:
        fen = parse_yuan(v["amount"])
        receive(session, project.id, household_no=v["household"], receipt_no=v["receipt"],
                received_on=parse_day(v["date"], "date"), amount_fen=fen, clerk=args.user)
        total[0] += fen

    with transaction(engine) as session:
        project, _ = project_and_policy(session, args.project)
        open_accounts(session, project.id, args.user)
        count = each_row(items, one)
    print(f"已登记收款 {count} 笔，共 {yuan(total[0])} 元 / recorded {count} receipts, {yuan(total[0])} yuan")
    return EXIT_OK


@command
def run_pay(args: argparse.Namespace) -> int:
    from .db import transaction
    from .ledger import open_accounts, pay, yuan

    items = requests(args, ("household", "voucher", "amount", "date"))
    engine = open_register(args)
    total = [0]

    def one(v: dict[str, str]) -> None:
        fen = parse_yuan(v["amount"])
        pay(session, project.id, household_no=v["household"], voucher_no=v["voucher"],
            paid_on=parse_day(v["date"], "date"), amount_fen=fen, clerk=args.user)
        total[0] += fen

    with transaction(engine) as session:
        project, _ = project_and_policy(session, args.project)
        open_accounts(session, project.id, args.user)
        count = each_row(items, one)
    print(f"已登记付款 {count} 笔，共 {yuan(total[0])} 元 / recorded {count} payouts, {yuan(total[0])} yuan")
    return EXIT_OK


@command
def run_move_in(args: argparse.Namespace) -> int:
    from .db import transaction
    from .ledger import move_in, open_accounts

    items = requests(args, ("household", "date"))
    engine = open_register(args)
    with transaction(engine) as session:
        project, _ = project_and_policy(session, args.project)
        open_accounts(session, project.id, args.user)
        count = each_row(items, lambda v: move_in(session, project.id, household_no=v["household"],
                                                  moved_in_on=parse_day(v["date"], "date"), user=args.user))
    print(f"已登记入住 {count} 户 / moved in: {count}")
    return EXIT_OK


@command
def run_account(args: argparse.Namespace) -> int:
    from .db import reading
    from .household_file import account_text
    from .ledger import account, household_by_no

    as_of = parse_day(args.as_of, "as_of")
    engine = open_register(args)
    open_pending_accounts(engine, args.project)
    with reading(engine) as session:
        project, _ = project_and_policy(session, args.project)
        household = household_by_no(session, project.id, args.household)
        data = account(session, household, as_of)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(account_text(data))
    return EXIT_OK



@command
def run_report(args: argparse.Namespace) -> int:
    from ..batch.output import OutputRefused, check_output
    from . import report_queries as queries
    from . import reports
    from .db import reading

    as_of = parse_day(args.as_of, "as_of")
    try:
        check_output(args.output)
    except OutputRefused as exc:
        raise RegisterError("output", args.output, exc.message_zh, exc.message_en) from None
    engine = open_register(args)
    if args.which in ("progress", "funds", "overdue"):
        open_pending_accounts(engine, args.project)
    with reading(engine) as session:
        project, loaded = project_and_policy(session, args.project)
        report = {
            "progress": lambda: queries.progress(session, project.id, as_of),
            "funds": lambda: queries.funds(session, project.id, as_of),
            "overdue": lambda: queries.overdue(session, project.id, as_of),
            "flats": lambda: queries.flats(session, project.id, loaded.rules),
            "public": lambda: queries.public(session, project.id),
        }[args.which]()
    try:
        if args.format == "json":
            reports.write_json(report, args.output)
        else:
            reports.write_xlsx(report, args.output, args.lang)
    except OutputRefused as exc:
        raise RegisterError("output", args.output, exc.message_zh, exc.message_en) from None
    print(f"已写出 / written: {args.output} ({len(report.rows)} 行 / rows)")
    return EXIT_OK
