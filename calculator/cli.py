"""`python -m calculator`: the command line. Each subcommand lives in its own module with `register(subparsers)`."""
from __future__ import annotations

import argparse
import importlib
import sys

# Modules that add a subcommand: each defines register(subparsers) and sets func(args) -> exit status.
COMMAND_MODULES = [
    "calculator.cli_quote",
    "calculator.cli_policy",
    "calculator.batch.cli",
    "calculator.statements.cli",
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
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
