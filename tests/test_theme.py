"""The humas theme: what a reader, a screen reader and a slow phone get from every page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from lxml import html

from tests.conftest import REPO, article, build, page, photo_file

THEME = REPO / "themes" / "humas"
BASE = "https://humas.example.go.id"


@pytest.fixture
def newsroom(make_site):  # type: ignore[no-untyped-def]
    """Seven releases in Indonesian (two pages of five), one with a photo and attachment."""
    files: dict[str, str | bytes] = {
        "static/images/foto.jpg": photo_file(),
        "static/files/rilis.pdf": b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024 // 2),
        "content/berita/2024-05-30-rapat.id.md": article(
            "Rapat Koordinasi Humas", tags=["humas", "rapat"], location="Padang", agency="ANTARA",
            author=["Ani", "Budi"], image="/images/foto.jpg", image_alt="Peserta rapat di aula",
            image_caption="Rapat di aula kantor.", image_credit="Humas", summary="Ringkasan rapat.",
            attachments=[{"path": "/files/rilis.pdf", "title": "Siaran pers"}],
            contact={"name": "Humas", "phone": "+62 751 1", "email": "humas@example.go.id"}),
        "content/berita/2024-05-30-rapat.en.md": article("Coordination Meeting", tags=["meeting"]),
        "content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nKantor wilayah.\n",
    }
    for day in range(1, 7):
        files[f"content/berita/2024-06-0{day}-kabar-{day}.id.md"] = article(
            f"Kabar Nomor {day}", f"2024-06-0{day}T09:00:00+07:00", tags=["humas"])
    return make_site(files)


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in (site / "public").rglob("*.html")
                  if "pagefind" not in p.parts and b"http-equiv=\"refresh\"" not in p.read_bytes())


def test_every_page_has_lang_skip_link_landmarks_and_one_h1(newsroom: Path) -> None:
    assert build(newsroom).code == 0
    checked = 0
    for path in pages_of(newsroom):
        doc = html.fromstring(path.read_bytes())
        where = path.relative_to(newsroom / "public")
        assert doc.get("lang") in ("id", "en"), where
        skip = doc.xpath("//body/*[1]")[0]
        assert skip.get("href") == "#main" and doc.xpath("//main[@id='main']"), where
        for landmark in ("header", "main", "footer"):
            assert len(doc.xpath(f"//body/{landmark}")) == 1, (where, landmark)
        assert len(doc.xpath("//h1")) == 1, where
        labels = [n.get("aria-label") for n in doc.xpath("//nav")]
        assert all(labels) and len(set(labels)) == len(labels), where  # each nav named, uniquely
        checked += 1
    assert checked > 10


def test_headings_never_skip_a_level(newsroom: Path) -> None:
    assert build(newsroom).code == 0
    for path in pages_of(newsroom):
        levels = [int(h.tag[1]) for h in html.fromstring(path.read_bytes()).iter("h1", "h2", "h3",
                                                                                 "h4", "h5", "h6")]
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)


def test_switcher_names_each_language_in_itself(newsroom: Path) -> None:
    assert build(newsroom).code == 0
    link = page(newsroom, "/berita/2024/rapat/").xpath("//nav[@class='lang-switcher']//a")[0]
    assert (link.text_content(), link.get("lang"), link.get("hreflang")) == ("English", "en", "en")
    assert link.get("href") == "/en/berita/2024/rapat/"
    back = page(newsroom, "/en/berita/2024/rapat/").xpath("//nav[@class='lang-switcher']//a")[0]
    assert (back.text_content(), back.get("lang"), back.get("href")) == ("Bahasa Indonesia", "id",
                                                                        "/berita/2024/rapat/")


def test_release_page_carries_every_newsroom_piece(newsroom: Path) -> None:
    assert build(newsroom).code == 0
    doc = page(newsroom, "/berita/2024/rapat/")
    release = doc.xpath("//article[@class='release']")[0]
    # printed at the very end, after the side column's contact and attachments
    assert doc.xpath("//div[@class='release-layout']/@data-url") == [f"{BASE}/berita/2024/rapat/"]
    assert release.xpath("string(.//h1)") == "Rapat Koordinasi Humas"
    assert release.xpath("string(.//*[@class='kicker']/a)") == "Berita"
    meta = " ".join(release.xpath("string(.//header/p[@class='meta'])").split())
    assert meta == "Kamis, 30 Mei 2024, 10.00 WIB · oleh Ani, Budi"
    assert release.xpath("string(.//*[@class='dateline'])").strip() == "Padang (ANTARA) -"
    figure = release.xpath(".//figure[@class='lead-image']")[0]
    assert figure.xpath("picture/img/@alt") == ["Peserta rapat di aula"]
    caption = " ".join(figure.xpath("string(figcaption)").split())
    assert caption == "Rapat di aula kantor. Foto: Humas"
    # press contact and attachments sit in the side column, beside the release's text
    attachment = doc.xpath("//aside[@class='side-column']/section[@class='attachments']//li")[0]
    assert attachment.xpath("a/@type") == ["application/pdf"]
    assert attachment.text_content() == "Siaran pers (PDF, 1,5 MB)"  # decimal comma in Indonesian
    contact = doc.xpath("//aside[@class='side-column']/section[@class='contact']")[0]
    assert contact.xpath(".//h2/text()") == ["Kontak media"]
    assert contact.xpath(".//a/@href") == ["tel:+627511", "mailto:humas@example.go.id"]
    assert release.xpath(".//a[@rel='tag']/@href") == ["/tags/humas/", "/tags/rapat/"]
    # The oldest release: only a newer one in the same language to go to.
    steps = [(a.get("rel"), a.get("href")) for a in doc.xpath("//nav[@class='prev-next']/a")]
    assert steps == [("next", "/berita/2024/kabar-1/")]
    assert doc.xpath("//section[@class='related']//a/@href")[0].startswith("/berita/2024/kabar-")


def test_share_links_are_plain_urls_with_title_and_canonical(newsroom: Path) -> None:
    assert build(newsroom).code == 0
    doc = page(newsroom, "/berita/2024/rapat/")
    links = doc.xpath("//section[@class='share']//a/@href")
    assert doc.xpath("//section[@class='share']//a/@class") == ["share-button"] * 5
    assert len(links) == 5
    canonical = f"{BASE}/berita/2024/rapat/"
    for link in links:
        values = [v for vs in parse_qs(urlsplit(link).query).values() for v in vs]
        assert any(canonical in v for v in values), link
        if "facebook.com" not in link:  # Facebook's sharer takes the URL only
            assert any("Rapat Koordinasi Humas" in v for v in values), link
    # sharing needs no third-party script: only the site's own one for the copy-link button
    # (beside the phone menu's, on every page)
    assert doc.xpath("//script[not(@type='application/ld+json')]/@src") == ["/js/menu.js", "/js/share.js"]


def test_english_attachment_size_uses_a_decimal_point(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "static/files/a.pdf": b"%PDF" + b"0" * (5 * 1024 * 1024 // 2),
        "static/files/b.pdf": b"%PDF" + b"0" * 100,
        "content/berita/x.en.md": article("Report", attachments=["/files/a.pdf", "/files/b.pdf"]),
    })
    assert build(site).code == 0
    sizes = [li.xpath("string(span)") for li in page(site, "/en/berita/2024/x/").xpath(
        "//section[@class='attachments']//li")]
    assert sizes == ["(PDF, 2.5 MB)", "(PDF, 1 KB)"]


def test_missing_image_alt_is_an_error_on_the_image_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"static/f.jpg": photo_file(), "content/berita/x.id.md": article("Foto",
                                                                                         image="/f.jpg")})
    result = build(site)
    assert result.code == 1
    assert "content/berita/x.id.md:4: error: the lead photo has no image_alt" in result.err


def test_a_photo_description_without_a_photo_is_warned_of_at_its_line(make_site) -> None:  # type: ignore[no-untyped-def]
    """image_alt, image_caption or image_credit written with no image: (the image line deleted,
    or a typo in its key) describe nothing the page shows: said at the line, the site built."""
    site = make_site({"content/berita/x.id.md": article("Foto", image_alt="Peserta rapat", image_credit="Humas"),
                      "content/berita/y.id.md": article("Tanpa", slug="y", image_alt="")})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert "content/berita/x.id.md:4: warning: 'image_alt' describes a lead photo, but there is no image:" \
        in result.err
    assert "content/berita/x.id.md:5: warning: 'image_credit' describes a lead photo" in result.err
    assert "y.id.md" not in result.err  # an empty line, as a form may leave it, says nothing


def test_lists_paginate_with_rel_links_and_show_thumbnails(newsroom: Path) -> None:
    assert build(newsroom).code == 0
    first, second = page(newsroom, "/"), page(newsroom, "/page/2/")
    assert first.xpath("//link[@rel='next']/@href") == [f"{BASE}/page/2/"]
    assert first.xpath("//nav[@class='pagination']/a[@rel='next']/@href") == ["/page/2/"]
    assert second.xpath("//link[@rel='prev']/@href") == [f"{BASE}/"]
    assert second.xpath("//nav[@class='pagination']/a[@rel='prev']/@href") == ["/"]
    assert len(first.xpath("//main//article[@class='card']")) == 5
    # every card has a picture: the lead photo, else the release's social card (text, so alt="")
    thumbs = second.xpath("//article[@class='card']//img[@class='thumb']")
    assert [(t.get("src"), t.get("alt")) for t in thumbs] == [
        ("/berita/2024/kabar-1/og.png", ""), (thumbs[1].get("src"), "Peserta rapat di aula")]
    assert re.match(r"^/images/foto-\d+w\.\w+\.jpg$", thumbs[1].get("src"))  # the photo's JPEG version
    dates = second.xpath("//article[@class='card']//time/text()")
    assert "Kamis, 30 Mei 2024" in dates


def test_tag_index_and_yearly_archive_are_linked_from_every_page(newsroom: Path) -> None:
    assert build(newsroom).code == 0
    footer = page(newsroom, "/").xpath("//footer//nav[@class='footer-archive']//a/@href")
    assert footer == ["/tags/", "/categories/", "/archive/", "/archive/2024/"]
    index = page(newsroom, "/tags/")
    counts = {a.text: li.xpath("string(span)") for li in index.xpath("//ul[@class='term-index']/li")
              for a in li.xpath("a")}
    assert counts == {"humas": "(7)", "rapat": "(1)"}


def test_no_external_requests_and_no_script_needed_to_read(newsroom: Path) -> None:
    assert build(newsroom).code == 0
    for path in pages_of(newsroom):
        doc = html.fromstring(path.read_bytes())
        loaded = doc.xpath("//script/@src | //img/@src | //iframe/@src | //source/@src"
                           " | //link[@rel='stylesheet' or @rel='icon']/@href")
        local = [src.startswith("/") and not src.startswith("//") for src in loaded]
        assert all(local), (path, loaded)
        # Reading needs no script: the search page loads its own, a release the copy-link
        # button's, every page the phone menu's (it fades the menu's edge and scrolls the
        # current link into view; without it the menu still scrolls), and nothing else.
        scripts = doc.xpath("//script[not(@type='application/ld+json')]/@src")
        if "search" not in path.parts:
            share = ["/js/share.js"] if doc.xpath("//article[@class='release']") else []
            assert scripts == ["/js/menu.js", *share], path


def test_stylesheets_are_small_and_self_contained() -> None:
    css = {p.name: p.read_text("utf-8") for p in (THEME / "static" / "css").glob("*.css")}
    assert set(css) >= {"style.css", "print.css"}
    assert len(css["style.css"].encode()) < 30 * 1024
    assert sum(len(text.encode()) for text in css.values()) < 30_000  # both together, as a printing reader loads
    for text in css.values():
        assert "@import" not in text and "@font-face" not in text
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "prefers-color-scheme: dark" in css["style.css"]
    assert "prefers-reduced-motion" in css["style.css"]
    assert ":focus-visible" in css["style.css"]


def test_both_languages_have_every_ui_string() -> None:
    tables = {lang: yaml.safe_load((THEME / "i18n" / f"{lang}.yaml").read_text("utf-8"))
              for lang in ("id", "en")}
    assert set(tables["id"]) == set(tables["en"])
    used = set()
    for template in (THEME / "templates").rglob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_0-9]+)'[,)]", template.read_text("utf-8")))
    assert used <= set(tables["id"]), used - set(tables["id"])
