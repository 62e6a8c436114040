"""Client-side search: Pagefind bundles made from the site model, a few pages at a time.

Pagefind stems Indonesian and English and searches in the browser. sitegen hands it each
release's and static page's title, date and converted text (what the theme marks
``data-pagefind-body``), never the written HTML, so nothing is crawled. The index is split
into *bundles*, one per language and period, so an edit re-indexes only its own bundle:

- a month for articles of the twelve months before the build's clock (``id-2026-10``),
  where newsroom edits happen;
- a year for older articles (``id-2023``);
- one for the static pages of each language (``id-pages``);
- and a period with more than ``MAX_PAGES`` pages in parts of at most that many, in the
  order of their addresses (``id-2023-p1``, ``id-2023-p2``, ...): editing a release of a busy
  year makes only its own part again, not thousands of pages.

Each bundle lives in ``pagefind/<name>-<fingerprint>/``: the fingerprint covers what was
indexed (addresses, sources, dates as shown), so a folder that exists is current, and a
bundle whose pages did not change is kept, or copied from the live output when the build
fills another folder. ``pagefind/bundles.json`` lists each language's bundles, newest
first; the search page loads the first and merges the others (Pagefind's ``mergeIndex``).
``pagefind/pagefind-entry.json`` says the same in the shape of Pagefind's own entry file,
for tools that look for one at the index's top: each language (in the config's order) with
its pages and bundles.
A bundle is made in ``.sitegen-pagefind/`` and renamed into place complete; the list is
replaced after the bundles it names exist, and old bundles go only after that. A stopped
or failed index leaves ``.sitegen-pagefind/`` behind, which tells the next build (including
its nothing-changed check) to index again.

Each bundle's files are *sealed* as they are put in place: their size, mtime, inode and
digest are kept in sitegen's own folder for the output (``search-seals``, beside the
generations' records). A bundle whose file was changed or deleted by hand is no longer
intact: the next build (its nothing-changed check too) takes it from the previous
generation where that one still holds it intact, else makes it again. A file is read only
when its stat is not the sealed one, so checking an untouched index reads no file.

The index needs the model, not the written pages, so a build with many pages to index
starts it early (:func:`start_early`): a forked child makes the bundles no generation has
into a folder of its own while the pages are rendered, and ``index_site`` moves them in
once the child has finished them all. Without that (too few pages, one process, other
threads running, a child that failed) ``index_site`` makes them itself, as before.
"""

from __future__ import annotations

import hashlib
import html
import json
import marshal
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from sitegen.messages import N_, _
from sitegen.newfile import write_new
from sitegen.pagefind import PagefindError, Service
from sitegen.parallel import Beside, Forked, may_fork
from sitegen.urls import is_safe_path

if TYPE_CHECKING:  # the nothing-changed check imports this module for its folder names only
    from sitegen.errors import Report
    from sitegen.model import Entry, Site
    from sitegen.render.i18n import Strings
    from sitegen.texts import Texts

BUNDLE = "pagefind"
LIST = "bundles.json"
ENTRY = "pagefind-entry.json"  # the whole index's, at its top; each bundle has Pagefind's own
STAGING = ".sitegen-pagefind"  # bundles being made; a stopped index leaves it behind
#: Where serve's and watch's background index makes its bundles: apart from STAGING, which
#: a build that makes no index clears (as a stopped index's leftovers) while it may be running.
BACKGROUND_STAGING = ".sitegen-pagefind-background"
#: Bump when the pages handed to Pagefind change shape, so every bundle is made again.
LAYOUT = "5"
_HINT = N_("install it with  pip install 'pagefind[bin]'; the rest of the site was built")
RECENT_MONTHS = 12
#: The most pages a bundle holds: an edit makes its whole bundle again, at a few milliseconds
#: of Pagefind a page, and a search merges every bundle of its language, one request each.
MAX_PAGES = 300
#: Pages to index from which a build starts the index beside the render (start_early):
#: fewer cost Pagefind less time than the fork and the wait cost.
EARLY_FROM = 300
#: The early child's folder, under sitegen's own folder for the output (Slots.home).
EARLY = "pagefind-early"
#: The seals of the bundles, in sitegen's own folder for the output (Slots.home).
SEALS = "search-seals"
_SEALS_FORMAT = "seals-1"
# Pagefind's ready-made search interfaces: the theme has its own, so they are not published.
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")

DateText = Callable[[str, datetime], str]  # (language, moment) -> the date as the page shows it
#: A bundle's files as sitegen made them: path in the bundle -> (size, mtime, inode, digest)
Seal = dict[str, tuple[int, int, int, bytes]]


def dates_of(strings: Mapping[str, Strings]) -> DateText:
    """Dates in each language's words, as the release pages show them."""
    return lambda lang, moment: strings[lang].date(moment)


@dataclass(frozen=True, slots=True)
class Bundle:
    name: str  # folder name: <lang>-<period>-<fingerprint>
    lang: str
    entries: tuple[Entry, ...]


def index_behind(folder: Path) -> bool:
    """Whether the output ``folder`` says its search index is not the one its pages need: a
    stopped or failed index left its staging folder there, or serve's or watch's background
    run has not caught up with the pages yet (see sitegen.watch)."""
    return any((folder / name).exists() for name in (STAGING, BACKGROUND_STAGING))


def index_other(folder: Path, site: Site, strings: Mapping[str, Strings], early: Early | None) -> bool:
    """Whether the output ``folder``'s index lists other bundles than ``site`` wants, when
    no page changed: a bundle's name holds its pages' source hashes, which a new sitegen or
    a setting no page shows changes; the index is then not the one a clean build makes.
    (``early``: the build's, which listed them already.)"""
    return _listed(folder / BUNDLE) != _lists(early.wanted if early is not None else bundles(site, dates_of(strings)))


def index_broken(folder: Path, seals: Path) -> bool:
    """Whether the output ``folder`` lacks the search index its list promises: no list of
    bundles, or a bundle it names is gone or not as sitegen made it (a file of it changed
    or deleted by hand), by the seals kept in the file ``seals``. One ``lstat`` per file of
    the index: the nothing-changed check asks it too, so that such an index is made again."""
    root = folder / BUNDLE
    try:
        listed = json.loads((root / LIST).read_bytes())
    except (OSError, ValueError):
        return True
    if not isinstance(listed, dict):
        return True
    names = [name for names in listed.values() if isinstance(names, list) for name in names]
    if not all(isinstance(name, str) and is_safe_path(name.rstrip("/")) for name in names):
        return True
    if not (root / ENTRY).is_file():
        return True
    sealed = read_seals(seals)
    if sealed is None:  # indexed before seals were kept: as complete as it looks
        return not all((root / name / "pagefind-entry.json").is_file() for name in names)
    return not all(intact(root / name.rstrip("/"), sealed.get(name.rstrip("/"))) for name in names)


def read_seals(path: Path) -> dict[str, Seal] | None:
    """The seals kept in ``path`` by bundle name; None when there is no such record (an index
    made before seals were kept, or the cache deleted), or it is damaged: the bundles there are
    then taken as they are and sealed, rather than all made again at Pagefind's cost."""
    try:
        layout, sealed = marshal.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - an unreadable record is no record
        return None
    if layout != _SEALS_FORMAT or not isinstance(sealed, dict):
        return None
    return {name: seal for name, seal in sealed.items() if isinstance(name, str) and isinstance(seal, dict)
            and seal and all(isinstance(rel, str) and is_safe_path(rel) for rel in seal)}


def intact(bundle: Path, seal: Seal | None) -> bool:
    """Whether the folder ``bundle`` holds every file of ``seal`` as sealed: the same stat,
    or else the same bytes (a copy, a file touched). Files added to it are not looked for."""
    if not seal:
        return False
    top = os.path.join(bundle, "")
    try:
        for rel, (size, mtime, inode, digest) in seal.items():
            stat = os.lstat(top + rel)
            if not S_ISREG(stat.st_mode) or stat.st_size != size:
                return False
            if (stat.st_mtime_ns, stat.st_ino) != (mtime, inode) and _file_digest(top + rel) != digest:
                return False
    except (OSError, ValueError, TypeError):  # missing, or a seal not as sitegen wrote it
        return False
    return True


def _file_digest(path: str) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def _seal(bundle: Path) -> Seal:
    """The seal of the bundle sitegen has just put in ``bundle``."""
    seal: Seal = {}
    for folder, _folders, names in os.walk(bundle):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.lstat(path)
            if S_ISREG(stat.st_mode):
                rel = os.path.relpath(path, bundle).replace(os.sep, "/")
                seal[rel] = (stat.st_size, stat.st_mtime_ns, stat.st_ino, _file_digest(path))
    return seal


def _keep_seals(path: Path, sealed: dict[str, Seal], root: Path, wanted: Iterable[Bundle], made: Iterable[str],
                reuse: Sequence[Path]) -> None:
    """Seal the bundles just ``made`` in ``root``; keep the seals (``sealed``) of the others
    ``root`` holds and of those the folders in ``reuse`` hold (the live generation, soon the
    previous one)."""
    for name in made:
        sealed[name] = _seal(root / name)
    keep = {b.name for b in wanted} | {name for other in reuse for name in _bundles_in(other / BUNDLE)}
    data = marshal.dumps((_SEALS_FORMAT, {name: seal for name, seal in sealed.items() if name in keep}))
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def pagefind_binary() -> Path | None:
    """The Pagefind executable: the PyPI package's binary, else one on PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = shutil.which("pagefind_extended") or shutil.which("pagefind")
        return Path(found) if found else None
    binary = get_executable()
    return Path(binary) if binary is not None and Path(binary).is_file() else None


def period(entry: Entry, now: datetime) -> str:
    """The bundle an entry belongs to within its language: a recent month, a year, or pages."""
    if entry.date is None or not entry.is_article:
        return "pages"
    date = entry.date.astimezone(now.tzinfo)
    months_ago = (now.year * 12 + now.month) - (date.year * 12 + date.month)
    return f"{date.year}-{date.month:02d}" if months_ago < RECENT_MONTHS else f"{date.year}"


def bundles(site: Site, date_text: DateText) -> list[Bundle]:
    """Every bundle of the site, each language's newest first and its static pages last."""
    grouped: dict[tuple[str, str], list[Entry]] = {}
    for lang in site.config.language_codes:
        for entry in (*site.articles.get(lang, ()), *site.pages.get(lang, ())):
            grouped.setdefault((lang, period(entry, site.now)), []).append(entry)
    order = {lang: i for i, lang in enumerate(site.config.language_codes)}
    made = []
    for (lang, when), entries in sorted(grouped.items(), key=lambda item: (order[item[0][0]], _newest(item[0][1]))):
        entries.sort(key=lambda e: e.url)
        parts = [entries[start:start + MAX_PAGES] for start in range(0, len(entries), MAX_PAGES)]
        for number, part in enumerate(parts, 1):
            digest = hashlib.sha256(LAYOUT.encode())
            for entry in part:
                digest.update(repr((entry.url, entry.source_hash, _date(entry, date_text))).encode())
            named = when if len(parts) == 1 else f"{when}-p{number}"
            made.append(Bundle(f"{lang}-{named}-{digest.hexdigest()[:12]}", lang, tuple(part)))
    return made


def _newest(when: str) -> tuple[int, int]:
    """Sorts periods newest first ("2026-10", "2026-09", ..., "2025"), static pages last."""
    if when == "pages":
        return (1, 0)
    year, _, month = when.partition("-")
    return (-int(year), -int(month or 0))


def _date(entry: Entry, date_text: DateText) -> str:
    return date_text(entry.lang, entry.date) if entry.date is not None and entry.is_article else ""


def page_html(entry: Entry, body_html: str, date_text: DateText) -> str:
    """What Pagefind indexes of an entry: the parts of its page the theme marks for search.

    A result shows the title and the date above its excerpt, so both are metadata but not
    text (data-pagefind-ignore): in the text they opened every excerpt of a short release.
    Pagefind still searches the title metadata, and ranks its words above the text's."""
    title = html.escape(entry.title)
    date = _date(entry, date_text)
    dated = f'<p data-pagefind-ignore data-pagefind-meta="date">{html.escape(date)}</p>' if date else ""
    # The release number is searched for as it is written (a journalist quotes it), and
    # weighs as a heading does: it names one release only. It is also the result's metadata,
    # so that the search page can tell the release of exactly that number (a filter would
    # too, but Pagefind does not write its filters in the same order twice); and it comes
    # after the text, so that an excerpt (Pagefind's first words where the query is not)
    # opens with the text.
    number = (f'<p data-pagefind-weight="10" data-pagefind-meta="number">{html.escape(entry.release_number)}</p>'
              if entry.release_number else "")
    return (f'<!DOCTYPE html><html lang="{html.escape(entry.lang)}"><head><title>{title}</title></head>'
            f'<body><main data-pagefind-body><h1 data-pagefind-ignore data-pagefind-meta="title">{title}</h1>'
            f"{dated}{body_html}{number}</main></body></html>")


class Early:
    """The bundles a build wants, and the forked child making some of them while the build
    renders its pages (none where that does not pay)."""

    def __init__(self, wanted: list[Bundle], folder: Path, child: Forked | None) -> None:
        self.wanted = wanted
        self.folder = folder
        self.forked = child is not None
        self._child = child

    def made(self) -> Path | None:
        """The folder holding every bundle the child was to make, once it has; None if it
        failed (its bundles are then made again) or there is no child."""
        child, self._child = self._child, None
        if child is None:
            return None
        return self.folder if child.result(wait=3600) is True else None

    def close(self) -> None:
        """Stop the child if it still runs, and remove its folder with what is left in it."""
        if self._child is not None:
            self._child.cancel()
            self._child = None
        if self.forked:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_early(home: Path, site: Site, texts: Texts, strings: Mapping[str, Strings], have: Sequence[Path],
                jobs: int) -> Early | None:
    """The bundles of ``site``; those none of the output folders in ``have`` holds are
    started in a forked child when they hold enough pages. None where no child can be
    forked (one process, other threads, no Pagefind): the bundles are then listed only if
    the index is brought up to date."""
    if not may_fork(jobs):
        return None
    binary = pagefind_binary()
    if binary is None:
        return None
    date_text = dates_of(strings)
    wanted = bundles(site, date_text)
    folder = home / EARLY
    todo = [b for b in wanted if _reusable(b, have) is None]
    if sum(len(b.entries) for b in todo) < EARLY_FROM:
        return Early(wanted, folder, None)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        folder.mkdir(parents=True)
        child = Forked(_make_early, binary, todo, folder, texts, date_text, jobs)
    except OSError:  # no folder for it, or no process to spare: the index is made after the pages
        shutil.rmtree(folder, ignore_errors=True)
        return Early(wanted, folder, None)
    return Early(wanted, folder, child)


def _make_early(binary: Path, todo: list[Bundle], folder: Path, texts: Texts, date_text: DateText,
                jobs: int) -> bool:
    _index_all(binary, todo, folder, texts, date_text, jobs)
    return True


def index_site(folder: Path, site: Site, texts: Texts, strings: Mapping[str, Strings], report: Report,
               reuse: Sequence[Path] = (), jobs: int = 1, staging_name: str = STAGING,
               early: Early | None = None, seals: Path | None = None) -> None:
    """Bring ``folder/pagefind/`` up to date with ``site``; bundles missing there are taken
    from ``early``'s child when it made them, else from the output folders in ``reuse`` when
    they have them, else made with Pagefind (with up to ``jobs`` Pagefind processes at once).
    ``seals``: the file of the bundles' seals; a bundle not as sealed there counts as missing
    (and is not taken from ``reuse``), and the bundles put in place are sealed."""
    made = early.made() if early is not None else None
    date_text = dates_of(strings)
    wanted = early.wanted if early is not None else bundles(site, date_text)
    root = folder / BUNDLE
    staging = folder / staging_name
    have = _bundles_in(root)
    sealed = read_seals(seals) if seals is not None else None
    if sealed is not None:  # changed by hand: made again like a bundle that is not there
        have = {name for name in have if intact(root / name, sealed.get(name))}
    missing = [b for b in wanted if b.name not in have]
    # The bundles to seal once in place: all of them where none was sealed before.
    to_seal = [b.name for b in (missing if sealed is not None else wanted)]
    if not missing and _listed(root) == _lists(wanted) and not staging.exists():
        if seals is not None and sealed is None:
            _keep_seals(seals, {}, root, wanted, to_seal, reuse)
        return
    binary = pagefind_binary()
    shown = str((reuse[0] if reuse else folder) / BUNDLE)  # the output's, not the staging folder's
    if binary is None and any(not _reusable(b, reuse, sealed) for b in missing):
        report.warning(shown, None, _("search index not built: Pagefind is not installed"), _(_HINT))
        return
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        to_index = [b for b in missing if not _move(b, made, staging) and not _copy(b, reuse, staging, sealed)]
        if to_index:
            assert binary is not None
            _index_all(binary, to_index, staging, texts, date_text, jobs)
    except PagefindError as exc:
        _failed(staging)
        report.warning(shown, None,
                       _("search index not built: Pagefind failed ({problem})").format(problem=exc),
                       _("the rest of the site was built"))
        return
    except OSError:  # a full disk, say: a build stops before its switch, and the published site stays
        _failed(staging)
        raise
    root.mkdir(exist_ok=True)
    for bundle in missing:
        if os.path.lexists(root / bundle.name):  # one changed by hand: set aside, gone with staging
            os.replace(root / bundle.name, staging / f"{bundle.name}.changed")
        os.replace(staging / bundle.name, root / bundle.name)
    if seals is not None:
        _keep_seals(seals, sealed or {}, root, wanted, to_seal, reuse)
    for name, listed in _lists(wanted).items():
        _write_atomically(root / name, listed, staging)
    keep = {b.name for b in wanted} | {LIST, ENTRY}
    for old in root.iterdir():  # bundles nothing lists any more, and an older layout's files
        if old.name not in keep:
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _failed(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(exist_ok=True)  # left empty: the next build must not skip the index
    except OSError:
        pass


def _bundles_in(root: Path) -> set[str]:
    try:
        return {p.name for p in root.iterdir() if (p / "pagefind-entry.json").is_file()}
    except OSError:
        return set()


def _lists(wanted: Iterable[Bundle]) -> dict[str, bytes]:
    """The files at the index's top that list ``wanted``: bundles.json and pagefind-entry.json."""
    listed: dict[str, list[str]] = {}
    pages: dict[str, int] = {}
    for bundle in wanted:
        listed.setdefault(bundle.lang, []).append(bundle.name + "/")
        pages[bundle.lang] = pages.get(bundle.lang, 0) + len(bundle.entries)
    entry = {"languages": {lang: {"page_count": pages[lang], "bundles": names} for lang, names in listed.items()}}
    return {name: json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            for name, data in ((LIST, listed), (ENTRY, entry))}


def _listed(root: Path) -> dict[str, bytes] | None:
    try:
        return {name: (root / name).read_bytes() for name in (LIST, ENTRY)}
    except OSError:
        return None


def _reusable(bundle: Bundle, reuse: Sequence[Path], sealed: Mapping[str, Seal] | None = None) -> Path | None:
    """A folder in ``reuse`` that holds ``bundle`` (intact by ``sealed``, when given)."""
    for other in reuse:
        found = other / BUNDLE / bundle.name
        if (found / "pagefind-entry.json").is_file() and (sealed is None or intact(found, sealed.get(bundle.name))):
            return found
    return None


def _move(bundle: Bundle, made: Path | None, staging: Path) -> bool:
    """Move a bundle the early child made into ``staging`` (both are in the output's
    filesystem: sitegen's folder for an output is kept beside it when the cache is not)."""
    if made is None or not (made / bundle.name / "pagefind-entry.json").is_file():
        return False
    try:
        os.replace(made / bundle.name, staging / bundle.name)
    except OSError:
        return False  # made again
    return True


def _copy(bundle: Bundle, reuse: Sequence[Path], staging: Path, sealed: Mapping[str, Seal] | None) -> bool:
    found = _reusable(bundle, reuse, sealed)
    if found is None:
        return False
    try:
        shutil.copytree(found, staging / bundle.name)
    except OSError:  # removed while copying (a build of the other folder): index it instead
        shutil.rmtree(staging / bundle.name, ignore_errors=True)
        return False
    return True


def _index_all(binary: Path, todo: list[Bundle], staging: Path, texts: Texts, date_text: DateText,
               jobs: int) -> None:
    """Make the bundles with up to ``jobs`` Pagefind services at once, the largest first."""
    todo = sorted(todo, key=lambda b: -len(b.entries))
    shares: list[list[Bundle]] = [todo[i::max(1, jobs)] for i in range(min(max(1, jobs), len(todo)))]
    reading = threading.Lock()  # the text store's connection is this process's, shared by the threads

    def run(share: list[Bundle]) -> None:
        with Service(binary) as service:
            for bundle in share:
                with reading:
                    pages = [(e.url, page_html(e, texts.html(e), date_text)) for e in bundle.entries]
                _write_bundle(staging / bundle.name, service.index(pages))

    # A serve or watch stopped while it indexes in the background ends at once, not when
    # Pagefind is done (the services end with it: their input closes).
    indexing = [Beside(run, share, name="sitegen-search") for share in shares]
    for one in indexing:
        one.wait()  # every share, before the first failure is raised: none writes into staging after
    for one in indexing:
        one.result()


def _write_bundle(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write a bundle's files, which Pagefind names; a name that could climb out of the
    bundle fails it (checked on the name: a bundle has a file per page)."""
    if "pagefind-entry.json" not in files:
        raise PagefindError(_("the bundle has no pagefind-entry.json"))
    top = str(folder)
    made: set[str] = set()
    for name, data in sorted(files.items()):
        if name.startswith(_UNUSED) or name.startswith("playground/"):
            continue
        if not is_safe_path(name):
            raise PagefindError(_("a file outside the bundle: {name}").format(name=name))
        parent = os.path.dirname(name)
        if parent not in made:
            os.makedirs(os.path.join(top, parent), exist_ok=True)
            made.add(parent)
        write_new(os.path.join(top, name), data)


def _write_atomically(path: Path, data: bytes, staging: Path) -> None:
    temporary = staging / path.name
    temporary.write_bytes(data)
    os.replace(temporary, path)
