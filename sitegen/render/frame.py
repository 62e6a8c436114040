"""What frames every page of a language, as plain data for the templates: the header's
emblem and two-line name, the menu in the config's order, the newest releases for the
side column, and the footer's office details and topic, unit and category links.

Everything here is shown on every page of its language, so ``Renderer`` puts it into
the fingerprint every page shares: a change here re-renders that language's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen import urls
from sitegen.config import Config, SocialLink, Text, text_in
from sitegen.model import Entry, Site, Term, TermKind

#: Newest releases in a release page's side column (the page itself left out).
LATEST = 5
#: Topics named in the footer: the most used, so a site with thousands of tags keeps a
#: footer a reader can scan; the footer always links the index of all of them.
FOOTER_TOPICS = 40


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    title: str
    #: the language of ``title`` where it is not the page's (a section's name in the default
    #: language standing in for a missing one), else None: its element says lang="..."
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Brand:
    """The header: emblem (a site path, or None) and the office's name on two lines.

    A ``*_lang`` field is the language of the text before it where that is not the page's
    (the default language's text standing in for a missing one), else None: the text's
    element says ``lang="..."`` so a screen reader reads it in its language (WCAG 3.1.2).
    """

    emblem: str | None
    parent: str
    name: str
    parent_lang: str | None
    name_lang: str | None


@dataclass(frozen=True, slots=True)
class Footer:
    """The foot of the page; ``*_lang`` fields as in ``Brand``."""

    name: str
    address: str
    phone: str
    email: str
    hours: str
    social: tuple[SocialLink, ...]
    ppid: str | None
    lapor: str | None
    copyright: str
    topics: tuple[Link, ...]
    #: more topics exist than ``topics`` names (the index link says "all topics")
    more_topics: bool
    units: tuple[Link, ...]
    categories: tuple[Link, ...]
    #: index pages of every topic, unit, category and year (None where there are none)
    topic_index: str | None
    unit_index: str | None
    category_index: str | None
    archive_index: str | None
    name_lang: str | None
    address_lang: str | None
    hours_lang: str | None
    copyright_lang: str | None


def brand(config: Config, lang: str) -> Brand:
    texts = config.brand
    name = text_in(texts.name, lang, config.default_language)
    if not name.text:
        name = Text(config.languages[lang].title, lang)
    parent = text_in(texts.parent, lang, config.default_language)
    return Brand(config.brand.emblem or config.logo or None, parent.text, name.text,
                 parent_lang=parent.lang_apart_from(lang), name_lang=name.lang_apart_from(lang))


def menu(site: Site, lang: str) -> tuple[Link, ...]:
    """Sections in the order config.yaml lists them (then any other section by name), then
    the static pages."""
    order = {urls.slugify(name): index for index, name in enumerate(site.config.sections)}
    sections = sorted(site.terms.get((lang, "section"), ()),
                      key=lambda t: (order.get(t.slug, len(order)), t.name.casefold()))
    pages = tuple(Link(p.url, p.title) for p in site.pages.get(lang, ()))
    return tuple(Link(t.url, t.name, t.name_lang) for t in sections) + pages


def latest(site: Site, lang: str) -> tuple[Entry, ...]:
    """The newest releases, one more than the side column shows (a release leaves itself out)."""
    return site.articles.get(lang, ())[:LATEST + 1]


def footer(site: Site, lang: str, year: int) -> Footer:
    config = site.config
    settings = config.footer
    office = brand(config, lang)
    name = office.name

    def links(terms: tuple[Term, ...]) -> tuple[Link, ...]:
        return tuple(Link(t.url, t.name, t.name_lang) for t in terms)

    def index(kind: TermKind) -> str | None:
        """The kind's index page, as listings.index_outputs addresses it."""
        if not site.terms.get((lang, kind)):
            return None
        return (urls.expand(config, kind, lang, slug="", year="").rstrip("/") + "/").replace("//", "/")

    tags = site.terms.get((lang, "tag"), ())
    # The most used topics, shown by name.
    used = sorted(tags, key=lambda t: (-len(t.entries), t.name.casefold()))[:FOOTER_TOPICS]
    topics = tuple(sorted(used, key=lambda t: t.name.casefold()))
    copyright_line = text_in(settings.copyright, lang, config.default_language)
    if not copyright_line.text:  # the default names the office, in the language of its name
        copyright_line = Text(f"© {{year}} {name}", office.name_lang or lang)
    address = text_in(settings.address, lang, config.default_language)
    hours = text_in(settings.hours, lang, config.default_language)
    return Footer(
        name=name,
        address=address.text,
        phone=settings.phone,
        email=settings.email,
        hours=hours.text,
        social=settings.social,
        ppid=settings.ppid or None,
        lapor=settings.lapor or None,
        copyright=copyright_line.text.replace("{year}", str(year)),
        topics=links(topics),
        more_topics=len(tags) > len(topics),
        units=links(site.terms.get((lang, "unit"), ())),
        categories=links(site.terms.get((lang, "category"), ())),
        topic_index=index("tag"),
        unit_index=index("unit"),
        category_index=index("category"),
        archive_index=index("archive"),
        name_lang=office.name_lang,
        address_lang=address.lang_apart_from(lang),
        hours_lang=hours.lang_apart_from(lang),
        copyright_lang=copyright_line.lang_apart_from(lang),
    )


class Sections:
    """Each release's section as a link (name and list page), for cards' labels."""

    def __init__(self, config: Config, lang: str) -> None:
        self.config, self.lang = config, lang
        self._known: dict[str, Link] = {}

    def __call__(self, entry: Entry) -> Link:
        found = self._known.get(entry.section)
        if found is None:
            url = urls.expand(self.config, "section", self.lang, section=urls.slugify(entry.section))
            name = self.config.section_text(entry.section, self.lang)
            found = self._known[entry.section] = Link(url, name.text, name.lang_apart_from(self.lang))
        return found
