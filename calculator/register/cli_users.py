"""The register's commands for people: users (add, list, disable, enable, reset) and residents' access codes.

The command line trusts whoever can run it on the register (the database file, or the PostgreSQL account): --user
names who acts, for the log and the role checks. Passwords guard the app, where anyone on the network can knock."""
from __future__ import annotations

import argparse
import sys

from .cli import EXIT_OK, add_user, command, open_register
from .errors import RegisterError

ROLE_HELP = "角色 / role: clerk 经办人, supervisor 主管, auditor 审计员"


def add_commands(sub) -> None:
    user = sub.add_parser("user", help="登记簿用户 / register users")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_sub.add_parser("add", help="添加用户 / add a user",
                              description="添加用户及其角色和密码（输入两次，不回显；脚本可用 --password-stdin）。"
                                          "第一个用户须为主管，可不带 --user；之后只有主管能添加用户。"
                                          " Add a user with a role and a password (typed twice, not shown; scripts use"
                                          " --password-stdin). The first user must be a supervisor and needs no --user;"
                                          " after that only a supervisor adds users.")
    add.add_argument("name", metavar="NAME", help="用户名 / user name")
    add.add_argument("--role", required=True, choices=("clerk", "supervisor", "auditor"), help=ROLE_HELP)
    add.add_argument("--user", default=None, metavar="NAME", help="操作的主管 / the supervisor adding them")
    _password_stdin(add)
    add.set_defaults(func=run_user_add)

    listing = user_sub.add_parser("list", help="列出用户 / list the users",
                                  description="用户名、角色、状态（正常、停用、锁定至）、最近登录。"
                                              " Name, role, state (active, disabled, locked until) and last login.")
    listing.set_defaults(func=run_user_list)

    for action, zh, en, func in (("disable", "停用用户（不能再登录或操作）", "disable a user (no more logins or actions)",
                                  run_user_disable),
                                 ("enable", "恢复已停用的用户", "enable a disabled user again", run_user_enable)):
        cmd = user_sub.add_parser(action, help=f"{zh} / {en}", description=f"{zh}。需主管。 {en.capitalize()}. "
                                                                         "Needs a supervisor.")
        cmd.add_argument("name", metavar="NAME", help="用户名 / user name")
        add_user(cmd)
        cmd.set_defaults(func=func)

    reset = user_sub.add_parser("reset", help="重设密码并解锁 / set a new password and unlock",
                                description="为用户设置新密码（输入两次），并解除锁定；该用户在网页上的登录随即失效。需主管。"
                                            " Set a new password (typed twice) and lift a lock-out; the user's sessions"
                                            " in the app end. Needs a supervisor.")
    reset.add_argument("name", metavar="NAME", help="用户名 / user name")
    add_user(reset)
    _password_stdin(reset)
    reset.set_defaults(func=run_user_reset)

    code = sub.add_parser("access-code", help="发放住户查询访问码 / issue a resident's access code",
                          description="为住户生成新的随机访问码（旧码随即失效），只显示这一次，登记簿只保存其哈希。"
                                      "可用 -o 写出交给住户的访问码通知单PDF，与结算单一并交付。需经办人或主管。"
                                      " Issue a household a new random access code (the old one stops working), shown"
                                      " this once; the register keeps only its hash. -o writes the one-page slip to hand"
                                      " the resident with their statement. Needs a clerk or supervisor.")
    code.add_argument("household", metavar="HOUSEHOLD", help="户号 / household number")
    code.add_argument("-o", "--output", default=None, metavar="FILE", help="访问码通知单 / the slip, .pdf")
    code.add_argument("--lang", choices=("zh", "en"), default="zh", help="通知单语言 / the slip's language (default zh)")
    code.add_argument("--login-url", default=None, metavar="URL",
                      help="住户登录的网址，印在通知单上 / the app's address, printed on the slip")
    code.add_argument("--project", default=None, metavar="CODE", help="项目编号 / project code (default: the only one)")
    add_user(code)
    code.set_defaults(func=run_access_code)


def _password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true",
                        help="从标准输入读取密码（一行）/ read the password from standard input (one line)")


def read_password(args: argparse.Namespace) -> str:
    """The new password: one line of stdin with --password-stdin, else typed twice without echo."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("新密码 / new password: ")
    if getpass.getpass("再输一次 / once more: ") != first:
        raise RegisterError("password", "", "两次输入的密码不一致，未作更改", "the two passwords differ; nothing was changed")
    return first


@command
def run_user_add(args: argparse.Namespace) -> int:
    from .db import transaction
    from .users import add_user as add

    engine = open_register(args)
    password = read_password(args)
    with transaction(engine) as session:
        user = add(session, name=args.name, role=args.role, by=args.user or args.name, password=password)
    print(f"已添加用户 / user added: {user.name} ({user.role})")
    return EXIT_OK


@command
def run_user_list(args: argparse.Namespace) -> int:
    from .db import reading
    from .rights import ROLE_LABELS
    from .users import list_users

    with reading(open_register(args)) as session:
        rows = list_users(session)
    print("用户 / user\t角色 / role\t状态 / state\t最近登录 / last login (UTC)")
    for u in rows:
        if u.disabled:
            state = "停用 / disabled"
        elif u.locked_until is not None:
            state = f"锁定至 / locked until {u.locked_until:%Y-%m-%d %H:%M}"
        elif not u.password_set:
            state = "未设密码 / no password"
        else:
            state = "正常 / active"
        last = f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "—"
        print(f"{u.name}\t{ROLE_LABELS.get(u.role, u.role)} {u.role}\t{state}\t{last}")
    return EXIT_OK


@command
def run_user_disable(args: argparse.Namespace) -> int:
    from .db import transaction
    from .users import disable

    with transaction(open_register(args)) as session:
        disable(session, args.name, args.user)
    print(f"已停用 / disabled: {args.name}")
    return EXIT_OK


@command
def run_user_enable(args: argparse.Namespace) -> int:
    from .db import transaction
    from .users import enable

    with transaction(open_register(args)) as session:
        enable(session, args.name, args.user)
    print(f"已恢复 / enabled: {args.name}")
    return EXIT_OK


@command
def run_user_reset(args: argparse.Namespace) -> int:
    from .db import transaction
    from .users import reset_password

    engine = open_register(args)
    password = read_password(args)
    with transaction(engine) as session:
        reset_password(session, args.name, password, args.user)
    print(f"已重设密码并解锁 / new password set, unlocked: {args.name}")
    return EXIT_OK


@command
def run_access_code(args: argparse.Namespace) -> int:
    from ..batch.output import OutputRefused, check_output, write_file
    from . import access_codes
    from .access_slip import household_slip
    from .agreements import household
    from .db import transaction
    from .projects import get_project
    from .rights import require

    engine = open_register(args)
    try:
        if args.output:
            check_output(args.output)
        with transaction(engine) as session:
            require(session, args.user, "access_code.issue")
            project = get_project(session, args.project)
            h = household(session, project, args.household)
            code = access_codes.issue(session, h, args.user)
            if args.output:  # written before the code is committed: no slip, no new code
                write_file(args.output, household_slip(session, project, h, code, args.user, args.login_url, args.lang))
    except OutputRefused as exc:
        raise RegisterError("output", args.output, exc.message_zh, exc.message_en) from None
    print(f"户号 / household {args.household}  访问码 / access code:  {code}")
    print("只显示这一次，登记簿不保存访问码本身；此前的访问码已失效"
          " / shown this once, the register does not keep the code; any earlier code no longer works")
    if args.output:
        print(f"已写出访问码通知单 / slip written  {args.output}")
    return EXIT_OK
