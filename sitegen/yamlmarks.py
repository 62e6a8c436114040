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
from sitegen.messages import N_, _

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

_QUOTE_HINT = N_("put the whole value in double quotes, like  title: \"...\"")


@dataclass(frozen=True, slots=True)
class Loaded:
    data: Any
    #: 1-based line of each mapping key (and sequence item), by its path from the root.
    lines: dict[KeyPath, int]
    #: each scalar as written (``3.10`` stays ``3.10`` even though it reads as a number).
    written: dict[KeyPath, str] = field(default_factory=dict)
    #: 1-based line where the document's value starts (None for an empty document).
    start: int | None = None

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
        # utf-8-sig counts from after a BOM; lines end in \n, \r\n or (old Mac) \r
        at = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line = raw[:at].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        raise YamlSyntaxError(line, _("the file is not UTF-8 text (byte 0x{byte:02x} cannot be read)")
                              .format(byte=raw[at]),
                              _("open it in your editor and save it again with the UTF-8 encoding")) from None
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
            try:
                data = loader.construct_document(node) if node is not None else None
            except CONSTRUCTION_ERRORS:
                raise _bad_tag(text, first_line) from None
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, found before parsing
        line = text[: max(exc.position, 0)].count("\n") + first_line
        raise YamlSyntaxError(line, _("the character U+{code:04X} is not allowed here").format(code=exc.character),
                              _("delete it; it is usually invisible, pasted from a word processor")) from None
    except yaml.MarkedYAMLError as exc:
        raise _explain(exc, text, first_line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, _("the text cannot be read as YAML: {problem}").format(problem=exc)) from None
    return Loaded(data, lines, written, node.start_mark.line + first_line if node is not None else None)


#: What PyYAML's constructors raise for a value its explicit tag does not fit (``!!int x``,
#: ``!!bool x``, ``!!timestamp kemarin``): Python's own errors, not YAMLError.
CONSTRUCTION_ERRORS = (ValueError, TypeError, KeyError, AttributeError, OverflowError)
#: A tag written before a value: ``!!int``, ``!foo``, at the start of a value or a list item.
_TAG = re.compile(r"(?:^|[\s\[{,])(!!?[^\s,\[\]{}]*)")


def _bad_tag(text: str, first_line: int) -> YamlSyntaxError:
    """The error of a value whose tag it does not fit, at the first line that writes a tag."""
    for index, line in enumerate(text.split("\n")):
        found = _TAG.search(line.split(" #", 1)[0])
        if found is not None:
            return YamlSyntaxError(index + first_line, _("the value does not fit its type tag {tag}").format(
                tag=found.group(1)), _("take the tag (from ! to the space after it) out, and write the value as it is"))
    return YamlSyntaxError(None, _("a value does not fit its type tag"),
                           _("take the tag (from ! to the space after it) out, and write the value as it is"))


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
                                          _("the values are nested more than {depth} levels deep")
                                          .format(depth=MAX_DEPTH), _("use a simple list or 'key: value' lines"))
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml stops deep nesting itself, before the count above reaches the limit.
        if "nesting depth" not in str(exc.problem):
            raise
        mark = exc.problem_mark
        raise YamlSyntaxError(mark.line + offset if mark else None,
                              _("the values are nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                              _("use a simple list or 'key: value' lines")) from None
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
                                          _("the escape {escape} is only half of a character (a surrogate without "
                                            "its partner)").format(escape=f"\\u{ord(half[0]):04x}"),
                                          _("write the character itself, or both escapes of the pair, like {pair} "
                                            "for {character}").format(pair="\\ud83c\\udf89", character="🎉"))
        # Pushed last first, so the first half character in the file is the one named.
        elif isinstance(node, yaml.MappingNode):
            stack.extend(reversed([part for pair in node.value for part in pair]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def _pair_char(match: re.Match[str]) -> str:
    high, low = map(ord, match[0])
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _index(root: yaml.Node, offset: int) -> tuple[dict[KeyPath, int], dict[KeyPath, str]]:
    """Lines of every key, walking each node once: aliases (``*name``) are not re-entered,
    so a small file can never expand into a huge walk. A key given twice is refused."""
    lines: dict[KeyPath, int] = {}
    written: dict[KeyPath, str] = {}
    twice: list[YamlSyntaxError] = []
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
                if (*path, key) in lines:  # every one of them named at once, in the order of the file
                    twice.append(YamlSyntaxError(line, _("'{key}' appears twice (first on line {line})")
                                                 .format(key=key, line=lines[(*path, key)]),
                                                 _("keep only one of them")))
                    continue
                lines[(*path, key)] = line
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + offset
                stack.append((item, (*path, index)))
    if twice:
        first, *rest = sorted(twice, key=lambda problem: problem.line or 0)
        first.also = tuple(rest)
        raise first
    return lines, written


def _explain(exc: yaml.MarkedYAMLError, text: str, offset: int) -> YamlSyntaxError:
    """PyYAML's parser vocabulary → what went wrong, where it started, and how to fix it."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    start = exc.context_mark or mark
    here = mark.line + offset if mark is not None else None
    opened = start.line + offset if start is not None else here
    char = _char_at(text, mark)
    swallowed = _unclosed_quote(text, mark.line if mark is not None else None)
    if swallowed is not None:
        line, quote = swallowed
        return YamlSyntaxError(line + offset, _("the quote {quote} opened on this line is never closed; the value "
                                                "runs on into the lines below").format(quote=quote),
                               _("end the value with {quote} on this line, like  title: {quote}...{quote}")
                               .format(quote=quote))
    if "expected ','" in problem and char == ":" and mark is not None and start is not None \
            and mark.line == start.line:
        # {credit: Ilustrasi: Humas}: closed on its line, but a value in it holds ': '
        return YamlSyntaxError(here, _("this line has a ': ' (colon and space) where none may be"),
                               _("if the text itself holds ': ', {advice}; otherwise check the spaces at the "
                                 "start of the line").format(advice=_(_QUOTE_HINT)))
    unclosed = _unclosed_flow(text) if _at_end(text, mark) else None
    if unclosed is not None:
        # The parser reads on to the end of the text looking for the closing bracket, and names
        # the line after the last (one past the end of a one-line file); the mistake is the opening one.
        line, bracket = unclosed
        return _never_closed(bracket, line + offset)
    if "end of stream" in problem and "quoted" in (exc.context or ""):
        return YamlSyntaxError(opened, _("a quote opened on this line is never closed"),
                               _("close it at the end of the value, or remove it"))
    if "did not find expected ',' or ']'" in problem:
        return _never_closed("[", opened)
    if "did not find expected ',' or '}'" in problem:
        return _never_closed("{", opened)
    if "mapping values are not allowed" in problem:
        return YamlSyntaxError(here, _("this line has a ': ' (colon and space) where none may be"),
                               _("if the text itself holds ': ', {advice}; otherwise check the spaces at the "
                                 "start of the line").format(advice=_(_QUOTE_HINT)))
    if "tab character" in problem or (char == "\t"):
        return YamlSyntaxError(here, _("a tab character is used to indent this line"),
                               _("use spaces instead of tabs"))
    if "undefined alias" in problem or "anchor" in (exc.context or "") or "alias" in (exc.context or ""):
        # '&name' and '*name' are YAML anchors and aliases; the mark may sit after the sign.
        sign = _char_at(text, exc.context_mark) or char
        return YamlSyntaxError(opened, _("a value may not start with '{sign}'")
                               .format(sign=sign if sign in "&*" else "*"), _(_QUOTE_HINT))
    if "cannot start any token" in problem or "constructor for the tag" in problem:
        if char and char.isprintable():
            return YamlSyntaxError(here, _("a value may not start with '{sign}'").format(sign=char), _(_QUOTE_HINT))
        return YamlSyntaxError(here, _("a value may not start with this character"), _(_QUOTE_HINT))
    if "escape character" in problem:
        return YamlSyntaxError(here, _("a backslash inside double quotes starts an unknown escape"),
                               _("write \\\\ for a backslash, or use single quotes instead"))
    early = _closed_early(text, mark) if "expected" in problem else None
    if early is not None:
        return YamlSyntaxError(here, _("the value ends at the {quote} before the end of the line, and the text "
                                       "after it does not fit").format(quote=early), _(_INSIDE_HINTS[early]))
    if "expected" in problem:
        # A line without 'key:' (a title wrapped onto a second line) is found only at the line
        # after it, where PyYAML gives up; the context mark is the line itself.
        where = opened if "simple key" in (exc.context or "") else here
        return YamlSyntaxError(where, _("this line does not fit the lines before it"),
                               _("write each setting as  key: value  on its own line, with the same "
                                 "spaces at the start as its neighbours"))
    return YamlSyntaxError(here, _("the text cannot be read as YAML ({problem})").format(problem=problem),
                           _(_QUOTE_HINT))


#: How to keep a quote inside a quoted value, by the quote around it.
_INSIDE_HINTS = {
    '"': N_("for quotes inside the text, put the whole value in single quotes instead, like  "
            "title: 'Kanwil Luncurkan \"Layanan Prima\"'"),
    "'": N_("for an apostrophe inside the text, put the whole value in double quotes instead, like  "
            "title: \"Jum'at Berkah\""),
}


def _closed_early(text: str, mark: Any) -> str | None:
    """The quote that ended a quoted value before the end of its line, when the parser stopped
    at the text after it (``title: "Rapat "Prima" hari ini"``): the value's own inner quotes."""
    if mark is None:
        return None
    rows = text.split("\n")
    before = rows[mark.line][:mark.column].rstrip() if 0 <= mark.line < len(rows) else ""
    return before[-1] if before.endswith(("'", '"')) and ": " in before else None


def _never_closed(bracket: str, line: int | None) -> YamlSyntaxError:
    if bracket == "[":
        return YamlSyntaxError(line, _("a list opened with '[' on this line is never closed"),
                               _("end it with ']', like  tags: [banjir, padang]"))
    return YamlSyntaxError(line, _("a '{' on this line is never closed with '}'"),
                           _("end it with '}}', or {advice}").format(advice=_(_QUOTE_HINT)))


_KEY_LINE = re.compile(r"\n[ \t]*[\w-]+:(?:[ \t]|$)", re.M)


def _unclosed_quote(text: str, failed: int | None) -> tuple[int, str] | None:
    """The 0-based line and the mark of a quote left open: a quoted value that runs on over later lines
    which look like ``key: value`` of their own. YAML lets a quoted value span lines, so the
    parser only stumbles where that value finally ends (at the next quote), some lines on;
    the mistake is where the quote was opened."""
    if failed is None:
        return None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            start, end = token.start_mark, token.end_mark
            if start.line >= failed:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and start.line < end.line
                    and _KEY_LINE.search(text, start.index, end.index)):
                return int(start.line), str(token.style)
    except yaml.YAMLError:
        pass
    return None


def _at_end(text: str, mark: Any) -> bool:
    """Whether the parser stopped after the last character that is not a space or a newline."""
    if mark is None:
        return False
    rows = text.rstrip().split("\n")
    last = len(rows) - 1
    return bool(mark.line > last or (mark.line == last and mark.column >= len(rows[last])))


def _unclosed_flow(text: str) -> tuple[int, str] | None:
    """The 0-based line and the sign of the innermost '[' or '{' that is never closed."""
    opened: list[tuple[int, str]] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                opened.append((int(token.start_mark.line), "[" if isinstance(token, yaml.FlowSequenceStartToken)
                               else "{"))
            elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass
    return opened[-1] if opened else None


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    rows = text.split("\n")
    if 0 <= mark.line < len(rows) and 0 <= mark.column < len(rows[mark.line]):
        return str(rows[mark.line][mark.column])
    return ""
