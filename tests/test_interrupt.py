"""An interrupted build (Ctrl-C or kill -9 halfway) never leaves a half-written file: every page
is either the previous good version or the new one, and the next build finishes the job."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import html5lib
import pytest

from tests.conftest import NOW, SMALL_CONFIG, article, run_process, write_site

ARTICLES = 700  # a little over two thousand output files
STAGING = ".sitegen-staging"
MARKER = ".sitegen-output.json"


def _article(i: int, version: int) -> str:
    return article(f"Rilis {i} versi {version}", date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+07:00",
                   tags=[f"topik-{i % 30}"], body=f"Paragraf isi rilis {i}, versi {version}.\n\n" * 4)


def _write_version(site: Path, version: int) -> None:
    for i in range(ARTICLES):
        (site / f"content/berita/rilis-{i:04d}.id.md").write_text(_article(i, version), "utf-8")


def _html(out: Path) -> dict[str, bytes]:
    """Every HTML file being served (the staging folder is not linked from anywhere)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")
            if STAGING not in p.parts}


def _build_command(site: Path) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW, "--jobs", "2"]


@dataclass(frozen=True)
class Versions:
    old_site: Path  # built once at version 1
    old: dict[str, bytes]
    new: dict[str, bytes]  # what a complete build of version 2 writes


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Versions:
    base = tmp_path_factory.mktemp("interrupt")
    old_site = write_site(base / "v1", {}, SMALL_CONFIG.replace("paginate: 5", "paginate: 10"))
    (old_site / "content/berita").mkdir(parents=True)
    _write_version(old_site, 1)
    assert run_process("build", "--site", old_site, "--now", NOW, timeout=600).code == 0
    new_site = base / "v2"
    shutil.copytree(old_site, new_site, symlinks=True)
    _write_version(new_site, 2)
    assert run_process("build", "--site", new_site, "--now", NOW, timeout=600).code == 0
    return Versions(old_site, _html(old_site / "public"), _html(new_site / "public"))


def _when_rendering(out: Path) -> bool:
    staging = out / STAGING
    return staging.is_dir() and sum(1 for _ in staging.rglob("*.html")) >= 20


def _when_replacing(out: Path) -> bool:
    """The newest releases are moved into place first; once one of them is new, renaming is under way."""
    pages = [out / f"berita/2024/rilis-{i:04d}/index.html" for i in range(ARTICLES) if i % 12 == 11][:40]
    return any(b"versi 2" in page.read_bytes() for page in pages if page.is_file())


def _interrupt(site: Path, sig: signal.Signals, ready: Callable[[Path], bool]) -> subprocess.CompletedProcess[str]:
    """Start a build and send ``sig`` to its whole process group (as Ctrl-C does) once ``ready``."""
    proc = subprocess.Popen(_build_command(site), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        while proc.poll() is None and not ready(site / "public"):
            time.sleep(0.002)
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _assert_every_page_whole(out: Path, versions: Versions) -> int:
    """Each served page is byte for byte the old or the new version; returns how many are new."""
    now = _html(out)
    assert set(now) <= set(versions.old) | set(versions.new)
    assert set(versions.old) <= set(now), "a page of the previous build went missing"
    newer = 0
    for rel, data in now.items():
        assert data in (versions.old.get(rel), versions.new.get(rel)), f"{rel} is half-written"
        newer += data != versions.old.get(rel)
    for rel in list(now)[:: max(1, len(now) // 50)]:
        parser = html5lib.HTMLParser(namespaceHTMLElements=False)
        parser.parse(now[rel])
        assert not parser.errors, rel
    return newer


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "sigkill"])
@pytest.mark.parametrize("phase", [_when_rendering, _when_replacing], ids=["rendering", "replacing"])
def test_interrupted_build_leaves_whole_pages(sig: signal.Signals, phase: Callable[[Path], bool],
                                              versions: Versions, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(versions.old_site, site, symlinks=True)
    _write_version(site, 2)
    result = _interrupt(site, sig, phase)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    if sig == signal.SIGINT and result.returncode != 0:
        assert result.returncode == 130
        assert result.stderr.strip().splitlines()[-1] == "stopped"
    newer = _assert_every_page_whole(site / "public", versions)
    if phase is _when_rendering and result.returncode != 0:  # stopped before anything was replaced
        assert newer == 0, "pages were replaced before every page had rendered"

    if sig == signal.SIGKILL and phase is _when_replacing:  # the harshest case: the next build finishes the job
        again = run_process(*_build_command(site)[3:], timeout=600)
        assert again.code == 0, again.err
        assert _html(site / "public") == versions.new
        assert not (site / "public" / STAGING).exists()


def test_going_back_after_an_interrupted_build(versions: Versions, tmp_path: Path) -> None:
    """Interrupted while replacing, then the edit is undone: the old pages must come back,
    even those that the interrupted build had already replaced."""
    site = tmp_path / "site"
    shutil.copytree(versions.old_site, site, symlinks=True)
    _write_version(site, 2)
    _interrupt(site, signal.SIGKILL, _when_replacing)
    pending = site / "public" / (MARKER + ".pending")
    assert pending.is_file()  # the pages being replaced, listed before the first was moved
    _write_version(site, 1)
    again = run_process(*_build_command(site)[3:], timeout=600)
    assert again.code == 0, again.err
    assert _html(site / "public") == versions.old
    assert not pending.exists()
