"""What a build is asked to do: the command line's choices, in one frozen value."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the nothing-changed check reads Options without the writer or the config reader
    from sitegen.config import Config
    from sitegen.configmemo import Memo
    from sitegen.writer import Progress


@dataclass(frozen=True, slots=True)
class Options:
    site_dir: Path
    output: Path | None = None
    drafts: bool = False
    now: str | None = None
    base_url: str | None = None
    clean: bool = False
    jobs: int = os.cpu_count() or 1
    search: bool = True  # run Pagefind after a build that changed something
    progress: Progress | None = None  # told how rendering advances (the CLI on a terminal)
    cache: bool = True  # keep compiled templates in .sitegen-cache/ (check writes nothing)


def output_dir(options: Options, config: Config | Memo) -> Path:
    return options.output if options.output is not None else options.site_dir / config.output_dir
