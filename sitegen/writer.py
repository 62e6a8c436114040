"""The only module that touches the output folder.

Everything is rendered into a staging folder first; only when every output rendered
without error are the changed files moved into place, each with an atomic rename.
A failed build therefore leaves the previous output exactly as it was. Files whose
bytes did not change are not rewritten, and only files sitegen wrote are ever removed.
Rendering runs in forked worker processes when there is enough of it to pay.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

from sitegen import messages, urls
from sitegen.bodies import CacheLost
from sitegen.errors import Diagnostic, SiteError, UsageError
from sitegen.outputs import Output
from sitegen.parallel import fork_pool

MARKER = ".sitegen-output.json"
PENDING = MARKER + ".pending"  # what a build is replacing, while it does
STAGING = ".sitegen-staging"
GUARDED = ("content", "themes", "static", "config.yaml")
PARALLEL_FROM = 1000  # outputs to render before forking worker processes pays for itself

OnError = Callable[[BaseException], Diagnostic]
Progress = Callable[[int, int], None]  # (rendered so far, to render)


@dataclass(slots=True)
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # not even rendered: fingerprint unchanged
    removed: list[str] = field(default_factory=list)
    deps: dict[str, str] = field(default_factory=dict)
    #: size and mtime of every file the output folder now holds, for the nothing-changed check
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.written) + self.unchanged + self.skipped


def check_output_folder(out_dir: Path, site_dir: Path) -> None:
    """Refuse folders that are, hold or sit inside the site's sources, or that sitegen did not make."""
    out, site = out_dir.resolve(), site_dir.resolve()
    problem = None
    if out == site or site.is_relative_to(out):
        problem = messages._("refusing to write to output folder: it is the site folder or contains it")
    elif any((out / name).exists() for name in GUARDED):
        problem = messages._("refusing to write to output folder: it contains content/, themes/, static/ or "
                             "config.yaml")
    elif any(out.is_relative_to(site / name) for name in GUARDED):
        problem = messages._("refusing to write to output folder: it is inside content/, themes/ or static/")
    elif out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        problem = messages._("refusing to write to output folder: it is not empty and was not made by sitegen "
                             "(no {marker})").format(marker=MARKER)
    if problem:
        raise UsageError([Diagnostic(str(out_dir), None, problem,
                                     hint=messages._("choose an empty or new folder with --output"))])


def read_manifest(out_dir: Path) -> dict[str, str]:
    """Path → digest of every file sitegen wrote. A file a killed build was replacing is
    listed with no digest: it is still sitegen's, but its bytes are unknown."""
    try:
        data = json.loads((out_dir / MARKER).read_text("utf-8"))
        files = data.get("files", {}) if data.get("generator") == "sitegen" else {}
        manifest = {str(k): str(v) for k, v in files.items()}
    except (OSError, ValueError, AttributeError):
        return {}
    try:
        pending = json.loads((out_dir / PENDING).read_text("utf-8"))
    except FileNotFoundError:
        return manifest
    except (OSError, ValueError):
        pending = None
    untrusted = [str(p) for p in pending] if isinstance(pending, list) else list(manifest)  # unreadable: all
    for path in untrusted:
        if path in manifest:
            manifest[path] = ""
    return manifest


def _digest(data: bytes) -> str:
    # Every byte a build renders is hashed (1.4 GB for 10,000 bilingual releases). SHA-256
    # runs on the processor's SHA instructions where it has them (most servers of recent
    # years): here 1.0 GB/s against blake2b's 0.48.
    return hashlib.sha256(data).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class _Job:
    """What a render worker needs; inherited through fork, never pickled."""

    outputs: Sequence[Output]
    out_dir: Path
    staging: Path
    manifest: dict[str, str]
    on_error: OnError


_JOB: _Job | None = None

def _file_stat(root: str, path: str) -> tuple[int, int] | None:
    """(size, mtime) of a regular file in the output (``root`` ends with a slash), else None."""
    try:
        stat = os.stat(root + path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns) if S_ISREG(stat.st_mode) else None


#: index, digest, staged?, problem, and the file's (size, mtime) once in place
Rendered = tuple[int, str, bool, Diagnostic | None, tuple[int, int]]


def _render(indices: Sequence[int]) -> list[Rendered]:
    """Render outputs into staging/<path>; files whose bytes did not change are not staged.

    Staging mirrors the output tree so that the folders new pages need are made here, in
    the workers, and a folder the output lacks moves into place with one rename."""
    job = _JOB
    assert job is not None
    done: list[Rendered] = []
    made: set[str] = set()
    staging, root = str(job.staging), os.path.join(job.out_dir, "")
    for index in indices:
        output = job.outputs[index]
        try:
            data = output.render()
        except CacheLost:
            raise  # not the site's fault: the build starts again without the cache
        except Exception as exc:  # noqa: BLE001 - every failure becomes a diagnostic
            done.append((index, "", False, job.on_error(exc), _NO_STAT))
            continue
        digest = _digest(data)
        path = output.path
        if job.manifest.get(path) == digest:
            existing = _file_stat(root, path)
            if existing is not None:
                done.append((index, digest, False, None, existing))
                continue
        folder = os.path.dirname(path)
        if folder and folder not in made:
            _make_folders(staging, folder, made)
        stat = _write_file(os.path.join(staging, path), data)  # a rename keeps size and mtime
        done.append((index, digest, True, None, (stat.st_size, stat.st_mtime_ns)))
    return done


def _make_folders(staging: str, folder: str, made: set[str]) -> None:
    """``folder`` and its parents in staging, each asked for once per worker: os.makedirs
    would first stat every parent, for each of the 20,000 folders of a 10,000 x 2 site."""
    parent = os.path.dirname(folder)
    if parent and parent not in made:
        _make_folders(staging, parent, made)
    try:
        os.mkdir(os.path.join(staging, folder))
    except FileExistsError:
        pass  # the other worker made it
    made.add(folder)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _write_file(path: str, data: bytes) -> os.stat_result:
    """Write a new file with plain system calls (a first build writes 35,000 of them: the
    buffered file object around each one measured twice the Python time)."""
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


_NO_STAT = (0, 0)


#: Rendered first in a parallel build (after the groups, which hold the feeds): one sitemap
#: of 35,000 addresses takes a second, and a worker that picks it up last keeps the others
#: waiting.
_HEAVY = ("sitemap",)


def _render_all(todo: list[int], jobs: int, progress: Progress | None) -> list[Rendered]:
    parallel = jobs > 1 and len(todo) >= PARALLEL_FROM
    parts = _parts(todo, jobs) if parallel else [todo[i:i + 250] for i in range(0, len(todo), 250)]
    done: list[Rendered] = []
    with fork_pool(jobs) if parallel else _Serial() as pool:
        for part in pool.imap_unordered(_render, parts):
            done.extend(part)
            if progress is not None:
                progress(len(done), len(todo))
    return done


def _parts(todo: list[int], jobs: int) -> list[list[int]]:
    """The work of each message to a worker: every group whole (largest first), then the
    heavy outputs, then the rest in parts small enough to keep the workers evenly busy
    to the end (each part costs one message)."""
    assert _JOB is not None
    outputs = _JOB.outputs
    groups: dict[str, list[int]] = {}
    rest: list[int] = []
    for index in todo:
        group = outputs[index].group
        if group:
            groups.setdefault(group, []).append(index)
        else:
            rest.append(index)
    rest.sort(key=lambda index: outputs[index].kind not in _HEAVY)
    chunk = max(8, len(rest) // (jobs * 32))
    return [*sorted(groups.values(), key=len, reverse=True), *(rest[i:i + chunk] for i in range(0, len(rest), chunk))]


class _Serial:
    """The Pool interface, in this process: small builds do not pay for forking."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def imap_unordered(self, func: Callable[[Sequence[int]], list[Rendered]],
                       parts: list[list[int]]) -> Iterator[list[Rendered]]:
        return map(func, parts)


def write(outputs: Sequence[Output], out_dir: Path, previous: dict[str, str], on_error: OnError,
          jobs: int = 1, progress: Progress | None = None) -> WriteResult:
    global _JOB
    manifest = read_manifest(out_dir)
    result = WriteResult()
    problems: list[Diagnostic] = []
    files: dict[str, str] = {}
    todo: list[int] = []
    root = os.path.join(out_dir, "")  # plain strings: this loop runs once per output of the whole site
    for index, output in enumerate(outputs):
        path = output.path
        if not urls.is_safe_path(path) or path.startswith((STAGING, MARKER)):
            problems.append(Diagnostic(path, None, messages._("output path leaves the output folder")))
            continue
        if path in files:
            problems.append(Diagnostic(path, None, messages._("two outputs would be written to /{path}").format(
                path=path), hint=messages._("two entries or lists share a URL; change a slug or permalink")))
            continue
        result.deps[path] = output.deps
        old = manifest.get(path)
        files[path] = old or ""
        if old and previous.get(path) == output.deps:
            stat = _file_stat(root, path)
            if stat is not None:
                result.skipped += 1
                result.stats[path] = stat
                continue
        todo.append(index)
    if problems:
        raise SiteError(problems)

    created = not out_dir.exists()
    staging = out_dir / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        _JOB = _Job(outputs, out_dir, staging, manifest, on_error)
        rendered = _render_all(todo, jobs, progress)
        problems = [problem for _, _, _, problem, _ in rendered if problem is not None]
        if problems:
            raise SiteError(problems)
        replacing = {outputs[index].path for index, _, staged, _, _ in rendered if staged}
        if replacing:
            # Should this build be killed halfway through the renames, the next one must not
            # trust the manifest for files that may already hold new bytes: list them first.
            _write_json(staging / PENDING, sorted(replacing), out_dir / PENDING)
        place = _Placer(staging, out_dir)
        for index, digest, staged, _, stat in sorted(rendered):
            path = outputs[index].path
            files[path] = digest
            if staged:
                place(path)
                result.written.append(path)
            else:
                result.unchanged += 1
            result.stats[path] = stat
        for path in sorted(set(manifest) - set(files)):
            stale = out_dir / path
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
                result.removed.append(path)
                _prune(stale.parent, out_dir)
        if result.written or result.removed or files != manifest:
            _write_json(staging / MARKER, {"generator": "sitegen", "files": files}, out_dir / MARKER)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()  # leave no trace of a first build that failed
        raise
    finally:
        _JOB = None
    shutil.rmtree(staging, ignore_errors=True)
    return result


class _Placer:
    """Moves staged files into the output: a file into its existing folder, or the
    highest folder the output lacks, whole, with everything staged inside it (a first
    build of 35,000 pages is a handful of renames, not 35,000 renames and mkdirs)."""

    def __init__(self, staging: Path, out_dir: Path) -> None:
        self.staging, self.root = str(staging), str(out_dir)
        self.present: dict[str, bool] = {"": True}
        self.moved: set[str] = set()

    def __call__(self, path: str) -> None:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in self.moved:
                return  # it went with its folder
            present = self.present.get(folder)
            if present is None:
                present = self.present[folder] = os.path.isdir(os.path.join(self.root, folder))
            if not present:
                os.rename(os.path.join(self.staging, folder), os.path.join(self.root, folder))
                self.moved.add(folder)
                return
        os.replace(os.path.join(self.staging, path), os.path.join(self.root, path))


def settle(out_dir: Path) -> None:
    """Forget the pending list: call once what the outputs were made from is saved too.
    Until then a killed build's new files must stay distrusted, or a next build whose
    sources went back to the last finished state would skip them as up to date."""
    (out_dir / PENDING).unlink(missing_ok=True)


def _write_json(temporary: Path, value: object, final: Path) -> None:
    temporary.write_text(json.dumps(value, sort_keys=True), "utf-8")
    os.replace(temporary, final)


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
