"""What every kind of target can do; the command composes these steps and nothing else.

Each transport reaches only ``<path>/releases/<id>`` (ids checked by ``layout``), the
releases' books in ``<path>/.sitegen-deploy/`` (their sending marks too; and an older sitegen's beside the folders in
``releases/``, which ``finish`` moves there), the ``current`` symlink and its temporary
``current.tmp-<id>`` twin, and makes ``<path>`` itself, with its missing parents, when the
command asks (``make_folder``); it removes nothing else but the ``releases/.pruned-<id>``
folders it set aside itself, the half-sent releases the command names
(``layout.half_sent``), the books of releases no longer there (``layout.bookkeeping_of``
names them; a sending mark only once ``layout.stale``), and the empty folder ``check``
makes to try a write (``WRITE_TEST``), at once; where ``<path>`` is missing, that folder is
tried in the nearest folder above it that is there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sitegen.deploy.layout import Releases
from sitegen.deploy.plan import Plan
from sitegen.deploy.snapshot import Snapshot


class Taken(Exception):
    """Another deploy claimed the release id first (its sending mark is there): two deploys
    that listed the target in the same moment chose the same id. The command takes the next."""


#: Told after each file that travelled: (files so far, bytes so far).
OnSent = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Sent:
    files: int  # files whose bytes travelled
    bytes: int  # their size
    linked: int  # files taken from the live release without travelling


#: How the empty folder that ``Transport.check`` makes and removes again starts (a random end
#: follows): hidden, and no release's name, so that one left by a deploy killed right then is
#: listed by nothing and served by nothing.
WRITE_TEST = ".sitegen-write-test-"


class Transport(Protocol):
    def check(self, write: bool) -> None:
        """What a deploy needs of the target, checked before the build (which may take minutes),
        without reading the releases or the live manifest: ``current`` is a symbolic link or
        nothing, and with ``write`` the target's folder, ``releases/`` and ``.sitegen-deploy/``
        (where there) take a new entry, tried by making a folder and removing it; a missing target folder is not
        made here, but the nearest folder above it that is there must take its entry.
        A full disk or quota passes: the deploy removes what earlier deploys left before it
        sends anything, which may give the room back, and a file that then does not fit is
        named."""

    def pause(self) -> None:
        """Before the transport sits idle through a build (minutes, on a large site): let go of
        what would not last that, to be made again by ``resume``."""

    def resume(self) -> None:
        """After the build: the transport serves again, as after ``check``."""

    def releases(self) -> Releases:
        """The release folders on the target and which one ``current`` points to."""

    def make_folder(self) -> bool:
        """Make the target's folder, and its missing parents (as ``mkdir -p``); whether this
        made it (False: it was there). The command asks only when ``releases`` found it missing
        and a release is about to be written: never for a dry run, a status or a rollback."""

    def read_manifest(self, release: str) -> bytes | None:
        """The manifest a complete release carries (None when it has none)."""

    def upload(self, release: str, base: str | None, plan: Plan, snapshot: Snapshot, on_sent: OnSent,
               sending: bytes) -> Sent:
        """Make ``releases/<release>/``: unchanged files linked from ``base``, the rest sent.
        Before the folder is made, its sending mark (``sending``, ``layout.sending_mark``) is
        written in ``.sitegen-deploy/`` (made if missing): from then on another deploy leaves
        the release alone (``layout.half_sent``)."""

    def finish(self, release: str, manifest: bytes) -> None:
        """Write the manifest, then the completion mark, in ``.sitegen-deploy/`` (made if missing,
        and the books an older sitegen left beside the release folders moved into it first):
        the release is complete after this. Then the release's sending mark is removed."""

    def switch(self, release: str) -> None:
        """Point ``current`` at the release in one atomic rename."""

    def discard(self, releases: Sequence[str]) -> None:
        """Rename each release folder to ``layout.pruned_name`` (never the live one: the
        command checks; its mark removed first), remove the books of releases no longer there,
        then every folder so set aside, this deploy's and earlier ones' leftovers. Where the
        target can run a command of its own (OpenSSH, file://) the removal goes on in the
        background and this returns soon; over SFTP every entry is a request of ours, all
        removed before this returns."""

    def remove_half_sent(self, releases: Sequence[str]) -> None:
        """Remove each of ``releases``, releases earlier deploys stopped sending (never the one
        ``current`` points to: the command checks), in full before this returns: the upload
        that follows may need their room, and each one's sending mark. Then every folder set
        aside, as ``discard`` does."""

    def close(self) -> None: ...


def tmp_link_name(release: str) -> str:
    return f"current.tmp-{release}"
