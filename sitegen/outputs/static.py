"""Files copied as they are: the theme's static/ first, then the site's static/ over it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from sitegen.errors import Diagnostic, SiteError
from sitegen.outputs import Output, fingerprint


def static_outputs(folders: list[Path]) -> Iterator[Output]:
    chosen: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        root = folder.resolve()
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                # A symlink that leads out of static/ is never followed.
                try:
                    inside = path.resolve().is_relative_to(root)
                except (OSError, RuntimeError) as exc:  # a link loop (RuntimeError before Python 3.13)
                    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it leads back to itself"
                    raise SiteError([Diagnostic(str(path), None, f"this link cannot be followed: {why.lower()}",
                                                hint="delete the link, or replace it with the file itself")]) from None
                # Only regular files: reading a named pipe or a device would never end.
                if not inside or not path.is_file():
                    continue
                chosen[path.relative_to(folder).as_posix()] = path
    for rel, path in sorted(chosen.items()):
        stat = path.stat()
        yield Output(rel, fingerprint(str(path), stat.st_size, stat.st_mtime_ns),
                     path.read_bytes, kind="static")
