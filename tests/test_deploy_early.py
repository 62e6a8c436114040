"""sitegen deploy checks its target before it builds: a wrong host key, a refused key, a
read-only folder (or a missing one on a read-only disk, which deploy could not make) is said at
once, not after a build that takes minutes on a large site."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitegen.deploy.transport import Transport
from tests.conftest import article, run, write_site
from tests.relay import Relay, relay
from tests.sshd import Server
from tests.test_deploy import (
    _path_without_rsync,
    articles,
    edit,
    live,
    releases,
    site_for,
    ssh_config,
    summary,
    target_config,
    tmpfs,
    tree,
)

#: A page whose build says something (a warning): the build's words, had it run.
TYPO = {"content/berita/salah-ketik.id.md": article("Salah ketik", "2024-05-02T10:00:00+07:00", sumary="Ringkas.")}
BUILD_SAYS = "unknown front matter key 'sumary'"

PROBLEMS = [(kind, problem) for kind in ("openssh", "sftp") for problem in ("host key", "client key", "unmakeable",
                                                                           "read-only")]
PROBLEMS += [("file", "unmakeable"), ("file", "read-only")]


def _config(kind: str, problem: str, remote: Path, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "file":
        return target_config(f"file://{remote}")
    server: Server = request.getfixturevalue("server")
    if problem == "unmakeable":  # ssh_config would make the folder
        return target_config(server.url(remote), identity_file=server.client_key, known_hosts=server.known_hosts)
    if problem == "host key":
        empty = tmp_path / "known_hosts"
        empty.write_text("")
        return ssh_config(server, remote, known_hosts=empty)
    return ssh_config(server, remote, key=server.other_key if problem == "client key" else None)


def _expected(kind: str, problem: str, remote: Path) -> tuple[int, str]:
    """The exit status and how the error starts. A missing folder that cannot be made is said
    of the nearest folder there is, its parent here, in a read-only folder's words."""
    if problem == "host key":
        return 2, "production: error: the server [127.0.0.1]:"
    if problem == "client key":
        return 2, "production: error: the server 127.0.0.1 refused our key"
    if problem == "unmakeable":
        remote = remote.parent
    return 1, {"openssh": f"production: error: permission denied on the server while checking the target folder: "
                          f"{remote}: Read-only file system (the deploy user must own {remote}",
               # OpenSSH's SFTP server has no code for a read-only disk: a bare 'Failure'
               "sftp": f"production: error: checking the target folder failed: the server said only 'Failure' "
                       f"({remote}) (the server gave no reason:",
               "file": f"production: error: permission denied while checking the target folder ({remote}) "}[kind]


def connections_opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The connections the deploy opens from now on, in order: "OpenSSH" for each shared ssh
    connection, "SFTP" for each SFTP one."""
    from sitegen.deploy import openssh, sftp

    opened: list[str] = []
    ssh, connect = openssh.OpenSSH.__init__, sftp.SftpTransport._connect

    def ssh_made(self: openssh.OpenSSH, *args: Any) -> None:
        opened.append("OpenSSH")
        ssh(self, *args)

    def connecting(self: sftp.SftpTransport, *args: Any) -> None:
        opened.append("SFTP")
        connect(self, *args)

    monkeypatch.setattr(openssh.OpenSSH, "__init__", ssh_made)
    monkeypatch.setattr(sftp.SftpTransport, "_connect", connecting)
    return opened


@pytest.mark.parametrize(("kind", "problem"), PROBLEMS)
def test_a_target_that_cannot_take_the_site_is_said_before_anything_is_built(
        kind: str, problem: str, tmp_path: Path, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The build of a large site takes minutes; the target was reached only after it. Now a
    refused host key or client key, a target folder that cannot be written or cannot be made, is
    said first, in the words the later step used, and nothing is built."""
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.ssh/id_* of the machine's own
    (tmp_path / "disk").mkdir()
    with tmpfs(tmp_path / "disk", "1m", read_only=True) if problem in ("read-only", "unmakeable") else \
            contextlib.nullcontext(tmp_path / "disk") as disk:
        if kind == "sftp":
            monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
        remote = disk if problem == "read-only" else disk / "humas"
        site = write_site(tmp_path / "site", {**articles(2), **TYPO}, _config(kind, problem, remote, tmp_path,
                                                                               request))
        for extra in ((), ("--dry-run",)) if problem not in ("read-only", "unmakeable") else ((),):
            result = run("deploy", "--site", site, *extra)
            code, start = _expected(kind, problem, remote)
            assert result.code == code, (extra, result)
            assert result.err.startswith(start), (extra, result.err)
            assert BUILD_SAYS not in result.err and "Traceback" not in result.err, (extra, result.err)
            assert not (site / "public").exists(), extra  # nothing was built
            assert not (remote / "releases").exists() and not (remote / "current").exists()
            if problem in ("read-only", "unmakeable"):
                assert not any(disk.iterdir())


@pytest.mark.parametrize("kind", ["openssh", "sftp", "file"])
def test_a_dry_run_of_a_read_only_target_still_lists_the_changes(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dry run writes nothing on the target, not even the check's folder: a target that can be
    read is enough for it, before the build as after."""
    mount = shutil.which("mount")  # by path: PATH may change below
    with tmpfs(tmp_path / "disk", "1m") as disk:
        assert mount
        remote = disk / "humas"
        site = site_for(kind, remote, tmp_path, request, monkeypatch, 2)
        assert run("deploy", "--site", site).code == 0
        edit(site, 1, "Isi baru.")
        subprocess.run([mount, "-o", "remount,ro", str(disk)], check=True)
        result = run("deploy", "--dry-run", "--site", site)
        assert result.code == 0, result.err
        assert "change berita/2024/rilis-1/index.html" in result.out, result.out


@pytest.mark.parametrize("kind", ["openssh", "sftp", "file"])
def test_a_target_out_of_room_is_still_deployed_to_once_what_a_failed_deploy_left_is_gone(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check before the build tries a write; on a disk that a failed deploy's half-sent
    release filled, that write fails too. That is no reason to stop: the deploy removes the
    half-sent release before it sends anything, and the room comes back."""
    with tmpfs(tmp_path / "disk", "4m", inodes=400) as disk:
        remote = disk / "humas"
        site = site_for(kind, remote, tmp_path, request, monkeypatch, 2)
        assert run("deploy", "--site", site).code == 0
        # the check's folders gone
        assert sorted(p.name for p in remote.iterdir()) == [".sitegen-deploy", "current", "releases"]
        assert not [p for p in (remote / "releases").iterdir() if p.name.startswith(".")]
        before = live(remote)
        half_sent = remote / "releases" / "20200101T000000Z"  # what a deploy stopped by a full disk leaves
        half_sent.mkdir()
        filled = 0
        while True:  # every file entry of the disk taken
            try:
                (half_sent / f"{filled}.html").touch()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                break
            filled += 1
        assert filled > 50 and os.statvfs(disk).f_favail == 0
        edit(site, 1, "Isi baru.")
        result = run("deploy", "--site", site)
        assert result.code == 0, result.out + result.err
        assert summary(result.out).endswith("; removed 1 half-sent release"), result.out
        assert live(remote) != before and tree(remote / "current") == tree(site / "public")
        assert half_sent.name not in releases(remote)


@pytest.mark.parametrize("kind", ["openssh", "sftp", "file"])
def test_the_build_after_the_check_runs_alone_and_the_deploy_after_it_reuses_what_it_can(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build forks its workers only where no other thread runs (parallel.may_fork): the
    check's SFTP connection, closed, left paramiko's thread running into the build. OpenSSH's
    shared connection is kept through the build and serves the deploy after it: one, not two;
    SFTP's is closed and made again."""
    import threading

    from sitegen.deploy import command

    remote = tmp_path / "www" / "humas"
    site = site_for(kind, remote, tmp_path, request, monkeypatch, 2)
    before = set(threading.enumerate())
    at_build: list[set[threading.Thread]] = []
    build = command._build

    def building(*args: object) -> Path:
        at_build.append(set(threading.enumerate()) - before)
        return build(*args)  # type: ignore[arg-type]

    opened = connections_opened(monkeypatch)
    monkeypatch.setattr(command, "_build", building)
    result = run("deploy", "--site", site)
    assert result.code == 0, result.err
    assert at_build == [set()], at_build
    assert opened == {"openssh": ["OpenSSH"], "sftp": ["SFTP", "SFTP"], "file": []}[kind]
    assert tree(remote / "current") == tree(site / "public")


def test_a_connection_that_ended_during_the_build_is_opened_again(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenSSH's connection, kept through the build, may end meanwhile (ControlPersist ends it
    after a minute idle; a network failure cuts it): the deploy after the build goes on over a
    new one, which ssh opens by itself."""
    import time

    from sitegen.deploy import command, rsync

    remote = tmp_path / "www" / "humas"
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, remote))
    sockets: list[Path] = []
    check = rsync.RsyncTransport.check

    def checking(self: rsync.RsyncTransport, write: bool) -> None:
        sockets.append(self.ssh._control)
        check(self, write)

    build = command._build

    def building(*args: object) -> Path:
        assert server.drop_sessions() > 0  # the connection is cut
        deadline = time.monotonic() + 10
        while any(sockets[0].iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(sockets[0].iterdir())  # and ssh has noticed: its shared connection is gone
        return build(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rsync.RsyncTransport, "check", checking)
    monkeypatch.setattr(command, "_build", building)
    result = run("deploy", "--site", site)
    assert result.code == 0, result.err
    assert tree(remote / "current") == tree(site / "public")


def _relayed_site(kind: str, remote: Path, tmp_path: Path, server: Server, through: Relay,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site of two releases deploying to ``server`` through the relay, over OpenSSH or SFTP;
    ssh's keep-alive every second, not every 15 (the same code path, a test 15 s shorter)."""
    from sitegen.deploy import openssh

    monkeypatch.setattr(openssh, "KEEP_ALIVE", 1)
    known = tmp_path / "known_hosts_relayed"
    known.write_text(f"[127.0.0.1]:{through.port} {server.host_public}\n")
    remote.mkdir(parents=True, exist_ok=True)
    url = server.url(remote).replace(f":{server.port}/", f":{through.port}/")
    if kind == "sftp":
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    return write_site(tmp_path / "site", articles(2), target_config(url, identity_file=server.client_key,
                                                                    known_hosts=known))


def _during_the_build(monkeypatch: pytest.MonkeyPatch, then: Callable[[Transport], object]) -> None:
    """``then`` the checked transport, while the deploy builds."""
    from sitegen.deploy import command

    checked: list[Transport] = []
    check_target, build = command._check_target, command._build

    def checking(*args: Any) -> Transport:
        checked.append(check_target(*args))
        return checked[-1]

    def building(*args: Any) -> Path:
        then(checked[0])
        return build(*args)

    monkeypatch.setattr(command, "_check_target", checking)
    monkeypatch.setattr(command, "_build", building)


def _kill_master(transport: Transport) -> None:
    """Kill the process that holds OpenSSH's shared connection, as the system would end it."""
    from sitegen.deploy.rsync import RsyncTransport

    assert isinstance(transport, RsyncTransport)
    ssh = transport.ssh
    said = subprocess.run([*ssh.ssh_command(), "-O", "check", "--", ssh.endpoint.destination], capture_output=True,
                          text=True, check=False).stderr
    found = re.search(r"\(pid=(\d+)\)", said)
    assert found, said
    os.kill(int(found[1]), signal.SIGKILL)


LOST = [("openssh", "master killed"), ("openssh", "connection cut"), ("sftp", "connection cut")]


@pytest.mark.parametrize(("kind", "how"), LOST)
def test_a_connection_lost_during_the_build_is_made_again_and_the_site_goes_live(
        kind: str, how: str, tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The network fails during the build, for less than ssh's keep-alive time and in a way
    nothing tells the client of (a router, a firewall or a VPN that forgot the connection, a
    server that restarted), or the process that holds OpenSSH's shared connection ends: the
    connection kept from the check is dead when the deploy goes on. The deploy goes on over a
    new one and the site goes live. Over OpenSSH ssh itself opens it, as the first command
    finds the shared connection dead before the server opened a session for it (ControlMaster;
    nothing of it was sent, so nothing is sent twice); over SFTP the deploy opens a new
    connection after every build."""
    remote = tmp_path / "www" / "humas"
    with relay(server.port) as through:
        site = _relayed_site(kind, remote, tmp_path, server, through, monkeypatch)
        _during_the_build(monkeypatch, _kill_master if how == "master killed" else lambda checked: through.cut())
        result = run("deploy", "--site", site)
        assert result.code == 0, result.err
        assert tree(remote / "current") == tree(site / "public")
        assert through.accepted == 2  # the check's connection, and the one that replaced it


UNREACHABLE = {
    ("openssh", "refused"): "cannot connect to 127.0.0.1 port {port}: ssh: connect to host 127.0.0.1 port {port}: "
                            "Connection refused (check the url in config.yaml and that the server is running)",
    ("openssh", "closed"): "the connection to 127.0.0.1 dropped while reading the releases (run the deploy again: the "
                          "live site is unchanged, and the next deploy removes anything sent in part)",
    ("sftp", "refused"): "cannot connect to 127.0.0.1 port {port}: Connection refused (check the url in config.yaml "
                         "and that the server is running)",
    ("sftp", "closed"): "cannot connect to 127.0.0.1 port {port}: the server closed the connection (check the url in "
                       "config.yaml and that the server is running)",
}


@pytest.mark.parametrize(("kind", "how"), UNREACHABLE)
def test_a_server_out_of_reach_after_the_build_fails_the_deploy_and_nothing_is_half_done(
        kind: str, how: str, tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The connection is lost during the build and no new one can be made: nothing listens (a
    server that is down), or the server closes each new connection at once (one at its limit
    of connections). The deploy fails in the words of the new connection's failure, and the
    target is as the check left it: the live release, no new one, not the check's folder. SFTP
    said '[Errno None] Unable to connect to port 2222 on 192.0.2.1' of a refused connection,
    and 'Error reading SSH protocol banner' of a closed one, or nothing at all where it was
    reset ('cannot connect to 192.0.2.1 port 2222: ')."""
    remote = tmp_path / "www" / "humas"
    with relay(server.port) as through:
        site = _relayed_site(kind, remote, tmp_path, server, through, monkeypatch)
        assert run("deploy", "--site", site).code == 0
        before, live_tree = live(remote), tree(remote / "current")
        listed = sorted(p.name for p in remote.iterdir()), sorted(p.name for p in (remote / "releases").iterdir())
        edit(site, 1, "Isi baru.")

        def lost(checked: Transport) -> None:
            through.cut()
            through.refuse() if how == "refused" else through.close_new()

        _during_the_build(monkeypatch, lost)
        result = run("deploy", "--site", site)
        assert result.code == 1, result.out + result.err
        assert result.err == f"production: error: {UNREACHABLE[kind, how].format(port=through.port)}\n1 error\n"
        assert live(remote) == before and tree(remote / "current") == live_tree
        assert (sorted(p.name for p in remote.iterdir()), sorted(p.name for p in (remote / "releases").iterdir())
                ) == listed
        assert (site / "public" / "berita" / "2024" / "rilis-1" / "index.html").is_file()  # built


#: How long a deploy whose connection froze during the build may take (the check's, the build's
#: and the upload's own seconds, and finding the frozen connection out): ssh's keep-alive alone
#: took 45 s to a minute. Finding out takes ANSWER_WITHIN (10 s); the rest is room for a loaded
#: machine.
FROZEN_AT_MOST = 40


def test_a_connection_that_froze_during_the_build_is_given_up_in_seconds(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server stops answering while the connection stays open (a link that stops carrying
    packets, a server that hangs), with nothing to tell the client: the first command after the
    build waited on the shared connection until ssh's keep-alive gave it up, 45 to 60 seconds,
    then went on over a new one. With ssh's keep-alive as it is (every 15 s), not a test's."""
    import time

    from sitegen.deploy import openssh

    remote = tmp_path / "www" / "humas"
    with relay(server.port) as through:
        site = _relayed_site("openssh", remote, tmp_path, server, through, monkeypatch)
        monkeypatch.setattr(openssh, "KEEP_ALIVE", 15)
        _during_the_build(monkeypatch, lambda checked: through.freeze())
        started = time.monotonic()
        result = run("deploy", "--site", site)
        took = time.monotonic() - started
        assert result.code == 0, result.err
        assert tree(remote / "current") == tree(site / "public")
        assert through.accepted == 2  # the check's connection, and the one that replaced it
        assert took < FROZEN_AT_MOST, took


def test_a_slow_connection_that_answers_serves_the_deploy_after_the_build(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking the connection whether it still answers after the build must not give up a slow
    one that does: with every piece of data half a second on its way while it is asked, it
    serves on. (Slow only then: the whole deploy at that pace took 40 s.)"""
    from sitegen.deploy import openssh

    remote = tmp_path / "www" / "humas"
    with relay(server.port) as through:
        site = _relayed_site("openssh", remote, tmp_path, server, through, monkeypatch)
        # ssh's keep-alive as it is: the relayed site's second-long one could give up a link
        # this slow on a loaded machine, which is not what is tried here
        monkeypatch.setattr(openssh, "KEEP_ALIVE", 15)
        asked = openssh.OpenSSH.refresh
        answers: list[float] = []

        def slowly(ssh: openssh.OpenSSH) -> None:
            through.slow(0.5)
            started = time.monotonic()
            try:
                asked(ssh)
            finally:
                answers.append(time.monotonic() - started)
                through.slow(0)

        monkeypatch.setattr(openssh.OpenSSH, "refresh", slowly)
        result = run("deploy", "--site", site)
        assert result.code == 0, result.err
        assert tree(remote / "current") == tree(site / "public")
        assert through.accepted == 1
        assert len(answers) == 1 and answers[0] >= 1, answers  # it was asked, and slowly
