"""``<picture>`` markup for images inside a release's text (templates use the macros in
partials/picture.html, which write the same structure)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import unquote

from sitegen import urls
from sitegen.images.photo import Photo

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
#: Attributes the <img> of a <picture> is given here; any others written in the text are kept.
#: An address with a scheme (https:, data:, mailto:...): not a file of this site.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_OURS = {"src", "srcset", "sizes", "loading", "decoding", "fetchpriority"}


def attributes(tag: str) -> dict[str, str]:
    """The attributes of one start tag, unescaped, by lower-case name (the first of a name wins)."""
    inner = tag[4:].rstrip(">").rstrip("/")
    found: dict[str, str] = {}
    for name, value in _ATTR.findall(inner):
        value = value[1:-1] if value[:1] in ("'", '"') else value
        found.setdefault(name.lower(), html.unescape(value))
    return found


def local_source(src: str, base_url: str = "") -> str | None:
    """The site path an image's src names, when it is a file of this site (``/images/x.jpg``);
    percent-escapes undone, as a browser would (``/images/foto%20rapat.jpg``: a space). A
    relative address (``images/x.jpg``) names a file of static/ as ``image:`` does: left as
    written it would point into the release's own folder, where no picture is. So does the
    site's own full address (``base_url`` + ``images/x.jpg``, copied from the published site)."""
    path = written_path(src, base_url)
    return None if path is None else "/" + path.lstrip("/")


def written_path(src: str, base_url: str = "") -> str | None:
    """The path an image's src names, as written (relative or from the site's root), when it is
    a file of this site; percent-escapes undone, the query and the fragment left off."""
    src = urls.own_path(src, base_url) or src
    if src.startswith("//") or _SCHEME.match(src) or src.startswith(("#", "?")) or not src.strip():
        return None
    return unquote(src.split("#", 1)[0].split("?", 1)[0])


def rewrite_images(body: str, photo_for: Callable[[str, dict[str, str], int], Photo | None],
                   sizes: str) -> str:
    """Every ``<img>`` whose ``photo_for(src, attributes, index)`` gives a Photo becomes a
    ``<picture>`` offering its versions; others are left as written, but for ``loading="lazy"``
    where they say nothing of loading (as every picture in the text but a lead photo loads)."""
    index = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal index
        attrs = attributes(match.group(0))
        photo = photo_for(attrs.get("src", ""), attrs, index)
        index += 1
        if photo is None:
            tag = match.group(0)
            return tag if "loading" in attrs else tag[:4] + ' loading="lazy"' + tag[4:]
        return picture_html(photo, sizes, attrs)

    return _IMG.sub(replace, body)


def picture_html(photo: Photo, sizes: str, attrs: dict[str, str] | None = None, lead: bool = False) -> str:
    attrs = dict(attrs or {})
    esc = html.escape
    parts = ["<picture>"]
    for mime, srcset in photo.sources:
        # "/>": HTML ignores it, but lxml's HTML parser (libxml2) would otherwise put the <img>
        # inside the <source>, which it does not know to be empty.
        parts.append(f'<source type="{mime}" srcset="{esc(srcset)}" sizes="{esc(sizes)}" />')
    kept = {k: v for k, v in attrs.items() if k not in _OURS}
    if "width" not in kept and "height" not in kept:
        kept["width"], kept["height"] = str(photo.width), str(photo.height)
    kept["alt"] = attrs.get("alt", photo.alt)
    extra = " ".join(f'{name}="{esc(value)}"' for name, value in kept.items())
    loading = 'fetchpriority="high" decoding="async"' if lead else 'loading="lazy" decoding="async"'
    parts.append(f'<img src="{esc(photo.src)}" srcset="{esc(photo.jpeg_srcset)}" sizes="{esc(sizes)}" '
                 f"{extra} {loading}></picture>")
    return "".join(parts)
