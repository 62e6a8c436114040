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
from html import unescape
from html.entities import html5

# A start tag with attributes, a quoted value holding ">" included. Only inside one is
# ' href="/x"' an attribute (in text or code it is prose). Tags without "=" hold no URL:
# they are skipped by the pattern, not in Python, which is the cheaper place to skip them.
_TAG = re.compile(r"""<([A-Za-z][^\s/>]*)[^>"'=]*=(?:[^>"']|"[^"]*"|'[^']*')*>""")
# One attribute with a value, quoted or not (raw HTML in Markdown may be either).
_ATTR = re.compile(r"""(\s+)([^\s"'>/=]+)(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
#: Attributes that hold one URL (``data`` only on ``<object>``; ``xlink:href`` in SVG), and
#: the one that holds several.
_URL_ATTRS = frozenset({"href", "src", "poster", "cite", "action", "formaction", "xlink:href"})

#: A CSS ``url(...)`` in a ``style`` attribute (staff paste banners with a background picture),
#: its address in double quotes, single quotes or none.
_CSS_URL = re.compile(r"""(url\(\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'()]+))(\s*\))""", re.IGNORECASE)

#: An address CSS reads in ``url(...)`` without quotes: no space, quote, parenthesis or backslash.
_CSS_BARE = re.compile(r"""[^\s"'()\\]*""")

#: A ``data-*`` value that is a path from the site's root and nothing else (not "/ {n}").
_DATA_PATH = re.compile(r"/(?!/)\S*\Z")

#: A URL's new form, or None to leave the attribute as it is (its bytes too). Values come as a
#: browser reads them (``&#47;x`` is ``/x``, ``&amp;`` is ``&``), and the new form is escaped
#: as it is written.
Change = Callable[[str], "str | None"]

#: A named character reference in an attribute's value, and the ";" or "=" after its name.
_NAMED = re.compile(r"&([A-Za-z][A-Za-z0-9]*)([;=]?)")


def attribute_value(written: str) -> str:
    """An attribute's value as a browser reads it: character references decoded (staff and
    Markdown write ``&#47;files/x.pdf`` and ``&#109;&#97;...`` for ``/files/x.pdf`` and
    ``mailto:``), except, as HTML reads an attribute, a name without ";" that a letter, a
    digit or "=" follows (``?a=1&para=2`` keeps its ``&para``; in text it would be ``¶``)."""
    if "&" not in written:
        return written
    return unescape(_NAMED.sub(_as_written, written))


def _as_written(match: re.Match[str]) -> str:
    """The reference, or its "&" escaped when HTML reads it as written in an attribute (the
    name ran on into a letter or digit, or "=" follows it): unescape reads it in text's way."""
    name, after = match.groups()
    if (after == ";" and name + ";" in html5) or (after != "=" and name in html5):
        return match.group()
    return "&amp;" + match.group()[1:]


def _escaped(url: str) -> str:
    """``url`` as an attribute's double-quoted value, escaped as Python-Markdown escapes one."""
    return url.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def rewrite(html: str, change: Change, data_paths: bool = False) -> str:
    """``html`` with ``change`` applied to every URL held by an attribute, as a browser reads
    it (attribute_value): href, src, poster, cite, action, formaction, SVG's xlink:href, an
    ``<object>``'s data, each candidate of a srcset (quoted or not) and each ``url(...)`` of a
    style attribute;
    with ``data_paths``, also a ``data-*`` attribute whose value is a path from the site's
    root (a script's setting, like the search page's ``data-bundle="/pagefind/"``)."""
    def tag(match: re.Match[str]) -> str:
        is_object = match.group(1).lower() == "object"

        def attr(found: re.Match[str]) -> str:
            name = found.group(2).lower()
            value = attribute_value(next((v for v in found.groups()[3:] if v is not None), ""))
            new: str | None
            if name in _URL_ATTRS or (is_object and name == "data") or \
                    (data_paths and name.startswith("data-") and _DATA_PATH.match(value) is not None):
                new = change(value)
            elif name == "style" and "url(" in value.lower():
                new = _style_urls(value, change)
            elif name == "srcset":
                candidates = [c.strip().split(None, 1) for c in value.split(",") if c.strip()]
                changed = [(change(c[0]), c) for c in candidates]
                new = None if all(u is None for u, _ in changed) else \
                    ", ".join(" ".join([u if u is not None else c[0], *c[1:]]) for u, c in changed)
            else:
                return found.group(0)
            if new is None:
                return found.group(0)
            return f'{found.group(1)}{found.group(2)}{found.group(3)}"{_escaped(new)}"'

        return _ATTR.sub(attr, match.group(0))

    return _TAG.sub(tag, html)


def addresses(html: str) -> list[str]:
    """Every URL ``rewrite`` would change, as a browser reads it, in the order written."""
    found: list[str] = []

    def note(url: str) -> None:
        found.append(url)

    rewrite(html, note)
    return found


def _style_urls(style: str, change: Change) -> str | None:
    """``style`` with ``change`` applied to each ``url(...)`` in it, each written back in its
    own quotes (CSS-escaped); None when none changed."""
    changed = False

    def one(match: re.Match[str]) -> str:
        nonlocal changed
        quoted_double, quoted_single, bare = match.group(2, 3, 4)
        url = next(v for v in (quoted_double, quoted_single, bare) if v is not None)
        # url(#grad): a gradient or filter of an SVG in the same page, never an address to resolve
        new = change(url) if url.strip() and not url.strip().startswith("#") else None
        if new is None:
            return match.group(0)
        changed = True
        quote = '"' if quoted_double is not None else "'"
        if bare is not None and _CSS_BARE.fullmatch(new):
            quote = ""
        escaped = new.replace("\\", "\\\\").replace(quote, "\\" + quote) if quote else new
        return f"{match.group(1)}{quote}{escaped}{quote}{match.group(5)}"

    new_style = _CSS_URL.sub(one, style)
    return new_style if changed else None


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
