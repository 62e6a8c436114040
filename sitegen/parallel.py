"""Worker processes for the two CPU-bound stages: Markdown conversion and rendering."""

from __future__ import annotations

import signal
from multiprocessing import get_context
from multiprocessing.pool import Pool


def _ignore_interrupt() -> None:
    # Ctrl-C is the parent's to handle: it stops the pool; workers must not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def fork_pool(jobs: int) -> Pool:
    """Forked workers inherit the parsed site and outputs instead of receiving them pickled."""
    return get_context("fork").Pool(jobs, initializer=_ignore_interrupt)
