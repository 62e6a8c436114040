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
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sitegen import __version__, urls
from sitegen.deploy.snapshot import FileInfo

RELEASES = "releases"
CURRENT = "current"
#: Deploy's own folder beside ``releases/``: every release's manifest and completion mark.
BOOKKEEPING = ".sitegen-deploy"
MARK = ".sitegen-complete"
MANIFEST = ".sitegen-release.json"
#: A release's books, and each one being written (``.tmp``, renamed into place): the names
#: exactly, so that a copy someone kept beside them (``.orig``) is never moved nor removed.
_BOOK_SUFFIXES = frozenset(suffix + tmp for suffix in (MARK, MANIFEST) for tmp in ("", ".tmp"))

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
class Releases:
    """What the target holds: every release folder, whether complete, and which is live."""

    complete: tuple[str, ...]  # in order, oldest first
    incomplete: tuple[str, ...]
    live: str | None
    pruned: tuple[str, ...] = ()  # folders set aside (``pruned_name``) and not yet removed
    #: when ``current`` was last switched (seconds since 1970, its own mtime): the live release
    #: is live since then, which after a rollback is not when it was made
    since: float | None = None
    #: ``current`` is there but no symbolic link (a folder or file someone put there): deploy
    #: never replaces it, and says so before it sends anything
    blocked: bool = False
    #: the release ``current`` points to, complete or not (``live`` only when complete)
    linked: str | None = None
    #: the target's folder itself is not there: nothing was deployed to it, and the first
    #: deploy makes it (``Transport.make_folder``), saying so
    missing: bool = False

    @property
    def leftovers(self) -> tuple[str, ...]:
        """The incomplete releases a deploy removes, those deploys stopped before the mark
        left: never the one ``current`` points to, whose mark went missing (it is what the web
        server shows)."""
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
