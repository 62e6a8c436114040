"""Pillow's part: one photo → all its versions, upright and without metadata; and any
image file without its metadata (``clean_bytes``: cut out where sitegen.images.clean can,
else decoded and encoded again).

A JPEG is decoded in draft mode (the decoder scales by 1/2, 1/4 or 1/8 while decoding) to
the smallest size still at least as large as the widest version, so a 12-megapixel photo
is decoded at a quarter of its pixels and a 100-megapixel one never whole, unless it must
be turned upright at full size for its download. Each width is then resized from the next
wider one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sitegen.cachefiles import place, sealed
from sitegen.images.clean import looks_clean, strip_gif, strip_jpeg, strip_png, strip_svg, strip_webp
from sitegen.images.plan import FULL, file_name, height_at
from sitegen.images.probe import SWAPPED, PhotoProblem, inspect
from sitegen.messages import _

if TYPE_CHECKING:
    from PIL import Image as PILImage

#: Encoder settings per format, besides quality: the fast end of each encoder (baseline
#: JPEG without a second pass, WebP's method 0, AVIF's speed 10), which keeps the versions of
#: a 12-megapixel photo within the CPU budget of benchmarks/images.py for files a little
#: larger. AVIF on one thread: a build already makes photos in as many processes as there are
#: cores, and the encoder's own threads only add the cost of handing work between them.
_OPTIONS: dict[str, dict[str, object]] = {
    "jpeg": {"optimize": False},
    "webp": {"method": 0},
    "avif": {"speed": 10, "max_threads": 1},
}
#: libaom's classic tuning instead of the perceptual one newer libavif asks for: about half
#: the encoding time, and still half the size of the WebP version (benchmarks/README.md).
_AOM_OPTIONS = {"advanced": {"tune": "psnr"}}
_PIL_NAMES = {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}


@dataclass(frozen=True, slots=True)
class SetJob:
    """What one worker needs to make one photo's missing files (plain data: it is pickled)."""

    source: str  # absolute path of the original
    folder: str  # the set's cache folder, made whole or not at all
    targets: tuple[tuple[int, str], ...]  # (width, format)
    qualities: tuple[tuple[str, int], ...]
    full_quality: int
    max_pixels: int
    #: a full-size JPEG besides the versions: for photos that are not JPEGs (their download)
    full: bool
    #: where the metadata-free copy of a JPEG goes (its download and static copy), if missing
    clean_path: str | None


def upright(im: PILImage.Image) -> PILImage.Image:
    """The image turned as its EXIF orientation says, loaded, with no metadata left in
    ``info`` but the colour profile and a palette's transparent colour (savers copy some of
    ``info``, JPEG's comment say)."""
    from PIL import ImageOps

    kept: dict[str | tuple[int, int], Any] = {key: im.info[key] for key in ("icc_profile", "transparency")
                                              if im.info.get(key) is not None}
    try:
        orientation = im.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - unreadable EXIF: nothing says to turn it
        orientation = 1
    if orientation in range(2, 9):
        turned = ImageOps.exif_transpose(im)
    else:  # already upright: no copy (of 300 MB, for a 100-megapixel photo)
        im.load()
        turned = im
    turned.info = kept
    return turned


def without_palette(im: PILImage.Image) -> PILImage.Image:
    """A palette or 1-bit picture (an 8-bit PNG, say) in full colour, its transparent colour
    as an alpha channel: resized smoothly (a palette only by dropping pixels) and seen
    through where it was transparent, not on the palette's first colour."""
    if im.mode not in ("P", "PA", "1"):
        return im
    alpha = im.mode == "PA" or "transparency" in im.info
    converted = im.convert("RGBA" if alpha else ("L" if im.mode == "1" else "RGB"))
    converted.info = {"icc_profile": im.info["icc_profile"]} if im.info.get("icc_profile") else {}
    return converted


def encode(im: PILImage.Image, fmt: str, quality: int) -> bytes:
    """``im`` as a file of ``fmt``, with no metadata but the colour profile."""
    im = _mode_for(im, fmt)
    icc = im.info.get("icc_profile")
    extra = {"icc_profile": icc} if icc else {}
    data = b""
    for step in (0, -1, 1, -2, 2):  # see clean.LEAKY
        out = io.BytesIO()
        im.save(out, _PIL_NAMES[fmt], quality=max(1, min(100, quality + step)), **_options(fmt), **extra)
        data = out.getvalue()
        if looks_clean(data):
            break
    return data


@cache
def _options(fmt: str) -> dict[str, object]:
    if fmt == "avif":
        try:
            from PIL import AvifImagePlugin

            aom = AvifImagePlugin.get_codec_version("aom")
        except (ImportError, AttributeError):  # AVIF from elsewhere than Pillow's own plugin
            aom = None
        if aom:
            return _OPTIONS[fmt] | _AOM_OPTIONS
    return _OPTIONS[fmt]


def _mode_for(im: PILImage.Image, fmt: str) -> PILImage.Image:
    from PIL import Image

    if im.mode.startswith("I") or im.mode == "F":  # 16- or 32-bit grey: scaled to 8 bits, not clipped white
        im = _eight_bit(im)
    alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if fmt == "jpeg" and alpha:
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        flat.info = dict(im.info)
        return flat
    wanted = "RGBA" if alpha else ("L" if im.mode == "L" and fmt == "jpeg" else "RGB")
    if im.mode == wanted:
        return im
    return _convert(im, wanted)


def _eight_bit(im: PILImage.Image) -> PILImage.Image:
    """A grey image of more than 8 bits a sample (PNG's 16-bit grey, mode I;16) as mode L."""
    info = dict(im.info)
    wide = im.convert("I") if im.mode != "I" else im
    if im.mode.startswith("I;16") or im.mode == "F" or (wide.getextrema()[1] or 0) > 255:  # type: ignore[operator]
        wide = wide.point(lambda v: v * (1 / 256))
    eight = wide.convert("L")
    eight.info = info
    return eight


#: Modes whose colour profile describes RGB: it stays right when the pixels become RGB(A).
_RGB_MODES = ("RGB", "RGBA", "RGBX", "P", "PA")


def _convert(im: PILImage.Image, wanted: str) -> PILImage.Image:
    """``im`` in mode ``wanted``. Its colour profile goes along only where it still describes
    the pixels: a grey or CMYK profile on RGB pixels is wrong, and Chromium then shows an AVIF
    as a broken image. A CMYK picture with a profile is turned into sRGB through it."""
    icc = im.info.get("icc_profile")
    info = {k: v for k, v in im.info.items() if k != "icc_profile"}
    if icc and im.mode == "CMYK" and wanted == "RGB":
        from PIL import ImageCms

        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(im, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (OSError, ValueError, ImageCms.PyCMSError):  # a broken profile: converted as if it had none
            converted = None
        if converted is not None:
            converted.info = info  # sRGB: what a picture without a profile is taken to be
            return converted
    converted = im.convert(wanted)
    keep = icc and im.mode in _RGB_MODES and wanted in ("RGB", "RGBA")
    converted.info = {**info, "icc_profile": icc} if keep else info
    return converted


def clean_bytes(data: bytes, full_quality: int, max_pixels: int, svg: bool = False) -> bytes:
    """``data`` (an image file) without metadata, upright, in its own format; ``svg``: the
    file is an SVG drawing (text, which Pillow does not read)."""
    if svg:
        return strip_svg(data)
    if data[:6] in (b"GIF87a", b"GIF89a"):  # not a photo format, but static/ may hold one
        gif = strip_gif(data)
        if gif is not None:
            # Its comments, text and metadata extensions cut out, a GIF holds its frames and
            # their timing alone: "GPS" left in it is compressed pixels.
            return gif
        raise PhotoProblem(_("the GIF image cannot be read"), _("save it again, or as PNG"))
    fmt, _width, _height, orientation = inspect(data, max_pixels)
    if fmt == "BMP":
        return data  # a BMP holds pixels and nothing else
    stripped: bytes | None = None
    if orientation == 1:
        if fmt in ("JPEG", "MPO"):
            stripped = strip_jpeg(data)
        elif fmt == "PNG":
            stripped = strip_png(data)
        elif fmt == "WEBP":
            stripped = strip_webp(data)
    if stripped is not None and looks_clean(stripped):
        return stripped
    return reencode(data, fmt, full_quality)


def reencode(data: bytes, fmt: str, quality: int) -> bytes:
    """Decode, turn upright, encode again in the same kind of file with no metadata."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        im = upright(opened)
    kind = "JPEG" if fmt == "MPO" else fmt
    if kind == "JPEG":
        return encode(im, "jpeg", quality)
    if kind == "WEBP":
        return encode(im, "webp", quality)
    if kind == "AVIF":
        return encode(im, "avif", quality)
    if kind == "TIFF":
        # Pillow's TIFF writer copies the tags of the file the image was read from (camera,
        # time, the pointer to the GPS position) whatever ``info`` holds: save the pixels alone.
        bare = Image.frombytes(im.mode, im.size, im.tobytes())
        if im.palette is not None:
            bare.putpalette(im.palette)
        bare.info = im.info
        im = bare
    for level in (6, 5, 7, 4, 8):  # lossless: another compression level is other bytes, same pixels
        out = io.BytesIO()
        im.save(out, kind if kind in ("PNG", "TIFF") else "PNG",
                **({"compress_level": level} if kind != "TIFF" else {"compression": "tiff_lzw"}))
        if looks_clean(out.getvalue()) or kind == "TIFF":
            return out.getvalue()
    return out.getvalue()


def make_set(job: SetJob) -> None:
    """Make the job's files into its folder. Raises PhotoProblem for a bad photo."""
    from PIL import Image

    with open(job.source, "rb") as handle:
        data = handle.read()
    fmt, width, height, orientation = inspect(data, job.max_pixels, verify=False)  # decoded below
    is_jpeg = fmt in ("JPEG", "MPO")
    files: dict[str, bytes] = {}
    clean: bytes | None = None
    if job.clean_path is not None and orientation == 1:
        clean = strip_jpeg(data)
        clean = clean if clean is not None and looks_clean(clean) else None
    full_size = job.full or (job.clean_path is not None and clean is None)
    widest = max(w for w, _ in job.targets)
    with Image.open(io.BytesIO(data)) as opened:
        if is_jpeg and not full_size:
            stored = (widest, height_at(width, height, widest))
            if orientation in SWAPPED:
                stored = stored[::-1]
            opened.draft(opened.mode if opened.mode in ("RGB", "L") else None, stored)
        base = without_palette(upright(opened))
    if full_size:
        full = encode(base, "jpeg", job.full_quality)
        if job.full:
            files[FULL] = full
        if job.clean_path is not None and clean is None:
            clean = full
        # The versions start, as for a photo decoded in draft mode, from a box-filtered
        # picture at most twice the widest version: resizing the full picture costs more
        # than everything else together.
        factor = max(1, base.width // widest)
        if factor > 1:
            info, base = base.info, base.reduce(factor)  # reduce() keeps no info: the colour profile
            base.info = info
    qualities = dict(job.qualities)
    current = base
    for target in sorted({w for w, _fmt in job.targets}, reverse=True):
        size = (target, height_at(width, height, target))
        if current.size != size:
            # Each version from the next wider one, bilinear: at most about twice smaller a
            # step, where it looks like bicubic or Lanczos at a fraction of the cost.
            current = current.resize(size, Image.Resampling.BILINEAR, reducing_gap=3.0)
            current.info = dict(base.info)
        for w, fmt_name in job.targets:
            if w == target:
                files[file_name(w, fmt_name)] = encode(current, fmt_name, qualities[fmt_name])
    _place(job.folder, files)
    if job.clean_path is not None and clean is not None:
        place(job.clean_path, sealed(clean))


#: A set's file of its files' digests: a version damaged in the cache since is known by it
#: (PhotoFiles.read) and made again, not published.
SUMS = ".sums"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _place(folder: str, files: dict[str, bytes]) -> None:
    """Write the files into a new folder, then rename it into place: a set is whole or absent."""
    parent = os.path.dirname(folder)
    os.makedirs(parent, exist_ok=True)
    temporary = tempfile.mkdtemp(dir=parent, prefix=".new-")
    try:
        for name, data in {**files, SUMS: json.dumps({n: digest(d) for n, d in files.items()}).encode()}.items():
            with open(os.path.join(temporary, name), "wb") as handle:
                handle.write(data)
        try:
            os.rename(temporary, folder)
        except OSError:
            if not os.path.isdir(folder):  # not another worker or build that made it first
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
