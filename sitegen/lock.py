"""One build at a time per site: an advisory lock on a file in ``.sitegen-cache/``; and
per output folder, for sites that share one (``output_lock``).

A second ``sitegen build`` (a scheduled one while someone builds by hand, say) or a
``serve``/``watch`` rebuild waits for the first, saying so once, and gives up with a clear
message (exit 2) if the other build holds the lock longer than ``wait`` seconds. The lock
is the kernel's (``flock``): a build that is killed releases it as it dies, so no stale
lock file ever has to be removed by hand.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sitegen import oserrors
from sitegen.errors import Diagnostic, UsageError
from sitegen.messages import _

LOCK_NAME = "build.lock"
DEFAULT_WAIT = 600.0  # seconds: a cold build of a large site takes minutes


def _say(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)


@contextmanager
def build_lock(folder: Path, wait: float = DEFAULT_WAIT, say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the build lock of the site whose cache is ``folder``. Where no lock file can be
    made there (a read-only or full disk), the site folder itself is locked: as exclusive,
    only without the other build's process number to show."""
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError:
        try:
            fd = os.open(folder.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as exc:
            raise UsageError([Diagnostic(str(path), None, _("cannot create the build lock: {problem}").format(
                problem=oserrors.words(exc, lower=False)),
                hint=_("make the site folder writable, or delete the file if it is a link"))]) from None
    try:
        if not _try(fd):
            holder = _holder(fd)
            if holder != _(" (process {pid})").format(pid=os.getpid()):  # not serve's own search index
                say(_("waiting for another sitegen build of this site{holder} to finish ...").format(holder=holder))
            _wait(fd, time.monotonic() + wait, Diagnostic(str(path), None, _(
                "another sitegen build of this site{holder} is still running").format(holder=holder),
                hint=_("wait for it to finish, then build again")))
        with contextlib.suppress(OSError):  # only shown to a build that waits; a full disk may refuse it
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def busy(folder: Path) -> bool:
    """Whether another process holds the build lock of the site whose cache is ``folder``
    now: the nothing-changed shortcut, which takes no lock, then leaves the answer to the
    build, which waits for it (the running build may change what the shortcut would read)."""
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False  # no lock file: no build has held it, or it cannot be made (build_lock says)
    try:
        if not _try(fd):
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@contextmanager
def output_lock(folder: Path, wait: float = DEFAULT_WAIT, say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the output folder ``folder`` against builds of other sites into it (two sites
    configured with one output, say): the site's own lock cannot see those, and one of them
    could otherwise link the other's files into its next generation. The lock is the kernel's,
    on the folder itself; a build that waited takes it again when a swap meanwhile put another
    folder at that path. Nothing to hold where there is no folder yet (a first build)."""
    deadline: float | None = None
    while True:
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            fd = -1
            break
        try:
            if not _try(fd):
                if deadline is None:
                    say(_("waiting for another sitegen build into {output} to finish ...").format(output=folder))
                    deadline = time.monotonic() + wait
                _wait(fd, deadline, Diagnostic(str(folder), None, _(
                    "another sitegen build into this folder is still running"),
                    hint=_("wait for it to finish, then build again")))
            if _still_at(fd, folder):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # swapped out while this one waited: hold the folder now at that path
    try:
        yield
    finally:
        if fd >= 0:
            os.close(fd)  # releases the lock


@contextmanager
def home_lock(home: Path, output: Path, wait: float = DEFAULT_WAIT, say: Callable[[str], None] = _say
              ) -> Iterator[None]:
    """Hold sitegen's own folder for the output ``output`` (generations.Slots.home, made here):
    where it is kept beside the output, builds of two sites into that output share it, and
    two first builds have no output folder to hold (output_lock) while they fill it."""
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        if not _try(fd):
            say(_("waiting for another sitegen build into {output} to finish ...").format(output=output))
            _wait(fd, time.monotonic() + wait, Diagnostic(str(output), None, _(
                "another sitegen build into this folder is still running"),
                hint=_("wait for it to finish, then build again")))
        yield
    finally:
        os.close(fd)  # releases the lock


def _wait(fd: int, deadline: float, refused: Diagnostic) -> None:
    """Take the lock on ``fd`` once the build holding it lets go; ``refused`` if it still
    holds it at ``deadline``."""
    while not _try(fd):
        if time.monotonic() >= deadline:
            raise UsageError([refused])
        time.sleep(0.1)


def _still_at(fd: int, folder: Path) -> bool:
    try:
        there = os.lstat(folder)
    except OSError:
        return True  # gone: the build says what is wrong with the output folder
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _try(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    try:
        pid = int(os.pread(fd, 32, 0).decode().strip() or "0")
    except (OSError, ValueError):
        return ""
    return _(" (process {pid})").format(pid=pid) if pid > 0 else ""
