"""Settle an uploaded survey in a worker process with a memory cap, so a file that crashes the reader cannot take the server down."""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import resource

from calculator.batch import SurveyFileError

# Address space of the worker: a 50 MB upload (the server's limit) is far inside it; a reader that asks for more
# gets MemoryError, or dies alone.
MEMORY_LIMIT = 6 << 30
PRELOAD = ["calculator.batch.survey"]  # imported once by the fork server: each worker then starts in milliseconds


def _cap(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _call(fn, args, kwargs):
    """In the worker: the result, or the file error's two messages; nothing unpicklable crosses back."""
    try:
        return "ok", fn(*args, **kwargs)
    except SurveyFileError as exc:
        return "file", (exc.message_zh, exc.message_en)
    except MemoryError:
        return "memory", None
    except Exception as exc:  # a reader's own error on a file it did not foresee
        return "error", type(exc).__name__


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def run_isolated(fn, *args, memory_limit: int = MEMORY_LIMIT, **kwargs):
    """fn(*args, **kwargs) in a fresh worker process under `memory_limit` bytes of address space. A file error,
    a memory error or the worker's death (a signal, an abort) comes back as SurveyFileError with zh/en text."""
    with cf.ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=_cap,
                                initargs=(memory_limit,)) as pool:
        try:
            status, value = pool.submit(_call, fn, args, kwargs).result()
        except cf.process.BrokenProcessPool:
            raise SurveyFileError("读取该文件时读取程序异常终止（文件可能已损坏或过大），服务未受影响",
                                  "the reader stopped abnormally on this file (it may be damaged or too large); "
                                  "the app is unaffected") from None
    if status == "ok":
        return value
    if status == "file":
        raise SurveyFileError(*value)
    if status == "memory":
        gib = memory_limit / (1 << 30)
        raise SurveyFileError(f"读取该文件所需内存超过上限（{gib:g} GB），请拆分文件后重试",
                              f"reading this file needs more memory than allowed ({gib:g} GB); split the file and try again")
    raise SurveyFileError(f"无法读取该文件（{value}）", f"the file cannot be read ({value})")
