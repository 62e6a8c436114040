"""Two deploys to one target at once: a release another deploy is still sending is never taken
for a half-sent leftover and removed (its sending mark, ``.sitegen-deploy/<id>.sitegen-sending``,
says who sends it), while one a stopped deploy left is removed as before."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitegen.deploy import layout
from tests.test_deploy import (
    BOOKKEEPING,
    PRUNING_KINDS,
    bookkeeping,
    books_of,
    deploy,
    deploy_rounds,
    edit,
    live,
    releases,
    site_for,
    tree,
    wait_removed,
)

DAY = 24 * 3600
NOW = 1_800_000_000.0


def here() -> layout.Computer:
    return layout.Computer("laptop-humas-1", 4000, "boot-a", "machine-a")


def mark(host: str, pid: int, boot: str, started: str = "2027-01-15T08:00:00+00:00", machine: str = "machine-a"
         ) -> bytes:
    return json.dumps({"host": host, "pid": pid, "boot": boot, "machine": machine,
                       "started": started}).encode() + b"\n"


def listing(data: bytes | None, age: float, release: str = "20270115T080000Z") -> layout.Releases:
    """One incomplete release besides a live one, its sending mark ``data`` written ``age`` ago."""
    sending = {} if data is None else {release: layout.SendingMark(data, NOW - age)}
    return layout.Releases(("20270101T000000Z",), (release,), "20270101T000000Z", linked="20270101T000000Z",
                           sending=sending)


def decided(data: bytes | None, age: float, alive: Callable[[int], bool] = lambda pid: True) -> layout.HalfSent:
    return layout.half_sent(listing(data, age), here(), NOW, alive)


# --- the decision, in one place (layout.half_sent) ---

def test_another_computers_fresh_mark_leaves_its_release_alone() -> None:
    found = decided(mark("laptop-humas-2", 4000, "boot-b"), age=60, alive=lambda pid: False)
    assert found.removed == ()
    (busy,) = found.busy
    assert busy.release == "20270115T080000Z" and busy.host == "laptop-humas-2"
    assert busy.started == datetime(2027, 1, 15, 8, tzinfo=UTC)
    assert busy.until == datetime.fromtimestamp(NOW - 60 + DAY, UTC)


def test_a_mark_a_day_old_is_a_stopped_deploys_whoever_wrote_it() -> None:
    assert decided(mark("laptop-humas-2", 1, "boot-b"), age=DAY + 1).removed == ("20270115T080000Z",)
    assert decided(mark("laptop-humas-1", 4000, "boot-a"), age=DAY + 1).removed == ("20270115T080000Z",)
    assert decided(b"{not json", age=DAY + 1).removed == ("20270115T080000Z",)


def test_this_computers_mark_counts_while_its_process_lives() -> None:
    asked: list[int] = []

    def alive(pid: int) -> bool:
        asked.append(pid)
        return pid == 4321

    assert decided(mark("laptop-humas-1", 4321, "boot-a"), age=60, alive=alive).busy[0].host == "laptop-humas-1"
    assert decided(mark("laptop-humas-1", 4322, "boot-a"), age=60, alive=alive).removed == ("20270115T080000Z",)
    assert asked == [4321, 4322]
    this_process = decided(mark("laptop-humas-1", HERE_PID, "boot-a"), age=60, alive=alive)
    assert this_process.removed == ("20270115T080000Z",)  # it is not sending now: a failed deploy's


HERE_PID = 4000


def test_this_computers_mark_from_before_a_restart_is_a_stopped_deploys() -> None:
    """Another boot id: the process it names is gone, whatever runs under that pid now."""
    found = decided(mark("laptop-humas-1", 4000, "boot-old"), age=60, alive=lambda pid: True)
    assert found.removed == ("20270115T080000Z",) and found.busy == ()


def test_two_laptops_of_one_default_host_name_are_two_computers() -> None:
    """Two laptops installed alike are both "ubuntu": their machine ids tell them apart, and
    the other's boot id and pid say nothing of this one's processes."""
    found = decided(mark("laptop-humas-1", 4000, "boot-b", machine="machine-b"), age=60, alive=lambda pid: False)
    assert found.removed == () and found.busy[0].host == "laptop-humas-1"
    # a mark without a machine id (written where there is none): the host name and boot decide
    old = json.dumps({"host": "laptop-humas-1", "pid": 4000, "boot": "boot-old",
                      "started": "2027-01-15T08:00:00+00:00"}).encode()
    assert decided(old, age=60).removed == ("20270115T080000Z",)


def test_without_a_boot_id_on_either_side_the_pid_decides() -> None:
    here = layout.Computer("kantor", 10, "")
    for alive, removed in ((True, ()), (False, ("20270115T080000Z",))):
        found = layout.half_sent(listing(mark("kantor", 99, ""), 60), here, NOW, lambda pid, a=alive: a)
        assert found.removed == removed


def test_a_fresh_mark_that_cannot_be_read_leaves_its_release_alone() -> None:
    for data in (b"", b"{not json", b'{"host": "x"}', mark("x", -1, ""), mark("x", 5, "", started="soon"),
                 b"\xff\xfe"):
        found = decided(data, age=60)
        assert found.removed == () and [(b.host, b.started) for b in found.busy] == [(None, None)], data


def test_no_mark_is_a_stopped_deploys_and_the_live_release_is_never_removed() -> None:
    assert decided(None, age=0).removed == ("20270115T080000Z",)
    shown = layout.Releases((), ("20270115T080000Z",), None, linked="20270115T080000Z")
    assert layout.half_sent(shown, here(), NOW, lambda pid: False) == layout.HalfSent((), ())


def test_a_mark_from_a_clock_ahead_is_fresh() -> None:
    assert decided(mark("laptop-humas-2", 1, "b"), age=-3600).removed == ()


def test_a_computer_without_a_machine_id_keeps_one_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """macOS and Windows keep no /etc/machine-id: with the host name alone, two laptops named
    alike ("MacBook-Air.local") were one computer, and one's deploy removed the other's release
    as its own stopped one."""
    system = ("/etc/machine-id", "/var/lib/dbus/machine-id", "/proc/sys/kernel/random/boot_id")
    real = layout._first_line
    monkeypatch.setattr(layout, "_first_line", lambda path: "" if path in system else real(path))
    monkeypatch.setattr(socket, "gethostname", lambda: "MacBook-Air.local")
    ids = []
    for user in ("a", "b"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / user))
        first, again = layout.this_computer(), layout.this_computer()
        assert first.machine and again.machine == first.machine  # kept, not made each time
        assert (tmp_path / user / "sitegen" / "computer-id").read_text().strip() == first.machine
        ids.append(first)
    assert ids[0].machine != ids[1].machine and not ids[0].same_as(ids[1])
    theirs = layout.sending_mark(layout.Computer("MacBook-Air.local", 700, "", ids[1].machine), datetime.now(UTC))
    found = layout.half_sent(listing(theirs, 60), ids[0], NOW, lambda pid: False)
    assert found.removed == () and found.busy[0].host == "MacBook-Air.local"


def test_a_sending_mark_whose_time_the_server_cannot_tell_counts_as_written_now(tmp_path: Path) -> None:
    """The server's listing script printed no sending line when neither stat -c nor stat -f
    worked, and the release was removed as one without a mark."""
    from sitegen.deploy import rsync

    target = tmp_path / "target"
    (target / "releases" / "20270115T080000Z").mkdir(parents=True)
    (target / ".sitegen-deploy").mkdir()
    (target / ".sitegen-deploy" / "20270115T080000Z.sitegen-sending").write_bytes(mark("laptop-humas-2", 5, "b"))
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "stat").write_text("#!/bin/sh\nexit 1\n")
    (tools / "stat").chmod(0o755)
    listed = subprocess.run(["sh", "-c", rsync._LIST, "sitegen", str(target)], capture_output=True, text=True,
                            env={"PATH": f"{tools}:{os.environ['PATH']}"}, check=True).stdout
    line = next(line for line in listed.splitlines() if line.startswith("sending\t"))
    assert line.split("\t")[:3] == ["sending", "20270115T080000Z", "now"]


def test_the_sending_mark_is_one_line_of_json_naming_this_computer_and_process() -> None:
    here = layout.this_computer()
    assert here.host == socket.gethostname() and here.pid == os.getpid()
    boot = Path("/proc/sys/kernel/random/boot_id")
    assert here.boot == (boot.read_text().strip() if boot.is_file() else "")
    data = layout.sending_mark(here, datetime(2027, 1, 15, 8, 0, 5, tzinfo=UTC))
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    machine = Path("/etc/machine-id")
    assert here.machine == (machine.read_text().strip() if machine.is_file() else here.machine)
    assert json.loads(data) == {"host": here.host, "pid": here.pid, "boot": here.boot, "machine": here.machine,
                                "started": "2027-01-15T08:00:05+00:00"}
    assert layout.bookkeeping_of(layout.sending_name("20270115T080005Z")) == "20270115T080005Z"


# --- on every kind of target ---

@pytest.fixture
def any_site(tmp_path: Path, request: pytest.FixtureRequest,
             monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[Path, Path]]:
    """As test_deploy's: a site and its target folder, over rsync, SFTP or file://."""
    def make(count: int = 4, **settings: object) -> tuple[Path, Path]:
        remote = tmp_path / "www" / "humas"
        return site_for(request.param, remote, tmp_path, request, monkeypatch, count, **settings), remote

    return make


def plant(remote: Path, after: str, data: bytes, age: float = 0) -> str:
    """A release folder a deploy is sending (a few files, no completion mark) with its sending
    mark ``data``, written ``age`` seconds ago: its id one second after ``after``."""
    release = (layout.released_at(after) + timedelta(seconds=1)).strftime("%Y%m%dT%H%M%SZ")
    folder = remote / "releases" / release
    (folder / "berita").mkdir(parents=True)
    (folder / "index.html").write_text("<p>separuh</p>")
    (folder / "berita" / "index.html").write_text("<p>separuh</p>")
    (remote / BOOKKEEPING / f"{release}.sitegen-sending").write_bytes(data)
    stamp = time.time() - age
    os.utime(remote / BOOKKEEPING / f"{release}.sitegen-sending", (stamp, stamp))
    return release


def shown(remote: Path) -> str:
    return live(remote).rpartition("/")[2]


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def ours(pid: int) -> bytes:
    """A sending mark of this computer naming ``pid``."""
    return mark(socket.gethostname(), pid, boot_id(), machine=layout.this_computer().machine)


def boot_id() -> str:
    boot = Path("/proc/sys/kernel/random/boot_id")
    return boot.read_text().strip() if boot.is_file() else ""


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_a_release_another_computer_is_sending_is_left_alone_until_its_mark_is_a_day_old(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = any_site(keep=1)
    (first,) = deploy_rounds(site, remote, 1)
    other = plant(remote, first, mark("laptop-humas-2", 4242, "their-boot"))
    planted = tree(remote / "releases" / other)
    its_mark = (remote / BOOKKEEPING / f"{other}.sitegen-sending").read_bytes()
    status = deploy(site, "--status")
    assert status.code == 0, status.err
    assert f"being sent by another deploy: {other} (from laptop-humas-2, started 2027-01-15 15:00:00 WIB)" \
        in status.out.splitlines(), status.out
    assert "incomplete (removed by the next deploy)" not in status.out
    for round_ in range(3):  # keep: 1, and the planted release is never pruned either
        edit(site, 2, f"Putaran {round_}.")
        result = deploy(site)
        assert result.code == 0, result.err
        assert result.err.count(f"release {other} is being sent by another deploy (from laptop-humas-2, "
                                "started 2027-01-15 15:00:00 WIB): left alone") == 1, result.err
        assert "if that deploy was stopped, the next deploy after " in result.err
        assert "half-sent" not in result.out, result.out
        assert shown(remote) > other and tree(remote / "current") == tree(site / "public")
        assert tree(remote / "releases" / other) == planted
        assert (remote / BOOKKEEPING / f"{other}.sitegen-sending").read_bytes() == its_mark
    wait_removed(remote)
    assert other in releases(remote) and len(releases(remote)) == 3  # keep 1, its rollback target, and it
    stale = time.time() - 25 * 3600
    os.utime(remote / BOOKKEEPING / f"{other}.sitegen-sending", (stale, stale))
    edit(site, 2, "Sehari kemudian.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert "removed 1 half-sent release" in result.out and "being sent" not in result.err, result
    assert other not in releases(remote)
    assert not [name for name in bookkeeping(remote) if name.startswith(other)], bookkeeping(remote)


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_this_computers_release_is_removed_once_its_deploy_is_gone_and_kept_while_it_runs(
        any_site: Callable[..., tuple[Path, Path]]) -> None:
    site, remote = any_site()
    (first,) = deploy_rounds(site, remote, 1)
    stopped = plant(remote, first, ours(dead_pid()))
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # another deploy here
    running = plant(remote, stopped, ours(helper.pid))
    edit(site, 2, "Isi baru.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert "removed 1 half-sent release" in result.out, result.out
    assert f"release {running} is being sent by another deploy (from {socket.gethostname()}" in result.err
    assert stopped not in releases(remote) and running in releases(remote)
    assert sorted(bookkeeping(remote)) == sorted([*books_of(first, shown(remote)), f"{running}.sitegen-sending"])
    helper.kill()
    helper.wait()
    edit(site, 2, "Isi lebih baru.")
    result = deploy(site)  # its process gone: removed at once
    assert result.code == 0 and "removed 1 half-sent release" in result.out, result
    assert running not in releases(remote)


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_a_deploy_writes_its_sending_mark_before_it_sends_and_removes_it_with_the_completion_mark(
        any_site: Callable[..., tuple[Path, Path]], monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.deploy import command

    site, remote = any_site()
    seen: list[tuple[list[str], dict[str, object]]] = []

    class Watching(command.Progress):
        def __call__(self, files: int, size: int) -> None:
            if files == 1:
                books = bookkeeping(remote)
                marks = [name for name in books if name.endswith(".sitegen-sending")]
                seen.append((books, json.loads((remote / BOOKKEEPING / marks[0]).read_bytes()) if marks else {}))
            super().__call__(files, size)

    monkeypatch.setattr(command, "Progress", Watching)
    deployed = deploy_rounds(site, remote, 2)
    assert len(seen) == 2, seen
    for release, (books, content) in zip(deployed, seen, strict=True):
        assert f"{release}.sitegen-sending" in books and f"{release}.sitegen-complete" not in books, books
        assert content["host"] == socket.gethostname() and content["pid"] == os.getpid()
        assert content["boot"] == boot_id()
    assert bookkeeping(remote) == books_of(*deployed)
    assert deploy(site, "--dry-run").code == 0 and deploy(site, "--status").code == 0
    assert deploy(site, "--rollback").code == 0
    assert bookkeeping(remote) == books_of(*deployed)


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
def test_a_sending_mark_without_its_folder_goes_only_once_stale(any_site: Callable[..., tuple[Path, Path]]) -> None:
    """A deploy writes its sending mark just before it makes its folder: a mark found without
    one may be that moment's, and is removed with the books of releases no longer there only
    a day later (a deploy stopped between the two left it)."""
    site, remote = any_site(keep=1)  # the third deploy prunes, and tidies the books
    first, second = deploy_rounds(site, remote, 2)
    fresh, old = (f"2099010{day}T000000Z.sitegen-sending" for day in (1, 2))
    for name, age in ((fresh, 60), (old, 25 * 3600)):
        (remote / BOOKKEEPING / name).write_bytes(mark("laptop-humas-2", 7, "b"))
        os.utime(remote / BOOKKEEPING / name, (time.time() - age, time.time() - age))
    (third,) = deploy_rounds(site, remote, 1)
    wait_removed(remote)
    assert first not in releases(remote)
    assert sorted(bookkeeping(remote)) == sorted([*books_of(second, third), fresh])


@pytest.mark.parametrize("any_site", PRUNING_KINDS, indirect=True)
@pytest.mark.parametrize("nothing_live", [False, True], ids=["a-live-release", "nothing-live"])
def test_a_release_id_another_deploy_claimed_in_the_same_moment_is_left_to_it(
        any_site: Callable[..., tuple[Path, Path]], nothing_live: bool) -> None:
    """Two deploys that list the target in the same second choose the same id (the next one
    after the newest release, from a clock ahead too): the second overwrote the first's
    sending mark and both sent into one folder, the live one once the first switched. The id
    is claimed by making its sending mark only where none is: the second takes the next id.
    Without a live release to copy (a target's first release), OpenSSH's deploy marks the
    release in rsync's own remote command: there too."""
    import shutil

    site, remote = any_site(keep=5)
    (first,) = deploy_rounds(site, remote, 1)
    ahead, claimed, taken = "20990101T000000Z", "20990101T000001Z", "20990101T000002Z"
    shutil.copytree(remote / "releases" / first, remote / "releases" / ahead)  # from a clock ahead
    for suffix in (".sitegen-complete", ".sitegen-release.json"):
        shutil.copy(remote / BOOKKEEPING / f"{first}{suffix}", remote / BOOKKEEPING / f"{ahead}{suffix}")
    (remote / BOOKKEEPING / f"{ahead}.sitegen-complete").write_text(ahead)
    if nothing_live:
        (remote / "current").unlink()
    other = mark("laptop-humas-2", 4242, "their-boot")  # a deploy about to make releases/<claimed>/
    (remote / BOOKKEEPING / f"{claimed}.sitegen-sending").write_bytes(other)
    edit(site, 1, "Isi baru.")
    result = deploy(site)
    assert result.code == 0, result.err
    assert live(remote) == f"releases/{taken}" and tree(remote / "current") == tree(site / "public")
    assert not (remote / "releases" / claimed).exists()
    assert (remote / BOOKKEEPING / f"{claimed}.sitegen-sending").read_bytes() == other
    assert not (remote / BOOKKEEPING / f"{taken}.sitegen-sending").exists()
