"""How often the garbage collector runs in a process that builds sites."""

from __future__ import annotations

import gc


def collect_rarely() -> None:
    """A build makes hundreds of thousands of long-lived objects (entries, outputs), and at
    the default thresholds the collector walks them again and again: in a one-shot build,
    and in serve and watch, after every rebuild. Rarer collections still free the young
    garbage; cycles are rare in what a build makes."""
    gc.set_threshold(50_000, 20, 100)


def spare_the_last_collection() -> None:
    """Called as the process is about to end: the interpreter's last collection would walk
    every object the build made just before the operating system frees them all at once.
    Frozen objects are outside the collector's reach (they are still finalised as usual)."""
    gc.freeze()
