"""The look of a newsroom: branded header, menus in config order, lead story and cards,
the release page's side column, time with its zone, unit and category links, share buttons
with copy-link (the site's own script), tables that scroll, a full footer from config; then in Chromium: no page
overflow on a phone, 24 px targets, copy-link, axe clean in both languages, light and dark,
phone and desktop, with screenshots kept in tests/artifacts/."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html
from PIL import Image

from sitegen.render import tables
from tests.conftest import REPO, SMALL_CONFIG, article, build, page, run, serve, write_site

ARTIFACTS = REPO / "tests" / "artifacts"
BASE = "https://humas.example.go.id"

# Sections in an order that is alphabetical in neither language.
CONFIG = SMALL_CONFIG.replace("sections:\n  berita: {id: Berita, en: News}\n", """\
sections:
  siaran-pers: {id: Siaran Pers, en: Press Releases}
  berita: {id: Berita, en: News}
  pengumuman: {id: Pengumuman, en: Announcements}
""") + """\
logo: /images/logo.png
contact: {name: Subbagian Humas, phone: "+62 751 123456", email: humas@example.go.id}
brand:
  emblem: /images/lambang.svg
  parent: {id: Kementerian Contoh, en: Ministry of Example}
  name: {id: Kantor Wilayah Uji, en: Test Regional Office}
footer:
  address: Jalan Uji Nomor 9, Padang
  phone: "+62 751 999"
  email: info@example.go.id
  hours: {id: Senin–Jumat 08.00–16.00 WIB, en: Monday to Friday 08.00–16.00 WIB}
  social:
    - {name: Instagram, url: "https://www.instagram.com/uji/"}
    - {name: YouTube, url: "https://www.youtube.com/@uji"}
  ppid: https://ppid.example.go.id/
  copyright: {id: "© {year} Kanwil Uji", en: "© {year} Test Office"}
"""

WIDE_TABLE = """\
Rekapitulasi layanan.

| Jenis layanan pemasyarakatan dan keimigrasian | Jumlah pemohon | Selesai | Persentase | Keterangan |
|---|---|---|---|---|
| Paspor elektronik polikarbonat | 1.248 | 1.200 | 96,2% | Terlayani di kantor imigrasi kelas I |
| Konsultasi hukum gratis | 87 | 87 | 100% | Melalui pos layanan hukum terpadu |
| Remisi khusus hari raya keagamaan | 12.345 | 12.001 | 97,2% | Diserahkan di seluruh lembaga pemasyarakatan |
"""


def jpeg(width: int = 1200, height: int = 675) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 140)).save(out, "JPEG", quality=70)
    return out.getvalue()


EMBLEM = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5"/></svg>'


def files() -> dict[str, str | bytes]:
    found: dict[str, str | bytes] = {
        "static/images/lambang.svg": EMBLEM,
        "static/images/logo.png": jpeg(64, 64),
        "static/images/foto.jpg": jpeg(),
        "static/files/rilis.pdf": b"%PDF-1.4\n" + b"0" * 4000,
        "content/siaran-pers/2024-06-10-layanan.id.md": article(
            "Rekapitulasi Layanan Semester I", "2024-06-10T10:00:00+07:00", WIDE_TABLE,
            tags=["layanan", "statistik"], unit="Divisi Pelayanan Hukum", category="Statistik",
            image="/images/foto.jpg", image_alt="Petugas melayani warga", release_number="HM.01-7",
            attachments=[{"path": "/files/rilis.pdf", "title": "Siaran pers bertanda tangan"}]),
        "content/siaran-pers/2024-06-10-layanan.en.md": article(
            "First Half Service Summary", "2024-06-10T10:00:00+07:00", "Summary.\n\n| Service | Count |\n|---|---|\n"
            "| Passports | 1,248 |\n", tags=["services"], unit="Legal Services Division"),
        "content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nKantor wilayah.\n",
        "content/pages/about.en.md": "---\ntitle: About Us\ntranslation_key: tentang\n---\nRegional office.\n",
    }
    for day in range(1, 8):
        section = ("berita", "pengumuman", "siaran-pers")[day % 3]
        found[f"content/{section}/2024-06-0{day}-kabar-{day}.id.md"] = article(
            f"Kabar Nomor {day}", f"2024-06-0{day}T09:30:00+07:00", f"Isi kabar {day}.",
            tags=["layanan"] if day % 2 else ["kunjungan"], unit="Bagian Umum" if day < 4 else "Divisi Keimigrasian")
        found[f"content/{section}/2024-06-0{day}-kabar-{day}.en.md"] = article(
            f"News Number {day}", f"2024-06-0{day}T09:30:00+07:00", f"Body {day}.", tags=["visits"],
            unit="General Affairs")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = write_site(tmp_path_factory.mktemp("look") / "site", files(), CONFIG)
    result = build(built)
    assert result.code == 0, result.err
    return built


RELEASE = "/siaran-pers/2024/layanan/"
RELEASE_EN = "/en/siaran-pers/2024/layanan/"


def text(node: Any) -> str:
    return " ".join(node.text_content().split()) if not isinstance(node, str) else " ".join(node.split())


# --- header ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "parent", "name"), [("/", "Kementerian Contoh", "Kantor Wilayah Uji"),
                                                     ("/en/", "Ministry of Example", "Test Regional Office")])
def test_header_shows_the_emblem_and_the_office_name_on_two_lines(site: Path, url: str, parent: str,
                                                                  name: str) -> None:
    doc = page(site, url)
    brand = doc.xpath("//header[@class='site-header']//a[@class='brand']")[0]
    assert brand.get("href") == url and brand.get("rel") == "home"
    emblem = brand.xpath("img[@class='emblem']")[0]
    assert emblem.get("src") == "/images/lambang.svg" and emblem.get("alt") == ""  # the name says it
    assert [text(s) for s in brand.xpath(".//span[@class='brand-parent'] | .//span[@class='brand-name']")] \
        == [parent, name]


def test_header_falls_back_to_the_logo_and_the_site_title(tmp_path: Path) -> None:
    built = write_site(tmp_path / "s", {"content/berita/a.id.md": article("A"), "static/images/logo baru.png": jpeg()},
                       SMALL_CONFIG + "logo: /images/logo%20baru.png\n")
    assert build(built).code == 0
    brand = page(built, "/").xpath("//a[@class='brand']")[0]
    assert brand.xpath("img/@src") == ["/images/logo%20baru.png"]
    assert brand.xpath(".//span[@class='brand-parent']") == []
    assert brand.xpath("string(.//span[@class='brand-name'])") == "Situs Uji Humas"
    # A picture of the theme's static/ is one of the site's too.
    built = write_site(tmp_path / "t", {}, SMALL_CONFIG + "brand: {emblem: /favicon.ico}\n")
    assert build(built).code == 0
    assert page(built, "/").xpath("//a[@class='brand']/img/@src") == ["/favicon.ico"]


@pytest.mark.parametrize(("url", "menu"), [
    ("/", ["Beranda", "Siaran Pers", "Berita", "Pengumuman", "Tentang Kami"]),
    ("/en/", ["Home", "Press Releases", "News", "Announcements", "About Us"]),
])
def test_menus_follow_the_config_order_in_both_languages(site: Path, url: str, menu: list[str]) -> None:
    nav = page(site, url).xpath("//div[@class='site-nav']//nav")[0]
    assert [text(a) for a in nav.xpath(".//a")] == menu


def test_static_pages_stand_in_the_same_menu_places_in_every_language(tmp_path: Path) -> None:
    files = {"content/berita/a.id.md": article("A"),
             "content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nIsi.\n",
             "content/pages/tentang.en.md": "---\ntitle: About Us\n---\nText.\n",
             "content/pages/kontak.id.md": "---\ntitle: Kontak\n---\nIsi.\n",
             "content/pages/kontak.en.md": "---\ntitle: Contact\n---\nText.\n"}
    built = write_site(tmp_path / "s", files, SMALL_CONFIG)
    assert build(built).code == 0

    def pages_in_menu(url: str) -> list[str]:
        nav = page(built, url).xpath("//div[@class='site-nav']//nav")[0]
        return [a.get("href") for a in nav.xpath(".//a") if "/kontak/" in a.get("href")
                or "/tentang/" in a.get("href")]

    # by the default language's titles (Kontak before Tentang Kami), in English too
    assert [href.rstrip("/").rpartition("/")[2] for href in pages_in_menu("/")] == ["kontak", "tentang"]
    assert [href.rstrip("/").rpartition("/")[2] for href in pages_in_menu("/en/")] == ["kontak", "tentang"]


# --- home page and lists ---------------------------------------------------------------------------


def test_home_opens_with_a_lead_story_then_cards_with_pictures_sections_and_dates(site: Path) -> None:
    doc = page(site, "/")
    cards = doc.xpath("//main//div[contains(@class, 'cards')]/article[@class='card']")
    assert len(cards) == 5  # paginate: 5
    lead = cards[0]
    assert lead.get("id") == "lead-story" and "with-lead" in lead.getparent().get("class")
    assert lead.xpath("string(.//h2/a)") == "Rekapitulasi Layanan Semester I"
    picture = lead.xpath(".//img[@class='thumb']")[0]
    assert picture.get("src").startswith("/images/foto-") and picture.get("alt") == "Petugas melayani warga"
    assert picture.getparent().tag == "picture"  # every version of the photo, the browser picks
    assert picture.get("fetchpriority") == "high" and picture.get("loading") is None
    for card in cards[1:]:
        thumb = card.xpath(".//img[@class='thumb']")[0]
        # no photo: the release's social card, its text repeated in the card, so alt=""
        assert thumb.get("src") == card.xpath("string(.//h2/a/@href)") + "og.png"
        assert thumb.get("alt") == "" and thumb.get("loading") == "lazy"
        assert (thumb.get("width"), thumb.get("height")) == ("1200", "630")
    labels = [(a.text, a.get("href")) for a in doc.xpath("//article[@class='card']//p[@class='card-section']/a")]
    assert labels[0] == ("Siaran Pers", "/siaran-pers/")
    assert len(labels) == 5 and all(href in ("/siaran-pers/", "/berita/", "/pengumuman/") for _, href in labels)
    dates = doc.xpath("//article[@class='card']//time")
    assert [d.text for d in dates][:2] == ["Senin, 10 Juni 2024", "Jumat, 7 Juni 2024"]
    assert dates[0].get("datetime") == "2024-06-10T10:00:00+07:00"
    # the second page has cards but no lead story
    second = page(site, "/page/2/")
    assert second.xpath("//article[@id='lead-story']") == []
    assert len(second.xpath("//article[@class='card']")) == 3


@pytest.mark.parametrize("url", ["/siaran-pers/", "/tags/layanan/", "/categories/statistik/",
                                 "/units/divisi-pelayanan-hukum/", "/archive/2024/", "/en/units/general-affairs/"])
def test_lists_show_the_same_cards(site: Path, url: str) -> None:
    doc = page(site, url)
    cards = doc.xpath("//main//div[@class='cards']/article[@class='card']")
    assert cards and not doc.xpath("//article[@id='lead-story']")
    for card in cards:
        assert card.xpath(".//div[@class='thumb-box']//img[@class='thumb']/@src")
        assert card.xpath("string(.//p[@class='card-section']/a/@href)").endswith("/")
        assert card.xpath(".//p[@class='meta']/time/@datetime")
        assert card.xpath(".//h2[@class='card-title']/a/@href")


# --- release page -----------------------------------------------------------------------------------


def test_release_side_column_holds_contact_attachments_latest_and_related(site: Path) -> None:
    doc = page(site, RELEASE)
    layout = doc.xpath("//main/div[@class='release-layout']")[0]
    assert [c.get("class") for c in layout] == ["release", "side-column"]
    # the side column is the page's complementary part (<aside>), beside the release's text
    assert [c.tag for c in layout] == ["article", "aside"]
    side = layout.xpath("aside[@class='side-column']")[0]
    assert [s.get("class") for s in side.xpath("section")] == ["contact", "attachments", "latest", "related"]
    assert side.xpath("section[@class='contact']//a/@href") == ["tel:+62751123456", "mailto:humas@example.go.id"]
    assert text(side.xpath("section[@class='attachments']//li")[0]) == "Siaran pers bertanda tangan (PDF, 4 KB)"
    # latest: the five newest other releases, newest first (this one, the newest, left out)
    assert side.xpath("section[@class='latest']//a/@href") == [
        f"/{('berita', 'pengumuman', 'siaran-pers')[d % 3]}/2024/kabar-{d}/" for d in (7, 6, 5, 4, 3)]
    # related: releases sharing its tag "layanan" (kabar 7, 5, 3, 1), nearest in time first
    assert side.xpath("section[@class='related']//a/@href") == [
        "/pengumuman/2024/kabar-7/", "/siaran-pers/2024/kabar-5/", "/berita/2024/kabar-3/"]
    # an older release: its own latest list holds the newest release
    older = page(site, "/berita/2024/kabar-3/").xpath("//section[@class='latest']//a/@href")
    assert older[0] == RELEASE and "/berita/2024/kabar-3/" not in older


def test_related_releases_fill_up_from_the_same_section(tmp_path: Path) -> None:
    built = write_site(tmp_path / "s", {
        "content/berita/a.id.md": article("A", "2024-06-01T09:00:00+07:00", tags=["unik"]),
        "content/berita/b.id.md": article("B", "2024-06-02T09:00:00+07:00"),
        "content/berita/c.id.md": article("C", "2024-06-03T09:00:00+07:00"),
        "content/pengumuman/d.id.md": article("D", "2024-06-01T10:00:00+07:00"),
    })
    assert build(built).code == 0
    related = page(built, "/berita/2024/a/").xpath("//section[@class='related']//a/@href")
    assert related == ["/berita/2024/b/", "/berita/2024/c/"]  # no other "unik"; same section, nearest first


@pytest.mark.parametrize(("timezone", "zone"), [("Asia/Jakarta", "WIB"), ("Asia/Makassar", "WITA"),
                                                ("Asia/Jayapura", "WIT")])
def test_the_time_is_shown_with_the_zone_name_in_both_languages(tmp_path: Path, timezone: str, zone: str) -> None:
    built = write_site(tmp_path / "s", {"content/berita/a.id.md": article("A", "2024-05-30T10:00:00"),
                                        "content/berita/a.en.md": article("A", "2024-05-30T10:00:00")},
                       SMALL_CONFIG.replace("Asia/Jakarta", timezone))
    assert build(built).code == 0
    assert page(built, "/berita/2024/a/").xpath("//header//p[@class='meta']/time/text()") == [
        f"Kamis, 30 Mei 2024, 10.00 {zone}"]
    assert page(built, "/en/berita/2024/a/").xpath("//header//p[@class='meta']/time/text()") == [
        f"Thursday, 30 May 2024, 10.00 {zone}"]


def test_the_unit_and_category_are_named_and_linked(site: Path) -> None:
    doc = page(site, RELEASE)
    unit = doc.xpath("//article[@class='release']//p[@class='facts']//a[@class='unit']")[0]
    assert (unit.text, unit.get("href")) == ("Divisi Pelayanan Hukum", "/units/divisi-pelayanan-hukum/")
    category = doc.xpath("//p[@class='facts']//a[@class='category']")[0]
    assert (category.text, category.get("href")) == ("Statistik", "/categories/statistik/")
    assert "Unit kerja: Divisi Pelayanan Hukum" in text(doc.xpath("//p[@class='facts']")[0])
    # words apart in the text itself, as a text browser or a screen reader takes it (no flex gap)
    assert "Divisi Pelayanan Hukum Kategori: Statistik" in text(doc.xpath("//p[@class='facts']")[0])
    # a release without a category is in its section's category, named as the section
    other = page(site, "/en/berita/2024/kabar-3/").xpath("//p[@class='facts']//a/@href | //p[@class='facts']//a/text()")
    assert other == ["/en/units/general-affairs/", "General Affairs", "/en/categories/berita/", "News"]
    for href in (unit.get("href"), category.get("href"), "/en/units/general-affairs/", "/en/categories/berita/"):
        assert (site / "public" / href.strip("/") / "index.html").is_file()


def test_share_links_are_buttons_with_a_copy_link_button_and_no_third_party_script(site: Path) -> None:
    doc = page(site, RELEASE)
    share = doc.xpath("//section[@class='share']")[0]
    buttons = share.xpath(".//li/*")
    assert [b.text for b in buttons] == ["WhatsApp", "Facebook", "X", "Telegram", "Surel", "Salin tautan"]
    assert all(b.get("class") == "share-button" for b in buttons[:5])
    copy = buttons[5]
    assert (copy.tag, copy.get("type"), copy.get("class")) == ("button", "button", "share-button copy-link")
    assert copy.get("data-url") == f"{BASE}{RELEASE}" and copy.get("hidden") is not None  # shown by the script
    assert share.xpath("p[@class='copy-status']/@role") == ["status"]
    assert doc.xpath("//script[not(@type='application/ld+json')]/@src") == ["/js/menu.js", "/js/share.js"]  # own
    script = (site / "public/js/share.js").read_text("utf-8")
    assert "navigator.clipboard" in script and "http" not in script
    assert page(site, RELEASE_EN).xpath("//button[contains(@class, 'copy-link')]/text()") == ["Copy link"]


def test_no_external_script_stylesheet_or_font_anywhere(site: Path) -> None:
    out = site / "public"
    checked = 0
    for path in out.rglob("*.html"):
        doc = html.fromstring(path.read_bytes())
        loaded = doc.xpath("//script/@src | //link[not(@rel='alternate' or @rel='canonical' or @rel='prev'"
                           " or @rel='next')]/@href | //img/@src | //iframe/@src | //source/@srcset")
        assert all(src.startswith("/") and not src.startswith("//") for src in loaded), (path, loaded)
        checked += 1
    for path in out.rglob("*.css"):
        css = path.read_text("utf-8")
        assert "@font-face" not in css and "@import" not in css
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), path
    assert checked > 20


def test_tables_scroll_in_a_named_region_and_numeric_columns_are_marked(site: Path) -> None:
    doc = page(site, RELEASE)
    region = doc.xpath("//div[@class='body']/div[@class='table-scroll']")[0]
    assert (region.get("role"), region.get("tabindex"), region.get("aria-label")) == ("region", "0", "Tabel")
    rows = region.xpath(".//tr")
    classes = [[cell.get("class") for cell in row.xpath("th|td")] for row in rows]
    assert classes[0] == [None, "num", "num", "num", None]  # the header of numeric columns too
    assert all(row == [None, "num", "num", "num", None] for row in classes[1:])
    assert page(site, RELEASE_EN).xpath("//div[@class='table-scroll']/@aria-label") == ["Table"]


def test_table_marking_rules() -> None:
    assert all(tables.is_number(v) for v in ("1.248", "96,2%", "-3", "Rp 1.500.000", "(2.300)", "<strong>88,4</strong>",
                                             "12&nbsp;345", "2024/2025"))
    assert not any(tables.is_number(v) for v in ("A (Sangat Baik)", "", "HM.01", "1 orang", "Jumlah"))
    two = "<p>x</p><table><tr><td>a</td></tr></table><table><tr><td>1</td></tr></table>"
    out = str(tables.scrolling(two, "Tabel"))
    assert out.count('role="region"') == 2 and 'aria-label="Tabel 1"' in out and 'aria-label="Tabel 2"' in out
    assert '<td class="num">1</td>' in out and "<td>a</td>" in out and out.startswith("<p>x</p>")
    spans = ('<table><tr><th colspan="2">Total</th><th>Ket</th></tr>'
             '<tr><td>1</td><td>2</td><td>x</td></tr></table>')
    marked = str(tables.scrolling(spans))
    assert '<th colspan="2" class="num">Total</th>' in marked and "<th>Ket</th>" in marked
    assert tables.scrolling("<p>no table</p>") == "<p>no table</p>"
    # a dash where a table has no figure (as Indonesian tables write it) leaves the column numeric
    dashes = ("<table><tr><th>Kab.</th><th>2024</th><th>Ket</th></tr><tr><td>Agam</td><td>1.248</td><td>-</td></tr>"
              "<tr><td>Solok</td><td>-</td><td>&ndash;</td></tr><tr><td>Pesisir</td><td>\u2013</td><td>-</td></tr>"
              "<tr><td>Tanah Datar</td><td>96</td><td>-</td></tr></table>")
    columns = [[cell.get("class") for cell in row.xpath("th|td")]
               for row in html.fromstring(str(tables.scrolling(dashes))).xpath("//tr")]
    assert all(row == [None, "num", None] for row in columns), columns
    assert 'aria-label="&lt;b&gt;"' in str(tables.scrolling("<table></table>", "<b>"))
    assert '<td class="x num">5</td>' in str(tables.scrolling('<table><tr><td class="x">5</td></tr></table>'))


# --- footer -----------------------------------------------------------------------------------------


def test_footer_is_filled_from_config_in_each_language(site: Path) -> None:
    for url, hours, copyright_line, units in (
            ("/", "Senin–Jumat 08.00–16.00 WIB", "© 2026 Kanwil Uji",
             ["Bagian Umum", "Divisi Keimigrasian", "Divisi Pelayanan Hukum"]),
            ("/en/", "Monday to Friday 08.00–16.00 WIB", "© 2026 Test Office",
             ["General Affairs", "Legal Services Division"])):
        foot = page(site, url).xpath("//body/footer")[0]
        office = foot.xpath(".//section[@class='footer-office']")[0]
        assert office.xpath("string(.//p[@class='address'])") == "Jalan Uji Nomor 9, Padang"
        assert office.xpath(".//dl//a/@href") == ["tel:+62751999", "mailto:info@example.go.id"]
        assert hours in text(office.xpath(".//dl")[0])
        assert [(a.text, a.get("href")) for a in foot.xpath(".//nav[@class='footer-social']//a")] == [
            ("Instagram", "https://www.instagram.com/uji/"), ("YouTube", "https://www.youtube.com/@uji")]
        services = foot.xpath(".//nav[@class='footer-services']//a/@href")
        assert services == ["https://ppid.example.go.id/", "https://www.lapor.go.id/"]  # LAPOR! by default
        assert "LAPOR!" in text(foot.xpath(".//a[@class='lapor']")[0])
        assert foot.xpath("string(.//p[@class='copyright'])") == copyright_line  # {year}: the build's year
        assert [a.text for a in foot.xpath(".//nav[@class='footer-units']//a")] == units
        assert foot.xpath(".//nav[@class='footer-topics']//a")
        assert foot.xpath(".//nav[@class='footer-categories']//a")
    topics = page(site, "/").xpath("//nav[@class='footer-topics']//a")
    assert [(a.text, a.get("href")) for a in topics] == [("kunjungan", "/tags/kunjungan/"),
                                                         ("layanan", "/tags/layanan/"),
                                                         ("statistik", "/tags/statistik/")]
    categories = page(site, "/en/").xpath("//nav[@class='footer-categories']//a/text()")
    assert categories == ["Announcements", "News", "Press Releases"]


def _lang_of(node: Any) -> str:
    """The language a screen reader reads ``node`` in: its own lang attribute, else its nearest
    ancestor's."""
    return str(node.xpath("ancestor-or-self::*[@lang][1]/@lang")[0])


def test_a_header_or_footer_text_in_another_language_is_marked_with_its_language(tmp_path: Path) -> None:
    """WCAG 3.1.2: a text written in Indonesian only stands in on English pages; its element
    says lang="id" there, so a screen reader reads it in Indonesian. Texts in the page's own
    language, and those written once for every language (an address), add no attribute."""
    config = SMALL_CONFIG + """\
brand:
  parent: {id: Kementerian Contoh}
  name: {id: Kantor Wilayah Uji}
footer:
  address: {id: "Jalan Uji Nomor 9, Padang"}
  hours: {id: Senin–Jumat 08.00–16.00 WIB}
  phone: "+62 751 999"
"""
    built = write_site(tmp_path / "s", {"content/berita/a.id.md": article("A"), "content/berita/a.en.md": article("A")},
                       config)
    assert build(built, "--no-search").code == 0
    parts = {"parent": "//header//span[@class='brand-parent']", "name": "//header//span[@class='brand-name']",
             "office": "//footer//h2[@id='footer-office-title']", "address": "//footer//p[@class='address']",
             "hours": "//footer//dl/div[dt][last()]/dd", "copyright": "//footer//p[@class='copyright']"}
    for url in ("/", "/berita/2024/a/", "/en/", "/en/berita/2024/a/"):
        doc = page(built, url)
        found = {name: doc.xpath(path)[0] for name, path in parts.items()}
        assert text(found["hours"]) == "Senin–Jumat 08.00–16.00 WIB"
        assert text(found["copyright"]) == "© 2026 Kantor Wilayah Uji"  # the default names the office
        assert {name: _lang_of(node) for name, node in found.items()} == dict.fromkeys(parts, "id"), url
        if not url.startswith("/en/"):  # on its own language's pages, the page's lang is enough
            assert [name for name, node in found.items() if node.get("lang")] == [], url
    # Per language, or one text for every language: the page's language.
    config = SMALL_CONFIG + ("brand:\n  name: {id: Kantor Wilayah Uji, en: Test Office}\n"
                             "footer:\n  address: Jalan Uji 9\n")
    assert build(write_site(tmp_path / "t", {}, config), "--no-search").code == 0
    doc = page(tmp_path / "t", "/en/")
    for path in (parts["name"], parts["address"], parts["copyright"]):
        assert doc.xpath(path)[0].get("lang") is None and _lang_of(doc.xpath(path)[0]) == "en"


#: the element of a page's heading that holds the name (the heading, or a span in it)
HEADING = "(//h1/descendant-or-self::*[text()='Siaran Pers'])[1]"


def test_a_section_named_in_the_default_language_only_is_marked_with_its_language(tmp_path: Path) -> None:
    """WCAG 3.1.2: a section named only in Indonesian shows its Indonesian name on English pages
    (menu, a release's section label and category, cards, the list's heading on every page of it,
    the category index and the footer); each says lang="id". A section named in both languages
    adds no attribute anywhere, nor does the Indonesian name on Indonesian pages."""
    config = SMALL_CONFIG.replace("paginate:", "  siaran-pers: {id: Siaran Pers}\npaginate:")
    files: dict[str, str | bytes] = {"content/berita/b.en.md": article("B"), "content/berita/b.id.md": article("B")}
    for n in range(6):  # two pages of the English list
        for lang in ("id", "en"):
            files[f"content/siaran-pers/r{n}.{lang}.md"] = article(f"R{n}", date=f"2024-05-{10 + n}T10:00:00+07:00")
    built = write_site(tmp_path / "s", files, config)
    assert build(built, "--no-search").code == 0
    parts = {
        "menu": ("/en/", "//div[@class='site-nav']//a[@href='/en/siaran-pers/']"),
        "card": ("/en/", "//p[@class='card-section']/a[@href='/en/siaran-pers/']"),
        "kicker": ("/en/siaran-pers/2024/r0/", "//p[@class='kicker']/a"),
        "category": ("/en/siaran-pers/2024/r0/", "//p[@class='facts']//a[@class='category']"),
        "footer": ("/en/", "//nav[@class='footer-categories']//a[@href='/en/categories/siaran-pers/']"),
        "index": ("/en/categories/", "//main//a[@href='/en/categories/siaran-pers/']"),
        "heading": ("/en/siaran-pers/", HEADING),
        "category heading": ("/en/categories/siaran-pers/", HEADING),
    }
    for name, (url, path) in parts.items():
        node = page(built, url).xpath(path)[0]
        assert (text(node), _lang_of(node)) == ("Siaran Pers", "id"), name
        own = page(built, url.replace("/en/", "/", 1)).xpath(path.replace("/en/", "/"))[0]
        assert (text(own), own.get("lang"), _lang_of(own)) == ("Siaran Pers", None, "id"), name
    # The second page's heading: the name in Indonesian, the rest of it in English.
    heading = page(built, "/en/siaran-pers/page/2/").xpath("//h1")[0]
    assert (text(heading), _lang_of(heading)) == ("Siaran Pers — page 2", "en")
    assert [(n.text, n.get("lang")) for n in heading.xpath(".//*[@lang]")] == [("Siaran Pers", "id")]
    # Named in both languages: nothing marked.
    doc = page(built, "/en/berita/2024/b/")
    for path in ("//div[@class='site-nav']//a[@href='/en/berita/']", "//p[@class='kicker']/a",
                 "//p[@class='facts']//a[@class='category']"):
        node = doc.xpath(path)[0]
        assert (text(node), node.get("lang"), _lang_of(node)) == ("News", None, "en"), path


def test_no_page_is_orphaned(site: Path) -> None:
    """Every page (units, categories, topics, their indexes, years, pages of a list) is linked
    from another page."""
    out = site / "public"
    linked: set[str] = set()
    pages: set[str] = set()
    for path in out.rglob("index.html"):
        doc = html.fromstring(path.read_bytes())
        if doc.xpath("//meta[@http-equiv='refresh']"):
            continue  # an old address, sending readers on
        folder = path.parent.relative_to(out).as_posix()
        url = "/" if folder == "." else f"/{folder}/"
        pages.add(url)
        linked.update(href.split("#")[0] for href in doc.xpath("//a/@href") if href.split("#")[0] != url)
    assert {"/units/bagian-umum/", "/categories/statistik/", "/units/", "/categories/", "/archive/",
            "/en/units/", "/page/2/"} <= pages
    assert pages - linked == set()


def test_bad_footer_and_brand_settings_name_their_line(tmp_path: Path) -> None:
    built = write_site(tmp_path / "s", {}, SMALL_CONFIG + "footer:\n  ppid: ppid.example.go.id\n"
                       "  social:\n    - {name: IG}\nbrand:\n  emblm: /x.svg\n")
    result = run("check", "--site", built)
    assert result.code == 2
    assert "config.yaml:11: error: 'footer.ppid' must be a web address" in result.err
    assert "config.yaml:13: error: missing required setting 'footer.social.0.url'" in result.err
    assert "config.yaml:15: error: unknown key 'brand.emblm' (did you mean 'emblem'?)" in result.err
    assert "Traceback" not in result.err


def test_the_bundled_site_has_an_emblem_and_a_full_footer(tmp_path: Path) -> None:
    out = tmp_path / "public"
    assert run("build", "--site", REPO, "--output", out, "--now", "2026-11-28T12:00:00+07:00").code == 0
    doc = html.fromstring((out / "index.html").read_bytes())
    emblem = doc.xpath("//a[@class='brand']/img/@src")[0]
    assert emblem.endswith(".svg") and (out / emblem.lstrip("/")).is_file()
    svg = (out / emblem.lstrip("/")).read_text("utf-8")
    assert "SAMPLE" in svg  # marked as sample content
    assert doc.xpath("//span[@class='brand-parent']") and doc.xpath("//span[@class='brand-name']")
    foot = doc.xpath("//body/footer")[0]
    for part in ("p[@class='address']", "nav[@class='footer-social']//a", "a[@class='ppid']", "a[@class='lapor']",
                 "p[@class='copyright']", "nav[@class='footer-topics']//a", "nav[@class='footer-units']//a",
                 "nav[@class='footer-categories']//a"):
        assert foot.xpath(".//" + part), part


# --- in a browser -------------------------------------------------------------------------------------

VIEWS = [(scheme, width) for scheme in ("light", "dark") for width in (390, 1280)]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serve(site / "public") as base:
        yield base


def test_a_wide_table_scrolls_in_its_region_not_the_page_on_a_phone(site_url: str, chromium: Any) -> None:
    tab = chromium.new_page(viewport={"width": 390, "height": 800})
    try:
        tab.goto(site_url + RELEASE)
        sizes = tab.evaluate("""() => { const r = document.querySelector('.table-scroll');
            const cell = r.querySelector('td');
            return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                    inner: r.scrollWidth, outer: r.clientWidth,
                    wrap: getComputedStyle(cell).overflowWrap, words: getComputedStyle(cell).wordBreak,
                    numeric: getComputedStyle(r.querySelector('td.num')).textAlign}; }""")
        assert sizes["page"] <= sizes["view"] == 390  # the page itself never scrolls sideways
        assert sizes["inner"] > sizes["outer"]  # the table's region does
        assert (sizes["wrap"], sizes["words"], sizes["numeric"]) == ("normal", "normal", "right")
        # no figure is broken: each number cell is on one line (a number column's heading may
        # wrap between its words, which no cell breaks: overflow-wrap and word-break above)
        broken = tab.evaluate("""() => [...document.querySelectorAll('.table-scroll td.num')]
            .filter(c => { const range = document.createRange(); range.selectNodeContents(c);
                           const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                           return lines.size > 1; }).length""")
        assert broken == 0
        tab.focus(".table-scroll")
        tab.keyboard.press("ArrowRight")
        tab.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0")
    finally:
        tab.close()


TARGETS = """() => [...document.querySelectorAll('a[href], button, input, select, textarea')]
    .filter(e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
                   return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0
                          && !e.closest('.visually-hidden') && !e.matches('.skip-link')
                          && !e.closest('.body p, .body li, .body td, .body blockquote'); })
    .map(e => { const r = e.getBoundingClientRect();
                return {what: e.outerHTML.slice(0, 80), w: r.width, h: r.height}; })
    .filter(t => t.w < 24 || t.h < 24)"""


@pytest.mark.parametrize("width", [390, 1280])
def test_every_target_outside_running_text_is_at_least_24_px(site_url: str, bundled_url: str, chromium: Any,
                                                            width: int) -> None:
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    small = {}
    try:
        for base, url in ((site_url, "/"), (site_url, RELEASE), (site_url, "/en/"), (site_url, RELEASE_EN),
                          (site_url, "/tags/layanan/"), (site_url, "/tags/"), (site_url, "/tentang/"),
                          (bundled_url, "/berita/2025/penyuluhan-hukum-nagari/"), (bundled_url, "/kontak/"),
                          (site_url, "/404.html"), (bundled_url, "/en/404.html")):
            tab.goto(base + url)
            found = tab.evaluate(TARGETS)
            if found:
                small[url] = found
    finally:
        tab.close()
    assert small == {}


def test_focus_is_never_hidden_behind_anything(site_url: str, chromium: Any) -> None:
    tab = chromium.new_page(viewport={"width": 390, "height": 700})
    try:
        tab.goto(site_url + RELEASE)
        hidden = []
        for _ in range(60):
            tab.keyboard.press("Tab")
            state = tab.evaluate("""() => { const e = document.activeElement; const r = e.getBoundingClientRect();
                const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
                const y = Math.min(Math.max(r.top + Math.min(r.height, 20) / 2, 0), innerHeight - 1);
                const hit = document.elementFromPoint(x, y);
                return {tag: e.tagName, seen: r.bottom > 0 && r.top < innerHeight && !!hit
                        && (hit === e || e.contains(hit) || hit.contains(e))}; }""")
            if state["tag"] == "BODY":
                break
            if not state["seen"]:
                hidden.append(state)
        assert hidden == []
    finally:
        tab.close()


def test_copy_link_copies_the_address_and_says_so(site_url: str, chromium: Any) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    tab = context.new_page()
    try:
        tab.goto(site_url + RELEASE)
        button = tab.locator("button.copy-link")
        assert button.is_visible()  # the script showed it
        button.click()
        tab.wait_for_function("document.querySelector('.copy-status').textContent.length > 0")
        assert tab.evaluate("navigator.clipboard.readText()") == f"{BASE}{RELEASE}"
        assert tab.text_content(".copy-status") == "Tautan sudah disalin."
    finally:
        context.close()


def test_without_script_the_buttons_that_need_it_are_not_shown(site_url: str, chromium: Any) -> None:
    """Copy link and Print work only with script: without it they stay hidden (the theme's
    button style must not show an element the page marks hidden)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(site_url + RELEASE)
        assert tab.locator("button.copy-link").count() == 1
        assert not tab.locator("button.copy-link").is_visible()
        assert not tab.locator("button.print-page").is_visible()
        assert tab.locator("a.share-button").first.is_visible()  # the plain share links stay
    finally:
        context.close()


def _axe(tab: Any) -> list[str]:
    from tests.test_accessibility import axe_path

    axe = axe_path()
    from tests.conftest import need

    need(axe, "axe-core (npm install --prefix .ci/.tools axe-core, or set AXE_JS)")
    tab.add_script_tag(path=str(axe))
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


# Home, a release with a gallery, one with a table, a list; Indonesian and English.
BUNDLED_PAGES = ["/", "/berita/2025/penyuluhan-hukum-nagari/", "/siaran-pers/2025/indeks-kepuasan-masyarakat/",
                 "/units/kantor-wilayah/", "/en/", "/en/siaran-pers/2025/public-satisfaction-index/"]


@pytest.mark.parametrize(("scheme", "width"), VIEWS)
def test_axe_finds_nothing_in_both_languages_light_and_dark_phone_and_desktop(
        bundled_url: str, site_url: str, chromium: Any, scheme: str, width: int) -> None:
    tab = chromium.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    found = {}
    try:
        for base, urls in ((bundled_url, BUNDLED_PAGES), (site_url, [RELEASE])):
            for url in urls:
                response = tab.goto(base + url)
                assert response is not None and response.ok, url
                problems = _axe(tab)
                if problems:
                    found[url] = problems
                assert tab.evaluate("document.documentElement.scrollWidth") <= width, url
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for name, url in (("home", "/"), ("release", "/siaran-pers/2025/indeks-kepuasan-masyarakat/"),
                          ("gallery", "/berita/2025/penyuluhan-hukum-nagari/"), ("home-en", "/en/")):
            tab.goto(bundled_url + url)
            tab.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
            tab.wait_for_function("[...document.images].every(i => i.complete)")
            # decoded too: a full-page screenshot of a busy machine otherwise shows blank pictures
            tab.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
            tab.screenshot(path=str(ARTIFACTS / f"newsroom-{name}-{scheme}-{width}.png"), full_page=True)
    finally:
        tab.close()
    assert found == {}
