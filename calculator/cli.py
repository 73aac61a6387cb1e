"""`python -m calculator`: the command line. Each subcommand lives in its own module with `register(subparsers)`."""
from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys

from . import interrupts

# Modules that add subcommands, and the commands each adds: each defines register(subparsers) and sets func(args)
# -> exit status. A command's own module is the only one loaded to run it (building every command's options took
# about 30 ms of each run, the register's most); `--help` and a command not known load them all.
COMMAND_MODULES = {
    "calculator.cli_quote": ("quote",),
    "calculator.cli_policy": ("policy",),
    "calculator.batch.cli": ("batch", "template"),
    "calculator.statements.cli": ("statement", "statements", "notice"),
    "calculator.cli_compare": ("compare",),
    "calculator.register.cli": ("register",),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command, or only `command`'s (and those its module adds with it)."""
    parser = argparse.ArgumentParser(
        prog="python -m calculator",
        description="棚户区改造回迁安置结算 / shantytown redevelopment relocation settlement calculator",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = [name for name, commands in COMMAND_MODULES.items() if command in commands] or list(COMMAND_MODULES)
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def _command(argv: list[str]) -> str | None:
    """The command named first on the line (the top level has no option but --help)."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def main(argv: list[str] | None = None) -> int:
    # pydantic looks for plugins among every installed package's entry points when it builds the first model (about
    # 20 ms of each command); anzhi uses none, so the CLI tells it not to look.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # numpy's BLAS starts a thread per core when it loads, which costs CPU (70 ms of a quote on two cores) and is
    # never used: anzhi's arithmetic is on integers, which BLAS does not do.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    try:
        with interrupts.stop_signals_raise():
            argv = sys.argv[1:] if argv is None else argv
            args = build_parser(_command(argv)).parse_args(argv)
            return int(args.func(args) or 0)
    except (KeyboardInterrupt, interrupts.Interrupted) as exc:
        stop = exc if isinstance(exc, interrupts.Interrupted) else interrupts.Interrupted(2)
        with contextlib.suppress(OSError, ValueError):  # after a hang-up the terminal may be gone
            print("已中断，没有留下写了一半的文件 / interrupted; no half-written file is left", file=sys.stderr)
        return stop.exit_status
