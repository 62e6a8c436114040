"""Which known_hosts file a target is checked against, and how an unknown key is explained."""

from __future__ import annotations

import base64
import hashlib
import os
import shlex
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


def changed_key(label: str, endpoint: Endpoint, file: Path, offered: list[str]) -> DeployRefused:
    shown = ", ".join(offered) if offered else _("(the server did not say)")
    remove = f"ssh-keygen -R {shlex.quote(endpoint.known_hosts_name)} -f {shlex.quote(str(file))}"
    return refused(label, _("the host key of {host} has CHANGED since {file} trusted it: it now offers {keys}; "
                            "this can be an attack, nothing was sent").format(
        host=endpoint.known_hosts_name, file=file, keys=shown),
        _("if the administrator confirms the server was reinstalled and the new fingerprint, run {remove} "
          "and then {command}").format(remove=remove, command=scan_command(endpoint, file)))
