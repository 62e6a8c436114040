"""The local build as a deploy sees it: every file of the output folder with its digest and size.

Digests come from the writer's marker (``writer.read_manifest``), which already holds the
SHA-256 of every file a build wrote; files it does not list (the Pagefind bundle) or lists
as pending are hashed here, and those digests are remembered in ``.sitegen-cache/`` by size
and modification time so a redeploy does not read them again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from sitegen import cachefiles, writer

#: Top-level names of the output folder that are sitegen's bookkeeping, never published.
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

    @property
    def total_bytes(self) -> int:
        return sum(info.size for info in self.files.values())


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
    known = writer.read_manifest(root)
    remembered = _load_cache(site_dir)
    fresh: dict[str, list[object]] = {}
    files: dict[str, FileInfo] = {}
    for rel, size, mtime in _walk(root):
        digest = known.get(rel) or ""
        if not digest:
            entry = remembered.get(rel)
            if isinstance(entry, list) and entry[:2] == [size, mtime] and isinstance(entry[2], str):
                digest = entry[2]
            else:
                digest = digest_file(root / rel)
            fresh[rel] = [size, mtime, digest]
        files[rel] = FileInfo(digest, size)
    if site_dir is not None and fresh != remembered:
        _save_cache(site_dir, fresh)
    return Snapshot(root, dict(sorted(files.items())))


def _walk(root: Path) -> Iterator[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every regular file but the top-level bookkeeping."""
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if not prefix and entry.name.startswith(PRIVATE_PREFIX):
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
