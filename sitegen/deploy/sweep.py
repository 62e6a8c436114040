"""Removing set-aside releases of a ``file://`` target: at once, then in a process of its own.

``remove_now`` deletes what it can within ``NOW_SECONDS``: a release of a few thousand
files is gone when the deploy ends, so whoever looks at ``releases/`` then sees only the
releases kept. A large release takes far longer to delete than a deploy takes, so ``start``
hands the rest to a detached process and returns as soon as that runs on its own: it outlives
the command, a terminal closed meanwhile, and a Ctrl-C. A removal cut short (a reboot) leaves
a ``.pruned-<id>`` folder, which is no release, for the next deploy to remove.

Run as a script by path (``python sweep.py FOLDER NAME...``), it imports nothing of sitegen:
it starts at once, and each name is checked here again before anything is deleted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

#: ``layout.pruned_name``'s form, checked again by the process that deletes.
_NAME = re.compile(r"^\.pruned-\d{8}T\d{6}Z$")
#: How long the command waits for the sweeping process to detach before going on without it.
_DETACH_SECONDS = 10
#: How long a deploy spends removing set-aside releases itself (over OpenSSH too) before it
#: leaves the rest to the background.
NOW_SECONDS = 0.5


def remove_now(folder: Path, names: Sequence[str], seconds: float = NOW_SECONDS) -> list[str]:
    """Delete the set-aside folders ``names`` for up to ``seconds``; the names not (yet) gone.
    Nothing is deleted while an earlier removal holds the lock: that one goes on alone."""
    deadline = time.monotonic() + seconds
    left = [name for name in names if _NAME.match(name)]
    held = _lock(folder, wait=False)
    if held is None:
        return left
    try:
        while left and _remove_by(folder / left[0], deadline):
            left.pop(0)
    finally:
        if held >= 0:
            os.close(held)
    return left


def _remove_by(path: Path, deadline: float) -> bool:
    """Delete ``path`` (a symbolic link in it is deleted, never followed); False when the
    deadline came first or something could not be deleted."""
    try:
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
            return True
        for root, folders, files in os.walk(path, topdown=False):
            for name in files:
                os.unlink(os.path.join(root, name))
                if time.monotonic() > deadline:
                    return False
            for name in folders:
                inner = os.path.join(root, name)
                if os.path.islink(inner):
                    os.unlink(inner)
                else:
                    os.rmdir(inner)
        os.rmdir(path)
    except OSError:
        return False
    return True


def start(folder: Path, names: Sequence[str]) -> None:
    """Remove ``folder/<name>`` for each of ``names`` (set-aside releases) in the background."""
    if not names:
        return
    proc = subprocess.Popen([sys.executable, "-I", "-S", __file__, str(folder), *names],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        proc.wait(_DETACH_SECONDS)  # the child forks and exits: nothing is left to reap
    except subprocess.TimeoutExpired:
        pass  # a very slow machine: it goes on alone, or the next deploy removes what is left


def sweep(folder: Path, names: Sequence[str]) -> None:
    """Delete each set-aside folder; a symbolic link of that name is deleted, never followed."""
    for name in names:
        if not _NAME.match(name):
            continue
        path = folder / name
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _lock(folder: Path, wait: bool = True) -> int | None:
    """Two deploys' removals take turns rather than race through the same tree. The descriptor
    holding the lock (-1 where there are no locks), or None when it is held and ``wait`` is false."""
    try:
        import fcntl
    except ImportError:
        return -1
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return -1  # the removal itself will say what is wrong, or go ahead
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    except OSError:  # a share without locks (ENOLCK): remove without taking turns
        os.close(descriptor)
        return -1
    return descriptor  # held until it is closed, or this process exits


def main(argv: Sequence[str]) -> int:
    folder, names = Path(argv[0]), argv[1:]
    if os.fork() != 0:  # the parent returns to the command at once; the child goes on alone
        return 0
    os.nice(19)
    _lock(folder)
    sweep(folder, names)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
