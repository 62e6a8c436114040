"""All content files → entries, reusing the parse of files that did not change and
parsing the rest in parallel processes when there are many."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen import oserrors
from sitegen.config import Config
from sitegen.content.discover import Listing, SourceFile, discover
from sitegen.content.frontmatter import FrontMatterError, decode, split
from sitegen.content.parse_file import parse_file, parser_fingerprint, source_hash
from sitegen.content.readahead import read_files
from sitegen.errors import Diagnostic, Report
from sitegen.images.photo import Photo
from sitegen.messages import _
from sitegen.model import Entry
from sitegen.parallel import InProcess, fork_pool
from sitegen.texts import Text, Texts, TextStore
from sitegen.yamlmarks import Loaded

PARALLEL_FROM = 64  # below this many changed files a process pool costs more than it saves


@dataclass(frozen=True, slots=True)
class Parsed:
    """One file's parse, as cached: its stat, its hash, the entry and what was said about it."""

    mtime_ns: int
    size: int
    hash: str  # of the bytes and the parser: a config or converter change invalidates every parse
    entry: Entry | None
    diagnostics: tuple[Diagnostic, ...]
    config: str  # the parser's fingerprint (see parse_file.parser_fingerprint)


def parse_all(site_dir: Path, config: Config, report: Report, previous: dict[str, Parsed], jobs: int,
              texts: Texts, listing: Listing | None = None, store_in_workers: bool = True,
              sources: Sequence[SourceFile] | None = None, maybe: Sequence[SourceFile] | None = None
              ) -> tuple[list[Entry], dict[str, Parsed], dict[str, Parsed | None]]:
    """Entries in discovery order, the new cache, and how it differs from ``previous``
    (file → new parse, or None for a file that is gone). The texts of files parsed now go
    to ``texts``; parallel parses put theirs in its store themselves (unless
    ``store_in_workers`` is False) instead of sending them back.

    The content files are ``sources`` (else found now). When ``maybe`` says which of them
    may differ from the files ``previous`` was parsed from (discover_again), and ``previous``
    holds a parse of each, only those are looked at again."""
    if sources is None:
        sources = discover(site_dir, config, report, listing)
    current: dict[str, Parsed] = {}
    if maybe is not None and len(previous) == len(sources):
        current = dict(previous)
    else:
        maybe = None
    parser = parser_fingerprint(config)
    stale: list[SourceFile] = []
    assets_unchanged = _AssetCheck(site_dir)
    if maybe is not None:
        # A file whose parse failed is parsed again, changed or not: what it lacked (a photo or
        # an attachment that was missing) may be there now, and it keeps no list of what that was.
        looked = {src.rel for src in maybe}
        maybe = [*maybe, *(src for src in sources if src.rel not in looked and _failed(previous.get(src.rel)))]
    for src in sources if maybe is None else maybe:
        old = previous.get(src.rel)
        if old is not None and old.mtime_ns == src.mtime_ns and old.size == src.size \
                and old.config == parser and not _failed(old) and assets_unchanged(old.entry):
            current[src.rel] = old
        else:
            current.pop(src.rel, None)
            stale.append(src)
    # A file new to the cache is read where it is parsed: a parent holding the bytes of
    # every source of a large site while its workers parse them doubles the build's memory.
    # A file parsed before is read here, and not parsed again if its bytes are the same.
    todo: list[_Work] = [(src, None, ()) for src in stale if src.rel not in previous]
    again = [src for src in stale if src.rel in previous]
    for src, raw in zip(again, read_files([src.file for src in again]), strict=True):
        if isinstance(raw, OSError):
            report.extend([_unreadable(src, raw)])
            continue
        old = previous[src.rel]
        if old.hash == source_hash(raw, config) and old.config == parser and not _failed(old) \
                and assets_unchanged(old.entry):
            current[src.rel] = Parsed(src.mtime_ns, src.size, old.hash, old.entry, old.diagnostics,
                                      parser)
            continue
        # What the last parse read of its photos still as they were, where it was made as this
        # one would be.
        before = tuple(filter(assets_unchanged.as_read, old.entry.photos)) \
            if old.entry is not None and old.config == parser else ()
        todo.append((src, raw, before))
    store = texts.store if store_in_workers else None
    for (src, _raw, _before), (entry, text, diagnostics, digest) in zip(
            todo, _parse_many(todo, site_dir, config, jobs, store), strict=True):
        if not digest:  # unreadable: the diagnostic says why, and nothing is cached
            report.extend(diagnostics)
            continue
        if entry is not None and text is not None:
            texts.add(entry.body_key, text)
        current[src.rel] = Parsed(src.mtime_ns, src.size, digest, entry, tuple(diagnostics), parser)
    entries = []
    for src in sources:
        parsed = current.get(src.rel)
        if parsed is None:
            continue  # unreadable: reported above
        if parsed.diagnostics:
            report.extend(list(parsed.diagnostics) if parsed.entry is not None else _held_back(src, parsed.diagnostics))
        if parsed.entry is not None:
            entries.append(parsed.entry)
    if maybe is not None:
        now_parsed = {src.rel: current.get(src.rel) for src in maybe}
        return entries, current, {rel: p for rel, p in now_parsed.items() if p is not previous.get(rel)}
    changes: dict[str, Parsed | None] = {rel: p for rel, p in current.items() if p is not previous.get(rel)}
    changes.update((rel, None) for rel in previous.keys() - current.keys())
    return entries, current, changes


def _held_back(src: SourceFile, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """What is said of a file left out of the site for its errors. A draft's errors do not
    stop the build: they are warnings, and the draft waits until they are fixed. A release
    saved half written (in the desk every new one starts as a draft) must not hold back
    everyone else's. The parse cache keeps them as errors, as the desk shows them."""
    if not any(d.severity == "error" for d in diagnostics):
        return list(diagnostics)
    meta = draft_front_matter(src.path)
    if meta is None:
        return list(diagnostics)
    return [*(replace(d, severity="warning") for d in diagnostics),
            Diagnostic(src.rel, meta.line("draft"), _("this draft is left out of the site until its errors are fixed"),
                       "warning", _("the rest of the site is built without it"))]


def draft_front_matter(path: Path) -> Loaded | None:
    """The front matter of the content file ``path`` if it can be read and says ``draft: true``
    (for a file left out for its errors: a draft's do not stop the build)."""
    try:
        meta = split(decode(path.read_bytes())).meta
    except (OSError, FrontMatterError):
        return None
    return meta if isinstance(meta.data, dict) and meta.data.get("draft") is True else None


def _failed(parsed: Parsed | None) -> bool:
    """Whether a file's last parse found errors (and made no entry)."""
    return parsed is not None and parsed.entry is None


class _AssetCheck:
    """Whether the photos and files a cached entry shows are still the ones it was parsed
    with. Each file is stat-ed once per build: a site's few photos are shown by thousands of
    releases, and this runs for every cached entry."""

    def __init__(self, site_dir: Path) -> None:
        self._root = str(site_dir)  # a Path per asset costs more than its stat
        self._stats: dict[str, tuple[int, int] | None] = {}

    def _stat(self, rel: str) -> tuple[int, int] | None:
        """(size, mtime) of a file of the site; None when it cannot be stat-ed."""
        if rel in self._stats:
            return self._stats[rel]
        try:
            stat = os.stat(os.path.join(self._root, rel))
            found: tuple[int, int] | None = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            found = None
        self._stats[rel] = found
        return found

    def as_read(self, photo: Photo) -> bool:
        """Whether the photo's file has the size and mtime it had when it was read: a photo's
        versions and addresses come from its content, and one edited in place (same size, new
        mtime) is read again."""
        return self._stat(photo.file) == (photo.size, photo.mtime_ns)

    def __call__(self, entry: Entry | None) -> bool:
        if entry is None or not (entry.attachments or entry.image or entry.gallery or entry.body_photos
                                 or entry.text_files):
            return True
        if any(self._stat(source) is None for source in entry.text_files):
            return False  # gone: the text shows a file that is no longer there
        if not all(self.as_read(photo) for photo in entry.photos):
            return False
        assets = [*entry.attachments, *([entry.image.asset] if entry.image else [])]
        for asset in assets:
            found = self._stat(asset.source)
            if found != (asset.file_size, asset.file_mtime_ns):
                return False
        return True


#: A file to parse: its bytes where the parent has read them, and the photos its last parse
#: showed whose files are as they were then (parse_file's ``photos_before``).
_Work = tuple[SourceFile, bytes | None, tuple[Photo, ...]]
#: One file's parse as a worker returns it: the entry, its text (None once the worker has
#: stored it), what was said about the file and the hash of its bytes ("" when it could not
#: be read).
_Done = tuple[Entry | None, Text | None, list[Diagnostic], str]


def _unreadable(src: SourceFile, exc: OSError) -> Diagnostic:
    return Diagnostic(src.rel, None, _("the file cannot be read ({reason})").format(
        reason=oserrors.words(exc, lower=False)), hint=_("check that the file is yours to read, or remove it"))


def _parse_one(src: SourceFile, raw: bytes | OSError, site_dir: Path, config: Config,
               photos_before: tuple[Photo, ...]) -> _Done:
    if isinstance(raw, OSError):
        return None, None, [_unreadable(src, raw)], ""
    report = Report()
    made = parse_file(src, site_dir, config, report, raw, photos_before)
    if made is None:
        return None, None, report.items, source_hash(raw, config)
    entry, text = made
    return entry, text, report.items, entry.source_hash  # hashed by the parse


def _parse_chunk(chunk: list[_Work], site_dir: Path, config: Config, store: TextStore | None = None) -> list[_Done]:
    read = iter(read_files([src.file for src, raw, _ in chunk if raw is None]))
    done = [_parse_one(src, next(read) if raw is None else raw, site_dir, config, before)
            for src, raw, before in chunk]
    if store is None:
        return done
    # The HTML is most of a parse's weight: stored here, in parallel, it is neither
    # pickled back to the parent, held there through the build, nor stored by it at the end.
    try:
        store.put((entry.body_key, text) for entry, text, _, _ in done if entry is not None and text is not None)
    except OSError:
        return done  # a read-only cache: the parent keeps the text
    return [(entry, None, diagnostics, digest) for entry, _, diagnostics, digest in done]


@dataclass(frozen=True, slots=True)
class _Job:
    """What a parse worker needs; inherited through fork, never pickled: the files to parse,
    with the bytes of those the parent has read and their photos before (see parse_all)."""

    work: list[_Work]
    site_dir: Path
    config: Config
    store: TextStore | None


_JOB: _Job | None = None


def _parse_part(bounds: tuple[int, int]) -> list[_Done]:
    job = _JOB
    assert job is not None
    return _parse_chunk(job.work[bounds[0]:bounds[1]], job.site_dir, job.config, job.store)


def _parse_many(work: list[_Work], site_dir: Path, config: Config, jobs: int, store: TextStore | None) -> list[_Done]:
    """Each file's parse, in order: at once when there are few; else a part at a time, in
    forked workers or (with one process) here, each part's texts put in ``store`` when there
    is one, so that neither every source nor every text is held at once."""
    global _JOB
    if len(work) < PARALLEL_FROM:
        return _parse_chunk(work, site_dir, config)
    size = max(16, len(work) // (jobs * 16))  # small enough that no worker is left alone at the end
    _JOB = _Job(work, site_dir, config, store)
    try:
        with fork_pool(jobs) if jobs > 1 else InProcess() as pool:
            results = pool.map(_parse_part, [(i, i + size) for i in range(0, len(work), size)])
            return [item for chunk in results for item in chunk]
    finally:
        _JOB = None
