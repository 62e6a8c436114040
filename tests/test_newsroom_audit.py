"""Newsroom features checked against the issue's own words: the type of each attachment as
readers know it, and the bundled site's releases linked to their translations."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SMALL_CONFIG, article, build, build_bundled, page, write_site


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
