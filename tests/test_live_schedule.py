"""Issue 5: "while serve or watch runs, the site rebuilds by itself at the moment the next
embargo or publication time passes" — here the publication time (a future date), in serve."""

from __future__ import annotations

import functools
import http.client
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import article
from tests.test_serve import Served, bilingual_files, serving, wait_for

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
    # A loaded machine may start serving only after the time passed (its first build then
    # publishes the release and nothing is left to schedule): tried again with more time ahead.
    for ahead in (6, 20, 60):
        at = (datetime.now(UTC) + timedelta(seconds=ahead)).replace(microsecond=0)
        release = article("Rilis Terjadwal", date=at.isoformat(), slug="terjadwal")
        site = make_site({**bilingual_files(), SOURCE: release}, name=f"site-{ahead}")
        url = f"/berita/{at.year}/terjadwal/"
        with serving(site) as srv:
            if datetime.now(UTC) >= at:
                continue
            assert status(srv.port, url)[0] == 404
            wait_for(functools.partial(_shown, srv.port, url), "the scheduled release", timeout=ahead + 60)
            assert "Rilis Terjadwal" in status(srv.port, url)[1]
            assert "Rilis Terjadwal" in status(srv.port, "/")[1]
            wait_for(functools.partial(_reported, srv), "the report line")
        return
    pytest.fail("serve never started before the publication time, even a minute ahead")


def _shown(port: int, url: str) -> bool:
    return status(port, url)[0] == 200


def _reported(srv: Served) -> bool:
    return f"publication time reached: {SOURCE}" in srv.log("out")
