"""Every release page of the bundled site, both languages: its steps to the previous and
next release and its related releases stay in its language, its language switcher names the
other language in that language and leads to a page that exists, and its head links the
feeds that fit it (the site's and its section's, in its language) with their MIME types."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from tests.conftest import build

BASE = "https://humas.example.go.id"
FEED_TYPES = {"feed.xml": "application/rss+xml", "atom.xml": "application/atom+xml",
              "feed.json": "application/feed+json"}


def test_every_release_stays_in_its_language_and_links_its_feeds(bundled_site: Path) -> None:
    assert build(bundled_site, "--no-search").code == 0
    out = bundled_site / "public"
    releases = [p for p in out.rglob("index.html") if b'class="release"' in p.read_bytes()]
    assert len(releases) > 20
    for path in releases:
        doc = html.fromstring(path.read_bytes())
        lang, where = doc.get("lang"), path.relative_to(out).as_posix()
        home = "/en/" if lang == "en" else "/"
        steps = doc.xpath("//nav[@class='prev-next']//a/@href") + doc.xpath("//section[@class='related']//a/@href")
        assert steps and all(s.startswith("/en/") == (lang == "en") for s in steps), where
        for link in doc.xpath("//nav[@class='lang-switcher']//a"):
            assert link.get("lang") != lang and link.get("hreflang") in (None, link.get("lang")), where
            assert (link.get("hreflang") is None) == (link.get("rel") is None), where  # a translation names both
            target = out / link.get("href").lstrip("/") / "index.html"
            assert target.is_file(), (where, link.get("href"))
        feeds = {(str(link.get("href")), str(link.get("type")))
                 for link in doc.xpath("//head/link[@rel='alternate'][@type!='text/html']")}
        section = doc.xpath("string(//article[@class='release']//*[@class='kicker']/a/@href)")
        expected = {(f"{BASE}{list_url}{name}", mime) for list_url in (home, section)
                    for name, mime in FEED_TYPES.items()}
        assert feeds == expected, where
        for href, _ in feeds:
            assert (out / href.removeprefix(BASE + "/")).is_file(), href
