"""Which known_hosts file a target is checked against, and how an unknown key is explained."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.deploy.endpoint import DEFAULT_PORT, Endpoint
from sitegen.deploy.problems import DeployRefused, refused
from sitegen.messages import _

#: Tests (and users with a project-local file) point sitegen at another known_hosts file.
ENV = "SITEGEN_KNOWN_HOSTS"


def known_hosts_file(configured: str | None, site_dir: Path) -> Path:
    """The target's ``known_hosts:``, else $SITEGEN_KNOWN_HOSTS, else ~/.ssh/known_hosts."""
    chosen = configured or os.environ.get(ENV)
    if chosen:
        path = Path(chosen).expanduser()
        return path if path.is_absolute() else site_dir / path
    return Path.home() / ".ssh" / "known_hosts"


@dataclass(frozen=True, slots=True)
class KnownHosts:
    """What a library that reads only plain known_hosts lines (paramiko) can be given."""

    lines: tuple[str, ...]  # plain entries, hashed names included; none holding a revoked key
    revoked: frozenset[bytes]  # the keys of ``@revoked`` lines: never to be accepted


def read_known_hosts(files: Sequence[Path]) -> KnownHosts:
    """The entries of OpenSSH's ``files`` as paramiko can take them. paramiko stops at a
    ``@cert-authority`` or ``@revoked`` line, or a byte that is not UTF-8, where OpenSSH goes on:
    host certificates (which paramiko cannot check) are left out, revoked keys are kept apart,
    and a comment's odd bytes are replaced."""
    plain: list[tuple[str, bytes]] = []
    revoked: set[bytes] = set()
    for file in files:
        for raw in file.read_bytes().splitlines():
            line = raw.decode("utf-8", "replace").strip()
            fields = line.split()
            if len(fields) < 3 or line.startswith("#"):
                continue
            if fields[0] == "@revoked" and len(fields) >= 4:
                revoked.add(_blob(fields[3]))
            elif not fields[0].startswith("@"):
                blob = _blob(fields[2])
                if blob:  # a key that is not base64: as OpenSSH, skipped
                    plain.append((line, blob))
    return KnownHosts(tuple(line for line, blob in plain if blob not in revoked), frozenset(revoked - {b""}))


def _blob(encoded: str) -> bytes:
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return b""


def fingerprint(key_blob: bytes) -> str:
    """OpenSSH's ``SHA256:...`` form of a public key."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(key_blob).digest()).decode().rstrip("=")


def scan_command(endpoint: Endpoint, file: Path) -> str:
    """The shell command that adds the server's keys to ``file``, as it works on this computer:
    on one that never used ssh, ``~/.ssh`` is made first (private, as OpenSSH makes it)."""
    port = "" if endpoint.port == DEFAULT_PORT else f"-p {endpoint.port} "
    command = f"ssh-keyscan {port}{shlex.quote(endpoint.host)} >> {shlex.quote(str(file))}"
    if not file.parent.is_dir():
        command = f"mkdir -p -m 700 {shlex.quote(str(file.parent))} && {command}"
    return command


def unknown_key(label: str, endpoint: Endpoint, file: Path, offered: list[str]) -> DeployRefused:
    shown = ", ".join(offered) if offered else _("(the server did not say)")
    return refused(label, _("the server {host} is not in {file}: it offered host key {keys}").format(
        host=endpoint.known_hosts_name, file=file, keys=shown),
        _("ask the server's administrator whether that fingerprint is right, then trust it with: {command}").format(
            command=scan_command(endpoint, file)))


def revoked_key(label: str, endpoint: Endpoint, file: Path, offered: list[str]) -> DeployRefused:
    shown = ", ".join(offered) if offered else _("(the server did not say)")
    return refused(label, _("the host key of {host} is marked as revoked in {file}: it offers {keys}; "
                            "this can be an attack, nothing was sent").format(
        host=endpoint.known_hosts_name, file=file, keys=shown),
        _("ask the server's administrator for the server's new key; a revoked key is never trusted again"))


def changed_key(label: str, endpoint: Endpoint, file: Path, offered: list[str]) -> DeployRefused:
    shown = ", ".join(offered) if offered else _("(the server did not say)")
    remove = f"ssh-keygen -R {shlex.quote(endpoint.known_hosts_name)} -f {shlex.quote(str(file))}"
    return refused(label, _("the host key of {host} has CHANGED since {file} trusted it: it now offers {keys}; "
                            "this can be an attack, nothing was sent").format(
        host=endpoint.known_hosts_name, file=file, keys=shown),
        _("if the administrator confirms the server was reinstalled and the new fingerprint, run {remove} "
          "and then {command}").format(remove=remove, command=scan_command(endpoint, file)))
