"""Social card images: a 1200x630 PNG for each article without a lead photo.

Shared links on social networks and chat apps show this picture (Open Graph ``og:image``).
It is drawn from the title, the date in the article's language and the site name only,
and its fingerprint covers exactly those, so a card is redrawn only when one of them
changes, never because a template or the navigation did.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from zlib_ng import zlib_ng

from sitegen import urls
from sitegen.config import Config
from sitegen.model import Entry, Site
from sitegen.outputs import Output, fingerprint

# Pillow is imported only by builds that draw cards; the page context offers
# social_card(), so importing it here would be a cycle.
if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from sitegen.outputs.lettering import Lettering
    from sitegen.render.renderer import Renderer

WIDTH, HEIGHT = 1200, 630
CARD_FILE = "og.png"
#: Bump when the drawing below changes, so every card is redrawn once (text, as every
#: part of a fingerprint is).
LAYOUT = "4"

_FONTS = Path("/usr/share/fonts/truetype/dejavu")  # Debian: fonts-dejavu-core
_FONT_FILES = {True: "DejaVuSans-Bold.ttf", False: "DejaVuSans.ttf"}  # bold?
# The card is drawn in grey levels that a palette then colours. Levels 0-127 blend the body
# colour towards white, 128-255 the band colour: anti-aliased text blends within its own
# range, so the colours come out exact without quantizing, and the PNG takes one byte a
# pixel: quicker than drawing in RGB and quantizing, and smaller than RGB.
_BODY, _BAND = (0x0B, 0x4F, 0x8A), (0x08, 0x3A, 0x66)  # the humas theme's blues
_BODY_BG, _BODY_INK, _BODY_SOFT, _BAND_BG, _BAND_INK = 0, 127, 108, 128, 255
_MARGIN = 72
#: The card is drawn one pixel to the right, on canvases one pixel wider: their first column,
#: left at 0, is each PNG row's filter type, so a canvas's bytes are the PNG's rows.
_X = 1
_TITLE_SIZES = (64, 56, 48, 42)
_TITLE_LINES = 5

if TYPE_CHECKING:
    Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _palette() -> list[int]:
    def blend(colour: tuple[int, int, int], level: int) -> list[int]:
        return [round(c + (255 - c) * level / 127) for c in colour]

    return [c for base in (_BODY, _BAND) for level in range(128) for c in blend(base, level)]


_PALETTE = _palette()
_PALETTE_BYTES = bytes(_PALETTE)


def card_url(entry: Entry) -> str:
    """Where the card of ``entry`` is published: beside its page (``/berita/2024/x/og.png``)."""
    return entry.url + CARD_FILE


def has_card(entry: Entry) -> bool:
    """Articles with a photo (the lead photo, else one of the gallery or the text) share the
    photo; every other article gets a card (when its address is a folder, so the card has a
    place beside the page)."""
    return entry.is_article and entry.image is None and not entry.photos and entry.url.endswith("/")


def social_card(entry: Entry) -> str | None:
    """The card's site path for templates (``social_card(entry)`` in partials/meta.html)."""
    return card_url(entry) if has_card(entry) else None


def card_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    if not site.config.social_cards:
        return
    for lang in site.config.language_codes:
        name = site.config.languages[lang].title
        for entry in site.articles.get(lang, ()):
            if not has_card(entry):
                continue
            title, date = entry.title, r.strings[lang].date(entry.date)

            def render(title: str = title, date: str = date, name: str = name) -> bytes:
                return draw_card(title, date, name)

            yield Output(urls.output_path(card_url(entry)),
                         fingerprint(CARD_FILE, LAYOUT, title, date, name), render, kind="image")


#: The publisher's logo a site without ``logo:`` or ``brand.emblem`` gets, one per language:
#: schema.org's NewsArticle names its publisher with a logo, and search engines show it. Its
#: size is the one they ask of a logo drawn as a wordmark (600 x 60 at most).
LOGO_FILE = "publisher-logo.png"
LOGO_WIDTH, LOGO_HEIGHT = 600, 60
_LOGO_SIZES = (32, 28, 24, 20)


def publisher_logo(config: Config, lang: str) -> str:
    """The publisher's logo of ``lang``'s pages: the configured logo, else the header's
    emblem, else the one the build draws from the site's name (logo_outputs)."""
    return config.logo or config.brand.emblem or urls.home(config, lang) + LOGO_FILE


def logo_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    config = site.config
    if config.logo or config.brand.emblem:
        return
    for lang in config.language_codes:
        name = config.languages[lang].title

        def render(name: str = name) -> bytes:
            return draw_logo(name)

        yield Output(urls.output_path(urls.home(config, lang) + LOGO_FILE), fingerprint(LOGO_FILE, LAYOUT, name),
                     render, kind="image")


def draw_logo(site_name: str) -> bytes:
    """The site's name in white on the band's blue, as large as fits on one line (cut with an
    ellipsis at the smallest size)."""
    from PIL import Image

    width, name = LOGO_WIDTH - 2 * 12, site_name.strip()
    for size in _LOGO_SIZES:
        if _length(name, size, True) <= width:
            line = name
            break
    else:
        line = _cut(name, size, width)
    canvas = Image.new("L", (_X + LOGO_WIDTH, LOGO_HEIGHT), _BAND_BG)
    _text(canvas, (_X + 12, LOGO_HEIGHT // 2), line, size, True, _BAND_INK, anchor="lm")
    canvas.paste(0, (0, 0, _X, LOGO_HEIGHT))  # filter type 0 (none)
    return palette_png([deflated(canvas.tobytes())], (LOGO_WIDTH, LOGO_HEIGHT), _PALETTE_BYTES)


@lru_cache(maxsize=16)
def _font(size: int, bold: bool) -> Font:
    from PIL import ImageFont

    # Elsewhere Pillow looks for the same file name in the system's font folders. The basic
    # layout (FreeType's own kerning) is enough for the Latin script of both languages, and
    # lays a line out in less time than the complex-script engine (libraqm).
    try:
        return ImageFont.truetype(str(_FONTS / _FONT_FILES[bold]), size, layout_engine=ImageFont.Layout.BASIC)
    except OSError:  # font package missing: Pillow's own font still draws every Latin letter
        return ImageFont.load_default(size=size)


@lru_cache(maxsize=16)
def _lettering(size: int, bold: bool) -> Lettering | None:
    """The font's glyphs, kept for every card this process draws; None for Pillow's bitmap
    font (a Pillow without FreeType), which ``ImageDraw.text`` draws."""
    from PIL import ImageFont

    from sitegen.outputs.lettering import Lettering

    font = _font(size, bold)
    return Lettering(font) if isinstance(font, ImageFont.FreeTypeFont) else None


def _length(text: str, size: int, bold: bool) -> float:
    lettering = _lettering(size, bold)
    return lettering.length(text) if lettering is not None else _font(size, bold).getlength(text)


def _text(image: Image.Image, xy: tuple[int, int], text: str, size: int, bold: bool, fill: int,
          anchor: str = "la") -> None:
    lettering = _lettering(size, bold)
    if lettering is not None:
        lettering.draw(image, xy, text, fill, anchor)
    else:
        from PIL import ImageDraw

        ImageDraw.Draw(image).text(xy, text, font=_font(size, bold), fill=fill, anchor=anchor)


def _pieces(word: str, size: int, width: int) -> list[str]:
    """A word wider than a line (a long URL, say) cut into pieces that each fit."""
    pieces = []
    while word:
        cut = len(word)
        while cut > 1 and _length(word[:cut], size, True) > width:
            cut -= 1
        pieces.append(word[:cut])
        word = word[cut:]
    return pieces


def _wrap(text: str, size: int, width: int) -> list[str]:
    """Greedy word wrap by measured width, in the bold face."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if _length(candidate, size, True) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        *whole, line = _pieces(word, size, width)
        lines += whole
    if line:
        lines.append(line)
    return lines


def _fit_title(title: str, width: int) -> tuple[int, list[str]]:
    """The largest size at which the title fits; at the smallest, cut it with an ellipsis."""
    for size in _TITLE_SIZES:
        lines = _wrap(title, size, width)
        if len(lines) <= _TITLE_LINES:
            return size, lines
    lines = lines[:_TITLE_LINES]
    lines[-1] = _cut(lines[-1], size, width)
    return size, lines


def _cut(text: str, size: int, width: int) -> str:
    """``text`` shortened to fit ``width`` with an ellipsis, in the bold face."""
    while text and _length(text + " …", size, True) > width:
        text = text[:-1]
    return text.rstrip() + " …"


#: The card's strips, top to bottom: the band with the site's name, the title, and the foot
#: (a short rule and the date) from _FOOT down.
_BAND_HEIGHT = 120
_FOOT = HEIGHT - 96


@lru_cache(maxsize=8)
def _band(site_name: str) -> Image.Image:
    """The top band with the site's name: the same on every card of a language, drawn once."""
    from PIL import Image

    band = Image.new("L", (_X + WIDTH, _BAND_HEIGHT), _BAND_BG)
    name = _wrap(site_name, 36, WIDTH - 2 * _MARGIN)[:1] or [""]
    _text(band, (_X + _MARGIN, _BAND_HEIGHT // 2), name[0], 36, True, _BAND_INK, anchor="lm")
    band.paste(0, (0, 0, _X, _BAND_HEIGHT))  # filter type 0 (none)
    return band


def draw_card(title: str, date: str, site_name: str) -> bytes:
    """The card as a PNG. Its three strips are deflated apart: the band once for every card
    of a language, the foot once for every card of a day, and of the title's strip only the
    rows with ink (the rest are blank rows, deflated once for each height)."""
    return palette_png([_band_rows(site_name), *_inked_rows(_title_strip(title)), _foot_rows(date)],
                       (WIDTH, HEIGHT), _PALETTE_BYTES)


def draw_rows(title: str, date: str, site_name: str) -> Image.Image:
    """The whole card in grey levels on one canvas whose first column is the PNG's filter
    bytes: the strips ``draw_card`` deflates, put together."""
    from PIL import Image

    image = Image.new("L", (_X + WIDTH, HEIGHT), _BODY_BG)
    image.paste(_band(site_name), (0, 0))
    image.paste(_title_strip(title), (0, _BAND_HEIGHT))
    image.paste(_foot(date), (0, _FOOT))
    return image


def _title_strip(title: str) -> Image.Image:
    """The rows between the band and the foot, with the title centred in the space above
    the date."""
    from PIL import Image

    strip = Image.new("L", (_X + WIDTH, _FOOT - _BAND_HEIGHT), _BODY_BG)
    size, lines = _fit_title(title, WIDTH - 2 * _MARGIN)
    leading = int(getattr(_font(size, True), "size", _TITLE_SIZES[-1]) * 1.25)  # Pillow's bitmap font: none
    top = (HEIGHT - _BAND_HEIGHT - 90 - leading * len(lines)) // 2
    for number, line in enumerate(lines):
        _text(strip, (_X + _MARGIN, top + number * leading), line, size, True, _BODY_INK)
    return strip


@lru_cache(maxsize=64)
def _foot(date: str) -> Image.Image:
    from PIL import Image, ImageDraw

    foot = Image.new("L", (_X + WIDTH, HEIGHT - _FOOT), _BODY_BG)
    ImageDraw.Draw(foot).rectangle((_X + _MARGIN, 0, _X + _MARGIN + 96, 6), fill=_BODY_SOFT)
    _text(foot, (_X + _MARGIN, HEIGHT - 48 - _FOOT), date, 30, False, _BODY_SOFT, anchor="lm")
    return foot


@lru_cache(maxsize=64)
def _foot_rows(date: str) -> Deflated:
    return deflated(_foot(date).tobytes())


@lru_cache(maxsize=8)
def _band_rows(site_name: str) -> Deflated:
    return deflated(_band(site_name).tobytes())


def _inked_rows(strip: Image.Image) -> list[Deflated]:
    """A strip's rows deflated: those above and below its ink as blank rows."""
    box = strip.getbbox()  # what is not the background, level 0
    if box is None:
        return [_blank_rows(strip.height)]
    upper, lower = box[1], box[3]
    inked = deflated(strip.crop((0, upper, strip.width, lower)).tobytes())
    return [*([_blank_rows(upper)] if upper else []), inked,
            *([_blank_rows(strip.height - lower)] if lower < strip.height else [])]


@lru_cache(maxsize=64)
def _blank_rows(count: int) -> Deflated:
    return deflated(bytes((_X + WIDTH) * count))


class Deflated(NamedTuple):
    """Bytes deflated on their own: whole deflate blocks, none of them the last and none
    referring to bytes before them, ending on a byte boundary; so they can follow any
    others in a stream."""
    data: bytes
    adler: int  # the Adler-32 checksum of the bytes deflated
    size: int  # how many bytes were deflated


def deflated(raw: bytes) -> Deflated:
    """``raw`` through zlib-ng's fastest level: a card is flat colour, which deflate packs
    well as it is."""
    packer = zlib_ng.compressobj(1, zlib_ng.DEFLATED, -15)  # raw deflate: no header, no checksum
    return Deflated(packer.compress(raw) + packer.flush(zlib_ng.Z_SYNC_FLUSH), zlib_ng.adler32(raw), len(raw))


_LAST_BLOCK = zlib_ng.compressobj(1, zlib_ng.DEFLATED, -15).flush()  # an empty final block
_ADLER_BASE = 65521


def _adler_combine(first: int, second: int, second_size: int) -> int:
    """The Adler-32 of two byte strings one after the other, from each one's (zlib's
    ``adler32_combine``, which Python's zlib modules do not offer)."""
    low = ((first & 0xFFFF) + (second & 0xFFFF) - 1) % _ADLER_BASE
    high = ((first >> 16) + (second >> 16) + second_size * (first & 0xFFFF) - second_size) % _ADLER_BASE
    return low | high << 16


def palette_png(rows: Sequence[Deflated], size: tuple[int, int], palette: bytes) -> bytes:
    """An 8-bit picture of ``size`` as a PNG whose palette gives each level its colour, from
    its rows deflated in order, each row's filter type (0, none) before its pixels.

    Written here rather than by Pillow, whose PNG writer was most of what a card cost
    (benchmarks/README.md): the rows go unfiltered, and the parts every card shares are
    deflated once. A test in tests/test_newsroom.py checks the file against Pillow's, pixel
    for pixel."""
    width, height = size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib_ng.crc32(kind + data))

    adler = 1  # of no bytes
    for part in rows:
        adler = _adler_combine(adler, part.adler, part.size)
    # zlib's header for deflate with a 32 KiB window at the fastest level, and its checksum.
    stream = b"".join((b"\x78\x01", *(part.data for part in rows), _LAST_BLOCK, struct.pack(">I", adler)))
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8 bits, palette colour
    return b"".join((b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header), chunk(b"PLTE", palette),
                     chunk(b"IDAT", stream), chunk(b"IEND", b"")))
