"""The foundation: a bilingual site builds with the URLs, links, lists and dates DESIGN.md fixes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from tests.conftest import NOW, REPO, add_files, article, build, page, run, xml


def hrefs(doc: html.HtmlElement, xpath: str) -> list[str]:
    return [str(x) for x in doc.xpath(xpath)]


@pytest.fixture
def bilingual(make_site):  # type: ignore[no-untyped-def]
    return make_site({
        "content/berita/2024-05-30-rapat.id.md": article("Rapat Koordinasi Humas", tags=["humas", "rapat"],
                                                          location="Padang", agency="ANTARA"),
        "content/berita/2024-05-30-rapat.en.md": article("Public Relations Coordination Meeting",
                                                          tags=["public relations"]),
        "content/berita/2024-06-01-khusus.id.md": article("Hanya Bahasa Indonesia", "2024-06-01T09:00:00+07:00",
                                                           tags=["humas"]),
        "content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nKantor wilayah.\n",
        "content/pages/tentang.en.md": "---\ntitle: About Us\nslug: about\n---\nThe regional office.\n",
    })


def test_translations_link_both_ways(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    id_page = page(bilingual, "/berita/2024/rapat/")
    en_page = page(bilingual, "/en/berita/2024/rapat/")
    assert id_page.get("lang") == "id" and en_page.get("lang") == "en"
    base = "https://humas.example.go.id"
    for doc in (id_page, en_page):
        alternates = dict(zip(doc.xpath("//link[@rel='alternate'][@hreflang]/@hreflang"),
                              doc.xpath("//link[@rel='alternate'][@hreflang]/@href"), strict=True))
        assert alternates == {"id": f"{base}/berita/2024/rapat/", "en": f"{base}/en/berita/2024/rapat/",
                              "x-default": f"{base}/berita/2024/rapat/"}
    assert hrefs(id_page, "//nav[@class='lang-switcher']//a/@href") == ["/en/berita/2024/rapat/"]
    assert hrefs(en_page, "//nav[@class='lang-switcher']//a/@href") == ["/berita/2024/rapat/"]
    assert id_page.xpath("//link[@rel='canonical']/@href") == [f"{base}/berita/2024/rapat/"]


def test_indonesian_only_article_has_no_english_page(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    assert not (bilingual / "public/en/berita/2024/khusus").exists()
    doc = page(bilingual, "/berita/2024/khusus/")
    assert doc.xpath("//link[@hreflang]") == []
    switch = doc.xpath("//nav[@class='lang-switcher']//a")
    assert [a.get("href") for a in switch] == ["/en/"]
    # the switcher's link is in English (lang) and claims no translation: no hreflang="en"
    # anywhere on the page (the issue's words), no rel="alternate", as no <link> does
    assert switch[0].get("lang") == "en" and switch[0].get("hreflang") is None and switch[0].get("rel") is None
    assert 'hreflang="en"' not in (bilingual / "public/berita/2024/khusus/index.html").read_text("utf-8")
    assert switch[0].text_content().strip() == "English"


def test_a_list_without_a_version_in_the_other_language_switches_to_its_kind_there(
        bilingual: Path) -> None:
    """A topic, category or unit page with no version in the other language (no topic of that
    name there): the language link leads to that language's topics (categories, units) when it
    has any, not to its home page; a list's later page leads to the list's first page there.
    The link is no rel="alternate", and no hreflang link claims a translation. One with a
    version there (the category a section gives, in both languages) leads to it
    (tests/test_hreflang_clusters.py)."""
    assert build(bilingual, "--no-search").code == 0
    tag = page(bilingual, "/tags/rapat/")
    assert hrefs(tag, "//nav[@class='lang-switcher']//a/@href") == ["/en/tags/"]
    assert tag.xpath("//nav[@class='lang-switcher']//a/@rel") == [] and tag.xpath("//link[@hreflang]") == []
    switch = "//nav[@class='lang-switcher']//a/@href"
    assert hrefs(page(bilingual, "/en/tags/public-relations/"), switch) == ["/tags/"]
    assert hrefs(page(bilingual, "/categories/berita/"), switch) == ["/en/categories/berita/"]
    # A later page of a section leads to the section's first page in English.
    add_files(bilingual, {f"content/berita/2024-06-1{n}-kabar-{n}.{lang}.md": article(f"Kabar {n} {lang}",
                                                                                f"2024-06-1{n}T09:00:00+07:00")
                      for n in range(6) for lang in ("id", "en")})
    assert build(bilingual, "--no-search").code == 0
    assert hrefs(page(bilingual, "/berita/page/2/"), "//nav[@class='lang-switcher']//a/@href") == ["/en/berita/"]


def test_a_tag_pages_language_link_follows_the_other_language_getting_its_first_topic(
        make_site: Callable[..., Path]) -> None:
    """The link is part of what the incremental build checks: a page built while English had
    no topics leads home, and is built again once English has one."""
    site = make_site({"content/berita/a.id.md": article("Rapat", tags=["rapat"]),
                      "content/berita/a.en.md": article("Meeting")})
    assert build(site, "--no-search").code == 0
    assert hrefs(page(site, "/tags/rapat/"), "//nav[@class='lang-switcher']//a/@href") == ["/en/"]
    add_files(site, {"content/berita/a.en.md": article("Meeting", tags=["meeting"])})
    assert build(site, "--no-search").code == 0
    assert hrefs(page(site, "/tags/rapat/"), "//nav[@class='lang-switcher']//a/@href") == ["/en/tags/"]


def test_static_pages_in_both_languages(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    assert page(bilingual, "/tentang/").xpath("//h1/text()") == ["Tentang Kami"]
    en = page(bilingual, "/en/about/")
    assert en.xpath("//h1/text()") == ["About Us"]
    assert hrefs(en, "//nav[@class='lang-switcher']//a/@href") == ["/tentang/"]


def test_dates_in_each_languages_words(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    id_date = page(bilingual, "/berita/2024/rapat/").xpath("//header//time/text()")
    en_date = page(bilingual, "/en/berita/2024/rapat/").xpath("//header//time/text()")
    # the time too, and the zone by its Indonesian name in both languages, as the press writes it
    assert id_date == ["Kamis, 30 Mei 2024, 10.00 WIB"]
    assert en_date == ["Thursday, 30 May 2024, 10.00 WIB"]


def test_a_date_written_without_a_time_is_shown_without_one(make_site: Callable[..., Path]) -> None:
    """``date: 2024-05-30`` says a day, not midnight: the page shows no "00.00 WIB" (its
    machine-readable datetime stays midnight on the site's clock), nor for ``updated``; an
    embargo written so does say its hour, when it lifts."""
    day = "---\ntitle: Hari\ndate: 2024-05-30\nupdated: 2024-06-02\n---\nTeks.\n"
    site = make_site({"content/berita/hari.id.md": day,
                      "content/berita/jam.en.md": article("Hour", "2024-05-31T00:00:00+07:00", slug="jam")})
    assert build(site, "--no-search").code == 0
    dated = page(site, "/berita/2024/hari/").xpath("//header//time")
    assert [t.text for t in dated] == ["Kamis, 30 Mei 2024", "Minggu, 2 Juni 2024"]
    assert dated[0].get("datetime") == "2024-05-30T00:00:00+07:00"
    assert page(site, "/en/berita/2024/jam/").xpath("//header//time/text()") == ["Friday, 31 May 2024"]


def test_dateline_from_location_and_agency(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    text = page(bilingual, "/berita/2024/rapat/").xpath("string(//*[@class='dateline'])")
    assert text.strip() == "Padang (ANTARA) -"


def test_an_agency_without_a_location_is_a_warning(make_site) -> None:  # type: ignore[no-untyped-def]
    """The dateline reads "Padang (ANTARA) -": without the place there is none, and check says why."""
    site = make_site({"content/berita/a.id.md": article("Rapat", agency="ANTARA")})
    result = build(site)
    assert result.code == 0, result.err
    assert ("content/berita/a.id.md:4: warning: 'agency' is given without 'location': the dateline needs the "
            "place it was written in (add a line like  location: Padang)") in result.err
    assert not page(site, "/berita/2024/a/").xpath("//*[@class='dateline']")


def test_pagination_counts(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {f"content/berita/item-{n:02d}.id.md": article(f"Berita {n}", f"2024-01-{n:02d}T08:00:00+07:00")
             for n in range(1, 13)}
    site = make_site(files)
    assert build(site).code == 0
    first = page(site, "/")
    assert len(first.xpath("//article[@class='card']")) == 5
    assert first.xpath("//article[@class='card'][1]//h2/a/text()") == ["Berita 12"]
    assert hrefs(first, "//nav[@class='pagination']//a[@rel='next']/@href") == ["/page/2/"]
    third = page(site, "/page/3/")
    assert len(third.xpath("//article[@class='card']")) == 2
    assert hrefs(third, "//nav[@class='pagination']//a[@rel='prev']/@href") == ["/page/2/"]
    assert not (site / "public/page/4").exists()
    section = page(site, "/berita/page/2/")
    assert len(section.xpath("//article[@class='card']")) == 5
    # English has no articles: its home exists and says so; no English section list
    assert page(site, "/en/").xpath("//article[@class='card']") == []
    assert not (site / "public/en/berita").exists()


def test_tag_category_and_archive_pages(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    humas = page(bilingual, "/tags/humas/")
    assert sorted(humas.xpath("//article[@class='card']//h2/a/text()")) == [
        "Hanya Bahasa Indonesia", "Rapat Koordinasi Humas"]
    assert page(bilingual, "/en/tags/public-relations/").xpath("//article[@class='card']//h2/a/text()") == [
        "Public Relations Coordination Meeting"]
    assert not (bilingual / "public/en/tags/humas").exists()
    index = page(bilingual, "/tags/")
    assert sorted(index.xpath("//ul[@class='term-index']//a/text()")) == ["humas", "rapat"]
    assert page(bilingual, "/categories/berita/").xpath("//h1/text()") == ["Berita"]
    assert len(page(bilingual, "/archive/2024/").xpath("//article[@class='card']")) == 2
    assert page(bilingual, "/en/berita/").xpath("//h1/text()") == ["News"]


def test_the_yearly_archive_is_the_year_in_the_sites_timezone(make_site) -> None:  # type: ignore[no-untyped-def]
    """Issue 2: dates "in the site's timezone". 20:00 UTC on 31 December is 03:00 WIB on
    1 January: the page says 2025, and so does its yearly archive; its address keeps the
    digits as written, so that an address once published never moves."""
    site = make_site({"content/berita/tahun-baru.id.md": article("Malam Tahun Baru", "2024-12-31T20:00:00+00:00")})
    assert build(site).code == 0
    doc = page(site, "/berita/2024/tahun-baru/")
    assert doc.xpath("//header//time/text()") == ["Rabu, 1 Januari 2025, 03.00 WIB"]
    assert page(site, "/archive/2025/").xpath("//article[@class='card']//h2/a/text()") == ["Malam Tahun Baru"]
    assert not (site / "public/archive/2024").exists()


def test_tags_spelled_two_ways_are_one_tag_listing_each_release_once(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/berita/baru.id.md": article("Banjir Terbaru", "2024-06-02T09:00:00+07:00", tags=["banjir"]),
        "content/berita/lama.id.md": article("Banjir Lama", "2024-06-01T09:00:00+07:00", tags=["Banjir", "BANJIR"]),
    })
    assert build(site).code == 0
    tag = page(site, "/tags/banjir/")
    assert tag.xpath("//h1/text()") == ["banjir"]  # as the newest release spells it
    assert tag.xpath("//article[@class='card']//h2/a/text()") == ["Banjir Terbaru", "Banjir Lama"]
    assert page(site, "/tags/").xpath("//ul[@class='term-index']//a/text()") == ["banjir"]


def _hashed(kind: str, name: str) -> str:
    """The slug of a term whose name has no letter or digit a URL can use: its kind and the
    start of its name's SHA-256, so that its address stays the same from build to build."""
    return f"{kind}-" + hashlib.sha256(name.encode()).hexdigest()[:8]


def test_a_tag_category_or_unit_without_letters_a_url_can_use_has_a_page_of_its_own(make_site) -> None:  # type: ignore[no-untyped-def]
    """"政府", "!!!" or an emoji leave nothing for a slug: each is given one made of its kind and
    a short hash of its name, so its links lead to its own page, never to the list of all tags.
    Spelled in another case, it is the same term, as "Banjir" and "banjir" are."""
    site = make_site({
        "content/berita/a.id.md": article("Pemerintah", tags=["政府", "!!!", "🔥", "Banjir", "ΑΘΗΝΑ"],
                                          category="政府", unit="🏛️"),
        "content/berita/b.id.md": article("Kedua", "2024-06-01T09:00:00+07:00", tags=["政府", "αθηνα"]),
    })
    assert build(site, "--no-search").code == 0
    doc = page(site, "/berita/2024/a/")
    links = {a.text: a.get("href") for a in doc.xpath("//p[@class='tags']/a")}
    assert links == {"Banjir": "/tags/banjir/", **{name: f"/tags/{_hashed('tag', name.lower())}/"
                                                   for name in ("政府", "!!!", "🔥", "ΑΘΗΝΑ")}}
    for name, url in links.items():
        assert page(site, url).xpath("//h1/text()") == [name if name != "ΑΘΗΝΑ" else "αθηνα"]
    assert page(site, links["政府"]).xpath("//article[@class='card']//h2/a/text()") == ["Kedua", "Pemerintah"]
    assert page(site, "/berita/2024/b/").xpath("//p[@class='tags']/a/@href") == [links["政府"], links["ΑΘΗΝΑ"]]
    index = {a.text: a.get("href") for a in page(site, "/tags/").xpath("//ul[@class='term-index']//a")}
    links["αθηνα"] = links.pop("ΑΘΗΝΑ")  # as the newest release spells it
    assert index == links
    facts = {a.get("class"): (a.text, a.get("href")) for a in doc.xpath("//p[@class='facts']//a")}
    assert facts == {"category": ("政府", f"/categories/{_hashed('category', '政府')}/"),
                     "unit": ("🏛️", f"/units/{_hashed('unit', '🏛️')}/")}
    for name, url in facts.values():
        assert page(site, url).xpath("//h1/text()") == [name]
    assert run("check", "--site", site, "--now", NOW).code == 0  # and no link leads nowhere


def _sha8(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


@pytest.fixture
def half_latin(make_site):  # type: ignore[no-untyped-def]
    """Two releases in two languages whose tag, category and unit differ only in letters a
    URL cannot hold ("政府 Jakarta" and "Jakarta")."""
    def release(title: str, date: str, mixed: bool) -> str:
        return article(title, date, tags=["政府 Jakarta" if mixed else "Jakarta"],
                       category="Ekonomi 经济" if mixed else "Ekonomi",
                       unit="Biro Humas 🏛️" if mixed else "Biro Humas")
    return make_site({
        "content/berita/a.id.md": release("Kunjungan Delegasi", "2024-06-02T09:00:00+07:00", True),
        "content/berita/a.en.md": release("Delegation Visit", "2024-06-02T09:00:00+07:00", True),
        "content/berita/b.id.md": release("Banjir Jakarta", "2024-06-01T09:00:00+07:00", False),
        "content/berita/b.en.md": release("Jakarta Floods", "2024-06-01T09:00:00+07:00", False),
    })


def test_a_name_with_letters_a_url_cannot_hold_has_a_page_apart_from_the_rest_of_it(half_latin: Path) -> None:
    """"政府 Jakarta" slugifies to "jakarta", as "Jakarta" does: it gets the readable part and
    a short hash of its name (the letters a URL cannot hold included), so each tag, category
    and unit keeps a page, a feed and links of its own, in each language."""
    assert build(half_latin).code == 0
    terms = {  # kind: its folder, then the name and slug of release a's term and of release b's
        "tag": ("tags", ("政府 Jakarta", f"jakarta-{_sha8('政府-jakarta')}"), ("Jakarta", "jakarta")),
        "category": ("categories", ("Ekonomi 经济", f"ekonomi-{_sha8('ekonomi-经济')}"), ("Ekonomi", "ekonomi")),
        "unit": ("units", ("Biro Humas 🏛️", f"biro-humas-{_sha8('biro-humas-🏛')}"), ("Biro Humas", "biro-humas")),
    }
    releases = {"": ("Kunjungan Delegasi", "Banjir Jakarta"), "/en": ("Delegation Visit", "Jakarta Floods")}
    for lang, titles in releases.items():
        for folder, *named in terms.values():
            lists = {name: f"{lang}/{folder}/{slug}/" for name, slug in named}
            for (name, url), title in zip(lists.items(), titles, strict=True):
                doc = page(half_latin, url)
                assert doc.xpath("//h1/text()") == [name]
                assert doc.xpath("//article[@class='card']//h2/a/text()") == [title]
                feed = xml(half_latin / "public" / url.lstrip("/") / "feed.xml")
                assert feed.xpath("//item/title/text()") == [title]
            index = page(half_latin, f"{lang}/{folder}/").xpath("//ul[@class='term-index']//a")
            assert {a.text: a.get("href") for a in index} == lists
        for release, which in (("a", 1), ("b", 2)):
            doc = page(half_latin, f"{lang}/berita/2024/{release}/")
            url = {kind: f"{lang}/{folder}/{named[which - 1][1]}/" for kind, (folder, *named) in terms.items()}
            assert doc.xpath("//p[@class='tags']/a/@href") == [url["tag"]]
            assert {a.get("class"): a.get("href") for a in doc.xpath("//p[@class='facts']//a")} == \
                {"category": url["category"], "unit": url["unit"]}
    assert run("check", "--site", half_latin, "--now", NOW).code == 0


def test_a_name_a_url_holds_whole_keeps_the_address_it_always_had(make_site) -> None:  # type: ignore[no-untyped-def]
    """Accents, punctuation, spaces, full-width letters and invisible soft hyphens are what a
    slug drops anyway: such names keep the slug they had before some names got a hash."""
    expected = {"Jakarta": "jakarta", "Café": "cafe", "Hari Bhayangkara!": "hari-bhayangkara",
                "Rapat—Koordinasi": "rapatkoordinasi", "«Pemilu»": "pemilu", "Ｐｏｌｒｉ": "polri",
                "Ja\u00adwa Barat": "jawa-barat", "Jakarta №1": "jakarta-no1", "HUT RI ke-79": "hut-ri-ke-79",
                "C++": "c"}
    site = make_site({"content/berita/a.id.md": article("Semua", tags=list(expected), category="Pelayanan Publik",
                                                        unit="Bagian Humas & Protokol")})
    assert build(site).code == 0
    doc = page(site, "/berita/2024/a/")
    assert {a.text: a.get("href") for a in doc.xpath("//p[@class='tags']/a")} == \
        {name: f"/tags/{slug}/" for name, slug in expected.items()}
    assert sorted(a.get("href") for a in doc.xpath("//p[@class='facts']//a")) == \
        ["/categories/pelayanan-publik/", "/units/bagian-humas-protokol/"]
    assert sorted(p.parent.name for p in (site / "public/tags").glob("*/index.html")) == sorted(expected.values())


def test_names_that_read_the_same_share_a_page_and_only_those(make_site) -> None:  # type: ignore[no-untyped-def]
    """One term for names with the same letters, digits and symbols in the same order, in any
    case, with any accents on Latin letters, spacing or punctuation; one more or less, or
    in another place, is another term."""
    site = make_site({
        "content/berita/a.id.md": article("Pertama", "2024-06-02T09:00:00+07:00",
                                          tags=["Rapat Koordinasi", "Humas 🏛️", "ΑΘΗΝΑ 2024", "Łódź", "Straße"]),
        "content/berita/b.id.md": article("Kedua", "2024-06-01T09:00:00+07:00",
                                          tags=["rapat-koordinasi", "Humas 🏛", "αθηνα, 2024", "Lodz", "Strasse"]),
        "content/berita/c.id.md": article("Ketiga", "2024-05-31T09:00:00+07:00",
                                          tags=["RapatKoordinasi", "Humas 🏛🏛", "2024 αθηνα", "Łodz"]),
    })
    assert build(site).code == 0
    expected = {  # name shown (the newest release's spelling): address, releases listed
        "Rapat Koordinasi": ("rapat-koordinasi", ["Pertama", "Kedua"]),
        "RapatKoordinasi": ("rapatkoordinasi", ["Ketiga"]),
        "Humas 🏛️": (f"humas-{_sha8('humas-🏛')}", ["Pertama", "Kedua"]),  # an emoji's look, chosen or not
        "Humas 🏛🏛": (f"humas-{_sha8('humas-🏛🏛')}", ["Ketiga"]),
        "ΑΘΗΝΑ 2024": (f"2024-{_sha8('αθηνα-2024')}", ["Pertama", "Kedua"]),
        "2024 αθηνα": (f"2024-{_sha8('2024-αθηνα')}", ["Ketiga"]),
        "Łódź": (f"odz-{_sha8('łodz')}", ["Pertama", "Ketiga"]),  # "ó" reads "o", "Ł" is a letter of its own
        "Lodz": ("lodz", ["Kedua"]),
        "Straße": ("strasse", ["Pertama", "Kedua"]),  # "ß" reads "ss", which a URL holds
    }
    index = page(site, "/tags/").xpath("//ul[@class='term-index']//a")
    assert {a.text: a.get("href") for a in index} == {name: f"/tags/{slug}/" for name, (slug, _t) in expected.items()}
    for name, (slug, titles) in expected.items():
        doc = page(site, f"/tags/{slug}/")
        assert (doc.xpath("//h1/text()"), doc.xpath("//article[@class='card']//h2/a/text()")) == ([name], titles)


def test_404_page_per_language(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    assert page(bilingual, "/404.html").xpath("//h1/text()") == ["Halaman tidak ditemukan"]
    assert page(bilingual, "/en/404.html").xpath("//h1/text()") == ["Page not found"]


@pytest.fixture
def timed(make_site):  # type: ignore[no-untyped-def]
    return make_site({
        "content/berita/terbit.id.md": article("Sudah Terbit", "2026-11-01T08:00:00+07:00"),
        "content/berita/embargo.id.md": article("Diembargo", "2026-11-01T08:00:00+07:00",
                                                 embargo="2026-11-28T13:00:00+07:00", tags=["rahasia"]),
        "content/berita/terjadwal.id.md": article("Terjadwal", "2026-11-29T08:00:00+07:00"),
        "content/berita/draf.id.md": article("Draf", "2026-11-01T08:00:00+07:00", draft=True),
    })


def public_titles(site: Path) -> set[str]:
    found = set()
    for path in (site / "public").rglob("*.html"):
        found.update(html.fromstring(path.read_bytes()).xpath("//h1/text() | //h2/a/text()"))
    return found


def test_embargo_draft_and_schedule_hidden_until_their_time(timed: Path) -> None:
    assert run("build", "--site", timed, "--now", "2026-11-28T12:00:00+07:00").code == 0
    titles = public_titles(timed)
    assert "Sudah Terbit" in titles
    assert not titles & {"Diembargo", "Terjadwal", "Draf"}
    assert not (timed / "public/tags/rahasia").exists()
    every_byte = b"".join(p.read_bytes() for p in (timed / "public").rglob("*") if p.is_file())
    assert b"Diembargo" not in every_byte and b"Terjadwal" not in every_byte

    assert run("build", "--site", timed, "--now", "2026-11-28T13:00:00+07:00").code == 0
    assert "Diembargo" in public_titles(timed) and "Terjadwal" not in public_titles(timed)

    assert run("build", "--site", timed, "--now", "2026-11-30T00:00:00+07:00", "--drafts").code == 0
    assert {"Diembargo", "Terjadwal", "Draf"} <= public_titles(timed)


def test_the_files_of_an_embargoed_release_wait_for_it(make_site) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import photo_file

    embargoed = article("Rilis Rahasia", "2026-11-20T10:00:00+07:00", embargo="2026-11-28T13:00:00+07:00",
                        image="/images/rahasia.jpg", image_alt="Penandatanganan",
                        attachments=[{"path": "/files/rahasia-ttd.pdf"}, {"path": "/files/bersama.pdf"}])
    site = make_site({
        "content/berita/rahasia.id.md": embargoed,
        "content/berita/terbuka.id.md": article("Rilis Terbuka", "2026-11-19T10:00:00+07:00", slug="terbuka",
                                                attachments=[{"path": "/files/bersama.pdf"}]),
        "static/images/rahasia.jpg": photo_file(640, 480),
        "static/files/rahasia-ttd.pdf": b"%PDF-1.4\nrahasia\n%%EOF\n",
        "static/files/bersama.pdf": b"%PDF-1.4\nbersama\n%%EOF\n",
        "static/files/lain.pdf": b"%PDF-1.4\nlain\n%%EOF\n",
    })
    public = site / "public"
    assert run("build", "--site", site, "--now", "2026-11-28T12:00:00+07:00", "--no-search").code == 0
    assert not (public / "files/rahasia-ttd.pdf").exists() and not (public / "images/rahasia.jpg").exists()
    assert not list(public.glob("images/rahasia-*"))  # nor its versions
    assert (public / "files/bersama.pdf").is_file()  # a public release names it too
    assert (public / "files/lain.pdf").is_file()  # named by no release: static/ as it is
    assert b"rahasia" not in (public / ".sitegen-output.json").read_bytes()
    assert run("build", "--site", site, "--now", "2026-11-28T13:00:00+07:00", "--no-search").code == 0
    assert (public / "files/rahasia-ttd.pdf").read_bytes() == b"%PDF-1.4\nrahasia\n%%EOF\n"
    assert (public / "images/rahasia.jpg").is_file() and list((public / "images").glob("rahasia-*w.*.jpg"))


def test_source_date_epoch_fixes_the_clock(timed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795500000")  # 2026-11-24, before the embargo lifts
    assert run("build", "--site", timed).code == 0
    assert "Diembargo" not in public_titles(timed)


def test_markdown_extensions(make_site) -> None:  # type: ignore[no-untyped-def]
    body = """\
    ## Ringkasan

    | Layanan | Jumlah |
    |---|---|
    | Paspor | 12 |

    Catatan kaki.[^1]

    Paragraf bertanda.
    {: .penting }

    ```
    kode
    ```

    [^1]: Sumber data.
    """
    site = make_site({"content/berita/md.id.md": article("Markdown", body=body)})
    assert build(site).code == 0
    doc = page(site, "/berita/2024/md/")
    assert doc.xpath("//table//td/text()") == ["Paspor", "12"]
    assert doc.xpath("//h2[@id='ringkasan']")
    assert doc.xpath("//div[@class='footnote']//li")
    assert doc.xpath("//p[@class='penting']")
    assert doc.xpath("//pre/code/text()") == ["kode\n"]


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


ERRORS = [
    ("bad_yaml", {"content/berita/a.id.md": "---\ntitle: Judul\ntags: [satu, dua\ndate: 2024-05-30\n---\nx\n"},
     ("content/berita/a.id.md:3: error: ", "["), 1),
    ("missing_title", {"content/berita/a.id.md": "---\ndate: 2024-05-30\n---\nx\n"},
     ("content/berita/a.id.md:1: error: ", "'title'"), 1),
    ("bad_date", {"content/berita/a.id.md": "---\ntitle: Judul\ndate: 2024-02-30\n---\nx\n"},
     ("content/berita/a.id.md:3: error: ", "impossible date"), 1),
    ("unparseable_date", {"content/berita/a.id.md": "---\ntitle: Judul\ndate: kemarin sore\n---\nx\n"},
     ("content/berita/a.id.md:3: error: ", "not a date"), 1),
]


@pytest.mark.parametrize(("name", "files", "expected", "code"), ERRORS, ids=[e[0] for e in ERRORS])
def test_content_errors_name_file_and_line(make_site, name: str, files: dict[str, str],  # type: ignore[no-untyped-def]
                                           expected: tuple[str, str], code: int) -> None:
    """The exact wording is the catalogue's business (test_bad_inputs.py); here: file, line, gist."""
    site = make_site(files)
    result = build(site)
    assert result.code == code
    where, gist = expected
    line = next(line for line in result.err.splitlines() if line.startswith(where))
    assert gist in line
    assert "Traceback" not in result.err
    assert result.err.strip().endswith("1 error")


def test_unknown_config_key_is_a_config_error(make_site) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SMALL_CONFIG

    site = make_site({}, config=SMALL_CONFIG + "paginatoin: 3\n")
    result = build(site)
    assert result.code == 2
    assert "config.yaml:10: error: unknown key 'paginatoin' (did you mean 'paginate'?)" in result.err


def test_duplicate_url_names_both_files(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/berita/a.id.md": article("A", slug="sama"),
        "content/berita/b.id.md": article("B", slug="sama"),
    })
    result = build(site)
    assert result.code == 1
    assert ("content/berita/a.id.md:4: error: /berita/2024/sama/ is claimed by both "
            "content/berita/a.id.md and content/berita/b.id.md") in result.err
    assert "content/berita/b.id.md:4: error: /berita/2024/sama/ is claimed by both" in result.err


def test_every_error_of_the_run_is_reported(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/berita/a.id.md": "---\ndate: 2024-05-30\n---\nx\n",
        "content/berita/b.id.md": "---\ntitle: B\ndate: nanti\n---\nx\n",
        "content/berita/c.id.md": "---\ntitle: C\n",
    })
    result = build(site)
    assert result.code == 1
    assert result.err.count(": error: ") == 3
    assert result.err.strip().endswith("3 errors")


def test_failed_build_keeps_previous_output(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    before = tree_digest(bilingual / "public")
    (bilingual / "content/berita/2024-05-30-rapat.id.md").write_text("---\ntitle: [rusak\n---\n", "utf-8")
    (bilingual / "content/berita/baru.id.md").write_text(article("Baru"), "utf-8")
    assert build(bilingual).code == 1
    assert tree_digest(bilingual / "public") == before


def test_unchanged_files_are_not_rewritten(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    target = bilingual / "public/404.html"
    before = target.stat()
    (bilingual / "content/berita/baru.id.md").write_text(article("Baru"), "utf-8")
    assert build(bilingual).code == 0
    after = target.stat()
    # The same file, not a copy: the next generation links what did not change.
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_deleted_article_pages_are_removed(bilingual: Path) -> None:
    assert build(bilingual).code == 0
    (bilingual / "content/berita/2024-06-01-khusus.id.md").unlink()
    (bilingual / "public/catatan-saya.txt").write_text("milik pengguna", "utf-8")
    assert build(bilingual).code == 0
    assert not (bilingual / "public/berita/2024/khusus").exists()
    assert (bilingual / "public/catatan-saya.txt").read_text("utf-8") == "milik pengguna"


def test_output_folder_that_is_the_site_is_refused(bilingual: Path) -> None:
    result = build(bilingual, "--output", str(bilingual))
    assert result.code == 2
    assert "refusing to write to output folder" in result.err


def test_foreign_output_folder_is_refused(bilingual: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "dokumen"
    foreign.mkdir()
    (foreign / "penting.docx").write_bytes(b"x")
    result = build(bilingual, "--output", str(foreign))
    assert result.code == 2
    assert (foreign / "penting.docx").read_bytes() == b"x"
    assert sorted(p.name for p in foreign.iterdir()) == ["penting.docx"]


def test_bundled_site_builds_and_every_internal_link_resolves(bundled_site: Path) -> None:
    result = build(bundled_site)
    assert result.code == 0, result.err
    out = bundled_site / "public"
    pages = list(out.rglob("*.html"))
    assert len(pages) > 40
    missing = set()
    for path in pages:
        doc = html.fromstring(path.read_bytes())
        for link in doc.xpath("//a/@href | //link[@rel='stylesheet']/@href | //img/@src"):
            if not link.startswith("/") or link.startswith("//"):
                continue
            target = out / link.split("#")[0].lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.add((str(path.relative_to(out)), link))
    assert not missing
    seed = page(bundled_site, "/berita/2024/pembinaan-humas-kemenkumham-sumbar/")
    assert "P2MA" in seed.text_content()
    assert seed.xpath("//header//time/text()") == ["Kamis, 30 Mei 2024, 10.00 WIB"]


SEED_TEXT = Path(__file__).parent / "seed/padang-humas-coordination.id.txt"  # a copy of the seed release


def test_the_seed_release_is_the_source_word_for_word_with_its_quotes_as_block_quotes(bundled_site: Path) -> None:
    """Issue 2: the seed release "as a faithful Markdown article in Indonesian (dateline Padang,
    source ANTARA, its quotes as block quotes or quotes) with a faithful English translation"."""
    assert build(bundled_site).code == 0
    seed = [" ".join(line.split()) for line in SEED_TEXT.read_text("utf-8").splitlines() if line.strip()]
    quotes = [line for line in seed if line.startswith("“")]
    assert len(quotes) == 3
    for url, lang in (("/berita/2024/pembinaan-humas-kemenkumham-sumbar/", "id"),
                      ("/en/berita/2024/pembinaan-humas-kemenkumham-sumbar/", "en")):
        body = page(bundled_site, url).xpath("//div[@class='body']")[0]
        paragraphs = [" ".join(p.text_content().split()) for p in body.xpath(".//p")]
        assert paragraphs[0] == "Padang (ANTARA) -"
        quoted = [" ".join(p.text_content().split()) for p in body.xpath("./blockquote/p")]
        assert len(quoted) == 3 and all(q.startswith("“") for q in quoted), (lang, quoted)
        if lang == "id":
            assert paragraphs == seed
            assert quoted == quotes


def test_social_cards_can_be_turned_off(make_site) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SMALL_CONFIG

    files = {"content/berita/a.id.md": article("Tanpa Foto")}
    on = make_site(files, name="on")
    off = make_site(files, config=SMALL_CONFIG + "social_cards: false\n", name="off")
    assert build(on).code == 0 and build(off).code == 0
    assert (on / "public/berita/2024/a/og.png").is_file()
    assert not (off / "public/berita/2024/a/og.png").exists()
    assert page(off, "/berita/2024/a/").xpath("//meta[@property='og:image']/@content") != [
        "https://humas.example.go.id/berita/2024/a/og.png"]


def test_the_program_saves_everything_before_it_ends(tmp_path: Path) -> None:
    """`python -m sitegen build` ends without the interpreter's last collection (the build's
    objects are frozen as it exits, sitegen.collector): what it printed through a pipe, the
    site and every cache must all be there, so the next run has nothing to do."""
    from tests.conftest import NOW, run_process, write_site

    site = write_site(tmp_path / "site", {"content/berita/a.md": article("Rapat koordinasi")})
    first = run_process("build", "--site", site, "--now", NOW, "--no-search")
    assert first.code == 0, first.err
    assert first.out.startswith("built ") and first.out.endswith(" removed\n")
    assert page(site, "/berita/2024/a/").findtext(".//h1") == "Rapat koordinasi"
    assert not list((site / ".sitegen-cache").glob("*-wal"))  # the body store was closed, not dropped
    again = run_process("build", "--site", site, "--now", NOW, "--no-search")
    assert again.code == 0 and again.out.endswith("nothing changed\n"), again
    (site / "content/berita/a.md").write_text(article("Rapat koordinasi", body="Isi baru."), "utf-8")
    edited = run_process("build", "--site", site, "--now", NOW, "--no-search")
    assert edited.code == 0 and edited.out.startswith("built "), edited  # its counts: tests/test_incremental.py
    assert page(site, "/berita/2024/a/").xpath("string(//div[@class='body'])").strip().endswith("Isi baru.")
    broken = tmp_path / "site" / "content/berita/b.md"
    broken.write_text("---\ntitle: [tanpa tutup\n---\n", "utf-8")
    failed = run_process("build", "--site", site, "--now", NOW, "--no-search")
    assert failed.code == 1 and failed.err.startswith("content/berita/b.md:2: error:"), failed


def test_static_well_known_is_published_and_other_hidden_names_are_not(make_site: Callable[..., Path]) -> None:
    """security.txt and domain checks live at /.well-known/ (RFC 8615); .git and an editor's
    litter stay private."""
    site = make_site({"content/berita/2024-05-30-a.id.md": article("Rapat"),
                      "static/.well-known/security.txt": "Contact: mailto:csirt@example.go.id\n",
                      "static/.well-known/.security.txt.swp": "litter",
                      "static/.git/config": "[core]\n", "static/files/.catatan.txt": "pribadi"})
    assert build(site, "--no-search").code == 0
    public = site / "public"
    assert (public / ".well-known/security.txt").read_text("utf-8").startswith("Contact: ")
    assert not (public / ".well-known/.security.txt.swp").exists()
    assert not (public / ".git").exists() and not (public / "files/.catatan.txt").exists()


def test_a_site_static_file_takes_the_place_of_the_theme_s_at_the_same_path(make_site: Callable[..., Path]) -> None:
    """As templates/ and i18n/ do, the site's static/ overrides the theme's file by file (README,
    Themes): the office's own favicon is published, the theme's other files still are."""
    icon = b"\x00\x00\x01\x00 the office's own"
    site = make_site({"content/berita/2024-05-30-a.id.md": article("Rapat"), "static/favicon.ico": icon})
    assert build(site, "--no-search").code == 0
    assert (site / "public/favicon.ico").read_bytes() == icon
    assert (site / "public/css/style.css").read_bytes() == (REPO / "themes/humas/static/css/style.css").read_bytes()


def test_a_draft_with_errors_does_not_hold_back_the_rest(make_site) -> None:  # type: ignore[no-untyped-def]
    """A release saved half written (the desk starts every new one as a draft) is left out
    with its errors as warnings; everyone else's releases are still published. The same
    errors in a release that is no draft still stop the build."""
    half_written = "---\ntitle: \"\"\ndate: 2024-05-30T10:00:00+07:00\ndraft: true\n---\nBelum selesai.\n"
    site = make_site({
        "content/berita/rapat.id.md": article("Rapat Koordinasi"),
        "content/berita/setengah.id.md": half_written,
    })
    result = build(site)
    assert result.code == 0, result.err
    assert "content/berita/setengah.id.md:2: warning: 'title' is empty" in result.err
    assert "content/berita/setengah.id.md:4: warning: this draft is left out of the site until its errors are fixed" \
        in result.err
    assert ": error: " not in result.err
    assert page(site, "/berita/2024/rapat/").findtext(".//h1") == "Rapat Koordinasi"
    assert run("check", "--site", site, "--now", NOW).code == 0
    # As drafts are shown (serve --drafts), it is left out all the same.
    assert build(site, "--drafts").code == 0

    (site / "content/berita/setengah.id.md").write_text(half_written.replace("draft: true\n", ""), "utf-8")
    result = build(site)
    assert result.code == 1
    assert "content/berita/setengah.id.md:2: error: 'title' is empty" in result.err
