"""A content file as the desk edits it: front matter lines, body, and the way it was written.

Staff never write YAML: the desk changes only the front matter keys whose values changed and
leaves every other line, comment and unknown key exactly as it was. A file opened and saved
without a change keeps its bytes (BOM, Windows line endings and all), because nothing is
re-serialized unless a value differs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sitegen import yamlmarks
from sitegen.errors import LineProblem
from sitegen.messages import _

BOM = "\ufeff"
#: Values the desk writes: text, true/false, a list of texts, a mapping of texts, or a list of those.
Value = str | bool | tuple[str, ...] | Mapping[str, str] | tuple[Mapping[str, str], ...]


class Unreadable(LineProblem):
    """The file's front matter cannot be read, so the desk cannot show it as a form."""


@dataclass(frozen=True, slots=True)
class Document:
    raw: bytes
    bom: bool
    newline: str  # "\r\n" when the file was written with Windows line endings
    head: tuple[str, ...]  # blank lines before the opening ---, and the --- itself
    meta: tuple[str, ...]  # the front matter lines between the --- lines
    close: str  # the closing line (--- or ...)
    body: str  # everything after the closing line
    loaded: yamlmarks.Loaded  # the front matter, line 1 = meta[0]

    @property
    def data(self) -> dict[str, Any]:
        data = self.loaded.data
        return {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}

    def written(self, key: str) -> str | None:
        """A top-level scalar exactly as written (``3.10`` stays ``3.10``), None otherwise."""
        value = self.data.get(key)
        if isinstance(value, bool) or value is None or not isinstance(value, str | int | float):
            return None
        return value if isinstance(value, str) else self.loaded.written.get((key,), str(value))

    @property
    def body_line(self) -> int:
        """The file line where the body starts."""
        return len(self.head) + len(self.meta) + 2


def parse(raw: bytes) -> Document:
    try:
        text = yamlmarks.decode(raw)
    except yamlmarks.YamlSyntaxError as exc:
        raise Unreadable(exc.line, exc.message, exc.hint) from None
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "---":
        raise Unreadable(1, _("the file does not start with front matter (a line ---)"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise Unreadable(start + 1, _("the front matter that starts here is never closed"))
    meta = tuple(lines[start + 1:end])
    try:
        loaded = yamlmarks.load("\n".join(meta), first_line=1)
    except yamlmarks.YamlSyntaxError as exc:
        line = exc.line + start + 1 if exc.line else None
        raise Unreadable(line, exc.message, exc.hint) from None
    if loaded.data is not None and not isinstance(loaded.data, dict):
        raise Unreadable(start + 2, _("the front matter must be  key: value  lines"))
    return Document(raw=raw, bom=raw.startswith(BOM.encode()), newline="\r\n" if b"\r\n" in raw else "\n",
                    head=tuple(lines[:start + 1]), meta=meta, close=lines[end],
                    body="\n".join(lines[end + 1:]), loaded=loaded)


def is_draft(raw: bytes | None) -> bool:
    """Whether a file's front matter says ``draft: true`` (a file that cannot be read: no)."""
    try:
        return raw is not None and parse(raw).data.get("draft") is True
    except Unreadable:
        return False


def blank(body: str = "") -> Document:
    """A new file: empty front matter, Unix line endings, no BOM."""
    return Document(raw=b"", bom=False, newline="\n", head=("---",), meta=(), close="---", body=body,
                    loaded=yamlmarks.Loaded({}, {}))


# --- writing -----------------------------------------------------------------------------


def scalar(value: str | bool) -> str:
    """YAML for one value: true/false, or a double-quoted string (JSON's quoting is valid
    YAML and survives every character: quotes, colons, '#', leading dashes, newlines)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def lines_for(key: str, value: Value) -> list[str]:
    """The front matter lines of ``key: value``, in the block style the bundled files use."""
    if isinstance(value, str | bool):
        return [f"{key}: {scalar(value)}"]
    if isinstance(value, Mapping):
        return [f"{key}:"] + [f"  {k}: {scalar(v)}" for k, v in value.items()]
    out = [f"{key}:"]
    for item in value:
        if isinstance(item, Mapping):
            pairs = [f"{k}: {scalar(v)}" for k, v in item.items()]
            out += [f"  - {pairs[0]}"] + [f"    {p}" for p in pairs[1:]]
        else:
            out.append(f"  - {scalar(item)}")
    return out


def _top_keys(doc: Document) -> list[tuple[str, int]]:
    """Top-level keys with the index of their line in ``doc.meta``, in file order."""
    found = [(str(path[0]), line - 1) for path, line in doc.loaded.lines.items() if len(path) == 1]
    return sorted(found, key=lambda item: item[1])


def _block(doc: Document, index: int, following: int) -> tuple[int, int]:
    """Lines [start, end) that hold the key on line ``index``: its own line and the indented or
    list lines below it; comments and blank lines before the next key stay with that key."""
    end = following
    while end - 1 > index and (not doc.meta[end - 1].strip() or doc.meta[end - 1].startswith("#")):
        end -= 1
    return index, end


def blocks(doc: Document) -> dict[str, tuple[int, int]]:
    keys = _top_keys(doc)
    bounds = [line for _, line in keys[1:]] + [len(doc.meta)] * bool(keys)
    return {key: _block(doc, line, following) for (key, line), following in zip(keys, bounds, strict=True)}


def trailing_comment(line: str) -> str:
    """The comment that ends a front matter line (``# ...``), or "": a '#' after a space, outside
    quotes (a plain YAML value cannot hold " #", so there it starts a comment too)."""
    quote, at = "", 0
    while at < len(line):
        char = line[at]
        if quote == '"' and char == "\\":
            at += 2  # an escape: the next character is the string's
            continue
        if quote:
            if char == quote and quote == "'" and line[at + 1:at + 2] == "'":
                at += 1  # '' is a quote inside single quotes
            elif char == quote:
                quote = ""
        elif char in "\"'" and (at == 0 or line[at - 1] in " \t:[{,-"):
            quote = char
        elif char == "#" and at and line[at - 1] in " \t":
            return line[at:]
        at += 1
    return ""


def apply(doc: Document, changes: Mapping[str, Value | None], body: str | None = None) -> bytes:
    """The file with ``changes`` made (None removes a key) and ``body`` as its new text.

    Keys not named keep their lines byte for byte; a changed key is rewritten in place; a new
    key goes after the last line of the front matter. No change at all gives ``doc.raw``.
    """
    if not changes and (body is None or body == doc.body) and doc.raw:
        return doc.raw
    where = blocks(doc)
    meta = list(doc.meta)
    # Replace from the bottom up so earlier line numbers stay right.
    for key, (start, end) in sorted(where.items(), key=lambda item: -item[1][0]):
        if key in changes:
            value = changes[key]
            lines = [] if value is None else lines_for(key, value)
            comment = trailing_comment(meta[start])  # the README: comments stay, also one after the value
            if lines and comment:
                lines[0] += "  " + comment
            meta[start:end] = lines
    for key, value in changes.items():
        if key not in where and value is not None:
            meta += lines_for(key, value)
    text = "\n".join([*doc.head, *meta, doc.close, doc.body if body is None else body])
    if doc.newline != "\n":
        text = text.replace("\n", doc.newline)
    return ((BOM if doc.bom else "") + text).encode("utf-8")


def field_lines(doc: Document) -> dict[str, tuple[int, int]]:
    """File lines (first, last) of each top-level key: diagnostics are mapped back to fields."""
    offset = len(doc.head) + 1
    return {key: (start + offset, end - 1 + offset) for key, (start, end) in blocks(doc).items()}
