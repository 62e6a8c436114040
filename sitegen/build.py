"""Runs the stages in order: config → content → site model → outputs → writer.

Every stage reports into one Report so a run shows all its problems at once; nothing
is written unless every stage before the writer succeeded.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast
from urllib.parse import unquote

from sitegen import cachefiles, clashes, generations, lock, ondisk, oserrors, urls
from sitegen.assemble import Assembled, reassemble
from sitegen.clock import ClockError, resolve_now
from sitegen.collector import kept_as_made
from sitegen.config import CONFIG_FILE, Config, line_of, load_config, require_config_file
from sitegen.content import entry_cache, parse_file
from sitegen.content.discover import Discovered, Listing, discover_again
from sitegen.content.parse_all import Parsed, parse_all
from sitegen.errors import ConfigError, Diagnostic, Report, SiteError, UsageError
from sitegen.images.settings import image_settings
from sitegen.images.store import FOLDER as PHOTO_FOLDER
from sitegen.images.store import Derived, PhotoFileError, PhotoFiles, derive_all
from sitegen.messages import _
from sitegen.model import Entry, Site
from sitegen.options import Options as Options
from sitegen.options import output_dir as output_dir
from sitegen.outputs import Output
from sitegen.outputs.listings import index_outputs, list_outputs
from sitegen.outputs.pages import alias_outputs, entry_outputs, moved_outputs, moved_terms, not_found_outputs
from sitegen.outputs.redirects import redirect_outputs
from sitegen.outputs.static import static_outputs
from sitegen.render import i18n
from sitegen.render.i18n import MissingString, Strings, load_strings
from sitegen.render.renderer import Renderer
from sitegen.render.templates import Templates
from sitegen.searchindex import (
    BACKGROUND_STAGING,
    SEALS,
    index_behind,
    index_broken,
    index_other,
    index_site,
    start_early,
)
from sitegen.texts import CacheLost, Texts
from sitegen.themes import files_state, theme_dir
from sitegen.writer import WriteResult, cannot_write, check_output_folder, write

Generator = Callable[[Site, Renderer], Iterator[Output]]
T = TypeVar("T")


def _generators() -> list[Generator]:
    from sitegen.images.outputs import photo_outputs
    from sitegen.outputs import cards, feeds, search, sitemaps

    return [entry_outputs, list_outputs, index_outputs, not_found_outputs, alias_outputs,
            feeds.feed_outputs, sitemaps.sitemap_outputs, search.search_outputs,
            cards.card_outputs, cards.logo_outputs, photo_outputs]


#: The cache file of dates and times in words (sitegen.render.i18n)
WORDS = "words"


@dataclass(slots=True)
class State:
    """What a long-running watch keeps in memory between builds (also saved to .sitegen-cache)."""

    parsed: dict[str, Parsed] = field(default_factory=dict)
    changes: dict[str, Parsed | None] = field(default_factory=dict)  # since the last save
    journal: dict[str, Parsed | None] = field(default_factory=dict)  # what the saved journal holds
    texts: Texts | None = None  # every entry's converted text, by key
    memo: dict[str, tuple[str, Any]] = field(default_factory=dict)  # the Renderer's
    feed_items: Any = None  # sitegen.outputs.feeds.FeedItems, made by the first build
    loaded_from_disk: bool = False
    #: The config and input folders as the nothing-changed check just read and listed them
    #: (its digest is of those), and its check of the output for hand edits; used by the next
    #: build only (a long-running watch never sets them: they would be stale).
    config: Config | None = None
    listing: Listing | None = None
    check: ondisk.Check | None = None
    #: what the last build made of files that rarely change (templates, UI strings), by name:
    #: (the state of those files and settings then, the value); see _kept
    kept: dict[str, tuple[object, Any]] = field(default_factory=dict)
    #: the content files the last build found (sitegen.content.discover.discover_again)
    discovered: Discovered | None = None
    #: site-relative paths the watcher saw change since the last build, which succeeded,
    #: for the next build only; None when nobody watched (every folder is walked)
    touched: frozenset[str] | None = None
    #: the last site assembled, with what it was assembled from (sitegen.assemble.reassemble)
    assembled: Assembled | None = None
    #: the process ends after this build (a one-shot ``sitegen build``): its model and plan
    #: can skip the collector (see _making); a long-running watch needs them collected
    once: bool = False
    #: serve's and watch's background index makes the search index after the build: each new
    #: generation is marked as having an index behind its pages until that run clears the mark
    index_behind: bool = False


@dataclass(frozen=True, slots=True)
class Prepared:
    config: Config
    site: Site
    renderer: Renderer
    report: Report
    theme: Path
    #: each content file's (mtime_ns, size) as this build read it: the desk tells a file
    #: changed since (while another file's error stops the rebuilds) from one it shows as built
    read: Mapping[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Result:
    prepared: Prepared
    written: WriteResult
    output_dir: Path
    seconds: float
    #: photo version sets made by this build, and those found already made
    photos: Derived = field(default_factory=Derived)

    @property
    def warnings(self) -> list[Diagnostic]:
        return self.prepared.report.warnings

    @property
    def rendered(self) -> int:
        """Outputs rendered by this build: all but those whose fingerprint was unchanged."""
        return self.written.total - self.written.skipped


def prepare(options: Options, state: State | None = None, config: Config | None = None,
            keep_errors: bool = False) -> Prepared:
    """Everything up to the outputs: raises SiteError/ConfigError with every problem found.
    ``config``: the site's config, if the caller has just read it. ``keep_errors``: content
    errors stay in the report instead, and the site leaves out the files they are in (the
    desk opens such a site, so the files can be fixed in it)."""
    state = state if state is not None else State()
    # Taken before anything can fail: a build that stops before it has found its files has
    # the next one walk the folders (the paths touched meanwhile were this build's to stat).
    touched, state.touched = state.touched, None
    last, state.discovered = state.discovered, None
    site_dir = options.site_dir
    config = config if config is not None else load_config(site_dir, {"base_url": options.base_url})
    try:
        now = resolve_now(options.now, config.zone)
    except ClockError as exc:
        raise UsageError([exc.diagnostic()]) from None
    report = Report()
    theme = theme_dir(site_dir, config.theme)
    if theme is None:
        raise ConfigError([Diagnostic(CONFIG_FILE, line_of(site_dir, "theme"),
                                      _("theme '{theme}' was not found").format(theme=config.theme),
                                      hint=_("put it in themes/{theme}/templates/").format(theme=config.theme))])
    missing = missing_pictures(config, site_dir, theme)
    if missing:
        raise ConfigError(missing)
    usable = options.cache and _cache_usable(site_dir, report)
    templates = _templates(state, [site_dir / "templates", theme / "templates"], site_dir,
                           cachefiles.cache_dir(site_dir) / "jinja" if usable else None, config.social_cards, report)
    strings = _strings(state, config, theme, site_dir, report)

    if state.texts is None:
        state.texts = entry_cache.texts_of(site_dir)
    if not state.parsed and not state.loaded_from_disk:
        state.parsed, state.journal = entry_cache.load(site_dir)
        if options.clean:  # from nothing: every file read and parsed again, its photos too
            state.parsed = {}
            parse_file.forget_files()
        state.memo = cachefiles.load(site_dir, "memo") or {}
        i18n.recall_words(cachefiles.load(site_dir, WORDS))
        state.loaded_from_disk = True
    listing, state.listing = state.listing, None
    discovered, maybe = (None, None) if state.once else \
        discover_again(last, touched, site_dir, config, report, listing)
    entries, state.parsed, changes = parse_all(site_dir, config, report, state.parsed, options.jobs, state.texts,
                                               listing, store_in_workers=options.cache,
                                               sources=discovered.sources if discovered else None, maybe=maybe)
    state.discovered = discovered
    state.changes.update(changes)
    site = reassemble(state.assembled, config, entries, now, report, drafts=options.drafts)
    photos = PhotoFiles(cachefiles.cache_dir(site_dir) / PHOTO_FOLDER, site_dir, image_settings(config), options.cache)
    from sitegen.outputs.feeds import FeedItems

    if not keep_errors:
        if report.errors and all(d.path.startswith("content/") for d in report.errors):
            tried = Renderer(site, templates, strings, state.texts, {}, photos, FeedItems(store=state.texts.store))
            report.extend(not_said_again(site, report.errors,
                                         rendering_problems(Prepared(config, site, tried, Report(), theme), site_dir)))
        report.raise_if_errors()
    if not state.once:
        state.assembled = Assembled(config, options.drafts, tuple(entries), site)
    if state.feed_items is None:
        state.feed_items = FeedItems(store=state.texts.store)
    renderer = Renderer(site, templates, strings, state.texts, state.memo, photos, state.feed_items)
    return Prepared(config, site, renderer, report, theme,
                    {rel: (parsed.mtime_ns, parsed.size) for rel, parsed in state.parsed.items()})


def not_said_again(site: Site, errors: Iterable[Diagnostic], found: Iterable[Diagnostic]) -> list[Diagnostic]:
    """``found`` (what the outputs meet) without what a file's own errors say already: a file's
    own errors first, not the clashes of its outputs too (two files claiming one address:
    their pages and cards there)."""
    said = {d.path for d in errors}
    theirs = tuple(e.url for e in site.all_entries() if e.source in said)
    return [d for d in found if d.path not in said and not d.path.startswith(theirs)]


#: Outputs whose bytes come from the site's templates: one of each kind is tried by
#: rendering_problems.
_TEMPLATED = ("page", "redirect")


def rendering_problems(prepared: Prepared, site_dir: Path) -> list[Diagnostic]:
    """What rendering would find besides the errors in releases: a template that fails only as
    a page is rendered (a field no entry has, a UI string missing), or a damaged picture in
    static/, is reported in the same run as a release's bad date, not in the next one. The
    site here leaves out the releases with errors; one page of each kind is rendered in
    memory, with a memo of its own (this site is not the site, and must not be remembered as
    it), and nothing is written."""
    tried: set[tuple[object, ...]] = set()
    found: list[Diagnostic] = []

    def kind_of(output: Output) -> tuple[object, ...]:
        # The function that renders it, the templates it names and whether it is its list's
        # first (the home page is a list's first page: home.html, not list.html).
        func = getattr(output.render, "func", output.render)
        args = getattr(output.render, "args", ())
        return (getattr(func, "__qualname__", type(func).__qualname__), output.kind, output.lang,
                *(a for a in args if isinstance(a, str) and a.endswith(".html") and a != output.path),
                *(min(a, 1) for a in args if type(a) is int))

    def said(exc: BaseException) -> None:
        if not isinstance(exc, SiteError | PhotoFileError | OSError | CacheLost):  # said where they belong
            found.append(render_error(prepared, exc))

    cleaned = prepared.renderer.photos.clean_file
    planned: list[Output] = []
    walked = Report()  # static/'s links that cannot be followed (its warnings are said by the build's walk)
    try:
        for output in plan(prepared, site_dir, walked):
            planned.append(output)
            if output.kind == "static" and getattr(output.render, "func", None) == cleaned:
                # A picture of static/ that cannot be cleaned of its metadata is not published:
                # said with the releases' errors too (cleaned copies are cached by content).
                try:
                    output.render()
                except PhotoFileError as exc:
                    found.append(exc.diagnostic)
                except OSError:  # a file that cannot be read: said where it is copied
                    pass
                continue
            key = kind_of(output)
            if output.kind not in _TEMPLATED or key in tried:
                continue
            tried.add(key)
            try:
                output.render()
            except Exception as exc:  # noqa: BLE001 - any failure of a template is the site's to fix
                said(exc)
    except Exception as exc:  # noqa: BLE001 - planning asks the templates too
        said(exc)
    else:
        found += clashes.find(planned)  # two outputs at one address, as the writer would find them
    return list(dict.fromkeys([*found, *walked.errors]))


def missing_pictures(config: Config, site_dir: Path, theme: Path) -> list[Diagnostic]:
    """``logo`` and ``brand.emblem`` must name a file of static/ (the site's or the theme's):
    every page's header shows the emblem, feeds and JSON-LD name the logo, and a missing one
    is a broken picture there, as a missing photo would be in a release (an error too)."""
    found = []
    for keypath, path in ((("logo",), config.logo), (("brand", "emblem"), config.brand.emblem)):
        if not path:
            continue
        rel = unquote(path.split("#", 1)[0].split("?", 1)[0]).lstrip("/")
        if urls.is_safe_path(rel) and any((folder / "static" / rel).is_file() for folder in (site_dir, theme)):
            continue
        found.append(Diagnostic(CONFIG_FILE, line_of(site_dir, *keypath),
                                _("'{key}' names {path}, which is not a file in static/").format(
                                    key=".".join(keypath), path=path),
                                hint=_("put the picture at static/{file}, or write the path of one that is there")
                                .format(file=rel)))
    return found


def _kept(state: State, name: str, key: object, make: Callable[[Report], T], report: Report) -> T:
    """``make(report)``, or what it gave the last build of this ``state`` for an equal ``key``:
    a long-running serve keeps its templates and UI strings while their files stay the same,
    as making and checking them again costs more than rendering an edit's pages. A value
    whose making reported anything is not kept, so the next build reports it again."""
    known = state.kept.get(name)
    if known is not None and known[0] == key:
        return cast(T, known[1])
    found = Report()
    value = make(found)
    report.extend(found.items)
    if found.items:
        state.kept.pop(name, None)
    else:
        state.kept[name] = (key, value)
    return value


def _templates(state: State, dirs: list[Path], site_dir: Path, cache_dir: Path | None, cards: bool,
               report: Report) -> Templates:
    """The theme chain's templates, checked."""
    def make(found: Report) -> Templates:
        templates = Templates(dirs, site_dir, cache_dir)
        if cards:
            from sitegen.outputs.cards import social_card

            templates.add_globals(social_card=social_card)
        found.extend(templates.check())
        return templates

    return _kept(state, "templates", (tuple(dirs), cache_dir, cards, files_state(dirs)), make, report)


def _cache_usable(site_dir: Path, report: Report) -> bool:
    """Whether .sitegen-cache/ can be written; when not (a read-only site folder, a file in its
    place), the build goes on without it, and says so once."""
    jinja = cachefiles.cache_dir(site_dir) / "jinja"
    try:
        if jinja.is_symlink():  # put there by hand: the compiled templates would be written through it
            jinja.unlink()
        jinja.mkdir(parents=True, exist_ok=True)
        return True
    except OSError as exc:
        words = (exc.strerror or str(exc)).lower()
        report.warning(cachefiles.CACHE_DIR, None, _("the cache folder cannot be used ({reason})").format(reason=words),
                       _("the site is built all the same, only more slowly; make {folder} a folder sitegen may "
                         "write, or delete what stands in its place").format(folder=cachefiles.CACHE_DIR))
        return False


def _strings(state: State, config: Config, theme: Path, site_dir: Path, report: Report) -> dict[str, Strings]:
    """The UI strings of every language."""
    dirs = [theme / "i18n", site_dir / "i18n"]
    key = (tuple(dirs), config.default_language, [(c, config.languages[c].locale) for c in config.language_codes],
           str(config.zone), files_state(dirs))
    return _kept(state, "strings", key, lambda found: _load_strings(config, dirs, theme, site_dir, found), report)


def _load_strings(config: Config, dirs: list[Path], theme: Path, site_dir: Path, report: Report
                  ) -> dict[str, Strings]:
    zone_locales = tuple(config.languages[code].locale for code in config.language_codes if code in config.languages)
    unread: set[str] = set()  # a file of the language could not be read: what it lacks is unknown
    strings = {lang: load_strings(dirs, site_dir, lang, config.languages[lang].locale, config.zone, report,
                                  zone_locales, unread) for lang in config.language_codes}
    every = set().union(*(s.names for s in strings.values()))
    for lang, table in strings.items():
        if lang in unread:
            continue
        theme_file = _rel(theme / "i18n" / f"{lang}.yaml", site_dir)
        # A theme outside the site cannot be edited there: the site's own file is the fix.
        where = f"i18n/{lang}.yaml" if Path(theme_file).is_absolute() else theme_file
        for key in sorted(every - table.names):  # line 1: the file to add it to (it may not exist yet)
            report.error(where, 1,
                         _("UI string '{key}' is missing for language '{lang}'").format(key=key, lang=lang),
                         _("add  {key}: ...  to i18n/{lang}.yaml in the site").format(key=key, lang=lang))
    return strings


def _rel(path: Path, site_dir: Path) -> str:
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def plan(prepared: Prepared, site_dir: Path, report: Report | None = None) -> Iterator[Output]:
    """Every output of the site, lazily: static files, pages, lists, feeds, sitemaps; then
    the redirects from terms' old addresses that nothing else takes, and ``_redirects``.
    ``report``: where the files of static/ that are not published are said."""
    site, r = prepared.site, prepared.renderer
    moved = moved_terms(site)
    taken: set[str] = set()
    outputs = chain(static_outputs([prepared.theme / "static", site_dir / "static"], r.photos.clean_file,
                                   site_dir, held_back(site), report),
                    *(generator(site, r) for generator in _generators()))
    if not moved:
        yield from outputs
    else:
        for output in outputs:
            taken.add(output.path)
            yield output
        # An old address is a courtesy: where a term, an alias or a file of static/ has it
        # now, or needs its folder, that one is written and the redirect is not.
        kept = clashes.free([urls.output_path(old) for old, _term in moved], taken)
        moved = [(old, term) for old, term in moved if urls.output_path(old) in kept]
        yield from moved_outputs(site, r, moved)
    yield from redirect_outputs(site, r, moved)


def held_back(site: Site) -> frozenset[str]:
    """Files of static/ (as addresses without the leading /) that only entries not yet public
    name: the signed PDF or the photo of an embargoed release is published with it, not before,
    as is a chart (SVG, GIF) its text shows or a file its text links to."""
    if not site.hidden:
        return frozenset()

    def named(entry: Entry, in_text: bool = True) -> Iterator[str]:
        for url in (*(a.url for a in entry.attachments), *((entry.image.asset.url,) if entry.image else ()),
                    *(p.source for p in entry.photos)):
            yield unquote(url).lstrip("/")
        if in_text:
            yield from entry.linked_files

    # A draft's text may show anything for years (the logo, a guide every release links):
    # only a release with a time to wait for holds back what its text shows or links to.
    waiting = {path for hidden in site.hidden for path in named(hidden.entry, hidden.reason != "draft")}
    if not waiting:
        return frozenset()
    site_wide = {unquote(path).lstrip("/") for path in (site.config.logo, site.config.brand.emblem) if path}
    return frozenset(waiting.difference(site_wide, *(named(entry) for entry in site.entries())))


def render_error(prepared: Prepared, exc: BaseException) -> Diagnostic:
    """An output that failed to render, as a diagnostic naming the template or string."""
    if isinstance(exc, MissingString):
        hint = _("add  {key}: ...  to i18n/{lang}.yaml in the site").format(key=exc.key, lang=exc.lang)
        # The template line that asks for it, where one does: the string may be misspelt there.
        asked = prepared.renderer.templates.where(
            re.compile(r"""\bt(?:\.plural|\.markup|\.forms)?\(\s*(['"])""" + re.escape(exc.key) + r"\1"))
        if asked is not None:
            return Diagnostic(asked[0], asked[1], str(exc), hint=hint)
        return Diagnostic(f"i18n/{exc.lang}.yaml", None, str(exc), hint=hint)
    if isinstance(exc, SiteError):
        return exc.diagnostics[0]
    if isinstance(exc, PhotoFileError):
        return exc.diagnostic
    # A file an output reads (a static file that may not be read, say); not Jinja's
    # TemplateNotFound, an OSError too, but one without an errno (the templates say where).
    if isinstance(exc, OSError) and exc.errno is not None:
        named = exc.filename
        where = _rel(Path(os.fsdecode(named)), prepared.renderer.templates.site_dir) \
            if isinstance(named, str | bytes) else None
        return oserrors.describe(exc, where)
    return prepared.renderer.templates.diagnostic(exc)


def build(options: Options, state: State | None = None) -> Result:
    """Build the site, one build of a site at a time (a second one waits for the lock)."""
    state = state if state is not None else State()
    with build_lock(options.site_dir):
        return recovering(state, lambda again: _build(options, again))


def recovering(state: State, run: Callable[[State], T]) -> T:
    """``run(state)``, and once more without the cache if the text store lost text the cached
    entries point at (anywhere from the content stage to the search index; a damaged file, a
    read-only or full disk): the one place a lost cache is recovered from. Everything is parsed
    again, and the store's file opened as it now is (made anew if it was damaged)."""
    try:
        return run(state)
    except CacheLost:
        state.parsed, state.changes, state.journal = {}, {}, {}
        state.loaded_from_disk = True
        if state.texts is not None:
            state.texts.close()
            if state.texts.store is not None:
                state.texts.store.discard_if_damaged()
        return run(state)


@contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """The site's build lock, in .sitegen-cache/ (see sitegen.lock). A folder without
    config.yaml (a mistyped --site, a folder that is no site) gets no cache folder: it is
    reported as load_config reports it."""
    require_config_file(site_dir)
    folder = cachefiles.cache_dir(site_dir)
    with contextlib.suppress(OSError):  # a read-only site folder: the lock says where it can be
        folder.mkdir(exist_ok=True)
    with lock.build_lock(folder):
        yield


class RolledBack(NamedTuple):
    output: Path
    restored: generations.Marker  # the generation now live again
    aside: generations.Marker  # the one it replaced, kept for rolling back again
    zone: tzinfo  # the site's clock, to say the build times in; UTC when config.yaml cannot be read
    #: files of the restored site changed by hand since it was built: one the two sites share is
    #: one file (a hard link), so an edit in place in the live site reached the previous one too
    edited: tuple[str, ...] = ()


def _output_and_zone(site_dir: Path, output: Path | None) -> tuple[Path, tzinfo]:
    """Where rollback works and the clock it says times on: config.yaml's, and UTC where
    ``output`` is given and config.yaml cannot be read (missing settings, errors): a
    rollback is what one reaches for when something went wrong."""
    if output is None:  # where the site is published is config.yaml's to say
        try:
            config = load_config(site_dir)
        except ConfigError as exc:  # the way around it, which a broken config.yaml would hide
            if not (site_dir / CONFIG_FILE).is_file():
                raise  # no site here: no folder to name either
            raise ConfigError([*exc.diagnostics, Diagnostic(
                CONFIG_FILE, None, _("rollback reads where the site is published from config.yaml"),
                hint=_("fix config.yaml, or name the output folder: sitegen rollback --output FOLDER"))]) \
                from None
        return site_dir / config.output_dir, config.zone
    try:
        return output, load_config(site_dir).zone
    except (ConfigError, OSError):
        return output, UTC


def roll_back(site_dir: Path, output: Path | None = None) -> RolledBack:
    """``sitegen rollback``: put the site's previous generation back, under the build lock."""
    out, zone = _output_and_zone(site_dir, output)
    # Where the builds left their record: a site folder made read-only since has it in its
    # cache, where a build would no longer look (locate), and rollback then found no site.
    slots = generations.find(site_dir, out) or generations.locate(site_dir, out)
    with build_lock(site_dir), lock.output_lock(slots.live):
        try:
            restored, aside = generations.rollback(slots)
        except generations.RollbackRefused as exc:
            raise UsageError([Diagnostic(str(out), None, _("cannot roll back: {reason}").format(reason=exc),
                                         hint=_("the published site is unchanged"))]) from None
        except OSError as exc:
            hint = _("the published site is unchanged; make the folder writable, then roll back again") \
                if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM) else _("the published site is unchanged")
            raise UsageError([Diagnostic(str(exc.filename or out), None, _("cannot roll back: {reason}").format(
                reason=exc.strerror or exc), hint=hint)]) from None
        # Still under the locks, before a build may change it; a site told by its id alone
        # (its record lost) has no stats to compare with.
        edited = sorted(ondisk.changed_files(slots.live, restored) - {generations.MARKER}) if restored.stats else []
    return RolledBack(out, restored, aside, zone, tuple(edited))


def _build(options: Options, state: State) -> Result:
    started = time.perf_counter()
    # Files changed by hand in the live site are looked for beside the model's preparation.
    check, state.check = state.check, None
    config, state.config = state.config, None
    try:
        config = config or load_config(options.site_dir, {"base_url": options.base_url})
        out = output_dir(options, config)
        if check is None:
            check = ondisk.Check() if options.clean else ondisk.start(options.site_dir, out, options.jobs)
        with lock.output_lock(generations.live_path(out)):
            return _build_checked(options, state, config, out, check, started)
    finally:
        if check is not None:
            check.close()


def _making(state: State) -> contextlib.AbstractContextManager[None]:
    """Around making the model and the plan of a one-shot build: no collection meanwhile.
    In a watch, what a rebuild promoted past the young collections would wait for a rare
    full one, and its garbage (the last model, held in cycles) would pile up."""
    return kept_as_made() if state.once else contextlib.nullcontext()


def _build_checked(options: Options, state: State, config: Config, out: Path, check: ondisk.Check,
                   started: float) -> Result:
    # Before the site is read: a folder sitegen may not write is said at once, also when the
    # content has errors (it is the command's mistake, as a config error is the config's).
    check_output_folder(out, options.site_dir, config.output_dir if options.output is None else None)
    with _making(state):
        prepared = prepare(options, state, config)
    slots = generations.locate(options.site_dir, out)
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(lock.home_lock(slots.home, slots.live))
        except OSError as exc:  # no folder of its own for the output (a read-only disk, say)
            raise cannot_write(exc, slots) from None
        return _publish(options, state, prepared, out, slots, check, started)


def _publish(options: Options, state: State, prepared: Prepared, out: Path, slots: generations.Slots,
             check: ondisk.Check, started: float) -> Result:
    """Render and write the site of ``prepared`` as the output's next generation."""
    try:
        generations.recover(slots)  # a switch of three renames that was interrupted
    except OSError as exc:
        raise UsageError([Diagnostic(str(slots.live), None, _("cannot complete the last switch: {problem}").format(
            problem=exc.strerror), hint=_("see {journal}").format(journal=slots.journal))]) from None

    def on_error(exc: BaseException) -> Diagnostic:
        return render_error(prepared, exc)

    site = prepared.site
    photos = derive_all(((e.source, p) for e in site.entries() for p in e.photos), prepared.renderer.photos,
                        options.jobs)
    if photos.problems:
        raise SiteError(sorted(photos.problems, key=Diagnostic.sort_key))

    try:
        with _making(state):
            outputs = list(plan(prepared, options.site_dir, prepared.report))
    except Exception as exc:  # noqa: BLE001 - a template missing or broken while planning
        raise SiteError([on_error(exc)]) from None
    prepared.report.raise_if_errors()  # a link in static/ that cannot be followed
    texts, strings = prepared.renderer.texts, prepared.renderer.strings
    # Pagefind works while the pages are rendered, where that pays.
    early = start_early(slots.home, site, texts, strings, (slots.live, slots.spare), options.jobs) \
        if options.search else None

    def index(folder: Path) -> None:
        index_site(folder, site, texts, strings, prepared.report, reuse=(slots.live,), jobs=options.jobs,
                   early=early, seals=slots.home / SEALS)

    def stale_index() -> bool:  # asked only when no page changed: a whole index is a lstat per file
        return options.search and (index_behind(slots.live) or index_broken(slots.live, slots.home / SEALS)
                                   or index_other(slots.live, site, strings, early))

    def behind(folder: Path) -> None:
        (folder / BACKGROUND_STAGING).mkdir(exist_ok=True)

    finish = index if options.search else behind if state.index_behind else None

    try:
        written = write(outputs, slots, on_error, options.jobs, options.progress,
                        clean=options.clean, finish=finish,
                        force=stale_index, check=check, forget=prepared.renderer.forget)
    except clashes.Clashes as exc:  # found before any page is rendered: said with what rendering would find
        raise SiteError(sorted(dict.fromkeys([*exc.diagnostics, *rendering_problems(prepared, options.site_dir)]),
                               key=Diagnostic.sort_key)) from None
    finally:
        if early is not None:
            early.close()
    try:
        if state.changes and state.texts is not None:
            state.journal = entry_cache.save(options.site_dir, state.texts, state.parsed, state.changes, state.journal)
            state.changes = {}
        if prepared.renderer.memo_changed:
            cachefiles.save(options.site_dir, "memo", state.memo)
        if prepared.renderer.feed_items is not None:
            prepared.renderer.feed_items.save()
        words = i18n.new_words()
        if words is not None:
            cachefiles.save(options.site_dir, WORDS, words)
    except OSError as exc:  # the site is built; only the next build is slower
        if options.cache and not any(d.path.startswith(cachefiles.CACHE_DIR) for d in prepared.report.warnings):
            reason = (exc.strerror or str(exc)).lower()  # SQLite's words for a full disk: "disk I/O error"
            prepared.report.warning(cachefiles.CACHE_DIR, None,
                                    _("the cache could not be kept for the next build ({reason})").format(
                                        reason=reason),
                                    _("the site is built all the same; free some disk space so that the next "
                                      "build is faster"))
    return Result(prepared, written, out, time.perf_counter() - started, photos)
