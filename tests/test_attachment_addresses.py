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
