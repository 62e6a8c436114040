"""The only module that writes the site: the next generation, beside the live one.

The output folder (the live generation) is never written into. A build renders the files
whose bytes changed into a staging folder, then brings the spare slot (the previous
generation, see ``sitegen.generations``) up to date in place: staged files are moved in,
files the live generation already holds are hard-linked from it, files the new site no
longer has are removed. Then the two folders are swapped in one atomic call. The work is
proportional to what changed in the last two builds, never a copy of the site.

Nothing is written before every output rendered and no two outputs clash, so a failed
build leaves both generations as they were. The live folder is only read: a file there is
trusted (linked, or left unrendered) only while its size and mtime are the ones recorded
when sitegen wrote it, so a file changed by hand is rendered again. Files added by hand at
the top of the output folder (a search engine's verification file, ``.well-known/``) are
carried into each new generation; anything else in the output is sitegen's.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG

from sitegen import clashes, generations, ondisk, oserrors, urls
from sitegen.clashes import SEARCH_BUNDLE
from sitegen.config import CONFIG_FILE, line_of
from sitegen.errors import Diagnostic, SiteError, UsageError, shown_path
from sitegen.generations import MARKER as MARKER
from sitegen.generations import OWNER_RIGHTS, RESERVED, FileStat, Marker, Slots
from sitegen.messages import N_, _
from sitegen.newfile import write_new
from sitegen.outputs import Output
from sitegen.parallel import InProcess, fork_pool, give_back_freed_memory
from sitegen.texts import CacheLost

GUARDED = ("content", "themes", "static", "config.yaml")
PARALLEL_FROM = 1000  # outputs to render before forking worker processes pays for itself

OnError = Callable[[BaseException], Diagnostic]
Progress = Callable[[int, int], None]  # (rendered so far, to render)
#: Called with the folder of the finished next generation (not yet live) before the
#: switch: the search index is brought up to date there.
Finish = Callable[[Path], None]

# What became of each output: the live file is right (SAME), the spare already holds the
# new bytes (HELD), or they were written to staging (STAGED).
SAME, HELD, STAGED = 0, 1, 2


@dataclass(slots=True)
class WriteResult:
    written: list[str] = field(default_factory=list)  # bytes differ from the previous live site
    unchanged: int = 0
    skipped: int = 0  # not even rendered: fingerprint unchanged
    removed: list[str] = field(default_factory=list)
    deps: dict[str, str] = field(default_factory=dict)
    generation: str = ""  # of the live site after the build
    switched: bool = False

    @property
    def total(self) -> int:
        return len(self.written) + self.unchanged + self.skipped


def check_output_folder(out_dir: Path, site_dir: Path, written: str | None = None) -> None:
    """Refuse folders that are, hold or sit inside the site's sources, or that sitegen did not make.
    ``written`` is config.yaml's ``output_dir:`` when the folder comes from there (no --output):
    the refusal is then said at that line, where the folder is changed."""
    problem = _output_folder_problem(out_dir, site_dir)
    if problem is None:
        return
    line = line_of(site_dir, "output_dir") if written is not None else None
    if line is None and written is None:  # from --output: named as given
        raise UsageError([Diagnostic(str(out_dir), None, problem,
                                     hint=_("choose an empty or new folder with --output"))])
    if line is None:  # the default folder of a config.yaml without the line: either way changes it
        raise UsageError([Diagnostic(shown_path(out_dir, site_dir), None, problem,
                                     hint=_("add  output_dir:  with an empty or new folder to config.yaml, or give "
                                            "one with --output"))])
    # A UsageError still, like --output's: watch and serve stop at it rather than wait for a fix.
    raise UsageError([Diagnostic(CONFIG_FILE, line, _("'output_dir' is '{value}': {problem}").format(
        value=written, problem=problem), hint=_("set  output_dir:  to an empty or new folder, or give one with "
                                                "--output"))])


def _output_folder_problem(out_dir: Path, site_dir: Path) -> str | None:
    try:
        out, site = out_dir.resolve(), site_dir.resolve()
    except (OSError, RuntimeError):  # a link loop (RuntimeError before Python 3.13)
        return _("refusing to write to output folder: it is a link that leads back to itself")
    problem = None
    if os.path.lexists(out) and not out.is_dir():
        problem = _("refusing to write to output folder: it is a file, not a folder")
    elif out == site or site.is_relative_to(out):
        problem = _("refusing to write to output folder: it is the site folder or contains it")
    elif any((out / name).exists() for name in GUARDED):
        problem = _("refusing to write to output folder: it contains content/, themes/, static/ or config.yaml")
    elif any(out.is_relative_to(site / name) for name in GUARDED):
        problem = _("refusing to write to output folder: it is inside content/, themes/ or static/")
    elif out.is_relative_to(site / ".sitegen-cache"):
        problem = _("refusing to write to output folder: it is inside .sitegen-cache/")
    elif out.is_dir() and _has_entries(out) and not (out / MARKER).is_file() and not _made_by_sitegen(site, out):
        problem = _("refusing to write to output folder: it is not empty and was not made by sitegen "
                    "(no {marker})").format(marker=MARKER)
    return problem


def _made_by_sitegen(site_dir: Path, out_dir: Path) -> bool:
    """Whether sitegen's own record says it made the live generation of ``out_dir`` (whose
    public marker someone has then deleted: the build writes it again)."""
    slots = generations.find(site_dir, out_dir)
    return slots is not None and generations.generation_of(slots, slots.live) is not None


def _has_entries(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except OSError:
        return True


def read_manifest(out_dir: Path) -> dict[str, str]:
    """Path -> digest of every file sitegen wrote into the live generation."""
    return generations.read_manifest(out_dir)


_DIGEST = 32  # characters of a digest


def _digest(data: bytes) -> str:
    # Every byte a build renders is hashed. SHA-256 runs on the processor's SHA instructions
    # where it has them (most servers of recent years), where it beats blake2b
    # (benchmarks/README.md, "Measured figures behind the code").
    return hashlib.sha256(data).hexdigest()[:_DIGEST]


@dataclass(frozen=True, slots=True)
class _Job:
    """What a render worker needs; inherited through fork, never pickled."""

    outputs: Sequence[Output]
    staging: Path
    files: dict[str, str]  # the live marker's digests ({} when the live files are not to be used)
    stats: dict[str, FileStat]
    edited: frozenset[str]  # live files not as sitegen left them
    spare: dict[str, str]  # path -> digest the spare holds apart from the live site (its "differs")
    on_error: OnError
    copy: str  # a first build's copy (the folder the next build updates in place), or ""
    forget: Callable[[], None]  # let go of what rendering kept in this process (Renderer.forget)
    parallel: bool  # rendered by several processes (_render_all), whose sum of memory counts


_JOB: _Job | None = None
#: The kind of output this process rendered last in this build (see _family)
_NONE = ("", False, "")
_LAST = _NONE

#: index, what became of it, digest, problem, (size, mtime) where it is
Rendered = tuple[int, int, str, Diagnostic | None, FileStat]
_NO_STAT = (0, 0, 0)


@dataclass(frozen=True, slots=True)
class _Part:
    """What became of a part of the outputs (its Rendered items), kept as columns. The
    build's process holds every part until the render ends, while a worker still holds its
    copy of the model: a tuple, a digest and a stat per output were a tenth of a large
    site's peak memory, a few small objects per part are not (benchmarks/README.md,
    fourteenth session)."""

    indices: array[int]
    what: bytes
    digests: str  # _DIGEST characters per output (blank where it failed: no digest)
    stats: array[int]  # size, mtime and inode of each
    problems: dict[int, Diagnostic]  # by position in the part

    def __len__(self) -> int:
        return len(self.indices)

    def __iter__(self) -> Iterator[Rendered]:
        digests, stats, problems = self.digests, self.stats, self.problems
        for at, (index, what) in enumerate(zip(self.indices, self.what, strict=True)):
            problem = problems.get(at) if problems else None
            yield (index, what, "" if problem else digests[at * _DIGEST:(at + 1) * _DIGEST], problem,
                   (stats[3 * at], stats[3 * at + 1], stats[3 * at + 2]))


def _render(indices: Sequence[int]) -> _Part:
    """Render outputs; write into staging/<path> only the bytes neither slot already holds.

    Staging mirrors the output tree so that the folders new pages need are made here, in
    the workers, and a folder the spare lacks moves into it with one rename. A first build's
    workers also link each file into its copy (see _finish_copy) as they write it."""
    global _LAST
    job = _JOB
    assert job is not None
    done, what, stats = array("q"), bytearray(), array("q")
    digests: list[str] = []
    problems: dict[int, Diagnostic] = {}
    made: set[str] = set()
    copied: set[str] = set()
    staging, copy = str(job.staging), job.copy
    for index in indices:
        output = job.outputs[index]
        family = _family(output)
        if family != _LAST:
            job.forget()
            if job.parallel and _LAST != _NONE:
                _give_back()
            _LAST = family
        try:
            data = output.render()
        except CacheLost:
            raise  # not the site's fault: the build starts again without the cache
        except Exception as exc:  # noqa: BLE001 - every failure becomes a diagnostic
            problems[len(done)] = job.on_error(exc)
            _land(done, what, digests, stats, index, STAGED, " " * _DIGEST, _NO_STAT)
            continue
        digest = _digest(data)
        path = output.path
        if job.files.get(path) == digest and path not in job.edited:
            _land(done, what, digests, stats, index, SAME, digest, job.stats[path])
            continue
        if job.spare.get(path) == digest and digest:
            _land(done, what, digests, stats, index, HELD, digest, _NO_STAT)
            continue
        folder = os.path.dirname(path)
        if folder and folder not in made:
            _make_folders(staging, folder, made)
        written = os.path.join(staging, path)
        stat = write_new(written, data)  # a rename keeps size and mtime
        if copy:
            if folder and folder not in copied:
                _make_folders(copy, folder, copied)
            os.link(written, os.path.join(copy, path))
        _land(done, what, digests, stats, index, STAGED, digest, (stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return _Part(done, bytes(what), "".join(digests), stats, problems)


def _land(done: array[int], what: bytearray, digests: list[str], stats: array[int], index: int, became: int,
          digest: str, stat: FileStat) -> None:
    done.append(index)
    what.append(became)
    digests.append(digest)
    stats.extend(stat)


def _give_back() -> None:
    """Hand what the last kind of output kept back to the system, once it is let go of: the
    allocator keeps freed memory for reuse, so a worker that moved on from the feeds to the
    lists held the feeds' items' memory to the end of the build, beside the lists' own
    (benchmarks/README.md, fourteenth session, has what it saves). Only in a parallel
    render: there the inherited model is frozen (parallel.fork_pool), so collecting walks
    only what rendering made; a serve process rendering an edit in itself would walk its
    whole model."""
    gc.collect()
    give_back_freed_memory()


def _make_folders(root: str, folder: str, made: set[str]) -> None:
    """``folder`` and its parents in ``root``, each asked for once per worker: os.makedirs
    would first stat every parent, for each of the site's folders (one per page)."""
    parent = os.path.dirname(folder)
    if parent and parent not in made:
        _make_folders(root, parent, made)
    try:
        os.mkdir(os.path.join(root, folder))
    except FileExistsError:
        pass  # the other worker made it
    made.add(folder)


#: Rendered first in a parallel build (after the groups, which hold the feeds): a sitemap of
#: a large site is the longest single output, and a worker that picks it up last keeps the
#: others waiting.
_HEAVY = ("sitemap",)


def _family(output: Output) -> tuple[str, bool, str]:
    """Outputs that share what rendering keeps in a process: the sitemap files share their
    locations, list pages of one language their release cards. A process moving on to
    another family lets go of it (Renderer.forget): a worker holds one language's cards at a
    time, not every release's. Not so the feeds: each format's feeds of every language go
    to one worker together, and the formats share each release's item text, so letting go
    at each change of language would make it again for every format."""
    return output.kind, bool(output.source), output.lang if output.kind == "page" else ""


def _render_all(todo: list[int], jobs: int, progress: Progress | None) -> list[Rendered]:
    assert _JOB is not None
    parallel = _JOB.parallel
    parts = _parts(_JOB.outputs, todo, jobs) if parallel else [todo[i:i + 250] for i in range(0, len(todo), 250)]
    done: list[_Part] = []
    count = 0
    # This process renders too, beside one worker fewer (Workers.share): it takes the
    # parts from the back, where _parts puts the article pages.
    with fork_pool(jobs - 1) if parallel else InProcess() as pool:
        for part in pool.share(_render, parts):
            done.append(part)
            count += len(part)
            if progress is not None:
                progress(count, len(todo))
    return [item for part in done for item in part]


def _parts(outputs: Sequence[Output], todo: list[int], jobs: int) -> list[list[int]]:
    """The work of each message to a worker: every group whole (largest first), then the
    heavy outputs, then the rest in parts small enough to keep the processes evenly busy
    to the end (each part costs one message). The workers take them from the front, this
    process from the back (_render_all)."""
    groups: dict[str, list[int]] = {}
    rest: list[int] = []
    for index in todo:
        group = outputs[index].group
        if group:
            groups.setdefault(group, []).append(index)
        else:
            rest.append(index)
    # Then the article pages last: this process takes them from the back while the workers
    # take the feeds, sitemaps and lists from the front, so what those keep (feed items,
    # locations, release cards) is held by one process rather than by each; a worker that
    # gets to the article pages lets go of it first (_family).
    rest.sort(key=lambda index: (outputs[index].kind not in _HEAVY,
                                 outputs[index].kind == "page" and bool(outputs[index].source)))
    chunk = max(8, len(rest) // (jobs * 32))
    return [*sorted(groups.values(), key=len, reverse=True), *(rest[i:i + chunk] for i in range(0, len(rest), chunk))]


def write(outputs: Sequence[Output], slots: Slots, on_error: OnError,
          jobs: int = 1, progress: Progress | None = None, clean: bool = False,
          finish: Finish | None = None, force: Callable[[], bool] = lambda: False,
          check: ondisk.Check | None = None,
          forget: Callable[[], None] = lambda: None) -> WriteResult:
    """Make the site of ``outputs`` the live generation; an output whose fingerprint is the
    one the live generation's file was made from is not rendered. ``clean``: trust nothing of the live
    generation, render and write every file. ``force``: asked when no file changed, whether to
    make a next generation all the same (the live one's search index is not whole). ``check``:
    the check for files changed by hand, if the build started it early. ``forget``: let go of
    what rendering keeps in a process (Renderer.forget), called as a process moves on to
    another kind of output."""
    def shown() -> str | None:  # "" where no site is published yet
        return generations.generation_of(slots, slots.live) if os.path.lexists(slots.live) else ""

    before = shown()
    try:
        return _write(outputs, slots, on_error, jobs, progress, clean, finish, force, check or ondisk.Check(), forget)
    except OSError as exc:
        # met after the new site went live (a first build copies it for rollback afterwards)
        now = shown()
        raise cannot_write(exc, slots, published=now != before and now is not None) from None


def _write(outputs: Sequence[Output], slots: Slots, on_error: OnError,
           jobs: int, progress: Progress | None, clean: bool, finish: Finish | None, force: Callable[[], bool],
           check: ondisk.Check, forget: Callable[[], None]) -> WriteResult:
    global _JOB, _LAST
    live = generations.read_marker(slots, slots.live)
    problems = clashes.find(outputs, live.files.keys() if live is not None else None)
    checked = live.files if live is not None else {}  # the record holds only paths found safe
    problems += [Diagnostic(o.source or o.path, None, _("output path /{path} leaves the output folder").format(
        path=o.path)) for o in outputs if o.path not in checked and not urls.is_safe_path(o.path)]
    if problems:
        raise clashes.Clashes(sorted(problems, key=Diagnostic.sort_key))
    # What sitegen made in the live folder, even with --clean: its record, or failing that
    # (the cache was deleted) the public marker, so hand-added files are still told apart.
    known = live.files.keys() if live is not None else generations.read_manifest(slots.live).keys()
    record = live if live is not None else Marker()  # even with --clean: what is sitegen's, what is not
    live = live if live is not None and not clean else Marker()
    files, stats, previous = live.files, live.stats, live.deps
    edited = check.changed(slots.live, live)  # not as sitegen left them: never trusted
    spare_gen = generations.generation_of(slots, slots.spare)
    delta = bool(live.generation) and spare_gen is not None and spare_gen == live.previous
    result = WriteResult()
    result.deps = {output.path: output.deps for output in outputs}
    done: list[Rendered] = []
    todo: list[int] = []
    for index, output in enumerate(outputs):  # once per output of the whole site
        path = output.path
        old = files.get(path)
        if old and previous.get(path) == output.deps and path not in edited:
            done.append((index, SAME, old, None, stats[path]))
        else:
            todo.append(index)
    result.skipped = len(done)

    generations.remove_tree(slots.staging)
    slots.staging.mkdir(parents=True)
    generations.mark_incomplete(slots, slots.staging)  # a record left for a folder of the same inode
    first = not os.path.lexists(slots.live)
    published = False
    if first:  # the spare will be its copy, linked by the workers (see _finish_copy)
        _set_aside(slots.spare, slots)
        slots.spare.mkdir()
        generations.mark_incomplete(slots, slots.spare)
    try:
        _JOB = _Job(outputs, slots.staging, files, stats, edited, live.differs if delta else {}, on_error,
                    str(slots.spare) if first else "", forget, jobs > 1 and len(todo) >= PARALLEL_FROM)
        _LAST = _NONE
        rendered = _render_all(todo, jobs, progress)
        problems = [item[3] for item in rendered if item[3] is not None]
        if problems:
            raise SiteError(problems)
        done += sorted(rendered)  # the skipped ones are in order already
        new_paths = result.deps.keys()
        removed = sorted(files.keys() - new_paths)
        changed = any(item[1] != SAME for item in rendered)  # the skipped ones are SAME
        if not changed and not removed and live.generation and MARKER not in edited and not force():
            result.unchanged = len(done) - result.skipped
            result.generation = live.generation
            if result.deps != live.deps:  # the same bytes from other sources (a template's comment)
                live.deps = result.deps
                generations.save_record(slots, slots.live, live)
            return result
        marker = _next_generation(outputs, rendered, live, edited, removed)
        marker.deps = result.deps
        if first:  # its previous generation will be a copy of it (see _finish_copy): nothing differs
            marker.previous = generations.new_generation()
            marker.differs = {}
        target = slots.spare if delta else slots.staging
        if delta:
            generations.mark_incomplete(slots, slots.spare)
            _bring_up_to_date(outputs, done, new_paths, live, slots, removed)
        else:
            _fill_staging(outputs, done, slots)
        _carry(slots.live, target, new_paths, known)  # the search bundle too: kept should a new index fail
        _carry_foreign(slots.live, target, new_paths, record, marker, delta, check)
        if finish is not None:
            finish(target)
        for item in rendered:
            if item[1] == HELD:  # a staged file keeps its worker's stat: renames keep inode, size and mtime
                marker.stats[outputs[item[0]].path] = _stat_of(target, outputs[item[0]].path)
        generations.write_marker(slots, target, marker)
        if first:
            _appear(slots)
            published = True
            _finish_copy(slots, marker)
        else:
            if not delta:
                _set_aside(slots.spare, slots)
                os.rename(slots.staging, slots.spare)
            generations.adopt(slots, slots.live)  # one whose record was lost: still a site to roll back to
            generations.exchange(slots)
    finally:
        _JOB = None
        generations.remove_tree(slots.staging)
        if first and not published:  # a first build that failed: its copy goes too
            generations.remove_tree(slots.spare)
    generations.remove_tree(slots.trash)
    generations.forget_others(slots)
    result.switched = True
    result.generation = marker.generation
    result.written = [outputs[item[0]].path for item in done if item[1] != SAME]
    result.unchanged = len(done) - len(result.written) - result.skipped
    # What the output no longer has: with --clean, of what sitegen had made there before.
    result.removed = sorted(known - new_paths) if clean else removed
    return result


def _next_generation(outputs: Sequence[Output], rendered: list[Rendered], live: Marker, edited: frozenset[str],
                     removed: list[str]) -> Marker:
    """The marker of the next generation: the live one's files (an output not rendered again
    is the very file it records) as ``rendered`` left them. ``differs`` says where the live
    one (about to become the previous) holds other bytes, or bytes it cannot vouch for ("":
    changed by hand)."""
    # To the microsecond: two builds in one second are two sites to rollback (generations.shown_apart).
    marker = Marker(generations.new_generation(), datetime.now(UTC).isoformat(timespec="microseconds"),
                    previous=live.generation)
    marker.files = dict(live.files)
    stats = dict(live.stats)
    stats.pop(MARKER, None)  # the new generation's is recorded as it is written
    marker.stats = stats if stats.keys() == live.files.keys() else \
        {path: stat for path, stat in stats.items() if path in live.files}
    for path in removed:
        del marker.files[path]
        marker.stats.pop(path, None)
        marker.differs[path] = "" if path in edited else live.files[path]
    for index, what, digest, _problem, stat in rendered:
        path = outputs[index].path
        marker.files[path] = digest
        marker.stats[path] = stat
        if what != SAME:
            marker.differs[path] = "" if path in edited else live.files.get(path, "")
    return marker


def _bring_up_to_date(outputs: Sequence[Output], done: list[Rendered], wanted: AbstractSet[str], live: Marker,
                      slots: Slots, removed: list[str]) -> None:
    """Make the spare (the generation before the live one) hold the next site (the paths
    ``wanted``)."""
    spare, staging = slots.spare, slots.staging
    # What the spare holds apart from the live site; and the live site's own removed files.
    for path in sorted(set(live.differs) | set(removed)):
        if path not in wanted:
            _remove(spare, path)
    placer = _Placer(spare, staging)
    live_root = str(slots.live)
    differs = live.differs
    for item in done:
        what = item[1]
        if what == STAGED:
            placer.place(outputs[item[0]].path)
        elif what == SAME and differs and outputs[item[0]].path in differs:
            path = outputs[item[0]].path
            placer.folder_of(path)
            _replace_with_link(os.path.join(live_root, path), os.path.join(spare, path))
    if placer.replaced:
        # A file or link stood where the spare needs a folder: what the record said was
        # below it is not there. Link it from the live generation.
        under = tuple(folder + "/" for folder in placer.replaced)
        for index, what, *_rest in done:
            path = outputs[index].path
            if what == SAME and path not in differs and path.startswith(under):
                placer.folder_of(path)
                _replace_with_link(os.path.join(live_root, path), os.path.join(spare, path))


def _fill_staging(outputs: Sequence[Output], done: list[Rendered], slots: Slots) -> None:
    """Staging becomes the next generation whole: link every file the live one has right."""
    live_root, staging = str(slots.live), str(slots.staging)
    made: set[str] = set()
    for index, what, *_rest in done:
        path = outputs[index].path
        if what == STAGED:
            continue
        folder = os.path.dirname(path)
        if folder and folder not in made:
            os.makedirs(os.path.join(staging, folder), exist_ok=True)
            made.add(folder)
        os.link(os.path.join(live_root, path), os.path.join(staging, path), follow_symlinks=False)


def _appear(slots: Slots) -> None:
    """A first build's site appears at once, where no output folder was when it began."""
    try:
        os.rename(slots.staging, slots.live)
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR) or not os.path.lexists(slots.live):
            raise
        # Made meanwhile: by the first build of another site configured with this output
        # (nothing else holds a folder that is not there yet), or by hand.
        raise UsageError([Diagnostic(str(slots.live), None, _(
            "another build made this output folder while this one was running; this build published nothing"),
            hint=_("build again once the other build has finished; if two sites share this output folder, "
                   "give each its own"))]) from None


def _set_aside(folder: Path, slots: Slots) -> None:
    """Move ``folder`` (if any) to the trash, which is emptied once the new site is live."""
    generations.remove_tree(slots.trash)
    if os.path.lexists(folder):
        os.rename(folder, slots.trash)


def _finish_copy(slots: Slots, marker: Marker) -> None:
    """After a first build, the copy its workers linked file by file as they wrote becomes
    the previous generation, so the next build updates that in place instead of linking the
    whole site then. It gets the search bundle and its record here."""
    _carry(slots.live, slots.spare, marker.files.keys(), frozenset())
    copy = Marker(marker.previous, marker.built, dict(marker.files), dict(marker.stats), deps=dict(marker.deps))
    generations.write_marker(slots, slots.spare, copy)


def _remove(root: Path, path: str) -> None:
    """Remove ``path`` from a slot and the folders it leaves empty."""
    target = root / path
    if not os.path.lexists(target):
        return
    generations.remove_tree(target)
    folder = target.parent
    while folder != root and folder.is_relative_to(root):
        try:
            _rmdir(folder)
        except OSError:
            return
        folder = folder.parent


def _rmdir(folder: Path) -> None:
    try:
        folder.rmdir()
    except PermissionError:  # a folder made read-only by hand, now the previous generation's
        generations.writable(folder.parent)
        folder.rmdir()


def _replace_with_link(source: str, target: str) -> None:
    if os.path.lexists(target):
        generations.remove_tree(Path(target))
    os.link(source, target, follow_symlinks=False)


class _Placer:
    """Moves staged files into the spare: a file into its folder, or the highest folder the
    spare lacks, whole, with everything staged inside it. A file or link where a folder
    must be, or a folder where a file must be, is removed first: links are never followed."""

    def __init__(self, root: Path, staging: Path) -> None:
        self.root, self.staging = str(root), str(staging)
        generations.writable(root)
        self.present: dict[str, bool] = {"": True}
        self.moved: set[str] = set()
        self.replaced: list[str] = []  # folders where something else stood

    def _folder(self, folder: str) -> bool:
        """Whether ``folder`` is a real folder in the spare (anything else there is removed)."""
        present = self.present.get(folder)
        if present is None:
            target = os.path.join(self.root, folder)
            try:
                mode = os.lstat(target).st_mode
            except FileNotFoundError:
                mode = 0
            present = S_ISDIR(mode)
            if mode and not present:
                generations.remove_tree(Path(target))
                self.replaced.append(folder)
            elif present and mode & OWNER_RIGHTS != OWNER_RIGHTS:
                generations.writable(target)  # made read-only by hand while it was live
            self.present[folder] = present
        return present

    def place(self, path: str) -> None:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in self.moved:
                return  # it went with its folder
            if not self._folder(folder):
                os.rename(os.path.join(self.staging, folder), os.path.join(self.root, folder))
                self.moved.add(folder)
                self.present[folder] = True
                return
        target = os.path.join(self.root, path)
        if os.path.isdir(target) and not os.path.islink(target):
            generations.remove_tree(Path(target))
        os.replace(os.path.join(self.staging, path), target)

    def folder_of(self, path: str) -> None:
        """Make sure the folders of ``path`` are real folders in the spare."""
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in self.moved:
                continue
            if not self._folder(folder):
                os.mkdir(os.path.join(self.root, folder))
                self.present[folder] = True


def _stat_of(root: Path, path: str) -> FileStat:
    stat = os.lstat(root / path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


# --- files added by hand at the top of the output ----------------------------------------------

def _tops(paths: Iterable[str]) -> set[str]:
    return {path.split("/", 1)[0] for path in paths}


def _kept_names(live: Path, tops: set[str]) -> list[str]:
    """Top-level entries of the live folder that are not sitegen's (``tops``: the top names
    of what it made before and makes now) nor its own bookkeeping."""
    try:
        with os.scandir(live) as entries:
            names = [entry.name for entry in entries]
    except OSError:
        return []
    return sorted(name for name in names if name not in tops and name not in RESERVED
                  and not name.startswith(".sitegen-"))


def _carry(live: Path, target: Path, new_paths: AbstractSet[str], old_paths: AbstractSet[str]) -> None:
    """Give the next generation the live one's hand-added top-level entries and its search
    bundle, as hard links; drop the ones that went."""
    tops = _tops(new_paths)
    kept = set(_kept_names(live, tops | _tops(old_paths - new_paths)))
    with os.scandir(target) as entries:
        for entry in entries:
            if entry.name not in tops and entry.name not in kept and entry.name not in RESERVED:
                generations.remove_tree(Path(entry.path))
    for name in sorted(kept):
        _link_tree(live / name, target / name, named_by_content=name == SEARCH_BUNDLE)


def _carry_foreign(live: Path, target: Path, new_paths: AbstractSet[str], record: Marker, marker: Marker,
                   delta: bool, check: ondisk.Check) -> None:
    """Give the next generation the entries someone put by hand below the top level of the
    live one (those known from before that are still there, and any new ones), as hard links,
    where no output of the next site stands; and take out of a brought-up-to-date spare the
    ones it holds that the live generation no longer does. ``marker`` records what it holds."""
    found = [path for path in record.foreign if os.path.lexists(live / path)]
    found += check.foreign(live, record)
    stale = set(record.foreign_before) if delta else set()
    if not found and not stale:
        return
    folders = ondisk.folders_of(new_paths)

    def outside(root: Path, paths: Iterable[str]) -> set[str]:
        """``paths`` less what the next site writes, a folder it also needs gone into: a
        hand-added folder that now holds a page keeps the other entries in it."""
        left, todo = set(), list(paths)
        while todo:
            path = todo.pop()
            if path in folders:
                try:
                    todo += [f"{path}/{name}" for name in os.listdir(root / path)]
                except OSError:
                    pass
            elif path not in new_paths and not any(parent in new_paths for parent in ondisk.parents(path)):
                left.add(path)
        return left

    def whole(path: str) -> str:
        """The highest folder above ``path`` (below the top) that the next site does not use, if
        any: kept whole, so that what is added to it later (nothing else looks there) goes along."""
        for parent in ondisk.parents(path):
            if parent in folders or "/" not in parent:
                break
            path = parent
        return path

    wanted = {whole(path) for path in outside(live, found)}
    kept = sorted(path for path in wanted if not any(parent in wanted for parent in ondisk.parents(path)))
    for path in sorted(outside(target, stale) - set(kept)):
        if not any(parent in kept for parent in ondisk.parents(path)):
            _remove(target, path)
    for path in kept:
        for parent in reversed(list(ondisk.parents(path))):  # one made read-only by hand while live
            generations.writable(target / parent)
        os.makedirs(target / path.rpartition("/")[0], exist_ok=True)
        _link_tree(live / path, target / path)
    if kept:  # a folder kept whole may hold what sitegen wrote there before (a page since removed)
        inside = tuple(f"{path}/" for path in kept)
        for path in record.files:
            if path.startswith(inside) and path not in new_paths:
                _remove(target, path)
    marker.foreign, marker.foreign_before = kept, sorted(set(found))  # the latter: what the spare will hold


def _link_tree(source: Path, target: Path, named_by_content: bool = False) -> None:
    """``target`` as a copy of ``source`` made of hard links; links are copied, not followed.
    ``named_by_content``: a folder inside whose name is already in ``target`` holds the same
    files (the search bundles are named by a hash of what they index), and is not walked."""
    try:
        mode = os.lstat(source).st_mode
    except FileNotFoundError:
        return
    try:
        there: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        there = None
    if S_ISDIR(mode):
        if there is not None and not S_ISDIR(there.st_mode):
            generations.remove_tree(target)
            there = None
        elif there is not None and there.st_mode & OWNER_RIGHTS != OWNER_RIGHTS:
            generations.writable(target)  # made read-only by hand while it was live
        if there is None:
            os.mkdir(target)
        names = set(os.listdir(source))
        for name in os.listdir(target):
            if name not in names:
                generations.remove_tree(target / name)
        for name in sorted(names):
            if named_by_content and (target / name).is_dir() and not (target / name).is_symlink() \
                    and (source / name).is_dir():
                continue
            _link_tree(source / name, target / name)
    elif S_ISREG(mode) or S_ISLNK(mode):
        if there is not None and os.path.samestat(there, os.lstat(source)):
            return
        if there is not None:
            generations.remove_tree(target)
        os.link(source, target, follow_symlinks=False)


# --- the user's words for a failure ------------------------------------------------------------

_HINTS = {
    errno.ENOSPC: N_("the disk is full: free some space and build again"),
    errno.EDQUOT: N_("the disk quota is used up: free some space and build again"),
    errno.EROFS: N_("the folder is on a read-only filesystem: choose another with --output"),
    errno.EACCES: N_("sitegen may not write there: fix the folder's permissions or choose another with --output"),
    errno.EPERM: N_("sitegen may not write there: fix the folder's permissions or choose another with --output"),
    errno.ENOTDIR: N_("a file stands where a folder must be: choose another folder with --output"),
    errno.EXDEV: N_("the output and its previous generation are on different filesystems"),
    # renaming a mount point: sitegen switches generations by renaming the output folder itself
    errno.EBUSY: N_("the output folder is a mount point, which cannot be renamed: mount the disk one folder up "
                    "and build into a folder inside it"),
}
_CHECK = N_("check the folder and build again")


def _writable(path: str) -> bool:
    """Whether sitegen may write in the folder of ``path``, or in the nearest one above it that
    is there (a failed generation's folders are gone by the time its failure is said)."""
    folder = os.path.dirname(path)
    while folder and not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return os.access(folder or ".", os.W_OK)


def cannot_write(exc: OSError, slots: Slots, published: bool = False) -> SiteError:
    """``exc``, met while writing the site into ``slots``, in the user's words: at the output
    folder when it is met in sitegen's own folder for it (which the user never named), and
    saying whether a site is published there: the one before, or (``published``) the new one."""
    where = str(exc.filename or slots.live)
    if Path(where).is_relative_to(slots.home):
        where = str(slots.live)
    hint = _(_HINTS.get(exc.errno or 0, _CHECK))
    if exc.errno == errno.EPERM and exc.filename2 is not None and _writable(os.fsdecode(exc.filename2)):
        # Refused a link (a generation's unchanged files are linked) where sitegen may write:
        # a disk that holds none, not a matter of permissions.
        hint = _("this disk holds no hard links (a FAT or exFAT disk, or a share from Windows): build into a "
                 "folder on a Linux filesystem, then copy or deploy it there")
    problem = oserrors.words(exc, lower=False)
    if published:
        message = _("the new site is published, but sitegen could not finish its own records: {problem}").format(
            problem=problem)
    elif os.path.lexists(slots.live):
        message = _("cannot write the site: {problem}; the published site is unchanged").format(problem=problem)
    else:
        message = _("cannot write the site: {problem}; nothing was published").format(problem=problem)
    return UsageError([Diagnostic(where, None, message, hint=hint)])
