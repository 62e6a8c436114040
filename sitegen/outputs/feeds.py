"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 per language for the site and each of its lists
(sections, tags, categories, work units, years).

Guids. An item's guid must never change once published, not even when its title,
slug or date is edited. It is therefore made only of things those edits leave alone:
the site's address (host and path of ``base_url``), the entry's translation key and
its language::

    urn:uuid:<uuid5(GUID_NAMESPACE, "<host/path>/<translation_key>/<lang>")>

The translation key is ``<section>/<file name without language and extension>``
unless the front matter sets ``translation_key:``; so a guid changes only when the
file is renamed or moved to another section without keeping its old key, when a
``translation_key:`` is added or changed, or when the site moves to another
address. The same value is the RSS ``guid`` (``isPermaLink="false"``), the Atom
``id`` and the JSON Feed ``id``. No date is part of it, unlike a ``tag:`` URI.

Reproducibility. ``lastBuildDate`` / Atom ``updated`` is the newest item's
modification time, never the clock, so an unchanged site gives byte-identical feeds.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from html import escape, unescape
from typing import Any, Generic, TypeVar
from urllib.parse import urljoin, urlsplit

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.ext.dc import DcEntryExtension, DcExtension
from feedgen.ext.media import MediaEntryExtension, MediaExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem, xml_fromstring
from lxml import etree

from sitegen import urls
from sitegen.config import Config, Contact
from sitegen.htmlurls import in_folder, rewrite
from sitegen.images.feeds import MediaNamespace, PhotoMedia, json_photos, media_of
from sitegen.images.store import PhotoFiles
from sitegen.model import Asset, Entry, Site
from sitegen.outputs import Output, fingerprint, xml_safe
from sitegen.outputs.listings import LIST_KINDS
from sitegen.render.renderer import Renderer
from sitegen.texts import Texts, TextStore
from sitegen.urls import file_address, web_address

#: Fixed forever: changing it would change every guid of every site.
GUID_NAMESPACE = uuid.UUID("6f1c6f0e-2b7a-5d4e-9a51-3c1a0f7e8b21")
#: Bump when the feeds' bytes change for the same model, so old outputs are redone.
FORMAT = "10"
#: Feeds with no items still need a stable ``updated`` value.
_NO_ITEMS = datetime.fromisoformat("1970-01-01T00:00:00+00:00")
_ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True, slots=True)
class Labels:
    """The theme's words, in the feed's language, for the press contact under each item and
    the release number above it."""

    press_contact: str = "Press contact"
    phone: str = "Phone"
    email: str = "Email"
    release_number: str = "No."


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed's subject: which entries, where it lives, what it is called."""

    lang: str
    list_url: str  # the HTML list the feed mirrors (home, section or tag page)
    title: str
    description: str
    entries: tuple[Entry, ...]  # newest first, already limited to config.feeds.items
    labels: Labels = Labels()

    def url(self, filename: str) -> str:
        return urls.feed_url(self.list_url, filename)


def guid(config: Config, entry: Entry) -> str:
    """The item's permanent id (see the module docstring)."""
    return _guid(config.base_url, entry.translation_key, entry.lang)


@lru_cache(maxsize=8192)
def _guid(base_url: str, translation_key: str, lang: str) -> str:
    parts = urlsplit(base_url)
    # The host as the web knows it: its case, a final dot and the scheme's own port are the
    # same site (https://Humas.example.go.id.:443/ is https://humas.example.go.id/).
    host = (parts.hostname or "").rstrip(".")
    host = f"[{host}]" if ":" in host else host
    port = parts.port if parts.port not in (None, {"https": 443, "http": 80}.get(parts.scheme)) else None
    site = (host + (f":{port}" if port else "") + parts.path).rstrip("/")
    return uuid.uuid5(GUID_NAMESPACE, f"{site}/{translation_key}/{lang}").urn


def absolute_url(config: Config, path: str) -> str:
    """A file's or page's address from the site's root, absolute and valid (web_address)."""
    return web_address(config.absolute(path))


def file_url(config: Config, path: str) -> str:
    """The absolute address of the file at ``path`` in the site (an attachment; not the logo,
    which config.yaml writes as an address already)."""
    return absolute_url(config, file_address(path))


def absolute_html(html: str, page_url: str, base_path: str = "/") -> str:
    """Body HTML with every link and image resolved against the article's absolute URL.

    In a feed, a relative URL would resolve against the feed's address (or nothing),
    so ``/files/a.pdf``, ``foto.jpg``, ``//cdn/x`` and ``#note`` all become absolute (and valid:
    web_address).
    ``/files/a.pdf`` is from the site's root, which may be a folder of its host
    (``base_path``, Config.base_path).
    Values are read as a browser reads them, character references decoded (rewrite): Markdown
    writes an e-mail autolink as ``&#109;&#97;...`` (``mailto:`` in disguise), which taken as
    written is a relative path, and which feedparser resolves against the feed without
    decoding it.
    """
    def change(value: str) -> str:
        return web_address(urljoin(page_url, in_folder(value.strip(), base_path)))

    return rewrite(html, change)


def feed_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    made = r.feed_items if r.feed_items is not None else FeedItems()
    for feed in feeds_of(site, r):
        deps = fingerprint(FORMAT, CONTACT_FORMAT, site.config.fingerprint, r.strings[feed.lang].fingerprint,
                           feed.list_url, feed.title, feed.description,
                           [e.source_hash + e.meta_hash for e in feed.entries])
        for filename, render in (("feed.xml", rss), ("atom.xml", atom), ("feed.json", json_feed)):
            yield Output(urls.output_path(feed.url(filename)), deps,
                         partial(render, site.config, feed, r.texts, r.photos, made), kind="feed", group=filename,
                         lang=feed.lang)


def feeds_of(site: Site, r: Renderer) -> Iterator[Feed]:
    """The site feed of each language, then one per list page: every section and tag, and
    also every category, work unit and year, since their pages link their feeds too."""
    config = site.config
    limit = config.feeds.items
    for lang in config.language_codes:
        language = config.languages[lang]
        about = language.description or language.title
        t = r.strings[lang]
        labels = Labels(t("press_contact"), t("phone"), t("email"), t("release_number"))
        yield Feed(lang, urls.home(config, lang), language.title, about,
                   site.articles.get(lang, ())[:limit], labels)
        for kind in LIST_KINDS:
            label = t(f"kind_{kind}")
            for term in site.terms.get((lang, kind), ()):
                yield Feed(lang, term.url, f"{term.name} — {language.title}",
                           f"{label}: {term.name}. {about}", term.entries[:limit], labels)


def _local(config: Config, moment: datetime) -> datetime:
    return moment.astimezone(config.zone)


def _updated(config: Config, feed: Feed) -> datetime:
    stamps = [e.modified for e in feed.entries if e.modified is not None]
    return _local(config, max(stamps) if stamps else _NO_ITEMS)


def _categories(config: Config, entry: Entry) -> list[str]:
    """The section's name, then the tags; a tag that repeats the section name is dropped."""
    found: dict[str, str] = {}
    for name in (config.section_name(entry.section, entry.lang), *entry.tags):
        found.setdefault(name.casefold(), xml_safe(name))
    return [name for name in found.values() if name]


def _authors(config: Config, entry: Entry) -> tuple[str, ...]:
    """The bylines, or else the office itself (the site's title in the entry's language)."""
    return entry.authors or (config.languages[entry.lang].title,)


# --- the press contact ---------------------------------------------------------------
# Newsrooms that monitor feeds call the press office straight from the item, so every item
# carries the contact the release page shows: the release's own ``contact:``, else the
# config's. As text and links in the item's content (the HTML a reader shows; in summary
# feeds a line after the summary), and in JSON Feed also as data, in the extension object
# ``_sitegen`` (JSON Feed 1.1: keys starting with "_" are extensions that readers ignore).
#: Bump when the contact's form in items changes (part of every feed's fingerprint).
CONTACT_FORMAT = "contact-2"
#: The JSON Feed extension key.
EXTENSION = "_sitegen"


def _contact(config: Config, entry: Entry) -> Contact | None:
    contact = entry.contact or config.contact.shown(entry.lang, config.default_language)
    return contact if contact else None


def contact_html(contact: Contact, labels: Labels) -> str:
    """The contact as a paragraph of escaped text, with tel: and mailto: links."""
    lines = [f"<strong>{escape(labels.press_contact)}</strong>"]
    if contact.name_lang:
        lines.append(f'<span lang="{escape(contact.name_lang)}">{escape(contact.name)}</span>')
    elif contact.name:
        lines.append(escape(contact.name))
    if contact.phone:
        dial = escape("".join(contact.phone.split()))
        lines.append(f'{escape(labels.phone)}: <a href="tel:{dial}">{escape(contact.phone)}</a>')
    if contact.email:
        lines.append(f'{escape(labels.email)}: <a href="mailto:{escape(contact.email)}">{escape(contact.email)}</a>')
    return '\n<hr>\n<p class="press-contact">' + "<br>".join(lines) + "</p>"


def contact_text(contact: Contact, labels: Labels) -> str:
    """The contact as one line of plain text, for feeds that carry only a summary."""
    parts = [contact.name] if contact.name else []
    if contact.phone:
        parts.append(f"{labels.phone} {contact.phone}")
    if contact.email:
        parts.append(f"{labels.email} {contact.email}")
    return f"{labels.press_contact}: " + ", ".join(parts)


def _summary(config: Config, entry: Entry, labels: Labels, texts: Texts, made: FeedItems) -> str:
    """The item's summary; in a summary-only feed, the text that stands for the release: the
    summary with the release number and dateline before it and the contact line after it."""
    summary = _words_of(config, entry, texts, made)
    if config.feeds.full_content:
        return summary
    return _summary_text(config, entry, labels, summary)


def _words_of(config: Config, entry: Entry, texts: Texts, made: FeedItems) -> str:
    """The release's summary, or, where its text has no paragraph to make one, its first words;
    for a release told by a photo alone, what its photos show (their alt text), else its title."""
    if entry.summary:
        return entry.summary
    html = _content(config, entry, texts, made)
    return _lead(html) or _shown(html, entry) or entry.title


_ALT = re.compile(r'<img\b[^>]*?\balt="([^"]*)"', re.I)


def _shown(html: str, entry: Entry) -> str:
    """The alt texts of the text's photos, else the lead photo's, on one line."""
    alts = [" ".join(unescape(alt).split()) for alt in _ALT.findall(html)]
    if entry.image is not None:
        alts.append(" ".join(entry.image.alt.split()))
    return next((alt for alt in alts if alt), "")


#: How long a summary made from the text may be (a sentence or two, as aggregators show one).
LEAD_LENGTH = 300
#: What a summary made from the text leaves out: a script's or style sheet's content (code, not
#: words), tags that end a block (a space, so two cells do not run into one word), other tags.
_NOT_WORDS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_BLOCK_TAG = re.compile(r"</?(?:p|div|h[1-6]|li|dd|dt|tr|td|th|caption|blockquote|pre|figcaption|br|hr)\b[^>]*>",
                        re.I)
_TAG = re.compile(r"<[^>]+>")


def _words(html: str) -> str:
    """The text of ``html`` as a reader reads it, its blocks apart, on one line."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", _NOT_WORDS.sub(" ", html)))
    return " ".join(unescape(text).split())


def _lead(html: str) -> str:
    """A summary for a release whose text has no paragraph to be one (a heading, a list, a
    table): its first words, cut at a word. Every item needs one: without a summary, feedgen
    puts the whole HTML in RSS's description and writes no content:encoded."""
    text = _words(html)
    if len(text) <= LEAD_LENGTH:
        return text
    cut = text[:LEAD_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-–— ") + "…"


def _summary_text(config: Config, entry: Entry, labels: Labels, text: str) -> str:
    """``text`` (a summary) as a summary-only feed's item says it: the release number first,
    the dateline opening the summary (a title in its place gets none), the contact last."""
    line = dateline(config, entry)
    parts = [f"{labels.release_number}: {entry.release_number}"] if entry.release_number else []
    parts.append(f"{line} {entry.summary}" if line and entry.summary else text)
    contact = _contact(config, entry)
    if contact is not None:
        parts.append(contact_text(contact, labels))
    return "\n\n".join(part for part in parts if part)


# --- the dateline and the release number -----------------------------------------------
# A service that republishes releases from the feeds takes the item's content as the release:
# like the release page, it opens with the dateline ("Agam (Humas Kanwil Contoh) -") and
# names the release number (themes/humas/templates/article.html).


def dateline(config: Config, entry: Entry) -> str:
    """The dateline as the release page shows it, or "" for a release without a location:
    without an agency the office itself (the language's site title) is the source."""
    if not entry.location:
        return ""
    return f"{entry.location} ({entry.agency or config.languages[entry.lang].title}) -"


def _headed(config: Config, entry: Entry, labels: Labels, body: str) -> str:
    """The body with the release number on a line before it and the dateline opening its
    first paragraph (or, where the text opens with something else, in a paragraph of its
    own, as the page has it before the text)."""
    line = dateline(config, entry)
    if line:
        strong = f"<strong>{escape(xml_safe(line), quote=False)}</strong>"
        if body.startswith("<p>"):
            body = f"<p>{strong} {body[3:]}"
        else:
            body = f'<p class="dateline">{strong}</p>\n{body}'
    if entry.release_number:
        number = escape(xml_safe(entry.release_number), quote=False)
        body = (f'<p>{escape(labels.release_number, quote=False)}: <span class="release-number">{number}</span></p>\n'
                + body)
    return body


def _full_content(config: Config, entry: Entry, labels: Labels, texts: Texts, made: FeedItems) -> str:
    contact = _contact(config, entry)
    html = _headed(config, entry, labels, _content(config, entry, texts, made))
    return html + xml_safe(contact_html(contact, labels)) if contact is not None else html


def _enclosures(entry: Entry) -> tuple[Asset, ...]:
    """Attachments first (the signed release is what newsrooms monitor); photos are added by
    sitegen.images.feeds (their published versions, never the original file)."""
    return entry.attachments


_V = TypeVar("_V")


class _PerEntry(Generic[_V]):
    """What a worker made for one release, reused in every feed that lists it: a release is
    in a dozen feeds (site, section, each tag, ...). Keyed by the entry object itself, not
    its hashes, and by the config. The least recently used go first: the newest releases
    are in the most feeds, and an item with its text is heavy."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._made: OrderedDict[tuple[int, str, Labels | None], tuple[Entry, _V]] = OrderedDict()

    def get(self, entry: Entry, config: Config, labels: Labels | None = None) -> _V | None:
        key = (id(entry), config.fingerprint, labels)
        found = self._made.get(key)
        if found is None or found[0] is not entry:
            return None
        self._made.move_to_end(key)
        return found[1]

    def keep(self, entry: Entry, config: Config, value: _V, labels: Labels | None = None) -> _V:
        if len(self._made) >= self.limit:
            self._made.popitem(last=False)
        self._made[(id(entry), config.fingerprint, labels)] = (entry, value)
        return value

    def clear(self) -> None:
        self._made.clear()


class FeedItems:
    """Feed items, made once and spliced into every feed that lists them.

    The build's State keeps one (so serve and watch reuse the items of releases an edit did
    not touch) and hands it to every feed's render function through the Renderer; a render
    worker forked after planning owns its own copy. The limit leaves room for every release
    the feeds of a large site show: with less, the least recently used would go before
    their next feed.

    Items are also kept between builds, in the text store beside the texts they are made
    of, for the next edit: its feeds list the same releases, and making their items again
    was most of the feeds' time. Only the process that made this object asks the store and
    adds to it (a render worker's copy does neither), and only while it has made fewer than
    KEEP_UP_TO items since the last save: an edit makes a few dozen, and a build that makes
    more is rendering much of the site, which the store would only slow down and swell."""

    def __init__(self, limit: int = 8192, store: TextStore | None = None) -> None:
        self.content: _PerEntry[str] = _PerEntry(limit)  # the body as a feed shows it
        self.rss: _PerEntry[bytes] = _PerEntry(limit)  # serialized, as the feeds hold them
        self.atom: _PerEntry[bytes] = _PerEntry(limit)
        self.json: _PerEntry[str] = _PerEntry(limit)  # encoded
        self._store = store
        self._owner = os.getpid()
        self._fresh: dict[str, tuple[str, bytes]] = {}  # made since the last save: key → (text key, item)
        self._made = 0

    def _in_owner(self) -> bool:
        """Whether this is the process that made this object, not a render worker's copy."""
        return os.getpid() == self._owner

    def _kept(self) -> TextStore | None:
        """The store, while this process may use it."""
        usable = self._made < KEEP_UP_TO and self._in_owner()
        return self._store if usable else None

    def recall(self, kind: str, entries: tuple[Entry, ...], config: Config, labels: Labels,
               photos: PhotoFiles | None, root: bytes) -> None:
        """Bring the stored items of ``entries`` that are not in memory into it."""
        store = self._kept()
        if store is None:
            return
        made = self._per_entry(kind)
        missing = {_item_key(kind, entry, config, labels, photos, root): entry
                   for entry in entries if made.get(entry, config, labels) is None}
        for key, item in store.items(list(missing)).items():
            made.keep(missing[key], config, item.decode() if kind == "json" else item, labels)

    def add(self, kind: str, entry: Entry, config: Config, labels: Labels, photos: PhotoFiles | None,
             root: bytes, item: bytes | str) -> None:
        """Note an item just made, for the next :meth:`save`."""
        if self._kept() is None:
            return
        self._made += 1
        if self._made >= KEEP_UP_TO:  # much of the site: nothing of it is kept
            self._fresh.clear()
            return
        self._fresh[_item_key(kind, entry, config, labels, photos, root)] = (
            entry.body_key, item.encode() if isinstance(item, str) else item)

    def forget(self) -> None:
        """In a render worker, let go of the items its copy made (see Renderer.forget); the
        process that made this object keeps them for the next build."""
        if not self._in_owner():
            for made in (self.content, self.rss, self.atom, self.json):
                made.clear()

    def save(self) -> None:
        """Keep the items made since the last save (raises OSError when the store cannot be
        written)."""
        fresh, self._fresh, self._made = self._fresh, {}, 0
        if fresh and self._store is not None and self._in_owner():
            self._store.put_items((key, text, item) for key, (text, item) in fresh.items())

    def _per_entry(self, kind: str) -> _PerEntry[Any]:
        return self.json if kind == "json" else self.rss if kind == "rss" else self.atom


#: See FeedItems.
KEEP_UP_TO = 1000
#: What made a kept item besides its release: the formats. The versions of sitegen, Python,
#: feedgen and lxml are in the release's ``source_hash`` (the cache's stamp, cachefiles.STAMP).
_MADE_BY = repr((FORMAT, CONTACT_FORMAT))


def _item_key(kind: str, entry: Entry, config: Config, labels: Labels, photos: PhotoFiles | None,
              root: bytes) -> str:
    """What an item is made of: its release (text, metadata, its photos' published sizes),
    the config, the labels, the format and the root element it is written for."""
    sizes = [str(m.size) for m in media_of(entry, config.absolute, photos)] if entry.photo or entry.gallery else []
    return fingerprint(_MADE_BY, kind, root.decode("utf-8", "replace"), config.fingerprint, repr(labels),
                       entry.source_hash, entry.meta_hash, *sizes)


def _content(config: Config, entry: Entry, texts: Texts, made: FeedItems) -> str:
    html = made.content.get(entry, config)
    if html is None:
        absolute = absolute_html(texts.html(entry), config.absolute(entry.url), config.base_path)
        html = made.content.keep(entry, config, xml_safe(absolute))
    return html


_DCTERMS = "http://purl.org/dc/terms/"


class _FeedExtras(BaseExtension):  # type: ignore[misc]
    """What feedgen 1.0 cannot write itself: the WebSub hub link of an RSS channel."""

    hub: str | None = None

    def extend_rss(self, rss_feed: Any) -> Any:
        if self.hub:
            xml_elem(f"{{{_ATOM}}}link", rss_feed[0], href=self.hub, rel="hub")
        return rss_feed


class _EntryExtras(BaseEntryExtension):  # type: ignore[misc]
    """Atom enclosure links: feedgen 1.0 drops rel, type and length from an entry's links."""

    def __init__(self) -> None:
        self.enclosures: list[dict[str, str]] = []

    def extend_atom(self, entry: Any) -> Any:
        for attributes in self.enclosures:
            xml_elem("link", entry, **attributes)
        return entry


class _Modified(BaseExtension):  # type: ignore[misc]
    def extend_ns(self) -> dict[str, str]:
        return {"dcterms": _DCTERMS}


class _ModifiedEntry(BaseEntryExtension):  # type: ignore[misc]
    """An RSS item's update time, as ``dcterms:modified`` (RSS itself has only the publication
    time; Atom and JSON Feed have their own element)."""

    def __init__(self) -> None:
        self.when: str | None = None

    def extend_rss(self, item: Any) -> Any:
        if self.when:
            xml_elem(f"{{{_DCTERMS}}}modified", item).text = self.when
        return item


#: name, feed class, entry class, used in Atom, used in RSS
_EXTENSIONS: tuple[tuple[str, type, type, bool, bool], ...] = (
    ("dc", DcExtension, DcEntryExtension, False, True),
    ("media", MediaExtension, MediaEntryExtension, False, True),
    ("extras", _FeedExtras, _EntryExtras, True, True),
    ("modified", _Modified, _ModifiedEntry, False, True),
    ("photos", MediaNamespace, PhotoMedia, True, True),
)


def _generator(config: Config, feed: Feed, filename: str, mime: str,
               rss_format: bool) -> FeedGenerator:
    language = config.languages[feed.lang]
    fg = FeedGenerator()
    # By class: load_extension("dc") first tries to import a module feedgen does not have
    # (feedgen.ext.dc_entry), a search of every import path for each feed.
    for name, feed_class, entry_class, atom, rss in _EXTENSIONS:
        fg.register_extension(name, feed_class, entry_class, atom=atom, rss=rss)
    fg.id(config.absolute(feed.url(filename)))
    fg.title(xml_safe(feed.title))
    fg.description(xml_safe(feed.description))
    fg.language(feed.lang)
    fg.author({"name": xml_safe(language.title),
               "uri": config.absolute(urls.home(config, feed.lang))})
    fg.generator("sitegen")
    if config.logo:
        fg.logo(absolute_url(config, config.logo))
    fg.updated(_updated(config, feed))
    fg.link(href=config.absolute(feed.url(filename)), rel="self", type=mime)
    if config.feeds.hub:
        fg.extras.hub = config.feeds.hub
        if not rss_format:
            fg.link(href=config.feeds.hub, rel="hub")
    # feedgen takes the channel <link> of RSS from the last link added: the HTML list.
    fg.link(href=config.absolute(feed.list_url), rel="alternate", type="text/html")
    return fg


#: What a feed's document ends with once its last item is written.
_CLOSING = {True: b"  </channel>\n</rss>\n", False: b"</feed>\n"}


def _with_items(config: Config, feed: Feed, document: bytes, rss_format: bool, texts: Texts,
                photos: PhotoFiles | None, made: FeedItems) -> bytes:
    """``document`` (a feed written by feedgen with no items) with the feed's items in
    place, each serialized once per worker and reused by every feed that lists it.

    A release is in a dozen feeds; building its item and serializing it again for each
    was most of a feed's time. The bytes are those feedgen writes for the whole feed
    (tests/test_feeds.py compares them)."""
    closing = _CLOSING[rss_format]
    if not document.endswith(closing):
        raise ValueError(f"feedgen wrote a feed that does not end with {closing!r}")
    kept = made.rss if rss_format else made.atom
    kind, root = ("rss" if rss_format else "atom"), document.split(b"\n", 2)[1]
    made.recall(kind, feed.entries, config, feed.labels, photos, root)
    items = []
    for entry in feed.entries:
        item = kept.get(entry, config, feed.labels)
        if item is None:
            fe = FeedEntry()
            for name, _, entry_class, atom, rss in _EXTENSIONS:
                fe.register_extension(name, entry_class, atom=atom, rss=rss)
            _fill(fe, config, entry, rss_format, feed.labels, texts, photos, made)
            element = fe.rss_entry() if rss_format else fe.atom_entry()
            item = kept.keep(entry, config, _serialized(element, document, rss_format), feed.labels)
            made.add(kind, entry, config, feed.labels, photos, root, item)
        items.append(item)
    return document[:-len(closing)] + b"".join(items) + closing


#: The root line of a feed → an empty root like it (the same namespace prefixes) and the
#: element its items go in.
_WRAPPERS: dict[bytes, tuple[Any, Any]] = {}


def _serialized(element: Any, document: bytes, rss_format: bool) -> bytes:
    """One item as it reads inside ``document``: serialized in an empty copy of its root,
    at the same depth, so prefixes and indentation come out as in the whole feed."""
    root_line = document.split(b"\n", 2)[1]
    wrapper = _WRAPPERS.get(root_line)
    if wrapper is None:
        parsed = xml_fromstring(document)
        root = etree.Element(parsed.tag, nsmap=parsed.nsmap)
        wrapper = _WRAPPERS[root_line] = (root, etree.SubElement(root, "channel") if rss_format else root)
    root, parent = wrapper
    parent.append(element)
    try:
        text = bytes(etree.tostring(root, pretty_print=True, encoding="UTF-8"))
    finally:
        parent.remove(element)
    # Past the root's opening line (and the channel's), up to where the root closes.
    start = 0
    for _ in range(2 if rss_format else 1):
        start = text.index(b"\n", start) + 1
    return text[start:-len(_CLOSING[rss_format])]


def _fill(fe: FeedEntry, config: Config, entry: Entry, rss_format: bool, labels: Labels, texts: Texts,
          photos: PhotoFiles | None = None, made: FeedItems | None = None) -> None:
    made = made or FeedItems()
    fe.guid(guid(config, entry), permalink=False)
    fe.title(xml_safe(entry.title))
    fe.link(href=config.absolute(entry.url), rel="alternate", type="text/html")
    if entry.date is not None:
        fe.published(_local(config, entry.date))
    fe.updated(_local(config, entry.modified or _NO_ITEMS))
    fe.modified.when = _local(config, entry.modified or _NO_ITEMS).isoformat()
    authors = _authors(config, entry)
    if rss_format:
        # RSS <author> must be an e-mail address; names go into dc:creator.
        for name in authors:
            fe.dc.dc_creator(xml_safe(name))
    else:
        fe.author([{"name": xml_safe(name)} for name in authors])
    for name in _categories(config, entry):
        fe.category(term=name)
    summary = _summary(config, entry, labels, texts, made)
    if summary:
        # Plain text; RSS readers take <description> as HTML, so there it is written as HTML text.
        fe.summary(xml_safe(escape(summary, quote=False) if rss_format else summary))
    if config.feeds.full_content:
        # content:encoded in RSS; in Atom the escaped HTML with type="html".
        html = _full_content(config, entry, labels, texts, made)
        if rss_format:
            # A CDATA section cannot hold "]]>" (a script's "a[b[0]]>c", a comparison in a
            # code sample): such a text is written escaped instead, the same to a reader.
            fe.content(html, type=None if "]]>" in html else "CDATA")
        else:
            fe.content(html, type="html")
    files = _enclosures(entry)
    fe.photos.items = media_of(entry, partial(absolute_url, config), photos)
    if rss_format and not files and fe.photos.items:
        lead = fe.photos.items[0]
        fe.enclosure(lead.url, str(lead.size), "image/jpeg")
    if rss_format and files:
        # RSS allows one <enclosure> per item; Media RSS carries them all.
        first = files[0]
        fe.enclosure(file_url(config, first.url), str(first.size), first.mime)
        for asset in files:
            fe.media.content({"url": file_url(config, asset.url), "fileSize": str(asset.size),
                              "type": asset.mime, "medium": _medium(asset)}, group=None)
    elif not rss_format:
        for asset in files:
            title = {"title": xml_safe(asset.title)} if asset.title else {}
            fe.extras.enclosures.append({"href": file_url(config, asset.url), "rel": "enclosure",
                                         "type": asset.mime, "length": str(asset.size), **title})


def _medium(asset: Asset) -> str:
    kind = asset.mime.split("/", 1)[0]
    return kind if kind in ("image", "audio", "video") else "document"


def rss(config: Config, feed: Feed, texts: Texts, photos: PhotoFiles | None = None,
        made: FeedItems | None = None) -> bytes:
    fg = _generator(config, feed, "feed.xml", "application/rss+xml", rss_format=True)
    return _with_items(config, feed, bytes(fg.rss_str(pretty=True)), True, texts, photos, made or FeedItems())


def atom(config: Config, feed: Feed, texts: Texts, photos: PhotoFiles | None = None,
         made: FeedItems | None = None) -> bytes:
    fg = _generator(config, feed, "atom.xml", "application/atom+xml", rss_format=False)
    return _with_items(config, feed, bytes(fg.atom_str(pretty=True)), False, texts, photos, made or FeedItems())


def json_feed(config: Config, feed: Feed, texts: Texts, photos: PhotoFiles | None = None,
              made: FeedItems | None = None) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written by hand: no library needed."""
    language = config.languages[feed.lang]
    data: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": config.absolute(feed.list_url),
        "feed_url": config.absolute(feed.url("feed.json")),
        "description": feed.description,
        "language": feed.lang,
        "authors": [{"name": language.title, "url": config.absolute(urls.home(config, feed.lang))}],
    }
    if config.logo:
        data["icon"] = absolute_url(config, config.logo)
    if config.feeds.hub:
        data["hubs"] = [{"type": "WebSub", "url": config.feeds.hub}]
    data["items"] = []
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if feed.entries:
        # The same bytes as dumping it all at once; each item is encoded once per worker.
        made = made or FeedItems()
        made.recall("json", feed.entries, config, feed.labels, photos, b"")
        items = ",\n".join(_json_item_text(config, entry, feed.labels, texts, photos, made)
                             for entry in feed.entries)
        text = text.removesuffix("[]\n}") + "[\n" + items + "\n  ]\n}"
    return (text + "\n").encode("utf-8")


def _json_item_text(config: Config, entry: Entry, labels: Labels, texts: Texts, photos: PhotoFiles | None,
                    made: FeedItems) -> str:
    text = made.json.get(entry, config, labels)
    if text is None:
        # Encoded JSON holds no raw line breaks inside strings: every one starts a line.
        encoded = json.dumps(_json_item(config, entry, labels, texts, photos, made), ensure_ascii=False, indent=2)
        text = made.json.keep(entry, config, "    " + encoded.replace("\n", "\n    "), labels)
        made.add("json", entry, config, labels, photos, b"", text)
    return text


def _json_item(config: Config, entry: Entry, labels: Labels, texts: Texts, photos: PhotoFiles | None,
               made: FeedItems) -> dict[str, Any]:
    item: dict[str, Any] = {"id": guid(config, entry), "url": config.absolute(entry.url),
                            "title": entry.title}
    contact = _contact(config, entry)
    summary = _words_of(config, entry, texts, made)
    if config.feeds.full_content:
        item["content_html"] = _full_content(config, entry, labels, texts, made)
    else:
        item["content_text"] = _summary_text(config, entry, labels, summary or entry.title)
    if summary:
        item["summary"] = summary
    if entry.date is not None:
        item["date_published"] = _local(config, entry.date).isoformat()
    if entry.modified is not None:
        item["date_modified"] = _local(config, entry.modified).isoformat()
    item["authors"] = [{"name": name} for name in _authors(config, entry)]
    item["tags"] = _categories(config, entry)
    item["language"] = entry.lang
    files = _enclosures(entry)
    if files:
        item["attachments"] = [{"url": file_url(config, a.url), "mime_type": a.mime,
                                "size_in_bytes": a.size, **({"title": a.title} if a.title else {})}
                               for a in files]
    pictures = json_photos(media_of(entry, partial(absolute_url, config), photos))
    if pictures:
        item["image"] = pictures.pop("image")
        item["attachments"] = [*item.get("attachments", []), *pictures.pop("attachments")]
        item.update(pictures)
    if contact is not None:
        item[EXTENSION] = {"press_contact": {key: value for key, value in (
            ("name", contact.name), ("phone", contact.phone), ("email", contact.email)) if value}}
    return item
