"""The files sitegen keeps between runs in .sitegen-cache/ in the site folder: written whole
or not at all, and stamped with the sitegen and Python versions that wrote them (sitegen's own
files too, own_code) and the installed versions of the libraries that shape the output.

What goes in them is up to the modules that use them (the entries cache, the renderer's memo,
the nothing-changed stamp, ...). A file with another stamp, or one that cannot be read,
counts as missing: deleting the folder only makes the next build slower. So an upgraded
library (a fix in the HTML sanitizer, say) makes the next build a real one, which parses
every release again (the parse's fingerprint holds the stamp) and so renders every
release's page, feeds and search text again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from sitegen import __version__

CACHE_DIR = ".sitegen-cache"
#: The libraries whose versions shape what a build writes, by their projects' names as
#: their metadata folders spell them.
LIBRARIES = frozenset({"markdown", "jinja2", "markupsafe", "pyyaml", "feedgen", "lxml", "babel", "nh3", "pillow",
                       "zlib_ng", "pagefind", "pagefind_bin"})


def installed_libraries() -> tuple[str, ...]:
    """The installed versions of :data:`LIBRARIES`, as the names of their metadata folders
    (``markdown-3.7.dist-info``) on the import path. The listing runs at every process's
    start, the nothing-changed check's included, so it must cost far less than importing the
    libraries or asking ``importlib.metadata`` (benchmarks/README.md has both)."""
    found = []
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as entries:
                found += [entry.name for entry in entries if entry.name.endswith((".dist-info", ".egg-info"))
                          and entry.name.partition("-")[0].lower() in LIBRARIES]
        except OSError:  # a zip file, or a folder that is not there
            continue
    return tuple(sorted(found))


def own_code(root: Path = Path(__file__).parent) -> str:
    """A digest of sitegen's own modules and catalogues under ``root``: their paths and bytes.
    The version number alone is not enough: an upgrade from a checkout, or one that keeps the
    number, would leave every page made by the old code in place while its sources stay
    unchanged, as the nothing-changed build would replay the old warnings. Their bytes, not
    their times: names of published files are made from it (the search bundles'), and two
    checkouts of one commit must publish the same bytes."""
    digest = hashlib.blake2b(digest_size=8)
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".mo")):
                with open(os.path.join(folder, name), "rb") as handle:
                    data = handle.read()
                path = f"{os.path.relpath(folder, root)}/{name}"
                digest.update(f"{path}\0{len(data)}\n".encode("utf-8", "surrogateescape") + data)
    return digest.hexdigest()


STAMP = (__version__, own_code(), sys.version_info[:2], 4, installed_libraries())


def cache_dir(site_dir: Path) -> Path:
    return site_dir / CACHE_DIR


def load(site_dir: Path, name: str) -> Any:
    try:
        with open(cache_dir(site_dir) / f"{name}.pickle", "rb") as handle:
            stamp, payload = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a broken cache is the same as no cache
        return None
    return payload if stamp == STAMP else None


def save(site_dir: Path, name: str, payload: Any) -> None:
    _atomic(site_dir, f"{name}.pickle",
            lambda handle: pickle.dump((STAMP, payload), handle, protocol=pickle.HIGHEST_PROTOCOL))


def _atomic(site_dir: Path, file_name: str, fill: Callable[[BinaryIO], object]) -> None:
    """Write a cache file whole or not at all: a reader never sees half of one."""
    folder = cache_dir(site_dir)
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", "utf-8")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{file_name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
        os.replace(tmp, folder / file_name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def place(path: str, data: bytes) -> None:
    """Write a cache file at ``path`` whole or not at all (a temporary beside it, renamed)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".new-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


_SEAL = 16  # bytes of the digest a sealed cache file ends with


def sealed(data: bytes) -> bytes:
    """``data`` followed by its own digest, as kept in a cache file whose damage would reach the
    site unnoticed (a photo's clean copy, a compiled template): one not as it was made is
    made again, never used."""
    return data + hashlib.blake2b(data, digest_size=_SEAL).digest()


def unsealed(kept: bytes) -> bytes | None:
    """The data ``sealed`` kept, or None if it is not as it was made."""
    data, seal = kept[:-_SEAL], kept[-_SEAL:]
    return data if data and hashlib.blake2b(data, digest_size=_SEAL).digest() == seal else None


def read(site_dir: Path, name: str) -> memoryview | None:
    """A cache file's payload, or None when it is missing or from another sitegen. A view
    past the stamp, not a copy: the entries cache of a large site is tens of megabytes."""
    try:
        data = (cache_dir(site_dir) / f"{name}.bin").read_bytes()
    except OSError:
        return None
    stamp = _stamp_bytes()
    return memoryview(data)[len(stamp):] if data.startswith(stamp) else None


def write(site_dir: Path, name: str, payload: bytes) -> None:
    _atomic(site_dir, f"{name}.bin", lambda handle: handle.write(_stamp_bytes() + payload))


def _stamp_bytes() -> bytes:
    return repr(STAMP).encode() + b"\n"
