"""Numeric character references that HTML calls parse errors, taken out of a body's HTML.

Staff paste text from other programs that carries ``&#1;``, ``&#0;`` or ``&#150;``: an HTML
parser reads each with a parse error, feed validators reject it, and a feed reader may turn it
into a character XML forbids. Converting Markdown is the one place every output (the page, RSS,
Atom, JSON Feed) takes the body from, so they are taken out there (``markdown.render``).

Not inside a script or style sheet: there HTML reads raw text, where ``&#1;`` is four
characters and no reference, so taking it out would change the script.
"""

from __future__ import annotations

import re
from html import unescape

from sitegen.content.frontmatter import strip_controls

#: A numeric character reference; HTML reads one without its semicolon too (``&#1`` before a letter).
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
#: Digits past these stand for no character whatever they say (and int() refuses thousands).
_MOST_DIGITS = 8
#: References to these read as a space: line and page breaks, as in front matter (frontmatter.py).
_SPACES = frozenset({0x0B, 0x0C, 0x0D})
#: A comment or a start tag (a quoted ">" in it included): only as a tag, not in a comment
#: nor an attribute's value, does "<script>" start a script.
_MARKUP = re.compile(r"""<!--.*?-->|<([A-Za-z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S)
#: Elements whose content HTML's parser reads as raw text, references and tags included, up
#: to their end tag: script and style (and the older xmp, iframe, noembed and noframes). Not
#: noscript: a reader without scripts, as feed readers are, reads its references.
_RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes"})
#: Looked for first: most bodies have no such element, and need no walk over their tags.
_MAYBE_RAW = re.compile(r"<(?:script|style|xmp|iframe|noembed|noframes)", re.I)
_RAW_END = {name: re.compile(rf"</{name}(?=[\s/>])", re.I) for name in _RAW_TEXT}


def _code(match: re.Match[str]) -> int:
    hexadecimal, decimal = match.groups()
    digits = (hexadecimal or decimal).lstrip("0") or "0"
    if len(digits) > _MOST_DIGITS:
        return 0x110000  # past Unicode, as HTML reads it
    return int(digits, 16) if hexadecimal else int(digits)


def _allowed(code: int) -> bool:
    """Whether HTML reads a reference to ``code`` without a parse error and the character it
    stands for may stand in XML: tab, line feed and every character but the controls (C0, DEL,
    C1), surrogates and noncharacters."""
    if code < 0x20:
        return code in (0x09, 0x0A)
    return not (0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF
                or code & 0xFFFE == 0xFFFE or code > 0x10FFFF)


def _replacement(code: int) -> str:
    """What stands for a reference that is not allowed: the Windows-1252 character browsers
    show for one in 128-159 (``&#150;`` is an en dash, as the author meant), a space for a
    line break, else nothing. Nothing rather than U+FFFD: the character was invisible, and a
    '�' in a published release would only look broken."""
    if code in _SPACES:
        return " "
    if 0x80 <= code <= 0x9F:
        shown = unescape(f"&#{code};")
        return shown if _allowed(ord(shown)) else ""
    return ""


def pieces(html: str, inside: str = "") -> tuple[list[tuple[str, bool]], str]:
    """``html`` cut into (piece, whether it is raw text): the content of a script, style sheet
    or other raw text element is, its tags and everything else are not. ``inside``: the raw
    text element open where ``html`` starts (a line's earlier lines opened it); returned
    with the pieces: the one still open where it ends (an element never closed runs to the
    end, as a browser reads it)."""
    if not inside and _MAYBE_RAW.search(html) is None:
        return [(html, False)], ""
    found: list[tuple[str, bool]] = []
    at = 0
    while True:
        if not inside:
            start = _raw_start(html, at)
            if start is None:
                found.append((html[at:], False))
                return found, ""
            found.append((html[at:start.end()], False))
            inside, at = start.group(1).lower(), start.end()
        end = _RAW_END[inside].search(html, at)
        if end is None:
            found.append((html[at:], True))
            return found, inside
        found.append((html[at:end.start()], True))
        inside, at = "", end.start()


def _raw_start(html: str, at: int) -> re.Match[str] | None:
    """The next start tag of a raw text element in ``html`` from ``at``."""
    tag = _MARKUP.search(html, at)
    while tag is not None and (tag.group(1) or "").lower() not in _RAW_TEXT:
        tag = _MARKUP.search(html, tag.end())
    return tag


def has_bad_reference(html: str) -> bool:
    return "&#" in html and any(not raw and first_bad_reference(piece) is not None for piece, raw in pieces(html)[0])


def without_controls(html: str) -> str:
    """``html`` without control characters: HTML parsers call a reference to one (``&#1;``,
    ``&#0;``, ``&#127;``, ``&#150;``) a parse error, feed validators reject it, and feed
    readers may turn it into a character XML forbids. A raw text element's content keeps
    its references (they are none). Raw control characters (Python-Markdown's own markers,
    should one slip out) go everywhere, as in front matter: XML forbids them in a script too."""
    if "&#" in html:
        html = "".join(piece if raw else _REFERENCE.sub(_cleaned, piece) for piece, raw in pieces(html)[0])
    return strip_controls(html)


def _cleaned(match: re.Match[str]) -> str:
    code = _code(match)
    return match.group() if _allowed(code) else _replacement(code)


def first_bad_reference(text: str) -> str | None:
    """The first reference in ``text`` that ``without_controls`` takes out, if any."""
    return next((m.group() for m in _REFERENCE.finditer(text) if not _allowed(_code(m))), None)


def replacement_of(reference: str) -> str:
    """What ``without_controls`` writes for ``reference`` (for its warning)."""
    match = _REFERENCE.fullmatch(reference)
    return _replacement(_code(match)) if match else ""
