"""The addresses in a feed item's HTML, as a feed reader resolves them: against the release's
own address, never the feed's, in a site that stands in a folder of its host."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import feedparser
from lxml import etree, html

from sitegen.outputs import feeds
from tests.conftest import SMALL_CONFIG, article, build, page

CONFIG = SMALL_CONFIG.replace("https://humas.example.go.id/", "https://humas.example.go.id/sumbar/")
SITE = "https://humas.example.go.id/sumbar/"
RELEASE = SITE + "berita/2024/rapat/"
SVG = '<svg xmlns="http://www.w3.org/2000/svg"/>'
BODY = """
Lihat ![peta](peta.svg), [lampiran](lampiran.pdf), [lain](../lain/) dan ![bagan](/images/bagan.svg).

Catatan kaki[^1]. [Ke atas](#atas). Surel <humas@example.go.id>.

<video poster="sampul.png" src="video.mp4"></video>

[^1]: Isi catatan.
"""
#: Each address the body writes, in the page's order → where a reader of the release's page
#: finds it.
EXPECTED = {
    "peta.svg": RELEASE + "peta.svg",
    "lampiran.pdf": RELEASE + "lampiran.pdf",
    "../lain/": SITE + "berita/2024/lain/",
    "/images/bagan.svg": SITE + "images/bagan.svg",
    "#fn:1": RELEASE + "#fn:1",
    "#atas": RELEASE + "#atas",
    "mailto:humas@example.go.id": "mailto:humas@example.go.id",
    "sampul.png": RELEASE + "sampul.png",
    "video.mp4": RELEASE + "video.mp4",
    "#fnref:1": RELEASE + "#fnref:1",
}


def addresses(body: str) -> list[str]:
    """Every href, src and poster of ``body``'s HTML, in document order (character
    references decoded, as a reader decodes them)."""
    tree = html.fragment_fromstring(body, create_parent="div")
    return [str(v) for v in tree.xpath("//@href | //@src | //@poster")]


def test_feed_readers_resolve_every_address_against_the_release(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/berita/rapat.md": article("Rapat", body=BODY),
                      "static/berita/2024/rapat/peta.svg": SVG, "static/images/bagan.svg": SVG}, CONFIG)
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    body = page(site, "/berita/2024/rapat/").xpath("//div[@class='body']")[0]
    written = [str(v) for v in body.xpath(".//@href | .//@src | .//@poster")]
    # The page keeps the addresses as written (a root path put into the site's folder).
    assert written == [a.replace("/images/", "/sumbar/images/") for a in EXPECTED]
    expected = list(EXPECTED.values())
    for name in ("feed.xml", "atom.xml"):
        # A reader resolves what is relative against the feed's own address.
        parsed = feedparser.parse((site / "public" / name).read_bytes(),
                                  response_headers={"content-location": SITE + name})
        (item,) = parsed.entries
        assert item.link == RELEASE
        assert addresses(item.content[0].value) == expected, name
    (item,) = json.loads((site / "public/feed.json").read_bytes())["items"]
    assert addresses(item["content_html"]) == expected


def test_character_references_are_read_as_a_browser_reads_them() -> None:
    html_in = '<a href="&#47;files/a.pdf">a</a><a href="&#35;n">n</a><a href=?a=1&b=2>q</a>'
    assert feeds.absolute_html(html_in, RELEASE, "/sumbar/") == (
        f'<a href="{SITE}files/a.pdf">a</a><a href="{RELEASE}#n">n</a><a href="{RELEASE}?a=1&amp;b=2">q</a>')


def _styles(fragment: str) -> list[str]:
    tree = html.fragment_fromstring(fragment, create_parent="div")
    return [str(v) for v in tree.xpath("//@style")]


def test_addresses_in_style_attributes_resolve_against_the_release(make_site: Callable[..., Path]) -> None:
    """A pasted banner, ``style="background-image: url(...)"``, holds a URL like ``src`` does:
    in a feed it is made absolute, and on a site in a folder a root path goes into the folder."""
    body = ("<p style=\"background-image: url('banner.png'); border-image: url(/images/garis.png) 30\">A</p>\n\n"
            "<div style='background:URL(\"&#47;images/latar.png\")'>B</div>\n\n"
            '<p style="color: red">C</p>\n\n<p style="fill: url(#gradasi)">D</p>')
    site = make_site({"content/berita/rapat.md": article("Rapat", body=body)}, CONFIG)
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    on_page = [str(v) for v in page(site, "/berita/2024/rapat/").xpath("//div[@class='body']//@style")]
    assert on_page == ["background-image: url('banner.png'); border-image: url(/sumbar/images/garis.png) 30",
                       'background:URL("/sumbar/images/latar.png")', "color: red", "fill: url(#gradasi)"]
    expected = [f"background-image: url('{RELEASE}banner.png'); border-image: url({SITE}images/garis.png) 30",
                f'background:URL("{SITE}images/latar.png")', "color: red",
                "fill: url(#gradasi)"]  # a paint of an SVG in the same page, not an address
    ns = {"content": "http://purl.org/rss/1.0/modules/content/", "atom": "http://www.w3.org/2005/Atom"}
    rss = etree.fromstring((site / "public/feed.xml").read_bytes())
    assert _styles(rss.findtext("channel/item/content:encoded", namespaces=ns)) == expected
    atom = etree.fromstring((site / "public/atom.xml").read_bytes())
    assert _styles(atom.findtext("atom:entry/atom:content", namespaces=ns)) == expected
    (item,) = json.loads((site / "public/feed.json").read_bytes())["items"]
    assert _styles(item["content_html"]) == expected
