"""Find the content files and read language, section and key from their paths."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import Config
from sitegen.errors import Report

PAGES = "pages"
_LANG_LIKE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    rel: str  # site-relative, for messages and keys
    section: str
    file_key: str
    lang: str


def discover(site_dir: Path, config: Config, report: Report) -> list[SourceFile]:
    content = site_dir / "content"
    found: list[SourceFile] = []
    if not content.is_dir():
        report.error("content", None, "there is no content/ folder", "create content/<section>/<name>.md")
        return found
    for dirpath, dirnames, filenames in os.walk(content):
        # Hidden folders (editor backups, .git) are never content.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(site_dir).as_posix()
            parts = path.relative_to(content).parts
            if len(parts) < 2:
                report.error(rel, None, "content files belong in a section folder",
                             f"move it to content/berita/{name} or content/pages/{name}")
                continue
            stem = name[: -len(".md")]
            key, _, suffix = stem.rpartition(".")
            if key and _LANG_LIKE.match(suffix):
                if suffix not in config.languages:
                    report.error(rel, None, f"language '{suffix}' is not configured",
                                 "add it under languages: in config.yaml or rename the file to "
                                 + " or ".join(f"{key}.{c}.md" for c in config.languages))
                    continue
                lang = suffix
            else:
                key, lang = stem, config.default_language
            # Nested folders stay part of the key so that two files never collide.
            file_key = "/".join((*parts[1:-1], key))
            found.append(SourceFile(path, rel, parts[0], file_key, lang))
    return found
