"""Issue 8: 'a corrupt cache silently falls back to a full build', also for the metadata-free
copies of static/ pictures; 'a sitegen version change' too, also for the search index."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import cachefiles
from sitegen.searchindex import pagefind_binary
from tests.conftest import NOW, article, need, photo_file, run
from tests.test_incremental import clean_build_of, digest
from tests.test_permissions import build_as_a_user


def _clean_copies(site: Path) -> list[Path]:
    copies = sorted(p for p in (site / ".sitegen-cache/images/clean").rglob("*") if p.is_file())
    assert copies
    return copies


def _site(make_site: Callable[..., Path]) -> Path:
    site = make_site({"content/berita/2024-05-30-a.id.md": article("Rapat", image="/images/rapat.jpg",
                                                                    image_alt="Peserta rapat")})
    (site / "static/images").mkdir(parents=True)
    (site / "static/images/rapat.jpg").write_bytes(photo_file(gps=True))
    (site / "static/images/denah.png").write_bytes(photo_file(fmt="PNG"))
    return site


@pytest.mark.parametrize("damage", ["emptied", "other bytes"])
def test_a_damaged_clean_copy_is_made_again_not_published(make_site: Callable[..., Path], tmp_path: Path,
                                                          damage: str) -> None:
    """A picture's metadata-free copy in the cache, emptied or overwritten, was published as
    it was (a 0-byte logo), exit 0, and stayed, --clean or not."""
    site = _site(make_site)
    assert run("build", "--site", site, "--now", NOW, "--no-search").code == 0
    for copy in _clean_copies(site):
        copy.write_bytes(b"" if damage == "emptied" else os.urandom(64))
    result = run("build", "--site", site, "--now", NOW, "--no-search", "--clean")
    assert result.code == 0 and "error" not in result.err, result.err
    assert digest(site / "public") == clean_build_of(site, tmp_path)
    assert (site / "public/images/rapat.jpg").read_bytes()[:2] == b"\xff\xd8"


def test_an_unreadable_clean_copy_is_made_again(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """One the user may not read stopped the build with 'permission denied' at a cache file."""
    site = _site(make_site)
    assert build_as_a_user(site).code == 0
    for copy in _clean_copies(site):
        copy.chmod(0)
    result = build_as_a_user(site, "--clean")
    assert result.code == 0 and "error" not in result.err, result.err
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_a_new_sitegen_makes_the_search_index_a_clean_build_makes(
        make_site: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundles' names hold their pages' source hashes, which hold sitegen's version: after
    an upgrade that changed no page, the index kept the old names (and 'nothing changed'
    after), unlike a clean build of the new version."""
    need(pagefind_binary() is not None, "Pagefind (pip install pagefind[bin])")
    site = make_site({f"content/berita/2024-05-{n:02d}-r{n}.id.md":
                      article(f"Rilis {n}", f"2024-05-{n:02d}T10:00:00+07:00", body=f"Isi rilis nomor {n}.")
                      for n in range(1, 4)})
    assert run("build", "--site", site, "--now", NOW).code == 0
    before = sorted(p.name for p in (site / "public/pagefind").iterdir())
    monkeypatch.setattr(cachefiles, "STAMP", (*cachefiles.STAMP[:-1], "a later sitegen"))
    assert run("build", "--site", site, "--now", NOW).code == 0
    assert sorted(p.name for p in (site / "public/pagefind").iterdir()) != before
    copy = tmp_path / "clean"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    assert run("build", "--site", copy, "--now", NOW).code == 0
    assert digest(site / "public") == digest(copy / "public")
