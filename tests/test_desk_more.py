"""The desk without its script and while a chosen file goes up: a date it cannot read is not
saved, an upload Save waits for is said, and the overview's dates read in the desk's language."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route

from sitegen.desk.app import UNREADABLE_DATE
from sitegen.messages import _, set_language
from tests.conftest import article
from tests.desk_helpers import Client, desk_server, leaving
from tests.test_desk import ARTICLE, jpeg, new_fields, replace_field, saved_form, small_site
from tests.test_desk_browser import TIMEOUT_MS
from tests.test_desk_language import started_as_serve
from tests.test_desk_safety import EDIT, chosen, opened
from tests.test_desk_two import field_errors

# --- 1. a date the desk cannot read, sent without the page's script ---------------------------------


@pytest.mark.parametrize(("field", "day", "clock", "said"), [
    ("date", "", "17:42", "a time (17:42) but no date: choose the day too"),
    ("date", "31/02/2026", "17:42", "not a date"),
    ("date", "2026-02-30", "17:42", "an impossible date: that month has no such day"),
    ("embargo_date", "", "09:00", "a time (09:00) but no date: choose the day too"),
    ("embargo_date", "besok", "", "not a date"),
    ("date", "2026-06-01", "17.42", "the time 17.42 cannot be read: write it as hours:minutes, like 17:42"),
])
def test_a_draft_with_a_date_the_desk_cannot_read_is_not_saved(
        make_site: Callable[..., Path], field: str, day: str, clock: str, said: str) -> None:
    site = small_site(make_site)
    before = (site / ARTICLE).read_bytes()
    clock_field = "time" if field == "date" else "embargo_time"
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(replace_field(saved_form(client, ARTICLE), field, day), clock_field, clock)
        refused = client.post("save", [*fields, ("draft", "1"), ("action", "save")])
        assert refused.status == 422
        assert (site / ARTICLE).read_bytes() == before
        page = refused.page()
        assert page.xpath(f"string(//*[@id='err-{field}'])").strip() == said
        assert "Nothing was saved" in page.xpath("string(//*[@role='alert'])")
        # the form comes back as sent: nothing typed is lost
        assert page.get_element_by_id(field).get("value") == day
        assert page.get_element_by_id(clock_field).get("value") == clock
        # A new release's form too: no file is made.
        folder = site / "content/berita"
        made = set(folder.iterdir())
        other = replace_field(replace_field(new_fields(client, title="Jadwal"), field, day), clock_field, clock)
        assert client.post("save", [*other, ("action", "save")]).status == 422
        assert set(folder.iterdir()) == made
        # a date and time it reads still save
        fields = replace_field(replace_field(fields, field, "2026-06-01"), clock_field, "17:42")
        assert client.post("save", [*fields, ("draft", "1"), ("action", "save")]).status == 303
        key = "date" if field == "date" else "embargo"
        assert f'{key}: "2026-06-01T17:42:00+07:00"' in (site / ARTICLE).read_text("utf-8")


def test_the_refusal_is_in_the_desk_s_language(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    set_language("id")
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(replace_field(saved_form(client, ARTICLE), "date", ""), "time", "17:42")
        page = client.post("save", [*fields, ("draft", "1"), ("action", "save")]).page()
        said = page.xpath("string(//*[@id='err-date'])").strip()
        assert said == _("a time ({value}) but no date: choose the day too").format(value="17:42") != \
            "a time (17:42) but no date: choose the day too"
        assert page.xpath("string(//*[@role='alert'])") == _(UNREADABLE_DATE)


def test_the_live_check_says_of_an_unreadable_time_what_save_says(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "time", "17.42")
        errors = field_errors(client, fields)
        assert errors["date"] == "the time 17.42 cannot be read: write it as hours:minutes, like 17:42", errors


# --- 2. a chosen file going up while Save waits --------------------------------------------------------


def held_uploads(page: Page) -> list[Route]:
    """The upload requests the page sends, held (not sent on) until the test lets each go: an
    upload as slow as the test needs."""
    held: list[Route] = []
    page.route("**/__sitegen/desk/upload", lambda route: held.append(route))
    return held


def wait_for(page: Page, held: list[Route]) -> Route:
    for _attempt in range(200):
        if held:
            return held.pop(0)
        page.wait_for_timeout(50)  # lets Playwright hand over the routed request
    raise AssertionError("no upload was sent")


def choose_a_photo(page: Page) -> None:
    """The lead photo's description, credit and file, chosen but not uploaded."""
    page.fill("#image_alt", "Peserta rapat di aula")
    page.fill("#image_credit", "Humas")
    page.set_input_files("#photo_file", chosen("Foto Rapat.jpg", jpeg()))


@pytest.mark.parametrize("ui_language", ["en", "id"])
def test_a_photo_going_up_with_save_is_said_until_it_is_up(
        make_site: Callable[..., Path], chromium: Browser, ui_language: str) -> None:
    site = small_site(make_site)
    set_language(ui_language)  # as serve does for a site with  ui_language: id  (the fixture sets English back)
    uploading = _("Uploading the photo…")
    with desk_server(site) as srv:
        page = opened(chromium, srv.port, EDIT)
        held = held_uploads(page)
        choose_a_photo(page)
        page.get_by_role("button", name=_("Save"), exact=True).click()
        going = wait_for(page, held)
        beside = page.locator("#photo_file ~ .upload-status")
        assert beside.is_visible() and beside.text_content() == uploading
        bar = page.locator("#release .actions [role=status]")
        assert bar.is_visible() and bar.text_content() == uploading
        with leaving(page):
            going.continue_()
        assert 'image: "/images/foto-rapat.jpg"' in (site / ARTICLE).read_text("utf-8")
        assert uploading not in (page.text_content("body") or "")
        # One that fails: the status gives way to the reason, beside the field and in the bar.
        page.set_input_files("#photo_file", chosen("Foto Lain.jpg", jpeg()))
        page.get_by_role("button", name=_("Save"), exact=True).click()
        going = wait_for(page, held)
        assert page.locator("#photo_file ~ .upload-status").text_content() == uploading
        going.fulfill(status=415, content_type="application/json", body=json.dumps({"error": "rusak"}))
        page.wait_for_function("document.getElementById('err-photo_file').textContent === 'rusak'",
                               timeout=TIMEOUT_MS)
        assert uploading not in (page.text_content("body") or "")
        assert page.is_visible("#save-problem")
        # The Upload button alone: said beside the field while it goes up, gone when it is up.
        page.click("#photo-upload")
        going = wait_for(page, held)
        assert page.locator("#photo_file ~ .upload-status").text_content() == uploading
        going.continue_()
        page.wait_for_function("document.getElementById('err-photo_file').textContent.includes('✓')",
                               timeout=TIMEOUT_MS)
        assert uploading not in (page.text_content("body") or "")
        page.close()


def test_the_save_bar_says_an_upload_goes_up_while_any_still_does(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    """Two uploads at once (a photo and a file): the first to be up does not clear the Save
    bar's words while the other still goes up."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        page = opened(chromium, srv.port, EDIT)
        held = held_uploads(page)
        choose_a_photo(page)
        page.click("#photo-upload")
        photo = wait_for(page, held)
        page.set_input_files("#attachment_file", chosen("Rilis.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"))
        page.click("#attachment-upload")
        attachment = wait_for(page, held)
        bar = page.locator("#release .actions [role=status]")
        assert bar.text_content() == "Uploading the file…"
        attachment.continue_()
        page.wait_for_function("document.getElementById('err-attachment_file').textContent.includes('✓')",
                               timeout=TIMEOUT_MS)
        assert bar.text_content() == "Uploading the photo…"  # the photo is still on its way
        photo.continue_()
        page.wait_for_function("document.getElementById('err-photo_file').textContent.includes('✓')",
                               timeout=TIMEOUT_MS)
        assert bar.text_content() == ""
        page.close()


# --- 3. the overview's dates: on the site's clock, each with its machine value -------------------------


@pytest.mark.parametrize("accept", ["id", "en"])
def test_the_overview_s_dates_are_on_the_site_s_clock_in_time_elements_and_keep_their_order(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, accept: str) -> None:
    """As sitegen writes every time (`status`, deploy): the zone said, which an embargo needs;
    the same in both languages, the machine's value in each <time>."""
    dates = ["2030-01-01 09:00 WIB", "2024-05-30 10:00 WIB", "2024-05-02 08:05 WIB"]
    until, scheduled = "2030-02-01 10:00 WIB", "2030-01-01 09:00 WIB"
    site = small_site(make_site, **{
        "content/berita/2030-01-01-nanti.id.md": article("Nanti", date="2030-01-01T09:00:00+07:00"),
        "content/berita/2024-05-02-embargo.id.md": article("Berembargo", date="2024-05-02T01:05:00Z",
                                                          embargo="2030-02-01T10:00:00+07:00"),
    })
    started_as_serve(site, monkeypatch)  # no ui_language: the desk speaks each browser's language
    with desk_server(site) as srv:
        client = Client(srv.port, browser_language=False)
        page = client.request("GET", "?lang=id&section=berita", headers={"Accept-Language": accept}).page()
        assert page.get("lang") == accept
        rows = page.xpath("//table[@class='releases']/tbody/tr")
        assert [r.xpath("string(td[1])").strip() for r in rows] == ["Nanti", "Rapat Koordinasi", "Berembargo"]
        assert [r.xpath("string(td[5]/time)") for r in rows] == dates
        assert [r.xpath("string(td[5]/time/@datetime)") for r in rows] == [
            "2030-01-01T09:00:00+07:00", "2024-05-30T10:00:00+07:00", "2024-05-02T01:05:00+00:00"]  # as written
        shown = {r.xpath("string(td[1])").strip(): r.xpath("td[4]//li/time") for r in rows}
        assert [(t.text, t.get("datetime")) for t in shown["Berembargo"]] == [(until, "2030-02-01T10:00:00+07:00")]
        assert [(t.text, t.get("datetime")) for t in shown["Nanti"]] == [(scheduled, "2030-01-01T09:00:00+07:00")]
