"""The README's config reference, written from the config dataclasses' own ``doc`` texts.

``python -m sitegen.configdoc`` prints the reference; ``--write README.md`` replaces the part
of the README between the two marker lines. The keys come from ``sitegen.config`` alone, so a
section added there shows up here (tests check that the README names every key).
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from sitegen.config import PERMALINK_DISTINCT, PERMALINK_TOKENS, Config, keys, read_texts

BEGIN = "<!-- config reference: written by `python -m sitegen.configdoc --write README.md` -->"
END = "<!-- end of the config reference -->"
#: What a group keyed by name (``languages: {id: ...}``) calls its keys in the reference.
_PLACEHOLDERS = {"languages": "<code>"}
_NOT_WRITTEN = "(the key above these settings)"


@dataclasses.dataclass(frozen=True, slots=True)
class Key:
    path: str  # like feeds.items or languages.<code>.title
    default: str
    doc: str


def config_keys(cls: type = Config, prefix: str = "") -> Iterator[Key]:
    """Every key config.yaml accepts, in declaration order, groups before their keys."""
    hints = typing.get_type_hints(cls)
    for f in keys(cls):
        doc = str(f.metadata.get("doc", ""))
        if _NOT_WRITTEN in doc:
            continue
        path, kind = prefix + f.name, hints[f.name]
        default = _default(f)
        yield Key(path, _shown(default, f.metadata.get("required", False)), doc)
        if dataclasses.is_dataclass(kind):
            yield from config_keys(kind, path + ".")  # type: ignore[arg-type]
            continue
        args = typing.get_args(kind)
        if f.metadata.get("read") is read_texts:  # one text, or one per language code
            yield Key(f"{path}.<code>", "-", "the text in that language, when the languages differ")
        elif typing.get_origin(kind) in (Mapping, dict) and len(args) == 2 and dataclasses.is_dataclass(args[1]):
            yield from config_keys(args[1], f"{path}.{_PLACEHOLDERS.get(f.name, '<name>')}.")  # type: ignore[arg-type]
        elif isinstance(default, Mapping) and default:  # named entries with defaults: permalinks
            for name, value in default.items():
                tokens = ", ".join(f"{{{t}}}" for t in sorted(PERMALINK_TOKENS.get(name, ())))
                needed = " or ".join(f"{{{t}}}" for t in PERMALINK_DISTINCT.get(name, ()))
                page = name if name == "page" else f"{name} page"
                yield Key(f"{path}.{name}", _shown(value, False),
                          f"the address of each {page}: {needed} must be in it; may use {tokens}" if tokens else "")


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _shown(value: Any, required: bool) -> str:
    if required:
        return "required"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value is None or value in ("", ()) or dataclasses.is_dataclass(value) or isinstance(value, Mapping):
        return "-"
    if isinstance(value, tuple | list):  # as YAML writes a list
        return f"`[{', '.join(map(str, value))}]`"
    return f"`{value}`"


def reference() -> str:
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for key in config_keys():
        doc = key.doc.replace("|", "\\|")
        rows.append(f"| `{key.path}` | {key.default} | {doc} |")
    return "\n".join(rows) + "\n"


def write(readme: Path) -> None:
    text = readme.read_text("utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    readme.write_text(text[:start] + "\n" + reference() + text[end:], "utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"] and len(sys.argv) == 3:
        write(Path(sys.argv[2]))
    else:
        sys.stdout.write(reference())
