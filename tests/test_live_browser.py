"""A real browser on ``sitegen serve``: the page brings itself up to date after an edit (patched
in place when only its <main> changed, reloaded otherwise), keeps its scroll position, and
shows (escaped) build errors in an overlay until they are fixed."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from sitegen.build import Options, prepare
from tests.conftest import REPO, article
from tests.test_serve import ARTICLE, ARTICLE_URL, bilingual_files, edit, serving

TIMEOUT_MS = 60_000  # only guards against a hung test; nothing here asserts on speed
H1 = "document.querySelector('h1') && document.querySelector('h1').textContent.trim()"


def wait_for_title(page: Page, title: str) -> None:
    page.wait_for_function(f"{H1} === {title!r}", timeout=TIMEOUT_MS)


def test_the_page_reloads_itself_and_shows_errors_in_an_overlay(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    files = bilingual_files()
    long_body = "\n\n".join(f"Paragraf {n} tentang rapat koordinasi." for n in range(80))
    files[ARTICLE] = article("Rapat Koordinasi", body=long_body)
    site = make_site(files)
    with serving(site) as srv:
        page = chromium.new_page(viewport={"width": 800, "height": 600})
        page.goto(srv.url + ARTICLE_URL)
        assert page.evaluate(H1) == "Rapat Koordinasi"
        page.evaluate("window.scrollTo(0, 700); window.notReloaded = true")
        page.wait_for_function("window.scrollY === 700", timeout=TIMEOUT_MS)

        edit(site / ARTICLE, "Rapat Koordinasi", "Rapat Koordinasi Kedua")
        wait_for_title(page, "Rapat Koordinasi Kedua")
        assert page.evaluate("window.notReloaded") is None  # a real reload, not a patch
        page.wait_for_function("window.scrollY === 700", timeout=TIMEOUT_MS)

        # A broken date whose message quotes markup: it must show as text, never as HTML.
        edit(site / ARTICLE, 'date: "2024-05-30T10:00:00+07:00"', 'date: "<b>kemarin</b>"')
        page.wait_for_selector("#sitegen-overlay", timeout=TIMEOUT_MS)
        overlay = page.text_content("#sitegen-overlay") or ""
        assert f"{ARTICLE}:3: error: 'date' '<b>kemarin</b>' is not a date" in overlay
        assert page.locator("#sitegen-overlay b").count() == 0
        assert page.evaluate(H1) == "Rapat Koordinasi Kedua"  # the last good page stays

        # A page opened while the site is broken shows the overlay at once.
        other = chromium.new_page()
        other.goto(srv.url + "/")
        other.wait_for_selector("#sitegen-overlay", timeout=TIMEOUT_MS)
        other.close()

        edit(site / ARTICLE, 'date: "<b>kemarin</b>"', 'date: "2024-05-30T10:00:00+07:00"')
        edit(site / ARTICLE, "Rapat Koordinasi Kedua", "Rapat Koordinasi Ketiga")
        wait_for_title(page, "Rapat Koordinasi Ketiga")
        assert page.locator("#sitegen-overlay").count() == 0
        page.close()


def test_a_site_no_build_has_made_yet_is_not_said_to_show_its_last_good_version(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    """The first build failed: the browser gets a stand-in page with the errors over it, which
    said "This page is the last good version" of a site that never had one."""
    files = bilingual_files()
    files[ARTICLE] = '---\ntitle: "Rapat tanpa tutup\n---\nIsi.\n'
    site = make_site(files)
    with serving(site) as srv:
        page = chromium.new_page()
        page.goto(srv.url + "/")
        page.wait_for_selector("#sitegen-overlay", timeout=TIMEOUT_MS)
        overlay = page.text_content("#sitegen-overlay") or ""
        page.close()
    assert overlay.startswith("sitegen: the site could not be built. Fix these problems and save:"), overlay
    assert "last good version" not in overlay and f"{ARTICLE}:2: error: " in overlay, overlay


def test_an_edit_inside_main_patches_the_open_page_in_place(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    files = bilingual_files()
    files[ARTICLE] = article("Rapat Koordinasi", body="\n\n".join(
        f"Paragraf {n} tentang rapat koordinasi." for n in range(80)))
    site = make_site(files)
    with serving(site) as srv:
        page = chromium.new_page(viewport={"width": 800, "height": 600})
        page.goto(srv.url + ARTICLE_URL)
        page.wait_for_function("!document.querySelector('.copy-link').hidden", timeout=TIMEOUT_MS)  # share.js ran
        page.evaluate("window.scrollTo(0, 700); window.notReloaded = true;"
                      "document.querySelector('h1').dataset.mark = 'kept'")
        page.wait_for_function("window.scrollY === 700", timeout=TIMEOUT_MS)

        edit(site / ARTICLE, "Paragraf 79 tentang", "Paragraf terakhir yang diperbarui tentang")
        page.wait_for_function("document.querySelector('main').innerText.includes('Paragraf terakhir yang')",
                               timeout=TIMEOUT_MS)
        assert page.evaluate("window.notReloaded") is True  # patched, not reloaded
        assert "Paragraf 79 tentang" not in page.inner_text("main")
        assert page.evaluate("window.scrollY") == 700
        assert page.evaluate("document.querySelector('h1').dataset.mark") == "kept"  # unchanged nodes stay
        assert page.evaluate("document.querySelector('.copy-link').hidden") is False  # as the theme left it
        assert page.locator("main").count() == 1

        # Two saves in a row: the page ends up as the last one left it.
        edit(site / ARTICLE, "Paragraf 40 tentang", "Paragraf empat puluh tentang")
        edit(site / ARTICLE, "Paragraf 41 tentang", "Paragraf empat puluh satu tentang")
        page.wait_for_function("document.querySelector('main').innerText.includes('Paragraf empat puluh satu')",
                               timeout=TIMEOUT_MS)
        text = page.inner_text("main")
        assert "Paragraf empat puluh tentang" in text and "Paragraf terakhir yang" in text
        assert page.evaluate("window.notReloaded") is True

        # A change outside <main> (the title is in <head> too) reloads the page.
        edit(site / ARTICLE, "Rapat Koordinasi", "Rapat Koordinasi Kedua")
        wait_for_title(page, "Rapat Koordinasi Kedua")
        assert page.evaluate("window.notReloaded") is None
        page.close()


def test_a_changed_stylesheet_reaches_the_open_page(make_site: Callable[..., Path], chromium: Browser) -> None:
    """The page's text is the same, but what it loads is not: the page reloads whole."""
    files = bilingual_files()
    files["static/css/extra.css"] = "main { outline-color: rgb(1, 2, 3); }\n"
    base = (REPO / "themes/humas/templates/base.html").read_text("utf-8")
    files["templates/base.html"] = base.replace("</head>", '<link rel="stylesheet" href="/css/extra.css">\n</head>')
    site = make_site(files)
    with serving(site) as srv:
        page = chromium.new_page()
        page.goto(srv.url + ARTICLE_URL)
        style = "getComputedStyle(document.querySelector('main')).outlineColor"
        assert page.evaluate(style) == "rgb(1, 2, 3)"
        (site / "static/css/extra.css").write_text("main { outline-color: rgb(4, 5, 6); }\n", "utf-8")
        page.wait_for_function(f"{style} === 'rgb(4, 5, 6)'", timeout=TIMEOUT_MS)
        page.close()


def test_a_site_broken_from_the_start_shows_its_errors_then_itself(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    files = bilingual_files()
    good = files[ARTICLE]
    files[ARTICLE] = good.replace('date: "2024-05-30T10:00:00+07:00"', 'date: "kemarin"')
    site = make_site(files)
    with serving(site) as srv:
        page = chromium.new_page()
        page.goto(srv.url + ARTICLE_URL)
        page.wait_for_selector("#sitegen-overlay", timeout=TIMEOUT_MS)
        assert f"{ARTICLE}:3: error:" in (page.text_content("#sitegen-overlay") or "")
        (site / ARTICLE).write_text(good, "utf-8")
        wait_for_title(page, "Rapat Koordinasi")
        assert page.locator("#sitegen-overlay").count() == 0
        page.close()


def test_a_main_with_a_script_that_already_ran_is_reloaded_not_patched(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    """What an inline script did to <main> is not in the page as served: patching could undo
    it without running the script again, so such a page reloads."""
    base = (REPO / "themes/humas/templates/base.html").read_text("utf-8")
    inline = '<main id="main" class="wrap" tabindex="-1">\n<script>document.title += " *";</script>'
    files = bilingual_files()
    files["templates/base.html"] = base.replace('<main id="main" class="wrap" tabindex="-1">', inline)
    files[ARTICLE] = article("Rapat Koordinasi", body="Paragraf awal.\n\nParagraf akhir.")
    site = make_site(files)
    with serving(site) as srv:
        page = chromium.new_page()
        page.goto(srv.url + ARTICLE_URL)
        page.evaluate("window.notReloaded = true")
        edit(site / ARTICLE, "Paragraf akhir.", "Paragraf akhir yang baru.")
        page.wait_for_function("document.querySelector('main').innerText.includes('akhir yang baru')",
                               timeout=TIMEOUT_MS)
        assert page.evaluate("window.notReloaded") is None
        assert page.title().endswith(" *")
        page.close()


def set_title(path: Path, title: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = f"title: {json.dumps(title, ensure_ascii=False)}"
    path.write_text("\n".join(lines), "utf-8")


def test_edit_to_screen_time(bundled_site: Path, tmp_path: Path, chromium: Browser,
                             capsys: pytest.CaptureFixture[str]) -> None:
    """Measured and reported, not asserted: machines differ. The bundled site by default;
    SITEGEN_MEASURE_SITE=<site folder> measures a copy of another (e.g. a generated corpus)."""
    site = bundled_site
    if os.environ.get("SITEGEN_MEASURE_SITE"):
        site = tmp_path / "measured"
        shutil.copytree(os.environ["SITEGEN_MEASURE_SITE"], site,
                        ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    prepared = prepare(Options(site_dir=site))
    entry = prepared.site.articles[prepared.config.default_language][0]
    with serving(site, timeout=900) as srv:  # a big site's first build takes a while
        page = chromium.new_page()
        page.goto(srv.url + entry.url)
        seconds = []
        for n in range(1, 6):
            title = f"{entry.title} (revisi {n})"
            started = time.perf_counter()
            set_title(site / entry.source, title)
            wait_for_title(page, title)
            seconds.append(time.perf_counter() - started)
            page.wait_for_load_state("load")
        page.close()
    with capsys.disabled():
        print(f"\n{len(prepared.site.entries())} entries: edit to page updated in the browser: "
              f"median {statistics.median(seconds):.2f}s, min {min(seconds):.2f}s, "
              f"max {max(seconds):.2f}s over {len(seconds)} edits")


def test_eight_tabs_of_one_browser_all_load_and_all_follow_an_edit(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    """A browser keeps at most six connections to one server, and a live-reload stream holds
    one: with a stream per tab the seventh tab never loaded and none followed an edit. One tab
    listens for the browser and tells the others; when it closes, another listens."""
    site = make_site(bilingual_files())
    with serving(site) as srv:
        context = chromium.new_context()
        try:
            tabs = []
            for _n in range(8):
                tab = context.new_page()
                tab.goto(srv.url + ARTICLE_URL, timeout=TIMEOUT_MS)
                tabs.append(tab)
            edit(site / ARTICLE, "Isi berita", "Isi berita yang diperbarui")
            for tab in tabs:
                tab.wait_for_function("document.querySelector('main').innerText.includes('yang diperbarui')",
                                      timeout=TIMEOUT_MS)
            tabs.pop(0).close()  # the tab that listened, if it was the first: another takes over
            edit(site / ARTICLE, "yang diperbarui", "yang diperbarui lagi")
            for tab in tabs:
                tab.wait_for_function("document.querySelector('main').innerText.includes('diperbarui lagi')",
                                      timeout=TIMEOUT_MS)
        finally:
            context.close()
