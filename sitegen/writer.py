"""The only module that touches the output folder.

Everything is rendered into a staging folder first; only when every output rendered
without error are the changed files moved into place, each with an atomic rename.
A failed build therefore leaves the previous output exactly as it was. Files whose
bytes did not change are not rewritten, and only files sitegen wrote are ever removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import urls
from sitegen.errors import Diagnostic, SiteError, UsageError
from sitegen.outputs import Output

MARKER = ".sitegen-output.json"
STAGING = ".sitegen-staging"
GUARDED = ("content", "themes", "static", "config.yaml")


@dataclass(slots=True)
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # not even rendered: fingerprint unchanged
    removed: list[str] = field(default_factory=list)
    deps: dict[str, str] = field(default_factory=dict)


def check_output_folder(out_dir: Path, site_dir: Path) -> None:
    """Refuse folders that are, hold or sit inside the site's sources, or that sitegen did not make."""
    out, site = out_dir.resolve(), site_dir.resolve()
    shown = str(out_dir)
    problem = None
    if out == site or site.is_relative_to(out):
        problem = "is the site folder or contains it"
    elif any((out / name).exists() for name in GUARDED):
        problem = "contains content/, themes/, static/ or config.yaml"
    elif any(out.is_relative_to(site / name) for name in GUARDED):
        problem = "is inside content/, themes/ or static/"
    elif out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        problem = f"is not empty and was not made by sitegen (no {MARKER})"
    if problem:
        raise UsageError([Diagnostic(shown, None, f"refusing to write to output folder: it {problem}",
                                     "choose an empty or new folder with --output")])


def read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / MARKER).read_text("utf-8"))
        files = data.get("files", {}) if data.get("generator") == "sitegen" else {}
        return {str(k): str(v) for k, v in files.items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write(outputs: Iterable[Output], out_dir: Path, previous: dict[str, str],
          on_error: Callable[[BaseException], Diagnostic]) -> WriteResult:
    manifest = read_manifest(out_dir)
    staging = out_dir / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    result = WriteResult()
    files: dict[str, str] = {}
    pending: list[str] = []
    problems: list[Diagnostic] = []
    try:
        for output in outputs:
            path = output.path
            if not urls.is_safe_path(path) or path.startswith((STAGING, MARKER)):
                problems.append(Diagnostic(path, None, "output path leaves the output folder"))
                continue
            if path in files:
                problems.append(Diagnostic(path, None, f"two outputs would be written to /{path}",
                                           "two entries or lists share a URL; change a slug or permalink"))
                continue
            result.deps[path] = output.deps
            old = manifest.get(path)
            if old and previous.get(path) == output.deps and (out_dir / path).is_file():
                files[path] = old
                result.skipped += 1
                continue
            try:
                data = output.render()
            except Exception as exc:  # noqa: BLE001 - every failure becomes a diagnostic
                problems.append(on_error(exc))
                files[path] = ""
                continue
            files[path] = digest = _digest(data)
            if old == digest and (out_dir / path).is_file():
                result.unchanged += 1
                continue
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            pending.append(path)
        if problems:
            raise SiteError(problems)
        for path in pending:
            final = out_dir / path
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, final)
        result.written = pending
        for path in sorted(set(manifest) - set(files)):
            stale = out_dir / path
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
                result.removed.append(path)
                _prune(stale.parent, out_dir)
        marker = staging / MARKER
        marker.write_text(json.dumps({"generator": "sitegen", "files": files}, sort_keys=True), "utf-8")
        os.replace(marker, out_dir / MARKER)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty by removed pages, up to the output root."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def clean(out_dir: Path) -> list[str]:
    """Remove only the files the manifest says sitegen wrote (``--clean``)."""
    removed = []
    for path in sorted(read_manifest(out_dir)):
        target = out_dir / path
        if urls.is_safe_path(path) and target.is_file() and not target.is_symlink():
            target.unlink()
            removed.append(path)
            _prune(target.parent, out_dir)
    return removed
