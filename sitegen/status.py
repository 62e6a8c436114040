"""``sitegen status``: the newsroom desk — what is waiting, what is new, what needs translating.

The desk is computed once from the Site (``desk``) and then shown two ways: as text in the
terminal and, with ``--report DIR``, as a private HTML page that must never land where the
public site or its sources live.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import jinja2

from sitegen import oserrors
from sitegen.clock import wall_time
from sitegen.errors import Diagnostic, Report, SiteError, UsageError
from sitegen.generations import MARKER
from sitegen.messages import N_, _, current_language, ngettext
from sitegen.model import Entry, Hidden, Site
from sitegen.translated import behind, recorded_in
from sitegen.versions import Versions

RECENT = timedelta(days=7)
REPORT_FILE = "index.html"


@dataclass(frozen=True, slots=True)
class Missing:
    """A release (all its languages together) that lacks some configured languages."""

    entries: tuple[Entry, ...]  # the versions that exist, configured language order
    missing: tuple[str, ...]  # languages without a version
    required: tuple[str, ...]  # the missing languages the translation policy demands
    drafted: tuple[str, ...] = ()  # the missing languages whose version is being written (a draft)
    unlinked: tuple[str, ...] = ()  # why a missing version's file is there yet apart, as check says it

    @property
    def first(self) -> Entry:
        return self.entries[0]


@dataclass(frozen=True, slots=True)
class Stale:
    """A translation last changed before its source was."""

    translation: Entry
    source: Entry
    #: known by the ``translated_from`` digest (the source's words changed), not by the dates
    by_words: bool = False


@dataclass(frozen=True, slots=True)
class Desk:
    now: datetime
    zone: ZoneInfo
    waiting: tuple[Hidden, ...]  # embargoed or scheduled, soonest first
    drafts: tuple[Entry, ...]
    recent: tuple[Entry, ...]  # public for at most RECENT, newest first
    missing: tuple[Missing, ...]  # oldest first
    stale: tuple[Stale, ...]
    #: drafts left out of the site for their errors, as (language, title, file): no entry shows them
    unready: tuple[tuple[str, str, str], ...] = ()


def _when(entry: Entry) -> datetime:
    moment = entry.public_from() or entry.date
    return moment if moment is not None else datetime.min.replace(tzinfo=UTC)


def _dated(entry: Entry) -> datetime:
    """The date a list shows for a release, which its "oldest first" order follows."""
    return entry.date if entry.date is not None else datetime.min.replace(tzinfo=UTC)


def _releases(site: Site, pages: bool = False) -> list[Entry]:
    """Every article that is or will be public: visible ones and those waiting for their time;
    with ``pages``, the static pages too.

    Drafts are left out: they are not releases yet, so their missing twins are no one's debt,
    and a draft twin does not count as a translation because it would not be published.
    """
    codes = site.config.language_codes
    visible = [e for lang in codes for e in site.articles.get(lang, ())]
    if pages:
        visible += [e for lang in codes for e in site.pages.get(lang, ())]
    waiting = [h.entry for h in site.hidden if h.reason != "draft" and (pages or h.entry.is_article)]
    return visible + waiting


def _groups(site: Site, drafts: bool = False, pages: bool = False) -> list[dict[str, Entry]]:
    """Each release's versions by language; with ``drafts``, the draft versions too."""
    groups: dict[str, dict[str, Entry]] = defaultdict(dict)
    written = [h.entry for h in site.hidden if h.reason == "draft" and h.entry.is_article] if drafts else []
    for entry in [*_releases(site, pages), *written]:
        groups[entry.translation_key][entry.lang] = entry
    return list(groups.values())


def missing_translations(site: Site, pages: bool = False) -> tuple[Missing, ...]:
    """Releases without every configured language, oldest first, with what the policy requires;
    with ``pages``, static pages too (``sitegen check`` says both, the desk only releases).

    ``config.translations.require`` maps a section to the languages each of its releases needs;
    ``sitegen check --translations`` fails on every Missing whose ``required`` is not empty.
    """
    codes = site.config.language_codes
    drafts = {(h.entry.translation_key, h.entry.lang) for h in site.hidden if h.reason == "draft"}
    versions = Versions(site)
    found = []
    for group in _groups(site, pages=pages):
        entries = tuple(group[c] for c in codes if c in group)
        missing = tuple(c for c in codes if c not in group)
        if not missing:
            continue
        policy = site.config.translations.require
        demanded = {lang for e in entries for lang in policy.get(e.section, ())}
        key = entries[0].translation_key
        drafted = tuple(c for c in missing if (key, c) in drafts)
        found.append(Missing(entries, missing, tuple(c for c in missing if c in demanded), drafted,
                             _unlinked(site, versions, entries[0], [c for c in missing if c not in drafted])))
    return tuple(sorted(found, key=lambda m: (_dated(m.first), m.first.source)))


def _unlinked(site: Site, versions: Versions, entry: Entry, missing: list[str]) -> tuple[str, ...]:
    """check's words for each missing version whose file is there (rapat.en.md beside
    rapat.id.md) but keeps apart: "add it" would be wrong, the hint says how to link it."""
    notes = []
    for code in missing:
        if versions.there(entry, code):
            message, hint = versions.why_missing(entry, code, site.config.languages[code].name)
            notes.append(f"{message} ({hint})")
    return tuple(notes)


def _source_of(group: dict[str, Entry], default_language: str) -> Entry:
    """The original of a release: its default-language version, else its earliest version."""
    if default_language in group:
        return group[default_language]
    return min(group.values(), key=lambda e: (_when(e), e.source))


def stale_translations(site: Site, site_dir: Path | None = None, of: str | None = None) -> tuple[Stale, ...]:
    """Translations made from an older version of their source: by the ``translated_from:``
    digest the desk records (see sitegen.translated) when ``site_dir`` is given and the file
    has one, else by the dates (last changed before the source was). A translation still being
    written (a draft) falls behind its source as a published one does; a draft is the source
    only of a release with no published version. ``of``: only the release that file is a
    version of (the desk's form of one translation reads no other file)."""
    found = []
    for group in _groups(site, drafts=True):
        if len(group) < 2 or (of is not None and all(entry.source != of for entry in group.values())):
            continue  # a release in one language: no translation to fall behind (and no file read)
        # The version each was made from, where the desk recorded it (an Indonesian translation
        # of an English original): the original is then no one's translation.
        records = {lang: recorded_in(site_dir, entry.source) for lang, entry in group.items()} if site_dir else {}
        made_from = {lang: group.get(made[0]) for lang, made in records.items() if made is not None and made[0] != lang}
        originals = {made.lang for made in made_from.values() if made is not None}
        published = {lang: entry for lang, entry in group.items() if not entry.draft}
        source = _source_of(published or group, site.config.default_language)
        for entry in group.values():
            own = made_from.get(entry.lang)
            if own is None and entry.lang in originals:
                continue  # others were made from it, and it records no source of its own: an original
            own = own or source
            if entry is own:
                continue
            recorded = behind(site_dir, records.get(entry.lang), own.source) if site_dir else None
            if recorded and not _corrected_after(entry, own):
                found.append(Stale(entry, own, by_words=True))
            elif recorded is None and own.modified and entry.modified and entry.modified < own.modified:
                found.append(Stale(entry, own))
    return tuple(sorted(found, key=lambda s: (_when(s.source), s.translation.source)))


def _corrected_after(translation: Entry, source: Entry) -> bool:
    """Whether ``translation`` was given an ``updated:`` time after its source last changed: a
    translation corrected outside the desk, which records no new digest then (README)."""
    changed = source.modified
    return translation.updated is not None and changed is not None and translation.updated > changed


def desk(site: Site, site_dir: Path | None = None) -> Desk:
    now = site.now
    recent = [e for lang in site.config.language_codes for e in site.articles.get(lang, ())
              if now - RECENT <= _when(e) <= now]
    return Desk(
        now=now,
        zone=site.config.zone,
        waiting=tuple(h for h in site.hidden if h.reason != "draft"),
        drafts=tuple(sorted((h.entry for h in site.hidden if h.reason == "draft"),
                            key=lambda e: e.source)),
        recent=tuple(sorted(recent, key=lambda e: (-_when(e).timestamp(), e.source))),
        missing=missing_translations(site),
        stale=stale_translations(site, site_dir),
    )


State = Literal["draft", "scheduled", "embargo", "live", "missing", "stale"]


@dataclass(frozen=True, slots=True)
class EntryState:
    """One release in one language as the desk's overview shows it: the facts of ``desk()``."""

    entry: Entry
    states: tuple[State, ...]
    until: datetime | None  # when a scheduled or embargoed release goes public
    missing: tuple[str, ...]  # languages its release has no version in
    drafted: tuple[str, ...] = ()  # those of them whose version is being written (a draft)


def entry_states(d: Desk, site: Site) -> tuple[EntryState, ...]:
    """Every article and page (drafts too) with its states, in file order."""
    hidden = {h.entry.source: h for h in site.hidden}
    missing = {e.source: m for m in d.missing for e in m.entries}
    stale = {s.translation.source for s in d.stale}
    entries = site.all_entries()
    found = []
    for entry in sorted(entries, key=lambda e: e.source):
        why = hidden.get(entry.source)
        states: list[State] = [why.reason if why else "live"]
        if entry.source in missing:
            states.append("missing")
        if entry.source in stale:
            states.append("stale")
        lacking = missing.get(entry.source)
        found.append(EntryState(entry, tuple(states), why.until if why else None,
                                lacking.missing if lacking else (), lacking.drafted if lacking else ()))
    return tuple(found)


# --- words for times -------------------------------------------------------------------------


def local_time(moment: datetime | None, zone: ZoneInfo) -> str:
    """``2030-01-01 09:00 WIB``: the site's own clock, as staff read it."""
    return wall_time(moment, zone, "minutes") if moment else "-"


def span(delta: timedelta, start: datetime | None = None) -> str:
    """A duration in its two largest units: ``3 years 34 days``, ``2 days 4 hours``. Years are
    calendar years from ``start`` (a leap day is a day of its year, not one more), else 365 days."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    years, days = divmod(days, 365)
    if start is not None and years:
        end = start + abs(delta)
        years = _whole_years(start, end)
        days = (end - _years_after(start, years)).days
    hours, minutes = divmod(rest, 60)
    units = [(years, ngettext("{n} year", "{n} years", years)), (days, ngettext("{n} day", "{n} days", days)),
             (hours, ngettext("{n} hour", "{n} hours", hours)),
             (minutes, ngettext("{n} minute", "{n} minutes", minutes))]
    shown = [words.format(n=n) for n, words in units if n][:2]
    return " ".join(shown) if shown else _("less than a minute")


def _years_after(start: datetime, years: int) -> datetime:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year that has none
        return start.replace(year=start.year + years, day=28)


def _whole_years(start: datetime, end: datetime) -> int:
    years = end.year - start.year
    return years - 1 if _years_after(start, years) > end else years


def relative(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "-"
    if moment > now:
        return _("in {span}").format(span=span(moment - now, now))
    return _("{span} ago").format(span=span(now - moment, moment))


_REASONS = {"embargo": N_("embargo"), "scheduled": N_("scheduled"), "draft": N_("draft")}


# --- one table per desk section, shown in the terminal and in the report -------------------


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the last cell is the file or address, shown on its own line
    notes: tuple[tuple[str, ...], ...] = ()  # each row's notes, shown under its file; none when empty


def tables(d: Desk, site: Site) -> tuple[Table, ...]:
    def t(moment: datetime | None) -> str:
        return local_time(moment, d.zone)

    def missing(m: Missing) -> str:
        def one(lang: str) -> str:
            if lang in m.drafted:
                return (_("{lang} (required, still a draft)") if lang in m.required
                        else _("{lang} (still a draft)")).format(lang=lang)
            return _("{lang} (required)").format(lang=lang) if lang in m.required else lang

        return ", ".join(one(lang) for lang in m.missing)

    language, title, file = _("Language"), _("Title"), _("File")
    return (
        Table("waiting", _("Under embargo or scheduled"),
              (_("Goes public"), _("From now"), _("Why"), language, title, file),
              tuple((t(h.until), relative(h.until, d.now), _(_REASONS[h.reason]), h.entry.lang, h.entry.title,
                     h.entry.source) for h in d.waiting)),
        Table("drafts", _("Drafts"), (language, title, file),
              tuple(sorted([*((e.lang, e.title, e.source) for e in d.drafts),
                            *((lang, _("{title} (left out for its errors)").format(title=name), rel)
                              for lang, name, rel in d.unready)], key=lambda row: row[2]))),
        Table("recent", _("Published in the last 7 days"),
              (_("Public since"), "", language, title, _("Address")),
              tuple((t(_when(e)), relative(_when(e), d.now), e.lang, e.title,
                     site.config.absolute(e.url)) for e in d.recent)),
        Table("missing", _("Without translation, oldest first"),
              (_("Date"), _("Missing"), title, file),
              tuple((t(m.first.date), missing(m), m.first.title, m.first.source)
                    for m in d.missing), tuple(m.unlinked for m in d.missing)),
        Table("stale", _("Translations older than their source"),
              (language, _("Translation changed"), _("Source changed"), title, file),
              tuple((s.translation.lang, t(s.translation.modified),
                     _("{time} ({lang}, its words changed after the translation was made)").format(
                         time=t(s.source.modified), lang=s.source.lang) if s.by_words else
                     _("{time} ({lang}, {span} later)").format(
                         time=t(s.source.modified), lang=s.source.lang,
                         span=span(_modified(s.source) - _modified(s.translation))),
                     s.translation.title, s.translation.source) for s in d.stale)),
    )


def _modified(entry: Entry) -> datetime:
    return entry.modified or _when(entry)


def terminal(d: Desk, site: Site) -> str:
    lines = [_("Newsroom status at {time} ({zone})").format(time=local_time(d.now, d.zone), zone=d.zone.key), ""]
    for table in tables(d, site):
        lines.append(f"{table.title} ({len(table.rows)})")
        notes = table.notes or ((),) * len(table.rows)
        lines += ["\n      ".join((f"  {'  '.join(row[:-1])}", row[-1], *note))
                  for row, note in zip(table.rows, notes, strict=True)] or ["  " + _("none")]
        lines.append("")
    return "\n".join(lines)


_REPORT = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""\
<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{ heading }} — {{ site_title }}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%;margin-bottom:2rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
.empty{color:#666}
</style>
</head>
<body>
<h1>{{ heading }} — {{ site_title }}</h1>
<p><time datetime="{{ now.isoformat(timespec='seconds') }}">{{ now_text }}</time> ({{ zone }}). {{ private }}</p>
{% for table in tables %}
<section id="{{ table.key }}">
<h2>{{ table.title }} ({{ table.rows|length }})</h2>
{% if table.rows %}<table>
<thead><tr>{% for h in table.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in table.rows %}{% set notes = table.notes[loop.index0] if table.notes else () %}
<tr>{% for cell in row %}<td>{% if cell.startswith(base_url) and " " not in cell %}\
<a href="{{ cell }}">{{ cell }}</a>{% else %}{{ cell }}{% endif %}\
{% if loop.last %}{% for note in notes %}<p>{{ note }}</p>{% endfor %}{% endif %}</td>{% endfor %}</tr>{% endfor %}
</tbody>
</table>{% else %}<p class="empty">{{ empty }}</p>{% endif %}
</section>
{% endfor %}
{% if problems %}<section id="left-out">
<h2>{{ left_out }}</h2>
<ul>{% for problem in problems %}<li><code>{{ problem }}</code></li>{% endfor %}</ul>
</section>{% endif %}
</body>
</html>
""")


def report_html(d: Desk, site: Site, problems: Sequence[Diagnostic] = ()) -> str:
    """The private page of the desk ``d``; ``problems``: the errors of the files the lists
    leave out, said below them as in the terminal."""
    files = len({p.path for p in problems if p.severity == "error"})
    # ("none" would be Jinja's None in the template: "empty")
    # Only the site's own addresses are links: a title written as a web address stays text.
    return _REPORT.render(site_title=site.config.languages[site.config.default_language].title,
                          base_url=site.config.base_url,
                          now=d.now, now_text=local_time(d.now, d.zone), zone=d.zone.key,
                          tables=tables(d, site), lang=current_language(), heading=_("Newsroom status"),
                          private=_("Private page: it names releases under embargo, do not publish it."),
                          empty=_("None."), problems=[p.format() for p in problems],
                          left_out=_left_out(files) if files else
                          _("Drafts left out of the site until their errors are fixed"))


def _left_out(files: int) -> str:
    return ngettext("{count} file with errors is left out of these lists (see below)",
                    "{count} files with errors are left out of these lists (see below)", files).format(count=files)


def check_report_folder(folder: Path, site_dir: Path, public: Path) -> None:
    """The report names embargoed releases: it must never be published or mixed with sources."""
    target, site = folder.resolve(), site_dir.resolve()
    forbidden = [public.resolve(), *(site / name for name in ("content", "static", "themes"))]
    # A site built with --output elsewhere is just as public: its marker says so.
    built = any((place / MARKER).exists() for place in (target, *target.parents))
    if built or target == site or any(target.is_relative_to(place) for place in forbidden):
        problem = _("refusing to write the private status report here: it is the site folder, or inside the "
                    "public output folder or the site's content/, static/ or themes/")
        hint = _("choose a folder outside the site, e.g. --report ../status")
        raise UsageError([Diagnostic(str(folder), None, problem, hint=hint)])


def write_report(folder: Path, html: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / REPORT_FILE
    temporary = folder / f".{REPORT_FILE}.tmp"
    try:
        temporary.write_text(html, "utf-8")
        os.replace(temporary, target)  # a reader never sees half a report
    except OSError as exc:  # a full disk, say: the last whole report stays
        temporary.unlink(missing_ok=True)
        raise SiteError([oserrors.describe(exc, target)]) from None
    return target


def _drafts_left_out(site: Site, report: Report, site_dir: Path) -> tuple[tuple[str, str, str], ...]:
    """Drafts the build left out for their errors (a photo not uploaded yet, a date half typed),
    which the build only warns of: still drafts to list, by the title their front matter
    gives, else by their file's name."""
    from sitegen.content.discover import language_of
    from sitegen.content.fields import clean_text
    from sitegen.content.parse_all import draft_front_matter
    from sitegen.content.parse_file import MAX_TITLE

    shown = {e.source for e in site.all_entries()} | {h.entry.source for h in site.hidden}
    found = []
    for rel in sorted({d.path for d in report.items if d.path.startswith("content/") and d.path.endswith(".md")}
                      - shown):
        meta = draft_front_matter(site_dir / rel)
        if meta is None:
            continue
        title, name = meta.data.get("title"), rel.rpartition("/")[2]
        shown_title = clean_text(title) if isinstance(title, str) else ""  # as a published title is shown
        if len(shown_title) > MAX_TITLE:
            shown_title = shown_title[:MAX_TITLE - 1] + "…"
        found.append((language_of(name, site.config), shown_title or name, rel))
    return tuple(found)


def status(site_dir: Path, now: str | None, report_dir: Path | None) -> int:
    from sitegen.build import Options, output_dir, prepare
    from sitegen.errors import print_diagnostics

    options = Options(site_dir=site_dir, now=now)
    # A file with errors (a release saved half written) is left out and named below the
    # lists, not allowed to hide every other release from them.
    prepared = prepare(options, keep_errors=True)
    if report_dir is not None:
        check_report_folder(report_dir, site_dir, output_dir(options, prepared.config))
    d = replace(desk(prepared.site, site_dir), unready=_drafts_left_out(prepared.site, prepared.report, site_dir))
    problems = sorted(prepared.report.items, key=Diagnostic.sort_key)
    left_out = [p for p in problems if p.severity == "error" and p.path.startswith("content/")]
    # Below the report's lists too: why a draft is listed "left out for its errors" (warnings,
    # as a draft's problems are), as the terminal says it.
    unready = {rel for _lang, _title, rel in d.unready}
    said = [p for p in problems if p in left_out or p.path in unready]
    # The report first: a reader that stops reading (sitegen status --report DIR | head) ends
    # the printing, and must not end the writing too.
    written = write_report(report_dir, report_html(d, prepared.site, said)) if report_dir is not None else None
    print(terminal(d, prepared.site))
    if left_out:
        print("\n" + _left_out(len({p.path for p in left_out})))
    if written is not None:
        print(_("report written to {path}").format(path=written))
    print_diagnostics(problems)
    return 1 if prepared.report.errors else 0
