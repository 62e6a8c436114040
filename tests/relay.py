"""A TCP relay on 127.0.0.1 in front of the tests' sshd, to fail the network between a deploy
and its server as networks fail, while the server itself runs on.

``cut`` forgets every connection open now, as a router, a firewall or a VPN that lost its state
forgets them, or a server that restarted: nothing more passes either way, nothing tells the
client, and its next bytes are answered with a reset. ``freeze``: the connections open now
stay open, and nothing more passes either way, with no word to either side (a server that hangs,
a link that stops carrying packets): the client learns of it only when its own timers give up.
``slow``: each piece of data waits that many seconds before it passes, on the connections open
now and later (a healthy link with a long way to go). ``refuse``: nothing listens any more (a
server that is down); ``close_new``: each new connection is closed as soon as it is made (a
server at its limit of connections, as sshd's MaxStartups closes them). Only the standard library; every thread ends
with ``close``.
"""

from __future__ import annotations

import select
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


def _reset(sock: socket.socket) -> None:
    """Close with a reset, not the usual end of a stream."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class _Link:
    def __init__(self, client: socket.socket, server: socket.socket) -> None:
        self.client, self.server = client, server
        self.cut = self.frozen = False


class Relay:
    def __init__(self, server_port: int) -> None:
        self.server_port = server_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.accepted = 0  # connections made, closed ones included
        self._links: list[_Link] = []
        self._close_new = self._closed = False
        self.delay = 0.0
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def cut(self) -> None:
        with self._lock:
            for link in self._links:
                link.cut = True

    def slow(self, seconds: float) -> None:
        self.delay = seconds

    def freeze(self) -> None:
        with self._lock:
            for link in self._links:
                link.frozen = True

    def refuse(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes accept(); nothing listens from now on
        self.listener.close()

    def close_new(self) -> None:
        self._close_new = True

    def close(self) -> None:
        self._closed = True
        if self.listener.fileno() != -1:
            self.refuse()
        for thread in self._threads:
            thread.join(5)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            if self._close_new:
                # The end of the stream, then the client's bytes read until it closes: closed at
                # once, with its banner unread, the kernel would answer it with a reset or an end
                # of stream depending on timing, and the client's words with it.
                client.shutdown(socket.SHUT_WR)
                drain = threading.Thread(target=self._drain, args=(client,), daemon=True)
                self._threads.append(drain)
                drain.start()
                continue
            link = _Link(client, socket.create_connection(("127.0.0.1", self.server_port)))
            with self._lock:
                self._links.append(link)
            pump = threading.Thread(target=self._pump, args=(link,), daemon=True)
            self._threads.append(pump)
            pump.start()

    def _drain(self, client: socket.socket) -> None:
        with client:
            try:
                while not self._closed:
                    if select.select([client], [], [], 0.1)[0] and not client.recv(65536):
                        return
            except OSError:
                return

    def _pump(self, link: _Link) -> None:
        client, server = link.client, link.server
        try:
            while not self._closed and not link.cut:
                if link.frozen:  # read nothing: what is sent waits in the buffers, unanswered
                    select.select([], [], [], 0.1)
                    continue
                for sock in select.select([client, server], [], [], 0.1)[0]:
                    data = sock.recv(65536)
                    if not data:
                        return
                    time.sleep(self.delay)
                    (server if sock is client else client).sendall(data)
            server.close()  # the server's side of a cut connection is gone too
            while not self._closed:
                if select.select([client], [], [], 0.1)[0]:
                    _reset(client)
                    return
        except OSError:
            return
        finally:
            for sock in (client, server):
                if sock.fileno() != -1:
                    sock.close()


@contextmanager
def relay(server_port: int) -> Iterator[Relay]:
    running = Relay(server_port)
    try:
        yield running
    finally:
        running.close()
