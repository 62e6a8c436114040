"""Numeric character references that HTML calls parse errors, taken out of a body's HTML.

Staff paste text from other programs that carries ``&#1;``, ``&#0;`` or ``&#150;``: an HTML
parser reads each with a parse error, feed validators reject it, and a feed reader may turn it
into a character XML forbids. Converting Markdown is the one place every output (the page, RSS,
Atom, JSON Feed) takes the body from, so they are taken out there (``markdown.render``).
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


def has_bad_reference(html: str) -> bool:
    return "&#" in html and first_bad_reference(html) is not None


def without_controls(html: str) -> str:
    """``html`` without control characters: HTML parsers call a reference to one (``&#1;``,
    ``&#0;``, ``&#127;``, ``&#150;``) a parse error, feed validators reject it, and feed
    readers may turn it into a character XML forbids. Raw ones (Python-Markdown's own
    markers, should one slip out) go as in front matter."""
    if "&#" in html:
        html = _REFERENCE.sub(lambda m: m.group() if _allowed(_code(m)) else _replacement(_code(m)), html)
    return strip_controls(html)


def first_bad_reference(text: str) -> str | None:
    """The first reference in ``text`` that ``without_controls`` takes out, if any."""
    return next((m.group() for m in _REFERENCE.finditer(text) if not _allowed(_code(m))), None)


def replacement_of(reference: str) -> str:
    """What ``without_controls`` writes for ``reference`` (for its warning)."""
    match = _REFERENCE.fullmatch(reference)
    return _replacement(_code(match)) if match else ""
