"""Permalinks, slugs and output paths. Everything here is a pure function of its inputs."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # only a type here: the nothing-changed build does not read the config whole
    from sitegen.config import Config

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
#: Between the parts of a term's name: what ``_NON_SLUG`` replaces, but only in ASCII.
_NOT_READ = re.compile(r"[^a-z0-9\x80-\U0010ffff]+")
_VARIATION_SELECTOR = re.compile(r"[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


#: The longest slug: an address people can read, and a folder name any file system takes.
MAX_SLUG = 80


@lru_cache(maxsize=1 << 16)  # the same tags and names are slugified again on every page
def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated: safe in any URL and any file system. Cut to
    ``MAX_SLUG`` characters; an explicit ``slug:`` that is longer is an error instead (see
    ``full_slug``), and addresses that a cut makes equal are reported as a clash."""
    return full_slug(text)[:MAX_SLUG].strip("-")


@lru_cache(maxsize=1 << 16)
def title_slug(title: str) -> str:
    """A new release's name from its title, for ``sitegen new`` and the desk alike: its slug, or
    for a title in a script no address spells ("政府 公告") "rilis" and the start of its hash,
    as a tag's page is named; "rilis" for a title not written yet."""
    return slugify(title) or (term_slug("rilis", title) if title.strip() else "rilis")


def apart(wanted: str, taken: Callable[[str], bool]) -> str:
    """``wanted``, else it with the first of -2, -3, ... for which ``taken`` (whether the address a
    slug gives is another release's) says no: a new release never stops the site over an
    address (the desk's drafts and ``sitegen new`` alike)."""
    slug, n = wanted, 2
    while taken(slug):
        slug, n = f"{wanted}-{n}", n + 1
    return slug


def term_slug(kind: str, name: str) -> str:
    """The slug of a tag, category or unit named ``name``, the same every build whatever other
    terms the site has. Names are one term, with one page, when they read the same: the same
    letters and digits in the same order, whatever their case, accents, spacing and
    punctuation ("Banjir" and "banjir", "Rapat-Koordinasi" and "Rapat Koordinasi").

    - A name ``slugify`` takes whole: its slug (``jakarta``, ``cafe``, ``hari-bhayangkara``).
    - A name it leaves nothing ("政府", "!!!", an emoji): the kind and the start of the
      name's SHA-256 (``tag-c492716d``), so that the term still has its own page and its
      links lead there (never to the list of all tags).
    - A name of which it drops part that tells names apart (letters it cannot spell in
      ASCII, digits, symbols: "政府 Jakarta", "Łódź", "30°C"): its slug and the start of the
      SHA-256 of its ``term_key`` (``jakarta-1a2b3c4d``), so that it does not share
      "Jakarta"'s page.
    - A name whose ``term_key`` a URL holds whole, though ``slugify`` drops part of it
      ("Straße" reads "strasse"): that key, so that it shares the page of the names that
      read the same ("Strasse"), not one of its own."""
    slug = full_slug(name)
    key = term_key(name)
    if not slug:
        return f"{kind}-" + _short_hash(key)
    if key == slug:
        return slugify(name)
    if _SLUG_ONLY.fullmatch(key):
        return key[:MAX_SLUG].rstrip("-")
    return slug[:MAX_SLUG - 9].rstrip("-") + "-" + _short_hash(key)


_SLUG_ONLY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def term_key(name: str) -> str:
    """What makes a term: names of one kind with the same key are one term, with one page;
    names with different keys that meet at one slug all the same (cut at ``MAX_SLUG``, or
    a hash met) are an error where they are found (``sitegen.assemble``).

    The name read as ``full_slug`` reads it, but keeping what that drops and is part of what
    the name says (letters beyond ASCII, digits, symbols, emoji), casefolded: for a name it
    takes whole, its full slug. Dropped as there: case, the accents of ASCII letters ("é"
    reads "e"), spaces, punctuation, invisible characters (a soft hyphen), and variation
    selectors, which only choose how the character before looks (🏛️ and 🏛 are one emoji).
    A mark after a kept letter is kept: in Devanagari or Arabic it is part of the word. A
    name ``full_slug`` leaves nothing keeps what its hash has always been made of: all of it,
    casefolded, its spaces made one ("!!!" and "?" are two terms)."""
    if not full_slug(name):
        return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    kept: list[str] = []
    after_kept = False
    for char in unicodedata.normalize("NFKD", name):
        category = unicodedata.category(char)
        if char < "\x80":
            kept.append(char.lower())
            after_kept = False
        elif category[0] == "M":
            if after_kept and not _VARIATION_SELECTOR.match(char):
                kept.append(char)
        elif category[0] in "ZP" or category in ("Cc", "Cf"):
            after_kept = False
        else:  # letters, numbers, symbols; and unassigned, as an emoji newer than this Python is
            kept.append(char.casefold())
            after_kept = True
    return _NOT_READ.sub("-", "".join(kept)).strip("-")


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def full_slug(text: str) -> str:
    """``slugify`` without the cut."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def default_slug(file_key: str) -> str:
    """A file ``2024-05-30-rapat-koordinasi`` gets the slug ``rapat-koordinasi``."""
    return slugify(_DATE_PREFIX.sub("", file_key)) or slugify(file_key) or "item"


def lang_prefix(config: Config, lang: str) -> str:
    return "" if lang == config.default_language else f"/{lang}"


def home(config: Config, lang: str) -> str:
    return lang_prefix(config, lang) + "/"


def expand(config: Config, kind: str, lang: str, **values: str) -> str:
    """Fill the permalink pattern of ``kind``; values are slugs already."""
    path = config.permalinks[kind]
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    path = re.sub(r"/+", "/", path)
    return lang_prefix(config, lang) + path


def article_url(config: Config, lang: str, section: str, slug: str, key: str,
                date: datetime | None) -> str:
    # The digits as written, not on the site's clock: an address, once published, must not
    # move (a date written in UTC may fall on another day in Jakarta, and a site that changed
    # its timezone would have moved every such release). The yearly archive follows the clock.
    when = date or datetime(1970, 1, 1)  # noqa: DTZ001 - only the digits are used
    if section == "pages":
        return expand(config, "page", lang, slug=slug, key=slugify(key))
    return expand(config, "article", lang, section=slugify(section), slug=slug, key=slugify(key),
                  year=f"{when.year:04d}", month=f"{when.month:02d}", day=f"{when.day:02d}")


def paginated(url: str, page: int) -> str:
    """Page 1 is the list itself; page n lives at ``<list>/page/<n>/``."""
    return url if page == 1 else f"{url}page/{page}/"


def output_path(url: str) -> str:
    """Site path → file path inside the output folder (``/a/b/`` → ``a/b/index.html``)."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path


def is_safe_path(path: str) -> bool:
    """A relative output path that cannot climb out of the output folder: not absolute, no
    backslash or NUL, and no empty, "." or ".." part. (Substring tests: this runs for every
    output of every build, and a regex for it was much slower.)"""
    wrapped = f"/{path}/"
    return not ("//" in wrapped or "/./" in wrapped or "/../" in wrapped or "\\" in path or "\x00" in path)


FEED_FILES = (("feed.xml", "application/rss+xml", "RSS"),
              ("atom.xml", "application/atom+xml", "Atom"),
              ("feed.json", "application/feed+json", "JSON Feed"))


def feed_url(list_url: str, filename: str) -> str:
    """Feeds of a list live beside it: ``/berita/`` → ``/berita/feed.xml``."""
    return list_url + filename


#: What a URL keeps as it is when it is made valid: the characters a URL may hold, and "%",
#: so that an address already percent-encoded is not encoded twice.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def web_address(url: str) -> str:
    """``url`` as a valid URL: what a URL may not hold (a space, "Ü", a quote) percent-encoded
    as UTF-8; what is already percent-encoded stays as it is. Files are uploaded as "Siaran
    Pers (final).pdf", and an aggregator drops an enclosure or link whose URL has a space in
    it (an HTML checker calls it an error in a page)."""
    return quote(url, safe=_URL_SAFE)


#: What a URL's path holds as it is (RFC 3986's pchar, and "/"): not "?", "#" or "%".
_PATH_SAFE = "/:@!$&'()*+,;=~"


def file_address(path: str) -> str:
    """A file's path in the site as the path of its address: every character a path may not
    hold as it is percent-encoded, '#', '?' and '%' too (a file uploaded as "surat #1.pdf" is
    /files/surat%20%231.pdf). Unlike web_address, for a path that is a file's name, never an
    address someone wrote."""
    return quote(path, safe=_PATH_SAFE)


def own_path(address: str, base_url: str) -> str | None:
    """The path from the site's root that ``address`` names when it is the site's own full
    address (``base_url`` + ``images/f.jpg``, copied from the published site:
    ``/images/f.jpg``); None for any other address."""
    if base_url and address.startswith(base_url):
        return "/" + address[len(base_url):].lstrip("/")
    return None


def is_utf8(name: str) -> bool:
    """Whether ``name``, a file name as the system gave it, was UTF-8, as an address needs
    (other bytes come as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def readable(name: str) -> str:
    """``name`` as a message can print it: bytes that were not UTF-8 written as ``\\xe9``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
