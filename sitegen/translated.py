"""Which version of its source a translation was made from: ``translated_from:`` in its front matter.

The desk writes ``translated_from: "id:<digest>"`` when it makes a translation (and again when
the translator marks it as brought up to date). The digest covers what a translator
translates: the source's title, summary and text, as written. When the source's digest no
longer matches, ``sitegen status`` and the desk call the translation out of date; editing only
the source's tags or date does not.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen import yamlmarks
from sitegen.content.frontmatter import FrontMatterError, decode, split

KEY = "translated_from"


def _parts(raw: bytes) -> tuple[dict[str, object], str] | None:
    try:
        parts = split(decode(raw))
    except (FrontMatterError, yamlmarks.YamlSyntaxError):
        return None
    data = parts.meta.data if isinstance(parts.meta.data, dict) else {}
    return {str(k): v for k, v in data.items()}, parts.body


def content_digest(raw: bytes) -> str | None:
    """The digest of a source's title, summary and text, or None when it cannot be read."""
    parts = _parts(raw)
    if parts is None:
        return None
    data, body = parts
    words = "\x1f".join(str(data.get(key) or "").strip() for key in ("title", "summary"))
    return hashlib.sha256((words + "\x1f" + body.strip()).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def stamp(lang: str, source_raw: bytes) -> str | None:
    """The ``translated_from`` value for a translation of ``source_raw`` (in ``lang``)."""
    found = content_digest(source_raw)
    return f"{lang}:{found}" if found else None


def recorded(raw: bytes) -> tuple[str, str] | None:
    """(source language, digest) a translation file records, or None."""
    parts = _parts(raw)
    if parts is None:
        return None
    value = parts[0].get(KEY)
    if not isinstance(value, str) or ":" not in value:
        return None
    lang, _, found = value.partition(":")
    return lang.strip(), found.strip()


def recorded_in(site_dir: Path, rel: str) -> tuple[str, str] | None:
    """What the site's file ``rel`` records (:func:`recorded`); None too when it cannot be read."""
    try:
        return recorded((site_dir / rel).read_bytes())
    except OSError:
        return None


def behind(site_dir: Path, made: tuple[str, str] | None, source: str) -> bool | None:
    """Whether a translation that records ``made`` was made from an older version of the site's
    file ``source`` than the one on disk; None when it records nothing (then the dates decide)."""
    if made is None:
        return None
    try:
        theirs = content_digest((site_dir / source).read_bytes())
    except OSError:
        return None
    return theirs is not None and theirs != made[1]

