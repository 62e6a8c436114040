"""Article pages, static pages, the 404 page of each language, and redirects from old addresses
(aliases, and the lists of terms that moved)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import cache, partial

from sitegen import htmlurls, urls
from sitegen.model import Entry, Site, Term, alias_line
from sitegen.outputs import Output, fingerprint
from sitegen.render.renderer import Renderer

RELATED = 3


def entry_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    """One page per article and static page. Its fingerprint is its own source plus its
    *layout*: everything around it (translations, newer and older, related releases).
    Layouts are remembered between builds while no entry's metadata changes, so an edit
    of a release's text recomputes none of them."""
    layouts: dict[str, str] = r.remembered("entry-layouts", _layouts_key(site, r), lambda: _layouts(site, r))
    for lang in site.config.language_codes:
        articles = site.articles.get(lang, ())
        related = cache(lambda lang=lang: _related(site, r, lang))  # only if an article is rendered
        for index, entry in enumerate(articles):
            # Both parts are hashes already: joined, not hashed again (once per entry, every build).
            yield Output(urls.output_path(entry.url), layouts[entry.source] + entry.source_hash,
                         partial(_render_article, site, r, articles, index, related), source=entry.source,
                         lang=lang)
        for page in site.pages.get(lang, ()):
            yield Output(urls.output_path(page.url), layouts[page.source] + page.source_hash,
                         partial(_render_entry, site, r, page, "page.html", None, None, ()), source=page.source,
                         lang=lang)


def _layouts_key(site: Site, r: Renderer) -> str:
    """What every layout is made of: the templates and shared parts of each language, and
    the metadata and order of every public entry."""
    return r.layout_key((template, lang) for lang in site.config.language_codes
                        for template, entries in (("article.html", site.articles), ("page.html", site.pages))
                        if entries.get(lang))


def _layouts(site: Site, r: Renderer) -> dict[str, str]:
    found: dict[str, str] = {}
    for lang in site.config.language_codes:
        articles = site.articles.get(lang, ())
        related = _related(site, r, lang)
        for index, entry in enumerate(articles):
            found[entry.source] = _layout(site, r, entry, "article.html", *_adjacent(articles, index),
                                          _at(articles, related[index]))
        for page in site.pages.get(lang, ()):
            found[page.source] = _layout(site, r, page, "page.html", None, None, ())
    return found


def _layout(site: Site, r: Renderer, entry: Entry, template: str, newer: Entry | None, older: Entry | None,
            related: tuple[Entry, ...]) -> str:
    # Its own metadata and translations, then the neighbours: newer and older (or a marker
    # where there is none) and the related releases.
    return r.deps(template, entry.lang, entry.meta_hash, *[t.meta_hash for t in site.translations_of(entry)],
                  "|", newer.meta_hash if newer else "-", older.meta_hash if older else "-",
                  *[e.meta_hash for e in related])


def _render_article(site: Site, r: Renderer, articles: tuple[Entry, ...], index: int,
                    related: Callable[[], tuple[tuple[int, ...], ...]]) -> bytes:
    return _render_entry(site, r, articles[index], "article.html", *_adjacent(articles, index),
                         _at(articles, related()[index]))


def _at(articles: tuple[Entry, ...], positions: tuple[int, ...]) -> tuple[Entry, ...]:
    return tuple(articles[at] for at in positions)


def _adjacent(articles: tuple[Entry, ...], index: int) -> tuple[Entry | None, Entry | None]:
    """The newer and the older article next to ``articles[index]`` (newest first)."""
    return (articles[index - 1] if index > 0 else None,
            articles[index + 1] if index + 1 < len(articles) else None)


def _render_entry(site: Site, r: Renderer, entry: Entry, template: str, newer: Entry | None,
                  older: Entry | None, related: tuple[Entry, ...]) -> bytes:
    section = site.term(entry.lang, "section", urls.slugify(entry.section)) if entry.is_article else None
    info = r.info(entry.kind, entry.lang, entry.url, entry.title, entry.summary,
                  versions=r.entry_versions(entry),
                  feed_list=(section.url, section.name) if section else None)
    text = r.texts.get(entry.body_key)
    return r.render(template, entry.lang, info, entry=entry, body_html=text.html, toc_html=text.toc,
                    translations=site.translations_of(entry), section=section, newer=newer, older=older,
                    related=related)


def _related(site: Site, r: Renderer, lang: str) -> tuple[tuple[int, ...], ...]:
    """The related releases of each article, by position in the language's articles: the
    related index, remembered between builds by the order and tags of the articles (all it
    depends on), so an edit that changes neither does not compute it again, and a page
    rendered alone looks up its own."""
    articles = site.articles.get(lang, ())
    key = fingerprint("at", *[e.source + "\x1e" + "\x1e".join(e.tags) for e in articles])

    def positions() -> tuple[tuple[int, ...], ...]:
        at = {e.source: i for i, e in enumerate(articles)}
        index = _related_index(site, lang)
        return tuple(tuple(at[other.source] for other in index.get(e.source, ())) for e in articles)

    found: tuple[tuple[int, ...], ...] = r.remembered(f"related/{lang}", key, positions)
    return found


def _related_index(site: Site, lang: str) -> dict[str, tuple[Entry, ...]]:
    """Up to three releases sharing the most tags, nearest in time first; where fewer
    share a tag, the nearest in time of the same section fill the rest.

    Only each tag's (and the section's) near neighbours in time are candidates, so the
    cost stays linear in the number of releases even for tags with thousands of them.
    """
    articles = site.articles.get(lang, ())
    order = {e.source: i for i, e in enumerate(articles)}  # newest first: distance = time apart
    by_source = {e.source: e for e in articles}
    tag_lists = {t.slug: t.entries for t in site.terms.get((lang, "tag"), ())}
    position = {slug: {e.source: i for i, e in enumerate(members)} for slug, members in tag_lists.items()}
    section_lists = {e.source: t.entries for t in site.terms.get((lang, "section"), ()) for e in t.entries}
    section_position = {s: i for t in site.terms.get((lang, "section"), ()) for i, s in
                        enumerate(e.source for e in t.entries)}
    tag_slug = partial(urls.term_slug, "tag")
    result: dict[str, tuple[Entry, ...]] = {}
    for entry in articles:
        source = entry.source
        shared: dict[str, int] = {}
        found: dict[str, Entry] = {}
        for slug in map(tag_slug, entry.tags):
            at = position.get(slug, {}).get(source)
            if at is None:
                continue
            members = tag_lists[slug]
            for other in (*members[max(0, at - RELATED):at], *members[at + 1:at + 1 + RELATED]):
                key = other.source
                shared[key] = shared.get(key, 0) + 1
                found[key] = other
        here = order[source]
        ranked = sorted(found, key=lambda key: (-shared[key], abs(order[key] - here)))[:RELATED]
        if len(ranked) < RELATED and source in section_lists:
            members, at = section_lists[source], section_position[source]
            nearby = [e.source for e in (*members[max(0, at - RELATED):at], *members[at + 1:at + 1 + RELATED])]
            for key in sorted(nearby, key=lambda key: (abs(order[key] - here), key)):
                if len(ranked) == RELATED:
                    break
                if key not in found:
                    found[key] = by_source[key]
                    ranked.append(key)
        result[source] = tuple(found[key] for key in ranked)
    return result


def not_found_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    for lang in site.config.language_codes:
        url = urls.lang_prefix(site.config, lang) + "/404.html"

        def render(lang: str = lang, url: str = url) -> bytes:
            info = r.info("404", lang, url, r.strings[lang]("not_found_title"), "",
                          versions={c: urls.lang_prefix(site.config, c) + "/404.html"
                                    for c in site.config.language_codes}, noindex=True)
            return r.render("404.html", lang, info)

        yield Output(url.lstrip("/"), r.deps("404.html", lang, url), render, lang=lang)


def alias_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    """Old URLs keep working: a small page that sends the reader on and names the canonical."""
    for entry in site.entries():
        for alias in entry.aliases:
            line = alias_line(entry, alias)
            yield _redirect(site, r, alias, entry.url, entry.lang,
                            source=f"{entry.source}:{line}" if line else entry.source)


def moved_terms(site: Site) -> list[tuple[str, Term]]:
    """Each old address of a term's list (``Term.old_urls``) with its term, every language's."""
    return [(old, term) for term_list in site.terms.values() for term in term_list for old in term.old_urls]


def moved_outputs(site: Site, r: Renderer, moved: Iterable[tuple[str, Term]]) -> Iterator[Output]:
    """The page an alias has, at each old address of a term's list in ``moved``: links saved
    to /tags/strae/ still find Straße's page. Only addresses no other output takes are given
    (``sitegen.build.plan``), so these never clash with anything."""
    for old, term in moved:
        yield _redirect(site, r, old, term.url, term.lang)


def _redirect(site: Site, r: Renderer, old: str, url: str, lang: str, source: str = "") -> Output:
    """A page at ``old`` that sends the reader to ``url``. It sends the reader to that path on
    the host the page was read from, as every other link of the site leads
    (sitegen.htmlurls.under): on the published site that is the production host, under
    ``sitegen serve`` it is 127.0.0.1, not the host base_url names. Only the canonical, for
    search engines, is the full production address."""
    target = htmlurls.in_folder(url, site.config.base_path)
    canonical = site.config.absolute(url)
    # Its head links the language's feeds as every page's does, by their full addresses.
    feeds = tuple(replace(feed, url=site.config.absolute(feed.url)) for feed in r.feeds(lang, None, None))

    def render() -> bytes:
        return r.templates.render("redirect.html", {"target": target, "canonical": canonical, "lang": lang,
                                                    "feeds": feeds, "t": r.strings[lang]})

    deps = fingerprint(r.templates.fingerprint("redirect.html"), r.strings[lang].fingerprint, target, canonical,
                       repr(feeds))
    return Output(urls.output_path(old), deps, render, kind="redirect", source=source)
