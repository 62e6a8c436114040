"""Rebuild on change: watchdog events → one debounced rebuild, and another when an embargo lifts.

``sitegen watch`` and ``sitegen serve`` share this loop. One long-lived build State keeps
parsed entries and output fingerprints in memory, so a rebuild re-parses only the files
that changed and rewrites only the outputs whose inputs changed. A failed rebuild prints
its diagnostics and leaves the last good output in place (the writer guarantees that).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from sitegen import configmemo, generations, oserrors
from sitegen.build import Options, Prepared, Result, State, build, build_lock, output_dir
from sitegen.cachefiles import CACHE_DIR
from sitegen.collector import collect_rarely
from sitegen.config import CONFIG_FILE, load_config, require_config_file
from sitegen.errors import Diagnostic, Report, SiteError, UsageError, print_diagnostics
from sitegen.interrupts import stop_as_interrupt
from sitegen.messages import _, decimal, ngettext, set_language
from sitegen.model import Hidden
from sitegen.searchindex import BACKGROUND_STAGING, BUNDLE, SEALS, index_site, pagefind_binary
from sitegen.texts import CacheLost
from sitegen.themes import theme_dir

WATCHED_DIRS = ("content", "static", "templates", "i18n", "themes")
#: An editor's save is a burst of events (temp file, rename, chmod), all within a few
#: milliseconds, and a tool that saves several files, or one file in parts, writes them
#: some tens of milliseconds apart: wait this long for quiet, so that such a burst is one
#: rebuild (and no half-written file is published). Events that come later start another.
#: Longer would be felt: it is part of the time from a save to the page on screen.
QUIET_SECONDS = 0.075
#: The search index waits this long after the last rebuild: browsers reload the pages the
#: rebuild wrote meanwhile, and a writer saving again soon after is not kept waiting.
SEARCH_DELAY = 1.0
#: Rebuild this long after an embargo or publication time so the build's clock is past it.
DUE_MARGIN = 0.5
#: Re-check the schedule at least this often (the clock may jump, e.g. after suspend).
MAX_SLEEP = 600.0
_EDITOR_LITTER = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one rebuild did, for the terminal and for browsers waiting on the live server."""

    ok: bool
    changed: bool  # some output was written or removed: open pages should reload
    #: some file that pages load but that is no page was written or removed (a stylesheet, a
    #: script, a picture at the same address): open pages reload whole, not only their text
    assets: bool = False
    errors: tuple[str, ...] = ()  # ``path:line: error: message`` lines of a failed rebuild
    fatal: bool = False  # bad usage (e.g. an output folder sitegen refuses): stop at startup


#: Outputs that are read rather than loaded by a page: feeds, sitemaps, the pages themselves.
PAGE_SUFFIXES = (".html", ".xml", ".json", ".txt")


class SearchIndexer:
    """Pagefind in the background, one run at a time, again if the site changed meanwhile.

    An edit re-indexes only its own bundle, but that still takes Pagefind a good part of a
    second, so serve and watch do not wait for it: browsers reload as soon as the pages are
    written, and search catches up a moment later.
    """

    def __init__(self, site_dir: Path, delay: float = SEARCH_DELAY) -> None:
        self._site_dir = site_dir
        self._delay = delay
        self._lock = threading.Lock()
        self._pending: tuple[Path, Prepared] | None = None
        self._asked = 0.0
        self._running = False
        self._thread: threading.Thread | None = None
        self._said: set[str] = set()

    def request(self, out: Path, prepared: Prepared) -> None:
        with self._lock:
            self._pending = (out, prepared)
            self._asked = time.monotonic()
            if self._running:
                return
            self._running = True
            thread = threading.Thread(target=self._run, name="sitegen-search", daemon=True)
            thread.start()
            self._thread = thread  # only once started: finish() joins it

    def finish(self) -> None:
        """Make the index asked for now, without waiting for the edits to calm, and wait until
        it is made: a serve or watch that is stopped leaves the index of its pages, not the one
        before them beside a half-made one (a second Ctrl-C stops the wait)."""
        with self._lock:
            self._delay = 0.0
            thread = self._thread if self._running else None
        if thread is not None:
            print(_("finishing the search index ..."), file=sys.stderr, flush=True)
            thread.join()

    def _run(self) -> None:
        try:
            while self._index_next():
                pass
        finally:  # also when it failed: the next request starts a thread again
            with self._lock:
                self._running = False

    def _index_next(self) -> bool:
        """Index the site of the newest request once saves have calmed; False when none is left."""
        with self._lock:
            if self._pending is None:
                return False
            calm = time.monotonic() - self._asked
        if calm < self._delay:
            time.sleep(self._delay - calm)
            return True
        report = Report()
        # Under the site's build lock: a rebuild switches the output folder for a new one, and
        # lets go of the texts no entry of its own shows. The job is taken once the lock is held:
        # the newest build's, whose texts are all there.
        with build_lock(self._site_dir):
            with self._lock:
                job, self._pending = self._pending, None
            if job is None:
                return True
            out, prepared = job
            try:
                index_site(out, prepared.site, prepared.renderer.texts, prepared.renderer.strings, report,
                           staging_name=BACKGROUND_STAGING,
                           seals=generations.locate(self._site_dir, out).home / SEALS)
            except OSError as exc:  # the output changed under it: the next rebuild asks again
                report.extend([replace(oserrors.describe(exc), severity="warning")])
            except CacheLost:  # a rebuild since let go of a text of this site: it has asked again
                return True
        fresh = [d for d in report.items if d.format() not in self._said]
        self._said |= {d.format() for d in fresh}
        print_diagnostics(fresh)
        return True


class Rebuilder:
    """Runs builds with one State, prints one line per rebuild and tells the listeners."""

    def __init__(self, options: Options, listeners: list[Callable[[Outcome], None]] | None = None
                 ) -> None:
        collect_rarely()
        self.search = SearchIndexer(options.site_dir) if options.search else None
        self.options = replace(options, search=False)
        # Each build marks its index as behind its pages, for the background run to clear:
        # stopped in between, serve or watch leave the next build to make the index again.
        # (Without Pagefind no run ever clears it, and no build could skip an unchanged site.)
        self.state = State(index_behind=self.search is not None and pagefind_binary() is not None)
        self.listeners = listeners or []
        self.last_good: Result | None = None
        self.output_dir = _guess_output_dir(options)
        self._warnings: set[str] = set()
        self._handled: datetime | None = None  # the last embargo/publication time rebuilt for
        self._found = False  # the last build succeeded (so it found the site's files)
        #: config.yaml's ui_language when the command chose its language (cli._speak)
        self._ui_language = configmemo.ui_language(options.site_dir)

    def walk_next(self) -> None:
        """Have the next rebuild walk the folders, whatever paths it is told changed."""
        self._found = False

    def rebuild(self, reason: str, touched: Collection[str] | None = None) -> Outcome:
        """Build; ``touched``: the site-relative paths the watcher saw change since the last
        build (None: unknown, every folder is walked)."""
        started = time.perf_counter()
        # config.yaml's ui_language changed while serving: this rebuild says things in it
        wanted = configmemo.ui_language(self.options.site_dir)
        if wanted != self._ui_language:
            self._ui_language = wanted
            set_language(wanted)
        # The paths changed since the last build tell this one all it needs only if the last
        # one found the site's files: after a failed build, every folder is walked.
        self.state.touched = frozenset(touched) if touched is not None and self._found else None
        marks = _marks(self.options.site_dir, touched)
        done = self._attempt()
        for _retry in range(SAVE_RETRIES):
            if isinstance(done, Result) or done[1] or not _being_written(self.options.site_dir, marks, done[0]):
                break
            # Built from the first part of a file still being saved (a network share, an editor
            # that writes in parts): that part's error is not shown; the whole file is built
            # once it has stopped changing.
            marks = _marks(self.options.site_dir, touched)
            self.state.touched = None  # as after any failed build, every folder is walked
            done = self._attempt()
        if isinstance(done, Result):
            outcome = self._succeeded(done, reason, time.perf_counter() - started)
        else:
            outcome = self._failed(*done, reason=reason)
        self._found = outcome.ok
        for listener in self.listeners:
            listener(outcome)
        good = self.last_good
        if outcome.ok and good is not None and self.search is not None \
                and (outcome.changed or not (good.output_dir / BUNDLE).is_dir()):
            self.search.request(good.output_dir, good.prepared)
        return outcome

    def _attempt(self) -> Result | tuple[list[Diagnostic], bool]:
        """One build: its result, or its problems and whether they are fatal (a usage error)."""
        try:
            return build(self.options, self.state)
        except SiteError as exc:
            return exc.diagnostics, isinstance(exc, UsageError)
        except OSError as exc:  # e.g. a file vanished mid-build: the next event rebuilds again
            return [oserrors.describe(exc)], False
        except Exception as exc:  # noqa: BLE001 - a bug must not end the preview; show it and carry on
            loop = oserrors.link_loop(exc)
            if loop is not None:
                return [oserrors.describe(loop)], False
            traceback.print_exc()
            return [Diagnostic("sitegen", None, _("internal error (traceback above)"))], False

    def _succeeded(self, result: Result, reason: str, seconds: float) -> Outcome:
        self.last_good = result
        self.output_dir = result.output_dir
        fresh = [d for d in result.warnings if d.format() not in self._warnings]
        self._warnings = {d.format() for d in result.warnings}
        print_diagnostics(fresh)
        w = result.written
        count = len(w.written)
        rewritten = ngettext("{n} file rewritten", "{n} files rewritten", count).format(n=count)
        pages = sum(path.endswith(".html") for path in w.written)  # what a reader sees changed
        rewritten += " " + ngettext("({n} page)", "({n} pages)", pages).format(n=pages)
        if w.removed:
            rewritten += ", " + _("{n} removed").format(n=len(w.removed))
        say(_("{reason}: {rewritten} in {seconds}s").format(reason=reason, rewritten=rewritten,
                                                             seconds=decimal(seconds)))
        return Outcome(ok=True, changed=bool(w.written or w.removed),
                       assets=any(not path.endswith(PAGE_SUFFIXES) for path in (*w.written, *w.removed)))

    def _failed(self, diagnostics: list[Diagnostic], fatal: bool = False, reason: str = "") -> Outcome:
        print_diagnostics(diagnostics)
        if not fatal:
            # Before any good build: the output left by an earlier one, if there is one.
            kept = self.last_good is not None or _holds_files(self.output_dir)
            said = _("rebuild failed: the last good version stays in place until this is fixed") if kept else \
                _("build failed: there is no site to show until this is fixed")
            # After a change (not the first build): what changed, as a rebuild that worked says.
            again = reason and self.last_good is not None
            print(f"{reason}: {said}" if again else said, file=sys.stderr, flush=True)
        errors = tuple(d.format() for d in sorted(diagnostics, key=Diagnostic.sort_key)
                       if d.severity == "error")
        return Outcome(ok=False, changed=False, errors=errors, fatal=fatal)

    def next_due(self) -> Hidden | None:
        """The embargoed or scheduled entry that turns public next.

        Times that passed while the last build ran count too (they are due at once); each
        time is rebuilt for once, so a fixed clock (SOURCE_DATE_EPOCH) cannot loop.
        """
        if self.last_good is None:
            return None
        site = self.last_good.prepared.site
        after = max(site.now, self._handled) if self._handled else site.now
        due = [h for h in site.hidden if h.until is not None and h.until > after]
        return min(due, key=lambda h: h.until or after, default=None)

    def rebuild_due(self, due: Hidden) -> Outcome:
        self._handled = due.until
        why = _("embargo lifted") if due.reason == "embargo" else _("publication time reached")
        return self.rebuild(f"{why}: {due.entry.source}")


def _guess_output_dir(options: Options) -> Path:
    """Where the output is before any build succeeded (a broken config must not stop serve)."""
    try:
        return output_dir(options, load_config(options.site_dir))
    except SiteError:
        return options.output if options.output is not None else options.site_dir / "public"


#: How long a file with an error is watched for the rest of its save before the error is shown,
#: and how long a file still being saved must stay unchanged before it is built again.
SAVING_SECONDS = 0.3
#: The longest wait for a slow save to end, and how many times a file still being saved is
#: built again before its error is shown.
SAVING_LIMIT = 10.0
SAVE_RETRIES = 3


def _marks(site_dir: Path, touched: Collection[str] | None) -> dict[str, tuple[int, int] | None]:
    """Size and time of each changed file, as the build is about to read it."""
    return {rel: _mark(site_dir / rel) for rel in touched or ()}


def _mark(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _being_written(site_dir: Path, marks: dict[str, tuple[int, int] | None], problems: list[Diagnostic]) -> bool:
    """Whether a file the build found errors in has changed since the build read it, or does
    within a moment: it was still being saved."""
    named = {d.path for d in problems if d.severity == "error"} & marks.keys()
    if not named:
        return False

    def changed() -> bool:
        return any(_mark(site_dir / rel) != marks[rel] for rel in named)

    if not changed():
        time.sleep(SAVING_SECONDS)
        if not changed():
            return False
    _wait_until_still(site_dir, named)
    return True


def _wait_until_still(site_dir: Path, rels: Collection[str]) -> None:
    """Wait until the files ``rels`` have not changed for ``SAVING_SECONDS`` (at most
    ``SAVING_LIMIT``): a file saved slowly, in parts, is whole then."""
    deadline = time.monotonic() + SAVING_LIMIT
    last = {rel: _mark(site_dir / rel) for rel in rels}
    while time.monotonic() < deadline:
        time.sleep(SAVING_SECONDS)
        now = {rel: _mark(site_dir / rel) for rel in rels}
        if now == last:
            return
        last = now


def _holds_files(folder: Path) -> bool:
    try:
        return next(folder.iterdir(), None) is not None
    except OSError:  # none yet
        return False


def say(line: str) -> None:
    print(line, flush=True)


def describe(changed: list[str]) -> str:
    if not changed:
        return _("rebuilt")
    shown = ", ".join(changed[:3])
    if len(changed) > 3:
        return _("changed {files} and {n} more").format(files=shown, n=len(changed) - 3)
    return _("changed {files}").format(files=shown)


class _Events(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reads (the build's own, too) change nothing
        if event.is_directory and event.event_type == "modified":
            return  # the file event inside it says more
        created = event.event_type == "created"
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.watcher.touched(Path(os.fsdecode(raw)), event.is_directory, created)


class Watcher:
    """Watches the site's sources and rebuilds once per burst of changes or when an item is due."""

    def __init__(self, rebuilder: Rebuilder, quiet: float = QUIET_SECONDS) -> None:
        self.rebuilder = rebuilder
        self.quiet = quiet
        self.site = rebuilder.options.site_dir.resolve()
        self.observer = Observer()
        self._handler = _Events(self)
        self._watches: dict[Path, ObservedWatch] = {}
        self._lock = threading.Lock()
        # Changed site-relative paths, in order; the value is the path if the burst created it.
        self._changed: dict[str, Path | None] = {}
        self._walk = False  # a whole watched folder changed: the next rebuild walks
        self._last_event = 0.0
        self._wake = threading.Event()
        self._stopping = False
        self._worker = threading.Thread(target=self._run, name="sitegen-rebuild", daemon=True)

    def start(self) -> None:
        self.observer.schedule(self._handler, str(self.site), recursive=False)  # config.yaml
        for name in WATCHED_DIRS:
            self._watch_dir(self.site / name)
        self._watch_dir(self._outside_theme())
        self.observer.start()
        # A build that walked the folders before this point may have missed an edit that no
        # event will report: the next rebuild walks them again.
        self.rebuilder.walk_next()
        self._worker.start()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self.observer.stop()
        self.observer.join(timeout=5)
        self._worker.join(timeout=30)  # let a running build finish moving its files into place

    def _watch_dir(self, folder: Path | None, again: bool = False) -> None:
        """Watch ``folder`` and below; ``again``: the folder was made, removed or replaced, and
        watchdog stops watching a folder that is removed, so its watch is made anew."""
        if folder is None:
            return
        if again and folder in self._watches:
            with contextlib.suppress(KeyError, ValueError):
                self.observer.unschedule(self._watches.pop(folder))
        if folder.is_dir() and folder not in self._watches:
            self._watches[folder] = self.observer.schedule(self._handler, str(folder), recursive=True)

    def _outside_theme(self) -> Path | None:
        """The bundled theme, when the site uses it from sitegen's own folder."""
        try:
            theme = theme_dir(self.site, load_config(self.site).theme)
        except SiteError:
            return None
        if theme is None or theme.resolve().is_relative_to(self.site):
            return None  # themes/ inside the site is watched already
        return theme.resolve()

    def touched(self, path: Path, is_dir: bool, created: bool = False) -> None:
        """Called from watchdog's thread for every event: keep the ones that matter."""
        if not self._relevant(path):
            return
        top = is_dir and path.parent == self.site  # content/ itself, say: made, removed or replaced
        if top:
            self._watch_dir(path, again=True)  # e.g. static/ created after serve started
        inside = path.is_relative_to(self.site)
        rel = path.relative_to(self.site).as_posix() if inside else str(path)
        with self._lock:
            self._walk = self._walk or top
            self._changed.setdefault(rel, path if created else None)
            self._last_event = time.monotonic()
        self._wake.set()

    def _relevant(self, path: Path) -> bool:
        name = path.name
        if name.startswith(".#") or name.endswith(_EDITOR_LITTER) or name == "4913" \
                or (len(name) > 1 and name[0] == name[-1] == "#"):
            return False  # editor lock, swap, probe and autosave (Emacs's #name#) files
        out = self.rebuilder.output_dir.resolve()
        if path.is_relative_to(out) or path.is_relative_to(self.site / CACHE_DIR):
            return False
        if path.parent == self.site:
            return name == CONFIG_FILE or name in WATCHED_DIRS
        return True

    def _run(self) -> None:
        while not self._stopping:
            due = self.rebuilder.next_due()
            wait = MAX_SLEEP
            if due is not None and due.until is not None:
                wait = min(wait, (due.until - datetime.now(UTC)).total_seconds() + DUE_MARGIN)
            woken = self._wake.wait(timeout=max(wait, 0.0))
            if self._stopping:
                return
            if woken:
                changed, walk = self._settle()
                self.rebuilder.rebuild(describe(changed), None if walk else changed)
            elif due is not None and due.until is not None and due.until <= datetime.now(UTC):
                self.rebuilder.rebuild_due(due)

    def _settle(self) -> tuple[list[str], bool]:
        """Wait until no event arrived for ``quiet`` seconds, then take the changed paths, and
        whether the rebuild must walk the folders all the same."""
        while True:
            with self._lock:
                calm = time.monotonic() - self._last_event
                if calm >= self.quiet:
                    # A file created and gone again within one burst is an editor's temp file;
                    # a link that leads nowhere (or to itself) is still there, and an error.
                    changed = [rel for rel, new in self._changed.items()
                               if new is None or os.path.lexists(new)]
                    walk, self._walk = self._walk, False
                    self._changed.clear()
                    self._wake.clear()
                    return changed, walk
            time.sleep(self.quiet - calm)


@contextlib.contextmanager
def watching(rebuilder: Rebuilder) -> Iterator[Watcher]:
    watcher = Watcher(rebuilder)
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()


def until_interrupted(run: Callable[[], None], finish: Callable[[], None] | None = None) -> None:
    """Run until Ctrl-C (or SIGTERM), which ends it quietly instead of with a traceback;
    ``finish``: what is still to do once stopped (a second Ctrl-C skips it)."""
    try:
        with stop_as_interrupt():
            run()
    except KeyboardInterrupt:
        if finish is not None:
            with contextlib.suppress(KeyboardInterrupt), stop_as_interrupt():
                finish()
        print(_("stopped"), file=sys.stderr, flush=True)


def session(rebuilder: Rebuilder, then: Callable[[], None]) -> int:
    """Build once, then run ``then`` until Ctrl-C; exit status 2 when the first build cannot
    even start (no config.yaml, a refused output folder), 0 otherwise."""
    status = 0
    # A mistyped --site or the wrong folder: said and ended (exit 2), not watched as a site
    # waiting for its config (a broken config.yaml is watched until it is fixed).
    require_config_file(rebuilder.options.site_dir)

    def run() -> None:
        nonlocal status
        if rebuilder.rebuild(_("built")).fatal:
            status = 2
            return
        then()

    until_interrupted(run, rebuilder.search.finish if rebuilder.search is not None else None)
    return status


def wait_for_signal() -> None:
    """Block this (the main) thread until a signal's handler raises, e.g. Ctrl-C's.

    The kernel may hand a process's signal to any of its threads. Python then only marks it
    for the main thread, and a main thread asleep on a lock (``Event().wait()``) never looks:
    watch went on running after Ctrl-C. The byte Python writes to the wakeup pipe on every
    signal, whichever thread took it, wakes this one to run the handler."""
    read, write = os.pipe()
    os.set_blocking(write, False)
    previous = signal.set_wakeup_fd(write)
    try:
        while True:
            os.read(read, 1)
    finally:
        signal.set_wakeup_fd(previous)
        os.close(read)
        os.close(write)


def watch(site_dir: Path, output: Path | None, drafts: bool) -> int:
    rebuilder = Rebuilder(Options(site_dir=site_dir, output=output, drafts=drafts))

    def forever() -> None:
        with watching(rebuilder):
            say(_("watching {folder} for changes (Ctrl-C to stop)").format(folder=site_dir))
            wait_for_signal()

    return session(rebuilder, forever)
