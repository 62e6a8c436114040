"""Reading many small files at once, without waiting for the disk one file at a time.

A cold build reads every source. When they are not in the page cache (after a reboot,
or on a machine that drops its caches), each plain read waits for its own trip to the
disk. Telling the kernel which files come next (POSIX_FADV_WILLNEED) lets it fetch them
while the current one is read, several times faster, and no slower when they are cached
(figures in benchmarks/README.md).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence

#: Files asked for ahead of the one being read: far more than that buys nothing, and a
#: build must stay far below the process's limit of open files (often 1,024).
AHEAD = 64
_CHUNK = 1 << 20
_advise = getattr(os, "posix_fadvise", None)
_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_files(paths: Sequence[str]) -> list[bytes | OSError]:
    """Each file's bytes, in order, or the error that stopped it being read."""
    done: list[bytes | OSError] = []
    waiting: deque[int | OSError] = deque()
    upcoming = iter(paths)

    def ask_next() -> None:
        path = next(upcoming, None)
        if path is None:
            return
        try:
            fd = os.open(path, _FLAGS)
        except OSError as exc:
            waiting.append(exc)
            return
        if _advise is not None:
            try:
                _advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
            except OSError:
                pass  # only a hint: some file systems refuse it
        waiting.append(fd)

    try:
        for _ in range(AHEAD):
            ask_next()
        while waiting:
            item = waiting.popleft()
            ask_next()
            done.append(item if isinstance(item, OSError) else _read_fd(item))
    finally:
        for item in waiting:
            if isinstance(item, int):
                os.close(item)
    return done


def _read_fd(fd: int) -> bytes | OSError:
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:  # a folder named like a file, a disk error
        return exc
    finally:
        os.close(fd)
