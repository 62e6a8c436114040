"""Tables in a release body, made readable on a phone: each goes into a region that
scrolls sideways (so the page never does, and words are never broken), and the cells of
numeric columns are marked ``class="num"`` so the theme aligns their digits.

Bodies are HTML from Python-Markdown (or raw HTML a writer pasted); this changes only the
``<table>`` elements and the opening tags of their cells, and leaves everything else byte
for byte as it was.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S | re.I)
_CELL = re.compile(r"<(t[dh])\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
_TAGS = re.compile(r"<[^>]*>")
_SPAN = re.compile(r"\bcolspan\s*=\s*[\"']?(\d+)", re.I)
#: A number as newsrooms write them: 1.248 | 1,5 | -3 | 12% | Rp 1.500.000 | (2.300) | 2024/2025
_NUMBER = re.compile(r"^[(\s]*(Rp\.?\s*|US\$\s*|\$\s*)?[-+\u2212\u00b1]?\d[\d.,\s\u00a0/:]*(%|‰)?[)\s]*$")
_ENTITIES = {"&nbsp;": " ", "&#160;": " ", "&minus;": "\u2212"}
#: What a cell holds where a table has no figure: nothing, or a dash ("-" in Indonesian tables).
_EMPTY = ("", "-", "\u2013", "\u2014", "\u2212", "&ndash;", "&mdash;", "&minus;")


def is_number(cell_html: str) -> bool:
    text = _TAGS.sub("", cell_html)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return bool(_NUMBER.match(text.strip()))


def scrolling(body: str, label: str = "Tabel") -> Markup:
    """``body`` with every table wrapped in a focusable, named region that scrolls sideways,
    and numeric columns' cells marked. ``label`` names the region ("Tabel", "Table"); with
    several tables each gets its number."""
    if "<table" not in body and "<TABLE" not in body:
        return Markup(body)
    count = len(_TABLE.findall(body))
    numbers = iter(range(1, count + 1))

    def wrap(match: re.Match[str]) -> str:
        name = f"{label} {next(numbers)}" if count > 1 else label
        return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(name)}">'
                f"{_mark_numeric(match.group(0))}</div>")

    return Markup(_TABLE.sub(wrap, body))


def _mark_numeric(table: str) -> str:
    """Columns whose filled body cells are all numbers get ``class="num"`` on every cell,
    the header's included; a dash standing for no figure is no filled cell. Cells spanning
    columns count for each column they span."""
    rows = [[(m, _span(m.group(2))) for m in _CELL.finditer(row.group(0))] for row in _ROW.finditer(table)]
    numeric: dict[int, bool] = {}
    for cells in rows:
        column = 0
        for cell, span in cells:
            if cell.group(1).lower() == "td" and _TAGS.sub("", cell.group(3)).strip() not in _EMPTY:
                for at in range(column, column + span):
                    numeric[at] = numeric.get(at, True) and is_number(cell.group(3))
            column += span
    marked = {at for at, yes in numeric.items() if yes}
    if not marked:
        return table

    def mark_row(row: re.Match[str]) -> str:
        column = 0

        def mark_cell(cell: re.Match[str]) -> str:
            nonlocal column
            span = _span(cell.group(2))
            hit = all(at in marked for at in range(column, column + span))
            column += span
            return _with_class(cell, "num") if hit else cell.group(0)

        return _CELL.sub(mark_cell, row.group(0))

    return _ROW.sub(mark_row, table)


def _span(attributes: str) -> int:
    found = _SPAN.search(attributes)
    return max(1, int(found.group(1))) if found else 1


def _with_class(cell: re.Match[str], name: str) -> str:
    tag, attributes, content = cell.group(1), cell.group(2), cell.group(3)
    existing = re.search(r"\bclass\s*=\s*([\"'])(.*?)\1", attributes, re.I | re.S)
    if existing:
        attributes = (attributes[:existing.start()] + f'class="{existing.group(2)} {name}"'
                      + attributes[existing.end():])
    else:
        attributes += f' class="{name}"'
    return f"<{tag}{attributes}>{content}</{tag}>"
