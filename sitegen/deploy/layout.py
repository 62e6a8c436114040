"""The layout on the target, and the rules over it that no transport may bend.

``<path>/releases/<id>/`` holds one release each, exactly the build's output folder, and
``releases/`` holds nothing else of sitegen's; ``<path>/current`` is a relative symlink to
``releases/<id>`` and the web server's document root. What a deploy knows of a release lies
in its own folder beside those two, ``<path>/.sitegen-deploy/`` (``BOOKKEEPING``), never in
the release: its manifest, ``<id>.sitegen-release.json``, and its completion mark,
``<id>.sitegen-complete``, written last and holding the release's id. A release is complete
only with that mark: a half-uploaded one has none. The first deploy that writes a release
makes the folder. Releases that older sitegens sent keep both files beside their folder in
``releases/`` (``mark_name``, ``manifest_name``), or older still inside it (``MARK``,
``MANIFEST``): both are still read, newest layout first, and the first deploy that writes a
release moves the ones beside a folder into ``.sitegen-deploy/`` (those inside stay: they
are part of their release). Release ids are UTC times, so their order is the order of the
deploys.

A release being pruned is first renamed to ``releases/.pruned-<id>`` (``pruned_name``), one
atomic step, and removed afterwards, in the background where the target can: from the rename
on it is no release (``is_release_id`` refuses the name), so nothing lists it, counts it or
rolls back to it, and a removal cut short leaves only such a folder for the next deploy.
Its mark goes before the rename; its manifest, with the books of any other release no longer
there, after it. Deploy deletes nothing outside ``releases/`` and ``.sitegen-deploy/``, and
in ``.sitegen-deploy/`` nothing but files named as a release's books (``bookkeeping_of``).

Two deploys may send to one target at once (two staff, two laptops). Before a deploy makes its
release folder it writes the release's sending mark, ``<id>.sitegen-sending`` in
``.sitegen-deploy/`` (``sending_mark``: which computer, process and boot, and when), and
``finish`` removes it once the completion mark is in place. A listing reads the sending mark of
each incomplete release (before its completion mark is looked at again: a deploy writes the
completion mark before it removes the sending mark, so a release is never seen with neither),
and ``half_sent`` decides, in this one place, which incomplete releases are a stopped deploy's,
to be removed, and which another deploy is still sending, to be left alone. A sending mark
whose release folder is not there (a deploy stopped between the two, or one about to make its
folder) is removed with the books of releases no longer there only once it is ``STALE_SECONDS``
old (``stale``): the folder may be being made this very moment.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import secrets
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sitegen import __version__, urls
from sitegen.deploy.snapshot import FileInfo

RELEASES = "releases"
CURRENT = "current"
#: Deploy's own folder beside ``releases/``: every release's manifest and completion mark.
BOOKKEEPING = ".sitegen-deploy"
MARK = ".sitegen-complete"
MANIFEST = ".sitegen-release.json"
#: In ``BOOKKEEPING`` only, while a deploy sends the release (``sending_mark``).
SENDING = ".sitegen-sending"
#: A release's books, and each one being written (``.tmp``, renamed into place): the names
#: exactly, so that a copy someone kept beside them (``.orig``) is never moved nor removed.
_BOOK_SUFFIXES = frozenset(suffix + tmp for suffix in (MARK, MANIFEST, SENDING) for tmp in ("", ".tmp"))
#: How long a sending mark is taken as a deploy still at work (its mtime on the target): longer
#: than any upload, short enough that what a stopped deploy of another computer left goes the
#: next day. A deploy of this computer is known stopped at once (its process is gone).
STALE_SECONDS = 24 * 3600  # rsync.py's server script says a day its own way (find -mtime +0)

_ID_FORMAT = "%Y%m%dT%H%M%SZ"
_ID = re.compile(r"^\d{8}T\d{6}Z$")
PRUNED = ".pruned-"


def is_release_id(name: str) -> bool:
    """Only folders named like a release are ever touched (listed, linked from, removed)."""
    return bool(_ID.match(name))


def mark_name(release: str) -> str:
    """The completion mark's name in ``BOOKKEEPING`` (and beside the folder in ``releases/``,
    where an older sitegen wrote it; inside the folder: ``MARK``, an older one's)."""
    assert is_release_id(release), release
    return release + MARK


def manifest_name(release: str) -> str:
    """The manifest's name in ``BOOKKEEPING`` (and beside the folder in ``releases/``, where an
    older sitegen wrote it; inside the folder: ``MANIFEST``, an older one's)."""
    assert is_release_id(release), release
    return release + MANIFEST


def bookkeeping_of(name: str) -> str | None:
    """The release whose mark or manifest (or one being written) ``name`` in ``BOOKKEEPING``, or
    beside the folders in ``releases/``, is: the only names deploy ever moves or removes there."""
    release, dot, rest = name.partition(".")
    return release if dot and is_release_id(release) and "." + rest in _BOOK_SUFFIXES else None


def sending_name(release: str) -> str:
    """The sending mark's name in ``BOOKKEEPING``."""
    assert is_release_id(release), release
    return release + SENDING


def pruned_name(release: str) -> str:
    """The name a release is renamed to before it is removed."""
    assert is_release_id(release), release
    return PRUNED + release


def is_pruned_name(name: str) -> bool:
    """A folder set aside for removal: the only other name under ``releases/`` ever removed."""
    return name.startswith(PRUNED) and is_release_id(name[len(PRUNED):])


def current_target(release: str) -> str:
    """What the ``current`` symlink holds for a release (relative: the folder may move)."""
    return f"{RELEASES}/{release}"


#: What ``in_the_way`` names: ``current`` that is no symbolic link, or one that leads to a site
#: sitegen did not publish (LINK), and ``releases`` or ``.sitegen-deploy`` that is no folder.
LINK = "link"


def in_the_way(folder: str, link: str | None, current_there: bool, current_leads: bool,
               not_folders: Sequence[str]) -> str:
    """What stands in the way in the target's folder, or "": ``link``, where ``current`` points
    (None: no symbolic link); ``current_there``: something is at ``current``; ``current_leads``:
    what it points to is there; ``not_folders``: which of ``releases`` and ``.sitegen-deploy``
    are there as no folder. A ``current`` another tool made (Capistrano's ``releases/2024...``,
    a hand-made link to an old site) leads to a live site sitegen did not publish: replaced,
    that site would go with no way back. One that leads nowhere serves nothing: taken over."""
    if link is None and current_there:
        return CURRENT
    if link is not None and current_leads and not _of_ours(folder, link):
        return LINK
    return next((name for name in (RELEASES, BOOKKEEPING) if name in not_folders), "")


def _of_ours(folder: str, link: str) -> bool:
    """Whether ``current``'s ``link`` leads to a release folder of the target's ``folder``: as
    sitegen writes it (``releases/<id>``), or whole (``<folder>/releases/<id>``, an older way)."""
    parent = posixpath.dirname(posixpath.normpath(link))
    return release_of(link) is not None and parent in (RELEASES, posixpath.join(folder, RELEASES))


def release_of(link: str | None) -> str | None:
    """The release a ``current`` symlink points to, if it points to one."""
    if not link:
        return None
    name = link.rstrip("/").rpartition("/")[2]
    return name if is_release_id(name) else None


def new_id(existing: Sequence[str], now: datetime | None = None) -> str:
    """A release id after every existing one (a second deploy within the same second, or a
    server whose newest release came from a clock ahead of ours, still sorts last)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    newest = max((name for name in existing if is_release_id(name)), default=None)
    if newest is not None:
        after = datetime.strptime(newest, _ID_FORMAT).replace(tzinfo=UTC) + timedelta(seconds=1)
        moment = max(moment, after)
    return moment.strftime(_ID_FORMAT)


def released_at(release: str) -> datetime:
    return datetime.strptime(release, _ID_FORMAT).replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SendingMark:
    """An incomplete release's sending mark as the listing found it."""

    data: bytes  # what it holds (empty: it could not be read)
    mtime: float  # when it was written, seconds since 1970 (the target's clock)


@dataclass(frozen=True, slots=True)
class Releases:
    """What the target holds: every release folder, whether complete, and which is live."""

    complete: tuple[str, ...]  # in order, oldest first
    incomplete: tuple[str, ...]
    live: str | None
    pruned: tuple[str, ...] = ()  # folders set aside (``pruned_name``) and not yet removed
    #: when ``current`` was last switched (seconds since 1970, its own mtime): the live release
    #: is live since then, which after a rollback is not when it was made
    since: float | None = None
    #: what stands in the way in the target's folder (``in_the_way``), or "": deploy never
    #: replaces it, and says so before it sends anything
    blocked: str = ""
    #: the release ``current`` points to, complete or not (``live`` only when complete)
    linked: str | None = None
    #: the target's folder itself is not there: nothing was deployed to it, and the first
    #: deploy makes it (``Transport.make_folder``), saying so
    missing: bool = False
    #: the sending mark of each incomplete release that has one (``half_sent`` reads them)
    sending: Mapping[str, SendingMark] = field(default_factory=dict)

    @property
    def leftovers(self) -> tuple[str, ...]:
        """The incomplete releases, but the one ``current`` points to, whose mark went missing
        (it is what the web server shows): those deploys stopped before the mark, or are still
        sending (``half_sent`` tells them apart)."""
        return tuple(name for name in self.incomplete if name != self.linked)

    def previous(self, recorded: str | None = None) -> str | None:
        """Where ``--rollback`` goes: ``recorded``, the release that was live when the live one
        was deployed (its manifest says), while it is still complete; else the newest complete
        release before the live one. After a rollback to A and a deploy of C, a rollback
        goes back to A, not to the B that had been rolled back from."""
        if self.live is None:
            return None
        if recorded is not None and recorded != self.live and recorded in self.complete:
            return recorded
        earlier = [name for name in self.complete if name < self.live]
        return earlier[-1] if earlier else None


@dataclass(frozen=True, slots=True)
class Computer:
    """Who deploys: as a sending mark names a computer and its process."""

    host: str
    pid: int
    boot: str  # Linux's boot id, new at each start of the computer; "" where there is none
    #: the system's machine id, set once at its installation: two laptops installed with one
    #: default host name ("ubuntu") are two computers all the same; "" where there is none
    machine: str = ""

    def same_as(self, other: Computer) -> bool:
        """Whether ``other`` names this computer (a host name alone may be shared)."""
        return self.host == other.host and (not self.machine or not other.machine or self.machine == other.machine)


def this_computer() -> Computer:
    return Computer(socket.gethostname(), os.getpid(), _first_line("/proc/sys/kernel/random/boot_id"),
                    _first_line("/etc/machine-id") or _first_line("/var/lib/dbus/machine-id") or _own_id())


def _own_id() -> str:
    """Where the system keeps no machine id (macOS, Windows, some containers): one of sitegen's
    own, made once per user and kept in the user's cache folder; two laptops of one default
    host name ("MacBook-Air.local") each have their own."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sitegen"
    path = folder / "computer-id"
    found = _first_line(str(path))
    if found:
        return found
    try:
        folder.mkdir(parents=True, exist_ok=True)
        made = secrets.token_hex(16)
        with open(path, "x", encoding="ascii") as handle:
            handle.write(made + "\n")
        return made
    except FileExistsError:  # made meanwhile by another sitegen of this user
        return _first_line(str(path))
    except (OSError, RuntimeError):  # no home, or one that cannot be written: the host name alone
        return ""


def _first_line(path: str) -> str:
    try:
        with open(path, encoding="ascii") as handle:
            return handle.readline().strip()
    except (OSError, ValueError):
        return ""


def sending_mark(sender: Computer, now: datetime) -> bytes:
    """What a deploy's sending mark holds: one line of JSON."""
    return json.dumps({"host": sender.host, "pid": sender.pid, "boot": sender.boot, "machine": sender.machine,
                       "started": now.astimezone(UTC).isoformat(timespec="seconds")}).encode() + b"\n"


def pid_alive(pid: int) -> bool:
    """Whether a process of this computer has that pid (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True
    except (ProcessLookupError, OverflowError):
        return False
    return True


def stale(mtime: float, now: float) -> bool:
    """A sending mark written ``STALE_SECONDS`` ago or more is a stopped deploy's."""
    return now - mtime >= STALE_SECONDS


@dataclass(frozen=True, slots=True)
class Busy:
    """A release another deploy is still sending: left alone."""

    release: str
    host: str | None  # None: its sending mark cannot be read
    started: datetime | None
    until: datetime  # when its mark turns stale: the first deploy after that removes it


@dataclass(frozen=True, slots=True)
class HalfSent:
    removed: tuple[str, ...]  # stopped deploys' releases: a deploy removes them before it sends
    busy: tuple[Busy, ...]


def half_sent(releases: Releases, here: Computer, now: float, alive: Callable[[int], bool]) -> HalfSent:
    """Which incomplete releases (``Releases.leftovers``) stopped deploys left, and which other
    deploys are still sending. One is being sent when its sending mark is younger than
    ``STALE_SECONDS`` (a mark from a clock ahead of ours too) and names another computer (another
    host name, or the same one with another machine id), or this one (``here``) with the same
    boot id (or none on either side) and a pid that is ``alive``. A fresh mark that cannot be
    read counts as being sent: it may be one being written right now, and a day later it goes
    like any other. A release without a mark (a deploy stopped before it wrote one, or an older
    sitegen's), with a stale mark, or with a mark of this computer whose process is gone (or
    from before the computer restarted) is removed, and so is one of this very process: it
    sends one release at a time, and is not sending now (a deploy of it that failed left the
    mark: a retry in the same process removes its release)."""
    removed: list[str] = []
    busy: list[Busy] = []
    for release in releases.leftovers:
        mark = releases.sending.get(release)
        if mark is None or stale(mark.mtime, now):
            removed.append(release)
            continue
        sender = _sender(mark.data)
        if sender is not None and sender[0].same_as(here) and (
                sender[0].boot != here.boot or sender[0].pid == here.pid or not alive(sender[0].pid)):
            removed.append(release)
            continue
        until = datetime.fromtimestamp(mark.mtime + STALE_SECONDS, UTC)
        host, started = (sender[0].host, sender[1]) if sender is not None else (None, None)
        busy.append(Busy(release, host, started, until))
    return HalfSent(tuple(removed), tuple(busy))


def _sender(data: bytes) -> tuple[Computer, datetime] | None:
    """Who wrote a sending mark and when, or None when it cannot be read."""
    try:
        value = json.loads(data)
        host, pid, boot, machine = value["host"], value["pid"], value["boot"], value.get("machine", "")
        started = datetime.fromisoformat(value["started"])
    except (ValueError, TypeError, KeyError):
        return None
    if not (isinstance(host, str) and host and isinstance(pid, int) and not isinstance(pid, bool) and pid > 0
            and isinstance(boot, str) and isinstance(machine, str)):
        return None
    if started.tzinfo is None:
        started = started.replace(tzinfo=UTC)
    return Computer(host, pid, boot, machine), started


def to_prune(releases: Releases, keep: int, recorded: str | None = None) -> list[str]:
    """Complete releases beyond the newest ``keep``; never the live one nor the one a rollback
    would go to (``recorded``: see Releases.previous)."""
    spared = {releases.live, releases.previous(recorded)}
    newest = set(releases.complete[-keep:]) if keep > 0 else set()
    return [name for name in releases.complete if name not in newest and name not in spared]


def manifest_bytes(release: str, previous: str | None, files: Mapping[str, FileInfo]) -> bytes:
    """The release's own record of its files: status and the next plan read it, no remote hashing."""
    return json.dumps({
        "generator": "sitegen",
        "version": __version__,
        "release": release,
        "previous": previous,
        "digest": "sha256-128",
        "files": {path: [info.digest, info.size] for path, info in files.items()},
    }, sort_keys=True, separators=(",", ":")).encode()


def previous_of(data: bytes | None) -> str | None:
    """The release a manifest says was live before its own (None for a first deploy, or a
    manifest that cannot be read)."""
    try:
        value = json.loads(data) if data else None
    except ValueError:
        return None
    previous = value.get("previous") if isinstance(value, dict) else None
    return previous if isinstance(previous, str) and is_release_id(previous) else None


def read_manifest(data: bytes | None) -> dict[str, FileInfo]:
    """A release manifest's files; an unreadable one counts as empty (every file then travels)."""
    if not data:
        return {}
    try:
        value = json.loads(data)
        files = value["files"] if value.get("generator") == "sitegen" and value.get("digest") == "sha256-128" else {}
        # A path that could leave the release (a manifest edited on the server) is ignored.
        return {str(path): FileInfo(str(entry[0]), int(entry[1])) for path, entry in files.items()
                if urls.is_safe_path(str(path))}
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}
