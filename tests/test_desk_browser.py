"""The desk in Debian's Chromium, as a humas staff member uses it: write a release with a photo,
watch the preview, fix what the check marks beside a field, publish and see the site reload,
translate, embargo, and settle a clash with an edit made outside the desk. Plus axe, the
keyboard alone, Indonesian, and screenshots at phone and desktop width (tests/artifacts/)."""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page

from sitegen.desk import views
from sitegen.desk.app import PREFIX
from tests.conftest import REPO, SMALL_CONFIG, article, need
from tests.desk_helpers import desk_server, leaving
from tests.test_accessibility import axe_path, violations
from tests.test_desk import ARTICLE, jpeg, small_site
from tests.test_serve import free_port, launch, serving, wait_for

TIMEOUT_MS = 60_000  # only guards against a hung test; nothing here asserts on speed
ARTIFACTS = REPO / "tests" / "artifacts"
DESK = "/__sitegen/desk/"
ZONE = ZoneInfo("Asia/Jakarta")


def files() -> dict[str, str | bytes]:
    return {
        "content/berita/2024-05-30-rapat.id.md": article("Rapat Koordinasi", body="Isi berita rapat.",
                                                          tags=["rapat", "koordinasi"]),
        "content/berita/2024-05-30-rapat.en.md": article("Coordination Meeting", body="The news."),
        "content/pages/tentang.id.md": article("Tentang", date="", body="Tentang kami."),
        "content/berita/2024-05-31-sendiri.id.md": article("Rilis Tanpa Terjemahan", body="Isi."),
    }


def status_of(url: str) -> int:
    host, _, rest = url.removeprefix("http://").partition("/")
    conn = http.client.HTTPConnection(host, timeout=30)
    try:
        conn.request("GET", "/" + rest)
        return conn.getresponse().status
    finally:
        conn.close()


def checked(page: Page, after: int) -> None:
    """Wait until the desk has answered a check made after ``after`` earlier ones."""
    page.wait_for_function(f"Number(document.getElementById('release').dataset.checked || 0) > {after}",
                           timeout=TIMEOUT_MS)


def check_count(page: Page) -> int:
    return int(page.evaluate("Number(document.getElementById('release').dataset.checked || 0)"))


def test_write_a_release_with_a_photo_publish_translate_embargo_and_settle_a_conflict(
        make_site: Callable[..., Path], chromium: Browser, tmp_path: Path) -> None:
    site = make_site(files())
    photo = tmp_path / "Foto Rapat.jpg"
    photo.write_bytes(jpeg((640, 480)))
    with serving(site) as srv:
        home = chromium.new_page(bypass_csp=True)
        home.goto(srv.url + "/")
        home.evaluate("window.notReloaded = true")

        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(srv.url + DESK)
        with leaving(page):  # what is typed next is checked only once desk.js is there
            page.get_by_role("link", name="Write a new release").click()
        assert page.is_checked("#draft")  # a new release starts as a draft

        # Type the release; the preview follows in the real theme.
        seen = check_count(page)
        page.fill("#title", "Kanwil Gelar Sosialisasi Layanan")
        page.fill("#location", "Padang")
        page.fill("#tag_new", "sosialisasi")
        page.click("#tag-add")
        page.fill("#body", "Kanwil menggelar sosialisasi. Lihat [jadwal](/jadwal-tidak-ada/).\n")
        checked(page, seen)
        preview = page.frame_locator("#preview")
        preview.locator("h1").filter(has_text="Kanwil Gelar Sosialisasi Layanan").wait_for(timeout=TIMEOUT_MS)

        # The broken link is marked beside the text, and Publish waits for it.
        page.wait_for_function("document.getElementById('err-body').textContent.includes('/jadwal-tidak-ada/')",
                               timeout=TIMEOUT_MS)
        assert page.get_attribute("#body", "aria-invalid") == "true"
        assert "err-body" in (page.get_attribute("#body", "aria-describedby") or "")
        assert page.is_disabled("#publish")
        seen = check_count(page)
        page.fill("#body", "Kanwil menggelar sosialisasi. Lihat [berita lain](/berita/).\n")
        checked(page, seen)
        page.wait_for_function("!document.getElementById('publish').disabled", timeout=TIMEOUT_MS)
        assert page.text_content("#err-body") == ""

        # A photo needs its description and credit before it uploads.
        page.set_input_files("#photo_file", str(photo))
        page.click("#photo-upload")
        page.wait_for_function("document.getElementById('err-photo_file').textContent.length > 0",
                               timeout=TIMEOUT_MS)
        assert "alt text" in (page.text_content("#err-photo_file") or "")
        page.fill("#image_alt", "Peserta sosialisasi di aula kantor")
        page.fill("#image_credit", "Humas Kanwil")
        page.set_input_files("#photo_file", str(photo))
        page.click("#photo-upload")
        page.wait_for_function("document.getElementById('image').value === '/images/foto-rapat.jpg'",
                               timeout=TIMEOUT_MS)
        assert (site / "static/images/foto-rapat.jpg").read_bytes() == photo.read_bytes()
        # A second photo for the gallery, with its own description and credit; one over the
        # size limit is refused beside its field before it is sent.
        page.fill("#gallery_alt_new", "Warga bertanya kepada petugas")
        page.fill("#gallery_credit_new", "Humas Kanwil")
        page.set_input_files("#gallery_file", {"name": "besar.jpg", "mimeType": "image/jpeg",
                                               "buffer": b"\xff\xd8\xff" + b"\0" * (26 * 1024 * 1024)})
        page.click("#gallery-upload")
        page.wait_for_function("document.getElementById('err-gallery_file').textContent.includes('25 MB')",
                               timeout=TIMEOUT_MS)
        assert not (site / "static/images/besar.jpg").exists()
        page.set_input_files("#gallery_file", str(photo))
        page.click("#gallery-upload")
        page.wait_for_selector("input[name=gallery_path][value='/images/foto-rapat-2.jpg']", state="attached",
                               timeout=TIMEOUT_MS)
        seen = check_count(page)
        page.click("[data-md=bold]")
        checked(page, seen)
        preview.locator("img[src*='foto-rapat']").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        page.screenshot(path=str(shot("desk-write-desktop.png")), full_page=True)

        # Publish: the file is written, the site rebuilds and the open home page reloads itself.
        page.wait_for_function("!document.getElementById('publish').disabled", timeout=TIMEOUT_MS)
        with leaving(page):
            page.click("#publish")
        page.wait_for_selector(".notice.ok", timeout=TIMEOUT_MS)
        rel = page.eval_on_selector("input[name=file]", "e => e.value")
        assert re.fullmatch(r"content/berita/\d{4}-\d{2}-\d{2}-kanwil-gelar-sosialisasi-layanan\.id\.md", rel)
        text = (site / rel).read_text("utf-8")
        assert "draft" not in text and 'image: "/images/foto-rapat.jpg"' in text
        assert 'image_credit: "Humas Kanwil"' in text and "**" in text
        assert '  - path: "/images/foto-rapat-2.jpg"\n    alt: "Warga bertanya kepada petugas"\n' in text
        home.wait_for_function("window.notReloaded === undefined", timeout=TIMEOUT_MS)
        home.get_by_text("Kanwil Gelar Sosialisasi Layanan").first.wait_for(timeout=TIMEOUT_MS)
        public = page.get_attribute("a:text('See it on the site')", "href") or ""
        assert public.startswith("/berita/")

        # Translate: the English twin is a draft, with the source beside it.
        with leaving(page):
            page.get_by_role("button", name="Translate into English").click()
        page.wait_for_selector("section.source-version", timeout=TIMEOUT_MS)
        assert page.is_checked("#draft")
        assert "Kanwil menggelar sosialisasi" in (page.text_content("section.source-version") or "")
        seen = check_count(page)
        page.fill("#title", "Regional Office Holds Service Outreach")
        page.fill("#body", "The regional office held an outreach. See [other news](/en/).\n")
        page.fill("#summary", "An outreach on public services.")
        checked(page, seen)  # Publish as the check left it, not as the page came
        page.wait_for_function("!document.getElementById('publish').disabled", timeout=TIMEOUT_MS)
        with leaving(page):  # the translation's page has a notice too: wait for the next one's
            page.click("#publish")
        page.wait_for_selector(".notice.ok", timeout=TIMEOUT_MS)
        twin = rel.replace(".id.md", ".en.md")
        assert 'title: "Regional Office Holds Service Outreach"' in (site / twin).read_text("utf-8")
        # a draft's address follows its title: the English page has an English one
        english = page.get_attribute("a:text('See it on the site')", "href") or ""
        assert english == "/en" + public.replace("kanwil-gelar-sosialisasi-layanan",
                                                 "regional-office-holds-service-outreach")
        wait_for(lambda: status_of(srv.url + english) == 200, "the English page")

        # Embargo the source until tomorrow: it leaves the site at the next rebuild.
        page.goto(srv.url + DESK + "edit?file=" + rel)
        tomorrow = datetime.now(ZONE) + timedelta(days=1)
        page.fill("#embargo_date", f"{tomorrow:%Y-%m-%d}")
        page.fill("#embargo_time", "10:00")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_selector(".notice.ok", timeout=TIMEOUT_MS)
        assert f'embargo: "{tomorrow:%Y-%m-%d}T10:00:00+07:00"' in (site / rel).read_text("utf-8")
        wait_for(lambda: status_of(srv.url + public) == 404, "the embargoed page to leave the site")

        def overview_says(words: str) -> bool:
            page.goto(srv.url + DESK + "?q=Sosialisasi")
            return words in (page.text_content("tbody tr") or "")

        # The overview shows the site as last built: it says so once that build is in.
        wait_for(lambda: overview_says(f"embargoed until {tomorrow:%Y-%m-%d} 10:00"), "the embargo in the overview")

        # Someone edits the file outside the desk while it is open: nothing is lost. Their text
        # comes into the form; the title, which both changed, is put to the person.
        page.goto(srv.url + DESK + "edit?file=" + rel)
        outside = (site / rel).read_text("utf-8").replace("Kanwil menggelar sosialisasi.",
                                                          "Kanwil menggelar sosialisasi (versi editor).")
        outside = re.sub(r'^title: .*$', 'title: "Sosialisasi Layanan (judul editor)"', outside, count=1, flags=re.M)
        (site / rel).write_text(outside, "utf-8")
        page.fill("#title", "Kanwil Gelar Sosialisasi Layanan Publik")
        with leaving(page):  # read below once the whole answer is in
            page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_selector("section.theirs", timeout=TIMEOUT_MS)
        assert (site / rel).read_text("utf-8") == outside
        assert "judul editor" in (page.text_content("section.theirs") or "")
        assert page.input_value("#title") == "Kanwil Gelar Sosialisasi Layanan Publik"
        assert "versi editor" in page.input_value("#body")  # their text, already in my form
        assert "you both changed: Title." in (page.text_content(".notice.problem") or "")
        page.screenshot(path=str(shot("desk-conflict-desktop.png")), full_page=True)
        # Keep my title and their text, and save deliberately.
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_selector(".notice.ok", timeout=TIMEOUT_MS)
        merged = (site / rel).read_text("utf-8")
        assert 'title: "Kanwil Gelar Sosialisasi Layanan Publik"' in merged and "versi editor" in merged
        page.close()
        home.close()


def shot(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def test_the_desk_passes_axe_on_phone_and_desktop_and_speaks_indonesian(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    axe = axe_path()
    need(axe, "axe-core (npm install --prefix .ci/.tools axe-core, or set AXE_JS)")
    assert axe is not None
    site = make_site(files(), config=SMALL_CONFIG + "ui_language: id\n")
    port = free_port()
    with launch(site, ["serve", "--port", str(port)], "menyajikan ") as srv:  # sitegen speaks Indonesian too
        found_port = re.search(r"di http://127\.0\.0\.1:(\d+)/", srv.log("out"))
        assert found_port, srv.log("out") + srv.log("err")
        srv.port = int(found_port.group(1))
        # a file edited by hand with a slip, which the desk opens as its text to correct
        (site / "content/berita/2024-06-03-rusak.id.md").write_text('---\ntitle: "Rusak\n---\nIsi.\n', "utf-8")
        found: dict[str, list[str]] = {}
        for width, height, label in ((375, 800, "phone"), (1280, 900, "desktop")):
            page = chromium.new_page(viewport={"width": width, "height": height}, bypass_csp=True)
            for name, path in (("overview", DESK), ("edit", DESK + "edit?file=content/berita/2024-05-31-sendiri.id.md"),
                               ("new", DESK + "new"), ("history", DESK + "history?file=content/berita/"
                                                        "2024-05-30-rapat.id.md"),
                               ("fix", DESK + "edit?file=content/berita/2024-06-03-rusak.id.md")):
                page.goto(srv.url + path)
                assert page.evaluate("document.documentElement.lang") == "id"
                found[f"{name} {label}"] = violations(page, axe)
                if name == "fix":
                    assert page.get_by_role("textbox", name="Teks content/berita/2024-06-03-rusak.id.md").count() == 1
                if name == "edit":
                    assert page.get_by_role("button", name="Terjemahkan ke English").count() == 1
                    assert page.get_by_role("button", name="Terbitkan").count() == 1
            page.close()
        assert found == {name: [] for name in found}


def test_the_desk_fits_a_phone_and_a_desktop_in_screenshots(make_site: Callable[..., Path],
                                                            chromium: Browser) -> None:
    """Screenshots at phone and desktop width in tests/artifacts/, and nothing wider than
    the screen (no sideways scrolling)."""
    site = make_site(files())
    with serving(site) as srv:
        for width, height, label in ((375, 800, "phone"), (1280, 900, "desktop")):
            page = chromium.new_page(viewport={"width": width, "height": height}, bypass_csp=True)
            for name, path in (("overview", DESK), ("edit", DESK + "edit?file=content/berita/2024-05-31-sendiri.id.md"),
                               ("new", DESK + "new"),
                               ("history", DESK + "history?file=content/berita/2024-05-31-sendiri.id.md")):
                page.goto(srv.url + path)
                page.wait_for_selector("main")
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, label)
                page.screenshot(path=str(shot(f"desk-{name}-{label}.png")), full_page=True)
            page.close()
        assert all(shot(f"desk-{name}-{label}.png").stat().st_size > 10_000
                   for name in ("overview", "edit", "new") for label in ("phone", "desktop"))


def test_the_desk_works_with_the_keyboard_alone(make_site: Callable[..., Path], chromium: Browser) -> None:
    site = make_site(files())
    with serving(site) as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(srv.url + DESK)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        # Tab to "New release" in the header and open it with Enter.
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == "New release":
                break
        with leaving(page):  # the toolbar is one Tab stop once desk.js is there
            page.keyboard.press("Enter")
        # Tab to the title, type, use a toolbar button from the keyboard, publish with Enter.
        focus_on(page, "title")
        page.keyboard.type("Rilis Dari Papan Ketik")
        focus_on(page, "body")
        page.keyboard.type("Teks rilis")
        page.keyboard.press("Shift+Home")
        page.keyboard.press("Shift+Tab")  # back to the toolbar: one stop, its first button (bold)
        assert page.evaluate("document.activeElement.dataset.md") == "bold"
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.dataset.md") == "italic"
        page.keyboard.press("ArrowLeft")
        assert page.evaluate("document.activeElement.dataset.md") == "bold"
        page.keyboard.press("Enter")
        assert page.input_value("#body").startswith("**Teks rilis**")
        focus_on(page, "publish", ready="!document.getElementById('publish').disabled")
        page.keyboard.press("Enter")
        page.wait_for_selector(".notice.ok", timeout=TIMEOUT_MS)
        assert list(site.glob("content/berita/*-rilis-dari-papan-ketik.id.md"))
        page.close()


def focus_on(page: Page, element_id: str, ready: str = "true") -> None:
    """Press Tab until the element has the focus (as a keyboard user would)."""
    page.wait_for_function(ready, timeout=TIMEOUT_MS)
    for _ in range(200):
        if page.evaluate("document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_an_attachment_uploaded_from_the_keyboard_gets_a_title_field_and_the_focus(
        make_site: Callable[..., Path], chromium: Browser, tmp_path: Path) -> None:
    site = make_site(files())
    pdf = tmp_path / "Surat Edaran.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with serving(site) as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(srv.url + DESK + "edit?file=content/berita/2024-05-30-rapat.id.md")
        page.set_input_files("#attachment_file", str(pdf))
        page.focus("#attachment-upload")
        page.keyboard.press("Enter")
        page.wait_for_selector("#attachment-list li input[name=attachment_title]", timeout=TIMEOUT_MS)
        new_field = "#attachment-list li:last-child input[name=attachment_title]"
        label = page.evaluate(f"document.querySelector('{new_field}').labels[0].textContent")
        assert label == "Title"
        assert page.evaluate(f"document.activeElement === document.querySelector('{new_field}')")
        assert (site / "static/files/surat-edaran.pdf").read_bytes() == pdf.read_bytes()
        page.close()


def test_leaving_a_desk_page_waits_for_the_next_one_s_late_script(
        make_site: Callable[..., Path], chromium: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    """tests.desk_helpers.leaving on a busy machine: desk.js (deferred, fetched anew with every
    page) comes after the page is shown, and a toolbar button pressed before it does nothing."""
    asset = views.asset

    def late(name: str) -> tuple[bytes, str] | None:
        if name == "desk.js":
            time.sleep(1.5)
        return asset(name)

    monkeypatch.setattr(views, "asset", late)
    with desk_server(small_site(make_site)) as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(f"http://127.0.0.1:{srv.port}{PREFIX}edit?file={ARTICLE}")
        with leaving(page):
            page.get_by_role("button", name="Save", exact=True).click()
        assert "done=saved" in page.url
        # desk.js has made the toolbar one Tab stop, and checks what is typed
        assert page.evaluate("document.querySelector('[data-md=italic]').tabIndex") == -1
        seen = check_count(page)
        page.fill("#title", "")
        checked(page, seen)
        assert page.get_attribute("#title", "aria-invalid") == "true"
        page.close()


def test_off_loopback_a_signed_in_person_s_preview_shows_a_draft_s_photo(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    """The preview (a sandboxed frame) asks for a draft's photo versions with the desk's
    cookie: off loopback they are given only to a signed-in person, and shown to them."""
    from sitegen.desk import security

    draft = "content/berita/2024-06-03-draf.id.md"
    site = small_site(make_site, **{"static/images/draf.jpg": jpeg((900, 600)), draft: article(
        "Draf Berfoto", body="Isi.", draft=True, image="/images/draf.jpg", image_alt="Peserta", image_credit="Humas")})
    security.set_password(site, "a long enough password")
    with desk_server(site, host="0.0.0.0") as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})  # the desk's own CSP
        page.goto(f"http://127.0.0.1:{srv.port}{PREFIX}edit?file={draft}")
        assert "/login" in page.url
        page.fill("input[name=password]", "a long enough password")
        with leaving(page):
            page.keyboard.press("Enter")
        page.goto(f"http://127.0.0.1:{srv.port}{PREFIX}edit?file={draft}")
        photo = page.frame_locator("#preview").locator("img[src*='/images/draf-']").first
        photo.wait_for(timeout=TIMEOUT_MS)
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not photo.evaluate("img => img.complete") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert photo.evaluate("img => img.naturalWidth") > 0  # loaded, not a broken image
        page.close()


def test_a_new_release_s_language_chosen_in_the_form_brings_that_language_s_suggestions(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    """The README: tag suggestions 'from the releases in the form's language'. A new release
    opens in the default language, and choosing English in its Language menu (the only way to
    an English form from the overview) kept the Indonesian tags, units and contact."""
    contact = ("contact:\n  name:\n    id: Subbagian Humas\n    en: Public Relations Sub-Section\n"
               "  phone: \"+62 751 000000\"\n")
    site = make_site({
        "content/berita/2024-05-30-rapat.en.md": article("Coordination Meeting", body="The news.",
                                                         tags=["christmas"], unit="Immigration Division"),
        "content/berita/2024-05-31-natal.id.md": article("Natal", body="Isi.", tags=["natal"],
                                                         unit="Divisi Keimigrasian"),
    }, config=SMALL_CONFIG + contact)

    def offered(page: Page, listed: str) -> list[str]:
        return list(page.eval_on_selector_all(f"#{listed} option", "options => options.map(o => o.value)"))

    with serving(site) as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        page.goto(srv.url + DESK + "new")
        page.wait_for_function("document.getElementById('by-language') !== null", timeout=TIMEOUT_MS)
        assert offered(page, "tag-list") == ["natal"] and offered(page, "units") == ["Divisi Keimigrasian"]
        assert page.get_attribute("#contact_name", "placeholder") == "Subbagian Humas"
        page.select_option("#lang", "en")
        assert offered(page, "tag-list") == ["christmas"] and offered(page, "units") == ["Immigration Division"]
        assert page.get_attribute("#contact_name", "placeholder") == "Public Relations Sub-Section"
        assert "Public Relations Sub-Section" in page.text_content("#hint-contact")
        page.select_option("#lang", "id")
        assert offered(page, "tag-list") == ["natal"]
        page.close()
