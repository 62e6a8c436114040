"""The desk's words, through sitegen's gettext catalogues (English msgids; see sitegen.messages)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

try:
    _messages = importlib.import_module("sitegen.messages")
    _: Callable[[str], str] = _messages._
    current_language: Callable[[], str] = _messages.current_language
except ModuleNotFoundError:  # until the catalogues land
    def _(message: str) -> str:
        return message

    def current_language() -> str:
        return "en"
