"""A deploy target's URL: ``ssh://user@host:port/path`` or ``file:///path``, checked once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sitegen.messages import N_, _

DEFAULT_PORT = 22


class BadUrl(ValueError):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True, slots=True)
class Endpoint:
    scheme: str  # "ssh" or "file"
    path: str  # absolute, without a trailing slash (except "/")
    host: str = ""
    user: str = ""
    port: int = DEFAULT_PORT
    #: whether the url names the port (else ssh's configuration may: ``sshconfig``)
    port_written: bool = True
    #: the host as the url names it, where ssh's configuration gives it another name (a ``Host``
    #: alias with a ``HostName``): ssh is given this name, so the rest of that ``Host`` applies
    alias: str = ""

    @property
    def destination(self) -> str:
        """``user@host`` as OpenSSH takes it."""
        host = self.alias or self.host
        return f"{self.user}@{host}" if self.user else host

    @property
    def known_hosts_name(self) -> str:
        """How known_hosts names this server: ``host``, or ``[host]:port`` off port 22."""
        return self.host if self.port == DEFAULT_PORT else f"[{self.host}]:{self.port}"

    def __str__(self) -> str:
        if self.scheme == "file":
            return f"file://{self.path}"
        port = "" if self.port == DEFAULT_PORT else f":{self.port}"
        name = self.alias or self.host
        host = f"[{name}]" if ":" in name else name
        return f"ssh://{self.user + '@' if self.user else ''}{host}{port}{self.path}"


_HOST = re.compile(r"^[A-Za-z0-9._-]+$|^\[[0-9A-Fa-f:.]+\]$")
_EXAMPLE = N_("write it like  url: ssh://humas@web.example.go.id:22/var/www/humas  or  url: file:///mnt/web/humas")


def parse_url(url: str) -> Endpoint:
    """The target, or BadUrl saying what is wrong and how to write it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("ssh", "file"):
        shown = parts.scheme or url
        raise BadUrl(_("deploy url '{url}' must start with ssh:// or file://, not '{scheme}'").format(
            url=url, scheme=shown), _(_EXAMPLE))
    if parts.query or parts.fragment:
        raise BadUrl(_("deploy url '{url}' must not have a ? or # part").format(url=url), _(_EXAMPLE))
    path = unquote(parts.path)
    if not path.startswith("/") or "\0" in path or any(p in ("..", ".") for p in path.split("/")):
        raise BadUrl(_("deploy url '{url}' must end in an absolute folder path without . or ..").format(url=url),
                     _(_EXAMPLE))
    path = path.rstrip("/") or "/"
    if path == "/":
        raise BadUrl(_("deploy url '{url}' must name a folder below /").format(url=url),
                     _("sitegen keeps its releases in that folder; write it like /var/www/humas"))
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise BadUrl(_("a file:// url names a folder on this computer, not on '{host}'").format(
                host=parts.netloc), _("write it with three slashes, like  file:///mnt/web/humas"))
        return Endpoint("file", path)
    if parts.password is not None or ":" in (parts.username or ""):
        raise BadUrl(_("deploy url '{url}' contains a password").format(url=_without_password(url)),
                     _("never put a password in config.yaml: load the key into ssh-agent or set identity_file"))
    host = parts.hostname or ""
    netloc_host = parts.netloc.rpartition("@")[2]
    if not host or not _HOST.match(netloc_host.rsplit(":", 1)[0] if not netloc_host.startswith("[")
                                   else netloc_host.rsplit("]", 1)[0] + "]"):
        raise BadUrl(_("deploy url '{url}' does not name a server").format(url=url), _(_EXAMPLE))
    try:
        given = parts.port
    except ValueError:
        given = 0
    if given == 0:  # out of range, not a number, or 0 (which no server listens on)
        raise BadUrl(_("deploy url '{url}' has a port that is not a number from 1 to 65535").format(url=url),
                     _(_EXAMPLE))
    port = DEFAULT_PORT if given is None else given
    return Endpoint("ssh", path, host=host, user=unquote(parts.username or ""), port=port,
                    port_written=given is not None)


def _without_password(url: str) -> str:
    """The URL with whatever stands between the user's ':' and '@' masked."""
    return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", url)
