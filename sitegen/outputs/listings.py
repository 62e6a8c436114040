"""Paginated lists (home, sections, tags, categories, units, years) and term indexes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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
        known = [(output.path, output.deps, output.lang) for output in _lists(site, r, site.config.language_codes)]
        r.remember(_KNOWN, key, known)
    later = _Later(site, r)
    for path, deps, lang in known:
        yield Output(path, deps, partial(later.render, lang, path), lang=lang)


#: The memo of every list page's path, fingerprint and language (2: with the language)
_KNOWN = "list-outputs-2"


class _Later:
    """A language's list pages worked out when the first of them is rendered (once per
    worker, until it renders other outputs: Renderer.forget)."""

    def __init__(self, site: Site, r: Renderer) -> None:
        self.site, self.r = site, r

    def render(self, lang: str, path: str) -> bytes:
        return self.r.kept(f"list-pages/{lang}", lambda: self._pages(lang))[path]()

    def _pages(self, lang: str) -> dict[str, Callable[[], bytes]]:
        return {output.path: output.render for output in _lists(self.site, self.r, (lang,))}


def _lists(site: Site, r: Renderer, languages: Iterable[str]) -> Iterator[Output]:
    for lang in languages:
        home = urls.home(site.config, lang)
        yield from _paginate(r, lang, "home", None, home, site.config.languages[lang].title,
                             site.articles.get(lang, ()), {c: urls.home(site.config, c)
                                                          for c in site.config.language_codes})
        for kind in LIST_KINDS:
            for term in site.terms.get((lang, kind), ()):
                versions = r.term_versions(kind, term.slug, term.url, lang)
                yield from _paginate(r, lang, kind, term, term.url, term.name, term.entries, versions)


def _paginate(r: Renderer, lang: str, kind: str, term: Term | None, base_url: str, title: str,
              entries: tuple[Entry, ...], versions: dict[str, str]) -> Iterator[Output]:
    size = r.config.paginate
    total = page_count(len(entries), size)
    template = "home.html" if kind == "home" else "list.html"
    languages = repr(sorted(versions.items()))  # as fingerprint() would write it, once per list
    for number in range(1, total + 1):
        chunk = entries[(number - 1) * size: number * size]
        pager = Paginator(number, total, chunk, base_url)
        url = pager.url(number)
        deps = r.deps(template, lang, kind, url, title, str(total), languages, *[e.meta_hash for e in chunk])

        def render(pager: Paginator = pager, url: str = url) -> bytes:
            page_title = title if pager.number == 1 else r.strings[lang]("page_n_title", title=title,
                                                                         number=pager.number)
            info = r.info(kind, lang, url, page_title, "",
                          versions=versions if pager.number == 1 else None,
                          feed_list=(base_url, title))
            return r.render(template, lang, info, paginator=pager, term=term, list_title=title)

        yield Output(urls.output_path(url), deps, render, lang=lang)


def index_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    """One page per language listing every tag (or category, unit, year) with its count."""
    for lang in site.config.language_codes:
        for kind in INDEX_KINDS:
            terms = site.terms.get((lang, kind), ())
            if not terms:
                continue
            url = urls.expand(site.config, kind, lang, slug="", year="").rstrip("/") + "/"
            url = url.replace("//", "/")
            title_key = f"{kind}_index_title"
            deps = r.deps("terms.html", lang, kind, url, [(t.slug, t.name, len(t.entries)) for t in terms])

            def render(kind: str = kind, url: str = url, terms: tuple[Term, ...] = terms,
                       title_key: str = title_key, lang: str = lang) -> bytes:
                title = r.strings[lang](title_key)
                info = r.info(f"{kind}_index", lang, url, title, "")
                return r.render("terms.html", lang, info, terms=terms, term_kind=kind, list_title=title)

            yield Output(urls.output_path(url), deps, render, lang=lang)
