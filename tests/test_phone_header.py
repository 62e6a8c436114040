"""The header on a phone: Debian's headless Chromium with mobile emulation at 360x740 (device
pixel ratio 2) and 412x915 (ratio 3), on the bundled site. The header took 331 px of a 360 px
phone's 740 (the office's name on four lines, the language link on a row of its own, the menu
on three rows, then the search row), so a release's lead photo started below the first screen.
Now it takes under 170 px: the name on two lines of smaller type, the menu on one row that
scrolls sideways with the language link beside it, the search field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import need
from tests.test_accessibility import axe_path
from tests.test_reader_phone_release import PHONES, phone

RELEASE = "/siaran-pers/2025/indeks-kepuasan-masyarakat/"  # with a lead photo
PAGES = ["/", RELEASE, "/en/"]
MOST = 170  # px of header, of a first screen of 740 or 915
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: The header's height, the rows of the menu, what the page and its first screen hold.
MEASURE = """() => {
  const box = e => e.getBoundingClientRect(), header = box(document.querySelector('.site-header'));
  const lines = e => { const range = document.createRange(); range.selectNodeContents(e);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size; };
  const language = document.querySelector('.lang-switcher a'), at = box(language);
  const hit = document.elementFromPoint(at.left + at.width / 2, at.top + at.height / 2);
  const lead = document.querySelector('.lead-image img');
  return {header: Math.round(header.height),
          menuRows: new Set([...document.querySelectorAll('.site-nav nav a')].map(a => Math.round(box(a).top))).size,
          pageWidth: document.scrollingElement.scrollWidth, viewport: innerWidth,
          brandLines: lines(document.querySelector('.brand-lines')),
          languageShown: at.left >= 0 && at.right <= innerWidth && at.top >= 0 && at.bottom <= innerHeight
                         && (hit === language || language.contains(hit)),
          leadShown: lead ? box(lead).bottom <= innerHeight : null}; }"""


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
@pytest.mark.parametrize("url", PAGES)
def test_the_header_takes_a_fifth_of_a_phone_screen_and_the_menu_one_row(
        bundled_url: str, chromium: Any, url: str, width: int, height: int, ratio: int) -> None:
    with phone(chromium, width, height, ratio) as tab:
        tab.goto(bundled_url + url)
        found = tab.evaluate(MEASURE)
    assert found["header"] <= MOST, found
    # The English ministry's name (48 letters) wraps once at 360 px: whole words, never cut.
    lines = 3 if (url, width) == ("/en/", 360) else 2
    assert {**found, "header": "short"} == {
        "header": "short", "menuRows": 1, "pageWidth": width, "viewport": width, "brandLines": lines,
        "languageShown": True, "leadShown": True if url == RELEASE else None}


#: The focused element: a menu link's text, whether it shows whole (in the screen and in the
#: menu's scrolling box), and whether the page itself moved sideways.
FOCUSED = """() => { const a = document.activeElement, menu = document.querySelector('.site-nav ul');
  if (!menu.contains(a)) return null;
  const at = a.getBoundingClientRect(), box = menu.getBoundingClientRect();
  return [a.textContent.trim(), at.left >= 0 && at.right <= innerWidth && at.top >= 0 && at.bottom <= innerHeight,
          at.left >= box.left && at.right <= box.right, scrollX]; }"""


def tab_through_menu(tab: Any) -> list[list[Any]]:
    """Press Tab from the top of the page until focus has passed the menu."""
    seen: list[list[Any]] = []
    for _ in range(30):
        tab.keyboard.press("Tab")
        state = tab.evaluate(FOCUSED)
        if state is None and seen:
            return seen
        if state is not None:
            seen.append(state)
    return seen


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
@pytest.mark.parametrize("url", PAGES)
def test_tab_reaches_every_menu_link_and_shows_it_whole(bundled_url: str, chromium: Any, url: str,
                                                        width: int, height: int, ratio: int) -> None:
    """No link is left cut at the menu's edge when it has focus (menu.js scrolls it clear of
    the fade), the page never moves sideways, and focus goes on past the menu."""
    with phone(chromium, width, height, ratio) as tab:
        tab.goto(bundled_url + url)
        links = tab.eval_on_selector_all(".site-nav nav a", "links => links.map(a => a.textContent.trim())")
        overflows = tab.eval_on_selector(".site-nav ul", "u => u.scrollWidth > u.clientWidth")
        seen = tab_through_menu(tab)
        after = tab.evaluate("document.activeElement.id")
    assert overflows  # the row does scroll: the test is about something
    assert seen == [[name, True, True, 0] for name in links]
    assert after == "header-q"  # on to the search field: focus is not held in the menu


@pytest.mark.parametrize("url", ["/", "/en/"])
def test_without_script_the_menu_is_one_row_and_tab_reaches_every_link(bundled_url: str, chromium: Any,
                                                                      url: str) -> None:
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                   is_mobile=True, has_touch=True, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(bundled_url + url)
        found = tab.evaluate(MEASURE)
        links = tab.eval_on_selector_all(".site-nav nav a", "links => links.map(a => a.textContent.trim())")
        seen = tab_through_menu(tab)
    finally:
        context.close()
    assert (found["header"] <= MOST, found["menuRows"], found["pageWidth"]) == (True, 1, 360)
    # in the screen, if perhaps cut at the menu's edge: Chromium scrolls only a link out of sight
    assert [(name, shown, moved) for name, shown, _, moved in seen] == [(name, True, 0) for name in links]


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
def test_the_current_pages_menu_link_is_marked_and_in_view_on_load(bundled_url: str, chromium: Any,
                                                                   width: int, height: int, ratio: int) -> None:
    """Contact and About stand last in the menu, off to the side of a phone's row: the page
    opens with its own link scrolled into view, not the page scrolled."""
    with phone(chromium, width, height, ratio) as tab:
        found = {}
        tab.goto(bundled_url + "/")
        addresses = tab.eval_on_selector_all(".site-nav nav a", "links => links.map(a => a.pathname)")
        for address in addresses + ["/en/contact/", "/en/about/"]:
            tab.goto(bundled_url + address)
            found[address] = tab.evaluate("""() => { const a = document.querySelector('.site-nav [aria-current=page]');
                if (!a) return 'not marked';
                const at = a.getBoundingClientRect(), box = a.closest('ul').getBoundingClientRect();
                return at.left >= box.left && at.right <= box.right && scrollY === 0 ? 'in view' : 'off'; }""")
    assert len(addresses) == 6 and "/tentang/" in addresses
    assert found == {address: "in view" for address in found}


#: Which sides of the menu fade, and whether the row is masked at all.
EDGES = """() => { const menu = document.querySelector('.site-nav ul'), style = getComputedStyle(menu);
  return [menu.classList.contains('more-before'), menu.classList.contains('more-after'),
          (style.maskImage || style.webkitMaskImage).includes('gradient')]; }"""


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
def test_the_menu_fades_on_the_side_where_more_links_are(bundled_url: str, chromium: Any, width: int,
                                                         height: int, ratio: int) -> None:
    with phone(chromium, width, height, ratio) as tab:
        tab.goto(bundled_url + "/")
        start = tab.evaluate(EDGES)
        tab.eval_on_selector(".site-nav ul", "u => { u.scrollLeft = 60; }")
        tab.wait_for_function("document.querySelector('.site-nav ul').classList.contains('more-before')")
        middle = tab.evaluate(EDGES)
        tab.eval_on_selector(".site-nav ul", "u => { u.scrollLeft = u.scrollWidth; }")
        tab.wait_for_function("!document.querySelector('.site-nav ul').classList.contains('more-after')")
        end = tab.evaluate(EDGES)
    assert (start, middle, end) == ([False, True, True], [True, True, True], [True, False, True])


def test_a_desktop_keeps_its_header(bundled_url: str, chromium: Any) -> None:
    """At 1280 px nothing of the phone's header applies: the language link in the coloured
    band beside the name, the menu on one row that does not scroll and does not fade."""
    tab = chromium.new_page(viewport={"width": 1280, "height": 800})
    try:
        tab.goto(bundled_url + "/")
        found = tab.evaluate("""() => { const box = s => document.querySelector(s).getBoundingClientRect();
            const menu = document.querySelector('.site-nav ul'), style = getComputedStyle(menu);
            return [box('.lang-switcher').bottom <= box('.header-inner').bottom, style.overflowX,
                    style.maskImage || style.webkitMaskImage, menu.className]; }""")
    finally:
        tab.close()
    assert found == [True, "visible", "none", ""]


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_phone_header(bundled_url: str, chromium: Any, scheme: str, width: int,
                                               height: int, ratio: int) -> None:
    axe = axe_path()
    need(axe, "axe-core (npm install --prefix .ci/.tools axe-core, or set AXE_JS)")
    context = chromium.new_context(viewport={"width": width, "height": height}, device_scale_factor=ratio,
                                   is_mobile=True, has_touch=True, color_scheme=scheme)
    tab = context.new_page()
    found = {}
    try:
        for url in PAGES:
            tab.goto(bundled_url + url)
            tab.add_script_tag(path=str(axe))
            result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
            found[url] = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
                          for v in result["violations"]]
    finally:
        context.close()
    assert found == {url: [] for url in PAGES}
