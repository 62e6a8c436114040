"""Issue 5: "deleting or renaming an article removes its old pages" — the renaming half, in
a running ``sitegen serve``: the old address is gone from the disk, the server, the lists,
the feed and the twin's switcher, and the new one is there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree, html

from tests.test_serve import ARTICLE, ARTICLE_URL, bilingual_files, serving, wait_for

NEW_URL = "/berita/2024/rapat-koordinasi/"


def test_renaming_an_article_moves_its_pages(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    with serving(site) as srv:
        assert srv.get(ARTICLE_URL).status == 200
        renamed = site / "content/berita/2024-05-30-rapat-koordinasi.id.md"
        (site / ARTICLE).rename(renamed)
        wait_for(lambda: srv.get(NEW_URL).status == 200, "the page at its new address")
        wait_for(lambda: srv.get(ARTICLE_URL).status == 404, "the old page gone")
        assert not (site / "public" / ARTICLE_URL.strip("/")).exists()
        assert srv.title(NEW_URL) == "Rapat Koordinasi"
        home = html.fromstring(srv.get("/").body).xpath("//a/@href")
        assert not any(href.endswith(ARTICLE_URL) for href in home)
        assert any(href.endswith(NEW_URL) for href in home)
        links = etree.fromstring(srv.get("/feed.xml").body).xpath("//item/link/text()")
        assert [link.removeprefix("https://humas.example.go.id") for link in links] == [NEW_URL]
        # The English twin lost its translation (the file key changed): no switcher to the old page.
        twin = html.fromstring(srv.get("/en" + ARTICLE_URL).body).xpath("//link[@hreflang='id']/@href")
        assert not any(href.endswith(ARTICLE_URL) for href in twin)
