"""Generations of the output: rollback, clashes found before writing, records that cannot lead
outside, links in the output that are never followed, files changed by hand, disk errors."""

from __future__ import annotations

import json
import marshal
import os
import pickle
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen import generations
from sitegen.generations import Marker
from sitegen.oneshot import Unchanged, build_once
from sitegen.options import Options
from tests.conftest import NOW, SMALL_CONFIG, add_files, article, build, need, run, write_site
from tests.test_safety import snapshot

A = "content/berita/a.id.md"
B = "content/berita/b.id.md"
TENTANG = "content/pages/tentang.id.md"


def ok(site: Path, *extra: str) -> str:
    result = build(site, "--no-search", *extra)
    assert result.code == 0, result.err
    return result.out


def took_the_shortcut(site: Path) -> bool:
    """Build as ``sitegen build --no-search`` does, in this process: whether the build found
    nothing to do (the nothing-changed shortcut) rather than building."""
    return isinstance(build_once(Options(site_dir=site, now=NOW, search=False)), Unchanged)


def clean_build_of(site: Path, tmp_path: Path) -> dict[str, bytes | str]:
    copy = tmp_path / "clean-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    ok(copy)
    return snapshot(copy / "public")


def home_of(site: Path) -> Path:
    (home,) = (site / ".sitegen-cache").glob("output-*")
    return home


# --- rollback ------------------------------------------------------------------------------------

def test_rollback_puts_the_previous_site_back_and_again_the_newer(make_site: Callable[..., Path],
                                                                 tmp_path: Path) -> None:
    site = make_site({A: article("Rapat pertama"), B: article("Kedua", slug="kedua")})
    refused = run("rollback", "--site", site)
    assert refused.code == 2 and "cannot roll back" in refused.err and "Traceback" not in refused.err
    ok(site)
    first = snapshot(site / "public")
    refused = run("rollback", "--site", site)
    assert refused.code == 2 and "only one build" in refused.err
    (site / A).write_text(article("Rapat kedua"), "utf-8")
    (site / B).unlink()
    ok(site)
    second = snapshot(site / "public")
    assert second != first
    result = run("rollback", "--site", site)
    assert result.code == 0, result.err
    assert snapshot(site / "public") == first
    assert "rollback" in result.out
    # The build cache must not take the restored site for the one it made last.
    ok(site)
    assert snapshot(site / "public") == second == clean_build_of(site, tmp_path)
    assert run("rollback", "--site", site).code == 0
    assert snapshot(site / "public") == first
    assert run("rollback", "--site", site).code == 0
    assert snapshot(site / "public") == second
    assert took_the_shortcut(site)


def test_rollback_after_the_cache_was_deleted_puts_the_previous_site_back(make_site: Callable[..., Path],
                                                                         tmp_path: Path) -> None:
    """The live folder is only ever a whole site: one whose record went with a deleted
    .sitegen-cache/ is still the previous site after the next build, and can be put back
    (it was refused as "incomplete: a build was stopped")."""
    site = make_site({A: article("Rapat pertama")})
    ok(site)
    first = snapshot(site / "public")
    shutil.rmtree(site / ".sitegen-cache")
    (site / A).write_text(article("Rapat kedua"), "utf-8")
    ok(site)
    assert snapshot(site / "public") != first
    result = run("rollback", "--site", site)
    assert result.code == 0, result.err
    assert snapshot(site / "public") == first
    ok(site)  # and the next build brings the newer site back, whole
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_rollback_names_a_file_changed_by_hand_in_both_sites(make_site: Callable[..., Path]) -> None:
    """A file the two sites share is one file on the disk (a hard link): edited in place in the
    live site, the previous site has the edit too. Rollback puts it back all the same, and says
    which files were changed by hand since they were built."""
    site = make_site({A: article("Rapat pertama"), TENTANG: article("Tentang", date="", body="Kami.")})
    ok(site)
    (site / A).write_text(article("Rapat kedua"), "utf-8")
    ok(site)
    shared = site / "public/tentang/index.html"
    assert shared.stat().st_nlink == 2
    with shared.open("a", encoding="utf-8") as handle:
        handle.write("<!-- diubah tangan -->\n")
    result = run("rollback", "--site", site)
    assert result.code == 0, result.err
    assert f"{site / 'public'}/tentang/index.html: warning: changed by hand since the site was built" in result.err, \
        result.err
    assert "Rapat pertama" in (site / "public/berita/2024/a/index.html").read_text("utf-8")


def _one_second(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build from now on finishes in the same second, 0.1 s after the one before."""
    from datetime import UTC, datetime, timedelta

    from sitegen import writer

    moments = (datetime(2026, 11, 28, 5, 0, 0, tzinfo=UTC) + timedelta(seconds=n / 10) for n in range(1, 10))

    class Clock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return next(moments)

    monkeypatch.setattr(writer, "datetime", Clock)


def test_rollback_tells_apart_two_sites_built_in_one_second(make_site: Callable[..., Path],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Both were 'built 2026-11-28 12:00:00 WIB': which one came back could not be told."""
    _one_second(monkeypatch)
    site = make_site({A: article("Rapat pertama")})
    ok(site)
    (site / A).write_text(article("Rapat kedua"), "utf-8")
    ok(site)
    result = run("rollback", "--site", site)
    assert result.code == 0, result.err
    assert result.out.strip() == (
        f"rolled back {site / 'public'} to the site built 2026-11-28 12:00:00.100 WIB; the site built "
        "2026-11-28 12:00:00.200 WIB is kept: run 'sitegen rollback' again to restore it")
    assert "pertama" in (site / "public/berita/2024/a/index.html").read_text("utf-8")


_BUILT = re.compile(r"the site built (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (\S+?);? "
                    r".*the site built (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (\S+) is kept")


def built_times(site: Path) -> tuple[datetime, datetime]:
    """When the live generation and the previous one were built, as sitegen recorded it."""
    slots = generations.find(site, site / "public")
    assert slots is not None
    live, spare = generations.read_marker(slots, slots.live), generations.read_marker(slots, slots.spare)
    assert live is not None and spare is not None
    return datetime.fromisoformat(live.built), datetime.fromisoformat(spare.built)


def shown_times(out: str, zone: ZoneInfo | None, label: str) -> tuple[datetime, datetime]:
    """The two build times rollback printed (restored, kept), read back in ``zone`` (None:
    UTC), with the resolution they are shown in; each must carry ``label``."""
    found = _BUILT.search(out)
    assert found, out
    assert (found[2], found[4]) == (label, label), out
    restored, kept = (datetime.fromisoformat(text).replace(tzinfo=zone or UTC) for text in (found[1], found[3]))
    return restored, kept


def same_moment(shown: datetime, recorded: datetime, out: str) -> None:
    """``shown``, a time read back in the zone it names, is the ``recorded`` moment (to the
    second it is shown to)."""
    assert shown <= recorded < shown + timedelta(seconds=1), out


@pytest.mark.parametrize(("zone", "label", "offset"), [("Asia/Jakarta", "WIB", 7), ("Asia/Makassar", "WITA", 8)])
def test_rollback_says_when_each_site_was_built_in_the_sites_timezone(
        make_site: Callable[..., Path], zone: str, label: str, offset: int) -> None:
    """Newsroom staff read their own clock: the times rollback names were UTC
    (2026-12-06T05:18:31+00:00) where they read 12:18:31 WIB. What is recorded stays UTC."""
    site = make_site({A: article("Rapat pertama")}, SMALL_CONFIG.replace("timezone: Asia/Jakarta", f"timezone: {zone}"))
    ok(site)
    (site / A).write_text(article("Rapat kedua"), "utf-8")
    ok(site)
    newer, older = built_times(site)
    assert newer.utcoffset() == older.utcoffset() == timedelta(0)  # the records keep UTC
    result = run("rollback", "--site", site)
    assert result.code == 0, result.err
    restored, kept = shown_times(result.out, ZoneInfo(zone), label)
    same_moment(restored, older, result.out)
    same_moment(kept, newer, result.out)
    assert restored.utcoffset() == timedelta(hours=offset)
    assert "+00:00" not in result.out and "UTC" not in result.out


def test_rollback_with_a_broken_config_still_runs_and_says_its_times_in_utc(make_site: Callable[..., Path]) -> None:
    """rollback is what one reaches for when things went wrong: a config.yaml that no longer
    reads must not stop it (with --output); its times are then in UTC, and say so."""
    site = make_site({A: article("Rapat pertama")})
    ok(site)
    (site / A).write_text(article("Rapat kedua"), "utf-8")
    ok(site)
    newer, older = built_times(site)
    (site / "config.yaml").write_text("base_url: [https://humas.example.go.id/\ntimezone: Asia/Jakarta\n", "utf-8")
    result = run("rollback", "--site", site, "--output", site / "public")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err and "pertama" in (site / "public/berita/2024/a/index.html").read_text("utf-8")
    restored, kept = shown_times(result.out, None, "UTC")
    same_moment(restored, older, result.out)
    same_moment(kept, newer, result.out)
    # A config.yaml that reads as YAML but is refused (here its very timezone): the same.
    (site / "config.yaml").write_text(SMALL_CONFIG.replace("timezone: Asia/Jakarta", "timezone: Asia/Padang"), "utf-8")
    result = run("rollback", "--site", site, "--output", site / "public")
    assert result.code == 0, result.err
    restored, kept = shown_times(result.out, None, "UTC")
    same_moment(restored, newer, result.out)
    same_moment(kept, older, result.out)


def test_rollback_without_output_on_a_broken_config_says_how_to_name_the_folder(
        make_site: Callable[..., Path]) -> None:
    """Without --output only config.yaml says which folder to roll back: its errors, then the
    way around them, and the published site untouched."""
    site = make_site({A: article("Rapat pertama")})
    ok(site)
    (site / A).write_text(article("Rapat kedua"), "utf-8")
    ok(site)
    (site / "config.yaml").write_text(SMALL_CONFIG.replace("timezone: Asia/Jakarta", "timezone: Asia/Padang"), "utf-8")
    result = run("rollback", "--site", site)
    assert result.code == 2, result.err
    lines = result.err.splitlines()
    assert any(line.startswith("config.yaml:3: error: unknown timezone 'Asia/Padang'") for line in lines), result.err
    assert ("config.yaml: error: rollback reads where the site is published from config.yaml (fix config.yaml, "
            "or name the output folder: sitegen rollback --output FOLDER)") in lines, result.err
    assert "kedua" in (site / "public/berita/2024/a/index.html").read_text("utf-8")


def test_rollback_after_a_clean_build_in_the_same_second_is_no_different(make_site: Callable[..., Path],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A --clean build publishes the same files as the build before it. Within one second,
    rollback took the two for the first build and its copy ('only one build has been
    published'); a second later it rolled back. It rolls back in both cases now."""
    _one_second(monkeypatch)
    site = make_site({A: article("Rapat")})
    ok(site)
    ok(site, "--clean")
    result = run("rollback", "--site", site)
    assert result.code == 0, result.err
    assert result.out.strip() == (
        f"rolled back {site / 'public'} to the site built 2026-11-28 12:00:00.100 WIB; the site built "
        "2026-11-28 12:00:00.200 WIB is kept: run 'sitegen rollback' again to restore it")


def test_rollback_refuses_a_previous_site_a_killed_build_left_half_made(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat")})
    ok(site)
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    ok(site)
    live = snapshot(site / "public")
    spare = (home_of(site) / "previous").stat()
    (home_of(site) / f"slot-{spare.st_dev}-{spare.st_ino}.id").unlink()  # what a kill mid-update leaves
    result = run("rollback", "--site", site)
    assert result.code == 2
    assert "incomplete" in result.err and "Traceback" not in result.err
    assert snapshot(site / "public") == live
    (site / A).write_text(article("Rapat lagi"), "utf-8")
    ok(site)  # the next build makes the previous generation whole again
    assert run("rollback", "--site", site).code == 0
    assert snapshot(site / "public") == live


@pytest.mark.parametrize("stopped", ["failed", "killed"])
def test_rollback_never_publishes_a_build_that_did_not_go_live(make_site: Callable[..., Path],
                                                               monkeypatch: pytest.MonkeyPatch, stopped: str) -> None:
    """A build brings the previous site's folder up to date, then swaps: one that fails or is
    killed at the swap leaves its own site there, whole but never published, and the site that
    was live before is gone. Rollback refuses it rather than publish it as "the previous site";
    the next build that goes live makes the live site the previous one again."""
    site = make_site({A: article("Rapat", body="Versi C.")})
    ok(site)
    (site / A).write_text(article("Rapat", body="Versi A."), "utf-8")
    ok(site)
    live = snapshot(site / "public")
    (site / A).write_text(article("Rapat", body="Versi B, tidak pernah tayang."), "utf-8")

    def stop(slots: generations.Slots) -> None:
        if stopped == "killed":  # as a SIGKILL just before the swap leaves it: nothing after runs
            raise SystemExit(137)
        raise OSError(5, "Input/output error", str(slots.live))

    with monkeypatch.context() as patched:
        patched.setattr(generations, "_renameat2", lambda a, b: stop(generations.find(site, site / "public")) or 0)
        result = build(site, "--no-search")
    assert result.code != 0 and snapshot(site / "public") == live
    refused = run("rollback", "--site", site)
    assert refused.code == 2, refused.out + refused.err
    assert "never went live" in refused.err and "Traceback" not in refused.err, refused.err
    assert snapshot(site / "public") == live
    ok(site)  # B goes live now: A, which was live, is the previous site
    assert run("rollback", "--site", site).code == 0
    assert snapshot(site / "public") == live
    assert run("rollback", "--site", site).code == 0  # and back again: B went live


def test_the_edit_after_a_first_build_touches_only_what_changed(make_site: Callable[..., Path],
                                                               tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build leaves a copy of itself (hard links) as the previous generation: the next
    build knows the two are alike and links nothing again, only moves in what changed."""
    import sitegen.writer

    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    ok(site)
    first = snapshot(site / "public")
    linked: list[str] = []
    real = sitegen.writer._replace_with_link
    monkeypatch.setattr(sitegen.writer, "_replace_with_link",
                        lambda source, target: (linked.append(target), real(source, target))[1])
    (site / A).write_text(article("Rapat", body="Isi yang diubah."), "utf-8")
    assert not took_the_shortcut(site)
    assert linked == []
    assert snapshot(site / "public") == clean_build_of(site, tmp_path) != first
    assert run("rollback", "--site", site).code == 0
    assert snapshot(site / "public") == first


def test_a_parallel_first_build_leaves_its_copy_linked_file_by_file(make_site: Callable[..., Path],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The render workers of a first build link each file into the copy as they write it:
    the copy (the previous generation) holds every file of the live site, the same inode,
    and its record says so."""
    import sitegen.writer
    from sitegen import generations

    monkeypatch.setattr(sitegen.writer, "PARALLEL_FROM", 1)  # fork the pool even for a tiny site
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    ok(site, "--jobs", "2")
    slots = generations.find(site, site / "public")
    assert slots is not None
    live, spare = generations.read_marker(slots, slots.live), generations.read_marker(slots, slots.spare)
    assert live is not None and spare is not None
    assert spare.generation == live.previous and spare.files == live.files and len(live.files) > 20
    for path in live.files:
        assert os.lstat(slots.spare / path).st_ino == os.lstat(slots.live / path).st_ino, path


def test_a_first_build_that_fails_leaves_no_copy(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat")})
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text("{{ entry.no_such_field.deeper }}", "utf-8")
    result = build(site, "--no-search")
    assert result.code == 1 and "Traceback" not in result.err
    assert not (site / "public").exists()
    (home,) = (site / ".sitegen-cache").glob("output-*")
    assert [p.name for p in home.iterdir() if p.is_dir()] == []


def test_clean_build_that_fails_leaves_the_site_and_the_rollback(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    ok(site)
    first = snapshot(site / "public")
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    ok(site)
    second = snapshot(site / "public")
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text("{{ entry.no_such_field.deeper }}", "utf-8")
    result = build(site, "--no-search", "--clean")
    assert result.code == 1 and "Traceback" not in result.err
    assert snapshot(site / "public") == second
    assert run("rollback", "--site", site).code == 0
    assert snapshot(site / "public") == first


def test_clean_rewrites_every_file_and_keeps_hand_added_top_level_files(make_site: Callable[..., Path],
                                                                       tmp_path: Path) -> None:
    site = make_site({A: article("Rapat")})
    ok(site)
    (site / "public/googleabc.html").write_text("google-site-verification: abc", "utf-8")
    (site / "public/.well-known").mkdir()
    (site / "public/.well-known/security.txt").write_text("Contact: mailto:humas@example.go.id", "utf-8")
    before = (site / "public/index.html").stat().st_ino
    ok(site, "--clean")
    assert (site / "public/index.html").stat().st_ino != before
    assert (site / "public/googleabc.html").read_text("utf-8") == "google-site-verification: abc"
    assert (site / "public/.well-known/security.txt").is_file()
    expected = clean_build_of(site, tmp_path)
    got = snapshot(site / "public")
    assert {k: v for k, v in got.items() if not k.startswith((".well-known", "googleabc"))} == expected


# --- clashes -------------------------------------------------------------------------------------

@pytest.mark.parametrize("files, where, words", [
    ({A: article("Rapat", aliases=["/robots.txt/x/"])},
     f"{A}:4", ["alias /robots.txt/x/index.html", "/robots.txt/", "is a file"]),
    ({TENTANG: article("Tentang", date=""), "static/tentang": b"statis"},
     "static/tentang", ["static file /tentang", "the page of content/pages/tentang.id.md", "folder /tentang/"]),
    ({A: article("Rapat", aliases=["/tentang/"]), TENTANG: article("Tentang", date="")},
     A, ["/tentang/", "content/pages/tentang.id.md"]),  # found while assembling the site
    ({A: article("Rapat", aliases=["/pagefind/pagefind.js"])},
     f"{A}:4", ["alias /pagefind/pagefind.js", "Pagefind"]),
    ({A: article("Rapat", aliases=["/feed.xml"])},
     f"{A}:4", ["alias /feed.xml", "feed /feed.xml"]),
    ({A: article("Rapat"), "static/feed.xml": b"<rss/>"},
     "static/feed.xml", ["static file /feed.xml", "feed /feed.xml"]),
    ({A: article("Rapat", aliases=["/.sitegen-output.json"])},
     f"{A}:4", ["/.sitegen-output.json"]),
])
def test_clashes_are_content_errors_found_before_anything_is_written(
        files: dict[str, str | bytes], where: str, words: list[str], make_site: Callable[..., Path]) -> None:
    site = make_site({B: article("Kedua", slug="kedua")})
    ok(site)
    before = snapshot(site / "public")
    add_files(site, files)
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    line = next(line for line in result.err.splitlines() if line.startswith(where) and ": error: " in line)
    for word in words:
        assert word in line, line
    assert snapshot(site / "public") == before


@pytest.mark.parametrize("first, then", [
    ({"static/unduh/x": b"berkas"}, {"static/unduh/x/y.pdf": b"%PDF"}),  # a static file becomes a folder
    ({"static/unduh/x/y.pdf": b"%PDF"}, {"static/unduh/x": b"berkas"}),  # and back
    ({A: article("Rapat", aliases=["/lama/x.html"])}, {A: article("Rapat", aliases=["/lama/x.html/baru/"])}),
    ({A: article("Rapat", aliases=["/lama/x.html/baru/"])}, {A: article("Rapat", aliases=["/lama/x.html"])}),
])
def test_a_file_that_becomes_a_folder_or_back(first: dict[str, str | bytes], then: dict[str, str | bytes],
                                             make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({B: article("Kedua", slug="kedua"), **first})
    ok(site)
    for round_ in range(2):  # both slots go through the change
        for rel in first:
            (site / rel).unlink()
            shutil.rmtree(site / "static/unduh/x", ignore_errors=True)
        for rel, data in (then if round_ == 0 else first).items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_bytes(data) if isinstance(data, bytes) else (site / rel).write_text(data, "utf-8")
        ok(site)
        assert snapshot(site / "public") == clean_build_of(site, tmp_path)
        first, then = then, first


# --- nothing outside ---------------------------------------------------------------------------

def test_records_that_name_files_outside_are_ignored(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    victim = tmp_path / "korban.txt"
    victim.write_text("jangan dihapus", "utf-8")
    ok(site)
    (site / B).unlink()
    ok(site)  # now there is a previous generation too
    outside = ["../../korban.txt", str(victim), "../korban.txt", "a/../../korban.txt"]
    marker = site / "public/.sitegen-output.json"
    data = json.loads(marker.read_text("utf-8"))
    data["files"].update({path: "0" * 32 for path in outside})
    marker.write_text(json.dumps(data), "utf-8")
    records = list(home_of(site).glob("slot-*.record"))
    assert len(records) == 2
    for record in records:
        loaded = generations.record_of(record.read_bytes())
        assert isinstance(loaded, Marker)
        loaded.files.update({path: "0" * 32 for path in outside})
        loaded.differs.update({path: "" for path in outside})
        record.write_bytes(generations.record_bytes(loaded))
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    ok(site)
    (site / A).write_text(article("Rapat lagi"), "utf-8")
    ok(site, "--clean")
    assert run("rollback", "--site", site).code == 0
    (site / "content/berita/c.id.md").write_text(article("Ketiga", slug="ketiga"), "utf-8")
    ok(site)
    assert victim.read_text("utf-8") == "jangan dihapus"


def test_the_record_is_plain_data_and_anything_else_is_no_record(make_site: Callable[..., Path],
                                                                 tmp_path: Path) -> None:
    """sitegen's record of a slot reads back as the Marker it was written from. Bytes of
    another format, damaged bytes, a pickle (what an older sitegen wrote) or plain data of
    the wrong shape are no record: the build then makes the site again, whole and right."""
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    ok(site)
    (site / A).write_text(article("Rapat", body="Isi yang diubah."), "utf-8")
    ok(site)
    records = sorted(home_of(site).glob("slot-*.record"))
    assert len(records) == 2
    marker = generations.record_of(records[0].read_bytes())
    assert marker is not None and len(marker.files) > 5
    assert marker.stats.keys() == {*marker.files, generations.MARKER}  # the public marker's is kept too
    assert generations.record_of(generations.record_bytes(marker)) == marker
    whole = generations.record_bytes(marker)
    flipped = bytearray(whole)
    flipped[whole.index(next(iter(marker.files.values())).encode())] ^= 1  # audit: a bit of a file's digest,
    # published in the public marker for good
    for bad in (b"", b"\x00garbage", pickle.dumps(marker), marshal.dumps(("record-0", *([""] * 7))),
                marshal.dumps(("record-1", "g", "b", ["not", "a", "dict"], {}, "", {}, {})), bytes(flipped),
                whole[:-16]):  # without its seal: as written before records were sealed
        assert generations.record_of(bad) is None
    expected = clean_build_of(site, tmp_path)
    for record in records:
        record.write_bytes(pickle.dumps(marker))  # unreadable now: not a Marker, whatever it says
    (site / A).write_text(article("Rapat", body="Isi yang diubah."), "utf-8")  # same bytes, new mtime
    os.utime(site / A, (1, 1))
    ok(site)
    assert snapshot(site / "public") == expected
    readable = [generations.record_of(r.read_bytes()) for r in home_of(site).glob("slot-*.record")]
    assert sum(r is not None for r in readable) == 1  # the live one's, written again
    assert run("rollback", "--site", site).code == 0  # the previous one is complete all the same
    assert snapshot(site / "public") == expected  # (both hold this site)


def test_rollback_after_an_upgrade_brings_back_the_older_sitegens_site(make_site: Callable[..., Path],
                                                                      tmp_path: Path) -> None:
    """The first build after an upgrade that changed the record's form leaves the previous
    site complete but with a record this sitegen cannot read. Rollback still brings it back
    (its id says it is complete), and the next build makes every file again, right."""
    site = make_site({A: article("Rapat pertama"), B: article("Kedua", slug="kedua")})
    ok(site)
    first = snapshot(site / "public")
    (site / A).write_text(article("Rapat kedua"), "utf-8")
    ok(site)
    spare = (home_of(site) / "previous").stat()
    (home_of(site) / f"slot-{spare.st_dev}-{spare.st_ino}.record").unlink()  # as an older sitegen left it
    result = run("rollback", "--site", site)
    assert result.code == 0, result.err
    assert snapshot(site / "public") == first
    assert "rolled back" in result.out and "Traceback" not in result.err
    (site / B).write_text(article("Kedua diubah", slug="kedua"), "utf-8")
    ok(site)
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_files_of_slots_gone_or_of_an_older_sitegen_are_removed(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat")})
    ok(site)
    home = home_of(site)
    kept = sorted(p.name for p in home.glob("slot-*"))
    assert {name.rsplit(".", 1)[1] for name in kept} == {"id", "record", "stats"}
    leftovers = [home / f"{kept[0].rsplit('.', 1)[0]}.pickle", home / "slot-1-2.record", home / "slot-1-2.id"]
    for path in leftovers:
        path.write_bytes(b"old")
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    ok(site)
    assert not any(path.exists() for path in leftovers)
    assert len(list(home.glob("slot-*.record"))) == 2


def test_a_linked_folder_in_the_output_is_replaced_not_written_through(make_site: Callable[..., Path],
                                                                       tmp_path: Path) -> None:
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    ok(site)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(site / "public/berita", elsewhere)
    (elsewhere / "milik-orang-lain.txt").write_text("jangan disentuh", "utf-8")
    secret = tmp_path / "rahasia.txt"
    secret.write_text("rahasia", "utf-8")
    shutil.rmtree(site / "public/berita")
    (site / "public/berita").symlink_to(elsewhere, target_is_directory=True)
    (site / "public/index.html").unlink()
    (site / "public/index.html").symlink_to(secret)
    outside = snapshot(tmp_path / "elsewhere"), secret.read_bytes()
    ok(site)  # nothing changed in the sources: the links are files changed by hand
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    ok(site)
    assert (snapshot(tmp_path / "elsewhere"), secret.read_bytes()) == outside
    assert not (site / "public/berita").is_symlink() and (site / "public/berita").is_dir()
    assert not (site / "public/index.html").is_symlink()
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)


def test_a_folder_moved_out_of_the_output_and_linked_back_is_made_real_again(make_site: Callable[..., Path],
                                                                             tmp_path: Path) -> None:
    """Moved (mv), not copied: its files keep their size, mtime and inode, so the check for
    hand edits, reading through the link, found every one as sitegen left it; the build said
    "nothing changed" and the output kept serving a folder outside it."""
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    ok(site)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(site / "public/berita", elsewhere)
    (site / "public/berita").symlink_to(elsewhere, target_is_directory=True)
    outside = snapshot(elsewhere)
    assert "nothing changed" not in ok(site)
    assert not (site / "public/berita").is_symlink() and (site / "public/berita").is_dir()
    assert snapshot(elsewhere) == outside
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    ok(site)
    assert snapshot(elsewhere) == outside
    assert snapshot(site / "public") == clean_build_of(site, tmp_path)

# --- files changed by hand -----------------------------------------------------------------------

def test_files_changed_by_hand_are_rewritten_even_when_nothing_else_changed(make_site: Callable[..., Path],
                                                                           tmp_path: Path) -> None:
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    ok(site)
    expected = snapshot(site / "public")
    page = site / "public/berita/2024/a/index.html"
    page.write_bytes(page.read_bytes().replace(b"Rapat", b"RUSAK"))  # same size, new mtime
    (site / "public/404.html").unlink()
    assert not took_the_shortcut(site)
    assert snapshot(site / "public") == expected
    assert took_the_shortcut(site)
    # A file edited in place is shared with the previous generation (a hard link): neither is trusted.
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    ok(site)
    with open(site / "public/404.html", "r+b") as handle:
        handle.write(b"X")
    (site / A).write_text(article("Rapat"), "utf-8")
    ok(site)
    assert snapshot(site / "public") == expected == clean_build_of(site, tmp_path)


def test_a_public_marker_deleted_or_edited_by_hand_is_written_again(make_site: Callable[..., Path],
                                                                    tmp_path: Path) -> None:
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    ok(site)
    expected = snapshot(site / "public")
    marker = site / "public" / generations.MARKER
    marker.unlink()
    assert not took_the_shortcut(site)
    assert snapshot(site / "public") == expected
    assert took_the_shortcut(site)
    data = json.loads(marker.read_bytes())
    data["files"]["../diluar.txt"] = "0" * 32
    marker.write_text(json.dumps(data), "utf-8")
    assert not took_the_shortcut(site)
    assert snapshot(site / "public") == expected
    marker.unlink()  # --clean too knows the folder as its own, from its record
    ok(site, "--clean")
    assert snapshot(site / "public") == expected == clean_build_of(site, tmp_path)


# --- errors of the disk, never a traceback ---------------------------------------------------------

def test_output_naming_a_file_is_refused(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({A: article("Rapat")})
    target = tmp_path / "berkas.txt"
    target.write_text("isi", "utf-8")
    result = build(site, "--output", str(target))
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.startswith(f"{target}: error: ") and "file" in result.err.splitlines()[0]
    assert target.read_text("utf-8") == "isi"


def _mount_tmpfs(where: Path, options: str) -> None:
    need(os.geteuid() == 0 and shutil.which("mount"), "mounting a small tmpfs needs root")
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True,
                          check=False)
    need(done.returncode == 0, f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Callable[[str], Path]:
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        _mount_tmpfs(where, options)
        mounted.append(where)
        return where

    yield mount  # type: ignore[misc]
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_keeps_the_published_site(make_site: Callable[..., Path],
                                              small_disk: Callable[[str], Path]) -> None:
    disk = small_disk("size=600k")
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    out = disk / "public"
    result = build(site, "--no-search", "--output", str(out))
    assert result.code == 0, result.err
    before = snapshot(out)
    (site / "static").mkdir()
    (site / "static/besar.bin").write_bytes(os.urandom(700_000))  # more than the disk holds
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    result = build(site, "--no-search", "--output", str(out))
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert ": error: cannot write the site: No space left on device" in result.err
    assert "(the disk is full" in result.err
    assert snapshot(out) == before
    (site / "static/besar.bin").unlink()
    result = build(site, "--no-search", "--output", str(out))
    assert result.code == 0, result.err


def test_a_first_build_that_fails_after_the_site_went_live_says_it_is_published(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build publishes its site, then copies it to be the generation a later rollback
    goes back to. A disk that filled in that copy was reported as 'the published site is
    unchanged', of a folder that now held the new site (found on a tmpfs of about 550 kB)."""
    import errno

    from sitegen import writer

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    with monkeypatch.context() as patched:
        patched.setattr(writer, "_finish_copy", full)
        result = build(site, "--no-search")
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert (": error: the new site is published, but sitegen could not finish its own records: No space left on "
            "device (the disk is full: free some space and build again)") in result.err, result.err
    assert "unchanged" not in result.err and "nothing was published" not in result.err
    published = snapshot(site / "public")
    assert "berita/2024/kedua/index.html" in published
    again = build(site, "--no-search", "--clean")
    assert again.code == 0, again.err
    assert snapshot(site / "public") == published


def test_a_read_only_output_is_an_error_not_a_traceback(make_site: Callable[..., Path],
                                                        small_disk: Callable[[str], Path]) -> None:
    disk = small_disk("size=2m")
    site = make_site({A: article("Rapat")})
    out = disk / "public"
    assert build(site, "--no-search", "--output", str(out)).code == 0
    before = snapshot(out)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    result = build(site, "--no-search", "--output", str(out))
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert "read-only" in result.err
    assert snapshot(out) == before


def test_a_read_only_site_folder_is_named_for_what_it_is(small_disk: Callable[[str], Path]) -> None:
    """A site folder on a read-only disk: the error named sitegen's own folder beside the output
    (.public.sitegen, which the user never heard of) and an unchanged published site where none
    was; once built, a build with nothing to do failed (it looked for its record where it could
    have written it, not where it was), and rollback said no site had been published."""
    disk = small_disk("size=4m")
    site = write_site(disk / "site", {A: article("Rapat"), B: article("Kedua", slug="kedua")})
    public = site / "public"
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    result = build(site, "--no-search")
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.splitlines()[0] == (
        f"{public}: error: cannot write the site: Read-only file system; nothing was published (the folder is on a "
        "read-only filesystem: choose another with --output)")
    assert sorted(p.name for p in site.iterdir()) == ["config.yaml", "content"]
    subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
    ok(site)
    ok(site, "--base-url", "https://humas.example.go.id/baru/")
    published = snapshot(public)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    assert "nothing changed" in ok(site, "--base-url", "https://humas.example.go.id/baru/")
    result = build(site, "--no-search")
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.splitlines()[0] == (
        f"{public}: error: cannot write the site: Read-only file system; the published site is unchanged (the "
        "folder is on a read-only filesystem: choose another with --output)")
    result = run("rollback", "--site", site)
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.splitlines()[0] == (
        f"{public}: error: cannot roll back: Read-only file system (the published site is unchanged; make the "
        "folder writable, then roll back again)")
    assert snapshot(public) == published


# --- where the filesystem refuses RENAME_EXCHANGE --------------------------------------------------

def _slots(tmp_path: Path) -> tuple[object, Path, Path]:
    from sitegen.generations import Slots

    live, home = tmp_path / "public", tmp_path / "home"
    (live / "a").mkdir(parents=True)
    (live / "a/index.html").write_text("lama", "utf-8")
    (home / "previous/a").mkdir(parents=True)
    (home / "previous/a/index.html").write_text("baru", "utf-8")
    return Slots(live, home, home / "previous"), live, home


def test_the_swap_falls_back_to_journalled_renames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from sitegen import generations

    slots, live, home = _slots(tmp_path)
    monkeypatch.setattr(generations, "_renameat2", lambda a, b: errno.EINVAL)
    generations.exchange(slots)  # type: ignore[arg-type]
    assert (live / "a/index.html").read_text("utf-8") == "baru"
    assert (home / "previous/a/index.html").read_text("utf-8") == "lama"
    assert not (home / "swap.json").exists() and not (home / "aside").exists()


@pytest.mark.parametrize("done", [0, 1, 2])
def test_an_interrupted_swap_is_completed_by_the_next_run(done: int, tmp_path: Path) -> None:
    from sitegen import generations

    slots, live, home = _slots(tmp_path)
    (home / "swap.json").write_text(json.dumps({"live": str(live), "spare": str(home / "previous")}), "utf-8")
    if done >= 1:
        (live).rename(home / "aside")
    if done >= 2:
        (home / "previous").rename(live)
    generations.recover(slots)  # type: ignore[arg-type]
    assert (live / "a/index.html").read_text("utf-8") == "baru"
    assert (home / "previous/a/index.html").read_text("utf-8") == "lama"
    assert not (home / "swap.json").exists()


@pytest.mark.parametrize("libc", ["with renameat2", "older, without it"])
def test_renameat2_exchanges_two_folders_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, libc: str) -> None:
    """Through the C library's ``renameat2``, or, where an older one has none, the kernel's
    system call by this machine's number for it."""
    import ctypes
    import errno

    from sitegen import generations

    if libc.startswith("older"):
        real = ctypes.CDLL(None, use_errno=True)

        class OlderLibc:
            syscall = real.syscall

        monkeypatch.setattr(ctypes, "CDLL", lambda *args, **kwargs: OlderLibc())
    slots, live, home = _slots(tmp_path)
    code = generations._renameat2(live, home / "previous")
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        pytest.skip(f"this filesystem refuses RENAME_EXCHANGE ({os.strerror(code)}): the journalled swap is used")
    assert code == 0
    assert (live / "a/index.html").read_text("utf-8") == "baru"


def test_a_disk_too_full_for_the_search_index_keeps_the_published_site(
        make_site: Callable[..., Path], small_disk: Callable[[str], Path]) -> None:
    """The pages fit, their search index does not: the build stops before its switch (the
    published pages and their index stay as they were together), instead of publishing new
    pages beside the old index with a warning."""
    from sitegen import searchindex

    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    disk = small_disk("size=8m")
    site = make_site({A: article("Rapat"), B: article("Kedua", slug="kedua")})
    out = disk / "public"
    assert build(site, "--output", str(out)).code == 0
    before = snapshot(out)
    bundle = max(sum(f.stat().st_size for f in b.rglob("*") if f.is_file())
                 for b in (out / "pagefind").iterdir() if b.is_dir())
    free = os.statvfs(disk)
    filler = disk / "pengisi.bin"
    filler.write_bytes(b"\0" * max(0, free.f_bavail * free.f_frsize - bundle * 3 // 4))  # room for pages, not a bundle
    (site / A).write_text(article("Rapat diubah", body="Isi yang mengubah indeks."), "utf-8")
    result = build(site, "--output", str(out))
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err and "No space left on device" in result.err, result.err
    assert snapshot(out) == before
    filler.unlink()
    assert build(site, "--output", str(out)).code == 0
    assert "Rapat diubah" in (out / "berita/2024/a/index.html").read_text("utf-8")


def test_an_output_folder_that_is_a_mount_point_is_explained(make_site: Callable[..., Path],
                                                             small_disk: Callable[[str], Path]) -> None:
    disk = small_disk("size=4m")
    site = make_site({A: article("Rapat")})
    result = build(site, "--no-search", "--output", str(disk))
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err
    assert "the output folder is a mount point" in result.err and "mount the disk one folder up" in result.err
    assert list(disk.iterdir()) == []
    assert build(site, "--no-search", "--output", str(disk / "public")).code == 0  # a folder inside it works
