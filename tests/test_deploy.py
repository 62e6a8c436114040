"""sitegen deploy against a real OpenSSH server (rsync and SFTP) and a file:// folder."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SMALL_CONFIG, add_files, article, interrupt_another_thread, need, run, write_site
from tests.sshd import Server, missing, sshd

_PRUNED = re.compile(r"^\.pruned-\d{8}T\d{6}Z$")


def target_config(url: str, **settings: object) -> str:
    lines = [f"social_cards: false\ndeploy:\n  production:\n    url: {url}"]
    lines += [f"    {key}: {value}" for key, value in settings.items()]
    return SMALL_CONFIG + "\n".join(lines) + "\n"


def file_url(folder: Path) -> str:
    """A file:// target's url, its folder made first, as on a share already mounted (deploy
    makes a missing one: makes_a_missing_folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    return f"file://{folder}"


def ssh_url(server: Server, remote: Path) -> str:
    """An ssh:// target's url, its folder made first, as on a server already set up (deploy
    makes a missing one: makes_a_missing_folder)."""
    remote.mkdir(parents=True, exist_ok=True)
    return server.url(remote)


def ssh_config(server: Server, remote: Path, key: Path | None = None, **settings: object) -> str:
    return target_config(ssh_url(server, remote), identity_file=key or server.client_key,
                         known_hosts=settings.pop("known_hosts", server.known_hosts), **settings)


def articles(count: int, edited: dict[int, str] | None = None) -> dict[str, str | bytes]:
    edited = edited or {}
    return {f"content/berita/rilis-{i}.id.md": article(f"Rilis nomor {i}", f"2024-05-{1 + i % 28:02d}T10:00:00+07:00",
                                                       body=edited.get(i, f"Isi rilis {i}."))
            for i in range(count)}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (following the top ``current`` link only), hidden ones too:
    a release holds the build's output folder exactly, and nothing else."""
    root = root.resolve()
    files = {}
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def live(remote: Path) -> str:
    return os.readlink(remote / "current")


def deploy_rounds(site: Path, remote: Path, rounds: int) -> list[str]:
    """Edit the site and deploy it ``rounds`` times: the release live after each deploy."""
    deployed = []
    for round_ in range(rounds):
        edit(site, 0, f"Putaran {round_}.")
        result = deploy(site)
        assert result.code == 0, result.err
        deployed.append(live(remote).rpartition("/")[2])
    return deployed


def releases(remote: Path) -> list[str]:
    """What ``releases/`` holds, less the releases set aside for removal."""
    return sorted(p.name for p in (remote / "releases").iterdir() if p.is_dir() and not _PRUNED.match(p.name))


def set_aside(remote: Path) -> list[str]:
    return sorted(p.name for p in (remote / "releases").iterdir() if _PRUNED.match(p.name))


def wait_removed(remote: Path, timeout: float = 60) -> None:
    """Until the background removal of pruned releases has finished."""
    deadline = time.monotonic() + timeout
    while set_aside(remote) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set_aside(remote)


BOOKKEEPING = ".sitegen-deploy"
BOOK_SUFFIXES = (".sitegen-complete", ".sitegen-release.json")


def bookkeeping(remote: Path) -> list[str]:
    """What deploy's own folder beside ``releases/`` holds."""
    folder = remote / BOOKKEEPING
    return sorted(os.listdir(folder)) if folder.is_dir() else []


def books_of(*releases: str) -> list[str]:
    """The names of each release's manifest and completion mark."""
    return sorted(release + suffix for release in releases for suffix in BOOK_SUFFIXES)


def lay_out_the_old_way(remote: Path) -> None:
    """Put every manifest and mark beside its release folder in ``releases/``, as the sitegen
    before ``.sitegen-deploy/`` wrote them."""
    folder = remote / BOOKKEEPING
    if folder.is_dir():
        for name in os.listdir(folder):
            os.replace(folder / name, remote / "releases" / name)
        folder.rmdir()


def travelling(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The files of ``after`` a deploy sends: those whose bytes the live release (``before``)
    holds under no name. The others are its own files, hard-linked, whatever their name now."""
    held = set(before.values())
    return {path for path, data in after.items() if data not in held}


def deploy(site: Path, *extra: str) -> Any:
    return run("deploy", "--site", site, *extra)


def summary(out: str) -> str:
    """A deploy's summary line, less the note that ends it when it sent over SFTP, and why."""
    return re.sub(r" \(over SFTP: this computer has no rsync\)$", "", out.rstrip())


def sent_count(out: str) -> int:
    import re

    found = re.search(r"sent (\d+) files?", out)
    assert found, out
    return int(found.group(1))


@pytest.fixture
def ssh_site(tmp_path: Path, server: Server) -> Callable[..., tuple[Path, Path]]:
    def make(count: int = 6, **settings: object) -> tuple[Path, Path]:
        remote = tmp_path / "www" / "humas"
        return write_site(tmp_path / "site", articles(count), ssh_config(server, remote, **settings)), remote

    return make


def edit(site: Path, number: int, body: str) -> None:
    (site / f"content/berita/rilis-{number}.id.md").write_text(
        article(f"Rilis nomor {number}", f"2024-05-{1 + number % 28:02d}T10:00:00+07:00", body=body), "utf-8")


# --- rsync over OpenSSH ---

def test_first_deploy_puts_the_build_under_current_byte_for_byte(ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = ssh_site()
    result = deploy(site)
    assert result.code == 0, result.err
    assert live(remote).startswith("releases/")
    assert tree(remote / "current") == tree(site / "public")
    assert len(tree(site / "public")) > 20
    release = remote / live(remote)
    assert ".sitegen-output.json" in tree(remote / "current")  # the public marker is part of the output
    books = remote / ".sitegen-deploy"  # deploy's own folder, beside releases/
    assert (books / f"{release.name}.sitegen-complete").read_text() == release.name
    assert json.loads((books / f"{release.name}.sitegen-release.json").read_bytes())["release"] == release.name
    assert sorted(os.listdir(remote / "releases")) == [release.name]
    assert "production: release" in result.out
    assert "SFTP" not in result.out  # the server has rsync: the rsync path was taken


def test_redeploy_sends_only_what_changed_and_links_the_rest(ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = ssh_site()
    assert deploy(site).code == 0
    before = tree(site / "public")
    first = remote / live(remote)
    edit(site, 2, "Isi yang diperbaiki.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert "SFTP" not in result.out
    after = tree(site / "public")
    differ = travelling(before, after)
    assert 0 < len(differ) < len(after)
    assert sent_count(result.out) == len(differ)
    second = remote / live(remote)
    assert second != first and tree(second) == after
    for path in after:  # what did not travel is the live release's own file, hard-linked
        if path in before:
            same = (second / path).stat().st_ino == (first / path).stat().st_ino
            assert same == (before[path] == after[path]), path


def test_files_named_like_comments_to_rsync_are_sent_and_later_deploys_work(
        ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    """rsync's --files-from skips lines beginning with '#' or ';', NUL-separated ones too: a
    top-level '#catatan.txt' was never sent, the deploy said it was done, and every later
    deploy failed linking the file the live release did not have."""
    site, remote = ssh_site()
    add_files(site, {"static/#catatan.txt": "catatan", "static/;titik-koma.txt": "titik koma",
                     "static/unduh/#dalam.txt": "dalam"})
    result = deploy(site)
    assert result.code == 0, result.err
    assert tree(remote / "current") == tree(site / "public")
    assert (remote / "current/#catatan.txt").read_text() == "catatan"
    edit(site, 2, "Isi yang diperbaiki.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert tree(remote / "current") == tree(site / "public")


@pytest.mark.parametrize("kind", ["openssh", "sftp", "file"])
def test_bytes_the_live_release_holds_under_another_name_are_linked_not_sent(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Known by their digests: a file moved in static/, and every file of a search bundle, whose
    folder is named by what it holds (an edit renames it), is the live release's own file,
    hard-linked from its old name. Only bytes the live release lacks travel."""
    remote = tmp_path / "www" / "humas"
    site = site_for(kind, remote, tmp_path, request, monkeypatch)
    form = os.urandom(50_000)
    add_files(site, {"static/unduh/laporan-2024.pdf": os.urandom(200_000), "static/unduh/formulir.pdf": form,
                     "static/unduh/formulir-terbaru.pdf": os.urandom(50_000)})
    assert deploy(site).code == 0
    first = remote / live(remote)
    before = tree(site / "public")
    (site / "static/arsip").mkdir()
    (site / "static/unduh/laporan-2024.pdf").rename(site / "static/arsip/laporan-tahunan-2024.pdf")
    (site / "static/unduh/formulir-terbaru.pdf").write_bytes(form)  # changed, to bytes held under another name
    edit(site, 2, "Isi yang diperbaiki.")
    result = deploy(site)
    assert result.code == 0, result.err
    second = remote / live(remote)
    after = tree(site / "public")
    assert tree(second) == after
    inodes: dict[bytes, set[int]] = {}
    for path, data in before.items():
        inodes.setdefault(data, set()).add((first / path).stat().st_ino)
    moved = [path for path in after if path not in before and after[path] in inodes]
    assert "arsip/laporan-tahunan-2024.pdf" in moved, moved
    assert len(moved) > 1 or not (site / "public/pagefind").exists(), moved  # the search bundle's files too
    new = [path for path in after if after[path] not in inodes]
    assert 0 < len(new) < len(after)
    assert sent_count(result.out) == len(new), (result.out, new)
    for path in after:
        held = (second / path).stat().st_ino in inodes.get(after[path], set())
        assert held == (path not in new), path


def folders(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_dir()}


def test_a_removed_page_leaves_no_empty_folder_behind(ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = ssh_site()
    assert deploy(site).code == 0
    (site / "content/berita/rilis-3.id.md").unlink()
    result = deploy(site, "--yes")  # with its page go a tag's and a month's: more than a fifth
    assert result.code == 0, result.err
    release = remote / live(remote)
    assert tree(release) == tree(site / "public")
    assert folders(release) == folders(site / "public")
    assert not (release / "berita/2024/rilis-3").exists()


def test_what_was_changed_by_hand_in_the_live_release_is_set_right(
        ssh_site: Callable[..., tuple[Path, Path]], tmp_path: Path) -> None:
    site, remote = ssh_site()
    assert deploy(site).code == 0
    first, before = remote / live(remote), tree(site / "public")
    outside = tmp_path / "outside"
    (outside / "berita").mkdir(parents=True)
    (outside / "berita" / "keep.txt").write_text("not the site's")
    (first / "berita/2024/rilis-0/index.html").unlink()  # deleted on the server
    (first / "berita/2024/stray.html").write_text("put there by hand")
    (first / "tautan").symlink_to(outside)  # a link out of the release: never followed
    (first / "berita/2024/rilis-1").rename(first / "berita/2024/rilis-1.moved")
    (first / "berita/2024/rilis-1").symlink_to(outside / "berita")
    edit(site, 2, "Isi yang diperbaiki.")
    result = deploy(site)
    assert result.code == 0, result.err
    second = remote / live(remote)
    assert tree(second) == tree(site / "public")
    assert not any(path.is_symlink() for path in second.rglob("*"))
    assert (outside / "berita" / "keep.txt").read_text() == "not the site's"
    differ = travelling(before, tree(site / "public"))
    assert sent_count(result.out) == len(differ) + 2  # and the two files that were no longer there


def test_the_default_key_is_read_from_the_home_the_environment_names(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without identity_file, the key at ~/.ssh/id_ed25519, ~ as $HOME says (as known_hosts is
    read, and as the SFTP path reads keys): ssh alone looked in the account's home instead."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    shutil.copy(server.client_key, home / ".ssh" / "id_ed25519")
    (home / ".ssh" / "id_ed25519").chmod(0o600)
    monkeypatch.setenv("HOME", str(home))
    remote = tmp_path / "www"
    site = write_site(tmp_path / "site", articles(2),
                      target_config(ssh_url(server, remote), known_hosts=server.known_hosts))
    result = deploy(site)
    assert result.code == 0, result.err
    assert tree(remote / live(remote)) == tree(site / "public")


def test_a_top_level_file_or_folder_gone_from_the_live_release_is_sent_again(
        ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    """The server's copy of the live release went name by name from the top of its record and
    stopped at one that was gone: every later deploy failed until someone put it back."""
    site, remote = ssh_site()
    assert deploy(site).code == 0
    first, before = remote / live(remote), tree(site / "public")
    (first / "404.html").unlink()
    gone = [path for path in before if path.startswith("css/")]
    shutil.rmtree(first / "css")
    edit(site, 2, "Isi yang diperbaiki.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert tree(remote / live(remote)) == tree(site / "public")
    assert sent_count(result.out) == len(travelling(before, tree(site / "public"))) + 1 + len(gone)


def redeploy_sends_only_what_changed(site: Path, remote: Path, old_release: Path, before: dict[str, bytes]) -> None:
    """Deploy the edited site: only the files whose bytes changed travel, the new release
    equals the output, and an unchanged file is the live release's own (a hard link)."""
    result = deploy(site)
    assert result.code == 0, result.err
    after = tree(site / "public")
    differ = travelling(before, after)
    assert sent_count(result.out) == len(differ)
    new_release = remote / live(remote)
    assert tree(new_release) == after
    unchanged = next(path for path in after if before.get(path) == after[path])
    assert (new_release / unchanged).stat().st_ino == (old_release / unchanged).stat().st_ino


def test_a_server_whose_cp_cannot_hard_link_gets_the_unchanged_files_linked_by_rsync(
        ssh_site: Callable[..., tuple[Path, Path]], monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.deploy import rsync

    site, remote = ssh_site()
    assert deploy(site).code == 0
    first, before = remote / live(remote), tree(site / "public")
    probe = 'cp -al -- "$probe" "$new/.sitegen-probe" 2>/dev/null'
    assert probe in rsync._COPY
    monkeypatch.setattr(rsync, "_COPY", rsync._COPY.replace(probe, "false"))
    edit(site, 2, "Isi yang diperbaiki.")
    redeploy_sends_only_what_changed(site, remote, first, before)


def test_dry_run_lists_the_changes_and_touches_nothing(ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = ssh_site()
    assert deploy(site).code == 0
    edit(site, 1, "Isi baru.")
    (site / "content/berita/rilis-5.id.md").unlink()
    (site / "content/berita/baru.id.md").write_text(article("Rilis baru"), "utf-8")
    snapshot = {p: p.stat().st_mtime_ns for p in remote.rglob("*")}
    result = deploy(site, "--dry-run")
    assert result.code == 0, result.err
    lines = set(result.out.splitlines())
    assert "change berita/2024/rilis-1/index.html" in lines
    assert "remove berita/2024/rilis-5/index.html" in lines
    assert "add berita/2024/baru/index.html" in lines
    assert "dry run" in result.out
    assert {p: p.stat().st_mtime_ns for p in remote.rglob("*")} == snapshot


def test_rollback_switches_current_to_the_previous_release(ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = ssh_site()
    assert deploy(site).code == 0
    old, old_tree = live(remote), tree(site / "public")
    edit(site, 0, "Versi kedua.")
    assert deploy(site).code == 0
    new = live(remote)
    result = deploy(site, "--rollback")
    assert result.code == 0, result.err
    assert live(remote) == old and tree(remote / "current") == old_tree
    assert (remote / new).is_dir()  # kept: a later deploy can go forward again
    again = deploy(site, "--rollback")
    assert again.code == 1 and "no earlier complete release" in again.err


def test_a_deploy_killed_mid_upload_leaves_current_and_the_next_deploy_cleans_up(
        ssh_site: Callable[..., tuple[Path, Path]], tmp_path: Path) -> None:
    site, remote = ssh_site()
    assert deploy(site).code == 0
    before, live_tree = live(remote), tree(remote / "current")
    edit(site, 3, "Isi yang tidak pernah tayang.")
    # An rsync that finishes its transfer, says so, then hangs: the deploy is killed after
    # files reached the server but before the release was marked complete.
    slow = tmp_path / "slow-bin"
    slow.mkdir()
    flag = tmp_path / "uploaded"
    (slow / "rsync").write_text(f"#!/bin/sh\n/usr/bin/rsync \"$@\"\nstatus=$?\ntouch {flag}\nsleep 60\n"
                                "exit $status\n")
    (slow / "rsync").chmod(0o755)
    env = {**os.environ, "PATH": f"{slow}:{os.environ['PATH']}"}
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "deploy", "--site", str(site)], env=env,
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not flag.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert flag.exists(), proc.communicate()
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert live(remote) == before and tree(remote / "current") == live_tree
    partial = [name for name in releases(remote) if f"releases/{name}" != before]
    assert len(partial) == 1 and not [path for path in remote.rglob(f"*{partial[0]}*.sitegen-complete")]
    # its sending mark names this computer and the killed process: gone, so the release goes
    sending = json.loads((remote / BOOKKEEPING / f"{partial[0]}.sitegen-sending").read_bytes())
    assert sending["pid"] == proc.pid and sending["host"] == socket.gethostname()
    result = deploy(site)
    assert result.code == 0, result.err
    assert partial[0] not in releases(remote) and "removed 1 half-sent release" in result.out
    assert not [name for name in bookkeeping(remote) if name.endswith(".sitegen-sending")]
    assert tree(remote / "current") == tree(site / "public")


def test_deletion_guard_refuses_to_drop_a_fifth_of_the_pages(ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = ssh_site(count=10)
    assert deploy(site).code == 0
    before = live(remote)
    for number in range(6):
        (site / f"content/berita/rilis-{number}.id.md").unlink()
    dry = deploy(site, "--dry-run")  # says so beforehand, and changes nothing
    assert dry.code == 0 and "a deploy would stop here: refusing to deploy:" in dry.out, dry.out
    assert live(remote) == before and len(releases(remote)) == 1
    refused = deploy(site)
    assert refused.code == 1
    assert "production: error: refusing to deploy:" in refused.err and "--yes" in refused.err
    assert "Traceback" not in refused.err
    assert live(remote) == before and len(releases(remote)) == 1
    accepted = deploy(site, "--yes")
    assert accepted.code == 0, accepted.err
    assert live(remote) != before and tree(remote / "current") == tree(site / "public")


def test_old_releases_are_pruned_beyond_keep_but_nothing_else(ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = ssh_site(keep=2)
    stranger = remote / "releases" / "notes"  # not a release: never touched
    for round_ in range(4):
        edit(site, 0, f"Putaran {round_}.")
        assert deploy(site).code == 0
        if round_ == 0:
            stranger.mkdir()
            (remote / "index.html").write_text("the administrator's own file")
    kept = [name for name in releases(remote) if name != "notes"]
    assert len(kept) == 2 and live(remote) == f"releases/{kept[-1]}"
    wait_removed(remote)
    assert stranger.is_dir() and (remote / "index.html").read_text() == "the administrator's own file"


PRUNING_KINDS = ["openssh", "sftp", "file"]


def site_for(kind: str, remote: Path, tmp_path: Path, request: pytest.FixtureRequest,
             monkeypatch: pytest.MonkeyPatch, count: int = 4, server: Server | None = None,
             **settings: object) -> Path:
    """A site of ``count`` releases in tmp_path/site, deploying to ``remote`` over rsync
    ("openssh", "ssh"), SFTP (rsync off PATH) or file://, as ``kind`` says; ``server``: another
    than the module's."""
    if kind == "file":
        config = target_config(file_url(remote), **settings)
    else:
        config = ssh_config(server or request.getfixturevalue("server"), remote, **settings)
    if kind == "sftp":
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    return write_site(tmp_path / "site", articles(count), config)


@pytest.fixture
def any_site(tmp_path: Path, request: pytest.FixtureRequest,
             monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[Path, Path]]:
    """A site and its target folder, deployed to over rsync, SFTP (rsync missing) or file://."""
    kind = request.param

    def make(count: int = 4, **settings: object) -> tuple[Path, Path]:
        remote = tmp_path / "www" / "humas"
        return site_for(kind, remote, tmp_path, request, monkeypatch, count, **settings), remote

    return make


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
@pytest.mark.parametrize("record", ["moved away", "damaged"])
def test_the_deletion_guard_holds_when_the_live_release_s_record_cannot_be_read(
        any_site: Callable[..., tuple[Path, Path]], record: str) -> None:
    """With .sitegen-deploy/ moved away (a copy of the site made by hand) or the live manifest
    damaged, the guard counted no live pages and let half the site go unasked, and status
    said nothing was deployed. What it cannot count, it does not let go without --yes."""
    site, remote = any_site(count=10)
    assert deploy(site).code == 0
    before, live_tree = live(remote), tree(remote / "current")
    name = before.rpartition("/")[2]
    books = remote / BOOKKEEPING
    if record == "moved away":
        books.rename(remote.parent / "books-aside")
    else:
        (books / f"{name}.sitegen-release.json").write_text('{"broken')
    status = deploy(site, "--status")
    assert f"live: release {name}, whose record cannot be read" in status.out, status.out
    for number in range(6):
        (site / f"content/berita/rilis-{number}.id.md").unlink()
    refused = deploy(site)
    assert refused.code == 1, refused.out + refused.err
    assert (f"production: error: refusing to deploy: the record of the live release {name} cannot be read"
            in refused.err), refused.err
    assert live(remote) == before and tree(remote / "current") == live_tree
    accepted = deploy(site, "--yes")
    assert accepted.code == 0, accepted.err
    assert tree(remote / "current") == tree(site / "public")


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_a_pruned_release_is_set_aside_at_once_then_removed_and_never_used_again(
        any_site: Callable[..., tuple[Path, Path]], tmp_path: Path) -> None:
    site, remote = any_site(keep=2)
    deployed = deploy_rounds(site, remote, 2)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the site's")
    (remote / "beside.txt").write_text("the administrator's own file")
    (remote / "releases" / "notes").mkdir()
    (remote / "releases" / ".pruned-notes").mkdir()  # not a pruned release's name: never touched
    (remote / "releases" / ".pruned-1T2Z").mkdir()  # nor this, though it starts and ends like one
    for name in ("catatan.txt", "rilis.sitegen-complete"):  # in deploy's own folder, no release's books
        (remote / ".sitegen-deploy" / name).write_text("the administrator's own file")
    # Copies kept beside a release's books, named after them: the administrator's, never moved nor removed.
    (remote / ".sitegen-deploy" / f"{deployed[0]}.sitegen-release.json.orig").write_text("a copy")
    (remote / "releases" / f"{deployed[0]}.sitegen-complete.bak").write_text("a copy")
    (remote / "releases" / deployed[0] / "tautan").symlink_to(outside)  # removed, never followed
    edit(site, 0, "Putaran 2.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert summary(result.out).endswith("; pruned 1 old release")  # one: the singular
    newest = live(remote).rpartition("/")[2]
    assert releases(remote) == sorted([deployed[1], newest, "notes", ".pruned-notes", ".pruned-1T2Z"])
    assert set_aside(remote) in ([], [f".pruned-{deployed[0]}"])  # gone, or being removed under that name
    assert tree(remote / "current") == tree(site / "public")
    status = deploy(site, "--status")
    assert status.code == 0, status.err
    assert deployed[0] not in status.out and f"releases: {deployed[1]}, {newest} *" in status.out
    wait_removed(remote)
    assert (outside / "keep.txt").read_text() == "not the site's"
    assert (remote / "beside.txt").read_text() == "the administrator's own file"
    assert (remote / "releases" / "notes").is_dir() and (remote / "releases" / ".pruned-notes").is_dir()
    assert (remote / "releases" / ".pruned-1T2Z").is_dir()
    assert bookkeeping(remote) == sorted(["catatan.txt", "rilis.sitegen-complete", *books_of(deployed[1], newest),
                                          f"{deployed[0]}.sitegen-release.json.orig"])
    assert (remote / "releases" / f"{deployed[0]}.sitegen-complete.bak").read_text() == "a copy"
    rollback = deploy(site, "--rollback")
    assert rollback.code == 0, rollback.err
    assert live(remote) == f"releases/{deployed[1]}"
    assert deploy(site, "--rollback").code == 1  # the pruned release is never a rollback target


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_releases_an_older_sitegen_sent_with_their_marks_inside_are_still_known(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    site, share = any_site()
    assert deploy(site).code == 0
    old = live(share).rpartition("/")[2]
    for suffix in (".sitegen-complete", ".sitegen-release.json"):  # as sitegen wrote them before
        os.replace(share / ".sitegen-deploy" / f"{old}{suffix}", share / "releases" / old / suffix)
    edit(site, 1, "Isi baru.")
    result = deploy(site)
    assert result.code == 0, result.err
    unchanged = re.search(r"(\d+) unchanged", result.out)
    assert unchanged and int(unchanged.group(1)) > 10, result.out  # its manifest was read: not all sent again
    assert tree(share / "current") == tree(site / "public")  # and no mark of the old one inside
    assert (share / "releases" / old / ".sitegen-complete").read_text() == old  # part of that release: left
    assert deploy(site, "--rollback").code == 0 and live(share) == f"releases/{old}"


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_the_next_deploy_removes_what_an_earlier_removal_left(
        any_site: Callable[..., tuple[Path, Path]], tmp_path: Path) -> None:
    site, remote = any_site()
    assert deploy(site).code == 0
    first = live(remote).rpartition("/")[2]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the site's")
    # A release half removed when its removal was cut short (a reboot): no release any more.
    left = remote / "releases" / ".pruned-20200101T000000Z"
    shutil.copytree(remote / "releases" / first, left)
    (left / "berita" / "tautan").symlink_to(outside)
    (left / ".sitegen-complete").write_text("20200101T000000Z")
    assert deploy(site, "--status").out.count("20200101T000000Z") == 0
    assert deploy(site, "--rollback").code == 1
    edit(site, 1, "Isi baru.")
    result = deploy(site)
    assert result.code == 0, result.err
    wait_removed(remote)
    assert releases(remote) == sorted([first, live(remote).rpartition("/")[2]])
    assert (outside / "keep.txt").read_text() == "not the site's"
    assert tree(remote / "current") == tree(site / "public")



@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_the_release_current_points_to_is_never_removed_even_without_its_mark(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    """A live release whose completion mark went missing (deleted by hand) counted among the
    half-sent ones, and the next deploy set it aside before sending anything: the site was
    gone until the switch, and over SFTP it is now removed at once. It is what the web server
    shows: left alone, and not listed as to be removed."""
    site, remote = any_site()
    assert deploy(site).code == 0
    shown = live(remote).rpartition("/")[2]
    (remote / ".sitegen-deploy" / f"{shown}.sitegen-complete").unlink()
    status = deploy(site, "--status")
    assert status.code == 0 and "incomplete" not in status.out, status.out
    edit(site, 1, "Isi baru.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert "half-sent" not in result.out and shown in releases(remote)
    assert (remote / "releases" / shown / "index.html").is_file()


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_when_a_deploy_ends_releases_holds_only_the_kept_release_folders(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    """As a user (or a script) looking at the server right after the command sees it: a small
    release beyond keep is gone by then, not still being removed in the background."""
    site, remote = any_site(keep=2)
    for round_ in range(4):
        edit(site, 0, f"Putaran {round_}.")
        result = deploy(site)
        assert result.code == 0, result.err
        folders = sorted(os.listdir(remote / "releases"))  # and nothing else
        assert len(folders) == min(round_ + 1, 2), folders
        assert live(remote) == f"releases/{folders[-1]}"
    assert tree(remote / "current") == tree(site / "public")


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_releases_holds_only_the_release_folders_and_deploy_keeps_its_books_beside_it(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    """``releases/`` held three entries per release (the folder, its manifest and its mark
    beside it); the server layout is ``releases/<id>/`` and ``current`` only, and what deploy
    knows of each release lies in ``.sitegen-deploy/``."""
    site, remote = any_site(keep=2)
    deploy_rounds(site, remote, 4)
    wait_removed(remote)
    kept = sorted(os.listdir(remote / "releases"))
    assert len(kept) == 2 and all(re.fullmatch(r"\d{8}T\d{6}Z", name) for name in kept), kept
    assert live(remote) == f"releases/{kept[-1]}"
    assert tree(remote / "current") == tree(site / "public")
    assert bookkeeping(remote) == books_of(*kept)  # no deploy's sending mark left behind
    assert not [name for name in bookkeeping(remote) if name.endswith(".sitegen-sending")]
    assert (remote / BOOKKEEPING / f"{kept[-1]}.sitegen-complete").read_text() == kept[-1]
    manifest = json.loads((remote / BOOKKEEPING / f"{kept[-1]}.sitegen-release.json").read_bytes())
    assert manifest["release"] == kept[-1] and manifest["previous"] == kept[0]
    assert sorted(os.listdir(remote)) == [BOOKKEEPING, "current", "releases"]
    assert oct((remote / BOOKKEEPING).stat().st_mode & 0o777) == oct((remote / "releases").stat().st_mode & 0o777)
    status = deploy(site, "--status")
    assert status.code == 0 and f"releases: {kept[0]}, {kept[1]} *" in status.out, status.out


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_releases_moved_to_another_disk_and_linked_back_keep_their_books_in_the_target(
        any_site: Callable[..., tuple[Path, Path]], tmp_path: Path) -> None:
    """An administrator moves ``releases/`` to a bigger disk and links it back: the server's
    scripts reached ``.sitegen-deploy/`` through ``releases/..``, which is then the other
    disk, so books were written and removed there and unchanged files travelled again."""
    site, remote = any_site(keep=2)
    deploy_rounds(site, remote, 1)
    disk = tmp_path / "disk2"
    disk.mkdir()
    shutil.move(remote / "releases", disk / "releases")
    (remote / "releases").symlink_to(disk / "releases")
    deployed = deploy_rounds(site, remote, 2)
    edit(site, 0, "Putaran terakhir.")
    before = tree(remote / "current")
    result = deploy(site)
    assert result.code == 0, result.err
    after = tree(remote / "current")
    assert sent_count(result.out) == len(travelling(before, after))
    wait_removed(remote)
    kept = [deployed[-1], live(remote).rpartition("/")[2]]
    assert sorted(os.listdir(disk / "releases")) == kept
    assert not (disk / BOOKKEEPING).exists()
    assert bookkeeping(remote) == books_of(*kept)


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_a_file_where_the_books_folder_belongs_stops_the_deploy_before_it_sends(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = any_site(keep=2)
    (deployed,) = deploy_rounds(site, remote, 1)
    shutil.rmtree(remote / BOOKKEEPING)
    (remote / BOOKKEEPING).write_text("someone's file")
    edit(site, 0, "Putaran baru.")
    result = deploy(site)
    assert result.code != 0 and BOOKKEEPING in result.err, result.err
    assert "Traceback" not in result.err
    assert live(remote) == f"releases/{deployed}" and os.listdir(remote / "releases") == [deployed]
    assert (remote / BOOKKEEPING).read_text() == "someone's file"


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_a_target_laid_out_the_old_way_is_read_and_its_books_move_with_the_next_deploy(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = any_site(keep=2)
    deployed = deploy_rounds(site, remote, 2)
    first_tree = tree(remote / "releases" / deployed[0])
    lay_out_the_old_way(remote)
    assert sorted(os.listdir(remote / "releases")) == sorted([*deployed, *books_of(*deployed)])
    (remote / "releases" / "catatan.txt").write_text("the administrator's own file")
    status = deploy(site, "--status")
    assert status.code == 0 and f"releases: {deployed[0]}, {deployed[1]} *" in status.out, status.out
    assert "incomplete" not in status.out
    dry = deploy(site, "--dry-run")  # nothing moves but with a release written
    assert dry.code == 0, dry.err
    gone = {name: (site / "content/berita" / name).read_bytes() for name in os.listdir(site / "content/berita")}
    for name in gone:
        (site / "content/berita" / name).unlink()
    refused = deploy(site)  # the deletion guard
    assert refused.code == 1 and "refusing to deploy" in refused.err, refused.err
    for name, data in gone.items():
        (site / "content/berita" / name).write_bytes(data)
    rollback = deploy(site, "--rollback")
    assert rollback.code == 0, rollback.err
    assert live(remote) == f"releases/{deployed[0]}"
    assert sorted(os.listdir(remote / "releases")) == sorted([*deployed, *books_of(*deployed), "catatan.txt"])
    assert not (remote / BOOKKEEPING).exists()
    edit(site, 0, "Putaran 2.")
    result = deploy(site)
    assert result.code == 0, result.err
    unchanged = re.search(r"(\d+) unchanged", result.out)
    assert unchanged and int(unchanged.group(1)) > 10, result.out  # the live manifest was read
    newest = live(remote).rpartition("/")[2]
    # kept: the newest two, and the one it was deployed over (the rollback target)
    assert sorted(os.listdir(remote / "releases")) == sorted([*deployed, newest, "catatan.txt"])
    assert bookkeeping(remote) == books_of(*deployed, newest)
    assert tree(remote / "current") == tree(site / "public")
    assert deploy(site, "--rollback").code == 0 and live(remote) == f"releases/{deployed[0]}"
    assert tree(remote / "current") == first_tree


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_a_half_sent_release_goes_with_its_books_and_the_live_one_stays_without_its_mark(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = any_site()
    assert deploy(site).code == 0
    shown = live(remote).rpartition("/")[2]
    books = remote / BOOKKEEPING if (remote / BOOKKEEPING).is_dir() else remote / "releases"
    half_sent = "20200101T000000Z"  # a deploy stopped between its manifest and its mark
    shutil.copytree(remote / "releases" / shown, remote / "releases" / half_sent)
    (books / f"{half_sent}.sitegen-release.json").write_bytes(
        (books / f"{shown}.sitegen-release.json").read_bytes())
    (books / f"{shown}.sitegen-complete").unlink()  # and the live release's mark went missing
    status = deploy(site, "--status")
    assert status.code == 0, status.err
    assert f"incomplete (removed by the next deploy): {half_sent}" in status.out.splitlines(), status.out
    edit(site, 1, "Isi baru.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert "removed 1 half-sent release" in result.out, result.out
    newest = live(remote).rpartition("/")[2]
    assert sorted(os.listdir(remote / "releases")) == sorted([shown, newest])
    assert (remote / "releases" / shown / "index.html").is_file()
    assert bookkeeping(remote) == [f"{shown}.sitegen-release.json", *books_of(newest)]
    assert tree(remote / "current") == tree(site / "public")


def test_keep_one_still_spares_the_release_before_the_live_one(ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = ssh_site(keep=1)
    deploy_rounds(site, remote, 3)
    assert len(releases(remote)) == 2
    assert deploy(site, "--rollback").code == 0


def test_status_says_what_is_live_and_what_differs(ssh_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = ssh_site()
    assert deploy(site).code == 0
    edit(site, 4, "Perubahan lokal.")
    assert run("build", "--site", site).code == 0
    result = deploy(site, "--status")
    assert result.code == 0, result.err
    name = live(remote).rpartition("/")[2]
    assert f"live: release {name}" in result.out
    assert "  ~ berita/2024/rilis-4/index.html" in result.out.splitlines()


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_status_says_since_when_the_live_release_is_live_also_after_a_rollback(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    site, remote = any_site()
    assert deploy(site).code == 0
    first = live(remote).rpartition("/")[2]
    edit(site, 1, "Isi kedua.")
    assert deploy(site).code == 0
    os.utime(remote / "current", (1_700_000_000, 1_700_000_000), follow_symlinks=False)  # the link's own time
    status = deploy(site, "--status")
    assert "since 2023-11-15 05:13:20 WIB" in status.out, status.out  # 2023-11-14 22:13:20 UTC
    assert deploy(site, "--rollback").code == 0
    switched = datetime.fromtimestamp(os.lstat(remote / "current").st_mtime, ZoneInfo("Asia/Jakarta"))
    status = deploy(site, "--status")
    assert f"live: release {first}, since {switched:%Y-%m-%d %H:%M:%S} WIB" in status.out, status.out


# --- host keys and client keys ---

@pytest.mark.parametrize("sftp", [False, True], ids=["openssh", "sftp"])
def test_an_unknown_host_key_is_refused_with_its_fingerprint(
        tmp_path: Path, server: Server, sftp: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if sftp:
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", known_hosts=empty))
    result = deploy(site)
    assert result.code == 2, result.err
    fingerprint = _fingerprint(server)
    assert result.err.startswith("production: error: ")
    assert fingerprint in result.err
    assert f"ssh-keyscan -p {server.port} 127.0.0.1 >> {empty}" in result.err
    assert "Traceback" not in result.err and not any((tmp_path / "www").iterdir())


@pytest.mark.parametrize("sftp", [False, True], ids=["openssh", "sftp"])
def test_the_command_that_trusts_an_unknown_host_key_works_on_a_computer_without_ssh_folder(
        tmp_path: Path, server: Server, sftp: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first deploy from a fresh computer: no ~/.ssh yet. The command the error gives must
    work as it is, and the deploy after it too."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SITEGEN_KNOWN_HOSTS", raising=False)
    if sftp:
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    config = target_config(ssh_url(server, tmp_path / "www"), identity_file=server.client_key)
    site = write_site(tmp_path / "site", articles(2), config)
    refused = deploy(site)
    assert refused.code == 2, refused.err
    assert _fingerprint(server) in refused.err
    found = re.search(r"trust it with: (.*)\)$", refused.err.splitlines()[0])
    assert found, refused.err
    subprocess.run(["sh", "-c", found.group(1)], check=True, capture_output=True,
                   env={"HOME": str(home), "PATH": "/usr/bin:/bin"})
    assert (home / ".ssh" / "known_hosts").read_text().count(server.host_public.split()[1]) == 1
    result = deploy(site)
    assert result.code == 0, result.err
    assert tree(tmp_path / "www" / "current") == tree(site / "public")


def test_a_changed_host_key_is_refused(tmp_path: Path, server: Server) -> None:
    impostor = tmp_path / "impostor"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(impostor)], check=True)
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{server.port} " + " ".join(impostor.with_suffix(".pub").read_text().split()[:2])
                     + "\n")
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", known_hosts=known))
    result = deploy(site)
    assert result.code == 2 and "CHANGED" in result.err and _fingerprint(server) in result.err


@pytest.mark.parametrize("sftp", [False, True], ids=["openssh", "sftp"])
def test_known_hosts_lines_openssh_reads_do_not_stop_a_deploy(
        tmp_path: Path, server: Server, sftp: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A managed laptop's known_hosts holds host certificate authorities, revoked keys of other
    servers and comments in any encoding. OpenSSH reads past them; over SFTP paramiko stopped
    at them with a traceback."""
    if sftp:
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    other_key = " ".join(other.with_suffix(".pub").read_text().split()[:2]).encode()
    known = tmp_path / "known_hosts"
    known.write_bytes(b"# kantor pusat, Caf\xe9 (Latin-1)\n@cert-authority *.example.go.id " + other_key + b"\n"
                      + b"@revoked lama.example.go.id " + other_key + b"\nrusak.example.go.id ssh-ed25519 !!!\n"
                      + server.known_hosts.read_bytes())
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", known_hosts=known))
    result = deploy(site)
    assert result.code == 0, result.err
    assert tree(tmp_path / "www" / "current") == tree(site / "public")


@pytest.mark.parametrize("sftp", [False, True], ids=["openssh", "sftp"])
def test_a_revoked_host_key_is_refused_as_revoked_not_as_unknown(
        tmp_path: Path, server: Server, sftp: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Told to trust a revoked key with ssh-keyscan, the user could do nothing: it stays revoked."""
    if sftp:
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    known = tmp_path / "known_hosts"
    known.write_text(server.known_hosts.read_text() + f"@revoked * {server.host_public}\n")
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", known_hosts=known))
    result = deploy(site)
    assert result.code == 2, result.err
    assert result.err.startswith(f"production: error: the host key of [127.0.0.1]:{server.port} is marked as "
                                 f"revoked in {known}"), result.err
    assert _fingerprint(server) in result.err and "ssh-keyscan" not in result.err and "Traceback" not in result.err
    assert not (tmp_path / "www").exists() or not any((tmp_path / "www").iterdir())


@pytest.mark.parametrize("sftp", [False, True], ids=["openssh", "sftp"])
def test_a_wrong_client_key_is_refused_naming_the_target(
        tmp_path: Path, server: Server, sftp: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if sftp:
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.ssh/id_* of the machine's own
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", key=server.other_key))
    result = deploy(site)
    assert result.code == 2, result.err
    assert result.err.startswith("production: error: the server 127.0.0.1 refused our key")
    assert "authorized_keys" in result.err and "Traceback" not in result.err


@contextlib.contextmanager
def agent_holding(keys: list[Path], folder: Path) -> Iterator[Path]:
    """A real ssh-agent holding ``keys``; its socket."""
    socket = folder / "agent.sock"
    proc = subprocess.Popen(["ssh-agent", "-D", "-a", str(socket)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        for key in keys:
            # The socket's file exists a moment before the agent listens on it: ssh-add then
            # cannot connect (exit 2), and is asked again until the agent answers.
            while True:
                added = subprocess.run(["ssh-add", "-q", str(key)], env={**os.environ, "SSH_AUTH_SOCK": str(socket)},
                                       capture_output=True)
                if added.returncode != 2 or time.monotonic() > deadline:
                    added.check_returncode()
                    break
                time.sleep(0.05)
        yield socket
    finally:
        proc.terminate()
        proc.wait()


@pytest.mark.parametrize("sftp", [False, True], ids=["openssh", "sftp"])
def test_the_identity_file_is_used_even_with_an_agent_full_of_other_keys(
        tmp_path: Path, server: Server, sftp: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's agent holds many keys; the server stops after six tries (MaxAuthTries). The
    target's identity_file must be the key offered, not the seventh."""
    need(shutil.which("ssh-agent") and shutil.which("ssh-add"), "ssh-agent (apt-get install openssh-client)")
    others = []
    for number in range(7):
        others.append(tmp_path / f"other-{number}")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(others[-1])], check=True,
                       capture_output=True)
    with agent_holding(others, tmp_path) as socket:
        monkeypatch.setenv("SSH_AUTH_SOCK", str(socket))
        if sftp:
            monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
        site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www"))
        result = deploy(site)
    assert result.code == 0, result.err
    assert tree(tmp_path / "www" / "current") == tree(site / "public")


@pytest.mark.parametrize("sftp", [False, True], ids=["openssh", "sftp"])
def test_a_wrong_identity_file_is_refused_though_the_agent_holds_the_right_key(
        tmp_path: Path, server: Server, sftp: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """README: with identity_file: set, that key alone is offered, whatever ssh-agent holds.
    Over SFTP the agent's key signed in all the same, where rsync's ssh refused."""
    need(shutil.which("ssh-agent") and shutil.which("ssh-add"), "ssh-agent (apt-get install openssh-client)")
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.ssh/id_* of the machine's own
    with agent_holding([server.client_key], tmp_path) as socket:
        monkeypatch.setenv("SSH_AUTH_SOCK", str(socket))
        if sftp:
            monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
        site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", key=server.other_key))
        result = deploy(site)
    assert result.code == 2, result.out + result.err
    assert result.err.startswith("production: error: the server 127.0.0.1 refused our key"), result.err


def test_a_long_temporary_folder_path_does_not_break_the_ssh_connection(
        ssh_site: Callable[..., tuple[Path, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenSSH's shared-connection socket lives in a temporary folder, and a socket's path has
    a limit (104 bytes on macOS, whose TMPDIR alone is about 50): there, every deploy ended in
    'the connection dropped'."""
    import tempfile

    long = tmp_path / ("t" * max(1, 100 - len(str(tmp_path))))
    long.mkdir()
    assert len(str(long)) >= 100
    monkeypatch.setattr(tempfile, "tempdir", str(long))
    site, remote = ssh_site()
    result = deploy(site)
    assert result.code == 0, result.err
    assert tree(remote / "current") == tree(site / "public")


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_a_folder_standing_at_current_is_left_alone(any_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = any_site()
    (remote / "current").mkdir(parents=True)
    (remote / "current" / "index.html").write_text("situs lama", "utf-8")
    result = deploy(site)
    assert result.code == 1, result.out + result.err
    assert result.err.startswith("production: error: ") and "Traceback" not in result.err
    assert (remote / "current" / "index.html").read_text("utf-8") == "situs lama"
    assert [p.name for p in remote.iterdir() if p.name.startswith("current.tmp")] == []


@pytest.mark.parametrize("standing", ["folder", "file"])
@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_a_file_or_folder_standing_at_current_is_never_replaced_and_said_so_before_sending(
        any_site: Callable[..., tuple[Path, Path]], standing: str) -> None:
    """Nothing outside releases/ is deleted: not a file named current either. And the user is
    told what is wrong (not 'the disk is full'), before a whole release travels for nothing."""
    site, remote = any_site()
    remote.mkdir(parents=True, exist_ok=True)
    if standing == "folder":
        (remote / "current").mkdir()
        (remote / "current" / "index.html").write_text("situs lama", "utf-8")
    else:
        (remote / "current").write_text("catatan admin", "utf-8")
    result = deploy(site)
    assert result.code == 1, result.out + result.err
    assert result.err.startswith(f"production: error: {remote}/current is not a symbolic link"), result.err
    assert "move it away" in result.err and "disk" not in result.err
    assert not (site / "public").exists()  # said before the build
    if standing == "folder":
        assert (remote / "current" / "index.html").read_text("utf-8") == "situs lama"
    else:
        assert (remote / "current").read_text("utf-8") == "catatan admin"
    assert sorted(p.name for p in remote.iterdir()) == ["current"]  # nothing sent, nothing made
    status = deploy(site, "--status")
    assert f"{remote}/current is not a symbolic link" in status.out and "nothing deployed" not in status.out
    (remote / "current").rename(remote / "situs-lama")
    result = deploy(site)
    assert result.code == 0, result.err
    assert tree(remote / "current") == tree(site / "public")


@pytest.mark.parametrize("sftp", [False, True], ids=["openssh", "sftp"])
def test_a_key_that_needs_its_passphrase_is_said_plainly(
        tmp_path: Path, server: Server, sftp: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if sftp:
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    monkeypatch.setenv("HOME", str(tmp_path))
    locked = tmp_path / "id_terkunci"
    shutil.copy(server.client_key, locked)
    locked.chmod(0o600)
    subprocess.run(["ssh-keygen", "-q", "-p", "-P", "", "-N", "rahasia-kantor", "-f", str(locked)], check=True,
                   capture_output=True)
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", key=locked))
    result = deploy(site)
    assert result.code == 2, result.err
    assert result.err.startswith(f"production: error: the key {locked} needs its passphrase"), result.err
    assert "ssh-add" in result.err and "Traceback" not in result.err


def test_no_key_at_all_over_sftp_is_said_plainly(tmp_path: Path, server: Server,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.ssh/id_* and (no_agent) no agent
    config = target_config(ssh_url(server, tmp_path / "www"), known_hosts=server.known_hosts)
    site = write_site(tmp_path / "site", articles(2), config)
    result = deploy(site)
    assert result.code == 2, result.err
    assert result.err.startswith("production: error: there is no key to offer the server 127.0.0.1"), result.err
    assert "identity_file" in result.err and "Traceback" not in result.err


def test_a_missing_key_file_is_said_plainly(tmp_path: Path, server: Server) -> None:
    missing_key = tmp_path / "tidak-ada" / "id_ed25519"
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", key=missing_key))
    result = deploy(site)
    assert result.code == 2, result.err
    assert result.err.startswith(f"production: error: identity_file {missing_key} does not exist"), result.err
    assert not any((tmp_path / "www").iterdir())


def test_a_key_path_that_is_a_folder_is_said_plainly(tmp_path: Path, server: Server) -> None:
    folder = tmp_path / "kunci"
    folder.mkdir()
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", key=folder))
    result = deploy(site)
    assert result.code == 2, result.err
    assert result.err.startswith(f"production: error: identity_file {folder} is a folder, not a key"), result.err


def test_an_unreadable_key_file_is_said_plainly(tmp_path: Path, server: Server) -> None:
    """Not "the server refused our key": ssh's own words for an unreadable key never reach
    the user. Root reads any file, so as root the deploy runs without that power."""
    key = tmp_path / "id_ed25519"
    key.write_bytes(server.client_key.read_bytes())
    key.chmod(0)
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", key=key))
    command = [sys.executable, "-m", "sitegen", "deploy", "--site", str(site)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        need(setpriv, "setpriv (util-linux), to deploy as root without reading every file")
        command = [str(setpriv), "--bounding-set", "-dac_override,-dac_read_search", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"production: error: identity_file {key} cannot be read (permission denied)"), \
        result.stderr
    assert "chmod 600" in result.stderr and "refused" not in result.stderr
    assert not any((tmp_path / "www").iterdir())


@pytest.mark.parametrize("sftp", [False, True], ids=["openssh", "sftp"])
@pytest.mark.parametrize("kind", ["public", "putty"])
def test_a_key_file_that_is_no_private_key_is_said_plainly(
        tmp_path: Path, server: Server, sftp: bool, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The .pub file given by mistake, or a PuTTY key: not 'refused' nor 'cannot connect'."""
    if sftp:
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    key = server.client_key.with_suffix(".pub")
    if kind == "putty":
        key = tmp_path / "humas.ppk"
        key.write_text("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: humas\n")
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, tmp_path / "www", key=key))
    result = deploy(site)
    assert result.code == 2, result.err
    assert result.err.startswith(f"production: error: identity_file {key} is not a private key"), result.err
    assert "id_ed25519" in result.err  # how to give the right one
    assert not any((tmp_path / "www").iterdir())


def test_known_hosts_comes_from_the_environment_when_not_configured(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITEGEN_KNOWN_HOSTS", str(server.known_hosts))
    config = target_config(ssh_url(server, tmp_path / "www"), identity_file=server.client_key)
    site = write_site(tmp_path / "site", articles(2), config)
    result = deploy(site)
    assert result.code == 0, result.err


# --- SFTP when rsync is missing ---

def _path_without_rsync(tmp_path: Path) -> Path:
    folder = tmp_path / "no-rsync-bin"
    folder.mkdir(exist_ok=True)
    for program in ("ssh", "ssh-keygen", "ssh-keyscan"):
        link = folder / program
        if not link.exists():
            link.symlink_to(f"/usr/bin/{program}")
    return folder


def _fingerprint(server: Server) -> str:
    scan = subprocess.run(["ssh-keygen", "-lf", "-"], input=server.host_public, capture_output=True, text=True,
                          check=True)
    return scan.stdout.split()[1]


def test_sftp_deploys_links_unchanged_files_and_rolls_back(
        ssh_site: Callable[..., tuple[Path, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    site, remote = ssh_site()
    first = deploy(site)
    assert first.code == 0, first.err
    assert tree(remote / "current") == tree(site / "public")
    old_release, before = remote / live(remote), tree(site / "public")
    edit(site, 1, "Lewat SFTP.")
    redeploy_sends_only_what_changed(site, remote, old_release, before)
    assert deploy(site, "--rollback").code == 0
    assert tree(remote / "current") == before


def test_sftp_sends_again_a_file_deleted_from_the_live_release(
        ssh_site: Callable[..., tuple[Path, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As over rsync: the unchanged file that is no longer in the live release cannot be linked
    from it, so it is uploaded; the deploy does not fail on it (and every later one with it)."""
    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    site, remote = ssh_site()
    assert deploy(site).code == 0
    first, before = remote / live(remote), tree(site / "public")
    (first / "berita/2024/rilis-0/index.html").unlink()  # deleted on the server
    edit(site, 2, "Isi yang diperbaiki.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert tree(remote / live(remote)) == tree(site / "public")
    differ = travelling(before, tree(site / "public"))
    assert sent_count(result.out) == len(differ) + 1
    edit(site, 3, "Isi yang diperbaiki lagi.")
    third = deploy(site)
    assert third.code == 0, third.err
    assert int(re.search(r"(\d+) unchanged", third.out).group(1)) > 10  # still linked, not all uploaded


def test_ctrl_c_during_an_sftp_upload_stops_the_deploy_at_once(
        ssh_site: Callable[..., tuple[Path, Path]], tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) in the middle of a file's
    writes: the connection may be halfway through an answer, so nothing more is read from it
    (closing the group's files waited for answers that never came); "stopped", status 130."""
    site, remote = ssh_site()
    # faulthandler: should it hang, SIGABRT makes it print where each of its threads is waiting
    env = {**os.environ, "PATH": str(_path_without_rsync(tmp_path)), "PYTHONFAULTHANDLER": "1"}
    assert deploy(site).code == 0
    before = live(remote)
    (site / "static").mkdir(exist_ok=True)
    for number in range(4):
        (site / "static" / f"arsip-{number}.zip").write_bytes(os.urandom(25_000_000))
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "deploy", "--site", str(site)], env=env,
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name != before.rpartition("/")[2] and (p / "arsip-0.zip").exists()
               for p in (remote / "releases").iterdir() if p.is_dir()):
            break
        time.sleep(0.01)
    assert proc.poll() is None, proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGABRT)
        try:
            out, err = proc.communicate(timeout=10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"the deploy did not stop after Ctrl-C; where it waited:\n{err}")
    assert proc.returncode == 130, out + err
    assert err.strip().endswith("stopped") and "Traceback" not in err, err
    assert live(remote) == before
    assert deploy(site).code == 0 and tree(remote / "current") == tree(site / "public")


def test_sftp_without_the_hardlink_extension_uploads_the_unchanged_files(
        ssh_site: Callable[..., tuple[Path, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.deploy import sftp

    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    monkeypatch.setattr(sftp, "HARDLINK", "no-such-extension@example.com")  # what the server answers then
    site, remote = ssh_site()
    assert deploy(site).code == 0
    edit(site, 1, "Lewat SFTP.")
    second = deploy(site)
    assert second.code == 0, second.err
    assert sent_count(second.out) == len(tree(site / "public"))
    assert tree(remote / "current") == tree(site / "public")




def test_sftp_removes_a_release_of_many_page_folders_in_a_few_round_trips(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site's pages are a folder each. Their files were removed folder by folder, a round
    trip each: a 35,000-page release took minutes to remove from a distant server, which a
    deploy now waits for before it sends (what a full disk left). Now a level's files go at once."""
    from sitegen.deploy import sftpbatch
    from sitegen.deploy.endpoint import parse_url
    from sitegen.deploy.sftp import SftpTransport

    remote = tmp_path / "www" / "humas"
    aside = remote / "releases" / ".pruned-20200101T000000Z"
    for number in range(300):
        (aside / "berita" / f"rilis-{number}").mkdir(parents=True)
        (aside / "berita" / f"rilis-{number}" / "index.html").write_text("<p>Isi.</p>")
    waits = 0
    gather = sftpbatch.Batch.gather

    def counted(self: sftpbatch.Batch) -> Any:
        nonlocal waits
        waits += 1
        return gather(self)

    monkeypatch.setattr(sftpbatch.Batch, "gather", counted)
    transport = SftpTransport("production", parse_url(server.url(remote)), server.known_hosts, server.client_key,
                              False)
    try:
        transport.discard([])
    finally:
        transport.close()
    assert not aside.exists() and (remote / "releases").is_dir()
    assert waits < 50, waits  # a few a level of folders, not one a folder


def test_closing_an_sftp_connection_the_server_dropped_raises_nothing(tmp_path: Path, server: Server) -> None:
    """A deploy closes its connection in a ``finally``, also after the connection dropped
    mid-upload: paramiko's close then wrote to the dead socket before its reader thread had
    noticed, and its EOFError came out as a traceback after the deploy's own message (about
    one time in two, found from outside). Closed at once after the drop, where that happens."""
    from sitegen.deploy.endpoint import parse_url
    from sitegen.deploy.sftp import SftpTransport

    remote = tmp_path / "www" / "humas"
    remote.mkdir(parents=True)
    for _ in range(8):
        transport = SftpTransport("production", parse_url(server.url(remote)), server.known_hosts,
                                  server.client_key, False)
        transport.releases()
        assert server.drop_sessions() > 0
        transport.close()


def test_an_sftp_connection_the_server_dropped_is_reported_in_plain_words(tmp_path: Path, server: Server) -> None:
    """paramiko says "Server connection dropped: " with nothing after the colon; the message
    named an empty reason, "(Server connection dropped: )". A step after the drop fails
    naming the target and the host, and no bare colon."""
    from sitegen.deploy.endpoint import parse_url
    from sitegen.deploy.problems import DeployFailed
    from sitegen.deploy.sftp import SftpTransport

    remote = tmp_path / "www" / "humas"
    remote.mkdir(parents=True)
    transport = SftpTransport("production", parse_url(server.url(remote)), server.known_hosts, server.client_key,
                              False)
    try:
        transport.releases()
        assert server.drop_sessions() > 0
        with pytest.raises(DeployFailed) as failure:
            for _ in range(50):  # until paramiko's reader has seen the end of the connection
                transport.releases()
                time.sleep(0.05)
    finally:
        transport.close()
    said = str(failure.value)
    assert "dropped while" in said and "127.0.0.1" in said, said
    assert ": )" not in said and not said.rstrip().endswith(":"), said


def test_closing_an_sftp_connection_after_ctrl_c_in_paramiko_s_send_returns(tmp_path: Path, server: Server) -> None:
    """Ctrl-C can come while paramiko holds its lock on sending: it takes the lock, then calls
    ``clear_to_send.is_set()`` before the ``try`` that gives it back, and a signal is handled at
    that call. The deploy's ``finally`` then closed the SFTP session, whose goodbye waited for
    that lock for ever (CI hung so once, after the upload test's SIGINT). Made to happen here at
    that very place: the close returns, and says nothing more to the server."""
    from sitegen.deploy.endpoint import parse_url
    from sitegen.deploy.sftp import SftpTransport

    remote = tmp_path / "www" / "humas"
    remote.mkdir(parents=True)
    transport = SftpTransport("production", parse_url(server.url(remote)), server.known_hosts, server.client_key,
                              False)
    connection = transport.client.get_transport()
    assert connection is not None
    was_set = connection.clear_to_send.is_set

    def interrupted() -> bool:  # the signal's handler runs as is_set() begins, the lock taken
        connection.clear_to_send.is_set = was_set  # type: ignore[method-assign]
        raise KeyboardInterrupt

    connection.clear_to_send.is_set = interrupted  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        transport.releases()
    assert connection.clear_to_send_lock.locked()  # left taken, as the real Ctrl-C leaves it
    closing = threading.Thread(target=transport.close, daemon=True)
    closing.start()
    closing.join(20)
    assert not closing.is_alive(), "closing the connection after Ctrl-C hung"
    assert not connection.is_active()


@contextlib.contextmanager
def logged_sftp(folder: Path, *options: str) -> Iterator[tuple[Server, Path]]:
    """A server whose SFTP service writes down every request (tests/sftpproxy.py, in front of
    OpenSSH's sftp-server), and the log; ``options`` go to the relay."""
    from tests.sshd import SFTP_SERVER

    reason = missing()
    need(reason is None and SFTP_SERVER is not None, reason or "OpenSSH's sftp-server")
    log = folder / "sftp.log"
    relay = Path(__file__).with_name("sftpproxy.py")
    command = [sys.executable, str(relay), str(log), "--server", str(SFTP_SERVER), *options]
    with sshd(folder / "sshd", sftp_server=" ".join(shlex.quote(word) for word in command)) as running:
        yield running, log


def requests(log: Path) -> list[list[str]]:
    return [line.split(" ") for line in log.read_text("utf-8").splitlines()]


def most_open_at_once(log: Path) -> int:
    """How many files were open on the server at once, at the most."""
    open_now: set[str] = set()
    most = 0
    for words in requests(log):
        if words[0] == "open":
            open_now.add(words[1])
            most = max(most, len(open_now))
        elif words[0] == "close":
            open_now.discard(words[1])
    return most


def test_sftp_sends_many_files_at_once_each_whole_and_counted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One file after another, each its open, writes and close, was three round trips a file:
    nearly all of a deploy's time on a distant server. Now a group of files is open at once,
    a bounded number; every file arrives whole and progress counts each one."""
    from sitegen.deploy import command
    from sitegen.deploy.progress import Progress

    counted: list[tuple[int, int]] = []

    class Counting(Progress):
        def __call__(self, files: int, size: int) -> None:
            counted.append((files, size))
            super().__call__(files, size)

    monkeypatch.setattr(command, "Progress", Counting)
    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    with logged_sftp(tmp_path) as (server, log):
        remote = tmp_path / "www" / "humas"
        site = write_site(tmp_path / "site", articles(12), ssh_config(server, remote))
        result = deploy(site)
        assert result.code == 0, result.err
        built = tree(site / "public")
        assert tree(remote / "current") == built
        assert 1 < most_open_at_once(log) <= 64, most_open_at_once(log)
        release = remote / live(remote)
        uploaded = [words[1] for words in requests(log) if words[0] == "open" and words[1].startswith(f"{release}/")]
        assert all(words[2] == "w" for words in requests(log) if words[0] == "open" and words[1] in uploaded)
        assert sorted(uploaded) == sorted(f"{release}/{path}" for path in built)
        sizes = sorted(len(data) for data in built.values())
        assert [files for files, _ in counted] == list(range(1, len(built) + 1))
        assert counted[-1][1] == sum(sizes)


def test_sftp_forces_every_file_to_disk_before_the_completion_mark(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rsync's transport syncs the server's disk before the mark, file:// its own; SFTP wrote
    the mark with the files maybe still in memory: a power cut after the deploy could leave a
    complete release of empty files. Each file (the manifest and the mark too) is now synced
    (OpenSSH's fsync@openssh.com) before its close, with its writes: no round trip more."""
    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    with logged_sftp(tmp_path) as (server, log):
        remote = tmp_path / "www" / "humas"
        site = write_site(tmp_path / "site", articles(3), ssh_config(server, remote))
        assert deploy(site).code == 0
        edit(site, 1, "Isi baru.")
        log.write_text("")
        result = deploy(site)
        assert result.code == 0, result.err
        done = requests(log)
        mark = f"{remote}/.sitegen-deploy/{live(remote).rpartition('/')[2]}.sitegen-complete"
        renamed = done.index(["posix-rename@openssh.com", f"{mark}.tmp", mark])
        written = {words[1] for words in done if words[0] == "open" and words[2] == "w"}
        # the manifest, the mark, and the sending mark written before the release folder
        assert f"{mark}.tmp" in written and len(written) == sent_count(result.out) + 3
        # The sending mark is not forced: a server that crashes loses the deploy anyway, and a
        # release without its sending mark is a stopped deploy's, removed by the next.
        for path in (path for path in written if not path.endswith(".sitegen-sending")):
            synced = done.index(["fsync@openssh.com", path])
            assert max(at for at, words in enumerate(done) if words[:2] == ["write", path]) < synced, path
            assert synced < done.index(["close", path]) and synced < renamed, path


@pytest.mark.parametrize("server_lacks", ["unsupported", "forbidden"])
def test_sftp_to_a_server_without_fsync_goes_on_unforced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_lacks: str) -> None:
    """A server without the extension answers 'unsupported'; one whose administrator forbids it
    (sftp-server -P fsync) 'permission denied'. Either way the files are written as before,
    and the server is not asked again."""
    from sitegen.deploy import sftpupload

    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    if server_lacks == "unsupported":  # what OpenSSH answers to an extension it does not have
        monkeypatch.setattr(sftpupload, "FSYNC", "no-such-extension@example.com")
    with logged_sftp(tmp_path, *(["--deny", "fsync"] if server_lacks == "forbidden" else [])) as (server, log):
        remote = tmp_path / "www" / "humas"
        site = write_site(tmp_path / "site", articles(30), ssh_config(server, remote))
        result = deploy(site)
        assert result.code == 0, result.err
        assert tree(remote / "current") == tree(site / "public")
        asked = [words for words in requests(log) if words[0] == sftpupload.FSYNC]
        assert 0 < len(asked) <= 64 < len(tree(site / "public")), len(asked)  # the first files' only


@pytest.mark.parametrize("closing", ["the manifest", "the mark", "a page"])
def test_a_close_the_sftp_server_fails_stops_the_deploy_before_the_release_is_complete(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closing: str) -> None:
    """paramiko drops a failed close's answer (on NFS or under a quota, where a write's error
    may show only then): the manifest or mark could be cut short and the release went live
    all the same. The deploy now stops there, naming the file, before the release is marked."""
    pattern = {"the manifest": "*.sitegen-release.json.tmp", "the mark": "*.sitegen-complete.tmp",
               "a page": "*/releases/*/sitemap.xml"}[closing]
    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    with logged_sftp(tmp_path, "--fail-close", pattern) as (server, _log):
        remote = tmp_path / "www" / "humas"
        site = write_site(tmp_path / "site", articles(2), ssh_config(server, remote))
        result = deploy(site)
        assert result.code == 1, result.out + result.err
        release = next(path.name for path in (remote / "releases").iterdir() if path.is_dir())
        named = {"the manifest": f"{remote}/.sitegen-deploy/{release}.sitegen-release.json.tmp",
                 "the mark": f"{remote}/.sitegen-deploy/{release}.sitegen-complete.tmp",
                 "a page": f"{remote}/releases/{release}/sitemap.xml"}[closing]
        assert re.match(r"production: error: (finishing the release|uploading) failed: the server said only "
                        rf"'Failure' \({re.escape(named)}\)", result.err), result.err
        assert not (remote / "current").exists()
        assert not (remote / ".sitegen-deploy" / f"{release}.sitegen-complete").exists()


# --- file:// ---

def test_a_file_target_gets_releases_switches_and_rollback(tmp_path: Path) -> None:
    share = tmp_path / "mnt" / "web"
    site = write_site(tmp_path / "site", articles(4), target_config(file_url(share), keep=3))
    assert deploy(site).code == 0
    first, first_tree = live(share), tree(site / "public")
    assert tree(share / "current") == first_tree
    edit(site, 0, "Isi baru.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert live(share) != first and tree(share / "current") == tree(site / "public")
    assert deploy(site, "--rollback").code == 0
    assert live(share) == first and tree(share / "current") == first_tree


def test_the_deploy_benchmark_counts_every_file_a_release_holds(tmp_path: Path) -> None:
    """benchmarks/deploy.py checks "sending only the changed files" (issue 19) by comparing the
    files sent with the files whose bytes changed: it must count what a release holds, the
    output's public marker too, which changes with any page and is sent like one."""
    from benchmarks.deploy import digests

    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(3), target_config(file_url(share)))
    assert deploy(site).code == 0
    before = digests(site / "public")
    assert set(before) == set(tree(share / "current"))
    edit(site, 1, "Isi baru.")
    result = deploy(site)
    assert result.code == 0, result.err
    after = digests(site / "public")
    held = set(before.values())
    changed = sum(1 for digest in after.values() if digest not in held)
    assert sent_count(result.out) == changed


def test_status_and_rollback_say_their_times_on_the_sites_clock(tmp_path: Path) -> None:
    """Newsroom staff read WIB: --status said "since 2026-12-06 05:18:31 UTC", and --rollback
    named releases only by their ids (UTC times, like 20261206T051831Z). Both now say when, in
    the site's timezone; the ids (the folders on the server) stay UTC."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    share = tmp_path / "share"
    config = target_config(file_url(share)).replace("timezone: Asia/Jakarta", "timezone: Asia/Jayapura")
    site = write_site(tmp_path / "site", articles(2), config)
    assert deploy(site).code == 0
    first = live(share).rpartition("/")[2]
    edit(site, 0, "Isi baru.")
    assert deploy(site).code == 0
    second = live(share).rpartition("/")[2]
    wit = ZoneInfo("Asia/Jayapura")

    def on_the_clock(release: str) -> str:
        made = datetime.strptime(release, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC).astimezone(wit)
        assert made.utcoffset() == timedelta(hours=9)
        return f"{made:%Y-%m-%d %H:%M:%S} WIT"

    os.utime(share / "current", (1_700_000_000, 1_700_000_000), follow_symlinks=False)
    status = deploy(site, "--status")
    assert f"live: release {second}, since 2023-11-15 07:13:20 WIT (" in status.out, status.out
    dry = deploy(site, "--rollback", "--dry-run")
    assert dry.code == 0, dry.err
    assert dry.out.strip() == (f"production: dry run: would switch current from {second} (deployed "
                               f"{on_the_clock(second)}) to {first} (deployed {on_the_clock(first)})")
    back = deploy(site, "--rollback")
    assert back.code == 0, back.err
    assert back.out.strip() == (f"production: rolled back: {first}, deployed {on_the_clock(first)}, is live "
                                f"again (was {second}, deployed {on_the_clock(second)})")
    assert "UTC" not in status.out + dry.out + back.out


@pytest.mark.parametrize("kind", ["openssh", "sftp", "file"])
def test_a_first_deploy_makes_the_missing_target_folder_and_warns_once(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if kind == "sftp":
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    server = None if kind == "file" else request.getfixturevalue("server")
    makes_a_missing_folder(tmp_path, server)


def makes_a_missing_folder(tmp_path: Path, server: Server | None) -> None:
    """A first deploy to a folder that is not there yet, nor its parents: deploy makes them (as
    mkdir -p), and warns once, naming the folder and where it is: a disk or share that should
    have been mounted there would leave the release on the wrong disk. --dry-run, --status and
    --rollback make nothing: a dry run lists every file as added and says the folder would be
    made, the status is that of an empty target, and there is nothing to roll back to."""
    outer = tmp_path / "srv"
    remote = outer / "web" / "humas"
    if server is None:
        config, where = target_config(f"file://{remote}"), "on this computer"
    else:
        config = target_config(server.url(remote), identity_file=server.client_key, known_hosts=server.known_hosts)
        where = "on 127.0.0.1"
    site = write_site(tmp_path / "site", articles(3), config)
    dry = deploy(site, "--dry-run")
    assert dry.code == 0, dry.err
    added = sorted(line.removeprefix("add ") for line in dry.out.splitlines() if line.startswith("add "))
    assert added == sorted(tree(site / "public")), dry.out
    assert not re.search(r"^(change|remove) ", dry.out, re.MULTILINE), dry.out
    assert (f"production: the target folder {remote} does not exist {where}: a deploy would make it"
            in dry.out), dry.out
    status = deploy(site, "--status")
    assert status.code == 0, status.err
    assert "live: nothing deployed yet" in status.out and "releases: -" in status.out, status.out
    back = deploy(site, "--rollback")
    assert back.code == 1, back
    assert back.err.startswith("production: error: there is no earlier complete release to roll back to"), back.err
    for result in (dry, status, back):
        assert "Traceback" not in result.err and "warning" not in result.err, result.err
    assert not outer.exists()
    first = deploy(site)
    assert first.code == 0, first.err
    assert tree(remote / "current") == tree(site / "public")
    warning = (f"production: warning: the target folder {remote} did not exist {where}: deploy made it "
               "(if a disk or share should be mounted there, check that it is: the web server would not see "
               "this release otherwise)")
    assert first.err.count("did not exist") == 1 and warning in first.err.splitlines(), first.err
    assert "is live" in first.out
    edit(site, 0, "Isi kedua.")
    second = deploy(site)
    assert second.code == 0, second.err
    assert "did not exist" not in second.err and tree(remote / "current") == tree(site / "public")


def test_nothing_is_made_for_a_missing_folder_when_the_build_has_errors(tmp_path: Path) -> None:
    share = tmp_path / "mnt" / "share"
    site = write_site(tmp_path / "site", {**articles(2), "content/berita/rusak.id.md": "---\ndate: 2024-01-01\n---\n"},
                      target_config(f"file://{share}"))
    result = deploy(site)
    assert result.code == 1
    assert "production: error: nothing was deployed: the build has errors" in result.err
    assert "did not exist" not in result.err and not (tmp_path / "mnt").exists()


def test_a_rollback_after_a_rollback_and_a_deploy_goes_back_to_what_was_live_before(tmp_path: Path) -> None:
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(3), target_config(file_url(share), keep=2))
    trees = {}
    for name in ("A", "B"):
        edit(site, 0, f"Versi {name}.")
        assert deploy(site).code == 0
        trees[name] = live(share), tree(share / "current")
    assert deploy(site, "--rollback").code == 0
    assert live(share) == trees["A"][0]
    edit(site, 0, "Versi C.")
    assert deploy(site).code == 0  # keep 2: B is the older of the newest two, A the rollback target
    assert trees["A"][0].rpartition("/")[2] in releases(share)
    result = deploy(site, "--rollback")
    assert result.code == 0, result.err
    assert live(share) == trees["A"][0] and tree(share / "current") == trees["A"][1]
    assert "Versi A." in (share / "current/berita/2024/rilis-0/index.html").read_text("utf-8")


def test_the_snapshot_trusts_the_build_record_only_for_files_as_the_build_left_them(tmp_path: Path) -> None:
    from sitegen.deploy.snapshot import digest_file, take

    site = write_site(tmp_path / "site", articles(3), target_config(f"file://{tmp_path}/share"))
    assert run("build", "--site", site).code == 0
    out = site / "public"
    walked = take(out)  # without the site folder: no record, every file walked
    assert take(out, site).files == walked.files and len(walked.files) > 10
    page = "berita/2024/rilis-1/index.html"
    (out / page).write_text((out / page).read_text("utf-8").replace("Isi rilis 1.", "Isi rilis 9."), "utf-8")
    (out / "berita/2024/rilis-2/index.html").unlink()
    (out / "google1234.html").write_text("google-site-verification: google1234.html")  # added by hand
    files = take(out, site).files
    assert files[page].digest == digest_file(out / page) != walked.files[page].digest
    assert "berita/2024/rilis-2/index.html" not in files
    assert files["google1234.html"].digest == digest_file(out / "google1234.html")
    assert set(files) == set(take(out).files)  # the walk, which trusts the marker, keeps the old digest


def test_files_added_by_hand_to_the_output_are_deployed_too(tmp_path: Path) -> None:
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(3), target_config(file_url(share)))
    assert run("build", "--site", site).code == 0
    (site / "public/berita/2024/rilis-1/catatan.txt").write_text("catatan redaksi", "utf-8")
    (site / "public/google1234.html").write_text("google-site-verification: google1234.html", "utf-8")
    edit(site, 2, "Isi baru.")
    assert deploy(site).code == 0
    assert tree(share / "current") == tree(site / "public")
    assert (share / "current/berita/2024/rilis-1/catatan.txt").read_text("utf-8") == "catatan redaksi"


def test_the_summary_counts_one_file_sent_in_the_singular(tmp_path: Path) -> None:
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(2), target_config(file_url(share)))
    first = deploy(site)
    assert first.code == 0 and re.search(r"; sent \d+ files \(", first.out), first.out
    robots = site / "public" / "robots.txt"  # changed by hand: the one file that differs
    robots.write_text(robots.read_text("utf-8") + "# catatan redaksi\n", "utf-8")
    result = deploy(site, "--no-build")
    assert result.code == 0, result.err
    assert ": 0 added, 1 changed, 0 removed, " in result.out and "; sent 1 file (" in result.out, result.out
    assert (share / "current" / "robots.txt").read_text("utf-8").endswith("# catatan redaksi\n")


def test_nothing_changed_makes_no_new_release(tmp_path: Path) -> None:
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(2), target_config(file_url(share)))
    assert deploy(site).code == 0
    result = deploy(site)
    assert result.code == 0 and "nothing to send" in result.out
    assert len(releases(share)) == 1


def test_nothing_to_send_still_says_it_removed_a_half_sent_release(tmp_path: Path) -> None:
    """A retry after a failed deploy whose build the live release already holds removes the
    failed deploy's half-sent release, and says so as a deploy that sends does."""
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(2), target_config(file_url(share)))
    assert deploy(site).code == 0
    (share / "releases" / "20200101T000000Z" / "berita").mkdir(parents=True)  # no marks: half sent, long ago
    result = deploy(site)
    assert result.code == 0, result.err
    assert result.out.rstrip().endswith("already holds this build; removed 1 half-sent release"), result.out
    assert len(releases(share)) == 1 and not (share / "releases" / "20200101T000000Z").exists()


# --- the command ---

def test_a_build_with_errors_is_never_published(tmp_path: Path) -> None:
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", {**articles(2), "content/berita/rusak.id.md": "---\ndate: 2024-01-01\n---\n"},
                      target_config(file_url(share)))
    result = deploy(site)
    assert result.code == 1
    assert "production: error: nothing was deployed: the build has errors" in result.err
    assert list(share.iterdir()) == []


def test_no_build_deploys_the_existing_output(tmp_path: Path) -> None:
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(2), target_config(file_url(share)))
    missing_build = deploy(site, "--no-build")
    assert missing_build.code == 1 and "run sitegen build first" in missing_build.err
    assert run("build", "--site", site).code == 0
    edit(site, 0, "Belum dibangun.")
    assert deploy(site, "--no-build").code == 0
    assert b"Belum dibangun" not in b"".join(tree(share / "current").values())


_READING_SLOWLY = """
import sys, time
from pathlib import Path
import sitegen.deploy.command as command

def slow(out, site_dir):  # a snapshot that takes minutes to read (a large site, a slow disk)
    Path(sys.argv[2]).write_text("reading", "utf-8")
    time.sleep(90)

command.take = slow
from sitegen.cli import main
sys.exit(main(["deploy", "--no-build", "--site", sys.argv[1]]))
"""


@pytest.mark.parametrize("to", ["main thread", "reading thread"])
def test_ctrl_c_while_the_snapshot_is_read_stops_the_deploy_at_once(tmp_path: Path, to: str) -> None:
    """The snapshot is read beside the connection; Ctrl-C (whichever thread the kernel hands
    it to) ends the deploy then and there, without waiting for the read, and sends nothing."""
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(2), target_config(file_url(share)))
    assert run("build", "--site", site).code == 0
    started = tmp_path / "reading"
    deploying = subprocess.Popen([sys.executable, "-c", _READING_SLOWLY, str(site), str(started)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists(), deploying.stderr.read() if deploying.poll() is not None else "no read began"
        time.sleep(0.3)  # the main thread waits for the snapshot by now (a file target connects at once)
        if to == "main thread":
            deploying.send_signal(signal.SIGINT)
        else:
            interrupt_another_thread(deploying.pid)
        began = time.monotonic()
        assert deploying.wait(timeout=30) == 130
        assert time.monotonic() - began < 10  # not the 90 s of the read
        assert "stopped" in deploying.stderr.read()
        assert not (share / "current").exists()  # nothing was published
    finally:
        deploying.kill()
        deploying.wait()


def test_the_target_must_be_named_when_there_are_several(tmp_path: Path) -> None:
    config = SMALL_CONFIG + f"deploy:\n  a: {{url: 'file://{tmp_path}/a'}}\n  b: {{url: 'file://{tmp_path}/b'}}\n"
    site = write_site(tmp_path / "site", articles(1), config)
    (tmp_path / "b").mkdir()
    unnamed = deploy(site)
    assert unnamed.code == 2 and "name the target: a, b" in unnamed.err
    unknown = deploy(site, "c")
    assert unknown.code == 2 and "no deploy target named 'c'" in unknown.err
    assert deploy(site, "b").code == 0 and (tmp_path / "b" / "current").is_symlink()
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize(("url", "message"), [
    ("http://web.example.go.id/var/www", "must start with ssh:// or file://"),
    ("ssh://humas:rahasia@web.example.go.id/var/www", "contains a password"),
    ("ssh://web.example.go.id", "absolute folder path"),
    ("ssh://web.example.go.id:99999/var/www", "port"),
    ("ssh://web.example.go.id:0/var/www", "port"),
])
def test_bad_deploy_urls_are_config_errors_at_their_line(tmp_path: Path, url: str, message: str) -> None:
    config = SMALL_CONFIG + f"deploy:\n  production:\n    keep: 3\n    url: {url}\n"
    site = write_site(tmp_path / "site", articles(1), config)
    line = config.splitlines().index(f"    url: {url}") + 1
    result = deploy(site)
    assert result.code == 2
    assert result.err.startswith(f"config.yaml:{line}: error: ") and message in result.err
    assert "rahasia" not in result.err


def test_a_password_under_a_target_is_answered_with_how_deploy_signs_in(tmp_path: Path) -> None:
    config = SMALL_CONFIG + "deploy:\n  production:\n    url: ssh://web.example.go.id/var/www\n    password: rahasia\n"
    site = write_site(tmp_path / "site", articles(1), config)
    result = run("check", "--site", site)
    assert result.code == 2 and "unknown key 'deploy.production.password'" in result.err
    assert "never a password" in result.err and "identity_file" in result.err and "rahasia" not in result.err


def test_a_missing_url_and_unknown_keys_are_reported(tmp_path: Path) -> None:
    config = SMALL_CONFIG + "deploy:\n  production:\n    kep: 3\n"
    site = write_site(tmp_path / "site", articles(1), config)
    result = run("check", "--site", site)
    assert result.code == 2
    assert "unknown key 'deploy.production.kep'" in result.err and "did you mean 'keep'?" in result.err
    assert "missing required setting 'deploy.production.url'" in result.err


class _Hub(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - the base's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.pings.append(urllib.parse.parse_qs(body.decode()))  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def test_the_websub_hub_is_pinged_for_each_changed_feed(tmp_path: Path) -> None:
    hub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Hub))
    hub.pings = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=hub.serve_forever, daemon=True)
    thread.start()
    try:
        share = tmp_path / "share"
        config = target_config(file_url(share)).replace(
            "deploy:", f"feeds:\n  hub: http://127.0.0.1:{hub.server_port}/\ndeploy:")
        site = write_site(tmp_path / "site", articles(3), config)
        assert deploy(site).code == 0
        hub.pings.clear()  # type: ignore[attr-defined]
        before = tree(site / "public")
        edit(site, 1, "Isi yang mengubah umpan.")
        result = deploy(site)
        assert result.code == 0, result.err
        after = tree(site / "public")
        feeds = {path for path in after if path.rpartition("/")[2] in ("feed.xml", "atom.xml", "feed.json")
                 and before.get(path) != after[path]}
        assert "feed.xml" in feeds
        pings = hub.pings  # type: ignore[attr-defined]
        assert all(ping["hub.mode"] == ["publish"] for ping in pings)
        assert sorted(ping["hub.url"][0] for ping in pings) == sorted(
            f"https://humas.example.go.id/{path}" for path in feeds)
        pings.clear()
        result = deploy(site, "--rollback")  # the same feeds change back
        assert result.code == 0, result.err
        assert sorted(ping["hub.url"][0] for ping in pings) == sorted(
            f"https://humas.example.go.id/{path}" for path in feeds)
    finally:
        hub.shutdown()
        hub.server_close()


def test_a_hub_that_never_answers_is_asked_once_and_the_deploy_ends(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A hub that accepts the connection and says nothing held a live deploy for the timeout
    once per changed feed (minutes); now it is asked once, and every feed is reported."""
    from sitegen.deploy import websub

    monkeypatch.setattr(websub, "TIMEOUT", 1)
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                accepted.append(listener.accept()[0])  # and never answer

    threading.Thread(target=accept, daemon=True).start()
    try:
        share = tmp_path / "share"
        config = target_config(file_url(share)).replace(
            "deploy:", f"feeds:\n  hub: http://127.0.0.1:{listener.getsockname()[1]}/\ndeploy:")
        site = write_site(tmp_path / "site", articles(3), config)
        result = deploy(site)
        assert result.code == 0, result.err
        assert len(accepted) == 1  # one try, not one per feed
        warnings = [line for line in result.err.splitlines() if ": warning: the WebSub hub" in line]
        assert len(warnings) == 1 and "more feeds" in warnings[0], result.err
        assert "is live" in result.out
    finally:
        listener.close()
        for one in accepted:
            one.close()


def test_a_hub_that_refuses_the_connection_is_said_in_the_ui_language(tmp_path: Path) -> None:
    """The system's words for the refusal, not Python's "[Errno 111] Connection refused"."""
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens there once it is closed
    for language, words in (("en", "connection refused"), ("id", "koneksi ditolak")):
        share = tmp_path / f"share-{language}"  # each its own target: a second would have nothing to send
        config = target_config(file_url(share)).replace(
            "deploy:", f"ui_language: {language}\nfeeds:\n  hub: http://127.0.0.1:{port}/\ndeploy:")
        site = write_site(tmp_path / f"site-{language}", articles(3), config)
        result = deploy(site)
        assert result.code == 0, result.err
        (warning,) = [line for line in result.err.splitlines() if "WebSub" in line]
        assert words in warning and "Errno" not in warning, warning


#: Looked up once, before any test narrows PATH (as the tests without rsync do).
CHATTR = shutil.which("chattr")


@contextlib.contextmanager
def _immutable(path: Path) -> Iterator[None]:
    """``path`` immutable (``chattr +i``) for the block: not even root may rename or delete it."""
    chattr = CHATTR
    need(chattr, "chattr (apt-get install e2fsprogs)")
    assert chattr
    if subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable attribute (chattr +i)")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=False)


def test_a_failure_after_the_switch_says_the_release_is_live(tmp_path: Path) -> None:
    """Removing an old release fails (it cannot be renamed): the new release is live all the same,
    so the deploy says so, pings the hub, and leaves the tidying to the next deploy."""
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(3), target_config(file_url(share), keep=1))
    assert deploy(site).code == 0
    first = live(share).rpartition("/")[2]
    edit(site, 0, "Isi kedua.")
    assert deploy(site).code == 0
    stuck = share / "releases" / first
    with _immutable(stuck):
        edit(site, 1, "Isi ketiga.")
        result = deploy(site)
        assert result.code == 0, result.err
        assert tree(share / "current") == tree(site / "public")
        assert f"release {live(share).rpartition('/')[2]} is live" in result.out
        assert "warning: release" in result.err and "but removing old releases failed" in result.err
        assert "the live site is unchanged" not in result.err
    assert deploy(site).code == 0  # nothing to send; and the old release can go now
    edit(site, 2, "Isi keempat.")
    assert deploy(site).code == 0 and not stuck.exists()


def test_a_file_target_is_readable_by_the_web_server_whatever_the_umask(tmp_path: Path) -> None:
    share = tmp_path / "share"
    site = write_site(tmp_path / "site", articles(2), target_config(file_url(share)))
    old = os.umask(0o077)
    try:
        assert deploy(site).code == 0
    finally:
        os.umask(old)
    release = share / "releases" / live(share).rpartition("/")[2]
    modes = {p.relative_to(release).as_posix(): p.stat().st_mode & 0o777 for p in release.rglob("*")}
    assert modes and all(mode == (0o755 if (release / path).is_dir() else 0o644) for path, mode in modes.items()), \
        {path: oct(mode) for path, mode in modes.items() if mode not in (0o644, 0o755)}


# --- failures on the way: a dropped connection, a full disk, a read-only target ---

def _slow_rsync(tmp_path: Path) -> Path:
    """rsync limited to 200 kB/s, so a test can act while files are on their way."""
    folder = tmp_path / "slow-rsync-bin"
    folder.mkdir()
    (folder / "rsync").write_text("#!/bin/sh\nexec /usr/bin/rsync --bwlimit=200 \"$@\"\n")
    (folder / "rsync").chmod(0o755)
    return folder


def _sending_a_large_file(site: Path, remote: Path, tmp_path: Path) -> tuple[str, dict[str, bytes], Any]:
    """After a first deploy, a 2 MB document added and a deploy started that sends it at
    200 kB/s: the live release, its files, and the deploy's process."""
    assert deploy(site).code == 0
    before, live_tree = live(remote), tree(remote / "current")
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "laporan.pdf").write_bytes(os.urandom(2_000_000))
    env = {**os.environ, "PATH": f"{_slow_rsync(tmp_path)}:{os.environ['PATH']}"}
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "deploy", "--site", str(site)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return before, live_tree, proc


def test_a_dropped_connection_is_reported_and_changes_nothing(
        ssh_site: Callable[..., tuple[Path, Path]], server: Server, tmp_path: Path) -> None:
    site, remote = ssh_site()
    before, live_tree, proc = _sending_a_large_file(site, remote, tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        # rsync's own temporary file of the new document in the new release: the transfer is
        # under way (a drop before it, on a loaded machine, met an idle connection, which the
        # deploy makes again and goes on over)
        if any(p.name != before.rpartition("/")[2] and any("laporan.pdf" in f.name for f in p.iterdir())
               for p in (remote / "releases").iterdir() if p.is_dir()):
            break
        time.sleep(0.02)
    time.sleep(0.3)
    assert proc.poll() is None, proc.communicate()
    assert server.drop_sessions() > 0
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, out + err
    assert err.startswith("production: error: the connection to 127.0.0.1 dropped while"), err
    assert "Traceback" not in err
    assert live(remote) == before and tree(remote / "current") == live_tree
    assert deploy(site).code == 0 and tree(remote / "current") == tree(site / "public")


def _running(fragment: str) -> list[str]:
    """The command lines of this machine's processes that hold ``fragment``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:  # not a process, or one that just ended
            continue
        if fragment in line:
            found.append(line)
    return found


def test_a_deploy_ended_by_sigterm_stops_rsync_too(
        ssh_site: Callable[..., tuple[Path, Path]], tmp_path: Path) -> None:
    """SIGTERM (a service manager, `timeout`) ended sitegen at once and left its rsync sending
    on alone into a release the next deploy removes; now it stops as Ctrl-C stops it."""
    site, remote = ssh_site()
    before, live_tree, proc = _sending_a_large_file(site, remote, tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and not _running(f"{site / 'public'}/"):
        time.sleep(0.02)
    time.sleep(0.3)
    assert proc.poll() is None, proc.communicate()
    proc.terminate()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err and "stopped" in err, err
    assert _running(f"{site / 'public'}/") == []
    assert live(remote) == before and tree(remote / "current") == live_tree
    assert deploy(site).code == 0 and tree(remote / "current") == tree(site / "public")


@contextlib.contextmanager
def tmpfs(folder: Path, size: str, read_only: bool = False, inodes: int | None = None) -> Iterator[Path]:
    """A small disk at ``folder``; ``inodes``: how many file entries it holds (each hard link takes
    one on a tmpfs)."""
    mount, umount = shutil.which("mount"), shutil.which("umount")  # by path: a test may change PATH inside
    need(os.geteuid() == 0 and bool(mount and umount), "a full or read-only disk is a small tmpfs, which needs root")
    assert mount and umount
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (f",nr_inodes={inodes}" if inodes else "")
    mounted = subprocess.run([mount, "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                             capture_output=True, text=True)
    need(mounted.returncode == 0, f"mounting a tmpfs failed: {mounted.stderr.strip()}")
    try:
        if read_only:
            subprocess.run([mount, "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run([umount, "-l", str(folder)], check=False)


@pytest.mark.parametrize("folder", ["there", "missing"])
@pytest.mark.parametrize("kind", ["ssh", "sftp", "file"])
def test_a_full_disk_is_reported_naming_the_target(kind: str, folder: str, tmp_path: Path,
                                                   request: pytest.FixtureRequest,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The error comes first; a target folder the deploy made before the disk filled up is said
    after it, once (it stays made: the next deploy would not say so)."""
    with tmpfs(tmp_path / "disk", "96k") as disk:
        remote = disk / "humas"
        if kind in ("ssh", "sftp"):
            server = request.getfixturevalue("server")
            config = ssh_config(server, remote) if folder == "there" else target_config(
                server.url(remote), identity_file=server.client_key, known_hosts=server.known_hosts)
            if kind == "sftp":
                monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
        else:
            config = target_config(file_url(remote) if folder == "there" else f"file://{remote}")
        site = write_site(tmp_path / "site", {**articles(4), "static/laporan.pdf": os.urandom(300_000)}, config)
        result = deploy(site)
        assert result.code == 1, result.out + result.err
        assert result.err.startswith("production: error: the ") and "disk is full" in result.err, result.err
        made = [line for line in result.err.splitlines() if "did not exist" in line]
        assert made == ([f"production: warning: the target folder {remote} did not exist "
                         f"{'on this computer' if kind == 'file' else 'on 127.0.0.1'}: deploy made it "
                         "(if a disk or share should be mounted there, check that it is: the web server would not "
                         "see this release otherwise)"] if folder == "missing" else []), result.err
        assert result.err.endswith("1 error, 1 warning\n" if folder == "missing" else "1 error\n"), result.err
        # over SFTP the server says only 'Failure': its free space (statvfs) tells a full disk
        assert "said only" not in result.err, result.err
        assert "Traceback" not in result.err and not (disk / "humas" / "current").exists()


@pytest.mark.parametrize("build", [True, False], ids=["checked-before-the-build", "no-build"])
@pytest.mark.parametrize("kind", ["ssh", "file"])
def test_a_read_only_target_is_reported_naming_the_target(
        kind: str, build: bool, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Before a build, the check finds it; with --no-build (no check), the upload."""
    with tmpfs(tmp_path / "disk", "1m", read_only=True) as disk:
        if kind == "ssh":
            config = ssh_config(request.getfixturevalue("server"), disk)
        else:
            config = target_config(file_url(disk))
        site = write_site(tmp_path / "site", articles(2), config)
        if not build:
            assert run("build", "--site", site).code == 0
        result = deploy(site) if build else deploy(site, "--no-build")
        assert result.code == 1
        assert result.err.startswith("production: error: permission denied "), result.err
        assert "Traceback" not in result.err


def test_a_failure_the_sftp_server_gives_no_reason_for_is_not_called_a_full_disk(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenSSH's sftp-server has SFTP codes only for a missing file and a refused permission:
    any other error (here a read-only disk, EROFS) is a bare 'Failure'. With room left on the
    target's disk, that is reported in the server's words with the step, not as a full disk.
    The upload's step: with --no-build, the target is not checked first (test_deploy_early)."""
    with tmpfs(tmp_path / "disk", "4m", read_only=True) as disk:
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
        site = write_site(tmp_path / "site", articles(2), ssh_config(server, disk))
        assert run("build", "--site", site).code == 0
        result = deploy(site, "--no-build")
        assert result.code == 1, result.out + result.err
        assert result.err.startswith(f"production: error: uploading failed: the server said only 'Failure' "
                                     f"({disk}/.sitegen-deploy) (the server gave no reason:"), result.err
        assert "disk is full" not in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("kind", ["sftp", "ssh", "file"])
def test_a_file_that_fills_the_disk_stops_the_deploy_at_that_file_named(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """paramiko's pipelined writes drop the server's answers: a file that filled the disk was
    "sent" cut short, and the deploy failed only later, finishing the release, without a word
    of which file. Now it stops at that file, names it, and the live release is untouched.
    Over rsync the message named no file, though rsync says which ('write failed on "..."'); to
    a folder it named the local build's file the copy was reading. A name outside ASCII came
    from rsync in its escapes ('caf\\#303\\#251'): now as the newsroom wrote it. rsync writes a '"'
    in a name as it is, within the quotes around the name: such a name came out cut short (' –
    café's.pdf')."""
    report = "Laporan \"Kegiatan\" – café's.pdf"
    with tmpfs(tmp_path / "disk", "1m") as disk:
        remote = disk / "humas"
        site = site_for(kind, remote, tmp_path, request, monkeypatch, 2)
        assert deploy(site).code == 0
        before, live_tree = live(remote), tree(remote / "current")
        (site / "static").mkdir(exist_ok=True)
        (site / "static" / report).write_bytes(os.urandom(shutil.disk_usage(disk).free + 200_000))
        doing = "copying the release" if kind == "file" else "uploading"
        # rsync's receiver says which file it could not write, but on a busy machine its sender
        # may end first on the broken pipe, and the receiver's words are lost: sitegen can then
        # only say the disk is full (seen once in a CI rehearsal running tests on two cores). The
        # next deploy removes the half-sent release and fails at the same file: a few tries.
        for _attempt in range(3 if kind == "ssh" else 1):
            result = deploy(site)
            assert result.code == 1, result.out + result.err
            assert "Traceback" not in result.err
            assert live(remote) == before and tree(remote / "current") == live_tree
            if not result.err.startswith(f"production: error: the server's disk is full while {doing} (free"):
                break
        half_sent = next(name for name in releases(remote) if f"releases/{name}" != before)
        assert result.err.startswith(f"production: error: the target's disk is full while {doing} "
                                     f"({remote}/releases/{half_sent}/{report}) (free space there"), result.err



@pytest.mark.parametrize("first", [True, False], ids=["first deploy", "redeploy"])
@pytest.mark.parametrize("kind", ["ssh", "sftp", "file"])
def test_a_disk_with_no_room_at_all_names_the_first_file_it_could_not_write(
        kind: str, first: bool, tmp_path: Path, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With no byte free, the first file a deploy writes is the release's sending mark, before
    any of the site's: the message named no file at all."""
    with tmpfs(tmp_path / "disk", "1m") as disk:
        remote = disk / "humas"
        site = site_for(kind, remote, tmp_path, request, monkeypatch, 2)
        before = None
        if not first:
            assert deploy(site).code == 0
            before, live_tree = live(remote), tree(remote / "current")
            edit(site, 0, "Isi baru.")
        else:
            remote.mkdir(exist_ok=True)  # a target there, but nothing deployed
        with open(disk / "filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
            while True:  # every block, to the last one
                filler.write(b"\0" * 4096)
        assert shutil.disk_usage(disk).free == 0
        result = deploy(site)
        assert result.code == 1, result.out + result.err
        doing = {"ssh": "uploading" if first else "linking unchanged files", "sftp": "uploading",
                 "file": "copying the release"}[kind]
        named = re.match(rf"production: error: the (?:target|server)'s disk is full while {doing} "
                         rf"\({re.escape(str(remote))}/\.sitegen-deploy/(\w+)\.sitegen-sending\) \(free space there",
                         result.err)
        assert named, result.err
        assert "Traceback" not in result.err
        if before is not None:
            assert live(remote) == before and tree(remote / "current") == live_tree
        else:
            assert not (remote / "current").exists()


def test_a_link_the_server_refuses_is_named_from_the_target_folder(
        tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of the live release that cannot be linked (immutable): cp's words name it in the
    new release as releases/<id>/..., from the target's folder, as rsync's are shown."""
    remote = tmp_path / "www" / "humas"
    site = site_for("ssh", remote, tmp_path, request, monkeypatch, 2)
    assert deploy(site).code == 0
    before = live(remote)
    with _immutable(remote / before / "robots.txt"):
        edit(site, 0, "Isi baru.")
        result = deploy(site)
    assert result.code == 1, result.err
    new = next(name for name in releases(remote) if f"releases/{name}" != before)
    assert result.err.startswith(
        "production: error: permission denied on the server while linking unchanged files: "), result.err
    assert f"'releases/{new}/robots.txt'" in result.err and "../" not in result.err, result.err
    assert live(remote) == before


#: A server whose tools answer in Indonesian, as one does when the client's LANG (which Debian's
#: ssh client sends) names a locale it has; LANGUAGE does the same with the C.UTF-8 every
#: Debian has.
INDONESIAN = {"LANGUAGE": "id", "LC_ALL": "C.UTF-8"}


@pytest.fixture(scope="module")
def indonesian_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    reason = missing()
    need(reason is None, reason or "")
    said = subprocess.run(["env", "LANGUAGE=id", "LC_ALL=C.UTF-8", "mkdir", "/"], capture_output=True,
                          text=True, check=False).stderr
    if "File exists" in said:  # no translations installed: the server would speak English anyway
        pytest.skip("coreutils on this machine has no Indonesian messages (/usr/share/locale/id)")
    with sshd(tmp_path_factory.mktemp("sshd-id"), env=INDONESIAN) as running:
        said = running.shell("mkdir /")
        assert "File exists" not in said.stderr and said.returncode != 0, said  # its tools speak Indonesian
        yield running


@pytest.mark.parametrize("kind", ["ssh", "ssh, its tools in Indonesian", "sftp", "file"])
def test_a_disk_that_fills_while_the_live_release_is_linked_stops_at_that_file_named(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A redeploy starts the new release as hard links to the live one's files; each link takes a
    file entry of the disk (on a tmpfs; on other disks a folder's new block), and the disk has
    too few. Over OpenSSH that copy is one cp -al on the server, and its failure named no file
    ('the server's disk is full while linking unchanged files'); now it names the one cp could
    not make, as SFTP and file:// do. On a server whose tools answer in the client's language,
    cp's words were not read at all: every command there now runs in the C locale."""
    speaking = request.getfixturevalue("indonesian_server") if kind.startswith("ssh, ") else None
    kind = kind.partition(",")[0]
    with tmpfs(tmp_path / "disk", "8m", inodes=2000) as disk:
        remote = disk / "humas"
        site = site_for(kind, remote, tmp_path, request, monkeypatch, 4, server=speaking)
        assert deploy(site).code == 0
        before, live_tree = live(remote), tree(remote / "current")
        entries = sum(1 for _ in (remote / "current").resolve().rglob("*"))
        filler = disk / "filler"
        filler.mkdir()
        while os.statvfs(disk).f_favail > entries // 2:  # room for half the links
            (filler / str(os.statvfs(disk).f_favail)).touch()
        edit(site, 1, "Isi baru.")
        result = deploy(site)
        assert result.code == 1, result.out + result.err
        new = next(name for name in releases(remote) if f"releases/{name}" != before)
        doing = {"ssh": "linking unchanged files", "sftp": "uploading", "file": "copying the release"}[kind]
        start = f"production: error: the target's disk is full while {doing} ({remote}/releases/{new}/"
        assert result.err.startswith(start) and ") (free space there" in result.err, result.err
        named = result.err[len(start):].partition(") (free space there")[0]
        assert (remote / before / named).exists() and not (remote / "releases" / new / named).exists(), named
        assert "Traceback" not in result.err
        assert live(remote) == before and tree(remote / "current") == live_tree


#: Folders of static files as newsrooms name them: a letter outside ASCII, a dash, spaces, an
#: apostrophe (cp quotes a name with one differently).
NAMED_BY_PEOPLE = ["café", "Laporan Kegiatan – Dinas", "it's a name"]


@pytest.mark.parametrize("folder", NAMED_BY_PEOPLE)
@pytest.mark.parametrize("kind", ["ssh", "file"])
def test_a_file_named_outside_ascii_that_the_full_disk_stopped_is_named_as_written(
        kind: str, folder: str, tmp_path: Path, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """In the C locale cp writes such a name in a shell's escapes ('caf'$'\\303\\251'), or in
    double quotes for an apostrophe, and the full disk's message named 'caf', or another file
    than the first cp could not make. Now it names the file as the newsroom wrote it. Two
    folders of that name are the largest in the release, which the two cp on the server link
    first, and the disk has room for only some of their links: cp runs out of room in them. To a
    folder, the name is Python's own, as over SFTP (which names the first link it could not make
    in sorted order, here .sitegen-output.json)."""
    with tmpfs(tmp_path / "disk", "8m", inodes=2000) as disk:
        remote = disk / "humas"
        site = site_for(kind, remote, tmp_path, request, monkeypatch, 2)
        add_files(site, {f"static/{folder}{part}/{folder} {i}.jpg": b"x"
                         for part, count in (("", 300), (" 2", 200)) for i in range(count)})
        assert deploy(site).code == 0
        before, live_tree = live(remote), tree(remote / "current")
        filler = disk / "filler"
        filler.mkdir()
        while os.statvfs(disk).f_favail > 100:
            (filler / str(os.statvfs(disk).f_favail)).touch()
        edit(site, 1, "Isi baru.")
        result = deploy(site)
        assert result.code == 1, result.out + result.err
        new = next(name for name in releases(remote) if f"releases/{name}" != before)
        doing = {"ssh": "linking unchanged files", "file": "copying the release"}[kind]
        start = f"production: error: the target's disk is full while {doing} ({remote}/releases/{new}/"
        assert result.err.startswith(start) and ") (free space there" in result.err, result.err
        named = result.err[len(start):].partition(") (free space there")[0]
        assert named.partition("/")[0] in (folder, f"{folder} 2"), named
        assert (remote / before / named).exists() and not (remote / "releases" / new / named).exists(), named
        assert live(remote) == before and tree(remote / "current") == live_tree


def test_a_retry_after_a_full_disk_over_sftp_first_frees_what_the_failed_deploy_took(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The half-sent release of a deploy stopped by a full disk fills that disk. The next deploy
    only set it aside, and over SFTP removed it after the switch: the retry ran into the same
    full disk, and every one after it, until someone deleted it by hand. Now it is removed
    before anything is sent: a file that fits once its room is back goes live."""
    with tmpfs(tmp_path / "disk", "2m") as disk:
        monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
        remote = disk / "humas"
        site = write_site(tmp_path / "site", articles(2), ssh_config(server, remote))
        assert deploy(site).code == 0
        before = live(remote)
        room = shutil.disk_usage(disk).free
        (site / "static").mkdir(exist_ok=True)
        (site / "static" / "laporan.pdf").write_bytes(os.urandom(room + 200_000))
        failed = deploy(site)
        assert failed.code == 1 and "disk is full" in failed.err, failed.out + failed.err
        half_sent = next(name for name in releases(remote) if f"releases/{name}" != before)
        assert shutil.disk_usage(disk).free < room // 4  # the half-sent release holds the room
        (site / "static" / "laporan.pdf").write_bytes(os.urandom(room // 2))  # a smaller one: it fits, then
        retry = deploy(site)
        assert retry.code == 0, retry.out + retry.err
        assert summary(retry.out).endswith("; removed 1 half-sent release"), retry.out
        assert half_sent not in releases(remote) and not set_aside(remote)
        assert tree(remote / "current") == tree(site / "public") and live(remote) != before



@contextlib.contextmanager
def removal_under_way(releases_folder: Path) -> Iterator[None]:
    """The lock an earlier deploy's removal of a pruned release holds on ``releases/`` while it
    works in the background (a large release takes minutes)."""
    import fcntl

    held = os.open(releases_folder, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield
    finally:
        os.close(held)


@pytest.mark.parametrize("kind", ["ssh", "file"])
def test_a_retry_after_a_full_disk_over_rsync_or_to_a_folder_first_frees_what_the_failed_deploy_took(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The half-sent release of a deploy stopped by a full disk holds that disk's room. The next
    deploy set it aside and removed it for half a second, then in the background, beside its
    upload: behind an earlier removal still at work (it waits for that one's lock) or when it
    took longer, the retry ran into the same full disk. Now it is gone before anything is sent."""
    with tmpfs(tmp_path / "disk", "2m") as disk:
        remote = disk / "humas"
        if kind == "ssh":
            config = ssh_config(request.getfixturevalue("server"), remote)
        else:
            config = target_config(file_url(remote))
        site = write_site(tmp_path / "site", articles(2), config)
        assert deploy(site).code == 0
        before = live(remote)
        room = shutil.disk_usage(disk).free
        (site / "static").mkdir(exist_ok=True)
        # the first travels whole, then the second fills the disk (rsync deletes the part it wrote)
        (site / "static" / "laporan-1.pdf").write_bytes(os.urandom(room * 6 // 10))
        (site / "static" / "laporan-2.pdf").write_bytes(os.urandom(room * 6 // 10))
        failed = deploy(site)
        assert failed.code == 1 and "disk is full" in failed.err, failed.out + failed.err
        half_sent = next(name for name in releases(remote) if f"releases/{name}" != before)
        assert shutil.disk_usage(disk).free < room // 2, failed.err  # the half-sent release holds the room
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "keep.txt").write_text("not the site's")
        (remote / "releases" / half_sent / "tautan").symlink_to(outside)  # removed, never followed
        (site / "static" / "laporan-2.pdf").unlink()  # the release now fits, once that room is back
        with removal_under_way(remote / "releases"):
            retry = deploy(site)
        assert retry.code == 0, retry.out + retry.err
        assert summary(retry.out).endswith("; removed 1 half-sent release"), retry.out
        assert half_sent not in releases(remote) and not set_aside(remote)
        assert tree(remote / "current") == tree(site / "public") and live(remote) != before
        assert before.rpartition("/")[2] in releases(remote)  # the release that was live is kept
        assert (outside / "keep.txt").read_text() == "not the site's"


def test_what_an_earlier_deploy_left_that_cannot_be_removed_is_a_warning_and_the_deploy_goes_on(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over SFTP the leftovers are removed before anything is sent; one that cannot be (a file
    in it the server may not delete) must not hold up every deploy after it: said, and the
    release goes live beside it; the next deploy tries again."""
    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    remote = tmp_path / "www" / "humas"
    site = write_site(tmp_path / "site", articles(2), ssh_config(server, remote))
    assert deploy(site).code == 0
    left = remote / "releases" / ".pruned-20200101T000000Z"
    left.mkdir()
    stuck = left / "index.html"
    stuck.write_text("<p>Lama.</p>")
    with _immutable(stuck):
        edit(site, 1, "Isi baru.")
        result = deploy(site)
        assert result.code == 0, result.err
        assert result.err.startswith("production: warning: what an earlier deploy left could not be removed: "
                                     "permission denied while removing old releases"), result.err
        assert "the next deploy tries again" in result.err
        assert tree(remote / "current") == tree(site / "public") and stuck.exists()
    edit(site, 1, "Isi lebih baru.")
    again = deploy(site)
    assert again.code == 0 and again.err == "", again.err
    assert not left.exists()


@pytest.fixture(scope="module")
def size_limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose SFTP service may write no file past 128 KiB (a file size limit set on its
    process): a larger file's writes fail part way, while every other request succeeds."""
    from tests.sshd import SFTP_SERVER

    reason = missing()
    need(reason is None and SFTP_SERVER is not None, reason or "OpenSSH's sftp-server")
    folder = tmp_path_factory.mktemp("sshd-size-limited")
    wrapper = folder / "sftp-server-limited"
    # dash counts 512-byte blocks; ignoring SIGXFSZ makes the write fail (EFBIG) instead of killing it
    wrapper.write_text(f"#!/bin/sh\ntrap '' XFSZ\nulimit -f 256\nexec {SFTP_SERVER}\n")
    wrapper.chmod(0o755)
    with sshd(folder, sftp_server=str(wrapper)) as running:
        yield running


def test_a_file_cut_short_on_the_server_never_goes_live(
        tmp_path: Path, size_limited: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server refuses the rest of a file after 128 KiB (a file size limit, a quota) and
    says so; every other file and the completion mark still fit. The write's refusal was lost,
    and the release went live with the file cut short. Now the deploy stops at that file, in
    the server's words."""
    monkeypatch.setenv("PATH", str(_path_without_rsync(tmp_path)))
    remote = tmp_path / "www" / "humas"
    site = write_site(tmp_path / "site", articles(2), ssh_config(size_limited, remote))
    assert deploy(site).code == 0
    before, live_tree = live(remote), tree(remote / "current")
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "laporan.pdf").write_bytes(os.urandom(1_000_000))
    result = deploy(site)
    assert result.code == 1, result.out + result.err
    half_sent = next(name for name in releases(remote) if f"releases/{name}" != before)
    assert result.err.startswith(f"production: error: uploading failed: the server said only 'Failure' "
                                 f"({remote}/releases/{half_sent}/laporan.pdf)"), result.err
    assert live(remote) == before and tree(remote / "current") == live_tree


class Terminal(io.StringIO):
    """What a deploy prints to, as a terminal: its progress counter is drawn."""

    def isatty(self) -> bool:
        return True


def test_progress_counts_files_and_bytes_on_a_terminal() -> None:
    from sitegen.deploy.progress import Progress

    screen, pipe = Terminal(), io.StringIO()
    for stream in (screen, pipe):
        progress = Progress("production", 2, 3_000_000, stream)
        progress(1, 1_000_000)
        progress(2, 3_000_000)
        progress.end()
    assert screen.getvalue().endswith("\rproduction: sending 2/2 files, 3.0 MB/3.0 MB\n")
    assert pipe.getvalue() == ""


def test_progress_never_counts_past_its_total_when_files_missing_on_the_server_go_again() -> None:
    """A file the live release lacks on the server (removed there by hand) is sent again
    with the changed ones: the count grew past the total ("36/35 files")."""
    from sitegen.deploy.progress import Progress

    screen = Terminal()
    progress = Progress("production", 2, 3_000_000, screen)
    progress(2, 3_000_000)
    progress(3, 3_500_000)
    progress.end()
    shown = screen.getvalue().split("\r")[1:]
    assert shown[-1] == "production: sending 3/3 files, 3.5 MB/3.5 MB\n", shown
    for line in shown:
        done, total = re.search(r"(\d+)/(\d+) files", line).groups()
        assert int(done) <= int(total), line


# --- the rules, without a server ---

@pytest.mark.parametrize(("url", "shown", "known_as"), [
    ("ssh://humas@web.example.go.id:22/var/www/humas", "ssh://humas@web.example.go.id/var/www/humas",
     "web.example.go.id"),
    ("ssh://web.example.go.id:2222/srv/humas/", "ssh://web.example.go.id:2222/srv/humas", "[web.example.go.id]:2222"),
    ("ssh://humas@[::1]:2222/srv/humas", "ssh://humas@[::1]:2222/srv/humas", "[::1]:2222"),
    ("file:///mnt/web/humas", "file:///mnt/web/humas", ""),
])
def test_target_urls_are_read_as_openssh_names_them(url: str, shown: str, known_as: str) -> None:
    from sitegen.deploy.endpoint import parse_url

    endpoint = parse_url(url)
    assert str(endpoint) == shown
    assert endpoint.known_hosts_name == known_as


def test_release_ids_always_sort_after_the_existing_ones() -> None:
    from datetime import UTC, datetime

    from sitegen.deploy.layout import new_id

    now = datetime(2026, 12, 3, 13, 30, tzinfo=UTC)
    assert new_id([], now) == "20261203T133000Z"
    assert new_id(["20261203T133000Z"], now) == "20261203T133001Z"  # two deploys in one second
    assert new_id(["20271203T000000Z", "notes"], now) == "20271203T000001Z"  # a server clock ahead of ours


def test_pruning_spares_the_live_release_and_its_predecessor() -> None:
    from sitegen.deploy.layout import Releases, to_prune

    names = tuple(f"2026120{day}T000000Z" for day in range(1, 8))
    assert to_prune(Releases(names, (), names[-1]), 3) == list(names[:4])
    # after a rollback to the third: the newest three stay, and so do the live one and the one before it
    assert to_prune(Releases(names, (), names[2]), 3) == [names[0], names[3]]
    assert to_prune(Releases(names, (), names[-1]), 1) == list(names[:5])


def test_a_rollback_goes_where_the_live_release_says_it_came_from() -> None:
    from sitegen.deploy.layout import Releases, manifest_bytes, previous_of, to_prune

    a, b, c = "20261201T000000Z", "20261202T000000Z", "20261203T000000Z"
    releases = Releases((a, b, c), (), c)
    assert previous_of(manifest_bytes(c, a, {})) == a and previous_of(manifest_bytes(a, None, {})) is None
    assert previous_of(b"not json") is None and previous_of(b'{"previous": "../x"}') is None
    assert releases.previous(a) == a and releases.previous(None) == b
    assert releases.previous("20261130T000000Z") == b  # pruned since: the newest one before the live one
    assert to_prune(releases, 1, a) == [b] and to_prune(releases, 1) == [a]


def test_a_pruned_name_is_no_release() -> None:
    from sitegen.deploy.layout import is_pruned_name, is_release_id, pruned_name, release_of

    name = pruned_name("20261203T000000Z")
    assert name == ".pruned-20261203T000000Z" and is_pruned_name(name) and not is_release_id(name)
    assert release_of(f"releases/{name}") is None
    assert not is_pruned_name(".pruned-notes") and not is_pruned_name(".pruned-20261203T000000Z/..")


def test_what_is_cleared_from_a_copy_of_the_live_release() -> None:
    from sitegen.deploy.plan import to_clear

    local = ["index.html", "berita/a/index.html", "berita/b.html", "tags/x", "tags/y/index.html"]
    removed = ["berita/c/index.html", "lama/2020/a/index.html", "lama/2020/b/index.html", "berita/b.html/old.txt",
               "tags/x/index.html", "tags/y"]
    assert to_clear(local, removed) == ["berita/b.html", "berita/c", "lama", "tags/x", "tags/y"]


def test_the_file_the_copy_of_the_live_release_could_not_make_is_read_from_cps_words() -> None:
    """cp -al runs in the target's folder on the server and makes releases/<new id>/...: the
    first name cp could not make for want of room, as a path on the server; or the release's
    sending mark, written before it."""
    from sitegen.deploy.rsync import copy_no_room

    target = "/var/www/humas"
    new = "/var/www/humas/releases/20261206T081524Z"
    said = ("cp: cannot create hard link 'releases/20261206T081524Z/berita/2024/rilis-1/index.html' to "
            "'releases/20261203T133000Z/berita/2024/rilis-1/index.html': No space left on device\n"
            "cp: cannot create hard link 'releases/20261206T081524Z/berita/2024/rilis-2/index.html' to "
            "'releases/20261203T133000Z/berita/2024/rilis-2/index.html': No space left on device\n")
    assert copy_no_room(said, target) == f"{new}/berita/2024/rilis-1/index.html"
    assert copy_no_room("cp: cannot create directory 'releases/20261206T081524Z/tag/ekonomi': Disk quota exceeded\n",
                        target) == f"{new}/tag/ekonomi"
    assert copy_no_room("mkdir: cannot create directory 'releases/20261206T081524Z': No space left on device\n",
                        target) == new
    assert copy_no_room("cp: cannot create hard link \"releases/20261206T081524Z/it's a name.html\" to "
                        "\"releases/20261203T133000Z/it's a name.html\": No space left on device\n",
                        target) == f"{new}/it's a name.html"
    # the two cp write at once: one's "cp: " lands within the other's line
    assert copy_no_room("cp: cp: cannot create directory 'releases/20261206T081524Z/caf'$'\\303\\251'' 2': No space "
                        "left on device\n", target) == f"{new}/café 2"
    assert copy_no_room("xargs: sh: exited with status 255; aborting\n"
                        "cp: cannot create directory 'releases/20261206T081524Z/css': No space left on device\n",
                        target) == f"{new}/css"
    mark = ".sitegen-deploy/20261206T081524Z.sitegen-sending"
    assert copy_no_room(f"cat: write error: No space left on device\nsitegen: cannot write '{mark}'\n",
                        target) == f"{target}/{mark}"
    for other in ("cp: cannot create hard link 'releases/x/a' to 'releases/y/a': Operation not permitted\n",
                  "cp: cannot stat 'a': No such file or directory\n", "No space left on device\n", "",
                  f"sh: 1: cannot create {mark}: Permission denied\nsitegen: cannot write '{mark}'\n"):
        assert copy_no_room(other, target) is None, other


#: What GNU cp 9.1 said in the C locale, linking files of these names into a full disk: exactly,
#: a line each; then what it could not link, and mkdir on the release's own folder.
CP_SAID = r"""cp: cannot create hard link '../new/$x' to '$x': No space left on device
cp: cannot create hard link '../new/Laporan Kegiatan '$'\342\200\223'' Dinas.pdf' to 'Laporan Kegiatan '$'\342\200\223'' Dinas.pdf': No space left on device
cp: cannot create hard link '../new/a b.html' to 'a b.html': No space left on device
cp: cannot create hard link '../new/bad\xff' to 'bad\xff': No space left on device
cp: cannot create hard link '../new/bad'$'\377' to 'bad'$'\377': No space left on device
cp: cannot create hard link '../new/both'\''"x' to 'both'\''"x': No space left on device
cp: cannot create directory '../new/caf'$'\303\251'' dir': No space left on device
cp: cannot create hard link '../new/caf'$'\303\251''.jpg' to 'caf'$'\303\251''.jpg': No space left on device
cp: cannot create hard link '../new/dq"x' to 'dq"x': No space left on device
cp: cannot create hard link "../new/it's a name.html" to "it's a name.html": No space left on device
cp: cannot create hard link '../new/nl'$'\n''x' to 'nl'$'\n''x': No space left on device
cp: cannot create hard link '../new/plain.html' to 'plain.html': No space left on device
cp: cannot create hard link '../new/tab'$'\t''x' to 'tab'$'\t''x': No space left on device
cp: cannot create hard link '../new/'$'\303\237'\''' to ''$'\303\237'\''': No space left on device
mkdir: cannot create directory '../20261206T081524Z': No space left on device
"""  # noqa: E501 (as cp said them)
CP_NAMED = ["$x", "Laporan Kegiatan – Dinas.pdf", "a b.html", "bad\\xff", "bad\ufffd", "both'\"x", "café dir",
            "café.jpg", 'dq"x', "it's a name.html", "nl\nx", "plain.html", "tab\tx", "ß'"]


def test_names_in_cps_words_are_read_as_the_files_are_named() -> None:
    """In the C locale cp writes each byte outside printable ASCII as an escape, and a name with
    an apostrophe in double quotes: such names were cut short ('caf') or not read at all. A name
    that is not UTF-8 gets U+FFFD for each byte that does not fit."""
    from sitegen.deploy.rsync import copy_no_room

    live_folder = "/srv/humas/releases/20261203T133000Z"
    *lines, mkdir = CP_SAID.splitlines(keepends=True)
    for line, name in zip(lines, CP_NAMED, strict=True):
        assert copy_no_room(line, live_folder) == f"/srv/humas/releases/new/{name}", line
    assert copy_no_room(mkdir, live_folder) == "/srv/humas/releases/20261206T081524Z"


@pytest.mark.parametrize("name", [
    "café – ß 日本.jpg", "it's a name.html", "it's \"quoted\" $HOME `x` \\ *?[a]", "-dash", " space ",
    "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "/"), "tab\tnew\nline\x01\x1b\x7f",
    os.fsdecode(b"not utf-8 \xff\xfe caf\xc3"),
])
def test_any_name_as_this_machines_cp_quotes_it_is_read_back(name: str, tmp_path: Path) -> None:
    """Through this machine's own cp in the C locale, linking into a missing folder."""
    from sitegen.deploy import quoted

    version = subprocess.run(["cp", "--version"], capture_output=True, text=True, check=False).stdout
    need("GNU coreutils" in version, "GNU cp")
    (tmp_path / name).touch()
    said = subprocess.run(["cp", "-l", "--", name, f"missing/{name}"], cwd=tmp_path, capture_output=True,
                          env={**os.environ, "LC_ALL": "C"}, check=False).stderr.decode("ascii")
    found = re.match(rf"cp: cannot create hard link ({quoted.QUOTED}) to ({quoted.QUOTED}): ", said)
    assert found, said
    readable = os.fsencode(name).decode("utf-8", "replace")
    assert (quoted.unquote(found[1]), quoted.unquote(found[2])) == (f"missing/{readable}", readable), said


def test_names_in_rsyncs_words_are_read_as_the_files_are_named() -> None:
    """What rsync 3.5 said in the C locale, sending files of these names into a full disk."""
    from sitegen.deploy.quoted import unescape_rsync

    said = {r"Laporan Kegiatan \#342\#200\#223 caf\#303\#251's.pdf": "Laporan Kegiatan – café's.pdf",
            "tab\tnl\\#012back\\#134#123x\\#377.pdf": "tab\tnl\nback\\#123x\ufffd.pdf"}
    for escaped, name in said.items():
        assert unescape_rsync(escaped) == name
