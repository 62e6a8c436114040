"""Photos: responsive versions, no metadata anywhere in the output, credit and caption in
HTML, JSON-LD and feeds, the gallery, the derivative cache and every bad photo's error."""

from __future__ import annotations

import io
import json
import random
import re
import resource
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import html
from PIL import Image, features

from sitegen.build import Result
from sitegen.oneshot import Unchanged, build_once
from sitegen.options import Options
from tests.conftest import NOW, REPO, SMALL_CONFIG, Run, article, build, page, photo_file, run

A = "content/berita/a.id.md"
E = "content/berita/a.en.md"
BASE = "https://humas.example.go.id"
LEAKS = (b"GPS", b"Exif", b"http://ns.adobe.com/xap")
RASTER = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".tif", ".tiff")
#: The tags a TIFF needs to say how its pixels are laid out (sizes, compression, strips,
#: colours, palette, resolution, predictor, extra samples, sample format, colour profile).
TIFF_LAYOUT = frozenset({254, 256, 257, 258, 259, 262, 273, 274, 277, 278, 279, 282, 283, 284, 296, 317, 320, 322,
                         323, 324, 325, 338, 339, 34675})


def lead(**extra: Any) -> dict[str, Any]:
    return {"image": "/images/rapat.jpg", "image_alt": "Peserta rapat di aula",
            "image_caption": "Rapat koordinasi di aula.", "image_credit": "Humas Kanwil", **extra}


GALLERY = [
    {"path": "/images/g1.jpg", "alt": "Warga mendengarkan", "caption": "Warga hadir.", "credit": "Budi"},
    {"path": "/images/g2.png", "alt": "Spanduk kegiatan", "caption": "Spanduk.", "credit": "Ani"},
    {"path": "/images/tegak.jpg", "alt": "Foto tegak", "caption": "Diambil tegak.", "credit": "Citra"},
]


def photo_site() -> dict[str, str | bytes]:
    """A bilingual release with a lead photo, a gallery (a PNG among them, one photo stored on
    its side) and a photo in its text; a release without photos; photos carrying GPS."""
    return {
        "static/images/rapat.jpg": photo_file(1700, 1000, gps=True),
        "static/images/g1.jpg": photo_file(900, 600, gps=True),
        "static/images/g2.png": photo_file(640, 480, fmt="PNG", gps=True),
        "static/images/tegak.jpg": photo_file(1000, 750, gps=True, orientation=6),
        "static/images/teks.jpg": photo_file(1300, 800, gps=True),
        "static/images/lepas.jpg": photo_file(300, 200, gps=True),  # named by no release
        A: article("Rapat Koordinasi", gallery=GALLERY, **lead(),
                   body="Paragraf satu.\n\n![Suasana rapat](/images/teks.jpg)\n\nParagraf dua."),
        E: article("Coordination Meeting", gallery=GALLERY, **lead(image_alt="Meeting participants")),
        "content/berita/b.id.md": article("Tanpa Foto", "2024-05-29T10:00:00+07:00"),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import write_site

    site = write_site(tmp_path_factory.mktemp("photos") / "site", photo_site())
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    return site


def _doc(site: Path, url: str = "/berita/2024/a/") -> html.HtmlElement:
    return page(site, url)


def _file(site: Path, url: str) -> Path:
    return site / "public" / url.lstrip("/")


# --- responsive versions ------------------------------------------------------------------------

def test_lead_photo_is_a_picture_with_every_width_and_format(built: Path) -> None:
    figure = _doc(built).xpath("//figure[@class='lead-image']")[0]
    img = figure.xpath(".//picture/img")[0]
    sources = figure.xpath(".//picture/source")
    # AVIF where the installed Pillow writes it, then WebP; JPEG is the <img> itself.
    expected = ["image/avif", "image/webp"] if features.check("avif") else ["image/webp"]
    assert [s.get("type") for s in sources] == expected
    widths = [int(c.split()[1][:-1]) for c in img.get("srcset").split(", ")]
    assert widths == [480, 800, 1200, 1600]  # never above the original's 1700
    for source in sources:
        assert [int(c.split()[1][:-1]) for c in source.get("srcset").split(", ")] == widths
        assert source.get("sizes") == img.get("sizes") and img.get("sizes")
    assert (img.get("width"), img.get("height")) == ("1700", "1000")
    assert img.get("alt") == "Peserta rapat di aula"
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    # Each version is what its srcset says it is.
    for candidate in [*img.get("srcset").split(", "), *sources[-1].get("srcset").split(", ")]:
        url, width = candidate.split()
        with Image.open(_file(built, url)) as version:
            assert version.width == int(width[:-1])
            assert abs(version.height - int(width[:-1]) * 1000 / 1700) <= 1
    with Image.open(_file(built, img.get("src"))) as fallback:
        assert fallback.format == "JPEG"
    caption = " ".join(figure.xpath("string(.//figcaption)").split())
    assert "Rapat koordinasi di aula." in caption and "Humas Kanwil" in caption


def test_a_narrow_photo_is_never_enlarged(make_site: Callable[..., Path]) -> None:
    site = make_site({"static/k.jpg": photo_file(700, 400),
                      A: article("Kecil", image="/k.jpg", image_alt="Foto kecil")})
    assert build(site, "--no-search").code == 0
    img = _doc(site).xpath("//figure//img")[0]
    assert [c.split()[1] for c in img.get("srcset").split(", ")] == ["480w"]
    og = _doc(site).xpath("//meta[@property='og:image']/@content")[0]
    with Image.open(_file(site, og.removeprefix(BASE))) as picture:
        assert picture.size == (700, 400)  # the Open Graph version at the original's width
    even_smaller = make_site({"static/k.jpg": photo_file(300, 200),
                              A: article("Kecil", image="/k.jpg", image_alt="Foto kecil")}, name="tiny")
    assert build(even_smaller, "--no-search").code == 0
    img = _doc(even_smaller).xpath("//figure//img")[0]
    assert img.get("srcset").endswith(" 300w") and "," not in img.get("srcset")


def test_exif_orientation_is_applied(built: Path) -> None:
    item = [f for f in _doc(built).xpath("//section[@class='gallery']//figure")
            if f.xpath(".//img/@alt") == ["Foto tegak"]][0]
    img = item.xpath(".//img")[0]
    assert (img.get("width"), img.get("height")) == ("750", "1000")  # stored 1000x750, orientation 6
    with Image.open(_file(built, img.get("srcset").split(", ")[-1].split()[0])) as version:
        assert version.height > version.width
        # The yellow corner drawn top left of the stored pixels is top right once upright.
        rgb = version.convert("RGB")
        assert rgb.getpixel((version.width - 5, 5))[0] > 200 and rgb.getpixel((5, 5))[0] < 100
    with Image.open(_file(built, item.xpath(".//a[@class='download']/@href")[0])) as full:
        assert full.size == (750, 1000)


def test_images_in_the_text_become_lazy_pictures(built: Path) -> None:
    body = _doc(built).xpath("//div[@class='body']")[0]
    img = body.xpath(".//picture/img")[0]
    assert img.get("alt") == "Suasana rapat" and img.get("loading") == "lazy"
    assert img.get("fetchpriority") is None
    assert (img.get("width"), img.get("height")) == ("1300", "800")
    assert [c.split()[1] for c in img.get("srcset").split(", ")] == ["480w", "800w", "1200w"]
    assert body.xpath(".//picture/source[@type='image/webp']")
    assert "/images/teks.jpg" not in html.tostring(body).decode()


def test_gallery_photos_are_lazy_and_only_the_lead_is_fetched_first(built: Path) -> None:
    doc = _doc(built)
    imgs = doc.xpath("//img[@srcset]")
    assert [i.get("fetchpriority") for i in imgs].count("high") == 1
    assert all(i.get("loading") == "lazy" for i in imgs if i.get("fetchpriority") != "high")


# --- the gallery --------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "words"), [("/berita/2024/a/", ("Galeri foto", "Unduh resolusi tinggi")),
                                            ("/en/berita/2024/a/", ("Photo gallery", "Download high resolution"))])
def test_gallery_grid_with_captions_credits_and_downloads(built: Path, url: str, words: tuple[str, str]) -> None:
    gallery = _doc(built, url).xpath("//section[@class='gallery']")[0]
    assert gallery.xpath("string(.//h2)") == words[0]
    items = gallery.xpath(".//ul[@class='gallery-grid']/li/figure")
    assert [i.xpath("string(.//img/@alt)") for i in items] == [g["alt"] for g in GALLERY]
    for item, spec in zip(items, GALLERY, strict=True):
        caption = " ".join(item.xpath("string(figcaption)").split())
        assert spec["caption"] in caption and spec["credit"] in caption and words[1] in caption
        link = item.xpath(".//a[@class='download']")[0]
        assert link.get("download") is not None
        with Image.open(_file(built, link.get("href"))) as full:
            assert full.format == "JPEG"  # the PNG's download too
            upright = (750, 1000) if spec["path"] == "/images/tegak.jpg" else None
            original = Image.open(built / "static" / spec["path"].lstrip("/"))
            assert full.size == (upright or original.size)
            assert not full.getexif() and "exif" not in full.info


# --- no metadata anywhere -----------------------------------------------------------------------

def leaks(root: Path) -> list[str]:
    """Every file under ``root`` that carries EXIF, XMP or GPS data (or looks as if it did)."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix.lower() not in RASTER:
            if path.suffix in (".html", ".xml", ".json") and any(m in data for m in LEAKS[:1]):
                found.append(f"{path}: text mentions GPS")
            continue
        if any(m in data for m in LEAKS):
            found.append(f"{path}: bytes")
        try:
            im = Image.open(io.BytesIO(data))
        except OSError:
            continue  # not an image (a placeholder): only its bytes could leak, and they were scanned
        with im:
            exif = im.getexif()
            # A TIFF's own tags are its EXIF structure: there any tag but those that lay out the pixels counts.
            tagged = bool(set(exif) - TIFF_LAYOUT) if im.format == "TIFF" else len(exif) > 0
            if tagged or im.info.get("exif") or im.info.get("xmp") or \
                    any("xml:com.adobe.xmp" in str(k).lower() for k in im.info):
                found.append(f"{path}: {sorted(map(str, im.info))}")
    return found


def test_no_output_file_carries_gps_exif_or_xmp(built: Path) -> None:
    public = built / "public"
    sources = [built / "static/images" / name for name in ("rapat.jpg", "g1.jpg", "g2.png", "lepas.jpg")]
    assert all(Image.open(s).getexif().get_ifd(0x8825) for s in sources)  # the originals have GPS
    assert leaks(public) == []
    # The originals are never copied: a JPEG's own address holds a metadata-free copy.
    for source in sources:
        published = public / source.relative_to(built / "static")
        assert published.read_bytes() != source.read_bytes()
        with Image.open(published) as clean, Image.open(source) as original:
            assert clean.size == original.size and clean.format == original.format
    # An upright JPEG keeps its very pixels: only the metadata segments were dropped.
    with Image.open(_file(built, "/images/rapat.jpg")) as clean, Image.open(built / "static/images/rapat.jpg") as orig:
        assert clean.tobytes() == orig.tobytes()
    assert _file(built, "/images/rapat.jpg").stat().st_size < (built / "static/images/rapat.jpg").stat().st_size


def _saved(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def test_static_images_named_by_no_release_lose_their_metadata_too(make_site: Callable[..., Path]) -> None:
    from PIL import PngImagePlugin

    exif = Image.open(io.BytesIO(photo_file(gps=True))).getexif()
    png = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("XML:com.adobe.xmp", '<x:xmpmeta xmlns:x="adobe:ns:meta/">Padang</x:xmpmeta>')
    Image.new("RGB", (40, 30), "red").save(png, "PNG", pnginfo=info, exif=exif)
    webp = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(webp, "WEBP", exif=exif, xmp=b"<x:xmpmeta>Padang</x:xmpmeta>")
    tiff = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(tiff, "TIFF", exif=exif)
    palette_tiff = Image.new("P", (40, 30), 3)
    palette_tiff.putpalette([0, 0, 0, 10, 20, 30, 40, 50, 60, 200, 100, 50])
    site = make_site({A: article("Rapat"), "static/foto/a.jpg": photo_file(gps=True),
                      "static/foto/b.png": png.getvalue(), "static/foto/c.webp": webp.getvalue(),
                      "static/foto/d.tiff": tiff.getvalue(), "static/foto/e.jpg": photo_file(gps=True, orientation=3),
                      "static/foto/f.tiff": photo_file(640, 480, fmt="TIFF", gps=True),
                      "static/foto/g.tif": _saved(palette_tiff, "TIFF", exif=exif),
                      "static/foto/palsu.png": b"\x89PNG not really"})
    assert build(site, "--no-search").code == 0
    assert leaks(site / "public" / "foto") == []
    for name in ("f.tiff", "g.tif"):  # the pixels as they were, the camera and the place gone
        with Image.open(site / "public/foto" / name) as clean, Image.open(site / "static/foto" / name) as original:
            assert clean.tobytes() == original.tobytes() and clean.getpalette() == original.getpalette()
            assert {0x010F, 0x0110, 0x0131, 0x8825} & set(original.getexif())
            assert not {0x010F, 0x0110, 0x0131, 0x8825} & set(clean.getexif())
    with Image.open(site / "public/foto/e.jpg") as turned:  # upside down, turned upright
        assert turned.convert("RGB").getpixel((turned.width - 3, turned.height - 3))[0] > 200
    assert (site / "public/foto/palsu.png").read_bytes() == b"\x89PNG not really"  # not an image: as it is


def test_the_bundled_site_publishes_its_sample_photos_without_gps(tmp_path: Path) -> None:
    sources = sorted((REPO / "static/images").glob("*.jpg"))
    with_gps = [s.name for s in sources if Image.open(s).getexif().get_ifd(0x8825)]
    # every one, the drawn illustration too: each could leak where it was made
    assert len(sources) >= 6 and with_gps == [s.name for s in sources]
    assert any(Image.open(s).getexif().get(0x0112) == 6 for s in sources)  # one stored on its side
    assert all(s.stat().st_size < 400_000 for s in sources)
    out = tmp_path / "public"
    result = run("build", "--site", REPO, "--output", out, "--now", NOW, "--no-search")
    assert result.code == 0, result.err
    assert leaks(out) == []
    photographed = [p for p in out.rglob("index.html") if b'class="lead-image"' in p.read_bytes()]
    assert len(photographed) >= 6
    for lang in ("", "en/"):
        doc = html.fromstring((out / lang / "berita/2025/penyuluhan-hukum-nagari/index.html").read_bytes())
        items = doc.xpath("//section[@class='gallery']//figure")
        assert len(items) == 3
        assert all("contoh" in i.xpath("string(figcaption)").lower() or "sample" in i.xpath("string(figcaption)")
                   for i in items)


# --- sharing: Open Graph, JSON-LD, social cards -------------------------------------------------

def test_og_image_and_json_ld_use_the_1200_wide_version(built: Path) -> None:
    doc = _doc(built)

    def meta(name: str) -> list[str]:
        return [str(v) for v in doc.xpath("//meta[@property=$n or @name=$n]/@content", n=name)]

    og = meta("og:image")[0]
    assert og.startswith(f"{BASE}/images/rapat-1200w.") and og.endswith(".jpg")
    assert meta("og:image:width") == ["1200"] and meta("og:image:height") == ["706"]
    assert meta("og:image:type") == ["image/jpeg"] and meta("og:image:alt") == ["Peserta rapat di aula"]
    with Image.open(_file(built, og.removeprefix(BASE))) as picture:
        assert picture.size == (1200, 706) and not picture.getexif()
    data = json.loads(doc.xpath("//script[@type='application/ld+json']/text()")[0])
    images = data["image"]
    assert images[0] == {"@type": "ImageObject", "url": og, "contentUrl": og, "width": 1200, "height": 706,
                         "caption": "Rapat koordinasi di aula.", "creditText": "Humas Kanwil",
                         "description": "Peserta rapat di aula"}
    assert [i["caption"] for i in images[1:]] == [g["caption"] for g in GALLERY]
    assert [i["creditText"] for i in images[1:]] == [g["credit"] for g in GALLERY]
    assert all(i["url"].startswith(f"{BASE}/images/") and "w." in i["url"] for i in images)


def test_social_card_only_for_releases_without_a_photo(built: Path) -> None:
    assert not _file(built, "/berita/2024/a/og.png").exists()
    assert _file(built, "/berita/2024/b/og.png").is_file()
    card = _doc(built, "/berita/2024/b/").xpath("//meta[@property='og:image']/@content")
    assert card == [f"{BASE}/berita/2024/b/og.png"]


# --- feeds --------------------------------------------------------------------------------------

def test_feeds_carry_photos_with_caption_and_credit(built: Path) -> None:
    link = f"{BASE}/berita/2024/a/"
    rss = next(e for e in feedparser.parse(_file(built, "/feed.xml").read_bytes()).entries if e.link == link)
    media = rss.media_content
    assert len(media) == 1 + len(GALLERY)
    assert all(m["url"].startswith(f"{BASE}/images/") and m["type"] == "image/jpeg" and m["medium"] == "image"
               for m in media)
    assert media[0]["width"] == "1200" and int(media[0]["filesize"]) == _file(built, media[0]["url"].removeprefix(
        BASE)).stat().st_size
    assert rss.enclosures[0]["href"] == media[0]["url"]  # no attachment: the lead photo is the enclosure
    tree = feedparser.parse(_file(built, "/feed.xml").read_bytes())
    assert not tree.bozo
    from lxml import etree

    ns = {"media": "http://search.yahoo.com/mrss/"}
    root = etree.fromstring(_file(built, "/feed.xml").read_bytes())
    item = root.xpath("//item[link=$l]", l=link)[0]
    assert item.xpath("media:content/media:credit/text()", namespaces=ns) == ["Humas Kanwil"] + [
        g["credit"] for g in GALLERY]
    assert item.xpath("media:content/media:description/text()", namespaces=ns)[0] == "Rapat koordinasi di aula."
    atom = next(e for e in feedparser.parse(_file(built, "/atom.xml").read_bytes()).entries if e.link == link)
    assert [e["href"] for e in atom.enclosures] == [m["url"] for m in media]
    assert all(e["type"] == "image/jpeg" and int(e["length"]) > 0 for e in atom.enclosures)
    assert not feedparser.parse(_file(built, "/atom.xml").read_bytes()).bozo
    atom_root = etree.fromstring(_file(built, "/atom.xml").read_bytes())
    a = {"a": "http://www.w3.org/2005/Atom", **ns}
    atom_entry = atom_root.xpath("//a:entry[a:link[not(@rel)]/@href=$l]", namespaces=a, l=link)[0]
    assert atom_entry.xpath("media:content/@url", namespaces=a) == [m["url"] for m in media]
    assert atom_entry.xpath("media:content/media:credit/text()", namespaces=a) == ["Humas Kanwil"] + [
        g["credit"] for g in GALLERY]
    assert atom_entry.xpath("media:content/media:description/text()", namespaces=a)[0] == "Rapat koordinasi di aula."
    data = json.loads(_file(built, "/feed.json").read_bytes())
    entry = next(i for i in data["items"] if i["url"] == link)
    assert entry["image"] == media[0]["url"]
    assert [a["url"] for a in entry["attachments"]] == [m["url"] for m in media]
    assert [p["credit"] for p in entry["_photos"]["photos"]] == ["Humas Kanwil"] + [g["credit"] for g in GALLERY]
    assert entry["_photos"]["photos"][0]["caption"] == "Rapat koordinasi di aula."
    for text in (_file(built, "/feed.xml").read_text(), _file(built, "/atom.xml").read_text(), json.dumps(data)):
        assert "/images/rapat.jpg" not in text and "/images/g2.png" not in text  # never the originals


def test_a_release_whose_only_photo_is_in_its_text_shows_it_in_the_feeds(make_site: Callable[..., Path]) -> None:
    """The photo a link preview shows (og:image) is the one the feeds show too: with no lead
    photo and no gallery, the first photo of the text, as the 1200-pixel JPEG with its alt text."""
    site = make_site({"static/images/teks.jpg": photo_file(1300, 800, gps=True),
                      A: article("Foto di Teks", body="Paragraf.\n\n![Suasana rapat](/images/teks.jpg)\n")})
    assert build(site, "--no-search").code == 0
    og = _doc(site).xpath("string(//meta[@property='og:image']/@content)")
    assert og.startswith(f"{BASE}/images/teks-1200w.")
    link = f"{BASE}/berita/2024/a/"
    rss = next(e for e in feedparser.parse(_file(site, "/feed.xml").read_bytes()).entries if e.link == link)
    assert [m["url"] for m in rss.media_content] == [og]
    assert [e["href"] for e in rss.enclosures] == [og]
    atom = next(e for e in feedparser.parse(_file(site, "/atom.xml").read_bytes()).entries if e.link == link)
    assert [e["href"] for e in atom.enclosures] == [og]
    item = next(i for i in json.loads(_file(site, "/feed.json").read_bytes())["items"] if i["url"] == link)
    assert item["image"] == og


# --- the derivative cache -----------------------------------------------------------------------

def _built(site: Path) -> Result | Unchanged:
    """``sitegen build --no-search``, in this process: what the build says it did."""
    return build_once(Options(site_dir=site, now=NOW, search=False))


def _counts(outcome: Result | Unchanged) -> tuple[int, int]:
    """Photo version sets made and reused by a build that did not take the shortcut."""
    assert isinstance(outcome, Result), "the build took the nothing-changed shortcut"
    return outcome.photos.made, outcome.photos.reused


def test_versions_are_cached_and_never_remade_while_the_photo_is_unchanged(
        make_site: Callable[..., Path]) -> None:
    site = make_site(photo_site())
    assert _counts(_built(site)) == (5, 0)
    assert list((site / ".sitegen-cache" / "images").rglob("*.webp"))
    # A second build with an unchanged site: nothing to do at all.
    assert isinstance(_built(site), Unchanged)
    # Without its output the site is built again, from the cached versions.
    import shutil

    shutil.rmtree(site / "public")
    assert _counts(_built(site)) == (0, 5)
    assert leaks(site / "public") == []
    # A text edit re-reads the release; its photos are still reused.
    (site / A).write_text((site / A).read_text().replace("Paragraf dua.", "Paragraf dua diubah."))
    assert _counts(_built(site)) == (0, 5)


def test_a_replaced_photo_is_made_again_and_its_pages_rendered_again(make_site: Callable[..., Path]) -> None:
    site = make_site({"static/images/rapat.jpg": photo_file(1000, 600, color=(200, 30, 30)),
                      A: article("Rapat", **lead()), "content/berita/b.id.md": article("Lain")})
    assert build(site, "--no-search").code == 0
    before = _doc(site).xpath("//figure//img/@src")[0]
    other = _file(site, "/berita/2024/b/index.html").stat().st_mtime_ns
    (site / "static/images/rapat.jpg").write_bytes(photo_file(1000, 600, color=(30, 200, 30)))
    assert _counts(_built(site)) == (1, 0)
    after = _doc(site).xpath("//figure//img/@src")[0]
    assert after != before  # a new address: no browser or CDN keeps showing the old photo
    with Image.open(_file(site, after)) as version:
        assert version.convert("RGB").getpixel((version.width - 5, version.height - 5))[1] > 150
    assert not _file(site, before).exists()  # the old versions are gone from the output
    assert _file(site, "/berita/2024/b/index.html").stat().st_mtime_ns == other  # no photo: not rewritten


def test_a_photo_many_releases_show_is_read_again_for_each_of_them(make_site: Callable[..., Path]) -> None:
    """The build looks at each photo file once however many cached releases show it; a
    replaced photo still reaches every one of them."""
    files: dict[str, str | bytes] = {"static/images/rapat.jpg": photo_file(1000, 600, color=(200, 30, 30))}
    names = [f"r{n}" for n in range(4)]
    for n, name in enumerate(names):
        files[f"content/berita/{name}.id.md"] = article(f"Rapat {n}", f"2024-05-0{n + 1}T10:00:00+07:00", **lead())
    site = make_site(files)
    assert build(site, "--no-search").code == 0
    before = {_doc(site, f"/berita/2024/{name}/").xpath("//figure//img/@src")[0] for name in names}
    assert len(before) == 1  # one photo, one set of versions
    (site / "static/images/rapat.jpg").write_bytes(photo_file(1000, 600, color=(30, 200, 30)))
    assert _counts(_built(site)) == (1, 0)
    after = {_doc(site, f"/berita/2024/{name}/").xpath("//figure//img/@src")[0] for name in names}
    assert len(after) == 1 and after != before


# --- bad photos ---------------------------------------------------------------------------------

def _errors(result: Run) -> list[str]:
    return [line for line in result.err.splitlines() if ": error: " in line]


def _bad(make_site: Callable[..., Path], files: dict[str, str | bytes], config: str = SMALL_CONFIG) -> Run:
    site = make_site(files, config)
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    assert not (site / "public").exists()  # nothing written
    assert "Traceback" not in result.err
    return result


def _release(*lines: str, body: str = "Isi.") -> str:
    return "---\n" + "\n".join(["title: Rapat", "date: 2024-05-30T10:00:00+07:00", *lines]) + "\n---\n" + body + "\n"


def test_a_missing_photo_is_an_error_on_its_line(make_site: Callable[..., Path]) -> None:
    result = _bad(make_site, {A: _release("image: /images/tidak-ada.jpg", "image_alt: Foto")})
    assert _errors(result) == [f"{A}:4: error: the file '/images/tidak-ada.jpg' does not exist "
                               "(put it at static/images/tidak-ada.jpg, or fix the name)"]
    gallery = _release("gallery:", "  - path: /images/ada.jpg", "    alt: Ada", "  - path: /images/hilang.jpg",
                       "    alt: Hilang")
    result = _bad(make_site, {A: gallery, "static/images/ada.jpg": photo_file()})
    assert [e.split(": error: ")[0] for e in _errors(result)] == [f"{A}:7"]
    assert "'/images/hilang.jpg' does not exist" in result.err
    body = _release(body="Satu.\n\nDua.\n\n![foto](/images/hilang.jpg)\n")
    result = _bad(make_site, {A: body})
    assert _errors(result)[0].startswith(f"{A}:9: error: the file '/images/hilang.jpg' does not exist")


def test_a_damaged_or_unsupported_photo_is_an_error(make_site: Callable[..., Path]) -> None:
    cut = photo_file(800, 600)[:-400]
    result = _bad(make_site, {A: _release("image: /rusak.jpg", "image_alt: Foto"), "static/rusak.jpg": cut})
    assert _errors(result)[0].startswith(f"{A}:4: error: photo '/rusak.jpg': the photo is damaged or cut short")
    result = _bad(make_site, {A: _release("image: /teks.jpg", "image_alt: Foto"), "static/teks.jpg": "bukan foto"})
    assert _errors(result)[0].startswith(f"{A}:4: error: photo '/teks.jpg': the file is not an image sitegen can "
                                         "read (damaged, or not JPEG, PNG, WebP, TIFF or AVIF)")
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    result = _bad(make_site, {A: _release("image: /logo.svg", "image_alt: Logo"), "static/logo.svg": svg})
    assert _errors(result)[0].startswith(f"{A}:4: error: '/logo.svg' is not a photo sitegen can publish")


def test_an_image_in_the_text_without_alt_text_is_a_warning_on_its_line(make_site: Callable[..., Path]) -> None:
    """Readers who cannot see a photo hear its alt text; one left empty is said, with its line.
    A warning, not an error: texts written before sitegen still build."""
    site = make_site({"static/images/foto.jpg": photo_file(900, 600),
                      A: _release(body="Satu.\n\n![](/images/foto.jpg)\n\n![Suasana rapat](/images/foto.jpg)\n")})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if "alt text" in line] == [
        f"{A}:7: warning: the image '/images/foto.jpg' in the text has no alt text (describe what it shows "
        "between the brackets: ![Peserta rapat](/images/foto.jpg))"]


def test_a_photo_over_the_pixel_limit_is_an_error(make_site: Callable[..., Path]) -> None:
    result = _bad(make_site, {A: _release("image: /besar.jpg", "image_alt: Foto"),
                              "static/besar.jpg": photo_file(1500, 1000)},
                  SMALL_CONFIG + "images:\n  max_megapixels: 1\n")
    assert _errors(result) == [f"{A}:4: error: photo '/besar.jpg': the photo has 1.5 megapixels, more than the "
                               "1 megapixels sitegen processes (make it smaller, or raise images.max_megapixels "
                               "in config.yaml)"]
    # Far beyond the limit, Pillow itself refuses to open it (a decompression bomb).
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")
    result = _bad(make_site, {A: _release("gallery:", "  - {path: /bom.png, alt: Bom}"), "static/bom.png":
                              bomb.getvalue()})
    assert _errors(result)[0].startswith(f"{A}:5: error: photo '/bom.png': the photo has 400.0 megapixels, more "
                                         "than the 120 megapixels sitegen processes")


def test_a_lead_or_gallery_photo_without_alt_text_is_an_error(make_site: Callable[..., Path]) -> None:
    files: dict[str, str | bytes] = {"static/f.jpg": photo_file(),
                                     A: _release("image: /f.jpg", "gallery:", "  - path: /f.jpg",
                                                 "    caption: Tanpa alt")}
    result = _bad(make_site, files)
    assert _errors(result) == [
        f"{A}:4: error: the lead photo has no image_alt (describe the photo for readers who cannot see it: "
        "image_alt: ...)",
        f"{A}:6: error: gallery photo 1 has no alt text (describe what the photo shows for readers who cannot "
        "see it: alt: ...)"]


def test_a_gallery_that_is_not_a_list_of_photos_is_an_error(make_site: Callable[..., Path]) -> None:
    result = _bad(make_site, {A: _release("gallery: /f.jpg")})
    assert _errors(result)[0].startswith(f"{A}:4: error: 'gallery' must be a list of photos")
    result = _bad(make_site, {A: _release("gallery:", "  - {path: /f.jpg, alt: x, warna: merah}"),
                              "static/f.jpg": photo_file()})
    assert _errors(result)[0].startswith(f"{A}:5: error: gallery photo 1 has unknown key 'warna'")
    result = _bad(make_site, {A: _release("gallery:", "  - {path: /f.jpg, alt: x, capton: Rapat}"),
                              "static/f.jpg": photo_file()})
    assert _errors(result)[0] == (f"{A}:5: error: gallery photo 1 has unknown key 'capton' (did you mean "
                                  "'caption'? each photo has only path, alt, caption and credit)")
    # A photo written as its path alone is told how a gallery photo is written, not only that alt is missing.
    result = _bad(make_site, {A: _release("gallery:", "  - /f.jpg"), "static/f.jpg": photo_file()})
    assert _errors(result)[0].startswith(f"{A}:5: error: gallery photo 1 has no alt text (write each photo as ")


@pytest.mark.parametrize(("lines", "body", "expected"), [
    (("image: 123", "image_alt: Foto"), "Isi.",
     f"{A}:4: error: 'image' must be a file path, not 123 (write it as  image: /images/foto.jpg  for the file "
     "static/images/foto.jpg)"),
    (("image: ''", "image_alt: Foto"), "Isi.",
     f"{A}:4: error: 'image' names no file (write it as  image: /images/foto.jpg  for the file "
     "static/images/foto.jpg)"),
    (("gallery:", "  - {path: 5, alt: Foto}"), "Isi.",
     f"{A}:5: error: 'path' must be a file path, not 5 (write it as  path: /images/foto.jpg  for the file "
     "static/images/foto.jpg)"),
    (("gallery:", "  - {path: ../rahasia.jpg, alt: Foto}"), "Isi.",
     f"{A}:5: error: '../rahasia.jpg' points outside the static/ folder (put the file in static/ and write it "
     "as  path: /images/foto.jpg  for the file static/images/foto.jpg)"),
    ((), "Teks.\n\n![Peta](/../rahasia.jpg)",
     f"{A}:7: error: '/../rahasia.jpg' points outside the static/ folder (put the file in static/ and write it "
     "as  ![what the photo shows](/images/foto.jpg)  for the file static/images/foto.jpg)"),
])
def test_a_photo_path_of_the_wrong_kind_is_explained_with_a_photo(make_site: Callable[..., Path],
                                                                  lines: tuple[str, ...], body: str,
                                                                  expected: str) -> None:
    """The hint shows how a photo is written where the photo is named (a gallery photo's
    ``path:``, an image in the text), not ``gallery: /files/rilis.pdf``: a gallery is a list
    of photos, and following such a hint would only give another error."""
    assert _errors(_bad(make_site, {A: _release(*lines, body=body)})) == [expected]


def test_check_reports_a_damaged_photo_without_writing(make_site: Callable[..., Path]) -> None:
    site = make_site({A: _release("image: /rusak.jpg", "image_alt: Foto"), "static/rusak.jpg": b"\xff\xd8\xff"})
    result = run("check", "--site", site, "--now", NOW)
    assert result.code == 1 and f"{A}:4: error: photo '/rusak.jpg'" in result.err
    assert not (site / "public").exists() and not (site / ".sitegen-cache").exists()


@pytest.mark.parametrize(("setting", "message"), [
    ("widths: [10]", "config.yaml:11: error: 'images.widths' must be a list of widths"),
    ("formats: [gif]", "config.yaml:11: error: 'images.formats' names 'gif', not an image format"),
    ("quality: {jpeg: 120}", "config.yaml:11: error: 'images.quality.jpeg' must be a number from 1 to 100"),
    ("colour: merah", "config.yaml:11: error: unknown key 'images.colour'"),
])
def test_image_settings_are_checked(make_site: Callable[..., Path], setting: str, message: str) -> None:
    site = make_site({A: article("Rapat")}, SMALL_CONFIG + f"images:\n  {setting}\n")
    result = build(site)
    assert result.code == 2 and result.err.startswith(message), result.err


def test_settings_choose_widths_quality_and_avif(make_site: Callable[..., Path]) -> None:
    config = SMALL_CONFIG + "images:\n  widths: [320, 640]\n  formats: [avif, webp, jpeg]\n  quality: 60\n"
    site = make_site({"static/f.jpg": photo_file(1000, 800), A: article("Rapat", image="/f.jpg", image_alt="F")},
                     config)
    assert build(site, "--no-search").code == 0
    img = _doc(site).xpath("//figure//img")[0]
    assert [c.split()[1] for c in img.get("srcset").split(", ")] == ["320w", "640w"]
    types = _doc(site).xpath("//figure//source/@type")
    if features.check("avif"):
        assert types == ["image/avif", "image/webp"]
        url = _doc(site).xpath("//figure//source[@type='image/avif']/@srcset")[0].split()[0]
        with Image.open(_file(site, url)) as avif:
            assert avif.format == "AVIF" and avif.width == 320 and not avif.getexif()
    else:  # a Pillow without AVIF: the other formats, no error
        assert types == ["image/webp"]


# --- memory -------------------------------------------------------------------------------------

#: The build's peak resident memory, of its own process and of the workers it forked. Its own is
#: VmHWM, not getrusage's ru_maxrss: Linux keeps in ru_maxrss the size of the process it was
#: started from (exec keeps the old image's high-water mark), so after hundreds of tests it
#: reported pytest's own size (980 MB once, against a build's 130-150 MB).
_MEASURE = textwrap.dedent("""
    import resource, sys
    from sitegen.cli import main
    code = main(sys.argv[1:])
    own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    peak = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print("PEAK", peak, "CODE", code)
""")
_MAKE = textwrap.dedent("""
    import sys
    from PIL import Image
    image = Image.linear_gradient("L").resize((10000, 10000)).convert("RGB")
    image.save(sys.argv[1], "JPEG", quality=85)
""")


def test_a_100_megapixel_photo_is_processed_without_exhausting_memory(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Foto besar", image="/besar.jpg", image_alt="Foto 100 megapiksel")})
    (site / "static").mkdir()
    subprocess.run([sys.executable, "-c", _MAKE, str(site / "static/besar.jpg")], check=True, timeout=300)
    done = subprocess.run([sys.executable, "-c", _MEASURE, "build", "--site", str(site), "--now", NOW,
                           "--no-search", "--jobs", "2"], capture_output=True, text=True, timeout=600)
    assert "CODE 0" in done.stdout, done.stderr
    peak_kb = int(done.stdout.split("PEAK ")[1].split()[0])
    # Decoded whole, the photo alone would take 300 MB (10,000 x 10,000 x 3 bytes); the build
    # takes 130-150 MB here, decoding it at an eighth of its size.
    assert peak_kb < 350_000, f"peak resident memory {peak_kb // 1024} MB"
    img = _doc(site).xpath("//figure//img")[0]
    assert (img.get("width"), img.get("height")) == ("10000", "10000")
    assert leaks(site / "public") == []
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0  # (the measure itself works here)


def test_the_encoders_key_is_what_pillow_features_says() -> None:
    """The photo keys name Pillow's encoders; read without importing PIL.Image, the names must
    be those PIL.features gives (a difference would re-make every photo, or keep stale ones)."""
    import PIL

    from sitegen.images import plan

    plan.encoders.cache_clear()
    plan.writes_avif.cache_clear()
    assert plan.encoders() == repr((PIL.__version__, features.version("jpg"), features.version("webp"),
                                    bool(features.check("avif"))))
    assert plan.writes_avif() is bool(features.check("avif"))
    assert plan._compiled("PIL._no_such_module", "x") is None


def test_an_edit_build_does_not_import_pillows_image_module(make_site: Callable[..., Path]) -> None:
    """A site with photos, and an edit to a release without one: nothing is drawn or probed."""
    text = "content/berita/2024-05-31-teks.id.md"
    site = make_site({"content/berita/2024-05-30-foto.id.md": article("Foto", body="Isi.", image="/images/foto.jpg",
                                                                      image_alt="Peserta rapat"),
                      text: article("Teks", date="2024-05-31T10:00:00+07:00", body="Isi."),
                      "static/images/foto.jpg": photo_file(640, 480)})
    assert build(site).code == 0
    (site / text).write_text(article("Teks", date="2024-05-31T10:00:00+07:00", body="Isi baru."))
    probe = ("import sys; from sitegen.cli import run\n"
             "try:\n    run()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
             "print('PIL.Image' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe, "build", "--site", str(site), "--now", NOW],
                          capture_output=True, text=True, check=True)
    assert "photos: 0 made, 1 reused" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert "Isi baru." in page(site, "berita/2024/teks/").text_content()


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_edit_to_a_release_with_photos_reads_none_of_its_unchanged_photos_again(
        make_site: Callable[..., Path], tmp_path: Path, jobs: int) -> None:
    """A release's text and its photos' words edited, its photo files as they were: the build
    takes what the last parse of the release read of each photo (a phone photo is megabytes
    to read and decode), so nothing imports Pillow's Image module; the pages are those of a
    clean build. With two jobs the release is parsed in a worker process."""
    from tests.test_incremental import clean_build_of, digest

    site = make_site(photo_site())
    assert build(site, "--no-search").code == 0
    edited = (site / A).read_text("utf-8").replace("Paragraf dua.", "Paragraf dua diubah.")
    (site / A).write_text(edited.replace("Peserta rapat di aula", "Peserta rapat di aula utama"), "utf-8")
    probed = tmp_path / "probed.txt"
    program = ("import sys\nfrom sitegen.cli import run\nfrom sitegen.content import parse_all\n"
               "from sitegen.images import probe\nparse_all.PARALLEL_FROM = 1\ninspect = probe.inspect\n"
               "def counted(data, *args, **kwargs):\n"
               f"    with open({str(probed)!r}, 'a') as f:\n        f.write('x')\n"
               "    return inspect(data, *args, **kwargs)\n"
               "probe.inspect = counted\n"
               "try:\n    run()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
               "print('PIL.Image' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", program, "build", "--site", str(site), "--now", NOW, "--no-search",
                           "--jobs", str(jobs)], capture_output=True, text=True, check=True)
    assert not probed.exists()  # no photo read, in this process or a worker
    assert "photos: 0 made, 5 reused" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "False"
    shown = _doc(site)
    assert "Paragraf dua diubah." in shown.text_content()
    assert shown.xpath("//figure//img/@alt")[0] == "Peserta rapat di aula utama"
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_an_edit_with_new_image_settings_reads_the_photos_again(make_site: Callable[..., Path]) -> None:
    """The release's text and the configured widths changed in one go: what the last parse read
    of the photos was read under other settings, so they are read and planned again."""
    site = make_site({A: article("Rapat", **lead(), body="Isi."), "static/images/rapat.jpg": photo_file(1700, 1000)})
    assert build(site, "--no-search").code == 0
    (site / A).write_text(article("Rapat", **lead(), body="Isi baru."), "utf-8")
    (site / "config.yaml").write_text(SMALL_CONFIG + "images:\n  widths: [320, 640]\n", "utf-8")
    assert build(site, "--no-search").code == 0
    shown = _doc(site)
    widths = {int(c.split()[1][:-1]) for c in shown.xpath("//figure//source/@srcset")[0].split(",")}
    assert widths == {320, 640} and "Isi baru." in shown.text_content()


# --- pictures of other kinds: 16-bit grey, profiles of other colour spaces, other names ----------

def _gif_with_metadata() -> bytes:
    """A two-frame GIF with a comment and an XMP packet (as Photoshop writes one)."""
    frames = [Image.new("P", (30, 20), i) for i in (1, 2)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 200, 30, 30, 30, 200, 30] + [0] * 759)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=100,
                   comment=b"Diambil di Padang, GPS -0.95 100.35")
    data = out.getvalue()
    start = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Padang GPS</x:xmpmeta>'
    blocks = b"".join(bytes([len(xmp[i:i + 255])]) + xmp[i:i + 255] for i in range(0, len(xmp), 255))
    return data[:start] + b"\x21\xff\x0bXMP DataXMP" + blocks + b"\x00" + data[start:]


def _gif_with_gps_in_its_pixels() -> bytes:
    """A GIF of noise whose compressed pixels happen to read "GPS" (about one such GIF in a
    thousand of this size; the first seed that gives one with this Pillow is tried first)."""
    palette = [v for i in range(256) for v in (i, (i * 7) % 256, (i * 13) % 256)]
    for seed in (1850, *range(20_000)):
        picture = Image.frombytes("P", (200, 200), random.Random(seed).randbytes(40_000))
        picture.putpalette(palette)
        out = io.BytesIO()
        picture.save(out, "GIF")
        if b"GPS" in out.getvalue():
            return out.getvalue()
    raise AssertionError("no seed gave a GIF holding GPS")


def test_a_gif_whose_picture_bytes_hold_gps_by_chance_is_published(make_site: Callable[..., Path]) -> None:
    """A GIF keeps no metadata once its comments, text and metadata extensions are cut out:
    bytes that read "GPS" in what is left are its compressed pixels, and the GIF is published,
    not refused as unreadable. A plain text block (which no browser draws) goes."""
    gif = _gif_with_gps_in_its_pixels()
    text = b"\x21\x01\x0c" + bytes(12) + b"\x0dGPS -0.95 100\x00"  # a plain text extension
    site = make_site({A: article("Rapat"), "static/images/derau.gif": gif,
                      "static/images/teks.gif": gif[:-1] + text + b"\x3b"})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert (site / "public/images/derau.gif").read_bytes() == gif
    assert b"GPS -0.95" not in (site / "public/images/teks.gif").read_bytes()
    with Image.open(site / "public/images/teks.gif") as published, Image.open(io.BytesIO(gif)) as original:
        assert published.convert("RGB").tobytes() == original.convert("RGB").tobytes()


def test_a_picture_in_the_text_that_no_browser_or_pillow_takes_as_named_is_an_error_at_its_line(
        make_site: Callable[..., Path]) -> None:
    """An iPhone's HEIC and a JPEG saved with no extension were left in the page as written:
    no versions, no size, no lazy loading, and the HEIC shown by no browser. Each is refused
    at its line, as for a lead photo; a GIF stays as written (README), loaded lazily."""
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
    body = ("Foto dari ponsel:\n\n![Rapat di aula](/images/rapat.heic)\n\n![Peserta](/images/peserta)\n\n"
            "![Animasi](/images/animasi.gif)\n")
    site = make_site({A: article("Rapat", body=body), "static/images/rapat.heic": heic,
                      "static/images/peserta": photo_file(), "static/images/animasi.gif": _gif_with_metadata()})
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert errors == [
        f"{A}:7: error: '/images/rapat.heic' is not a photo sitegen can publish (JPEG, PNG, WebP, TIFF or AVIF) "
        "(save the picture as JPEG)",
        f"{A}:9: error: '/images/peserta' is not a photo sitegen can publish (JPEG, PNG, WebP, TIFF or AVIF) "
        "(save the picture as JPEG)"], result.err
    (site / A).write_text(article("Rapat", body="![Animasi](/images/animasi.gif)\n"), "utf-8")
    assert build(site, "--no-search").code == 0
    gif = page(site, "/berita/2024/a/").xpath("//img[@alt='Animasi']")[0]
    assert gif.get("src") == "/images/animasi.gif" and gif.get("loading") == "lazy"


def test_pictures_named_otherwise_in_static_lose_their_metadata(make_site: Callable[..., Path]) -> None:
    gif = _gif_with_metadata()
    assert b"Padang" in gif
    site = make_site({A: article("Rapat"), "static/unduh/wa-foto.jfif": photo_file(gps=True),
                      "static/unduh/tanpa-nama": photo_file(gps=True), "static/unduh/animasi.gif": gif})
    assert build(site, "--no-search").code == 0
    public = site / "public/unduh"
    for name in ("wa-foto.jfif", "tanpa-nama", "animasi.gif"):
        data = (public / name).read_bytes()
        assert not any(m in data for m in (*LEAKS, b"Padang")), name
    with Image.open(public / "animasi.gif") as clean, Image.open(io.BytesIO(gif)) as original:
        assert clean.n_frames == original.n_frames == 2 and clean.info.get("loop") == 0
        assert "comment" not in clean.info
        for frame in range(2):
            clean.seek(frame)
            original.seek(frame)
            assert clean.convert("RGB").tobytes() == original.convert("RGB").tobytes()
    with Image.open(public / "wa-foto.jfif") as clean:
        assert clean.format == "JPEG" and not clean.getexif()


def test_a_jfif_photo_is_a_photo_like_any_jpeg(make_site: Callable[..., Path]) -> None:
    """Windows and WhatsApp save JPEGs as .jfif: as the lead, in the gallery or in the text
    such a photo gets its versions in a <picture> like any JPEG, not an error (lead, gallery)
    or the full-size file in the page (the text)."""
    site = make_site({"static/images/wa-foto.jfif": photo_file(1300, 800, gps=True),
                      A: article("Rapat", image="/images/wa-foto.jfif", image_alt="Peserta rapat",
                                 gallery=[{"path": "/images/wa-foto.jfif", "alt": "Peserta rapat"}],
                                 body="Satu.\n\n![Peserta rapat](/images/wa-foto.jfif)\n")})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    doc = _doc(site)
    pictures = doc.xpath("//figure[@class='lead-image']//img | //ul[@class='gallery-grid']//img | "
                         "//div[@class='body']//img")
    assert len(pictures) == 3
    for img in pictures:
        assert img.getparent().tag == "picture"
        assert [c.split()[1] for c in img.get("srcset").split(", ")] == ["480w", "800w", "1200w"]
    assert doc.xpath("//a[@class='download']/@href") == ["/images/wa-foto.jfif"]
    assert doc.xpath("//meta[@property='og:image']/@content")[0].endswith(".jpg")
    assert leaks(site / "public") == []


def test_a_picture_sitegen_cannot_clean_is_not_published(make_site: Callable[..., Path]) -> None:
    """An iPhone's HEIC carries its place in EXIF, and Pillow cannot rewrite it: refused, not copied."""
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64 + b"Exif\x00\x00MM\x00*GPS" + b"\x00" * 64
    site = make_site({A: article("Rapat"), "static/unduh/IMG_0001.HEIC": heic})
    result = build(site, "--no-search")
    assert result.code == 1
    assert "static/unduh/IMG_0001.HEIC" in result.err and "so it is not published" in result.err, result.err
    assert not (site / "public/unduh/IMG_0001.HEIC").exists()


def _grey16_png() -> bytes:
    width, height = 256, 64
    row = b"".join((x * 257).to_bytes(2, "little") for x in range(width))  # 0 to 65535, left to right
    out = io.BytesIO()
    Image.frombytes("I;16", (width, height), row * height).save(out, "PNG")
    return out.getvalue()


def test_sixteen_bit_grey_and_profiles_of_other_colour_spaces(make_site: Callable[..., Path]) -> None:
    grey_profile = b"\x00\x00\x01\x00lcms\x02\x10\x00\x00mntrGRAYXYZ " + b"\x00" * 200  # a grey profile's header
    cmyk_profile = b"\x00\x00\x01\x00lcms\x02\x10\x00\x00prtrCMYKLab " + b"\x00" * 200
    files: dict[str, str | bytes] = {
        "static/images/grey16.png": _grey16_png(),
        "static/images/abu.jpg": _saved(Image.linear_gradient("L").resize((320, 200)), "JPEG",
                                        icc_profile=grey_profile),
        "static/images/cmyk.jpg": _saved(Image.new("CMYK", (320, 200), (0, 200, 200, 0)), "JPEG",
                                         icc_profile=cmyk_profile),
    }
    for name in ("grey16.png", "abu.jpg", "cmyk.jpg"):
        stem = name.split(".")[0]
        files[f"content/berita/{stem}.id.md"] = article(stem.title(), image=f"/images/{name}", image_alt="Foto uji",
                                                        image_credit="Humas")
    site = make_site(files)
    assert build(site, "--no-search").code == 0, "build"
    versions = sorted((site / "public/images").glob("*-*w.*"))
    for stem in ("grey16", "abu", "cmyk"):
        mine = [v for v in versions if v.name.startswith(stem + "-")]
        assert {v.suffix for v in mine} == {".avif", ".webp", ".jpg"}, mine
        for version in mine:
            with Image.open(version) as im:
                rgb = im.convert("RGB")
                if stem == "grey16":  # the gradient, not a white field
                    low, high = min(rgb.getextrema()[0]), max(e[1] for e in rgb.getextrema())
                    assert low < 30 and high > 220, (version.name, rgb.getextrema())
                profile = im.info.get("icc_profile")
                if im.mode != "L":  # RGB pixels never carry a grey or CMYK profile
                    assert not profile or profile[16:20] == b"RGB ", (version.name, profile[:24] if profile else None)
    full = next((site / "public/images").glob("grey16-full.*.jpg"))
    with Image.open(full) as download:
        assert max(e[1] for e in download.convert("RGB").getextrema()) > 220
        assert min(e[0] for e in download.convert("RGB").getextrema()) < 30


def test_a_release_with_photos_but_no_lead_shares_its_first_photo(make_site: Callable[..., Path]) -> None:
    gallery = [{"path": "/images/g1.jpg", "alt": "Warga hadir", "caption": "Warga.", "credit": "Budi"}]
    site = make_site({"static/images/g1.jpg": photo_file(1600, 900), "static/images/t.jpg": photo_file(1400, 800),
                      A: article("Hanya Galeri", gallery=gallery),
                      "content/berita/teks.id.md": article("Hanya Teks", body="![Suasana](/images/t.jpg)")})
    assert build(site, "--no-search").code == 0
    for url, stem in (("/berita/2024/a/", "g1"), ("/berita/2024/teks/", "t")):
        shared = _doc(site, url).xpath("//meta[@property='og:image']/@content")
        assert len(shared) == 1 and re.search(rf"/images/{stem}-1200w\.[0-9a-f]+\.jpg$", shared[0]), shared
        assert not _file(site, url + "og.png").exists()
    # and the lists show them on the release's card, as they show a lead photo
    thumbs = _doc(site, "/berita/").xpath("//article[@class='card']//img/@src")
    assert sorted(re.sub(r"-\d+w\..*", "", src) for src in thumbs) == ["/images/g1", "/images/t"], thumbs


def test_an_image_in_the_text_with_escapes_in_its_address_is_found(make_site: Callable[..., Path]) -> None:
    """Markdown editors write a space in an address as %20: the file is the one with the space."""
    site = make_site({"static/images/foto rapat ü.jpg": photo_file(900, 600),
                      A: article("Rapat", body="![Suasana rapat](/images/foto%20rapat%20%C3%BC.jpg)")})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    picture = _doc(site).xpath("//main//picture//img/@src")
    assert len(picture) == 1 and "-800w." in picture[0], picture
    assert (site / "public" / picture[0].lstrip("/")).is_file()


def test_an_image_in_the_text_written_without_a_leading_slash_is_a_photo_of_static(
        make_site: Callable[..., Path]) -> None:
    """``![x](images/foto.jpg)`` names static/images/foto.jpg, as ``image: images/foto.jpg`` does:
    published as its versions (a relative address would break on the release's page), and one
    that is not there is an error on its line, not a broken picture."""
    site = make_site({"static/images/foto.jpg": photo_file(900, 600, gps=True),
                      A: article("Rapat", body="Satu.\n\n![Suasana rapat](images/foto.jpg)\n")})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    img = _doc(site).xpath("//div[@class='body']//picture/img")
    assert len(img) == 1 and img[0].get("alt") == "Suasana rapat" and img[0].get("loading") == "lazy"
    assert re.fullmatch(r"/images/foto-800w\.[0-9a-f]+\.jpg", img[0].get("src")), img[0].get("src")
    assert (site / "public" / img[0].get("src").lstrip("/")).is_file()
    assert "images/foto.jpg" not in html.tostring(_doc(site).xpath("//div[@class='body']")[0]).decode()
    result = _bad(lambda files, config: make_site(files, config, name="missing"),
                  {A: _release(body="Satu.\n\n![Foto](foto-rapat.jpg)\n")})
    assert _errors(result) == [f"{A}:7: error: the file '/foto-rapat.jpg' does not exist "
                               "(put it at static/foto-rapat.jpg, or fix the name)"]
    # addresses of other sites, data: URLs and anchors are left as written
    others = make_site({A: article("Rapat", body="![a](https://example.org/a.jpg) ![b](data:image/png;base64,AAAA)")},
                       name="others")
    assert build(others, "--no-search").code == 0
    assert _doc(others).xpath("//div[@class='body']//img/@src") == ["https://example.org/a.jpg",
                                                                    "data:image/png;base64,AAAA"]


def test_an_image_in_the_text_that_is_no_photo_must_exist_where_the_page_will_look(
        make_site: Callable[..., Path]) -> None:
    """An SVG or GIF in the text stays as written in the page, so the browser reads a relative
    address from the release's own address (/berita/2024/a/): the file there must exist, as a
    photo's must; an error on its line, not a broken picture, and nothing written."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    fine = {"static/img/logo.svg": svg, "static/berita/2024/a/peta.svg": svg, "static/img/bagan.svg": svg}
    body = ("Satu.\n\n![Logo](/img/logo.svg)\n\n![Logo](../../../img/logo.svg)\n\n![Peta](peta.svg)\n\n"
            "![Bagan](img/bagan.svg)\n\n![Animasi](../gif/a.gif)\n\n![Hilang](/img/hilang.svg)\n")
    result = _bad(make_site, {A: _release(body=body), **fine})
    assert _errors(result) == [
        f"{A}:13: error: the file 'img/bagan.svg' does not exist (the page looks for it at "
        "/berita/2024/a/img/bagan.svg: put it at static/berita/2024/a/img/bagan.svg, or write  /img/bagan.svg  "
        "for static/img/bagan.svg)",
        f"{A}:15: error: the file '../gif/a.gif' does not exist (the page looks for it at "
        "/berita/2024/gif/a.gif: put it at static/berita/2024/gif/a.gif, or write  /gif/a.gif  for "
        "static/gif/a.gif)",
        f"{A}:17: error: the file '/img/hilang.svg' does not exist (put it at static/img/hilang.svg, or fix "
        "the name)"]
    site = make_site({A: _release(body=body.split("![Bagan]")[0]), **fine}, name="fine")
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    srcs = _doc(site).xpath("//div[@class='body']//img/@src")
    assert srcs == ["/img/logo.svg", "../../../img/logo.svg", "peta.svg"]
    assert all((site / "public/berita/2024/a" / src).resolve().is_file() for src in srcs[1:])
    # A file the text shows that is taken away: the next build says so, though the text is unchanged.
    (site / "static/berita/2024/a/peta.svg").unlink()
    result = build(site, "--no-search")
    assert result.code == 1
    assert _errors(result)[0].startswith(f"{A}:11: error: the file 'peta.svg' does not exist")


def test_a_photo_named_by_a_web_address_is_an_error_that_says_so(make_site: Callable[..., Path]) -> None:
    """A photo on another site cannot be read, cleaned or resized: the error says to download it."""
    result = _bad(make_site, {A: _release("image: https://example.org/foto.jpg", "image_alt: Foto", "gallery:",
                                          "  - {path: //cdn.example.org/g.jpg, alt: Galeri}")})
    assert _errors(result) == [
        f"{A}:4: error: photo 'https://example.org/foto.jpg' is a web address, not a file of this site "
        "(download the photo into static/images/ and write its path, like  image: /images/foto.jpg)",
        f"{A}:7: error: photo '//cdn.example.org/g.jpg' is a web address, not a file of this site "
        "(download the photo into static/images/ and write its path, like  image: /images/foto.jpg)"]


def test_front_matter_photos_at_the_sites_own_address_or_with_escapes_are_files_of_static(
        make_site: Callable[..., Path]) -> None:
    """``image:`` copied from the published site (``https://humas.../images/x.jpg``), and a
    gallery path with a percent-escaped space, name the files in static/ as the text's images do."""
    site = make_site({"static/images/foto.jpg": photo_file(1300, 800, gps=True),
                      "static/images/foto rapat.jpg": photo_file(900, 600),
                      A: article("Rapat", image=f"{BASE}/images/foto.jpg", image_alt="Suasana rapat",
                                 gallery=[{"path": "/images/foto%20rapat.jpg", "alt": "Peserta"}])})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    doc = _doc(site)
    lead = doc.xpath("//figure[contains(@class, 'lead')]//img/@src") or doc.xpath("//picture/img/@src")
    assert re.fullmatch(r"/images/foto-\d+w\.[0-9a-f]+\.jpg", lead[0]), lead
    gallery = doc.xpath("//*[contains(@class, 'gallery')]//img/@src")
    assert gallery and all(re.fullmatch(r"/images/foto-rapat-\d+w\.[0-9a-f]+\.jpg", src) for src in gallery), gallery


def test_an_image_in_the_text_at_the_sites_own_full_address_is_a_photo_of_static(
        make_site: Callable[..., Path]) -> None:
    """An address copied from the published site (https://humas.../images/foto.jpg) names the
    same file as /images/foto.jpg: its versions, not the full-size photo, on the page."""
    site = make_site({"static/images/foto.jpg": photo_file(1300, 800, gps=True),
                      A: article("Rapat", body=f"Satu.\n\n![Suasana rapat]({BASE}/images/foto.jpg)\n")})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    img = _doc(site).xpath("//div[@class='body']//picture/img")
    assert len(img) == 1 and re.fullmatch(r"/images/foto-800w\.[0-9a-f]+\.jpg", img[0].get("src")), img
    assert [c.split()[1] for c in img[0].get("srcset").split(", ")] == ["480w", "800w", "1200w"]
    missing = _bad(lambda files, config: make_site(files, config, name="missing"),
                   {A: _release(body=f"![Foto]({BASE}/images/hilang.jpg)\n")})
    assert _errors(missing)[0].startswith(f"{A}:5: error: the file '/images/hilang.jpg' does not exist")


def test_a_palette_png_keeps_its_transparent_background(make_site: Callable[..., Path]) -> None:
    """An infographic saved as an 8-bit PNG (a palette, one colour transparent) shows through
    its background in WebP and AVIF, and on white in JPEG, as a PNG with an alpha channel does;
    not on black, where its black text would vanish."""
    palette = Image.new("P", (900, 500), 0)
    palette.putpalette([0, 0, 0, 200, 30, 30])
    palette.paste(1, (300, 150, 600, 350))
    site = make_site({"static/images/info.png": _saved(palette, "PNG", transparency=0),
                      A: article("Infografik", gallery=[{"path": "/images/info.png", "alt": "Infografik"}])})
    assert build(site, "--no-search").code == 0
    item = _doc(site).xpath("//section[@class='gallery']//figure")[0]
    versions = [c.split()[0] for s in item.xpath(".//source/@srcset | .//img/@srcset") for c in s.split(", ")]
    assert versions
    for url in [*versions, item.xpath(".//a[@class='download']/@href")[0]]:
        with Image.open(_file(site, url)) as version:
            rgba = version.convert("RGBA")
            corner, middle = rgba.getpixel((2, 2)), rgba.getpixel((version.width // 2, version.height // 2))
            if version.format == "JPEG":
                assert corner[:3] > (240, 240, 240), (url, corner)
            else:
                assert corner[3] == 0, (url, corner)
            assert middle[0] > 150 and middle[1] < 80 and middle[3] == 255, (url, middle)


def test_a_photo_path_with_dot_or_doubled_slashes_names_the_same_file(make_site: Callable[..., Path]) -> None:
    """``./images/f.jpg``, ``images//g.jpg`` and ``/images/./t.jpg`` are the files a browser or a
    file manager would take them for: published as their versions (and an attachment written so
    at its clean address), not refused as output paths that leave the output folder."""
    site = make_site({"static/images/f.jpg": photo_file(900, 600, gps=True),
                      "static/images/g.jpg": photo_file(900, 600, gps=True),
                      "static/images/t.jpg": photo_file(900, 600, gps=True),
                      "static/files/rilis.pdf": b"%PDF-1.4\n%%EOF\n",
                      A: article("Rapat", image="./images/f.jpg", image_alt="F",
                                 gallery=[{"path": "images//g.jpg", "alt": "G"}],
                                 attachments=[{"path": "./files/rilis.pdf", "title": "Rilis"}],
                                 body="![T](/images/./t.jpg)")})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    doc = _doc(site)
    srcs = doc.xpath("//main//picture/img/@src")
    assert [re.sub(r"-\d+w\.[0-9a-f]+\.jpg$", "", s) for s in srcs] == ["/images/f", "/images/t", "/images/g"], srcs
    assert all((site / "public" / s.lstrip("/")).is_file() for s in srcs)
    assert "/files/rilis.pdf" in doc.xpath("//a/@href")


SVG_WITH_XMP = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" viewBox="0 0 10 10">
  <metadata id="m1">
    <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/"
      exif:GPSLatitude="0,57.00S" exif:GPSLongitude="100,21.00E"/></rdf:RDF></x:xmpmeta>
  </metadata>
  <title>Peta lokasi</title>
  <circle cx="5" cy="5" r="4" fill="#0b4f8a"/>
  <METADATA/>
</svg>
"""


def test_an_svg_in_static_loses_its_metadata_and_keeps_its_drawing(make_site: Callable[..., Path]) -> None:
    """Illustrator and Inkscape write XMP (and with it, sometimes, a GPS position) into an SVG's
    <metadata>: published without it; the drawing and its title stay as they were."""
    site = make_site({A: article("Rapat"), "static/images/peta.svg": SVG_WITH_XMP,
                      "static/images/polos.svg": EMBLEM_SVG})
    assert build(site, "--no-search").code == 0
    published = (site / "public/images/peta.svg").read_text("utf-8")
    assert "GPS" not in published and "xmpmeta" not in published and "<metadata" not in published.lower()
    assert '<circle cx="5" cy="5" r="4" fill="#0b4f8a"/>' in published and "<title>Peta lokasi</title>" in published
    from lxml import etree

    assert etree.fromstring(published.encode()).tag == "{http://www.w3.org/2000/svg}svg"  # still well-formed
    assert (site / "public/images/polos.svg").read_text("utf-8") == EMBLEM_SVG  # nothing to take out: as it is


EMBLEM_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5"/></svg>\n'


@pytest.mark.parametrize("orientation", [6, 8])
def test_a_tiff_stored_on_its_side_gets_upright_versions_of_its_upright_size(
        make_site: Callable[..., Path], orientation: int) -> None:
    """Pillow reports a TIFF's size already turned (it turns the pixels as it loads them): the
    versions are as tall as the upright picture, not the turned picture squeezed into the
    stored width and height."""
    site = make_site({"static/images/pindai.tif": photo_file(1000, 700, fmt="TIFF", orientation=orientation),
                      A: article("Pindaian", **lead(image="/images/pindai.tif"))})
    assert build(site, "--no-search").code == 0
    img = _doc(site).xpath("//figure//img")[0]
    assert (img.get("width"), img.get("height")) == ("700", "1000")
    versions = [url.split()[0] for _mime, srcset in [("jpeg", img.get("srcset"))] for url in srcset.split(", ")]
    assert versions
    for url in versions:
        with Image.open(_file(site, url)) as version:
            assert version.height > version.width, (url, version.size)
            assert abs(version.height / version.width - 1000 / 700) < 0.01, (url, version.size)
