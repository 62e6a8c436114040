"""Two generations of the site: the live one (the output folder) and the previous one.

The output folder is always a real, complete site; the web server serves it. Beside it
sitegen keeps one more folder, the *spare*: the previous generation. A build brings the
spare up to date in place (it is not served), then swaps the two folders with one
``renameat2(RENAME_EXCHANGE)``, so at every instant the output path names either the whole
old site or the whole new one. The folder swapped out is the previous generation that
``sitegen rollback`` swaps back in.

Where the spare lives: ``.sitegen-cache/output-<hash>/previous`` in the site folder when that
is on the output's filesystem (a swap cannot cross filesystems), else beside the output, in
``.<name>.sitegen/`` (the one folder sitegen writes outside the output and its cache, and
only in that case).

Each slot carries its public marker, ``.sitegen-output.json`` (every file sitegen wrote and
its digest: the same bytes for the same site). What sitegen knows beyond that is kept in the
home folder, per slot (a slot is known by its folder's inode, which renames keep): the
generation id, each file's size and mtime (so a file changed by hand is noticed), and where
the generation before it held other bytes (so the next build knows the spare without
reading it). ``slot-<inode>.id`` says a slot is complete; it is removed before a build
changes the spare, so a spare a killed build left half updated is known as such: rollback
refuses it and the next build makes the spare again from the live generation. Beside the
record, ``slot-<inode>.stats`` holds only each file's size, mtime and inode, in a form that
loads at once: the check for files changed by hand (sitegen.ondisk) needs nothing else.

Where ``RENAME_EXCHANGE`` is refused (some network and FUSE filesystems), the swap is three
renames recorded first in a journal; the next build or rollback completes a swap that was
interrupted. Between two of those renames the output path is briefly missing.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import marshal
import os
import shutil
import stat
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from stat import S_ISDIR

from sitegen import urls
from sitegen.cachefiles import CACHE_DIR, sealed, unsealed
from sitegen.clock import wall_time
from sitegen.messages import _

MARKER = ".sitegen-output.json"
#: Names in a slot's root that belong to sitegen's bookkeeping, never to the site
RESERVED = (MARKER,)


#: (size, mtime_ns, inode) of a file as sitegen left it: another size or mtime is an edit by
#: hand, another inode a file put there by hand (or reached through a link to a copy).
FileStat = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Slots:
    """Where one output's generations live."""

    live: Path  # the output folder
    home: Path  # sitegen's own folder for this output: spare, staging, journal
    spare: Path

    @property
    def staging(self) -> Path:
        return self.home / "staging"

    @property
    def trash(self) -> Path:
        return self.home / "trash"

    @property
    def journal(self) -> Path:
        return self.home / "swap.json"

    @property
    def aside(self) -> Path:
        return self.home / "aside"


@dataclass(slots=True)
class Marker:
    """What one slot holds, as its marker says. Paths are checked: none climbs out."""

    generation: str = ""
    built: str = ""
    files: dict[str, str] = field(default_factory=dict)  # path -> digest
    stats: dict[str, FileStat] = field(default_factory=dict)
    previous: str = ""  # the generation this one was made beside
    #: path -> the previous generation's digest where it differs from this one ("" for none or unknown)
    differs: dict[str, str] = field(default_factory=dict)
    #: path -> the fingerprint of what the file was made from: kept with its generation, so
    #: a rollback brings back the right ones and the next build renders only what differs
    deps: dict[str, str] = field(default_factory=dict)
    #: entries below the top level that someone put into this slot by hand (sitegen wrote
    #: none of them), carried into every next generation while they are there
    foreign: list[str] = field(default_factory=list)
    #: the same of the generation before this one (the spare), so the build that brings that
    #: one up to date knows which of its entries are hand-added ones no longer wanted
    foreign_before: list[str] = field(default_factory=list)


def output_key(out_dir: Path) -> str:
    return hashlib.blake2b(os.fsencode(out_dir), digest_size=6).hexdigest()  # any bytes a name holds


def live_path(out_dir: Path) -> Path:
    """The output folder as an absolute path without links: an output path that is itself a
    symlink is resolved (the swap must exchange the real folder, not the link), and so are
    the folders above it, so that one output reached by two paths (a site folder given
    through a link by a scheduled build, and as it is by a person) has one home, one spare
    and one record, not two that each know nothing of the other's generations."""
    out = Path(os.path.abspath(out_dir))
    if not out.is_symlink():
        return Path(os.path.realpath(out.parent)) / out.name
    try:
        return out.resolve()
    except (OSError, RuntimeError):  # a link loop (RuntimeError before Python 3.13): refused as an output folder
        return out


def locate(site_dir: Path, out_dir: Path) -> Slots:
    live = live_path(out_dir)
    cache = Path(os.path.abspath(site_dir)) / CACHE_DIR
    in_cache, beside = _homes(cache, live)
    home = in_cache if _same_filesystem(cache, live) else beside
    return Slots(live, home, home / "previous")


def find(site_dir: Path, out_dir: Path) -> Slots | None:
    """The slots of an output built before, without making any folder: those whose record
    knows the live generation (``locate`` may now choose another home: a site folder made
    read-only keeps the records of its builds in its cache, but a build can no longer use
    it), else the first home there is; None for an output never built."""
    live = live_path(out_dir)
    found = [Slots(live, home, home / "previous")
             for home in _homes(Path(os.path.abspath(site_dir)) / CACHE_DIR, live) if home.is_dir()]
    for slots in found:
        if generation_of(slots, live) is not None:
            return slots
    return found[0] if found else None


def _homes(cache: Path, live: Path) -> tuple[Path, Path]:
    """Where sitegen's folder for an output is: in the cache, or beside the output when the
    two are on different filesystems."""
    return cache / f"output-{output_key(live)}", live.parent / f".{live.name}.sitegen"


def _same_filesystem(cache: Path, live: Path) -> bool:
    try:
        cache.mkdir(exist_ok=True)
        live.parent.mkdir(parents=True, exist_ok=True)
        return os.stat(cache).st_dev == os.stat(live.parent).st_dev and os.access(cache, os.W_OK)
    except OSError:
        return False


def new_generation() -> str:
    import secrets  # here, like ctypes below: the nothing-changed check never needs them

    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(4)


def _safe(path: object) -> bool:
    return isinstance(path, str) and urls.is_safe_path(path) and not path.startswith(".sitegen-")


def _only_safe(paths: dict[str, str]) -> dict[str, str]:
    """``paths`` without those ``_safe`` refuses; as it is when it has none (a record
    sitegen wrote), not copied."""
    if all(map(_safe, paths)):
        return paths
    return {k: v for k, v in paths.items() if _safe(k)}


def _slot_id(root: Path) -> str | None:
    """A slot is known by its folder's inode, which a rename or an exchange keeps."""
    try:
        stat = os.lstat(root)
    except OSError:
        return None
    return f"{stat.st_dev}-{stat.st_ino}" if S_ISDIR(stat.st_mode) else None


def _record_paths(slots: Slots, root: Path) -> tuple[Path, Path] | None:
    ident = _slot_id(root)
    if ident is None:
        return None
    return slots.home / f"slot-{ident}.id", slots.home / f"slot-{ident}.record"


#: What sitegen keeps about a slot, by file name suffix: see _record_paths and _stats_path
_SLOT_FILES = ("id", "record", "stats")


def _stats_path(record: Path) -> Path:
    return record.with_suffix(".stats")


def generation_of(slots: Slots, root: Path) -> str | None:
    """The id of a complete slot, or None when it is missing, unknown or half made."""
    paths = _record_paths(slots, root)
    if paths is None:
        return None
    try:
        return paths[0].read_text("utf-8").strip() or None
    except (OSError, ValueError):  # missing, or not what sitegen wrote
        return None


def record_file(slots: Slots, root: Path) -> Path | None:
    """The file of sitegen's record of a slot (it may not exist)."""
    paths = _record_paths(slots, root)
    return None if paths is None else paths[1]


def read_marker(slots: Slots, root: Path) -> Marker | None:
    """What sitegen recorded about a complete slot, or None. Paths that are absolute, climb
    with ``..`` or name sitegen's own files are dropped: whatever the record says, it never
    leads a build outside the folder."""
    generation = generation_of(slots, root)
    paths = _record_paths(slots, root)
    if generation is None or paths is None:
        return None
    try:
        with open(paths[1], "rb") as handle:
            stat = os.fstat(handle.fileno())
            known = _RECORDS.get(paths[1], stat)
            marker = known if known is not None else record_of(handle.read())
    except OSError:
        return None
    if marker is None or marker.generation != generation:
        return None
    if known is None:
        marker.files = _only_safe(marker.files)
        marker.differs = _only_safe(marker.differs)
        marker.foreign = [path for path in marker.foreign if _safe(path)]
        marker.foreign_before = [path for path in marker.foreign_before if _safe(path)]
        _RECORDS.put(paths[1], stat, marker)
    return marker


def read_manifest(out_dir: Path) -> dict[str, str]:
    """Path -> digest of every file sitegen wrote into the live generation (for deploy), from
    its ``.sitegen-output.json``; paths that could leave the folder are dropped."""
    try:
        data = json.loads((live_path(out_dir) / MARKER).read_text("utf-8"))
        files = data.get("files", {}) if data.get("generator") == "sitegen" else {}
        return {str(k): str(v) for k, v in files.items() if _safe(k)}
    except (OSError, ValueError, AttributeError):
        return {}


def write_marker(slots: Slots, root: Path, marker: Marker) -> None:
    """Record a finished slot: its public marker (the same bytes for the same site), then
    sitegen's record, then the id that says the slot is complete."""
    _write_atomic(root / MARKER, json.dumps({"generator": "sitegen", "files": marker.files}, sort_keys=True))
    written = os.lstat(root / MARKER)
    # Its stat is kept with the files' (though it is none of them), so that a marker deleted
    # or edited by hand is found by the same check, and written again.
    marker.stats[MARKER] = (written.st_size, written.st_mtime_ns, written.st_ino)
    save_record(slots, root, marker)
    paths = _record_paths(slots, root)
    assert paths is not None
    _write_atomic(paths[0], marker.generation + "\n")


def save_record(slots: Slots, root: Path, marker: Marker) -> None:
    """sitegen's record of a slot and its files' stats, each whole or not at all (also to
    keep new fingerprints of a live generation whose files did not change)."""
    paths = _record_paths(slots, root)
    assert paths is not None
    temporary = paths[1].with_name(paths[1].name + ".tmp")
    temporary.unlink(missing_ok=True)
    with os.fdopen(os.open(temporary, _NEW_FILE, 0o644), "wb") as handle:
        handle.write(record_bytes(marker))
        written = os.fstat(handle.fileno())
    os.replace(temporary, paths[1])
    _RECORDS.put(paths[1], written, marker)
    files, numbers = file_stats(marker)
    _write_atomic(_stats_path(paths[1]), marshal.dumps((_STATS_FORMAT, marker.generation, files, numbers.tobytes(),
                                                        marker.foreign)))


#: The record's layout: the format, then Marker's fields in declaration order. ``marshal``
#: rather than pickle: plain dicts and text, written several times faster, and a file
#: that cannot name code to run when it is read.
_RECORD_FORMAT = "record-1"
_MARKER_FIELDS = tuple(Marker.__dataclass_fields__)
_MARKER_TYPES = tuple(type(getattr(Marker(), name)) for name in _MARKER_FIELDS)


def record_bytes(marker: Marker) -> bytes:
    """The bytes of sitegen's record of a slot (``record_of`` reads them), sealed with their
    digest: a digest in it damaged since would be published in the marker for good."""
    return sealed(marshal.dumps((_RECORD_FORMAT, *(getattr(marker, name) for name in _MARKER_FIELDS))))


def record_of(data: bytes) -> Marker | None:
    """The Marker in a record's bytes; None for bytes of another format or damaged ones (the
    slot is then rewritten whole). Its paths are not checked here (read_marker does)."""
    code = unsealed(data)
    if code is None:
        return None
    try:
        layout, *values = marshal.loads(code)
    except (EOFError, ValueError, TypeError):
        return None
    if len(values) == len(_MARKER_TYPES) - 2:  # written before hand-added entries were kept
        values += [[], []]
    if layout != _RECORD_FORMAT or len(values) != len(_MARKER_TYPES) or \
            not all(type(value) is kind for value, kind in zip(values, _MARKER_TYPES, strict=True)):
        return None
    return Marker(*values)


#: The stats file's layout: a generation, its files, three numbers a file (below), then the
#: entries added by hand that the generation holds (Marker.foreign).
_STATS_FORMAT = "stats-2"
_UNKNOWN = (-1, -1, -1)  # no stat recorded: matches no file


def file_stats(marker: Marker) -> tuple[tuple[str, ...], array[int]]:
    """The files of ``marker`` and the public marker, and for each in turn its recorded size,
    mtime and inode."""
    files = (*marker.files, MARKER)
    stats = marker.stats
    return files, array("q", [number for path in files for number in stats.get(path, _UNKNOWN)])


def read_file_stats(slots: Slots, root: Path) -> tuple[str, Sequence[str], array[int], list[str]] | None:
    """The generation of a complete slot with :func:`file_stats` of its record and its
    entries added by hand, from the stats file; None when that is missing, damaged or of
    another generation (the record then says it). The files are only looked at, never
    written: their paths are not checked."""
    generation = generation_of(slots, root)
    paths = _record_paths(slots, root)
    if generation is None or paths is None:
        return None
    try:
        layout, written_for, files, packed, foreign = marshal.loads(_stats_path(paths[1]).read_bytes())
        if layout != _STATS_FORMAT or written_for != generation or not isinstance(foreign, list):
            return None
        numbers = array("q")
        numbers.frombytes(packed)
    except Exception:  # noqa: BLE001 - an unreadable stats file is no stats file
        return None
    if len(numbers) != 3 * len(files):
        return None
    return generation, files, numbers, foreign


class _Kept:
    """The last record this process wrote or read, while its file is the very same: a
    long-running serve then reads no record between two rebuilds. Callers may change the
    Marker they get only to save it again (which keeps it here)."""

    def __init__(self) -> None:
        self._kept: tuple[Path, tuple[int, int, int, int], Marker] | None = None

    def get(self, path: Path, stat: os.stat_result) -> Marker | None:
        kept = self._kept
        return kept[2] if kept is not None and kept[:2] == (path, self._key(stat)) else None

    def put(self, path: Path, stat: os.stat_result, marker: Marker) -> None:
        self._kept = (path, self._key(stat), marker)

    @staticmethod
    def _key(stat: os.stat_result) -> tuple[int, int, int, int]:
        return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


_RECORDS = _Kept()


#: A file made new, never one a link points at.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _write_atomic(path: Path, data: str | bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    with os.fdopen(os.open(temporary, _NEW_FILE, 0o644), "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(temporary, path)


def adopt(slots: Slots, root: Path) -> None:
    """Give the live folder an id when its record was lost (``.sitegen-cache/`` deleted): the
    live folder is only ever a whole site, so as the previous site after the next switch it
    can be rolled back to (told by its id alone, see _complete). The id says when its public
    marker was written, which is when it was built."""
    paths = _record_paths(slots, root)
    if paths is None or generation_of(slots, root) is not None:
        return
    try:
        written = os.stat(root / MARKER).st_mtime
    except OSError:
        return  # no site sitegen made
    _write_atomic(paths[0], datetime.fromtimestamp(written, UTC).strftime("%Y%m%dT%H%M%SZ-") + "kept\n")


def mark_incomplete(slots: Slots, root: Path) -> None:
    """Say a slot is being changed, before the first change (a killed build leaves it so)."""
    paths = _record_paths(slots, root)
    if paths is not None:
        paths[0].unlink(missing_ok=True)


def forget_others(slots: Slots) -> None:
    """Drop the records of folders that are no longer one of the two slots."""
    keep = {f"slot-{ident}.{suffix}" for ident in (_slot_id(slots.live), _slot_id(slots.spare)) if ident
            for suffix in _SLOT_FILES}
    try:
        names = os.listdir(slots.home)
    except OSError:
        return
    for name in names:
        if name.startswith("slot-") and name not in keep:  # another slot's, or an older sitegen's
            (slots.home / name).unlink(missing_ok=True)


# --- the swap ---------------------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_SYSCALL_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "arm64": 276, "riscv64": 276, "i686": 353,
                      "ppc64le": 357, "s390x": 347}


def _renameat2(a: Path, b: Path) -> int:
    """0, or the errno of ``renameat2(a, b, RENAME_EXCHANGE)``; ENOSYS where there is none."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return errno.ENOSYS
    old, new = os.fsencode(a), os.fsencode(b)
    function = getattr(libc, "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        result = function(_AT_FDCWD, old, _AT_FDCWD, new, _RENAME_EXCHANGE)
    else:
        number = _SYSCALL_RENAMEAT2.get(os.uname().machine)
        if number is None or not hasattr(libc, "syscall"):
            return errno.ENOSYS
        result = libc.syscall(number, _AT_FDCWD, old, _AT_FDCWD, new, _RENAME_EXCHANGE)
    return 0 if result == 0 else ctypes.get_errno()


#: The generations that were live here, newest first: each build brings the spare up to date
#: before its swap, so a spare that is none of them holds a build that failed or was stopped
#: at its swap (the site live before that is gone), which rollback must not publish.
_WERE_LIVE = "were-live"
_WERE_LIVE_KEPT = 4


def _were_live(slots: Slots) -> list[str] | None:
    """The generations noted as live, or None where no sitegen noted any (an older one's slots)."""
    try:
        return (slots.home / _WERE_LIVE).read_text("utf-8").split()
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return []


def was_live(slots: Slots, generation: str) -> bool:
    """Whether ``generation`` was the live site here (not known, and so taken as true, for
    slots no sitegen noted this for)."""
    known = _were_live(slots)
    return known is None or generation in known


def exchange(slots: Slots) -> None:
    """Swap the live folder and the spare: one atomic call, else three journalled renames.
    The live generation is noted first as one that was live: the spare is a site rollback may
    publish only once it has been in the live folder."""
    live = generation_of(slots, slots.live)
    known = _were_live(slots) or []
    if live is not None and known[:1] != [live]:
        try:
            _write_atomic(slots.home / _WERE_LIVE, "".join(
                f"{generation}\n" for generation in [live, *(g for g in known if g != live)][:_WERE_LIVE_KEPT]))
        except OSError as exc:  # the output's own filesystem (the spare is on it): said of the output
            raise OSError(exc.errno, exc.strerror, str(slots.live)) from None
    code = _renameat2(slots.live, slots.spare)
    if code == 0:
        return
    if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        raise OSError(code, os.strerror(code), str(slots.live))
    _write_atomic(slots.journal, json.dumps({"live": str(slots.live), "spare": str(slots.spare)}))
    recover(slots)


def recover(slots: Slots) -> None:
    """Complete a swap of three renames that was interrupted (nothing to do without a journal)."""
    if not slots.journal.exists():
        return
    live, spare, aside = slots.live, slots.spare, slots.aside
    if not os.path.lexists(aside):
        if os.path.lexists(live) and os.path.lexists(spare):
            os.rename(live, aside)
        else:  # never began, and one side is gone: nothing to swap
            slots.journal.unlink()
            return
    if not os.path.lexists(live):
        os.rename(spare, live)
    os.rename(aside, spare)
    slots.journal.unlink()


def remove_tree(path: Path) -> None:
    """Remove a file, link or folder of sitegen's own; links are removed, never followed.
    A folder made read-only by hand in the output becomes sitegen's own with the swap (it is
    in the previous generation then): it is opened up (``writable``) and removed all the same."""
    try:
        _remove_tree(path)
    except FileNotFoundError:
        pass
    except PermissionError:
        writable(path.parent)
        if path.is_dir() and not path.is_symlink():
            writable(path, below=True)
        with contextlib.suppress(FileNotFoundError):
            _remove_tree(path)


def _remove_tree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


#: what the owner needs of a folder to list it and to add, rename and remove entries in it
OWNER_RIGHTS = stat.S_IRWXU


def writable(folder: Path | str, below: bool = False) -> None:
    """Give the owner (sitegen's user) every right on ``folder``, one of sitegen's own, and
    with ``below`` on the folders below it (links are not followed): someone took one away
    in the output before the folder became the previous generation. Nothing is done where
    the rights are there."""
    todo = [os.fspath(folder)]
    while todo:
        path = todo.pop()
        try:
            mode = os.lstat(path).st_mode
            if S_ISDIR(mode) and mode & OWNER_RIGHTS != OWNER_RIGHTS:
                os.chmod(path, stat.S_IMODE(mode) | OWNER_RIGHTS)
            if below and S_ISDIR(mode):
                with os.scandir(path) as entries:
                    todo += [entry.path for entry in entries if entry.is_dir(follow_symlinks=False)]
        except OSError:
            continue  # the operation that needs it says what is wrong


def _complete(slots: Slots, root: Path) -> Marker | None:
    """What sitegen recorded about a complete slot, or None for a slot missing or half made.
    A complete slot whose record this sitegen cannot read (a version that kept it in another
    form wrote it) is told by its id alone: its generation and, from the id, when it was built.
    The next build, finding no record, makes every file again."""
    marker = read_marker(slots, root)
    generation = generation_of(slots, root) if marker is None else None
    if generation is None:
        return marker
    try:
        built = datetime.strptime(generation[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return Marker(generation, generation)
    return Marker(generation, built.isoformat(timespec="seconds"))


def shown_apart(built: str, other: str, zone: tzinfo) -> tuple[str, str]:
    """Two generations' build times as a person reads them, on the site's clock ``zone``
    (``2026-12-06 12:18:31 WIB``; the records keep UTC): to the second, or finer where the
    two fall in one second (they would read alike)."""
    try:
        one, two = datetime.fromisoformat(built), datetime.fromisoformat(other)
    except ValueError:
        return built, other
    for spec in ("seconds", "milliseconds", "microseconds"):
        shown = wall_time(one, zone, spec), wall_time(two, zone, spec)
        if shown[0] != shown[1]:
            break
    return shown


class RollbackRefused(Exception):
    """There is no complete previous generation to put back; the message says why."""


def rollback(slots: Slots) -> tuple[Marker, Marker]:
    """Swap the previous generation back in: (the one now live, the one now kept aside).
    Run again, it undoes itself. The build cache notices: the live generation's id changed."""
    recover(slots)
    current = _complete(slots, slots.live)
    if not os.path.isdir(slots.live) or current is None:
        raise RollbackRefused(_("there is no site published by this sitegen to roll back from"))
    if not os.path.lexists(slots.spare):
        raise RollbackRefused(_("there is no previous site: only one build has been published"))
    previous = _complete(slots, slots.spare)
    if previous is not None and previous.built == current.built and previous.files == current.files:
        raise RollbackRefused(_("there is no previous site: only one build has been published"))
    if previous is None:
        raise RollbackRefused(_("the previous site is incomplete: a build was stopped while it was updating "
                                "it (the next build makes it whole again)"))
    if not was_live(slots, previous.generation):
        raise RollbackRefused(_("the previous site was replaced by a build that never went live (it failed or "
                                "was stopped at the switch), and the site live before it is gone (the next "
                                "build that goes live makes this one the previous site)"))
    exchange(slots)
    return previous, current
