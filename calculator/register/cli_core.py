"""The register's core commands: init, upgrade, user, project, import, offer, sign, cancel, show, verify, backup, restore."""
from __future__ import annotations

import argparse

from .cli import EXIT_OK, command, open_register


def add_commands(sub) -> None:
    init = sub.add_parser("init", help="建立登记簿 / create the register (tables at the newest revision)",
                          description="建立空的登记簿（已建立则升级到最新结构）。"
                                      " Create an empty register (an existing one is brought up to date).")
    init.set_defaults(func=run_init)
    upgrade = sub.add_parser("upgrade", help="升级登记簿结构 / bring the register's tables up to date")
    upgrade.set_defaults(func=run_upgrade)

    user = sub.add_parser("user", help="登记簿用户 / register users")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    user_add = user_sub.add_parser("add", help="添加用户 / add a user",
                                   description="添加用户及其角色。第一个用户须为主管，可不带 --user；之后只有主管能添加用户。"
                                               " Add a user with a role. The first user must be a supervisor and needs no"
                                               " --user; after that only a supervisor adds users.")
    user_add.add_argument("name", metavar="NAME", help="用户名 / user name")
    user_add.add_argument("--role", required=True, choices=("clerk", "supervisor", "auditor"),
                          help="角色 / role: clerk 经办人, supervisor 主管, auditor 审计员")
    user_add.add_argument("--user", default=None, metavar="NAME", help="操作的主管 / the supervisor adding them")
    user_add.set_defaults(func=run_user_add)


@command
def run_init(args: argparse.Namespace) -> int:
    from .db import DEFAULT_URL, database_url
    from .migrate import upgrade

    # The default file's folder (data/) is made if missing; a folder named in a URL must exist (a typo is an error).
    engine = open_register(args, create_folder=database_url(args.db) == DEFAULT_URL, current=False)
    before, after = upgrade(engine)
    url = engine.url.render_as_string(hide_password=True)
    if before is None:
        print(f"已建立登记簿 / register created: {url}  (revision {after})")
    elif before == after:
        print(f"登记簿已是最新结构 / the register is up to date: {url}  (revision {after})")
    else:
        print(f"登记簿已升级 / register upgraded: {before} → {after}  {url}")
    return EXIT_OK


@command
def run_upgrade(args: argparse.Namespace) -> int:
    from .errors import RegisterError
    from .migrate import current_revision, upgrade

    engine = open_register(args, current=False)
    if current_revision(engine) is None:
        raise RegisterError("database", engine.url.render_as_string(hide_password=True),
                            "登记簿尚未建立：请先运行 register init", "the register has not been created: run `register init` first")
    before, after = upgrade(engine)
    if before == after:
        print(f"登记簿已是最新结构 / the register is up to date (revision {after})")
    else:
        print(f"登记簿已升级 / register upgraded: {before} → {after}")
    return EXIT_OK


@command
def run_user_add(args: argparse.Namespace) -> int:
    from .db import transaction
    from .users import add_user as add

    engine = open_register(args)
    with transaction(engine) as session:
        user = add(session, name=args.name, role=args.role, by=args.user or args.name)
    print(f"已添加用户 / user added: {user.name} ({user.role})")
    return EXIT_OK
