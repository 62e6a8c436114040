"""How often the garbage collector runs in a process that builds sites."""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


def collect_rarely() -> None:
    """A build makes hundreds of thousands of long-lived objects (entries, outputs), and at
    the default thresholds the collector walks them again and again: in a one-shot build,
    and in serve and watch, after every rebuild. Rarer collections still free the young
    garbage; cycles are rare in what a build makes. The process's last collection is
    spared too (:func:`spare_the_last_collection`)."""
    gc.set_threshold(50_000, 20, 100)
    atexit.unregister(spare_the_last_collection)  # once, however many builds a process runs
    atexit.register(spare_the_last_collection)


@contextmanager
def kept_as_made() -> Iterator[None]:
    """No collection while the model and the outputs' plan are made, and what was made goes
    straight to the oldest generation. Nearly all of it lives to the end of the build, and
    each young collection would walk it once more; cyclic garbage made meanwhile (little:
    the model is built, not churned) waits for the next full collection instead."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # everything tracked moves to the permanent generation, without a walk,
        gc.unfreeze()  # and from there to the oldest one
        if enabled:
            gc.enable()


def spare_the_last_collection() -> None:
    """Run as the process ends (an exit handler, after the command has returned): the
    interpreter's last collection would walk every object the build made just before the
    operating system frees them all at once. Frozen objects are outside the collector's
    reach; garbage cycles among them are simply left to the operating system."""
    gc.freeze()
