"""Sources are read many at a time (the kernel fetches the next files while one is read):
the same bytes in the same order as reading them one by one, errors in their place, no
file left open, and a file that cannot be read is a clear error, not a traceback."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import uptodate
from sitegen.build import Options, State, build
from sitegen.content import readahead
from sitegen.content.discover import Listing
from sitegen.errors import SiteError
from tests.conftest import NOW, article


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counting open files needs /proc")
def test_many_files_read_in_order_with_errors_in_their_place(tmp_path: Path) -> None:
    paths, expected = [], []
    for index in range(readahead.AHEAD * 3 + 5):  # more than one window ahead, and a part
        path = tmp_path / f"{index}.md"
        if index % 50 == 7:
            expected.append(FileNotFoundError)  # never written
        elif index % 50 == 9:
            path.mkdir()
            expected.append(IsADirectoryError)
        else:
            data = f"file {index}\n".encode() * (index * 997 % 5000)  # some past one read chunk
            path.write_bytes(data)
            expected.append(data)
        paths.append(str(path))
    (tmp_path / "big.md").write_bytes(b"x" * (readahead._CHUNK * 2 + 3))
    paths.append(str(tmp_path / "big.md"))
    expected.append((tmp_path / "big.md").read_bytes())
    before = _open_files()
    got = readahead.read_files(paths)
    assert _open_files() == before
    assert len(got) == len(expected)
    for item, want in zip(got, expected, strict=True):
        if isinstance(want, bytes):
            assert item == want
        else:
            assert isinstance(item, want)


def test_no_files_no_reads() -> None:
    assert readahead.read_files([]) == []


@pytest.mark.parametrize("others", [0, 70], ids=["read here", "read by parse workers"])
def test_a_source_that_cannot_be_read_is_reported_by_name(make_site: Callable[..., Path], others: int) -> None:
    """A file deleted between listing the folders and reading it (a build racing a
    colleague's delete): the build stops with the file's name and writes nothing."""
    site = make_site({"content/berita/a.md": article("Rapat A"), "content/berita/b.md": article("Rapat B"),
                      **{f"content/arsip/c{n}.md": article(f"Arsip {n}") for n in range(others)}})
    options = Options(site_dir=site, now=NOW, search=False, jobs=2 if others else 1)
    listing: Listing = {}
    config = uptodate.read_config(options)
    assert config is not None and uptodate.inputs_digest(options, config, listing)
    (site / "content" / "berita" / "b.md").unlink()
    with pytest.raises(SiteError) as raised:
        build(options, State(listing=listing))
    [problem] = raised.value.diagnostics
    assert problem.format().startswith("content/berita/b.md: error: the file cannot be read (No such file")
    assert not (site / "public").exists()
    # Nothing of the failed read is remembered: the next build sees the folder as it is.
    result = build(options)
    assert [entry.title for entry in result.prepared.site.entries() if entry.section == "berita"] == ["Rapat A"]
