"""WCAG 2.1 AA: axe-core in Debian's headless Chromium finds no violation on the bundled site.

axe-core comes from npm (``npm install --prefix .ci/.tools axe-core``); ``AXE_JS`` may name
another copy of ``axe.min.js``. The browser, build and serve helpers live in conftest.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitegen.searchindex import pagefind_binary
from tests.conftest import REPO, need

AXE_DEFAULT = REPO / ".ci" / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEED_ID = "/berita/2024/pembinaan-humas-kemenkumham-sumbar/"
SEED_EN = "/en/berita/2024/pembinaan-humas-kemenkumham-sumbar/"


def axe_path() -> Path | None:
    path = Path(os.environ.get("AXE_JS") or AXE_DEFAULT)
    return path if path.is_file() else None


# Home, a list, a release and the search page (with results shown), in both languages.
PAGES = [("/", None), ("/berita/", None), (SEED_ID, None), ("/search/?q=P2MA", "#search-results li"),
         ("/en/", None), ("/en/berita/", None), (SEED_EN, None),
         ("/en/search/?q=E-Lapor", "#search-results li")]


def violations(page: Any, axe: Path) -> list[str]:
    page.add_script_tag(path=str(axe))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in result["violations"]]


@pytest.fixture(scope="module")
def views(chromium: Any) -> Iterator[dict[str, Any]]:
    """Contrast in both colour schemes, and the phone layout: one tab each, reused per page."""
    tabs = {f"{scheme} {width}px": chromium.new_page(viewport={"width": width, "height": 800},
                                                     color_scheme=scheme)
            for scheme, width in (("light", 1280), ("dark", 1280), ("light", 375))}
    yield tabs
    for tab in tabs.values():
        tab.close()


@pytest.mark.parametrize(("url", "ready"), PAGES)
def test_no_axe_violations_in_light_dark_and_phone(bundled_url: str, views: dict[str, Any], url: str,
                                                  ready: str | None) -> None:
    axe = axe_path()
    need(axe, "axe-core (npm install --prefix .ci/.tools axe-core, or set AXE_JS)")
    assert axe is not None
    if ready:
        need(pagefind_binary(), "Pagefind, for search results (pip install 'pagefind[bin]')")
    found = {}
    for name, page in views.items():
        page.goto(bundled_url + url)
        if ready:  # the search page: check it with its results on screen
            page.wait_for_selector(ready)
        found[name] = violations(page, axe)
    assert found == {name: [] for name in views}


def test_axe_does_report_a_violation(chromium: Any) -> None:
    """The harness itself: an image without alt text and low-contrast text are caught."""
    axe = axe_path()
    need(axe, "axe-core (npm install --prefix .ci/.tools axe-core, or set AXE_JS)")
    assert axe is not None
    page = chromium.new_page()
    page.set_content('<!DOCTYPE html><html lang="en"><title>t</title><main><img src="x.png">'
                     '<p style="color:#aaa;background:#fff">faint</p></main></html>')
    found = " ".join(violations(page, axe))
    page.close()
    assert "image-alt" in found and "color-contrast" in found


_RING = """(selector) => { const a = document.querySelector(selector); a.focus({focusVisible: true});
    let s = getComputedStyle(a), bg = 'rgba(0, 0, 0, 0)';
    for (let e = a.parentElement; e && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent'); e = e.parentElement)
        bg = getComputedStyle(e).backgroundColor;
    return [s.outlineStyle, s.outlineColor, bg]; }"""


def _contrast(first: str, second: str) -> float:
    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_rings_stand_out_from_what_is_behind_them(bundled_url: str, chromium: Any, scheme: str) -> None:
    """WCAG 2.4.7 and 1.4.11: a ring of at least 3:1 against its background, in the coloured
    header, the light menu bar below it and the page."""
    page = chromium.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page.goto(bundled_url + SEED_ID)
    page.keyboard.press("Tab")  # keyboard mode: :focus-visible from here on
    for selector in (".brand", ".site-nav a", "#header-q", "main a[href]"):
        style, ring, behind = page.evaluate(_RING, selector)
        assert style != "none" and _contrast(ring, behind) >= 3, (scheme, selector, ring, behind)
    page.close()


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(bundled_url: str,
                                                                   chromium: Any) -> None:
    page = chromium.new_page(viewport={"width": 375, "height": 700})
    page.goto(bundled_url + SEED_ID)
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect(),
        s = getComputedStyle(a);
        return {href: a.getAttribute('href'), top: r.top, bottom: r.bottom, outline: s.outlineStyle,
                width: parseFloat(s.outlineWidth)}; }""")
    assert focused["href"] == "#main"
    assert focused["top"] >= 0 and focused["bottom"] > focused["top"]  # on screen once focused
    assert focused["outline"] != "none" and focused["width"] >= 2
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the release, not back in the header
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    page.close()


def test_a_cards_two_links_do_not_look_alike_when_focused(bundled_url: str, chromium: Any) -> None:
    """WCAG 2.4.7: a card's section link and its headline link (which covers the card) showed
    the same outline, the card's, so a keyboard user could not tell which had focus."""
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.goto(bundled_url + "/")
    card = page.locator(".card").first
    shots = {}
    for name, link in (("section", card.locator(".card-section a")), ("headline", card.locator(".card-title a"))):
        page.keyboard.press("Tab")  # keyboard mode: :focus-visible
        link.focus()
        assert page.evaluate("document.activeElement.matches(':focus-visible')")
        looks = page.evaluate("""() => { const a = document.activeElement, card = a.closest('.card');
            return [getComputedStyle(a).outlineStyle, getComputedStyle(card).outlineStyle]; }""")
        shots[name] = (looks, card.screenshot(animations="disabled"))
    page.close()
    assert shots["section"][0] == ["solid", "solid"]  # its own ring, inside the card's
    assert shots["headline"][0] == ["none", "solid"]  # the card's outline is the headline's
    assert shots["section"][1] != shots["headline"][1]
