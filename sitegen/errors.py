"""One error family: every problem carries the file, the line and a message a person can act on."""

from __future__ import annotations

import reprlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sitegen.messages import ngettext

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found in the site: printed as ``path:line: error: message``."""

    path: str
    line: int | None
    message: str
    severity: Severity = "error"
    hint: str | None = None

    def format(self) -> str:
        path = self.path if self.path.isprintable() else _printable(self.path)
        where = f"{path}:{self.line}" if self.line else path
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int]:
        return (self.path, self.line or 0)


def _printable(text: str) -> str:
    """A file name as one line: a line break or another control character in it (Linux
    allows them) is shown escaped, as Python writes it (``\\n``), and a byte that was not UTF-8
    (which the system gave as a surrogate) as that byte (``\\xff``)."""
    return "".join(c if c.isprintable() else f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff"
                   else repr(c)[1:-1] for c in text)


class LineProblem(Exception):
    """A problem at a line of a text whose file the raiser does not know; the caller that
    catches it adds the path and turns it into a Diagnostic."""

    def __init__(self, line: int | None, message: str, hint: str | None = None,
                 also: tuple[LineProblem, ...] = ()) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint
        #: more problems of the same reading (each key given twice), reported with this one
        self.also = also

    def every(self) -> tuple[LineProblem, ...]:
        return (self, *self.also)


_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 60
_SHOWN.maxlist = _SHOWN.maxdict = 4
_SHOWN.maxlevel = 2


def shown_value(value: object) -> str:
    """A value for a message: short, whatever its size (a 10 MB title, a YAML alias bomb that
    holds millions of items: never written out whole first). A backslash shows as written
    (C:\\Users\\rilis.pdf), not doubled as Python writes it."""
    shown = _SHOWN.repr(value)
    return shown.replace("\\\\", "\\") if isinstance(value, str) else shown


def shown_path(path: Path, site_dir: Path | None) -> str:
    """A file as messages name it: from the site folder when it is inside it, else whole."""
    if site_dir is not None:
        try:
            return path.absolute().relative_to(site_dir.absolute()).as_posix()
        except ValueError:
            pass
    return str(path)


class SiteError(Exception):
    """Raised when the site cannot be built; carries every diagnostic of the run."""

    #: 1: the content has errors; 2: usage or configuration error.
    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


class ConfigError(SiteError):
    exit_code = 2


class UsageError(SiteError):
    """Bad command-line use or an output folder sitegen refuses to touch."""

    exit_code = 2


@dataclass(slots=True)
class Report:
    """Collects diagnostics across a whole run so every problem is reported at once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(path, line, message, "error", hint))

    def warning(self, path: str, line: int | None, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(path, line, message, "warning", hint))

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self, kind: type[SiteError] = SiteError) -> None:
        """Stop with every error, and the warnings found with them (they are worth as much
        to the person fixing the errors as after a build that succeeds)."""
        if self.errors:
            raise kind(sorted(self.items, key=Diagnostic.sort_key))


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    """Every diagnostic on stderr, one line each in file order, then the count. The same line
    twice (a template error met by every page that uses the template) is shown once."""
    diagnostics = list({d.format(): d for d in diagnostics}.values())
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        print(d.format(), file=sys.stderr)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        parts = [ngettext("{n} error", "{n} errors", errors).format(n=errors)] if errors else []
        parts += [ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)] if warnings else []
        print(", ".join(parts), file=sys.stderr)
