"""Issue 5: "while serve or watch runs, the site rebuilds by itself at the moment the next
embargo or publication time passes" — here the publication time (a future date), in serve."""

from __future__ import annotations

import http.client
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import article
from tests.test_serve import bilingual_files, serving, wait_for

SOURCE = "content/berita/2024-06-01-terjadwal.id.md"


def status(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_a_scheduled_release_goes_live_by_itself_while_serving(make_site: Callable[..., Path]) -> None:
    at = (datetime.now(UTC) + timedelta(seconds=6)).replace(microsecond=0)
    release = article("Rilis Terjadwal", date=at.isoformat(), slug="terjadwal")
    site = make_site({**bilingual_files(), SOURCE: release})
    url = f"/berita/{at.year}/terjadwal/"
    with serving(site) as srv:
        if datetime.now(UTC) < at:  # (a slow machine may start serving after it passed)
            assert status(srv.port, url)[0] == 404
        wait_for(lambda: status(srv.port, url)[0] == 200, "the scheduled release", timeout=60)
        assert "Rilis Terjadwal" in status(srv.port, url)[1]
        assert "Rilis Terjadwal" in status(srv.port, "/")[1]
        wait_for(lambda: f"publication time reached: {SOURCE}" in srv.log("out"), "the report line")
