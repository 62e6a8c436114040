"""How parsed files are kept in .sitegen-cache/ between runs.

Every build needs every entry's front matter (lists, feeds and sitemaps are made of
them), so loading them must be cheap: they are stored as plain tuples in ``marshal``
format, which loads faster than pickled objects, and their HTML stays in the text store
(``sitegen.texts``) until an output asks for it. Saving is cheap too: a build that re-parsed
a few files appends them to a small journal, and only when the journal has grown to an
eighth of the site is everything written out again.
"""

from __future__ import annotations

import marshal
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from sys import intern
from typing import Any, cast
from zoneinfo import ZoneInfo

from sitegen import cachefiles
from sitegen.config import Contact
from sitegen.content.parse_all import Parsed
from sitegen.errors import Diagnostic
from sitegen.frozen import builder
from sitegen.images.photo import Photo, Rendition
from sitegen.model import SHARED_TEXT, SHARED_TUPLES, Asset, Entry, Image
from sitegen.texts import Texts, TextStore

BASE, JOURNAL = "entries", "entries-journal"
Changes = Mapping[str, Parsed | None]  # file → its new parse, or None when it is gone
_Lines = dict[tuple[tuple[str, int], ...], dict[str, int]]  # an entry's lines → the one dict written for them


def texts_of(site_dir: Path) -> Texts:
    """The site's texts, with the store the cached entries point into."""
    # The file and its table keep the name they had before texts.py: a site upgraded from
    # then reuses its texts instead of keeping a large file nothing reads.
    return Texts(TextStore(cachefiles.cache_dir(site_dir) / "bodies.sqlite"))


def load(site_dir: Path) -> tuple[dict[str, Parsed], dict[str, Parsed | None]]:
    """The cached parses and the journal part of them; empty when anything is amiss."""
    base, journal = _read(site_dir, BASE), _read(site_dir, JOURNAL)
    if base is None:
        return {}, {}
    journal = journal or {}
    # The base with the journal's changes, in place (a large site's base is tens of thousands
    # of files, its journal a few): a file the journal says is gone is dropped.
    base.update(journal)
    for rel, parsed in journal.items():
        if parsed is None:
            del base[rel]
    # An entry whose text the store has lost is found out by the output that asks for the
    # text (CacheLost), and the build starts again without the cache: sitegen.build.build.
    return cast(dict[str, Parsed], base), journal


def save(site_dir: Path, texts: Texts, parsed: dict[str, Parsed], changes: Changes,
         journal: dict[str, Parsed | None]) -> dict[str, Parsed | None]:
    """Store this build's new parses and texts; returns the journal as it now stands on disk."""
    live = {p.entry.body_key for p in parsed.values() if p.entry is not None}
    texts.save(live)
    journal = {**journal, **changes}
    if journal and len(journal) * 8 < len(parsed):
        _write(site_dir, JOURNAL, journal)
        return journal
    _write(site_dir, BASE, parsed)
    _write(site_dir, JOURNAL, {})
    if texts.store is not None:
        texts.store.keep_only(live)
    return {}


def _read(site_dir: Path, name: str) -> dict[str, Parsed | None] | None:
    data = cachefiles.read(site_dir, name)
    if data is None:
        return None
    try:
        stamp, rows = marshal.loads(data)
        if stamp != _FORMAT:
            return None
        made: _Made = {}
        return {rel: None if row is None else _parsed(row, made) for rel, row in rows.items()}
    except Exception:  # noqa: BLE001 - a damaged cache is the same as none
        return None


def _write(site_dir: Path, name: str, parsed: Mapping[str, Parsed | None]) -> None:
    shared = _Shared({}, {})
    rows = {rel: None if p is None else _parsed_row(p, shared) for rel, p in parsed.items()}
    cachefiles.write(site_dir, name, marshal.dumps((_FORMAT, rows)))


# --- rows ----------------------------------------------------------------------------
# Entry fields in declaration order; the few that are not plain text, numbers or tuples
# of text are converted by position.

_NAMES = tuple(Entry.__dataclass_fields__)
_DATES = tuple(_NAMES.index(n) for n in ("date", "updated", "embargo"))
_IMAGE, _ATTACHMENTS, _CONTACT = _NAMES.index("image"), _NAMES.index("attachments"), _NAMES.index("contact")
_LINES = _NAMES.index("lines")
_PHOTO, _PHOTOS = _NAMES.index("photo"), tuple(_NAMES.index(n) for n in ("gallery", "body_photos"))
# Text many entries share. Interned, each is written once (marshal refers back to an object
# it has seen) and loaded as one object: the file is smaller and unmarshals faster.
_SHARED = tuple(_NAMES.index(n) for n in SHARED_TEXT)
_SHARED_TUPLES = tuple(_NAMES.index(n) for n in SHARED_TUPLES)
# Rows are positional: another field list is another format.
_FORMAT = repr((3, _NAMES, tuple(Photo.__dataclass_fields__)))
_make_entry, _make_parsed, _make_photo = builder(Entry), builder(Parsed), builder(Photo)
#: id of a loaded versions row → its Renditions, for one load (the rows stay alive meanwhile)
_Made = dict[int, tuple[Rendition, ...]]


@dataclass(frozen=True, slots=True)
class _Shared:
    """Rows many entries hold alike, written once: marshal refers back to an object it has
    already written, and loads it as one object."""

    lines: _Lines
    #: a photo's versions → the one row written for them (a picture many releases show)
    renditions: dict[tuple[Any, ...], tuple[Any, ...]]


def _parsed_row(p: Parsed, shared: _Shared) -> tuple[Any, ...]:
    diagnostics = tuple((d.path, d.line, d.message, d.severity, d.hint) for d in p.diagnostics)
    return (p.mtime_ns, p.size, p.hash, intern(p.config), None if p.entry is None else _entry_row(p.entry, shared),
            diagnostics)


def _parsed(row: tuple[Any, ...], made: _Made) -> Parsed:
    mtime_ns, size, digest, config, entry, diagnostics = row
    return _make_parsed(mtime_ns, size, digest, None if entry is None else _entry(entry, made),
                        tuple(Diagnostic(*d) for d in diagnostics) if diagnostics else (), config)


def _entry_row(e: Entry, shared: _Shared) -> tuple[Any, ...]:
    row: list[Any] = [getattr(e, name) for name in _NAMES]
    for at in _DATES:
        row[at] = None if row[at] is None else _moment_row(row[at])
    row[_IMAGE] = None if e.image is None else (_asset_row(e.image.asset), e.image.alt, e.image.caption,
                                                e.image.credit)
    row[_ATTACHMENTS] = tuple(_asset_row(a) for a in e.attachments)
    row[_PHOTO] = None if e.photo is None else _photo_row(e.photo, shared)
    for at in _PHOTOS:
        row[at] = tuple(_photo_row(p, shared) for p in row[at])
    row[_CONTACT] = None if e.contact is None else (e.contact.name, e.contact.phone, e.contact.email)
    # Shared like the text above: files written alike have the same lines, so they get one
    # dict (nothing changes an entry's lines); a site has only a few distinct ones.
    own = tuple(e.lines.items())
    row[_LINES] = shared.lines.get(own)
    if row[_LINES] is None:
        row[_LINES] = shared.lines[own] = {intern(key): line for key, line in own}
    for at in _SHARED:
        row[at] = intern(row[at])
    for at in _SHARED_TUPLES:
        row[at] = tuple(intern(text) for text in row[at])
    return tuple(row)


def _entry(row: tuple[Any, ...], made: _Made) -> Entry:
    values = list(row)
    for at in _DATES:
        if values[at] is not None:
            values[at] = _moment(values[at])
    image = row[_IMAGE]
    values[_IMAGE] = None if image is None else Image(Asset(*image[0]), *image[1:])
    if row[_ATTACHMENTS]:  # most releases have none: skip building an empty tuple
        values[_ATTACHMENTS] = tuple(Asset(*a) for a in row[_ATTACHMENTS])
    if row[_CONTACT] is not None:
        values[_CONTACT] = Contact(*row[_CONTACT])
    if row[_PHOTO] is not None:
        values[_PHOTO] = _photo(row[_PHOTO], made)
    for at in _PHOTOS:
        if row[at]:
            values[at] = tuple(_photo(p, made) for p in row[at])
    return _make_entry(*values)


def _moment_row(moment: datetime) -> str | tuple[str, int, str]:
    # A date written without an offset carries the site's named zone; keep the name, so a
    # cached entry is the very value a fresh parse gives.
    if isinstance(moment.tzinfo, ZoneInfo):
        return (moment.replace(tzinfo=None).isoformat(), moment.fold, moment.tzinfo.key)
    return moment.isoformat()


def _moment(row: str | tuple[str, int, str]) -> datetime:
    if isinstance(row, str):
        return datetime.fromisoformat(row)
    wall, fold, zone = row
    return datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone), fold=fold)


def _asset_row(a: Asset) -> tuple[str, str, int, str, str, int, int]:
    return (a.url, a.source, a.size, a.mime, a.title, a.file_size, a.file_mtime_ns)


_PHOTO_FIELDS = tuple(Photo.__dataclass_fields__)
_RENDITIONS = _PHOTO_FIELDS.index("renditions")


def _photo_row(p: Photo, shared: _Shared) -> tuple[Any, ...]:
    row: list[Any] = [getattr(p, name) for name in _PHOTO_FIELDS]
    versions = tuple((r.url, r.width, r.height, r.format) for r in p.renditions)
    row[_RENDITIONS] = shared.renditions.setdefault(versions, versions)
    return tuple(row)


def _photo(row: tuple[Any, ...], made: _Made) -> Photo:
    values = list(row)
    versions = row[_RENDITIONS]
    # One loaded row stands for every entry that shows the photo: its versions are made once.
    key = id(versions)
    if key not in made:
        made[key] = tuple(Rendition(*r) for r in versions)
    values[_RENDITIONS] = made[key]
    return _make_photo(*values)
