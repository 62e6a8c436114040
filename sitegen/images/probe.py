"""A photo file → its content hash, upright size and format, or a problem in plain words.

Run at parse time (in the parse workers), so ``sitegen check`` and the build report a
damaged or oversized photo on the line of the release that names it. The check decodes
JPEGs in draft mode (an eighth of the size: the whole file is still read, so a cut-short
file is found) and never holds more than the pixel limit allows.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import oserrors
from sitegen.errors import LineProblem
from sitegen.messages import _, decimal

if TYPE_CHECKING:  # Pillow is imported where a photo is read
    from PIL import Image as PILImage

#: Formats whose files are photos sitegen publishes as responsive versions.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "AVIF", "GIF", "BMP", "MPO")
#: File extensions of images sent through Pillow (anything else, an SVG say, is left as it is);
#: .jfif is a JPEG as Windows and WhatsApp name it.
RASTER_EXTENSIONS = (".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".tif", ".tiff", ".avif", ".bmp")
#: EXIF orientations that swap width and height.
SWAPPED = (5, 6, 7, 8)


class PhotoProblem(LineProblem):
    """A photo that cannot be published; the caller adds the release's path and line."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(None, message, hint)


@dataclass(frozen=True, slots=True)
class Probe:
    digest: str  # of the file's bytes
    width: int  # upright
    height: int
    format: str  # Pillow's name: JPEG, PNG, ...
    orientation: int
    size: int
    mtime_ns: int


def is_raster(path: str) -> bool:
    return path.lower().endswith(RASTER_EXTENSIONS)


#: The first bytes of picture files, whatever they are named: a photo saved as .jfif (Windows,
#: WhatsApp), .HEIC (an iPhone), .gif or with no extension carries its camera's metadata too.
_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
_FTYP_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")


def is_picture(path: Path) -> bool:
    """Whether ``path`` holds a picture, by its first bytes (for a file not named as a raster),
    or is an SVG drawing (its <metadata> is taken out too)."""
    if path.suffix.lower() == ".svg":
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return head.startswith(_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP") or \
        (head[4:8] == b"ftyp" and head[8:12] in _FTYP_BRANDS)


def cleaned_when_published(rel: str, path: Path) -> bool:
    """Whether a file of static/ (``rel`` under it, at ``path``) is published without its
    metadata rather than copied as it is (sitegen.outputs.static)."""
    return is_raster(rel) or is_picture(path)


def probe(path: str, max_pixels: int) -> Probe:
    """Raises PhotoProblem. Remembered per process by the file's size and mtime: a photo
    used by several releases is read once."""
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise PhotoProblem(_("the photo cannot be read ({reason})").format(reason=oserrors.words(exc, lower=False)),
                           _("check the file name")) from None
    return _probe(path, stat.st_size, stat.st_mtime_ns, max_pixels)


def forget() -> None:
    """Read every photo again (``--clean``): one changed with its size and time kept is not
    the one remembered."""
    _probe.cache_clear()


@lru_cache(maxsize=1024)
def _probe(path: str, size: int, mtime_ns: int, max_pixels: int) -> Probe:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise PhotoProblem(_("the photo cannot be read ({reason})").format(reason=oserrors.words(exc, lower=False)),
                           _("check the file name")) from None
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    fmt, width, height, orientation = inspect(data, max_pixels)
    return Probe(digest, width, height, fmt, orientation, size, mtime_ns)


def _stored_size(im: PILImage.Image) -> tuple[int, int]:
    """The size of the pixels as the file stores them, before its orientation turns them:
    Pillow gives a TIFF's size already turned (it turns the pixels as it loads them), every
    other format's as stored."""
    tags = getattr(im, "tag_v2", None) if im.format == "TIFF" else None
    if tags is not None and isinstance(tags.get(256), int) and isinstance(tags.get(257), int):
        return tags[256], tags[257]  # ImageWidth, ImageLength
    return im.size


def inspect(data: bytes, max_pixels: int, verify: bool = True) -> tuple[str, int, int, int]:
    """(format, upright width, upright height, EXIF orientation) of an image file's bytes;
    ``verify`` decodes enough of it to know it is whole (a caller about to decode it all
    anyway skips that)."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow's own bomb check; above twice this it refuses
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                fmt = im.format or ""
                width, height = _stored_size(im)
                if fmt not in PHOTO_FORMATS:
                    raise PhotoProblem(_("the file is a {kind} image, which sitegen does not publish as a "
                                         "photo").format(kind=fmt or "?"), _("save it as JPEG, PNG or WebP"))
                _too_big(width, height, max_pixels)
                try:
                    orientation = int(im.getexif().get(0x0112, 1))
                except Exception:  # noqa: BLE001 - broken EXIF only loses the rotation
                    orientation = 1
                if verify:
                    _verify(im, data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow says how many pixels in its message, and nowhere else.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_many(int(found.group(1)) if found else 0, max_pixels) from None
    except UnidentifiedImageError:
        raise PhotoProblem(
            _("the file is not an image sitegen can read (damaged, or not JPEG, PNG, WebP, TIFF or AVIF)"),
            _("export the photo again as JPEG")) from None
    except PhotoProblem:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError,
            MemoryError, struct.error):
        # Pillow's own words for it (English, and about the file's insides) help nobody fix it.
        raise PhotoProblem(_("the photo is damaged or cut short"), _("export or copy the photo again")) from None
    orientation = orientation if 1 <= orientation <= 8 else 1
    if orientation in SWAPPED:
        width, height = height, width
    return fmt, width, height, orientation


def _too_big(width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise _too_many(width * height, max_pixels)


def _too_many(pixels: int, max_pixels: int) -> PhotoProblem:
    hint = _("make it smaller, or raise images.max_megapixels in config.yaml")
    limit = max_pixels // 1_000_000
    if not pixels:
        return PhotoProblem(_("the photo has more than {limit} megapixels, too many to process").format(limit=limit),
                            hint)
    return PhotoProblem(_("the photo has {megapixels} megapixels, more than the {limit} megapixels sitegen "
                          "processes").format(megapixels=decimal(pixels / 1e6, 1),
                                              limit=limit), hint)


def _verify(im: object, data: bytes) -> None:
    """Decode enough to know the file is whole, cheaply."""
    from PIL import Image

    assert isinstance(im, Image.Image)
    if im.format in ("JPEG", "MPO"):
        im.draft(im.mode if im.mode in ("RGB", "L") else None, (max(1, im.width // 8), max(1, im.height // 8)))
        im.load()
    elif im.format == "PNG":
        with Image.open(io.BytesIO(data)) as fresh:
            fresh.verify()  # every chunk's checksum, without decoding the pixels
    else:
        im.load()
