"""Parsed entries → the Site: visibility at ``now``, translation groups, taxonomies, order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sitegen import urls
from sitegen.config import Config
from sitegen.errors import Report
from sitegen.messages import _
from sitegen.model import Entry, Hidden, Site, Term, TermKind, alias_line
from sitegen.versions import meant_hint, near_misses

_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def visibility(entry: Entry, now: datetime, drafts: bool) -> Hidden | None:
    """Why ``entry`` is not public at ``now``, or None when it is."""
    if entry.draft and not drafts:
        return Hidden(entry, "draft", None)
    until = entry.public_from()
    if until is None or until <= now:
        return None
    # Named after the moment that holds it back: a release dated after its embargo is scheduled.
    return Hidden(entry, "embargo" if until == entry.embargo else "scheduled", until)


def newest_first(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    # Time since 1970 compares like the dates (exactly) without each comparison of two zoned
    # datetimes asking both for their offsets.
    return tuple(sorted(entries, key=lambda e: ((e.date or _EPOCH) - _EPOCH, e.source), reverse=True))


def assemble(config: Config, entries: list[Entry], now: datetime, report: Report,
             drafts: bool = False) -> Site:
    _check_duplicates(entries, report, drafts)
    _check_unshared_keys(config, entries, report)
    _check_open_twins(config, entries, now, drafts, report)
    visible: list[Entry] = []
    hidden: list[Hidden] = []
    for entry in entries:
        why = visibility(entry, now, drafts)
        if why is None:
            visible.append(entry)
        else:
            hidden.append(why)
    translations: dict[str, dict[str, Entry]] = defaultdict(dict)
    for entry in visible:
        translations[entry.translation_key][entry.lang] = entry
    articles: dict[str, tuple[Entry, ...]] = {}
    pages: dict[str, tuple[Entry, ...]] = {}
    terms: dict[tuple[str, TermKind], tuple[Term, ...]] = {}

    def page_order(entry: Entry) -> tuple[str, str]:
        """Static pages in the order of their titles in the default language, in every
        language: a menu lists About and Contact in the same places whichever language it is in."""
        first = translations[entry.translation_key].get(config.default_language, entry)
        return first.title.casefold(), entry.translation_key

    for lang in config.language_codes:
        mine = [e for e in visible if e.lang == lang]
        articles[lang] = newest_first(e for e in mine if e.is_article)
        pages[lang] = tuple(sorted((e for e in mine if not e.is_article), key=page_order))
        for kind, term_list in _terms(config, lang, articles[lang], report).items():
            terms[(lang, kind)] = term_list
    _check_lists(config, visible, terms, report)
    codes = config.language_codes
    others = {}
    for group in translations.values():
        for lang, entry in group.items():
            others[entry.source] = tuple(group[c] for c in codes if c in group and c != lang)
    return Site(config=config, now=now, articles=articles, pages=pages,
                translations={k: dict(v) for k, v in translations.items()}, terms=terms,
                hidden=tuple(sorted(hidden, key=lambda h: (h.until or _EPOCH, h.entry.source))),
                others=others)


@dataclass(frozen=True, slots=True)
class Assembled:
    """A site with what it was assembled from: what a long-running serve or watch keeps for
    :func:`reassemble`."""

    config: Config
    drafts: bool
    entries: tuple[Entry, ...]  # as parse_all gave them, in discovery order
    site: Site


def reassemble(previous: Assembled | None, config: Config, entries: Sequence[Entry], now: datetime,
               report: Report, drafts: bool = False) -> Site:
    """What ``assemble`` gives. When ``previous`` was assembled from the same files, at a time
    no later than ``now`` and with no hidden entry due between the two, and every entry that
    differs kept its metadata (an edit of a release's text), that is ``previous.site`` with
    those entries swapped in: the same site, without sorting and grouping a large site's
    entries again for each edit a serve or watch rebuilds."""
    swaps = _swaps(previous, config, entries, now, drafts)
    if previous is None or swaps is None:
        return assemble(config, list(entries), now, report, drafts=drafts)
    _check_unshared_keys(config, entries, report)  # each build's warnings say it again, as assemble's would
    _check_open_twins(config, entries, now, drafts, report)
    return _swapped(previous.site, swaps, config, now)


def _swaps(previous: Assembled | None, config: Config, entries: Sequence[Entry], now: datetime,
           drafts: bool) -> dict[int, Entry] | None:
    """Old entry (by id) → the entry that replaces it, or None when only assembling again
    gives the right site: other files or settings, the clock turned back, an embargo or a
    schedule passed, or an entry whose metadata (what lists, order and links show) changed."""
    if previous is None or previous.config != config or previous.drafts != drafts \
            or len(previous.entries) != len(entries) or now < previous.site.now:
        return None
    if any(h.until is not None and h.until <= now for h in previous.site.hidden):
        return None
    swaps: dict[int, Entry] = {}
    for old, new in zip(previous.entries, entries, strict=True):
        if old is not new:
            if old.source != new.source or old.meta_hash != new.meta_hash:
                return None
            swaps[id(old)] = new
    return swaps


def _swapped(site: Site, swaps: dict[int, Entry], config: Config, now: datetime) -> Site:
    def swap(entry: Entry) -> Entry:
        return swaps.get(id(entry), entry)

    def swap_all(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
        return entries if swaps.keys().isdisjoint(map(id, entries)) else tuple(map(swap, entries))

    def swap_term(term: Term) -> Term:
        entries = swap_all(term.entries)
        return term if entries is term.entries else replace(term, entries=entries)

    if not swaps:
        return replace(site, config=config, now=now)
    translations = dict(site.translations)
    others = dict(site.others)
    # An entry swapped in has its old one's translation key (part of its metadata).
    for key in site.translations.keys() & {entry.translation_key for entry in swaps.values()}:
        group = translations[key]
        translations[key] = {lang: swap(entry) for lang, entry in group.items()}
        for entry in group.values():
            others[entry.source] = swap_all(others[entry.source])
    return replace(site, config=config, now=now,
                   articles={lang: swap_all(entries) for lang, entries in site.articles.items()},
                   pages={lang: swap_all(entries) for lang, entries in site.pages.items()},
                   translations=translations,
                   terms={key: tuple(map(swap_term, terms)) for key, terms in site.terms.items()},
                   hidden=tuple(replace(h, entry=swap(h.entry)) if id(h.entry) in swaps else h for h in site.hidden),
                   others=others)


def _terms(config: Config, lang: str, articles: tuple[Entry, ...],
           report: Report) -> dict[TermKind, tuple[Term, ...]]:
    # Grouped by name first and slugified once per name: a large site's entries carry many
    # times more names than there are distinct ones.
    by_name: dict[tuple[TermKind, str], list[Entry]] = defaultdict(list)
    for entry in articles:
        by_name[("section", entry.section)].append(entry)
        for tag in entry.tags:
            by_name[("tag", tag)].append(entry)
        if entry.category:
            by_name[("category", entry.category)].append(entry)
        if entry.unit:
            by_name[("unit", entry.unit)].append(entry)
        if entry.date:
            # The year on the site's clock, as the page says it (20:00 UTC on 31 December is
            # already the next year in Jakarta).
            by_name[("archive", str(entry.date.astimezone(config.zone).year))].append(entry)
    # Names that read the same ("Banjir", "banjir"; urls.term_key) are one term, shown under
    # the name that appears first, with its entries in article order.
    groups: dict[tuple[TermKind, str], list[tuple[str, list[Entry]]]] = defaultdict(list)
    for (kind, name), members in by_name.items():
        slug = name if kind == "archive" else urls.slugify(name) if kind == "section" else urls.term_slug(kind, name)
        if slug:  # a section's folder without one is an error where it is found
            groups[(kind, slug)].append((name, members))
    order: dict[int, int] = {}
    moved = _moved(groups, articles)
    result: dict[TermKind, list[Term]] = defaultdict(list)
    for (kind, slug), named in groups.items():
        name, members = named[0]
        if kind == "section":
            url = urls.expand(config, "section", lang, section=slug)
        elif kind == "archive":
            url = urls.expand(config, "archive", lang, year=slug)
        else:
            url = urls.expand(config, kind, lang, slug=slug)
        if len(named) > 1:
            if kind in _NAMED_IN:
                _check_one_term(kind, named, url, report)
            order = order or {id(entry): index for index, entry in enumerate(articles)}
            name = min(named, key=lambda n: order[id(n[1][0])])[0]
            members = sorted({id(e): e for _name, m in named for e in m}.values(), key=lambda e: order[id(e)])
        name_lang = None
        if kind == "section" or (kind == "category" and name in config.sections):
            shown = config.section_text(name, lang)
            name, name_lang = shown.text, shown.lang_apart_from(lang)
        old_urls = tuple(urls.expand(config, kind, lang, slug=old) for old in moved.get((kind, slug), ()))
        result[kind].append(Term(kind, slug, name, lang, url, tuple(members), name_lang, old_urls))
    return {kind: tuple(sorted(ts, key=_term_order)) for kind, ts in result.items()}


def _moved(groups: dict[tuple[TermKind, str], list[tuple[str, list[Entry]]]],
           articles: tuple[Entry, ...]) -> dict[tuple[TermKind, str], list[str]]:
    """(kind, slug) of a term → the slugs its list page had before names that ``slugify``
    keeps only in part got one of their own (``urls.term_slug``): theirs was ``slugify``'s,
    which "政府 Jakarta" shared with "Jakarta". An old slug that is a term's slug now stays
    that term's. One that several terms had is given to the one its page was titled with:
    the name of the newest release among them, as the page chose its title."""
    order: dict[int, int] = {}
    best: dict[tuple[TermKind, str], tuple[int, str]] = {}  # (kind, old slug) → (newest, slug now)
    for (kind, slug), named in groups.items():
        if kind not in _NAMED_IN:
            continue  # sections and years are slugged as they always were
        for name, members in named:
            old = urls.slugify(name)
            if not old or old == slug or (kind, old) in groups:
                continue
            order = order or {id(entry): index for index, entry in enumerate(articles)}
            found = (order[id(members[0])], slug)
            best[(kind, old)] = min(best.get((kind, old), found), found)
    moved: dict[tuple[TermKind, str], list[str]] = defaultdict(list)
    for (kind, old), (_newest, slug) in sorted(best.items()):
        moved[(kind, slug)].append(old)
    return moved


#: The front matter key each kind of term is named in.
_NAMED_IN = {"tag": "tags", "category": "category", "unit": "unit"}


def _check_one_term(kind: TermKind, named: list[tuple[str, list[Entry]]], url: str, report: Report) -> None:
    """Names of one slug must read the same (``urls.term_key``): two that do not would share
    one page, its title one name's and its list both's. Possible only for a long name cut
    to ``urls.MAX_SLUG``, a name spelled like another's hashed slug, or a hash met."""
    first: dict[str, tuple[str, Entry]] = {}
    for name, members in named:
        first.setdefault(urls.term_key(name), (name, members[0]))
    if len(first) == 1:
        return
    apart = sorted(first.values(), key=lambda found: (found[1].source, found[0]))
    cut = any(len(urls.full_slug(name)) > urls.MAX_SLUG for name, _entry in apart)
    hint = _("an address keeps the first {most} characters of a long name, and theirs begin alike: "
             "shorten one of the names").format(most=urls.MAX_SLUG) if cut \
        else _("give one of them another name")
    for index, (name, entry) in enumerate(apart):
        other = apart[1 if index == 0 else 0][0]
        report.error(entry.source, entry.lines.get(_NAMED_IN[kind]) or entry.lines.get("title"),
                     _("'{name}' and '{other}' would share one list page, {url}").format(
                         name=name, other=other, url=url), hint)


def _term_order(term: Term) -> tuple[int, str]:
    """Years newest first; every other kind by name."""
    return (-int(term.slug), "") if term.kind == "archive" else (0, term.name.casefold())


def _check_duplicates(entries: list[Entry], report: Report, drafts: bool = False) -> None:
    """Two files may not claim one URL, and a translation group has one file per language.
    Where one of them is a draft the build leaves out, that is a warning: a draft never stops
    the site from rebuilding, and it is an error once the draft is published."""
    claimed = [url for entry in entries for url in (entry.url, *entry.aliases)]
    if len(set(claimed)) == len(claimed) and \
            len({(entry.translation_key, entry.lang) for entry in entries}) == len(entries):
        return  # the usual case, found without sorting every entry to report in order
    by_url: dict[str, Entry] = {}
    by_key: dict[tuple[str, str], Entry] = {}

    def said(*involved: Entry) -> Callable[..., None]:
        return report.warning if not drafts and any(e.draft for e in involved) else report.error

    for entry in sorted(entries, key=lambda e: e.source):
        for url in (entry.url, *entry.aliases):
            other = by_url.get(url)
            if other is entry:  # an alias naming its own page: not a second file to blame
                report.error(entry.source, alias_line(entry, url) or entry.lines.get("title"),
                             _("the alias {url} is this release's own address").format(url=url),
                             _("an alias is an old address that leads to the page; take this one out of  aliases:"))
            elif other is not None:
                for a, b in ((entry, other), (other, entry)):
                    aliased = url != a.url  # a claims it with one of its aliases
                    line = alias_line(a, url) if aliased else a.lines.get("slug")
                    said(a, b)(a.source, line or a.lines.get("title"),
                               _("{url} is claimed by both {first} and {second}").format(
                                   url=url, first=a.source, second=b.source),
                               _("take it out of  aliases:  or change it: an alias may not be another page's "
                                 "address") if aliased else
                               _("give one of them another address with  slug: ...  in its front matter"))
            else:
                by_url[url] = entry
        twin = by_key.get((entry.translation_key, entry.lang))
        if twin is not None:
            said(entry, twin)(entry.source, entry.lines.get("translation_key") or 1,
                              _("translation key '{key}' is already used by {other} in language '{lang}'").format(
                                  key=entry.translation_key, other=twin.source, lang=entry.lang),
                              _("each language may have only one file per translation key"))
        else:
            by_key[(entry.translation_key, entry.lang)] = entry


def _check_open_twins(config: Config, entries: Sequence[Entry], now: datetime, drafts: bool, report: Report) -> None:
    """A version public now of a release whose other version waits for its embargo tells what
    the embargo keeps back: a warning on it (each file has its own embargo, so it is built)."""
    waiting = {e.translation_key: e for e in entries
               if e.embargo is not None and e.embargo > now and (h := visibility(e, now, drafts)) is not None
               and h.reason == "embargo"}
    if not waiting:
        return
    for entry in entries:
        held = waiting.get(entry.translation_key)
        if held is not None and held.lang != entry.lang and visibility(entry, now, drafts) is None:
            report.warning(entry.source, entry.lines.get("date") or entry.lines.get("title"),
                           _("its {lang} version ({file}) is under embargo until {time}, but this one is public "
                             "now").format(lang=held.lang, file=held.source,
                                           time=f"{held.embargo.astimezone(config.zone):%Y-%m-%d %H:%M}"
                                           if held.embargo else ""),
                           _("give it the same  embargo:  line, unless it may be read before"))


def _check_unshared_keys(config: Config, entries: Sequence[Entry], report: Report) -> None:
    """A ``translation_key:`` that no other file has links nothing. When a release of another
    language, not linked in this one's, has a key close to it, the same name or slug, or the
    name the key gives, it is most likely a typo that leaves two versions apart: a warning
    at the key's line names that release. Otherwise it is most likely a key pinned after a
    rename (so the feed guid and the links across languages stay) and is quiet, as is a key
    equal to the file's own (``sitegen new --translations`` writes it) and any key on a site of
    one language. Drafts and embargoed files count, as they are the translations to come."""
    for entry, meant in near_misses(entries, config.language_codes):
        report.warning(entry.source, entry.lines.get("translation_key"),
                       _("translation_key '{key}' matches no other release").format(key=entry.translation_key),
                       meant_hint(meant, entry))


def _check_lists(config: Config, visible: list[Entry], terms: dict[tuple[str, TermKind], tuple[Term, ...]],
                 report: Report) -> None:
    """An entry or alias may not take the address of a home page or a list (a page named
    ``berita`` would otherwise replace the Berita section list)."""
    lists = {urls.home(config, lang): config.languages[lang].title for lang in config.language_codes}
    for term_list in terms.values():
        lists.update((t.url, t.name) for t in term_list)
    for entry in visible:
        for url in (entry.url, *entry.aliases):
            if url in lists:
                key = "aliases" if url != entry.url else "slug"
                line = alias_line(entry, url) if key == "aliases" else entry.lines.get("slug")
                report.error(entry.source, line or entry.lines.get("title"),
                             _("{url} is already the address of the list page '{name}'").format(
                                 url=url, name=lists[url]),
                             _("give this file another address with  slug: ...  in its front matter")
                             if key == "slug" else _("remove that alias"))
