"""A client for Pagefind's indexing service (``pagefind --service``).

Pagefind builds a search index from pages it is handed one by one, and gives the bundle's
files back in memory: sitegen hands it the text it already has instead of letting it crawl
the written site. The service reads requests from stdin and answers on stdout, each message
being base64-encoded JSON followed by a comma. Pagefind's own Python wrapper sleeps 0.1 s
before reading each answer, a tenth of a second per page; this client writes every request
of a batch from a thread while it reads the answers, so the service is never kept waiting.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sitegen.messages import _


class PagefindError(Exception):
    """The service could not be started, stopped answering, or refused a request."""


class Service:
    """One running ``pagefind --service`` process; close() (or ``with``) ends it."""

    def __init__(self, binary: Path) -> None:
        try:
            # In a session of its own: the terminal's Ctrl-C, meant for sitegen, would end it
            # too, and serve and watch finish the index once stopped. It ends with sitegen's
            # end all the same: its requests come on a pipe that then closes.
            self._proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                          start_new_session=True)
        except OSError as exc:
            raise PagefindError(str(exc)) from None
        self._next_id = 0
        self._buffer = bytearray()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        proc = self._proc
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def index(self, pages: Iterable[tuple[str, str]]) -> dict[str, bytes]:
        """A complete bundle for ``(url, html)`` pages: its files by relative path."""
        index_id = self.request([{"type": "NewIndex", "config": None}])[0]["index_id"]
        self.request([{"type": "AddFile", "index_id": index_id, "url": url, "file_path": None,
                       "file_contents": html} for url, html in pages])
        files = self.request([{"type": "GetFiles", "index_id": index_id}])[0]["files"]
        self.request([{"type": "DeleteIndex", "index_id": index_id}])  # frees the service's memory
        return {str(f["path"]): base64.b64decode(f["content"]) for f in files}

    def request(self, payloads: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send every payload, then return their answers in the same order."""
        first = self._next_id + 1
        self._next_id += len(payloads)
        failed: list[BaseException] = []

        def send() -> None:
            stdin = self._proc.stdin
            assert stdin is not None
            try:
                for number, payload in enumerate(payloads, first):
                    message = json.dumps({"message_id": number, "payload": payload})
                    stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                stdin.flush()
            except (OSError, ValueError) as exc:  # the service died; the reader says so too
                failed.append(exc)

        writer = threading.Thread(target=send, name="pagefind-requests", daemon=True)
        writer.start()
        answers: dict[int, dict[str, Any]] = {}
        try:
            while len(answers) < len(payloads):
                message = self._read()
                answers[int(message.get("message_id") or 0)] = message["payload"]
        finally:
            writer.join()
        if failed:
            raise PagefindError(str(failed[0]))
        out = []
        for number in range(first, first + len(payloads)):
            payload = answers.get(number)
            if payload is None or payload.get("type") == "Error":
                detail = payload.get("message") if payload else "no answer"
                raise PagefindError(str(detail))
            out.append(payload)
        return out

    def _read(self) -> dict[str, Any]:
        stdout = self._proc.stdout
        assert stdout is not None
        searched = 0
        while True:
            end = self._buffer.find(b",", searched)
            if end >= 0:
                raw = bytes(self._buffer[:end])
                del self._buffer[:end + 1]
                try:
                    message = json.loads(base64.b64decode(raw))
                except ValueError as exc:
                    raise PagefindError(_("unreadable answer ({reason})").format(reason=exc)) from None
                if not isinstance(message, dict) or not isinstance(message.get("payload"), dict):
                    raise PagefindError(_("unreadable answer"))
                return message
            searched = len(self._buffer)
            chunk = stdout.read1(1 << 20)  # type: ignore[attr-defined]  # a BufferedReader
            if not chunk:
                raise PagefindError(_("the service stopped"))
            self._buffer += chunk
