"""`python -m calculator register …`: the register's commands, gathered from command modules (each has add_commands)."""
from __future__ import annotations

import argparse
import functools
import importlib
import sys

from .errors import RegisterError

EXIT_OK, EXIT_REFUSED, EXIT_SOME_REJECTED = 0, 2, 3

# Modules that add register subcommands: each defines add_commands(subparsers).
COMMAND_MODULES = [
    "calculator.register.cli_core",
    "calculator.register.cli_ledger",
    "calculator.register.cli_users",
]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "register", help="安置登记簿（一户一档）/ the household register",
        description="一户一档登记簿：住户、方案、协议与操作日志，默认 SQLite 文件，也可用 PostgreSQL。"
                    " The household register: households, offers, agreements and the operator log, in SQLite by"
                    " default or PostgreSQL. Exit 0: done; 2: refused (nothing written); 3: some rows rejected.")
    parser.add_argument("--db", metavar="URL", default=None,
                        help="数据库地址 / database URL (default $ANZHI_DATABASE_URL, else sqlite:///data/anzhi.db)")
    sub = parser.add_subparsers(dest="register_command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)


def add_user(parser: argparse.ArgumentParser) -> None:
    """The --user option every command that changes the register takes."""
    parser.add_argument("--user", required=True, metavar="NAME", help="操作人（登记簿中的用户）/ who does this (a register user)")


def print_refusal(error: RegisterError) -> None:
    print(f"错误 / error: {error.message_zh} / {error.message_en}", file=sys.stderr)
    print("未写入任何内容 / nothing was written", file=sys.stderr)


def command(func):
    """Wrap a command: a RegisterError or an unreachable database prints both languages and exits 2."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        from sqlalchemy.exc import IntegrityError, OperationalError  # loaded when a command runs, not for --help

        try:
            return int(func(args) or 0)
        except RegisterError as exc:
            print_refusal(exc)
            return EXIT_REFUSED
        except IntegrityError:  # the database's own guard (a unique number, one agreement in force) caught a race
            print_refusal(RegisterError("database", "", "与另一位经办人同时修改了同一记录，本次未写入，请重试",
                                        "another clerk changed the same record at the same moment; nothing was "
                                        "written, try again"))
            return EXIT_REFUSED
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else "unknown"
            print_refusal(RegisterError("database", "", f"无法使用数据库：{reason}", f"cannot use the database: {reason}"))
            return EXIT_REFUSED

    return run


def open_register(args: argparse.Namespace, *, create_folder: bool = False, current: bool = True):
    """The engine of the register named by --db (or the environment); by default refused unless it is up to date."""
    from .db import make_engine
    from .migrate import require_current

    engine = make_engine(getattr(args, "db", None), create_folder=create_folder)
    if current:
        require_current(engine)
    return engine
