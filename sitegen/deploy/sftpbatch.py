"""Many small SFTP requests in flight at once.

A redeploy over SFTP makes a folder and a hard link on the server for each file of the
site; waiting for each answer before sending the next request is then nearly all of its
time. SFTP numbers every request and lets a client send more before the first answer comes
back (paramiko's own read-ahead does so), so a ``Batch`` keeps up to ``WINDOW`` requests on
the way and collects the answers as they arrive, in whatever order.

It goes through paramiko's request and reply path (``_async_request``, ``_read_response``)
as paramiko's file read-ahead does: this object is the receiver of its replies. Nothing is
assumed about the order in which the server carries requests out, so the caller sends in one
batch only requests that do not depend on each other, and ``wait``s before the next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import paramiko
from paramiko.sftp import CMD_STATUS, SFTP_OP_UNSUPPORTED

from sitegen.messages import _

#: Requests on the way at once: their answers (a few dozen bytes each) stay far below the
#: channel's window, so neither side ever waits on the other's buffer.
WINDOW = 256


class EndOfList(OSError):
    """SFTP's end-of-file status: no more names in a folder being listed."""


class Unsupported(OSError):
    """SFTP's "operation unsupported" status: the server lacks the request (an extension),
    which paramiko turns into the same bare error as any failure."""


class Batch:
    def __init__(self, sftp: paramiko.SFTPClient) -> None:
        self._send: Callable[..., int] = sftp._async_request  # type: ignore[attr-defined]
        self._receive: Callable[[], Any] = sftp._read_response  # type: ignore[attr-defined]
        self._status: Callable[[paramiko.Message], None] = sftp._convert_status  # type: ignore[attr-defined]
        self._keys: dict[int, str] = {}
        self._failed: dict[str, OSError] = {}
        self._answers: dict[str, paramiko.Message] = {}

    def request(self, key: str, kind: int, *args: object) -> None:
        """Send one request; ``key`` names it among the failures ``wait`` returns (the first
        failure of the requests sent under one key)."""
        self._keys[self._send(self, kind, *args)] = key
        while len(self._keys) >= WINDOW:
            self._receive()

    def wait(self) -> dict[str, OSError]:
        """Every answer of the requests sent so far: key -> the error of each that failed."""
        answers, failed = self.gather()
        for key in answers:
            failed[key] = OSError(_("unexpected SFTP answer"))
        return failed

    def gather(self) -> tuple[dict[str, paramiko.Message], dict[str, OSError]]:
        """Every answer of the requests sent so far, for requests answered with data (a
        handle, names): key -> each such answer, and key -> the error of each that failed (an
        end of a folder's listing is an ``EndOfList`` there)."""
        while self._keys:
            self._receive()
        answers, self._answers = self._answers, {}
        failed, self._failed = self._failed, {}
        return answers, failed

    def _async_response(self, kind: int, message: paramiko.Message, number: int) -> None:
        """paramiko's call with the answer to one of our requests."""
        key = self._keys.pop(number)
        if kind != CMD_STATUS:
            self._answers[key] = message
            return
        start = message.packet.tell()
        code = message.get_int()
        message.packet.seek(start)
        try:
            self._status(message)
        except EOFError as exc:
            self._failed.setdefault(key, EndOfList(str(exc)))
        except OSError as exc:
            self._failed.setdefault(key, Unsupported(str(exc)) if code == SFTP_OP_UNSUPPORTED else exc)
