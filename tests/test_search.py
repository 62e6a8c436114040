"""Search: a page per language, and a Pagefind index per language written after the build."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitegen import build as build_module
from sitegen import generations, searchindex
from tests.conftest import REPO, SMALL_CONFIG, article, browser, build, need, page, serve


@pytest.fixture
def bilingual(make_site):  # type: ignore[no-untyped-def]
    news = "content/berita/"
    return make_site({
        news + "2024-05-30-rapat.id.md": article("Rapat Humas", body="Aplikasi P2MA dibahas."),
        news + "2024-05-30-rapat.en.md": article("PR Meeting", body="The P2MA app was discussed."),
        news + "2024-06-01-khusus.id.md": article("Hanya Indonesia", "2024-06-01T09:00:00+07:00"),
        "content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nKantor wilayah.\n",
    })


def listed(site: Path) -> dict[str, list[str]]:
    """bundles.json: each language's bundles, newest first."""
    data: dict[str, list[str]] = json.loads((site / "public" / "pagefind" / "bundles.json").read_text("utf-8"))
    return data


def bundle_languages(site: Path) -> dict[str, int]:
    """Pages indexed per language, over every bundle the list names."""
    counts: dict[str, int] = {}
    for names in listed(site).values():
        for name in names:
            entry = json.loads((site / "public" / "pagefind" / name / "pagefind-entry.json").read_text("utf-8"))
            for lang, info in entry["languages"].items():
                counts[lang] = counts.get(lang, 0) + info["page_count"]
    return counts


def fragments(site: Path) -> list[bytes]:
    return [_gunzip(f) for f in (site / "public" / "pagefind").glob("*/fragment/*.pf_fragment")]


def test_a_search_page_per_language(bilingual: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(searchindex, "pagefind_binary", lambda: None)
    assert build(bilingual).code == 0
    for url, lang, other in (("/search/", "id", "/en/search/"), ("/en/search/", "en", "/search/")):
        doc = page(bilingual, url)
        assert doc.get("lang") == lang
        form = doc.xpath("//form[@id='search-form']")[0]
        assert form.get("action") == url and form.get("role") == "search"
        field = form.xpath(".//input[@name='q']")[0]
        assert form.xpath(f".//label[@for='{field.get('id')}']")  # a label, not a placeholder
        assert doc.xpath("//script/@src") == ["/js/menu.js", "/js/search.js"]
        assert doc.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert doc.xpath("//nav[@class='lang-switcher']//a/@href") == [other]
        assert doc.xpath("//noscript")  # says what to do without JavaScript
    assert page(bilingual, "/search/").xpath("string(//h1)") == "Pencarian"
    # Every other page has a plain search form that leads to the page of its language.
    release = page(bilingual, "/en/berita/2024/rapat/")
    assert release.xpath("//form[@role='search']/@action") == ["/en/search/"]


def test_pagefind_indexes_releases_and_pages_per_language(bilingual: Path) -> None:
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    result = build(bilingual)
    assert result.code == 0, result.err
    # Lists, tags, the search page and 404s are not indexed: only what readers look for.
    assert bundle_languages(bilingual) == {"id": 3, "en": 1}
    # Old releases by year, static pages apart; each bundle one language, loadable on its own.
    assert [name.rsplit("-", 1)[0] for name in listed(bilingual)["id"]] == ["id-2024", "id-pages"]
    assert [name.rsplit("-", 1)[0] for name in listed(bilingual)["en"]] == ["en-2024"]
    for name in listed(bilingual)["id"]:
        assert (bilingual / "public" / "pagefind" / name / "pagefind.js").is_file()
    assert "warning" not in result.err


def test_the_index_has_an_entry_file_at_its_top_naming_each_language_in_order(bilingual: Path,
                                                                              tmp_path: Path) -> None:
    """Each bundle has Pagefind's own pagefind-entry.json; pagefind/pagefind-entry.json sums
    them up for the whole index, in the config's order of languages, the same at every build."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    copy = tmp_path / "again"
    shutil.copytree(bilingual, copy)
    assert build(bilingual).code == 0 and build(copy).code == 0
    top = bilingual / "public/pagefind/pagefind-entry.json"
    assert top.read_bytes() == (copy / "public/pagefind/pagefind-entry.json").read_bytes()
    entry = json.loads(top.read_bytes())
    assert list(entry["languages"]) == ["id", "en"]
    for lang, about in entry["languages"].items():
        assert about["bundles"] == listed(bilingual)[lang]
        own = [json.loads((bilingual / "public/pagefind" / name / "pagefind-entry.json").read_bytes())
               for name in about["bundles"]]
        assert about["page_count"] == sum(e["languages"][lang]["page_count"] for e in own) == bundle_languages(
            bilingual)[lang]
    top.unlink()  # removed by hand: the next build puts it back, though nothing else changed
    assert build(bilingual).code == 0
    assert top.read_bytes() == (copy / "public/pagefind/pagefind-entry.json").read_bytes()


def test_rebuild_replaces_the_index_and_leaves_no_stale_pages(bilingual: Path) -> None:
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    assert build(bilingual).code == 0
    before = listed(bilingual)
    (bilingual / "content/berita/2024-06-01-khusus.id.md").unlink()
    assert build(bilingual).code == 0  # the output folder with pagefind/ in it is still accepted
    assert bundle_languages(bilingual) == {"id": 2, "en": 1}
    assert not any(b"Hanya Indonesia" in text for text in fragments(bilingual))
    # Only the bundle that held the deleted release was made again; the old one is gone.
    after = listed(bilingual)
    assert after["en"] == before["en"] and after["id"][1] == before["id"][1] and after["id"][0] != before["id"][0]
    assert sorted(p.name for p in (bilingual / "public" / "pagefind").iterdir()) == sorted(
        ["bundles.json", "pagefind-entry.json", *(name.rstrip("/") for name in after["id"] + after["en"])])
    assert sorted(p.name for p in (bilingual / "public").iterdir() if p.name.startswith(".")) == [
        ".sitegen-output.json"]


def test_an_edit_reindexes_its_own_bundle_only(make_site) -> None:  # type: ignore[no-untyped-def]
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    news = "content/berita/"
    site = make_site({
        news + "2026-10-20-baru.id.md": article("Rilis Baru", "2026-10-20T10:00:00+07:00", "Panen raya."),
        news + "2026-09-02-lalu.id.md": article("Rilis Bulan Lalu", "2026-09-02T10:00:00+07:00", "Pasar murah."),
        news + "2023-03-01-lama.id.md": article("Rilis Lama", "2023-03-01T10:00:00+07:00", "Jembatan baru."),
    })
    assert build(site, "--now", "2026-11-01T00:00:00+07:00").code == 0
    names = listed(site)["id"]
    assert [n.rsplit("-", 1)[0] for n in names] == ["id-2026-10", "id-2026-09", "id-2023"]
    stamps = {n: (site / "public/pagefind" / n / "pagefind-entry.json").stat().st_mtime_ns for n in names}
    with (site / news / "2026-10-20-baru.id.md").open("a", encoding="utf-8") as f:
        f.write("\nPembaruan: lumbung desa penuh.\n")
    assert build(site, "--now", "2026-11-01T00:00:00+07:00").code == 0
    again = listed(site)["id"]
    assert again[0] != names[0] and again[1:] == names[1:]
    assert all((site / "public/pagefind" / n / "pagefind-entry.json").stat().st_mtime_ns == stamps[n]
               for n in names[1:])
    assert any(b"lumbung" in text for text in fragments(site))


def test_a_busy_year_is_indexed_in_parts_and_an_edit_remakes_only_its_part(
        make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A year of thousands of releases was one bundle: correcting one made all of it again
    (seconds of Pagefind). Parts of at most MAX_PAGES pages each keep an edit to one part."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    monkeypatch.setattr(searchindex, "MAX_PAGES", 3)
    news = "content/berita/"
    site = make_site({f"{news}2023-03-{day:02d}-rilis-{day}.id.md": article(
        f"Rilis {day}", f"2023-03-{day:02d}T10:00:00+07:00", f"Kegiatan hari {day}.") for day in range(1, 8)})
    assert build(site, "--now", "2026-11-01T00:00:00+07:00").code == 0
    names = listed(site)["id"]
    assert [n.rsplit("-", 1)[0] for n in names] == ["id-2023-p1", "id-2023-p2", "id-2023-p3"]
    assert bundle_languages(site) == {"id": 7}
    stamps = {n: (site / "public/pagefind" / n / "pagefind-entry.json").stat().st_mtime_ns for n in names}
    with (site / news / "2023-03-05-rilis-5.id.md").open("a", encoding="utf-8") as f:
        f.write("\nPembaruan: lumbung desa penuh.\n")
    assert build(site, "--now", "2026-11-01T00:00:00+07:00").code == 0
    again = listed(site)["id"]
    changed = [n for n in again if n not in stamps]
    assert len(changed) == 1 and changed[0].startswith("id-2023-p2-")  # /berita/2023/rilis-5/ is in the second
    assert all((site / "public/pagefind" / n / "pagefind-entry.json").stat().st_mtime_ns == stamps[n]
               for n in again if n in stamps)
    assert any(b"lumbung" in text for text in fragments(site))


def test_texts_lost_from_the_store_are_parsed_again_for_the_index(bilingual: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The index reads each release's text from the store; texts lost there between two
    builds send the build back to the start without the cache, and the index holds them."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    assert build(bilingual).code == 0
    before = listed(bilingual)["id"]
    with sqlite3.connect(bilingual / ".sitegen-cache" / "bodies.sqlite") as db:
        db.execute("DELETE FROM bodies")
    # Both Indonesian releases of 2024 share a bundle: the edited one's text is fresh, the
    # other's is lost, and the bundle is made again.
    with (bilingual / "content/berita/2024-05-30-rapat.id.md").open("a", encoding="utf-8") as f:
        f.write("\nPembaruan: lumbung desa penuh.\n")
    attempts: list[int] = []
    real = build_module._build
    monkeypatch.setattr(build_module, "_build", lambda *a: attempts.append(1) or real(*a))
    done = build(bilingual)
    assert done.code == 0 and not done.err, done
    assert len(attempts) == 2 and listed(bilingual)["id"][0] != before[0]
    texts = b"".join(fragments(bilingual))
    assert b"lumbung" in texts and b"Hanya Indonesia" in texts and b"P2MA dibahas" in texts
    assert bundle_languages(bilingual) == {"id": 3, "en": 1}


def test_the_index_is_byte_reproducible(bilingual: Path, tmp_path: Path) -> None:
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    assert build(bilingual).code == 0
    first = {p.relative_to(bilingual / "public"): p.read_bytes()
             for p in (bilingual / "public" / "pagefind").rglob("*") if p.is_file()}
    shutil.rmtree(bilingual / "public")
    shutil.rmtree(bilingual / ".sitegen-cache")
    assert build(bilingual).code == 0
    second = {p.relative_to(bilingual / "public"): p.read_bytes()
              for p in (bilingual / "public" / "pagefind").rglob("*") if p.is_file()}
    assert first == second and len(first) > 10


def _gunzip(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())  # a fragment: one page's text, gzipped


def test_missing_pagefind_warns_once_and_builds_the_rest(bilingual: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(searchindex, "pagefind_binary", lambda: None)
    result = build(bilingual)
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "Pagefind" in line]
    assert len(warnings) == 1 and "warning:" in warnings[0] and "pip install" in warnings[0]
    # Named by the output's folder the index would be in, not the build's staging folder; one
    # pair of brackets around the hint.
    assert warnings[0] == (f"{bilingual / 'public' / 'pagefind'}: warning: search index not built: Pagefind is not "
                           "installed (install it with  pip install 'pagefind[bin]'; the rest of the site was built)")
    assert page(bilingual, "/berita/2024/rapat/").xpath("string(//h1)") == "Rapat Humas"
    assert not (bilingual / "public" / "pagefind").exists()


def test_a_failing_pagefind_keeps_the_previous_index(bilingual: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    assert build(bilingual).code == 0
    before = bundle_languages(bilingual)
    monkeypatch.setattr(searchindex, "pagefind_binary", lambda: Path("/bin/false"))
    (bilingual / "content/berita/2024-06-01-khusus.id.md").unlink()
    result = build(bilingual)
    assert result.code == 0 and "Pagefind failed" in result.err
    assert bundle_languages(bilingual) == before
    # Only an empty marker is left, so that the next build does not take the index as current.
    assert [list(p.iterdir()) for p in (bilingual / "public").iterdir() if p.name.startswith(".sitegen-pagefind")] \
        == [[]]
    monkeypatch.undo()
    assert build(bilingual).code == 0  # the next build catches up, nothing else having changed
    assert bundle_languages(bilingual) == {"id": 2, "en": 1}
    assert not (bilingual / "public" / ".sitegen-pagefind").exists()


def test_the_search_page_finds_releases_in_both_languages_across_bundles(make_site) -> None:  # type: ignore[no-untyped-def]
    """Real Pagefind, real browser: bundles of several months and years merged on the page."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    news = "content/berita/"
    site = make_site({
        news + "2026-10-20-panen.id.md": article("Panen Raya Padi", "2026-10-20T10:00:00+07:00",
                                                  "Petani merayakan panen raya di sawah."),
        news + "2026-10-20-panen.en.md": article("Rice Harvest Festival", "2026-10-20T10:00:00+07:00",
                                                  "Farmers celebrate the harvest festival."),
        news + "2026-08-05-jembatan.id.md": article("Jembatan Gantung Diresmikan", "2026-08-05T10:00:00+07:00",
                                                     "Jembatan gantung menghubungkan dua nagari.",
                                                     release_number="HM.01.02-117"),
        news + "2021-04-01-lama.id.md": article("Arsip Lama Panen", "2021-04-01T10:00:00+07:00",
                                                 "Panen tahun itu melimpah."),
        news + "2021-04-01-lama.en.md": article("Old Archive Bridge", "2021-04-01T10:00:00+07:00",
                                                 "A suspension bridge opened that year for the farmers."),
    })
    assert build(site, "--now", "2026-11-01T00:00:00+07:00").code == 0
    assert len(listed(site)["id"]) == 3 and len(listed(site)["en"]) == 2
    with browser() as chromium, serve(site / "public") as base:
        found = _searcher(chromium, base)
        # The count in the page's language and plural form: English one/other, Indonesian other.
        assert found("/search/?q=panen") == (["Arsip Lama Panen", "Panen Raya Padi"],  # 2026-10 and 2021
                                             "2 hasil untuk “panen”")
        assert found("/search/?q=jembatan") == (["Jembatan Gantung Diresmikan"], "1 hasil untuk “jembatan”")
        assert found("/search/?q=HM.01.02-117")[0] == ["Jembatan Gantung Diresmikan"]  # by its number
        assert found("/en/search/?q=bridge") == (["Old Archive Bridge"], "1 result for “bridge”")  # English only
        assert found("/en/search/?q=harvest")[0] == ["Rice Harvest Festival"]
        assert found("/en/search/?q=farmers") == (["Old Archive Bridge", "Rice Harvest Festival"],
                                                  "2 results for “farmers”")


def _searcher(chromium: Any, base: str) -> Callable[[str], tuple[list[str], str]]:
    """Open a search page's address in a new tab: the titles it found and the count it said."""
    tab = chromium.new_page()

    def found(url: str) -> tuple[list[str], str]:
        tab.goto(base + url)
        tab.wait_for_selector("#search-results li")  # the count is said with the results
        return sorted(tab.locator("#search-results h2 a").all_text_contents()), tab.inner_text("#search-status")

    return found


#: A third language's search count, in Russian's plural forms: 1 (21, 31...), 2-4, 5-20 and the rest.
RUSSIAN_COUNT = {"one": "Найден {n} результат по запросу «{q}»", "few": "Найдено {n} результата по запросу «{q}»",
                 "many": "Найдено {n} результатов по запросу «{q}»", "other": "Найдено {n} результата по запросу «{q}»"}


def _russian_site(make_site: Callable[..., Path]) -> Path:
    """A site with a third language, ``ru``, whose i18n file is the theme's English one with the
    search count in Russian; five releases say урожай, two of them мост, one школа."""
    strings = yaml.safe_load((REPO / "themes/humas/i18n/en.yaml").read_text("utf-8"))
    strings["search_count"] = RUSSIAN_COUNT
    config = SMALL_CONFIG.replace("sections:", "  ru: {name: Русский, locale: ru_RU, title: Тестовый сайт}\nsections:")
    bodies = ["Урожай собран. Мост открыт. Школа открыта.", "Урожай собран. Мост открыт.",
              "Урожай собран.", "Урожай собран.", "Урожай собран."]
    files: dict[str, str | bytes] = {f"content/berita/2026-10-0{i}-novost-{i}.ru.md": article(
        f"Новость {i}", f"2026-10-0{i}T10:00:00+07:00", body) for i, body in enumerate(bodies, 1)}
    files["i18n/ru.yaml"] = yaml.safe_dump(strings, allow_unicode=True)
    return make_site(files, config)


def _count_forms(site: Path, url: str) -> dict[str, str]:
    """The search count's texts by plural form, as the search page hands them to its script."""
    forms: dict[str, str] = json.loads(page(site, url).xpath("//form[@id='search-form']/@data-count-forms")[0])
    return forms


def test_the_search_page_hands_its_script_every_plural_form_of_the_count(
        make_site: Callable[..., Path]) -> None:
    """The count was a pair, "{n} results" and "1 result", the one chosen for exactly 1: a
    third language with more forms could not say it. Now it is a string by count, and the
    page holds each form its language's file writes."""
    site = _russian_site(make_site)
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert _count_forms(site, "/ru/search/") == RUSSIAN_COUNT
    assert _count_forms(site, "/en/search/") == {"one": "{n} result for “{q}”", "other": "{n} results for “{q}”"}
    assert _count_forms(site, "/search/") == {"other": "{n} hasil untuk “{q}”"}


def test_the_search_page_says_a_count_in_the_plural_form_of_its_language(make_site: Callable[..., Path]) -> None:
    """Real Pagefind, real browser: the script asks the browser's plural rules for the page's
    language (Intl.PluralRules), so Russian says 1, 2 and 5 results each its own way."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    site = _russian_site(make_site)
    result = build(site)
    assert result.code == 0, result.err
    with browser() as chromium, serve(site / "public") as base:
        found = _searcher(chromium, base)
        assert found("/ru/search/?q=школа")[1] == "Найден 1 результат по запросу «школа»"
        assert found("/ru/search/?q=мост")[1] == "Найдено 2 результата по запросу «мост»"
        assert found("/ru/search/?q=урожай")[1] == "Найдено 5 результатов по запросу «урожай»"


#: The search page as a site's own templates/search.html wrote it before the count was by count.
OLD_SEARCH_TEMPLATE = """\
{% extends "base.html" %}
{% block main %}
<form id="search-form" role="search" action="{{ page.url }}" method="get"
      data-bundle="/pagefind/" data-searching="{{ t('search_searching') }}" data-count="{{ t('search_count') }}"
      data-count-one="{{ t('search_count_one') }}" data-none="{{ t('search_none') }}"
      data-unavailable="{{ t('search_unavailable') }}">
  <label for="search-q">{{ t('search_label') }}</label>
  <input id="search-q" type="search" name="q"><button type="submit">{{ t('search') }}</button>
</form>
<p id="search-status" role="status"></p>
<ol id="search-results"></ol>
<script src="/js/search.js" defer></script>
{% endblock %}
"""


def _farms(make_site: Callable[..., Path], files: dict[str, str | bytes], name: str) -> Path:
    """Two releases in each language: both say farmers (petani), one of them bridge (jembatan)."""
    news = "content/berita/"
    return make_site({
        news + "2026-10-20-panen.id.md": article("Panen Raya", "2026-10-20T10:00:00+07:00", "Petani panen."),
        news + "2026-10-20-panen.en.md": article("Harvest", "2026-10-20T10:00:00+07:00", "Farmers harvest."),
        news + "2026-09-02-jembatan.id.md": article("Jembatan", "2026-09-02T10:00:00+07:00", "Petani dan jembatan."),
        news + "2026-09-02-jembatan.en.md": article("Bridge", "2026-09-02T10:00:00+07:00", "Farmers and a bridge."),
        **files}, name=name)


def test_a_site_that_wrote_the_count_as_a_pair_keeps_its_words(make_site: Callable[..., Path]) -> None:
    """A site's own i18n file with the old pair (search_count and search_count_one, for one
    language only) or its own search.html of before still builds, and says what it said:
    search_count_one is the text for exactly one result."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    words = _farms(make_site, {"i18n/en.yaml": 'search_count: "{n} hits for “{q}”"\n'
                                                             'search_count_one: "One hit for “{q}”"\n'}, "words")
    template = _farms(make_site, {"templates/search.html": OLD_SEARCH_TEMPLATE}, "template")
    for site in (words, template):
        result = build(site, "--now", "2026-11-01T00:00:00+07:00")
        assert result.code == 0 and "error" not in result.err, result.err
    assert _count_forms(words, "/en/search/") == {"=1": "One hit for “{q}”", "other": "{n} hits for “{q}”"}
    old = page(template, "/en/search/").xpath("//form[@id='search-form']")[0]
    assert (old.get("data-count"), old.get("data-count-one")) == ("{n} results for “{q}”", "{n} result for “{q}”")
    with browser() as chromium:
        for site, counts in ((words, ("One hit for “bridge”", "2 hits for “farmers”")),
                             (template, ("1 result for “bridge”", "2 results for “farmers”"))):
            with serve(site / "public") as base:
                found = _searcher(chromium, base)
                assert (found("/en/search/?q=bridge")[1], found("/en/search/?q=farmers")[1]) == counts
                assert (found("/search/?q=jembatan")[1], found("/search/?q=petani")[1]) == (
                    "1 hasil untuk “jembatan”", "2 hasil untuk “petani”")


def _pagefind_tree(site: Path) -> dict[str, bytes]:
    root = site / "public" / "pagefind"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _three_months(make_site, name: str) -> Path:  # type: ignore[no-untyped-def]
    news = "content/berita/"
    return make_site({
        news + "2026-10-20-baru.id.md": article("Rilis Baru", "2026-10-20T10:00:00+07:00", "Panen raya."),
        news + "2026-10-20-baru.en.md": article("New Release", "2026-10-20T10:00:00+07:00", "Harvest."),
        news + "2026-09-02-lalu.id.md": article("Rilis Bulan Lalu", "2026-09-02T10:00:00+07:00", "Pasar murah."),
        news + "2023-03-01-lama.id.md": article("Rilis Lama", "2023-03-01T10:00:00+07:00", "Jembatan baru."),
        "content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nKantor wilayah.\n",
    }, name=name)


def _early_build(site: Path, *extra: str) -> tuple[int, list[bool], list[bool], str]:
    """``sitegen build --jobs 2`` in a fresh process, every bundle worth making early: its
    exit code, what became of each bundle the child was to make (moved in or not), whether
    the child started, and what it printed."""
    script = """
import json, sys
from sitegen import build, searchindex
from sitegen.cli import main
searchindex.EARLY_FROM = 1
moved, started = [], []
move, start = searchindex._move, build.start_early

def spy_move(*args):
    moved.append(move(*args))
    return moved[-1]

def spy_start(*args):
    early = start(*args)
    started.append(early is not None and early.forked)
    return early

searchindex._move, build.start_early = spy_move, spy_start
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code or 0
print(json.dumps([code, moved, started]))
"""
    done = subprocess.run([sys.executable, "-c", script, "build", "--site", str(site),
                           "--now", "2026-11-01T00:00:00+07:00", "--jobs", "2", *extra],
                          capture_output=True, text=True, timeout=300, check=False)
    code, moved, started = json.loads(done.stdout.strip().splitlines()[-1])
    return code, moved, started, done.stderr


def test_the_index_made_beside_the_render_is_the_index_made_after_it(make_site) -> None:  # type: ignore[no-untyped-def]
    """A build with many pages to index starts Pagefind in a forked child while it renders;
    the bundles it moves in are byte for byte the ones the build makes itself afterwards."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    after, beside = _three_months(make_site, "after"), _three_months(make_site, "beside")
    assert build(after, "--now", "2026-11-01T00:00:00+07:00", "--jobs", "1").code == 0  # one process: never early
    code, moved, started, err = _early_build(beside)
    assert code == 0, err
    assert started == [True] and len(moved) == 5 and all(moved), moved  # each bundle came from the child
    assert _pagefind_tree(beside) == _pagefind_tree(after) and len(listed(beside)["id"]) == 4
    assert not (generations.locate(beside, beside / "public").home / searchindex.EARLY).exists()
    # An edit: the one bundle it touches is made again (early too, at this threshold); the rest kept.
    with (beside / "content/berita/2026-10-20-baru.id.md").open("a", encoding="utf-8") as f:
        f.write("\nLumbung desa penuh.\n")
    code, moved, started, err = _early_build(beside)
    assert (code, moved, started) == (0, [True], [True]), err
    assert any(b"Lumbung" in text for text in fragments(beside))


def test_a_failed_render_stops_the_early_index(make_site) -> None:  # type: ignore[no-untyped-def]
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    site = _three_months(make_site, "site")
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text("{{ entry.no_such_field.deeper }}", "utf-8")
    code, moved, started, err = _early_build(site)
    assert code == 1 and "no_such_field" in err
    assert started == [True] and moved == []
    assert not (generations.locate(site, site / "public").home / searchindex.EARLY).exists()
    assert not (site / "public").exists()


_NO_PROCESS_TO_SPARE = """
import errno, sys
from sitegen import searchindex
from sitegen.cli import main
searchindex.EARLY_FROM = 1

def no_fork(*args):
    raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

searchindex.Forked = no_fork
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code or 0
sys.exit(code)
"""


def test_a_build_that_cannot_fork_the_early_index_makes_it_after_the_pages(make_site) -> None:  # type: ignore[no-untyped-def]
    """No process to spare (fork fails): no traceback, and the same index, made inline."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    after, inline = _three_months(make_site, "after"), _three_months(make_site, "inline")
    assert build(after, "--now", "2026-11-01T00:00:00+07:00", "--jobs", "1").code == 0
    done = subprocess.run([sys.executable, "-c", _NO_PROCESS_TO_SPARE, "build", "--site", str(inline),
                           "--now", "2026-11-01T00:00:00+07:00", "--jobs", "2"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert _pagefind_tree(inline) == _pagefind_tree(after)
    assert not (generations.locate(inline, inline / "public").home / searchindex.EARLY).exists()


@pytest.mark.parametrize("name", ["../escape.js", "fragment/../../escape", "/etc/escape", "a//b", "a\\b"])
def test_a_bundle_file_named_outside_the_bundle_fails_the_bundle(tmp_path: Path, name: str) -> None:
    files = {"pagefind-entry.json": b"{}", "fragment/a.pf_fragment": b"x", name: b"y"}
    with pytest.raises(searchindex.PagefindError):
        searchindex._write_bundle(tmp_path / "bundle", files)
    assert not (tmp_path / "escape.js").exists() and not (tmp_path / "escape").exists()


def test_a_bundle_is_written_with_its_folders(tmp_path: Path) -> None:
    files = {"pagefind-entry.json": b"{}", "fragment/a.pf_fragment": b"x", "index/b.pf_index": b"y",
             "pagefind-ui.js": b"unused", "playground/index.html": b"unused"}
    searchindex._write_bundle(tmp_path / "bundle", files)
    written = {str(p.relative_to(tmp_path / "bundle")): p.read_bytes()
               for p in (tmp_path / "bundle").rglob("*") if p.is_file()}
    assert written == {"pagefind-entry.json": b"{}", "fragment/a.pf_fragment": b"x", "index/b.pf_index": b"y"}


_STOPPED_WHILE_INDEXING = """
import shutil, sys, threading, time
from pathlib import Path
from sitegen import searchindex
from sitegen.build import Options, prepare
from sitegen.errors import Report

site, out = Path(sys.argv[1]), Path(sys.argv[2])
prepared = prepare(Options(site_dir=site))
made = (prepared.site, prepared.renderer.texts, prepared.renderer.strings, Report())
started = time.monotonic()
searchindex.index_site(out, *made, jobs=2)  # the whole index, waited for
print(time.monotonic() - started)
shutil.rmtree(out / "pagefind")
threading.Thread(target=searchindex.index_site, args=(out, *made), kwargs={"jobs": 2}, daemon=True).start()
while not any(t.name.startswith("sitegen-search") for t in threading.enumerate()):
    time.sleep(0.001)
time.sleep(0.1)  # Pagefind is at work now, as serve's or watch's background index is when stopped
print(time.monotonic(), flush=True)
"""


def test_stopping_serve_or_watch_does_not_wait_for_pagefind(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """serve and watch make the index in a background thread; a process that ends meanwhile
    must end then, not when Pagefind is done. Python waited for an executor's threads: Ctrl-C
    printed "stopped" and serve lived on (2.5 s on a first index at 1,000 x 2, ten times
    that at 10,000 x 2)."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    news = "content/berita/"
    site = make_site({f"{news}{year}-03-01-rilis.{lang}.md": article(f"Rilis {year}", f"{year}-03-01T10:00:00+07:00",
                                                                     f"Kegiatan tahun {year}.")
                      for year in range(1990, 2026) for lang in ("id", "en")})
    ran = subprocess.Popen([sys.executable, "-c", _STOPPED_WHILE_INDEXING, str(site), str(tmp_path)],
                           stdout=subprocess.PIPE, text=True)
    assert ran.stdout is not None
    whole = float(ran.stdout.readline())
    ended = float(ran.stdout.readline())
    assert ran.wait(timeout=120) == 0
    lingered = time.monotonic() - ended
    assert lingered < whole / 3, f"ended {lingered:.2f} s after its last line; the whole index takes {whole:.2f} s"


def test_an_excerpt_is_the_text_not_the_header_the_result_shows(make_site: Callable[..., Path]) -> None:
    """Real Pagefind, real browser: a result shows the title and the date above its excerpt, so
    the excerpt is the release's text, not the title and date again; the title still finds
    (and ranks) the release, and its number finds it first among numbers that share a prefix."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    news = "content/berita/"
    site = make_site({
        news + "2026-08-05-jembatan.id.md": article(
            "Jembatan Gantung Diresmikan", "2026-08-05T10:00:00+07:00",
            "Warga dua nagari kini menyeberang dengan aman.", release_number="HM.01.02-268"),
        news + "2026-08-06-pasar.id.md": article(
            "Pasar Murah Dibuka", "2026-08-06T10:00:00+07:00",
            "Pasar murah ramai; jembatan ke nagari sebelah ikut ramai. Rujukan HM.01.02-268 dan HM.01.02.",
            release_number="HM.01.02-2680"),
        news + "2026-08-07-panen.id.md": article(
            "Panen Raya", "2026-08-07T10:00:00+07:00", "Petani nagari merayakan panen.",
            release_number="HM.01.02-26"),
        news + "2026-08-08-rapat.id.md": article(
            "Rapat Koordinasi", "2026-08-08T10:00:00+07:00", "Rapat membahas 268 usulan nagari.",
            release_number="HM.01.02-117"),
    })
    assert build(site, "--now", "2026-11-01T00:00:00+07:00").code == 0
    with browser() as chromium, serve(site / "public") as base:
        tab = chromium.new_page()

        def results(query: str) -> list[tuple[str, str, str]]:
            """Each result's title, date and excerpt, in the page's order."""
            tab.goto(f"{base}/search/?q={query}")
            tab.wait_for_selector("#search-results li")
            return [(li.locator("h2").inner_text(), li.locator("p.meta").inner_text(),
                     li.locator("p:not(.meta)").inner_text()) for li in tab.locator("#search-results li").all()]

        found = results("menyeberang")
        assert len(found) == 1
        title, date, excerpt = found[0]
        assert (title, date) == ("Jembatan Gantung Diresmikan", "Rabu, 5 Agustus 2026")
        assert not excerpt.startswith(title) and not excerpt.startswith(date), excerpt
        assert not excerpt.startswith("HM.01.02-268"), excerpt  # nor the release number
        assert title not in excerpt and date not in excerpt and "menyeberang" in excerpt
        # The title is still searched, as the title: a word only the title has finds the
        # release, and a title's word ranks it above a text that merely mentions the word.
        assert [r[0] for r in results("diresmikan")] == ["Jembatan Gantung Diresmikan"]
        assert [r[0] for r in results("jembatan")] == ["Jembatan Gantung Diresmikan", "Pasar Murah Dibuka"]
        # A release number finds its own release first, then those that quote it, and not
        # those whose numbers merely share its parts ("5 results" for one release before);
        # typed in small letters too. The excerpt is still the text, not the number.
        found = results("HM.01.02-268")
        assert [r[0] for r in found] == ["Jembatan Gantung Diresmikan", "Pasar Murah Dibuka"]
        assert tab.locator("#search-status").inner_text().startswith("2 ")
        assert [r[0] for r in results("hm.01.02-26")] == ["Panen Raya"]
        # A number no release has is searched as words, as before.
        assert "Pasar Murah Dibuka" in [r[0] for r in results("HM.01.02")]


def _every_file(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _built_by(site: Path, out: Path, env: dict[str, str]) -> dict[str, bytes]:
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site), "--output", str(out),
                           "--now", "2026-11-28T12:00:00+07:00"], capture_output=True, text=True, env=env,
                          timeout=300, cwd=out.parent)  # not the repository's folder: PYTHONPATH decides
    assert done.returncode == 0, done.stderr
    return _every_file(out)


def test_the_whole_output_is_the_same_whoever_builds_it(bilingual: Path, tmp_path: Path) -> None:
    """Issue 18: the same sources, options and --now give the same bytes. The search bundles
    were named after a cache key that held the builder's language (LC_ALL) and the times of
    sitegen's own files, so another computer, or a reinstall, renamed the whole index."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    import os

    base = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "PYTHONPATH")}
    english = _built_by(bilingual, tmp_path / "en", {**base, "LC_ALL": "C.UTF-8"})
    shutil.rmtree(bilingual / ".sitegen-cache")
    indonesian = _built_by(bilingual, tmp_path / "id", {**base, "LC_ALL": "id_ID.UTF-8"})
    assert any(path.startswith("pagefind/") for path in english)
    assert indonesian == english
    # a second copy of sitegen, the same code with other file times (another checkout, a reinstall)
    copy = tmp_path / "copy"
    shutil.copytree(REPO / "sitegen", copy / "sitegen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "themes", copy / "themes")  # the bundled themes, beside the package
    later = time.time() + 3600
    for module in (copy / "sitegen").rglob("*.py"):
        os.utime(module, (later, later))
    shutil.rmtree(bilingual / ".sitegen-cache")
    copied = _built_by(bilingual, tmp_path / "copied", {**base, "LC_ALL": "C.UTF-8", "PYTHONPATH": str(copy)})
    assert copied == english
    assert str(copy) in subprocess.run([sys.executable, "-c", "import sitegen; print(sitegen.__file__)"],
                                       capture_output=True, text=True, cwd=tmp_path,
                                       env={**base, "PYTHONPATH": str(copy)}).stdout  # the copy was built with


def test_the_search_page_ranks_a_title_above_a_mention_and_echoes_a_query_as_typed(
        make_site: Callable[..., Path]) -> None:
    """Real Pagefind, real browser. Pages holding the words exactly as typed come first, and
    among them the most relevant first: an exact search scores every page alike, so they came
    in the bundles' order (newest month first), and a release titled with the word, saying it
    again in its text, fell below newer ones that mention it once. The count says the query as
    typed, ``$&`` included (String.replace read it as a pattern)."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    news = "content/berita/"
    site = make_site({
        news + "2024-03-01-jembatan.id.md": article(
            "Jembatan Gantung Nagari Diresmikan", "2024-03-01T10:00:00+07:00",
            "Jembatan gantung itu menghubungkan dua nagari. Jembatan dibangun dua tahun."),
        news + "2026-10-02-anggaran.id.md": article("Rapat Anggaran Daerah", "2026-10-02T10:00:00+07:00",
                                                     "Dibahas pula perbaikan jembatan desa."),
        news + "2026-09-03-panen.id.md": article("Panen Raya Padi", "2026-09-03T10:00:00+07:00",
                                                  "Petani membawa hasil panen melewati jembatan."),
        news + "2026-10-02-anggaran.en.md": article("Regional Budget Meeting", "2026-10-02T10:00:00+07:00",
                                                     "The budget is 5 million US$ for the bridge."),
    })
    assert build(site, "--now", "2026-11-01T00:00:00+07:00").code == 0
    with browser() as chromium, serve(site / "public") as base:
        tab = chromium.new_page()

        def said(url: str) -> tuple[list[str], str]:
            tab.goto(base + url)
            tab.wait_for_function("document.getElementById('search-status').textContent.includes('“')")
            return tab.locator("#search-results h2 a").all_text_contents(), tab.inner_text("#search-status")

        titles, _count = said("/search/?q=jembatan")
        assert titles[0] == "Jembatan Gantung Nagari Diresmikan" and len(titles) == 3
        assert said("/en/search/?q=US%24%26")[1] == "1 result for “US$&”"
        assert said("/search/?q=Rp%24%27x")[1] == "Tidak ada hasil untuk “Rp$'x”."
        assert said("/en/search/?q=budget")[1] == "1 result for “budget”"


def test_a_search_that_failed_offline_works_again_once_online(make_site: Callable[..., Path]) -> None:
    """Offline for a moment, a search said the site has no search ('not available on this
    site yet'), and kept saying it for every search on that page after the connection was
    back. It says the index could not be loaded, and the next search loads it again."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    site = make_site({"content/berita/2026-10-20-panen.id.md": article(
        "Panen Raya Padi", "2026-10-20T10:00:00+07:00", "Petani merayakan panen raya di sawah.")})
    assert build(site, "--now", "2026-11-01T00:00:00+07:00").code == 0
    with browser() as chromium, serve(site / "public") as base:
        context = chromium.new_context()
        tab = context.new_page()
        tab.goto(base + "/search/")
        context.set_offline(True)
        tab.fill("#search-q", "panen")
        tab.press("#search-q", "Enter")
        tab.wait_for_function("document.getElementById('search-status').textContent.includes('dimuat')")
        assert tab.inner_text("#search-status") == ("Pencarian tidak dapat dimuat. Periksa sambungan internet, "
                                                    "lalu cari lagi.")
        context.set_offline(False)
        tab.press("#search-q", "Enter")
        tab.wait_for_selector("#search-results li")
        assert tab.locator("#search-results h2 a").all_text_contents() == ["Panen Raya Padi"]
        context.close()
