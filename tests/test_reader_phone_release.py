"""Releases as a press office really writes them, read on a phone: Debian's headless Chromium
with mobile emulation at 360x740 (device pixel ratio 2) and 412x915 (ratio 3). A phone
browser that meets something wider than the screen widens its layout to fit it and shows the
whole page zoomed out, text and all, so nothing may stick out: not a one-word tag or unit of
60 letters, a long e-mail address, an embedded video player, a paragraph indented four spaces
(a Markdown code block) or a wide table. And each photo comes in the smallest published
version that is sharp at the width it is shown, not one step larger."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.conftest import article, build, photo_file, serve, write_site
from tests.test_reader_sizes import CHOSEN, VERSION

#: (width, height, device pixel ratio): a common 360 px Android phone and a 412 px one.
PHONES = [(360, 740, 2), (412, 915, 3)]
LONG_TAG = "PertanggungjawabanPenyelenggaraanPemerintahanDaerahKabupatenKota"
LONG_UNIT = "SubbagianHubunganMasyarakatDanTeknologiInformasiKantorWilayah"
LONG_EMAIL = "hubungan.masyarakat.kanwil.sumaterabarat@kemenkumham.example.go.id"
LONG_URL = ("https://jdih.example.go.id/peraturan/detail/peraturan-menteri-nomor-21-tahun-2024-"
            "tentang-pertanggungjawaban-penyelenggaraan?utm_source=humas&utm_medium=siaran")
#: The first word of a text beside its dateline, too long to stay beside the dateline of a
#: long place name on a narrow phone, not too long for a line of its own.
FIRST_WORD = "Pendaftarannya"
WIDE_TABLE = ("| " + " | ".join(f"Kolom Nomor {n}" for n in range(10)) + " |\n|" + "---|" * 10 + "\n| "
              + " | ".join(f"Nilai{n}Panjang" for n in range(10)) + " |\n")
INDENTED = ("    Paragraf yang diawali empat spasi karena disalin dari pengolah kata, dengan kalimat "
            "panjang tanpa pindah baris sama sekali.")
EMBEDS = f"""Paragraf pembuka tentang kegiatan hari ini, dengan tautan {LONG_URL} di tengah kalimat.

{INDENTED}

{WIDE_TABLE}
<iframe width="560" height="315" src="/video.html" title="Video kegiatan" allowfullscreen></iframe>

<video controls width="640" height="360" src="/video.mp4"></video>

Paragraf penutup.
"""

#: Every place a name of a release's shows: home, the release, its tag, unit and category
#: pages, the index of tags and units (the footer lists them all on every page).
NAME_PAGES = ["/", "/berita/2024/nama-panjang/", "/tags/", f"/tags/{LONG_TAG.lower()}/", "/units/",
              f"/units/{LONG_UNIT.lower()}/", "/categories/"]

#: What sticks out past the right edge of the layout where its parent does not: the causes.
STICKING_OUT = """() => { const edge = document.documentElement.clientWidth + 0.5,
    out = el => { const box = el.getBoundingClientRect(); return box.width > 0 && box.right > edge; };
  return [...document.querySelectorAll('body *')].filter(el => out(el) && !out(el.parentElement))
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' in '
               + el.parentElement.tagName.toLowerCase() + '.' + el.parentElement.className); }"""


def widest(page: Any, width: int) -> tuple[int, int, list[str]]:
    """The layout's width, the page's scrolling width and what sticks out (if anything)."""
    layout, scrolled = page.evaluate("[innerWidth, document.scrollingElement.scrollWidth]")
    return layout, scrolled, (page.evaluate(STICKING_OUT) if max(layout, scrolled) > width else [])


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    photos = {f"static/images/foto-{n}.jpg": photo_file(2000, 1333, color=(20 * n, 90, 160)) for n in range(1, 9)}
    root = write_site(tmp_path_factory.mktemp("phone") / "site", {
        **photos,
        "static/video.html": "<!DOCTYPE html><title>Video</title><p>Video</p>",
        "content/berita/nama-panjang.id.md": article(
            "Penandatanganan Nota Kesepahaman Penyelenggaraan Pemerintahan Kabupaten/Kota Se-Sumatera Barat",
            "2024-05-30T10:00:00+07:00", "Isi berita.", tags=[LONG_TAG, "Humas"], unit=LONG_UNIT,
            category="KeterbukaanInformasiPublikDanPelayananPengaduanMasyarakat",
            contact={"name": "Humas", "email": LONG_EMAIL}, image="/images/foto-1.jpg", image_alt="Foto utama",
            gallery=[{"path": f"/images/foto-{n}.jpg", "alt": f"Foto galeri {n}"} for n in range(2, 6)]),
        "content/berita/tersemat.id.md": article("Video dan Tabel", "2024-05-29T10:00:00+07:00", EMBEDS),
        "content/berita/alamat-web.id.md": article(
            "Pendaftaran Daring", "2024-04-28T10:00:00+07:00",
            f"{FIRST_WORD} dapat diisi di {LONG_URL} mulai hari ini.", location="Kabupaten Kepulauan Mentawai"),
        **{f"content/berita/kabar-{n}.id.md": article(f"Kabar Nomor {n}", f"2024-05-2{n}T10:00:00+07:00",
                                                      image=f"/images/foto-{n}.jpg", image_alt=f"Foto kabar {n}")
           for n in range(6, 9)},
    })
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    with serve(root / "public") as base:
        yield base


@contextmanager
def phone(chromium: Any, width: int, height: int, ratio: int) -> Iterator[Any]:
    """A tab of a phone of ``width`` x ``height`` CSS pixels at ``ratio``, with a fresh cache."""
    context = chromium.new_context(viewport={"width": width, "height": height}, device_scale_factor=ratio,
                                   is_mobile=True, has_touch=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
def test_long_names_never_widen_a_phone_page(site_url: str, chromium: Any, width: int, height: int,
                                             ratio: int) -> None:
    """A tag, unit or category written as one long word, a long e-mail address: they break
    where they must (footer, tag pills, term indexes, the release's facts and contact)."""
    with phone(chromium, width, height, ratio) as tab:
        found = {}
        for url in NAME_PAGES:
            response = tab.goto(site_url + url)
            assert response is not None and response.ok, url
            found[url] = widest(tab, width)
    assert found == {url: (width, width, []) for url in NAME_PAGES}


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
def test_an_embedded_player_or_an_indented_paragraph_never_widens_a_phone_page(
        site_url: str, chromium: Any, width: int, height: int, ratio: int) -> None:
    """A video player pasted into the text (an iframe of 560 px, a video of 640 px) and a
    paragraph indented four spaces fit the column; a wide table scrolls in its own region."""
    with phone(chromium, width, height, ratio) as tab:
        tab.goto(site_url + "/berita/2024/tersemat/")
        assert widest(tab, width) == (width, width, [])
        player = tab.evaluate("""() => [...document.querySelectorAll('.body iframe, .body video')].map(e => {
            const box = e.getBoundingClientRect(); return [Math.round(box.width), Math.round(box.height)]; })""")
        table = tab.evaluate("(r => r.scrollWidth > r.clientWidth)(document.querySelector('.table-scroll'))")
    assert [w for w, _ in player] == [width - 32] * 2  # the text column's width
    assert abs(player[1][1] - (width - 32) * 360 / 640) <= 1  # the video keeps its shape
    assert table


@pytest.mark.parametrize(("width", "height", "ratio"), PHONES)
@pytest.mark.parametrize("url", ["/", "/berita/2024/nama-panjang/"])
def test_a_phone_loads_each_photo_in_the_smallest_version_sharp_at_its_shown_width(
        site_url: str, chromium: Any, url: str, width: int, height: int, ratio: int) -> None:
    """Cards, the lead photo and gallery photos: the version Chromium picks from srcset and
    sizes covers the shown width times the pixel ratio, and is not the step above (a 412 px
    phone at ratio 3 shows a card 378 px wide: 1134 pixels, so 1200, not 1600)."""
    with phone(chromium, width, height, ratio) as tab:  # a fresh cache: no bigger version at hand
        tab.goto(site_url + url)
        photos = tab.evaluate(CHOSEN)
    assert len(photos) >= 4
    for _place, address, widths, shown in photos:
        match = VERSION.search(address)
        assert match, address
        enough = [w for w in sorted(widths) if w >= shown * ratio] or [max(widths)]
        assert int(match.group(1)) == enough[0], (address, shown, ratio)


#: Each photo of the page: whether it starts inside the first screen, and its loading attribute.
PLACES = """() => [...document.querySelectorAll('main img')].map(img =>
    [img.getBoundingClientRect().top < innerHeight, img.getAttribute('loading'), img.currentSrc])"""


@pytest.mark.parametrize("url", ["/", "/berita/", "/tags/humas/", "/archive/2024/"])
def test_photos_in_the_first_screen_load_at_once_and_the_others_lazily(site_url: str, chromium: Any,
                                                                       url: str) -> None:
    """The first card of every list shows in a phone's first screen: lazily loaded, it would
    wait for the stylesheet and the layout before its request starts (the page's largest
    picture, late on slow mobile data). The cards below it wait until they are scrolled near."""
    with phone(chromium, *PHONES[0]) as tab:
        tab.goto(site_url + url)
        places = tab.evaluate(PLACES)
    assert places and places[0][0], url  # the first picture is in the first screen
    assert [(seen, loading) for seen, loading, _ in places] == [(seen, None if seen else "lazy")
                                                                for seen, _, _ in places], places


@pytest.mark.parametrize(("width", "height", "ratio"), [(320, 640, 2), *PHONES])
def test_a_web_address_beside_the_dateline_never_widens_a_phone_page(
        site_url: str, chromium: Any, width: int, height: int, ratio: int) -> None:
    """The first paragraph, beside "Padang -", kept every word whole, so a web address written
    out in it widened the page (633 px at 320); it breaks now, and the first word still moves
    below the dateline whole rather than breaking beside it."""
    with phone(chromium, width, height, ratio) as tab:
        tab.goto(site_url + "/berita/2024/alamat-web/")
        assert widest(tab, width) == (width, width, [])
        pieces = tab.evaluate("""(word) => { const p = document.querySelector('.dateline + p');
            const text = p.firstChild, range = document.createRange();
            range.setStart(text, 0); range.setEnd(text, word.length); return range.getClientRects().length; }""",
                              FIRST_WORD)
        assert pieces == 1

