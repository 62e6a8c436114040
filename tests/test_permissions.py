"""Files and folders whose permissions stand in sitegen's way, met as a user meets them: root
(CI) may write anywhere, so these builds run without root's permission override."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import NOW, Run, article, need
from tests.test_generations import clean_build_of
from tests.test_safety import snapshot

A = "content/berita/a.id.md"
B = "content/berita/b.id.md"


def as_a_user(*args: str | Path) -> Run:
    """``python -m sitegen ...`` subject to file permissions, as every user but root is."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        need(shutil.which("setpriv"), "running without root's permission override needs setpriv (util-linux)")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    proc = subprocess.run([*prefix, sys.executable, "-m", "sitegen", *map(str, args)], capture_output=True,
                          text=True, timeout=120, check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def build_as_a_user(site: Path, *extra: str) -> Run:
    return as_a_user("build", "--site", site, "--now", NOW, "--no-search", *extra)


def read_only(folder: Path) -> None:
    """``chmod -R a-w folder``, as someone protecting the published site might."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)


def test_a_folder_made_read_only_in_the_output_does_not_stop_later_builds(make_site: Callable[..., Path],
                                                                          tmp_path: Path) -> None:
    """A read-only folder in the output: the next build published a writable one in its place
    and kept the read-only one in the previous generation, and from then on every build
    failed, --clean too, naming 'atom.xml' or the output folder, whose permissions were
    fine, until the cache was deleted by hand."""
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    assert build_as_a_user(site).code == 0
    hand = site / "public/berita/catatan"
    hand.mkdir()
    (hand / "baca.txt").write_text("catatan", "utf-8")
    read_only(site / "public/berita")
    for turn, extra in enumerate(((), (), ("--clean",), (), ())):
        (site / A).write_text(article(f"Rapat ke-{turn}"), "utf-8")
        if turn == 3:
            (site / "public/berita/catatan/baru.txt").write_text("baru", "utf-8")
        result = build_as_a_user(site, *extra)
        assert result.code == 0, (turn, result.err)
        assert "Traceback" not in result.err
    published = snapshot(site / "public")
    assert published["berita/catatan/baru.txt"] == b"baru"
    assert {path: data for path, data in published.items() if "catatan" not in path} == \
        clean_build_of(site, tmp_path)
    result = as_a_user("rollback", "--site", site)
    assert result.code == 0, result.err
    assert b"Rapat ke-3" in (site / "public/berita/2024/a/index.html").read_bytes()


def test_a_static_file_that_cannot_be_read_is_named_with_the_systems_words(make_site: Callable[..., Path]) -> None:
    """It was reported as a template error of 'templates', in Python's words
    ("[Errno 13] Permission denied: ...")."""
    site = make_site({A: article("Rapat"), "static/files/surat.pdf": b"%PDF-1.4"})
    assert build_as_a_user(site).code == 0
    before = snapshot(site / "public")
    secret = site / "static/files/rahasia.pdf"
    secret.write_bytes(b"%PDF-1.4 rahasia")
    secret.chmod(0)
    result = build_as_a_user(site)
    assert result.code == 1, result.err
    assert result.err.splitlines() == [
        "static/files/rahasia.pdf: error: permission denied (check who may read and write this path (ls -l), or "
        "run sitegen as that user)", "1 error"]
    assert snapshot(site / "public") == before


@pytest.mark.parametrize("folder", ["content", "content/berita", "static", "static/files"])
def test_a_folder_of_sources_that_cannot_be_read_stops_the_build(make_site: Callable[..., Path],
                                                                  folder: str) -> None:
    """As a content file that cannot be read does (README): a content folder was skipped with
    a warning, and the build published the site without its releases, exit 0 (content/
    itself: the site emptied); a static folder was skipped without a word."""
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua"),
                      "content/pages/tentang.id.md": article("Tentang", date=""),
                      "static/files/surat.pdf": b"%PDF-1.4"})
    assert build_as_a_user(site).code == 0
    before = snapshot(site / "public")
    (site / A).write_text(article("Rapat diubah"), "utf-8")  # so that the build does not stop early
    (site / folder).chmod(0)
    try:
        result = build_as_a_user(site)
    finally:
        (site / folder).chmod(0o755)
    assert result.code == 1, result.err
    assert result.err.splitlines() == [
        f"{folder}: error: this folder cannot be read (Permission denied) (give the folder read permission, "
        "or move its files out)", "1 error"]
    assert snapshot(site / "public") == before


def test_deploy_stops_when_it_cannot_read_its_books_instead_of_taking_releases_for_half_sent(
        tmp_path: Path) -> None:
    """A second account deploying to a target whose ``.sitegen-deploy/`` it may not read (made
    by another account under a strict umask): no completion mark could be read, so every
    release but the live one was taken for a half-sent one and removed."""
    from tests.conftest import write_site
    from tests.test_deploy import articles, file_url, target_config

    remote = tmp_path / "www"
    site = write_site(tmp_path / "site", articles(2), target_config(file_url(remote), keep=5))
    for turn in range(2):
        (site / "content/berita/rilis-0.id.md").write_text(article("Rilis nomor 0", body=f"Putaran {turn}."), "utf-8")
        result = as_a_user("deploy", "--site", site)
        assert result.code == 0, result.err
    before = sorted(os.listdir(remote / "releases"))
    assert len(before) == 2
    (remote / ".sitegen-deploy").chmod(0o300)  # writable, not readable: no mark can be listed or read
    (site / "content/berita/rilis-0.id.md").write_text(article("Rilis nomor 0", body="Putaran 2."), "utf-8")
    try:
        result = as_a_user("deploy", "--site", site)
        status = as_a_user("deploy", "--site", site, "--status")
    finally:
        (remote / ".sitegen-deploy").chmod(0o755)
    assert result.code != 0 and ".sitegen-deploy" in result.err and "Traceback" not in result.err, result.err
    assert status.code != 0 and ".sitegen-deploy" in status.err, status.err
    assert sorted(os.listdir(remote / "releases")) == before


def test_the_system_s_words_are_said_in_indonesian(make_site: Callable[..., Path]) -> None:
    """With ui_language: id, a folder that cannot be read says why in Indonesian too, not
    "(Permission denied)" inside an Indonesian line."""
    from tests.conftest import SMALL_CONFIG

    site = make_site({A: article("Rapat")}, config=SMALL_CONFIG + "ui_language: id\n")
    (site / "content/berita").chmod(0)
    try:
        result = build_as_a_user(site)
    finally:
        (site / "content/berita").chmod(0o755)
    assert result.code == 1, result.err
    first = result.err.splitlines()[0]
    assert first.startswith("content/berita: error: ") and "(izin ditolak)" in first, first
    assert "Permission" not in result.err


def test_a_read_only_site_with_nothing_to_do_says_so_in_any_language_and_spelling(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The README: on a read-only site folder 'a build with nothing to do still says "nothing
    changed"'. It did only when run exactly as the last build: in another language (the
    shortcut keeps the warnings as worded) or with --site spelled otherwise it tried a build,
    which could not write: exit 2."""
    site = make_site({A: article("Rapat")})
    assert build_as_a_user(site).code == 0  # LC_ALL=C.UTF-8: English
    read_only(site)
    try:
        monkeypatch.setenv("LC_ALL", "id_ID.UTF-8")
        again = build_as_a_user(site)
        assert again.code == 0 and again.out.rstrip().endswith("tidak ada yang berubah"), again.out + again.err
        monkeypatch.setenv("LC_ALL", "C.UTF-8")
        monkeypatch.chdir(site.parent)
        spelled = build_as_a_user(Path(site.name))
        assert spelled.code == 0 and spelled.out.rstrip().endswith("nothing changed"), spelled.out + spelled.err
    finally:
        for path in [site, *site.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
