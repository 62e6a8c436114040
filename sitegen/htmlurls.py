"""The URLs in HTML attributes, rewritten one by one: made absolute for a feed
(sitegen.outputs.feeds), or put under the site's folder when ``base_url`` has a path
(sitegen.render.renderer).

A regular expression, not a parser: only start tags are touched, and only the attributes
that hold URLs, so everything else (text, code samples, comments' words) keeps its bytes,
and a page pays one scan for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A start tag with attributes, a quoted value holding ">" included. Only inside one is
# ' href="/x"' an attribute (in text or code it is prose). Tags without "=" hold no URL:
# they are skipped by the pattern, not in Python, which is the cheaper place to skip them.
_TAG = re.compile(r"""<([A-Za-z][^\s/>]*)[^>"'=]*=(?:[^>"']|"[^"]*"|'[^']*')*>""")
# One attribute with a value, quoted or not (raw HTML in Markdown may be either).
_ATTR = re.compile(r"""(\s+)([^\s"'>/=]+)(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
#: Attributes that hold one URL (``data`` only on ``<object>``; ``xlink:href`` in SVG), and
#: the one that holds several.
_URL_ATTRS = frozenset({"href", "src", "poster", "cite", "action", "formaction", "xlink:href"})

#: A ``data-*`` value that is a path from the site's root and nothing else (not "/ {n}").
_DATA_PATH = re.compile(r"/(?!/)\S*\Z")

#: A URL's new form, or None to leave the attribute as it is. Values come HTML-escaped as
#: written (``&amp;``), and the new form is written as it is returned (only ``"`` escaped): a
#: change must leave the escapes where they are, or decode and escape again.
Change = Callable[[str], "str | None"]


def rewrite(html: str, change: Change, data_paths: bool = False) -> str:
    """``html`` with ``change`` applied to every URL held by an attribute: href, src, poster,
    cite, action, formaction, SVG's xlink:href, an ``<object>``'s data and each candidate of a
    srcset (quoted or not);
    with ``data_paths``, also a ``data-*`` attribute whose value is a path from the site's
    root (a script's setting, like the search page's ``data-bundle="/pagefind/"``)."""
    def tag(match: re.Match[str]) -> str:
        is_object = match.group(1).lower() == "object"

        def attr(found: re.Match[str]) -> str:
            name = found.group(2).lower()
            value = next((v for v in found.groups()[3:] if v is not None), "")
            new: str | None
            if name in _URL_ATTRS or (is_object and name == "data") or \
                    (data_paths and name.startswith("data-") and _DATA_PATH.match(value) is not None):
                new = change(value)
            elif name == "srcset":
                candidates = [c.strip().split(None, 1) for c in value.split(",") if c.strip()]
                changed = [(change(c[0]), c) for c in candidates]
                new = None if all(u is None for u, _ in changed) else \
                    ", ".join(" ".join([u if u is not None else c[0], *c[1:]]) for u, c in changed)
            else:
                return found.group(0)
            if new is None:
                return found.group(0)
            return f'{found.group(1)}{found.group(2)}{found.group(3)}"{new.replace(chr(34), "&quot;")}"'

        return _ATTR.sub(attr, match.group(0))

    return _TAG.sub(tag, html)


def is_root_path(url: str) -> bool:
    """``/x/``: a path from the site's root, not ``//host/x`` nor a relative ``x/``."""
    url = url.strip()
    return url.startswith("/") and not url.startswith("//")


def under(html: str, base_path: str) -> str:
    """``html`` for a site published in a folder of its host (``base_path`` ``/humas/``):
    every link from the site's root (``/berita/``) goes into that folder (``/humas/berita/``).
    Templates and Markdown write addresses from the site's root, as the output folder is
    laid out; this is the one place that knows the site may not stand at the host's root."""
    if base_path == "/":
        return html

    def change(url: str) -> str | None:
        stripped = url.strip()
        return in_folder(stripped, base_path) if is_root_path(stripped) else None

    return rewrite(html, change, data_paths=True)


def in_folder(url: str, base_path: str) -> str:
    """``url`` in the site's folder on its host when it is a path from the site's root
    (``/berita/`` → ``/humas/berita/`` for ``base_path`` ``/humas/``), else as it is."""
    return base_path.rstrip("/") + url if is_root_path(url) else url
