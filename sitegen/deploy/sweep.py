"""Removing set-aside releases of a ``file://`` target in a process of its own.

A large release takes far longer to delete than a deploy takes, so ``start`` hands the
removal to a detached process and returns as soon as that runs on its own: it outlives the
command, a terminal closed meanwhile, and a Ctrl-C. A removal cut short (a reboot) leaves a
``.pruned-<id>`` folder, which is no release, for the next deploy to remove.

Run as a script by path (``python sweep.py FOLDER NAME...``), it imports nothing of sitegen:
it starts at once, and each name is checked here again before anything is deleted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

#: ``layout.pruned_name``'s form, checked again by the process that deletes.
_NAME = re.compile(r"^\.pruned-\d{8}T\d{6}Z$")
#: How long the command waits for the sweeping process to detach before going on without it.
_DETACH_SECONDS = 10


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


def _lock(folder: Path) -> None:
    """Two deploys' removals take turns rather than race through the same tree."""
    try:
        import fcntl
    except ImportError:
        return
    descriptor = os.open(folder, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)  # held until this process exits


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
