"""An SFTP service for the deploy tests: OpenSSH's sftp-server behind a relay that writes down
every request it passes on, and can turn chosen answers into failures.

    python sftpproxy.py LOG --server SFTP-SERVER [--fail-close GLOB] [--deny REQUEST]

sshd runs it as its SFTP subsystem (``tests.sshd.sshd(..., sftp_server=...)``). Each request
the client sends is one line of LOG, in the order sent: ``open PATH w`` (``r``: to read),
``write PATH``,
``fsetstat PATH``, ``close PATH`` (a handle is named by the path it was opened with),
``fsync@openssh.com PATH``, ``posix-rename@openssh.com OLD NEW``, or the request's number. A
close of a file matching ``--fail-close`` is carried out, but answered with SFTP's bare
"Failure", as a server whose file system reports an error on close (NFS, a quota) answers.
``--deny fsync`` is sftp-server's ``-P fsync``: a server whose administrator forbids that request.
Only the standard library: sshd starts it with any Python.
"""

from __future__ import annotations

import argparse
import fnmatch
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import BinaryIO

OPEN, CLOSE, WRITE, FSETSTAT, EXTENDED = 3, 4, 6, 10, 200
STATUS, HANDLE = 101, 102
FAILURE = 4
WRITE_FLAG = 0x2  # SSH_FXF_WRITE
NAMES = {OPEN: "open", CLOSE: "close", WRITE: "write", FSETSTAT: "fsetstat"}


def packets(stream: BinaryIO) -> Iterator[bytes]:
    """Each whole packet (its length included) until the stream ends."""
    while True:
        head = stream.read(4)
        if len(head) < 4:
            return
        body = stream.read(struct.unpack(">I", head)[0])
        yield head + body


def string(packet: bytes, at: int) -> tuple[bytes, int]:
    size = struct.unpack(">I", packet[at:at + 4])[0]
    return packet[at + 4:at + 4 + size], at + 4 + size


class Relay:
    def __init__(self, log: BinaryIO, fail_close: str | None) -> None:
        self.log, self.fail_close = log, fail_close
        self.opening: dict[bytes, bytes] = {}  # request id -> path, until the handle comes back
        self.paths: dict[bytes, bytes] = {}  # handle -> path
        self.failing: set[bytes] = set()  # request ids whose answer becomes a failure
        self.lock = threading.Lock()

    def request(self, packet: bytes) -> None:
        kind, number = packet[4], packet[5:9]
        if kind == OPEN:
            path, at = string(packet, 9)
            with self.lock:
                self.opening[number] = path
            words = [b"open", path, b"w" if struct.unpack(">I", packet[at:at + 4])[0] & WRITE_FLAG else b"r"]
        elif kind in NAMES:
            handle, _ = string(packet, 9)
            with self.lock:
                path = self.paths.get(handle, b"?")
                if kind == CLOSE and self.fail_close and fnmatch.fnmatch(path.decode("utf-8", "replace"),
                                                                         self.fail_close):
                    self.failing.add(number)
            words = [NAMES[kind].encode(), path]
        elif kind == EXTENDED:
            name, at = string(packet, 9)
            first, at = string(packet, at)
            with self.lock:
                words = [name, self.paths.get(first, first)]
            if name != b"fsync@openssh.com" and at < len(packet):
                words.append(string(packet, at)[0])
        else:
            words = [str(kind).encode()]
        self.log.write(b" ".join(words) + b"\n")
        self.log.flush()

    def answer(self, packet: bytes) -> bytes:
        kind, number = packet[4], packet[5:9]
        with self.lock:
            if kind == HANDLE and number in self.opening:
                self.paths[string(packet, 9)[0]] = self.opening.pop(number)
            if kind == STATUS and number in self.failing:
                self.failing.discard(number)
                text = b"Failure"
                body = bytes([STATUS]) + number + struct.pack(">I", FAILURE) + struct.pack(">I", len(text)) + text \
                    + struct.pack(">I", 0)
                return struct.pack(">I", len(body)) + body
        return packet


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--server", required=True)
    parser.add_argument("--fail-close")
    parser.add_argument("--deny")
    args = parser.parse_args()
    command = [args.server, *(["-P", args.deny] if args.deny else [])]
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert server.stdin and server.stdout
    client_in, client_out = sys.stdin.buffer, sys.stdout.buffer
    with open(args.log, "ab") as log:
        relay = Relay(log, args.fail_close)

        def upstream() -> None:
            assert server.stdin
            for number, packet in enumerate(packets(client_in)):
                if number:  # the first is the version exchange, no request
                    relay.request(packet)
                server.stdin.write(packet)
                server.stdin.flush()
            server.stdin.close()

        threading.Thread(target=upstream, daemon=True).start()
        for number, packet in enumerate(packets(server.stdout)):
            client_out.write(relay.answer(packet) if number else packet)
            client_out.flush()
    return server.wait()


if __name__ == "__main__":
    raise SystemExit(main())
