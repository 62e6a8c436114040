"""Worker processes for the two CPU-bound stages: Markdown conversion and rendering."""

from __future__ import annotations

import gc
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # multiprocessing is imported only by builds that fork
    from multiprocessing.pool import Pool


def _ignore_interrupt() -> None:
    # Ctrl-C is the parent's to handle: it stops the pool; workers must not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def fork_pool(jobs: int) -> Iterator[Pool]:
    """Forked workers inherit the parsed site and outputs instead of receiving them pickled.

    The inherited objects are frozen first: the garbage collector never scans frozen
    objects, so a worker's collections do not walk (and copy, page by page) the whole
    inherited site, which made large builds much slower. They are unfrozen afterwards so a
    long-running serve can still collect them.
    """
    from multiprocessing import get_context

    gc.freeze()
    try:
        with get_context("fork").Pool(jobs, initializer=_ignore_interrupt) as pool:
            yield pool
    finally:
        gc.unfreeze()
