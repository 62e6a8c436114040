"""Search: a page per language, and a Pagefind index per language written after the build."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from sitegen import search
from sitegen.config import load_config
from sitegen.errors import Report
from tests.conftest import article, build, need, page


@pytest.fixture
def bilingual(make_site):  # type: ignore[no-untyped-def]
    news = "content/berita/"
    return make_site({
        news + "2024-05-30-rapat.id.md": article("Rapat Humas", body="Aplikasi P2MA dibahas."),
        news + "2024-05-30-rapat.en.md": article("PR Meeting", body="The P2MA app was discussed."),
        news + "2024-06-01-khusus.id.md": article("Hanya Indonesia", "2024-06-01T09:00:00+07:00"),
        "content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nKantor wilayah.\n",
    })


def bundle_languages(site: Path) -> dict[str, int]:
    entry = json.loads((site / "public" / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    return {lang: info["page_count"] for lang, info in entry["languages"].items()}


def test_a_search_page_per_language(bilingual: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    assert build(bilingual).code == 0
    for url, lang, other in (("/search/", "id", "/en/search/"), ("/en/search/", "en", "/search/")):
        doc = page(bilingual, url)
        assert doc.get("lang") == lang
        form = doc.xpath("//form[@id='search-form']")[0]
        assert form.get("action") == url and form.get("role") == "search"
        field = form.xpath(".//input[@name='q']")[0]
        assert form.xpath(f".//label[@for='{field.get('id')}']")  # a label, not a placeholder
        assert doc.xpath("//script/@src") == ["/js/search.js"]
        assert doc.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert doc.xpath("//nav[@class='lang-switcher']//a/@href") == [other]
        assert doc.xpath("//noscript")  # says what to do without JavaScript
    assert page(bilingual, "/search/").xpath("string(//h1)") == "Pencarian"
    # Every other page has a plain search form that leads to the page of its language.
    release = page(bilingual, "/en/berita/2024/rapat/")
    assert release.xpath("//form[@role='search']/@action") == ["/en/search/"]


def test_pagefind_indexes_releases_and_pages_per_language(bilingual: Path) -> None:
    need(search.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    result = build(bilingual)
    assert result.code == 0, result.err
    # Lists, tags, the search page and 404s are not indexed: only what readers look for.
    assert bundle_languages(bilingual) == {"id": 3, "en": 1}
    assert (bilingual / "public" / "pagefind" / "pagefind.js").is_file()
    assert "warning" not in result.err


def test_rebuild_replaces_the_index_and_leaves_no_stale_pages(bilingual: Path) -> None:
    need(search.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    assert build(bilingual).code == 0
    (bilingual / "content/berita/2024-06-01-khusus.id.md").unlink()
    assert build(bilingual).code == 0  # the output folder with pagefind/ in it is still accepted
    assert bundle_languages(bilingual) == {"id": 2, "en": 1}
    fragments = (bilingual / "public/pagefind/fragment").iterdir()
    assert not any(b"Hanya Indonesia" in _gunzip(f) for f in fragments)
    assert sorted(p.name for p in (bilingual / "public").iterdir() if p.name.startswith(".")) == [
        ".sitegen-output.json"]


def _gunzip(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())  # a fragment: one page's text, gzipped


def test_missing_pagefind_warns_once_and_builds_the_rest(bilingual: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    result = build(bilingual)
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "Pagefind" in line]
    assert len(warnings) == 1 and "warning:" in warnings[0] and "pip install" in warnings[0]
    assert page(bilingual, "/berita/2024/rapat/").xpath("string(//h1)") == "Rapat Humas"
    assert not (bilingual / "public" / "pagefind").exists()


def test_a_failing_pagefind_keeps_the_previous_index(bilingual: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    need(search.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    assert build(bilingual).code == 0
    before = bundle_languages(bilingual)
    monkeypatch.setattr(search, "pagefind_binary", lambda: Path("/bin/false"))
    (bilingual / "content/berita/2024-06-01-khusus.id.md").unlink()
    result = build(bilingual)
    assert result.code == 0 and "Pagefind failed" in result.err
    assert bundle_languages(bilingual) == before
    assert not any(p.name.startswith(".sitegen-pagefind") for p in (bilingual / "public").iterdir())


def test_half_written_pages_in_dot_folders_are_never_indexed(bilingual: Path) -> None:
    """A background index (serve, watch) may run while a rebuild stages its pages."""
    need(search.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    assert build(bilingual).code == 0
    staged = bilingual / "public" / ".sitegen-staging" / "berita" / "draf" / "index.html"
    staged.parent.mkdir(parents=True)
    staged.write_text('<!DOCTYPE html><html lang="id"><title>x</title>'
                      "<article data-pagefind-body><h1>Setengah jadi</h1></article></html>", "utf-8")
    report = Report()
    search.index_site(bilingual / "public", load_config(bilingual), report)
    assert report.items == []
    assert bundle_languages(bilingual) == {"id": 3, "en": 1}
