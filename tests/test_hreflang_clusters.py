"""hreflang alternates are reciprocal with any number of languages: every version of a page
names the same set, x-default included. With three languages, a release in two that are
not the default one gave each version itself as x-default."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from tests.conftest import REPO, SMALL_CONFIG, article, build, page

THREE = SMALL_CONFIG.replace("sections:", "  ms: {name: Bahasa Melayu, locale: ms_MY, title: Laman Ujian}\nsections:") \
    .replace("berita: {id: Berita, en: News}", "berita: {id: Berita, en: News, ms: Berita}")
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _links(site: Path, url: str) -> dict[str, str]:
    found = page(site, url).xpath("//link[@rel='alternate'][@hreflang]")
    return {link.get("hreflang"): link.get("href") for link in found}


def test_x_default_is_one_version_for_all_of_them_without_the_default_language(
        make_site: Callable[..., Path]) -> None:
    base = "https://humas.example.go.id"
    site = make_site({
        "i18n/ms.yaml": (REPO / "themes/humas/i18n/en.yaml").read_text("utf-8"),
        "content/berita/2024-05-06-tiga.en.md": article("Three Languages", "2024-05-06T10:00:00+07:00"),
        "content/berita/2024-05-06-tiga.ms.md": article("Tiga Bahasa", "2024-05-06T10:00:00+07:00"),
        "content/berita/2024-05-07-semua.id.md": article("Semua Bahasa", "2024-05-07T10:00:00+07:00"),
        "content/berita/2024-05-07-semua.en.md": article("All Languages", "2024-05-07T10:00:00+07:00"),
        "content/berita/2024-05-07-semua.ms.md": article("Semua Bahasa Melayu", "2024-05-07T10:00:00+07:00"),
    }, THREE)
    result = build(site, "--now", "2024-05-08T12:00:00+07:00", "--no-search")
    assert result.code == 0, result.err
    en, ms = "/en/berita/2024/tiga/", "/ms/berita/2024/tiga/"
    cluster = {"en": base + en, "ms": base + ms, "x-default": base + en}  # the first in the config's order
    assert _links(site, en) == _links(site, ms) == cluster
    assert _links(site, "/en/berita/2024/semua/")["x-default"] == base + "/berita/2024/semua/"  # the default's
    tree = etree.parse(str(site / "public/sitemap.xml"))
    for url in (en, ms):
        (loc,) = tree.xpath("//s:url[s:loc=$u]", namespaces=SITEMAP, u=base + url)
        said = {x.get("hreflang"): x.get("href") for x in loc.xpath("x:link", namespaces=SITEMAP)}
        assert said == cluster
    # The lists the two languages share, too: each language's own section page names the same x-default.
    assert _links(site, "/en/berita/")["x-default"] == _links(site, "/ms/berita/")["x-default"]


def test_a_topic_or_category_in_both_languages_switches_to_its_other_version(
        make_site: Callable[..., Path]) -> None:
    """The README: the switcher leads to the translation, and from a topic, category, unit or
    year page with no version there, to that language's index of them. A tag kept as written
    in both languages (banjir), or the category both versions share, has a version there."""
    base = "https://humas.example.go.id"
    site = make_site({
        "content/berita/2024-05-30-rapat.id.md": article("Rapat", "2024-05-30T10:00:00+07:00",
                                                         tags=["banjir", "sungai"], category="Umum"),
        "content/berita/2024-05-30-rapat.en.md": article("Meeting", "2024-05-30T10:00:00+07:00",
                                                         tags=["banjir"], category="Umum"),
    })
    assert build(site, "--now", "2024-06-01T12:00:00+07:00", "--no-search").code == 0

    def switch(url: str) -> str:
        (href,) = page(site, url).xpath("//nav[@class='lang-switcher']//a[@lang]/@href")
        return str(href)

    assert switch("/tags/banjir/") == "/en/tags/banjir/" and switch("/en/tags/banjir/") == "/tags/banjir/"
    assert switch("/categories/umum/") == "/en/categories/umum/"
    assert switch("/tags/sungai/") == "/en/tags/"  # no version there: the index of topics
    assert _links(site, "/tags/banjir/") == _links(site, "/en/tags/banjir/") == {
        "id": base + "/tags/banjir/", "en": base + "/en/tags/banjir/", "x-default": base + "/tags/banjir/"}
    assert _links(site, "/tags/sungai/") == {}
    tree = etree.parse(str(site / "public/sitemap.xml"))
    (loc,) = tree.xpath("//s:url[s:loc=$u]", namespaces=SITEMAP, u=base + "/en/tags/banjir/")
    assert {x.get("hreflang") for x in loc.xpath("x:link", namespaces=SITEMAP)} == {"id", "en", "x-default"}


def test_an_english_default_site_in_jakarta_says_wib_in_both_languages(make_site: Callable[..., Path]) -> None:
    """The zone's name as the site's languages write it: English has none for Asia/Jakarta, so
    an English-default site said "+0700" on its English pages and "WIB" on its Indonesian ones."""
    config = SMALL_CONFIG.replace("default_language: id", "default_language: en")
    site = make_site({"content/berita/2024-05-30-rapat.id.md": article("Rapat", "2024-05-30T10:00:00+07:00"),
                      "content/berita/2024-05-30-rapat.en.md": article("Meeting", "2024-05-30T10:00:00+07:00")},
                     config)
    assert build(site, "--now", "2024-06-01T12:00:00+07:00", "--no-search").code == 0
    said = {url: page(site, url).xpath("string(//main//time[@datetime='2024-05-30T10:00:00+07:00'])")
            for url in ("/berita/2024/rapat/", "/id/berita/2024/rapat/")}
    assert said == {"/berita/2024/rapat/": "Thursday, 30 May 2024, 10.00 WIB",
                    "/id/berita/2024/rapat/": "Kamis, 30 Mei 2024, 10.00 WIB"}
