"""A card's picture where its release has no photo, and the home page's lead story beside a
long summary (parsed HTML, and Debian's headless Chromium).

A release without a photo shows its social card (``og.png``) as its card's picture, as issue 20
has it; with ``social_cards: false`` there is none, and its card showed an empty grey box. It
now shows a tile drawn in HTML and CSS, the brand's colour and the section's name, hidden from
screen readers (the headline's link says everything), as tall as a photo card's picture, at no
image bytes. And from 848 px, where the lead story's text stands beside its picture, a long
English summary made the text taller than the picture, a blank under the picture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SMALL_CONFIG, article, build, page, photo_file, serve, write_site

SECTIONS = "  berita: {id: Berita, en: News}\n"
CONFIG = SMALL_CONFIG.replace(SECTIONS, SECTIONS + "  pengumuman: {id: Pengumuman, en: Announcements}\n") \
    + "social_cards: false\n"
LONG_SUMMARY = ("The ministry opened a one-stop public service centre in Padang that brings licensing, social "
                "assistance, health insurance registration and civil records under one roof, with longer opening "
                "hours on weekdays and a mobile unit for remote districts starting next month.")


def release(title: str, day: int, photo: int | None, summary: str = "Ringkasan singkat kabar ini.") -> str:
    image = {"image": f"/images/foto-{photo}.jpg", "image_alt": f"Foto {title}"} if photo is not None else {}
    return article(title, f"2024-05-{day:02d}T10:00:00+07:00", summary=summary, **image)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Indonesian: the newest release (the lead story) and every other one without a photo, in
    Berita and Pengumuman; English: a lead story with a photo and a long summary, then one
    release without a photo."""
    files: dict[str, str | bytes] = {f"static/images/foto-{n}.jpg": photo_file(1600, 1067, color=(60 * n, 90, 160))
                                     for n in range(3)}
    for day in range(1, 6):
        section = "pengumuman" if day == 3 else "berita"
        files[f"content/{section}/kabar-{day}.id.md"] = release(f"Kabar Nomor {day}", day,
                                                                None if day % 2 else day % 3)
    files["content/berita/kabar-5.en.md"] = release("Ministry opens a one-stop public service centre in Padang",
                                                    5, 1, LONG_SUMMARY)
    files["content/berita/kabar-1.en.md"] = release("News number one", 1, None, "A short summary.")
    root = write_site(tmp_path_factory.mktemp("tile") / "site", files, CONFIG)
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    return root


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serve(site / "public") as base:
        yield base


def cards(site: Path, url: str) -> dict[str, Any]:
    """The cards of the list at ``url`` by headline."""
    return {card.xpath("string(.//h2/a)"): card for card in page(site, url).xpath("//main//article[@class='card']")}


@pytest.mark.parametrize("url", ["/", "/berita/", "/pengumuman/", "/archive/2024/", "/en/"])
def test_a_release_without_a_photo_shows_a_tile_with_its_sections_name(site: Path, url: str) -> None:
    found = cards(site, url)
    assert found
    for title, card in found.items():
        section = card.xpath("string(.//p[@class='card-section']/a)")
        tile = card.xpath(".//div[@class='thumb-box']/*[contains(@class, 'thumb-tile')]")
        if title in ("Kabar Nomor 2", "Kabar Nomor 4", "Ministry opens a one-stop public service centre in Padang"):
            assert not tile and card.xpath(".//div[@class='thumb-box']/picture/img[@class='thumb']"), title
            continue
        assert card.xpath(".//img") == [], title  # no og.png, no picture at all: no bytes
        assert len(tile) == 1 and tile[0].get("aria-hidden") == "true", title
        assert tile[0].text_content().strip() == section and section in ("Berita", "Pengumuman", "News"), title


def test_with_social_cards_a_release_without_a_photo_shows_its_social_card(tmp_path: Path) -> None:
    """The defaults: the card's picture is the release's social card, its text the card's own,
    so no alt text; the same picture is shared (og:image)."""
    root = write_site(tmp_path / "site", {"content/berita/kabar-1.id.md": release("Kabar Nomor 1", 1, None),
                                          "content/berita/kabar-2.id.md": release("Kabar Nomor 2", 2, None)},
                      SMALL_CONFIG)
    assert build(root, "--no-search").code == 0
    for card in cards(root, "/berita/").values():
        thumb = card.xpath(".//div[@class='thumb-box']/img[@class='thumb']")
        assert len(thumb) == 1 and thumb[0].get("src") == card.xpath("string(.//h2/a/@href)") + "og.png"
        assert thumb[0].get("alt") == "" and not card.xpath(".//*[contains(@class, 'thumb-tile')]")
    doc = page(root, "/berita/2024/kabar-1/")
    shared = "https://humas.example.go.id/berita/2024/kabar-1/og.png"
    assert doc.xpath("//meta[@property='og:image']/@content") == [shared]
    assert (root / "public/berita/2024/kabar-1/og.png").is_file()


#: Each card's picture box (a photo's or a tile's): its top, height and whether it is a tile.
BOXES = """() => [...document.querySelectorAll('main .card')].map(card => {
  const box = card.querySelector('.thumb-box').getBoundingClientRect();
  return {tile: !!card.querySelector('.thumb-tile'), top: box.top, height: box.height, width: box.width,
          lead: card.id === 'lead-story'}; })"""
#: Every image of the page loaded (lazily loaded ones too), then each card's picture address.
LOAD_ALL = """async () => {
  const photos = [...document.images]; photos.forEach(img => { img.loading = 'eager'; });
  await Promise.all(photos.map(img => img.decode().catch(() => null)));
  return photos.map(img => img.currentSrc); }"""


@pytest.mark.parametrize("width", [412, 1280])
def test_a_tile_is_as_tall_as_a_photo_in_its_row(site_url: str, chromium: Any, width: int) -> None:
    """In one column (a phone) every card is as wide as the row, so as tall; in four columns
    a row's tiles and photos stand side by side, their text starting on one line."""
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        tab.goto(site_url + "/berita/")
        boxes = tab.evaluate(BOXES)
    finally:
        tab.close()
    assert {box["tile"] for box in boxes} == {True, False}
    rows: dict[float, list[dict[str, Any]]] = {}
    for box in boxes:
        rows.setdefault(round(box["top"]), []).append(box)
    heights = {round(box["height"], 1) for box in boxes}
    assert len(heights) == 1 and abs(boxes[0]["height"] - boxes[0]["width"] * 9 / 16) < 1, boxes
    if width == 1280:
        assert any({box["tile"] for box in row} == {True, False} for row in rows.values()), boxes


def image_bytes(chromium: Any, url: str) -> dict[str, int]:
    """The images a phone loads for ``url`` (every one, scrolled to or not), by address."""
    tab = chromium.new_page(viewport={"width": 412, "height": 900}, device_scale_factor=2)
    loaded: dict[str, int] = {}

    def count(response: Any) -> None:
        if response.request.resource_type == "image":
            loaded[response.url] = len(response.body())

    tab.on("response", count)
    try:
        tab.goto(url)
        tab.evaluate(LOAD_ALL)
        tab.wait_for_load_state("networkidle")
    finally:
        tab.close()
    return loaded


def test_tiles_cost_no_image_bytes(site: Path, site_url: str, chromium: Any) -> None:
    """The home page loads its photos and nothing for the tiles."""
    loaded = image_bytes(chromium, site_url + "/")
    photos = {url for url in loaded if "/images/foto-" in url}
    assert len(photos) == 2 and sum(loaded.values()) == sum(loaded[url] for url in photos), loaded


#: The lead story's picture and text: their bottoms, and the summary's lines shown.
LEAD = """() => { const lead = document.getElementById('lead-story'), summary = lead.querySelector('.summary');
  return {picture: lead.querySelector('.thumb-box').getBoundingClientRect().bottom,
          image: lead.querySelector('.thumb').getBoundingClientRect().bottom,
          text: lead.querySelector('.card-body').getBoundingClientRect().bottom,
          card: lead.getBoundingClientRect().bottom,
          lines: Math.round(summary.getBoundingClientRect().height
                            / parseFloat(getComputedStyle(summary).lineHeight))}; }"""


@pytest.mark.parametrize("width", [848, 900, 1000, 1128, 1280])
def test_the_lead_storys_text_is_no_taller_than_its_picture(site_url: str, chromium: Any, width: int) -> None:
    """The English lead story's long summary (5 to 8 lines in a text column of 280 to 340 px)
    ended 100 to 170 px below its picture. The picture (or the tile) fills the card's height
    and the summary shows its first lines where the column is narrow."""
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        tab.goto(site_url + "/en/")
        lead = tab.evaluate(LEAD)
        tab.goto(site_url + "/")
        tiled = tab.evaluate(LEAD)
    finally:
        tab.close()
    for found in (lead, tiled):
        assert found["text"] - found["image"] <= 2 and found["card"] - found["image"] <= 2, found
        assert found["lines"] >= 1, found


#: The first tile's colours and its box's height against its width.
TILE_LOOK = """() => { const tile = document.querySelector('.thumb-tile'), style = getComputedStyle(tile);
  const box = tile.getBoundingClientRect();
  return [style.color, style.backgroundColor, Math.round(box.height / box.width * 16)]; }"""


def test_a_tile_prints_in_ink(site_url: str, chromium: Any) -> None:
    """A printer leaves out backgrounds: the tile's white name on the brand's colour would be
    nothing on paper. Printed, it is black on white in a grey frame, still 16:9."""
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        tab.goto(site_url + "/berita/")
        screen = tab.evaluate(TILE_LOOK)
        tab.emulate_media(media="print")
        printed = tab.evaluate(TILE_LOOK)
    finally:
        tab.close()
    assert screen == ["rgb(255, 255, 255)", "rgb(11, 79, 138)", 9]
    assert printed == ["rgb(0, 0, 0)", "rgba(0, 0, 0, 0)", 9]


@pytest.fixture(scope="module")
def upright_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A home page whose lead story has a phone's upright photo (1200 x 1800) and a short text."""
    files: dict[str, str | bytes] = {"static/images/tegak.jpg": photo_file(1200, 1800),
                                     "static/images/foto-1.jpg": photo_file(1600, 1067)}
    files["content/berita/tegak.id.md"] = release("Kunjungan kerja", 9, None) \
        .replace("---\n", "---\nimage: /images/tegak.jpg\nimage_alt: Foto tegak\n", 1)
    for day in range(1, 4):
        files[f"content/berita/kabar-{day}.id.md"] = release(f"Kabar Nomor {day}", day, 1)
    root = write_site(tmp_path_factory.mktemp("upright") / "site", files, CONFIG)
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    with serve(root / "public") as base:
        yield base


@pytest.mark.parametrize("width", [848, 1280])
def test_an_upright_lead_photo_is_cropped_to_the_text_not_a_screen_tall(upright_url: str, chromium: Any,
                                                                        width: int) -> None:
    """Audit: a phone's upright photo as the lead story set the row's height (651 to 1064 px at
    848 to 1280 px wide): one tall picture filled the first screen. Its picture is 16:9 of its
    column, or as tall as the text where that is taller, as a landscape photo's is."""
    tab = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        tab.goto(upright_url + "/")
        found = tab.evaluate("""() => { const lead = document.getElementById('lead-story');
          const box = lead.querySelector('.thumb-box').getBoundingClientRect();
          const image = lead.querySelector('.thumb').getBoundingClientRect();
          const text = lead.querySelector('.card-body').getBoundingClientRect();
          return {width: box.width, height: box.height, image: image.height, text: text.height,
                  next: document.querySelector('.card:not(#lead-story)').getBoundingClientRect().top}; }""")
    finally:
        tab.close()
    assert found["text"] < found["width"] * 9 / 16, found  # a short text: the picture sets the height
    assert abs(found["height"] - found["width"] * 9 / 16) <= 2 and abs(found["image"] - found["height"]) <= 2, found
    assert found["next"] < 900, found  # the next story starts in the first screen
