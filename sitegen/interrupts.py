"""SIGTERM ended as Ctrl-C ends: a KeyboardInterrupt, so what a command started is stopped too.

Python's default for SIGTERM ends the process on the spot: the children it started (rsync
sending a release, a Pagefind run) went on alone, and serve and watch ended with no word.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def stop_as_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGINT raise KeyboardInterrupt in this process.

    SIGINT too: a process started in the background by a script inherits SIGINT ignored, and
    Python then leaves it so; it must still stop when it is sent one. A process forked inside
    the block (a build worker being stopped) takes the signal's default instead: it just ends.
    """
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    owner = os.getpid()

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, interrupt) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Held:
    """What :func:`held` saw: whether a stop was asked for while its block ran."""

    def __init__(self) -> None:
        self.asked = False


@contextmanager
def held() -> Iterator[Held]:
    """While the block runs, SIGINT and SIGTERM do not cut it short: they are noted in what
    it yields, for the caller to act on once the block is done. For a step that must not end
    half done and be said "stopped": the switch of a deploy's ``current``, after which the
    release is live whatever follows."""
    seen = Held()
    if threading.current_thread() is not threading.main_thread():
        yield seen
        return

    def note(signum: int, frame: FrameType | None) -> None:
        seen.asked = True

    previous = {signum: signal.signal(signum, note) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield seen
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
