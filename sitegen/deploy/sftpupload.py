"""Writing files over SFTP, many at a time, every answer read.

A file by itself costs three round trips: its open (the handle comes back in the answer), its
writes, its close; on a link with a 10 ms round trip a deploy of small pages spent nearly all
its time waiting. So files travel in groups (up to ``_GROUP_FILES`` files, ``_GROUP_BYTES``
bytes): all of a group's opens at once; then, with the handles back, each file's writes, its
mode, its ``fsync`` and its close, all at once (SFTP carries out the requests on one file in
the order they were sent; ``sftpbatch`` keeps the number on the way bounded); then every
answer is read, the writes' and the close's too. Two round trips a group, not three a file,
and a group's files are open on the server together, never more than ``_GROUP_FILES``.

paramiko's own ``putfo`` drops the answers of its pipelined writes (unless a hundred are
waiting) and of a failed close, so a file the server could not write whole (a full disk, a
quota) counted as sent: cut short, it could go live. Here a failed request fails its file,
and of a group's failures the first file's (in the order sent) is the one raised, naming it.

Each file is forced to the server's disk before its close, with OpenSSH's
``fsync@openssh.com`` (rsync's transport runs ``sync`` on the server and ``file://`` syncs
before the completion mark; SFTP can only ask file by file). It rides with the writes, so it
costs no round trip; the server's disk pays a flush (a journal commit) per file. A server that
lacks the extension (it answers "unsupported") or whose administrator forbids it (OpenSSH's
``sftp-server -P fsync``: "permission denied") is not asked again, and its files are written
as before, unforced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import paramiko
from paramiko.sftp import (
    CMD_CLOSE,
    CMD_EXTENDED,
    CMD_FSETSTAT,
    CMD_OPEN,
    CMD_WRITE,
    SFTP_FLAG_CREATE,
    SFTP_FLAG_TRUNC,
    SFTP_FLAG_WRITE,
    int64,
)

from sitegen.deploy.sftpbatch import Batch, Unsupported

FSYNC = "fsync@openssh.com"  # OpenSSH's extension: fsync(handle) on the server
_NEW_FILE = SFTP_FLAG_WRITE | SFTP_FLAG_CREATE | SFTP_FLAG_TRUNC
_WRITE_SIZE = 32768  # the largest write every server takes (paramiko's own size)
_FILE_MODE = paramiko.SFTPAttributes()
_FILE_MODE.st_mode = 0o644  # the web server, another user, reads the files
#: Files open on the server at once: far below any server's limit on open files (OpenSSH's
#: server allows what its process may open, commonly 1024).
_GROUP_FILES = 64
#: A group's bytes, beyond which the next file starts a new group: progress moves at least
#: that often, and a large file travels in a group of its own.
_GROUP_BYTES = 2 * 1024 * 1024
#: A file's fsync answer is kept apart from its other answers under this key ("\0" is in no
#: path), so a server without the extension is told apart from a file that failed.
_SYNC = "\0" + FSYNC

#: What to write: a local file, or the bytes themselves (the manifest, the completion mark).
Source = Path | bytes


class Uploader:
    def __init__(self, sftp: paramiko.SFTPClient) -> None:
        self.sftp = sftp
        self.fsync = True  # until the server says it lacks the extension

    def put(self, files: Sequence[tuple[Source, str, int]], on_written: Callable[[int], None]) -> None:
        """Write each (source, remote path, size) on the server, a new file with mode 644;
        ``on_written(index)`` once each is written whole, in order. The first that fails
        raises ``OSError`` naming its remote path; the files after it may be written or not."""
        done = 0
        for group in _groups(files):
            self._group(group)
            for _ in group:
                on_written(done)
                done += 1

    def _group(self, group: Sequence[tuple[Source, str, int]]) -> None:
        batch = Batch(self.sftp)
        for _source, remote, _size in group:
            batch.request(remote, CMD_OPEN, remote, _NEW_FILE, _FILE_MODE)
        answers, failed = batch.gather()
        left_open = {remote: message.get_binary() for remote, message in answers.items()}
        try:
            if not failed:  # else the deploy stops at the first that failed: the others are only closed
                for source, remote, _size in group:
                    self._send(batch, left_open[remote], source, remote)
                    del left_open[remote]
        except Exception:
            _close(batch, left_open, failed)
            raise
        # Not after a Ctrl-C: it may have come halfway through reading an answer, and waiting
        # for the rest would wait for ever. The connection is dropped, the release left half
        # sent (the next deploy removes it).
        _close(batch, left_open, failed)
        for _source, remote, _size in group:
            exc = failed.get(remote) or self._sync_failure(failed.get(remote + _SYNC))
            if exc is not None:
                raise OSError(exc.errno, exc.strerror or str(exc), remote)

    def _send(self, batch: Batch, handle: bytes, source: Source, remote: str) -> None:
        """A file's writes, its mode, its fsync and its close, without waiting for an answer."""
        offset = 0
        for chunk in _chunks(source):
            batch.request(remote, CMD_WRITE, handle, int64(offset), chunk)
            offset += len(chunk)
        batch.request(remote, CMD_FSETSTAT, handle, _FILE_MODE)  # whatever the server's umask
        if self.fsync:
            batch.request(remote + _SYNC, CMD_EXTENDED, FSYNC, handle)
        batch.request(remote, CMD_CLOSE, handle)

    def _sync_failure(self, exc: OSError | None) -> OSError | None:
        """A failed fsync fails its file (the disk could not take it: full, or an I/O error),
        unless the server lacks or forbids the extension: then it is asked no more."""
        if isinstance(exc, Unsupported | PermissionError):
            self.fsync = False
            return None
        return exc


def _close(batch: Batch, left_open: dict[str, bytes], failed: dict[str, OSError]) -> None:
    """Close the files still open and read every answer; the failures join ``failed``."""
    for remote, handle in left_open.items():
        batch.request(remote, CMD_CLOSE, handle)
    for key, error in batch.wait().items():
        failed.setdefault(key, error)


def _groups(files: Sequence[tuple[Source, str, int]]) -> Iterator[Sequence[tuple[Source, str, int]]]:
    start = size = 0
    for end, (_source, _remote, file_size) in enumerate(files):
        if end > start and (end - start == _GROUP_FILES or size + file_size > _GROUP_BYTES):
            yield files[start:end]
            start, size = end, 0
        size += file_size
    if start < len(files):
        yield files[start:]


def _chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for offset in range(0, len(source), _WRITE_SIZE):
            yield source[offset:offset + _WRITE_SIZE]
        return
    with source.open("rb") as handle:
        while chunk := handle.read(_WRITE_SIZE):
            yield chunk
