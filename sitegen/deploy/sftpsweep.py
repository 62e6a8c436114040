"""Removing set-aside releases over SFTP, many requests at a time.

SFTP has no "remove this tree" and an SFTP-only account no shell: every file and folder is a
request of ours, and a folder's names must be read before its files can go. So the trees
are walked a level at a time, all of a level's folders opened, read and closed together
(``sftpbatch``), their files removed in one batch, and the folders removed deepest level
first at the end. Names come with ``lstat``'s attributes (OpenSSH's server reads them so): a
symbolic link is removed, never followed. Paths are bytes, so a name in no encoding at all
is removed like any other.
"""

from __future__ import annotations

import errno
import stat
from collections.abc import Sequence

import paramiko
from paramiko.sftp import CMD_CLOSE, CMD_OPENDIR, CMD_READDIR, CMD_REMOVE, CMD_RMDIR

from sitegen.deploy.sftpbatch import Batch, EndOfList

#: Folders listed at once: their handles stay open on the server until the level is read.
_FOLDERS_AT_ONCE = 1024


def remove_trees(sftp: paramiko.SFTPClient, folders: Sequence[bytes], files: Sequence[bytes] = ()) -> None:
    """Delete ``files`` and each of ``folders`` with everything in it. What cannot be removed
    (a read-only folder) does not stop the rest: everything else goes, then the first failure
    is raised."""
    batch = Batch(sftp)
    failures: dict[str, OSError] = {}
    _each(batch, CMD_REMOVE, files, failures)
    levels: list[list[bytes]] = []
    level = list(folders)
    while level:
        levels.append(level)
        below: list[bytes] = []
        for start in range(0, len(level), _FOLDERS_AT_ONCE):
            in_level: list[bytes] = []  # all these folders' files in one batch: a site's pages are a folder each
            for folder, names in _list(batch, level[start:start + _FOLDERS_AT_ONCE], failures).items():
                below += [folder + b"/" + name for name, is_folder in names if is_folder]
                in_level += [folder + b"/" + name for name, is_folder in names if not is_folder]
            _each(batch, CMD_REMOVE, in_level, failures)
        level = below
    for level in reversed(levels):
        # A folder left holding what could not be removed fails too: only the first cause is said.
        _each(batch, CMD_RMDIR, [folder for folder in level if not _holds_failure(folder, failures)], failures)
    if failures:
        key, exc = min(failures.items())
        raise OSError(exc.errno, exc.strerror or str(exc), key)


def _key(path: bytes) -> str:
    return path.decode("utf-8", "surrogateescape")


def _holds_failure(folder: bytes, failures: dict[str, OSError]) -> bool:
    inside = _key(folder) + "/"
    return any(key.startswith(inside) for key in failures)


def _each(batch: Batch, kind: int, paths: Sequence[bytes], failures: dict[str, OSError]) -> None:
    """One request per path, all at once; a path already gone is no failure."""
    for path in paths:
        batch.request(_key(path), kind, path)
    _keep(batch.wait(), failures)


def _keep(failed: dict[str, OSError], failures: dict[str, OSError]) -> None:
    failures.update((key, exc) for key, exc in failed.items()
                    if exc.errno != errno.ENOENT and not isinstance(exc, FileNotFoundError | EndOfList))


def _list(batch: Batch, folders: Sequence[bytes],
          failures: dict[str, OSError]) -> dict[bytes, list[tuple[bytes, bool]]]:
    """Each folder's names (``.`` and ``..`` left out) and whether each is a folder itself;
    a folder that cannot be read is left out, its failure kept."""
    paths = {_key(folder): folder for folder in folders}
    for key, folder in paths.items():
        batch.request(key, CMD_OPENDIR, folder)
    answers, failed = batch.gather()
    _keep(failed, failures)
    handles = {key: message.get_binary() for key, message in answers.items()}
    listing: dict[bytes, list[tuple[bytes, bool]]] = {paths[key]: [] for key in handles}
    reading = dict(handles)
    try:
        while reading:
            for key, handle in reading.items():
                batch.request(key, CMD_READDIR, handle)
            answers, failed = batch.gather()
            _keep(failed, failures)
            for key, message in answers.items():
                for _ in range(message.get_int()):
                    name, _long = message.get_binary(), message.get_binary()
                    attributes = paramiko.SFTPAttributes._from_msg(message)  # type: ignore[attr-defined]
                    if name not in (b".", b".."):
                        listing[paths[key]].append((name, stat.S_ISDIR(attributes.st_mode or 0)))
            reading = {key: reading[key] for key in answers}  # the others reached their end
    finally:
        for key, handle in handles.items():
            batch.request(key, CMD_CLOSE, handle)
        batch.wait()
    return listing
