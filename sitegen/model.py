"""The site model: plain frozen data, linked by keys rather than object graphs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sitegen.config import Config, Contact
from sitegen.images.photo import Photo

Kind = Literal["article", "page"]
TermKind = Literal["section", "tag", "category", "unit", "archive"]


@dataclass(frozen=True, slots=True)
class Asset:
    """A file from static/ that an entry points at: lead photo or attachment."""

    url: str  # site path, e.g. /files/rilis.pdf
    source: str  # site-relative file path, e.g. static/files/rilis.pdf
    #: bytes of the published file: a picture's without its metadata (an attachment's, for
    #: the feeds' enclosure length and the page's "PDF, 1.5 MB")
    size: int
    mime: str
    title: str = ""
    #: size and mtime of the file in static/ when it was read: a later build that finds other
    #: ones reads the entry again (the published size of a picture follows its contents)
    file_size: int = 0
    file_mtime_ns: int = 0


@dataclass(frozen=True, slots=True)
class Image:
    asset: Asset
    alt: str
    caption: str
    credit: str


def own_translation_key(section: str, file_key: str) -> str:
    """The translation key of a file without ``translation_key:``, from its folder and name:
    files named alike in one section are translations of each other."""
    return f"{section}/{file_key}"


#: Entry fields of text that many entries hold alike (a section, a language, a tag), and of
#: tuples of such text: where entries are made or loaded each distinct value is kept as one
#: object, so a large site's model holds it once instead of once per entry.
SHARED_TEXT = ("kind", "section", "lang", "location", "agency", "category", "unit")
SHARED_TUPLES = ("authors", "tags")


@dataclass(frozen=True, slots=True)
class Entry:
    """One article or static page in one language, complete from the moment it is parsed."""

    source: str  # site-relative path of the Markdown file
    source_hash: str  # hash of the file bytes and the config that shaped it
    meta_hash: str  # hash of what lists show: the fields below but the text's (body_key, lines, photos but the first)
    place_hash: str  # hash of the fields that decide its address, lists and dates (the sitemap)
    kind: Kind
    section: str  # folder under content/ ("pages" for static pages)
    file_key: str  # file name without language and extension
    translation_key: str
    lang: str
    url: str  # site path with language prefix, ends in /
    slug: str
    title: str
    summary: str
    #: the converted Markdown's key: ``sitegen.texts.Texts`` has the text (equal keys, equal text)
    body_key: str
    date: datetime | None
    updated: datetime | None
    embargo: datetime | None
    draft: bool
    authors: tuple[str, ...]
    location: str
    agency: str
    tags: tuple[str, ...]
    category: str
    unit: str
    release_number: str
    image: Image | None
    #: the lead photo as published (responsive versions, no metadata); set when image is
    photo: Photo | None
    gallery: tuple[Photo, ...]
    #: the photos shown in the text (already written into the text as <picture>)
    body_photos: tuple[Photo, ...]
    #: the other files of static/ the text shows (an SVG, a GIF), site-relative: static/img/x.svg
    text_files: tuple[str, ...]
    #: the files of this site the text links to or shows, as addresses without the leading /
    #: (relative ones resolved from the entry's address): a file only a release under embargo
    #: names waits with it (sitegen.build.held_back)
    linked_files: tuple[str, ...]
    attachments: tuple[Asset, ...]
    contact: Contact | None
    aliases: tuple[str, ...]
    #: line of each front-matter key, for errors found after parsing
    lines: Mapping[str, int]

    @property
    def is_article(self) -> bool:
        return self.kind == "article"

    @property
    def photos(self) -> tuple[Photo, ...]:
        """Every photo the entry publishes: lead, gallery, then those in the text."""
        return (*((self.photo,) if self.photo else ()), *self.gallery, *self.body_photos)

    @property
    def shared_photo(self) -> Photo | None:
        """The photo a link preview shows: the lead photo, else the first of the gallery or the text."""
        photos = self.photos
        return photos[0] if photos else None

    @property
    def modified(self) -> datetime | None:
        return self.updated or self.date

    def public_from(self) -> datetime | None:
        """The moment the entry may appear: the later of its date and its embargo."""
        moments = [m for m in (self.date, self.embargo) if m is not None]
        return max(moments) if moments else None


def alias_line(entry: Entry, alias: str) -> int | None:
    """The line of one of the entry's aliases, else of its ``aliases:`` key."""
    try:
        index = entry.aliases.index(alias)
    except ValueError:
        return entry.lines.get("aliases")
    return entry.lines.get(f"aliases.{index}") or entry.lines.get("aliases")


@dataclass(frozen=True, slots=True)
class Term:
    """A group of entries with its own list page: a section, tag, category, unit or year."""

    kind: TermKind
    slug: str
    name: str
    lang: str
    url: str
    entries: tuple[Entry, ...]
    #: the language ``name`` is in where it is not ``lang`` (a section's name in the default
    #: language standing in for a missing one), else None: pages mark it (WCAG 3.1.2)
    name_lang: str | None = None
    #: addresses this list had before names that ``slugify`` keeps only in part got a slug of
    #: their own (``urls.term_slug``: "Straße" was at /tags/strae/), which no term has now:
    #: each becomes a redirect here where no other output takes it (``sitegen.build.plan``)
    old_urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hidden:
    """An entry kept out of the outputs, and why (for ``sitegen status``)."""

    entry: Entry
    reason: Literal["draft", "embargo", "scheduled"]
    until: datetime | None


@dataclass(frozen=True, slots=True)
class Site:
    config: Config
    now: datetime
    #: visible articles of each language, newest first
    articles: Mapping[str, tuple[Entry, ...]]
    #: visible static pages of each language
    pages: Mapping[str, tuple[Entry, ...]]
    #: translation key → language → visible entry
    translations: Mapping[str, Mapping[str, Entry]]
    #: (lang, kind) → terms of that kind in that language, sorted by name
    terms: Mapping[tuple[str, TermKind], tuple[Term, ...]]
    hidden: tuple[Hidden, ...]
    #: source → the other languages' visible versions, in configured language order
    others: Mapping[str, tuple[Entry, ...]]

    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for lang in self.config.language_codes
                     for e in (*self.articles.get(lang, ()), *self.pages.get(lang, ())))

    def all_entries(self) -> tuple[Entry, ...]:
        """The public entries, then those not public yet (drafts, embargoed, scheduled)."""
        return (*self.entries(), *(hidden.entry for hidden in self.hidden))

    def translations_of(self, entry: Entry) -> tuple[Entry, ...]:
        """The other languages' versions of ``entry``, in configured language order."""
        known = self.others.get(entry.source)
        if known is not None:
            return known
        group = self.translations.get(entry.translation_key, {})
        return tuple(group[c] for c in self.config.language_codes if c in group and c != entry.lang)

    def term(self, lang: str, kind: TermKind, slug: str) -> Term | None:
        for t in self.terms.get((lang, kind), ()):
            if t.slug == slug:
                return t
        return None
