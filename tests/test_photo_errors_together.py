"""Every photo problem of a release is reported in one run: an error in its front matter does
not hide one in its text, and a photo the text shows from another site is named (issue 20:
every image goes through the photo pipeline; one that cannot is said so, at its line)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import SMALL_CONFIG, Run, build, page, photo_file

A = "content/berita/a.id.md"


def _release(*lines: str, body: str) -> str:
    return "---\n" + "\n".join(["title: Rapat", "date: 2024-05-30T10:00:00+07:00", *lines]) + "\n---\n" + body + "\n"


def _said(result: Run, kind: str) -> list[str]:
    return [line for line in result.err.splitlines() if f": {kind}: " in line]


def test_a_front_matter_photo_error_does_not_hide_a_missing_photo_in_the_text(
        make_site: Callable[..., Path]) -> None:
    site = make_site({A: _release("image: /images/ok.jpg", body="Teks rilis.\n\n![Peserta](/images/hilang.jpg)"),
                      "static/images/ok.jpg": photo_file()}, SMALL_CONFIG)
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    errors = _said(result, "error")
    assert errors[0].startswith(f"{A}:4: error: the lead photo has no image_alt"), errors
    assert errors[1:] == [f"{A}:8: error: the file '/images/hilang.jpg' does not exist "
                          "(put it at static/images/hilang.jpg, or fix the name)"], errors
    assert not (site / "public").exists()


def test_a_bad_date_does_not_hide_a_missing_photo_in_the_text(make_site: Callable[..., Path]) -> None:
    text = "---\ntitle: Rapat\ndate: kemarin\n---\nTeks.\n\n![Peserta](/images/hilang.jpg)\n"
    result = build(make_site({A: text}, SMALL_CONFIG), "--no-search")
    assert result.code == 1, result.err
    errors = _said(result, "error")
    assert [e.split(": error: ")[0] for e in errors] == [f"{A}:3", f"{A}:7"], errors
    assert "/images/hilang.jpg" in errors[1]


def test_a_photo_in_the_text_from_another_site_is_warned_of_at_its_line(make_site: Callable[..., Path]) -> None:
    body = "Satu.\n\n![Luar](https://example.com/foto.jpg)\n\n<img src=\"//cdn.example.net/b.jpg\" alt=\"B\">\n"
    site = make_site({A: _release(body=body)}, SMALL_CONFIG)
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    hint = ("(readers' browsers fetch it from that site, and sitegen can neither resize it nor remove its "
            "location data: download it into static/images/ and write  ![what the photo shows](/images/foto.jpg))")
    assert _said(result, "warning") == [
        f"{A}:7: warning: photo 'https://example.com/foto.jpg' is a web address, not a file of this site {hint}",
        f"{A}:9: warning: photo '//cdn.example.net/b.jpg' is a web address, not a file of this site {hint}"]
    # left as written: the release still builds, as texts written before sitegen do
    srcs = page(site, "/berita/2024/a/").xpath("//div[@class='body']//img/@src")
    assert srcs == ["https://example.com/foto.jpg", "//cdn.example.net/b.jpg"]


def test_photo_errors_in_indonesian_are_indonesian(make_site: Callable[..., Path]) -> None:
    """A decimal comma for the megapixels, and no English words of the image library inside."""
    text = _release("image: /images/besar.jpg", "image_alt: Foto", body="Teks.\n\n![Rusak](/images/rusak.jpg)")
    config = SMALL_CONFIG + "ui_language: id\nimages:\n  max_megapixels: 1\n"
    cut = photo_file(1000, 800)[:400]
    site = make_site({A: text, "static/images/besar.jpg": photo_file(1500, 1000), "static/images/rusak.jpg": cut},
                     config)
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    errors = _said(result, "error")  # the severity stays as the error format has it
    assert len(errors) == 2, result.err
    assert "1,5 megapiksel" in errors[0] and "1.5" not in errors[0], errors[0]
    assert errors[1] == (f"{A}:9: error: foto '/images/rusak.jpg': foto rusak atau terpotong "
                         "(ekspor atau salin ulang foto itu)"), errors[1]


def test_a_damaged_photo_in_static_is_reported_with_the_errors_of_the_releases(
        make_site: Callable[..., Path]) -> None:
    """A photo cut short in static/ (no release names it) cannot be cleaned of its metadata, so
    it is not published: an error. The build said it only once the releases' errors were
    fixed, a run later; sitegen check said both at once."""
    whole = photo_file(320, 240, gps=True)
    site = make_site({A: _release("image: /images/ok.jpg", body="Teks rilis."),
                      "static/images/ok.jpg": photo_file(),
                      "static/images/terpotong.jpg": whole[: len(whole) // 2]}, SMALL_CONFIG)
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    errors = _said(result, "error")
    assert errors[0].startswith(f"{A}:4: error: the lead photo has no image_alt"), errors
    assert [e for e in errors if e.startswith("static/images/terpotong.jpg: error: ")], errors
    assert len(errors) == 2, errors


def test_front_matter_yaml_that_cannot_be_read_does_not_hide_a_missing_photo_in_the_text(
        make_site: Callable[..., Path]) -> None:
    """A quote never closed, a list never closed: the YAML error was all that was said, and the
    missing photo came up only once that was fixed."""
    for broken in ('title: "Kutip tak tertutup', "title: Rapat\ntags: [a"):
        site = make_site({A: f"---\n{broken}\ndate: 2024-05-30T10:00:00+07:00\n---\nIsi.\n\n"
                             "![Hilang](/images/tidak-ada.jpg)\n"}, SMALL_CONFIG, name=f"site{len(broken)}")
        result = build(site, "--no-search")
        assert result.code == 1, result.err
        errors = _said(result, "error")
        assert len(errors) == 2 and errors[1].startswith(f"{A}:"), result.err
        assert "'/images/tidak-ada.jpg' does not exist" in errors[1], result.err


def test_a_relative_image_of_a_text_below_unreadable_yaml_is_not_taken_for_missing(
        make_site: Callable[..., Path]) -> None:
    """The text's images are read from the release's address, which its date gives: below
    front matter YAML cannot read, the date as written on its line is used, not 1970."""
    site = make_site({"content/berita/r.id.md": '---\ntitle: "R\ndate: 2026-01-05T10:00:00+07:00\n---\nIsi.\n\n'
                                                "![Bagan](bagan.svg)\n"}, SMALL_CONFIG)
    (site / "static/berita/2026/r").mkdir(parents=True)
    (site / "static/berita/2026/r/bagan.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    result = build(site, "--no-search")
    errors = _said(result, "error")
    assert len(errors) == 1 and errors[0].startswith("content/berita/r.id.md:2: error: a quote opened"), result.err
