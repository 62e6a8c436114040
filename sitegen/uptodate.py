"""The shortcut for a build with nothing to do.

When no input file changed since the last successful build (same paths, sizes and
modification times under content/, static/, templates/, i18n/, the theme and
config.yaml), the options are the same, the clock has not crossed a moment that changes
the site (an embargo lifting, a scheduled release going out, a release leaving the news
sitemap, a new month: the footer's year, the search index's months) and every output file
is still as it was written, the build can stop before
parsing anything. Any doubt means a normal build, which is always correct.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import __version__, cachefiles, searchindex
from sitegen.errors import Diagnostic, SiteError
from sitegen.generations import find, generation_of, read_marker
from sitegen.messages import current_language
from sitegen.ondisk import Check
from sitegen.options import Options
from sitegen.searchindex import SEALS, index_behind, index_broken
from sitegen.themes import theme_dir

if TYPE_CHECKING:  # the shortcut must not pay for importing the whole build, or the config reader
    from sitegen.build import Result
    from sitegen.config import Config
    from sitegen.configmemo import Memo
    from sitegen.content.discover import Listing

STAMP = "uptodate"
_INSTANT = timedelta(microseconds=1)  # the clock's finest step


@dataclass(frozen=True, slots=True)
class Stamp:
    inputs: str
    #: the live generation it made or kept; each of its files must still be as recorded
    generation: str
    now: datetime
    valid_until: datetime | None
    files: int
    warnings: tuple[Diagnostic, ...]
    #: the UI language the warnings are worded in
    language: str = ""


def read_config(options: Options) -> Config | None:
    """The site's config, or None if it cannot even be read (the build then reports why)."""
    from sitegen.config import load_config

    try:
        return load_config(options.site_dir, {"base_url": options.base_url})
    except SiteError:
        return None


def inputs_digest(options: Options, config: Config | Memo, listing: Listing | None = None) -> str:
    """A hash of every input file's path, size and mtime, and of the options. Every folder's
    entries, with their stat, go into ``listing``: a build that follows reads content/ from it."""
    site = options.site_dir
    theme = theme_dir(site, config.theme)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((__version__, options.drafts, options.base_url, options.output, options.search,
                        config.fingerprint)).encode())
    folders = [site / "content", site / "static", site / "templates", site / "i18n"]
    lines: list[str] = []
    for folder in [*folders, *([theme] if theme else [])]:
        if os.path.islink(folder):  # content/ moved away and linked back holds the same files, but is refused
            lines.append(f"{folder}\0link\n")
        _list_files(str(folder), lines, listing)
    # Paths from the site folder, however --site spells it (., its full path, ../situs).
    spelled = str(site) + os.sep
    digest.update("".join(line[len(spelled):] if line.startswith(spelled) else line for line in lines)
                  .encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


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
                # a link to no file (or to a folder): its own stat, so that one made since counts
                stat = item.stat() if not item.is_symlink() or item.is_file() else item.stat(follow_symlinks=False)
            except OSError:  # a link loop: the build reports it; its own stat still counts
                stat = item.stat(follow_symlinks=False)
            lines.append(f"{item.path}\0{stat.st_size}\0{stat.st_mtime_ns}\n")


def unchanged(options: Options, inputs: str, now: datetime, out: Path, check: Check) -> Stamp | None:
    """The last build's stamp when this build would change nothing (``check`` looks for
    output files changed by hand)."""
    stamp = cachefiles.load(options.site_dir, STAMP)
    if not isinstance(stamp, Stamp) or stamp.inputs != inputs:
        return None
    # Its warnings are worded in the language of the build that made it: in another one, a
    # build words them anew, where it can write (on a read-only site folder nothing changed
    # all the same, and it says so, in this language, with the warnings as they were worded).
    if stamp.language != current_language() and os.access(cachefiles.cache_dir(options.site_dir.resolve()), os.W_OK):
        return None
    if now < stamp.now or (stamp.valid_until is not None and now >= stamp.valid_until):
        return None
    slots = find(options.site_dir, out)  # where the last build left its record, even if it cannot write there now
    if slots is None or slots.journal.exists() or index_behind(slots.live):
        return None  # a switch was interrupted, or a search index failed or was stopped: only a build finishes them
    # (pagefind_binary through its module: a test that replaces it for a while is not bound to it)
    if options.search and index_broken(slots.live, slots.home / SEALS) and searchindex.pagefind_binary() is not None:
        return None  # a bundle of the index, or a file of one, was changed or removed by hand: a build mends it
    if generation_of(slots, slots.live) != stamp.generation:
        return None
    changed = check.known(slots.live, stamp.generation)  # the child's answer: no record to read here
    if changed is None:
        live = read_marker(slots, slots.live)
        if live is None or live.generation != stamp.generation:
            return None
        changed = check.changed(slots.live, live)
    return None if changed else stamp


def record(options: Options, inputs: str, result: Result) -> None:
    """Remember a successful build, and until when the clock leaves it valid."""
    from sitegen.outputs.sitemaps import NEWS_WINDOW, in_news_window

    site = result.prepared.site
    moments = [h.until for h in site.hidden if h.until is not None and h.until > site.now]
    # A release is in the news sitemap up to two days after it came out, that moment included.
    moments += [date + NEWS_WINDOW + _INSTANT for lang in site.config.language_codes
                for date, _entry in in_news_window(site, lang)]
    # The footer says the year, and the search index groups the last months by month, on the
    # site's clock: a new month (a new year) makes another site.
    local = site.now.astimezone(site.config.zone)
    moments.append((local.replace(day=1, hour=0, minute=0, second=0, microsecond=0) + timedelta(days=32))
                   .replace(day=1))
    stamp = Stamp(inputs, result.written.generation, site.now, min(moments) if moments else None, result.written.total,
                  tuple(result.warnings), current_language())
    try:
        cachefiles.save(options.site_dir, STAMP, stamp)
    except OSError:
        pass
