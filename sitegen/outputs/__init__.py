"""Outputs: pure functions of the Site that return the files to write.

Each Output names its path, a fingerprint of everything it is made from, and how to
render its bytes. Rendering is deferred so an unchanged fingerprint costs nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Output:
    path: str  # relative to the output folder, with forward slashes
    deps: str  # fingerprint of every input; equal fingerprints mean equal bytes
    render: Callable[[], bytes]
    kind: str = "page"  # page, feed, sitemap, static, redirect: for progress and counts


def fingerprint(*parts: object) -> str:
    digest = hashlib.blake2b(digest_size=12)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()
