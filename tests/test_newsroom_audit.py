"""Newsroom features checked against the issue's own words: the type of each attachment as
readers know it, and the bundled site's releases linked to their translations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitegen.searchindex import pagefind_binary
from tests.conftest import SMALL_CONFIG, article, build, build_bundled, need, page, write_site, xml


def test_attachment_type_is_named_as_readers_know_it(tmp_path: Path) -> None:
    """A Word file is '(DOCX, ...)', not its long media type in capitals."""
    attachments = ("attachments:\n  - {path: /files/surat.pdf, title: Surat}\n"
                   "  - {path: /files/tabel.xlsx}\n  - {path: /files/catatan.docx}\n")
    site = write_site(tmp_path / "site", {
        "content/berita/a.id.md": article("Rilis").replace("---\nIsi", attachments + "---\nIsi"),
        "static/files/surat.pdf": b"%PDF-1.4\n",
        "static/files/tabel.xlsx": b"PK\x03\x04",
        "static/files/catatan.docx": b"PK\x03\x04",
    }, SMALL_CONFIG)
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    items = page(site, "/berita/2024/a/").xpath("//section[@class='attachments']//li")
    kinds = [li.findtext("span[@class='filemeta']").split(",")[0] for li in items]
    assert kinds == ["(PDF", "(XLSX", "(DOCX"]
    assert [li.find("a").get("type") for li in items][0] == "application/pdf"


def test_bundled_blood_drive_is_one_release_in_two_languages(tmp_path: Path) -> None:
    """The sample blood drive exists in both languages; each page names the other as its
    translation, and neither is listed as missing one."""
    out = build_bundled(tmp_path / "public")
    idn = page(out, "/berita/2025/donor-darah-hari-bakti/", output="")
    en_url = "https://humas.example.go.id/en/berita/2025/blood-donation-service-day/"
    assert idn.xpath("//link[@rel='alternate'][@hreflang='en']/@href") == [en_url]
    en = page(out, "/en/berita/2025/blood-donation-service-day/", output="")
    assert en.xpath("//link[@rel='alternate'][@hreflang='id']/@href") == [
        "https://humas.example.go.id/berita/2025/donor-darah-hari-bakti/"]


@pytest.mark.parametrize(("start", "number", "found"), [
    ("/", "HM.01.02-117", "/siaran-pers/2024/kanal-pengaduan-terpadu/"),
    ("/en/", "HM.01.02-064", "/en/siaran-pers/2025/public-satisfaction-index/"),
])
def test_a_release_is_found_by_its_number(bundled_url: str, chromium: Any, start: str, number: str,
                                          found: str) -> None:
    """A reader who types the release number from a letter finds that release."""
    need(pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        tab.goto(bundled_url + start)
        tab.locator("header form[role=search] input[name=q]").fill(number)
        tab.locator("header form[role=search] input[name=q]").press("Enter")
        tab.wait_for_selector("#search-results li")
        results = tab.locator("#search-results li h2 a").evaluate_all("links => links.map(a => a.pathname)")
        assert results[0] == found, results
    finally:
        tab.close()


def test_a_unit_page_links_to_its_own_feeds_in_each_language(tmp_path: Path) -> None:
    """A reader on a unit's page can follow that unit alone: its RSS, Atom and JSON Feed are
    linked on the page itself, and they carry that unit's releases only."""
    site = write_site(tmp_path / "site", {
        "content/berita/a.id.md": article("Paspor Keliling", unit="Divisi Keimigrasian"),
        "content/berita/a.en.md": article("Mobile Passports", unit="Immigration Division"),
        "content/berita/b.id.md": article("Remisi", unit="Divisi Pemasyarakatan"),
    }, SMALL_CONFIG)
    assert build(site, "--no-search").code == 0
    for url, title in (("/units/divisi-keimigrasian/", "Paspor Keliling"),
                       ("/en/units/immigration-division/", "Mobile Passports")):
        links = page(site, url).xpath("//main//p[contains(@class, 'list-feeds')]/a")
        assert [a.text for a in links] == ["RSS", "Atom", "JSON Feed"]
        assert [a.get("href") for a in links] == [url + "feed.xml", url + "atom.xml", url + "feed.json"]
        items = xml(site / "public" / url.lstrip("/") / "feed.xml").xpath("//item/title/text()")
        assert items == [title]


@pytest.mark.parametrize(("url", "label"), [
    ("/siaran-pers/2024/kanal-pengaduan-terpadu/", "Cetak"),
    ("/en/siaran-pers/2024/kanal-pengaduan-terpadu/", "Print"),
])
def test_a_release_offers_its_print_view(bundled_url: str, chromium: Any, url: str, label: str) -> None:
    """Each release has a Print button that opens the browser's print of the page, which
    prints as a clean document (the print style sheet hides the button itself)."""
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        tab.goto(bundled_url + url)
        tab.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
        button = tab.get_by_role("button", name=label, exact=True)
        button.click()
        assert tab.evaluate("window.printed") == 1
        tab.emulate_media(media="print")
        assert not button.is_visible()
        assert tab.locator(".site-header").is_hidden()
    finally:
        tab.close()
