"""One line of text drawn from glyphs rasterized once: the pixels Pillow's ``text()`` draws.

Every social card sets its title in the same few fonts, and most of a card's time went to
FreeType rasterizing the same letters again (benchmarks/README.md). ``Lettering`` keeps
each letter's bitmap and advance, and each pair's kerning, and draws a line the way
Pillow's basic layout does: pen positions summed in FreeType's 1/64 pixel units from the
advances and the unfitted kerning; each glyph placed at its pen position rounded to a
whole pixel and blended into the line's mask as full ink through the glyph (which is how
Pillow merges glyphs that overlap: a kerned pair, an f's hook); then the picture filled
through that mask in the text's colour. tests/test_newsroom.py compares it with Pillow's
own drawing, pixel for pixel, and ``length`` with ``getlength``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageFont

Glyph = tuple["Image.Image | None", int, int]  # the bitmap (None: nothing to draw), its offset


class Lettering:
    """Draws and measures single lines in one FreeType font set with the basic layout."""

    def __init__(self, font: ImageFont.FreeTypeFont) -> None:
        self.font = font
        self._glyphs: dict[tuple[str, str], Glyph] = {}
        self._advances: dict[str, int] = {}
        self._kerning: dict[str, int] = {}

    def length(self, text: str) -> float:
        """The line's advance in pixels: ``font.getlength(text)``."""
        return self._span(text) / 64

    def draw(self, image: Image.Image, xy: tuple[int, int], text: str, fill: int, anchor: str = "la") -> None:
        """``ImageDraw.Draw(image).text(xy, text, fill, font, anchor=anchor)`` for a line
        without line breaks, at whole-pixel ``xy``, on a one-band picture."""
        from PIL import Image

        placed = []
        pen, previous = 0, ""
        for letter in text:
            if previous:
                pen += self._kern(previous + letter)
            bitmap, dx, dy = self._glyph(letter, anchor)
            if bitmap is not None:
                placed.append((((pen + 32) >> 6) + dx, dy, bitmap))
            pen += self._advance(letter)
            previous = letter
        if not placed:
            return
        left, top = min(p[0] for p in placed), min(p[1] for p in placed)
        right = max(p[0] + p[2].width for p in placed)
        bottom = max(p[1] + p[2].height for p in placed)
        line = Image.new("L", (right - left, bottom - top), 0)
        for x, y, bitmap in placed:  # full ink through each glyph: Pillow's blend where glyphs overlap
            line.paste(255, (x - left, y - top), bitmap)
        image.paste(fill, (xy[0] + left, xy[1] + top), line)

    def _span(self, text: str) -> int:
        span, previous = 0, ""
        for letter in text:
            if previous:
                span += self._kern(previous + letter)
            span += self._advance(letter)
            previous = letter
        return span

    def _advance(self, letter: str) -> int:
        advance = self._advances.get(letter)
        if advance is None:
            advance = self._advances[letter] = round(self.font.getlength(letter) * 64)
        return advance

    def _kern(self, pair: str) -> int:
        kern = self._kerning.get(pair)
        if kern is None:
            kern = self._kerning[pair] = (round(self.font.getlength(pair) * 64)
                                          - self._advance(pair[0]) - self._advance(pair[1]))
        return kern

    def _glyph(self, letter: str, anchor: str) -> Glyph:
        glyph = self._glyphs.get((letter, anchor))
        if glyph is None:
            from PIL import Image

            mask, (dx, dy) = self.font.getmask2(letter, "L", anchor=anchor)
            width, height = mask.size
            bitmap = Image.frombytes("L", (width, height), bytes(mask)) if width and height else None
            glyph = self._glyphs[(letter, anchor)] = (bitmap, dx, dy)
        return glyph
