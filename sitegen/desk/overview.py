"""The desk's overview: every release with its state, from the same facts as ``sitegen status``.

The states come from ``status.entry_states`` on the last good build; a file the build could
not read (an error in it) is listed too, with the state "error", so nothing goes missing from
the desk while it is broken.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sitegen import status
from sitegen.build import Prepared
from sitegen.config import Config
from sitegen.content.discover import PAGES
from sitegen.desk import document, form, paths
from sitegen.messages import _, current_language
from sitegen.model import Entry
from sitegen.translated import recorded_in

STATES = ("draft", "scheduled", "embargo", "live", "missing", "stale", "error")


def state_name(state: str) -> str:
    return {"draft": _("draft"), "scheduled": _("scheduled"), "embargo": _("embargoed"), "live": _("live"),
            "missing": _("translation missing"), "stale": _("translation out of date"),
            "error": _("has errors")}.get(state, state)


@dataclass(frozen=True, slots=True)
class Row:
    rel: str
    title: str
    section: str
    lang: str
    date: datetime | None
    states: tuple[str, ...]
    until: datetime | None
    missing: tuple[str, ...]
    url: str  # the public address once live ("" when not an entry)
    drafted: tuple[str, ...] = ()  # the missing languages whose version is a draft, as status says


@dataclass(frozen=True, slots=True)
class Filters:
    section: str = ""
    state: str = ""
    lang: str = ""
    text: str = ""


def rows(prepared: Prepared, site_dir: Path, broken: set[str] | frozenset[str] = frozenset()) -> list[Row]:
    site = prepared.site
    # A file changed since the build that shows it (another file's error stops the rebuilds):
    # its state as its file now says, as sitegen status reads it.
    found = [unbuilt_row(site_dir / s.entry.source, s.entry.source, prepared, s.entry.source in broken, s.entry)
             if _changed_since(prepared, site_dir, s.entry.source) else
             Row(s.entry.source, s.entry.title, s.entry.section, s.entry.lang, s.entry.date,
                 ("error", *s.states) if s.entry.source in broken else s.states, s.until, s.missing, s.entry.url,
                 s.drafted)
             for s in status.entry_states(status.desk(site, site_dir), site)]
    known = {row.rel for row in found}
    content = site_dir / "content"
    for path in sorted(content.glob("*/**/*.md")) if content.is_dir() else []:
        rel = path.relative_to(site_dir).as_posix()
        if rel not in known and not any(part.startswith(".") for part in rel.split("/")):
            found.append(unbuilt_row(path, rel, prepared, rel in broken))
    return sorted(found, key=lambda r: (r.date is None, -(r.date.timestamp() if r.date else 0), r.rel))


def _changed_since(prepared: Prepared, site_dir: Path, rel: str) -> bool:
    """Whether the file ``rel`` is not as the build of ``prepared`` read it."""
    seen = prepared.read.get(rel)
    if seen is None:
        return False
    try:
        stat = os.stat(site_dir / rel)
    except OSError:
        return False  # gone: the overview lists deletions apart
    return (stat.st_mtime_ns, stat.st_size) != seen


def unbuilt_row(path: Path, rel: str, prepared: Prepared, erring: bool = True, built: Entry | None = None) -> Row:
    """The row of a file the last good build does not have as it is now: one it left out for
    its errors (a draft saved half written, a file broken by hand; ``erring``), one added or
    changed since, while another file's error stops the rebuilds or before the rebuild is
    done. Its title and date
    as the form reads them, like any other release; its file's name, and no date, when its
    front matter cannot be read. One without errors is in the state ``sitegen status`` gives it."""
    config = prepared.config
    section, _key, lang = paths.split_name(rel, config)
    try:
        release = form.from_document(document.parse(path.read_bytes()), config.zone)
    except (OSError, document.Unreadable):
        release, erring = form.Release(), True
    when = form.goes_public(replace(release, embargo_date="", embargo_time=""), config.zone)
    public = form.goes_public(release, config.zone)
    if erring:
        states: tuple[str, ...] = ("error", "draft") if release.draft else ("error",)
    elif release.draft:
        states = ("draft",)
    elif public is not None and public > prepared.site.now:  # named as assemble.visibility names it
        embargo = form.goes_public(replace(release, date="", time=""), config.zone)
        states = ("embargo",) if public == embargo else ("scheduled",)
    else:
        states = ("live",)
    # (``built``: the entry the last good build made of it, whose title and date a file that
    # cannot be read now is still known by)
    return Row(rel, release.title or (built.title if built else path.name), section, lang,
               when or (built.date if built and not release.title else None), states, None, (), "")


def apply(found: list[Row], chosen: Filters) -> list[Row]:
    text = chosen.text.casefold().strip()
    return [r for r in found
            if (not chosen.section or r.section == chosen.section)
            and (not chosen.state or chosen.state in r.states)
            and (not chosen.lang or r.lang == chosen.lang)
            and (not text or text in r.title.casefold())]


def sections(prepared: Prepared, site_dir: Path) -> dict[str, str]:
    """Section folder → its name in the UI's language (config order, then other folders, then pages)."""
    config = prepared.config
    spoken = current_language()
    lang = spoken if spoken in config.languages else config.default_language
    found = {key: config.section_name(key, lang) for key in config.sections}
    content = site_dir / "content"
    if content.is_dir():
        for folder in sorted(p.name for p in content.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if folder != PAGES:
                found.setdefault(folder, config.section_name(folder, lang))
    found[PAGES] = _("Pages (about, contact)")
    return found


def suggestions(prepared: Prepared, lang: str) -> dict[str, list[str]]:
    """Existing tags, categories, units and locations, offered as the person types: those of
    the releases in the form's language ``lang`` (an Indonesian form is offered no
    "christmas"), or of every language where that one has none yet. A category is offered
    where a release names one of its own: the others' is their section's, which an empty field
    gives already."""
    every = prepared.site.all_entries()
    entries = [e for e in every if e.lang == lang] or every
    return {"categories": sorted({e.category for e in entries if e.category and e.category != e.section},
                                 key=str.casefold),
            "tags": sorted({t for e in entries for t in e.tags}, key=str.casefold),
            "units": sorted({e.unit for e in entries if e.unit}, key=str.casefold),
            "locations": sorted({e.location for e in entries if e.location}, key=str.casefold)}


def suggestions_by_language(prepared: Prepared, hint: str) -> dict[str, dict[str, object]]:
    """For a new release, whose language is chosen in the form: each language's suggestions,
    and the office's contact on its pages with the contact field's hint (``hint``, with a
    ``{name}`` to fill), which the form's script puts in place when the language changes."""
    config = prepared.config
    found: dict[str, dict[str, object]] = {}
    for code in config.languages:
        contact = config.contact.shown(code, config.default_language)
        found[code] = {**suggestions(prepared, code), "contact": [contact.name, contact.phone, contact.email],
                       "contact_hint": contact_hint(config, code, hint)}
    return found


def contact_hint(config: Config, lang: str, hint: str) -> str:
    """The contact fields' hint (``hint``, with a ``{name}`` to fill) for a release in ``lang``."""
    return hint.format(name=config.contact.shown(lang, config.default_language).name or "-")


@dataclass(frozen=True, slots=True)
class Source:
    """The original a translation is made from, shown beside it."""

    rel: str
    lang: str
    title: str
    summary: str
    body: str
    stale: bool
    fields: form.Release  # the whole source as the form shows it: its tags, unit, photo texts ...


def versions(prepared: Prepared, rel: str) -> dict[str, str]:
    """language → file of every version of the release ``rel`` is one of, as the last good
    build grouped them: by translation key, so a pair whose files are named apart
    (``translation_key:``) is one release too. Empty when that build did not have ``rel``."""
    every = prepared.site.all_entries()
    mine = next((e for e in every if e.source == rel), None)
    if mine is None:
        return {}
    return {e.lang: e.source for e in every if e.translation_key == mine.translation_key}


def source_of(prepared: Prepared, site_dir: Path, rel: str) -> tuple[str, str, document.Document] | None:
    """(file, language, contents) of the version a translation is made from: the one its
    ``translated_from`` names, else the default-language version of a release in another
    language; None for an original (or a source that cannot be read)."""
    config = prepared.config
    section, key, lang = paths.split_name(rel, config)
    grouped = versions(prepared, rel)
    made_from = recorded_in(site_dir, rel)
    source_lang = made_from[0] if made_from is not None and made_from[0] != lang else config.default_language
    if source_lang == lang or (made_from is None and _named_as_source(site_dir, grouped, lang)):
        return None  # an original: the default language's version, or one another was made from
    if source_lang in grouped:
        other = grouped[source_lang]
    else:
        other = f"content/{section}/{key}.{source_lang}.md"
        if source_lang == config.default_language and not (site_dir / other).is_file():
            other = f"content/{section}/{key}.md"
    try:
        return other, source_lang, document.parse((site_dir / other).read_bytes())
    except (OSError, document.Unreadable):
        return None


def _named_as_source(site_dir: Path, grouped: dict[str, str], lang: str) -> bool:
    """Whether another version of the release records that it was made from ``lang``'s."""
    return any((made := recorded_in(site_dir, other)) is not None and made[0] == lang
               for other_lang, other in grouped.items() if other_lang != lang)


def translation_source(prepared: Prepared, site_dir: Path, rel: str) -> Source | None:
    """``source_of`` as the translation's form shows it, with whether it changed since."""
    found = source_of(prepared, site_dir, rel)
    if found is None:
        return None
    other, source_lang, doc = found
    # as status and the overview say it: by the recorded digest, else by the dates
    stale = any(s.translation.source == rel for s in status.stale_translations(prepared.site, site_dir, of=rel))
    return Source(other, source_lang, doc.written("title") or "", doc.written("summary") or "",
                  doc.body, stale, form.from_document(doc, prepared.config.zone))


def twins(prepared: Prepared, site_dir: Path, rel: str) -> list[tuple[str, str, bool]]:
    """(language, file, exists) of each other configured language's version."""
    config = prepared.config
    _section, _key, lang = paths.split_name(rel, config)
    grouped = versions(prepared, rel)
    found = []
    for code in config.language_codes:
        if code != lang:
            twin = grouped.get(code) or paths.twin_name(rel, code, config)
            found.append((code, twin, (site_dir / twin).is_file()))
    return found
