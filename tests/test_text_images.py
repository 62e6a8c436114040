"""Images in a release's text: each problem at the line of its own image, and alt text asked
of every image (the README: 'An image in the text without alt text, ![](...), is a warning')."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import build, photo_file

TEXT = """---
title: Baris
date: 2024-05-30T10:00:00+07:00
---
A ![Luar](https://cdn.example.com/foto.jpg)

B ![Luar lagi](//cdn.example.com/foto.jpg)

C ![Satu](/images/lama.jpg)

D ![Dua](images/lama.jpg)

![](/images/anim.gif)

![](/images/bagan.svg)

![](/images/rapat.jpg)
"""


def test_each_image_s_problem_is_said_at_its_own_line(make_site: Callable[..., Path]) -> None:
    """An address that is the end of an earlier one (//cdn... in https://cdn..., images/x.jpg
    in /images/x.jpg) was found inside it: its problem was said at the earlier line, or lost."""
    from PIL import Image

    site = make_site({"content/berita/baris.id.md": TEXT})
    (site / "static/images").mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(site / "static/images/anim.gif")
    (site / "static/images/bagan.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    (site / "static/images/rapat.jpg").write_bytes(photo_file())
    result = build(site, "--no-search")
    said = [line.split(" (")[0] for line in result.err.splitlines() if line.startswith("content/")]
    where = "content/berita/baris.id.md"
    assert said == [
        f"{where}:5: warning: photo 'https://cdn.example.com/foto.jpg' is a web address, not a file of this site",
        f"{where}:7: warning: photo '//cdn.example.com/foto.jpg' is a web address, not a file of this site",
        f"{where}:9: error: the file '/images/lama.jpg' does not exist",
        f"{where}:11: error: the file '/images/lama.jpg' does not exist",
        f"{where}:13: warning: the image '/images/anim.gif' in the text has no alt text",
        f"{where}:15: warning: the image '/images/bagan.svg' in the text has no alt text",
        f"{where}:17: warning: the image '/images/rapat.jpg' in the text has no alt text",
    ], result.err


def test_an_image_in_raw_html_with_an_unquoted_address_is_said_at_its_line(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/berita/peta.id.md": "---\ntitle: Peta\ndate: 2024-05-30T10:00:00+07:00\n---\n"
                                                   "Isi.\n\nLagi.\n\n<img src=/images/hilang.jpg alt=\"Peta\">\n"})
    result = build(site, "--no-search")
    assert "content/berita/peta.id.md:9: error: the file '/images/hilang.jpg' does not exist" in result.err, result.err


def test_an_image_is_said_at_its_own_line_not_where_its_address_is_only_named(
        make_site: Callable[..., Path]) -> None:
    """The address named in a sentence, or in an old image kept in an HTML comment, above the
    image itself: the error was said at that line."""
    site = make_site({"content/berita/foto.id.md": "---\ntitle: Foto\ndate: 2024-06-01T10:00:00+07:00\n---\n"
                                                   "Foto /images/rapat.jpg dikirim lewat surel.\n\n"
                                                   "<!-- lama: ![x](/images/rapat.jpg) -->\n\n"
                                                   "![Peserta rapat](/images/rapat.jpg)\n\n"
                                                   "[ref]: /images/lain.jpg\n\n![Lain][ref]\n"})
    result = build(site, "--no-search")
    errors = [line.split(" (")[0] for line in result.err.splitlines() if ": error: " in line]
    assert errors == ["content/berita/foto.id.md:9: error: the file '/images/rapat.jpg' does not exist",
                      "content/berita/foto.id.md:11: error: the file '/images/lain.jpg' does not exist"], result.err
