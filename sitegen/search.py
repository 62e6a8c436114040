"""Client-side search: index the built site with Pagefind when it is installed.

Pagefind reads the written HTML, splits the index by each page's ``<html lang>`` (so a
search on the English page only finds English pages) and stems Indonesian and English.
Only the parts the theme marks ``data-pagefind-body`` (releases and static pages) are
indexed. The bundle is written beside the site into ``pagefind/``: a folder sitegen's
manifest does not list, so the writer never removes it, and it is replaced whole on each
index so no stale fragment of a deleted release survives.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from sitegen.config import Config
from sitegen.errors import Report
from sitegen.messages import N_, _
from sitegen.oserrors import describe

BUNDLE = "pagefind"
ENTRY = "pagefind-entry.json"  # the bundle's table of contents, languages included
STAGING = ".sitegen-pagefind"  # the bundle being made; a stopped index leaves it behind
_HINT = N_("install it with: pip install 'pagefind[bin]' (the rest of the site was built)")
# Every page, except in top-level dot folders: a rebuild's staging folder may hold half-written
# pages while a background index runs (serve, watch), and they must never become results.
_GLOB = "{*.html,[!.]*/**/*.html}"


def pagefind_binary() -> Path | None:
    """The Pagefind executable: the PyPI package's binary, else one on PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = shutil.which("pagefind_extended") or shutil.which("pagefind")
        return Path(found) if found else None
    binary = get_executable()
    return Path(binary) if binary is not None and Path(binary).is_file() else None


def index_site(out_dir: Path, config: Config, report: Report) -> None:
    binary = pagefind_binary()
    if binary is None:
        report.warning(str(out_dir), None, _("search index not built: Pagefind is not installed"), _(_HINT))
        return
    staging = out_dir / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    try:
        command = [str(binary), "--site", str(out_dir), "--output-path", str(staging),
                   "--glob", _GLOB, "--silent"]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        report.warning(str(out_dir), None,
                       _("search index not built: Pagefind could not run ({problem})").format(problem=exc), _(_HINT))
        return
    if proc.returncode != 0 or not (staging / "pagefind.js").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        message = _("search index not built: Pagefind failed ({problem})").format(problem=detail[-1]) if detail \
            else _("search index not built: Pagefind failed")
        report.warning(str(out_dir), None, message, _("the rest of the site was built"))
        return
    try:
        _fix_language_order(staging / ENTRY, config)
        _replace(staging, out_dir / BUNDLE)
    except OSError as exc:  # a full disk, say: the pages are built, the old index (if any) stays
        shutil.rmtree(staging, ignore_errors=True)
        problem = describe(exc)
        report.warning(problem.path, None, _("search index not built: {problem}").format(problem=problem.message),
                       problem.hint)


def _fix_language_order(entry: Path, config: Config) -> None:
    """Pagefind lists the languages in its entry file in an order that changes from run to
    run; rewritten in the config's order (others after, by name) and in Pagefind's own compact
    form, two builds of the same sources give the same bytes. Readers look languages up by
    name, so the order means nothing to them."""
    try:
        data = json.loads(entry.read_text("utf-8"))
        languages = dict(data["languages"])
    except (OSError, ValueError, KeyError, TypeError):
        return  # not the file this Pagefind version was expected to write: left as it is
    rank = {code: index for index, code in enumerate(config.language_codes)}
    data["languages"] = dict(sorted(languages.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _replace(new: Path, bundle: Path) -> None:
    """Swap the fresh bundle in; the old one is only removed once the new one is complete."""
    old = bundle.with_name(STAGING + "-old")
    shutil.rmtree(old, ignore_errors=True)
    if bundle.exists():
        bundle.rename(old)
    new.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)
