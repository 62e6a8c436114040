"""Which versions a photo is published as, and at which addresses: decided from the probe
and the settings alone, so the parse can name every URL before anything is encoded."""

from __future__ import annotations

import hashlib
import importlib
import posixpath
import re
from functools import lru_cache
from typing import NamedTuple

from sitegen.images.photo import Photo, Rendition
from sitegen.images.probe import Probe
from sitegen.images.settings import EXTENSIONS, FORMATS, OG_WIDTH, ImageSettings
from sitegen.urls import file_address

#: Bump when the derivatives' bytes change for the same photo and settings.
DERIVE_VERSION = "3"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@lru_cache(maxsize=1)
def encoders() -> str:
    """The Pillow version and the formats it writes: new encoders give new bytes.

    Read from Pillow's compiled modules as ``PIL.features.version("jpg")`` and ``("webp")``
    read them (tests/test_images.py compares), without importing ``PIL.Image``: every build
    of a site with photos asks, most of them (edits) without drawing anything, and the
    import was a visible part of an edit build's start."""
    from PIL import __version__, _imaging

    jpeg = getattr(_imaging, "jpeglib_version", None) \
        if hasattr(_imaging, "jpeg_encoder") and hasattr(_imaging, "jpeg_decoder") else None
    return repr((__version__, jpeg, _compiled("PIL._webp", "webpdecoder_version"), writes_avif()))


def _compiled(module: str, name: str) -> object:
    """An attribute of one of Pillow's optional compiled modules; None when it is missing."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


@lru_cache(maxsize=1)
def writes_avif() -> bool:
    """Whether Pillow has its AVIF module (``PIL.features.check("avif")``)."""
    return _compiled("PIL._avif", "__name__") is not None


def formats(settings: ImageSettings) -> tuple[str, ...]:
    """The formats made, best first, JPEG always last (the fallback every browser reads)."""
    wanted = [f for f in FORMATS if f in settings.formats and f != "jpeg" and (f != "avif" or writes_avif())]
    return (*wanted, "jpeg")


def set_key(digest: str, settings: ImageSettings) -> str:
    text = "\x1f".join((digest, settings.fingerprint(), repr(formats(settings)), DERIVE_VERSION, encoders()))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def widths(width: int, settings: ImageSettings) -> tuple[int, ...]:
    """The configured widths up to the original's; the original's own width if it is narrower
    than all of them."""
    chosen = tuple(sorted({w for w in settings.widths if w <= width}))
    return chosen or (width,)


def height_at(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


def targets(probe: Probe, settings: ImageSettings) -> tuple[tuple[int, str], ...]:
    """(width, format) of every file of the set, the Open Graph JPEG included."""
    made = [(w, fmt) for fmt in formats(settings) for w in widths(probe.width, settings)]
    og = (min(OG_WIDTH, probe.width), "jpeg")
    return tuple(made if og in made else [*made, og])


def file_name(width: int, fmt: str) -> str:
    """A derivative's name inside its set's cache folder."""
    return f"{width}.{EXTENSIONS[fmt]}"


FULL = "full.jpg"  # the full-size JPEG of a photo that is not a JPEG itself


def plan_photo(probe: Probe, source: str, file: str, alt: str, caption: str, credit: str, line: int,
               settings: ImageSettings) -> Photo:
    key = set_key(probe.digest, settings)
    found = _published(probe, source, file, key, formats(settings), widths(probe.width, settings))
    return Photo(alt=alt, caption=caption, credit=credit, line=line, **found._asdict())


class _Published(NamedTuple):
    """What a photo file is published as, whichever release shows it (Photo's other fields)."""

    source: str
    width: int
    height: int
    renditions: tuple[Rendition, ...]
    src: str
    og_url: str
    og_width: int
    og_height: int
    download_url: str
    key: str
    digest: str
    converted: bool
    file: str
    size: int
    mtime_ns: int


@lru_cache(maxsize=1024)
def _published(probe: Probe, source: str, file: str, key: str, kinds: tuple[str, ...],
               sizes: tuple[int, ...]) -> _Published:
    """Remembered per process by what makes it: a photo that thousands of releases show gets
    one set of versions and addresses, not one per release, and a parse worker's results
    carry it once (pickle writes an object it has written before as a reference). Made anew
    for each, they were a large share of a large site's model, which each render process
    holds (benchmarks/README.md, fourteenth session)."""
    folder, name = posixpath.split(source)
    stem = _UNSAFE.sub("-", posixpath.splitext(name)[0]).strip("-.") or "photo"
    base = file_address(folder.rstrip("/")) + "/" + stem

    def url(width: int, fmt: str) -> str:
        return f"{base}-{width}w.{key[:10]}.{EXTENSIONS[fmt]}"

    renditions = tuple(Rendition(url(w, fmt), w, height_at(probe.width, probe.height, w), fmt)
                       for fmt in kinds for w in sizes)
    og_width = min(OG_WIDTH, probe.width)
    jpegs = [r for r in renditions if r.format == "jpeg"]
    # A JPEG is published metadata-free at its own address (the static copy): that is the
    # download. Other formats get a full-size JPEG beside their versions.
    download = file_address(source) if probe.format in ("JPEG", "MPO") else f"{base}-full.{key[:10]}.jpg"
    return _Published(source=source, width=probe.width, height=probe.height, renditions=renditions,
                      src=jpegs[-1].url if len(jpegs) == 1 else _middle(jpegs).url,
                      og_url=url(og_width, "jpeg"), og_width=og_width,
                      og_height=height_at(probe.width, probe.height, og_width), download_url=download, key=key,
                      digest=probe.digest, converted=probe.format not in ("JPEG", "MPO"),
                      file=file, size=probe.size, mtime_ns=probe.mtime_ns)


def _middle(jpegs: list[Rendition]) -> Rendition:
    """The fallback <img src> for browsers without srcset: a middle width, not the largest."""
    fitting = [r for r in jpegs if r.width <= 800]
    return fitting[-1] if fitting else jpegs[0]
