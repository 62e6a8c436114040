"""Converted Markdown, kept apart from the entries: the one place outputs ask for it.

A release's HTML is most of its weight, but only the outputs that show the text need it:
the release's own page, feeds with full content and the search index. So an entry
carries only a key to its text (``Entry.body_key``, a hash of its source), and
``Texts`` answers for a key: from memory for files parsed by this process and not yet
saved, else from an SQLite file in .sitegen-cache/. A build that changes one release
then reads a few texts instead of all of them.

A text the store should have but has not (its file deleted or damaged, during a build or
between two) raises ``CacheLost`` when an output asks for it; the build catches it in one
place, ``sitegen.build.build``, and starts again without the cache.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sitegen.model import Entry


class CacheLost(Exception):
    """A text an entry points at is no longer in the store; the build starts again
    without the cache."""


class Text(NamedTuple):
    """An entry's body as HTML, and its table of contents ("" when it has no headings)."""

    html: str
    toc: str


class TextStore:
    """``key → Text`` in one SQLite file. Every process opens its own connection: forked
    parse and render workers inherit the store object, never the parent's connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            # Not flushed to the disk at every commit (a parse worker commits each of its
            # parts): in WAL mode the file stays whole, and texts a power cut loses are
            # missed by the build that needs them, which then parses again (CacheLost).
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT, toc TEXT)")
            # Feed items made of a text (sitegen.outputs.feeds.FeedItems), kept while it lives.
            db.execute("CREATE TABLE IF NOT EXISTS feed_items (key TEXT PRIMARY KEY, body_key TEXT, item BLOB)")
            self._db, self._pid = db, os.getpid()
        return self._db

    def get(self, key: str) -> Text:
        try:
            row = self._connection().execute("SELECT html, toc FROM bodies WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise CacheLost(str(exc)) from None
        if row is None:
            raise CacheLost(f"text {key} is missing")
        return Text(str(row[0]), str(row[1]))

    def put(self, texts: Iterable[tuple[str, Text]]) -> None:
        rows = [(key, text.html, text.toc) for key, text in texts]
        if rows:
            self._change(lambda db: db.executemany("INSERT OR IGNORE INTO bodies VALUES (?, ?, ?)", rows))

    def items(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The stored feed items of ``keys`` (those it has)."""
        if not keys or not self.path.is_file():
            return {}
        try:
            rows = self._connection().execute(
                f"SELECT key, item FROM feed_items WHERE key IN ({','.join('?' * len(keys))})", keys).fetchall()
        except sqlite3.Error:
            return {}
        return {str(key): bytes(item) for key, item in rows}

    def put_items(self, items: Iterable[tuple[str, str, bytes]]) -> None:
        """Keep feed items: (key, the key of the text they are made of, item)."""
        rows = list(items)
        if rows:
            self._change(lambda db: db.executemany("INSERT OR REPLACE INTO feed_items VALUES (?, ?, ?)", rows))

    def keep_only(self, keys: set[str]) -> None:
        """Forget the texts no entry points at any more, and the feed items made of them."""
        def prune(db: sqlite3.Connection) -> None:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM live")
            db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((k,) for k in keys))
            db.execute("DELETE FROM bodies WHERE key NOT IN (SELECT key FROM live)")
            db.execute("DELETE FROM feed_items WHERE body_key NOT IN (SELECT key FROM live)")

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

    def discard_if_damaged(self) -> None:
        """Remove the store's file when SQLite cannot read it as a database (overwritten, cut
        short): the build that follows then makes a new one, as after the file was deleted.
        Left as it is, every build would find it unreadable and parse the whole site again."""
        self.close()
        if not self.path.is_file():
            return
        try:
            db = sqlite3.connect(self.path, timeout=30)
            try:
                found = db.execute("PRAGMA quick_check").fetchone()
            finally:
                db.close()
        except sqlite3.OperationalError:
            return  # locked or unreadable (permissions): not damaged, and not ours to remove then
        except sqlite3.DatabaseError:
            found = None
        if found is None or found[0] != "ok":
            for name in (self.path.name, self.path.name + "-wal", self.path.name + "-shm"):
                with contextlib.suppress(OSError):  # a read-only cache: the build goes on without it
                    (self.path.parent / name).unlink(missing_ok=True)


class Texts:
    """Every entry's text, by key: the ones parsed here and not yet saved, then the store.

    One per build (a long-running watch keeps its own between builds); outputs read it,
    only the content stage adds to it and only the build saves it."""

    def __init__(self, store: TextStore | None = None, fresh: Mapping[str, Text] | None = None) -> None:
        self.store = store
        self._fresh: dict[str, Text] = dict(fresh or {})

    def get(self, key: str) -> Text:
        text = self._fresh.get(key)
        if text is not None:
            return text
        if self.store is None:
            raise CacheLost(f"text {key} was never stored")
        return self.store.get(key)

    def html(self, entry: Entry) -> str:
        return self.get(entry.body_key).html

    def add(self, key: str, text: Text) -> None:
        self._fresh[key] = text

    def with_texts(self, more: Mapping[str, Text]) -> Texts:
        """These texts and ``more``, for a page rendered apart from the build (the desk's check)."""
        return Texts(self.store, {**self._fresh, **more})

    def save(self, live: set[str]) -> None:
        """Move the texts held here into the store. When it cannot be written (a read-only
        site folder: an OSError) they stay here, but only those an entry still points at
        (keys in ``live``), so a long-running watch does not gather every earlier version."""
        if self.store is None or not self._fresh:
            return
        try:
            self.store.put(self._fresh.items())
        except OSError:
            self._fresh = {key: text for key, text in self._fresh.items() if key in live}
            raise
        self._fresh.clear()

    def close(self) -> None:
        """Close the store's connection; a later read opens the file again, as it then is."""
        if self.store is not None:
            self.store.close()
