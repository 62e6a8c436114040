"""Saving never loses work: atomic writes, no overwriting a file changed since it was opened,
and every version kept in ``.sitegen-cache/desk-history/``.

The form carries the digest of the bytes it was opened from. A save whose digest no longer
matches the file on disk (someone edited it in another window or editor) is refused with both
versions, and the person chooses. Each save first files the version it replaces (if the
history does not have it yet: an outside edit, say) and then the new one.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sitegen.cachefiles import cache_dir

HISTORY = "desk-history"
#: A digest meaning "this file did not exist when the form was opened".
ABSENT = "new"
_VERSION = re.compile(r"^\d{8}T\d{6}\d{6}Z-[0-9a-f]{16}\.md$")
_lock = threading.Lock()  # one save at a time: the check-then-rename below must not interleave


def digest(raw: bytes | None) -> str:
    return ABSENT if raw is None else hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True, slots=True)
class Conflict(Exception):
    """The file changed on disk since the form was opened; ``theirs`` is what it holds now."""

    rel: str
    theirs: bytes | None


@dataclass(frozen=True, slots=True)
class Version:
    name: str  # file name in the history folder
    saved: datetime
    digest: str  # first 16 hex digits of the content's digest
    size: int


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it over ``path``:
    a reader (or a crash) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A dot name: content discovery skips it and the watcher takes it for an editor's litter.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)  # the rename itself survives a power cut
    except OSError:
        pass
    finally:
        os.close(fd)


def history_dir(site_dir: Path, rel: str) -> Path:
    return cache_dir(site_dir) / HISTORY / rel


def _keep(site_dir: Path, rel: str, data: bytes, now: datetime) -> None:
    folder = history_dir(site_dir, rel)
    short = digest(data)[:16]
    if any(v.digest == short for v in versions(site_dir, rel)[:1]):
        return  # the newest version already is this one
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{now:%Y%m%dT%H%M%S%f}Z-{short}.md"
    atomic_write(folder / name, data)


def versions(site_dir: Path, rel: str) -> list[Version]:
    """The saved versions of a file, newest first."""
    folder = history_dir(site_dir, rel)
    try:
        names = [p for p in folder.iterdir() if _VERSION.match(p.name)]
    except OSError:
        return []
    found = []
    for path in names:
        stamp, _, rest = path.name.partition("Z-")
        saved = datetime.strptime(stamp, "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
        found.append(Version(path.name, saved, rest.removesuffix(".md"), path.stat().st_size))
    return sorted(found, key=lambda v: v.name, reverse=True)


def remember(site_dir: Path, rel: str, data: bytes, now: datetime | None = None) -> None:
    """File ``data`` as a version unless it is the newest already: the form was opened from it,
    and a save that finds the file changed meanwhile merges against it (see ``opened_version``)."""
    with _lock:
        _keep(site_dir, rel, data, now or datetime.now(UTC))


def opened_version(site_dir: Path, rel: str, opened: str) -> bytes | None:
    """The version of ``rel`` whose digest is ``opened``, if the history has it."""
    for version in versions(site_dir, rel):
        if version.digest == opened[:16]:
            data = version_bytes(site_dir, rel, version.name)
            if data is not None and digest(data) == opened:
                return data
    return None


def version_bytes(site_dir: Path, rel: str, name: str) -> bytes | None:
    if not _VERSION.match(name):
        return None
    return read(history_dir(site_dir, rel) / name)


def save(site_dir: Path, rel: str, data: bytes, opened: str, now: datetime | None = None) -> bool:
    """Write ``data`` to ``rel`` unless the file changed since it was opened with digest ``opened``
    (then raise Conflict). Returns False when the file already held exactly ``data``."""
    now = now or datetime.now(UTC)
    path = site_dir / rel
    with _lock:
        current = read(path)
        if digest(current) != opened:
            raise Conflict(rel, current)
        if current == data:
            return False
        if current is not None:
            _keep(site_dir, rel, current, now)
        _keep(site_dir, rel, data, now + timedelta(microseconds=1))  # sorts after the one it replaces
        atomic_write(path, data)
        return True


def create(path: Path, data: bytes) -> None:
    """A new file that must not exist yet (an upload, a translation twin)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as out:  # "x": never overwrite
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
