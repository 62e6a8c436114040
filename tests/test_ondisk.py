"""The check for output files changed by hand: the forked child gives the same answer as the
check in the build's own process, and builds that use the child still repair every kind of
hand edit."""

from __future__ import annotations

import marshal
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import sitegen.ondisk
import sitegen.uptodate
from sitegen import generations, ondisk
from sitegen.parallel import Forked
from tests.conftest import NOW, article, run_process
from tests.test_generations import clean_build_of, ok, took_the_shortcut
from tests.test_safety import snapshot

A = "content/berita/a.id.md"
B = "content/berita/b.id.md"
PAGE = "berita/2024/a/index.html"


def hand_edits(public: Path) -> set[str]:
    """Every kind of change by hand, one file each: what the check must name."""
    page = public / PAGE
    page.write_bytes(page.read_bytes().replace(b"Rapat", b"RUSAK"))  # same size, new mtime
    (public / "404.html").unlink()
    (public / "robots.txt").write_text("User-agent: *\nDisallow: /\n", "utf-8")  # another size
    feed = public / "feed.xml"
    copy = feed.with_name("feed.copy")
    shutil.copy2(feed, copy)  # the same bytes, size and mtime, but another file (inode)
    os.replace(copy, feed)
    sitemap = public / "sitemap.xml"
    sitemap.unlink()
    sitemap.symlink_to("/etc/hostname")  # a link where a file was: never trusted, never followed
    return {PAGE, "404.html", "robots.txt", "feed.xml", "sitemap.xml"}


def fork_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check in a child whatever the record's size, the cores and the threads (another test's
    thread still ending, say)."""
    monkeypatch.setattr(sitegen.ondisk, "_worth_forking", lambda _slots, _jobs: True)
    monkeypatch.setattr(sitegen.ondisk, "may_fork", lambda _jobs: True)


@pytest.fixture
def built(make_site: Callable[..., Path]) -> Path:
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    ok(site)
    return site


def live_of(site: Path) -> tuple[generations.Slots, generations.Marker]:
    slots = generations.find(site, site / "public")
    assert slots is not None
    marker = generations.read_marker(slots, slots.live)
    assert marker is not None
    return slots, marker


def test_the_child_and_the_build_process_find_the_same_files(built: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    slots, marker = live_of(built)
    assert ondisk.changed_files(slots.live, marker) == frozenset()
    expected = hand_edits(slots.live)
    here = ondisk.changed_files(slots.live, marker)
    assert here == expected
    fork_always(monkeypatch)
    started: list[Forked] = []
    real = sitegen.ondisk.Forked
    monkeypatch.setattr(sitegen.ondisk, "Forked", lambda *a: started.append(real(*a)) or started[-1])
    check = ondisk.start(built, built / "public", 2, foreign=False)
    assert len(started) == 1
    assert check.changed(slots.live, marker) == here
    assert check.changed(slots.live, marker) == here  # asked again (the shortcut, then the build)


def record_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on (in forked children too) reading a slot's record fails."""
    def unreadable(_slots: generations.Slots, _root: Path) -> None:
        raise AssertionError("the record was read")

    monkeypatch.setattr(generations, "read_marker", unreadable)
    monkeypatch.setattr(sitegen.uptodate, "read_marker", unreadable)


def test_the_child_checks_from_the_stats_file_alone(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The slot's stats file holds what the check compares, for the generation its .id names:
    the child reads it instead of the whole record and finds the same files."""
    slots, marker = live_of(built)
    expected = hand_edits(slots.live)
    assert generations.read_file_stats(slots, slots.live) == (marker.generation, *generations.file_stats(marker),
                                                              marker.foreign)
    fork_always(monkeypatch)
    record_unreadable(monkeypatch)
    check = ondisk.start(built, built / "public", 2)
    assert check.known(slots.live, marker.generation) == expected


def test_the_child_finds_entries_added_by_hand_as_the_build_process_does(built: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    slots, marker = live_of(built)
    page = next(path for path in marker.files if path.count("/") >= 2)
    folder = page.rpartition("/")[0]
    (slots.live / folder / "catatan.txt").write_text("catatan", "utf-8")
    (slots.live / folder / "arsip").mkdir()
    (slots.live / folder / "arsip" / "lama.pdf").write_bytes(b"%PDF")
    expected = [f"{folder}/arsip", f"{folder}/catatan.txt"]
    assert ondisk.foreign_entries(slots.live, marker) == expected
    fork_always(monkeypatch)
    record_unreadable(monkeypatch)
    check = ondisk.start(built, built / "public", 2)

    def not_here(_root: Path, _marker: generations.Marker) -> list[str]:
        raise AssertionError("looked for in the build's process")

    monkeypatch.setattr(ondisk, "foreign_entries", not_here)  # the child was forked before this
    assert check.known(slots.live, marker.generation) is not None
    assert check.foreign(slots.live, marker) == expected  # from the child, which read only the stats file


@pytest.mark.parametrize("damage", ["another generation", "damaged", "missing"])
def test_a_stats_file_that_does_not_fit_is_not_used(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                    damage: str) -> None:
    """Written by an older sitegen (none), cut short, or left from another generation: the
    child takes the record instead, and finds the same files."""
    slots, marker = live_of(built)
    expected = hand_edits(slots.live)
    record = generations.record_file(slots, slots.live)
    assert record is not None
    stats = record.with_suffix(".stats")
    if damage == "another generation":
        files, numbers = generations.file_stats(marker)
        stats.write_bytes(marshal.dumps(("stats-2", "another-generation", files, bytes(len(numbers) * 8), [])))
    elif damage == "damaged":
        stats.write_bytes(stats.read_bytes()[:-9])
    else:
        stats.unlink()
    assert generations.read_file_stats(slots, slots.live) is None
    fork_always(monkeypatch)
    check = ondisk.start(built, built / "public", 2)
    assert check.known(slots.live, marker.generation) == expected


def test_the_shortcut_takes_the_childs_answer_without_the_record(built: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fork_always(monkeypatch)
    record_unreadable(monkeypatch)
    assert took_the_shortcut(built)
    (built / "public/404.html").unlink()
    monkeypatch.undo()
    fork_always(monkeypatch)  # a file changed by hand: the build that follows repairs it
    assert not took_the_shortcut(built)
    assert (built / "public/404.html").is_file()
    assert took_the_shortcut(built)


def test_links_left_where_the_record_and_its_stats_are_written_are_not_followed(built: Path,
                                                                              tmp_path: Path) -> None:
    """The record and the stats file are written beside themselves, then renamed: a link
    standing at either name (a killed build's leftover, or planted) is replaced, and what it
    points at is left alone."""
    slots, _marker = live_of(built)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", "utf-8")
    records = list(slots.home.glob("slot-*.record"))
    assert len(records) == 2  # the live generation's and the spare's
    for record in records:
        record.with_name(record.name + ".tmp").symlink_to(outside)
        record.with_name(record.stem + ".stats.tmp").symlink_to(outside)
    (built / A).write_text(article("Rapat", body="Isi baru."), "utf-8")
    ok(built)
    assert outside.read_text("utf-8") == "keep me"
    slots, marker = live_of(built)
    assert generations.read_file_stats(slots, slots.live) == (marker.generation, *generations.file_stats(marker),
                                                              marker.foreign)


def test_an_answer_for_another_generation_is_not_taken(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slots, marker = live_of(built)
    fork_always(monkeypatch)
    check = ondisk.start(built, built / "public", 2)
    (built / "public" / "404.html").unlink()
    older = generations.Marker("another-generation", files=dict(marker.files), stats=dict(marker.stats))
    assert check.changed(slots.live, older) == {"404.html"}  # found again, not the child's (empty) answer


def test_a_child_that_fails_leaves_the_check_to_the_build(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slots, marker = live_of(built)
    expected = hand_edits(slots.live)

    def broken(_slots: generations.Slots) -> None:
        raise RuntimeError("the child fails")

    fork_always(monkeypatch)
    monkeypatch.setattr(sitegen.ondisk, "_check", broken)
    check = ondisk.start(built, built / "public", 2)
    assert check.changed(slots.live, marker) == expected
    cancelled = ondisk.start(built, built / "public", 2)
    cancelled.close()  # a build that stops early: the child is stopped and reaped
    cancelled.close()


def test_builds_with_the_forked_check_repair_every_hand_edit(built: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    fork_always(monkeypatch)
    expected = snapshot(built / "public")
    hand_edits(built / "public")
    assert not took_the_shortcut(built)  # in this process: the monkeypatch holds
    assert snapshot(built / "public") == expected
    assert took_the_shortcut(built)
    # An edit of the content and a hand edit at once: the edit is built, the hand edit repaired.
    (built / A).write_text(article("Rapat", body="Isi yang diubah."), "utf-8")
    hand_edits(built / "public")
    assert not took_the_shortcut(built)
    assert snapshot(built / "public") == clean_build_of(built, tmp_path)


def test_find_makes_no_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    assert generations.find(site, tmp_path / "elsewhere" / "public") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert list(site.iterdir()) == []


def test_a_child_is_forked_only_for_a_large_record_with_no_other_thread(built: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    slots, _marker = live_of(built)
    assert not sitegen.ondisk._worth_forking(slots, 2)  # a tiny site: checked in the build's process
    monkeypatch.setattr(sitegen.ondisk, "FORK_FROM_BYTES", 0)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert sitegen.ondisk._worth_forking(slots, 2)
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # serve's rebuilds run in a thread
    assert not sitegen.ondisk._worth_forking(slots, 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert not sitegen.ondisk._worth_forking(slots, 1)  # --jobs 1: one process


def test_a_child_that_does_not_answer_is_stopped() -> None:
    import time

    child = Forked(time.sleep, 30)
    started = time.monotonic()
    assert child.result(wait=0.3) is None
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # reaped: no zombie left


def test_a_record_kept_in_memory_is_read_again_once_another_process_changed_it(built: Path) -> None:
    """serve keeps the live record between rebuilds; a build by another process (a scheduled
    `sitegen build`) replaces it, and the next read sees the new one."""
    slots, first = live_of(built)
    assert live_of(built)[1] is first  # kept: not read again
    (built / A).write_text(article("Rapat", body="Isi dari proses lain."), "utf-8")
    done = run_process("build", "--site", built, "--now", NOW, "--no-search")
    assert done.code == 0, done.err
    _slots, second = live_of(built)
    assert second is not first and second.generation != first.generation
    on_disk = generations.record_of((generations.record_file(slots, slots.live) or Path()).read_bytes())
    assert on_disk is not None
    assert (second.generation, second.files, second.stats) == (on_disk.generation, on_disk.files, on_disk.stats)


def test_the_record_holds_each_file_as_it_is_on_disk(built: Path) -> None:
    """The stat a render worker took of the file it wrote is what the record keeps (renames
    into the next generation keep it); a file the spare already held is stat-ed there. Either
    way the next build's check finds no file changed by hand."""
    def recorded_as_on_disk() -> int:
        slots, marker = live_of(built)
        for path, stat in marker.stats.items():
            found = os.lstat(slots.live / path)
            assert stat == (found.st_size, found.st_mtime_ns, found.st_ino), path
        assert ondisk.changed_files(slots.live, marker) == frozenset()
        return os.lstat(slots.live / PAGE).st_ino

    original = (built / A).read_text("utf-8")
    first = recorded_as_on_disk()
    (built / A).write_text(original + "\nPembaruan: data telah diperbarui.\n", "utf-8")
    ok(built)
    assert recorded_as_on_disk() != first  # staged by a worker
    (built / A).write_text(original, "utf-8")
    ok(built)
    assert recorded_as_on_disk() == first  # held by the spare: the first build's file again
