"""Writing an output safely: to a temp file beside the target, renamed over it only once complete."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def open_output(path_or_buffer):
    """Yield a binary file to write. For a path, a failed write leaves no file (and an older one untouched)."""
    if hasattr(path_or_buffer, "write"):
        yield path_or_buffer
        return
    target = Path(path_or_buffer)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual permissions
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
