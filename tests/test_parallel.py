"""sitegen.parallel: workers are forked from a process that has given its freed memory back."""

from __future__ import annotations

import os

import pytest

from sitegen import parallel


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
