"""Writing an output safely: never over an input, into a folder that exists, through a temp file renamed once complete."""
from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from pathlib import Path

from ..interrupts import deferred, raise_if_stopped


class OutputRefused(Exception):
    """An output that cannot or must not be written: says why in both languages."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.message_zh, self.message_en = message_zh, message_en


def _same(a: Path, b: Path) -> bool:
    """The same file: one resolved path, or (both existing) one inode, which catches hard links."""
    if a.resolve() == b.resolve():
        return True
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)
    return False


def check_output(output, inputs=(), *, folder: bool = False) -> None:
    """Refuse (OutputRefused) an output that is one of the inputs, or whose folder does not exist.

    Every command behaves alike: the output (a file, or for `statements` a folder) is created, but the folder it
    goes in must exist; a typo in a path is then an error, not a new tree of folders."""
    out = Path(output)
    for given in inputs:
        if given is not None and Path(given).exists() and _same(Path(given), out):
            raise OutputRefused(f"输出文件就是输入文件 {given}，会覆盖它；请换一个输出文件名",
                                f"the output is the input file {given} and would overwrite it; choose another output name")
    parent = out.parent
    if not parent.is_dir():
        if parent.exists():
            raise OutputRefused(f"输出位置 {parent} 不是文件夹", f"{parent} is not a folder, so nothing can be written in it")
        raise OutputRefused(f"输出目录不存在：{parent}", f"the output folder does not exist: {parent}")
    if out.is_dir() and not folder:
        raise OutputRefused(f"输出路径是一个文件夹：{out}", f"the output is a folder: {out}")
    if out.exists() and not out.is_dir() and folder:
        raise OutputRefused(f"输出路径是一个文件而不是文件夹：{out}", f"the output is a file, not a folder: {out}")


_REASONS = {
    errno.ENOSPC: ("磁盘空间不足", "the disk is full"),
    errno.EDQUOT: ("磁盘配额已满", "the disk quota is used up"),
    errno.EACCES: ("没有写入权限", "no permission to write there"),
    errno.EPERM: ("没有写入权限", "no permission to write there"),
    errno.EROFS: ("只读文件系统", "the file system is read-only"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "part of the path is not a folder"),
    errno.ENOENT: ("输出目录不存在", "the output folder does not exist"),
    errno.EISDIR: ("输出路径是一个文件夹", "the output is a folder"),
    errno.ENAMETOOLONG: ("文件名过长", "the file name is too long"),
    errno.EFBIG: ("文件过大", "the file is too large for that file system"),
}


def write_refused(path, exc: OSError) -> OutputRefused:
    """A file-system error while writing `path`, in words (never the temp file's name or a Python repr)."""
    zh, en = _REASONS.get(exc.errno, ("系统拒绝写入", f"the system refused: {exc.strerror or 'error ' + str(exc.errno)}"))
    return OutputRefused(f"无法写入 {path}：{zh}", f"cannot write {path}: {en}")


@contextlib.contextmanager
def open_output(path_or_buffer):
    """Yield a binary file to write. For a path, a failed or interrupted write leaves no file (and an older one
    untouched); a file-system error is raised as OutputRefused."""
    if hasattr(path_or_buffer, "write"):
        yield path_or_buffer
        return
    target = Path(path_or_buffer)
    temp = None
    try:
        while True:
            temp = temp_name(target)  # named before it is made: a stop signal at any moment finds it to remove
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
                break
            except FileExistsError:  # someone else's file by that name (64 random bits): draw another
                temp = None
        with os.fdopen(fd, "wb") as out:
            yield out
        raise_if_stopped()
        os.replace(temp, target)
    except BaseException as exc:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if isinstance(exc, OSError):
            raise write_refused(target, exc) from None
        raise


def write_file(path, data: bytes) -> None:
    """Write bytes to `path` atomically (OutputRefused on a file-system error)."""
    with open_output(path) as out:
        out.write(data)


@contextlib.contextmanager
def staged_folder(target):
    """Yield a hidden temp folder beside `target`; once the block completes, its files move into `target` (created if
    missing). A failed or interrupted run leaves `target` as it was and no temp folder."""
    target = Path(target)
    staging = None
    try:
        while True:
            staging = temp_name(target)  # named before it is made, as in open_output
            try:
                os.mkdir(staging, 0o777)
                break
            except FileExistsError:
                staging = None
        yield staging
        raise_if_stopped()
        with deferred():  # all the files move, or (before this) none
            for item in staging.iterdir():
                os.chmod(item, 0o666 & ~_umask())
            if not target.exists():
                os.rename(staging, target)
                return
            for item in staging.iterdir():
                os.replace(item, target / item.name)
            staging.rmdir()
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise write_refused(target, exc) from None
        raise


def temp_name(target: Path) -> Path:
    """A hidden name beside `target` for its temp file or folder. The caller holds the name before it makes the
    file: Python may run a signal handler between a call's return and the assignment of its result, and a signal
    mask does not hold it off (the mask is the calling thread's; a pool thread of pyarrow may take the signal)."""
    return (target.parent if str(target.parent) else Path(".")) / f".{target.name[:80]}.{secrets.token_hex(8)}.part"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
