"""What workers inherit and send: they are forked from a process that has given its freed
memory back, read the sources they parse themselves, and the entries they parse share the
values many entries hold alike."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import parallel
from sitegen.build import Options, build
from sitegen.config import load_config
from sitegen.content import entry_cache, parse_all
from sitegen.content.discover import discover
from sitegen.content.parse_file import parse_file
from sitegen.errors import Report
from tests.conftest import article, interrupt_another_thread


def _resident_mb() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") >> 20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads /proc (Linux)")
def test_freed_memory_goes_back_to_the_system() -> None:
    # Source files as a parse reads them: many small buffers, a few of which stay alive, so
    # the freed ones are holes in the heap rather than its end.
    buffers = [bytes(4000 + n % 7) for n in range(60_000)]
    kept = buffers[::20]
    del buffers
    before = _resident_mb()
    if not parallel.give_back_freed_memory():
        pytest.skip("the C library has no malloc_trim (not glibc)")
    assert _resident_mb() < before - 100, "about 225 MB were freed"
    assert all(len(b) >= 4000 for b in kept)


def test_the_pool_is_forked_after_giving_freed_memory_back(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(parallel, "give_back_freed_memory", lambda: calls.append("given back") or True)
    with parallel.fork_pool(2) as pool:
        calls.append("forked")
        assert pool.map(abs, [-1, -2]) == [1, 2]
    assert calls == ["given back", "forked"]


def test_a_parallel_cold_parse_reads_the_sources_in_the_workers(make_site: Callable[..., Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent of a parallel parse reads no file new to the cache: holding every source of a
    large site while its workers parse them doubled its memory. A file parsed before is read
    by the parent, which parses it again only if its bytes changed."""
    files = {f"content/berita/2024-05-{n % 28 + 1:02d}-rapat-{n}.id.md":
             article(f"Rapat {n}", date=f"2024-05-{n % 28 + 1:02d}T10:00:00+07:00") for n in range(70)}
    site = make_site(files)
    read_here: list[str] = []
    reading = parse_all.read_files

    def read_files(paths: list[str]) -> list[bytes | OSError]:
        if os.getpid() == parent:
            read_here.extend(paths)
        return reading(paths)

    parent = os.getpid()
    monkeypatch.setattr(parse_all, "read_files", read_files)
    options = Options(site_dir=site, now="2024-06-01T00:00:00+07:00", search=False, jobs=2)
    result = build(options)
    assert len(result.prepared.site.entries()) == 70
    assert read_here == []
    touched, edited = sorted(files)[:2]
    os.utime(site / touched, ns=(1, 1))  # the same bytes, another time
    (site / edited).write_text(article("Rapat diubah", date="2024-05-01T10:00:00+07:00"), "utf-8")
    again = build(options)
    assert sorted(read_here) == sorted(str(site / rel) for rel in (touched, edited))
    assert "Rapat diubah" in {entry.title for entry in again.prepared.site.entries()}


def test_parse_results_carry_each_shared_value_once(make_site: Callable[..., Path]) -> None:
    """Entries parsed in one process share their section, language, tags and front matter
    lines, so a worker's batch pickles each once; the values are those written."""
    site = make_site({f"content/berita/2024-05-{day:02d}-rapat.id.md":
                      article(f"Rapat {day}", date=f"2024-05-{day:02d}T10:00:00+07:00",
                              tags=["Satu Data", "Banjir"]) for day in (1, 2, 3)})
    config = load_config(site, {})
    sources = discover(site, config, Report())
    entries = [made[0] for src in sources if (made := parse_file(src, site, config, Report())) is not None]
    assert len(entries) == 3
    first, *others = entries
    for other in others:
        assert other.section is first.section and other.lang is first.lang
        assert other.tags == ("Satu Data", "Banjir")
        assert all(a is b for a, b in zip(other.tags, first.tags, strict=True))
        assert other.lines is first.lines and other.lines["title"] == 2
    batch = pickle.loads(pickle.dumps(entries))
    assert batch == entries and batch[1].lines is batch[0].lines and batch[2].section is batch[0].section


_ORPHAN = """
import sys, time
from pathlib import Path
from sitegen.parallel import Forked

def work() -> None:
    import os
    Path(sys.argv[1]).write_text(str(os.getpid()))
    time.sleep(60)

child = Forked(work)
time.sleep(60)
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="the kernel's parent-death signal (Linux)")
def test_a_forked_child_dies_with_the_build_that_forked_it(tmp_path: Path) -> None:
    """A killed build leaves no child behind holding its lock or writing into its folders."""
    import signal
    import subprocess
    import sys
    import time

    pid_file = tmp_path / "child.pid"
    build = subprocess.Popen([sys.executable, "-c", _ORPHAN, str(pid_file)])
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline and build.poll() is None
            time.sleep(0.05)
        child = int(pid_file.read_text())
        os.kill(child, 0)  # running
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while _alive(child):
            assert time.monotonic() < deadline, "the child outlived the build"
            time.sleep(0.05)
    finally:
        build.kill()


def test_a_worker_whose_build_died_before_it_started_ends_at_once() -> None:
    """A worker is told which process to die with, not left to read it from getppid() as it
    starts: a build killed between forking a worker and the worker's start left the worker
    adopted by another process, which then passed for its build, and it outlived the build."""
    import select
    import time

    reader, writer = os.pipe()
    build = os.fork()
    if build == 0:  # the build: forks its worker, then is gone before the worker starts
        me = os.getpid()
        if os.fork() == 0:  # the worker
            os.close(reader)
            deadline = time.monotonic() + 30
            while os.getppid() == me and time.monotonic() < deadline:
                time.sleep(0.01)
            try:
                parallel._start_worker(me)
            except SystemExit as exc:
                os.write(writer, f"ended {exc.code}".encode())
                os._exit(0)
            except BaseException as exc:  # noqa: BLE001 - said to the test, which fails on it
                os.write(writer, repr(exc).encode())
                os._exit(0)
            os.write(writer, b"started")
            os._exit(0)
        os._exit(0)
    os.close(writer)
    os.waitpid(build, 0)
    said = b""
    while select.select([reader], [], [], 30)[0]:
        chunk = os.read(reader, 100)
        if not chunk:
            break
        said += chunk
    os.close(reader)
    assert said == b"ended 1"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ")[-1][0] != "Z"  # a zombie waits for init to reap it: gone
    except FileNotFoundError:
        return False


_FAILING = """
import sys
from sitegen.parallel import Forked

def work() -> int:
    raise RuntimeError("the disk went away")

print("before the fork", end="")  # still in the buffer when the child starts
assert Forked(work).result() is None
assert Forked(sum, (1, 2, 3)).result() == 6
print(" and after")
"""


def test_a_child_that_fails_answers_none_without_a_traceback() -> None:
    """The parent does the work itself; the user sees no traceback from the child, and
    nothing the parent printed before the fork is printed twice."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _FAILING], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == "before the fork and after\n"


def _files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_that_cannot_start_workers_does_their_work_itself(make_site: Callable[..., Path],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """No process to spare (fork fails on a loaded server): the parse and the render run in
    the build's own process, slower but to the same site, and nothing is reported missing."""
    import errno
    import multiprocessing

    from sitegen import writer

    files = {f"content/berita/2024-05-{n % 28 + 1:02d}-rapat-{n}.id.md":
             article(f"Rapat {n}", date=f"2024-05-{n % 28 + 1:02d}T10:00:00+07:00", body=f"Isi rapat {n}.")
             for n in range(70)}
    alone, refused = make_site(files, name="alone"), make_site(files, name="refused")
    now = "2024-06-01T00:00:00+07:00"
    build(Options(site_dir=alone, now=now, search=False, jobs=1))

    class NoProcesses:
        def Pool(self, *args: object, **kwargs: object) -> None:  # noqa: N802 - multiprocessing's name
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    asked: list[str | None] = []
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: asked.append(method) or NoProcesses())
    monkeypatch.setattr(writer, "PARALLEL_FROM", 1)
    result = build(Options(site_dir=refused, now=now, search=False, jobs=2))
    assert asked.count("fork") >= 2  # the parse and the render both tried
    assert len(result.prepared.site.entries()) == 70 and not result.warnings
    assert _files_of(refused / "public") == _files_of(alone / "public")


_WAITING = """
import sys, time
from sitegen.parallel import fork_pool

def slow(n: int) -> int:
    time.sleep(90)
    return n

try:
    with fork_pool(2) as pool:
        print("waiting", flush=True)
        if sys.argv[1] == "map":
            pool.map(slow, [1, 2])
        else:
            list(pool.share(slow, [1, 2]))
except KeyboardInterrupt:
    print("stopped", flush=True)
    sys.exit(130)
"""


@pytest.mark.parametrize("how", ["map", "share"])
def test_ctrl_c_stops_a_build_waiting_for_its_workers(how: str) -> None:
    """The kernel may hand Ctrl-C to one of the pool's own threads; Python runs the handler
    only in the main thread, which was asleep until the workers finished (a whole parse of a
    large site). kill() with a thread's id hands the signal to that thread."""
    import subprocess
    import sys
    import time

    build = subprocess.Popen([sys.executable, "-c", _WAITING, how], stdout=subprocess.PIPE, text=True)
    try:
        assert build.stdout is not None and build.stdout.readline() == "waiting\n"
        time.sleep(0.5)  # the main thread is waiting for the workers' answers by now
        interrupt_another_thread(build.pid)  # one of the pool's own threads
        assert build.wait(timeout=20) == 130
        assert build.stdout.read() == "stopped\n"
    finally:
        build.kill()
        build.wait()


_STARTED_AND_STOPPED = """
import sys
from sitegen.parallel import fork_pool
from sitegen.watch import until_interrupted

def pools() -> None:
    for _ in range(int(sys.argv[1])):
        with fork_pool(2):
            pass  # stopped before its workers may have run at all
    print("done", flush=True)

until_interrupted(pools)  # serve's and watch's own SIGTERM handler, inherited by each fork
"""


def test_serve_stops_a_pool_it_has_only_just_started() -> None:
    """The pool stops its workers with SIGTERM. A worker that inherited serve's handler and
    was sent the signal before Python had finished starting it in that process dropped it,
    and the pool then waited for that worker forever (a photo or two to make, done before
    the second worker ran: serve hung at its first build). Without the fix this loop hung
    in five runs of six of 300 pools and in six of six of 1,000."""
    import subprocess
    import sys

    loop = subprocess.Popen([sys.executable, "-c", _STARTED_AND_STOPPED, "1000"], stdout=subprocess.PIPE, text=True)
    try:
        out, _ = loop.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        loop.kill()
        loop.wait()
        pytest.fail("a pool stopped right after it started never finished stopping")
    assert loop.returncode == 0 and out == "done\n"


def _sigterm_as_a_worker_has_it(_: int) -> tuple[bool, bool]:
    """Whether SIGTERM ends this process as it comes (no handler), and whether it is blocked."""
    import signal

    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, ())  # adds nothing: reads the mask
    return signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, signal.SIGTERM in blocked


def test_a_worker_takes_sigterm_as_the_end_whatever_handler_it_inherited() -> None:
    import signal

    def handler(signum: int, frame: object) -> None:
        raise AssertionError("not called")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        with parallel.fork_pool(2) as pool:
            assert isinstance(pool, parallel.Workers)
            seen = pool.map(_sigterm_as_a_worker_has_it, [0, 1], chunksize=1)
        assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, ())  # the parent's as before
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen == [(True, False), (True, False)]


_KILLED_PARENT = """
import os, sys, time
from sitegen import parallel

def work(n):
    time.sleep(60)

with parallel.fork_pool(2) as workers:
    inner = workers._pool
    inner.map_async(work, [0, 1], chunksize=1)
    time.sleep(0.5)
    print(" ".join(str(p.pid) for p in inner._pool), flush=True)
    time.sleep(60)
"""


def test_workers_end_with_a_build_killed_outright(tmp_path: Path) -> None:
    """SIGKILL to the build alone: its pool's workers go too, and print nothing."""
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-c", _KILLED_PARENT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=Path(parallel.__file__).parent.parent)
    assert proc.stdout is not None
    workers = [int(pid) for pid in proc.stdout.readline().split()]
    assert len(workers) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)
    assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"  # a zombie has ended
    except OSError:
        return False


def test_one_process_parses_many_files_a_part_at_a_time(make_site: Callable[..., Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """With one process (--jobs 1, a one-core machine), a large parse reads the sources a part
    at a time and stores each part's texts as a worker would: neither every source nor every
    text of a large site is held at once."""
    files = {f"content/berita/2024-05-{n % 28 + 1:02d}-rapat-{n}.id.md":
             article(f"Rapat {n}", date=f"2024-05-{n % 28 + 1:02d}T10:00:00+07:00", body=f"Isi rapat {n}.")
             for n in range(70)}
    site = make_site(files)
    batches: list[int] = []
    reading = parse_all.read_files

    def read_files(paths: list[str]) -> list[bytes | OSError]:
        batches.append(len(paths))
        return reading(paths)

    monkeypatch.setattr(parse_all, "read_files", read_files)
    texts = entry_cache.texts_of(site)
    entries, _parsed, _changes = parse_all.parse_all(site, load_config(site, {}), Report(), {}, 1, texts)
    assert len(entries) == 70 and sum(batches) == 70 and max(batches) < 70
    assert texts.store is not None
    for entry in entries:  # already in the store, before the build saves anything
        assert f"Isi rapat {entry.title.split()[-1]}." in texts.store.get(entry.body_key).html
