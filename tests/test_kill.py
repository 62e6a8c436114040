"""SIGKILL at any moment of a build leaves the output folder byte for byte the old site or the
new one, never a mix, with and without --clean; the next build equals a clean build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import NOW, SMALL_CONFIG, article, run_process, write_site

RELEASES = 500
MOMENTS = 24  # kills, spread evenly over one whole build and a little past its end; every other one with --clean


def _write_version(site: Path, version: int) -> None:
    for i in range(RELEASES):
        (site / f"content/berita/rilis-{i:04d}.id.md").write_text(
            article(f"Rilis {i} versi {version}", date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+07:00",
                    tags=[f"topik-{i % 7}"], body=f"Isi {i} v{version}."), "utf-8")


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file and link of the served folder, with its bytes."""
    found: dict[str, bytes] = {}
    for dirpath, _, filenames in os.walk(out):
        for name in filenames:
            path = Path(dirpath) / name
            found[path.relative_to(out).as_posix()] = path.read_bytes()
    return found


def _command(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW, "--no-search",
            "--jobs", "2", *extra]


def _timed_build(site: Path, *extra: str) -> float:
    started = time.monotonic()
    done = subprocess.run(_command(site, *extra), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, bytes]]:
    """The complete output of each version, from clean builds."""
    base = tmp_path_factory.mktemp("kill")
    found = {}
    for version in (1, 2):
        site = write_site(base / f"v{version}", {})
        (site / "content/berita").mkdir()
        _write_version(site, version)
        _timed_build(site)
        found[version] = snapshot(site / "public")
    return found


def _moment(site: Path, kind: str, delay: float, started: float, live: int) -> bool:
    """Whether the build has reached the moment to kill it at."""
    if kind == "time":
        return time.monotonic() - started >= delay
    homes = list((site / ".sitegen-cache").glob("output-*"))
    if kind == "rendering":  # files being rendered into staging
        return any((home / "staging").is_dir() for home in homes)
    if kind == "updating":  # the previous generation being changed into the next
        return any(len(list(home.glob("slot-*.id"))) < 2 for home in homes)
    return os.stat(site / "public").st_ino != live  # "switched": the new generation just went live


KINDS = ["time", "rendering", "time", "updating", "time", "switched"]


def test_sigkill_at_any_moment_leaves_the_old_or_the_new_site(sites: dict[int, dict[str, bytes]],
                                                             tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {}, SMALL_CONFIG)
    (site / "content/berita").mkdir()
    _write_version(site, 1)
    _timed_build(site)
    _write_version(site, 2)
    whole = _timed_build(site)  # how long one build of a whole new version takes here
    seen = {"old": 0, "new": 0}
    version = 2
    for moment in range(MOMENTS):
        before = snapshot(site / "public")
        assert before in (sites[1], sites[2])
        version = 2 if before == sites[1] else 1  # always a build with everything to do
        extra = ("--clean",) if moment % 4 >= 2 else ()
        kind = KINDS[moment % len(KINDS)]
        live = os.stat(site / "public").st_ino
        _write_version(site, version)
        started = time.monotonic()
        proc = subprocess.Popen(_command(site, *extra), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        delay = whole * (moment + 0.5) / MOMENTS
        while proc.poll() is None and not _moment(site, kind, delay, started, live):
            time.sleep(0.002)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        now = snapshot(site / "public")
        if now == before:
            seen["old"] += 1
        else:
            assert now == sites[version], f"kill {moment} ({kind}): neither the old site nor the new one"
            seen["new"] += 1
    assert seen["old"] and seen["new"], seen  # the kills did land before and after the switch
    assert subprocess.run(_command(site), capture_output=True, timeout=300).returncode == 0
    assert snapshot(site / "public") == sites[version]
    # And the rollback target is whole too: putting it back gives a complete earlier site.
    result = run_process("rollback", "--site", site)
    assert result.code == 0, result.err
    assert snapshot(site / "public") in (sites[1], sites[2])


def test_sigterm_stops_a_build_as_ctrl_c_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit: a build sent SIGTERM (a scheduled job's time limit) ended on the spot with no word,
    where Ctrl-C says "stopped". It stops the same way, and the site it had stays."""
    from sitegen import oneshot
    from tests.conftest import run

    site = write_site(tmp_path / "site", {"content/berita/rilis.id.md": article("Rilis")})
    assert run("build", "--site", site, "--now", NOW, "--no-search").code == 0
    before = snapshot(site / "public")

    def terminated(*_args: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises here
        raise AssertionError("SIGTERM did not stop the build")

    monkeypatch.setattr(oneshot, "build_once", terminated)
    handler = signal.getsignal(signal.SIGTERM)
    result = run("build", "--site", site, "--now", NOW, "--no-search")
    assert result.code == 130 and result.err.strip() == "stopped", result
    assert snapshot(site / "public") == before
    assert signal.getsignal(signal.SIGTERM) == handler  # put back as it was
