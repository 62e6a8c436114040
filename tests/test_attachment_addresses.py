"""An attachment's address leads to its file whatever its name: a '#', '?' or '%' in a file's
name went into the page, the feeds and the structured data as it was, so the address named
another file (a fragment, a query, an escape) and readers and aggregators got nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
from lxml import html

from tests.conftest import article, build

NOW = "2024-06-01T12:00:00+07:00"
NAMES = ["surat edaran #1.pdf", "tanya?.pdf", "pengumuman%20lama.pdf", "Laporan – café (final).pdf"]


def _path_of(address: str) -> str:
    """The file an address leads to, as a web server reads it: the path, decoded."""
    parts = urlsplit(address)
    assert not parts.query and not parts.fragment, address
    return unquote(parts.path)


def test_every_address_of_an_attachment_leads_to_its_file(make_site: Callable[..., Path]) -> None:
    files = {f"static/files/{name}": f"isi {name}".encode() for name in NAMES}
    release = article("Lampiran", "2024-05-30T10:00:00+07:00", "Isi berita.",
                      attachments=[{"path": f"/files/{name}", "title": name} for name in NAMES])
    site = make_site({**files, "content/berita/lampiran.md": release})
    assert build(site, "--now", NOW).code == 0
    out = site / "public"
    wanted = [f"/files/{name}" for name in NAMES]
    for path in wanted:
        assert (out / path.lstrip("/")).read_bytes() == f"isi {path.rsplit('/', 1)[-1]}".encode()
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    item = json.loads((out / "feed.json").read_text("utf-8"))["items"][0]
    page = html.fromstring((out / "berita/2024/lampiran/index.html").read_bytes())
    (data,) = [json.loads(s) for s in page.xpath("//script[@type='application/ld+json']/text()")
               if '"NewsArticle"' in s]
    found = {
        "rss media": [m["url"] for m in rss.entries[0].media_content],
        "atom": [e["href"] for e in atom.entries[0].enclosures],
        "json": [a["url"] for a in item["attachments"]],
        "page": [a.get("href") for a in page.xpath("//a[@type='application/pdf']")],
        "json-ld": [m["contentUrl"] for m in data["associatedMedia"]],
    }
    for where, addresses in found.items():
        assert sorted(_path_of(a) for a in addresses) == sorted(wanted), (where, addresses)
    assert _path_of(rss.entries[0].enclosures[0]["href"]) in wanted


def test_an_attachment_listed_twice_is_shown_once_with_a_warning(make_site: Callable[..., Path]) -> None:
    """The desk said to upload a missing attachment again; doing so listed it a second time, and
    the page and every feed carried it twice."""
    from sitegen.desk.form import from_form

    twice = [{"path": "/files/surat.pdf", "title": "Surat resmi"}, "/files/surat.pdf"]
    site = make_site({"static/files/surat.pdf": b"%PDF-1.4\n", "content/berita/lampiran.md": article(
        "Lampiran", "2024-05-30T10:00:00+07:00", "Isi berita.", attachments=twice)})
    result = build(site, "--now", NOW)
    assert result.code == 0, result.err
    assert "content/berita/lampiran.md:" in result.err and "listed twice" in result.err, result.err
    out = site / "public"
    page = html.fromstring((out / "berita/2024/lampiran/index.html").read_bytes())
    assert [a.text_content() for a in page.xpath("//a[@type='application/pdf']")] == ["Surat resmi"]
    item = json.loads((out / "feed.json").read_text("utf-8"))["items"][0]
    assert [a["url"] for a in item["attachments"]] == ["https://humas.example.go.id/files/surat.pdf"]
    # and the desk's form sends it once, with the title it has
    sent = {"attachment_path": ["/files/surat.pdf", "/files/surat.pdf"], "attachment_title": ["Surat resmi", ""]}
    assert from_form(sent).attachments == (("/files/surat.pdf", "Surat resmi"),)
