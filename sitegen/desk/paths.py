"""Which files the desk may touch: Markdown under content/, uploads under static/, nothing else.

Every path that comes from a request goes through ``content_file`` or ``static_folder``; both
refuse ``..``, absolute paths, backslashes, hidden names and anything that resolves (through a
symlink, say) outside its folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.config import Config
from sitegen.content.discover import PAGES
from sitegen.urls import title_slug

_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_LANG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


class Refused(ValueError):
    """A path the desk will not touch."""


def _confined(site_dir: Path, folder: str, rel: str) -> Path:
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel or parts[0] != folder \
            or any(not _PART.match(p) for p in parts[1:]) or len(parts) < 2:
        raise Refused(rel)
    base = (site_dir / folder).resolve()
    target = (site_dir / rel).resolve()
    if not target.is_relative_to(base) or not base.is_relative_to(site_dir.resolve()):
        raise Refused(rel)
    return target


def content_file(site_dir: Path, rel: str) -> Path:
    """``content/<section>/[<folder>/...]<name>.md`` inside the site, or Refused (a section may
    keep its releases in folders, by year say, as the build reads them)."""
    parts = rel.split("/")
    if len(parts) < 3 or not rel.endswith(".md"):
        raise Refused(rel)
    return _confined(site_dir, "content", rel)


def static_folder(site_dir: Path, sub: str) -> Path:
    """``static/<sub>`` inside the site, or Refused."""
    return _confined(site_dir, "static", f"static/{sub}")


def split_name(rel: str, config: Config) -> tuple[str, str, str]:
    """(section, file key, language) of ``content/<section>/[<folders>/]<key>[.<lang>].md``; the
    folders inside the section are part of the key, as the build has it."""
    _, section, *folders, name = rel.split("/")
    prefix = "".join(f"{folder}/" for folder in folders)
    stem = name.removesuffix(".md")
    key, _, suffix = stem.rpartition(".")
    if key and _LANG.match(suffix.lower()):
        return section, prefix + key, suffix.lower()
    return section, prefix + stem, config.default_language


def new_name(section: str, title: str, day: str, lang: str) -> str:
    """``content/<section>/<YYYY-MM-DD>-<slug>.<lang>.md`` for a new release (``sitegen new``'s rule)."""
    slug = title_slug(title)
    dated = re.match(r"^\d{4}-\d{2}-\d{2}$", day) is not None
    key = f"{day}-{slug}" if dated and section != PAGES else slug
    return f"content/{section}/{key}.{lang}.md"


def twin_name(rel: str, lang: str, config: Config) -> str:
    section, key, _ = split_name(rel, config)
    return f"content/{section}/{key}.{lang}.md"
