"""`python -m calculator`: the command line. Each subcommand lives in its own module with `register(subparsers)`."""
from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import select
import signal
import sys
from typing import NoReturn

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


# The status of a command whose reader stopped reading (`… | head`): as if SIGPIPE had ended it, the shell's 128 + 13.
EXIT_READER_GONE = 128 + getattr(signal, "SIGPIPE", 13)


def main(argv: list[str] | None = None, *, as_program: bool = False) -> int:
    """Run one command line; its exit status. `as_program` (`python -m calculator`): a command that leaves nothing
    open but its output (`quote`) ends the process at once when done, without Python's teardown."""
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
            ends_at_once = as_program and getattr(args, "leaves_nothing_open", False)
            if ends_at_once:
                # Such a command ends at once when done (exit_now), so the garbage collector is off: a quote's start-up
                # imports numpy, pydantic and the engine, some 60,000 objects it tracks that live to the end, which it
                # would otherwise go through again and again while they are made (about 10 ms) to find no garbage.
                gc.disable()
            status = int(args.func(args) or 0)
    except BrokenPipeError:
        if not _reader_gone():  # another pipe (a worker's, a connection's): a failure to report as such
            raise
        _drop_stdout()  # our reader went away (`… | head -1`): nothing more can reach it, and that is no error of ours
        return EXIT_READER_GONE
    except (KeyboardInterrupt, interrupts.Interrupted) as exc:
        stop = exc if isinstance(exc, interrupts.Interrupted) else interrupts.Interrupted(2)
        with contextlib.suppress(OSError, ValueError):  # after a hang-up the terminal may be gone
            print("已中断，没有留下写了一半的文件 / interrupted; no half-written file is left", file=sys.stderr)
        return stop.exit_status
    if ends_at_once:
        exit_now(status)
    return status


def _reader_gone() -> bool:
    """Whether standard output is a pipe whose reading end has been closed (the system marks it in error)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll() here, or standard output is no file
        return False


def _drop_stdout() -> None:
    """Point standard output at the null device, so Python's own flush at exit meets no broken pipe either."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def exit_now(status: int) -> NoReturn:
    """Flush standard output and error and end the process, skipping Python's teardown: freeing every imported
    module's objects one by one (about 25 ms after a quote, numpy's and pydantic's), which the operating system does
    at once. Only for a command that has nothing open but those two streams: no file, database or worker to close,
    and no exit handler that must run."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
        status = EXIT_READER_GONE
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status)
