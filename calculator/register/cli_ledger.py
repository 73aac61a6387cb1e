"""The register's ledger commands: flats import, draw, order, allocate, receive, move-in, account and the reports."""
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

    alloc = sub.add_parser("allocate", help="按顺序选房 / allocate a flat in moving order")
    alloc.add_argument("household", metavar="HOUSEHOLD", help="户号 / household number")
    alloc.add_argument("flat", metavar="FLAT", help="房屋（楼号-单元-房号）/ flat (building-unit-room)")
    alloc.add_argument("--out-of-turn", metavar="REASON", default=None,
                       help="越过顺序的理由（仅主管）/ reason for allocating out of turn (supervisor only)")
    _project_and_user(alloc)
    alloc.set_defaults(func=run_allocate)

    receive = sub.add_parser("receive", help="登记收款 / record a payment from a household")
    receive.add_argument("household", metavar="HOUSEHOLD", help="户号 / household number")
    receive.add_argument("--receipt", required=True, metavar="NO", help="收据号 / receipt number")
    receive.add_argument("--amount", required=True, metavar="YUAN", help="金额（元）/ amount in yuan, e.g. 1680.00")
    receive.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="收款日期 / date received")
    _project_and_user(receive)
    receive.set_defaults(func=run_receive)

    moving = sub.add_parser("move-in", help="登记入住 / record a move-in")
    moving.add_argument("household", metavar="HOUSEHOLD", help="户号 / household number")
    moving.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="入住日期 / move-in date")
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

    engine = open_register(args)
    with transaction(engine) as session:
        project, loaded = project_and_policy(session, args.project)
        allocate(session, project.id, args.household, args.flat, args.user, loaded.rules, args.out_of_turn)
    print(f"已分配 / allocated: {args.household} → {args.flat}")
    return EXIT_OK


@command
def run_receive(args: argparse.Namespace) -> int:
    from .db import transaction
    from .ledger import open_accounts, receive, yuan

    amount_fen = parse_yuan(args.amount)
    day = parse_day(args.date, "date")
    engine = open_register(args)
    with transaction(engine) as session:
        project, _ = project_and_policy(session, args.project)
        open_accounts(session, project.id, args.user)
        receipt = receive(session, project.id, household_no=args.household, receipt_no=args.receipt, received_on=day,
                          amount_fen=amount_fen, clerk=args.user)
    print(f"已登记收款 / recorded: {args.household} {receipt.receipt_no} {day} {yuan(amount_fen)}")
    return EXIT_OK


@command
def run_move_in(args: argparse.Namespace) -> int:
    from .db import transaction
    from .ledger import move_in, open_accounts

    day = parse_day(args.date, "date")
    engine = open_register(args)
    with transaction(engine) as session:
        project, _ = project_and_policy(session, args.project)
        open_accounts(session, project.id, args.user)
        move_in(session, project.id, household_no=args.household, moved_in_on=day, user=args.user)
    print(f"已登记入住 / moved in: {args.household} {day}")
    return EXIT_OK


@command
def run_account(args: argparse.Namespace) -> int:
    from .db import reading
    from .ledger import account, household_by_no, yuan

    as_of = parse_day(args.as_of, "as_of")
    engine = open_register(args)
    with reading(engine) as session:
        project, _ = project_and_policy(session, args.project)
        household = household_by_no(session, project.id, args.household)
        data = account(session, household, as_of)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return EXIT_OK
    for due in data["dues"]:
        print(f"{due['label']:<12} {due['due_on'] or '—':<10} {yuan(due['amount_fen']):>14}")
    for rec in data["receipts"]:
        print(f"收款 {rec['receipt_no']:<10} {rec['received_on']:<10} {yuan(rec['amount_fen']):>14}")
    print(f"欠款余额 / balance: {yuan(data['balance_fen'])}  逾期 / overdue: {yuan(data['overdue_fen'])}  "
          f"{data['status_label'] or ''}")
    if data["consequence"]:
        print(f"{data['consequence']['zh']} / {data['consequence']['en']}")
    return EXIT_OK


@command
def run_report(args: argparse.Namespace) -> int:
    from ..batch.output import OutputRefused, check_output
    from . import report_queries as queries
    from . import reports
    from .db import reading, transaction
    from .ledger import open_accounts

    as_of = parse_day(args.as_of, "as_of")
    try:
        check_output(args.output)
    except OutputRefused as exc:
        raise RegisterError("output", args.output, exc.message_zh, exc.message_en) from None
    engine = open_register(args)
    if args.which in ("progress", "funds", "overdue"):
        with transaction(engine) as session:  # accounts of agreements signed since the ledger was last used
            project, _ = project_and_policy(session, args.project)
            open_accounts(session, project.id, "register")
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
