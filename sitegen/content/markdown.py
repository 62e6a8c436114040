"""One configured Python-Markdown per process; raw HTML optionally sanitized."""

from __future__ import annotations

import importlib
import re
import sys
from functools import lru_cache
from html import unescape
from typing import Any, NamedTuple

import markdown as md
from markdown.extensions import Extension

from sitegen.content import charrefs, prefilter

EXTENSIONS = ["tables", "footnotes", "attr_list", "fenced_code", "toc", "sane_lists", "md_in_html"]
_SETTINGS: dict[str, dict[str, Any]] = {"toc": {"toc_depth": "2-3", "permalink": False},
                                        "footnotes": {"BACKLINK_TITLE": "%d"}}
#: How the HTML is cleaned after converting (charrefs.without_controls, closed, _valid); count up when that changes.
_CLEANING = 4
#: Which converter made a body: cached HTML from another one is converted again.
CONVERTER = repr((md.__version__, EXTENSIONS, _SETTINGS, _CLEANING))
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAGS = re.compile(r"<[^>]+>")


@lru_cache(maxsize=2)
def _converter() -> md.Markdown:
    converter = md.Markdown(extensions=extensions(), output_format="html")
    prefilter.install(converter)
    return converter


def extensions() -> list[Extension]:
    """EXTENSIONS as objects. By name, Python-Markdown would first read the entry points of
    every installed package at each start; and fenced_code's import of codehilite imports
    Pygments, which sitegen never highlights with, unless told Pygments is absent while it
    loads (both costs are in benchmarks/README.md)."""
    if "markdown.extensions.codehilite" not in sys.modules and "pygments" not in sys.modules:
        sys.modules["pygments"] = None  # type: ignore[assignment]  # "not installed", to codehilite
        try:
            importlib.import_module("markdown.extensions.codehilite")
        finally:
            del sys.modules["pygments"]
    return [importlib.import_module(f"markdown.extensions.{name}").makeExtension(**_SETTINGS.get(name, {}))
            for name in EXTENSIONS]


#: Lists or quotes nested deeper than this are refused: Python-Markdown slows down
#: quadratically with depth and overflows the stack near a thousand levels, and HTML
#: parsers (libxml2 stops at 256 open elements) give up on the page long before that.
MAX_NESTING = 50
_PREFIX = re.compile(r"^([ \t]*)((?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*)*)")
_MARKER = re.compile(r"[-*+>]|\d{1,9}[.)]")
# Each level takes at least one of these characters at the start of its line.
_MAYBE_DEEP = re.compile(rf"^[ \t\-*+>0-9.)]{{{MAX_NESTING + 1}}}", re.M)


def too_deep(body: str) -> int | None:
    """Index of the first line nested more than MAX_NESTING levels deep, if any: by its
    indentation (four columns a level) plus the list markers and '>' that open it
    (``- - - x`` is three lists, one inside the other)."""
    if _MAYBE_DEEP.search(body) is None:
        return None
    for index, line in enumerate(body.split("\n")):
        match = _PREFIX.match(line)
        if match is None or not match.group(2):  # deep indentation alone is a code block, not nesting
            continue
        depth = len(match.group(1).expandtabs(4)) // 4 + len(_MARKER.findall(match.group(2)))
        if depth > MAX_NESTING:
            return index
    return None


#: Python-Markdown looks ahead from every '[' and '<' for the bracket that closes it, so a
#: paragraph of thousands that never close takes minutes. No real text has that many.
MAX_UNCLOSED = 500
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def closes_fence(marker: re.Match[str] | None, fence: str) -> bool:
    """Whether a line whose FENCE match is ``marker`` closes the open ``fence``: the same
    character, at least as many times."""
    return marker is not None and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence)


def too_costly(body: str) -> int | None:
    """Index of the first line of a paragraph with more than MAX_UNCLOSED '[' or '<' that
    never close (outside fenced code), if any."""
    if body.count("[") <= MAX_UNCLOSED and body.count("<") <= MAX_UNCLOSED:
        return None  # no paragraph can hold more than the whole text
    fence = ""
    start, block = 0, list[str]()
    for index, line in enumerate([*body.split("\n"), ""]):
        marker = FENCE.match(line)
        if fence:
            if closes_fence(marker, fence):
                fence = ""
            start = index + 1
            continue
        if marker or not line.strip():
            if _unclosed(block) > MAX_UNCLOSED:
                return start
            fence = marker.group(1) if marker else ""
            start, block = index + 1, []
            continue
        block.append(line)
    return None


#: Python-Markdown's inline patterns take time that grows with a paragraph's length times the
#: formatting marks in it (each match rebuilds the rest of the paragraph): a few seconds at a
#: megabyte of one paragraph full of *emphasis* and [links], minutes at ten. Plain text
#: converts at any length. A paragraph up to MAX_PARAGRAPH characters is always converted; a
#: longer one while its length times its marks stays within MAX_WORK (a second or two).
MAX_PARAGRAPH = 100_000
MAX_WORK = MAX_PARAGRAPH * MAX_PARAGRAPH // 2
#: The characters Python-Markdown's inline patterns start at (emphasis, code, links and images,
#: tags, entities, escapes).
MARKS = "*_`[<&\\"


def within_limits(body: str) -> bool:
    """Whether ``body`` is converted at all: none of its paragraphs too costly, too long or
    nested too deeply (the build says which, and where, when one is)."""
    return too_costly(body) is None and too_long(body) is None and too_deep(body) is None


def longest(marks: int) -> int:
    """The longest paragraph converted when it holds ``marks`` formatting marks."""
    return max(MAX_PARAGRAPH, MAX_WORK // max(marks, 1))


def too_long(body: str) -> tuple[int, int, int] | None:
    """(index of its first line, its length, the longest it may be) of the first paragraph
    whose formatting would take too long to convert (see MAX_WORK), outside fenced code and
    tables, if any."""
    if len(body) <= MAX_PARAGRAPH:
        return None
    fence = ""
    start, size, marks = 0, 0, 0
    for index, line in enumerate([*body.split("\n"), ""]):
        marker = FENCE.match(line)
        if fence:
            if closes_fence(marker, fence):
                fence = ""
            start, size, marks = index + 1, 0, 0
            continue
        if marker or not line.strip() or line.lstrip().startswith("|"):
            if size > longest(marks):
                return start, size, longest(marks)
            fence = marker.group(1) if marker else ""
            start, size, marks = index + 1, 0, 0
            continue
        item = _PREFIX.match(line)
        if item is not None and item.group(2):  # a list item or a quote starts an element of its own
            if size > longest(marks):
                return start, size, longest(marks)
            start, size, marks = index, 0, 0
        size += len(line) + 1
        marks += sum(map(line.count, MARKS))
    return None


def _unclosed(lines: list[str]) -> int:
    """Openers without a closer: '[', '](' and a tag-like '<a'. Counted one character at a
    time only when a paragraph holds many openers at all, which real text never does."""
    text = "\n".join(lines)
    if max(text.count("["), text.count("<")) <= MAX_UNCLOSED:
        return 0
    square = paren = angle = 0
    angle_open = False
    previous = ""
    for char in text:
        if char == "[":
            square += 1
        elif char == "]" and square:
            square -= 1
        elif char == "(" and previous == "]":
            paren += 1
        elif char == ")" and paren:
            paren -= 1
        elif char == "<":
            angle += angle_open
            angle_open = False
        elif char == ">":
            angle_open = False
        elif previous == "<" and char.isalpha():
            angle_open = True
        previous = char
    return max(square, paren, angle + angle_open)


class Converted(NamedTuple):
    html: str
    #: the table of contents as HTML, or "" when the text has too few headings
    toc: str
    #: (index of its line in the body, the reference) for each line where a reference to a
    #: control character was taken out (see charrefs.without_controls)
    controls: tuple[tuple[int, str], ...] = ()


def render(body: str, unsafe_html: bool = True) -> Converted:
    """Markdown → HTML and its table of contents, without control characters."""
    converter = _converter()
    converter.reset()
    try:
        html = converter.convert(body)
    except BaseException:
        # A converter that failed halfway keeps broken state: never reuse it.
        _converter.cache_clear()
        raise
    toc = getattr(converter, "toc", "")
    # Looked for in the text only when the HTML has one: a code span shows one as text.
    found = _bad_references(body) if charrefs.has_bad_reference(html) else ()
    html = sanitize(html) if not unsafe_html else closed(html)
    return Converted(charrefs.without_controls(html), charrefs.without_controls(toc) if '<li>' in toc else "", found)


#: A comment's start, or a start tag (a quoted ">" in it included).
_OPENS = re.compile(r"""<!--|<([A-Za-z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
#: Elements HTML reads as text up to their end tag (raw and escapable raw text).
_TEXT_UNTIL_END = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"})
_MAYBE_OPEN = re.compile(r"<(?:!--|script|style|xmp|iframe|noembed|noframes|textarea|title)", re.I)


def closed(html: str) -> str:
    """``html`` with a comment or a text-only element (script, textarea, ...) it leaves open
    closed at its end: the page's own markup after the release's text (its side column, its
    footer) would otherwise be read as part of it, and vanish."""
    if _MAYBE_OPEN.search(html) is None:
        return html
    at = 0
    while (found := _OPENS.search(html, at)) is not None:
        if found.group(0) == "<!--":
            if html.startswith((">", "->"), found.end()):  # "<!-->", "<!--->": empty comments
                at = html.index(">", found.end()) + 1
                continue
            end = html.find("-->", found.end())
            if end < 0:
                return html + "-->"
            at = end + 3
            continue
        name = found.group(1).lower()
        at = found.end()
        if name in _TEXT_UNTIL_END:
            end_tag = re.compile(rf"</{name}(?=[\s/>])", re.I).search(html, at)
            if end_tag is None:
                return html + f"</{name}>"
            at = end_tag.end()
    return html


#: A code span on one line: Markdown shows a reference in it as text (``&amp;#1;``).
_CODE_SPAN = re.compile(r"(`+).+?\1")


def _bad_references(body: str) -> tuple[tuple[int, str], ...]:
    """(line index, first such reference) of each line of ``body`` with a reference that
    charrefs takes out, outside fenced code, code spans and raw HTML's scripts and style
    sheets (an indented code block is taken for text: a release hardly has one)."""
    found = []
    fence = ""
    raw = ""  # the script, style sheet or other raw text element an earlier line opened
    for index, line in enumerate(body.split("\n")):
        if not raw:  # a script's lines are no Markdown: no fence opens there
            marker = FENCE.match(line)
            if fence:
                if closes_fence(marker, fence):
                    fence = ""
                continue
            if marker:
                fence = marker.group(1)
                continue
        bad, raw = _first_bad_reference(line, raw)
        if bad is not None:
            found.append((index, bad))
    return tuple(found)


def _first_bad_reference(line: str, raw: str) -> tuple[str | None, str]:
    """The first reference charrefs takes out in ``line`` outside code spans and raw text
    (``raw``: the raw text element open where the line starts), and the one open at its end."""
    cut, raw = charrefs.pieces(_CODE_SPAN.sub("", line), raw)
    found = (charrefs.first_bad_reference(piece) for piece, is_raw in cut if not is_raw)
    return next((bad for bad in found if bad is not None), None), raw


def sanitize(html: str) -> str:
    import nh3

    attributes = {"*": {"id", "class", "lang", "dir", "title"}, "a": {"href", "hreflang"},
                  "img": {"src", "alt", "width", "height", "loading"}, "td": {"colspan", "rowspan", "align"},
                  "th": {"colspan", "rowspan", "align", "scope"}, "ol": {"start"}, "abbr": {"title"}}
    # nh3 sets rel itself (link_rel), so an author's own rel="..." is not kept.
    return _valid(nh3.clean(html, attributes=attributes, link_rel="noopener"))


#: What nh3 leaves of a link or image whose address it took out (javascript:, data:): a link
#: with rel but no href, an image without src, both invalid HTML (the Nu checker).
_REL_WITHOUT_HREF = re.compile(r'<a(?![^>]*\shref=)([^>]*?) rel="noopener"([^>]*)>')
_IMG = re.compile(r"<img\b[^>]*>")
_ALT = re.compile(r'\salt="([^"]*)"')


def _valid(html: str) -> str:
    """A link without its address kept as a plain <a>, an image without its source as its
    alt text."""
    html = _REL_WITHOUT_HREF.sub(r"<a\1\2>", html)
    return _IMG.sub(lambda img: img.group(0) if ' src="' in img.group(0) else
                    (found.group(1) if (found := _ALT.search(img.group(0))) else ""), html)


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
