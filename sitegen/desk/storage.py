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
import secrets
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sitegen.cachefiles import cache_dir

HISTORY = "desk-history"
#: Which file each new-release form made (see ``made_by``).
MADE = "desk-new"
#: How long a new-release form is remembered: a browser's history does not keep it longer.
MADE_KEPT = timedelta(days=30)
_FORM_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
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


def remove(site_dir: Path, rel: str, opened: str, now: datetime | None = None) -> None:
    """Move ``rel`` into its history: its bytes are filed as a version (unless they are the
    newest one already), then the file goes; Conflict when it changed since it was opened
    with digest ``opened`` (or is gone). Restoring a version brings it back."""
    path = site_dir / rel
    with _lock:
        current = read(path)
        if current is None or digest(current) != opened:
            raise Conflict(rel, current)
        _keep(site_dir, rel, current, now or datetime.now(UTC))
        path.unlink()
        _sync_folder(path.parent)


def kept(site_dir: Path, rel: str) -> bool:
    """Whether the history holds versions of the file ``rel`` (there, or deleted)."""
    return (cache_dir(site_dir) / HISTORY / rel).is_dir()


def gone(site_dir: Path) -> list[tuple[str, Version]]:
    """(file, its newest version) of each file the history keeps that is no longer there
    (deleted in the desk, or by hand), the most recently kept first."""
    root = cache_dir(site_dir) / HISTORY
    found = []
    # The history keeps each file's versions in a folder named like the file.
    for folder in root.glob("content/**/*.md") if root.is_dir() else ():
        rel = folder.relative_to(root).as_posix()
        if folder.is_dir() and not (site_dir / rel).exists():
            kept = versions(site_dir, rel)
            if kept:
                found.append((rel, kept[0]))
    return sorted(found, key=lambda item: item[1].name, reverse=True)


def create(path: Path, data: bytes) -> None:
    """A new file that must not exist yet (an upload, a translation twin)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as out:  # "x": never overwrite
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


# --- new-release forms ---------------------------------------------------------------------------
# A new release's form has no file yet. Saved, then reached again with the browser's Back
# button (or sent twice by a double click) it would make a second file; so each new form
# carries an id, and the file its first save made is noted under that id. A later save of
# the same form updates that file, as if opened from the version this form last saved.


def form_id() -> str:
    return secrets.token_urlsafe(16)


def is_form_id(text: str) -> bool:
    """Whether ``text`` can be a new-release form's id (one ``form_id`` could have made)."""
    return bool(_FORM_ID.match(text))


def _made_path(site_dir: Path, form: str) -> Path | None:
    return cache_dir(site_dir) / MADE / form if is_form_id(form) else None


def made_by(site_dir: Path, form: str) -> tuple[str, str] | None:
    """(file, digest of what it last saved) of the new-release form ``form``; None when it
    saved nothing yet (or that was long ago)."""
    path = _made_path(site_dir, form)
    raw = read(path) if path is not None else None
    rel, _, saved = (raw or b"").decode("utf-8", "replace").strip().partition("\n")
    return (rel, saved) if rel and saved else None


def note_made(site_dir: Path, form: str, rel: str, data: bytes, now: datetime | None = None) -> None:
    """Note that the new-release form ``form`` saved ``data`` as ``rel``; forget forms older
    than MADE_KEPT (one small file each)."""
    path = _made_path(site_dir, form)
    if path is None:
        return
    atomic_write(path, f"{rel}\n{digest(data)}\n".encode())
    oldest = (now or datetime.now(UTC)) - MADE_KEPT
    for other in path.parent.iterdir():
        try:
            if datetime.fromtimestamp(other.stat().st_mtime, UTC) < oldest:
                other.unlink()
        except OSError:
            pass
