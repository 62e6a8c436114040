"""YAML loading that remembers the line of every mapping key, so errors can name it.

Timestamps are left as strings on purpose: sitegen parses dates itself so that an
impossible date gets a precise message and an offset-less time gets the site's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Loaded:
    data: Any
    #: 1-based line of each mapping key (and sequence item), by its path from the root.
    lines: dict[KeyPath, int]

    def line(self, *path: str | int) -> int | None:
        """The line of the deepest known key on ``path``."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load(text: str, first_line: int = 1) -> Loaded:
    """Parse one YAML document; line numbers are offset so that ``first_line`` is line 1."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(line, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, f"YAML syntax error: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[KeyPath, int] = {}
    if node is not None:
        _collect(node, (), lines, first_line)
    return Loaded(data, lines)


def _collect(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[(*path, key)] = key_node.start_mark.line + offset
            _collect(value_node, (*path, key), lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + offset
            _collect(item, (*path, index), lines, offset)
