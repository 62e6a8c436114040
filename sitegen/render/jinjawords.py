"""Jinja's and Python's words for the usual template mistakes, said in the UI language.

Jinja and Python speak English whatever sitegen speaks: "kesalahan templat: No filter named
'x'." would mix two languages on one line. Each message id here is the English as Jinja or
Python says it, so an English message reads exactly as before; a message made of sentences
not all known here is left as it is, whole, rather than half translated.
"""

from __future__ import annotations

import re

from sitegen.messages import N_, _

_NAME = r"'(?P<{}>[^']*)'"
_TAGS = r"(?P<tags>'[^']*'(?: or '[^']*')*)"
#: (sentence as a pattern, its words): tried in turn at the start of what is left.
_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), words) for pattern, words in (
    (r"Unexpected end of template\.", N_("Unexpected end of template.")),
    (rf"Encountered unknown tag {_NAME.format('tag')}\.", N_("Encountered unknown tag '{tag}'.")),
    (rf"You probably made a nesting mistake\. Jinja is expecting this tag, but currently looking for {_TAGS}\.",
     N_("You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for {tags}.")),
    (rf"Jinja was looking for the following tags: {_TAGS}\.", N_("Jinja was looking for the following tags: {tags}.")),
    (rf"The innermost block that needs to be closed is {_NAME.format('block')}\.",
     N_("The innermost block that needs to be closed is '{block}'.")),
    (rf"No filter named {_NAME.format('name')}\.", N_("No filter named '{name}'.")),
    (rf"No test named {_NAME.format('name')} found\.", N_("No test named '{name}' found.")),
    (rf"unexpected {_NAME.format('token')}, expected {_NAME.format('expected')}",
     N_("unexpected '{token}', expected '{expected}'")),
    (rf"unexpected {_NAME.format('token')}", N_("unexpected '{token}'")),
    (rf"Expected an expression, got {_NAME.format('got')}", N_("Expected an expression, got '{got}'")),
    (rf"block {_NAME.format('name')} defined twice", N_("block '{name}' defined twice")),
    (rf"{_NAME.format('thing')} has no field {_NAME.format('field')}", N_("'{thing}' has no field '{field}'")),
    (rf"{_NAME.format('name')} is undefined", N_("'{name}' is undefined")),
    (r"integer division or modulo by zero", N_("integer division or modulo by zero")),
    (r"float floor division by zero", N_("float floor division by zero")),
    (r"float division by zero", N_("float division by zero")),
    (r"division by zero", N_("division by zero")),
))


def said(message: str) -> str:
    """``message`` in the UI language where every sentence of it is known, else as it is."""
    parts: list[str] = []
    rest = message
    while rest:
        for pattern, words in _SENTENCES:
            found = pattern.match(rest)
            if found is not None and (found.end() == len(rest) or rest[found.end()] == " "):
                parts.append(_(words).format(**found.groupdict()))
                rest = rest[found.end():].lstrip(" ")
                break
        else:
            return message
    return " ".join(parts)
