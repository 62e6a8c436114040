"""The desk in Chromium: the problems a release page shows describe the values in its form as
soon as it is shown, also when those are not the ones the desk sent (typed before desk.js came,
or put back by the browser on Back)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request

from sitegen.desk import views
from sitegen.desk.app import PREFIX
from tests.desk_helpers import SCRIPT_READY, desk_server, leaving
from tests.test_desk import ARTICLE, small_site
from tests.test_desk_browser import TIMEOUT_MS, checked

EDIT = f"{PREFIX}edit?file={ARTICLE}"


def marked(page: Page) -> dict[str, object]:
    """What the page says about its form: the fields marked invalid, the problems beside
    fields, the summary's line and whether Publish can be pressed."""
    shown: dict[str, object] = page.evaluate("""() => ({
        invalid: Array.from(document.querySelectorAll('#release [aria-invalid]')).map(e => e.id),
        problems: Array.from(document.querySelectorAll('#release .field-problem'))
                       .filter(p => p.textContent.trim()).map(p => p.id),
        summary: (document.querySelector('#summary-of-problems p.problem') || {}).textContent || '',
        publishable: !document.getElementById('publish').disabled})""")
    return shown


def test_what_is_typed_before_the_script_comes_is_checked_when_it_comes(
        make_site: Callable[..., Path], chromium: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    """desk.js is deferred and fetched anew with every page: the form is shown, and can be typed
    into, before it runs. Here it is held back until the title has been emptied."""
    typed = threading.Event()
    asset = views.asset

    def late(name: str) -> tuple[bytes, str] | None:
        if name == "desk.js":
            typed.wait(TIMEOUT_MS / 1000)
        return asset(name)

    monkeypatch.setattr(views, "asset", late)
    with desk_server(small_site(make_site)) as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(f"http://127.0.0.1:{srv.port}{EDIT}", wait_until="commit")  # deferred: before DOMContentLoaded
        page.wait_for_selector("#publish", state="attached", timeout=TIMEOUT_MS)  # the whole form is there
        page.fill("#title", "")
        assert not page.evaluate(SCRIPT_READY)  # typed with no script to see it
        assert marked(page)["publishable"]  # the page as the desk rendered it: a title, no problem
        typed.set()
        checked(page, 0)  # with no keystroke after the script came
        shown = marked(page)
        assert shown["invalid"] == ["title"] and shown["problems"] == ["err-title"], shown
        assert shown["summary"] and not shown["publishable"]
        page.close()


def checks_asked(page: Page, url: str) -> int:
    """How many live checks the page asks for when it is opened and nothing is typed."""
    asked: list[Request] = []
    page.on("request", lambda request: asked.append(request) if request.url.endswith("/check") else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")  # a check would have been sent by now
    return len(asked)


def test_a_form_shown_as_the_desk_rendered_it_asks_for_no_check(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    """Its problems are already on the page: a new release (whose section list has no option
    marked, so shows its first) and a saved one."""
    with desk_server(small_site(make_site)) as srv:
        for path in (f"{PREFIX}new", EDIT):
            page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
            assert checks_asked(page, f"http://127.0.0.1:{srv.port}{path}") == 0, path
            page.close()


def test_back_to_a_form_the_browser_filled_in_again_shows_its_values_problems(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    """Chromium keeps no desk page in its back/forward cache (they are no-store, and Playwright
    turns that cache off): Back loads the page anew from the desk, which renders the saved file
    and its problems, and the browser then puts back what was in the form when it was left."""
    with desk_server(small_site(make_site)) as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(f"http://127.0.0.1:{srv.port}{EDIT}")
        page.fill("#date", "")  # an impossible release: a time (10:00) but no day
        checked(page, 0)
        assert marked(page)["invalid"] == ["date"]
        with leaving(page):
            page.get_by_role("link", name="History").click()
        page.go_back(timeout=TIMEOUT_MS)
        page.wait_for_function(SCRIPT_READY, timeout=TIMEOUT_MS)
        assert page.input_value("#date") == ""  # the browser filled the form in again
        checked(page, 0)
        shown = marked(page)
        assert shown["invalid"] == ["date"] and shown["problems"] == ["err-date"], shown
        assert shown["summary"] and not shown["publishable"]
        page.close()
