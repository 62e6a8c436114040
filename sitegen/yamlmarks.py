"""YAML loading that remembers the line of every mapping key, so errors can name it.

Timestamps are left as strings on purpose: sitegen parses dates itself so that an
impossible date gets a precise message and an offset-less time gets the site's zone.
Syntax errors are explained in plain words, on the line where the mistake starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from sitegen.errors import LineProblem

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Front matter and config never need more; deeper nesting is a mistake (or an attack).
MAX_DEPTH = 50


class _Loader(_Base):  # type: ignore[valid-type,misc]
    pass


class _PairLoader(yaml.SafeLoader):
    """PyYAML's own (Python) loader, for text with surrogate escapes (see ``_PAIR_ESCAPE``)."""


# YAML 1.2 core types only. YAML 1.1 would read ``no`` and ``on`` as true/false,
# ``0123`` as an octal number and ``10:30`` as 630; to a newsroom those are text.
# Timestamps are left as text too (see above). Merge keys (``<<``) still work.
for _loader in (_Loader, _PairLoader):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:merge"]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }
    for _tag, _pattern, _first in (
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
        # At most 18 digits: a longer run of digits is text (and Python refuses to convert huge ones).
        ("int", r"^[-+]?(?:0|[1-9][0-9]{0,17})$", "-+0123456789"),
        ("float", r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
                  r"|[-+]?[0-9]+[eE][-+]?[0-9]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ):
        _loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))

# JSON is YAML 1.2, and JSON encoders write a character beyond U+FFFF (an emoji, say) as
# two escapes, a surrogate pair: "\ud83c\udf89" for 🎉. libyaml refuses those escapes, so
# text that has one is read by PyYAML's Python loader, which keeps each half as a character,
# and the halves are joined again here. A half without its partner is no character at all:
# it is refused on its line, never written into a page or feed.
_PAIR_ESCAPE = re.compile(r"\\[uU]0{0,4}[dD][89a-fA-F][0-9a-fA-F]{2}")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_HALF = re.compile("[\ud800-\udfff]")

KeyPath = tuple[str | int, ...]

_QUOTE_HINT = "put the whole value in double quotes, like  title: \"...\""


@dataclass(frozen=True, slots=True)
class Loaded:
    data: Any
    #: 1-based line of each mapping key (and sequence item), by its path from the root.
    lines: dict[KeyPath, int]
    #: each scalar as written (``3.10`` stays ``3.10`` even though it reads as a number).
    written: dict[KeyPath, str] = field(default_factory=dict)

    def line(self, *path: str | int) -> int | None:
        """The line of the deepest known key on ``path``."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


class YamlSyntaxError(LineProblem):
    pass


def decode(raw: bytes) -> str:
    """UTF-8 text with any BOM dropped and Windows (or old Mac) line endings made plain."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                              "open it in your editor and save it again with the UTF-8 encoding") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load(text: str, first_line: int = 1) -> Loaded:
    """Parse one YAML document; line numbers are offset so that ``first_line`` is line 1."""
    kind: type[yaml.SafeLoader] = _PairLoader if _PAIR_ESCAPE.search(text) else _Loader
    try:
        _check_depth(text, first_line, kind)
        loader = kind(text)
        try:
            node = loader.get_single_node()
            if node is not None and kind is _PairLoader:
                _join_pairs(node, first_line)
            lines, written = _index(node, first_line) if node is not None else ({}, {})
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, found before parsing
        line = text[: max(exc.position, 0)].count("\n") + first_line
        raise YamlSyntaxError(line, f"the character U+{exc.character:04X} is not allowed here",
                              "delete it; it is usually invisible, pasted from a word processor") from None
    except yaml.MarkedYAMLError as exc:
        raise _explain(exc, text, first_line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"the text cannot be read as YAML: {exc}") from None
    return Loaded(data, lines, written)


def _check_depth(text: str, offset: int, kind: type[yaml.SafeLoader]) -> None:
    """Refuse deep nesting from the event stream, before the (recursive) composer could
    overflow the C stack on something like ten thousand '['."""
    # Every level opens with '[', '{', '-', '?' or a key's ':'; with fewer of those in the
    # whole text than the limit, no walk is needed (the usual front matter: a third of
    # the YAML time saved).
    if sum(map(text.count, "[{-?:")) < MAX_DEPTH:
        return
    loader: Any = kind(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlSyntaxError(event.start_mark.line + offset if event.start_mark else None,
                                          f"the values are nested more than {MAX_DEPTH} levels deep",
                                          "use a simple list or 'key: value' lines")
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml stops deep nesting itself, before the count above reaches the limit.
        if "nesting depth" not in str(exc.problem):
            raise
        mark = exc.problem_mark
        raise YamlSyntaxError(mark.line + offset if mark else None,
                              f"the values are nested more than {MAX_DEPTH} levels deep",
                              "use a simple list or 'key: value' lines") from None
    finally:
        loader.dispose()


def _join_pairs(root: yaml.Node, offset: int) -> None:
    """Surrogate pairs in every scalar (keys too) made into the characters they encode."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if _HALF.search(node.value):
                node.value = _PAIR.sub(_pair_char, node.value)
                half = _HALF.search(node.value)
                if half is not None:
                    raise YamlSyntaxError(node.start_mark.line + offset,
                                          f"the escape \\u{ord(half[0]):04x} is only half of a character "
                                          "(a surrogate without its partner)",
                                          "write the character itself, or both escapes of the pair, "
                                          "like \\ud83c\\udf89 for 🎉")
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _pair_char(match: re.Match[str]) -> str:
    high, low = map(ord, match[0])
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _index(root: yaml.Node, offset: int) -> tuple[dict[KeyPath, int], dict[KeyPath, str]]:
    """Lines of every key, walking each node once: aliases (``*name``) are not re-entered,
    so a small file can never expand into a huge walk. A key given twice is refused."""
    lines: dict[KeyPath, int] = {}
    written: dict[KeyPath, str] = {}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, KeyPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            written[path] = node.value
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                line = key_node.start_mark.line + offset
                if (*path, key) in lines:
                    raise YamlSyntaxError(line, f"'{key}' appears twice (first on line "
                                                f"{lines[(*path, key)]})", "keep only one of them")
                lines[(*path, key)] = line
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + offset
                stack.append((item, (*path, index)))
    return lines, written


def _explain(exc: yaml.MarkedYAMLError, text: str, offset: int) -> YamlSyntaxError:
    """PyYAML's parser vocabulary → what went wrong, where it started, and how to fix it."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    start = exc.context_mark or mark
    here = mark.line + offset if mark is not None else None
    opened = start.line + offset if start is not None else here
    char = _char_at(text, mark)
    if "end of stream" in problem and "quoted" in (exc.context or ""):
        return YamlSyntaxError(opened, "a quote opened on this line is never closed",
                               "close it at the end of the value, or remove it")
    if "did not find expected ',' or ']'" in problem:
        return YamlSyntaxError(opened, "a list opened with '[' on this line is never closed",
                               "end it with ']', like  tags: [banjir, padang]")
    if "did not find expected ',' or '}'" in problem:
        return YamlSyntaxError(opened, "a '{' on this line is never closed with '}'",
                               "end it with '}', or " + _QUOTE_HINT)
    if "mapping values are not allowed" in problem:
        return YamlSyntaxError(here, "this line has a ': ' (colon and space) where none may be",
                               "if the text itself holds ': ', " + _QUOTE_HINT
                               + "; otherwise check the spaces at the start of the line")
    if "tab character" in problem or (char == "\t"):
        return YamlSyntaxError(here, "a tab character is used to indent this line",
                               "use spaces instead of tabs")
    if "undefined alias" in problem or "anchor" in (exc.context or "") or "alias" in (exc.context or ""):
        # '&name' and '*name' are YAML anchors and aliases; the mark may sit after the sign.
        sign = _char_at(text, exc.context_mark) or char
        return YamlSyntaxError(opened, f"a value may not start with '{sign if sign in '&*' else '*'}'",
                               _QUOTE_HINT)
    if "cannot start any token" in problem or "constructor for the tag" in problem:
        shown = f"'{char}'" if char and char.isprintable() else "this character"
        return YamlSyntaxError(here, f"a value may not start with {shown}", _QUOTE_HINT)
    if "escape character" in problem:
        return YamlSyntaxError(here, "a backslash inside double quotes starts an unknown escape",
                               "write \\\\ for a backslash, or use single quotes instead")
    if "expected" in problem:
        return YamlSyntaxError(here, "this line does not fit the lines before it",
                               "write each setting as  key: value  on its own line, with the same "
                               "spaces at the start as its neighbours")
    return YamlSyntaxError(here, f"the text cannot be read as YAML ({problem})", _QUOTE_HINT)


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    rows = text.split("\n")
    if 0 <= mark.line < len(rows) and 0 <= mark.column < len(rows[mark.line]):
        return str(rows[mark.line][mark.column])
    return ""
