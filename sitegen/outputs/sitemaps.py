"""sitemap.xml with hreflang alternates, the Google News sitemap and robots.txt.

The sitemap lists every public HTML page the other outputs write (articles, static
pages, home and list pages with their later pages, term indexes), never the 404
pages nor the redirects of old URLs. Each page's ``xhtml:link`` alternates are the
ones its own ``<head>`` carries (the Renderer computes both), so they are reciprocal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sitegen import urls
from sitegen.config import Config
from sitegen.model import Entry, Site
from sitegen.outputs import Output, fingerprint, xml_safe
from sitegen.outputs.listings import INDEX_KINDS, LIST_KINDS, index_url, index_versions, page_count
from sitegen.render.renderer import Renderer

#: The sitemap protocol's limits per file, of addresses and of bytes; above either, sitemap.xml
#: becomes an index.
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
#: The most a sitemap address's path can be (slugs of 80 characters, dates and page numbers, a
#: section and a language in a configured pattern), for the bytes an address can take.
_LONGEST_PATH = 300
#: Google News takes articles of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(days=2)
NEWS_MAX = 1_000
#: Bump when the files' bytes change for the same model, so old outputs are redone.
FORMAT = "2"

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass(frozen=True, slots=True)
class Location:
    url: str  # absolute
    lastmod: datetime | None  # in the site's timezone
    alternates: tuple[tuple[str, str], ...]  # (hreflang, absolute URL), x-default included


def sitemap_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    config = site.config
    # Every location follows from the config and where the public entries appear (the lists
    # and their pages are made of them), so the fingerprints need no locations: a build
    # that changes no address, date or list does not compute them at all.
    places = fingerprint(FORMAT, config.fingerprint, *[e.place_hash for lang in config.language_codes
                                                       for e in (*site.articles.get(lang, ()),
                                                                 *site.pages.get(lang, ()))])
    # An index only over MAX_URLS addresses: counting them exactly needs every address (each
    # counted once), so it is done, and remembered with the places, only where a bound says
    # there may be that many; dates and alternates are computed when a file is written, once
    # per process until it renders other outputs (the files share them).
    most = _most_locations(site)
    each = per_file(site.config)
    total = most if most <= each else r.remembered("sitemap-count", places,
                                                   lambda: len(locations(site, r, details=False)))
    if total <= each:
        yield Output("sitemap.xml", fingerprint("sitemap.xml", places), lambda: _urlset(locations(site, r)),
                     kind="sitemap")
    else:
        count = -(-total // each)
        found = partial(r.kept, "sitemap-locations", partial(locations, site, r))
        names = [f"sitemap-{n}.xml" for n in range(1, count + 1)]
        for number, name in enumerate(names):
            yield Output(name, fingerprint(name, str(count), str(each), places), partial(_chunk, found, number, each),
                         kind="sitemap")
        yield Output("sitemap.xml", fingerprint("sitemap.xml", str(count), str(each), places),
                     partial(_index_of, config.absolute, config.zone, names, found, each), kind="sitemap")
    news = recent_articles(site)
    # The config too: addresses are absolute and dates are written in the site's timezone.
    yield _output("news-sitemap.xml", partial(_news, site, news),
                  [config.fingerprint, *[(e.url, e.title, published, config.languages[e.lang].title)
                                         for published, e in news]])
    text = robots_txt(config.absolute("sitemap.xml"), config.absolute("news-sitemap.xml"))
    yield Output("robots.txt", fingerprint(FORMAT, text), text.encode, kind="sitemap")


def per_file(config: Config) -> int:
    """How many addresses one sitemap file holds: MAX_URLS, fewer where that many could pass
    MAX_BYTES (each address is written once for itself and once per language beside it, with
    x-default: a trilingual site with a long base_url passed 50 MB below 50,000 addresses)."""
    longest = len(config.base_url.encode()) + _LONGEST_PATH + 60  # an element's own bytes
    return min(MAX_URLS, MAX_BYTES // ((len(config.language_codes) + 2) * longest))


def _part(found: Callable[[], list[Location]], number: int, each: int) -> list[Location]:
    """The locations of sitemap file ``number`` (from 0), ``each`` to a file."""
    return found()[number * each:(number + 1) * each]


def _chunk(found: Callable[[], list[Location]], number: int, each: int) -> bytes:
    return _urlset(_part(found, number, each))


def _index_of(absolute: Callable[[str], str], zone: ZoneInfo, names: list[str],
              found: Callable[[], list[Location]], each: int) -> bytes:
    return _index([(absolute(name), _newest(zone, (c.lastmod for c in _part(found, n, each))))
                   for n, name in enumerate(names)])


def _most_locations(site: Site) -> int:
    """How many locations the sitemap can have at most (before duplicates are dropped)."""
    size = site.config.paginate
    count = 0
    for lang in site.config.language_codes:
        articles = site.articles.get(lang, ())
        count += len(articles) + len(site.pages.get(lang, ())) + page_count(len(articles), size)
        for kind in LIST_KINDS:
            count += sum(page_count(len(t.entries), size) for t in site.terms.get((lang, kind), ()))
        count += sum(1 for kind in INDEX_KINDS if site.terms.get((lang, kind)))
    return count


def _output(path: str, render: Callable[[], bytes], parts: object) -> Output:
    return Output(path, fingerprint(FORMAT, path, parts), render, kind="sitemap")


def locations(site: Site, r: Renderer, details: bool = True) -> list[Location]:
    """Every public page of every language, in a stable order, each URL once. Without
    ``details``, only the addresses (no dates, no alternates): enough to count them."""
    config = site.config
    found: list[Location] = []
    for lang in config.language_codes:
        homes = {code: urls.home(config, code) for code in config.language_codes}
        found += _list_pages(r, homes[lang], site.articles.get(lang, ()), homes, details)
        for kind in LIST_KINDS:
            for term in site.terms.get((lang, kind), ()):
                found += _list_pages(r, term.url, term.entries,
                                     r.term_versions(kind, term.slug, term.url, lang) if details else {}, details)
        for kind in INDEX_KINDS:
            terms = site.terms.get((lang, kind), ())
            if terms:
                url = index_url(site, kind, lang)
                if not details:
                    found.append(Location(config.absolute(url), None, ()))
                    continue
                newest = _newest(config.zone, (e.modified for t in terms for e in t.entries))
                found.append(Location(config.absolute(url), newest, r.alternates(index_versions(site, kind))))
        for entry in (*site.articles.get(lang, ()), *site.pages.get(lang, ())):
            if not details:
                found.append(Location(config.absolute(entry.url), None, ()))
                continue
            versions = r.entry_versions(entry)
            modified = _newest(config.zone, [entry.modified])
            found.append(Location(config.absolute(entry.url), modified, r.alternates(versions)))
    unique = {loc.url: loc for loc in reversed(found)}  # the first claim of a URL wins
    found = [loc for loc in found if unique[loc.url] is loc]
    if details and any(loc.lastmod is None for loc in found):
        # A page without a date of its own (About, Contact, a language's home with no
        # releases yet) says when the site last changed: every URL has a lastmod.
        latest = _newest(config.zone, (e.modified for e in site.entries()))
        found = [loc if loc.lastmod is not None else Location(loc.url, latest, loc.alternates) for loc in found]
    return found


def _list_pages(r: Renderer, url: str, entries: tuple[Entry, ...],
                versions: dict[str, str], details: bool = True) -> list[Location]:
    """A list and its later pages; only the first page has translations (as in its <head>)."""
    size = r.config.paginate
    total = page_count(len(entries), size)
    if not details:
        return [Location(r.config.absolute(urls.paginated(url, number)), None, ()) for number in range(1, total + 1)]
    pages: list[Location] = []
    for number in range(1, total + 1):
        chunk = entries[(number - 1) * size: number * size]
        pages.append(Location(r.config.absolute(urls.paginated(url, number)),
                              _newest(r.config.zone, (e.modified for e in chunk)),
                              r.alternates(versions) if number == 1 else ()))
    return pages


def _newest(zone: ZoneInfo, moments: Iterable[datetime | None]) -> datetime | None:
    """The latest of ``moments`` in the site's timezone (None: no dates)."""
    newest = max((m for m in moments if m is not None), default=None)
    return newest.astimezone(zone) if newest else None


def _w3c(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def recent_articles(site: Site) -> list[tuple[datetime, Entry]]:
    """Articles published in the two days up to the build's clock, with the moments they were
    published, newest first."""
    recent = [(date, e) for lang in site.config.language_codes for date, e in in_news_window(site, lang)]
    # A stable sort: releases of the same moment stay in configured language order.
    recent.sort(key=lambda found: found[0], reverse=True)
    return recent[:NEWS_MAX]


def in_news_window(site: Site, lang: str) -> Iterator[tuple[datetime, Entry]]:
    """The articles of ``lang`` published in the two days up to the build's clock (exactly two
    days ago included), with the moments they were published: their dates, or for a release
    under embargo the moment the embargo lifted. Articles are kept newest first by date, so
    the search by date stops at the first older one; releases dated earlier whose embargo
    lifted since are found by their embargo alone."""
    since = site.now - NEWS_WINDOW
    articles = site.articles.get(lang, ())
    for entry in articles:
        if entry.date is None or entry.date < since:
            break
        if entry.date <= site.now:
            yield max(entry.date, entry.embargo or entry.date), entry
    for entry in articles:
        embargo = entry.embargo
        if embargo is not None and since <= embargo <= site.now and entry.date is not None and entry.date < since:
            yield embargo, entry


def robots_txt(*sitemaps: str) -> str:
    return "User-agent: *\nAllow: /\n\n" + "".join(f"Sitemap: {url}\n" for url in sitemaps)


def escape(text: str) -> str:
    """XML text escaping, as xml.sax.saxutils does it (which imports all of urllib to load)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    """A quoted XML attribute value, exactly as xml.sax.saxutils.quoteattr writes it."""
    value = escape(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


def _element(tag: str, text: str | None = None, **attrs: str) -> str:
    """One XML element; text and attribute values escaped and stripped of what XML forbids."""
    attributes = "".join(f" {name}={quoteattr(xml_safe(value))}" for name, value in attrs.items())
    if text is None:
        return f"<{tag}{attributes}/>"
    return f"<{tag}{attributes}>{escape(xml_safe(text))}</{tag}>"


def _document(root: str, namespaces: str, items: Iterable[str]) -> bytes:
    body = "".join(items)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{SITEMAP_NS}"{namespaces}>\n'
            f"{body}</{root}>\n").encode()


def _urlset(found: list[Location]) -> bytes:
    def url(loc: Location) -> str:
        parts = [_element("loc", loc.url)]
        if loc.lastmod is not None:
            parts.append(_element("lastmod", _w3c(loc.lastmod)))
        parts += [_element("xhtml:link", rel="alternate", hreflang=hreflang, href=href)
                  for hreflang, href in loc.alternates]
        return "<url>\n  " + "\n  ".join(parts) + "\n</url>\n"

    return _document("urlset", f' xmlns:xhtml="{XHTML_NS}"', map(url, found))


def _index(parts: list[tuple[str, datetime | None]]) -> bytes:
    def sitemap(loc: str, lastmod: datetime | None) -> str:
        modified = "" if lastmod is None else "\n  " + _element("lastmod", _w3c(lastmod))
        return f"<sitemap>\n  {_element('loc', loc)}{modified}\n</sitemap>\n"

    return _document("sitemapindex", "", (sitemap(loc, lastmod) for loc, lastmod in parts))


def _news(site: Site, entries: list[tuple[datetime, Entry]]) -> bytes:
    config = site.config

    def url(found: tuple[datetime, Entry]) -> str:
        published, entry = found
        return "".join((
            "<url>\n  ", _element("loc", config.absolute(entry.url)), "\n  <news:news>\n",
            "    <news:publication>", _element("news:name", config.languages[entry.lang].title),
            _element("news:language", entry.lang), "</news:publication>\n    ",
            _element("news:publication_date", _w3c(_newest(config.zone, [published]))), "\n    ",
            _element("news:title", entry.title), "\n  </news:news>\n</url>\n"))

    return _document("urlset", f' xmlns:news="{NEWS_NS}"', map(url, entries))
