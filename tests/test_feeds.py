"""Feeds: every language, section and tag as RSS 2.0, Atom 1.0 and JSON Feed 1.1 that a real
aggregator's parser (feedparser) reads without complaint, with stable guids."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree, html

from sitegen.build import Options, prepare
from sitegen.build import build as build_site
from sitegen.outputs import feeds
from sitegen.texts import Text, Texts
from tests.conftest import NOW, SMALL_CONFIG, Run, article, page, photo_file, run, xml
from tests.conftest import build as full_build

BASE = "https://humas.example.go.id"
PDF = b"%PDF-1.4\n" + b"0" * 1225
JPEG = photo_file(1600, 1000)
CONFIG = SMALL_CONFIG + "logo: /images/logo.png\nfeeds: {items: 3}\n"
FORMATS = ("feed.xml", "atom.xml", "feed.json")
RSS_NS = {"content": "http://purl.org/rss/1.0/modules/content/",
          "dc": "http://purl.org/dc/elements/1.1/", "atom": "http://www.w3.org/2005/Atom"}


def build(site: Path, *extra: str) -> Run:
    """Build as conftest does, without the Pagefind index these tests never read."""
    return full_build(site, "--no-search", *extra)


def newsroom_files() -> dict[str, str | bytes]:
    """A bilingual newsroom: a translated release with photo and PDF, Indonesian-only news,
    an announcement dated in UTC, a static page, and a scheduled and a draft release."""
    return {
        "static/images/foto.jpg": JPEG,
        "static/images/logo.png": b"\x89PNG\r\n\x1a\n" + b"2" * 40,
        "static/files/rilis.pdf": PDF,
        "content/berita/2024-05-30-rapat.id.md": article(
            "Rapat Koordinasi Humas", updated="2024-05-31T08:00:00+07:00", author=["Budi Santoso"],
            tags=["humas", "rapat"], image="/images/foto.jpg", image_alt="Peserta rapat",
            attachments=[{"path": "/files/rilis.pdf", "title": "Rilis resmi"}],
            summary="Rapat koordinasi humas se-provinsi.", aliases=["/berita/lama-rapat/"],
            body="""
            Lihat [rilis](/files/rilis.pdf), [catatan](#catatan) dan ![foto](/images/foto.jpg).

            <p><a href='lain/'>lain</a> <img src=/images/foto.jpg alt=""></p>

            Baris\vbaru dan\x0cformulir.
            """),
        "content/berita/2024-05-30-rapat.en.md": article(
            "Public Relations Coordination Meeting", tags=["public relations"],
            image="/images/foto.jpg", image_alt="Meeting participants"),
        "content/berita/2024-06-01-khusus.id.md": article(
            "Hanya Bahasa Indonesia", "2024-06-01T09:00:00+07:00", tags=["humas"]),
        "content/berita/2024-06-03-ketiga.id.md": article("Berita Ketiga", "2024-06-03T09:00+07"),
        "content/pengumuman/2024-06-02-libur.id.md": article("Libur Nasional", "2024-06-02T01:00Z"),
        "content/berita/2030-01-01-nanti.id.md": article("Belum Terbit", "2030-01-01T09:00+07"),
        "content/berita/2024-06-04-draf.id.md": article("Draf", "2024-06-04T09:00+07", draft=True),
        "content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nKantor wilayah.\n",
    }


# Every list of the newsroom, per language: the site, sections, tags, categories, years.
FEED_LISTS = {"/", "/berita/", "/pengumuman/", "/tags/humas/", "/tags/rapat/",
              "/categories/berita/", "/categories/pengumuman/", "/archive/2024/",
              "/en/", "/en/berita/", "/en/tags/public-relations/", "/en/categories/berita/",
              "/en/archive/2024/"}


@pytest.fixture
def newsroom(make_site: Any) -> Path:
    site: Path = make_site(newsroom_files(), CONFIG)
    assert build(site).code == 0
    return site


def parse(site: Path, url: str, output: str = "public") -> Any:
    data = (site / output / url.lstrip("/")).read_bytes()
    if url.endswith(".json"):
        return json.loads(data)
    etree.fromstring(data)  # well-formed XML, or this raises
    parsed = feedparser.parse(data)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


def feed_files(out: Path) -> set[str]:
    return {"/" + p.relative_to(out).as_posix() for name in FORMATS for p in out.rglob(name)}


def test_every_language_section_and_tag_has_three_valid_feeds(newsroom: Path) -> None:
    out = newsroom / "public"
    assert feed_files(out) == {lst + name for lst in FEED_LISTS for name in FORMATS}
    for lst in FEED_LISTS:
        lang = "en" if lst.startswith("/en/") else "id"
        rss, atom, js = (parse(newsroom, lst + name) for name in FORMATS)
        assert rss.version == "rss20" and atom.version == "atom10"
        assert rss.feed.language == lang and atom.feed.language == lang and js["language"] == lang
        root = xml(out / lst.lstrip("/") / "atom.xml")
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        for parsed, name in ((rss, "feed.xml"), (atom, "atom.xml")):
            assert {x.href for x in parsed.feed.links if x.rel == "self"} == {BASE + lst + name}
        assert rss.feed.link == atom.feed.link == js["home_page_url"] == BASE + lst
        assert js["feed_url"] == f"{BASE}{lst}feed.json"
        links = [e.link for e in rss.entries]
        assert links == [e.link for e in atom.entries] == [i["url"] for i in js["items"]]
        prefix = BASE + ("/en/" if lang == "en" else "/")
        assert len(links) == len(set(links)) and all(link.startswith(prefix) for link in links)
    assert parse(newsroom, "/en/feed.xml").feed.title == "Test Newsroom"
    assert parse(newsroom, "/berita/feed.xml").feed.title == "Berita — Situs Uji Humas"
    assert parse(newsroom, "/en/berita/atom.xml").feed.subtitle.startswith("Section: News.")


def test_items_newest_first_limited_with_local_times(newsroom: Path) -> None:
    site_feed = parse(newsroom, "/feed.xml")
    # Four public Indonesian articles, feeds.items is 3: the oldest is left out.
    assert [e.title for e in site_feed.entries] == [
        "Berita Ketiga", "Libur Nasional", "Hanya Bahasa Indonesia"]
    raw = (newsroom / "public/feed.xml").read_text("utf-8")
    assert "Belum Terbit" not in raw and "Draf" not in raw
    # A date given in UTC is shown with the site's +07:00 offset in every format.
    assert "<pubDate>Sun, 02 Jun 2024 08:00:00 +0700</pubDate>" in raw
    local = "2024-06-02T08:00:00+07:00"
    assert parse(newsroom, "/atom.xml").entries[1].published == local
    assert parse(newsroom, "/feed.json")["items"][1]["date_published"] == local
    # lastBuildDate / updated: the newest item's time, not the build's clock.
    assert "<lastBuildDate>Mon, 03 Jun 2024 09:00:00 +0700</lastBuildDate>" in raw
    assert parse(newsroom, "/pengumuman/feed.json")["items"][0]["title"] == "Libur Nasional"


def test_item_fields_in_all_three_formats(newsroom: Path) -> None:
    link = f"{BASE}/berita/2024/rapat/"
    rss = next(e for e in parse(newsroom, "/berita/feed.xml").entries if e.link == link)
    atom = next(e for e in parse(newsroom, "/berita/atom.xml").entries if e.link == link)
    item = next(i for i in parse(newsroom, "/berita/feed.json")["items"] if i["url"] == link)
    assert rss.id == atom.id == item["id"] and rss.id.startswith("urn:uuid:")
    assert rss.guidislink is False
    assert rss.author == atom.author == item["authors"][0]["name"] == "Budi Santoso"
    assert [t.term for t in rss.tags] == [t.term for t in atom.tags] == item["tags"]
    assert item["tags"] == ["Berita", "humas", "rapat"]
    assert rss.published == "Thu, 30 May 2024 10:00:00 +0700"
    assert atom.published == item["date_published"] == "2024-05-30T10:00:00+07:00"
    assert atom.updated == item["date_modified"] == "2024-05-31T08:00:00+07:00"
    assert rss.updated == "2024-05-31T08:00:00+07:00"  # dcterms:modified: RSS has no element of its own
    assert rss.summary == atom.summary == item["summary"] == "Rapat koordinasi humas se-provinsi."
    # Full HTML, every relative URL made absolute against the article's own address.
    for body in (rss.content[0].value, atom.content[0].value, item["content_html"]):
        assert f'href="{BASE}/files/rilis.pdf"' in body and f'src="{BASE}/images/foto-800w.' in body
        assert f'href="{link}#catatan"' in body and f'href="{link}lain/"' in body
        assert 'href="/' not in body and 'src="/' not in body and "src=/" not in body
    assert atom.content[0].type == "text/html"
    tree = xml(newsroom / "public/berita/feed.xml")
    encoded = tree.xpath("//item[link=$l]/content:encoded/text()", l=link, namespaces=RSS_NS)
    assert encoded and "<p>" in encoded[0]
    creators = tree.xpath("//item[link=$l]/dc:creator/text()", l=link, namespaces=RSS_NS)
    assert creators == ["Budi Santoso"]


def test_attachments_and_lead_image_are_enclosures(newsroom: Path) -> None:
    link = f"{BASE}/berita/2024/rapat/"
    pdf = {"href": f"{BASE}/files/rilis.pdf", "type": "application/pdf", "length": str(len(PDF))}
    # The lead photo's 1200-wide, metadata-free version; never the original file.
    (og,) = (newsroom / "public/images").glob("foto-1200w.*.jpg")
    jpg = {"href": f"{BASE}/images/{og.name}", "type": "image/jpeg", "length": str(og.stat().st_size)}
    rss = next(e for e in parse(newsroom, "/tags/humas/feed.xml").entries if e.link == link)
    # RSS allows one enclosure: the signed PDF; Media RSS lists both files.
    assert [dict(e) for e in rss.enclosures] == [pdf]
    assert [(m["url"], m["filesize"], m["type"]) for m in rss.media_content] == [
        (pdf["href"], pdf["length"], pdf["type"]), (jpg["href"], jpg["length"], jpg["type"])]
    atom = next(e for e in parse(newsroom, "/tags/humas/atom.xml").entries if e.link == link)
    assert [{k: e[k] for k in ("href", "type", "length")} for e in atom.enclosures] == [pdf, jpg]
    item = next(i for i in parse(newsroom, "/tags/humas/feed.json")["items"] if i["url"] == link)
    assert item["image"] == jpg["href"]
    assert item["attachments"] == [
        {"url": pdf["href"], "mime_type": "application/pdf", "size_in_bytes": len(PDF),
         "title": "Rilis resmi"},
        {"url": jpg["href"], "mime_type": "image/jpeg", "size_in_bytes": og.stat().st_size,
         "title": "Peserta rapat"}]
    other = parse(newsroom, "/en/feed.xml").entries[0]
    assert [e.href for e in other.enclosures] == [jpg["href"]]
    assert parse(newsroom, "/feed.xml").entries[0].enclosures == []


def test_json_feed_follows_version_1_1(newsroom: Path) -> None:
    for lst in FEED_LISTS:
        data = parse(newsroom, lst + "feed.json")
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(data["title"], str) and data["title"]
        assert data["icon"] == f"{BASE}/images/logo.png"
        assert data["authors"] and "author" not in data  # 1.1 uses the plural
        for item in data["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_html") or item.get("content_text")
            assert item["url"].startswith(BASE)
            assert item["language"] == data["language"]


def test_guids_survive_title_slug_and_date_edits(newsroom: Path) -> None:
    def guids() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for lst in FEED_LISTS:
            for name in ("feed.xml", "atom.xml"):
                for entry in parse(newsroom, lst + name).entries:
                    found.setdefault(entry.title, set()).add(entry.id)
            for item in parse(newsroom, lst + "feed.json")["items"]:
                found.setdefault(item["title"], set()).add(item["id"])
        return found

    before = guids()
    assert all(len(ids) == 1 for ids in before.values())  # one guid per item in every feed
    original = before["Rapat Koordinasi Humas"]
    assert original != before["Public Relations Coordination Meeting"]  # translations differ
    source = newsroom / "content/berita/2024-05-30-rapat.id.md"
    text = source.read_text("utf-8").replace('"Rapat Koordinasi Humas"',
                                             '"Rapat Koordinasi Humas (Ralat)"')
    text = text.replace('date: "2024-05-30T10:00:00+07:00"',
                        'date: "2024-05-29T15:00:00+07:00"\nslug: rapat-ralat')
    source.write_text(text, "utf-8")
    assert build(newsroom).code == 0
    after = guids()
    assert "Rapat Koordinasi Humas" not in after
    assert after["Rapat Koordinasi Humas (Ralat)"] == original
    rss = parse(newsroom, "/berita/feed.xml").entries
    assert f"{BASE}/berita/2024/rapat-ralat/" in [e.link for e in rss]
    assert {t: ids for t, ids in after.items() if t != "Rapat Koordinasi Humas (Ralat)"} == {
        t: ids for t, ids in before.items() if t != "Rapat Koordinasi Humas"}


def test_guid_is_made_of_site_key_and_language_only(newsroom: Path) -> None:
    prepared = prepare(Options(site_dir=newsroom, now=NOW))
    entry = prepared.site.translations["berita/2024-05-30-rapat"]["id"]
    name = "humas.example.go.id/berita/2024-05-30-rapat/id"
    expected = uuid.uuid5(feeds.GUID_NAMESPACE, name).urn
    assert feeds.guid(prepared.config, entry) == expected
    moved = dataclasses.replace(entry, date=None, title="x", slug="y", url="/z/")
    assert feeds.guid(prepared.config, moved) == expected
    # The same site written otherwise in base_url: the host's case, a final dot, the scheme's own port.
    for written in ("https://Humas.Example.go.id/", "https://humas.example.go.id:443/", "http://humas.example.go.id:80",
                    "https://humas.example.go.id./"):
        assert feeds.guid(dataclasses.replace(prepared.config, base_url=written), entry) == expected, written
    other_port = dataclasses.replace(prepared.config, base_url="https://humas.example.go.id:8443/")
    assert feeds.guid(other_port, entry) == uuid.uuid5(feeds.GUID_NAMESPACE, "humas.example.go.id:8443/"
                                                       "berita/2024-05-30-rapat/id").urn


def test_feeds_are_reproducible_whatever_the_clock(newsroom: Path) -> None:
    later = run("build", "--no-search", "--site", newsroom, "--now", "2027-03-01T00:00:00+07:00",
                "--output",
                newsroom / "later")
    assert later.code == 0
    names = feed_files(newsroom / "public")
    assert names == feed_files(newsroom / "later")
    for name in names:
        assert (newsroom / "public" / name.lstrip("/")).read_bytes() == \
            (newsroom / "later" / name.lstrip("/")).read_bytes(), name


def test_unchanged_feeds_are_not_rendered_again(newsroom: Path) -> None:
    options = Options(site_dir=newsroom, now=NOW, search=False)
    again = build_site(options)
    assert not [p for p in again.written.written if p.endswith(FORMATS)]
    source = newsroom / "content/berita/2024-06-03-ketiga.id.md"
    text = source.read_text("utf-8").replace("Berita Ketiga", "Berita Ketiga Diperbarui")
    source.write_text(text, "utf-8")
    edited = build_site(options)
    written = {p for p in edited.written.written if p.endswith(FORMATS)}
    # Only the lists holding the edited release: the site, its section, category and year.
    lists = ("", "berita/", "categories/berita/", "archive/2024/")
    assert written == {f"{lst}{name}" for lst in lists for name in FORMATS}


def test_control_characters_never_make_a_feed_ill_formed(newsroom: Path) -> None:
    prepared = prepare(Options(site_dir=newsroom, now=NOW))
    feed = next(feeds.feeds_of(prepared.site, prepared.renderer))
    nasty = "Judul\x0b\x00\x1f\ufffe akhir"
    body = f"<p>{nasty} ]]> <a href=/x>x</a></p>"
    dirty = tuple(dataclasses.replace(e, title=nasty, summary=nasty, authors=(nasty,),
                                      tags=(nasty,), body_key=e.body_key + "-dirty")
                  for e in feed.entries)
    texts = prepared.renderer.texts.with_texts({e.body_key: Text(body, "") for e in dirty})
    feed = dataclasses.replace(feed, entries=dirty, title=nasty)
    for render in (feeds.rss, feeds.atom):
        data = render(prepared.config, feed, texts)
        etree.fromstring(data)
        parsed = feedparser.parse(data)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.feed.title == parsed.entries[0].title == "Judul akhir"
        # "]]>" reaches the reader as written (a CDATA section cannot hold it).
        assert "Judul akhir ]]> " in parsed.entries[0].content[0].value
    json.loads(feeds.json_feed(prepared.config, feed, texts))
    # The same characters pasted into a real file: the build succeeds and every feed parses.
    source = newsroom / "content/berita/2024-06-03-ketiga.id.md"
    source.write_text(article("Judul\vdengan\x0ckontrol", "2024-06-03T09:00:00+07:00",
                              body="Baris\vsatu\x01\x02 dan\x1fdua."), "utf-8")
    assert build(newsroom).code == 0
    for lst in FEED_LISTS:
        for name in FORMATS:
            parse(newsroom, lst + name)
    assert parse(newsroom, "/feed.xml").entries[0].title == "Judul dengan kontrol"


#: A body with numeric references to control characters, as text pasted from another program
#: brings them: C0, NUL, DEL, C1 (&#150; is the en dash of Windows-1252, as browsers show it;
#: &#x9D; stands for nothing), a missing semicolon, one in raw HTML and its attribute. The
#: code span and code block show a reference as text, a tab and '&' are fine, and a
#: reference of 5,000 digits stands for no character.
CONTROL_BODY = """\
Pertama&#1; kalimat&#x1F; dengan&#0; kode&#127;.

Tahun 2020&#150;2021 dan&#11;baris&#12;baru&#13;akhir.

<p title="a&#2;b&#x85;c">Blok HTML&#x9D; mentah&#X1b</p>

Kode `&#1;` tetap teks, dan &#9;tab serta &#38; tetap.

```
&#2; dalam kode juga
```

Angka &#%s; terlalu besar.
""" % ("9" * 5000)
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))")


def control_references(text: str) -> list[str]:
    """Numeric references to a control character other than tab, LF and CR (C0, DEL, C1)."""
    found = []
    for match in _REFERENCE.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if (code < 0x20 and code not in (9, 10, 13)) or 0x7F <= code <= 0x9F:
            found.append(match.group())
    return found


def raw_controls(text: str) -> list[str]:
    return re.findall("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)


def test_references_to_control_characters_leave_no_page_or_feed_invalid(make_site: Any) -> None:
    """One place (the body's HTML) cleans every output: the page, RSS, Atom and JSON Feed; each
    line that had one gets a warning."""
    site = make_site({"content/berita/kode.id.md": article("Kode", body=CONTROL_BODY)})
    result = build(site)
    assert result.code == 0, result.err
    warned = [line for line in result.err.splitlines() if ": warning: " in line]
    assert [w.split(": warning: ")[0] for w in warned] == [f"content/berita/kode.id.md:{n}" for n in (5, 7, 9, 17)]
    assert "'&#1;'" in warned[0] and "'&#150;'" in warned[1] and "'–'" in warned[1]
    assert "'&#9999999999…'" in warned[3] and len(warned[3]) < 300
    out = site / "public"

    def check(markup: str, where: str) -> None:
        assert control_references(markup) == [] and raw_controls(markup) == [], where
        doc = html.fromstring(f"<div>{markup}</div>")
        words = " ".join(doc.text_content().split())
        assert "Pertama kalimat dengan kode." in words, where
        assert "Tahun 2020–2021 dan baris baru akhir." in words, where
        assert "Blok HTML mentah" in words, where
        assert "Kode &#1; tetap teks, dan tab serta & tetap." in words, where
        assert "&#2; dalam kode juga" in words and "Angka terlalu besar." in words, where
        assert doc.xpath("//p[@title]/@title") == ["ab…c"], where

    page = (out / "berita/2024/kode/index.html").read_text("utf-8")
    body = html.fromstring(page).xpath("//div[@class='body']")[0]
    check(html.tostring(body, encoding="unicode"), "page")
    check(page, "page source")
    for lst in ("/", "/berita/"):
        for name in ("feed.xml", "atom.xml"):
            data = (out / lst.lstrip("/") / name).read_text("utf-8")
            assert control_references(data) == [] and raw_controls(data) == [], lst + name  # as XML
            parsed = parse(site, lst + name)
            check(parsed.entries[0].content[0].value, lst + name)
        check(parse(site, lst + "feed.json")["items"][0]["content_html"], lst + "feed.json")


#: A body whose script and style sheet write "&#1;" and "&#150;": there HTML reads raw text, no
#: references, so they are the script's and style's own bytes; a textarea's text is not raw
#: (its references are read), code shows a reference as text, and "<script>" in a comment or
#: an attribute's value starts no script.
RAW_TEXT_BODY = """\
Teks&#1; biasa.

<script>var pisah = "&#1;", strip = "&#150;";</script>

<style>.catatan::after { content: "&#127;" }</style>

<textarea>isi&#2;</textarea>

Kode `&#1;` dan <SCRIPT type="module">let x = "&#x9D;"</SCRIPT> sebaris.

```
&#2; dalam kode
```

Akhir <!-- <style> lama --> kalimat&#1; <b title="<script>">ini</b>&#1;.
"""


def test_script_and_style_keep_what_they_write(make_site: Any) -> None:
    """Only references HTML reads are taken out: the page's script and style sheet, in the
    feeds too, are as written, and only the line of text that had one is warned about."""
    site = make_site({"content/berita/kode.id.md": article("Kode", body=RAW_TEXT_BODY)})
    result = build(site)
    assert result.code == 0, result.err
    warned = [line.split(": warning: ")[0] for line in result.err.splitlines() if ": warning: " in line]
    assert warned == [f"content/berita/kode.id.md:{n}" for n in (5, 11, 19)]

    def check(markup: str, where: str) -> None:
        doc = html.fromstring(f"<div>{markup}</div>")
        assert [s.text for s in doc.iter("script")] == ['var pisah = "&#1;", strip = "&#150;";',
                                                        'let x = "&#x9D;"'], where
        assert [s.text for s in doc.iter("style")] == ['.catatan::after { content: "&#127;" }'], where
        assert [t.text for t in doc.iter("textarea")] == ["isi"], where
        assert [c.text for c in doc.iter("code")] == ["&#1;", "&#2; dalam kode\n"], where
        words = " ".join(doc.text_content().split())
        assert "Teks biasa." in words and "Akhir kalimat ini." in words, where

    body = page(site, "/berita/2024/kode/").xpath("//div[@class='body']")[0]
    check(html.tostring(body, encoding="unicode"), "page")
    check(json.loads((site / "public/feed.json").read_bytes())["items"][0]["content_html"], "feed.json")
    for name in ("feed.xml", "atom.xml"):
        content = xml(site / "public" / name).xpath("//content:encoded | //atom:content", namespaces=RSS_NS)
        check(content[0].text, name)


def test_summary_only_feeds_and_websub_hub(make_site: Any) -> None:
    config = SMALL_CONFIG + "feeds: {full_content: false, hub: 'https://pubsubhubbub.appspot.com/'}\n"
    files = {"content/berita/2024-05-30-rapat.id.md": article("Rapat", summary="Ringkas.",
                                                               body="Isi panjang.")}
    site = make_site(files, config)
    assert build(site).code == 0
    rss = parse(site, "/feed.xml")
    assert "content" not in rss.entries[0] and rss.entries[0].summary == "Ringkas."
    assert "Isi panjang" not in (site / "public/feed.xml").read_text("utf-8")
    assert {link.href for link in rss.feed.links if link.rel == "hub"} == {"https://pubsubhubbub.appspot.com/"}
    atom = parse(site, "/atom.xml")
    assert {link.href for link in atom.feed.links if link.rel == "hub"} == {"https://pubsubhubbub.appspot.com/"}
    item = parse(site, "/feed.json")["items"][0]
    assert "content_html" not in item and item["content_text"] == "Ringkas."
    assert parse(site, "/feed.json")["hubs"] == [{"type": "WebSub", "url": "https://pubsubhubbub.appspot.com/"}]
    # English has no articles: its feeds are empty but valid, dated by a fixed moment, not the clock.
    assert parse(site, "/en/feed.xml").entries == [] and parse(site, "/en/feed.json")["items"] == []
    assert parse(site, "/en/atom.xml").feed.updated == "1970-01-01T07:00:00+07:00"


@pytest.mark.parametrize("full", [True, False])
def test_a_summary_is_text_in_rss_too(make_site: Any, full: bool) -> None:
    """RSS readers take <description> as HTML: a summary, plain text as every front-matter
    value, is written as HTML text there, so its <b> and &amp; show as typed, not as markup."""
    typed = "Tulis <b>tebal</b> dan &amp; di sini <img src=x onerror=alert(1)>"
    config = SMALL_CONFIG + f"feeds: {{full_content: {str(full).lower()}}}\n"
    site = make_site({"content/berita/2024-05-30-rapat.id.md": article("Rapat", summary=typed, body="Isi.")},
                     config)
    assert build(site).code == 0
    rss = parse(site, "/feed.xml").entries[0]
    assert rss.summary_detail.type == "text/html"
    shown = html.fromstring(f"<div>{rss.summary}</div>")
    assert not shown.xpath("//b | //img")
    assert typed in shown.text_content()
    atom = parse(site, "/atom.xml").entries[0]
    assert typed in atom.summary
    assert typed in parse(site, "/feed.json")["items"][0]["summary"]


@pytest.mark.parametrize("hub", ["pubsub hub", "pubsubhubbub.appspot.com", "/hub/"])
def test_a_hub_that_is_not_a_web_address_is_a_config_error(make_site: Any, hub: str) -> None:
    """The hub is a link in every feed: a broken one would make every feed invalid."""
    site = make_site({"content/berita/x.id.md": article("Rapat")}, SMALL_CONFIG + f"feeds: {{hub: '{hub}'}}\n")
    result = build(site)
    assert result.code == 2
    line = SMALL_CONFIG.count("\n") + 1
    assert (f"config.yaml:{line}: error: 'feeds.hub' must be a web address starting with https:// "
            f"(or http://), not '{hub}'") in result.err
    assert not (site / "public").exists()


def test_file_names_with_spaces_and_accents_are_valid_urls_in_every_feed(make_site: Any) -> None:
    """Offices upload "Siaran Pers (final).pdf": its enclosure, attachment and link in the
    text are percent-encoded URLs (a space is not allowed in a URL; an aggregator drops or
    breaks the enclosure), and still name the file: their length is its size."""
    name = "Siaran Pers (final) Ü&1.pdf"
    site = make_site({f"static/files/{name}": PDF, "content/berita/2024-05-30-rapat.id.md": article(
        "Rapat", attachments=[f"/files/{name}"], body=f"Unduh [rilis](</files/{name}>).")}, SMALL_CONFIG)
    assert build(site).code == 0
    encoded = f"{BASE}/files/Siaran%20Pers%20(final)%20%C3%9C&1.pdf"
    rss = parse(site, "/feed.xml").entries[0]
    assert [(e.href, e.length, e.type) for e in rss.enclosures] == [(encoded, str(len(PDF)), "application/pdf")]
    atom = parse(site, "/atom.xml").entries[0]
    assert [e.href for e in atom.enclosures] == [encoded]
    item = parse(site, "/feed.json")["items"][0]
    assert [a["url"] for a in item["attachments"]] == [encoded]
    for content in (rss.content[0].value, atom.content[0].value, item["content_html"]):
        assert html.fromstring(content).xpath("//a/@href")[0] == encoded
    # and on the release's page: its list of attachments, and the file in its JSON-LD
    doc = html.fromstring((site / "public/berita/2024/rapat/index.html").read_bytes())
    assert doc.xpath("//a[@type='application/pdf']/@href") == ["/files/Siaran%20Pers%20(final)%20%C3%9C&1.pdf"]
    data = [json.loads(s) for s in doc.xpath("//script[@type='application/ld+json']/text()")]
    article_data = next(d for d in data if d.get("@type") == "NewsArticle")
    assert [m["contentUrl"] for m in article_data["associatedMedia"] if m["@type"] == "MediaObject"] == [encoded]


def test_pages_link_their_feeds(newsroom: Path) -> None:
    from tests.conftest import page

    def feed_links(url: str) -> set[tuple[str, str]]:
        doc = page(newsroom, url)
        return {(str(link.get("type")), str(link.get("href")))
                for link in doc.xpath("//link[@rel='alternate'][@type]")}

    mimes = ("application/rss+xml", "application/atom+xml", "application/feed+json")
    own = {(m, f"{BASE}/{n}") for m, n in zip(mimes, FORMATS, strict=True)}
    assert feed_links("/") == own
    assert feed_links("/tags/humas/") == own | {(m, f"{BASE}/tags/humas/{n}")
                                               for m, n in zip(mimes, FORMATS, strict=True)}
    for _, href in feed_links("/en/berita/2024/rapat/"):
        assert (newsroom / "public" / href.removeprefix(BASE + "/")).is_file()
    # Every page's head, an old address's page too (it sends the reader on to the release).
    assert feed_links("/berita/lama-rapat/") == own


def test_every_feed_of_the_bundled_site_parses(bundled_site: Path) -> None:
    assert build(bundled_site).code == 0
    out = bundled_site / "public"
    names = feed_files(out)
    assert {"/feed.xml", "/en/feed.xml", "/berita/atom.xml", "/en/siaran-pers/feed.json"} <= names
    for name in names:
        data = parse(bundled_site, name)
        entries = data["items"] if name.endswith(".json") else data.entries
        assert entries, f"{name} has no items"
    # Every feed a page's head links exists; every feed is linked from some page.
    linked: set[str] = set()
    for path in out.rglob("*.html"):
        doc = html.fromstring(path.read_bytes())
        linked.update(str(h).removeprefix(BASE) for h in doc.xpath(
            "//head/link[@rel='alternate'][@type!='text/html']/@href"))
    assert linked == names


def test_absolute_html_resolves_every_kind_of_link() -> None:
    base = f"{BASE}/berita/2024/rapat/"
    html = ('<a href="/a?x=1&amp;y=2">a</a><img src=foto.jpg><a href=\'#n\'>n</a>'
            '<a href="https://other.example/">o</a><a href="mailto:a@b.c">m</a>'
            '<img srcset="/s1.jpg 1x, s2.jpg 2x"><a href="//cdn.example/x">c</a>'
            '<code>&lt;a href="/kode"&gt;</code>')
    assert feeds.absolute_html(html, base) == (
        f'<a href="{BASE}/a?x=1&amp;y=2">a</a><img src="{base}foto.jpg"><a href="{base}#n">n</a>'
        '<a href="https://other.example/">o</a><a href="mailto:a@b.c">m</a>'
        f'<img srcset="{BASE}/s1.jpg 1x, {base}s2.jpg 2x"><a href="https://cdn.example/x">c</a>'
        '<code>&lt;a href="/kode"&gt;</code>')  # a code sample is text, left alone
    # A ">" inside a quoted value, a URL-like text in another attribute, an object's data.
    tricky = ('<a title="x>y" href="/files/a.pdf">a</a><img alt="1 > 0" src=\'/files/b.png\'>'
              '<a title="lihat href=/x" href="/y">y</a><object data="/files/c.pdf"></object><p data="/z">z</p>')
    assert feeds.absolute_html(tricky, base) == (
        f'<a title="x>y" href="{BASE}/files/a.pdf">a</a><img alt="1 > 0" src="{BASE}/files/b.png">'
        f'<a title="lihat href=/x" href="{BASE}/y">y</a><object data="{BASE}/files/c.pdf"></object><p data="/z">z</p>')
    # Raw HTML in Markdown may leave a srcset unquoted, and SVG links with xlink:href.
    more = '<img srcset=/s.jpg alt=""><img srcset=s2.jpg><svg><use xlink:href="/ikon.svg#a"/></svg>'
    assert feeds.absolute_html(more, base) == (
        f'<img srcset="{BASE}/s.jpg" alt=""><img srcset="{base}s2.jpg">'
        f'<svg><use xlink:href="{BASE}/ikon.svg#a"/></svg>')


def test_items_reused_across_feeds_give_the_bytes_a_fresh_render_gives(newsroom: Path) -> None:
    prepared = prepare(Options(site_dir=newsroom, now=NOW))
    config, every = prepared.config, list(feeds.feeds_of(prepared.site, prepared.renderer))
    texts = prepared.renderer.texts
    assert sum(len(f.entries) for f in every) > len({id(e) for f in every for e in f.entries})
    made = feeds.FeedItems()  # one build's items, as feed_outputs shares them
    warm = [render(config, f, texts, None, made) for f in every for render in (feeds.rss, feeds.atom, feeds.json_feed)]
    assert len(made.rss._made) < sum(len(f.entries) for f in every)  # items were reused
    fresh = [render(config, feed, texts, None, feeds.FeedItems())
             for feed in every for render in (feeds.rss, feeds.atom, feeds.json_feed)]
    assert warm == fresh
    # Items move from feed to feed: rendering them all again, in the other order, moves
    # each element back out of trees already written and gives the same bytes.
    again = [render(config, f, texts, None, made)
             for f in reversed(every) for render in (feeds.json_feed, feeds.atom, feeds.rss)]
    assert again[::-1] == warm
    # The JSON Feed, spliced from items encoded once, is what encoding it whole gives.
    for feed in every:
        data = json.loads(feeds.json_feed(config, feed, texts, None, made))
        assert feeds.json_feed(config, feed, texts, None, made) == (
            json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
    # An entry edited in memory (a new object, as a rebuild makes) is never served stale.
    feed = every[0]
    renamed = dataclasses.replace(feed.entries[0], title="Judul Baru")
    edited = dataclasses.replace(feed, entries=(renamed, *feed.entries[1:]))
    for render, title in ((feeds.rss, b"<title>Judul Baru</title>"), (feeds.atom, b"Judul Baru</title>")):
        assert title in render(config, edited, texts, None, made)
    assert json.loads(feeds.json_feed(config, edited, texts, None, made))["items"][0]["title"] == "Judul Baru"


def _whole(config: Any, feed: feeds.Feed, texts: Texts, rss_format: bool) -> bytes:
    """The feed as feedgen writes it with every item added to it: no reuse, no splicing."""
    fg = feeds._generator(config, feed, "feed.xml" if rss_format else "atom.xml",
                          "application/rss+xml" if rss_format else "application/atom+xml", rss_format)
    for entry in reversed(feed.entries):  # add_entry prepends
        feeds._fill(fg.add_entry(), config, entry, rss_format, feed.labels, texts)
    return bytes(fg.rss_str(pretty=True) if rss_format else fg.atom_str(pretty=True))


@pytest.mark.parametrize("setting", ["{items: 3}", "{items: 3, full_content: false, hub: 'https://hub.example/'}"])
def test_feeds_spliced_from_items_written_once_are_what_feedgen_writes_whole(make_site: Any, setting: str) -> None:
    site = make_site(newsroom_files(), CONFIG.replace("feeds: {items: 3}", f"feeds: {setting}"))
    prepared = prepare(Options(site_dir=site, now=NOW))
    config, every = prepared.config, list(feeds.feeds_of(prepared.site, prepared.renderer))
    texts = prepared.renderer.texts
    assert any(len(f.entries) > 1 for f in every)
    made = feeds.FeedItems()  # items written for earlier feeds are reused in later ones
    for feed in [*every, dataclasses.replace(every[0], entries=())]:
        for render, rss_format in ((feeds.rss, True), (feeds.atom, False)):
            spliced = render(config, feed, texts, None, made)
            assert spliced == _whole(config, feed, texts, rss_format), (feed.list_url, rss_format)
            etree.fromstring(spliced)
    hub = b'<atom:link href="https://hub.example/" rel="hub"/>'
    assert (hub in feeds.rss(config, every[0], texts)) == ("hub" in setting)


def test_a_release_without_a_paragraph_has_a_summary_and_its_full_html(make_site: Any) -> None:
    """A schedule that is only a heading, a list and a table has no first paragraph to be its
    summary: the item still carries a summary (its text's first words) and the whole HTML in
    content:encoded, Atom content and content_html (RSS put the HTML in description instead)."""
    body = """
    ## Jadwal layanan

    - Senin sampai Kamis pukul 08.00-15.00 WIB
    - Jumat pukul 08.00-15.30 WIB

    | Hari | Jam |
    |---|---|
    | Sabtu | Tutup |
    """
    site = make_site({"content/pengumuman/jadwal.id.md": article("Jadwal Layanan", body=body)})
    assert build(site).code == 0
    rss = parse(site, "/feed.xml").entries[0]
    atom = parse(site, "/atom.xml").entries[0]
    (item,) = parse(site, "/feed.json")["items"]
    lead = "Jadwal layanan Senin sampai Kamis pukul 08.00-15.00 WIB Jumat pukul 08.00-15.30 WIB"
    assert rss.summary.startswith(lead) and atom.summary.startswith(lead) and item["summary"].startswith(lead)
    assert "<" not in rss.summary and "<" not in item["summary"]
    tree = xml(site / "public/feed.xml")
    (encoded,) = tree.xpath("//item/content:encoded/text()", namespaces=RSS_NS)
    for content in (encoded, atom.content[0].value, item["content_html"]):
        assert "<ul>" in content and "<table>" in content


def test_a_summary_only_feed_also_gives_a_release_without_a_paragraph_its_first_words(make_site: Any) -> None:
    """As in full-content feeds (review): with ``feeds: {full_content: false}`` the item of a
    release that is only a heading and a list said nothing but its title."""
    body = "\n## Jadwal layanan\n\n- Senin sampai Kamis pukul 08.00-15.00 WIB\n- Jumat tutup\n"
    site = make_site({"content/pengumuman/jadwal.id.md": article("Jadwal Layanan", body=body)},
                     SMALL_CONFIG + "feeds: {full_content: false}\n")
    assert build(site, "--no-search").code == 0
    lead = "Jadwal layanan Senin sampai Kamis pukul 08.00-15.00 WIB Jumat tutup"
    assert lead in parse(site, "/feed.xml").entries[0].summary
    (item,) = parse(site, "/feed.json")["items"]
    assert lead in item["content_text"] and item["summary"] == lead


@pytest.mark.parametrize("full", [True, False])
def test_a_release_told_by_a_photo_alone_has_a_summary_in_every_feed(make_site: Any, full: bool) -> None:
    """Audit: a release whose text is only a photo, or that has only a lead photo and no text,
    had no summary in any feed, and RSS put the photo's HTML in description (no content:encoded):
    its summary is what the photo shows (its alt text), else the title."""
    files = {"static/images/foto.jpg": photo_file(64, 48),
             "content/berita/foto.id.md": article("Foto kegiatan", "2024-05-30T10:00:00+07:00",
                                                  body="![Peserta rapat koordinasi](/images/foto.jpg)"),
             "content/berita/lead.id.md": "---\ntitle: Hanya foto utama\ndate: 2024-05-29T10:00:00+07:00\n"
                                          "image: /images/foto.jpg\nimage_alt: Gubernur membuka acara\n---\n",
             "content/berita/kosong.id.md": "---\ntitle: Tanpa isi\ndate: 2024-05-28T10:00:00+07:00\n---\n"}
    config = SMALL_CONFIG + ("" if full else "feeds: {full_content: false}\n")
    site = make_site(files, config)
    assert build(site, "--no-search").code == 0
    wanted = {"Foto kegiatan": "Peserta rapat koordinasi", "Hanya foto utama": "Gubernur membuka acara",
              "Tanpa isi": "Tanpa isi"}
    for name in ("/feed.xml", "/atom.xml"):
        got = {e.title: e.get("summary", "") for e in parse(site, name).entries}
        assert {title: got[title] for title in wanted} == wanted, name
    items = {i["title"]: i for i in parse(site, "/feed.json")["items"]}
    assert {title: items[title]["summary"] for title in wanted} == wanted
    tree = xml(site / "public/feed.xml")
    (description,) = tree.xpath("//item[title='Foto kegiatan']/description/text()")
    assert "<" not in description and "Peserta rapat koordinasi" in description
    if full:
        (encoded,) = tree.xpath("//item[title='Foto kegiatan']/content:encoded/text()", namespaces=RSS_NS)
        assert "<img" in encoded
