"""A reader's journeys through the bundled site in headless Chromium, and screenshots of it
(tests/artifacts/, git-ignored) for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from sitegen import searchindex
from sitegen.searchindex import pagefind_binary
from tests.conftest import REPO, article, build, need, serve
from tests.test_accessibility import SEED_EN, SEED_ID

ARTIFACTS = REPO / "tests" / "artifacts"
PHOTO_RELEASE = "/berita/2024/remisi-umum-hut-ri-79/"
SEED_TITLE = "Kanwil Kemenkumham Sumbar Ikuti Pembinaan dan Koordinasi Humas Hukum dan Kerja Sama"


@pytest.fixture
def tab(chromium: Any) -> Iterator[Any]:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def path_of(tab: Any, base: str) -> str:
    return str(tab.url).removeprefix(base)


def test_home_to_a_release_through_pagination_then_its_translation(bundled_url: str, tab: Any) -> None:
    tab.goto(bundled_url + "/")
    assert tab.get_attribute("html", "lang") == "id"
    # Page through the home list, older and older, until the seed release shows up.
    pages_seen = 1
    while not tab.get_by_role("link", name=SEED_TITLE, exact=True).count():
        assert tab.locator("link[rel=next]").count() == 1
        tab.locator("nav.pagination a[rel=next]").click()
        tab.wait_for_load_state("domcontentloaded")  # the click returns once the address changed
        pages_seen += 1
        assert path_of(tab, bundled_url) == f"/page/{pages_seen}/"
        assert tab.locator("link[rel=prev]").count() == 1
    assert pages_seen > 1
    tab.get_by_role("link", name=SEED_TITLE, exact=True).click()
    assert path_of(tab, bundled_url) == SEED_ID
    assert tab.locator("h1").inner_text() == SEED_TITLE
    # The switcher names English in English and leads to this release's translation.
    tab.get_by_role("navigation", name="Bahasa").get_by_role("link", name="English").click()
    assert path_of(tab, bundled_url) == SEED_EN
    assert tab.get_attribute("html", "lang") == "en"
    assert tab.locator("h1").inner_text().startswith("West Sumatra Law and Human Rights Office")
    back = tab.get_by_role("navigation", name="Language").get_by_role("link", name="Bahasa Indonesia")
    assert back.get_attribute("href") == SEED_ID


@pytest.mark.parametrize(("start", "word", "found", "lang"), [
    ("/", "P2MA", SEED_ID, "id"),
    ("/en/", "E-Lapor", SEED_EN, "en"),
])
def test_search_from_the_header_finds_the_seed_release_in_the_pages_language(
        bundled_url: str, tab: Any, start: str, word: str, found: str, lang: str) -> None:
    need(pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    tab.goto(bundled_url + start)
    tab.locator("header form[role=search] input[name=q]").fill(word)
    tab.locator("header form[role=search] input[name=q]").press("Enter")
    tab.wait_for_selector("#search-results li")
    assert tab.get_attribute("html", "lang") == lang
    assert tab.locator("#search-q").input_value() == word
    results = tab.locator("#search-results li h2 a").evaluate_all("links => links.map(a => a.pathname)")
    assert found in results
    prefix = "/en/" if lang == "en" else "/"
    assert all(r.startswith(prefix) and not (lang == "id" and r.startswith("/en/")) for r in results)
    assert word.lower() in tab.locator("#search-results mark").first.inner_text().lower()
    assert word in tab.locator("#search-status").inner_text()  # announced to screen readers


def test_search_page_says_so_when_nothing_matches(bundled_url: str, tab: Any) -> None:
    need(pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    tab.goto(bundled_url + "/en/search/")
    tab.get_by_label("Search this site").fill("zzzqqxy")
    tab.get_by_role("button", name="Search").click()
    tab.wait_for_function("document.getElementById('search-status').textContent.includes('zzzqqxy')")
    assert tab.locator("#search-status").inner_text() == "No results for “zzzqqxy”."
    assert tab.locator("#search-results li").count() == 0


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_screenshots_of_home_and_a_release(bundled_url: str, chromium: Any, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = chromium.new_page(viewport={"width": width, "height": 900})
    for name, url in (("home", "/"), ("release", PHOTO_RELEASE)):
        page.goto(bundled_url + url)
        # Nothing may stick out sideways, down to a phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        target = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    page.close()


def test_a_release_prints_with_its_address(bundled_url: str, chromium: Any) -> None:
    page = chromium.new_page()
    page.goto(bundled_url + PHOTO_RELEASE)  # photo, table, attachments: the longest sample
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.site-header', '.site-footer', '.share', '.prev-next']
        .map(s => document.querySelector(s)).filter(e => e && getComputedStyle(e).display !== 'none')""")
    assert hidden == []
    # at the very end, after the side column's press contact and attachments
    address = page.evaluate("getComputedStyle(document.querySelector('.release-layout'), '::after').content")
    assert address == '"https://humas.example.go.id' + PHOTO_RELEASE + '"'
    issuer = page.evaluate("getComputedStyle(document.querySelector('.release'), '::before').content")
    assert issuer == '"Humas Kanwil Contoh"'
    pdf = page.pdf(format="A4")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "release-print.pdf").write_bytes(pdf)
    assert 1 <= len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) <= 2  # one or two sheets
    # The longest releases, on either paper (US Letter, Playwright's own, is the shorter sheet):
    # the English seed printed a third sheet with only its press contact on Letter.
    for url in (PHOTO_RELEASE, SEED_ID, SEED_EN):
        page.goto(bundled_url + url)
        page.emulate_media(media="print")
        for paper in ("A4", "Letter"):
            sheets = len(re.findall(rb"/Type\s*/Page\b(?!s)", page.pdf(format=paper)))
            assert 1 <= sheets <= 2, (url, paper, sheets)
    page.close()


def test_without_pagefind_the_search_page_says_search_is_unavailable(
        make_site: Any, chromium: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(searchindex, "pagefind_binary", lambda: None)
    site = make_site({"content/berita/x.en.md": article("Report", body="The P2MA app.")})
    assert build(site).code == 0
    page = chromium.new_page()
    with serve(site / "public") as base:
        page.goto(base + "/en/search/?q=P2MA")
        page.wait_for_function("document.getElementById('search-status').textContent.length > 20")
        assert page.locator("#search-status").inner_text().startswith("Search is not available")
        page.goto(base + "/en/berita/2024/x/")  # the rest of the site reads as usual
        assert page.locator("h1").inner_text() == "Report"
    page.close()
