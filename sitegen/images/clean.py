"""Image files without their metadata, cut out without decoding: what the static copier
publishes for every raster file in static/, and the full-size download of a JPEG photo.

JPEG, PNG and WebP files lose their metadata without being decoded: the segments or chunks
that hold EXIF, XMP, IPTC, comments and text are dropped and the image data is copied as it
is, so the picture is exactly the photographer's. A photo whose EXIF says to rotate it is
decoded, turned upright and encoded again (without EXIF nothing would rotate it any more);
so are formats whose metadata cannot be cut out (TIFF, AVIF): that is Pillow's part,
``sitegen.images.derive.clean_bytes``, which uses what this module cuts where it can.
"""

from __future__ import annotations

import re
import struct

#: Byte strings that metadata scanners look for. Compressed data can hold them by chance
#: (three bytes like "GPS" turn up about once in 16 MB); a file that does is made again
#: slightly differently, so no published file even looks as if it carried metadata. Not a
#: GIF: it has no other way to be written, and once its extensions are cut out it holds
#: nothing but its picture.
LEAKY = (b"GPS", b"Exif", b"ns.adobe.com/xap", b"XML:com.adobe.xmp")


def looks_clean(data: bytes) -> bool:
    return not any(marker in data for marker in LEAKY)


# --- JPEG ---------------------------------------------------------------------------
# Kept: the JFIF header (APP0), a colour profile (APP2 "ICC_PROFILE"), Adobe's colour
# transform (APP14) and every segment the image data needs. Dropped: EXIF and XMP (APP1),
# other APP2 (MPF: pointers to extra images after the end), APP3-APP13 (IPTC and
# Photoshop in APP13), APP15, comments; and whatever follows the end of the image (phones
# append depth maps and previews there, each with EXIF of its own).

_KEEP_APP = {0xE0, 0xEE}


def strip_jpeg(data: bytes) -> bytes | None:
    """The JPEG without metadata, or None when its structure is not understood."""
    if not data.startswith(b"\xff\xd8"):
        return None
    out = [b"\xff\xd8"]
    pos, size = 2, len(data)
    while pos + 2 <= size:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[pos:pos + 2])
            pos += 2
            continue
        if pos + 4 > size:
            return None
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        end = pos + 2 + length
        if length < 2 or end > size:
            return None
        segment = data[pos:end]
        if marker == 0xDA:  # start of scan: the entropy-coded data runs to the next marker
            scan_end = _scan_end(data, end)
            if scan_end is None:
                return None
            out.append(data[pos:scan_end])
            pos = scan_end
            continue
        if _keep_segment(marker, segment):
            out.append(segment)
        pos = end
    return None


def _keep_segment(marker: int, segment: bytes) -> bool:
    if marker == 0xFE:  # comment
        return False
    if 0xE0 <= marker <= 0xEF:
        return marker in _KEEP_APP or (marker == 0xE2 and segment[4:16] == b"ICC_PROFILE\x00")
    return True


def _scan_end(data: bytes, pos: int) -> int | None:
    """Where the entropy-coded data that starts at ``pos`` ends: the next marker that is
    neither a stuffed 0xFF00 nor a restart marker (nor a fill byte before a marker)."""
    found = _MARKER.search(data, pos)
    return None if found is None else found.start()


#: 0xFF followed by neither 0x00 (stuffing), a restart marker nor another 0xFF (fill), so a
#: run of fill bytes ends at the last 0xFF, the one the marker code follows.
_MARKER = re.compile(rb"\xff(?=[^\x00\xd0-\xd7\xff])")


# --- PNG ----------------------------------------------------------------------------
_PNG = b"\x89PNG\r\n\x1a\n"
#: Chunks that describe the picture itself; every other chunk (text, EXIF, time) is dropped.
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
             b"bKGD", b"pHYs", b"cICP", b"acTL", b"fcTL", b"fdAT"}


def strip_png(data: bytes) -> bytes | None:
    if not data.startswith(_PNG):
        return None
    out = [_PNG]
    pos = len(_PNG)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return None
        if kind in _PNG_KEEP:
            out.append(data[pos:end])
        if kind == b"IEND":
            return b"".join(out)
        pos = end
    return None


# --- WebP ---------------------------------------------------------------------------
_WEBP_DROP = {b"EXIF", b"XMP "}
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def strip_webp(data: bytes) -> bytes | None:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunks = []
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos:pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4:pos + 8])
        end = pos + 8 + length + (length & 1)
        if pos + 8 + length > len(data):
            return None
        chunk = data[pos:min(end, len(data))]
        if kind == b"VP8X" and length >= 1:
            flags = chunk[8] & ~(_VP8X_EXIF | _VP8X_XMP)
            chunk = chunk[:8] + bytes([flags]) + chunk[9:]
        if kind not in _WEBP_DROP:
            chunks.append(chunk)
        pos = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# --- GIF ----------------------------------------------------------------------------------
# Kept: the header, the colour tables, every frame, its graphic control (timing,
# transparency) and the looping extension of an animation. Dropped: comments, plain text
# blocks (text no browser draws, which could say anything) and every other application
# extension (XMP, which Photoshop writes; a colour profile; a maker's own).

_GIF_KEEP_APPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def strip_gif(data: bytes) -> bytes | None:
    """The GIF without comments or metadata extensions, or None when its structure is not understood."""
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        return None
    packed = data[10]
    pos = 13 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0)
    out = [data[:pos]]
    size = len(data)
    while pos < size:
        kind = data[pos]
        if kind == 0x3B:  # the trailer: whatever follows it is not the picture's
            out.append(b"\x3b")
            return b"".join(out)
        if kind == 0x21 and pos + 1 < size:
            end = _gif_blocks(data, pos + 2)
            if end is None:
                return None
            label, first = data[pos + 1], data[pos + 3:pos + 3 + data[pos + 2]] if pos + 2 < size else b""
            if label == 0xF9 or (label == 0xFF and first in _GIF_KEEP_APPS):
                out.append(data[pos:end])
            pos = end
        elif kind == 0x2C and pos + 10 <= size:
            image_packed = data[pos + 9]
            start = pos + 10 + (3 << ((image_packed & 7) + 1) if image_packed & 0x80 else 0) + 1  # + LZW code size
            end = _gif_blocks(data, start)
            if end is None:
                return None
            out.append(data[pos:end])
            pos = end
        else:
            return None
    return None  # no trailer: cut short


def _gif_blocks(data: bytes, pos: int) -> int | None:
    """Where the sub-blocks starting at ``pos`` end (after their 0 terminator)."""
    size = len(data)
    while pos < size:
        length = data[pos]
        pos += 1 + length
        if length == 0:
            return pos
    return None


# --- SVG ----------------------------------------------------------------------------------
# Illustrator and Inkscape write XMP or RDF into an SVG's <metadata> (the author, the tool,
# sometimes a GPS position): dropped, with any XMP packet written elsewhere in the file.
# Nothing there is drawn; every other byte stays as it was.

_SVG_METADATA = re.compile(rb"<metadata\b[^>]*/>|<metadata\b[^>]*>.*?</metadata\s*>", re.S | re.I)
_XMP_PACKET = re.compile(rb"<\?xpacket begin.*?<\?xpacket end[^>]*\?>|<x:xmpmeta\b.*?</x:xmpmeta\s*>", re.S)


def strip_svg(data: bytes) -> bytes:
    """The SVG without its <metadata> and XMP."""
    return _XMP_PACKET.sub(b"", _SVG_METADATA.sub(b"", data))
