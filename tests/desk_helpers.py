"""A desk served in-process on a free port, a small HTTP client that keeps its cookie, and a
wait for the desk's script in a browser."""

from __future__ import annotations

import contextlib
import http.client
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from lxml import html

from sitegen.build import Options, Prepared
from sitegen.desk.app import PREFIX, Desk
from sitegen.messages import current_language
from sitegen.serve import Hub, LiveServer, ServedSite, bind, broken
from sitegen.watch import Rebuilder
from tests.conftest import NOW

if TYPE_CHECKING:  # Playwright is only needed by the browser tests (they skip without it)
    from playwright.sync_api import Page


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def page(self) -> html.HtmlElement:
        return html.fromstring(self.body)

    def form_fields(self, form_id: str = "release") -> list[tuple[str, str]]:
        """What a browser would submit from the form (without pressing a submit button)."""
        form = self.page().get_element_by_id(form_id)
        found: list[tuple[str, str]] = []
        for el in form.iter("input", "textarea", "select"):
            name = el.get("name")
            if not name or el.get("disabled") is not None:
                continue
            kind = (el.get("type") or "text").lower()
            if kind in ("submit", "button", "file"):
                continue
            if kind == "checkbox":
                if el.get("checked") is not None:
                    found.append((name, el.get("value") or "on"))
            elif el.tag == "textarea":
                # Browsers drop the newline right after <textarea> (the HTML parsing rule); lxml keeps it.
                text = el.text or ""
                found.append((name, text[1:] if text.startswith("\n") else text))
            elif el.tag == "select":
                chosen = [o for o in el.iter("option") if o.get("selected") is not None] or list(el.iter("option"))[:1]
                found += [(name, o.get("value") or "") for o in chosen]
            else:
                found.append((name, el.get("value") or ""))
        return found


@dataclass
class Client:
    port: int
    host: str = ""
    cookie: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    #: Send the language the tests speak (sitegen.messages) as Accept-Language, as a browser set
    #: to it would: a test that runs a command in-process (which sets the language anew) still
    #: gets the desk in it. False: no Accept-Language unless a request gives one.
    browser_language: bool = True

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": self.host or f"127.0.0.1:{self.port}", **self.extra, **(headers or {})}
        if self.browser_language:
            sent.setdefault("Accept-Language", current_language())
        if self.cookie:
            sent.setdefault("Cookie", self.cookie)
        conn.request(method, path if path.startswith("/") else PREFIX + path, body=body or None, headers=sent)
        response = conn.getresponse()
        answer = Answer(response.status, response.headers, response.read())
        conn.close()
        set_cookie = answer.headers.get("Set-Cookie")
        if set_cookie and "Max-Age=0" not in set_cookie:
            self.cookie = set_cookie.split(";", 1)[0]
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def follow(self, path: str) -> Answer:
        """GET ``path`` and the pages it sends on to (a new release's form gets an address of its own)."""
        answer = self.get(path)
        while answer.status == 303:
            answer = self.get(answer.headers["Location"])
        return answer

    def post(self, path: str, fields: list[tuple[str, str]] | dict[str, str], headers: dict[str, str] | None = None
             ) -> Answer:
        body = urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 **(headers or {})})

    def upload(self, fields: dict[str, str], filename: str, data: bytes, csrf: str) -> Answer:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in {"csrf": csrf, **fields}.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", "upload", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def csrf(self, path: str = "new") -> str:
        page = self.follow(path).page()
        return str(page.xpath("//input[@name='csrf']/@value")[0])


@dataclass
class DeskServer:
    site: Path
    server: LiveServer
    rebuilder: Rebuilder

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    @property
    def desk(self) -> Desk:
        desk = self.server.site.desk
        assert desk is not None
        return desk

    def client(self) -> Client:
        return Client(self.port)

    def rebuild(self) -> None:
        outcome = self.rebuilder.rebuild("test")
        assert outcome.ok, outcome.errors


@contextlib.contextmanager
def desk_server(site: Path, host: str = "127.0.0.1", drafts: bool = False) -> Iterator[DeskServer]:
    """``sitegen serve``'s server and desk, without the watcher: tests rebuild when they need to."""
    hub = Hub()
    rebuilder = Rebuilder(Options(site_dir=site, now=NOW, search=False, drafts=drafts), [hub.publish])
    assert rebuilder.rebuild("built").ok

    def latest() -> Prepared | None:
        good = rebuilder.last_good
        return good.prepared if good is not None else None

    server = bind(host, 0, ServedSite(rebuilder, hub))
    server.site.desk = Desk(site, latest, host, server.server_port, broken=lambda: broken(rebuilder),
                            output=lambda: rebuilder.output_dir)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield DeskServer(site, server, rebuilder)
    finally:
        hub.close()
        server.shutdown()
        server.server_close()


#: desk.js is a deferred script: it runs, and attaches its handlers, before the page's load event,
#: so a document that is "complete" has them. One that is only "interactive" may not: it is shown
#: and can be typed into while the script is still on its way (fetched anew with every page).
SCRIPT_READY = "document.readyState === 'complete'"


@contextlib.contextmanager
def leaving(page: Page, timeout: float = 60_000) -> Iterator[None]:
    """Around what takes the tab to another desk page (a link, Save, Publish, Translate, Enter):
    returns once that page is shown whole with desk.js ready. Clicked earlier, the script
    misses it (a toolbar button that does nothing; what was typed is only checked once the page
    is shown whole), and a selector may still find the page being left. ``page.goto`` waits
    for the load event already."""
    from playwright.sync_api import Error

    page.evaluate("window.sitegenLeft = true")  # gone with this document: the next has a new window
    yield
    # Asked from here, not with wait_for_function: after its first try, that one evaluates its
    # test with eval() inside the page, which a page under the desk's own CSP (no 'unsafe-eval')
    # refuses once the next page is there but not yet complete; page.evaluate is the browser's
    # own call, which the CSP does not govern.
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(f"window.sitegenLeft === undefined && {SCRIPT_READY}"):
                return
        except Error as exc:  # asked while the tab went from one document to the next
            if "destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
        assert time.monotonic() < deadline, "the next desk page was not shown whole"
        time.sleep(0.05)
