"""Writing an output safely: never over an input, into a folder that exists, through a temp file renamed once complete."""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path

from ..interrupts import deferred


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
        with deferred():  # a signal now would leave a temp file whose name we do not know yet
            fd, temp = tempfile.mkstemp(prefix=f".{target.name[:80]}.", suffix=".part", dir=target.parent or ".")
        with os.fdopen(fd, "wb") as out:
            yield out
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual permissions
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
        with deferred():
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name[:80]}.", suffix=".part", dir=target.parent or "."))
        yield staging
        with deferred():  # all the files move, or (before this) none
            os.chmod(staging, 0o777 & ~_umask())
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
