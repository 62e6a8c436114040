"""What every kind of target can do; the command composes these steps and nothing else.

Each transport reaches only ``<path>/releases/<id>`` (ids checked by ``layout``), the
``current`` symlink and its temporary ``current.tmp-<id>`` twin; it removes nothing else
but the ``releases/.pruned-<id>`` folders it set aside itself and the half-sent releases the
command names (``Releases.leftovers``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sitegen.deploy.layout import Releases
from sitegen.deploy.plan import Plan
from sitegen.deploy.snapshot import Snapshot

#: Told after each file that travelled: (files so far, bytes so far).
OnSent = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Sent:
    files: int  # files whose bytes travelled
    bytes: int  # their size
    linked: int  # files taken from the live release without travelling


class Transport(Protocol):
    def releases(self) -> Releases:
        """The release folders on the target and which one ``current`` points to."""

    def read_manifest(self, release: str) -> bytes | None:
        """The manifest a complete release carries (None when it has none)."""

    def upload(self, release: str, base: str | None, plan: Plan, snapshot: Snapshot, on_sent: OnSent) -> Sent:
        """Make ``releases/<release>/``: unchanged files linked from ``base``, the rest sent."""

    def finish(self, release: str, manifest: bytes) -> None:
        """Write the manifest, then the completion mark: the release is complete after this."""

    def switch(self, release: str) -> None:
        """Point ``current`` at the release in one atomic rename."""

    def publish(self, release: str, manifest: bytes) -> None:
        """``finish``, then ``switch`` only if that succeeded (in one round trip where the
        transport can)."""

    def discard(self, releases: Sequence[str]) -> None:
        """Rename each release folder to ``layout.pruned_name`` (never the live one: the
        command checks), then remove every folder so set aside, this deploy's and earlier
        ones' leftovers. Where the target can run a command of its own (OpenSSH, file://) the
        removal goes on in the background and this returns soon; over SFTP every entry is a
        request of ours, all removed before this returns."""

    def remove_half_sent(self, releases: Sequence[str]) -> None:
        """Remove each of ``releases``, releases earlier deploys stopped sending (never the one
        ``current`` points to: the command checks), in full before this returns: the upload
        that follows may need their room. Then every folder set aside, as ``discard`` does."""

    def close(self) -> None: ...


def tmp_link_name(release: str) -> str:
    return f"current.tmp-{release}"
