"""sitegen deploy to a real OpenSSH server without rsync, or without a shell: "rsync over OpenSSH, else SFTP"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need, run, write_site
from tests.sshd import Server, missing, sshd
from tests.test_deploy import articles, edit, live, makes_a_missing_folder, ssh_config, tree
from tests.test_deploy_early import connections_opened


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose sessions find every program of /usr/bin and /usr/sbin but rsync."""
    reason = missing()
    need(reason is None, reason or "")
    folder = tmp_path_factory.mktemp("sshd-norsync")
    programs = folder / "bin"
    programs.mkdir()
    for directory in (Path("/usr/sbin"), Path("/usr/bin")):
        for program in directory.iterdir():
            if program.name != "rsync" and not (programs / program.name).exists():
                (programs / program.name).symlink_to(program)
    with sshd(folder, env={"PATH": str(programs)}) as running:
        yield running


NOTE = "(over SFTP: the server has no rsync)"


def test_a_server_without_rsync_gets_the_site_over_sftp(tmp_path: Path, server: Server) -> None:
    deploys_over_sftp(tmp_path, server, NOTE)


def deploys_over_sftp(tmp_path: Path, server: Server, note: str) -> None:
    """Two deploys, status and rollback to ``server``, which takes files only over SFTP: said
    (``note``) at the end of the one-line summary; unchanged files hard-linked, not sent; status
    and rollback send nothing, so they say nothing of how they would."""
    remote = tmp_path / "www" / "humas"
    site = write_site(tmp_path / "site", articles(4), ssh_config(server, remote))
    first = run("deploy", "--site", site)
    assert first.code == 0, first.err
    assert len(first.out.splitlines()) == 1 and first.out.rstrip().endswith(f"s {note}"), first.out
    assert tree(remote / "current") == tree(site / "public")
    before = live(remote)
    edit(site, 1, "Isi baru.")
    second = run("deploy", "--site", site)
    assert second.code == 0, second.err
    assert live(remote) != before and tree(remote / "current") == tree(site / "public")
    linked = [p for p in (remote / "current" / "css").rglob("*") if p.is_file()]
    assert linked and all(os.stat(p).st_nlink == 2 for p in linked)
    status = run("deploy", "--status", "--site", site)
    assert status.code == 0, status.err
    assert "SFTP" not in status.out and "live: release" in status.out
    back = run("deploy", "--rollback", "--site", site)
    assert back.code == 0, back.err
    assert "SFTP" not in back.out and live(remote) == before


@pytest.fixture(scope="module")
def sftp_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An SFTP-only account, as hosting panels give: every session is the SFTP server, no shell."""
    reason = missing()
    need(reason is None, reason or "")
    with sshd(tmp_path_factory.mktemp("sshd-sftp-only"), "ForceCommand internal-sftp\n") as running:
        yield running


def test_an_sftp_only_account_gets_the_site_over_sftp(tmp_path: Path, sftp_only: Server) -> None:
    """rsync and ssh are on this computer, but the server runs no command for the account:
    that is "else SFTP" too, not 'reading the releases failed on the server: exit status 1'."""
    deploys_over_sftp(tmp_path, sftp_only, "(over SFTP: the server runs no commands for this account (SFTP only))")


@pytest.mark.parametrize("account", ["no-rsync", "sftp-only"])
def test_a_missing_target_folder_is_made_over_either_account(
        tmp_path: Path, account: str, request: pytest.FixtureRequest) -> None:
    """On a server without rsync (found out over OpenSSH) and for an SFTP-only account (SFTP
    from the start): the first deploy makes the folder there too, and says so."""
    makes_a_missing_folder(tmp_path, request.getfixturevalue("server" if account == "no-rsync" else "sftp_only"))


def test_an_sftp_only_account_is_tried_over_openssh_once_per_deploy(
        tmp_path: Path, sftp_only: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check before the build learns that the account runs no commands; the deploy after the
    build goes on over the check's SFTP transport, made again after the build, and never tries
    OpenSSH a second time."""
    opened = connections_opened(monkeypatch)
    remote = tmp_path / "www" / "humas"
    site = write_site(tmp_path / "site", articles(2), ssh_config(sftp_only, remote))
    result = run("deploy", "--site", site)
    assert result.code == 0, result.err
    assert opened == ["OpenSSH", "SFTP", "SFTP"], opened
    assert tree(remote / "current") == tree(site / "public")


def test_pruning_over_sftp_removes_every_other_release_beside_one_that_cannot_go(
        tmp_path: Path, sftp_only: Server) -> None:
    """Audit: over SFTP, one set-aside release holding a file the server may not remove stopped
    the removal of the others, whose empty folders stayed. Everything else goes; the first
    failure is said, naming the file."""
    import getpass

    import paramiko

    from sitegen.deploy.sftpsweep import remove_trees
    from tests.test_deploy_words import immutable

    releases = tmp_path / "releases"
    for name in ("a", "b", "c"):
        for sub in ("berita/2024/rapat", "css"):
            (releases / name / sub).mkdir(parents=True)
            (releases / name / sub / "index.html").write_text("<p>x</p>", "utf-8")
    stuck = releases / "b" / "berita/2024/rapat/index.html"
    client = paramiko.SSHClient()
    client.load_host_keys(str(sftp_only.known_hosts))
    client.connect("127.0.0.1", sftp_only.port, getpass.getuser(), key_filename=str(sftp_only.client_key),
                   allow_agent=False, look_for_keys=False)
    try:
        with immutable(stuck), pytest.raises(OSError) as raised:
            remove_trees(client.open_sftp(), [str(releases / name).encode() for name in ("a", "b", "c")])
    finally:
        client.close()
    assert raised.value.filename == str(stuck), raised.value
    assert sorted(p.relative_to(releases).as_posix() for p in releases.rglob("*")) == [
        "b", "b/berita", "b/berita/2024", "b/berita/2024/rapat", "b/berita/2024/rapat/index.html"]
