"""Time the SFTP transport's upload of many small files against a real OpenSSH server.

    python benchmarks/sftp_upload.py [--files 600] [--delay-ms 5] [--runs 3] [--no-fsync]

Makes ``--files`` files of 2-12 KB, each in a folder of its own as a site's pages are, starts
sshd on 127.0.0.1 (tests/sshd.py), and times ``SftpTransport.upload`` of all of them into an
empty target, then ``finish`` (the manifest and the completion mark), then ``discard`` of that
release (renamed, then deleted entry by entry), each run into a new target folder.
``--delay-ms`` adds that delay each way (twice it per round trip) by relaying the connection
through a TCP relay in this process, so nothing else on the machine is slowed (loopback has
no delay of its own to speak of). ``--disk DIR`` puts the targets on another file system, to
see what forcing the files to disk costs there; ``--no-fsync`` does not force them.

Run it with ``PYTHONPATH`` naming another checkout to time that checkout's transport. Needs
root (sshd logs in as the current user with a key made here). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if os.environ.get("PYTHONPATH"):  # the checkout it names is timed; this one's tests/sshd.py serves
    sys.path.append(str(REPO))
else:
    sys.path.insert(0, str(REPO))

from sitegen.deploy.endpoint import parse_url  # noqa: E402
from sitegen.deploy.plan import make_plan  # noqa: E402
from sitegen.deploy.sftp import SftpTransport  # noqa: E402
from sitegen.deploy.snapshot import FileInfo, Snapshot  # noqa: E402
from tests.sshd import missing, sshd  # noqa: E402


def make_files(root: Path, count: int) -> Snapshot:
    files = {}
    for number in range(count):
        rel = f"berita/{number // 20:03d}/rilis-{number}/index.html"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = os.urandom(2000 + (number * 7919) % 10000)
        path.write_bytes(data)
        files[rel] = FileInfo(f"{number:032x}", len(data))
    return Snapshot(root, files)


class Relay:
    """A TCP relay on 127.0.0.1 that holds every chunk ``delay`` seconds, in order, each way."""

    def __init__(self, port: int, delay: float) -> None:
        self.port, self.delay = port, delay
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        self.listening = 0
        threading.Thread(target=self._run, args=(started,), daemon=True).start()
        started.wait()

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.listening = server.sockets[0].getsockname()[1]
        started.set()
        self.loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        except ConnectionError:  # one side closed first: the run is over
            up_writer.close()
            writer.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def send() -> None:
            while True:
                due, chunk = await queue.get()
                if not chunk:
                    writer.close()
                    return
                await asyncio.sleep(max(0.0, due - self.loop.time()))
                writer.write(chunk)
                try:
                    await writer.drain()
                except ConnectionError:  # the other side closed first: the run is over
                    return

        sending = asyncio.ensure_future(send())
        while chunk := await reader.read(65536):
            queue.put_nowait((self.loop.time() + self.delay, chunk))
        queue.put_nowait((0.0, b""))
        await sending


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="added each way (a round trip: twice)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--disk", type=Path, help="a folder for the targets (default: the work folder)")
    parser.add_argument("--no-fsync", action="store_true", help="do not force the files to the server's disk")
    args = parser.parse_args()
    reason = missing()
    if reason:
        raise SystemExit(f"needs {reason}")
    work = Path(tempfile.mkdtemp(prefix="sitegen-sftp-bench-"))
    disk = Path(tempfile.mkdtemp(prefix="sitegen-sftp-bench-", dir=args.disk)) if args.disk else work / "targets"
    try:
        snapshot = make_files(work / "out", args.files)
        plan = make_plan(snapshot.files, {})
        with sshd(work / "sshd") as server:
            port = server.port
            known = server.known_hosts
            if args.delay_ms:
                relay = Relay(server.port, args.delay_ms / 1000)
                port = relay.listening
                known = work / "known_hosts_relay"
                known.write_text(f"[127.0.0.1]:{port} {server.host_public}\n")
            upload_s, finish_s, remove_s = [], [], []
            for run in range(args.runs):
                target = disk / f"target-{run}"
                target.mkdir(parents=True)
                endpoint = parse_url(f"ssh://root@127.0.0.1:{port}{target}")
                transport = SftpTransport("bench", endpoint, known, server.client_key, False)
                uploader = getattr(transport, "uploader", None)  # a checkout that forces files to disk
                if uploader is not None and args.no_fsync:
                    uploader.fsync = False
                try:
                    release = f"2026010{run + 1}T000000Z"
                    started = time.perf_counter()
                    sent = transport.upload(release, None, plan, snapshot, lambda files, size: None)
                    upload_s.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    transport.finish(release, b"{}")
                    finish_s.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    try:
                        transport.discard([release])
                    except TypeError:  # a checkout from before SFTP removed set-aside releases at once
                        transport.discard([release], after_switch=True)  # type: ignore[call-arg]
                    remove_s.append(time.perf_counter() - started)
                    forced = "yes" if uploader is not None and uploader.fsync else "no"
                finally:
                    transport.close()
                assert sent.files == args.files, sent
        size = sum(info.size for info in snapshot.files.values())
        upload = statistics.median(upload_s)
        print(f"SFTP upload of {args.files} files ({size / 1e6:.1f} MB), {args.delay_ms:g} ms added each way, "
              f"forced to disk: {forced}, median of {args.runs} runs\n")
        print("| step | seconds | ms per file |\n|---|---:|---:|")
        print(f"| upload | {upload:.3f} | {upload * 1000 / args.files:.2f} |")
        print(f"| finish (manifest, mark) | {statistics.median(finish_s):.3f} | |")
        remove = statistics.median(remove_s)
        print(f"| remove the release (set aside, then deleted) | {remove:.3f} | {remove * 1000 / args.files:.2f} |")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.disk:
            shutil.rmtree(disk, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
