"""``file://`` targets: a folder on this computer (often a mounted share of the web server).

A missing target folder is made, with its parents, by the first deploy only, as it begins
to write a release (``make_folder``); the command warns then, since where a share is not
mounted the folder is made on this computer's own disk, which the web server never sees.

Pruned releases are removed at once for up to ``sweep.NOW_SECONDS``, the rest by a detached
process (``sweep``): a share's deletions are as slow as a server's, and the command need not
wait for a large release's. Half-sent releases are removed in full before an upload.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sitegen.deploy import layout, sweep
from sitegen.deploy.layout import Releases
from sitegen.deploy.plan import Plan
from sitegen.deploy.problems import blocked, failed, no_links, os_problem
from sitegen.deploy.snapshot import Snapshot
from sitegen.deploy.transport import WRITE_TEST, OnSent, Sent, Taken, tmp_link_name
from sitegen.messages import _


class LocalTransport:
    def __init__(self, label: str, root: Path) -> None:
        self.label, self.root = label, root
        self.releases_dir = root / layout.RELEASES
        self.books = root / layout.BOOKKEEPING

    def _release(self, release: str) -> Path:
        assert layout.is_release_id(release), release
        return self.releases_dir / release

    def check(self, write: bool) -> None:
        if not self._there():
            if write:  # made by the deploy: the folder above it that is there must take it
                self._write_test(_nearest(self.root))
                self._link_test(_nearest(self.root))
            return
        what = self._in_the_way()
        if what:
            raise failed(self.label, *blocked(str(self.root), what))
        for folder in (self.root, self.releases_dir, self.books) if write else ():
            self._write_test(folder)
        if write:
            self._link_test(self.root)

    def _link_test(self, folder: Path) -> None:
        """A symbolic link made in ``folder`` and removed: ``current`` is one. A FAT or exFAT
        disk, or a share mounted from Windows, holds none, which the switch found out only after
        the whole release was copied there (and each try left one more copy)."""
        probe = folder / f"{WRITE_TEST}{secrets.token_hex(6)}"
        try:
            os.symlink(layout.RELEASES, probe)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):  # room: see Transport.check
                return
            if exc.errno in (errno.EPERM, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOTSUP):
                raise failed(self.label, *no_links(str(folder))) from None
            raise os_problem(self.label, OSError(exc.errno, exc.strerror, str(folder)),
                             _("checking the target folder")) from None
        probe.unlink()

    def _write_test(self, folder: Path) -> None:
        try:
            os.rmdir(tempfile.mkdtemp(prefix=WRITE_TEST, dir=folder))
        except FileNotFoundError:
            pass  # no releases/ (.sitegen-deploy/) yet: the first upload (finish) makes it
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):  # room: see Transport.check
                raise os_problem(self.label, OSError(exc.errno, exc.strerror, str(folder)),
                                 _("checking the target folder")) from None

    def pause(self) -> None:
        return None  # no connection

    def resume(self) -> None:
        return None

    def releases(self) -> Releases:
        if not self._there():
            return Releases((), (), None, missing=True)
        try:
            link = os.readlink(self.root / layout.CURRENT)
            since: float | None = os.lstat(self.root / layout.CURRENT).st_mtime
        except OSError:
            link, since = None, None
        blocked = self._in_the_way()
        if blocked:  # nothing of the target is read past what is in the way
            return Releases((), (), None, since=since, blocked=blocked, linked=layout.release_of(link))
        complete: list[str] = []
        incomplete: list[str] = []
        try:
            names = sorted(os.listdir(self.releases_dir))
            # Books that cannot be read would make every release look half-sent (and removed).
            _listing(self.books)
        except FileNotFoundError:
            names = []
        except OSError as exc:
            raise os_problem(self.label, exc, _("reading the releases")) from None
        pruned: list[str] = []
        sending: dict[str, layout.SendingMark] = {}
        for name in names:
            folder = self.releases_dir / name
            if layout.is_pruned_name(name):
                pruned.append(name)
                continue
            if not layout.is_release_id(name) or folder.is_symlink() or not folder.is_dir():
                continue
            if self._marked(name):
                complete.append(name)
                continue
            # The sending mark, then the completion mark again: a deploy writes its completion
            # mark before it removes its sending mark, so one of the two is seen.
            mark = self._sending(name)
            if self._marked(name):
                complete.append(name)
                continue
            incomplete.append(name)
            if mark is not None:
                sending[name] = mark
        live = layout.release_of(link)
        return Releases(tuple(complete), tuple(incomplete), live if live in complete else None, tuple(pruned),
                        since, blocked, live, sending=sending)

    def _sending(self, release: str) -> layout.SendingMark | None:
        try:
            with open(self.books / layout.sending_name(release), "rb") as handle:
                return layout.SendingMark(handle.read(4096), os.fstat(handle.fileno()).st_mtime)
        except FileNotFoundError:
            return None
        except OSError:  # there but unreadable: as a mark that cannot be read, written now
            return layout.SendingMark(b"", _mtime(self.books / layout.sending_name(release)))

    def _marked(self, release: str) -> bool:
        for mark in self._books(release, layout.mark_name(release), layout.MARK):
            try:
                if mark.read_text("utf-8").strip() == release:
                    return True
            except (OSError, UnicodeDecodeError):
                pass
        return False

    def _books(self, release: str, name: str, inside: str) -> tuple[Path, ...]:
        """Where a release's mark or manifest may lie, newest layout first: deploy's own folder,
        beside the release folder (an older sitegen's), inside it (an older one's)."""
        return self.books / name, self.releases_dir / name, self._release(release) / inside

    def _in_the_way(self) -> str:
        """``layout.in_the_way`` of the target's folder."""
        current = self.root / layout.CURRENT
        try:
            link: str | None = os.readlink(current)
        except OSError:
            link = None
        not_folders = [name for name in (layout.RELEASES, layout.BOOKKEEPING)
                       if os.path.lexists(self.root / name) and not (self.root / name).is_dir()]
        return layout.in_the_way(str(self.root), link, os.path.lexists(current), current.exists(), not_folders)

    def _there(self) -> bool:
        """Whether the target's folder is there (a file in its place is said when it is made)."""
        try:
            return stat.S_ISDIR(os.stat(self.root).st_mode)
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError as exc:
            raise os_problem(self.label, exc, _("reading the releases")) from None

    def make_folder(self) -> bool:
        if self._there():
            return False
        try:
            _folder(self.root, set())
            if not self._there():  # a file in its place
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(self.root))
        except OSError as exc:
            raise os_problem(self.label, exc, _("making the target folder")) from None
        return True

    def read_manifest(self, release: str) -> bytes | None:
        for manifest in self._books(release, layout.manifest_name(release), layout.MANIFEST):
            try:
                return manifest.read_bytes()
            except OSError:
                continue
        return None

    def upload(self, release: str, base: str | None, plan: Plan, snapshot: Snapshot, on_sent: OnSent,
               sending: bytes) -> Sent:
        target = self._release(release)
        made: set[Path] = set()
        sent = sent_bytes = linked = 0
        try:
            self._make_books()
            mark = self.books / layout.sending_name(release)
            try:  # the claim on the id: made only if no other deploy's is there
                claim = open(mark, "xb")
            except FileExistsError:
                raise Taken(release) from None
            try:
                with claim:
                    claim.write(sending)
            except OSError as exc:  # a write names no file: this one, on a full disk
                raise OSError(exc.errno, exc.strerror, str(mark)) from None
            # releases/ without its parents: the target's folder is made only by make_folder,
            # which warns (it may have gone since, a share unmounted meanwhile)
            with contextlib.suppress(FileExistsError):
                self.releases_dir.mkdir()
                os.chmod(self.releases_dir, FOLDER_MODE)
            _folder(target, made)
            source = self._release(base) if base else target
            for path, held in [*((p, p) for p in plan.unchanged), *plan.same_as] if base else ():
                destination = target / path
                _folder(destination.parent, made)
                try:
                    os.link(source / held, destination)
                    linked += 1
                    continue
                except OSError as exc:
                    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                        raise
                _copy(snapshot.root / path, destination)  # a share without hard links
                sent, sent_bytes = sent + 1, sent_bytes + snapshot.files[path].size
                on_sent(sent, sent_bytes)
            for path in plan.to_upload if base else plan.to_send:
                destination = target / path
                _folder(destination.parent, made)
                _copy(snapshot.root / path, destination)
                sent, sent_bytes = sent + 1, sent_bytes + snapshot.files[path].size
                on_sent(sent, sent_bytes)
        except OSError as exc:
            raise os_problem(self.label, exc, _("copying the release")) from None
        return Sent(sent, sent_bytes, linked)

    def finish(self, release: str, manifest: bytes) -> None:
        books = self.books
        try:
            self._move_books()
            partial = books / (layout.manifest_name(release) + ".tmp")
            partial.write_bytes(manifest)
            os.replace(partial, books / layout.manifest_name(release))
            _fsync_tree(self._release(release))
            partial = books / (layout.mark_name(release) + ".tmp")
            partial.write_text(release, "utf-8")
            os.replace(partial, books / layout.mark_name(release))
            (books / layout.sending_name(release)).unlink(missing_ok=True)
        except OSError as exc:
            raise os_problem(self.label, exc, _("finishing the release")) from None

    def _move_books(self) -> None:
        """Make ``.sitegen-deploy/`` if missing, and move into it the manifests and marks an
        older sitegen left beside the release folders: ``releases/`` then holds only releases."""
        self._make_books()
        for name in os.listdir(self.releases_dir):
            if layout.bookkeeping_of(name) is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.replace(self.releases_dir / name, self.books / name)

    def _make_books(self) -> None:
        with contextlib.suppress(FileExistsError):
            self.books.mkdir()
            os.chmod(self.books, FOLDER_MODE)

    def switch(self, release: str) -> None:
        temporary = self.root / tmp_link_name(release)
        try:
            if temporary.is_symlink():
                temporary.unlink()  # ours, from a deploy stopped right here
            os.symlink(layout.current_target(release), temporary)
            os.replace(temporary, self.root / layout.CURRENT)
        except IsADirectoryError:
            temporary.unlink(missing_ok=True)
            raise os_problem(self.label, OSError(errno.EISDIR, _("current is a folder, not a link"),
                                                 str(self.root / layout.CURRENT)),
                             _("switching current (move that folder away once)")) from None
        except OSError as exc:
            raise os_problem(self.label, exc, _("switching current")) from None

    def discard(self, releases: Sequence[str]) -> None:
        try:
            for release in releases:
                aside = self.releases_dir / layout.pruned_name(release)
                if aside.is_symlink() or aside.exists():  # only a clock turned back could leave one
                    sweep.sweep(self.releases_dir, [aside.name])
                # The mark first: from then on it is no complete release, whatever happens next.
                for folder in (self.books, self.releases_dir):  # (beside the folder: an older sitegen's)
                    (folder / layout.mark_name(release)).unlink(missing_ok=True)
                with contextlib.suppress(FileNotFoundError):
                    os.rename(self._release(release), aside)
            names = os.listdir(self.releases_dir)
            for folder, inside in ((self.books, _listing(self.books)), (self.releases_dir, names)):
                for name in inside:  # the marks and manifests of releases no longer there
                    owner = layout.bookkeeping_of(name)
                    if owner is not None and not os.path.isdir(self._release(owner)) and (
                            layout.SENDING not in name or layout.stale(_mtime(folder / name), time.time())):
                        (folder / name).unlink(missing_ok=True)
            names = [name for name in names if layout.is_pruned_name(name)]
        except OSError as exc:
            raise os_problem(self.label, exc, _("removing old releases")) from None
        sweep.start(self.releases_dir, sweep.remove_now(self.releases_dir, names))

    def remove_half_sent(self, releases: Sequence[str]) -> None:
        """Each release removed in full, in place: not renamed to ``.pruned-<id>``, the only
        names the background removal takes, so the two never walk the same tree and this never
        waits behind an earlier deploy's removal of a large release (its lock). A removal cut
        short leaves part of a release with no mark, which the next deploy removes again."""
        try:
            for release in releases:
                folder = self._release(release)
                if not folder.is_symlink() and folder.is_dir():
                    shutil.rmtree(folder)  # a symbolic link in it is removed, never followed
                (self.books / layout.sending_name(release)).unlink(missing_ok=True)
        except OSError as exc:
            raise os_problem(self.label, exc, _("removing half-sent releases")) from None
        self.discard(())

    def close(self) -> None:
        return None


#: The modes of what a release holds, whatever the umask: the web server, another user, must
#: read them (rsync and SFTP leave the same).
FILE_MODE, FOLDER_MODE = 0o644, 0o755


def _folder(folder: Path, made: set[Path]) -> None:
    if folder in made:
        return
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for one in reversed(missing):
        one.mkdir(exist_ok=True)
        os.chmod(one, FOLDER_MODE)
        made.add(one)
    made.add(folder)


def _listing(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _mtime(path: Path) -> float:
    """A file's mtime; now, for one gone meanwhile (no stale mark is made of a missing one)."""
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return time.time()


def _nearest(folder: Path) -> Path:
    """The nearest folder at or above ``folder`` that is there."""
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    return folder


def _copy(source: Path, destination: Path) -> None:
    shutil.copyfile(source, destination)
    os.chmod(destination, FILE_MODE)


def _fsync_tree(folder: Path) -> None:
    """The files must be on disk before the mark says the release is complete (one sync,
    not one per file)."""
    os.sync()
