"""Writing a new file with plain system calls.

A first build writes one file per output and the search index one per page: a buffered
file object around each costs more Python time than the writing, and resolving each path
to check it stays in its folder costs a system call per folder above it.
"""

from __future__ import annotations

import os

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def write_new(path: str, data: bytes) -> os.stat_result:
    """Create ``path`` (which must not exist, nor be a link) holding ``data``; its stat."""
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)
