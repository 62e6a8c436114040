"""``ssh://`` targets over SFTP, for computers without OpenSSH's client or rsync.

The library is paramiko: a synchronous API fits a command that does one step after
another (asyncssh would need an event loop for nothing), it is the most widely deployed
SSH library for Python, and it reads OpenSSH's known_hosts format (hashed names and
``[host]:port`` entries included) and talks to ssh-agent. It lacks OpenSSH's
``hardlink@openssh.com`` extension, so ``_link`` sends that request itself through the same
request path paramiko uses for ``posix-rename@openssh.com`` (``sftpbatch``: many at once):
unchanged files are then linked on the server without travelling, even where the account
has no shell (an SFTP-only chroot), which copying with ``cp -al`` over an exec channel would
need. A server without the extension gets those files uploaded instead.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import logging
import os
import secrets
import stat
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import paramiko
from paramiko.sftp import CMD_EXTENDED, CMD_MKDIR, CMD_REMOVE, CMD_SETSTAT
from paramiko.ssh_exception import NoValidConnectionsError

from sitegen.deploy import hostkeys, layout, sftpsweep
from sitegen.deploy.endpoint import Endpoint
from sitegen.deploy.layout import Releases
from sitegen.deploy.openssh import CONNECT_TIMEOUT, DEFAULT_KEYS, encrypted, locked_key
from sitegen.deploy.plan import Plan
from sitegen.deploy.problems import (
    FULL_BELOW_KB,
    DeployFailed,
    blocked,
    disk_full,
    dropped,
    failed,
    needs_passphrase,
    no_reason,
    os_problem,
    refused,
)
from sitegen.deploy.sftpbatch import Batch
from sitegen.deploy.sftpupload import Uploader
from sitegen.deploy.snapshot import Snapshot
from sitegen.deploy.transport import WRITE_TEST, OnSent, Sent, Taken, tmp_link_name
from sitegen.messages import _

GLOBAL_KNOWN_HOSTS = Path("/etc/ssh/ssh_known_hosts")
HARDLINK = "hardlink@openssh.com"  # OpenSSH's extension: link(oldpath, newpath) on the server
RENAME = "posix-rename@openssh.com"  # OpenSSH's extension: rename(oldpath, newpath), over what is there
STATVFS = "statvfs@openssh.com"  # OpenSSH's extension: statvfs(path) on the server
_READ_ONLY = 0x1  # SSH2_FXE_STATVFS_ST_RDONLY in that answer's flags
_FOLDER_MODE = paramiko.SFTPAttributes()
_FOLDER_MODE.st_mode = 0o755  # the web server, another user, enters the folders
# paramiko logs a failing connection's traceback from its own thread; every failure reaches
# the user as one message from this module instead.
logging.getLogger("paramiko").addHandler(logging.NullHandler())


class _UnknownHost(paramiko.SSHException):
    def __init__(self, key: paramiko.PKey) -> None:
        super().__init__("unknown host key")
        self.key = key


class _RevokedHost(_UnknownHost):
    pass


class _Refuse(paramiko.MissingHostKeyPolicy):
    """StrictHostKeyChecking=yes: a server not in known_hosts is refused, with its key; one
    whose key is revoked there (its plain entries left out) is refused as revoked."""

    def __init__(self, revoked: frozenset[bytes]) -> None:
        self.revoked = revoked

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        raise _RevokedHost(key) if key.asbytes() in self.revoked else _UnknownHost(key)


def _described(key: paramiko.PKey) -> str:
    return f"{key.get_name()} {hostkeys.fingerprint(key.asbytes())}"


def _unconnected(exc: Exception) -> str:
    """Why no connection could be made, in the system's words. paramiko puts its own over them:
    over a refused connection ('[Errno None] Unable to connect to port 22 on 192.0.2.1'; the
    system's, one per address tried, are in ``errors``), and over a connection the server
    closed or reset at once ('Error reading SSH protocol banner', or a bare EOFError: a server
    at its limit of connections, a firewall)."""
    if isinstance(exc, NoValidConnectionsError):
        return ", ".join(sorted({error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                                 for error in exc.errors.values()}))
    for error in (exc, exc.__context__):
        if isinstance(error, OSError) and error.strerror:
            return error.strerror
        if isinstance(error, EOFError):
            return _("the server closed the connection")
    return str(exc) or type(exc).__name__


class SftpTransport:
    def __init__(self, label: str, endpoint: Endpoint, known_hosts: Path, identity: Path | None,
                 global_known_hosts: bool, keys: tuple[Path, ...] = ()) -> None:
        """``keys``: the key files ssh's configuration names for the host (``sshconfig``), offered
        where ``identity`` is None, before paramiko's own look in ~/.ssh."""
        self.label, self.endpoint, self.path = label, endpoint, endpoint.path
        self.keys = keys
        self.books = f"{self.path}/{layout.BOOKKEEPING}"
        self._keys = known_hosts, identity, global_known_hosts
        self.hardlinks = True
        # From the last listing (``releases``), for ``finish``: whether .sitegen-deploy/ was there,
        # and the books an older sitegen left beside the release folders, to move into it.
        self._books_there = False
        self._beside: tuple[str, ...] = ()
        self._interrupted = False  # by Ctrl-C in a step: see ``_step``
        self._open()

    def _open(self) -> None:
        known_hosts, identity, global_known_hosts = self._keys
        self.client = paramiko.SSHClient()
        files = [f for f in (GLOBAL_KNOWN_HOSTS if global_known_hosts else None, known_hosts) if f and f.is_file()]
        try:
            known = hostkeys.read_known_hosts(files)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".known_hosts") as usable:
                usable.write("".join(f"{line}\n" for line in known.lines))
                usable.flush()
                self.client.load_system_host_keys(usable.name)
        except (OSError, paramiko.SSHException) as exc:
            raise refused(self.label, _("cannot read {file}: {reason}").format(file=known_hosts, reason=exc),
                          _("fix or remove the broken line")) from None
        self.client.set_missing_host_key_policy(_Refuse(known.revoked))
        self._connect(known_hosts, identity)
        try:
            self.sftp = self.client.open_sftp()
        except (paramiko.SSHException, OSError, EOFError) as exc:
            self.client.close()
            raise failed(self.label, _("the server {host} has no SFTP service: {reason}").format(
                host=self.endpoint.host, reason=exc), _("enable the sftp Subsystem in its sshd_config")) from None
        self.uploader = Uploader(self.sftp)

    def pause(self) -> None:
        """The connection is closed through a build, and made again by ``resume``: paramiko's
        thread would keep the build from forking (``parallel.may_fork``), and its keepalives ask
        for no answer, so a connection that died meanwhile (a router, a VPN, a laptop asleep)
        would go unnoticed until a request hung on it; it does not reconnect."""
        self.close()

    def resume(self) -> None:
        self._open()

    def _connect(self, known_hosts: Path, identity: Path | None) -> None:
        endpoint, label = self.endpoint, self.label
        # With identity_file, that key alone, as OpenSSH's IdentitiesOnly=yes (the rsync path):
        # the agent only for a key that needs its passphrase, which the agent may hold.
        agent = identity is None or encrypted(identity)
        try:
            offered = [str(identity)] if identity else [str(key) for key in self.keys] or None
            self.client.connect(endpoint.host, endpoint.port, username=endpoint.user or getpass.getuser(),
                                key_filename=offered,  # type: ignore[arg-type]  # a list too (its docs)
                                allow_agent=agent,
                                look_for_keys=identity is None, timeout=CONNECT_TIMEOUT,
                                banner_timeout=CONNECT_TIMEOUT, auth_timeout=CONNECT_TIMEOUT)
        except _RevokedHost as exc:
            raise hostkeys.revoked_key(label, endpoint, known_hosts, [_described(exc.key)]) from None
        except _UnknownHost as exc:
            raise hostkeys.unknown_key(label, endpoint, known_hosts, [_described(exc.key)]) from None
        except paramiko.BadHostKeyException as exc:
            raise hostkeys.changed_key(label, endpoint, known_hosts, [_described(exc.key)]) from None
        except paramiko.PasswordRequiredException:
            raise needs_passphrase(label, identity or self._locked_key(None) or "~/.ssh/id_*") from None
        except paramiko.AuthenticationException:
            locked = self._locked_key(identity)
            if locked is not None:  # paramiko, given no passphrase, tries the others and says only "refused"
                raise needs_passphrase(label, locked) from None
            raise refused(label, _("the server {host} refused our key for user '{user}'").format(
                host=endpoint.host, user=endpoint.user or getpass.getuser()),
                _("add your public key to ~{user}/.ssh/authorized_keys on the server, and load the key into "
                  "ssh-agent or set identity_file: for this target").format(user=endpoint.user)) from None
        except (paramiko.SSHException, OSError, EOFError) as exc:
            if "No authentication methods available" in str(exc):  # no key in the agent, none on disk
                raise refused(label, _("there is no key to offer the server {host} for user '{user}'").format(
                    host=endpoint.host, user=endpoint.user or getpass.getuser()),
                    _("set identity_file: for this target, or load your key into ssh-agent (ssh-add)")) from None
            raise failed(label, _("cannot connect to {host} port {port}: {reason}").format(
                host=endpoint.host, port=endpoint.port, reason=_unconnected(exc)),
                _("check the url in config.yaml and that the server is running")) from None

    def _locked_key(self, identity: Path | None) -> Path | None:
        """The key offered that needs its passphrase (``openssh.locked_key``): ``identity``, else
        the ssh configuration's and the default ones, which paramiko looks for in ~/.ssh."""
        home = Path.home() / ".ssh"
        return locked_key((identity,) if identity else (*self.keys, *(home / name for name in DEFAULT_KEYS)))

    @contextmanager
    def _step(self, doing: str) -> Iterator[None]:
        """Library and network failures of one step, as a message naming the target."""
        try:
            yield
        except KeyboardInterrupt:
            # Ctrl-C may come anywhere in paramiko's sending: halfway through a packet, or after
            # it takes its lock on sending and before the ``try`` that gives the lock back (a
            # signal is handled at the call between them), where the session's goodbye would wait
            # for that lock for ever. Nothing more is said on this connection: ``close`` drops it.
            self._interrupted = True
            raise
        except (TimeoutError, EOFError, paramiko.SSHException, ConnectionError) as exc:
            # paramiko's "Server connection dropped: " ends with an empty reason: no bare colon in ours
            raise dropped(self.label, self.endpoint.host, doing, str(exc).rstrip(": ") or type(exc).__name__) from None
        except OSError as exc:
            if exc.errno is None and str(exc) == "Socket is closed":  # paramiko's word for a dropped connection
                raise dropped(self.label, self.endpoint.host, doing, str(exc)) from None
            if exc.errno is None:  # SFTP's bare "Failure": the server had no code for its error
                raise self._unexplained(exc, doing) from None
            raise os_problem(self.label, exc, doing) from None

    def _unexplained(self, exc: OSError, doing: str) -> DeployFailed:
        """A full disk where the server's free space says so, else the server's own words."""
        where = exc.filename if isinstance(exc.filename, str) else None
        if self._disk_full():
            return disk_full(self.label, doing, where)
        return no_reason(self.label, doing, exc.strerror or str(exc) or type(exc).__name__, where)

    def _disk_full(self) -> bool:
        """Whether the file system of the target's folder (of its nearest parent there, while
        a first deploy makes it) has next to no room or no file entries left, and is writable;
        False where the server cannot tell (no statvfs extension)."""
        for folder in (self.path, *map(str, PurePosixPath(self.path).parents)):
            batch = Batch(self.sftp)
            batch.request(folder, CMD_EXTENDED, STATVFS, folder)
            try:
                answers, errors = batch.gather()
            except (OSError, EOFError, paramiko.SSHException):
                return False
            if isinstance(errors.get(folder), FileNotFoundError):
                continue
            if folder not in answers:
                return False
            # f_bsize, f_frsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_favail, f_fsid, f_flag
            _, frsize, _, _, bavail, files, _, favail, _, flags = (answers[folder].get_int64() for _ in range(10))
            entries_left = favail > 0 or files == 0  # no inode count at all (btrfs): no limit
            return not flags & _READ_ONLY and (bavail * frsize < FULL_BELOW_KB * 1024 or not entries_left)
        return False

    def _release(self, release: str) -> str:
        assert layout.is_release_id(release), release
        return f"{self.path}/{layout.RELEASES}/{release}"

    def check(self, write: bool) -> None:
        with self._step(_("checking the target folder")):
            if not self._is_folder(self.path):
                if write:  # made by the deploy: the folder above it that is there must take it
                    self._write_test(self._nearest())
                return
            what = self._in_the_way(self._current_link())
            if what:
                raise failed(self.label, *blocked(self.path, what))
            for folder in (self.path, f"{self.path}/{layout.RELEASES}", self.books) if write else ():
                self._write_test(folder)

    def _write_test(self, folder: str) -> None:
        made = f"{folder}/{WRITE_TEST}{secrets.token_hex(6)}"
        try:
            self.sftp.mkdir(made, 0o700)
        except FileNotFoundError:
            if self._exists(folder) and not self._is_folder(folder):  # a file in its place
                raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), folder) from None
            return  # no releases/ (.sitegen-deploy/) yet: the first upload (finish) makes it
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT) or exc.errno is None and self._disk_full():
                return  # room: see Transport.check
            raise OSError(exc.errno, exc.strerror or str(exc), folder) from None
        self.sftp.rmdir(made)

    def releases(self) -> Releases:
        with self._step(_("reading the releases")):
            link = self._current_link()
            try:
                since = self.sftp.lstat(f"{self.path}/{layout.CURRENT}").st_mtime if link is not None else None
            except OSError:
                since = None
            blocked = self._in_the_way(link)
            if blocked:  # nothing of the target is read past what is in the way
                return Releases((), (), None, since=float(since) if since is not None else None, blocked=blocked,
                                linked=layout.release_of(link))
            try:
                entries = self.sftp.listdir_attr(f"{self.path}/{layout.RELEASES}")
            except FileNotFoundError:  # nothing deployed yet, or no target folder at all
                if not self._is_folder(self.path):
                    return Releases((), (), None, missing=True)
                entries = []
            try:
                books = set(self.sftp.listdir(self.books))
                self._books_there = True
            except FileNotFoundError:
                books, self._books_there = set(), False
            names = {entry.filename for entry in entries}
            self._beside = tuple(sorted(name for name in names if layout.bookkeeping_of(name) is not None))
            complete: list[str] = []
            incomplete: list[str] = []
            pruned = [entry.filename for entry in entries if layout.is_pruned_name(entry.filename)]
            for entry in entries:
                name = entry.filename
                if not layout.is_release_id(name) or not stat.S_ISDIR(entry.st_mode or 0):
                    continue
                mark = layout.mark_name(name)
                listed = (mark in books, mark in names, True)  # inside its folder: no listing says
                marks = [path for path, there in zip(self._books_of(name, mark, layout.MARK), listed, strict=True)
                         if there]
                (complete if any(self._marks(path, name) for path in marks) else incomplete).append(name)
            sending: dict[str, layout.SendingMark] = {}
            for name in list(incomplete):  # rare: the common path asks nothing more
                # The sending mark, then the completion mark once more, by name (a folder listed
                # while a deploy renamed one in and removed the other may show neither): a deploy
                # writes its completion mark before it removes its sending mark.
                found = self._sending(name)
                if self._marks(f"{self.books}/{layout.mark_name(name)}", name):
                    incomplete.remove(name)
                    complete.append(name)
                elif found is not None:
                    sending[name] = found
        live = layout.release_of(link)
        return Releases(tuple(sorted(complete)), tuple(sorted(incomplete)), live if live in complete else None,
                        tuple(sorted(pruned)), float(since) if since is not None else None, blocked, live,
                        sending=sending)

    def _sending(self, release: str) -> layout.SendingMark | None:
        try:
            with self.sftp.open(f"{self.books}/{layout.sending_name(release)}", "rb") as handle:
                mtime = handle.stat().st_mtime
                data: bytes = handle.read(4096)
        except FileNotFoundError:
            return None
        except OSError:  # there but unreadable: as a mark that cannot be read, written now
            return layout.SendingMark(b"", time.time())
        return layout.SendingMark(data, float(mtime) if mtime is not None else time.time())

    def _books_of(self, release: str, name: str, inside: str) -> tuple[str, str, str]:
        """Where a release's mark or manifest ``name`` may lie, newest layout first: deploy's own
        folder, beside the release folder (an older sitegen's), inside it (``inside``: an older one's)."""
        return f"{self.books}/{name}", f"{self.path}/{layout.RELEASES}/{name}", f"{self._release(release)}/{inside}"

    def _marks(self, mark: str, release: str) -> bool:
        """Whether the file ``mark`` is there and holds ``release``'s id."""
        try:
            with self.sftp.open(mark, "rb") as handle:
                return bool(handle.read(64).decode("utf-8", "replace").strip() == release)
        except OSError:
            return False

    def _current_link(self) -> str | None:
        """Where ``current`` points (None: no symbolic link there)."""
        try:
            found = self.sftp.readlink(f"{self.path}/{layout.CURRENT}")
        except OSError:
            return None
        return None if found is None else str(found)

    def _in_the_way(self, link: str | None) -> str:
        """``layout.in_the_way`` of the target's folder (``link``: where ``current`` points)."""
        current = f"{self.path}/{layout.CURRENT}"
        not_folders = [name for name in (layout.RELEASES, layout.BOOKKEEPING)
                       if self._exists(f"{self.path}/{name}") and not self._is_folder(f"{self.path}/{name}")]
        try:
            leads = link is not None and self.sftp.stat(current) is not None
        except OSError:
            leads = False
        return layout.in_the_way(self.path, link, self._exists(current), leads, not_folders)

    def _is_folder(self, folder: str) -> bool:
        try:
            return stat.S_ISDIR(self.sftp.stat(folder).st_mode or 0)
        except FileNotFoundError:
            return False

    def _nearest(self) -> str:
        """The nearest folder above the target's missing folder that is there."""
        return next((str(folder) for folder in PurePosixPath(self.path).parents if self._is_folder(str(folder))),
                    "/")

    def make_folder(self) -> bool:
        with self._step(_("making the target folder")):
            missing: list[str] = []
            folder = PurePosixPath(self.path)
            while folder != folder.parent and not self._is_folder(str(folder)):
                missing.append(str(folder))
                folder = folder.parent
            for one in reversed(missing):  # a file in the folder's place: "not a folder"
                self._mkdir(one)
            return bool(missing)

    def read_manifest(self, release: str) -> bytes | None:
        with self._step(_("reading the live release's manifest")):
            for manifest in self._books_of(release, layout.manifest_name(release), layout.MANIFEST):
                try:
                    with self.sftp.open(manifest, "rb") as handle:
                        handle.prefetch()
                        data: bytes = handle.read()
                        return data
                except FileNotFoundError:
                    continue
            return None

    def upload(self, release: str, base: str | None, plan: Plan, snapshot: Snapshot, on_sent: OnSent,
               sending: bytes) -> Sent:
        target = self._release(release)
        sent = sent_bytes = linked = 0
        with self._step(_("uploading")):
            self._make_books()
            mark = f"{self.books}/{layout.sending_name(release)}"
            try:  # the claim on the id: made only if no other deploy's is there
                claim = self.sftp.open(mark, "wxb")  # x: O_EXCL (paramiko adds no write for it alone)
            except OSError:
                if self._exists(mark):
                    raise Taken(release) from None
                raise
            try:
                with claim:
                    claim.write(sending)
            except OSError as exc:  # a write names no file: this one, on a full disk
                if exc.filename is not None or str(exc) == "Socket is closed":  # a dropped connection
                    raise
                raise OSError(exc.errno, exc.strerror or str(exc), mark) from None
            self._mkdir(f"{self.path}/{layout.RELEASES}")  # the target's own folder: make_folder
            self._mkdir(target)
            # (path, its name in the live release); no base: none unchanged
            linking = [*((p, p) for p in plan.unchanged), *plan.same_as] if base and self.hardlinks else []
            to_put = [*plan.to_upload] if linking else [*plan.unchanged, *plan.to_send]
            self._folders(target, (*(path for path, _held in linking), *to_put))
            if base and linking:
                unlinked = self._link(self._release(base), target, linking)
                linked = len(linking) - len(unlinked)
                to_put = sorted((*to_put, *unlinked))
            files = [(snapshot.root / path, f"{target}/{path}", snapshot.files[path].size) for path in to_put]

            def written(index: int) -> None:
                nonlocal sent, sent_bytes
                sent, sent_bytes = sent + 1, sent_bytes + files[index][2]
                on_sent(sent, sent_bytes)

            self.uploader.put(files, written)
        return Sent(sent, sent_bytes, linked)

    def _folders(self, target: str, paths: Sequence[str]) -> None:
        """Every folder the files need under ``target``, a level at a time (a folder's parent
        must exist before its request is sent)."""
        levels: dict[int, set[str]] = {}
        for path in paths:
            parts = path.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                levels.setdefault(depth, set()).add("/".join(parts[:depth]))
        batch = Batch(self.sftp)
        for depth in sorted(levels):
            for folder in sorted(levels[depth]):
                batch.request(folder, CMD_MKDIR, f"{target}/{folder}", _FOLDER_MODE)
            _first_failure(batch.wait(), target)
        # Their mode once more, all at once: a server's umask (internal-sftp -u 077) takes the
        # mode a mkdir asks for as an upper bound, and a web server, another user, must enter.
        for folder in sorted(set().union(*levels.values())):
            batch.request(folder, CMD_SETSTAT, f"{target}/{folder}", _FOLDER_MODE)
        _first_failure(batch.wait(), target)

    def _link(self, source: str, target: str, pairs: Sequence[tuple[str, str]]) -> list[str]:
        """Hard-link each (path, its name in ``source``) into ``target`` on the server; the paths
        that could not be linked, to be uploaded: all, on a server without the extension; those no
        longer in ``source`` (deleted from the live release by hand: sent again, as rsync does)."""
        batch = Batch(self.sftp)
        for path, held in pairs:
            batch.request(path, CMD_EXTENDED, HARDLINK, f"{source}/{held}", f"{target}/{path}")
        errors = batch.wait()
        for path, exc in sorted(errors.items()):
            if exc.errno not in (None, errno.EOPNOTSUPP, errno.ENOSYS, errno.ENOENT):
                raise OSError(exc.errno, exc.strerror or str(exc), f"{target}/{path}")
        if any(exc.errno != errno.ENOENT for exc in errors.values()):
            self.hardlinks = False  # the server lacks the extension
        return sorted(errors)

    def _mkdir(self, folder: str) -> None:
        """Make ``folder`` in a folder that is there; one already there is fine."""
        try:
            self.sftp.mkdir(folder, 0o755)
            self.sftp.chmod(folder, 0o755)  # the server's umask applied to the mode asked: as _folders
        except OSError as refused_mkdir:
            try:
                attrs = self.sftp.stat(folder)  # exists already
            except FileNotFoundError:  # the real reason (permission denied), not "no such file"
                raise OSError(refused_mkdir.errno, refused_mkdir.strerror or str(refused_mkdir), folder) from None
            if not stat.S_ISDIR(attrs.st_mode or 0):
                raise OSError(errno.ENOTDIR, _("not a folder"), folder) from None

    def finish(self, release: str, manifest: bytes) -> None:
        books = self.books
        manifest_file, mark = f"{books}/{layout.manifest_name(release)}", f"{books}/{layout.mark_name(release)}"
        with self._step(_("finishing the release")):
            self._move_books()
            # Both written whole, forced to disk and closed, every answer checked (paramiko's
            # own file object drops a failed close's); the mark is a mark only once renamed,
            # after the manifest is in place.
            self.uploader.put([(manifest, f"{manifest_file}.tmp", len(manifest)),
                               (release.encode(), f"{mark}.tmp", len(release))], lambda index: None)
            self.sftp.posix_rename(f"{manifest_file}.tmp", manifest_file)
            self.sftp.posix_rename(f"{mark}.tmp", mark)
            try:
                self.sftp.remove(f"{books}/{layout.sending_name(release)}")
            except FileNotFoundError:
                pass

    def _move_books(self) -> None:
        """Make ``.sitegen-deploy/`` if the listing found none, and move into it, all renames at
        once, the books an older sitegen left beside the release folders: ``releases/`` then
        holds only releases. What the listing found is enough: only a deploy moves them."""
        self._make_books()
        folder, batch = f"{self.path}/{layout.RELEASES}", Batch(self.sftp)
        for name in self._beside:
            batch.request(name, CMD_EXTENDED, RENAME, f"{folder}/{name}", f"{self.books}/{name}")
        self._beside = ()
        for name, exc in sorted(batch.wait().items()):
            if exc.errno != errno.ENOENT:  # gone meanwhile: removed with its half-sent release
                raise OSError(exc.errno, exc.strerror or str(exc), f"{self.books}/{name}")

    def _make_books(self) -> None:
        """Make ``.sitegen-deploy/`` if the listing found none."""
        if not self._books_there:
            self._mkdir(self.books)
            self._books_there = True

    def switch(self, release: str) -> None:
        temporary = f"{self.path}/{tmp_link_name(release)}"
        with self._step(_("switching current")):
            try:
                self.sftp.remove(temporary)  # ours, from a deploy stopped right here
            except FileNotFoundError:
                pass
            self.sftp.symlink(layout.current_target(release), temporary)
            try:
                self.sftp.posix_rename(temporary, f"{self.path}/{layout.CURRENT}")
            except OSError:  # a folder standing at current: left as it is, and no link beside it
                self.sftp.remove(temporary)
                raise

    def discard(self, releases: Sequence[str]) -> None:
        """Each release renamed at once, then every set-aside folder removed here and now,
        many requests at a time (``sftpsweep``): SFTP runs nothing in the background. Before
        an upload that frees what a deploy stopped by a full disk or a quota left, which the
        upload may need (the server's free space cannot tell: a quota is not in it); after the
        switch the site is live already. A removal cut short leaves set-aside folders, which
        the next deploy removes."""
        folder = f"{self.path}/{layout.RELEASES}"
        with self._step(_("removing old releases")):
            for release in releases:
                aside = f"{folder}/{layout.pruned_name(release)}"
                for where in (self.books, folder):  # (beside the folder: an older sitegen's)
                    try:  # the mark first: from then on it is no complete release, whatever happens next
                        self.sftp.remove(f"{where}/{layout.mark_name(release)}")
                    except FileNotFoundError:
                        pass
                try:
                    self.sftp.rename(self._release(release), aside)  # SFTP's own rename: never over a folder
                except FileNotFoundError:
                    continue
                except OSError:
                    if not self._exists(aside):
                        raise
                    self._remove([aside])  # only a clock turned back could leave one
                    self.sftp.rename(self._release(release), aside)
            entries = self.sftp.listdir_attr(folder)
            folders = {entry.filename for entry in entries if stat.S_ISDIR(entry.st_mode or 0)}
            try:
                books = self.sftp.listdir_attr(self.books)
            except FileNotFoundError:
                books = []
            now = time.time()
            for where, listed in ((self.books, books), (folder, entries)):
                for entry in listed:  # the marks and manifests of releases no longer there
                    owner, name = layout.bookkeeping_of(entry.filename), entry.filename
                    written = entry.st_mtime if entry.st_mtime is not None else now  # a server that gives none
                    if owner is not None and owner not in folders and (
                            layout.SENDING not in name or layout.stale(written, now)):
                        self.sftp.remove(f"{where}/{name}")
            self._remove([f"{folder}/{entry.filename}" for entry in entries if layout.is_pruned_name(entry.filename)])

    def remove_half_sent(self, releases: Sequence[str]) -> None:
        self.discard(releases)  # which removes everything before it returns
        with self._step(_("removing half-sent releases")):
            batch = Batch(self.sftp)
            for release in releases:
                path = f"{self.books}/{layout.sending_name(release)}"
                batch.request(path, CMD_REMOVE, path)
            for path, exc in sorted(batch.wait().items()):
                if exc.errno != errno.ENOENT:
                    raise OSError(exc.errno, exc.strerror or str(exc), path)

    def _exists(self, path: str) -> bool:
        try:
            self.sftp.lstat(path)
        except FileNotFoundError:
            return False
        return True

    def _remove(self, paths: Sequence[str]) -> None:
        folders: list[bytes] = []
        files: list[bytes] = []
        for path in paths:
            (folders if stat.S_ISDIR(self.sftp.lstat(path).st_mode or 0) else files).append(path.encode())
        sftpsweep.remove_trees(self.sftp, folders, files)

    def close(self) -> None:
        connection = self.client.get_transport()
        # On a connection that dropped, paramiko may still write its goodbye to the dead socket
        # (until its reader thread notices) and raise: there is nothing left to close then.
        if not self._interrupted:
            with contextlib.suppress(EOFError, OSError, paramiko.SSHException):
                self.sftp.close()
        self.client.close()  # says nothing to the server: it stops the thread and closes the socket
        if connection is not None:  # its thread gone: a build after ``pause`` may fork
            connection.join(10)


def _first_failure(errors: dict[str, OSError], folder: str) -> None:
    """Raise the first of a batch's ``errors``, whose keys are paths under ``folder``."""
    if errors:
        path, exc = min(errors.items())
        raise OSError(exc.errno, exc.strerror or str(exc), f"{folder}/{path}")
