"""Paginated lists (home, sections, tags, categories, units, years) and term indexes."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from sitegen import urls
from sitegen.model import Entry, Site, Term, TermKind
from sitegen.outputs import Output
from sitegen.render.renderer import Renderer

LIST_KINDS: tuple[TermKind, ...] = ("section", "tag", "category", "unit", "archive")
INDEX_KINDS: tuple[TermKind, ...] = ("tag", "category", "unit", "archive")


def page_count(entries: int, size: int) -> int:
    """Pages a list of ``entries`` takes at ``size`` a page; an empty list still has one."""
    return max(1, -(-entries // size))


@dataclass(frozen=True, slots=True)
class Paginator:
    number: int
    total: int
    entries: tuple[Entry, ...]
    base_url: str

    @property
    def prev_url(self) -> str | None:
        return urls.paginated(self.base_url, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return urls.paginated(self.base_url, self.number + 1) if self.number < self.total else None

    def url(self, number: int) -> str:
        return urls.paginated(self.base_url, number)


def list_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    """Every list page. Their paths and fingerprints (more than half as many as releases)
    are remembered between builds while no entry's metadata changes, so an
    edit of a release's text works out none of its lists. A page is made from its list
    where it is rendered (_Later), never in the plan: a large site's plan would hold each
    list page's pager and entries, which every render process then reads and copies."""
    key = r.layout_key((t, lang) for lang in site.config.language_codes for t in ("home.html", "list.html"))
    known: list[tuple[str, str, str]] | None = r.recall(_KNOWN, key)
    if known is None:
        known = [(path, deps, lang) for lang in site.config.language_codes
                 for path, deps in _pages(r, lang, _lists(site, r, lang))]
        r.remember(_KNOWN, key, known)
    later = _Later(site, r)
    counted: dict[str, int] = {}
    for path, deps, lang in known:
        # Its place among its language's pages, in the order _lists gives them.
        at = counted[lang] = counted.get(lang, -1) + 1
        yield Output(path, deps, partial(later.render, lang, at, path), lang=lang)


#: The memo of every list page's path, fingerprint and language, in _lists' order
_KNOWN = "list-outputs-2"


@dataclass(frozen=True, slots=True)
class _List:
    """One paginated list: the home page's or a term's."""

    kind: str
    term: Term | None
    base_url: str
    title: str
    entries: tuple[Entry, ...]
    versions: dict[str, str]
    #: where the language switcher leads in a language with no version of this list: that
    #: language's index of the kind (its tags, ...), else its home page
    elsewhere: dict[str, str]


def _lists(site: Site, r: Renderer, lang: str) -> list[_List]:
    home = urls.home(site.config, lang)
    found = [_List("home", None, home, site.config.languages[lang].title, site.articles.get(lang, ()),
                   {c: urls.home(site.config, c) for c in site.config.language_codes}, {})]
    for kind in LIST_KINDS:
        indexes = index_versions(site, kind) if kind in INDEX_KINDS else {}
        for term in site.terms.get((lang, kind), ()):
            found.append(_List(kind, term, term.url, term.name, term.entries,
                               r.term_versions(kind, term.slug, term.url, lang), indexes))
    return found


def _template(kind: str) -> str:
    return "home.html" if kind == "home" else "list.html"


def _pages(r: Renderer, lang: str, lists: list[_List]) -> Iterator[tuple[str, str]]:
    """The path and fingerprint of each page of ``lists``, in order."""
    size = r.config.paginate
    for found in lists:
        total = page_count(len(found.entries), size)
        # as fingerprint() would write it, once per list
        languages = repr((sorted(found.versions.items()), sorted(found.elsewhere.items())))
        for number in range(1, total + 1):
            chunk = found.entries[(number - 1) * size: number * size]
            url = urls.paginated(found.base_url, number)
            yield urls.output_path(url), r.deps(_template(found.kind), lang, found.kind, url, found.title, str(total),
                                                languages, *[e.meta_hash for e in chunk])


class _Later:
    """Renders a list page from its place among its language's pages: the language's lists
    are worked out when the first of them is rendered (once per process, until it renders
    other outputs: Renderer.forget), and where each starts; nothing is kept per page."""

    def __init__(self, site: Site, r: Renderer) -> None:
        self.site, self.r = site, r

    def render(self, lang: str, at: int, path: str) -> bytes:
        lists, starts = self.r.kept(f"lists/{lang}", lambda: self._lists(lang))
        which = bisect_right(starts, at) - 1
        found, number = lists[which], at - starts[which] + 1
        # The remembered pages and these lists come from the same entries (the memo's key):
        # a page that is not the one planned at this place would be a bug, not the site's.
        if urls.output_path(urls.paginated(found.base_url, number)) != path:
            raise RuntimeError(f"list page {path} is not at place {at} of the {lang} lists")
        return _render(self.r, lang, found, number)

    def _lists(self, lang: str) -> tuple[list[_List], list[int]]:
        lists = _lists(self.site, self.r, lang)
        size, starts, at = self.r.config.paginate, [], 0
        for found in lists:
            starts.append(at)
            at += page_count(len(found.entries), size)
        return lists, starts


def _render(r: Renderer, lang: str, found: _List, number: int) -> bytes:
    size = r.config.paginate
    pager = Paginator(number, page_count(len(found.entries), size),
                      found.entries[(number - 1) * size: number * size], found.base_url)
    page_title = found.title if number == 1 else r.strings[lang]("page_n_title", title=found.title, number=number)
    # A later page has no version in another language; the switcher leads to the list's first page there.
    info = r.info(found.kind, lang, pager.url(number), page_title, "",
                  versions=found.versions if number == 1 else None, feed_list=(found.base_url, found.title),
                  elsewhere={**found.elsewhere, **found.versions} if number > 1 else found.elsewhere)
    return r.render(_template(found.kind), lang, info, paginator=pager, term=found.term, list_title=found.title)


def index_url(site: Site, kind: TermKind, lang: str) -> str:
    """The address of the page of ``lang`` that lists every term of ``kind``."""
    return (urls.expand(site.config, kind, lang, slug="", year="").rstrip("/") + "/").replace("//", "/")


def index_versions(site: Site, kind: TermKind) -> dict[str, str]:
    """The index page of ``kind`` in every language that has one: /tags/ and /en/tags/ are
    one page in two languages (hreflang, the language switcher, the sitemap)."""
    return {lang: index_url(site, kind, lang) for lang in site.config.language_codes if site.terms.get((lang, kind))}


def index_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    """One page per language listing every tag (or category, unit, year) with its count."""
    for lang in site.config.language_codes:
        for kind in INDEX_KINDS:
            terms = site.terms.get((lang, kind), ())
            if not terms:
                continue
            url = index_url(site, kind, lang)
            versions = index_versions(site, kind)
            title_key = f"{kind}_index_title"
            deps = r.deps("terms.html", lang, kind, url, [(t.slug, t.name, len(t.entries)) for t in terms],
                          sorted(versions.items()))

            def render(kind: str = kind, url: str = url, terms: tuple[Term, ...] = terms,
                       title_key: str = title_key, lang: str = lang, versions: dict[str, str] = versions) -> bytes:
                title = r.strings[lang](title_key)
                info = r.info(f"{kind}_index", lang, url, title, "", versions=versions)
                return r.render("terms.html", lang, info, terms=terms, term_kind=kind, list_title=title)

            yield Output(urls.output_path(url), deps, render, lang=lang)
