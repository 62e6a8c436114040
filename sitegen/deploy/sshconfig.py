"""What the user's OpenSSH configuration makes of a target's host: the machine, port and user
ssh connects to, and the keys it offers. A url may name a ``Host`` of ~/.ssh/config
(``ssh://webhumas/var/www/humas``); the SFTP path (paramiko) reads no ssh configuration, and
a port sitegen passed itself would override the one the configuration gives."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path

from sitegen.deploy.endpoint import Endpoint


@dataclasses.dataclass(frozen=True, slots=True)
class Resolved:
    endpoint: Endpoint  # host, port and user as ssh connects; ``alias`` the host as written
    keys: tuple[Path, ...]  # the configuration's key files that are there, in its order


def resolve(endpoint: Endpoint) -> Resolved:
    """``endpoint`` as the user's OpenSSH configuration makes it: asked of ``ssh -G`` (which reads
    it as ssh itself does, Include and Match too), else read with paramiko's reader where this
    computer has no ssh. Where neither says anything, the endpoint as it is."""
    said = _ssh_g(endpoint) if shutil.which("ssh") else _paramiko(endpoint)
    if not said:
        return Resolved(endpoint, ())
    host = _first(said, "hostname") or endpoint.host
    given = endpoint.port_written
    port = endpoint.port if given else int(_first(said, "port") or endpoint.port)
    user = endpoint.user or _first(said, "user")
    keys = tuple(dict.fromkeys(Path(os.path.expanduser(key)) for key in said.get("identityfile", ())))
    resolved = dataclasses.replace(endpoint, host=host, port=port, user=user,
                                   alias=endpoint.host if host != endpoint.host else "")
    return Resolved(resolved, tuple(key for key in keys if key.is_file()))


def _first(said: dict[str, list[str]], key: str) -> str:
    return next(iter(said.get(key, ())), "")


def _ssh_g(endpoint: Endpoint) -> dict[str, list[str]]:
    command = ["ssh", "-G", *(["-p", str(endpoint.port)] if endpoint.port_written else []),
               *(["-l", endpoint.user] if endpoint.user else []), "--", endpoint.host]
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, check=False, timeout=15)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:  # a broken configuration: the connection itself says what is wrong
        return {}
    said: dict[str, list[str]] = {}
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(" ")
        if key.lower() in ("hostname", "port", "user", "identityfile") and value.strip():
            said.setdefault(key.lower(), []).append(value.strip())
    return {key: values for key, values in said.items() if key != "port" or values[0].isdigit()}


def _paramiko(endpoint: Endpoint) -> dict[str, list[str]]:
    import paramiko

    file = Path.home() / ".ssh" / "config"
    try:
        found = paramiko.SSHConfig.from_path(str(file)).lookup(endpoint.host)
    except (OSError, paramiko.SSHException, ValueError):
        return {}
    said = {key: [str(found[key])] for key in ("hostname", "port", "user") if key in found}
    if "identityfile" in found:
        said["identityfile"] = [str(key) for key in found["identityfile"]]
    return {key: values for key, values in said.items() if key != "port" or values[0].isdigit()}
