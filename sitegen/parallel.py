"""Worker processes: a pool for the two CPU-bound stages (Markdown conversion and rendering),
and forked children for work beside the build (sitegen.ondisk, sitegen.searchindex); all of
them ``multiprocessing`` processes started by fork."""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from queue import Empty, SimpleQueue
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # multiprocessing is imported only by builds that fork
    from multiprocessing.pool import Pool


def _start_worker(build: int) -> None:
    # Ctrl-C is the parent's to handle: it stops the pool; workers must not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The pool stops its workers with SIGTERM. A worker is born with it blocked (fork_pool),
    # and takes it only once it would end the worker, whatever handler it inherited.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    # A build killed outright (SIGKILL) takes its workers with it, as its other children:
    # none is left to write into its folders or to print the broken pool's traceback. Its pid
    # comes from the build: one killed before this worker got here is not getppid() any more.
    _die_with(build)
    gc.enable()  # forked while the parent makes its model without collecting (collector.kept_as_made)


T = TypeVar("T")
R = TypeVar("R")


class InProcess:
    """The pool's interface, working in this process: for small builds, which do not pay
    for forking, and for builds that cannot fork (no process to spare on a loaded server)."""

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def map(self, func: Callable[[T], R], items: Iterable[T], chunksize: int | None = None) -> list[R]:
        return [func(item) for item in items]

    def share(self, func: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        return map(func, items)


#: seconds: how often a main thread waiting for workers looks for a signal to handle
_WAKE = 0.25


class Workers:
    """A pool of forked workers whose results are waited for a little at a time.

    The kernel may hand Ctrl-C to any thread of the process, the pool's own included;
    Python then runs the handler in the main thread when that thread next runs. Waiting
    without a limit, the main thread slept through Ctrl-C until the workers were done: a
    whole parse of a large site."""

    def __init__(self, pool: Pool, size: int) -> None:
        self._pool = pool
        self._size = size

    def map(self, func: Callable[[T], R], items: Iterable[T], chunksize: int | None = None) -> list[R]:
        result = self._pool.map_async(func, items, chunksize)
        while not result.ready():
            result.wait(_WAKE)
        return result.get()

    def share(self, func: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """``func`` of each item, in the order they are done, this process doing its share:
        the workers take items from the front, this process from the back, until they meet.

        A worker copies each page of the inherited objects it reads (reading an object
        writes its reference count), and so does this process once a worker shares the
        page; with one worker fewer, the pages both read are held twice, not three times.
        Items at the back should read the least of what the others read (the article pages,
        sitegen.writer._parts).

        A worker's next item is handed to it as its last one comes back (in the pool's
        thread), not when this process is between two of its own: a worker never waits."""
        left = deque(items)
        lock = threading.Lock()
        landed: SimpleQueue[tuple[R] | BaseException] = SimpleQueue()

        def hand_out() -> None:  # with the lock held
            if left:
                try:
                    self._pool.apply_async(func, (left.popleft(),), callback=done, error_callback=landed.put)
                except ValueError:  # the pool was stopped: this process failed, and is leaving
                    pass

        def done(result: R) -> None:
            landed.put((result,))
            with lock:
                hand_out()

        with lock:
            for _ in range(2 * self._size):  # each worker has its next item at hand
                hand_out()
        for _ in range(len(items)):
            with lock:
                mine = left.pop() if left else None
            if mine is not None:
                yield func(mine)
                continue
            while True:
                try:
                    outcome = landed.get(timeout=_WAKE)
                    break
                except Empty:
                    continue
            if isinstance(outcome, BaseException):
                raise outcome
            yield outcome[0]


class Beside(Generic[R]):
    """``function(*args)`` in a thread of its own, for work that waits on something else (the
    disk, the network, another program) while this thread goes on; :meth:`result` waits for
    it a little at a time (see :class:`Workers`) and raises what it raised.

    A daemon thread, not an executor's: Python waits for an executor's threads when it
    exits, so Ctrl-C would end the process only once the work was done."""

    def __init__(self, function: Callable[..., R], *args: object, name: str = "sitegen") -> None:
        self._outcome: tuple[R] | BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function, args), name=name, daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., R], args: tuple[object, ...]) -> None:
        try:
            self._outcome = (function(*args),)
        except BaseException as exc:  # noqa: BLE001 - raised again by result(), in the thread that waits
            self._outcome = exc

    def wait(self) -> None:
        """Until the work has ended, however it ended."""
        while self._thread.is_alive():
            self._thread.join(_WAKE)

    def result(self) -> R:
        self.wait()
        outcome = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None
        return outcome[0]


@contextmanager
def fork_pool(jobs: int) -> Iterator[Workers | InProcess]:
    """Forked workers inherit the parsed site and outputs instead of receiving them pickled.

    The inherited objects are frozen first: the garbage collector never scans frozen
    objects, so a worker's collections do not walk (and copy, page by page) the whole
    inherited site, which made large builds much slower. They are unfrozen afterwards so a
    long-running serve can still collect them. Freed memory goes back to the system first.
    When no worker can be started, the work is done in this process: slower, not failed.
    """
    from multiprocessing import get_context

    gc.freeze()
    give_back_freed_memory()
    try:
        try:
            pool: Pool | None = _start_pool(get_context("fork").Pool, jobs)
        except OSError:
            pool = None
        if pool is None:
            yield InProcess()
        else:
            with pool:
                yield Workers(pool, jobs)
    finally:
        gc.unfreeze()


def _start_pool(make: Callable[..., Pool], jobs: int) -> Pool:
    """A pool whose workers are forked with SIGTERM blocked (their initializer unblocks it).

    serve and watch handle SIGTERM in Python, and a forked child inherits that handler. A
    signal that reaches a child before Python has finished starting it there is dropped:
    the pool, stopped right after it forked a worker (a map done before that worker ran),
    then waited forever for a worker that never saw its SIGTERM. Blocked, the signal waits
    for the worker to be ready. The pool's own threads, started here too, keep it blocked;
    the process's handler runs in its main thread, as Python's always does."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        return make(jobs, initializer=_start_worker, initargs=(os.getpid(),))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def give_back_freed_memory() -> bool:
    """Hand the memory this process has freed back to the system (glibc's ``malloc_trim``);
    False where the C library has no such call.

    Freed memory stays in the process for reuse: after a large site's parse, the sources
    read and the results received leave much of the heap free. Forked workers inherit it,
    and both it and their own copies of what they write into it count against the machine.
    benchmarks/README.md has what it saves."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library this interpreter runs on
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to do
        return False
    trim(0)
    return True


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when ``parent`` dies (Linux): a build that is killed
    takes its children with it, so none holds the build's lock (an inherited descriptor) or
    writes into its folders afterwards."""
    import ctypes

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the child ends when its work does
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        raise SystemExit(1)


def _answer(parent: int, pipe: int, other_end: int, function: Callable[..., object], args: tuple[object, ...]) -> None:
    """In the child: ``function(*args)``, pickled into ``pipe``. A failure ends the child with
    status 1 and no traceback: the parent, reading nothing, does the work itself."""
    import pickle

    os.close(other_end)
    try:
        _die_with(parent)
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001 - whatever it was, the parent copes without the answer
        raise SystemExit(1) from None


def may_fork(jobs: int) -> bool:
    """Whether work may go to a forked child (:class:`Forked`): more than one process is
    allowed, the system forks, and no other thread runs (one may hold a lock the child
    would wait for forever: serve's and watch's rebuilds run in threads)."""
    return jobs > 1 and hasattr(os, "fork") and threading.active_count() == 1


class Forked:
    """A function running in a forked child; its pickled result is read when wanted.

    For work that needs nothing but files and can run while this process does something
    else: the child inherits the process as it is at the fork, so it is started early (while
    the process is small: each page the parent writes afterwards is copied once) and only
    where forking is safe (:func:`may_fork`).
    Any failure in the child, no answer within ``wait`` seconds, or a result that cannot be
    read is a result of None; the caller then does the work itself.

    The child is a ``multiprocessing`` process, like the pool's workers: it leaves without
    the parent's clean-up (exit handlers, locks' files), which belongs to the parent.
    """

    def __init__(self, function: Callable[..., object], *args: object) -> None:
        from multiprocessing import get_context

        reader, writer = os.pipe()
        self._child = get_context("fork").Process(target=_answer, args=(os.getpid(), writer, reader, function, args),
                                                  daemon=True)
        try:
            self._child.start()
        except BaseException:
            os.close(reader)
            raise
        finally:
            os.close(writer)
        self._reader: int | None = reader
        self.pid = self._child.pid

    def result(self, wait: float = 60.0) -> object | None:
        """The function's return value (waits for the child), or None if it failed."""
        import pickle
        import select
        import time

        reader = self._reader
        if reader is None:
            return None
        deadline = time.monotonic() + wait
        chunks = []
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([reader], [], [], left)[0]:
                    self.cancel()  # a child that hangs is stopped, and the caller checks itself
                    return None
                chunk = os.read(reader, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
            return pickle.loads(b"".join(chunks)) if chunks else None
        except Exception:  # noqa: BLE001 - whatever went wrong, the caller does the work itself
            return None
        finally:
            if self._reader is not None:
                os.close(self._reader)
                self._reader = None
                self._reap()

    def cancel(self) -> None:
        """Stop the child if its result is no longer wanted."""
        if self._reader is None:
            return
        self._child.kill()
        os.close(self._reader)
        self._reader = None
        self._reap()

    def _reap(self) -> None:
        self._child.join()
        self._child.close()
