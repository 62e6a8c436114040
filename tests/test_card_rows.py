"""The last row of a list of cards (Debian's headless Chromium). Where the card grid has two
columns (568 to 847 px), an odd number of cards (after the home page's lead story, which has
the first row to itself) left the last one in the left column and half the row empty. It now
spans the row: its picture as wide as every other card's, on the left, its text beside it
where the right column's text starts, so the pictures' ``sizes`` stay true. Three and four
columns (from 848 and 1128 px) fill their last row the same way: one card alone spans the
row, two of four span two columns each, the last of two (of three) or three (of four) spans
two. With a full last row or one column (a phone), nothing changes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import SMALL_CONFIG, article, build, photo_file, serve, write_site

#: Either side of each change of the grid: one column up to 567 px, two from 568 (the lead
#: story's text beside its picture from 848), three from 848, four from 1128.
TWO_COLUMNS = [568, 700, 847]
OTHERS = [567, 848, 1280]
#: Each list, and whether its last card is alone on a row of two: the home page's first page
#: opens with a lead story, then 3 cards in Indonesian (odd), 2 in English (even); a second page
#: of the home page has no lead story (3 cards); sections of 4 and 3 cards, tags of 1 and 2.
LISTS = {"/": True, "/en/": False, "/page/2/": True, "/berita/": False, "/pengumuman/": True,
         "/en/berita/": True, "/tags/layanan/": True, "/tags/kegiatan/": False}
SECTIONS = "  berita: {id: Berita, en: News}\n"
CONFIG = SMALL_CONFIG.replace("paginate: 5", "paginate: 4").replace(
    SECTIONS, SECTIONS + "  pengumuman: {id: Pengumuman, en: Announcements}\n")
SUMMARY = "Ringkasan siaran yang cukup panjang untuk dua atau tiga baris di sebuah kartu berita."


def release(title: str, day: int, tags: list[str]) -> str:
    return article(title, f"2024-05-{day:02d}T10:00:00+07:00", image=f"/images/foto-{day % 3}.jpg",
                   image_alt=f"Foto {title}", summary=SUMMARY, tags=tags)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Indonesian: 4 releases in Berita, 3 in Pengumuman (7 on the home page: 4, then 3 on its
    second page); English: 3 in News."""
    files: dict[str, str | bytes] = {f"static/images/foto-{n}.jpg": photo_file(1600, 1067, color=(60 * n, 90, 160))
                                     for n in range(3)}
    for day in range(1, 8):
        section = "berita" if day <= 4 else "pengumuman"
        tags = ["Layanan"] if day == 1 else ["Kegiatan"] if day in (2, 3) else []
        files[f"content/{section}/kabar-{day}.id.md"] = release(f"Kabar Nomor {day}", day, tags)
        if day <= 3:
            files[f"content/berita/kabar-{day}.en.md"] = release(f"News Number {day}", day, [])
    root = write_site(tmp_path_factory.mktemp("rows") / "site", files, CONFIG)
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    with serve(root / "public") as base:
        yield base


#: The grid (its columns, left edge, width and column gap) and, for each card but the lead
#: story: its box, its picture's box, the width its picture's ``sizes`` gives for this window
#: (the first entry whose condition holds, measured as a box's width), and its text's left edge.
CARDS = """() => {
  const grid = document.querySelector('.cards'), style = getComputedStyle(grid), box = grid.getBoundingClientRect();
  const measure = length => { const probe = document.createElement('div');
    probe.style.cssText = `position: absolute; visibility: hidden; width: ${length}`; document.body.append(probe);
    const width = probe.getBoundingClientRect().width; probe.remove(); return width; };
  const said = img => { for (const entry of img.parentElement.querySelector('source').sizes.split(',')) {
      const [, condition, length] = entry.trim().match(/^(\\(.*?\\))?\\s*(.*)$/);
      if (!condition || matchMedia(condition).matches) return measure(length); } };
  const rect = e => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, width: r.width}; };
  return {columns: style.gridTemplateColumns.split(' ').length, left: box.left, row: grid.clientWidth,
          gap: parseFloat(style.columnGap),
          cards: [...grid.querySelectorAll('.card:not(#lead-story)')].map(card => {
            const img = card.querySelector('picture img'), text = card.querySelector('.card-body');
            return {card: rect(card), picture: rect(img), said: said(img), text: rect(text).left}; })}; }"""


def look(chromium: Any, site_url: str, width: int) -> dict[str, dict[str, Any]]:
    """What CARDS finds on each of LISTS at ``width``."""
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        found = {}
        for url in LISTS:
            tab.goto(site_url + url)
            found[url] = tab.evaluate(CARDS)
    finally:
        tab.close()
    return found


def misfits(found: dict[str, Any], alone: bool) -> list[str]:
    """What is not as designed: each card's picture one column wide (less the card's borders)
    and within what its ``sizes`` says; the last card across the row when ``alone``, its
    picture on the left, its text where the right column's starts; else one column wide."""
    columns, row, gap = found["columns"], found["row"], found["gap"]
    column = (row - (columns - 1) * gap) / columns
    wrong = []
    for n, seen in enumerate(found["cards"]):
        card, picture = seen["card"], seen["picture"]
        if abs(picture["width"] - (column - 2)) > .5 or picture["width"] > seen["said"] + .5:
            wrong.append(f"card {n}: picture {picture['width']:.1f} px, column {column:.1f}, sizes {seen['said']:.1f}")
        across = alone and n == len(found["cards"]) - 1
        if abs(card["width"] - (row if across else column)) > .5:
            wrong.append(f"card {n}: {card['width']:.1f} px wide, row {row:.1f}, column {column:.1f}")
        if across and (abs(picture["left"] - card["left"] - 1) > .5 or picture["top"] - card["top"] > 1.5
                       or abs(seen["text"] - (found["left"] + column + gap + 1)) > .5):
            wrong.append(f"card {n}: picture at {picture['left']:.1f} {picture['top']:.1f}, text at {seen['text']:.1f}")
    return wrong


@pytest.mark.parametrize("width", TWO_COLUMNS)
def test_the_last_card_alone_on_a_row_of_two_spans_it(site_url: str, chromium: Any, width: int) -> None:
    found = look(chromium, site_url, width)
    assert {url: seen["columns"] for url, seen in found.items()} == {url: 2 for url in LISTS}
    wrong = [f"{url} {problem}" for url, seen in found.items() for problem in misfits(seen, LISTS[url])]
    assert not wrong, "\n".join(wrong)


def test_on_a_phone_every_card_keeps_its_column(site_url: str, chromium: Any) -> None:
    found = look(chromium, site_url, 567)
    assert {url: seen["columns"] for url, seen in found.items()} == {url: 1 for url in LISTS}
    wrong = [f"{url} {problem}" for url, seen in found.items() for problem in misfits(seen, alone=False)]
    assert not wrong, "\n".join(wrong)


#: Either side of each change of the grid with three and four columns, and 76rem (1216 px),
#: from where the grid is 74rem wide whatever the window.
WIDE = {848: 3, 1000: 3, 1127: 3, 1128: 4, 1215: 4, 1216: 4, 1440: 4}
#: Lists of every length from 1 to 6 cards (a tag on the first n releases), the home pages'
#: lead stories followed by 5 (Indonesian) and 4 (English) cards, the second page of a
#: section (3 cards). With LISTS (the lead story and 3 or 2 cards) every remainder of 3 and 4.
MANY = ["/", "/en/", "/berita/page/2/", *(f"/tags/t{n}/" for n in range(1, 7))]


@pytest.fixture(scope="module")
def many_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """9 releases in Indonesian (6 a page), 5 in English; release n has tags t<n> to t6."""
    files: dict[str, str | bytes] = {f"static/images/foto-{n}.jpg": photo_file(1600, 1067, color=(60 * n, 90, 160))
                                     for n in range(3)}
    for day in range(1, 10):
        tags = [f"t{n}" for n in range(day, 7)]
        files[f"content/berita/kabar-{day}.id.md"] = release(f"Kabar Nomor {day}", day, tags)
        if day <= 5:
            files[f"content/berita/kabar-{day}.en.md"] = release(f"News Number {day}", day, [])
    config = SMALL_CONFIG.replace("paginate: 5", "paginate: 6")
    root = write_site(tmp_path_factory.mktemp("many") / "site", files, config)
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    with serve(root / "public") as base:
        yield base


#: Each card's picture's height too, and its text's width.
SHAPES = CARDS.replace("return {card: rect(card), picture: rect(img),",
                       "return {card: rect(card), picture: {...rect(img), height: img.getBoundingClientRect().height}, "
                       "textWidth: text.getBoundingClientRect().width,")


def gaps(found: dict[str, Any]) -> list[str]:
    """What is not as designed in a grid of three or four columns: a row with an empty column
    (its cards, a gap apart, do not run from the grid's left edge to its right one), a row
    but the last whose cards are not one column each, a picture not one column wide (less
    the card's borders), not 16:9 or wider than its ``sizes`` says; a card wider than a
    column whose picture is not on its left or whose text does not start where the next
    column's text starts, or runs wider than a line of the release's text (44rem)."""
    columns, row, gap, left = found["columns"], found["row"], found["gap"], found["left"]
    column = (row - (columns - 1) * gap) / columns
    rows: dict[int, list[dict[str, Any]]] = {}
    for seen in found["cards"]:
        rows.setdefault(round(seen["card"]["top"]), []).append(seen)
    wrong = []
    for number, (top, cards) in enumerate(sorted(rows.items())):
        boxes = sorted((seen["card"] for seen in cards), key=lambda card: card["left"])
        edges = [left, *(edge for card in boxes for edge in (card["left"], card["left"] + card["width"])), left + row]
        spaces = [after - before for before, after in zip(edges[::2], edges[1::2], strict=True)]
        if abs(spaces[0]) > .5 or abs(spaces[-1]) > .5 or any(abs(space - gap) > .5 for space in spaces[1:-1]):
            wrong.append(f"row at {top}: an empty column (cards at {edges[1:-1]})")
        if number < len(rows) - 1 and (len(cards) != columns or any(abs(seen["card"]["width"] - column) > .5
                                                                    for seen in cards)):
            wrong.append(f"row at {top}: {len(cards)} cards, not {columns} of one column")
    for n, seen in enumerate(found["cards"]):
        card, picture = seen["card"], seen["picture"]
        if (abs(picture["width"] - (column - 2)) > .5 or picture["width"] > seen["said"] + .5
                or abs(picture["height"] - picture["width"] * 9 / 16) > 1):
            wrong.append(f"card {n}: picture {picture['width']:.1f} x {picture['height']:.1f} px, "
                         f"column {column:.1f}, sizes {seen['said']:.1f}")
        if card["width"] > column + .5 and (abs(picture["left"] - card["left"] - 1) > .5
                                            or picture["top"] - card["top"] > 1.5
                                            or abs(seen["text"] - (card["left"] + column + gap + 1)) > .5
                                            or seen["textWidth"] > 44 * 16 + .5):
            wrong.append(f"card {n}: picture at {picture['left']:.1f} {picture['top']:.1f}, "
                         f"text at {seen['text']:.1f}, {seen['textWidth']:.1f} px wide")
    return wrong


@pytest.mark.parametrize("width", WIDE)
def test_in_three_or_four_columns_the_last_row_has_no_empty_column(site_url: str, many_url: str, chromium: Any,
                                                                  width: int) -> None:
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    wrong, counts = [], set()
    try:
        for url in [site_url + url for url in LISTS] + [many_url + url for url in MANY]:
            tab.goto(url)
            found = tab.evaluate(SHAPES)
            assert found["columns"] == WIDE[width], url
            counts.add((bool(tab.locator("#lead-story").count()), len(found["cards"]) % WIDE[width]))
            wrong += [f"{url} {problem}" for problem in gaps(found)]
    finally:
        tab.close()
    # Every remainder, after a lead story and without one.
    assert counts == {(lead, rest) for lead in (False, True) for rest in range(WIDE[width])}
    assert not wrong, "\n".join(wrong)
