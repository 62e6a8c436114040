"""``sitegen serve`` as users run it: a real process, real HTTP, real file edits."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import html

from sitegen.serve import content_type, inject, resolve_request
from tests.conftest import SMALL_CONFIG, article, build

ARTICLE = "content/berita/2024-05-30-rapat.id.md"
ARTICLE_URL = "/berita/2024/rapat/"


def bilingual_files() -> dict[str, str | bytes]:
    return {
        ARTICLE: article("Rapat Koordinasi", body="Isi berita rapat."),
        "content/berita/2024-05-30-rapat.en.md": article("Coordination Meeting", body="The news."),
        "content/pages/tentang.id.md": article("Tentang", date="", body="Tentang kami."),
        "static/files/rilis.pdf": b"%PDF-1.4\n%%EOF\n",
        "static/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60) -> None:
    """Poll until ``condition`` holds; the timeout only guards against a hung test."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Served:
    """A running ``sitegen serve`` process and ways to talk to it."""

    proc: subprocess.Popen[bytes]
    site: Path
    logs: Path
    port: int = 0

    def log(self, name: str) -> str:
        return (self.logs / name).read_text("utf-8", "replace")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, method: str = "GET") -> Response:
        """Send ``path`` exactly as written (urllib would normalise traversal attempts away)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            conn.endheaders()
            resp = conn.getresponse()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def status(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.get("/__sitegen/status").body)
        return data

    def title(self, path: str = ARTICLE_URL) -> str:
        return str(html.fromstring(self.get(path).body).findtext(".//h1") or "").strip()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=60)


@contextlib.contextmanager
def launch(site: Path, args: list[str], ready: str, timeout: float = 120) -> Iterator[Served]:
    """Start ``python -m sitegen <args>`` and wait until it prints ``ready``."""
    logs = site.parent / f"logs-{site.name}"
    logs.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(logs / "out", "wb") as out, open(logs / "err", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "sitegen", *args, "--site", str(site)],
                                stdout=out, stderr=err, env=env)
    served = Served(proc, site, logs)
    try:
        wait_for(lambda: ready in served.log("out") or proc.poll() is not None, ready, timeout)
        yield served
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextlib.contextmanager
def serving(site: Path, *extra: str, port: int | None = None, timeout: float = 120
            ) -> Iterator[Served]:
    args = ["serve", "--port", str(port or free_port()), *extra]
    # "(Ctrl-C" ends the serving line in every UI language (tests may set ui_language: id).
    with launch(site, args, "(Ctrl-C", timeout) as srv:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/ \(Ctrl-C", srv.log("out"))
        assert found, srv.log("out") + srv.log("err")
        srv.port = int(found.group(1))
        yield srv


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


def test_edit_rebuilds_and_a_broken_file_keeps_the_last_good_page(
        make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    with serving(site) as srv:
        assert srv.title() == "Rapat Koordinasi"
        served = srv.get(ARTICLE_URL).text
        assert '<script src="/__sitegen/live.js"' in served
        assert "__sitegen" not in (site / "public/berita/2024/rapat/index.html").read_text("utf-8")

        edit(site / ARTICLE, "Rapat Koordinasi", "Rapat Koordinasi Kedua")
        wait_for(lambda: srv.title() == "Rapat Koordinasi Kedua", "the edited title")
        wait_for(lambda: f"changed {ARTICLE}:" in srv.log("out"), "the rebuild line")
        line = next(x for x in srv.log("out").splitlines() if x.startswith(f"changed {ARTICLE}:"))
        # what changed, how many pages were rewritten, how long it took
        pattern = rf"changed {re.escape(ARTICLE)}: \d+ files? rewritten \((\d+) pages?\) in \d+\.\d\ds"
        found = re.fullmatch(pattern, line)
        assert found and int(found.group(1)) >= 2, line  # the release and the lists it is on
        good = srv.status()
        assert good["ok"] is True

        edit(site / ARTICLE, 'title: "Rapat Koordinasi Kedua"', "title: [Rapat rusak")
        wait_for(lambda: srv.status()["ok"] is False, "the failed rebuild")
        errors = srv.status()["errors"]
        assert isinstance(errors, list) and len(errors) == 1
        assert re.match(rf"{re.escape(ARTICLE)}:[23]: error: ", str(errors[0]))
        assert str(errors[0]) in srv.log("err")
        assert srv.title() == "Rapat Koordinasi Kedua"  # the last good page is still served
        assert "error" in events_stream_first_message(srv)["errors"][0]
        # the failed rebuild's line says what changed too
        assert f"changed {ARTICLE}: rebuild failed: the last good version stays" in srv.log("err")

        edit(site / ARTICLE, "title: [Rapat rusak", 'title: "Rapat Koordinasi Ketiga"')
        wait_for(lambda: srv.status()["ok"] is True, "recovery")
        assert srv.title() == "Rapat Koordinasi Ketiga"
        assert srv.status()["version"] != good["version"]  # open pages reload
        # a change no page shows: the line still says how many pages were rewritten, none
        (site / "static/files").mkdir(parents=True, exist_ok=True)
        (site / "static/files/catatan.txt").write_text("catatan\n", "utf-8")
        wait_for(lambda: "changed static/files/catatan.txt:" in srv.log("out"), "the rebuild line of a static file")
        line = next(x for x in srv.log("out").splitlines() if x.startswith("changed static/files/catatan.txt:"))
        said = r"changed static/files/catatan\.txt: 1 file rewritten \(0 pages\) in \d+\.\d\ds"
        assert re.fullmatch(said, line), line
        assert srv.stop() == 0
    assert "Traceback" not in srv.log("err"), srv.log("err")


def events_stream_first_message(srv: Served) -> dict[str, list[str]]:
    """Read the server-sent event stream until its first data line."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    try:
        conn.request("GET", "/__sitegen/events")
        resp = conn.getresponse()
        assert resp.status == 200
        assert resp.getheader("Content-Type", "").startswith("text/event-stream")
        while True:
            line = resp.fp.readline().decode()
            if line.startswith("data: "):
                data: dict[str, list[str]] = json.loads(line[len("data: "):])
                return data
    finally:
        conn.close()


def test_deleting_an_article_removes_its_pages(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    with serving(site) as srv:
        assert srv.get("/en" + ARTICLE_URL).status == 200
        (site / "content/berita/2024-05-30-rapat.en.md").unlink()
        wait_for(lambda: srv.get("/en" + ARTICLE_URL).status == 404, "the removed page")
        assert not (site / "public/en/berita/2024/rapat").exists()
        # The Indonesian page no longer offers the translation it lost.
        switch = html.fromstring(srv.get(ARTICLE_URL).body).xpath("//link[@hreflang='en']/@href")
        assert not any("/en/berita/" in href for href in switch)


TRAVERSALS = ["/../config.yaml", "/%2e%2e/config.yaml", "/%2E%2E/config.yaml",
              "/%252e%252e/config.yaml", "/..%2fconfig.yaml", "/..%252fconfig.yaml",
              "/..\\config.yaml", "/%5c..%5cconfig.yaml", "/berita/../../config.yaml",
              "/index.html%00", "/%00", "/leak", "/leak-dir/config.yaml", "/.sitegen-output.json"]


def test_requests_outside_the_output_are_refused(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    with serving(site) as srv:
        (site / "public/leak").symlink_to(site / "config.yaml")
        (site / "public/leak-dir").symlink_to(site)
        for path in TRAVERSALS:
            for method in ("GET", "HEAD"):
                resp = srv.get(path, method)
                assert resp.status == 404, (path, method)
                assert b"base_url" not in resp.body, path
        assert srv.get("/berita/2024/rapat/index.html").status == 200  # plain paths still work


@pytest.mark.parametrize("path", TRAVERSALS)
def test_resolve_request_refuses_ways_out(tmp_path: Path, path: str) -> None:
    root = tmp_path / "public"
    (root / "berita").mkdir(parents=True)
    (root / "index.html").write_text("home")
    (tmp_path / "config.yaml").write_text("base_url: x")
    (root / "leak").symlink_to(tmp_path / "config.yaml")
    (root / "leak-dir").symlink_to(tmp_path)
    (root / ".sitegen-output.json").write_text("{}")
    assert resolve_request(root, path) is None


def test_resolve_request_finds_files_and_folders(tmp_path: Path) -> None:
    root = tmp_path / "public"
    (root / "berita/2024").mkdir(parents=True)
    (root / "berita/2024/a b.html").write_text("x")
    (root / "inner").symlink_to(root / "berita")  # a symlink that stays inside is fine
    assert resolve_request(root, "/") == root.resolve()
    found = resolve_request(root, "/berita/2024/a%20b.html?x=1#top")
    assert found == root.resolve() / "berita/2024/a b.html"
    assert resolve_request(root, "/inner/2024/") == root.resolve() / "berita/2024"
    assert resolve_request(root, "/nope.html") is None


def test_types_redirects_and_the_404_page_in_the_right_language(
        make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    with serving(site) as srv:
        types = {path: srv.get(path, "HEAD").headers["content-type"] for path in (
            "/feed.xml", "/en/atom.xml", "/feed.json", "/sitemap.xml", "/files/rilis.pdf",
            "/images/logo.svg", "/robots.txt", ARTICLE_URL)}
        assert types == {
            "/feed.xml": "application/xml", "/en/atom.xml": "application/xml",
            "/feed.json": "application/feed+json", "/sitemap.xml": "application/xml",
            "/files/rilis.pdf": "application/pdf", "/images/logo.svg": "image/svg+xml",
            "/robots.txt": "text/plain; charset=utf-8", ARTICLE_URL: "text/html; charset=utf-8"}
        # the theme's stylesheet (rglob could catch Pagefind's hidden staging folder mid-index)
        assert (site / "public/css/style.css").is_file()
        assert srv.get("/css/style.css").headers["content-type"] == "text/css; charset=utf-8"
        assert srv.get("/files/rilis.pdf").body == b"%PDF-1.4\n%%EOF\n"

        moved = srv.get("/berita?page=2")
        assert (moved.status, moved.headers["location"]) == (301, "/berita/?page=2")
        assert srv.get("//berita").headers["location"] == "/berita/"  # never to another host

        for path, lang in (("/en/no-such-page/", "en"), ("/no-such-page/", "id"),
                           ("/../x", "id"), ("/enx/y", "id")):
            resp = srv.get(path)
            assert resp.status == 404
            assert html.fromstring(resp.body).get("lang") == lang, path
            assert "/__sitegen/live.js" in resp.text


def test_a_busy_port_moves_to_the_next_free_one(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        with serving(site, port=taken) as srv:
            assert srv.port != taken
            assert f"port {taken} is busy" in srv.log("err")
            assert f"serving on port {srv.port} instead" in srv.log("err")
            assert srv.get("/").status == 200


def test_ctrl_c_stops_cleanly(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    with serving(site) as srv:
        # An open event stream must not keep the server from stopping.
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        conn.request("GET", "/__sitegen/events")
        assert conn.getresponse().status == 200
        assert srv.stop() == 0
        conn.close()
    assert "Traceback" not in srv.log("err"), srv.log("err")
    assert srv.log("err").strip().endswith("stopped")


def test_stops_on_sigint_even_when_started_with_it_ignored(make_site: Callable[..., Path]) -> None:
    """A script that starts serve in the background hands it SIGINT ignored; a SIGINT sent
    to it must still stop it, as Ctrl-C stops it in a terminal."""
    site = make_site(bilingual_files())
    logs = site.parent / "logs-ignored"
    logs.mkdir()
    with open(logs / "out", "wb") as out, open(logs / "err", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--port", str(free_port()),
                                 "--site", str(site)], stdout=out, stderr=err,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        wait_for(lambda: "(Ctrl-C" in (logs / "out").read_text("utf-8"), "serving")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (logs / "err").read_text("utf-8").strip().endswith("stopped")


@pytest.mark.parametrize("folder", ["/", "/sumbar/"])
def test_an_alias_leads_to_the_release_on_the_served_site(make_site: Callable[..., Path], folder: str) -> None:
    """Under serve an old address sends the reader to the release on 127.0.0.1 (in the site's
    folder, when base_url has one), not to the production host base_url names."""
    config = SMALL_CONFIG.replace("https://humas.example.go.id/", f"https://humas.example.go.id{folder}")
    site = make_site({**bilingual_files(), ARTICLE: article("Rapat Koordinasi", aliases=["/lama/rapat.html"])}, config)
    with launch(site, ["serve", "--port", str(free_port())], "(Ctrl-C") as srv:
        found = re.search(rf"http://127\.0\.0\.1:(\d+){folder} \(Ctrl-C", srv.log("out"))
        assert found, srv.log("out") + srv.log("err")
        srv.port = int(found.group(1))
        alias = f"{folder}lama/rapat.html"
        moved = html.fromstring(srv.get(alias).body)
        refresh = moved.xpath("string(//meta[@http-equiv='refresh']/@content)").partition("; url=")[2]
        for target in (refresh, moved.xpath("string(//a/@href)")):
            address = urlsplit(urljoin(srv.url + alias, target))
            assert (address.scheme, address.netloc) == ("http", f"127.0.0.1:{srv.port}"), target
            landed = srv.get(address.path)
            assert landed.status == 200, address.path
            assert html.fromstring(landed.body).findtext(".//h1").strip() == "Rapat Koordinasi"
        assert address.path == f"{folder}berita/2024/rapat/"
        canonical = moved.xpath("string(//link[@rel='canonical']/@href)")
        assert canonical == f"https://humas.example.go.id{folder}berita/2024/rapat/"  # what search engines keep


def test_build_output_never_carries_the_live_script(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    assert build(site).code == 0
    pages = list((site / "public").rglob("*.html"))
    assert pages and not any(b"__sitegen" in p.read_bytes() for p in pages)


def frame_of(served: bytes) -> str:
    found = re.search(rb'data-frame="([0-9a-f]*)"', served)
    assert found is not None
    return found.group(1).decode()


def test_inject_and_content_type() -> None:
    page = b"<html><body><p>x</p></BODY></html>"
    assert inject(page, 7, 2) == (
        b'<html><body><p>x</p><script src="/__sitegen/live.js" data-version="7" data-assets="2" data-frame="">'
        b"</script></BODY></html>")
    assert inject(b"<p>x</p>", 7).endswith(b'data-version="7" data-assets="0" data-frame=""></script>')
    assert content_type(Path("a/feed.json")) == "application/feed+json"
    assert content_type(Path("search.json")) == "application/json"
    assert content_type(Path("x.unknownext")) == "application/octet-stream"


def test_the_frame_covers_everything_but_the_inside_of_main() -> None:
    """Pages whose frames are equal differ only inside <main>, which the live script may
    patch; any other difference, or a page without exactly one <main>, means a reload."""
    def page(head: str = "<title>A</title>", main: str = "<p>x</p>", attrs: str = ' id="main"') -> bytes:
        return f"<html><head>{head}</head><body><nav>n</nav><main{attrs}>{main}</main></body></html>".encode()

    base = frame_of(inject(page(), 1))
    assert base and frame_of(inject(page(), 2)) == base
    assert frame_of(inject(page(main="<p>y</p><p>z</p>"), 1)) == base
    assert frame_of(inject(page(head="<title>B</title>"), 1)) != base
    assert frame_of(inject(page(attrs=' id="main" class="x"'), 1)) != base
    assert frame_of(inject(page(attrs=""), 1)) != base
    assert frame_of(inject(page().replace(b"<nav>n</nav>", b"<nav>m</nav>"), 1)) != base
    assert frame_of(inject(page().upper(), 1))  # tags in capitals are tags too
    assert frame_of(inject(page(main="<main>inner</main>"), 1)) == ""
    assert frame_of(inject(b"<html><body><p>no main</p></body></html>", 1)) == ""
    assert frame_of(inject(b"<html><body><mainly>x</mainly></body></html>", 1)) == ""
