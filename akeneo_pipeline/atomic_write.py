"""Write a file so that readers see the old one or the whole new one, never half.

Parquet parts, picklist feed files and the App token file all land this way: a
hidden temporary name beside the target, fsync, rename over the target, then an
fsync of the directory so the rename itself survives a power cut.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from secrets import token_hex
from typing import BinaryIO


@contextmanager
def atomic_write(target: Path, mode: int | None = None) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `target` when the block ends without error.

    `mode` sets the file's permissions exactly (0o600 for a secret); None leaves them
    to the umask. The temporary file is never a symlink followed into another place.
    """
    tmp = target.parent / f".{target.name}.{token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as sink:
            if mode is not None:
                os.fchmod(sink.fileno(), mode)  # the umask may have narrowed or widened it
            yield sink
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # not every platform can open a directory
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
