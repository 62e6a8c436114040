"""serve and watch stat again only the files the watcher saw change
(sitegen.content.discover.discover_again); anything they cannot vouch for walks the folders
again. Each case is held against a clean build, byte for byte, and tells a walk from a
reuse by whether the untouched files' records are the very objects of the last build."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.build import Options, State, build
from sitegen.content.discover import TOUCHED_AT_MOST, SourceFile
from tests.conftest import NOW, SMALL_CONFIG, article
from tests.test_safety import snapshot

RAPAT = "content/berita/2026-11-20-rapat.id.md"
KABAR = "content/berita/2026-11-02-kabar-2.id.md"
PHOTO = "static/foto/rapat.png"


def newsroom() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        RAPAT: article("Rapat koordinasi", "2026-11-20T09:00:00+07:00", tags=["banjir"]),
        "content/berita/2026-11-20-rapat.en.md": article("Coordination meeting", "2026-11-20T09:00:00+07:00"),
        "content/pages/tentang.id.md": article("Tentang kami", ""),
    }
    for n in range(1, 6):
        files[f"content/berita/2026-11-{n:02d}-kabar-{n}.id.md"] = article(
            f"Kabar {n}", f"2026-11-{n:02d}T10:00:00+07:00", tags=["banjir" if n % 2 else "jalan"])
    return files


def options(site: Path) -> Options:
    return Options(site_dir=site, now=NOW, search=False)


def add_paragraph(site: Path, rel: str, text: str) -> None:
    with (site / rel).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{text}\n")


def sources(state: State) -> dict[str, SourceFile]:
    assert state.discovered is not None
    return {s.rel: s for s in state.discovered.sources}


def rebuilt(site: Path, state: State, touched: set[str] | None, tmp_path: Path) -> tuple[int, int]:
    """Build with ``touched`` as the watcher would pass it; check the output against a
    clean build; return how many untouched files' records were kept and how many made again."""
    before = sources(state)
    state.touched = None if touched is None else frozenset(touched)
    build(options(site), state)
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    build(options(clean), State(once=True))
    assert snapshot(site / "public") == snapshot(clean / "public")
    after = sources(state)
    untouched = [rel for rel in after if rel not in (touched or ()) and rel in before]
    kept = sum(after[rel] is before[rel] for rel in untouched)
    return kept, len(untouched) - kept


@pytest.fixture
def built(make_site: Callable[..., Path]) -> tuple[Path, State]:
    site = make_site(newsroom())
    state = State()
    build(options(site), state)
    return site, state


def test_the_files_the_watcher_saw_change_are_stated_again_the_rest_kept(built: tuple[Path, State],
                                                                        tmp_path: Path) -> None:
    site, state = built
    add_paragraph(site, RAPAT, "Rapat membahas **banjir** di Padang.")
    os.utime(site / KABAR)  # saved again unchanged: a new mtime, the same bytes
    kept, walked = rebuilt(site, state, {RAPAT, KABAR, "templates/unused.html", "config.yaml"}, tmp_path)
    assert walked == 0 and kept == len(newsroom()) - 2
    assert sources(state)[RAPAT].mtime_ns == (site / RAPAT).stat().st_mtime_ns
    assert "Padang" in (site / "public/berita/2026/rapat/index.html").read_text("utf-8")
    kept, walked = rebuilt(site, state, set(), tmp_path)  # nothing on disk changed (a timer's rebuild)
    assert walked == 0 and kept == len(newsroom())


def _created(site: Path) -> set[str]:
    rel = "content/berita/2026-11-21-baru.id.md"
    (site / rel).write_text(article("Baru", "2026-11-21T09:00:00+07:00"), "utf-8")
    return {rel}


def _deleted(site: Path) -> set[str]:
    (site / KABAR).unlink()
    return {KABAR}


def _renamed(site: Path) -> set[str]:
    target = "content/berita/2026-11-02-kabar-dua.id.md"
    (site / KABAR).rename(site / target)
    return {KABAR, target}


def _folder(site: Path) -> set[str]:
    (site / "content/arsip").mkdir()
    (site / "content/arsip/lama.id.md").write_text(article("Lama", "2020-01-01T09:00:00+07:00"), "utf-8")
    return {"content/arsip"}


def _linked(site: Path) -> set[str]:
    shutil.copy(site / KABAR, site / "kabar.md")
    (site / KABAR).unlink()
    (site / KABAR).symlink_to(site / "kabar.md")
    return {KABAR}


def _static(site: Path) -> set[str]:
    add_paragraph(site, RAPAT, "Lihat foto.")
    (site / "static/foto").mkdir(parents=True)
    (site / PHOTO).write_bytes(b"not yet a photo")
    return {RAPAT, PHOTO}


def _too_many(site: Path) -> set[str]:
    add_paragraph(site, RAPAT, "Tambahan.")
    return {RAPAT, *(f"templates/t{n}.html" for n in range(TOUCHED_AT_MOST))}


def _unknown(site: Path) -> None:
    add_paragraph(site, RAPAT, "Tambahan tanpa kabar dari pengawas.")


def _config(site: Path) -> set[str]:
    (site / "config.yaml").write_text(SMALL_CONFIG.replace("paginate: 5", "paginate: 2"), "utf-8")
    add_paragraph(site, RAPAT, "Tambahan.")
    return {"config.yaml", RAPAT}


@pytest.mark.parametrize("change", [_created, _deleted, _renamed, _folder, _linked, _static, _too_many, _unknown,
                                    _config])
def test_what_the_watcher_cannot_vouch_for_walks_the_folders(built: tuple[Path, State], tmp_path: Path,
                                                             change: Callable[[Path], set[str] | None]) -> None:
    site, state = built
    touched = change(site)
    kept, walked = rebuilt(site, state, touched, tmp_path)
    assert kept == 0 and walked > 0


def test_a_site_with_a_linked_file_is_always_walked(built: tuple[Path, State], tmp_path: Path) -> None:
    """A link's target can change with no event for the link: while one is among the content
    files, every build walks."""
    site, state = built
    _linked(site)
    rebuilt(site, state, {KABAR}, tmp_path)
    (site / "kabar.md").write_text(article("Kabar dua diubah", "2026-11-02T10:00:00+07:00"), "utf-8")
    kept, walked = rebuilt(site, state, {"kabar.md"}, tmp_path)
    assert kept == 0 and walked > 0
    assert "Kabar dua diubah" in (site / "public/berita/index.html").read_text("utf-8")


def test_after_a_failed_build_serve_walks_the_folders(built: tuple[Path, State], tmp_path: Path) -> None:
    """A build that fails before it has found the files (a broken config.yaml) does not take
    the paths it was given: serve's Rebuilder has the next build walk the folders, so no
    change is missed; once one has succeeded, the paths are enough again."""
    from sitegen.watch import Rebuilder

    site, _state = built
    rebuilder = Rebuilder(options(site))
    assert rebuilder.rebuild("built").ok
    state = rebuilder.state
    add_paragraph(site, RAPAT, "Tambahan dari Padang.")
    good = (site / "config.yaml").read_text("utf-8")
    (site / "config.yaml").write_text("languages: [", "utf-8")
    assert not rebuilder.rebuild("changed", {RAPAT, "config.yaml"}).ok
    (site / "config.yaml").write_text(good, "utf-8")
    before = sources(state)
    assert rebuilder.rebuild("changed", {"config.yaml"}).ok
    assert not any(sources(state)[rel] is before[rel] for rel in before)  # walked
    assert "Tambahan dari Padang" in (site / "public/berita/2026/rapat/index.html").read_text("utf-8")
    add_paragraph(site, KABAR, "Kabar tambahan.")
    before = sources(state)
    assert rebuilder.rebuild("changed", {KABAR}).ok
    assert all(sources(state)[rel] is before[rel] for rel in before if rel != KABAR)  # stat-ed again alone
    assert "Kabar tambahan" in (site / "public/berita/2026/kabar-2/index.html").read_text("utf-8")
