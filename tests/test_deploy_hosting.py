"""sitegen deploy to a server set up as offices have them: a ``Host`` of ~/.ssh/config in the
url, a key kept with a passphrase, a target folder that holds what another tool left."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run, write_site
from tests.sshd import Server
from tests.test_deploy import articles, file_url, live, ssh_config, ssh_url, target_config, tree


def alias_config(server: Server, file: Path, name: str) -> Path:
    """An OpenSSH configuration naming the test server ``name``, as a user's ~/.ssh/config does."""
    file.parent.mkdir(parents=True, exist_ok=True)
    user = os.environ.get("USER") or "root"
    file.write_text(f"Host {name}\n  HostName 127.0.0.1\n  Port {server.port}\n  User {user}\n"
                    f"  IdentityFile {server.client_key}\n  IdentitiesOnly yes\n", "utf-8")
    return file


def deployed_through(server: Server, tmp_path: Path, name: str) -> str:
    """Deploy a small site to ``ssh://<name>/...`` (a Host of the ssh configuration); what it said."""
    remote = tmp_path / "www"
    remote.mkdir()
    site = write_site(tmp_path / "site", articles(2),
                      target_config(f"ssh://{name}{remote}", known_hosts=server.known_hosts))
    result = run("deploy", "--site", site)
    assert result.code == 0, result.err
    assert tree(remote / live(remote)) == tree(site / "public")
    return str(result.out)


def test_a_host_of_the_ssh_configuration_is_reached_at_its_port_over_openssh(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``ssh://webhumas/...`` with the port, user and key in the configuration: sitegen passed
    ``-p 22`` itself, which overrode the configuration's port. ssh here reads a configuration
    of the test's own (``-F``), as it reads a user's ~/.ssh/config."""
    config = alias_config(server, tmp_path / "ssh_config", "webhumas")
    programs = tmp_path / "bin"
    programs.mkdir()
    wrapper = programs / "ssh"
    wrapper.write_text(f'#!/bin/sh\nexec {shutil.which("ssh")} -F {config} "$@"\n', "utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{programs}{os.pathsep}{os.environ['PATH']}")
    assert "SFTP" not in deployed_through(server, tmp_path, "webhumas")


def without_ssh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PATH with every program but ssh and rsync: a computer that deploys over SFTP."""
    programs = tmp_path / "bin-without-ssh"
    programs.mkdir()
    for directory in map(Path, os.environ["PATH"].split(os.pathsep)):
        for program in directory.glob("*") if directory.is_dir() else ():
            if program.name not in ("ssh", "rsync") and not (programs / program.name).exists():
                (programs / program.name).symlink_to(program)
    monkeypatch.setenv("PATH", str(programs))


def test_a_host_of_the_ssh_configuration_is_reached_over_sftp(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ssh on this computer, the SFTP path reads ~/.ssh/config too: it looked the alias
    up as a host name ("Name or service not known")."""
    home = tmp_path / "home"
    alias_config(server, home / ".ssh" / "config", "sftphumas")
    monkeypatch.setenv("HOME", str(home))
    without_ssh(tmp_path, monkeypatch)
    assert "no OpenSSH client" in deployed_through(server, tmp_path, "sftphumas")


@pytest.mark.parametrize("over", ["openssh", "file"])
@pytest.mark.parametrize("name", ["releases", ".sitegen-deploy"])
@pytest.mark.parametrize("kind", ["file", "link to nothing"])
def test_a_file_where_deploy_keeps_its_folders_is_named_and_left_alone(
        server: Server, tmp_path: Path, over: str, name: str, kind: str) -> None:
    """A file named ``releases`` (or ``.sitegen-deploy``) in the target's folder, or a link to a
    disk not mounted: over OpenSSH it was "the connection dropped while uploading", again at
    every try."""
    remote = tmp_path / "www"
    config = ssh_config(server, remote) if over == "openssh" else target_config(file_url(remote))
    if kind == "file":
        (remote / name).write_text("mine\n", "utf-8")
    else:
        (remote / name).symlink_to(tmp_path / "not-mounted")
    site = write_site(tmp_path / "site", articles(2), config)
    assert run("build", "--site", site).code == 0
    for command in (("deploy", "--site", site), ("deploy", "--no-build", "--site", site)):
        result = run(*command)
        assert result.code == 1, result.out
        assert f"production: error: {remote}/{name} is not a folder" in result.err, result.err
    status = run("deploy", "--status", "--site", site)
    assert f"{remote}/{name} is not a folder" in status.out, status.out
    assert sorted(p.name for p in remote.iterdir()) == [name]
    assert (remote / name).read_text("utf-8") == "mine\n" if kind == "file" else not (remote / name).exists()


@pytest.mark.parametrize("over", ["openssh", "file"])
def test_a_current_link_another_tool_made_is_never_replaced(server: Server, tmp_path: Path, over: str) -> None:
    """A Capistrano-style target (``current -> releases/20240102120000``) serves a site sitegen
    did not publish: deploy repointed it without a word, and nothing could roll back to it."""
    remote = tmp_path / "www"
    config = ssh_config(server, remote) if over == "openssh" else target_config(file_url(remote))
    old = remote / "releases" / "20240102120000"
    old.mkdir(parents=True)
    (old / "index.html").write_text("situs lama\n", "utf-8")
    (remote / "current").symlink_to("releases/20240102120000")
    site = write_site(tmp_path / "site", articles(2), config)
    result = run("deploy", "--site", site)
    assert result.code == 1, result.out
    assert f"{remote}/current leads to a site sitegen did not publish" in result.err, result.err
    assert os.readlink(remote / "current") == "releases/20240102120000"
    assert sorted(p.name for p in (remote / "releases").iterdir()) == ["20240102120000"]
    status = run("deploy", "--status", "--site", site)
    assert "did not publish" in status.out, status.out
    # A release of sitegen's, but of another target's folder: not this target's to replace.
    other = tmp_path / "elsewhere" / "releases" / "20240102T120000Z"
    other.mkdir(parents=True)
    (remote / "current").unlink()
    (remote / "current").symlink_to(other)
    result = run("deploy", "--site", site)
    assert result.code == 1 and "did not publish" in result.err, result.err
    assert os.readlink(remote / "current") == str(other)
    (remote / "current").unlink()
    (remote / "current").symlink_to("releases/20240102120000")
    # One that leads nowhere serves nothing: the deploy takes it over.
    shutil.rmtree(old)
    again = run("deploy", "--site", site)
    assert again.code == 0, again.err
    assert tree(remote / "current") == tree(site / "public")


def locked_default_key(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """~/.ssh/id_ed25519 (authorized on the server) kept with a passphrase, $HOME a folder of the
    test's own, and no ssh-agent."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    key = home / ".ssh" / "id_ed25519"
    shutil.copy(server.client_key, key)
    key.chmod(0o600)
    subprocess.run(["ssh-keygen", "-q", "-p", "-f", str(key), "-P", "", "-N", "geheim-sekali"], check=True,
                   capture_output=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    return key


def test_a_default_key_kept_with_a_passphrase_is_named(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No identity_file, no agent, and ~/.ssh/id_ed25519 (authorized on the server) kept with a
    passphrase: the server "refused our key" said nothing of what to do."""
    key = locked_default_key(server, tmp_path, monkeypatch)
    remote = tmp_path / "www"
    site = write_site(tmp_path / "site", articles(2),
                      target_config(ssh_url(server, remote), known_hosts=server.known_hosts))
    result = run("deploy", "--site", site)
    assert result.code == 2, result.out
    assert f"the key {key} needs its passphrase" in result.err and "ssh-add" in result.err, result.err


def test_a_deploy_killed_outright_takes_its_upload_with_it(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``kill -9`` of sitegen alone (not its process group, as the out-of-memory killer does):
    its rsync and ssh sent on alone, and the next deploy could not remove the release they
    were still filling ("Directory not empty")."""
    import signal
    import sys
    import time

    remote = tmp_path / "www"
    files = {**articles(2), "static/files/besar.bin": os.urandom(3_000_000)}
    site = write_site(tmp_path / "site", files, ssh_config(server, remote))
    slow = tmp_path / "slow-bin"  # rsync at 200 KB/s: fifteen seconds for the file
    slow.mkdir()
    started = tmp_path / "started"
    (slow / "rsync").write_text(f"#!/bin/sh\ntouch {started}\nexec {shutil.which('rsync')} --bwlimit=200 \"$@\"\n",
                                "utf-8")
    (slow / "rsync").chmod(0o755)
    env = {**os.environ, "PATH": f"{slow}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "deploy", "--site", str(site)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists()
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)  # sitegen's process alone
    proc.wait()

    def senders() -> list[str]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if str(remote) in line and entry.name.isdigit() and int(entry.name) != os.getpid():
                found.append(line)
        return found

    deadline = time.monotonic() + 4  # the file alone would take seconds more to send
    while senders() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not senders()
    result = run("deploy", "--site", site)
    assert result.code == 0, result.err
    assert "could not be removed" not in result.err and tree(remote / "current") == tree(site / "public")


def test_a_default_key_kept_with_a_passphrase_is_named_over_sftp(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same over SFTP (no ssh on this computer): it named "~/.ssh/id_*"."""
    key = locked_default_key(server, tmp_path, monkeypatch)
    without_ssh(tmp_path, monkeypatch)
    remote = tmp_path / "www"
    site = write_site(tmp_path / "site", articles(2),
                      target_config(ssh_url(server, remote), known_hosts=server.known_hosts))
    result = run("deploy", "--site", site)
    assert result.code == 2, result.out
    assert f"the key {key} needs its passphrase" in result.err, result.err


@pytest.mark.parametrize("code", [errno.EPERM, errno.ENOSYS])
def test_a_share_that_holds_no_symbolic_link_is_said_before_anything_is_sent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """A FAT or exFAT disk, or a share from Windows, mounted as the file:// target: Linux answers
    a symbolic link there with EPERM (exFAT through FUSE: ENOSYS). The switch found it out only
    after the whole release was copied, blamed permissions, and each try left one more copy.
    No such disk can be mounted where the tests run, so os.symlink answers as it does."""
    import sitegen.deploy.local

    def no_symlinks(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(sitegen.deploy.local.os, "symlink", no_symlinks)
    remote = tmp_path / "share" / "humas"
    site = write_site(tmp_path / "site", articles(2), target_config(file_url(remote)))
    for _ in range(2):
        result = run("deploy", "--site", site)
        assert result.code == 1, result.out
        assert f"production: error: {remote} cannot hold a symbolic link" in result.err, result.err
        assert list(remote.iterdir()) == []  # nothing sent, nothing left
    assert not (site / "public").exists()  # said before the build


def test_an_output_folder_on_a_disk_without_hard_links_is_said_as_that(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Building onto a FAT or exFAT disk: a generation's files are hard-linked, which such a
    disk refuses with EPERM; the hint sent staff to fix permissions they had. No such disk can
    be mounted where the tests run, so os.link answers as it does there."""
    import sitegen.writer

    def no_links(source: object, target: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM), os.fsdecode(str(source)), None,
                      os.fsdecode(str(target)))

    site = write_site(tmp_path / "site", articles(2), target_config(file_url(tmp_path / "share")))
    monkeypatch.setattr(sitegen.writer.os, "link", no_links)
    result = run("build", "--site", site)
    assert result.code == 2, result.out
    assert "this disk holds no hard links" in result.err and "permissions" not in result.err, result.err
