"""Where the deploy messages get their translation (one place to point at the catalogue)."""

from __future__ import annotations


def _(text: str) -> str:
    return text
