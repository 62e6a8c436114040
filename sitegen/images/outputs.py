"""The photo files a build publishes: every version of every photo the public entries use."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import unquote

from sitegen import urls
from sitegen.images.photo import Photo
from sitegen.model import Site
from sitegen.outputs import Output, fingerprint

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer

KIND = "photo"


def photo_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    files = r.photos
    seen: set[str] = set()
    # One photo shown by many releases (an office's standard picture) is listed once: its
    # files follow from its address and its derivative set, not from its alt text or caption.
    photos: dict[tuple[str, str], Photo] = {}
    for entry in site.entries():
        for photo in entry.photos:
            photos.setdefault((photo.source, photo.key), photo)
    for photo in photos.values():
        for url, name in files.names(photo):
            if url in seen:
                continue
            seen.add(url)
            # The set key is in the name: an address always holds the same bytes.
            yield Output(urls.output_path(unquote(url)), fingerprint(KIND, photo.key, name),
                         partial(files.read, photo, name), kind=KIND)
