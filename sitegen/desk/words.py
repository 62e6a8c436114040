"""The desk's words, through sitegen's gettext catalogues (English msgids; see sitegen.messages)."""

from __future__ import annotations

from sitegen.messages import _, current_language

__all__ = ["_", "current_language"]
