"""Every kind of page of the bundled site, in Debian's headless Chromium: nothing sticks out
sideways at a phone's 320 px or on a wide screen, and the browser asks no other host for
anything (no CDN, web font or tracker), whatever the HTML, CSS or script would load."""

from __future__ import annotations

from typing import Any

import pytest

#: Home, lists and their later pages, a release with a photo, table and gallery, term
#: indexes, a yearly archive, static pages, search and 404, in both languages.
PAGES = ["/", "/en/", "/page/2/", "/berita/", "/en/berita/", "/siaran-pers/",
         "/berita/2024/pembinaan-humas-kemenkumham-sumbar/", "/en/berita/2024/pembinaan-humas-kemenkumham-sumbar/",
         "/berita/2025/penyuluhan-hukum-nagari/", "/siaran-pers/2026/pos-layanan-hukum-terpadu/",
         "/tags/", "/en/tags/", "/tags/humas/", "/categories/", "/units/", "/archive/", "/archive/2024/",
         "/tentang/", "/en/about/", "/kontak/", "/search/?q=humas", "/en/search/?q=office", "/404.html",
         "/en/404.html"]


@pytest.mark.parametrize("width", [320, 1280])
def test_no_page_is_wider_than_the_screen_or_loads_from_another_host(bundled_url: str, chromium: Any,
                                                                     width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 800})
    elsewhere: list[str] = []
    context.on("request", lambda request: elsewhere.append(request.url)
               if not request.url.startswith((bundled_url + "/", "data:")) else None)
    page = context.new_page()
    try:
        for url in PAGES:
            response = page.goto(bundled_url + url)
            assert response is not None and response.status == 200, url
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (url, width)
    finally:
        context.close()
    assert elsewhere == []
