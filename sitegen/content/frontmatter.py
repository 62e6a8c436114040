"""Split a Markdown file into its YAML front matter and body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen import yamlmarks


@dataclass(frozen=True, slots=True)
class Split:
    meta: yamlmarks.Loaded
    body: str
    body_line: int  # file line where the body starts


class FrontMatterError(Exception):
    def __init__(self, line: int | None, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


def decode(raw: bytes) -> str:
    """UTF-8 text with any BOM dropped and Windows line endings made plain."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FrontMatterError(line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                               "save it again as UTF-8 in your editor") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(text: str) -> Split:
    if not text.strip():
        raise FrontMatterError(1, "the file is empty", "start it with front matter: ---, title: ..., ---")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise FrontMatterError(1, "the file does not start with front matter ('---')",
                               "put --- on the first line, then title: and date:, then ---")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        raise FrontMatterError(1, "front matter is never closed", "add a line with --- after the last key")
    try:
        meta = yamlmarks.load("\n".join(lines[1:index]), first_line=2)
    except yamlmarks.YamlSyntaxError as exc:
        raise FrontMatterError(exc.line, exc.message,
                               "check the quotes and the colon on that line; quote text that holds ': '"
                               ) from None
    return Split(meta, "\n".join(lines[index + 1:]), index + 2)
