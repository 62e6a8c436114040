"""Where a theme lives: the site's themes/ first, then the themes bundled with sitegen."""

from __future__ import annotations

import os
from pathlib import Path

#: In a checkout a link to the repository's themes/; in an installed wheel, the folder itself.
BUNDLED_THEMES = Path(__file__).resolve().parent / "bundled_themes"


def theme_dir(site_dir: Path, name: str) -> Path | None:
    for base in (site_dir / "themes", BUNDLED_THEMES):
        if (base / name / "templates").is_dir():
            return base / name
    return None


def files_state(dirs: list[Path]) -> tuple[tuple[str, int, int, int], ...]:
    """Every file under ``dirs`` (a theme's templates or UI strings) with its size,
    modification time and inode: equal tuples mean the same files."""
    found = []
    for top in dirs:
        for folder, _subfolders, names in os.walk(top):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # gone since the walk: the next call sees the difference
                found.append((path, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return tuple(sorted(found))
