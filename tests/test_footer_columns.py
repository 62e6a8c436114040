"""The footer and the archive's list of years at 1280 px, in the bundled site (Debian's
headless Chromium). The footer's grid put the office (two columns) beside the long list of
topics and the units on its first row, so the office and the units stood over an empty
block as tall as the topics ran below them, and its second row left two of its four
columns empty. The archive's three years were split across two columns, 2026 and 2025 on
the left, 2024 half a page away on the right."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import build_bundled, serve


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build_bundled(tmp_path_factory.mktemp("footer") / "public")) as base:
        yield base


#: The footer's grid and each of its parts: its box and how far down its content reaches.
FOOTER = """() => {
  const grid = document.querySelector('.footer-grid'), box = grid.getBoundingClientRect();
  const inner = parseFloat(getComputedStyle(grid).paddingLeft);
  return {left: box.left + inner, right: box.right - inner, parts: [...grid.children].map(part => {
    const r = part.getBoundingClientRect(), last = part.lastElementChild.getBoundingClientRect();
    return {name: part.className, left: r.left, right: r.right, top: r.top, content: last.bottom - r.top}; })}; }"""


def test_at_1280_px_the_footers_rows_are_full_and_balanced(site_url: Any, chromium: Any) -> None:
    """Each row of the footer's parts runs from its left edge to its right one, and none of its
    parts ends above half the height of the row's tallest (an empty block beside a long list)."""
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site_url + "/")
    found = tab.evaluate(FOOTER)
    tab.close()
    rows: dict[int, list[dict[str, Any]]] = {}
    for part in found["parts"]:
        rows.setdefault(round(part["top"]), []).append(part)
    assert len(found["parts"]) == 5
    wrong = []
    for top, parts in rows.items():
        names = [part["name"] for part in parts]
        if (min(part["left"] for part in parts) > found["left"] + .5
                or max(part["right"] for part in parts) < found["right"] - .5):
            wrong.append(f"row at {top} {names}: an empty block at its side")
        tallest = max(part["content"] for part in parts)
        wrong += [f"row at {top}: {part['name']} {part['content']:.0f} px beside {tallest:.0f}"
                  for part in parts if part["content"] < tallest / 2]
    assert not wrong, "\n".join(wrong)


def test_at_1280_px_the_archives_years_are_one_column(site_url: Any, chromium: Any) -> None:
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(site_url + "/archive/")
    years = tab.locator(".term-index li").evaluate_all(
        "items => items.map(item => [item.innerText, item.getBoundingClientRect().left])")
    tab.close()
    assert [text.split()[0] for text, _ in years] == ["2026", "2025", "2024"]
    assert len({round(left) for _, left in years}) == 1, years
