"""What a deploy shows while it sends: a live counter on a terminal, nothing otherwise
(the command prints its one-line summary either way)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from sitegen.messages import _, decimal


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{decimal(size, 1)} {unit}"  # "9,1 MB" in Indonesian
        size /= 1000
    return f"{count} B"


class Progress:
    """``label: sending 12/340 files, 1.2 MB/5.3 MB`` rewritten in place, at most ten times a second."""

    def __init__(self, label: str, files: int, size: int, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self.label, self.files, self.size = label, files, size
        self._shown = 0.0
        self._drawn = False

    def __call__(self, files: int, size: int) -> None:
        if not self.live:
            return
        # Files the live release lacks on the server (removed there by hand) go with the
        # changed ones, beyond the plan's count: the totals grow with them.
        self.files, self.size = max(self.files, files), max(self.size, size)
        now = time.monotonic()
        if now - self._shown < 0.1 and files < self.files:
            return
        self._shown, self._drawn = now, True
        print("\r" + _("{label}: sending {files}/{total} files, {size}/{total_size}").format(
            label=self.label, files=files, total=self.files, size=human_bytes(size), total_size=human_bytes(self.size)),
              end="", file=self.stream, flush=True)

    def end(self) -> None:
        if self._drawn:
            print(file=self.stream, flush=True)
            self._drawn = False
