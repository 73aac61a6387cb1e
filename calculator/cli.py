"""`python -m calculator`: the command line. Each subcommand lives in its own module with `register(subparsers)`."""
from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys

from . import interrupts

# Modules that add a subcommand: each defines register(subparsers) and sets func(args) -> exit status.
COMMAND_MODULES = [
    "calculator.cli_quote",
    "calculator.cli_policy",
    "calculator.batch.cli",
    "calculator.statements.cli",
    "calculator.cli_compare",
    "calculator.register.cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calculator",
        description="棚户区改造回迁安置结算 / shantytown redevelopment relocation settlement calculator",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # pydantic looks for plugins among every installed package's entry points when it builds the first model (about
    # 20 ms of each command); anzhi uses none, so the CLI tells it not to look.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    try:
        with interrupts.stop_signals_raise():
            parser = build_parser()
            args = parser.parse_args(argv)
            return int(args.func(args) or 0)
    except (KeyboardInterrupt, interrupts.Interrupted) as exc:
        stop = exc if isinstance(exc, interrupts.Interrupted) else interrupts.Interrupted(2)
        with contextlib.suppress(OSError, ValueError):  # after a hang-up the terminal may be gone
            print("已中断，没有留下写了一半的文件 / interrupted; no half-written file is left", file=sys.stderr)
        return stop.exit_status
