"""Each photo's ``sizes`` says the width the layout shows it at, across every breakpoint of
the card grid, the home page's lead story, a release's gallery and text column and a static
page's (Debian's headless Chromium at device pixel ratios 1 and 2): the version chosen is the
smallest published one that is sharp at the shown width, never the step above. And a
footnote's number and its back-link are targets of 24x24 CSS pixels that leave the line
spacing as it is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import article, build, photo_file, serve, write_site

#: Window widths on either side of each change of layout in style.css: cards in 1, 2, 3 and 4
#: columns (from 568, 848 and 1128 px) and at the page's full width (1216 px); the lead story
#: across the row at every width, its picture the whole row (600, 700, 760, 800 px: 2
#: columns of cards below it) and 3 parts of 5 from 848 px; the gallery in 2 columns from 464
#: px, 3 from 688, at the text column's 44rem from 736, beside the side column from 1024 (2
#: columns, 3 from 1056, full from 1104).
WIDTHS = [360, 500, 600, 700, 760, 800, 860, 900, 1040, 1080, 1100, 1200, 1280]
RATIOS = [1, 2]
#: The home page (a lead story and cards), a list, a release (its lead photo, a photo in the
#: text, a gallery) and a static page with a photo in its text.
PAGES = ["/", "/berita/", "/berita/2024/galeri/", "/profil/"]
FOOTNOTED = ("Paragraf dengan catatan kaki[^1] yang cukup panjang sehingga memenuhi beberapa baris pada layar "
             "telepon, seperti siaran pers yang menyebut dasar hukumnya.")
PLAIN = FOOTNOTED.replace("[^1]", "")
BODY = f"""{FOOTNOTED}

{PLAIN}

![Foto dalam teks](/images/foto-9.jpg)

[^1]: Peraturan Menteri Nomor 21 Tahun 2024.
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    photos = {f"static/images/foto-{n}.jpg": photo_file(2000, 1333, color=(18 * n, 90, 160)) for n in range(1, 11)}
    root = write_site(tmp_path_factory.mktemp("sizes") / "site", {
        **photos,
        "content/berita/galeri.id.md": article(
            "Galeri Kegiatan", "2024-05-30T10:00:00+07:00", BODY, image="/images/foto-1.jpg", image_alt="Foto utama",
            gallery=[{"path": f"/images/foto-{n}.jpg", "alt": f"Foto galeri {n}"} for n in range(2, 8)]),
        **{f"content/berita/kabar-{n}.id.md": article(f"Kabar Nomor {n}", f"2024-05-2{n}T10:00:00+07:00",
                                                      image=f"/images/foto-{n}.jpg", image_alt=f"Foto kabar {n}")
           for n in range(1, 8)},
        "content/pages/profil.id.md": article("Profil", "", "Tentang kantor.\n\n![Foto kantor](/images/foto-10.jpg)"),
    })
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    with serve(root / "public") as base:
        yield base


VERSION = re.compile(r"-(\d+)w\.[0-9a-f]+\.(?:avif|webp|jpg)$")
#: Each photo of the page's main part: where it is, its chosen version's address, its
#: published widths and its shown width.
CHOSEN = """async () => {
  const photos = [...document.querySelectorAll('main picture img')];
  photos.forEach(img => { img.loading = 'eager'; });
  await Promise.all(photos.map(img => img.decode().catch(() => null)));
  return photos.map(img => {
    const source = img.parentElement.querySelector('source') || img;
    const widths = source.getAttribute('srcset').split(',').map(c => parseInt(c.trim().split(/\\s+/)[1]));
    const place = img.closest('#lead-story, .card, .gallery-item, .lead-image, .body');
    return [place.id || place.className, img.currentSrc, widths, img.getBoundingClientRect().width]; }); }"""


def fitting(widths: list[int], pixels: float) -> int:
    """The smallest of ``widths`` that covers ``pixels`` (the largest when none does)."""
    return next((w for w in sorted(widths) if w >= pixels), max(widths))


@pytest.mark.parametrize("ratio", RATIOS)
@pytest.mark.parametrize("url", PAGES)
def test_each_photo_comes_in_the_smallest_version_sharp_at_its_shown_width(site_url: str, chromium: Any,
                                                                          url: str, ratio: int) -> None:
    """A ``sizes`` larger than the layout (a card in 3 columns said to be half the window)
    has the browser fetch the next version up, about twice the pixels; a smaller one, a
    blurred photo. The browser's rounding of a fractional width may take the step above when
    the shown pixels are within 2 of a version's width."""
    wrong = []
    for width in WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 800}, device_scale_factor=ratio)
        tab = context.new_page()  # a fresh cache: no larger version at hand
        try:
            tab.goto(site_url + url)
            photos = tab.evaluate(CHOSEN)
        finally:
            context.close()
        assert photos, (url, width)
        for place, address, widths, shown in photos:
            match = VERSION.search(address)
            assert match, address
            pixels = shown * ratio
            if int(match.group(1)) not in {fitting(widths, pixels - 1), fitting(widths, pixels + 2)}:
                wrong.append((width, place, round(shown, 1), int(match.group(1)), fitting(widths, pixels)))
    assert not wrong, "window, photo, shown width, version chosen, version wanted:\n" + "\n".join(map(str, wrong))


#: The footnote's number and back-link: whether the corners of a 24x24 square centred on each
#: are inside it, and its box.
TARGETS = """() => [...document.querySelectorAll('a.footnote-ref, a.footnote-backref')].map(a => {
  a.scrollIntoView({block: 'center'});
  const box = a.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
  const corners = [[-11.5, -11.5], [11.5, -11.5], [-11.5, 11.5], [11.5, 11.5]];
  return [a.className, corners.every(([dx, dy]) => a.contains(document.elementFromPoint(x + dx, y + dy)))]; })"""
#: The paragraph with a footnote and the same one without: their heights and line height.
LINES = """() => [...document.querySelectorAll('.body > p')].slice(0, 2).map(p =>
  [p.getBoundingClientRect().height, parseFloat(getComputedStyle(p).lineHeight)])"""


@pytest.mark.parametrize("width", [360, 1200])
def test_footnote_links_are_24_pixel_targets_that_keep_the_line_spacing(site_url: str, chromium: Any,
                                                                        width: int) -> None:
    """The footnote's number is 9x16 px, its back-link 14x20: both small to tap. Each takes a
    square of 24x24 around it, and the raised number no longer pushes its line 4 px away from
    the one above (a footnote showed as uneven line spacing)."""
    context = chromium.new_context(viewport={"width": width, "height": 800}, has_touch=True)
    tab = context.new_page()
    try:
        tab.goto(site_url + "/berita/2024/galeri/")
        targets = tab.evaluate(TARGETS)
        lines = tab.evaluate(LINES)
    finally:
        context.close()
    assert targets == [["footnote-ref", True], ["footnote-backref", True]]
    (with_note, line), (without, _) = lines
    assert with_note == without, lines
    assert round(with_note / line) > 1 and abs(with_note / line - round(with_note / line)) < .01, lines


#: The card grid's columns and width, and the lead story's width.
LEAD = """() => { const grid = document.querySelector('.cards'), lead = document.getElementById('lead-story');
  return [getComputedStyle(grid).gridTemplateColumns.split(' ').length, grid.clientWidth,
          lead.getBoundingClientRect().width]; }"""


@pytest.mark.parametrize("width", [600, 700, 900, 1280])
def test_the_lead_story_spans_the_row_wherever_cards_share_one(site_url: str, chromium: Any, width: int) -> None:
    """The home page's newest release is as wide as the grid's row once the grid has more
    than one column: from 568 to 768 px it was one card of two, half the row."""
    tab = chromium.new_page(viewport={"width": width, "height": 800})
    try:
        tab.goto(site_url + "/")
        columns, row, lead = tab.evaluate(LEAD)
    finally:
        tab.close()
    assert columns > 1 and lead == pytest.approx(row, abs=.5), (columns, row, lead)


#: The lead story's headline: its lines, its font size, and the picture's and the text's boxes.
HEADLINE = """() => { const lead = document.getElementById('lead-story'), h = lead.querySelector('.card-title');
  const style = getComputedStyle(h), picture = lead.querySelector('.thumb-box').getBoundingClientRect();
  const text = lead.querySelector('.card-body').getBoundingClientRect();
  return [Math.round(h.getBoundingClientRect().height / parseFloat(style.lineHeight)), parseFloat(style.fontSize),
          picture.width, text.width, picture.right, text.left]; }"""
LONG_TITLE = "Sosialisasi Pos Layanan Hukum Terpadu di Kabupaten Agam"
SUMMARY = ("Mulai pekan depan warga dapat berkonsultasi hukum, mengurus layanan kekayaan intelektual dan "
           "menyampaikan pengaduan di kantor kecamatan terdekat.")


@pytest.mark.parametrize("width", [768, 800, 847, 848, 900, 1000, 1280])
def test_the_lead_storys_headline_fits_its_column(tmp_path: Path, chromium: Any, width: int) -> None:
    """Beside its picture, the lead story's text has 2 parts of 5 of the row. From 768 px that
    made a long headline six lines of 2rem type (about 260 px of text column at 800 px) beside a
    picture that ended half way down: now the text goes beside the picture from 848 px (three
    columns of cards) and the headline's size follows its column, 2rem on a wide window."""
    root = write_site(tmp_path / "site", {
        "static/images/foto-1.jpg": photo_file(2000, 1333),
        "content/berita/kabar.id.md": article(LONG_TITLE, "2024-05-30T10:00:00+07:00", image="/images/foto-1.jpg",
                                              image_alt="Foto utama", summary=SUMMARY)})
    assert build(root, "--no-search").code == 0
    tab = chromium.new_page(viewport={"width": width, "height": 800})
    try:
        with serve(root / "public") as base:
            tab.goto(base + "/")
            lines, size, picture, text, picture_ends, text_starts = tab.evaluate(HEADLINE)
    finally:
        tab.close()
    beside = width >= 848
    assert (text < picture) == beside, (picture, text)
    # the picture, cropped to the text's height where that is the taller, never runs under the
    # text (stretched, its own 16:9 made it wider than its column)
    assert not beside or picture_ends <= text_starts + .5, (picture_ends, text_starts)
    assert lines <= (4 if beside else 3), (lines, size)
    if width >= 1280:
        assert size == 32, size
