"""Which files of the live generation are no longer as sitegen left them.

A build trusts a file of the live generation (links it into the next one, or does not
render it again) only while its size, mtime and inode are the ones recorded when sitegen
wrote it; anything else is an edit by hand, and the file is made again. Knowing that takes
one ``lstat`` per file of the site: on a large site the largest part of an edit build's
kernel time. So a build that has a large record to check starts the check in a forked
child before it prepares the model (:func:`start`), and the writer takes the answer when
it gets there; elsewhere (a small site, `--jobs 1`, other threads running, a child that
failed) the writer checks in its own process, against the record it has read. The child
reads the slot's stats file instead (sitegen.generations), which loads far faster than the
whole record, and the nothing-changed shortcut takes its answer without reading the record
at all.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from sitegen import generations
from sitegen.generations import FileStat, Marker, Slots
from sitegen.parallel import Forked, may_fork

#: A record at least this large (about 1,200 files) is checked in a child: below it the
#: fork costs about as much as it saves (benchmarks/README.md).
FORK_FROM_BYTES = 200_000


def changed_files(root: Path, marker: Marker) -> frozenset[str]:
    """The files of ``marker`` (and the public marker, generations.MARKER) that are missing
    under ``root``, or not regular files, or not of the size, mtime and inode recorded; links
    are not followed."""
    files = (*marker.files, generations.MARKER)
    return _changed(root, files, map(marker.stats.get, files))


def _changed(root: Path, files: Iterable[str], recorded: Iterable[FileStat | None]) -> frozenset[str]:
    """``files`` not as ``recorded`` (each file's stat in turn) under ``root``."""
    top = os.path.join(root, "")
    lstat = os.lstat
    changed = []
    linked = _linked_folders(top)
    for path, was in zip(files, recorded, strict=True):
        if linked and path.startswith(linked):
            changed.append(path)
            continue
        try:
            stat = lstat(top + path)
        except OSError:
            changed.append(path)
            continue
        if not S_ISREG(stat.st_mode) or (stat.st_size, stat.st_mtime_ns, stat.st_ino) != was:
            changed.append(path)
    return frozenset(changed)


def _linked_folders(top: str) -> tuple[str, ...]:
    """The top-level entries of the output that are links, as prefixes ("berita/"): a folder
    moved out and linked back keeps its files' size, mtime and inode, which ``lstat`` reads
    through the link. Only the top level is looked at: a ``lstat`` of every folder would add
    more than half again to the check."""
    try:
        with os.scandir(top) as entries:
            return tuple(entry.name + "/" for entry in entries if entry.is_symlink())
    except OSError:
        return ()


#: Above this many files, a build that checks the live generation in its own process (a
#: threaded serve) does not look for entries added by hand below the top level: one lstat
#: per folder would add a second to each edit of a national archive. The forked check does.
FOREIGN_IN_PROCESS_AT_MOST = 50_000


def foreign_entries(root: Path, marker: Marker) -> list[str]:
    """Entries below the top level of the generation at ``root`` that neither sitegen wrote
    nor are known as hand-added (``marker.foreign``): files, links or whole folders someone
    put there. Only the folders changed since the generation was complete are listed (a
    folder's mtime moves when an entry is added to it); the top level is the writer's own
    concern (``writer._carry``)."""
    recorded = marker.stats.get(generations.MARKER)
    if recorded is None:  # a record from before this check: nothing to compare with
        return []
    return _foreign(root, marker.files, recorded[1], set(marker.foreign))


def parents(path: str) -> Iterator[str]:
    """The folders above ``path``, nearest first (``a/b/c``: ``a/b``, ``a``)."""
    parent = path.rpartition("/")[0]
    while parent:
        yield parent
        parent = parent.rpartition("/")[0]


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder (below the top, as a relative path) that holds one of ``paths`` at any depth."""
    folders = {path.rpartition("/")[0] for path in paths}
    for folder in list(folders):
        for parent in parents(folder):
            if parent in folders:
                break  # and so are the ones above it
            folders.add(parent)
    folders.discard("")
    return folders


def _foreign(root: Path, files: Collection[str], since: int, known: set[str]) -> list[str]:
    if since < 0:
        return []
    folders = folders_of(files)
    top = os.path.join(root, "")
    found = []
    recorded: Collection[str] | None = None  # a set to look names up in, made when first needed
    for folder in sorted(folders):
        try:
            stat = os.lstat(top + folder)
            # ctime too: a copy that keeps times (rsync -a, tar, cp -a) sets a folder's mtime
            # back, but the change itself moves its ctime, which nobody can set.
            if not S_ISDIR(stat.st_mode) or max(stat.st_mtime_ns, stat.st_ctime_ns) < since:
                continue
            with os.scandir(top + folder) as entries:
                names = [entry.name for entry in entries]
        except OSError:
            continue
        if recorded is None:
            recorded = files if isinstance(files, AbstractSet | Mapping) else set(files)
        for name in names:
            path = f"{folder}/{name}"
            if path not in recorded and path not in folders and path not in known and not name.startswith(".sitegen") \
                    and path != generations.MARKER:
                found.append(path)
    return sorted(found)


class Check:
    """The check of a live generation, perhaps already running in a child. Its answer is
    kept: the nothing-changed shortcut and the build that follows it ask alike."""

    def __init__(self, slots: Slots | None = None, jobs: int = 1, foreign: bool = True) -> None:
        self._child: Forked | None = None
        self._answer: tuple[str, str, frozenset[str]] | None = None
        #: entries added by hand are looked for by a child of their own, started once a build
        #: is sure to follow (start_foreign): the nothing-changed shortcut needs none of them
        self._foreign_child: Forked | None = None
        self._slots = slots if slots is not None and _worth_forking(slots, jobs) else None
        if self._slots is not None:
            try:
                self._child = Forked(_check, self._slots)
            except OSError:  # no process to spare: the writer checks itself
                self._slots = None
            if foreign:
                self.start_foreign()

    def start_foreign(self) -> None:
        """Look for entries added by hand in a child, now (where the check forks at all)."""
        if self._slots is not None and self._foreign_child is None and may_fork(2):
            try:
                self._foreign_child = Forked(_foreign_of, self._slots)
            except OSError:  # the writer looks itself
                pass

    def known(self, root: Path, generation: str) -> frozenset[str] | None:
        """The files of generation ``generation`` at ``root`` changed by hand, if the child
        (or an earlier question) found them; None if not."""
        child, self._child = self._child, None
        if child is not None:
            answer = child.result()
            if isinstance(answer, tuple):
                self._answer = answer
        if self._answer is not None and self._answer[:2] == (generation, str(root)):
            return self._answer[2]
        return None

    def changed(self, root: Path, marker: Marker) -> frozenset[str]:
        """:func:`changed_files` of ``marker``: the child's answer when it checked this very
        generation, else found now."""
        found = self.known(root, marker.generation)
        if found is None:
            found = changed_files(root, marker)
            self._answer = (marker.generation, str(root), found)
        return found

    def foreign(self, root: Path, marker: Marker) -> list[str]:
        """:func:`foreign_entries` of ``marker``: the child's answer when it looked at this very
        generation, else found now (not above FOREIGN_IN_PROCESS_AT_MOST files)."""
        child, self._foreign_child = self._foreign_child, None
        answer = child.result() if child is not None else None
        if isinstance(answer, tuple) and answer[:2] == (marker.generation, str(root)):
            return list(answer[2])
        if len(marker.files) > FOREIGN_IN_PROCESS_AT_MOST:
            return []
        return foreign_entries(root, marker)

    def close(self) -> None:
        for child in (self._child, self._foreign_child):
            if child is not None:
                child.cancel()
        self._child = self._foreign_child = None


def start(site_dir: Path, out_dir: Path, jobs: int, foreign: bool = True) -> Check:
    """Start checking the live generation of ``out_dir`` now, where that pays and the build
    may use more than one process (``--jobs``); ``foreign``: look for entries added by hand
    now too (else once Check.start_foreign is called)."""
    return Check(generations.find(site_dir, out_dir), jobs, foreign)


def _worth_forking(slots: Slots, jobs: int) -> bool:
    record = generations.record_file(slots, slots.live)
    try:
        large = record is not None and record.stat().st_size >= FORK_FROM_BYTES
    except OSError:
        return False
    return large and may_fork(jobs)


def _check(slots: Slots) -> tuple[str, str, frozenset[str]] | None:
    found = generations.read_file_stats(slots, slots.live)
    if found is None:  # written by an older sitegen, or damaged: the record says it too
        marker = generations.read_marker(slots, slots.live)
        if marker is None:
            return None
        return marker.generation, str(slots.live), changed_files(slots.live, marker)
    generation, files, numbers, _foreign_known = found
    recorded = zip(numbers[0::3], numbers[1::3], numbers[2::3], strict=True)  # size, mtime, inode
    return generation, str(slots.live), _changed(slots.live, files, recorded)


def _foreign_of(slots: Slots) -> tuple[str, str, list[str]] | None:
    found = generations.read_file_stats(slots, slots.live)
    if found is None:  # the record says it too: the writer looks for them itself
        return None
    generation, files, numbers, known = found
    # The public marker's stat comes last (generations.file_stats): its mtime is the moment the
    # generation was complete, after which no folder of it changes but by hand.
    since = numbers[-2] if files and files[-1] == generations.MARKER else -1
    return generation, str(slots.live), _foreign(slots.live, files[:-1], since, set(known))
