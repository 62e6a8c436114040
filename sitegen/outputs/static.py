"""Files copied as they are: the theme's static/ first, then the site's static/ over it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from sitegen.outputs import Output, fingerprint


def static_outputs(folders: list[Path], site_dir: Path | None = None) -> Iterator[Output]:
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
                if not path.resolve().is_relative_to(root):
                    continue
                chosen[path.relative_to(folder).as_posix()] = path
    for rel, path in sorted(chosen.items()):
        stat = path.stat()
        yield Output(rel, fingerprint(str(path), stat.st_size, stat.st_mtime_ns),
                     path.read_bytes, kind="static", source=_shown(path, site_dir))


def _shown(path: Path, site_dir: Path | None) -> str:
    """The file as an error names it: relative to the site when it is inside it."""
    if site_dir is not None and path.is_relative_to(site_dir):
        return path.relative_to(site_dir).as_posix()
    return str(path)
