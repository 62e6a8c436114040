"""Feed items kept between builds (sitegen.outputs.feeds.FeedItems and the text store): an
edit's feeds take the items of the releases it did not touch from the store, and the
feeds are the very bytes a clean build writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitegen import parallel, writer
from sitegen.content import parse_all
from sitegen.outputs import feeds
from sitegen.texts import TextStore
from tests.conftest import SMALL_CONFIG
from tests.test_incremental import build, clean_build_of, corpus, digest, edit

CONTACT_CONFIG = SMALL_CONFIG + "contact: {name: Humas Kota, phone: '0751 123456', email: humas@example.go.id}\n"


def stored(site: Path) -> list[tuple[str, str, bytes]]:
    """The feed items the site's store holds."""
    with sqlite3.connect(site / ".sitegen-cache/bodies.sqlite") as db:
        return [(str(k), str(t), bytes(i)) for k, t, i in db.execute("SELECT key, body_key, item FROM feed_items")]


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The source of every RSS or Atom item the builds in this process make (not recall)."""
    sources: list[str] = []
    fill = feeds._fill

    def counted(fe: Any, config: Any, entry: Any, *args: Any, **kwargs: Any) -> None:
        sources.append(entry.source)
        fill(fe, config, entry, *args, **kwargs)

    monkeypatch.setattr(feeds, "_fill", counted)
    yield sources


def test_an_edit_makes_only_its_own_items_and_writes_what_a_clean_build_writes(  # type: ignore[no-untyped-def]
        make_site, tmp_path: Path, made: list[str]) -> None:
    site = make_site(corpus(), CONTACT_CONFIG)
    build(site)
    assert stored(site)  # the first build rendered in this process: its items are kept
    made.clear()
    edit(site / "content/berita/rilis-04.id.md", "Isi rilis 4.", "Isi rilis empat, diperbarui.")
    build(site)
    # The feeds that list the release were written again; of their items only its own (RSS
    # and Atom) were made, the others came from the store.
    assert set(made) == {"content/berita/rilis-04.id.md"} and len(made) == 2
    assert digest(site / "public") == clean_build_of(site, tmp_path)


@pytest.mark.parametrize("change", ["contact label", "contact", "full content", "base_url", "title", "attachment"])
def test_items_of_another_making_are_not_taken(make_site, tmp_path: Path, change: str) -> None:  # type: ignore[no-untyped-def]
    files: dict[str, str | bytes] = {**corpus(), "static/files/rilis.pdf": b"%PDF-1.4 signed"}
    edit_text = files["content/berita/rilis-03.id.md"]
    assert isinstance(edit_text, str)
    files["content/berita/rilis-03.id.md"] = edit_text.replace("---\n", "---\nattachments: [/files/rilis.pdf]\n", 1)
    site = make_site(files, CONTACT_CONFIG)
    build(site)
    edit(site / "content/berita/rilis-04.id.md", "Isi rilis 4.", "Isi rilis empat.")
    build(site)  # the store now holds the items of every release the site's feeds list
    if change == "contact label":  # the words of the contact line under each item
        (site / "i18n").mkdir()
        (site / "i18n/id.yaml").write_text("press_contact: Narahubung\n", "utf-8")
    elif change == "contact":
        edit(site / "config.yaml", "0751 123456", "0751 654321")
    elif change == "full content":
        (site / "config.yaml").write_text(CONTACT_CONFIG + "feeds: {full_content: false}\n", "utf-8")
    elif change == "base_url":
        edit(site / "config.yaml", "https://humas.example.go.id/", "https://pers.example.go.id/")
    elif change == "attachment":  # the file an item encloses, not the release, is new
        (site / "static/files/rilis.pdf").write_bytes(b"%PDF-1.4 signed, and a second page")
    else:
        edit(site / "content/berita/rilis-05.en.md", "Release 5", "Release Five")
    build(site)
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_render_workers_neither_ask_the_store_nor_keep(  # type: ignore[no-untyped-def]
        make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parse_all, "PARALLEL_FROM", 1)
    # The workers render every part: the build's own process, which renders the parts left at
    # the back beside them (Workers.share), would otherwise make the feeds and keep their items
    # whenever the worker started late (a loaded machine).
    monkeypatch.setattr(parallel.Workers, "share", lambda self, func, items: iter(self.map(func, items)))
    site = make_site(corpus())
    build(site, jobs=2)
    assert stored(site) == []


def test_a_build_that_makes_many_items_keeps_none(make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(feeds, "KEEP_UP_TO", 5)
    site = make_site(corpus())
    build(site)
    assert stored(site) == []


def test_items_go_with_the_text_they_are_made_of(tmp_path: Path) -> None:
    store = TextStore(tmp_path / "bodies.sqlite")
    store.put_items([("a-rss", "text-a", b"<item>a</item>"), ("b-rss", "text-b", b"<item>b</item>"),
                     ("b-json", "text-b", b"{}")])
    assert store.items(["a-rss", "b-json", "c-rss"]) == {"a-rss": b"<item>a</item>", "b-json": b"{}"}
    store.keep_only({"text-b"})
    assert store.items(["a-rss", "b-rss", "b-json"]) == {"b-rss": b"<item>b</item>", "b-json": b"{}"}
    store.close()


def test_no_store_file_is_made_to_look_items_up(tmp_path: Path) -> None:
    store = TextStore(tmp_path / "bodies.sqlite")
    assert store.items(["a"]) == {}
    assert not (tmp_path / "bodies.sqlite").exists()
