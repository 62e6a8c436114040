"""The local build as a deploy sees it: every file of the output folder with its digest and size.

Digests and sizes come from what the build recorded about the live generation
(``generations.read_marker``: each file's digest, size, mtime and inode), so a deploy does
not walk the output: one ``lstat`` per recorded file says it is still the file the build
wrote; a file changed by hand since is hashed, a file deleted by hand is left out. Files
the record does not list sit in top-level entries that are not sitegen's pages (the
Pagefind bundle, a file added by hand): those are walked and hashed, their digests
remembered in ``.sitegen-cache/`` by size and modification time so a redeploy does not
read them again. Without a record (an output that build did not make with this site
folder) the whole output is walked, with the writer's public marker for the digests.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from sitegen import cachefiles, generations, writer

#: Top-level names of the output folder that are sitegen's bookkeeping, never published;
#: but for the public marker, which is part of the output like any page.
PRIVATE_PREFIX = ".sitegen"
_DIGEST_CACHE = "deploy-digests.json"


@dataclass(frozen=True, slots=True)
class FileInfo:
    digest: str
    size: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    root: Path
    files: Mapping[str, FileInfo]  # posix path relative to root → digest, size


def digest_file(path: Path) -> str:
    """The writer's digest (SHA-256, first 32 hex digits) of a file, read in pieces: it must equal
    what the marker records for the same bytes, or every such file would look changed."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()[:32]


def take(out_dir: Path, site_dir: Path | None = None) -> Snapshot:
    """Every published file under ``out_dir`` (symlinks are never followed nor published)."""
    root = out_dir.resolve()
    remembered = _load_cache(site_dir)
    fresh: dict[str, list[object]] = {}
    files: dict[str, FileInfo] = {}

    def hashed(rel: str, size: int, mtime: int) -> FileInfo:
        entry = remembered.get(rel)
        if isinstance(entry, list) and entry[:2] == [size, mtime] and isinstance(entry[2], str):
            digest = entry[2]
        else:
            digest = digest_file(root / rel)
        fresh[rel] = [size, mtime, digest]
        return FileInfo(digest, size)

    found = _recorded(out_dir, site_dir)
    recorded, foreign = found if found is not None else (None, [])
    if recorded is None:
        known = writer.read_manifest(root)
        for rel, size, mtime in _walk(root):
            digest = known.get(rel)
            files[rel] = FileInfo(digest, size) if digest else hashed(rel, size, mtime)
    else:
        prefix = os.path.join(str(root), "")
        for rel, (digest, stat) in recorded.items():
            try:
                now = os.lstat(prefix + rel)
            except OSError:
                continue  # deleted by hand: not part of the site any more
            if (now.st_size, now.st_mtime_ns, now.st_ino) == stat:
                files[rel] = FileInfo(digest, now.st_size)
            elif S_ISREG(now.st_mode):
                files[rel] = hashed(rel, now.st_size, now.st_mtime_ns)
        tops = {rel.partition("/")[0] for rel in recorded}
        for rel, size, mtime in _walk(root, lambda name: name not in tops):
            files[rel] = hashed(rel, size, mtime)
        for entry in foreign:  # put by hand inside sitegen's folders, and carried by each build
            for rel, size, mtime in _walk_entry(root, entry):
                files[rel] = hashed(rel, size, mtime)
    if site_dir is not None and fresh != remembered:
        _save_cache(site_dir, fresh)
    return Snapshot(root, dict(sorted(files.items())))


def _recorded(out_dir: Path, site_dir: Path | None
              ) -> tuple[dict[str, tuple[str, generations.FileStat | None]], list[str]] | None:
    """Path -> (digest, size/mtime/inode) of every file the build wrote into the live
    generation, from its record, and the entries added by hand that it carried; None when
    there is no complete record to trust."""
    if site_dir is None:
        return None
    slots = generations.locate(site_dir, out_dir)  # as the build found it
    marker = generations.read_marker(slots, slots.live)
    if marker is None:
        return None
    return {rel: (digest, marker.stats.get(rel)) for rel, digest in marker.files.items()}, marker.foreign


def _walk_entry(root: Path, entry: str) -> Iterator[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of ``entry`` below ``root``, a file or every file of a folder."""
    try:
        stat = os.lstat(root / entry)
    except OSError:
        return
    if S_ISREG(stat.st_mode):
        yield entry, stat.st_size, stat.st_mtime_ns
    elif S_ISDIR(stat.st_mode):
        for rel, size, mtime in _walk(root / entry):
            yield f"{entry}/{rel}", size, mtime


def _walk(root: Path, top: Callable[[str], bool] = lambda name: True) -> Iterator[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every regular file but the top-level bookkeeping,
    below the top-level names ``top`` accepts."""
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if not prefix and ((entry.name.startswith(PRIVATE_PREFIX) and entry.name != generations.MARKER)
                                   or not top(entry.name)):
                    continue
                stat = entry.stat(follow_symlinks=False)
                rel = prefix + entry.name
                if S_ISDIR(stat.st_mode):
                    stack.append((rel + "/", entry.path))
                elif S_ISREG(stat.st_mode):
                    yield rel, stat.st_size, stat.st_mtime_ns


def _load_cache(site_dir: Path | None) -> dict[str, list[object]]:
    if site_dir is None:
        return {}
    try:
        data = json.loads((cachefiles.cache_dir(site_dir) / _DIGEST_CACHE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_cache(site_dir: Path, entries: dict[str, list[object]]) -> None:
    folder = cachefiles.cache_dir(site_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / (_DIGEST_CACHE + ".tmp")
        temporary.write_text(json.dumps(entries), "utf-8")
        os.replace(temporary, folder / _DIGEST_CACHE)
    except OSError:
        pass  # a read-only site folder: the next deploy hashes those files again
