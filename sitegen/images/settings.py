"""Image settings: which widths and formats are made, at which quality, and the size limit."""

from __future__ import annotations

from dataclasses import dataclass

#: Formats a browser is offered, best first; JPEG is always made (the fallback and og:image).
FORMATS = ("avif", "webp", "jpeg")
MIMES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}
#: The width Open Graph and JSON-LD pictures are published at (what link previews ask for).
OG_WIDTH = 1200


@dataclass(frozen=True, slots=True)
class ImageSettings:
    #: Widths in pixels of the responsive versions; never above the original's width.
    widths: tuple[int, ...] = (480, 800, 1200, 1600)
    #: Formats besides JPEG, best first. AVIF is made only when listed (its encoder costs
    #: more CPU than WebP and JPEG together) and when the installed Pillow writes it.
    formats: tuple[str, ...] = ("webp", "jpeg")
    #: Encoder quality per format (0-100).
    quality_jpeg: int = 80
    quality_webp: int = 75
    quality_avif: int = 55
    #: Quality of the full-size "download high resolution" JPEG when it must be re-encoded.
    quality_full: int = 90
    #: Images with more pixels are refused (Pillow's decompression-bomb limit, set explicitly).
    max_megapixels: int = 120
    #: The ``sizes`` attribute of images inside a release's text (the text column's width).
    body_sizes: str = "(min-width: 60em) 46rem, calc(100vw - 2rem)"

    @property
    def max_pixels(self) -> int:
        return self.max_megapixels * 1_000_000

    def quality(self, fmt: str) -> int:
        return {"jpeg": self.quality_jpeg, "webp": self.quality_webp, "avif": self.quality_avif}[fmt]

    def fingerprint(self) -> str:
        """What derivatives depend on (body_sizes only shapes the markup, which the parse
        fingerprint covers through the config)."""
        return repr((self.widths, self.formats, self.quality_jpeg, self.quality_webp, self.quality_avif,
                     self.quality_full))


DEFAULT = ImageSettings()


def image_settings(config: object) -> ImageSettings:
    """The site's image settings (config.yaml ``images:``), or the defaults."""
    found = getattr(config, "images", None)
    return found if isinstance(found, ImageSettings) else DEFAULT
