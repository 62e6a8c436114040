"""A deploy stopped as it ends: the release's record arrives whole or the release is not
complete, and a stop that comes while ``current`` is switched leaves it switched and says so
as a deploy that went live (the switch is one rename: it cannot be half done)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.conftest import write_site
from tests.test_deploy import articles, deploy, edit, file_url, live, releases, target_config


def _finish(target: Path, release: str, record: bytes, length: int) -> subprocess.CompletedProcess[bytes]:
    """The script that finishes a release over SSH, run here by the same POSIX sh, with the
    record as it arrived (``length``: what the deploy said it sends)."""
    from sitegen.deploy import rsync

    return subprocess.run(["sh", "-c", rsync._FINISH, "sitegen", str(target), release, str(length)],
                          input=record, capture_output=True, check=False)


def test_a_record_cut_short_on_its_way_leaves_the_release_incomplete(tmp_path: Path) -> None:
    """A deploy stopped (Ctrl-C, SIGTERM, killed) while its record went to the server ended
    the script's input early; cat ended well and the release was marked complete with a
    record cut short, and went live: every later deploy then refused to run."""
    from sitegen.deploy import layout

    release = layout.new_id(())
    (tmp_path / "releases" / release).mkdir(parents=True)
    record = json.dumps({"files": {f"berkas-{n}.html": n for n in range(2000)}}).encode()
    books = tmp_path / ".sitegen-deploy"

    cut = _finish(tmp_path, release, record[:4096], len(record))
    assert cut.returncode == 1
    assert "cut short" in cut.stderr.decode()
    assert not (books / layout.mark_name(release)).exists()
    assert not (books / layout.manifest_name(release)).exists()
    assert not any(name.endswith(".tmp") for name in os.listdir(books))

    whole = _finish(tmp_path, release, record, len(record))
    assert whole.returncode == 0, whole.stderr
    assert (books / layout.manifest_name(release)).read_bytes() == record
    assert (books / layout.mark_name(release)).read_text() == release


def test_a_stop_while_current_is_switched_ends_with_the_release_live(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C that came as current was switched cut the step short after the rename: the
    deploy said "stopped" (status 130) with the new release live. The switch now finishes, the
    deploy says the release is live, and removing old releases is left to the next deploy."""
    from sitegen.deploy.local import LocalTransport

    remote = tmp_path / "server"
    site = write_site(tmp_path / "site", articles(3), config=target_config(file_url(remote), keep=1))
    for round_ in range(2):
        edit(site, 0, f"Putaran {round_}.")
        assert deploy(site).code == 0
    before = releases(remote)
    switch = LocalTransport.switch

    def stopped_while_switching(self: LocalTransport, release: str) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # as a terminal sends it, in the middle of the step
        switch(self, release)

    monkeypatch.setattr(LocalTransport, "switch", stopped_while_switching)
    edit(site, 0, "Putaran terakhir.")
    result = deploy(site)
    assert result.code == 0, result.err
    new = live(remote).rpartition("/")[2]
    assert new not in before and f"release {new} is live" in result.out, result.out
    assert releases(remote) == sorted([*before, new])  # keep: 1 would have pruned one
    monkeypatch.undo()
    edit(site, 0, "Putaran sesudahnya.")
    assert deploy(site).code == 0
    assert len(releases(remote)) == 2
