"""The header on a phone: Debian's headless Chromium with mobile emulation at 360x740 (device
pixel ratio 2) and 412x915 (ratio 3), on the bundled site. The header took 331 px of a 360 px
phone's 740 (the office's name on four lines, the language link on a row of its own, the menu
on three rows, then the search row), so a release's lead photo started below the first screen.
Now it takes under 170 px: the name on two lines of smaller type, the language link and the
menu on one row (the menu scrolls sideways), the search field."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest

from tests.conftest import article, build, need, serve, write_site
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
#: menu's scrolling box), whether the page itself moved sideways, and how much of its width
#: shows (in the box and the screen).
FOCUSED = """() => { const a = document.activeElement, menu = document.querySelector('.site-nav ul');
  if (!menu.contains(a)) return null;
  const at = a.getBoundingClientRect(), box = menu.getBoundingClientRect();
  return [a.textContent.trim(), at.left >= 0 && at.right <= innerWidth && at.top >= 0 && at.bottom <= innerHeight,
          at.left >= box.left && at.right <= box.right, scrollX,
          Math.min(at.right, box.right, innerWidth) - Math.max(at.left, box.left, 0)]; }"""


def tab_until_past(tab: Any, where: str, most: int) -> list[Any]:
    """Press Tab from the top of the page (at most ``most`` times) until focus has passed the
    part whose focused element the script ``where`` describes (null outside it): each description."""
    seen: list[Any] = []
    for _ in range(most):
        tab.keyboard.press("Tab")
        state = tab.evaluate(where)
        if state is None and seen:
            return seen
        if state is not None:
            seen.append(state)
    return seen


def tab_through_menu(tab: Any) -> list[list[Any]]:
    """Press Tab from the top of the page until focus has passed the menu."""
    return tab_until_past(tab, FOCUSED, 30)


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
    assert [state[:4] for state in seen] == [[name, True, True, 0] for name in links]
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
    # in sight, if perhaps cut at the menu's edge (on the right, the screen's): Chromium scrolls
    # only a link out of sight
    assert [(name, part > 0, moved) for name, _, _, moved, part in seen] == [(name, True, 0) for name in links]


#: The focused menu link: its text, the left and right edges of its focus ring (its box and
#: the outline beyond it), and the part of the menu's row that shows unfaded: the scrolling
#: box, less 2.5rem on each side whose fade its mask draws (menu.js says which; all of it
#: when no mask applies); measured once the row has scrolled and its classes follow. Null
#: outside the menu.
RING = """async () => { const a = document.activeElement, menu = document.querySelector('.site-nav ul');
  if (!menu.contains(a)) return null;
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const style = getComputedStyle(a), at = a.getBoundingClientRect(), box = menu.getBoundingClientRect();
  const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
  const mask = getComputedStyle(menu).maskImage || getComputedStyle(menu).webkitMaskImage;
  const fade = mask.includes('gradient') ? parseFloat(getComputedStyle(document.documentElement).fontSize) * 2.5 : 0;
  const side = name => menu.classList.contains(name) ? fade : 0;
  return [a.textContent.trim(), style.outlineStyle, at.left - ring, at.right + ring,
          Math.max(box.left + side('more-before'), 0), Math.min(box.right - side('more-after'), innerWidth)]; }"""


@pytest.mark.parametrize(("width", "height", "ratio"), [*PHONES, (320, 740, 1)])
@pytest.mark.parametrize("url", ["/", "/en/"])
def test_a_focused_menu_links_ring_is_never_under_the_fade(bundled_url: str, chromium: Any, url: str,
                                                         width: int, height: int, ratio: int) -> None:
    """WCAG 2.4.7 and 2.4.11: a link reached by Tab shows its whole focus ring. The row's faded
    edges took its ends: a link wider than the row's clear middle (Announcements at 360 px)
    cannot scroll clear of both fades, and one scrolled just clear (Siaran Pers) still had its
    ring's right edge under the fade. While focus is in the row, it does not fade. At 320 px
    (a 1,280 px window zoomed to 400%, WCAG's reflow) the English row beside "Bahasa
    Indonesia" is narrower than the room between its fades for a long name: such a link was
    lined up at one fade and ran out of the row at the other."""
    with phone(chromium, width, height, ratio) as tab:
        tab.goto(bundled_url + url)
        links = tab.eval_on_selector_all(".site-nav nav a", "links => links.map(a => a.textContent.trim())")
        seen = tab_until_past(tab, RING, 30)
    assert [name for name, *_ in seen] == links
    hidden = [f"{name}: ring {left:.0f}-{right:.0f}, unfaded {start:.0f}-{end:.0f}"
              for name, outline, left, right, start, end in seen
              if outline == "none" or left < start - .5 or right > end + .5]
    assert not hidden, "\n".join(hidden)


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


#: Where the menu's row starts and ends: the language link's box (null without one), the
#: scrolling box, its first link, the search field's left edge and the screen's width.
ROW = """() => { const box = s => { const e = document.querySelector(s);
    if (!e) return null; const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {language: box('.lang-switcher a'), menu: box('.site-nav ul'), first: box('.site-nav a'),
          search: box('.header-search input')[0], screen: innerWidth}; }"""


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
@pytest.mark.parametrize("url", ["/", "/en/"])
def test_the_language_link_is_left_of_the_menu_as_in_the_markup(bundled_url: str, chromium: Any, url: str,
                                                                width: int, height: int, ratio: int) -> None:
    """The language link comes before the menu in the markup, so a phone shows it there: first
    on the menu's row, where the search field starts; the menu after it, on the same row, up
    to the screen's right edge (links scroll out of sight there)."""
    with phone(chromium, width, height, ratio) as tab:
        tab.goto(bundled_url + url)
        row = tab.evaluate(ROW)
    language, menu, first = row["language"], row["menu"], row["first"]
    assert language[0] == row["search"]
    assert menu[1] < language[3] and language[1] < menu[3]  # one row
    assert language[2] < menu[0] < first[0] and menu[2] == row["screen"]


@pytest.fixture(scope="module")
def one_language_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site in Indonesian only: its pages have no language link."""
    sections = {"berita": "Berita", "siaran-pers": "Siaran Pers", "pengumuman": "Pengumuman"}
    config = ("base_url: https://humas.example.go.id/\ndefault_language: id\ntimezone: Asia/Jakarta\n"
              "languages:\n  id: {name: Bahasa Indonesia, locale: id_ID, title: Situs Uji Humas, description: Uji}\n"
              "sections:\n" + "".join(f"  {slug}: {{id: {name}}}\n" for slug, name in sections.items()))
    root = write_site(tmp_path_factory.mktemp("one") / "site",
                      {f"content/{slug}/kabar.id.md": article(f"Kabar {name}") for slug, name in sections.items()},
                      config)
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    with serve(root / "public") as base:
        yield base


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
def test_without_a_language_link_the_menu_starts_at_the_screens_edge(one_language_url: str, chromium: Any,
                                                                     width: int, height: int, ratio: int) -> None:
    """A site in one language has no language link to put left of the menu: the menu's row
    runs from the screen's left edge, its first link where the search field starts."""
    with phone(chromium, width, height, ratio) as tab:
        tab.goto(one_language_url + "/")
        row = tab.evaluate(ROW)
    assert row["language"] is None
    assert (row["menu"][0], row["first"][0], row["menu"][2]) == (0, row["search"], row["screen"])


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


#: The focused element: its name, and where it shows. A link in a box that scrolls sideways
#: (the phone's menu) is placed by its box first, then by where it stands in what scrolls:
#: menu.js scrolls a focused link into view, so its place on the screen moves as Tab goes on.
WHERE = """() => { const a = document.activeElement;
  if (!a.closest('.site-header')) return null;
  const rect = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  let box = null;
  for (let e = a.parentElement; e && !box; e = e.parentElement)
    if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) box = e;
  const at = rect(a), inside = box ? [at[0] + box.scrollLeft, at[1], at[2] + box.scrollLeft, at[3]] : null;
  return {name: (a.textContent || a.placeholder || a.getAttribute('aria-label') || '').trim(),
          box: box ? rect(box) : at, scrolls: box ? 'menu' : null, inside}; }"""


def tab_through_header(tab: Any) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus has passed the header."""
    return tab_until_past(tab, WHERE, 40)


def reads_after(first: list[float], then: list[float]) -> bool:
    """Whether the box ``then`` comes after ``first`` read left to right, top to bottom: on a
    lower row, or on the same row (their heights overlap) further right. 1 px of slack for
    rounding."""
    left, top, right, bottom = first
    then_left, then_top, _, then_bottom = then
    if then_top >= bottom - 1:
        return True
    same_row = then_top < bottom - 1 and top < then_bottom - 1
    return same_row and then_left >= right - 1


def comes_after(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether the focused element ``after`` reads after ``before``: by their places in the
    box that scrolls when both are in it, else by their boxes on the screen."""
    if before["scrolls"] and before["scrolls"] == after["scrolls"]:
        return reads_after(before["inside"], after["inside"])
    return reads_after(before["box"], after["box"])


@pytest.mark.parametrize("width", [360, 481, 1280])
@pytest.mark.parametrize(("url", "language"), [("/", "English"), ("/en/", "Bahasa Indonesia")])
def test_tab_goes_through_the_header_in_the_order_it_reads(bundled_url: str, chromium: Any, width: int,
                                                           url: str, language: str) -> None:
    """WCAG 2.4.3 and 1.3.2: on a phone the language link showed right of the menu but came
    before it in the markup, so Tab reached it first; it now shows left of the menu, where the
    markup has it (a desktop shows it in the coloured band above the menu). Each focused
    element of the header is after the one before it, read left to right, top to bottom."""
    context = chromium.new_context(viewport={"width": width, "height": 800}, device_scale_factor=2,
                                   is_mobile=width < 481, has_touch=width < 481)
    try:
        tab = context.new_page()
        tab.goto(bundled_url + url)
        brand = tab.eval_on_selector(".brand", "a => a.textContent.trim()")
        links = tab.eval_on_selector_all(".site-nav nav a", "links => links.map(a => a.textContent.trim())")
        seen = tab_through_header(tab)
    finally:
        context.close()
    names = [state["name"] for state in seen]
    search = ["Cari berita…", "Cari"] if url == "/" else ["Search news…", "Search"]
    assert sorted(names) == sorted([brand, language, *links, *search]), names  # each once, none left out
    wrong = [f"{before['name']} {before['box']} then {after['name']} {after['box']}"
             for before, after in pairwise(seen) if not comes_after(before, after)]
    assert not wrong, "\n".join(wrong)
