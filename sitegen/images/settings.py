"""Image settings: the ``images:`` section of config.yaml (sitegen.config.Images) and the
constants around it."""

from __future__ import annotations

from sitegen.config import IMAGE_FORMATS as FORMATS
from sitegen.config import Images as ImageSettings

__all__ = ["BODY_SIZES", "EXTENSIONS", "FORMATS", "MIMES", "OG_WIDTH", "ImageSettings", "image_settings"]

MIMES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}
#: The width Open Graph and JSON-LD pictures are published at (what link previews ask for).
OG_WIDTH = 1200
#: The ``sizes`` of images inside a release's text: the text column's width (the theme's).
BODY_SIZES = "(min-width: 60em) 46rem, calc(100vw - 2rem)"


def image_settings(config: object) -> ImageSettings:
    """The site's image settings (config.yaml ``images:``), or the defaults."""
    found = getattr(config, "images", None)
    return found if isinstance(found, ImageSettings) else ImageSettings()
