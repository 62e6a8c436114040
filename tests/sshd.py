"""A real OpenSSH server for the deploy tests: 127.0.0.1, a free port, keys made in tmp_path.

It runs as the current user (root here and in CI), so the config allows key-only root
logins, reads authorized keys from the test's folder and skips the ownership checks that
a tmp_path would fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SSHD = Path("/usr/sbin/sshd")
RSYNC = Path("/usr/bin/rsync")
SFTP_SERVER = next((p for p in (Path("/usr/lib/openssh/sftp-server"), Path("/usr/libexec/openssh/sftp-server"))
                    if p.exists()), None)


def missing() -> str | None:
    """Why these tests cannot run here, or None."""
    if not SSHD.exists():
        return "OpenSSH server (apt-get install openssh-server)"
    if not RSYNC.exists() or shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        return "rsync and the OpenSSH client (apt-get install rsync openssh-client)"
    return None


@dataclass(frozen=True)
class Server:
    port: int
    known_hosts: Path  # trusts this server's host key
    client_key: Path  # authorized on this server
    other_key: Path  # a valid key the server does not know
    host_public: str
    pid: int  # the listening sshd; each session is a child of it

    def drop_sessions(self) -> int:
        """Kill this server's session processes (as a network failure would cut them); how many."""
        killed = 0
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(self.pid):
                try:
                    os.kill(int(status.parent.name), 9)
                    killed += 1
                except OSError:
                    pass
        return killed

    def url(self, path: Path) -> str:
        return f"ssh://{_user()}@127.0.0.1:{self.port}{path}"

    def shell(self, command: str) -> subprocess.CompletedProcess[str]:
        """Run ``command`` in a session of this server, as deploy's own commands run there."""
        return subprocess.run(["ssh", "-p", str(self.port), "-o", f"UserKnownHostsFile={self.known_hosts}",
                               "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-i", str(self.client_key),
                               f"{_user()}@127.0.0.1", command], capture_output=True, text=True, timeout=60)


def _user() -> str:
    return os.environ.get("USER") or "root"


def keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sitegen-test", "-f", str(path)],
                   check=True, capture_output=True)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def sshd(folder: Path, extra_config: str = "", sftp_server: str | None = None,
         env: dict[str, str] | None = None) -> Iterator[Server]:
    """``extra_config``: more sshd_config lines (a test's own server, like one that allows only SFTP);
    ``sftp_server``: the SFTP subsystem's program instead of OpenSSH's (a wrapper setting a limit);
    ``env``: variables the server sets in its sessions (sshd takes only the first SetEnv line)."""
    folder.mkdir(parents=True, exist_ok=True)
    host_key = keygen(folder / "host_ed25519")
    client = keygen(folder / "client_ed25519")
    other = keygen(folder / "other_ed25519")
    (folder / "authorized_keys").write_text(client.with_suffix(".pub").read_text())
    os.chmod(client, 0o600)
    # Each command runs in the account's shell, and bash started by sshd reads the account's
    # ~/.bashrc: on a developer's or CI's machine that may start version managers and the like
    # for every command of every deploy, which no server these tests stand for does. An empty
    # home of the test's own keeps the machine's start-up files out.
    home = folder / "home"
    home.mkdir(exist_ok=True)
    variables = " ".join(f"{name}={value}" for name, value in {"HOME": str(home), **(env or {})}.items())
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text(f"""\
Port {port}
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile {folder}/sshd.pid
AuthorizedKeysFile {folder}/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
Subsystem sftp {sftp_server or SFTP_SERVER or 'internal-sftp'}
LogLevel ERROR
SetEnv {variables}
{extra_config}""")
    Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # its privilege-separation folder
    host_public = host_key.with_suffix(".pub").read_text().split()
    known = folder / "known_hosts"
    known.write_text(f"[127.0.0.1]:{port} {host_public[0]} {host_public[1]}\n")
    log = (folder / "sshd.log").open("wb")
    proc = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("sshd did not start: " + (folder / "sshd.log").read_text()) from None
                time.sleep(0.05)
        yield Server(port, known, client, other, " ".join(host_public[:2]), proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
