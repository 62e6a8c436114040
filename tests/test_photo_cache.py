"""A photo's versions lost or damaged in .sitegen-cache/ are made again, never published
broken: the README says a damaged cache only makes the next build slower."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.conftest import article, build, photo_file


def _published(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "public/images").iterdir())}


def test_lost_or_damaged_versions_in_the_cache_are_made_again(make_site: Callable[..., Path]) -> None:
    files = {"static/images/rapat.jpg": photo_file(1700, 1000),
             "content/berita/a.md": article("Rapat", image="/images/rapat.jpg", image_alt="Peserta rapat")}
    site = make_site(files)
    assert build(site, "--no-search").code == 0
    expected = _published(site)
    (versions,) = [p for p in (site / ".sitegen-cache/images/sets").glob("*/*") if p.is_dir()]
    named = sorted(p for p in versions.iterdir() if not p.name.startswith("."))
    assert len(named) >= 3, named
    named[0].write_bytes(b"")  # cut to nothing
    named[1].unlink()  # lost
    named[2].write_bytes(os.urandom(named[2].stat().st_size))  # overwritten with as many other bytes
    for attempt in range(2):  # and once more: the set made again is kept
        result = build(site, "--no-search", "--clean")
        assert result.code == 0, result.err
        assert _published(site) == expected, attempt
    shutil.rmtree(site / "public")
    assert build(site, "--no-search").code == 0 and _published(site) == expected


def test_a_version_lost_from_the_cache_keeps_its_size_in_the_feeds(make_site: Callable[..., Path]) -> None:
    """Audit: with one version deleted from the cache, a --clean build published feeds whose
    enclosure and media:content had lost the photo's size (0 bytes said, so left out), and
    kept them so: the size of a version lost since its set was made is read from it made again."""
    files = {"static/images/rapat.jpg": photo_file(1700, 1000),
             "content/berita/a.md": article("Rapat", image="/images/rapat.jpg", image_alt="Peserta rapat")}
    site = make_site(files)
    assert build(site, "--no-search").code == 0
    feeds = {name: (site / "public" / name).read_bytes() for name in ("feed.xml", "atom.xml", "feed.json")}
    assert b'length="' in feeds["feed.xml"]
    (versions,) = [p for p in (site / ".sitegen-cache/images/sets").glob("*/*") if p.is_dir()]
    for version in versions.iterdir():
        if not version.name.startswith("."):
            version.unlink()
    result = build(site, "--no-search", "--clean")
    assert result.code == 0, result.err
    assert {name: (site / "public" / name).read_bytes() for name in feeds} == feeds
