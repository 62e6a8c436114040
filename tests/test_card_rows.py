"""The last card of a list alone on its row (Debian's headless Chromium). Where the card grid
has two columns (568 to 847 px), an odd number of cards (after the home page's lead story,
which has the first row to itself) left the last one in the left column and half the row
empty. It now spans the row: its picture as wide as every other card's, on the left, its text
beside it where the right column's text starts, so the pictures' ``sizes`` stay true. With an
even number, one column (a phone) or three and four columns, nothing changes."""

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


@pytest.mark.parametrize("width", OTHERS)
def test_in_one_three_or_four_columns_every_card_keeps_its_column(site_url: str, chromium: Any, width: int) -> None:
    """A phone shows one card under another; three and four columns leave a row's end as it is."""
    found = look(chromium, site_url, width)
    columns = {567: 1, 848: 3, 1280: 4}[width]
    assert {url: seen["columns"] for url, seen in found.items()} == {url: columns for url in LISTS}
    wrong = [f"{url} {problem}" for url, seen in found.items() for problem in misfits(seen, alone=False)]
    assert not wrong, "\n".join(wrong)
