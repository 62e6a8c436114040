"""sitemap.xml (every indexable page, lastmod, reciprocal hreflang), the Google News sitemap
of the last two days before --now, and robots.txt naming both."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree, html

from sitegen.outputs import sitemaps
from tests.conftest import NOW, SMALL_CONFIG, article, run, xml
from tests.test_feeds import BASE, CONFIG, build, newsroom_files

NS = {"s": sitemaps.SITEMAP_NS, "x": sitemaps.XHTML_NS, "n": sitemaps.NEWS_NS}


@pytest.fixture
def newsroom(make_site: Any) -> Path:
    # Two articles per list page, so the Indonesian home and Berita have a page 2.
    site: Path = make_site(newsroom_files(), CONFIG.replace("paginate: 5", "paginate: 2"))
    assert build(site).code == 0
    return site


def read_urlset(path: Path) -> dict[str, dict[str, Any]]:
    """loc → its lastmod and its alternates (hreflang → href); each loc listed once."""
    root = xml(path)
    assert root.tag == f"{{{sitemaps.SITEMAP_NS}}}urlset"
    found: dict[str, dict[str, Any]] = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc and loc not in found
        links = url.findall("x:link", NS)
        assert all(link.get("rel") == "alternate" for link in links)
        found[loc] = {"lastmod": url.findtext("s:lastmod", namespaces=NS),
                      "alternates": {link.get("hreflang"): link.get("href") for link in links}}
        assert len(found[loc]["alternates"]) == len(links)
    return found


def indexable_pages(out: Path) -> dict[str, dict[str, str]]:
    """Every HTML page in the output that search engines may index → its hreflang links."""
    pages: dict[str, dict[str, str]] = {}
    for path in out.rglob("*.html"):
        doc = html.fromstring(path.read_bytes())
        if doc.xpath("//meta[@name='robots'][contains(@content, 'noindex')]"):
            continue
        url = BASE + "/" + path.relative_to(out).as_posix().removesuffix("index.html")
        pages[url] = {str(link.get("hreflang")): str(link.get("href"))
                      for link in doc.xpath("//head/link[@rel='alternate'][@hreflang]")}
    return pages


def assert_reciprocal(found: dict[str, dict[str, Any]]) -> None:
    for loc, data in found.items():
        alternates = data["alternates"]
        if not alternates:
            continue
        assert "x-default" in alternates and loc in alternates.values(), loc
        for lang, href in alternates.items():
            assert href in found, (loc, lang, href)
            assert found[href]["alternates"] == alternates, (loc, href)


def test_sitemap_lists_every_indexable_page_with_its_hreflang(newsroom: Path) -> None:
    out = newsroom / "public"
    found = read_urlset(out / "sitemap.xml")
    pages = indexable_pages(out)
    assert set(found) == set(pages)
    for loc, data in found.items():
        assert data["alternates"] == pages[loc], loc  # the same links as the page's <head>
    # Not listed: the 404 pages and the redirect of an old URL (both exist).
    assert (out / "404.html").is_file() and (out / "berita/lama-rapat/index.html").is_file()
    assert f"{BASE}/berita/lama-rapat/" not in found
    assert {f"{BASE}/page/2/", f"{BASE}/berita/page/2/", f"{BASE}/tags/", f"{BASE}/tentang/",
            f"{BASE}/en/tags/public-relations/"} <= set(found)
    rapat = found[f"{BASE}/berita/2024/rapat/"]
    assert rapat["lastmod"] == "2024-05-31T08:00:00+07:00"  # updated, else date
    assert rapat["alternates"] == {"id": f"{BASE}/berita/2024/rapat/",
                                   "en": f"{BASE}/en/berita/2024/rapat/",
                                   "x-default": f"{BASE}/berita/2024/rapat/"}
    assert found[f"{BASE}/berita/2024/khusus/"]["alternates"] == {}
    assert found[f"{BASE}/"]["lastmod"] == "2024-06-03T09:00:00+07:00"  # newest article
    assert found[f"{BASE}/page/2/"] == {"lastmod": "2024-06-01T09:00:00+07:00", "alternates": {}}
    # A page without a date of its own: when the site last changed.
    assert found[f"{BASE}/tentang/"]["lastmod"] == max(loc["lastmod"] for loc in found.values())
    assert all(loc["lastmod"] for loc in found.values())
    assert_reciprocal(found)


def test_sitemap_becomes_an_index_before_a_file_passes_the_byte_limit(newsroom: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The protocol's 50 MB per file, as well as its 50,000 addresses: each address is written
    once per language beside it, so a trilingual site with a long base_url wrote one 58 MB file
    of 49,410 addresses. Here the limit is a few kilobytes, so the bundled newsroom passes it."""
    whole = read_urlset(newsroom / "public/sitemap.xml")
    limit = 6_000
    assert (newsroom / "public/sitemap.xml").stat().st_size > limit
    monkeypatch.setattr(sitemaps, "MAX_BYTES", limit)
    assert run("build", "--no-search", "--site", newsroom, "--now", NOW, "--output", newsroom / "split").code == 0
    out = newsroom / "split"
    index = xml(out / "sitemap.xml")
    assert index.tag == f"{{{sitemaps.SITEMAP_NS}}}sitemapindex"
    merged: dict[str, dict[str, Any]] = {}
    for number in range(1, len(index.findall("s:sitemap", NS)) + 1):
        assert (out / f"sitemap-{number}.xml").stat().st_size <= limit
        merged.update(read_urlset(out / f"sitemap-{number}.xml"))
    assert merged == whole


def test_sitemap_becomes_an_index_above_the_limit(newsroom: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read_urlset(newsroom / "public/sitemap.xml")
    monkeypatch.setattr(sitemaps, "MAX_URLS", 4)
    assert run("build", "--no-search", "--site", newsroom, "--now", NOW, "--output", newsroom / "split").code == 0
    out = newsroom / "split"
    index = xml(out / "sitemap.xml")
    assert index.tag == f"{{{sitemaps.SITEMAP_NS}}}sitemapindex"
    parts = [str(loc) for loc in index.xpath("s:sitemap/s:loc/text()", namespaces=NS)]
    assert len(parts) == -(-len(whole) // 4)
    modified = [m.findtext("s:lastmod", namespaces=NS) for m in index.findall("s:sitemap", NS)]
    merged: dict[str, dict[str, Any]] = {}
    for number, loc in enumerate(parts, start=1):
        assert loc == f"{BASE}/sitemap-{number}.xml"
        chunk = read_urlset(out / f"sitemap-{number}.xml")
        assert 0 < len(chunk) <= 4 and not set(chunk) & set(merged)
        dates = [datetime.fromisoformat(u["lastmod"]) for u in chunk.values() if u["lastmod"]]
        assert modified[number - 1] == (max(dates).isoformat() if dates else None)
        merged.update(chunk)
    assert merged == whole

    # A body edit moves no address or date: no sitemap file is written again, and how many
    # there are is not worked out again either (it takes every address of the site). A new
    # release is listed (and every file that holds a place after it moves).
    files = sorted(out.glob("sitemap*.xml"))
    before = {f: f.stat().st_ino for f in files}
    counted: list[bool] = []
    every_location = sitemaps.locations

    def locations(*args: Any, details: bool = True) -> list[sitemaps.Location]:
        counted.append(details)
        return every_location(*args, details=details)

    monkeypatch.setattr(sitemaps, "locations", locations)
    article_file = next((newsroom / "content/berita").glob("*.id.md"))
    article_file.write_text(article_file.read_text("utf-8") + "\nParagraf baru.\n", "utf-8")
    assert run("build", "--no-search", "--site", newsroom, "--now", NOW, "--output", out).code == 0
    assert {f: f.stat().st_ino for f in files} == before
    assert counted == []
    for number in range(6):  # enough places for another file
        (newsroom / f"content/berita/2024-06-0{number + 4}-baru{number}.id.md").write_text(
            article(f"Rilis Baru {number}", f"2024-06-0{number + 4}T09:00:00+07:00"))
    assert run("build", "--no-search", "--site", newsroom, "--now", NOW, "--output", out).code == 0
    assert False in counted
    listed = {u: data for f in out.glob("sitemap-*.xml") for u, data in read_urlset(f).items()}
    assert not [u for u in whole if "baru" in u]
    assert len(listed) > len(whole) and [u for u in listed if u.endswith("baru0/")]
    assert len(list(out.glob("sitemap-*.xml"))) == -(-len(listed) // 4) > len(parts)
    monkeypatch.setattr(sitemaps, "MAX_URLS", 50_000)
    assert run("build", "--no-search", "--site", newsroom, "--now", NOW, "--output", newsroom / "whole").code == 0
    assert listed == read_urlset(newsroom / "whole/sitemap.xml")


@pytest.fixture
def fresh_news(make_site: Any) -> Path:
    site: Path = make_site({
        "content/berita/2026-11-28-baru.id.md": article("Baru \"Sekali\" & <Segar>",
                                                         "2026-11-28T11:00:00+07:00"),
        "content/berita/2026-11-28-baru.en.md": article("Brand New", "2026-11-28T04:00:00Z"),
        "content/berita/2026-11-26-kemarin.id.md": article("Dua Hari", "2026-11-26T13:00+07:00"),
        "content/berita/2026-11-26-batas.id.md": article("Tepat 48 Jam", "2026-11-26T12:00+07:00"),
        "content/berita/2026-11-26-lama.id.md": article("Terlalu Lama", "2026-11-26T11:00+07:00"),
        "content/berita/2026-11-28-nanti.id.md": article("Terjadwal", "2026-11-28T13:00+07:00"),
        "content/pages/tentang.id.md": "---\ntitle: Tentang\n---\nHalaman.\n",
    })
    assert build(site).code == 0
    return site


def test_news_sitemap_holds_the_last_two_days_before_now(fresh_news: Path) -> None:
    root = xml(fresh_news / "public/news-sitemap.xml")
    urls = root.findall("s:url", NS)
    assert [u.findtext("s:loc", namespaces=NS) for u in urls] == [
        f"{BASE}/berita/2026/baru/", f"{BASE}/en/berita/2026/baru/",
        f"{BASE}/berita/2026/kemarin/", f"{BASE}/berita/2026/batas/"]
    news = [u.find("n:news", NS) for u in urls]
    assert [n.findtext("n:publication/n:name", namespaces=NS) for n in news] == [
        "Situs Uji Humas", "Test Newsroom", "Situs Uji Humas", "Situs Uji Humas"]
    languages = [n.findtext("n:publication/n:language", namespaces=NS) for n in news]
    assert languages == ["id", "en", "id", "id"]
    assert [n.findtext("n:publication_date", namespaces=NS) for n in news] == [
        "2026-11-28T11:00:00+07:00", "2026-11-28T11:00:00+07:00",
        "2026-11-26T13:00:00+07:00", "2026-11-26T12:00:00+07:00"]
    assert news[0].findtext("n:title", namespaces=NS) == 'Baru "Sekali" & <Segar>'
    # A week later nothing is news any more; the file stays a valid, empty urlset.
    later = run("build", "--no-search", "--site", fresh_news, "--now", "2026-12-05T12:00:00+07:00", "--output",
                fresh_news / "later")
    assert later.code == 0
    assert xml(fresh_news / "later/news-sitemap.xml").findall("s:url", NS) == []


def test_a_release_whose_embargo_lifted_is_news_from_that_moment(make_site: Any) -> None:
    site = make_site({"content/berita/2026-11-20-embargo.id.md": article(
        "Embargo Dicabut", "2026-11-20T10:00:00+07:00", embargo="2026-11-27T10:00:00+07:00")})
    assert build(site).code == 0  # the tests' clock: 2026-11-28 12:00 WIB, a day after it lifted
    news = xml(site / "public/news-sitemap.xml").findall("s:url", NS)
    assert [u.findtext("s:loc", namespaces=NS) for u in news] == [f"{BASE}/berita/2026/embargo/"]
    assert news[0].findtext("n:news/n:publication_date", namespaces=NS) == "2026-11-27T10:00:00+07:00"


def test_robots_txt_names_both_sitemaps(fresh_news: Path) -> None:
    lines = (fresh_news / "public/robots.txt").read_text("utf-8").splitlines()
    assert lines[0] == "User-agent: *"
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {BASE}/sitemap.xml", f"Sitemap: {BASE}/news-sitemap.xml"]
    for name in ("sitemap.xml", "news-sitemap.xml"):
        etree.parse(str(fresh_news / "public" / name))


def test_sitemap_text_is_escaped(make_site: Any) -> None:
    config = SMALL_CONFIG.replace("title: Situs Uji Humas", 'title: "Humas <A&B> \\"Uji\\""')
    files = {"content/berita/2026-11-28-x.id.md": article("A & B", "2026-11-28T10:00+07:00")}
    site = make_site(files, config)
    assert build(site).code == 0
    news = xml(site / "public/news-sitemap.xml")
    assert news.xpath("//n:name/text()", namespaces=NS) == ['Humas <A&B> "Uji"']
    assert news.xpath("//n:title/text()", namespaces=NS) == ["A & B"]


def test_bundled_site_sitemap_is_complete_and_reciprocal(bundled_site: Path) -> None:
    assert build(bundled_site).code == 0
    out = bundled_site / "public"
    found = read_urlset(out / "sitemap.xml")
    pages = indexable_pages(out)
    assert set(found) == set(pages)
    assert all(found[loc]["alternates"] == pages[loc] for loc in found)
    assert_reciprocal(found)
    assert any(data["alternates"] for data in found.values())
    xml(out / "news-sitemap.xml")


def test_term_indexes_name_their_counterparts_in_the_other_language(newsroom: Path) -> None:
    """/tags/ and /en/tags/ (and the category and year indexes) are one page in two languages:
    each names the other in its head, its language switcher and the sitemap."""
    found = read_urlset(newsroom / "public/sitemap.xml")
    for kind in ("tags", "categories", "archive"):
        pair = {"id": f"{BASE}/{kind}/", "en": f"{BASE}/en/{kind}/"}
        expected = {**pair, "x-default": pair["id"]}
        for lang, url in pair.items():
            assert found[url]["alternates"] == expected, url
            doc = html.fromstring((newsroom / "public" / url.removeprefix(BASE + "/") / "index.html").read_bytes())
            head = {link.get("hreflang"): link.get("href")
                    for link in doc.xpath("//head/link[@rel='alternate'][@hreflang]")}
            assert head == expected, url
            other = "en" if lang == "id" else "id"
            switch = doc.xpath("//nav[@class='lang-switcher']//a/@href")
            assert switch == [pair[other].removeprefix(BASE)], url
    assert_reciprocal(found)


def test_the_sitemap_is_an_index_only_over_the_limit(newsroom: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"A sitemap index when over 50,000 URLs": at exactly the limit, and below it where a
    bound on the addresses (every kind of index page, in every language) says there may be
    more, sitemap.xml stays one list."""
    whole = read_urlset(newsroom / "public/sitemap.xml")
    for limit, split in ((len(whole), False), (len(whole) + 3, False), (len(whole) - 1, True)):
        monkeypatch.setattr(sitemaps, "MAX_URLS", limit)
        out = newsroom / f"out-{limit}"
        assert run("build", "--no-search", "--site", newsroom, "--now", NOW, "--output", out).code == 0
        tree = xml(out / "sitemap.xml")
        assert (tree.tag == f"{{{sitemaps.SITEMAP_NS}}}sitemapindex") is split, limit
        assert bool(list(out.glob("sitemap-*.xml"))) is split
        if not split:
            assert read_urlset(out / "sitemap.xml") == whole
