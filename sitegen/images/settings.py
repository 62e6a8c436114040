"""Image settings: the ``images:`` section of config.yaml (sitegen.config.Images) and the
constants around it."""

from __future__ import annotations

from sitegen.config import IMAGE_FORMATS as FORMATS
from sitegen.config import Images as ImageSettings

__all__ = ["BODY_SIZES", "EXTENSIONS", "FORMATS", "MIMES", "OG_WIDTH", "PAGE_BODY_SIZES", "ImageSettings",
           "image_settings"]

MIMES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}
#: The width Open Graph and JSON-LD pictures are published at (what link previews ask for).
OG_WIDTH = 1200
#: The ``sizes`` of photos in a release's text: the width of the theme's text column, as its
#: lead photo's in article.html (change them and style.css together). ".release": at most
#: 44rem, the window less main's 1rem margins; from a window of 64rem ".release-layout"
#: puts the 20rem side column 3rem beside it, leaving 100vw - 25rem, 44rem again from 69rem.
BODY_SIZES = ("(min-width: 69rem) 44rem, (min-width: 64rem) calc(100vw - 25rem), (min-width: 46rem) 44rem, "
              "calc(100vw - 2rem)")
#: The same in a static page (".static-page": at most 44rem, and no side column).
PAGE_BODY_SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"


def image_settings(config: object) -> ImageSettings:
    """The site's image settings (config.yaml ``images:``), or the defaults."""
    found = getattr(config, "images", None)
    return found if isinstance(found, ImageSettings) else ImageSettings()
