"""Converted Markdown, kept apart from the rest of an entry.

A release's HTML is most of its weight (10,000 bilingual releases make about 100 MB of
it) but only the outputs that show the text need it: the release's own page and feeds
with full content. So the entries cache keeps a key per body, and the HTML lives in an
SQLite file beside it, read only when an output being rendered asks for it. A build
that changes one release then loads a few bodies instead of all of them.
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


class CacheLost(Exception):
    """A body the entries cache points at is no longer in the store (the cache folder was
    deleted or damaged during a build); the build starts again without the cache."""


class BodyStore:
    """``key → (html, toc)`` in one SQLite file. Every process opens its own connection:
    forked render workers inherit the store object, never the parent's connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    @classmethod
    def at(cls, path: Path) -> BodyStore:
        """This process's store for ``path``: bodies pickled by parse workers arrive naming
        their store by path, and all of them share the one the build already has."""
        store = _SHARED.get(str(path))
        if store is None:
            store = _SHARED[str(path)] = cls(path)
        return store

    def __reduce__(self) -> tuple[Callable[[Path], BodyStore], tuple[Path]]:
        return BodyStore.at, (self.path,)

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            # Not flushed to the disk at every commit (a parse worker commits each of its
            # parts): in WAL mode the file stays whole, and bodies a power cut loses are
            # missed by the build that needs them, which then parses again (CacheLost).
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT, toc TEXT)")
            self._db, self._pid = db, os.getpid()
        return self._db

    def get(self, key: str) -> tuple[str, str]:
        try:
            row = self._connection().execute("SELECT html, toc FROM bodies WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise CacheLost(str(exc)) from None
        if row is None:
            raise CacheLost(f"body {key} is missing")
        return str(row[0]), str(row[1])

    def keys(self) -> set[str]:
        if not self.path.is_file():
            return set()
        try:
            return {row[0] for row in self._connection().execute("SELECT key FROM bodies")}
        except sqlite3.Error:
            return set()

    def put(self, bodies: Iterable[Body]) -> None:
        rows = [(b.key, *b.text()) for b in bodies]
        if rows:
            self._change(lambda db: db.executemany("INSERT OR IGNORE INTO bodies VALUES (?, ?, ?)", rows))

    def keep_only(self, keys: set[str]) -> None:
        """Forget the bodies no entry points at any more."""
        def prune(db: sqlite3.Connection) -> None:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM live")
            db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((k,) for k in keys))
            db.execute("DELETE FROM bodies WHERE key NOT IN (SELECT key FROM live)")

        self._change(prune)

    def _change(self, work: Callable[[sqlite3.Connection], object]) -> None:
        """One transaction; a store that cannot be written (a read-only site) is an OSError,
        which the build shrugs off like any other cache it cannot save."""
        try:
            self.path.parent.mkdir(exist_ok=True)
            db = self._connection()
            db.execute("BEGIN")
            try:
                work(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise OSError(f"{self.path}: {exc}") from None

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None


_SHARED: weakref.WeakValueDictionary[str, BodyStore] = weakref.WeakValueDictionary()


@dataclass(frozen=True, slots=True)
class Body:
    """An entry's HTML and table of contents: in memory after a parse, or by key in a store
    after a cache load. Equal keys mean equal text (the key hashes the source)."""

    key: str
    held: tuple[str, str] | None = field(default=None, compare=False, repr=False)
    store: BodyStore | None = field(default=None, compare=False, repr=False)

    def text(self) -> tuple[str, str]:
        if self.held is not None:
            return self.held
        if self.store is None:
            raise CacheLost(f"body {self.key} has neither text nor a store")
        return self.store.get(self.key)

    @property
    def html(self) -> str:
        return self.text()[0]

    @property
    def toc(self) -> str:
        return self.text()[1]
