"""What every page template gets: the site, the language, links to the page's translations,
its feeds, and the UI strings; plus the fingerprint parts every page shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from markupsafe import Markup

from sitegen import cachefiles, htmlurls, urls
from sitegen.config import Language
from sitegen.images.store import PhotoFiles
from sitegen.messages import _
from sitegen.model import Entry, Site, TermKind
from sitegen.outputs import fingerprint
from sitegen.outputs.cards import publisher_logo
from sitegen.render import frame, tables
from sitegen.render.frame import Link
from sitegen.render.i18n import Strings
from sitegen.render.templates import SHARED_PART, Templates
from sitegen.texts import Texts

if TYPE_CHECKING:  # feeds renders with a Renderer: imported for the type only
    from sitegen.outputs.feeds import FeedItems

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Switch:
    language: Language
    url: str
    is_translation: bool  # False: the page has no version in that language (the link goes to an index or home)


@dataclass(frozen=True, slots=True)
class FeedLink:
    url: str
    mime: str
    title: str


@dataclass(frozen=True, slots=True)
class PageInfo:
    kind: str
    lang: str
    url: str
    canonical: str
    title: str
    description: str
    #: hreflang → absolute URL, for <link rel="alternate">; includes x-default
    alternates: tuple[tuple[str, str], ...]
    switcher: tuple[Switch, ...]
    feeds: tuple[FeedLink, ...]
    noindex: bool = False


class SharedParts:
    """``shared_part(name, **values)`` for templates: a partial that shows the same on every
    page of a language for the same values (the footer; a release's card in each list that
    holds it), rendered once per build and process. It is given the language's context and
    ``values`` only, never the page, so it cannot differ between pages; values must be plain
    (text, numbers, None) or entries (named by their source)."""

    def __init__(self, templates: Templates, context: dict[str, Any]) -> None:
        self._templates = templates
        self._context = context
        self._done: dict[tuple[object, ...], Markup] = {}

    def __call__(self, name: str, **values: Any) -> Markup:
        # One flat tuple: a large site's lists hold a key per release card.
        key = (name, *(part for field, value in sorted(values.items()) for part in (field, *_identity(value))))
        html = self._done.get(key)
        if html is None:
            template = self._templates.env.get_template(name)
            html = self._done[key] = Markup(template.render({**self._context, **values}))
        return html


def _identity(value: object) -> tuple[object, object]:
    """What names ``value`` within one build, as a kind and a name: an entry by its source
    file, a plain value by itself."""
    if isinstance(value, Entry):
        return "entry", value.source
    if value is None or isinstance(value, (str, int, float)):
        return "value", value
    raise TypeError(_("shared_part() takes text, numbers and entries, not {kind}").format(kind=type(value).__name__))


class Renderer:
    def __init__(self, site: Site, templates: Templates, strings: dict[str, Strings], texts: Texts,
                 memo: dict[str, tuple[str, Any]] | None = None, photos: PhotoFiles | None = None,
                 feed_items: FeedItems | None = None) -> None:
        self.site = site
        #: every entry's converted text: what pages, feeds and the search index show of it
        self.texts = texts
        #: feed items kept between builds (serve, watch): an edit re-renders a dozen feeds,
        #: and only its own release's item is made again
        self.feed_items = feed_items
        #: the photo derivatives: where they are kept, and their bytes and sizes
        self.photos = photos if photos is not None else PhotoFiles.default(site.config)
        #: Derived data worth keeping between builds, by name: (key of its inputs, value).
        #: The build saves it when ``memo_changed``.
        self.memo = memo if memo is not None else {}
        self.memo_changed = False
        self.config = site.config
        self.templates = templates
        self.strings = strings
        codes = self.config.language_codes
        self.nav = {lang: frame.menu(site, lang) for lang in codes}
        self.brand = {lang: frame.brand(self.config, lang) for lang in codes}
        self.footer = {lang: frame.footer(site, lang, site.now.astimezone(self.config.zone).year) for lang in codes}
        self.latest = {lang: frame.latest(site, lang) for lang in codes}
        self.years = {lang: tuple(Link(t.url, t.name) for t in site.terms.get((lang, "archive"), ()))
                      for lang in codes}
        self.tag_index = {lang: urls.expand(self.config, "tag", lang, slug="")
                          if site.terms.get((lang, "tag")) else None for lang in codes}
        # What every page of a language shows besides its own content (menu, archive years,
        # footer, newest releases): part of every fingerprint, so templates must take it from here.
        self.shared = {lang: fingerprint(self.config.fingerprint, self.nav[lang], self.years[lang],
                                         self.tag_index[lang], self.footer[lang],
                                         *[e.meta_hash for e in self.latest[lang]]) for lang in codes}
        self._sections = {lang: frame.Sections(self.config, lang) for lang in codes}
        self._categories = {lang: {t.slug: Link(t.url, t.name, t.name_lang)
                                   for t in site.terms.get((lang, "category"), ())} for lang in codes}
        self._prefixes: dict[tuple[str, str], str] = {}  # (template, lang) → start of deps()
        self._entries_key: str | None = None
        self._contexts: dict[str, dict[str, Any]] = {}  # each holds its language's shared parts
        self._kept: dict[str, Any] = {}
        #: where the site stands on its host: links from its root are put there (sitegen.htmlurls)
        self._base_path = self.config.base_path

    def _category(self, lang: str, name: str) -> Link:
        """A category as its list page shows it (a section key's: the section's name, with its
        language where that is not the page's) and the page's address."""
        slug = urls.term_slug("category", name)
        return self._categories[lang].get(slug) or Link(urls.expand(self.config, "category", lang, slug=slug), name)

    def remembered(self, name: str, key: str, make: Callable[[], Any]) -> Any:
        """``make()``, or what it gave last time its inputs had this ``key``."""
        known = self.recall(name, key)
        if known is not None:
            return known
        value = make()
        self.remember(name, key, value)
        return value

    def recall(self, name: str, key: str) -> Any | None:
        known = self.memo.get(name)
        return known[1] if known is not None and known[0] == key else None

    def remember(self, name: str, key: str, value: Any) -> None:
        self.memo[name] = (key, value)
        self.memo_changed = True

    def kept(self, name: str, make: Callable[[], T]) -> T:
        """``make()``, made once in this process until :meth:`forget`: what several outputs of
        one kind share while they are rendered (the sitemap files' locations, say)."""
        try:
            value: T = self._kept[name]
        except KeyError:
            value = self._kept[name] = make()
        return value

    def forget(self) -> None:
        """Let go of what rendering has kept in this process (:meth:`kept`, the shared
        parts, a render worker's feed items); it is made again if asked for. A process calls
        it when it moves on to outputs of another kind: what a large site's feeds, lists and
        sitemaps keep is of no use to the article pages that follow (benchmarks/README.md
        has its size)."""
        self._kept.clear()
        self._contexts.clear()
        if self.feed_items is not None:
            self.feed_items.forget()

    def layout_key(self, templates: Iterable[tuple[str, str]]) -> str:
        """What derived layouts (pages' neighbours, lists' pages) are made of: the given
        (template, language) pairs with their shared parts, and the metadata and order of
        every public entry."""
        if self._entries_key is None:
            self._entries_key = fingerprint(*[e.source + e.meta_hash for e in self.site.entries()])
        return fingerprint(*[self.deps(template, lang) for template, lang in templates], self._entries_key)

    def deps(self, template: str, lang: str, *parts: object) -> str:
        key = (template, lang)
        prefix = self._prefixes.get(key)
        if prefix is None:
            # The stamp: a template renders differently under another Jinja or MarkupSafe.
            # A site in a folder of its host: its pages' links are put there as they are rendered.
            under = () if self._base_path == "/" else ("under", self._base_path)
            prefix = self._prefixes[key] = fingerprint(repr(cachefiles.STAMP), self.shared[lang],
                                                       self.templates.fingerprint(template),
                                                       self.strings[lang].fingerprint, *under)
        return fingerprint(prefix, *parts)

    def alternates(self, versions: dict[str, str]) -> tuple[tuple[str, str], ...]:
        """hreflang links for the versions that exist, plus x-default: the default language's
        version, else the one first in the config's order of languages, the same from every
        version (a cluster of alternates must be reciprocal)."""
        if len(versions) < 2:
            return ()
        links = [(lang, self.config.absolute(versions[lang]))
                 for lang in self.config.language_codes if lang in versions]
        return (*links, ("x-default", links[0][1]))

    def switcher(self, lang: str, versions: dict[str, str],
                 elsewhere: dict[str, str] | None = None) -> tuple[Switch, ...]:
        """A link per other language: to this page's version there, else to where ``elsewhere``
        says (a tag page: that language's tags), else to that language's home."""
        return tuple(
            Switch(self.config.languages[code],
                   versions.get(code) or (elsewhere or {}).get(code) or urls.home(self.config, code), code in versions)
            for code in self.config.language_codes if code != lang
        )

    def feeds(self, lang: str, list_url: str | None, list_title: str | None) -> tuple[FeedLink, ...]:
        title = self.config.languages[lang].title
        found = [FeedLink(urls.feed_url(urls.home(self.config, lang), name), mime, f"{title} ({label})")
                 for name, mime, label in urls.FEED_FILES]
        if list_url and list_title and list_url != urls.home(self.config, lang):
            found += [FeedLink(urls.feed_url(list_url, name), mime,
                               f"{list_title} — {title} ({label})")
                      for name, mime, label in urls.FEED_FILES]
        return tuple(found)

    def term_versions(self, kind: TermKind, slug: str, url_of: str, lang: str) -> dict[str, str]:
        """A section, topic, category, unit or archive year exists in another language when it
        has articles there under the same name (the same slug: a tag kept as written, the
        category a section gives)."""
        versions = {lang: url_of}
        for code in self.config.language_codes:
            other = self._term_urls(code, kind).get(slug)
            if other is not None and code != lang:
                versions[code] = other
        return versions

    def _term_urls(self, lang: str, kind: TermKind) -> dict[str, str]:
        """The address of each term of a kind in a language, by slug (a site has thousands of tags)."""
        return self.kept(f"term-urls/{lang}/{kind}",
                         lambda: {t.slug: t.url for t in self.site.terms.get((lang, kind), ())})

    def entry_versions(self, entry: Entry) -> dict[str, str]:
        return {entry.lang: entry.url, **{t.lang: t.url for t in self.site.translations_of(entry)}}

    def render(self, template: str, lang: str, info: PageInfo, **extra: Any) -> bytes:
        page = self.templates.render(template, {**self._language_context(lang), "page": info, **extra})
        if self._base_path == "/":
            return page
        return htmlurls.under(page.decode("utf-8"), self._base_path).encode("utf-8")

    def _language_context(self, lang: str) -> dict[str, Any]:
        """What every page of ``lang`` gets besides its own values; also the whole context of
        its shared parts (``shared_part``), which therefore cannot see the page."""
        known = self._contexts.get(lang)
        if known is not None:
            return known
        context: dict[str, Any] = {
            "config": self.config,
            "language": self.config.languages[lang],
            "lang": lang,
            "t": self.strings[lang],
            "nav": self.nav[lang],
            "brand": self.brand[lang],
            "footer": self.footer[lang],
            "latest": self.latest[lang],
            "section_of": self._sections[lang],
            "tables": tables.scrolling,
            "category_of": lambda name: self._category(lang, name),
            "category_name": lambda name: self._category(lang, name).title,  # for templates of older themes
            "archive_years": self.years[lang],
            "tag_index_url": self.tag_index[lang],
            "home_url": urls.home(self.config, lang),
            "publisher_logo": publisher_logo(self.config, lang),
            "absolute": self.config.absolute,
            "web_address": urls.web_address,
            "file_address": urls.file_address,
            "term_url": lambda kind, name: urls.expand(self.config, kind, lang, slug=urls.term_slug(kind, name)),
        }
        context[SHARED_PART] = SharedParts(self.templates, context)
        self._contexts[lang] = context
        return context

    def info(self, kind: str, lang: str, url: str, title: str, description: str,
             versions: dict[str, str] | None = None, feed_list: tuple[str, str] | None = None,
             noindex: bool = False, elsewhere: dict[str, str] | None = None) -> PageInfo:
        versions = versions or {lang: url}
        return PageInfo(
            kind=kind, lang=lang, url=url, canonical=self.config.absolute(url), title=title,
            description=description or self.config.languages[lang].description,
            alternates=self.alternates(versions), switcher=self.switcher(lang, versions, elsewhere),
            feeds=self.feeds(lang, *(feed_list or (None, None))), noindex=noindex,
        )
