"""``sitegen serve --host ""``: the empty address is every address to the socket, so the desk
asks for a login there as it does on 0.0.0.0 (issue 21: "on any other address it requires a
login"), and serve prints an address that can be opened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sitegen.desk import security
from sitegen.desk.app import PREFIX
from sitegen.serve import network_address
from tests.test_desk import small_site
from tests.test_serve import free_port, launch


def test_an_empty_host_is_every_address_and_the_desk_asks_for_a_login_there(
        make_site: Callable[..., Path]) -> None:
    assert not security.is_loopback("")
    site = small_site(make_site)
    port = free_port()
    with launch(site, ["serve", "--host", "", "--port", str(port)], "(Ctrl-C") as srv:
        out = srv.log("out")
        assert f"http://0.0.0.0:{port}{PREFIX}" in out and "http://:" not in out, out + srv.log("err")
        assert "sitegen desk-password" in out  # the admin is told the desk stays closed without one
        lan = network_address()  # the address a colleague's browser can open, where there is one
        assert lan is None or f"http://{lan}:{port}{PREFIX}" in out, out
        srv.port = port
        answer = srv.get(PREFIX + "new")
        assert answer.status == 303 and answer.headers["location"] == PREFIX + "login"
