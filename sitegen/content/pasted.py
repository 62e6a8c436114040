"""Text pasted from a word processor that Markdown reads otherwise than it looks: warned of on
its line, as the release is still published.

Two things a newsroom's text brings with it, seen in an audit of the desk:

- a paragraph that starts with a tab (or four spaces or more): Markdown makes it a code block,
  which the site shows in a typewriter font, the line breaks as typed. A release hardly ever
  means one (the theme only makes sure it wraps on a phone), and a real one is written between
  lines of ```, which this leaves alone. Whether a line starts one is Python-Markdown's to say
  (after a list item the same line continues the item, in a footnote the note): a line is
  warned of only when the converted text has a code block holding it, and only the first of
  the lines in a row that do (one tab to remove, one warning).
- a word processor's bullet ("•", "◦", "▪", "·" and their kin, mostly followed by a tab): no
  list mark to Markdown, so the site shows no list, and items on lines one below another run
  together into one paragraph. One warning for the bullets of one list (the lines between them
  blank at most), on the first.
- a list typed right below a line of text ("Kegiatan meliputi:" then "- rapat"), with no empty
  line between: Python-Markdown starts a list only after an empty line (or a heading), so the
  items run into the paragraph, their marks shown as text. Warned of on the first item, when
  the converted text does show a list mark at the start of one of its lines.
- a heading of the first level (``# Judul``, or a line underlined with ``===``): the release's
  title is the page's one such heading, and screen readers list the text's headings below it.
  Warned of on its line, when the converted text does have one.
"""

from __future__ import annotations

import html
import re

from sitegen.content.markdown import FENCE, closes_fence
from sitegen.messages import N_, _

#: Bullets word processors put before a list's items when their text is copied as plain text.
BULLETS = "•◦▪·●○■‣⁃"
_BULLET = re.compile(f"^[ \t]*([{BULLETS}])", re.M)
#: The code blocks of converted text (fenced ones too: their lines are skipped below).
_CODE = re.compile(r"<pre><code[^>]*>(.*?)</code></pre>", re.S)
_TAB = 4  # Python-Markdown's tab_length: what one level of indentation is
#: How much of a line a message quotes, to name it where no line number is shown (the desk).
_QUOTED = 40

CODE_TAB = N_("“{start}” starts with a tab, so the site shows the paragraph as computer code, in a typewriter font")
CODE_SPACES = N_("“{start}” starts with spaces, so the site shows the paragraph as computer code, in a typewriter "
                 "font")
TAB_HINT = N_("remove the tab at the start of the line")
SPACES_HINT = N_("remove the spaces at the start of the line")
BULLET = N_("“{start}” starts with '{mark}', a bullet pasted from a word processor: the site shows no list item, "
            "only the text")
BULLET_LINES = N_("“{start}” and the lines below it that start with '{mark}' are bullets pasted from a word "
                  "processor: the site shows no list, and runs lines one below another together into one paragraph")
BULLET_HINT = N_("start each item with '- ' (a minus and a space) instead of '{mark}', with an empty line before "
                 "the list")

LIST_IN_PARAGRAPH = N_("“{start}” starts a list right below a line of text: the site shows no list, and runs the "
                       "items into the paragraph above")
LIST_HINT = N_("put an empty line before the list")
#: A list item's mark at the start of a line: what Markdown reads as one after an empty line.
_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,2}\.)[ \t]+\S")
#: The mark a list typed below a line of text leaves at the start of a line of converted text:
#: one search (a scan with `in` for each mark costs more, the text being seldom ASCII).
#: Python-Markdown's numbered lists are "1." only: "1)" is text even after an empty line.
_LEFT_MARK = re.compile(r"\n(?:[-*+]|\d{1,2}\.) ")
#: Lines that are no paragraph's text: a list straight below one of them is a list.
_NOT_TEXT = ("#", "|", "<", "```", "~~~")

TOP_HEADING = N_("“{start}” is a heading of the first level, as the release's title is: a page has only one, its "
                 "title, and screen readers list the text's headings below it")
TOP_HEADING_HINT = N_("make it a heading of the second level: start the line with '## '")
#: "# Judul", also inside a quote or a list item ("> # Judul", "- # Judul")
_ATX_TOP = re.compile(r"(?: {0,3}>[ \t]?)*(?: {0,3}(?:[-*+]|\d{1,9}\.)[ \t]+)? {0,3}#(?:[ \t]|$)")
_SETEXT_TOP = re.compile(r" {0,3}=+[ \t]*$")

#: (index of the line in the text, message, hint)
Found = tuple[int, str, str]


def warnings(body: str, converted: str) -> list[Found]:
    """What in ``body`` (Markdown) was pasted and reads otherwise than it looks, given its
    ``converted`` HTML; in the order of the lines."""
    left_marks = _LEFT_MARK.search(converted) is not None
    top = "<h1" in converted
    if "<pre>" not in converted and not left_marks and not top and not any(mark in body for mark in BULLETS):
        return []  # nearly always: a few scans for a character (a regular expression's is slower)
    lines = body.split("\n")
    outside = _outside_fences(lines)
    found = _bullets(lines, outside) + _code(lines, outside, converted)
    if left_marks:
        found += _lists_in_paragraphs(lines, outside)
    if top:
        found += _top_headings(lines, outside)
    return sorted(found, key=lambda item: item[0])


def _top_headings(lines: list[str], outside: list[bool]) -> list[Found]:
    """Headings of the first level: ``# Judul``, or text underlined with ``===``."""
    found: list[Found] = []
    for index, line in enumerate(lines):
        if not outside[index]:
            continue
        if _ATX_TOP.match(line):
            found.append((index, _(TOP_HEADING).format(start=_quoted(line)), _(TOP_HEADING_HINT)))
        elif _SETEXT_TOP.match(line) and index and outside[index - 1] and lines[index - 1].strip() \
                and not _ATX_TOP.match(lines[index - 1]):
            found.append((index - 1, _(TOP_HEADING).format(start=_quoted(lines[index - 1])), _(TOP_HEADING_HINT)))
    return found


def _outside_fences(lines: list[str]) -> list[bool]:
    """For each line, whether it is outside fenced code (the fences' own lines are inside)."""
    fence = ""
    found = []
    for line in lines:
        marker = FENCE.match(line)
        if fence:
            found.append(False)
            if closes_fence(marker, fence):
                fence = ""
            continue
        found.append(marker is None)
        fence = marker.group(1) if marker else ""
    return found


def _quoted(line: str) -> str:
    text = " ".join(line.split())
    return text if len(text) <= _QUOTED else text[:_QUOTED - 1].rstrip() + "…"


def _bullets(lines: list[str], outside: list[bool]) -> list[Found]:
    found: list[Found] = []
    items: list[int] = []  # the lines of the bullets of the list being read
    for index, line in enumerate(lines):
        if outside[index] and _BULLET.match(line):
            items.append(index)
        elif line.strip() and items:  # a line of text ends the list
            found.append(_pasted_list(lines, items))
            items = []
    return found + ([_pasted_list(lines, items)] if items else [])


def _pasted_list(lines: list[str], items: list[int]) -> Found:
    start = lines[items[0]]
    mark = start.strip()[0]
    message = _(BULLET_LINES if len(items) > 1 else BULLET).format(start=_quoted(start), mark=mark)
    return items[0], message, _(BULLET_HINT).format(mark=mark)


def _code_lines(converted: str) -> set[str]:
    """Every line of the converted text's code blocks, as written in the Markdown (less its indent)."""
    return {line.rstrip() for block in _CODE.findall(converted) for line in html.unescape(block).split("\n")
            if line.strip()}


def _code(lines: list[str], outside: list[bool], converted: str) -> list[Found]:
    if "<pre>" not in converted:
        return []
    shown = _code_lines(converted)
    found: list[Found] = []
    previous = False  # whether the line before is one in code already
    for index, line in enumerate(lines):
        columns = line.expandtabs(_TAB)
        indented = outside[index] and columns.startswith(" " * _TAB) and bool(line.strip())
        in_code = indented and columns[_TAB:].rstrip() in shown
        if in_code and not previous:
            tab = "\t" in line[:len(line) - len(line.lstrip())]
            message, hint = (CODE_TAB, TAB_HINT) if tab else (CODE_SPACES, SPACES_HINT)
            found.append((index, _(message).format(start=_quoted(line)), _(hint)))
        previous = in_code
    return found


def _lists_in_paragraphs(lines: list[str], outside: list[bool]) -> list[Found]:
    """The first item of each list typed right below a paragraph's line. A list's own lines
    (its items, and text below an item, which continues it) are no paragraph."""
    found: list[Found] = []
    block = ""  # what the lines since the last empty one are: "", "paragraph", "list" or "other"
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or not outside[index]:
            block = "" if not stripped else "other"
            continue
        item = _ITEM.match(line) is not None
        if item and block == "paragraph":
            found.append((index, _(LIST_IN_PARAGRAPH).format(start=_quoted(line)), _(LIST_HINT)))
            block = "list"  # its other items: one warning
        elif not block:
            block = "list" if item else "other" if stripped.startswith(_NOT_TEXT) or line.startswith(" " * _TAB) \
                else "paragraph"
        elif stripped.startswith("#"):
            block = "other"  # a heading ends the paragraph above it
    return found
