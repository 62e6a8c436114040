"""Split a Markdown file into its YAML front matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen import yamlmarks
from sitegen.errors import LineProblem
from sitegen.messages import N_, _

# Word processors paste vertical tabs (manual line breaks), form feeds and other
# controls that XML and YAML forbid; they become spaces or vanish instead of failing
# the build. Tabs and newlines stay. NEL and the Unicode line/paragraph separators
# become spaces so that they cannot shift line numbers either.
_SPACE_LIKE = re.compile("[\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_EITHER = re.compile(f"{_SPACE_LIKE.pattern}|{_CONTROL.pattern}")


def strip_controls(text: str) -> str:
    if _EITHER.search(text) is None:  # nearly always: one scan instead of two substitutions
        return text
    return _CONTROL.sub("", _SPACE_LIKE.sub(" ", text))


@dataclass(frozen=True, slots=True)
class Split:
    meta: yamlmarks.Loaded
    body: str
    body_line: int  # file line where the body starts


class FrontMatterError(LineProblem):
    #: the text below the front matter and the line it starts on, and the front matter as
    #: written, when only its YAML could not be read: the text's photos are still checked
    #: (parse_file)
    body: tuple[str, int, str] | None = None


def decode(raw: bytes) -> str:
    """UTF-8 text with any BOM dropped, Windows line endings made plain and control
    characters removed (see above)."""
    try:
        return strip_controls(yamlmarks.decode(raw))
    except yamlmarks.YamlSyntaxError as exc:
        raise FrontMatterError(exc.line, exc.message, exc.hint) from None


_EXAMPLE = N_("start the file with a line ---, then  title: ...  and  date: ..., then another ---")


def split(text: str) -> Split:
    if not text.strip():
        raise FrontMatterError(1, _("the file is empty"), _(_EXAMPLE))
    lines = text.split("\n")
    # Blank lines before the opening --- are forgiven: they are invisible in an editor.
    start = next(i for i, line in enumerate(lines) if line.strip())
    if lines[start].strip() != "---":
        raise FrontMatterError(start + 1, _("the file does not start with front matter (a line ---)"),
                               _(_EXAMPLE))
    for index in range(start + 1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        raise FrontMatterError(start + 1, _("the front matter that starts here is never closed"),
                               _("add a line with only --- after the last  key: value  line"))
    try:
        meta = yamlmarks.load("\n".join(lines[start + 1:index]), first_line=start + 2)
    except yamlmarks.YamlSyntaxError as exc:
        problem = FrontMatterError(exc.line, exc.message, exc.hint, exc.also)
        problem.body = ("\n".join(lines[index + 1:]), index + 2, "\n".join(lines[start + 1:index]))
        raise problem from None
    return Split(meta, "\n".join(lines[index + 1:]), index + 2)
