"""What sitegen keeps between runs, in .sitegen-cache/ in the site folder.

Parsed entries (keyed by file and content hash) and the fingerprint each output was
made from. A different sitegen version or an unreadable cache is silently ignored:
deleting the folder only makes the next build slower.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from sitegen import __version__

CACHE_DIR = ".sitegen-cache"
_STAMP = (__version__, sys.version_info[:2], 3)


def cache_dir(site_dir: Path) -> Path:
    return site_dir / CACHE_DIR


def load(site_dir: Path, name: str) -> Any:
    try:
        with open(cache_dir(site_dir) / f"{name}.pickle", "rb") as handle:
            stamp, payload = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a broken cache is the same as no cache
        return None
    return payload if stamp == _STAMP else None


def save(site_dir: Path, name: str, payload: Any) -> None:
    folder = cache_dir(site_dir)
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", "utf-8")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((_STAMP, payload), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{name}.pickle")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def outputs_key(out_dir: Path) -> str:
    """Output fingerprints are kept per output folder."""
    return "outputs-" + hashlib.blake2b(str(out_dir.resolve()).encode(), digest_size=6).hexdigest()
