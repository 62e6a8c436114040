"""Who may use the desk: its own Host header only, a login off loopback, a CSRF token on every write.

- **Host**: a page on another site can make a browser send requests to 127.0.0.1 by pointing
  a DNS name at it (DNS rebinding). Such requests carry that name in ``Host:``, so only the
  server's own names are answered.
- **Login**: on loopback the desk is as private as the files are; on any other address it asks
  for the password an admin set with ``sitegen desk-password`` (kept as a salted scrypt hash).
- **Sessions** live in memory, expire after an idle hour or a working day, and travel in an
  ``HttpOnly; SameSite=Strict`` cookie; each has its own CSRF token that every POST must carry.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.cachefiles import cache_dir
from sitegen.messages import _

COOKIE = "sitegen_desk"
#: The login form's own session (its CSRF token) rides a cookie of its own: a login page, opened
#: by a link from anywhere, never replaces the session of someone signed in.
LOGIN_COOKIE = "sitegen_desk_login"
PASSWORD_FILE = "desk-password.json"
IDLE_SECONDS = 60 * 60
MAX_SECONDS = 10 * 60 * 60
MIN_PASSWORD = 10
#: Failed logins allowed from one address within FAIL_WINDOW before it must wait.
MAX_FAILURES = 5
FAIL_WINDOW = 15 * 60
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


#: What --host may say for "every address of this machine" ("" is the socket's own way).
EVERY_ADDRESS = ("0.0.0.0", "::", "[::]", "")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (serve's --host) listens on this machine alone. The empty address is
    every address to the socket, like 0.0.0.0: not loopback."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def unknown_host() -> str:
    """What a request with a Host this server does not answer to is told (HTTP 421)."""
    return _("unknown host: open the site and the desk at the address sitegen serve printed")


@dataclass(frozen=True, slots=True)
class HostCheck:
    """The Host header values this server answers to."""

    bind: str
    port: int

    def names(self) -> set[str]:
        found = {"localhost", "127.0.0.1", "[::1]"}
        bound = self.bind if ":" not in self.bind or self.bind.startswith("[") else f"[{self.bind}]"
        found.add(bound.lower())
        if not is_loopback(self.bind):
            found |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        return found

    def allows(self, header: str | None) -> bool:
        if not header:
            return False
        host, sep, port = header.strip().lower().rpartition(":")
        if not sep or "]" in port:  # no port given ("[::1]" alone, or a bare name)
            host, port = header.strip().lower(), ""
        if port and port != str(self.port):
            return False
        if host in self.names():
            return True
        # Bound to every address (0.0.0.0, :: or ""): any IP address is this machine's; a DNS name
        # that is not the machine's own could be a rebinding attack and is refused.
        return self.bind in EVERY_ADDRESS and _is_ip(host)


# --- the admin's password -----------------------------------------------------------------


def password_path(site_dir: Path) -> Path:
    return cache_dir(site_dir) / PASSWORD_FILE


def hash_password(password: str, salt: bytes | None = None) -> dict[str, object]:
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, maxmem=64 * 1024 * 1024,
                         **_SCRYPT)
    return {"scheme": "scrypt", **_SCRYPT, "salt": salt.hex(), "hash": key.hex()}


def verify_password(password: str, stored: dict[str, object]) -> bool:
    try:
        salt = bytes.fromhex(str(stored["salt"]))
        n, r, p = (int(str(stored[k])) for k in ("n", "r", "p"))
        expected = bytes.fromhex(str(stored["hash"]))
        key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected),
                             maxmem=64 * 1024 * 1024)
    except (KeyError, ValueError, TypeError):
        return False
    return stored.get("scheme") == "scrypt" and hmac.compare_digest(key, expected)


def set_password(site_dir: Path, password: str) -> Path:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    target = password_path(site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # only the owner reads it
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(hash_password(password), out)
    os.replace(temporary, target)
    return target


def load_password(site_dir: Path) -> dict[str, object] | None:
    try:
        data = json.loads(password_path(site_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# --- sessions ------------------------------------------------------------------------------


@dataclass(slots=True)
class Session:
    sid: str
    csrf: str
    started: float
    seen: float
    signed_in: bool
    by_password: bool = False  # signed in with the desk password (not trusted for being on loopback)

    def expired(self, now: float) -> bool:
        return now - self.seen > IDLE_SECONDS or now - self.started > MAX_SECONDS


@dataclass(slots=True)
class Sessions:
    """In-memory sessions: a restarted server signs everyone out, which is the safe way round."""

    clock: object = time.monotonic
    _items: dict[str, Session] = field(default_factory=dict)
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _now(self) -> float:
        clock = self.clock
        assert callable(clock)
        return float(clock())

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        now = self._now()
        with self._lock:
            session = self._items.get(sid)
            if session is None:
                return None
            if session.expired(now):
                del self._items[sid]
                return None
            session.seen = now
            return session

    def start(self, signed_in: bool, by_password: bool = False) -> Session:
        now = self._now()
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), now, now, signed_in, by_password)
        with self._lock:
            if len(self._items) >= _TIDY_AT:  # the expired ones, and past a limit the oldest not signed in
                kept = {k: v for k, v in self._items.items() if not v.expired(now)}
                waiting = [k for k, v in kept.items() if not v.signed_in]
                for sid in waiting[:max(0, len(waiting) - MAX_WAITING)]:  # oldest first: made in that order
                    del kept[sid]
                self._items = kept
            self._items[session.sid] = session
        return session

    def end(self, sid: str) -> None:
        with self._lock:
            self._items.pop(sid, None)

    def may_try(self, client: str) -> bool:
        now = self._now()
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < FAIL_WINDOW]
            self._failures[client] = recent
            return len(recent) < MAX_FAILURES

    def failed(self, client: str) -> None:
        with self._lock:
            self._failures.setdefault(client, []).append(self._now())


#: Sessions kept before the expired ones are dropped (each login page's visit makes one), and
#: how many not signed in are kept at most: a flood of login pages costs a bounded table.
_TIDY_AT = 256
MAX_WAITING = 1000


def client_of(peer: str, headers: Mapping[str, str]) -> str:
    """Who a login attempt is counted against: the address the connection came from, but
    behind a reverse proxy on this machine (every connection from loopback) the address the
    proxy names last in X-Forwarded-For (the one it saw): else one visitor's wrong passwords
    would lock out everyone who comes through the proxy."""
    named = [part.strip() for part in (headers.get("x-forwarded-for") or "").split(",") if part.strip()]
    return named[-1] if named and peer in ("127.0.0.1", "::1", "::ffff:127.0.0.1") else peer


def read_by_a_script(headers: Mapping[str, str]) -> bool:
    """Whether a GET is a script's request for a page (fetch, XMLHttpRequest), not the browser
    opening it: the desk's pages hold the session's CSRF token, and a page of the public site
    is of this origin too (a script in an embed pasted into a release, a theme's). The desk's
    own script only sends forms. Browsers say so on loopback and over HTTPS (Sec-Fetch-*)."""
    mode = headers.get("sec-fetch-mode")
    return mode is not None and mode != "navigate" and headers.get("sec-fetch-dest") == "empty"


#: Headers a reverse proxy adds (nginx and Apache snippets, Caddy by default): a request that
#: carries one came from beyond this machine, whatever address serve listens on. Any
#: ``X-Forwarded-*`` counts (a proxy set to pass on only ``X-Forwarded-Proto``, say).
FORWARDED = ("forwarded", "x-real-ip")
FORWARDED_PREFIX = "x-forwarded-"


def forwarded(headers: Mapping[str, str]) -> bool:
    return any(value and (name.lower() in FORWARDED or name.lower().startswith(FORWARDED_PREFIX))
               for name, value in headers.items())


def public_host(headers: Mapping[str, str]) -> str:
    """The address the browser asked for: the proxy's X-Forwarded-Host (its first entry), else
    Host. A page elsewhere cannot make a browser send X-Forwarded-Host (it is no simple
    header), so only a proxy can name another address this way."""
    named = (headers.get("x-forwarded-host") or "").split(",")[0].strip()
    return (named or headers.get("host") or "").lower()


def csrf_ok(session: Session | None, sent: str | None) -> bool:
    return session is not None and bool(sent) and hmac.compare_digest(session.csrf, sent or "")


def cookie_header(session: Session | None, prefix: str, name: str = COOKIE) -> str:
    """The session's cookie, or (None) the one that ends it; sent only to the desk's addresses
    under ``prefix`` (a cookie knows no port: with a wider path, every other service on the
    same host would be sent the session)."""
    if session is None:
        return f"{name}=; Path={prefix}; HttpOnly; SameSite=Strict; Max-Age=0"
    return f"{name}={session.sid}; Path={prefix}; HttpOnly; SameSite=Strict; Max-Age={MAX_SECONDS}"


def cookie_values(header: str | None, cookie: str = COOKIE) -> list[str]:
    """Every value the cookie has (a browser may hold two, of two paths, and send both)."""
    found = []
    for part in (header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == cookie:
            found.append(value)
    return found
