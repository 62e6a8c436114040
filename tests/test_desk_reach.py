"""The desk for a screen reader, a keyboard and a finger (an outside audit of issue 21): the
gallery's and attachments' problems said at their fields, words of the other language marked
as such, no invisible Tab stop, and links standing alone at least 24 px tall."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser

from sitegen.desk.app import PREFIX
from tests.conftest import article
from tests.desk_helpers import desk_server
from tests.test_desk import ARTICLE, small_site

GALLERY = "content/berita/2024-06-05-galeri.id.md"
GALLERY_TEXT = article("Galeri Kegiatan", body="Isi.", draft=True,
                       gallery=[{"path": "/images/a.jpg", "credit": "Humas"}],
                       attachments=[{"path": "/files/tidak-ada.pdf", "title": "Surat"}])


def test_gallery_and_attachment_problems_are_said_at_their_fields(make_site: Callable[..., Path]) -> None:
    """Audit: the problems were shown in the fieldset, linked to no field and marking none
    invalid; every photo's fields had one name ("Description of the photo (alt text)")."""
    site = small_site(make_site, **{GALLERY: GALLERY_TEXT})
    with desk_server(site) as srv:
        page = srv.client().get(f"edit?file={GALLERY}").page()
    assert page.get_element_by_id("err-gallery").text_content().strip()
    assert page.get_element_by_id("err-attachments").text_content().strip()
    for field in ("gal-alt-1", "gal-credit-1"):
        found = page.get_element_by_id(field)
        assert "err-gallery" in found.get("aria-describedby", "").split() and found.get("aria-invalid") == "true"
    title = page.get_element_by_id("att-title-1")
    assert "err-attachments" in title.get("aria-describedby", "").split() and title.get("aria-invalid") == "true"
    assert page.xpath("string(//label[@for='gal-alt-1'])").endswith("(/images/a.jpg)")
    assert page.xpath("string(//label[@for='att-title-1'])").endswith("(/files/tidak-ada.pdf)")


def test_words_of_the_other_language_are_marked_with_it(make_site: Callable[..., Path]) -> None:
    """Audit: the translation screen's source (its title, summary and text) and All releases'
    titles of the other language had no lang: a screen reader read them in the desk's."""
    site = small_site(make_site)
    twin = ARTICLE.replace(".id.md", ".en.md")
    with desk_server(site) as srv:
        client = srv.client()
        edit = client.get(f"edit?file={twin}").page()
        overview = client.get("").page()
    source = edit.xpath("//section[@class='source-version']")[0]
    assert [d.get("lang") for d in source.xpath(".//dd")] == ["id", "id"]
    assert source.xpath(".//pre[@class='source']/@lang") == ["id"]
    assert overview.get("lang") == "en"  # the tests' desk speaks English
    links = {a.text_content(): a.get("lang") for a in overview.xpath("//table[@class='releases']//td[1]/a")}
    assert links["Rapat Koordinasi"] == "id" and links["Coordination Meeting"] is None, links


def test_no_invisible_tab_stop_and_links_standing_alone_are_24_px(make_site: Callable[..., Path],
                                                                  chromium: Browser) -> None:
    """Audit: the preview was a Tab stop with no focus ring (the focus goes into the frame); the
    header's link, the file's line of links and the history's links were 19 px tall."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fresh = client.get(client.get("new?section=berita&lang=id").headers["Location"]).page()
        assert fresh.get_element_by_id("preview").get("tabindex") == "-1"  # also before it shows anything
        tab = chromium.new_page(viewport={"width": 360, "height": 740})
        try:
            heights = {}
            for path, selector in ((f"edit?file={ARTICLE}", ".brand a, .file a"),
                                   (f"history?file={ARTICLE}", "main > p > a")):
                tab.goto(f"http://127.0.0.1:{srv.port}{PREFIX}{path}")
                for link in tab.locator(selector).all():
                    heights[link.inner_text()] = link.bounding_box()["height"]  # type: ignore[index]
            tab.goto(f"http://127.0.0.1:{srv.port}{PREFIX}edit?file={ARTICLE}")
            stops = set()
            for _ in range(80):  # Tab through the whole form
                tab.keyboard.press("Tab")
                stops.add(tab.evaluate("document.activeElement.tagName"))
        finally:
            tab.close()
    assert len(heights) >= 4 and all(height >= 24 for height in heights.values()), heights
    assert "IFRAME" not in stops and "TEXTAREA" in stops
