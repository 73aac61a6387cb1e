"""Interrupts end a command cleanly: SIGINT, SIGTERM and SIGHUP become an exception the writers clean up after."""
from __future__ import annotations

import contextlib
import signal

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(BaseException):
    """A stop signal arrived. A BaseException, like KeyboardInterrupt, so no `except Exception` swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP


_stopped: list[int] = []  # the stop signals received in this block, even one whose exception Python lost


def _stop(signum, frame):
    _stopped.append(signum)
    # A second signal while the first is being cleaned up must not cut the clean-up short.
    for sig in SIGNALS:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_signals_raise():
    """Within the block, the stop signals raise Interrupted; the previous handlers come back after it."""
    previous = {}
    _stopped.clear()
    for sig in SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread (Python's rule), or no such signal here
            if signal.getsignal(sig) is signal.SIG_IGN:
                continue  # ignored by whoever started us (nohup, a background job): keep it so
            previous[sig] = signal.signal(sig, _stop)
    try:
        yield
    finally:
        _stopped.clear()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def raise_if_stopped() -> None:
    """Raise Interrupted if a stop signal came whose exception was lost. Python cannot pass on an exception raised
    where it calls back into Python on its own (an at-fork hook while a worker process starts, a finalizer): it
    prints it as unraisable and goes on, with the stop signals already ignored. Called before an output is put in
    place, so a Ctrl-C at that moment still ends the run with nothing written."""
    if _stopped:
        raise Interrupted(_stopped[0])


def ignore_in_worker() -> None:
    """For worker processes: Ctrl-C and a hang-up reach the whole process group, but the parent alone handles them
    and shuts its workers down; SIGTERM, sent to one process, keeps its default (end at once)."""
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_DFL if sig == signal.SIGTERM else signal.SIG_IGN)


@contextlib.contextmanager
def deferred():
    """Stop signals wait until the block ends: for a step that must not be cut in two (create a temp file and note
    its name, so that the clean-up knows it)."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    except (AttributeError, ValueError, OSError):  # no pthread_sigmask on this system
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
