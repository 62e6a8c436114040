"""One configured Python-Markdown per process; raw HTML optionally sanitized."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

import markdown as md

EXTENSIONS = ["tables", "footnotes", "attr_list", "fenced_code", "toc", "sane_lists", "md_in_html"]
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAGS = re.compile(r"<[^>]+>")


@lru_cache(maxsize=2)
def _converter() -> md.Markdown:
    return md.Markdown(extensions=EXTENSIONS, extension_configs={
        "toc": {"toc_depth": "2-3", "permalink": False},
        "footnotes": {"BACKLINK_TITLE": "%d"},
    }, output_format="html")


def render(body: str, unsafe_html: bool = True) -> tuple[str, str]:
    """Markdown → (HTML, table-of-contents HTML)."""
    converter = _converter()
    converter.reset()
    html = converter.convert(body)
    toc = getattr(converter, "toc", "")
    if not unsafe_html:
        html = sanitize(html)
    return html, toc if '<li>' in toc else ""


def sanitize(html: str) -> str:
    import nh3

    attributes = {"*": {"id", "class", "lang", "dir", "title"}, "a": {"href", "hreflang", "rel"},
                  "img": {"src", "alt", "width", "height", "loading"}, "td": {"colspan", "rowspan", "align"},
                  "th": {"colspan", "rowspan", "align", "scope"}, "ol": {"start"}, "abbr": {"title"}}
    return nh3.clean(html, attributes=attributes, link_rel="noopener")


def plain_text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(_TAGS.sub("", html))).strip()


def first_paragraph(html: str) -> str:
    """The lead paragraph as text, skipping an italic-only note like 'Sample content'."""
    for match in _FIRST_PARAGRAPH.finditer(html):
        inner = match.group(1).strip()
        if re.fullmatch(r"<em>.*</em>", inner, re.S):
            continue
        text = plain_text(inner)
        if text:
            return text
    return ""
