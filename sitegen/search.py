"""Client-side search: index the built site with Pagefind when it is installed."""

from __future__ import annotations

from pathlib import Path

from sitegen.config import Config
from sitegen.errors import Report


def index_site(out_dir: Path, config: Config, report: Report) -> None:
    return None
