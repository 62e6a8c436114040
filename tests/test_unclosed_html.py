"""Raw HTML in a release's text that leaves a comment or a text-only element open (a "<!--"
never ended, a "<textarea>" never closed) is closed at the end of the text: a browser would
otherwise read the page's own markup after it, side column and footer, as part of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from tests.conftest import article, build


@pytest.mark.parametrize("raw", ["<div>\n<!--\nCatatan redaksi", "<textarea>\nteks", "<script>\nvar a = 1;",
                                 "<div>\n<title>Judul"])
def test_a_comment_or_element_left_open_in_the_text_does_not_hide_the_rest_of_the_page(
        make_site: Callable[..., Path], raw: str) -> None:
    site = make_site({"content/berita/2024-05-30-rapat.id.md": article("Rapat", body=f"Isi berita.\n\n{raw}\n")})
    assert build(site, "--no-search").code == 0
    page = html.fromstring((site / "public/berita/2024/rapat/index.html").read_bytes())
    assert page.xpath("//footer") and page.xpath("//h1[normalize-space()='Rapat']")
    assert "Isi berita." in page.xpath("string(//article)")


def test_text_that_closes_what_it_opens_is_left_as_written() -> None:
    from sitegen.content.markdown import closed

    written = '<!-- catatan --><script>a()</script><a title="<!--">x</a><textarea>t</textarea><!---->'
    assert closed(written) == written
