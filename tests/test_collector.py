"""sitegen.collector: the garbage collector's tuning changes when objects are walked, never
what a build makes."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.build import Options, State, build
from sitegen.collector import kept_as_made
from sitegen.parallel import fork_pool

NOW = "2026-01-01T00:00:00+07:00"


class _Made:
    """A tracked object of our own, easy to find among the collector's generations."""


@pytest.fixture(autouse=True)
def collector_as_found() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def _generation_of(obj: object) -> int | None:
    for generation in range(3):
        if any(o is obj for o in gc.get_objects(generation=generation)):
            return generation
    return None


def test_what_is_made_goes_to_the_oldest_generation_and_collection_resumes() -> None:
    gc.enable()
    with kept_as_made():
        assert not gc.isenabled()
        made = _Made()
        assert _generation_of(made) == 0
    assert gc.isenabled()
    assert _generation_of(made) == 2
    assert gc.get_freeze_count() == 0  # nothing is left frozen (a watch could not collect it)


def test_garbage_made_meanwhile_is_collected_by_a_full_collection() -> None:
    gc.enable()
    with kept_as_made():
        cycle: list[object] = []
        cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1


def test_a_failure_inside_restores_the_collector_as_it_was() -> None:
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        with pytest.raises(ValueError), kept_as_made():
            raise ValueError("template broken")
        assert gc.isenabled() is enabled


def _collecting(_: int) -> bool:
    return gc.isenabled()


def test_workers_collect_even_when_forked_from_a_build_that_does_not() -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system")
    with kept_as_made(), fork_pool(2) as pool:
        assert all(pool.map(_collecting, range(4)))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_one_shot_build_makes_the_same_files_as_a_collected_one(bundled_site: Path, tmp_path: Path) -> None:
    """State(once=True) (sitegen build) skips the collector while making the model and the
    plan; the site it writes is byte for byte the one a watch's build writes."""
    outputs = {}
    for once in (True, False):
        out = tmp_path / f"out-{once}"
        result = build(Options(site_dir=bundled_site, now=NOW, search=False, jobs=2, output=out), State(once=once))
        assert result.written.total > 50
        outputs[once] = _files(out)
        assert len(outputs[once]) > 50
    assert outputs[True] == outputs[False]


_EXIT = """
import atexit, gc
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))  # runs after those below
from sitegen.collector import collect_rarely
collect_rarely()
collect_rarely()  # a second build in the same process
print("frozen before:", gc.get_freeze_count() > 0)
"""


def test_a_building_process_spares_its_last_collection() -> None:
    """What the build made is frozen as the process ends, so the interpreter's last
    collection does not walk it; the command line has no part in it."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _EXIT], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["frozen before: False", "frozen at exit: True"], done.stdout
