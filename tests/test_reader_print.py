"""A release on paper, in Debian's headless Chromium (Playwright's ``page.pdf``): its photo
gallery takes one line saying how many photos the online version offers, never the sheets
its photos would fill; its footnotes print without their back-links."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, SMALL_CONFIG, article, build, page, photo_file, serve, write_site

PHOTOS = 8
GALLERY = [{"path": f"/images/g{i}.jpg", "alt": f"Warga pada kegiatan ke-{i}", "caption": f"Suasana kegiatan ke-{i}.",
            "credit": "Humas"} for i in range(1, PHOTOS + 1)]
#: Paragraphs of a release that fills most of one sheet, and one that fills most of two.
LENGTHS = (3, 10)


def _body(paragraphs: int) -> str:
    return "\n\n".join(f"Paragraf {i}: " + "Kantor wilayah menyelenggarakan kegiatan bersama warga nagari. " * 6
                       for i in range(paragraphs))


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Any:
    files: dict[str, str | bytes] = {f"static/images/g{i}.jpg": photo_file(800, 600, color=(25 * i, 90, 160))
                                     for i in range(1, PHOTOS + 1)}
    for n in LENGTHS:
        files[f"content/berita/galeri-{n}.id.md"] = article("Penyuluhan Hukum", body=_body(n), gallery=GALLERY)
        files[f"content/berita/galeri-{n}.en.md"] = article("Legal Counselling", body=_body(n), gallery=GALLERY)
        files[f"content/berita/polos-{n}.id.md"] = article("Penyuluhan Hukum", body=_body(n))
    files["content/berita/catatan.id.md"] = article("Catatan Kaki", body=FOOTNOTES)
    files["content/berita/tabel.id.md"] = article("Tabel Lebar", body=WIDE_TABLE)
    root = write_site(tmp_path_factory.mktemp("print") / "site", files)
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    with serve(root / "public") as base:
        yield base


def _sheets(tab: Any) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", tab.pdf(format="A4")))


@pytest.mark.parametrize("paragraphs", LENGTHS)
def test_a_gallery_takes_no_sheet_of_its_own_on_paper(site_url: str, chromium: Any, paragraphs: int) -> None:
    tab = chromium.new_page()
    sheets = {}
    for name in (f"polos-{paragraphs}", f"galeri-{paragraphs}"):
        tab.goto(f"{site_url}/berita/2024/{name}/", wait_until="networkidle")  # the photos loaded
        tab.emulate_media(media="print")
        sheets[name] = _sheets(tab)
    tab.close()
    assert sheets[f"galeri-{paragraphs}"] == sheets[f"polos-{paragraphs}"], sheets


@pytest.mark.parametrize(("url", "line"), [
    ("/berita/2024/galeri-3/", "Galeri foto: 8 foto tersedia di versi daring rilis ini, dapat diunduh dalam "
                               "resolusi tinggi."),
    ("/en/berita/2024/galeri-3/", "Photo gallery: 8 photos in the online version of this release, available to "
                                  "download in high resolution."),
])
def test_on_paper_the_gallery_is_one_line_in_the_pages_language(site_url: str, chromium: Any, url: str,
                                                                 line: str) -> None:
    tab = chromium.new_page()
    tab.goto(site_url + url)
    shown = "el => getComputedStyle(el).display !== 'none'"
    # On screen: the grid, with its heading; the line for paper is not there for anyone.
    assert tab.locator(".gallery-grid").evaluate(shown)
    assert not tab.locator(".gallery-print").evaluate(shown)
    tab.emulate_media(media="print")
    assert not tab.locator(".gallery-grid").evaluate(shown)
    assert not tab.locator(".gallery > h2").evaluate(shown)
    assert tab.locator(".gallery-print").inner_text() == line
    tab.close()


#: A release with two footnotes, one of them cited twice (two back-links in its note).
FOOTNOTES = """\
Remisi diberikan kepada 268 warga binaan[^1] sesuai ketentuan[^2] yang berlaku[^1].

[^1]: Data per 17 Agustus 2024.
[^2]: Peraturan Menteri Hukum dan HAM Nomor 3 Tahun 2018.
"""


def test_on_paper_a_footnote_prints_its_text_without_its_back_link(site_url: str, chromium: Any) -> None:
    """The back-link (the arrow that returns to where the note is cited) is for the screen: on
    paper it printed as a stray character at the end of each note."""
    tab = chromium.new_page()
    tab.goto(site_url + "/berita/2024/catatan/")
    shown = "els => els.map(el => getComputedStyle(el).display !== 'none')"
    assert tab.locator("a.footnote-backref").evaluate_all(shown) == [True] * 3
    tab.emulate_media(media="print")
    assert tab.locator("a.footnote-backref").evaluate_all(shown) == [False] * 3
    notes = tab.locator(".footnote li").evaluate_all("els => els.map(el => el.innerText.trim())")
    assert notes == ["Data per 17 Agustus 2024.", "Peraturan Menteri Hukum dan HAM Nomor 3 Tahun 2018."]
    tab.close()


def test_a_gallery_of_one_photo_says_photo(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "static/images/g1.jpg": photo_file(),
        "content/berita/satu.en.md": article("One Photo", gallery=GALLERY[:1]),
    })
    assert build(root, "--no-search").code == 0
    note = page(root, "/en/berita/2024/satu/").xpath("string(//p[@class='gallery-print'])")
    assert note == ("Photo gallery: 1 photo in the online version of this release, available to download "
                    "in high resolution.")


#: A third language's gallery words, with Russian's plural forms (1 photo, 2-4, 5 and more).
RUSSIAN = """\
gallery_title: Фотогалерея
gallery_download: Скачать в высоком разрешении
photo: Фото
gallery_print:
  one: "Фотогалерея: {n} фотография в онлайн-версии."
  few: "Фотогалерея: {n} фотографии в онлайн-версии."
  many: "Фотогалерея: {n} фотографий в онлайн-версии."
  other: "Фотогалерея: {n} фотографии в онлайн-версии."
"""


def test_a_third_language_says_the_gallery_in_its_own_words_and_plural_forms(tmp_path: Path) -> None:
    """The gallery's words are UI strings: a site that adds a language translates them in its
    i18n file, the line for paper in each plural form the language has."""
    english = yaml.safe_load((REPO / "themes/humas/i18n/en.yaml").read_text("utf-8"))
    kept = {key: text for key, text in english.items() if not key.startswith("gallery_") and key != "photo"}
    config = SMALL_CONFIG.replace("sections:", "  ru: {name: Русский, locale: ru_RU, title: Тестовый сайт}\nsections:")
    files: dict[str, str | bytes] = {f"static/images/g{i}.jpg": photo_file() for i in range(1, 6)}
    files["i18n/ru.yaml"] = yaml.safe_dump(kept, allow_unicode=True) + RUSSIAN
    for n in (1, 2, 5):
        files[f"content/berita/g{n}.ru.md"] = article(f"Галерея {n}", gallery=GALLERY[:n])
    root = write_site(tmp_path / "site", files, config)
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    lines = {}
    for n in (1, 2, 5):
        gallery = page(root, f"/ru/berita/2024/g{n}/").xpath("//section[@class='gallery']")[0]
        lines[n] = gallery.xpath("string(p[@class='gallery-print'])")
        assert gallery.xpath("string(h2)") == "Фотогалерея"
        assert gallery.xpath(".//span[@class='credit']/text()") == ["Фото: Humas"] * n
        assert [a.text for a in gallery.xpath(".//a[@class='download']")] == ["Скачать в высоком разрешении"] * n
    assert lines == {1: "Фотогалерея: 1 фотография в онлайн-версии.", 2: "Фотогалерея: 2 фотографии в онлайн-версии.",
                     5: "Фотогалерея: 5 фотографий в онлайн-версии."}


#: Twelve columns whose headings are long single words, and figures below them.
WIDE_TABLE = "\n".join(["| " + " | ".join(f"Kolom{i} Pertanggungjawaban" for i in range(12)) + " |",
                        "|" + "---:|" * 12,
                        *("| " + " | ".join(f"{n}.{i:03d}" for i in range(12)) + " |" for n in range(1, 4))])


def test_on_paper_a_wide_table_keeps_every_column_on_the_sheet(site_url: str, chromium: Any) -> None:
    """Audit: on screen a wide table scrolls in its region; on paper nothing scrolls, and a
    table of twelve columns with long headings printed its first six, the rest cut off the sheet."""
    tab = chromium.new_page(viewport={"width": 700, "height": 900})  # about an A4 sheet's printed width
    tab.goto(site_url + "/berita/2024/tabel/")
    tab.emulate_media(media="print")
    found = tab.evaluate("""() => { const table = document.querySelector('.body table');
      const cells = [...table.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().right);
      return {right: Math.max(...cells), page: document.querySelector('.body').getBoundingClientRect().right,
              wide: document.documentElement.scrollWidth, shown: innerWidth}; }""")
    tab.close()
    assert found["right"] <= found["page"] + 1 and found["wide"] <= found["shown"], found


def test_on_paper_the_release_s_address_comes_last(site_url: str, chromium: Any) -> None:
    """After the side column's press contact and attachments, which print below the text: the
    address printed between them, and the last sheet had none."""
    tab = chromium.new_page()
    tab.goto(f"{site_url}/berita/2024/galeri-3/")
    tab.emulate_media(media="print")
    after = tab.evaluate("""() => [getComputedStyle(document.querySelector('.release-layout'), '::after').content,
                                   getComputedStyle(document.querySelector('.release'), '::after').content]""")
    tab.close()
    assert after[0].strip('"').endswith("/berita/2024/galeri-3/") and after[1] == "none", after
