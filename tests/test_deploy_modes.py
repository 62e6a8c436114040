"""What a deploy makes on the server, a web server (another user) may read, whatever the
account's umask; and a deploy that sends over SFTP says why, also when this computer lacks rsync."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need, run, write_site
from tests.sshd import Server, missing, sshd
from tests.test_deploy import _path_without_rsync, articles, edit, ssh_config, tree


def _closed(remote: Path) -> list[str]:
    """Folders a web server cannot enter and files it cannot read, under ``remote``'s
    ``releases/`` (and ``remote`` itself)."""
    found = [] if stat.S_IMODE(remote.stat().st_mode) & 0o755 == 0o755 else [str(remote)]
    for folder, subfolders, files in os.walk(remote / "releases"):
        for name in [".", *subfolders]:
            if stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) & 0o755 != 0o755:
                found.append(os.path.join(folder, name))
        found += [os.path.join(folder, name) for name in files
                  if stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) & 0o644 != 0o644]
    return found


@pytest.fixture(scope="module")
def strict_shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose shell sessions run with umask 077, as some hosts set for every account."""
    reason = missing()
    need(reason is None, reason or "")
    folder = tmp_path_factory.mktemp("sshd-umask")
    (folder / "home").mkdir()
    (folder / "home" / ".bashrc").write_text("umask 077\n")
    with sshd(folder) as running:
        yield running


@pytest.fixture(scope="module")
def strict_sftp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An SFTP-only account whose SFTP server applies umask 077 (internal-sftp -u 077)."""
    reason = missing()
    need(reason is None, reason or "")
    with sshd(tmp_path_factory.mktemp("sshd-sftp-umask"), "ForceCommand internal-sftp -u 077\n") as running:
        yield running


def test_releases_sent_with_rsync_under_umask_077_are_readable(tmp_path: Path, strict_shell: Server) -> None:
    """releases/ was made 700 by the session's umask: the web server could not reach current."""
    said = subprocess.run(["ssh", "-p", str(strict_shell.port), "-i", str(strict_shell.client_key),
                           "-o", f"UserKnownHostsFile={strict_shell.known_hosts}", "-o", "BatchMode=yes",
                           "127.0.0.1", "umask"], capture_output=True, text=True, check=False, timeout=60)
    need(said.stdout.strip() == "0077", f"the account's shell does not read ~/.bashrc ({said.stdout}{said.stderr})")
    assert all("SFTP" not in out for out in _deploy_twice(tmp_path, strict_shell))


def test_releases_sent_over_sftp_under_umask_077_are_readable(tmp_path: Path, strict_sftp: Server) -> None:
    """The folders a release needs were made 700: the SFTP server takes the mode a mkdir asks
    for as an upper bound of its umask."""
    _deploy_twice(tmp_path, strict_sftp)


def _deploy_twice(tmp_path: Path, server: Server) -> list[str]:
    """A first deploy and one after an edit to ``server``, each leaving nothing closed to the
    web server; what each said."""
    remote = tmp_path / "www" / "humas"
    site = write_site(tmp_path / "site", articles(3), ssh_config(server, remote))
    said = []
    for round_ in range(2):
        edit(site, 0, f"Putaran {round_}.")
        result = run("deploy", "--site", site)
        assert result.code == 0, result.err
        assert _closed(remote) == []
        said.append(result.out)
    assert tree(remote / "current") == tree(site / "public")
    return said


def test_a_computer_without_rsync_says_why_it_sends_over_sftp(
        tmp_path: Path, strict_shell: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README: 'without rsync on either side sitegen sends over SFTP instead', and the
    summary ends with why. It said why only of the server."""
    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    remote = tmp_path / "www" / "humas"
    site = write_site(tmp_path / "site", articles(2), ssh_config(strict_shell, remote))
    result = run("deploy", "--site", site)
    assert result.code == 0, result.err
    assert result.out.rstrip().endswith("s (over SFTP: this computer has no rsync)"), result.out
    assert tree(remote / "current") == tree(site / "public")
