"""The system's OpenSSH client: one shared connection per deploy, strict host keys, no passwords.

Every command runs with BatchMode (never a password prompt), StrictHostKeyChecking against
the chosen known_hosts file, and a control socket in a private temporary folder so that the
several short commands of a deploy (and rsync's own ssh) ride one connection.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import pwd
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from sitegen.deploy import hostkeys, quoted
from sitegen.deploy.endpoint import Endpoint
from sitegen.deploy.problems import (
    DeployFailed,
    DeployRefused,
    disk_full,
    dropped,
    failed,
    needs_passphrase,
    refused,
)
from sitegen.messages import _

CONNECT_TIMEOUT = 20
#: Seconds between the keep-alive messages on the shared connection: a connection that died
#: without a word (a router that forgot it) is given up after one goes unanswered, and the next
#: command goes on over a new one.
KEEP_ALIVE = 15
#: Seconds the shared connection has after an idle while (the build) to run a command that does
#: nothing, before the next command is sent over a new one instead (``OpenSSH.refresh``).
ANSWER_WITHIN = 10

#: Before each command on the server: its tools then speak the words sitegen reads in their
#: errors ("No space left on device", cp's "cannot create hard link"). ssh hands the server the
#: client's LANG (Debian's ssh_config sends it), and on a server with that locale, or with
#: LANGUAGE set, they answer in Indonesian. ``env``: whatever the account's login shell.
C_LOCALE = "env LC_ALL=C"


#: OpenSSH's own default keys, in the order it offers them (ssh_config(5), IdentityFile).
DEFAULT_KEYS = ("id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa")


def _default_keys() -> list[Path]:
    """The default keys in ~/.ssh, ~ as $HOME names it, where it is not the account's home that
    ssh itself reads them from: so the same keys as the SFTP path and known_hosts. None where the
    two homes are one (ssh then does as it always does, the user's ssh_config included)."""
    home = Path.home()
    try:
        own = Path(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:  # an account the passwd database does not know (a container's user id)
        own = None
    if own is not None and own.resolve() == home.resolve():
        return []
    return [home / ".ssh" / name for name in DEFAULT_KEYS if (home / ".ssh" / name).is_file()]


class NoShell(DeployFailed):
    """The server runs no command for the account (an SFTP-only account, a nologin shell): such a
    target is reached over SFTP instead."""


class OpenSSH:
    def __init__(self, label: str, endpoint: Endpoint, known_hosts: Path, identity: Path | None,
                 global_known_hosts: bool, keys: tuple[Path, ...] = ()) -> None:
        """``keys``: the key files ssh's configuration names for the host (``sshconfig``), where
        ``identity`` is None: one that needs its passphrase is named when the server refuses us."""
        self.label, self.endpoint, self.known_hosts, self.identity = label, endpoint, known_hosts, identity
        self.keys = keys
        self._control = _control_folder()
        options = [
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", f"UserKnownHostsFile={known_hosts}",
            "-o", f"ConnectTimeout={CONNECT_TIMEOUT}",
            "-o", f"ServerAliveInterval={KEEP_ALIVE}", "-o", "ServerAliveCountMax=3",
            "-o", "ControlMaster=auto", "-o", f"ControlPath={self._control}/{_SOCKET}", "-o", "ControlPersist=60",
            "-p", str(endpoint.port),
        ]
        if not global_known_hosts:
            options += ["-o", "GlobalKnownHostsFile=/dev/null"]
        if identity is not None:  # that key alone: an agent's other keys would use up the server's tries
            options += ["-i", str(identity), "-o", "IdentitiesOnly=yes"]
        else:
            options += [option for key in _default_keys() for option in ("-i", str(key))]
        self.options = options

    def ssh_command(self) -> list[str]:
        """The ``ssh`` program with every option but the destination (rsync's ``-e``)."""
        return ["ssh", *self.options]

    def run(self, script: str, *args: str, stdin: bytes | None = None, doing: str, marker: bytes | None = None,
            unwritten: Callable[[str], str | None] | None = None) -> bytes:
        """Run a POSIX sh script on the server with ``args`` as $1...; its standard output.
        ``marker``: a line the script prints first; without it in the output, the server ran
        something else than the script (an SFTP-only account, a nologin shell): NoShell.
        ``unwritten``: the file the script's standard error says it could not write for want of
        room, named in the message of a full disk."""
        # umask: what a script makes (releases/, a release's folders) a web server, another
        # user, may read, whatever the account's own umask (077 on some servers).
        remote = f"{C_LOCALE} sh -c " + shlex.quote("umask 022\n" + script) + " sitegen " + " ".join(
            shlex.quote(a) for a in args)
        command = [*self.ssh_command(), "--", self.endpoint.destination, remote]
        try:
            # A session of its own: Ctrl-C at the terminal reaches sitegen alone, which stops
            # the command (subprocess.run kills it) unless it holds the stop for a step that
            # must not be cut in two (the switch of current: interrupts.held).
            proc = subprocess.run(command, input=stdin if stdin is not None else b"", capture_output=True,
                                  check=False, timeout=3600, start_new_session=True)
        except OSError as exc:
            raise failed(self.label, _("could not run ssh: {reason}").format(reason=exc.strerror or exc),
                         _("install the OpenSSH client")) from None
        except subprocess.TimeoutExpired:
            raise failed(self.label, _("the server did not answer while {doing}").format(doing=doing)) from None
        if marker is not None and proc.returncode != 255 and not _has_line(proc.stdout, marker):  # 255: ssh's own
            raise NoShell(self.problem(proc.returncode, proc.stderr.decode("utf-8", "replace"), doing).diagnostics)
        if proc.returncode != 0:
            stderr = proc.stderr.decode("utf-8", "replace")
            where = unwritten(stderr) if unwritten is not None else None
            raise disk_full(self.label, doing, where) if where else self.problem(proc.returncode, stderr, doing)
        return proc.stdout

    def problem(self, code: int, stderr: str, doing: str) -> DeployFailed | DeployRefused:
        """ssh's (or rsync's) failure in words, naming the target."""
        text = stderr.strip()
        if "REVOKED HOST KEY" in text or "marked as revoked" in text:  # before "Host key verification failed"
            offered = re.findall(r"SHA256:[A-Za-z0-9+/]+", text) or self.offered_keys()
            return hostkeys.revoked_key(self.label, self.endpoint, self.known_hosts, offered)
        if "REMOTE HOST IDENTIFICATION HAS CHANGED" in text or "Host key verification failed" in text \
                or "host key is known for" in text:
            offered = re.findall(r"SHA256:[A-Za-z0-9+/]+", text) or self.offered_keys()
            if "HAS CHANGED" in text:
                return hostkeys.changed_key(self.label, self.endpoint, self.known_hosts, offered)
            return hostkeys.unknown_key(self.label, self.endpoint, self.known_hosts, offered)
        locked = locked_key((self.identity,) if self.identity is not None else (*self.keys, *_default_keys()))
        if ("Permission denied (" in text or "Too many authentication failures" in text) and locked is not None:
            # BatchMode: ssh could not ask for it, and says only that the server refused us.
            return needs_passphrase(self.label, locked)
        if "Permission denied (" in text or "Too many authentication failures" in text:
            return refused(self.label, _("the server {host} refused our key for user '{user}'").format(
                host=self.endpoint.host, user=self.endpoint.user or _("(the default user)")),
                _("add your public key to ~{user}/.ssh/authorized_keys on the server, and load the key into "
                  "ssh-agent or set identity_file: for this target").format(user=self.endpoint.user))
        if "No space left on device" in text or "Disk quota exceeded" in text:
            return failed(self.label, _("the server's disk is full while {doing}").format(doing=doing),
                          _("free space there, or lower keep: to hold fewer releases; the live site is unchanged"))
        if any(reason in text for reason in quoted.DENIED):
            return self.denied(doing, quoted.readable(telling(text)))
        if any(s in text for s in ("Could not resolve hostname", "Connection refused", "Connection timed out",
                                   "No route to host", "Network is unreachable", "Operation timed out")):
            return failed(self.label, _("cannot connect to {host} port {port}: {detail}").format(
                host=self.endpoint.host, port=self.endpoint.port, detail=_last(text)),
                _("check the url in config.yaml and that the server is running"))
        if code == 255 or any(s in text for s in ("Connection closed", "Connection reset", "Broken pipe",
                                                  "connection unexpectedly closed", "Timeout, server",
                                                  "error in rsync protocol data stream")):
            return dropped(self.label, self.endpoint.host, doing)
        return failed(self.label, _("{doing} failed on the server: {detail}").format(
            doing=doing, detail=quoted.readable(_last(text)) or _("exit status {code}").format(code=code)),
            _("the live site is unchanged"))

    def denied(self, doing: str, detail: str) -> DeployFailed:
        """A write the server refused; ``detail``: what and why, in the tool's words."""
        return failed(self.label, _("permission denied on the server while {doing}: {detail}").format(
            doing=doing, detail=detail),
            _("the deploy user must own {path}; the live site is unchanged").format(path=self.endpoint.path))

    def offered_keys(self) -> list[str]:
        """The fingerprints the server offers, from ssh-keyscan (ssh itself does not print them
        in batch mode)."""
        if shutil.which("ssh-keyscan") is None:
            return []
        try:
            scan = subprocess.run(["ssh-keyscan", "-T", "5", "-p", str(self.endpoint.port), self.endpoint.host],
                                  capture_output=True, check=False, timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            return []
        keys = []
        for line in scan.stdout.decode("ascii", "replace").splitlines():
            fields = line.split()
            if len(fields) >= 3 and not line.startswith("#"):
                try:
                    blob = base64.b64decode(fields[2])
                except (binascii.Error, ValueError):
                    continue
                keys.append(f"{fields[1]} {hostkeys.fingerprint(blob)}")
        return keys

    def refresh(self) -> None:
        """Before the deploy's commands, after an idle while: whether the shared connection still
        answers, asked with ``true``. One that froze meanwhile (a link that stopped carrying
        packets, with nothing to tell ssh) would hold the next command until ssh's keep-alive gave
        it up, about a minute; given ANSWER_WITHIN seconds, it is left to end by itself (``-O
        stop``: ssh takes no more commands on it) and the next command opens a new one. Not
        sooner by a shorter keep-alive: that one also runs through the upload, whose data the
        keep-alive's answer waits behind on a slow link. A connection merely slow to answer is
        replaced, not cut: its deploy goes on. ``true`` changes nothing, so asking cannot run a
        step twice."""
        if not any(self._control.iterdir()):
            return  # none: the next command opens one
        command = [*self.ssh_command(), "--", self.endpoint.destination, "true"]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, check=False, timeout=ANSWER_WITHIN)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(subprocess.TimeoutExpired, OSError):  # the next command says what is wrong
                subprocess.run([*self.ssh_command(), "-O", "stop", "--", self.endpoint.destination],
                               capture_output=True, check=False, timeout=30)
        except OSError:
            return  # no ssh: the next command says so

    def close(self) -> None:
        socket_dir = self._control
        if any(socket_dir.iterdir()):
            with contextlib.suppress(subprocess.TimeoutExpired):  # a master stuck on a dead link: left to ssh
                subprocess.run([*self.ssh_command(), "-O", "exit", "--", self.endpoint.destination],
                               capture_output=True, check=False, timeout=30)
        shutil.rmtree(socket_dir, ignore_errors=True)


#: The shared connection's socket, in a folder of this deploy's own (one server each): a short
#: name, as a socket's whole path has a limit (104 bytes on macOS, 108 on Linux) and ssh adds
#: 17 characters to it while it sets the socket up.
_SOCKET = "m"
_SOCKET_PATH_MAX = 80


def _control_folder() -> Path:
    """A private temporary folder for the socket; under /tmp when the usual one (TMPDIR: about 50
    bytes on macOS, more in some CI set-ups) would make the socket's path too long."""
    folder = Path(tempfile.mkdtemp(prefix="sitegen-ssh-"))
    if len(os.fsencode(folder / _SOCKET)) <= _SOCKET_PATH_MAX or not os.path.isdir("/tmp"):
        return folder
    folder.rmdir()
    return Path(tempfile.mkdtemp(prefix="sitegen-ssh-", dir="/tmp"))


def _has_line(output: bytes, line: bytes) -> bool:
    """Whether ``line`` is a line of ``output`` near its start (a login script may print first)."""
    return output.startswith(line + b"\n") or b"\n" + line + b"\n" in output[:65536]


def telling(text: str) -> str:
    """The line of a tool's error that says what failed: the first that names a refused write or
    one without room (the file it was), not the last one, which may be a summary after them
    (rsync's "some files/attrs were not transferred"); else the last."""
    lines = [line.strip() for line in text.splitlines() if not line.startswith("Warning:")]
    return next((line for line in lines if any(reason in line for reason in (*quoted.DENIED, *quoted.NO_ROOM))),
                _last(text))


def _last(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("Warning:")]
    return lines[-1] if lines else ""


def locked_key(keys: tuple[Path, ...]) -> Path | None:
    """The first of the private key files ``keys`` that needs its passphrase, where no agent may
    hold it (ssh would have used it): why a server refused a key it has, in batch mode."""
    if os.environ.get("SSH_AUTH_SOCK"):
        return None  # the agent may hold it: the refusal is the server's
    return next((key for key in keys if key.is_file() and encrypted(key)), None)


def encrypted(key: Path) -> bool:
    """Whether the private key file needs its passphrase to be read."""
    import paramiko

    try:
        paramiko.PKey.from_path(str(key))
    except (paramiko.PasswordRequiredException, TypeError):  # TypeError: cryptography's word for it
        return True
    except (OSError, paramiko.SSHException, ValueError):
        return False
    return False
