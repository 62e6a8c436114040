"""``sitegen new``: a new article file with its front matter filled in (and its twins).

The file is ``content/<section>/<YYYY-MM-DD>-<slug>.<lang>.md``; twins in the other
languages share its file key, so they form one translation group without a
``translation_key``. Every new file starts as a draft, the twins as much as the original:
an empty or untranslated release never goes public before someone deletes its draft line.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sitegen import oserrors
from sitegen.clock import ClockError, resolve_now
from sitegen.config import Config, load_config
from sitegen.content.discover import PAGES, section_problem
from sitegen.content.fields import clean_text
from sitegen.content.parse_file import MAX_TITLE
from sitegen.errors import Diagnostic, SiteError, UsageError, shown_path
from sitegen.messages import _
from sitegen.model import own_translation_key
from sitegen.urls import apart, article_url, home, title_slug

_SECTION = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def new_article(site_dir: Path, title: str, section: str, lang: str | None,
                translations: bool) -> tuple[list[Path], list[Diagnostic]]:
    """The files written, and warnings about them (a section that had no folder yet)."""
    config = load_config(site_dir)
    lang = lang or config.default_language
    notes = _check_args(site_dir, config, title, section, lang)
    now = _now(config)
    langs = [lang, *(c for c in config.language_codes if c != lang and translations)]
    folder = site_dir / "content" / section
    # A title in a script no address spells ("政府 公告"): named by its hash, as a tag would be.
    slug = title_slug(title)
    existing = _made_today(folder, _file_key(section, slug, now), langs, title)
    if not existing:
        # An address another release or a list page has ("Jum'at Berkah" every Friday): the next
        # free one, as the desk gives its drafts, never a clash found only once it is published.
        taken = _taken(site_dir, config, section, langs, now)
        slug = apart(slug, lambda s: taken(s) or any(p.exists() for p in _targets(
            folder, _file_key(section, s, now), langs).values()))  # another title's file of that name
    key = _file_key(section, slug, now)
    targets = _targets(folder, key, langs)
    existing = existing or [p for p in targets.values() if p.exists()]
    if existing:  # the same title again the same day: most likely the command run twice
        raise SiteError([Diagnostic(shown_path(p, site_dir), None, _("this file already exists; nothing was written"),
                                    hint=_("pick another title or edit the existing file"))
                         for p in existing])
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for code, path in targets.items():
            text = front_matter(config, code, title, slug, None if section == PAGES else now,
                                twin=code != lang, key=own_translation_key(section, key) if len(targets) > 1 else None)
            with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
                written.append(path)
                handle.write(text)
    except FileExistsError as exc:  # appeared since the check: leave no half-made group behind
        for path in written:
            path.unlink(missing_ok=True)
        raise SiteError([Diagnostic(shown_path(Path(str(exc.filename)), site_dir), None,
                                    _("this file already exists; nothing was written"))]) from None
    except OSError as exc:  # a full disk, say: no half-written file stays behind
        for done in written:
            done.unlink(missing_ok=True)
        raise SiteError([oserrors.describe(exc, shown_path(written[-1] if written else folder, site_dir))]) from None
    return written, notes


def _file_key(section: str, slug: str, now: datetime) -> str:
    return slug if section == PAGES else f"{now:%Y-%m-%d}-{slug}"


def _made_today(folder: Path, key: str, langs: list[str], title: str) -> list[Path]:
    """The files of this title made today (``key``, or ``key-2`` ... where its address was taken;
    their title line still as ``new`` wrote it), in any of ``langs``: the same command run
    again. Another title of the same slug ("Rapat!" and "Rapat") gets the next free address."""
    named = re.compile(re.escape(key) + r"(-\d+)?\.(" + "|".join(map(re.escape, langs)) + r")\.md")
    written = f"title: {json.dumps(title, ensure_ascii=False)}\n".encode()
    found = []
    try:
        for path in folder.iterdir():
            match = named.fullmatch(path.name)
            if match and written in path.read_bytes()[:65536]:
                found.append(path)
    except OSError:  # no folder yet, or a file gone meanwhile: the write below says what is wrong
        pass
    return sorted(found)


def _targets(folder: Path, key: str, langs: list[str]) -> dict[str, Path]:
    return {code: folder / f"{key}.{code}.md" for code in langs}


def _taken(site_dir: Path, config: Config, section: str, langs: list[str], now: datetime) -> Callable[[str], bool]:
    """Whether the address a slug gives the new release, in any of ``langs``, is already the
    site's: a release's (published, waiting or a draft), one of their old addresses, a list
    page's or a language's home. A site that cannot be read yet claims nothing: its build says
    what is wrong."""
    from sitegen.build import Options, prepare

    try:
        site = prepare(Options(site_dir=site_dir, search=False), config=config, keep_errors=True).site
    except (SiteError, OSError):
        return lambda slug: False
    from sitegen.clashes import SEARCH_BUNDLE
    from sitegen.outputs.listings import INDEX_KINDS, index_url
    from sitegen.outputs.search import search_url

    claimed = {url for entry in site.all_entries() for url in (entry.url, *entry.aliases)}
    claimed |= {term.url for terms in site.terms.values() for term in terms}
    for code in config.language_codes:  # the lists of every tag, unit, year ... and the search page
        claimed |= {home(config, code), search_url(config, code), f"/{SEARCH_BUNDLE}/",
                    *(index_url(site, kind, code) for kind in INDEX_KINDS)}

    def taken(slug: str) -> bool:
        key = _file_key(section, slug, now)
        return any(article_url(config, code, section, slug, key, now) in claimed for code in langs)

    return taken


def _check_args(site_dir: Path, config: Config, title: str, section: str, lang: str) -> list[Diagnostic]:
    problems = []
    if lang not in config.languages:
        problems.append(Diagnostic("--lang", None, _("language '{lang}' is not configured").format(lang=lang),
                                   hint=_("use one of {choices}").format(choices=", ".join(config.language_codes))))
    if not any(char.isalnum() for char in title):
        problems.append(Diagnostic("TITLE", None, _("the title needs at least one letter or digit")))
    broken = next((char for char in title if "\udc80" <= char <= "\udcff"), None)
    if broken is not None:  # a byte the terminal sent in another encoding (Latin-1): no UTF-8 text
        problems.append(Diagnostic("TITLE", None, _("the title is not UTF-8 text (byte 0x{byte:02x} cannot be read)")
                                   .format(byte=ord(broken) - 0xDC00),
                                   hint=_("set the terminal to UTF-8 (for example LANG=id_ID.UTF-8) and type the "
                                          "title again")))
    length = len(clean_text(title))  # as the build will count it
    if length > MAX_TITLE:
        # The build's own words: the same limit, said the same way.
        problems.append(Diagnostic("TITLE", None, _("the title is {length} characters long; a headline may have "
                                                    "at most {most}").format(length=length, most=MAX_TITLE),
                                   hint=_("shorten it, and put the rest in the text below the front matter")))
    notes, problem = _check_section(site_dir, config, section)
    problems += problem
    if problems:
        raise UsageError(problems)
    return notes


def _check_section(site_dir: Path, config: Config, section: str) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(warnings, errors) for ``--section``. Any folder of content/ is a section, so a name
    with no folder yet starts one, unless it is one letter or two away from a section the
    site has (a typo would hide the release in a section of its own) or cannot be a section."""
    known = set(config.sections) | {PAGES}
    content = site_dir / "content"
    if content.is_dir():
        known |= {p.name for p in content.iterdir() if p.is_dir() and not p.name.startswith(".")}
    if section in known and _SECTION.match(section):
        return [], []
    if (content / section).exists() and not (content / section).is_dir():
        return [], [Diagnostic(f"content/{section}", None, _("a section is a folder, but this is a file"),
                               hint=_("move the file away, or choose another section"))]
    why = section_problem(section, config) if _SECTION.match(section) else None
    if why is not None:
        return [], [Diagnostic("--section", None, _("the folder content/{section}/ cannot be a section: {why}").format(
            section=section, why=why), hint=_("use one of {choices}").format(choices=", ".join(sorted(known))))]
    # Close enough to be a slip of the keyboard ("beritaa", "bertia"), not a new section that
    # shares a word with one ("berita-foto", "siaran" beside "siaran-pers").
    near = difflib.get_close_matches(section, sorted(known), n=1, cutoff=0.8)
    if not _SECTION.match(section) or near:
        hint = _("did you mean '{key}'? A new section: make its folder content/{section}/ first").format(
            key=near[0], section=section) if near else \
            _("use one of {choices}, or a new name of lowercase letters, digits and -").format(
                choices=", ".join(sorted(known)))
        return [], [Diagnostic("--section", None, _("there is no section '{section}'").format(section=section),
                               hint=hint)]
    return [Diagnostic(f"content/{section}", None, _("'{section}' is a new section: its folder was made").format(
        section=section), "warning", _("name it in each language under  sections:  in config.yaml"))], []


def _now(config: Config) -> datetime:
    try:
        moment = resolve_now(None, config.zone)
    except ClockError as exc:
        raise UsageError([exc.diagnostic()]) from None
    return moment.astimezone(config.zone).replace(microsecond=0)


def front_matter(config: Config, lang: str, title: str, slug: str, date: datetime | None, twin: bool,
                 key: str | None = None) -> str:
    """YAML whose every value is a JSON string: always valid, whatever the title holds. ``key``,
    given to a group of twins, is written as their ``translation_key``: the one the file names
    give them anyway (section/file key), said where an editor sees it and kept if one is renamed."""

    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["---"]
    if twin:
        lines.append("# " + _("Translate the title, summary and text, then delete the 'draft' line."))
    else:
        lines.append("# " + _("Write the summary and the text, then delete the 'draft' line to publish."))
    lines.append(f"title: {text(title)}")
    if date is not None:
        lines.append(f"date: {text(date.isoformat())}")
    lines += [f"slug: {text(slug)}", 'summary: ""', "tags: []", 'location: ""']
    contact = config.contact.shown(lang, config.default_language)
    if contact:
        lines.append("contact:")
        lines += [f"  {name}: {text(value)}" for name, value in (
            ("name", contact.name), ("phone", contact.phone), ("email", contact.email)) if value]
    if key is not None:
        lines.append(f"translation_key: {text(key)}")
    lines.append("draft: true")
    return "\n".join([*lines, "---", ""]) + "\n"
