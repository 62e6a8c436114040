"""``sitegen serve``: build, serve the output on 127.0.0.1, rebuild on change, reload browsers.

The server only ever answers with regular files inside the output folder. Served HTML
gets a small live-reload script on the way out (the built files never contain it); the
script listens on ``/__sitegen/events``; after each rebuild it brings the page up to date,
or shows the errors of a failed rebuild in an overlay while the last good page stays on screen.
A page whose ``<main>`` alone changed is patched where it differs (scroll, focus and what
the theme's scripts did stay); any other change reloads it.
Requests under ``/__sitegen/desk/`` go to the newsroom desk (``sitegen.desk``), and every
request must name this server in its Host header (a guard against DNS rebinding).
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import mimetypes
import re
import secrets
import shutil
import socket
import sys
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sitegen.build import Options, Prepared
from sitegen.desk.app import PREFIX as DESK_PREFIX
from sitegen.desk.app import Desk
from sitegen.desk.app import Request as DeskRequest
from sitegen.desk.security import is_loopback, load_password, unknown_host
from sitegen.desk.uploads import MAX_REQUEST
from sitegen.errors import Diagnostic, UsageError
from sitegen.messages import _
from sitegen.oserrors import describe
from sitegen.watch import Outcome, Rebuilder, say, session, watching

PREFIX = "/__sitegen/"
PORT_TRIES = 20
#: A desk request's body over the limit is read and dropped up to this much before the
#: refusal (beyond it the connection is closed unread).
DRAIN_AT_MOST = 4 * MAX_REQUEST
DRAIN_IDLE_SECONDS = 2.0
PING_SECONDS = 15.0  # an SSE comment now and then notices closed tabs and keeps proxies quiet
_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml",
    ".pdf": "application/pdf", ".ico": "image/x-icon", ".webp": "image/webp",
    ".webmanifest": "application/manifest+json", ".woff2": "font/woff2",
}
#: Every desk reply: no framing (clickjacking), no sniffing, nothing loaded from elsewhere.
DESK_HEADERS = (
    ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "script-src 'self'; frame-src 'self'; frame-ancestors 'none'; "
                                "form-action 'self'; base-uri 'self'"),
    ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
    # A page of the site (same origin) that opens a desk page gets no hold of it (its token).
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_SPECIAL_NAMES = {"feed.json": "application/feed+json"}  # JSON Feed, as its <link> says
# Double-encoded dots, slashes, backslashes and NULs are refused even though they would
# only name odd files: nobody asks for them but someone probing for a way out.
_ENCODED = re.compile(r"%(2e|2f|5c|00)", re.IGNORECASE)

LIVE_JS = r"""(function () {
  "use strict";
  var mine = document.currentScript.dataset.version;
  var assets = document.currentScript.dataset.assets;  // changes when a stylesheet or picture does
  var key = "sitegen-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var xy = saved.split(",").map(Number);
    var restore = function () { window.scrollTo(xy[0], xy[1]); };
    restore();
    window.addEventListener("load", restore);
  }
  var events = null;
  function reload() {
    if (events) { events.close(); }
    sessionStorage.setItem(key, window.scrollX + "," + window.scrollY);
    location.reload();
  }
  // The page's <main> as served, before the theme's scripts change it (they run deferred,
  // after this one): a patch compares the served versions and changes only what differs.
  // A script inside it that has already run (not deferred) may have changed it: no patches.
  var frame = document.currentScript.dataset.frame;
  var served = frame && document.querySelector("main");
  served = served && served.cloneNode(true);
  if (served && Array.prototype.some.call(served.querySelectorAll("script"), function (script) {
    // Attributes, not properties: a copy's script.async is true whatever the page said.
    return !script.hasAttribute("defer") && !script.hasAttribute("async") && script.type !== "module" &&
      !/json/i.test(script.type);
  })) { served = null; }
  function same(a, b) {
    if (a.attributes.length !== b.attributes.length) { return false; }
    for (var i = 0; i < a.attributes.length; i++) {
      if (b.getAttribute(a.attributes[i].name) !== a.attributes[i].value) { return false; }
    }
    return true;
  }
  function patch(shown, old, next) {
    if (old.isEqualNode(next)) { return; }
    if (old.nodeType === 1 && next.nodeType === 1 && old.tagName === next.tagName && same(old, next) &&
        old.childNodes.length === next.childNodes.length && shown.childNodes.length === old.childNodes.length) {
      for (var i = 0; i < next.childNodes.length; i++) {
        patch(shown.childNodes[i], old.childNodes[i], next.childNodes[i]);
      }
      return;
    }
    if (next.nodeType === 1 && (next.tagName === "SCRIPT" || next.querySelector("script"))) {
      throw new Error("a script changed");  // inserted scripts do not run: reload instead
    }
    shown.replaceWith(document.importNode(next, true));
  }
  var wanted = mine, busy = false;
  function update() {
    if (!served || document.getElementById("sitegen-overlay")) { reload(); return; }
    var asked = wanted;  // another rebuild announced while this one is fetched: fetch again
    busy = true;
    fetch(location.href, {cache: "no-store"}).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (text) {
      var next = new DOMParser().parseFromString(text, "text/html");
      var script = next.querySelector("script[data-frame]");
      var mains = next.querySelectorAll("main");
      if (!script || script.dataset.frame !== frame || mains.length !== 1) { throw new Error("the page changed"); }
      patch(document.querySelector("main"), served, mains[0]);
      served = mains[0];
      mine = script.dataset.version;
      busy = false;
      if (wanted !== asked) { update(); }
    }).catch(reload);
  }
  function overlay(lines) {
    var box = document.getElementById("sitegen-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "sitegen-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#fff4f4;color:#600;border-top:4px solid #c00;" +
        "padding:1em;font:14px/1.4 monospace;box-shadow:0 -2px 12px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    var title = document.createElement("strong");
    // the page standing in for a site no build has made yet has no last good version to be
    title.textContent = document.querySelector('meta[name="sitegen-unbuilt"]') ? /*unbuilt*/"" : /*title*/"";
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;margin:.5em 0 0";
    list.textContent = lines.join("\n");  // text, never HTML: messages quote the user's files
    box.replaceChildren(title, list);
  }
  function receive(data) {
    var state = JSON.parse(data);
    if (state.errors.length) { overlay(state.errors); return; }
    if (String(state.assets) !== assets) { reload(); return; }  // the page's text is not all that changed
    wanted = String(state.version);
    if (document.getElementById("sitegen-overlay")) { reload(); } else if (wanted !== mine && !busy) { update(); }
  }
  var last = null;
  var channel = window.BroadcastChannel && navigator.locks ? new BroadcastChannel("sitegen-live") : null;
  function listen() {
    events = new EventSource("/__sitegen/events");
    events.onmessage = function (message) {
      last = message.data;
      if (channel) { channel.postMessage(last); }
      receive(last);
    };
  }
  if (!channel) { listen(); return; }
  // One stream for all of this browser's tabs of the site: a browser keeps at most six
  // connections to a server and a stream holds one, so with one per tab the seventh tab would
  // never load. The tab holding the lock listens and tells the others (a new tab asks for the
  // last word); when it closes, the lock passes to another tab, which listens.
  channel.onmessage = function (message) {
    if (message.data !== "?") { receive(message.data); } else if (last !== null) { channel.postMessage(last); }
  };
  channel.postMessage("?");
  navigator.locks.request("sitegen-live", function () {
    listen();
    return new Promise(function () {});  // held as long as this page is open
  });
})();
"""


def live_js() -> str:
    """The reload script with the overlay's title in the UI language (JSON: a safe JS string)."""
    title = _("sitegen: the site could not be rebuilt. This page is the last good version. Fix these problems "
              "and save:")
    unbuilt = _("sitegen: the site could not be built. Fix these problems and save:")
    return LIVE_JS.replace('/*title*/""', _js_text(title)).replace('/*unbuilt*/""', _js_text(unbuilt))


def _js_text(text: str) -> str:
    """``text`` as a JavaScript string that cannot end the script it is in."""
    return json.dumps(text).replace("<", "\\u003c")


class Hub:
    """The latest rebuild state, and a way for event streams to wait for the next one."""

    def __init__(self) -> None:
        # A random start: a restarted server never looks like the one a page came from.
        self.version = secrets.randbelow(1 << 30)
        self.assets = 0  # rebuilds that changed a file pages load (Outcome.assets)
        self.errors: tuple[str, ...] = ()
        self.generation = 0
        self.closed = False
        self._cond = threading.Condition()

    def publish(self, outcome: Outcome) -> None:
        with self._cond:
            if outcome.ok:
                self.version += outcome.changed
                self.assets += outcome.assets
            self.errors = outcome.errors
            self.generation += 1
            self._cond.notify_all()

    def state(self) -> dict[str, object]:
        with self._cond:
            return {"version": self.version, "assets": self.assets, "ok": not self.errors,
                    "errors": list(self.errors)}

    def wait(self, seen: int, timeout: float) -> int:
        """Block until a state newer than generation ``seen`` (or timeout, or close)."""
        with self._cond:
            self._cond.wait_for(lambda: self.generation != seen or self.closed, timeout)
            return self.generation

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


def resolve_request(root: Path, raw: str) -> Path | None:
    """The file or folder inside ``root`` that a request path names, or None to refuse it."""
    path = raw.split("?", 1)[0].split("#", 1)[0]
    if "\\" in path or "%5c" in path.lower():
        return None
    try:
        decoded = unquote(path, errors="strict") if path.isascii() else None
    except UnicodeDecodeError:
        decoded = None
    if decoded is None or "\x00" in decoded or "\\" in decoded or _ENCODED.search(decoded):
        return None
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    # Hidden names are never published (but .well-known/): one added by hand to the output
    # (a .git of a gh-pages checkout, a .env) is not handed out either.
    if ".." in parts or any(p.startswith(".") and p != ".well-known" for p in parts):
        return None
    base = root.resolve()
    try:
        target = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError, UnicodeError):
        return None
    # resolve() followed every symlink: whatever it reached must still be inside the output.
    return target if target.is_relative_to(base) else None


def content_type(path: Path) -> str:
    special = _SPECIAL_NAMES.get(path.name)
    if special:
        return special
    known = _TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


_MAIN = re.compile(rb"<main[\s>]", re.IGNORECASE)


def inject(html: bytes, version: int, assets: int = 0) -> bytes:
    """Add the live-reload script before </body> (or at the end of a page without one). It
    carries the page's *frame*: a digest of everything but the inside of its one ``<main>``
    (none on a page without exactly one), so the script knows when patching that will do."""
    lowered = html.lower()
    tag = (f'<script src="{PREFIX}live.js" data-version="{version}" data-assets="{assets}" '
           f'data-frame="{_frame(html, lowered)}"></script>')
    at = lowered.rfind(b"</body>")
    return html + tag.encode() if at < 0 else html[:at] + tag.encode() + html[at:]


def _frame(html: bytes, lowered: bytes) -> str:
    opening = list(_MAIN.finditer(html))
    end = lowered.rfind(b"</main>")
    if len(opening) != 1 or end < opening[0].start():
        return ""
    inside = lowered.find(b">", opening[0].start()) + 1
    if not 0 < inside <= end:
        return ""
    return hashlib.blake2b(html[:inside] + html[end:], digest_size=12).hexdigest()


@dataclass
class ServedSite:
    """What the request handlers need: the output folder, its languages, the hub and the desk."""

    rebuilder: Rebuilder
    hub: Hub
    desk: Desk | None = None

    @property
    def root(self) -> Path:
        return self.rebuilder.output_dir

    @property
    def folder(self) -> str:
        """Where the site stands, as on its host: ``/``, or ``/humas/`` for a ``base_url`` of
        ``https://host/humas/`` (its pages' links lead there)."""
        good = self.rebuilder.last_good
        return good.prepared.config.base_path if good is not None else "/"

    def in_folder(self, url: str) -> str | None:
        """A request's path as the output folder lays it out (``/humas/berita/`` →
        ``/berita/``), or None for one outside the site's folder."""
        folder = self.folder
        if folder == "/":
            return url
        return "/" + url[len(folder):] if url.startswith(folder) else None

    def not_found_page(self, url: str) -> Path:
        """``/en/...`` → ``en/404.html``; anything else the default language's ``404.html``."""
        first = (self.in_folder(url) or url).lstrip("/").split("/", 1)[0]
        good = self.rebuilder.last_good
        if good is not None and first in good.prepared.config.languages:
            localized = self.root / first / "404.html"
            if localized.is_file():
                return localized
        return self.root / "404.html"


#: A browser that closes a connection early (a tab closed, a reload while a page was still
#: loading, a link followed before the images came): nothing went wrong on this side.
GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class Handler(BaseHTTPRequestHandler):
    server: LiveServer
    server_version = "sitegen"

    def handle(self) -> None:
        try:
            super().handle()
        except GONE:
            self.close_connection = True

    def finish(self) -> None:
        try:
            super().finish()
        except GONE:
            pass

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def do_POST(self) -> None:  # noqa: N802
        if self.path.startswith(DESK_PREFIX):
            self._desk()
        else:
            self._plain(HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed", True)

    def _desk(self) -> None:
        """The desk answers its own requests (sitegen.desk.app); this only moves the bytes."""
        desk = self.server.site.desk
        if desk is None:
            self._plain(HTTPStatus.NOT_FOUND, "not found", True)
            return
        try:
            length = int(self.headers.get("Content-Length") or 0) if self.command == "POST" else 0
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._plain(HTTPStatus.BAD_REQUEST, "bad Content-Length", True)
            return
        if length > MAX_REQUEST:
            # Answered as an upload refused for its size; read first (up to a bound) so that a
            # client that sends the whole body before reading gets the answer, not a reset.
            self.close_connection = True
            self._discard(min(length, DRAIN_AT_MOST))
            reply = desk.too_large(self._desk_request())
        else:
            body = self.rfile.read(length) if length else b""
            reply = desk.handle(self._desk_request(body))
        self.send_response(reply.status)
        for name, value in [*reply.headers, *DESK_HEADERS]:
            self.send_header(name, value)
        self.send_header("Content-Type", reply.kind)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _desk_request(self, body: bytes = b"") -> DeskRequest:
        return DeskRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                           self.client_address[0])

    def _discard(self, length: int) -> None:
        """Read and drop ``length`` bytes of the body, or until the client stops sending (one
        that waits for the answer before sending more)."""
        self.connection.settimeout(DRAIN_IDLE_SECONDS)
        try:
            while length > 0:
                chunk = self.rfile.read1(min(length, 1 << 20))
                if not chunk:
                    return
                length -= len(chunk)
        except OSError:  # TimeoutError included: nothing more is coming
            return

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # one line per rebuild is the terminal's job, not one per request

    def _answer(self, body: bool) -> None:
        site = self.server.site
        if site.desk is not None and not site.desk.hosts.allows(self.headers.get("Host")):
            # DNS rebinding: a page elsewhere that points its own name at this machine.
            self._plain(HTTPStatus.MISDIRECTED_REQUEST, unknown_host(), body)
            return
        if self.path.startswith(DESK_PREFIX):
            self._desk()
            return
        if self.path.startswith(PREFIX):
            self._internal(self.path[len(PREFIX):].split("?", 1)[0], body)
            return
        path, sep, query = self.path.partition("?")
        inside = site.in_folder(path)
        if inside is None:
            # The site stands in a folder of its host, as it will where it is published.
            if path in ("/", site.folder.rstrip("/")):
                self._redirect(site.folder + sep + query)
            else:
                self._not_found(body)
            return
        target = resolve_request(site.root, inside)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                # One leading slash: "//host" in a Location header would leave the site.
                self._redirect("/" + path.lstrip("/") + "/" + sep + query)
                return
            target = resolve_request(site.root, inside + "index.html")
        if target is None or not target.is_file():
            self._not_found(body)
            return
        self._file(HTTPStatus.OK, target, body)

    def _file(self, status: HTTPStatus, path: Path, body: bool) -> None:
        kind = content_type(path)
        try:
            handle = path.open("rb")
        except OSError:
            self._plain(HTTPStatus.NOT_FOUND, "not found", body)
            return
        with handle:
            if kind.startswith("text/html"):
                hub = self.server.site.hub
                data = inject(handle.read(), hub.version, hub.assets)
                self._headers(status, kind, len(data))
                if body:
                    self.wfile.write(data)
                return
            self._headers(status, kind, path.stat().st_size)
            if body:
                shutil.copyfileobj(handle, self.wfile)

    def _not_found(self, body: bool) -> None:
        page = self.server.site.not_found_page(self.path)
        if page.is_file():
            self._file(HTTPStatus.NOT_FOUND, page, body)
        else:  # a site not built yet (or without a 404 page): one that shows the build's errors and reloads
            hub = self.server.site.hub
            words = html.escape(_("This page does not exist (yet): the site has no page here, and no 404 page. "
                                  "If a build is failing, its problems show below."))
            blank = (f'<!DOCTYPE html><meta charset="utf-8"><meta name="sitegen-unbuilt" content="">'
                     f'<title>404</title><p>{words}</p>').encode()
            data = inject(blank, hub.version, hub.assets)
            self._headers(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", len(data))
            if body:
                self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _plain(self, status: HTTPStatus, text: str, body: bool, kind: str = "text/plain") -> None:
        data = text.encode()
        self._headers(status, kind + "; charset=utf-8", len(data))
        if body:
            self.wfile.write(data)

    def _headers(self, status: HTTPStatus, kind: str, length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")  # a preview is always the latest build
        self.end_headers()

    def _internal(self, name: str, body: bool) -> None:
        hub = self.server.site.hub
        if name == "live.js":
            self._plain(HTTPStatus.OK, live_js(), body, "text/javascript")
        elif name == "status":
            self._plain(HTTPStatus.OK, json.dumps(hub.state()), body, "application/json")
        elif name == "events":
            self._events(hub, body)
        else:
            self._plain(HTTPStatus.NOT_FOUND, "not found", body)

    def _events(self, hub: Hub, body: bool) -> None:
        """Server-sent events: the current state now, then each new one as rebuilds finish."""
        self._headers(HTTPStatus.OK, "text/event-stream; charset=utf-8", None)
        if not body:
            return
        seen = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not hub.closed:
                generation = hub.wait(seen, PING_SECONDS)
                if hub.closed:
                    return
                if generation == seen:
                    self.wfile.write(b": ping\n\n")
                else:
                    seen = generation
                    self.wfile.write(f"data: {json.dumps(hub.state())}\n\n".encode())
                self.wfile.flush()
        except OSError:
            return  # the tab was closed


class LiveServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: ServedSite) -> None:
        self.site = site
        super().__init__(address, Handler)

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        """Quiet about browsers that went away; any other failure in one line, not a traceback
        per request (the preview goes on serving the others)."""
        problem = sys.exc_info()[1]
        if isinstance(problem, GONE):
            return
        if isinstance(problem, OSError):
            print(describe(problem).format(), file=sys.stderr, flush=True)
            return
        super().handle_error(request, client_address)  # a bug: its traceback is wanted


class LiveServer6(LiveServer):
    address_family = socket.AF_INET6


def bind(host: str, port: int, site: ServedSite) -> LiveServer:
    """Listen on ``port``, or on the next free one when it is busy (and say so)."""
    kind = LiveServer6 if ":" in host else LiveServer
    last = min(port + PORT_TRIES, 65536) if port else port + 1
    for candidate in range(port, last):
        try:
            server = kind((host, candidate), site)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                message = _("cannot listen on {address}: {reason}").format(address=f"{host}:{candidate}",
                                                                             reason=exc.strerror)
                raise UsageError([Diagnostic("--host", None, message,
                                             hint=_("use --host 127.0.0.1"))]) from None
            continue
        if candidate != port:
            print(_("port {port} is busy (is another sitegen serve running?), so serving on port {other} "
                    "instead").format(port=port, other=candidate), file=sys.stderr, flush=True)
        return server
    raise UsageError([Diagnostic("--port", None, _("ports {first} to {last} are all busy").format(
                                 first=port, last=last - 1), hint=_("choose another with --port"))])


def broken(rebuilder: Rebuilder) -> set[str]:
    """Files in which the latest build attempt found errors (read from its parse results)."""
    parsed = rebuilder.state.parsed  # replaced, never changed in place, by each build
    return {rel for rel, p in parsed.items() if any(d.severity == "error" for d in p.diagnostics)}


def network_address() -> str | None:
    """This computer's address on its network (the one its traffic leaves by), or None. A UDP
    socket's connect sends nothing: it only chooses the route."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never reached, any route will do
            found = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if found.startswith("127.") or found == "0.0.0.0" else found


def serve(site_dir: Path, host: str, port: int, output: Path | None, drafts: bool) -> int:
    hub = Hub()
    rebuilder = Rebuilder(Options(site_dir=site_dir, output=output, drafts=drafts), [hub.publish])

    def latest() -> Prepared | None:
        good = rebuilder.last_good
        return good.prepared if good is not None else None

    def forever() -> None:
        server = bind(host, port, ServedSite(rebuilder, hub))
        # The socket reads an empty --host as every address: say it as 0.0.0.0, which can be read.
        shown = "0.0.0.0" if not host else f"[{host}]" if ":" in host else host
        server.site.desk = Desk(site_dir, latest, host, server.server_port, broken=lambda: broken(rebuilder),
                                output=lambda: rebuilder.output_dir)
        try:
            with watching(rebuilder):
                say(_("serving {folder} at {address} (Ctrl-C to stop)").format(
                    folder=rebuilder.output_dir, address=f"http://{shown}:{server.server_port}{server.site.folder}"))
                say(_("newsroom desk at {address}").format(address=f"http://{shown}:{server.server_port}{DESK_PREFIX}"))
                lan = network_address() if host in ("", "0.0.0.0", "::") else None
                if lan is not None:  # 0.0.0.0 is no address a colleague's browser can open
                    say(_("from other computers of the network: {address}").format(
                        address=f"http://{lan}:{server.server_port}{DESK_PREFIX}"))
                if not is_loopback(host) and load_password(site_dir) is None:
                    say(_("the desk needs a password on this address: set one with  sitegen desk-password"))
                server.serve_forever(poll_interval=0.25)
        finally:
            hub.close()
            server.server_close()

    return session(rebuilder, forever)
