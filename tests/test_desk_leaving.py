"""The browser tests' ``leaving`` waits for the next page under the desk's own Content Security
Policy too: Playwright's ``wait_for_function`` evaluates its test with ``eval()`` inside the page
after its first try, which that policy refuses, so a next page not yet complete at the first
try failed the test instead of being waited for (seen in a CI rehearsal)."""

from __future__ import annotations

import http.server
import time
from collections.abc import Iterator
from typing import Any

import pytest

from sitegen.serve import DESK_HEADERS
from tests.conftest import serve_with
from tests.desk_helpers import leaving

#: The desk's own headers; the second page's deferred script comes a second late, so that page
#: is shown but not complete when the wait first asks.
PAGES = {
    "/": b"<!doctype html><title>eins</title><a id=next href=/zwei>weiter</a>",
    "/zwei": b"<!doctype html><title>zwei</title><script defer src=/late.js></script><p>zwei</p>",
    "/late.js": b"window.lateScript = true;",
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the base's name
        body = PAGES.get(self.path)
        if body is None:
            self.send_error(404)
            return
        if self.path == "/late.js":
            time.sleep(1.0)
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript" if self.path.endswith(".js") else "text/html")
        for name, value in DESK_HEADERS:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


@pytest.fixture
def csp_site() -> Iterator[str]:
    with serve_with(_Handler) as base:
        yield base


def test_leaving_waits_for_a_late_next_page_under_the_desk_s_csp(csp_site: str, chromium: Any) -> None:
    page = chromium.new_page()  # no bypass_csp: the policy as a staff member's browser has it
    try:
        page.goto(csp_site + "/")
        with leaving(page):
            page.click("#next")
        assert page.evaluate("document.title") == "zwei"
        assert page.evaluate("window.lateScript === true && document.readyState === 'complete'")
    finally:
        page.close()
