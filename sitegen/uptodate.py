"""The shortcut for a build with nothing to do.

When no input file changed since the last successful build (same paths, sizes and
modification times under content/, static/, templates/, i18n/, the theme and
config.yaml), the options are the same, the clock has not crossed a moment that changes
the site (an embargo lifting, a scheduled release going out, a release leaving the news
sitemap) and every output file is still as it was written, the build can stop before
parsing anything. Any doubt means a normal build, which is always correct.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import __version__, cachefiles
from sitegen.config import Config, load_config
from sitegen.errors import Diagnostic, SiteError
from sitegen.generations import FileStat, Slots, locate, read_marker
from sitegen.options import Options
from sitegen.searchindex import STAGING as SEARCH_STAGING
from sitegen.themes import theme_dir

if TYPE_CHECKING:  # the shortcut must not pay for importing the whole build
    from sitegen.build import Result
    from sitegen.content.discover import Listing

STAMP = "uptodate"


@dataclass(frozen=True, slots=True)
class Stamp:
    inputs: str
    outputs: str
    now: datetime
    valid_until: datetime | None
    files: int
    warnings: tuple[Diagnostic, ...]


def inputs_digest(options: Options, listing: Listing | None = None) -> tuple[str, Config] | None:
    """A hash of every input file's path, size and mtime, and of the options; None if the
    config cannot even be read (the normal build then reports why). Every folder's entries,
    with their stat, go into ``listing``: a build that follows reads content/ from it."""
    site = options.site_dir
    try:
        config = load_config(site, {"base_url": options.base_url})
    except SiteError:
        return None
    theme = theme_dir(site, config.theme)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((__version__, options.drafts, options.base_url, options.output, options.search,
                        config.fingerprint)).encode())
    folders = [site / "content", site / "static", site / "templates", site / "i18n"]
    lines: list[str] = []
    for folder in [*folders, *([theme] if theme else [])]:
        _list_files(str(folder), lines, listing)
    digest.update("".join(lines).encode("utf-8", "surrogateescape"))
    return digest.hexdigest(), config


def _list_files(folder: str, lines: list[str], listing: Listing | None) -> None:
    """``path\0size\0mtime`` of every file below ``folder``, in name order; linked folders
    are not entered (as the build does not read them)."""
    try:
        with os.scandir(folder) as entries:
            items = sorted(entries, key=lambda item: item.name)
    except OSError:
        return
    if listing is not None:
        listing[folder] = items
    for item in items:
        if item.is_dir(follow_symlinks=False):
            _list_files(item.path, lines, listing)
        else:
            try:
                stat = item.stat() if not item.is_symlink() or item.is_file() else None
            except OSError:  # a link loop: the build reports it; its own stat still counts
                stat = item.stat(follow_symlinks=False)
            if stat is not None:
                lines.append(f"{item.path}\0{stat.st_size}\0{stat.st_mtime_ns}\n")


def outputs_digest(slots: Slots) -> str | None:
    """A hash of the live generation's id and of the size and mtime of every file it holds;
    None if one is gone or the folder is not a complete generation."""
    marker = read_marker(slots, slots.live)
    if marker is None:
        return None
    top = str(slots.live)
    stats = {}
    try:
        for path in marker.files:
            stat = os.lstat(os.path.join(top, path))
            stats[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    except OSError:
        return None
    return stats_digest(stats, marker.generation)


def stats_digest(stats: dict[str, FileStat], generation: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(generation.encode() + b"\n")
    digest.update("".join(f"{path}\0{size}\0{mtime}\0{inode}\n"
                          for path, (size, mtime, inode) in sorted(stats.items())).encode())
    return digest.hexdigest()


def unchanged(options: Options, inputs: str, now: datetime, out: Path) -> Stamp | None:
    """The last build's stamp when this build would change nothing."""
    stamp = cachefiles.load(options.site_dir, STAMP)
    if not isinstance(stamp, Stamp) or stamp.inputs != inputs:
        return None
    if now < stamp.now or (stamp.valid_until is not None and now >= stamp.valid_until):
        return None
    slots = locate(options.site_dir, out)
    if slots.journal.exists() or (slots.live / SEARCH_STAGING).exists():
        return None  # a switch was interrupted, or a search index failed: only a build finishes them
    return stamp if outputs_digest(slots) == stamp.outputs else None


def record(options: Options, inputs: str, result: Result) -> None:
    """Remember a successful build, and until when the clock leaves it valid."""
    from sitegen.outputs.sitemaps import NEWS_WINDOW

    site = result.prepared.site
    moments = [h.until for h in site.hidden if h.until is not None and h.until > site.now]
    moments += [e.date + NEWS_WINDOW for lang in site.config.language_codes
                for e in site.articles.get(lang, ()) if e.date is not None and e.date + NEWS_WINDOW > site.now]
    # The writer saw every file it keeps (it needed their state to skip or write them).
    outputs = stats_digest(result.written.stats, result.written.generation)
    stamp = Stamp(inputs, outputs, site.now, min(moments) if moments else None, result.written.total,
                  tuple(result.warnings))
    try:
        cachefiles.save(options.site_dir, STAMP, stamp)
    except OSError:
        pass
