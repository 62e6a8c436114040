"""When a source file last changed: how sitegen tells a file it read before from an edited one."""

from __future__ import annotations

import os


def changed_ns(stat: os.stat_result) -> int:
    """The file's change time (ctime) in nanoseconds. Every write moves it, and so does setting
    the modification time, which no tool can do to the change time: the modification time
    alone missed an edit of the same size whose time was set back to the one read before (a
    ``git stash`` then ``touch -d``, a tool that gives every file one time), and the old text,
    photo or template stayed published, also through ``--clean``. A copy of the site (``cp -a``,
    a clone) has new change times, so its first build reads every file again. Windows keeps
    no change time (its st_ctime is when the file was made): there, the modification time."""
    return stat.st_mtime_ns if os.name == "nt" else stat.st_ctime_ns
