"""An attachment's length in the feeds and its size on the page are the published file's.

Every picture in static/ is published without its metadata (the location a phone wrote, a
PNG's text, an SVG's <metadata>), so a picture attached to a release is smaller online than
in static/: the feeds gave the file's size in static/, and an aggregator that checks an
enclosure's length against what it downloads found them apart."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import feedparser
from lxml import html
from PIL import Image, PngImagePlugin

from tests.conftest import article, build, photo_file

NOW = "2024-06-01T12:00:00+07:00"
BASE = "https://humas.example.go.id"
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><metadata>'
       + b"dibuat oleh kamera kantor " * 20 + b'</metadata><rect width="10" height="10"/></svg>')


def _png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "lokasi kantor wilayah " * 60)
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


FILES = {"static/files/foto-rapat.jpg": photo_file(320, 200, gps=True), "static/files/bagan.png": _png_with_text(),
         "static/files/peta.svg": SVG, "static/files/wa": photo_file(100, 80, gps=True),
         "static/files/rilis.pdf": b"%PDF-1.4\n" + b"0" * 900}
ATTACHED = ["/files/foto-rapat.jpg", "/files/bagan.png", "/files/peta.svg", "/files/wa", "/files/rilis.pdf"]


def _release() -> str:
    return article("Rapat Foto", "2024-05-30T10:00:00+07:00", "Isi berita.",
                   attachments=[{"path": path, "title": path.rsplit("/", 1)[-1]} for path in ATTACHED])


def _lengths(site: Path) -> dict[str, dict[str, int]]:
    """Each format's length for each attachment, by its address."""
    out = site / "public"
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    assert not rss.bozo and not atom.bozo
    item = json.loads((out / "feed.json").read_text("utf-8"))["items"][0]
    return {
        "rss media": {m["url"]: int(m["filesize"]) for m in rss.entries[0].media_content},
        "rss enclosure": {e["href"]: int(e["length"]) for e in rss.entries[0].enclosures},
        "atom": {e["href"]: int(e["length"]) for e in atom.entries[0].enclosures},
        "json": {a["url"]: a["size_in_bytes"] for a in item["attachments"]},
    }


def test_enclosure_lengths_are_the_published_files_sizes(make_site: Callable[..., Path]) -> None:
    site = make_site({**FILES, "content/berita/2024-05-30-foto.id.md": _release()})
    assert build(site, "--now", NOW, "--no-search").code == 0
    out = site / "public"
    published = {f"{BASE}{path}": (out / path.lstrip("/")).stat().st_size for path in ATTACHED}
    for path in ATTACHED[:4]:  # the pictures lost their metadata on the way: smaller than in static/
        assert (out / path.lstrip("/")).stat().st_size < len(FILES["static" + path]), path
    lengths = _lengths(site)
    assert lengths["rss media"] == lengths["atom"] == lengths["json"] == published
    assert lengths["rss enclosure"] == {f"{BASE}{ATTACHED[0]}": published[f"{BASE}{ATTACHED[0]}"]}
    # The page and its JSON-LD say the same sizes.
    page = html.fromstring((out / "berita/2024/foto/index.html").read_bytes())
    (data,) = [json.loads(s) for s in page.xpath("//script[@type='application/ld+json']/text()")
               if '"MediaObject"' in s]
    said = {m["contentUrl"]: m["contentSize"] for m in _media(data)}
    assert said == {url: f"{size} B" for url, size in published.items()}


def _media(data: object) -> list[dict[str, str]]:
    """Every MediaObject in a JSON-LD document."""
    found: list[dict[str, str]] = []
    if isinstance(data, dict):
        if data.get("@type") == "MediaObject":
            found.append(data)
        for value in data.values():
            found += _media(value)
    elif isinstance(data, list):
        for value in data:
            found += _media(value)
    return found


def test_a_picture_attachment_replaced_gives_the_new_published_size(make_site: Callable[..., Path]) -> None:
    site = make_site({**FILES, "content/berita/2024-05-30-foto.id.md": _release()})
    assert build(site, "--now", NOW, "--no-search").code == 0
    (site / "static/files/foto-rapat.jpg").write_bytes(photo_file(640, 400, gps=True, color=(10, 200, 90)))
    assert build(site, "--now", NOW, "--no-search").code == 0
    size = (site / "public/files/foto-rapat.jpg").stat().st_size
    assert all(lengths[f"{BASE}/files/foto-rapat.jpg"] == size for lengths in _lengths(site).values())


def _same_size_pictures() -> tuple[bytes, bytes]:
    """Two JPEGs of exactly one size whose pictures differ: the metadata of one pads it to the other."""
    import random

    random.seed(1)
    noise = Image.new("RGB", (32, 32))
    noise.putdata([(random.randrange(256), random.randrange(256), random.randrange(256)) for _ in range(32 * 32)])
    solid = Image.new("RGB", (32, 32), (200, 10, 10))

    def padded(image: Image.Image, length: int) -> bytes:
        exif = Image.Exif()
        exif[0x010E] = "y" * length  # ImageDescription
        out = io.BytesIO()
        image.save(out, "JPEG", exif=exif.tobytes())
        return out.getvalue()

    plain = padded(noise, 1)
    for length in range(1, 6000):
        candidate = padded(solid, length)
        if len(candidate) == len(plain):
            return candidate, plain
    raise AssertionError("no padding gives the same size")


def test_a_picture_replaced_by_one_of_the_same_size_gives_its_own_published_size(
        make_site: Callable[..., Path]) -> None:
    """An attachment's entry was read again only when the file's size changed: its published
    size follows the picture, so another picture of the very same size kept the old length."""
    import os

    first, second = _same_size_pictures()
    release = article("Rapat Foto", "2024-05-30T10:00:00+07:00", attachments=["/files/foto.jpg"])
    site = make_site({"static/files/foto.jpg": first, "content/berita/2024-05-30-foto.id.md": release})
    assert build(site, "--now", NOW, "--no-search").code == 0
    (site / "static/files/foto.jpg").write_bytes(second)
    os.utime(site / "static/files/foto.jpg", ns=(1_700_000_000_000_000_000,) * 2)  # another mtime, surely
    assert build(site, "--now", NOW, "--no-search").code == 0
    size = (site / "public/files/foto.jpg").stat().st_size
    assert size != len(second) and all(lengths[f"{BASE}/files/foto.jpg"] == size for lengths in _lengths(site).values())
