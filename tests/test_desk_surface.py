"""The HTTP surface of serve and the desk against a visitor behind the office's proxy and a
script in a page of the site itself (an outside audit of issues 4 and 21)."""

from __future__ import annotations

import http.client
from collections.abc import Callable
from pathlib import Path

from sitegen.desk import security
from tests.desk_helpers import Client, desk_server
from tests.test_desk import ARTICLE, run_with_stdin, small_site

PASSWORD = "correct horse battery"


def _login(client: Client, password: str) -> int:
    csrf = client.get("login").page().xpath("//input[@name='csrf']/@value")[0]
    return client.post("login", {"csrf": csrf, "password": password}).status


def test_one_visitor_behind_the_proxy_locks_out_only_itself(make_site: Callable[..., Path]) -> None:
    """Audit: the lockout counted wrong passwords by the connection's address, the proxy's for
    everyone: five wrong ones from one visitor kept every colleague out."""
    site = small_site(make_site)
    assert run_with_stdin(PASSWORD + "\n", "desk-password", "--site", site).code == 0
    with desk_server(site) as srv:
        intruder = srv.client()
        intruder.extra = {"X-Forwarded-For": "198.51.100.66", "X-Forwarded-Host": f"127.0.0.1:{srv.port}"}
        assert [_login(intruder, f"salah-{n}") for n in range(5)] == [401] * 5
        assert _login(intruder, PASSWORD) == 429  # that visitor waits
        staff = srv.client()
        staff.extra = {"X-Forwarded-For": "10.0.0.9, 203.0.113.9", "X-Forwarded-Host": f"127.0.0.1:{srv.port}"}
        assert _login(staff, PASSWORD) == 303


def test_a_script_of_a_site_page_cannot_read_a_desk_page(make_site: Callable[..., Path]) -> None:
    """Audit: a script in a page of the site (same origin) fetched a desk page, took its CSRF
    token and rewrote a release through the desk. The desk's pages are for the browser to open,
    not for a script to read; a page of the site that opens one gets no hold of it (COOP)."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fetched = client.request("GET", f"edit?file={ARTICLE}",
                                 headers={"Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty", "Sec-Fetch-Site":
                                          "same-origin"})
        assert fetched.status == 403 and 'name="csrf"' not in fetched.text
        opened = client.request("GET", f"edit?file={ARTICLE}",
                                headers={"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"})
        assert opened.status == 200 and 'name="csrf"' in opened.text
        assert opened.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_serve_hands_out_no_hidden_file_of_the_output(make_site: Callable[..., Path]) -> None:
    """Audit: a .git of a gh-pages checkout or a .env put into the output by hand was served."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        public = site / "public"
        (public / ".git").mkdir()
        (public / ".git/config").write_text("[remote] url=https://token@example.com/x\n", "utf-8")
        (public / ".env").write_text("SECRET=1\n", "utf-8")
        (public / ".well-known").mkdir(exist_ok=True)
        (public / ".well-known/security.txt").write_text("Contact: mailto:humas@example.go.id\n", "utf-8")

        def status(path: str) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
            conn.request("GET", path, headers={"Host": f"127.0.0.1:{srv.port}"})
            code = conn.getresponse().status
            conn.close()
            return code

        assert [status(p) for p in ("/.git/config", "/%2egit/config", "/.env", "/berita/.env")] == [404] * 4
        assert status("/.well-known/security.txt") == 200


def test_a_flood_of_login_pages_keeps_a_bounded_table() -> None:
    sessions = security.Sessions()
    signed = sessions.start(signed_in=True)
    for _ in range(3 * security.MAX_WAITING):
        sessions.start(signed_in=False)
    assert len(sessions._items) <= security.MAX_WAITING + 256
    assert sessions.get(signed.sid) is signed
