"""The build's own process renders beside its workers.

Forked workers share the build's objects until they read them (reading writes a reference
count, and the page that holds it is copied). With one worker fewer and the build's process
rendering too, a page read by every process is held twice, not three times. The workers
take the parts of the work from the front (the feeds, the sitemaps, the lists, which read
the whole site and keep what they share), the build's process from the back (the article
pages); the site is the same, byte for byte, as one process makes it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from sitegen import parallel, writer
from sitegen.build import build
from sitegen.options import Options
from tests.conftest import NOW, article


def _who(item: int) -> tuple[int, int]:
    time.sleep(0.005)  # long enough for the worker to be there while the parent works
    return item, os.getpid()


def test_the_workers_take_from_the_front_and_this_process_from_the_back() -> None:
    with parallel.fork_pool(1) as pool:
        done = list(pool.share(_who, list(range(40))))
    assert sorted(item for item, _pid in done) == list(range(40))
    here = [item for item, pid in done if pid == os.getpid()]
    there = {pid for _item, pid in done if pid != os.getpid()}
    workers = [item for item, pid in done if pid != os.getpid()]
    assert len(there) == 1
    assert 39 in here and 0 in workers  # each side's first item
    assert max(workers) < min(here)  # they met once, in the middle


_PARENT: list[int] = []


def _slow_here(item: int) -> tuple[int, int, float]:
    time.sleep(3.0 if os.getpid() in _PARENT else 0.01)  # seconds enough for a loaded machine's worker
    return item, os.getpid(), time.monotonic()


def test_a_worker_gets_its_next_item_while_this_process_is_busy() -> None:
    """Handed out as the worker's last item comes back, not only between two items of this
    process: while it spends seconds on one, the worker goes on through many."""
    _PARENT[:] = [os.getpid()]
    with parallel.fork_pool(1) as pool:
        done = list(pool.share(_slow_here, list(range(60))))
    _PARENT.clear()
    mine = min(at for _item, pid, at in done if pid == os.getpid())  # when this process's first item ended
    assert sum(1 for _item, pid, at in done if pid != os.getpid() and at < mine) >= 5


def test_in_one_process_every_item_is_done_in_order() -> None:
    assert list(parallel.InProcess().share(lambda item: item * 2, [1, 2, 3])) == [2, 4, 6]


_LOG: list[Path] = []
_RENDER = writer._render


def _render_and_say_who(indices: Sequence[int]) -> list[writer.Rendered]:
    done = _RENDER(indices)
    assert writer._JOB is not None
    with open(_LOG[0], "a", encoding="utf-8") as log:
        for item in done:
            output = writer._JOB.outputs[item[0]]
            log.write(f"{os.getpid()} {output.kind} {bool(output.source)} {output.path}\n")
    return done


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_parallel_build_renders_in_this_process_and_one_worker(make_site: Callable[..., Path], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"content/berita/2024-05-{n % 28 + 1:02d}-rapat-{n}.{lang}.md":
             article(f"Rapat {n} {lang}", date=f"2024-05-{n % 28 + 1:02d}T10:00:00+07:00", tags=[f"Topik {n % 5}"])
             for n in range(30) for lang in ("id", "en")}
    one = make_site(files, name="one")
    two = make_site(files, name="two")
    build(Options(site_dir=one, now=NOW, search=False, jobs=1))

    _LOG.append(tmp_path / "who.log")
    monkeypatch.setattr(writer, "PARALLEL_FROM", 10)  # so small a site is rendered in parallel
    monkeypatch.setattr(writer, "_render", _render_and_say_who)
    result = build(Options(site_dir=two, now=NOW, search=False, jobs=2))
    rows = [line.split() for line in _LOG[0].read_text("utf-8").splitlines()]
    _LOG.clear()

    assert result.written.total == len(rows) > 10
    assert sorted(row[3] for row in rows) == sorted(_files(one / "public").keys() - {".sitegen-output.json"})
    here = str(os.getpid())
    assert len({row[0] for row in rows}) == 2  # this process and one worker
    assert any(row[0] == here and row[1:3] == ["page", "True"] for row in rows), "the article pages, at the back"
    assert any(row[0] != here and row[1] == "feed" for row in rows), "the feeds, at the front"
    assert _files(two / "public") == _files(one / "public")


def test_a_parts_results_come_back_as_each_output_left_them() -> None:
    """A worker hands back a part's results as columns (writer._Part); read back, through
    the pipe's pickling, they are each output's own: index, what became of it, digest
    (none where it failed), problem and stat."""
    import pickle
    from array import array

    from sitegen.errors import Diagnostic

    failed = Diagnostic("content/x.id.md", 3, "broken")
    items: list[writer.Rendered] = [(5, writer.SAME, "a" * 32, None, (10, 1_700_000_000_123_456_789, 2**40)),
                                    (700, writer.STAGED, "", failed, (0, 0, 0)),
                                    (9, writer.HELD, "b" * 32, None, (0, 0, 0))]
    done, what, stats = array("q"), bytearray(), array("q")
    digests: list[str] = []
    problems = {}
    for at, (index, became, digest, problem, stat) in enumerate(items):
        if problem is not None:
            problems[at] = problem
        writer._land(done, what, digests, stats, index, became, digest or " " * 32, stat)
    part = writer._Part(done, bytes(what), "".join(digests), stats, problems)
    assert len(part) == 3
    assert list(pickle.loads(pickle.dumps(part))) == items
