"""A photo's credit that already says what the picture is ("Ilustrasi: ...", "Dok. ...") is
shown as written: the theme put "Foto:" before every credit, so it read "Foto: Ilustrasi:
Humas", under the lead photo and in the gallery alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.render.templates import credit_line
from tests.conftest import article, build, page, photo_file, write_site

#: Each credit as written, and as shown under an Indonesian release's photos.
SHOWN = {
    "Ilustrasi: Humas Kemenkes": "Ilustrasi: Humas Kemenkes",
    "ilustrasi Humas": "ilustrasi Humas",
    "Illustration: Public Relations": "Illustration: Public Relations",
    "Dok. Humas Pemkot Padang": "Dok. Humas Pemkot Padang",
    "Dokumentasi Biro Umum": "Dokumentasi Biro Umum",
    "Documentation/Bureau": "Documentation/Bureau",
    "FOTO: Antara": "FOTO: Antara",
    "Photo: Reuters": "Photo: Reuters",
    "Budi Santoso": "Foto: Budi Santoso",
    "Dokter Ani": "Foto: Dokter Ani",  # a word that only starts like a label is a name
    "Fotografer Humas": "Foto: Fotografer Humas",
    "Dok. <b>Humas</b>": "Dok. <b>Humas</b>",  # text, as every credit: escaped
}


@pytest.mark.parametrize(("credit", "shown"), SHOWN.items())
def test_a_labelled_credit_keeps_its_own_label(credit: str, shown: str) -> None:
    assert credit_line(credit, "Foto") == shown


def test_release_and_gallery_credits_are_labelled_once(tmp_path: Path) -> None:
    credits = list(SHOWN)
    gallery = [{"path": "/images/foto.jpg", "alt": f"Foto {n}", "caption": f"Keterangan {n}", "credit": credit}
               for n, credit in enumerate(credits)]
    files: dict[str, str | bytes] = {
        "static/images/foto.jpg": photo_file(800, 600),
        "content/berita/ilustrasi.id.md": article("Ilustrasi", image="/images/foto.jpg", image_alt="Ilustrasi",
                                                  image_caption="Gedung kantor.", image_credit="Ilustrasi: Humas",
                                                  gallery=gallery),
        "content/berita/ilustrasi.en.md": article("Illustration", image="/images/foto.jpg", image_alt="Drawing",
                                                  image_credit="Humas", gallery=gallery[:2]),
    }
    root = write_site(tmp_path / "site", files)
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    release = page(root, "/berita/2024/ilustrasi/")
    assert release.xpath("string(//figure[@class='lead-image']//span[@class='credit'])") == "Ilustrasi: Humas"
    shown = [span.text_content() for span in release.xpath("//figure[@class='gallery-item']//span[@class='credit']")]
    assert shown == list(SHOWN.values())
    english = page(root, "/en/berita/2024/ilustrasi/")
    assert english.xpath("string(//figure[@class='lead-image']//span[@class='credit'])") == "Photo: Humas"
    shown = [span.text_content() for span in english.xpath("//figure[@class='gallery-item']//span[@class='credit']")]
    assert shown == ["Ilustrasi: Humas Kemenkes", "ilustrasi Humas"]
