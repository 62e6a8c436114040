"""One build at a time per site: builds started together wait for each other (saying so) or
give up with a clear message, never crash, and the output ends as a clean build's."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import NOW, article

ROUNDS, AT_ONCE = 5, 3


def _command(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW, "--no-search", *extra]


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _write(site: Path, round_: int) -> None:
    for i in range(12):
        (site / f"content/berita/rilis-{i:02d}.id.md").write_text(
            article(f"Rilis {i} putaran {round_}", date=f"2024-05-{1 + i:02d}T10:00:00+07:00", tags=[f"t{i % 3}"]),
            "utf-8")


def test_three_builds_at_once_each_succeed_or_refuse_clearly(make_site: Callable[..., Path],
                                                            tmp_path: Path) -> None:
    site = make_site({})
    (site / "content/berita").mkdir(parents=True)
    for round_ in range(ROUNDS):
        _write(site, round_)
        extra = [("--clean",) if (round_ + n) % 3 == 0 else () for n in range(AT_ONCE)]
        procs = [subprocess.Popen(_command(site, *more), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for more in extra]
        for proc in procs:
            out, err = proc.communicate(timeout=600)
            assert "Traceback" not in err, err
            assert proc.returncode in (0, 2), err
            if proc.returncode == 2:
                assert "another sitegen build of this site" in err, err
            else:
                assert "built " in out
    copy = tmp_path / "clean"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    assert subprocess.run(_command(copy), capture_output=True, timeout=600).returncode == 0
    assert snapshot(site / "public") == snapshot(copy / "public")


@pytest.mark.parametrize("built", [False, True], ids=["first build", "nothing changed since the last"])
def test_a_second_build_waits_for_the_first_and_says_so(built: bool, make_site: Callable[..., Path]) -> None:
    """Also when nothing changed since the last build: the shortcut took no lock, and answered
    "nothing changed" while the other build went on to publish another site."""
    site = make_site({"content/berita/a.id.md": article("Rapat")})
    if built:
        assert subprocess.run(_command(site), capture_output=True, timeout=600).returncode == 0
    (site / ".sitegen-cache").mkdir(exist_ok=True)
    with open(site / ".sitegen-cache/build.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running build holds it
        held.truncate(0)
        held.write(f"{os.getpid()}\n")
        held.flush()
        proc = subprocess.Popen(_command(site), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        first = proc.stderr.readline()  # printed while it waits; the build has not begun
        assert f"waiting for another sitegen build of this site (process {os.getpid()})" in first
        assert proc.poll() is None and (site / "public").exists() == built
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert (site / "public/index.html").is_file()


def test_a_build_that_waited_too_long_gives_up_clearly(make_site: Callable[..., Path]) -> None:
    from sitegen import lock
    from sitegen.errors import UsageError

    site = make_site({"content/berita/a.id.md": article("Rapat")})
    folder = site / ".sitegen-cache"
    folder.mkdir()
    said: list[str] = []
    with lock.build_lock(folder):
        (folder / "build.lock").write_text("1\n", "utf-8")  # as another process would hold it
        try:
            with lock.build_lock(folder, wait=0.3, say=said.append):
                raise AssertionError("two builds held the lock")
        except UsageError as exc:
            (problem,) = exc.diagnostics
            assert exc.exit_code == 2
            assert problem.format().startswith(f"{folder / 'build.lock'}: error: another sitegen build of this site")
            assert "wait for it to finish" in problem.format()
    assert said == ["waiting for another sitegen build of this site (process 1) to finish ..."]
