"""Where a theme lives: the site's themes/ first, then the themes bundled with sitegen."""

from __future__ import annotations

from pathlib import Path

BUNDLED_THEMES = Path(__file__).resolve().parents[1] / "themes"


def theme_dir(site_dir: Path, name: str) -> Path | None:
    for base in (site_dir / "themes", BUNDLED_THEMES):
        if (base / name / "templates").is_dir():
            return base / name
    return None
