"""The build cache: a damaged, foreign or vanished cache only makes a build slower, never
different; and saving after an edit writes what changed, not the whole site again."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitegen import build as build_module
from sitegen import cachefiles
from sitegen.build import Options, State, build
from sitegen.content import entry_cache, markdown
from sitegen.content.parse_all import Parsed
from sitegen.images.photo import Photo
from sitegen.model import Entry
from tests.conftest import article, photo_file
from tests.test_incremental import CHANGES, NOW, clean_build_of, corpus, digest, edit
from tests.test_incremental import build as run_build

CACHE = ".sitegen-cache"


def test_a_damaged_cache_is_ignored(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = make_site(corpus())
    run_build(site)
    files = [p for p in (site / CACHE).rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert {"entries.bin", "bodies.sqlite", "memo.pickle"} <= {p.name for p in files}
    for path in files:
        path.write_bytes(b"\x00garbage\xff" * 10)
    CHANGES["body"](site)
    (site / CACHE / "uptodate.pickle").unlink(missing_ok=True)
    run_build(site)
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_another_sitegen_version_parses_everything_again(make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    site = make_site(corpus())
    options = Options(site_dir=site, now=NOW, search=False, jobs=1)
    build(options)
    monkeypatch.setattr(cachefiles, "STAMP", ("another version",))
    converted: list[str] = []
    real = markdown.render
    monkeypatch.setattr(markdown, "render", lambda *a, **k: converted.append("md") or real(*a, **k))
    build(options)
    assert len(converted) == len(list((site / "content").rglob("*.md")))


def test_bodies_lost_while_serving_are_parsed_again(make_site, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-running serve holds entries whose text is in the store; if the store loses
    it, the next rebuild starts over instead of failing."""
    site = make_site(corpus())
    run_build(site)
    state = State()
    options = Options(site_dir=site, now=NOW, search=False, jobs=1)
    build(options, state)  # loads the entries from the cache: their text stays in the store
    with sqlite3.connect(site / CACHE / "bodies.sqlite") as db:
        db.execute("DELETE FROM bodies")
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(  # every article is rendered again, with its text
        '{% extends "base.html" %}{% block main %}{{ body_html|safe }}{% endblock %}', "utf-8")
    attempts: list[int] = []
    real = build_module._build
    monkeypatch.setattr(build_module, "_build", lambda *a: attempts.append(1) or real(*a))
    result = build(options, state)
    assert len(attempts) == 2  # the first found the text gone, the second parsed it again
    assert result.written.written
    assert digest(site / "public") == clean_build_of(site, tmp_path)


@pytest.mark.parametrize(("change", "loss"), [("body", "file"), ("body", "rows"), ("body", "damaged"),
                                              ("template", "file"), ("template", "rows")])
def test_texts_lost_between_builds_are_made_again(make_site, tmp_path: Path, loss: str,  # type: ignore[no-untyped-def]
                                                  change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The text store deleted, or its texts deleted, between two one-shot builds: the
    cached entries still point into it. Whichever output first asks for a lost text sends
    the build back to the start without the cache (one place: sitegen.build.build); a build
    whose outputs need none of them (a body edit whose feeds take their kept items) finds
    out later. Every build's site is what a clean build makes. A damaged store is made anew
    by the build that finds it, so the next build loses nothing."""
    site = make_site(corpus())
    run_build(site)
    if loss in ("file", "damaged"):
        for path in (site / CACHE).glob("bodies.sqlite*"):
            path.unlink()
        if loss == "damaged":
            (site / CACHE / "bodies.sqlite").write_bytes(b"garbage")
    else:
        with sqlite3.connect(site / CACHE / "bodies.sqlite") as db:
            db.execute("DELETE FROM bodies")
    CHANGES[change](site)
    attempts: list[int] = []
    real = build_module._build
    monkeypatch.setattr(build_module, "_build", lambda *a: attempts.append(1) or real(*a))
    run_build(site)
    # Only a body edit whose feeds kept their items asks for no lost text.
    assert len(attempts) == (1 if (change, loss) == ("body", "rows") else 2)
    assert digest(site / "public") == clean_build_of(site, tmp_path)
    attempts.clear()
    (site / "templates").mkdir(exist_ok=True)  # every article again: each asks for its text
    (site / "templates/article.html").write_text(
        '{% extends "base.html" %}{% block main %}<div class="t">{{ body_html|safe }}</div>{% endblock %}', "utf-8")
    run_build(site)
    assert len(attempts) == (2 if (change, loss) == ("body", "rows") else 1)
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_an_edit_saves_a_small_journal_not_the_whole_cache(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site(corpus())
    run_build(site)
    base = (site / CACHE / "entries.bin").read_bytes()
    CHANGES["body"](site)
    run_build(site)
    assert (site / CACHE / "entries.bin").read_bytes() == base
    texts = entry_cache.texts_of(site)
    parsed, journal = entry_cache.load(site)
    assert set(journal) == {"content/berita/rilis-04.id.md"}
    edited = parsed["content/berita/rilis-04.id.md"].entry
    assert edited is not None and "Isi rilis empat" in texts.html(edited)
    # Once the journal holds an eighth of the site, everything is written out again.
    for n in range(1, 6):
        path = site / f"content/berita/rilis-{n:02d}.en.md"
        if path.exists():
            path.write_text(path.read_text("utf-8") + f"\nMore {n}.\n", "utf-8")
    run_build(site)
    assert (site / CACHE / "entries.bin").read_bytes() != base
    assert entry_cache.load(site)[1] == {}


def test_text_converted_by_an_older_sitegen_never_comes_back(make_site, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """After an upgrade that converts Markdown differently, the stored HTML of the old
    version is not read again, not even by later builds that reuse the new cache."""
    site = make_site(corpus())
    real = markdown.render
    monkeypatch.setattr(markdown, "render",
                        lambda *a, **k: markdown.Converted(real(*a, **k).html + "<!--old converter-->", ""))
    run_build(site)
    monkeypatch.setattr(cachefiles, "STAMP", ("a later version",))  # the upgrade
    monkeypatch.setattr(markdown, "render", real)
    run_build(site)
    edit(site / "content/berita/rilis-03.id.md", "Rilis 3", "Rilis Tiga")  # rilis-04's neighbour
    run_build(site)
    run_build(site, "--clean")
    stale = [p for p in (site / "public").rglob("*") if p.is_file() and b"old converter" in p.read_bytes()]
    assert stale == []
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_entries_loaded_from_the_cache_equal_the_parsed_ones(bundled_site: Path) -> None:
    """The loader builds entries without the frozen dataclass's own __init__ (it is the
    slow part of loading 20,000): they must still be equal to a fresh parse, and frozen."""
    state = State()
    build(Options(site_dir=bundled_site, now=NOW, search=False, jobs=1), state)
    parsed = {rel: p.entry for rel, p in state.parsed.items()}
    for field in ("image", "attachments", "contact", "updated"):  # every kind of field is covered
        assert any(getattr(e, field) for e in parsed.values() if e is not None), field
    loaded, _ = entry_cache.load(bundled_site)
    assert loaded.keys() == parsed.keys()
    for rel, cached in loaded.items():
        entry, fresh = cached.entry, parsed[rel]
        assert type(entry) is Entry and entry == fresh, rel
        assert type(cached) is Parsed and cached == state.parsed[rel]
        with pytest.raises(dataclasses.FrozenInstanceError):
            entry.title = "changed"  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            cached.size = 0  # type: ignore[misc]


def test_entries_written_alike_share_one_lines_mapping_in_the_cache(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site(corpus())
    state = State()
    build(Options(site_dir=site, now=NOW, search=False, jobs=1), state)
    loaded, _ = entry_cache.load(site)
    articles = [p.entry for rel, p in loaded.items() if p.entry is not None and "/berita/" in rel]
    for entry in articles:
        assert entry.lines == state.parsed[entry.source].entry.lines  # type: ignore[union-attr]
    # The corpus writes every release's front matter in one layout: one mapping for all.
    assert len({id(entry.lines) for entry in articles}) < len(articles) // 4


def test_releases_showing_one_photo_share_its_versions_in_the_cache(make_site) -> None:  # type: ignore[no-untyped-def]
    """A picture many releases show is loaded once: its versions are one tuple, and each
    release's photo (its own alt text and line) still equals the fresh parse, and is frozen."""
    files: dict[str, str | bytes] = {"static/images/kantor.jpg": photo_file(900, 600)}
    for n in range(6):
        files[f"content/berita/2024-05-0{n + 1}-r{n}.id.md"] = article(
            f"Rilis {n}", f"2024-05-0{n + 1}T10:00:00+07:00", image="/images/kantor.jpg", image_alt=f"Kantor {n}")
    site = make_site(files)
    state = State()
    build(Options(site_dir=site, now=NOW, search=False, jobs=1), state)
    loaded, _ = entry_cache.load(site)
    photos = [p.entry.photo for p in loaded.values() if p.entry is not None and p.entry.photo is not None]
    assert len(photos) == 6
    for parsed in loaded.values():
        assert parsed.entry == state.parsed[parsed.entry.source].entry  # type: ignore[union-attr]
    assert len({id(photo.renditions) for photo in photos}) == 1
    assert len({photo.alt for photo in photos}) == 6
    assert all(type(photo) is Photo for photo in photos)
    with pytest.raises(dataclasses.FrozenInstanceError):
        photos[0].alt = "changed"  # type: ignore[misc]


def _serving(make_site, part: str) -> tuple[Path, Callable[[], Any]]:  # type: ignore[no-untyped-def]
    """A site and one in-process build of it as serve runs them (one State kept throughout);
    each call builds and gives the renderer's ``part``, after one build and one body edit."""
    site = make_site(corpus())
    options = Options(site_dir=site, now=NOW, search=False, jobs=1)
    state = State()

    def rebuild() -> Any:
        return getattr(build(options, state).prepared.renderer, part)

    first = rebuild()
    CHANGES["body"](site)
    assert rebuild() is first  # an edit keeps them
    return site, rebuild


def test_serve_keeps_its_templates_until_a_template_file_changes(make_site) -> None:  # type: ignore[no-untyped-def]
    """A long-running build state reuses the checked templates; any change to a template
    file (a new override, an edit) or to whether cards are drawn gives new ones, and the
    pages show it."""
    site, rebuild = _serving(make_site, "templates")
    first = rebuild()
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text('{% extends "base.html" %}{% block main %}<p>Hilang 1</p>{% endblock %}',
                                            "utf-8")
    second = rebuild()
    assert second is not first
    assert "Hilang 1" in (site / "public/404.html").read_text("utf-8")
    assert rebuild() is second
    page = site / "templates/404.html"
    page.write_text(page.read_text("utf-8").replace("Hilang 1", "Hilang 22"), "utf-8")
    third = rebuild()
    assert third is not second
    assert "Hilang 22" in (site / "public/404.html").read_text("utf-8")
    config = site / "config.yaml"
    assert "social_card" in third.env.globals  # cards are drawn unless the config says otherwise
    config.write_text(config.read_text("utf-8") + "social_cards: false\n", "utf-8")
    without_cards = rebuild()
    assert without_cards is not third and "social_card" not in without_cards.env.globals


def test_serve_keeps_its_ui_strings_until_an_i18n_file_changes(make_site) -> None:  # type: ignore[no-untyped-def]
    site, rebuild = _serving(make_site, "strings")
    first = rebuild()
    (site / "i18n").mkdir()
    (site / "i18n/id.yaml").write_text("skip_to_content: Langsung ke isi berita\n", "utf-8")
    second = rebuild()
    assert second is not first and second["id"]("skip_to_content") == "Langsung ke isi berita"
    assert "Langsung ke isi berita" in (site / "public/index.html").read_text("utf-8")
    assert rebuild() is second
