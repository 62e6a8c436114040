"""``sitegen watch``: rebuild on change, once per burst of saves, and when an embargo lifts."""

from __future__ import annotations

import functools
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitegen.build import Options
from sitegen.watch import Outcome, Rebuilder, SearchIndexer, Watcher, describe, until_interrupted
from tests.conftest import SMALL_CONFIG, article, interrupt_another_thread
from tests.test_serve import ARTICLE, Served, bilingual_files, edit, launch, wait_for

PAGE = "public/berita/2024/rapat/index.html"
TWIN_PAGE = "public/en/berita/2024/rapat/index.html"
TWIN = "content/berita/2024-05-30-rapat.en.md"


def test_watch_rebuilds_changed_and_removed_articles(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    with launch(site, ["watch"], "watching ") as proc:
        assert "Rapat Koordinasi" in (site / PAGE).read_text("utf-8")
        # Pagefind runs after the build, in the background, so pages never wait for it.
        wait_for(lambda: (site / "public/pagefind/bundles.json").is_file(), "the search index")
        edit(site / ARTICLE, "Rapat Koordinasi", "Rapat Diperbarui")
        wait_for(lambda: "Rapat Diperbarui" in (site / PAGE).read_text("utf-8"), "the rebuilt page")
        (site / TWIN).unlink()
        wait_for(lambda: not (site / TWIN_PAGE).exists(), "the removed translation")
        assert proc.stop() == 0
    lines = proc.log("out").splitlines()
    assert lines[0].startswith("built: ")
    assert any(x.startswith(f"changed {ARTICLE}: ") for x in lines)
    removal = next(x for x in lines if x.startswith(f"changed {TWIN}"))
    assert " removed in " in removal


def _reported(proc: Served) -> bool:
    return "embargo lifted: content/berita/2024-06-01-embargo.id.md" in proc.log("out")


def test_an_embargo_lifting_rebuilds_by_itself(make_site: Callable[..., Path]) -> None:
    # A loaded machine may start watching only after the embargo lifted (its first build then
    # publishes the release and nothing is left to lift): tried again with more time ahead.
    for ahead in (4, 20, 60):
        lifts = (datetime.now(UTC) + timedelta(seconds=ahead)).replace(microsecond=0)
        release = article("Rilis Embargo", embargo=lifts.isoformat())
        site = make_site({**bilingual_files(), "content/berita/2024-06-01-embargo.id.md": release},
                         name=f"site-{ahead}")
        page = site / "public/berita/2024/embargo/index.html"
        with launch(site, ["watch"], "watching ") as proc:
            if datetime.now(UTC) >= lifts:
                continue
            assert not page.exists()
            wait_for(page.exists, "the embargoed release", timeout=ahead + 60)
            wait_for(functools.partial(_reported, proc), "the report line")
        assert "Rilis Embargo" in page.read_text("utf-8")
        return
    pytest.fail("watch never started before the embargo lifted, even a minute ahead")


def test_a_broken_config_at_start_is_reported_and_watching_goes_on(
        make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files(), config=SMALL_CONFIG + "paginate: [\n")
    with launch(site, ["watch"], "watching ") as proc:
        assert "config.yaml:" in proc.log("err") and ": error: " in proc.log("err")
        # No build has made a site yet: none is said to stay in place.
        assert "build failed: there is no site to show until this is fixed" in proc.log("err")
        assert "last good version" not in proc.log("err")
        assert not (site / PAGE).exists()
        (site / "config.yaml").write_text(SMALL_CONFIG, "utf-8")
        wait_for(lambda: (site / PAGE).exists(), "the build after the fix")
        wait_for(lambda: "changed config.yaml: " in proc.log("out"), "the report line")
        assert proc.stop() == 0


@pytest.mark.parametrize("command", [["watch"], ["serve", "--port", "0"]])
def test_ctrl_c_taken_by_another_thread_still_stops_it(make_site: Callable[..., Path], command: list[str]) -> None:
    """The kernel may hand a process's SIGINT to any of its threads (it did, now and then,
    while a rebuild or the search index was busy): watch then went on running. kill() with a
    thread's id hands the signal to that thread whenever it can take it."""
    site = make_site(bilingual_files())
    with launch(site, command, "(Ctrl-C") as proc:
        interrupt_another_thread(proc.proc.pid)  # watch and serve rebuild in a thread of their own
        assert proc.proc.wait(timeout=20) == 0
    assert proc.log("err").strip().endswith("stopped"), proc.log("err")


def test_an_output_folder_sitegen_refuses_ends_watch_with_status_2(
        make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site(bilingual_files())
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not sitegen's")
    with launch(site, ["watch", "--output", str(foreign)], "watching ") as proc:
        assert proc.proc.wait(timeout=60) == 2
    assert "refusing to write to output folder" in proc.log("err")
    assert (foreign / "keep.txt").read_text() == "not sitegen's"


def test_an_output_dir_of_config_yaml_sitegen_refuses_ends_watch_at_its_line(
        make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    with (site / "config.yaml").open("a", encoding="utf-8") as config:
        config.write("output_dir: content/out\n")
    line = (site / "config.yaml").read_text("utf-8").count("\n")
    with launch(site, ["watch"], "watching ") as proc:
        assert proc.proc.wait(timeout=60) == 2
    assert f"config.yaml:{line}: error: 'output_dir' is 'content/out': refusing to write" in proc.log("err")
    assert not (site / "content/out").exists()


class Recording(Rebuilder):
    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self.reasons: list[str] = []
        self.touched: list[set[str] | None] = []
        self.done = threading.Event()

    def rebuild(self, reason: str, touched: Collection[str] | None = None) -> Outcome:
        outcome = super().rebuild(reason, touched)
        self.reasons.append(reason)
        self.touched.append(None if touched is None else set(touched))
        self.done.set()
        return outcome


def test_a_burst_of_saves_gives_one_rebuild(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    rebuilder = Recording(Options(site_dir=site, search=False))
    rebuilder.rebuild("built")
    rebuilder.done.clear()
    # A long quiet period makes the test independent of the machine's speed.
    watcher = Watcher(rebuilder, quiet=3.0)
    watcher.start()
    try:
        target = site / ARTICLE
        original = target.read_text("utf-8")
        for n in range(5):  # an editor's atomic save: temp file, then rename over the original
            temp = target.with_name(f".{target.name}.tmp{n}")
            temp.write_text(original.replace("Isi berita", f"Isi {n}"), "utf-8")
            temp.replace(target)
        edit(site / TWIN, "The news.", "More news.")
        assert rebuilder.done.wait(timeout=60)
    finally:
        watcher.stop()
    assert rebuilder.reasons == ["built", f"changed {ARTICLE}, {TWIN}"]
    assert rebuilder.touched == [None, {ARTICLE, TWIN}]  # the editor's temporary files are gone
    assert "Isi 4" in (site / PAGE).read_text("utf-8")


def test_saves_some_tens_of_milliseconds_apart_are_one_rebuild(make_site: Callable[..., Path]) -> None:
    """With the default quiet period: a file written in parts, then saved again twice, 30 ms
    apart (a tool saving in steps, an editor's autosave): one rebuild, of the last text, and no
    half-written page published on the way."""
    site = make_site(bilingual_files())
    rebuilder = Recording(Options(site_dir=site, search=False))
    rebuilder.rebuild("built")
    rebuilder.done.clear()
    watcher = Watcher(rebuilder)
    watcher.start()
    try:
        target = site / ARTICLE
        original = target.read_text("utf-8")
        with target.open("w", encoding="utf-8") as half:
            half.write(original[: len(original) // 2])
            half.flush()
            time.sleep(0.03)
            half.write(original[len(original) // 2:])
        for n in range(2):
            time.sleep(0.03)
            target.write_text(original.replace("Isi berita", f"Isi {n}"), "utf-8")
        assert rebuilder.done.wait(timeout=60)
        time.sleep(1.0)  # time enough for a second rebuild, were there one
    finally:
        watcher.stop()
    assert rebuilder.reasons == ["built", f"changed {ARTICLE}"]
    assert "Isi 1" in (site / PAGE).read_text("utf-8")


@pytest.mark.parametrize("link", ["loop", "nowhere"])
def test_a_link_added_that_leads_nowhere_is_an_error_of_the_rebuild(link: str, make_site: Callable[..., Path]) -> None:
    """A link to itself, or to no file, added while watching: after an edit had been rebuilt it
    was taken for an editor's temp file gone again, and the rebuild said nothing, while
    ``sitegen build`` stops at it."""
    site = make_site(bilingual_files())
    rebuilder = Recording(Options(site_dir=site, search=False))
    outcomes: list[Outcome] = []
    rebuilder.listeners.append(outcomes.append)
    rebuilder.rebuild("built")
    watcher = Watcher(rebuilder)
    watcher.start()
    try:
        rebuilder.done.clear()
        edit(site / ARTICLE, "Isi berita", "Isi yang diperbarui")
        assert rebuilder.done.wait(timeout=60) and outcomes[-1].ok
        rebuilder.done.clear()
        added = site / "content/berita/tautan.id.md"
        added.symlink_to(added.name if link == "loop" else "/tidak-ada/rilis.md")
        assert rebuilder.done.wait(timeout=60)
    finally:
        watcher.stop()
    assert rebuilder.touched[-1] == {"content/berita/tautan.id.md"}
    assert not outcomes[-1].ok and any(line.startswith("content/berita/tautan.id.md: error: ")
                                       for line in outcomes[-1].errors), outcomes[-1].errors


def test_only_sources_count_as_changes(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    watcher = Watcher(Rebuilder(Options(site_dir=site, search=False)))
    root = site.resolve()
    relevant = {p: watcher._relevant(root / p) for p in (
        "content/berita/a.id.md", "config.yaml", "static/img/a.png", "themes/x/templates/a.html",
        "i18n/id.yaml", "public/index.html", ".sitegen-cache/entries.pickle", "README.md",
        "content/berita/.#a.id.md", "content/berita/a.id.md~", "content/berita/.a.id.md.swp",
        "content/berita/4913", "content/berita/#a.id.md#")}
    assert [p for p, keep in relevant.items() if keep] == [
        "content/berita/a.id.md", "config.yaml", "static/img/a.png", "themes/x/templates/a.html",
        "i18n/id.yaml"]


def test_describe() -> None:
    assert describe([]) == "rebuilt"
    assert describe(["a"]) == "changed a"
    assert describe(["a", "b", "c", "d", "e"]) == "changed a, b, c and 2 more"


def test_each_embargo_time_is_rebuilt_for_once(make_site: Callable[..., Path]) -> None:
    """An embargo that passed during a build is due at once; a fixed clock cannot loop."""
    release = article("Rilis Embargo", embargo="2026-06-01T09:00:00+07:00")
    site = make_site({**bilingual_files(), "content/berita/2024-06-01-embargo.id.md": release})
    rebuilder = Rebuilder(Options(site_dir=site, now="2026-05-01T00:00:00+07:00", search=False))
    assert rebuilder.next_due() is None  # nothing built yet, nothing known
    rebuilder.rebuild("built")
    due = rebuilder.next_due()
    assert due is not None and due.entry.source == "content/berita/2024-06-01-embargo.id.md"
    assert rebuilder.rebuild_due(due).ok
    assert rebuilder.next_due() is None  # the clock is fixed: still hidden, but not due again


def test_forked_build_workers_stop_quietly() -> None:
    """Build workers forked under serve inherit its SIGTERM handler: they must simply end
    when their pool is closed, not raise KeyboardInterrupt with a traceback."""
    statuses: list[int] = []

    def run() -> None:
        ready, started = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                os.write(started, b"1")
                time.sleep(30)
            finally:
                os._exit(3)  # reached only if the signal did not end the process
        os.close(started)
        # Sent once the child runs: one sent before Python has finished forking is dropped
        # there (the pool blocks SIGTERM over its forks for that reason); on a loaded machine
        # a fixed pause was not always long enough.
        assert os.read(ready, 1) == b"1"
        os.close(ready)
        os.kill(pid, signal.SIGTERM)
        statuses.append(os.waitpid(pid, 0)[1])

    until_interrupted(run)
    assert os.WIFSIGNALED(statuses[0]) and os.WTERMSIG(statuses[0]) == signal.SIGTERM


def test_the_search_index_waits_for_saves_to_stop(make_site: Callable[..., Path]) -> None:
    """Pagefind runs once saves have stopped for a moment, not after each rebuild: browsers
    reload first, and the next save is not kept waiting for it."""
    site = make_site(bilingual_files())
    rebuilder = Rebuilder(Options(site_dir=site))
    rebuilder.search = SearchIndexer(site, delay=6.0)  # far more than a rebuild, even on a loaded machine
    bundles = site / "public/pagefind/bundles.json"
    rebuilder.rebuild("built")
    title = "Rapat Koordinasi"
    for n in range(3):  # saves a moment apart: each rebuild postpones the index
        time.sleep(0.3)
        edit(site / ARTICLE, title, f"Rapat {n}")
        title = f"Rapat {n}"
        assert rebuilder.rebuild("changed").changed
        assert not bundles.exists()
    last = time.monotonic()
    wait_for(bundles.is_file, "the search index")
    assert time.monotonic() - last >= 2.5
    assert "id" in json.loads(bundles.read_text("utf-8"))


def test_an_edit_made_before_the_watcher_started_is_not_lost(make_site: Callable[..., Path]) -> None:
    """serve's first build walks the folders before the watcher listens: an edit made in
    between has no event, so the next rebuild walks the folders again instead of trusting
    the paths it is told."""
    site = make_site(bilingual_files())
    rebuilder = Recording(Options(site_dir=site, search=False))
    assert rebuilder.rebuild("built").ok
    rebuilder.done.clear()
    edit(site / ARTICLE, "Rapat Koordinasi", "Rapat Sebelum Pengawas")  # no one is watching yet
    watcher = Watcher(rebuilder, quiet=0.5)
    watcher.start()
    try:
        edit(site / TWIN, "The news.", "More news.")
        assert rebuilder.done.wait(timeout=60)
    finally:
        watcher.stop()
    assert rebuilder.touched[-1] == {TWIN}
    assert "Rapat Sebelum Pengawas" in (site / PAGE).read_text("utf-8")
    assert "More news." in (site / TWIN_PAGE).read_text("utf-8")


def test_a_replaced_content_folder_is_watched_again(make_site: Callable[..., Path]) -> None:
    """A sync tool replaces content/ whole (a copy renamed into place). watchdog stops
    watching a folder that is removed: the new one is watched anew, the rebuild after the
    swap walks the folders, and later edits in the new folder still rebuild."""
    import shutil

    site = make_site(bilingual_files())
    rebuilder = Recording(Options(site_dir=site, search=False))
    assert rebuilder.rebuild("built").ok
    watcher = Watcher(rebuilder, quiet=0.5)
    watcher.start()
    try:
        rebuilder.done.clear()
        shutil.copytree(site / "content", site / "content.new")
        edit(site / "content.new" / ARTICLE.removeprefix("content/"), "Rapat Koordinasi", "Rapat Disalin")
        (site / "content").rename(site / "content.old")
        (site / "content.new").rename(site / "content")
        shutil.rmtree(site / "content.old")
        wait_for(lambda: "Rapat Disalin" in (site / PAGE).read_text("utf-8"), "the page from the new folder")
        # That rebuild walked. It is recorded once it returns, a moment after its page is written.
        wait_for(lambda: None in rebuilder.touched[1:], "the rebuild that walked the folders")
        time.sleep(1)
        rebuilder.done.clear()
        edit(site / ARTICLE, "Rapat Disalin", "Rapat Sesudah Salinan")
        wait_for(lambda: "Rapat Sesudah Salinan" in (site / PAGE).read_text("utf-8"), "an edit in the new folder")
    finally:
        watcher.stop()


def test_a_watch_stopped_before_its_index_caught_up_leaves_it_to_the_next_build(
        make_site: Callable[..., Path], tmp_path: Path) -> None:
    """watch rewrites the pages at once and the search index a moment later. Killed in between,
    it left new pages beside the old index, and the next ``sitegen build``, finding nothing
    changed, never made the index again."""
    import shutil

    from sitegen import searchindex
    from tests.conftest import build, need

    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    site = make_site(bilingual_files())
    with launch(site, ["watch"], "watching ") as proc:
        wait_for(lambda: (site / "public/pagefind/bundles.json").is_file(), "the search index")
        wait_for(lambda: not (site / "public" / searchindex.BACKGROUND_STAGING).exists(), "the index to settle")
        before = (site / "public/pagefind/bundles.json").read_bytes()
        edit(site / ARTICLE, "Rapat Koordinasi", "Rapat Diperbarui")
        wait_for(lambda: "Rapat Diperbarui" in (site / PAGE).read_text("utf-8"), "the rebuilt page")
        proc.proc.send_signal(signal.SIGKILL)  # before the index (a second later) is made
        proc.proc.wait(timeout=30)
    assert (site / "public/pagefind/bundles.json").read_bytes() == before  # the index is behind its pages
    assert (site / "public" / searchindex.BACKGROUND_STAGING).is_dir()  # and says so
    result = build(site)
    assert result.code == 0, result.err
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    assert build(fresh).code == 0
    assert (site / "public/pagefind/bundles.json").read_bytes() == (fresh / "public/pagefind/bundles.json").read_bytes()
    assert not (site / "public" / searchindex.BACKGROUND_STAGING).exists()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_watch_stopped_by_ctrl_c_or_sigterm_finishes_the_index_first(
        make_site: Callable[..., Path], tmp_path: Path, stop: signal.Signals) -> None:
    """Stopped right after a rebuild (Ctrl-C, or SIGTERM from a service manager), watch left
    new pages beside the old search index, and a half-made index inside the published folder:
    neither the site before nor the site after. It now makes the index, then ends."""
    import shutil

    from sitegen import searchindex
    from sitegen.oneshot import Unchanged, build_once
    from tests.conftest import NOW, build, need

    need(searchindex.pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    site = make_site(bilingual_files())
    with launch(site, ["watch"], "watching ") as proc:
        wait_for(lambda: (site / "public/pagefind/bundles.json").is_file(), "the search index")
        wait_for(lambda: not (site / "public" / searchindex.BACKGROUND_STAGING).exists(), "the index to settle")
        edit(site / ARTICLE, "Rapat Koordinasi", "Rapat Diperbarui")
        wait_for(lambda: "Rapat Diperbarui" in (site / PAGE).read_text("utf-8"), "the rebuilt page")
        proc.proc.send_signal(stop)  # before the index (a second later) is made
        assert proc.proc.wait(timeout=60) == 0, proc.log("err")
    assert not (site / "public" / searchindex.BACKGROUND_STAGING).exists()
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    assert build(fresh).code == 0
    assert (site / "public/pagefind/bundles.json").read_bytes() == (fresh / "public/pagefind/bundles.json").read_bytes()
    again = build_once(Options(site_dir=site, now=NOW))  # nothing left to do
    assert isinstance(again, Unchanged) or (again.rendered, again.written.written, again.written.removed) == (0, [], [])


@pytest.mark.parametrize("parts", [2, "many"])
def test_a_file_saved_in_parts_is_not_shown_as_an_error_in_between(
        make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str], parts: int | str) -> None:
    """A slow save (a network share, an editor that writes in parts) can be built when only
    its first part is there: its error is not shown (no overlay flashes) when the file
    changes again within a moment; the rebuild shows the whole file's page. Audit: a file
    written in many parts over about a second (40 bytes every 0.12 s) was built again once,
    from a later part still not whole, and its error reached the terminal and the overlay:
    the rebuild waits until the file has stopped changing."""
    site = make_site(bilingual_files())
    rebuilder = Rebuilder(Options(site_dir=site, search=False))
    seen: list[Outcome] = []
    rebuilder.listeners.append(seen.append)
    assert rebuilder.rebuild("built").ok
    text = (site / ARTICLE).read_text("utf-8").replace("Isi berita", "Isi berita yang ditulis lagi")
    # many parts: a long summary keeps its front matter unclosed for about a second
    whole = text if parts == 2 else \
        text.replace("\ntitle:", "\nsummary: " + "Ringkasan yang panjang sekali. " * 12 + "\ntitle:", 1)
    ends = [len(whole)] if parts == 2 else range(12 + 40, len(whole) + 40, 40)
    (site / ARTICLE).write_text(whole[:12], "utf-8")  # "---\ntitle: R": the front matter never closed

    def the_rest() -> None:
        for end in ends:
            time.sleep(0.1 if parts == 2 else 0.12)
            (site / ARTICLE).write_text(whole[:end], "utf-8")

    writer = threading.Thread(target=the_rest)
    writer.start()
    capsys.readouterr()
    outcome = rebuilder.rebuild("changed", {ARTICLE})
    writer.join()
    assert outcome.ok, outcome.errors
    assert [o.ok for o in seen] == [True, True]  # no failed outcome reached the browsers
    assert ": error: " not in capsys.readouterr().err
    assert "yang ditulis lagi" in (site / PAGE).read_text("utf-8")


def test_a_file_that_stays_broken_is_shown_as_an_error(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual_files())
    rebuilder = Rebuilder(Options(site_dir=site, search=False))
    assert rebuilder.rebuild("built").ok
    (site / ARTICLE).write_text("---\ntitle: R\n", "utf-8")
    outcome = rebuilder.rebuild("changed", {ARTICLE})
    assert not outcome.ok and any(ARTICLE in line for line in outcome.errors)


@pytest.mark.parametrize("missing", ["attachment", "photo"])
def test_putting_the_missing_file_in_place_ends_the_error(missing: str, make_site: Callable[..., Path]) -> None:
    """The error says "put it at static/...": doing so left serve and watch showing the error
    (and the overlay) until the release's own file was saved again, since a file whose parse
    failed was taken as it was while its own file had not changed."""
    from tests.conftest import photo_file

    name, meta = (("static/files/surat.pdf", {"attachments": [{"path": "/files/surat.pdf", "title": "Surat"}]})
                  if missing == "attachment" else
                  ("static/images/rapat.jpg", {"image": "/images/rapat.jpg", "image_alt": "Peserta rapat"}))
    site = make_site({**bilingual_files(), "content/berita/lampiran.id.md": article("Lampiran", **meta)})
    rebuilder = Rebuilder(Options(site_dir=site, search=False))
    failed = rebuilder.rebuild("built")
    assert not failed.ok and any("content/berita/lampiran.id.md" in line for line in failed.errors), failed.errors
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n" if missing == "attachment" else photo_file())
    fixed = rebuilder.rebuild("changed", {name})
    assert fixed.ok, fixed.errors
    assert (site / "public/berita/2024/lampiran/index.html").is_file()


def test_ui_language_changed_while_serving_is_spoken_from_the_next_rebuild(make_site: Callable[..., Path]) -> None:
    """The language is chosen when the command starts; serve and watch go on for hours, and a
    ui_language changed meanwhile was ignored until they were started again."""
    from sitegen import messages

    files = {**bilingual_files(), "content/berita/salah.id.md": "---\ntitle: Salah\ndate: 2024-13-01\n---\nIsi.\n"}
    site = make_site(files, SMALL_CONFIG + "ui_language: en\n")
    messages.set_language("en")
    rebuilder = Rebuilder(Options(site_dir=site, search=False))
    english = rebuilder.rebuild("built")
    assert not english.ok and any("there is no such month" in line for line in english.errors), english.errors
    (site / "config.yaml").write_text(SMALL_CONFIG + "ui_language: id\n", "utf-8")
    indonesian = rebuilder.rebuild("changed", {"config.yaml"})
    assert any("bulan itu tidak ada" in line or "tidak ada bulan" in line for line in indonesian.errors), \
        indonesian.errors
    assert messages.current_language() == "id"


def test_a_search_run_that_finds_a_text_let_go_leaves_the_next_run_to_index(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A save once a second or so: a rebuild let go of a text the background run's job still
    showed (texts.CacheLost). The thread ended with a traceback and stayed marked as running,
    so no later save ever refreshed the search index of that serve or watch."""
    from sitegen import watch
    from sitegen.texts import CacheLost

    site = make_site(bilingual_files())
    rebuilder = Rebuilder(Options(site_dir=site))
    rebuilder.search = SearchIndexer(site, delay=0.2)
    failed: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failed.append(args.exc_value))
    real = watch.index_site
    calls: list[int] = []

    def index_once_lost(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise CacheLost("text let go by a rebuild")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(watch, "index_site", index_once_lost)
    bundles = site / "public/pagefind/bundles.json"
    assert rebuilder.rebuild("built").ok
    wait_for(lambda: calls and not rebuilder.search._running, "the first run")  # type: ignore[union-attr]
    assert not bundles.exists() and failed == []
    edit(site / ARTICLE, "Rapat Koordinasi", "Rapat Lanjutan")
    assert rebuilder.rebuild("changed").changed
    wait_for(bundles.is_file, "the search index")
    assert failed == []
