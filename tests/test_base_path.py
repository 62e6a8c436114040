"""A site published in a folder of its host (``base_url: https://host/sumbar/``): every
link, picture and script of its pages leads into that folder, feeds resolve links against
it, ``check`` finds no broken link, ``serve`` serves the site there, and the search page's
results lead there too."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import feedparser
from lxml import html

from sitegen import searchindex
from sitegen.htmlurls import under
from tests.conftest import NOW, SMALL_CONFIG, article, browser, build, need, page, photo_file, run, xml
from tests.test_serve import launch

HOST = "https://humas.example.go.id"
FOLDER_CONFIG = SMALL_CONFIG.replace(f"base_url: {HOST}/", f"base_url: {HOST}/sumbar/")
BODY = """\
Unduh [surat edaran](/files/edaran.pdf) atau lihat [berita lain](/berita/) dan
[situs kementerian](https://kemenkumham.go.id/) serta [catatan](#catatan).

![Denah lokasi](/files/denah.png)
"""
#: attributes that hold an address (``data-bundle`` is the search page's setting)
ADDRESS = ("href", "src", "action", "poster", "data-bundle")
NS = {"content": "http://purl.org/rss/1.0/modules/content/", "atom": "http://www.w3.org/2005/Atom"}


def files(date: str = "2026-11-20T10:00:00+07:00") -> dict[str, str | bytes]:
    return {
        "content/berita/2026-11-20-edaran.id.md": article("Surat Edaran Layanan", date, BODY,
                                                          summary="Ringkasan edaran."),
        "content/berita/2026-11-20-edaran.en.md": article("Service Circular", date, "The circular is out.",
                                                          summary="The circular."),
        "static/files/edaran.pdf": b"%PDF-1.4\n%%EOF\n",
        "static/files/denah.png": photo_file(fmt="PNG"),
    }


def addresses(public: Path) -> dict[str, list[str]]:
    """Every address in an attribute of every page, by page."""
    found: dict[str, list[str]] = {}
    for path in sorted(public.rglob("*.html")):
        tree = html.fromstring(path.read_bytes())
        values = [v for a in ADDRESS for v in tree.xpath(f"//@{a}")]
        values += [c.split()[0] for v in tree.xpath("//@srcset") for c in v.split(",") if c.strip()]
        found[path.relative_to(public).as_posix()] = [str(v) for v in values]
    return found


def test_every_link_of_every_page_leads_into_the_folder(make_site: Callable[..., Path]) -> None:
    site = make_site(files(), FOLDER_CONFIG)
    result = build(site)
    assert result.code == 0, result.err
    public = site / "public"
    assert (public / "berita/2026/edaran/index.html").is_file()  # laid out from the output's root
    pages = addresses(public)
    assert len(pages) > 5
    from_root = [(p, v) for p, values in pages.items() for v in values if v.startswith("/") and not v.startswith("//")]
    assert from_root, "pages link within the site"
    assert [(p, v) for p, v in from_root if not v.startswith("/sumbar/")] == []
    article_page = pages["berita/2026/edaran/index.html"]
    for wanted in ("/sumbar/files/edaran.pdf", "/sumbar/berita/", "/sumbar/css/style.css", "/sumbar/js/share.js",
                   "/sumbar/en/berita/2026/edaran/", "https://kemenkumham.go.id/", "#catatan"):
        assert wanted in article_page, wanted
    photo = [v for v in article_page if "/denah-" in v]  # the photo's versions, its srcset's too
    assert len(photo) >= 3 and all(v.startswith("/sumbar/files/denah-") for v in photo), photo
    assert pages["search/index.html"].count("/sumbar/pagefind/") == 1
    canonical = html.fromstring((public / "berita/2026/edaran/index.html").read_bytes()).xpath(
        "//link[@rel='canonical']/@href")
    assert canonical == [f"{HOST}/sumbar/berita/2026/edaran/"]


def test_a_site_at_the_root_of_its_host_keeps_its_links(make_site: Callable[..., Path]) -> None:
    site = make_site(files())
    assert build(site).code == 0
    article_page = addresses(site / "public")["berita/2026/edaran/index.html"]
    assert "/files/edaran.pdf" in article_page and "/berita/" in article_page
    assert not any(v.startswith("/sumbar/") for v in article_page)


def test_feed_items_resolve_links_against_the_folder(make_site: Callable[..., Path]) -> None:
    site = make_site(files(), FOLDER_CONFIG.replace("paginate: 5", "paginate: 5\nfeeds: {full_content: true}"))
    assert build(site).code == 0
    json_feed = json.loads((site / "public/feed.json").read_bytes())
    item = json_feed["items"][0]
    assert item["url"] == f"{HOST}/sumbar/berita/2026/edaran/"
    bodies = {"feed.json": item["content_html"]}
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((site / "public" / name).read_bytes())
        assert not feed.bozo, (name, feed.bozo_exception)
        assert feed.entries[0].link == f"{HOST}/sumbar/berita/2026/edaran/"
        bodies[name] = feed.entries[0].content[0].value
    for name, body in bodies.items():
        links = re.findall(r'(?:href|src)="([^"]+)"', body)
        assert f"{HOST}/sumbar/files/edaran.pdf" in links, (name, links)
        assert f"{HOST}/sumbar/berita/" in links
        assert any(u.startswith(f"{HOST}/sumbar/files/denah-") for u in links), links
        assert f"{HOST}/sumbar/berita/2026/edaran/#catatan" in links
        assert not [u for u in links if u.startswith(f"{HOST}/") and not u.startswith(f"{HOST}/sumbar/")
                    and "kemenkumham" not in u], links


#: Root paths written with character references, as a browser reads them: "/files/edaran.pdf"
#: (a link, raw HTML's hexadecimal one, a picture); a query's "&para=" is no reference in an
#: attribute (its "=" follows), so it stays as written.
REFERENCED = """\
Unduh [surat](&#47;files/edaran.pdf) atau <a href="&#x2F;files/edaran.pdf?v=1&amp;para=2">salinan</a>
dan <a href=" &#47;berita/?a=1&para=2">berita</a>, bukan <a href="&#47;&#47;cdn.example/x">cdn</a>.

<img src="&#47;files/denah.png" alt="Denah">
"""


def test_a_root_path_written_with_references_goes_into_the_folder(make_site: Callable[..., Path]) -> None:
    config = FOLDER_CONFIG.replace("paginate: 5", "paginate: 5\nfeeds: {full_content: true}")
    site = make_site({**files(), "content/berita/2026-11-20-edaran.id.md": article(
        "Surat Edaran Layanan", "2026-11-20T10:00:00+07:00", REFERENCED)}, config)
    result = build(site)
    assert result.code == 0, result.err
    body = page(site, "/berita/2026/edaran/").xpath("//div[@class='body']")[0]
    assert links(body) == ["/sumbar/files/edaran.pdf", "/sumbar/files/edaran.pdf?v=1&para=2",
                           "/sumbar/berita/?a=1&para=2", "//cdn.example/x", "/sumbar/files/denah-"]
    expected = [f"{HOST}/sumbar/files/edaran.pdf", f"{HOST}/sumbar/files/edaran.pdf?v=1&para=2",
                f"{HOST}/sumbar/berita/?a=1&para=2", "https://cdn.example/x", f"{HOST}/sumbar/files/denah-"]
    (item,) = json.loads((site / "public/feed.json").read_bytes())["items"]
    assert links(html.fragment_fromstring(item["content_html"], create_parent="div")) == expected
    for name in ("feed.xml", "atom.xml"):
        (content,) = xml(site / "public" / name).xpath("//content:encoded | //atom:content", namespaces=NS)
        assert links(html.fragment_fromstring(content.text, create_parent="div")) == expected, name


def links(body: html.HtmlElement) -> list[str]:
    """The links of ``body``, then its picture's address up to its size (``denah-64w...``)."""
    return [str(v) for v in body.xpath(".//a/@href")] + [v.partition("64w")[0] for v in body.xpath(".//img/@src")]


def test_check_follows_links_into_the_folder(make_site: Callable[..., Path]) -> None:
    site = make_site(files(), FOLDER_CONFIG)
    checked = run("check", "--site", site, "--now", NOW)
    assert "leads to no page" not in checked.out + checked.err, checked.out + checked.err
    broken = BODY.replace("](/berita/)", "](/berita/tidak-ada/)")
    site = make_site({**files(), "content/berita/2026-11-20-edaran.id.md": article(
        "Surat Edaran Layanan", "2026-11-20T10:00:00+07:00", broken)}, FOLDER_CONFIG, name="broken")
    checked = run("check", "--site", site, "--now", NOW)
    assert "content/berita/2026-11-20-edaran.id.md:5: error: the link /berita/tidak-ada/ leads to no page" \
        in checked.err, checked.err


def test_serve_serves_the_site_in_its_folder(make_site: Callable[..., Path]) -> None:
    from tests.test_serve import free_port

    site = make_site(files(), FOLDER_CONFIG)
    with launch(site, ["serve", "--port", str(free_port())], "(Ctrl-C") as srv:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/sumbar/ \(Ctrl-C", srv.log("out"))
        assert found, srv.log("out") + srv.log("err")
        srv.port = int(found.group(1))
        home = srv.get("/sumbar/")
        assert home.status == 200 and "/__sitegen/live.js" in home.text
        assert srv.get("/sumbar/berita/2026/edaran/").status == 200
        assert srv.get("/sumbar/files/edaran.pdf").body == b"%PDF-1.4\n%%EOF\n"
        for path, location in (("/", "/sumbar/"), ("/sumbar", "/sumbar/"),
                               ("/sumbar/berita", "/sumbar/berita/")):
            moved = srv.get(path)
            assert (moved.status, moved.headers["location"]) == (301, location), path
        for path, lang in (("/berita/2026/edaran/", "id"), ("/sumbar/en/tidak-ada/", "en"), ("/sumbar/x/", "id")):
            missing = srv.get(path)  # outside the folder: not the site, as on the host
            assert missing.status == 404, path
            assert html.fromstring(missing.body).get("lang") == lang, path


def test_the_search_page_finds_releases_and_leads_into_the_folder(make_site: Callable[..., Path],
                                                                  tmp_path: Path) -> None:
    """Real Pagefind, real browser, the site served from a folder as its host would."""
    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    from tests.conftest import serve

    older = article("Edaran Lama Dicabut", "2021-04-01T10:00:00+07:00", "Surat edaran lama dicabut.")
    site = make_site({**files(), "content/berita/2021-04-01-edaran-lama.id.md": older}, FOLDER_CONFIG)
    assert build(site).code == 0
    assert len(list((site / "public/pagefind").glob("id-*"))) >= 2  # results merged from two bundles
    host = tmp_path / "host"
    host.mkdir()
    (host / "sumbar").symlink_to(site / "public")
    with browser() as chromium, serve(host) as base:
        tab = chromium.new_page()
        tab.goto(base + "/sumbar/search/?q=edaran")
        tab.wait_for_function("document.querySelectorAll('#search-results li').length >= 2")
        found = sorted(tab.evaluate("[...document.querySelectorAll('#search-results h2 a')]"
                                    ".map(a => [a.textContent, a.getAttribute('href')])"))
        assert found == [["Edaran Lama Dicabut", "/sumbar/berita/2021/edaran-lama/"],
                         ["Surat Edaran Layanan", "/sumbar/berita/2026/edaran/"]]
        tab.goto(base + "/sumbar/berita/2026/edaran/")
        # the stylesheet came from the folder: the page is styled
        assert tab.evaluate("getComputedStyle(document.body).display") == "flex"
        tab.close()


def test_under_touches_only_addresses_from_the_root() -> None:
    page = ('<a href="/a/">a</a><a href="//cdn.example/x">c</a><a href="b/">b</a><a href=\'/q?x=1&amp;y=2\'>q</a>'
            '<img src=/i.png srcset="/i.png 1x, i2.png 2x"><form action="/search/"></form>'
            '<div data-bundle="/pagefind/" data-count="/ {n}">d</div><code>&lt;a href="/kode"&gt;</code>'
            '<a title="x>y" href="mailto:a@b.c">m</a><object data="/f.pdf"></object><p data="/z">z</p>')
    assert under(page, "/sumbar/") == (
        '<a href="/sumbar/a/">a</a><a href="//cdn.example/x">c</a><a href="b/">b</a>'
        '<a href="/sumbar/q?x=1&amp;y=2">q</a>'
        '<img src="/sumbar/i.png" srcset="/sumbar/i.png 1x, i2.png 2x"><form action="/sumbar/search/"></form>'
        '<div data-bundle="/sumbar/pagefind/" data-count="/ {n}">d</div><code>&lt;a href="/kode"&gt;</code>'
        '<a title="x>y" href="mailto:a@b.c">m</a><object data="/sumbar/f.pdf"></object><p data="/z">z</p>')
    assert under(page, "/") == page
    referenced = ('<a href="&#47;a?b=1&amp;c=2&para=3&lt;">a</a><a href="&#47;&#47;cdn/x">c</a>'
                  '<img srcset="&#47;i.png 1x, &#X2f;j.png 2x"><a href="&#x2F;&copy;&eacute">e</a>')
    assert under(referenced, "/sumbar/") == (
        '<a href="/sumbar/a?b=1&amp;c=2&amp;para=3&lt;">a</a><a href="&#47;&#47;cdn/x">c</a>'
        '<img srcset="/sumbar/i.png 1x, /sumbar/j.png 2x"><a href="/sumbar/©é">e</a>')


def test_the_desk_links_each_release_to_its_page_in_the_folder(make_site: Callable[..., Path]) -> None:
    from tests.desk_helpers import desk_server

    site = make_site(files(), FOLDER_CONFIG)
    with desk_server(site) as served:
        client = served.client()
        edit = client.get("edit?file=content/berita/2026-11-20-edaran.id.md")
        assert edit.status == 200, edit.text
        on_site = edit.page().xpath("//p[@class='file']/a[last()]/@href")
        assert on_site == ["/sumbar/berita/2026/edaran/"]
        shown = client.get(on_site[0])
        assert shown.status == 200 and "Surat Edaran Layanan" in shown.text
