"""Find the content files and read language, section and key from their paths."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from sitegen import oserrors
from sitegen.config import Config
from sitegen.errors import Diagnostic, Report
from sitegen.messages import _
from sitegen.urls import is_utf8, readable, slugify

PAGES = "pages"
_LANG_LIKE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$", re.IGNORECASE)


class SourceFile(NamedTuple):
    """One content file. A named tuple rather than a frozen dataclass: a build makes one per
    file of the site, and a tuple is made faster."""

    file: str  # the path as a string: a Path per file costs more than the rest of discovery
    rel: str  # site-relative, for messages and keys
    section: str
    file_key: str
    lang: str
    mtime_ns: int
    size: int
    linked: bool = False  # a symbolic link: its target may change without an event for it

    @property
    def path(self) -> Path:
        return Path(self.file)


#: Folder path → its entries in name order, as a walk that came just before saw them.
Listing = dict[str, list[os.DirEntry[str]]]


def discover(site_dir: Path, config: Config, report: Report, listing: Listing | None = None) -> list[SourceFile]:
    """Content files in name order (files first, then folders). ``listing`` saves walking
    and stat-ing the folders a second time when the nothing-changed check just did."""
    content = site_dir / "content"
    found: list[SourceFile] = []
    if not content.is_dir():
        report.error("content", None, _("there is no content/ folder"), _("create content/<section>/<name>.md"))
        return found
    root = site_dir.resolve()
    if not content.resolve().is_relative_to(root):  # checked once here: files below are not resolved
        report.error("content", None, _("content/ is a link to a folder outside the site folder"),
                     _("move the folder into the site folder instead of linking to it"))
        return found
    _walk(str(content), "content", site_dir, root, config, report, found, listing or {})
    return found


#: More changed paths than this in one burst (a checkout, a copied folder) and the watcher
#: may have lost some (the kernel's queue of events is finite): the folders are walked.
TOUCHED_AT_MOST = 1000


@dataclass(frozen=True, slots=True)
class Discovered:
    """A walk's content files, what it said about them, and the settings it was made with:
    what a long-running serve or watch keeps, so that the next build stats again only the
    files the watcher saw change (:func:`discover_again`)."""

    config: Config
    sources: tuple[SourceFile, ...]
    said: tuple[Diagnostic, ...]
    at: Mapping[str, int]  # site-relative path → its place in ``sources``
    linked: bool  # some file is a link

    @staticmethod
    def walk(site_dir: Path, config: Config, report: Report, listing: Listing | None = None) -> Discovered:
        said = Report()
        sources = tuple(discover(site_dir, config, said, listing))
        report.extend(said.items)
        return Discovered(config, sources, tuple(said.items), {s.rel: i for i, s in enumerate(sources)},
                          any(s.linked for s in sources))


def discover_again(last: Discovered | None, touched: Collection[str] | None, site_dir: Path, config: Config,
                   report: Report, listing: Listing | None = None
                   ) -> tuple[Discovered, tuple[SourceFile, ...] | None]:
    """This build's content files, and those among them that may differ from ``last``'s
    (None: any). ``touched`` holds the site-relative paths the watcher saw change since
    ``last`` (None when nobody watched). When each is a content file ``last`` found, still a
    plain file, and no static file changed (the assets every cached entry shows are then
    what they were), those files are stat-ed again and the rest is ``last``'s; anything
    else (a file added, removed or renamed, a folder, a link, other settings) walks the
    folders again."""
    changed = _stat_again(last, touched, config)
    if last is None or changed is None:
        return Discovered.walk(site_dir, config, report, listing), None
    report.extend(list(last.said))
    if not changed:
        return last, ()
    sources = list(last.sources)
    for rel, source in changed.items():
        sources[last.at[rel]] = source
    return Discovered(config, tuple(sources), last.said, last.at, False), tuple(changed.values())


def _stat_again(last: Discovered | None, touched: Collection[str] | None,
                config: Config) -> dict[str, SourceFile] | None:
    if last is None or touched is None or len(touched) > TOUCHED_AT_MOST or last.linked or last.config != config:
        return None
    changed: dict[str, SourceFile] = {}
    for rel in touched:
        top = rel.split("/", 1)[0]
        if top == "static":
            return None
        if top != "content":
            continue  # templates, strings, the theme: the build reads those itself
        at = last.at.get(rel)
        if at is None:
            return None
        source = last.sources[at]
        try:
            stat = os.lstat(source.file)
        except OSError:
            return None
        if not S_ISREG(stat.st_mode):
            return None
        changed[rel] = source._replace(mtime_ns=stat.st_mtime_ns, size=stat.st_size)
    return changed


def _walk(folder: str, rel: str, site_dir: Path, root: Path, config: Config, report: Report,
          found: list[SourceFile], listing: Listing) -> None:
    """Files in name order, then folders in name order, as os.walk gave them before."""
    items = listing.get(folder)
    if items is None:
        try:
            with os.scandir(folder) as entries:
                items = sorted(entries, key=lambda item: item.name)
        except OSError as exc:  # an error, as for a file: a site without its releases is no site to publish
            report.error(rel, None, _("this folder cannot be read ({reason})").format(
                reason=oserrors.words(exc, lower=False)), _("give the folder read permission, or move its files out"))
            return
    place = _Place(rel, config)
    folders = []
    for item in items:
        name = item.name
        if name.startswith("."):  # editor backups, .git: never content
            continue
        if item.is_dir(follow_symlinks=False):
            folders.append(item)
            continue
        try:  # both follow a link, which fails on a loop (ELOOP) or a link it may not read
            linked_folder = item.is_symlink() and item.is_dir()
            markdown = name.endswith(".md") and item.is_file()
        except OSError as exc:
            reason = oserrors.words(exc)
            report.error(f"{rel}/{name}", None, _("this link cannot be followed: {reason}").format(reason=reason),
                         _("delete the link, or replace it with the file itself"))
            continue
        if linked_folder:  # an error, as for a folder that cannot be read: its releases would leave the site
            report.error(f"{rel}/{name}", None, _("this folder is a link and is not read"),
                         _("move or copy the files into content/ instead"))
        elif markdown:
            source = _source(item, place, root, config, report)
            if source is not None:
                found.append(source)
                _say_if_copy(f"{rel}/{name}", name, rel, items, report)
        elif name.endswith(".md") and item.is_symlink():  # its file moved or deleted: a release gone unsaid
            report.error(f"{rel}/{name}", None, _("this link leads to no file"),
                         _("delete the link, or replace it with the file itself"))
        else:
            _say_not_read(f"{rel}/{name}", name, report)
    for item in folders:
        _walk(item.path, f"{rel}/{item.name}", site_dir, root, config, report, found, listing)


#: What a file manager or a sync tool adds to the name of a copy it makes: Windows' " - Copy"
#: (" - Salinan" in Indonesian) and " (2)", Google Drive's " (1)", Dropbox's "(Budi's
#: conflicted copy 2024-05-30)", Nextcloud's "(conflicted copy ...)", macOS' " copy".
_COPY_MARK = re.compile(r"(?: - (?:copy|salinan)(?: \(\d+\))?| \(\d{1,2}\)| \([^()]*(?:conflicted copy|konflik)[^()]*\)"
                        r"| copy(?: \d+)?)$", re.IGNORECASE)
_COPY_OF = re.compile(r"^(?:copy of|salinan dari) ", re.IGNORECASE)


def _say_if_copy(rel: str, name: str, folder: str, items: list[os.DirEntry[str]], report: Report) -> None:
    """A warning for a release file that is a copy of another in its folder by its name
    ("rapat (1).id.md" beside "rapat.id.md"): published, it is the same release twice."""
    base = name[: -len(".md")]
    key, dot, lang = base.rpartition(".")
    if not (_COPY_MARK.search(base) or _COPY_OF.match(base) or dot and _COPY_MARK.search(key)):
        return  # almost every file: the names of the folder are not looked at
    wanted = {_COPY_OF.sub("", _COPY_MARK.sub("", base)) + ".md"}
    if dot:
        wanted.add(_COPY_OF.sub("", _COPY_MARK.sub("", key)) + f".{lang}.md")
    wanted.discard(name)
    original = next((item.name for item in items if item.name in wanted), None)
    if original is not None:
        report.warning(rel, None, _("this looks like a copy of {original} that a file manager or a sync tool made, "
                                    "and it is published as a release of its own").format(
                           original=f"{folder}/{original}"),
                       _("delete it, or give it a name of its own if it is another release"))


#: Endings of files staff meant as releases that sitegen does not read: another spelling of
#: Markdown's, a text editor's (Notepad saves "rilis.md" as "rilis.md.txt"), a word processor's.
_MARKDOWN_LIKE = (".markdown", ".mdown", ".mkdn", ".mkd", ".md.txt")
_DOCUMENTS = (".docx", ".doc", ".odt", ".rtf")


def _say_not_read(rel: str, name: str, report: Report) -> None:
    """A warning for a file in content/ that looks written to be a release but is not read:
    without one, a release saved under such a name is missing from the site unsaid."""
    if name.endswith(".md"):
        return  # not a plain file (a pipe, a device): nothing a rename would mend
    trimmed = name.rstrip(" .")  # Windows cannot even open such a name; a copy from elsewhere can make one
    if trimmed != name and trimmed.endswith(".md"):
        report.warning(rel, None, _("this file is not read: its name ends in a space or a dot after .md"),
                       _("rename it to {name}").format(name=trimmed))
        return
    name = trimmed
    lower = name.lower()
    if lower.endswith(".md"):
        stem = name[: -len(".md")]
    elif lower.endswith(_MARKDOWN_LIKE):
        stem = name[: name.rindex(".")]
        stem = stem[: -len(".md")] if stem.lower().endswith(".md") else stem
    elif lower.endswith(_DOCUMENTS):
        report.warning(rel, None, _("a word-processor document in content/ is not read"),
                       _("copy its text into a .md file, or write the release in the desk"))
        return
    else:
        return  # photos and other files: they may be kept here on purpose
    report.warning(rel, None, _("this file is not read: only names ending in .md are releases"),
                   _("rename it to {name}").format(name=f"{stem}.md"))


class _Place:
    """What the files of one folder share: the folder's path and section, and the start of
    their keys (worked out once per folder, not once per file)."""

    def __init__(self, rel: str, config: Config) -> None:
        self.rel = rel  # content/<section>/...
        parts = rel.split("/")[1:]
        self.section = parts[0] if parts else ""
        self.prefix = "".join(f"{part}/" for part in parts[1:])  # nested folders stay part of the key
        #: languages by the suffix a file name ends in (".en"): most files share a few
        self.langs: dict[str, str | None] = {}
        self.section_ok = _section_ok(self.section, rel, config, Report()) if self.section else False
        self.utf8 = is_utf8(rel)


def _source(item: os.DirEntry[str], place: _Place, root: Path, config: Config, report: Report) -> SourceFile | None:
    """Language, section and key of one content file, or None after reporting why it is skipped."""
    name = item.name
    rel = f"{place.rel}/{name}"
    if not (place.utf8 and is_utf8(name)):  # bytes of another encoding (an old Windows share): no address
        shown = readable(rel)
        if is_utf8(name):
            report.error(shown, None, _("the name of a folder above this file is not UTF-8 text, which "
                                        "addresses need"),
                         _("rename the folder with letters, digits and dashes, like content/berita/2024/"))
        else:
            report.error(shown, None, _("the file name is not UTF-8 text, which addresses need"),
                         _("rename the file with letters, digits and dashes, like rapat-koordinasi.id.md"))
        return None
    # Only a link can lead out (linked folders are not walked); resolving every file is slow.
    if item.is_symlink() and not Path(item.path).resolve().is_relative_to(root):
        report.error(rel, None, _("the file is a link to a file outside the site folder"),
                     _("copy the file into content/ instead of linking to it"))
        return None
    if not place.section:  # the file is right in content/
        report.error(rel, None, _("content files belong in a section folder"),
                     _("move it to content/berita/{name} or content/pages/{name}").format(name=name))
        return None
    stem = name[: -len(".md")]
    key, _dot, suffix = stem.rpartition(".")
    lang = place.langs.get(suffix, "") if key else None
    if lang == "":
        lang = place.langs[suffix] = _suffix_language(suffix)
    if lang is not None:
        if lang not in config.languages:
            # On line 1, as every error names a line (editors jump to it): the name is the problem.
            report.error(rel, 1, _("the name ends in '.{suffix}.md', so it would be in language '{lang}', but "
                                      "that language is not in config.yaml").format(suffix=suffix, lang=lang),
                         _("rename the file to {names}, or add '{lang}' under languages: in config.yaml").format(
                             names=_(" or ").join(f"{key}.{c}.md" for c in config.languages), lang=lang))
            return None
    else:
        key, lang = stem, config.default_language
    if not place.section_ok:
        _section_ok(place.section, rel, config, report)  # said for each of its files
        return None
    stat = item.stat()
    # The key as one spelling of its letters: a name saved on a Mac (é as e and a combining
    # accent, NFD) and its twin saved on Windows (NFC) are the same name to their writers.
    key = unicodedata.normalize("NFC", place.prefix + key)
    return SourceFile(item.path, rel, place.section, key, lang, stat.st_mtime_ns, stat.st_size, item.is_symlink())


def _suffix_language(suffix: str) -> str | None:
    """The language a name's last suffix before .md names (``en`` of ``.EN.md``), or None."""
    return suffix.lower() if _LANG_LIKE.match(suffix) else None


def language_of(name: str, config: Config) -> str:
    """The language of the content file ``name`` (``rapat.en.md``), as discovery reads it; the
    default language for a name without a suffix, or with one config.yaml does not have."""
    key, _dot, suffix = name.removesuffix(".md").rpartition(".")
    lang = _suffix_language(suffix) if key else None
    return lang if lang is not None and lang in config.languages else config.default_language


def _section_ok(section: str, rel: str, config: Config, report: Report) -> bool:
    why = section_problem(section, config)
    if why is not None:
        report.error(rel, None, _("the folder content/{section}/ cannot be a section: {why}").format(
                     section=section, why=why), _("rename the folder, for example to content/berita/"))
        return False
    return True


def section_problem(section: str, config: Config) -> str | None:
    """Why a folder of content/ cannot be a section, or None. A section folder becomes an
    address (``/berita/``): it needs letters or digits and may not take the address of a
    language's home page (``/en/``) or of one of sitegen's own lists."""
    slug = slugify(section)
    if section == PAGES:
        return None
    why = None
    if not slug:
        why = _("its name has no letters or digits")
    elif slug in config.languages and slug != config.default_language:
        why = _("/{slug}/ is the home page of language '{slug}'").format(slug=slug)
    elif (address := config.permalinks["section"].replace("{section}", slug)) in _indexes(config):
        why = _("{address} is the address of one of sitegen's own lists (tags, categories, units, years, "
                "search)").format(address=address)
    return why


def _indexes(config: Config) -> set[str]:
    """The addresses of the lists sitegen makes beside the sections (before a language's
    prefix): the index of each kind of term (``/tags/``), and the search page."""
    found = {"/search/"}
    for kind in ("tag", "category", "unit", "archive"):
        fixed = config.permalinks[kind].split("{", 1)[0]
        if fixed.count("/") > 1:  # "/tags/{slug}/" -> "/tags/"; "/{slug}/" names none
            found.add(fixed)
    return found
