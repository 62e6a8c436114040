"""Numbers a reader must see whole on a phone (Debian's headless Chromium): a release number
is never broken at its hyphen, and a table's number column keeps its figures on one line while
its heading wraps between words, so the figures stay in the first view of the table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import article, build, serve, write_site

NUMBER = "HM.01.02-268"
TABLE = """Rekapitulasi remisi per jenis UPT.

| Jenis UPT | Remisi Umum I (pengurangan sebagian) | Remisi Umum II (langsung bebas) |
|---|---:|---:|
| Lembaga Pemasyarakatan | 1.248 | 37 |
| Rumah Tahanan Negara | 312 | 5 |
"""
#: A headline long enough that the number after the date falls at a line's end in a card.
TITLE = "Kantor Wilayah Buka Sembilan Belas Pos Layanan Hukum Terpadu di Kabupaten dan Kota"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = write_site(tmp_path_factory.mktemp("numbers") / "site", {
        "content/siaran-pers/remisi.id.md": article("Remisi Umum HUT RI", "2024-08-17T10:00:00+07:00", TABLE,
                                                    release_number="HM.01.02-117"),
        **{f"content/siaran-pers/pos-{n}.id.md": article(f"{TITLE} {n}", f"2024-08-0{n}T10:00:00+07:00",
                                                         release_number=NUMBER) for n in range(1, 6)}})
    assert build(root, "--no-search").code == 0
    with serve(root / "public") as base:
        yield base


#: The lines each release number shown takes (more than one: broken), measured on its letters
#: wherever they stand (in the theme's span or not).
NUMBERS = """(number) => { const found = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const at = node.data.indexOf(number);
    if (at < 0) continue;
    const range = document.createRange(); range.setStart(node, at); range.setEnd(node, at + number.length);
    found.push(new Set([...range.getClientRects()].map(r => Math.round(r.top))).size); }
  return found; }"""


@pytest.mark.parametrize("width", [360, 600, 768, 1000, 1280])
def test_a_release_number_is_never_broken_across_lines(site_url: str, chromium: Any, width: int) -> None:
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        found = []
        for path in ("/", "/siaran-pers/", "/siaran-pers/2024/pos-1/"):
            tab.goto(site_url + path)
            found += tab.evaluate(NUMBERS, NUMBER)
    finally:
        tab.close()
    assert len(found) >= 6 and set(found) == {1}, found


#: The table's scrolling region's width, each number heading's width and lines, each number cell's lines.
TABLE_BOXES = """() => { const region = document.querySelector('.body table').parentElement;
  const lines = e => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight));
  const right = [...document.querySelectorAll('.body th.num')].map(th => th.getBoundingClientRect().right);
  return {region: region.getBoundingClientRect().right, right: right,
          headings: [...document.querySelectorAll('.body th.num')].map(lines),
          cells: [...document.querySelectorAll('.body td.num')].map(td => td.getClientRects().length)}; }"""


def test_a_number_columns_heading_wraps_so_the_figures_stay_in_view_on_a_phone(site_url: str,
                                                                             chromium: Any) -> None:
    tab = chromium.new_page(viewport={"width": 360, "height": 740})
    try:
        tab.goto(site_url + "/siaran-pers/2024/remisi/")
        found = tab.evaluate(TABLE_BOXES)
    finally:
        tab.close()
    assert found["cells"] and set(found["cells"]) == {1}, found  # figures on one line each
    assert max(found["headings"]) > 1, found  # the long headings wrap
    # The first number column is in the first view of the scrolling table.
    assert found["right"][0] <= found["region"] + .5, found
