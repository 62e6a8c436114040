"""The photo model templates and feeds read: plain frozen data, no Pillow needed."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.images.settings import MIMES


@dataclass(frozen=True, slots=True)
class Rendition:
    """One published version of a photo: a width in one format."""

    url: str  # site path, safe to put in srcset (no spaces or commas)
    width: int
    height: int
    format: str  # "avif", "webp" or "jpeg"

    @property
    def mime(self) -> str:
        return MIMES[self.format]


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo as one release uses it (lead, gallery or in the text), with what it is published as."""

    source: str  # site path as written, e.g. /images/rapat.jpg
    alt: str
    caption: str
    credit: str
    width: int  # of the original, upright (EXIF orientation applied): the download's size
    height: int
    renditions: tuple[Rendition, ...]  # every width in every format, best format first, narrow first
    src: str  # the JPEG fallback (<img src>)
    og_url: str  # 1200 wide (or the original's width, if narrower) JPEG, for og:image and JSON-LD
    og_width: int
    og_height: int
    download_url: str  # full-size, metadata-free JPEG
    key: str  # of the derivative set: the file's content and the image settings
    digest: str  # of the original file's bytes
    #: True when the download is a JPEG made from another format (PNG, WebP...); False when
    #: it is the JPEG original itself, published metadata-free at its own address
    converted: bool
    file: str  # site-relative path of the original, e.g. static/images/rapat.jpg
    size: int  # of the original, with mtime_ns: a cached parse is redone when either changes
    mtime_ns: int
    line: int  # line of the release that names it, for errors found when deriving

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.format for r in self.renditions))

    def srcset(self, fmt: str) -> str:
        return ", ".join(f"{r.url} {r.width}w" for r in self.renditions if r.format == fmt)

    @property
    def sources(self) -> tuple[tuple[str, str], ...]:
        """(mime type, srcset) of each format before the JPEG fallback, for <source> elements."""
        return tuple((MIMES[fmt], self.srcset(fmt)) for fmt in self.formats if fmt != "jpeg")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")
