"""Newsroom features on release pages and beside them: dateline, embargo note, press contact,
release number, units, old URLs (redirect pages and ``_redirects``) and social card images."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import html
from PIL import Image

from tests.conftest import NOW, SMALL_CONFIG, article, build, page, write_site, xml

CONTACT_CONFIG = SMALL_CONFIG + """\
contact:
  name: Subbagian Humas
  phone: "+62 751 123456"
  email: humas@example.go.id
"""


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def _built(root: Path, files: dict[str, str | bytes], config: str = SMALL_CONFIG,
           *extra: str) -> Path:
    site = write_site(root, files, config)
    result = build(site, *extra)
    assert result.code == 0, result.err
    return site


# --- dateline ----------------------------------------------------------------------------------


def test_dateline_names_the_agency_or_the_office_in_each_language(tmp_path: Path) -> None:
    site = _built(tmp_path / "site", {
        "content/berita/a.id.md": article("Dengan Agensi", location="Padang", agency="ANTARA"),
        "content/berita/a.en.md": article("With Agency", location="Padang", agency="ANTARA"),
        "content/berita/b.id.md": article("Tanpa Kantor Berita", location="Bukittinggi"),
        "content/berita/b.en.md": article("Without Agency", location="Bukittinggi"),
        "content/berita/c.id.md": article("Tanpa Lokasi"),
    })

    def dateline(url: str) -> list[str]:
        return [p.text_content().strip() for p in page(site, url).xpath("//p[@class='dateline']")]

    assert dateline("/berita/2024/a/") == ["Padang (ANTARA) -"]
    assert dateline("/en/berita/2024/a/") == ["Padang (ANTARA) -"]
    # no agency: the office's own name, as the site calls itself in that language
    assert dateline("/berita/2024/b/") == ["Bukittinggi (Situs Uji Humas) -"]
    assert dateline("/en/berita/2024/b/") == ["Bukittinggi (Test Newsroom) -"]
    assert dateline("/berita/2024/c/") == []


# --- embargo note ------------------------------------------------------------------------------


def test_embargo_time_is_shown_once_public_in_each_language(tmp_path: Path) -> None:
    date, embargo = "2026-11-24T10:00:00+07:00", "2026-11-25T09:00:00+07:00"
    site = _built(tmp_path / "site", {
        "content/siaran-pers/e.id.md": article("Rilis", date, embargo=embargo),
        "content/siaran-pers/e.en.md": article("Release", date, embargo=embargo),
        "content/siaran-pers/f.id.md": article("Tanpa Embargo"),
    })
    note_id = page(site, "/siaran-pers/2026/e/").xpath("//p[@class='embargo-note']")
    note_en = page(site, "/en/siaran-pers/2026/e/").xpath("//p[@class='embargo-note']")
    assert [n.text_content() for n in note_id] == [
        "Embargo hingga Rabu, 25 November 2026, 09.00 WIB"]
    assert note_en[0].text_content().startswith(
        "Embargoed until Wednesday, 25 November 2026, 09.00")
    assert note_id[0].xpath("string(time/@datetime)") == embargo
    assert page(site, "/siaran-pers/2024/f/").xpath("//p[@class='embargo-note']") == []


# --- press contact and release number ----------------------------------------------------------


def test_press_contact_from_front_matter_or_config(tmp_path: Path) -> None:
    own = {"name": "Humas Divisi", "phone": "+62 811 000", "email": "divisi@example.go.id"}
    site = _built(tmp_path / "site", {
        "content/siaran-pers/a.id.md": article("Kontak Sendiri", contact=own),
        "content/siaran-pers/b.id.md": article("Kontak Bawaan"),
        "content/siaran-pers/b.en.md": article("Default Contact"),
    }, CONTACT_CONFIG)

    def contact(url: str) -> tuple[str, list[str]]:
        block = page(site, url).xpath("//section[@class='contact']")[0]
        return block.xpath("string(h2)"), block.xpath(".//a/@href")

    assert contact("/siaran-pers/2024/a/") == ("Kontak media", ["tel:+62811000",
                                                               "mailto:divisi@example.go.id"])
    assert "Humas Divisi" in page(site, "/siaran-pers/2024/a/").xpath(
        "string(//section[@class='contact'])")
    assert contact("/siaran-pers/2024/b/") == ("Kontak media", ["tel:+62751123456",
                                                               "mailto:humas@example.go.id"])
    assert contact("/en/siaran-pers/2024/b/")[0] == "Press contact"


def test_no_contact_block_without_any_contact(tmp_path: Path) -> None:
    site = _built(tmp_path / "site", {"content/berita/a.id.md": article("A")})
    assert page(site, "/berita/2024/a/").xpath("//section[@class='contact']") == []


def test_release_number_is_shown(tmp_path: Path) -> None:
    site = _built(tmp_path / "site", {
        "content/siaran-pers/a.id.md": article("A", release_number="HM.01.02-117"),
        "content/siaran-pers/a.en.md": article("A", release_number="HM.01.02-117"),
    })
    for url in ("/siaran-pers/2024/a/", "/en/siaran-pers/2024/a/"):
        assert "HM.01.02-117" in page(site, url).xpath("string(//p[@class='kicker'])")


# --- units -------------------------------------------------------------------------------------


def test_unit_pages_per_language(tmp_path: Path) -> None:
    site = _built(tmp_path / "site", {
        "content/berita/a.id.md": article("Paspor Keliling", unit="Divisi Keimigrasian"),
        "content/berita/a.en.md": article("Mobile Passports", unit="Immigration Division"),
        "content/berita/b.id.md": article("Paspor Akhir Pekan", "2024-06-01T10:00:00+07:00",
                                          unit="Divisi Keimigrasian"),
        "content/berita/c.id.md": article("Rapat Kantor", unit="Kantor Wilayah"),
    })

    def titles(url: str) -> list[str]:
        return [str(t) for t in page(site, url).xpath("//h2[@class='card-title']/a/text()")]

    assert titles("/units/divisi-keimigrasian/") == ["Paspor Akhir Pekan", "Paspor Keliling"]
    assert titles("/en/units/immigration-division/") == ["Mobile Passports"]
    assert titles("/units/kantor-wilayah/") == ["Rapat Kantor"]
    # each unit can be followed on its own, in its language
    rss = xml(site / "public/units/divisi-keimigrasian/feed.xml")
    assert rss.xpath("string(channel/language)") == "id"
    assert rss.xpath("channel/item/title/text()") == ["Paspor Akhir Pekan", "Paspor Keliling"]
    assert xml(site / "public/en/units/immigration-division/feed.xml").xpath(
        "channel/item/title/text()") == ["Mobile Passports"]
    index = page(site, "/units/").xpath("//ul[@class='term-index']/li")
    assert [li.text_content() for li in index] == ["Divisi Keimigrasian (2)", "Kantor Wilayah (1)"]
    assert [li.xpath("string(a/@href)") for li in index] == ["/units/divisi-keimigrasian/",
                                                             "/units/kantor-wilayah/"]


# --- old URLs ----------------------------------------------------------------------------------

ALIASED = {
    "content/berita/a.id.md": article("A", aliases=["/lama/berita/a/", "/arsip/a.html"]),
    "content/berita/a.en.md": article("A", aliases=["/en/old/a/"]),
    "content/berita/b.id.md": article("B"),
}


def _redirect(doc: html.HtmlElement) -> tuple[str, str, str]:
    """An alias page's canonical, the address its meta refresh sends to, and its link's."""
    refresh = doc.xpath("string(//meta[@http-equiv='refresh']/@content)")
    delay, _, url = refresh.partition("; url=")
    assert delay == "0", refresh
    return doc.xpath("string(//link[@rel='canonical']/@href)"), url, doc.xpath("string(//a/@href)")


def test_alias_pages_send_readers_on(tmp_path: Path) -> None:
    """The reader goes on to the release's path on the host the alias was read from (the
    published site, or serve's 127.0.0.1); search engines are told the full address."""
    site = _built(tmp_path / "site", dict(ALIASED))
    for url in ("/lama/berita/a/", "/arsip/a.html"):  # an old CMS file name stays a file
        assert _redirect(page(site, url)) == ("https://humas.example.go.id/berita/2024/a/",
                                              "/berita/2024/a/", "/berita/2024/a/")
    assert _redirect(page(site, "/en/old/a/")) == ("https://humas.example.go.id/en/berita/2024/a/",
                                                   "/en/berita/2024/a/", "/en/berita/2024/a/")


def test_alias_pages_under_a_base_path(tmp_path: Path) -> None:
    """A site served from https://host/humas/ sends the reader into /humas/, as its other links do."""
    site = _built(tmp_path / "site", dict(ALIASED), SMALL_CONFIG, "--base-url", "https://pemda.example.go.id/humas/")
    assert _redirect(page(site, "/lama/berita/a/")) == ("https://pemda.example.go.id/humas/berita/2024/a/",
                                                        "/humas/berita/2024/a/", "/humas/berita/2024/a/")


def test_redirects_file_lists_every_alias(tmp_path: Path) -> None:
    site = _built(tmp_path / "site", dict(ALIASED))
    assert (site / "public" / "_redirects").read_text("utf-8").splitlines() == [
        "/arsip/a.html /berita/2024/a/ 301",
        "/en/old/a/ /en/berita/2024/a/ 301",
        "/lama/berita/a/ /berita/2024/a/ 301",
    ]


def test_redirects_file_under_a_base_path(tmp_path: Path) -> None:
    """A site served from https://host/humas/ redirects host paths that include /humas/."""
    site = _built(tmp_path / "site", dict(ALIASED), SMALL_CONFIG, "--base-url",
                  "https://pemda.example.go.id/humas/")
    lines = (site / "public" / "_redirects").read_text("utf-8").splitlines()
    assert lines[0] == "/humas/arsip/a.html /humas/berita/2024/a/ 301"


def test_no_redirects_file_without_aliases(tmp_path: Path) -> None:
    site = _built(tmp_path / "site", {"content/berita/b.id.md": article("B")})
    assert not (site / "public" / "_redirects").exists()


# --- social cards ------------------------------------------------------------------------------

CARD_FILES: dict[str, str | bytes] = {
    "content/berita/a.id.md": article("Kanwil Luncurkan Layanan Paspor Keliling di Nagari"),
    "content/berita/a.en.md": article("Regional Office Launches Mobile Passport Service"),
    "content/berita/foto.id.md": article("Berfoto", image="/images/foto.png", image_alt="Foto"),
    "content/pages/about.id.md": "---\ntitle: Tentang\n---\nHalaman statis.\n",
    "static/images/foto.png": _png(),
}


def _card(site: Path, url: str) -> Path:
    return site / "public" / url.strip("/") / "og.png"


def test_social_card_is_a_1200x630_png_for_articles_without_photo(tmp_path: Path) -> None:
    site = _built(tmp_path / "site", dict(CARD_FILES))
    for url in ("/berita/2024/a/", "/en/berita/2024/a/"):
        with Image.open(_card(site, url)) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630))
            image.verify()
    # none for the article with a lead photo (shared instead) nor for static pages
    public = site / "public"
    assert sorted(p.relative_to(public).as_posix() for p in public.rglob("og.png")) == [
        "berita/2024/a/og.png", "en/berita/2024/a/og.png"]
    # each language's card carries its own words: the two differ
    card_id, card_en = _card(site, "/berita/2024/a/"), _card(site, "/en/berita/2024/a/")
    assert card_id.read_bytes() != card_en.read_bytes()


def test_social_card_is_drawn_once_and_reused(tmp_path: Path) -> None:
    site = _built(tmp_path / "site", dict(CARD_FILES))
    card_id, card_en = _card(site, "/berita/2024/a/"), _card(site, "/en/berita/2024/a/")
    first = {p: (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns) for p in (card_id, card_en)}

    # Another article changes the navigation and lists, not the card's title, date or site name.
    (site / "content/berita/z.id.md").write_text(article("Lain", "2024-07-01T10:00:00+07:00"))
    assert build(site).code == 0
    for path, before in first.items():
        assert (path.read_bytes(), path.stat().st_ino, path.stat().st_mtime_ns) == before

    # A new headline redraws that card only.
    (site / "content/berita/a.id.md").write_text(article("Judul Baru yang Diperbaiki"))
    assert build(site).code == 0
    assert card_id.read_bytes() != first[card_id][0]
    assert card_id.stat().st_ino != first[card_id][1]
    assert card_en.stat().st_ino == first[card_en][1]
    with Image.open(card_id) as image:
        assert image.size == (1200, 630)


def test_social_card_redrawn_when_site_name_changes(tmp_path: Path) -> None:
    site = _built(tmp_path / "site", dict(CARD_FILES))
    card = _card(site, "/berita/2024/a/")
    before = card.read_bytes()
    (site / "config.yaml").write_text(SMALL_CONFIG.replace("Situs Uji Humas", "Humas Pemda"))
    assert build(site).code == 0
    assert card.read_bytes() != before


@pytest.mark.parametrize("title", ["A", "Sangat " * 80, "https://contoh.go.id/" + "x" * 300])
def test_card_drawing_fits_any_title(title: str) -> None:
    from sitegen.outputs.cards import draw_card

    with Image.open(io.BytesIO(draw_card(title, "Kamis, 30 Mei 2024", "Humas"))) as image:
        assert image.size == (1200, 630)


@pytest.mark.parametrize("size", [(1200, 630), (1, 1), (7, 3)])
def test_card_png_matches_what_pillow_writes(size: tuple[int, int]) -> None:
    """The card's own PNG writer against Pillow's: the same pixels, in the same colours."""
    import random

    from sitegen.outputs.cards import _PALETTE, _PALETTE_BYTES, deflated, draw_card, palette_png

    rnd = random.Random(size[0])
    grey = Image.frombytes("L", size, bytes(rnd.randrange(256) for _ in range(size[0] * size[1])))
    stock = grey.copy()
    stock.putpalette(_PALETTE)
    rows = Image.new("L", (size[0] + 1, size[1]), 0)  # the first column: each row's filter type
    rows.paste(grey, (1, 0))
    raw = rows.tobytes()
    cut = (size[0] + 1) * (size[1] // 2)  # the rows in two parts deflated apart, as a card's strips are
    ours = palette_png([deflated(raw[:cut]), deflated(raw[cut:])], size, _PALETTE_BYTES)
    with Image.open(io.BytesIO(ours)) as image:
        image.verify()
    with Image.open(io.BytesIO(ours)) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "P", size)
        assert image.tobytes() == stock.tobytes()
        assert image.convert("RGB").tobytes() == stock.convert("RGB").tobytes()
    with Image.open(io.BytesIO(draw_card("Judul", "Kamis, 30 Mei 2024", "Humas"))) as card:
        assert card.getpalette() == _PALETTE


def test_parts_deflated_apart_make_one_zlib_stream_with_the_right_checksum() -> None:
    """A card's strips are deflated apart and joined: zlib itself (which checks the Adler-32)
    reads the joined stream back as the parts one after the other."""
    import random
    import zlib

    from sitegen.outputs.cards import _adler_combine, deflated, palette_png

    rnd = random.Random(7)
    parts = [bytes(rnd.randrange(4) for _ in range(n)) for n in (0, 1, 5000, 70_000, 3, 200_000)]
    png = palette_png([deflated(p) for p in parts], (1, 1), bytes(768))
    idat = png.index(b"IDAT")
    size = int.from_bytes(png[idat - 4:idat], "big")
    assert zlib.decompress(png[idat + 4:idat + 4 + size]) == b"".join(parts)
    for first, second in [(b"", b"x"), (b"a" * 65_521, b"\xff" * 100_000), (bytes(range(256)) * 300, b"z")]:
        assert _adler_combine(zlib.adler32(first), zlib.adler32(second), len(second)) == zlib.adler32(first + second)


@pytest.mark.parametrize("title", ["A", "Rapat Koordinasi Penanganan Banjir di Kota Padang", "Sangat " * 80])
def test_card_is_drawn_on_a_canvas_whose_first_column_is_the_filter_bytes(title: str) -> None:
    """The card is drawn one pixel to the right: the file shows the canvas without that column."""
    from sitegen.outputs.cards import _PALETTE, draw_card, draw_rows

    canvas = draw_rows(title, "Kamis, 30 Mei 2024", "Humas Kota Padang")
    assert canvas.size == (1201, 630)
    assert set(canvas.crop((0, 0, 1, 630)).tobytes()) == {0}
    with Image.open(io.BytesIO(draw_card(title, "Kamis, 30 Mei 2024", "Humas Kota Padang"))) as card:
        assert (card.size, card.getpalette()) == ((1200, 630), _PALETTE)
        assert card.tobytes() == canvas.crop((1, 0, 1201, 630)).tobytes()


def test_card_drawing_without_the_dejavu_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host without fonts-dejavu-core still gets cards, in Pillow's own font."""
    from sitegen.outputs import cards

    words = ("Judul Rilis", "Kamis, 30 Mei 2024", "Humas")
    with_dejavu = cards.draw_card(*words)
    monkeypatch.setattr(cards, "_FONT_FILES", {True: "no-such-font.ttf", False: "no-such.ttf"})
    kept = (cards._font, cards._lettering, cards._band)
    for cache in kept:
        cache.cache_clear()
    try:
        data = cards.draw_card(*words)
    finally:
        for cache in kept:
            cache.cache_clear()
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 630)
    assert data != with_dejavu or not (cards._FONTS / "DejaVuSans-Bold.ttf").is_file()


def test_social_card_address_for_templates(tmp_path: Path) -> None:
    from sitegen.build import Options, prepare
    from sitegen.outputs.cards import social_card

    site = write_site(tmp_path / "site", dict(CARD_FILES))
    entries = {e.title: e for e in prepare(Options(site_dir=site, now=NOW)).site.entries()}
    assert social_card(entries["Kanwil Luncurkan Layanan Paspor Keliling di Nagari"]) == \
        "/berita/2024/a/og.png"
    assert social_card(entries["Berfoto"]) is None
    assert social_card(entries["Tentang"]) is None


_LINES = ["Kanwil Ikuti Pembinaan Humas", "Diskominfo Tingkatkan Layanan", "AVATAR Wa To Ty Te Yo P. fj ffi",
          "Ünïcødé — “kutipan” café naïve 2024/05/30", "e\u0301 \u00a0 \u202f ✓ 中文 🙂 \u200b", "W" * 40, "", " ", "i"]


@pytest.mark.parametrize("anchor", ["la", "lm"])
@pytest.mark.parametrize(("size", "bold"), [(64, True), (42, True), (36, True), (30, False)])
def test_lettering_draws_what_pillow_draws(size: int, bold: bool, anchor: str) -> None:
    """The cards' glyph-keeping text drawing against ImageDraw.text, pixel for pixel, and
    its measure against getlength, for kerned pairs, overlapping glyphs and unusual letters;
    each line drawn twice, so the second comes from kept glyphs."""
    from PIL import ImageDraw

    from sitegen.outputs.cards import _font
    from sitegen.outputs.lettering import Lettering

    font = _font(size, bold)
    if not hasattr(font, "getmask2"):
        pytest.skip("Pillow without FreeType")
    lettering = Lettering(font)  # type: ignore[arg-type]
    for line in [*_LINES, *_LINES]:
        stock = Image.new("L", (1300, 200), 40)
        ImageDraw.Draw(stock).text((7, 80), line, font=font, fill=200, anchor=anchor)
        ours = Image.new("L", (1300, 200), 40)
        lettering.draw(ours, (7, 80), line, 200, anchor)
        assert ours.tobytes() == stock.tobytes(), line
        assert lettering.length(line) == font.getlength(line), line
    assert ours.getextrema() != (40, 40)  # the last line, "i", drew a glyph


def test_a_site_without_a_logo_gets_one_drawn_for_its_publisher(tmp_path: Path) -> None:
    """NewsArticle names its publisher with a logo. A site whose config has neither `logo:` nor
    `brand.emblem` gets one drawn from each language's title (600 x 60, as search engines ask
    of a wordmark); a site with a logo publishes none."""
    import json

    site = write_site(tmp_path / "site", {"content/berita/a.id.md": article("Rapat"),
                                          "content/berita/a.en.md": article("Meeting")})
    assert build(site).code == 0
    for prefix, title in (("", "Situs Uji Humas"), ("en/", "Test Newsroom")):
        logo = site / "public" / prefix / "publisher-logo.png"
        with Image.open(logo) as image:
            assert (image.format, image.size) == ("PNG", (600, 60))
            assert len(image.convert("RGB").getcolors() or ()) > 2  # the name is written on it
        doc = html.fromstring((site / "public" / prefix / "berita/2024/a/index.html").read_bytes())
        data = [json.loads(s) for s in doc.xpath("//script[@type='application/ld+json']/text()")]
        publisher = next(d["publisher"] for d in data if d.get("@type") == "NewsArticle")
        assert publisher["name"] == title
        assert publisher["logo"]["url"] == f"https://humas.example.go.id/{prefix}publisher-logo.png"

    (site / "static/images").mkdir(parents=True)
    (site / "static/images/logo.png").write_bytes((site / "public/publisher-logo.png").read_bytes())
    (site / "config.yaml").write_text(SMALL_CONFIG + "logo: /images/logo.png\n", "utf-8")
    assert build(site).code == 0
    assert not (site / "public/publisher-logo.png").exists()
    doc = html.fromstring((site / "public/berita/2024/a/index.html").read_bytes())
    data = [json.loads(s) for s in doc.xpath("//script[@type='application/ld+json']/text()")]
    assert next(d["publisher"] for d in data if d.get("@type") == "NewsArticle")["logo"]["url"] == \
        "https://humas.example.go.id/images/logo.png"


def test_a_long_site_name_is_cut_to_fit_the_drawn_logo() -> None:
    from sitegen.outputs.cards import draw_logo

    with Image.open(io.BytesIO(draw_logo("Kantor Wilayah Kementerian Hukum Provinsi Sumatera Barat " * 3))) as image:
        assert image.size == (600, 60)
