"""config.yaml → frozen, typed settings. Unknown keys and wrong types name their line.

Each section of config.yaml is a frozen dataclass below, declared once: its fields are the
keys that section accepts (anything else is an error with a "did you mean"), their types
say how a value is read, and each field's ``doc`` is what the README's config reference
says about it. A field whose value needs more than a type check names a small reader of
its own (``read=``); everything else is read by ``_read_section``.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, get_type_hints
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from sitegen import oserrors, yamlmarks
from sitegen.configmemo import CONFIG_FILE as CONFIG_FILE
from sitegen.configmemo import source_digest
from sitegen.content.frontmatter import strip_controls
from sitegen.errors import ConfigError, Diagnostic, Report, shown_value
from sitegen.messages import LANGUAGES, N_, _

DEFAULT_PERMALINKS: dict[str, str] = {
    "article": "/{section}/{year}/{slug}/",
    "page": "/{slug}/",
    "section": "/{section}/",
    "tag": "/tags/{slug}/",
    "category": "/categories/{slug}/",
    "unit": "/units/{slug}/",
    "archive": "/archive/{year}/",
}
PERMALINK_TOKENS: dict[str, set[str]] = {
    "article": {"section", "year", "month", "day", "slug", "key"},
    "page": {"slug", "key"},
    "section": {"section"},
    "tag": {"slug"},
    "category": {"slug"},
    "unit": {"slug"},
    "archive": {"year"},
}

KeyPath = tuple[str | int, ...]
FieldReader = Callable[["_Reader", Any, KeyPath], Any]


def setting(default: Any = dataclasses.MISSING, *, doc: str, factory: Callable[[], Any] | None = None,
            read: FieldReader | None = None, minimum: int = 1, required: bool = False, outputs: bool = True) -> Any:
    """A config key: its default, what it means (for the README) and, if needed, its own reader.
    ``outputs=False`` marks a key no page or feed depends on, so changing it re-renders nothing."""
    metadata = {"doc": doc, "read": read, "minimum": minimum, "required": required, "outputs": outputs}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def _known_locale(locale: str) -> bool:
    try:
        Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _read_locale(r: _Reader, value: Any, kp: KeyPath) -> str | None:
    locale = r.string(value, kp)
    if locale is None:
        return None
    if not _known_locale(locale):
        r.error(kp, _("unknown locale '{locale}'").format(locale=locale), _("use a locale like id_ID or en_US"))
        return "en"
    return locale.replace("-", "_")


#: Keys someone may write a deploy password under: answered with how deploy signs in instead.
_SECRETS = frozenset({"password", "passwd", "pass", "passphrase", "secret", "kata_sandi"})


@dataclass(frozen=True, slots=True)
class Language:
    """One entry of ``languages:``, keyed by its code (``id``, ``en``)."""

    code: str = setting("", doc="the language code (the key above these settings); not written here")
    name: str = setting("", doc="the language's name in itself, shown in the language switcher (default: the code)")
    locale: str = setting("", read=_read_locale,
                          doc="the Babel locale for dates and numbers, like id_ID or en_US (default: the code)")
    title: str = setting("", required=True, doc="the site's title in this language (required): header, feeds, "
                                                "datelines without an agency")
    description: str = setting("", doc="one sentence about the site in this language: meta description and feeds")

    @property
    def og_locale(self) -> str:
        """The locale as Open Graph names one, language_TERRITORY (``og:locale``)."""
        return _with_territory(self.locale or self.code)


@functools.lru_cache(maxsize=32)
def _with_territory(locale: str) -> str:
    """``locale`` with a territory: a language alone (``locale:`` left out, the code standing
    in) gets the one Unicode's likely subtags give it, ``id`` → ``id_ID``."""
    try:
        parsed = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        parsed = None
    if parsed is not None and parsed.territory:
        return locale
    table = get_global("likely_subtags")
    likely = str(table.get(locale) or table.get(locale.split("_")[0]) or "").split("_")
    territory = next((part for part in likely[1:] if part.isupper() and part.isalpha() and len(part) == 2), "")
    return f"{locale.split('_')[0]}_{territory}" if territory else locale


@dataclass(frozen=True, slots=True)
class Contact:
    """A press contact as a page shows it: a release's own (``contact:`` in its front matter),
    or the office's of config.yaml in the page's language (``OfficeContact.shown``)."""

    name: str = ""
    phone: str = ""
    email: str = ""
    #: the name's language where it is not the page's: the default language's name standing in
    name_lang: str | None = None

    def __bool__(self) -> bool:
        return bool(self.name or self.phone or self.email)


_WEB_ADDRESS = re.compile(r"^https?://[^/\s?#]+[^\s]*$")


def _read_hub(r: _Reader, value: Any, kp: KeyPath) -> str | None:
    """A WebSub hub: written into every feed as a link, so a whole web address."""
    hub = r.string(value, kp)
    if hub is not None and not _WEB_ADDRESS.match(hub):
        r.error(kp, _("'{key}' must be a web address starting with https:// (or http://), not '{value}'")
                .format(key=_name(kp), value=hub), _("write the whole address, starting with https://"))
        return None
    return hub or None


@dataclass(frozen=True, slots=True)
class Feeds:
    """``feeds:``: the RSS, Atom and JSON feeds of every list."""

    items: int = setting(20, doc="how many of the newest releases each feed carries")
    full_content: bool = setting(True, doc="true: the whole release in each item; false: the summary only")
    hub: str | None = setting(None, read=_read_hub, doc="a WebSub hub URL announced in every feed (optional)")


@dataclass(frozen=True, slots=True)
class MarkdownSettings:
    """``markdown:``: how release bodies are converted."""

    unsafe_html: bool = setting(True, doc="true: raw HTML in Markdown is kept (staff are trusted); "
                                          "false: it goes through the nh3 sanitizer")


def _read_require(r: _Reader, value: Any, kp: KeyPath) -> dict[str, tuple[str, ...]]:
    policy: dict[str, tuple[str, ...]] = {}
    for section, langs in r.mapping(value, kp, None).items():
        if not isinstance(langs, list) or not all(isinstance(x, str) for x in langs):
            r.error((*kp, section), _("'translations.require.{section}' must be a list of language codes")
                    .format(section=section), _("write it like  {section}: [en]").format(section=section))
            continue
        policy[str(section)] = tuple(langs)
    return policy


@dataclass(frozen=True, slots=True)
class Translations:
    """``translations:``: which releases must exist in which languages."""

    require: Mapping[str, tuple[str, ...]] = setting(
        factory=dict, read=_read_require,
        doc="per section, the languages each of its releases must have, like  siaran-pers: [en]; "
            "`sitegen check --translations` fails on a release that breaks it")


def read_texts(r: _Reader, value: Any, kp: KeyPath) -> dict[str, str]:
    """A text for every language (``Jl. Sudirman 1``) or one per language code
    (``{id: Senin-Jumat, en: Monday to Friday}``); stored by code, ``*`` for every language."""
    if value is None:
        return {}
    if isinstance(value, dict):
        languages = r.data.get("languages")
        written = {str(code) for code in languages} if isinstance(languages, dict) else None
        return {str(code): r.string(text, (*kp, code)) or ""
                for code, text in r.mapping(value, kp, written).items()}
    text = r.string(value, kp)
    return {"*": text} if text else {}


class Text(NamedTuple):
    """A text of ``read_texts`` as one language's pages show it, and the language it is in."""

    text: str
    #: ``lang`` for the language's own text, for the one for every language (written to fit
    #: every page, like an address) and for nothing; the default language's code where its
    #: text stands in, so the page can mark it (WCAG 3.1.2: read in the right language)
    lang: str

    def lang_apart_from(self, page_lang: str) -> str | None:
        """The text's language where it is not ``page_lang``'s (its element then says
        ``lang="..."``), else None."""
        return self.lang if self.lang != page_lang else None


def text_in(texts: Mapping[str, str], lang: str, default_language: str = "") -> Text:
    """The text of ``read_texts`` for ``lang``: its own, else the one for every language,
    else the default language's, else nothing."""
    own = texts.get(lang) or texts.get("*")
    if not own and texts.get(default_language):
        return Text(texts[default_language], default_language)
    return Text(own or "", lang)


@dataclass(frozen=True, slots=True)
class OfficeContact:
    """``contact:``: the press contact shown under every release (a release may name its own)."""

    name: Mapping[str, str] = setting(factory=dict, read=read_texts,
                                      doc="the contact's name or office: one text for every language or one "
                                          "per language code, like  {id: Subbagian Humas, en: Public Relations}")
    phone: str = setting("", doc="telephone number, written as it should be shown (quote it)")
    email: str = setting("", doc="e-mail address")

    def __bool__(self) -> bool:
        return bool(self.name or self.phone or self.email)

    def shown(self, lang: str, default_language: str) -> Contact:
        """The contact on ``lang``'s pages: the name in that language, else the default
        language's, marked as such."""
        name = text_in(self.name, lang, default_language)
        return Contact(name.text, self.phone, self.email, name.lang_apart_from(lang) if name.text else None)


_LINK = re.compile(r"^(https?://[^/\s?#]+[^\s]*|/[^\s]*|mailto:[^\s]+)$")


def _read_link(r: _Reader, value: Any, kp: KeyPath) -> str | None:
    link = r.string(value, kp)
    if link == "":  # written empty: the link is left out
        return link
    if link is not None and not _LINK.match(link):
        r.error(kp, _("'{key}' must be a web address like https://... or a site path like /ppid/, not '{value}'")
                .format(key=_name(kp), value=link), _("write the whole address, starting with https://"))
        return None
    return link


@dataclass(frozen=True, slots=True)
class SocialLink:
    """One of ``footer.social``: a social-media account of the office."""

    name: str = setting("", required=True, doc="the network's name as shown, like Instagram")
    url: str = setting("", required=True, read=_read_link, doc="the account's address, like https://www.instagram.com/...")


def _read_social(r: _Reader, value: Any, kp: KeyPath) -> tuple[SocialLink, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        r.error(kp, _("'{key}' must be a list of  {{name: ..., url: ...}}  entries, not {kind}")
                .format(key=_name(kp), kind=_kind(value)),
                _("write one line per account, like  - {{name: Instagram, url: https://www.instagram.com/...}}")
                .format())
        return ()
    links = [_read_account(r, item, (*kp, index)) for index, item in enumerate(value)]
    return tuple(link for link in links if link is not None and link.name and link.url)


def _read_account(r: _Reader, item: Any, kp: KeyPath) -> SocialLink | None:
    # One error for an item that is no account at all, not also "missing name" and "missing url".
    if not isinstance(item, dict):
        r.error(kp, _("'{key}' must be an account with a name and a url, not {kind}")
                .format(key=_name(kp), kind=_kind(item)),
                _("write it like  - {{name: Instagram, url: https://www.instagram.com/...}}").format())
        return None
    link: SocialLink = _read_section(r, SocialLink, item, kp)
    return link


_SITE_PATH = re.compile(r"^/(?!/)\S*$")


def _read_picture(r: _Reader, value: Any, kp: KeyPath) -> str | None:
    """A picture of static/, from the site's root: every page's header shows it as written,
    and feeds put base_url before it, so a relative path or a web address breaks both. That
    the file is there is checked once the theme is known (build.missing_pictures)."""
    path = r.string(value, kp)
    if path and not _SITE_PATH.match(path):
        r.error(kp, _("'{key}' must be a path in static/ starting with /, like /images/logo.png, not '{value}'")
                .format(key=_name(kp), value=path), _("write the file's path from the static/ folder, starting with /"))
        return None
    return path or None


@dataclass(frozen=True, slots=True)
class Brand:
    """``brand:``: the header's emblem and the office's name on two lines. Each text is one
    text for every language or one per language code, like  {id: ..., en: ...}."""

    emblem: str | None = setting(None, read=_read_picture,
                                 doc="the picture beside the name in the header, a path in static/ "
                                     "(an SVG stays sharp); default: logo")
    parent: Mapping[str, str] = setting(factory=dict, read=read_texts,
                                        doc="the first, smaller line: the ministry or government the office "
                                            "belongs to (default: none)")
    name: Mapping[str, str] = setting(factory=dict, read=read_texts,
                                      doc="the second, larger line: the office's own name "
                                          "(default: the language's title)")


@dataclass(frozen=True, slots=True)
class Footer:
    """``footer:``: the office's details at the foot of every page. Texts are one text for
    every language or one per language code, like  {id: ..., en: ...}."""

    address: Mapping[str, str] = setting(factory=dict, read=read_texts, doc="the office's postal address")
    phone: str = setting("", doc="telephone number, written as it should be shown (quote it)")
    email: str = setting("", doc="the office's public e-mail address")
    hours: Mapping[str, str] = setting(factory=dict, read=read_texts,
                                       doc="opening hours of the public service, like  Senin-Jumat 08.00-16.00 WIB")
    social: tuple[SocialLink, ...] = setting(factory=tuple, read=_read_social,
                                             doc="social-media accounts, a list of  {name: ..., url: ...}")
    ppid: str | None = setting(None, read=_read_link,
                               doc="the address of the office's PPID (public information service) page")
    lapor: str | None = setting("https://www.lapor.go.id/", read=_read_link,
                                doc="the address of LAPOR!, the national public complaint service")
    copyright: Mapping[str, str] = setting(factory=dict, read=read_texts,
                                           doc="the copyright line; {year} becomes the year of the build "
                                               "(default: © {year} and the office's name)")
def _read_deploy_url(r: _Reader, value: Any, kp: KeyPath) -> str:
    from sitegen.deploy.endpoint import BadUrl, parse_url

    url = r.string(value, kp)
    if url is None:
        return ""
    try:
        parse_url(url)
    except BadUrl as exc:
        r.error(kp, exc.message, exc.hint)
    return url


@dataclass(frozen=True, slots=True)
class DeployTarget:
    """One entry of ``deploy:``, keyed by the target's name (``sitegen deploy NAME``)."""

    name: str = setting("", doc="the target's name (the key above these settings); not written here")
    url: str = setting("", required=True, read=_read_deploy_url,
                       doc="where the site goes: ssh://user@host:port/path (rsync over OpenSSH, else SFTP) "
                           "or file:///path (a mounted folder); never a password")
    keep: int = setting(5, doc="how many releases stay on the server (the live one and the one before it "
                               "always do)")
    identity_file: str | None = setting(None, doc="the private key to log in with (default: ssh-agent and "
                                                  "~/.ssh/id_*); it must have no passphrase or be in ssh-agent")
    known_hosts: str | None = setting(None, doc="the known_hosts file the server's key is checked against "
                                                "(default: ~/.ssh/known_hosts)")


_TARGET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _read_deploy(r: _Reader, value: Any, kp: KeyPath) -> dict[str, DeployTarget]:
    targets: dict[str, DeployTarget] = {}
    for name, spec in r.mapping(value, kp, None).items():
        if not isinstance(name, str) or not _TARGET_NAME.match(name):
            r.error((*kp, name), _("deploy target name '{name}' must be letters, digits, '-', '_' or '.'").format(
                name=name), _("write it like  production:"))
            continue
        read = _read_section(r, DeployTarget, spec, (*kp, name), skip={"name"})
        targets[name] = dataclasses.replace(read, name=name)
    return targets


#: Image formats sitegen writes, best first (sitegen.images); JPEG is always made.
IMAGE_FORMATS = ("avif", "webp", "jpeg")


def _read_widths(r: _Reader, value: Any, kp: KeyPath) -> tuple[int, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(
            isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= 8000 for w in value):
        r.error(kp, _("'{key}' must be a list of widths in pixels between 16 and 8000, not {value}").format(
            key=_name(kp), value=_show(value)), _("write it like  widths: [480, 800, 1200, 1600]"))
        return None
    return tuple(sorted(set(value)))


def _read_formats(r: _Reader, value: Any, kp: KeyPath) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    unknown = [f for f in items if not isinstance(f, str) or f.lower() not in IMAGE_FORMATS]
    if unknown or not items:
        r.error(kp, _("'{key}' names {value}, not an image format sitegen writes").format(
            key=_name(kp), value=_show(unknown[0]) if unknown else "[]"),
            _("write it like  formats: [webp, jpeg]  (avif too, if you want it)"))
        return None
    chosen = {f.lower() for f in items} | {"jpeg"}  # the fallback every browser reads
    return tuple(f for f in IMAGE_FORMATS if f in chosen)


def _read_percent(r: _Reader, value: Any, kp: KeyPath) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        r.error(kp, _("'{key}' must be a number from 1 to 100, not {value}").format(key=_name(kp), value=_show(value)),
                _("write it like  {key}: {example}").format(key=kp[-1], example=90))
        return None
    return value


@dataclass(frozen=True, slots=True)
class ImageQuality:
    """``images.quality:``: encoder quality per format, from 1 to 100."""

    jpeg: int = setting(80, read=_read_percent, doc="JPEG versions (the fallback and the Open Graph picture)")
    webp: int = setting(75, read=_read_percent, doc="WebP versions")
    avif: int = setting(55, read=_read_percent, doc="AVIF versions, when made")


def _read_quality(r: _Reader, value: Any, kp: KeyPath) -> ImageQuality | None:
    if isinstance(value, int) and not isinstance(value, bool):
        number = _read_percent(r, value, kp)
        return None if number is None else ImageQuality(number, number, number)
    return None if value is None else _read_section(r, ImageQuality, value, kp)


@dataclass(frozen=True, slots=True)
class Images:
    """``images:``: how photos are published (lead, gallery and in the text; see sitegen.images)."""

    widths: tuple[int, ...] = setting((480, 800, 1200, 1600), read=_read_widths,
                                      doc="widths in pixels of each photo's responsive versions; never above "
                                          "the original's width")
    formats: tuple[str, ...] = setting(
        ("avif", "webp", "jpeg"), read=_read_formats,
        doc="formats of the versions, from avif, webp and jpeg; JPEG is always made, AVIF only where the "
            "installed Pillow writes it (it is skipped, with no error, elsewhere)")
    quality: ImageQuality = setting(factory=ImageQuality, read=_read_quality,
                                    doc="encoder quality from 1 to 100 per format (below); one number sets all")
    full_quality: int = setting(90, read=_read_percent,
                                doc="quality of the full-size download JPEG where it must be encoded again "
                                    "(a photo to turn upright, or one that is not a JPEG)")
    max_megapixels: int = setting(120, doc="larger images are refused (Pillow's decompression-bomb limit)")

    @property
    def max_pixels(self) -> int:
        return self.max_megapixels * 1_000_000

    def fingerprint(self) -> str:
        """What the derivatives' bytes depend on."""
        return repr((self.widths, self.formats, self.quality, self.full_quality))


def _port_ok(url: str) -> bool:
    """Whether the web address's port, if it names one, is a port (1 to 65535)."""
    try:
        return urlsplit(url).port != 0
    except ValueError:  # ':abc', ':99999'
        return False


def _base_url_problem(url: str) -> tuple[str, str]:
    return (_("base_url '{url}' must start with https:// (or http://) and name a host").format(url=url),
            _("write it like https://humas.example.go.id/"))


def _read_base_url(r: _Reader, value: Any, kp: KeyPath) -> str:
    base_url = r.string(value, kp) or ""
    if base_url and not (re.match(r"^https?://[^/\s?#@]+(/[^\s?#]*)?$", base_url) and _port_ok(base_url)):
        # no user:password@ (it would be in every page and feed) and no port that cannot be
        problem = _base_url_problem(base_url)
        if r.overridden_base_url:
            r.report.error("--base-url", None, *problem)
        else:
            r.error(kp, *problem)
    return base_url.rstrip("/") + "/"


_LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PERMALINK = re.compile(r"^/[A-Za-z0-9_.{}/-]*$")
#: A permalink ending as a web page's file name does (a dot in a folder's name, v1.0, is one)
_FILE_NAME = re.compile(r"\.(?:html?|php|aspx?|jsp|cfm|shtml|xml|json|txt)/?$", re.IGNORECASE)
_FOLDER_NAME = re.compile(r"^(?!\.)[A-Za-z0-9_.-]+$")


def _read_languages(r: _Reader, value: Any, kp: KeyPath) -> dict[str, Language]:
    if value is None:
        r.error(kp, _("missing required setting '{key}'").format(key="languages"), _(_EXAMPLES["languages"]))
        return {}
    languages: dict[str, Language] = {}
    for code, spec in r.mapping(value, kp, None).items():
        if not isinstance(code, str) or not _LANG_CODE.match(code):
            r.error((*kp, code), _("language code '{code}' is not a language code like 'id' or 'en'").format(code=code),
                    _("use the two- or three-letter code in lower case"))
            continue
        read = _read_section(r, Language, spec, (*kp, code), skip={"code"})
        if not read.locale and not _known_locale(code):  # the code stands for the locale: min, say
            r.error((*kp, code), _("'{code}' is no locale that dates and numbers can be written in").format(code=code),
                    _("add the locale of a language written alike, like  locale: id_ID"))
        languages[code] = dataclasses.replace(read, code=code, name=read.name or code, locale=read.locale or code)
    if isinstance(value, dict) and not value:
        r.error(kp, _("at least one language must be configured"), _(_EXAMPLES["languages"]))
    return languages


def _read_timezone(r: _Reader, value: Any, kp: KeyPath) -> str:
    timezone = r.string(value, kp) or "Asia/Jakarta"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.error(kp, _("unknown timezone '{timezone}'").format(timezone=timezone),
                _("use an IANA name such as Asia/Jakarta"))
        return "UTC"
    return timezone


def _read_sections(r: _Reader, value: Any, kp: KeyPath) -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    # Codes as written: a language already reported as invalid is not reported again here.
    languages = r.data.get("languages")
    written = {str(code) for code in languages} if isinstance(languages, dict) else set()
    for name, names in r.mapping(value, kp, None).items():
        names = r.mapping(names, (*kp, name), written or None)
        sections[str(name)] = {lang: r.string(v, (*kp, name, lang)) or "" for lang, v in names.items()}
    return sections


def _read_permalinks(r: _Reader, value: Any, kp: KeyPath) -> dict[str, str]:
    permalinks = dict(DEFAULT_PERMALINKS)
    for kind, pattern in r.mapping(value, kp, set(DEFAULT_PERMALINKS)).items():
        text = r.string(pattern, (*kp, kind))
        if text is None or kind not in PERMALINK_TOKENS:
            continue
        unknown = set(re.findall(r"\{(\w+)\}", text)) - PERMALINK_TOKENS[kind]
        if unknown or not _PERMALINK.match(text) or ".." in text:
            r.error((*kp, kind), _("permalink '{pattern}' is not valid").format(pattern=text),
                    _("start with / and use only letters, digits, - and {tokens}").format(
                        tokens=", ".join(f"{{{t}}}" for t in sorted(PERMALINK_TOKENS[kind]))))
            continue
        if _FILE_NAME.search(text):  # /{slug}.html: the page would be the folder slug.html/
            r.error((*kp, kind), _("permalink '{pattern}' names a file, but every page is a folder with its "
                                   "index.html").format(pattern=text),
                    _("end it with /, like  {example}").format(example=DEFAULT_PERMALINKS[kind]))
            continue
        problem = _indistinct(kind, text)
        if problem:
            r.error((*kp, kind), *problem)
            continue
        permalinks[kind] = text if text.endswith("/") else text + "/"
    return permalinks


#: The tokens that tell one page of a kind from the next (one of them must be in its pattern)
PERMALINK_DISTINCT: dict[str, tuple[str, ...]] = {
    "article": ("slug", "key"), "page": ("slug", "key"), "section": ("section",), "tag": ("slug",),
    "category": ("slug",), "unit": ("slug",), "archive": ("year",)}
#: Kinds with a page that lists every one of them, at the pattern with its token left out
_INDEXED = ("tag", "category", "unit", "archive")


def _indistinct(kind: str, pattern: str) -> tuple[str, str] | None:
    """What is wrong with a valid ``pattern`` for ``kind`` that would put two pages at one
    address (message, hint), else None. Found by the build, these were clashes of two outputs
    named by the output's path (/index.html) or by content files whose slugs it never used."""
    tokens = PERMALINK_DISTINCT[kind]
    if not any("{" + token + "}" in pattern for token in tokens):
        return (_("permalink '{pattern}' gives every '{kind}' one address").format(pattern=pattern, kind=kind),
                _("put {tokens} in it, as in  {example}").format(
                    tokens=_(" or ").join("{" + token + "}" for token in tokens), example=DEFAULT_PERMALINKS[kind]))
    if kind in _INDEXED and re.sub(r"\{\w+\}|/", "", pattern) == "":
        return (_("permalink '{pattern}' puts the index of '{kind}' pages at /, the home page's address").format(
                    pattern=pattern, kind=kind),
                _("begin it with a folder of its own, as in  {example}").format(example=DEFAULT_PERMALINKS[kind]))
    return None


def _read_theme(r: _Reader, value: Any, kp: KeyPath) -> str:
    theme = r.string(value, kp) or "humas"
    if not _FOLDER_NAME.match(theme):  # a theme is a folder under themes/, never a path out of it
        r.error(kp, _("theme '{theme}' is not a folder name").format(theme=theme),
                _("write the name of a folder in themes/"))
    return theme


def _read_ui_language(r: _Reader, value: Any, kp: KeyPath) -> str | None:
    language = r.string(value, kp)
    if language is not None and language not in LANGUAGES:
        r.error(kp, _("ui_language '{value}' is not a language sitegen speaks").format(value=language),
                _("write  ui_language: id  or  ui_language: en"))
        return None
    return language


@dataclass(frozen=True, slots=True)
class Config:
    """The whole of config.yaml. Only ``base_url``, ``default_language`` and ``languages`` are required."""

    base_url: str = setting("", required=True, read=_read_base_url,
                            doc="the public address of the site, like https://humas.example.go.id/, or "
                                "https://kemenkumham.go.id/sumbar/ for a site in a folder of its host (required)")
    default_language: str = setting("", required=True, doc="the code of the language served at / (required)")
    languages: Mapping[str, Language] = setting(factory=dict, read=_read_languages,
                                                doc="one group of settings per language code (required)")
    timezone: str = setting("Asia/Jakarta", read=_read_timezone,
                            doc="IANA timezone for dates without an offset and for the clock (WIB: Asia/Jakarta)")
    sections: Mapping[str, Mapping[str, str]] = setting(
        factory=dict, read=_read_sections,
        doc="per section folder, its name in each language, like  berita: {id: Berita, en: News}; "
            "menus follow this order")
    permalinks: Mapping[str, str] = setting(
        factory=lambda: dict(DEFAULT_PERMALINKS), read=_read_permalinks,
        doc="URL patterns per kind: article, page, section, tag, category, unit, archive")
    paginate: int = setting(10, doc="releases per list page")
    theme: str = setting("humas", read=_read_theme, doc="a folder in themes/ (the site's, then the bundled ones)")
    output_dir: str = setting("public", doc="where `sitegen build` writes the site, relative to the site folder")
    feeds: Feeds = setting(factory=Feeds, doc="feed settings (below)")
    contact: OfficeContact = setting(factory=OfficeContact, doc="the default press contact (below)")
    markdown: MarkdownSettings = setting(factory=MarkdownSettings, doc="Markdown settings (below)")
    logo: str | None = setting(None, read=_read_picture,
                               doc="the office's logo or emblem, a path in static/ like /images/logo.png")
    social_cards: bool = setting(True, doc="draw a share picture for each release without a lead photo")
    translations: Translations = setting(factory=Translations, doc="the translation rule (below)")
    brand: Brand = setting(factory=Brand, doc="the header's emblem and two-line office name (below)")
    footer: Footer = setting(factory=Footer, doc="the office's details at the foot of every page (below)")
    deploy: Mapping[str, DeployTarget] = setting(factory=dict, read=_read_deploy, outputs=False,
                                                 doc="publishing targets for `sitegen deploy`, by name (below)")
    images: Images = setting(factory=Images, doc="photo settings (below)")
    ui_language: str | None = setting(
        None, read=_read_ui_language, outputs=False,
        doc="the language of sitegen's own messages, `sitegen status` and the desk: id or en "
            "(default: the system locale's for messages and `status`, see \"Messages in Indonesian or English\"; "
            "where the locale names no language, the desk follows each browser's, else `default_language`)")
    #: Hash of every setting the outputs read (not ``deploy`` or ``ui_language``): outputs depend
    #: on it. Not a key of config.yaml.
    fingerprint: str = dataclasses.field(default="", metadata={"key": False})
    #: The digest of the config.yaml bytes read (sitegen.configmemo): not a setting, so two
    #: configs that differ only in comments are equal. Not a key of config.yaml.
    source: str = dataclasses.field(default="", compare=False, metadata={"key": False})

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def language_codes(self) -> tuple[str, ...]:
        """Default language first, then the others in the order configured."""
        rest = [code for code in self.languages if code != self.default_language]
        return (self.default_language, *rest)

    def section_name(self, section: str, lang: str) -> str:
        return self.section_text(section, lang).text

    def section_text(self, section: str, lang: str) -> Text:
        """A section's name on ``lang``'s pages: its own, else the default language's (with
        that language, so pages can mark it), else its folder's name."""
        name = text_in(self.sections.get(section, {}), lang, self.default_language)
        return name if name.text else Text(section.replace("-", " ").title(), lang)

    def absolute(self, url: str) -> str:
        return self.base_url.rstrip("/") + "/" + url.lstrip("/")

    @property
    def base_path(self) -> str:
        """The folder of its host that the site is published in: ``/``, or ``/humas/`` for
        ``https://host/humas/``; percent-encoded, so it can stand in an HTML attribute as it is."""
        return quote(urlsplit(self.base_url).path or "/", safe="/%:@!$()*+,;=-._~")


def keys(cls: type) -> list[dataclasses.Field[Any]]:
    """The config keys a section accepts, in the order they are declared."""
    return [f for f in dataclasses.fields(cls) if f.metadata.get("key", True)]


class _Reader:
    """Typed access to the parsed YAML that reports problems with their line."""

    def __init__(self, loaded: yamlmarks.Loaded, data: dict[str, Any], path: str, report: Report,
                 overridden_base_url: bool) -> None:
        self.loaded, self.data, self.path, self.report = loaded, data, path, report
        self.overridden_base_url = overridden_base_url

    def error(self, keypath: KeyPath, message: str, hint: str | None = None) -> None:
        """The line of ``keypath``, else of the deepest section on it that is written; a top-level
        key missing from the file has the line where its settings start, the mapping it belongs in."""
        line = self.loaded.line(*keypath) or self.loaded.start
        self.report.error(self.path, line, message, hint)

    def mapping(self, value: Any, keypath: KeyPath, allowed: set[str] | None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(keypath, _("'{key}' must be a group of  key: value  settings, not {kind}").format(
                key=_name(keypath), kind=_kind(value)),
                _("put each setting on its own line below it, indented by two spaces"))
            return {}
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    near = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                    hint = _("did you mean '{key}'?").format(key=near[0]) if near else \
                        _("known keys: {keys}").format(keys=", ".join(sorted(allowed)))
                    if keypath[:1] == ("deploy",) and str(key).casefold() in _SECRETS:
                        hint = _("a deploy signs in with an SSH key, never a password kept in config.yaml: "
                                 "load the key into ssh-agent, or name it with  identity_file:")
                    self.error((*keypath, key), _("unknown key '{key}'").format(key=_name((*keypath, key))), hint)
        return value

    def string(self, value: Any, keypath: KeyPath) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(keypath, _("'{key}' must be text, not {kind}").format(key=_name(keypath), kind=_kind(value)),
                       _("write it as  {key}: \"...\"").format(key=keypath[-1]))
            return None
        # As in front matter: controls a word processor pasted would reach every page and
        # feed (a NUL no XML may hold), and vanish or become spaces instead.
        return strip_controls(str(value))

    def integer(self, value: Any, keypath: KeyPath, default: int, minimum: int = 1) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(keypath, _("'{key}' must be a whole number of at least {minimum}, not {value}").format(
                key=_name(keypath), minimum=minimum, value=_show(value)),
                _("write it like  {key}: {value}").format(key=keypath[-1], value=default))
            return default
        return value

    def boolean(self, value: Any, keypath: KeyPath, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(keypath, _("'{key}' must be true or false, not {value}").format(
                key=_name(keypath), value=_show(value)),
                _("write  {key}: true  or  {key}: false").format(key=keypath[-1]))
            return default
        return value


def _read_section(r: _Reader, cls: type[Any], raw: Any, kp: KeyPath, skip: frozenset[str] | set[str] = frozenset(),
                  ) -> Any:
    """Read one section into its dataclass: every declared key by its type or its own reader."""
    fields = [f for f in keys(cls) if f.name not in skip]
    data = r.mapping(raw, kp, {f.name for f in fields})
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in fields:
        value, fkp = data.get(f.name), (*kp, f.name)
        if f.metadata["required"] and value is None:
            example = _EXAMPLES.get(_name(fkp))
            r.error(fkp, _("missing required setting '{key}'").format(key=_name(fkp)),
                    _(example) if example else _("add  {key}: ...  here").format(key=fkp[-1]))
        elif f.metadata["required"] and isinstance(value, str) and not value.strip():
            # As good as missing: a blank site title would reach feeds that may not have one.
            example = _EXAMPLES.get(_name(fkp))
            r.error(fkp, _("'{key}' is empty, but it is required").format(key=_name(fkp)),
                    _(example) if example else _("write it as  {key}: \"...\"").format(key=fkp[-1]))
            value = None
        read = f.metadata["read"]
        default: Any = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
        kind = hints[f.name]
        if read is not None:
            result = read(r, value, fkp)
        elif dataclasses.is_dataclass(kind):
            result = _read_section(r, kind, value, fkp)  # type: ignore[arg-type]
        elif kind is bool:
            result = r.boolean(value, fkp, default)
        elif kind is int:
            result = r.integer(value, fkp, default, f.metadata["minimum"])
        else:  # text, optional or not
            result = r.string(value, fkp)
        if result is None and default is not None:
            result = default
        if result is not None:
            values[f.name] = result
    return cls(**values)


def _name(keypath: KeyPath) -> str:
    return ".".join(str(k) for k in keypath)


def _kind(value: Any) -> str:
    kinds = {dict: N_("a group of settings"), list: N_("a list"), bool: N_("true/false"), int: N_("a number"),
             float: N_("a number"), str: N_("text"), type(None): N_("empty")}
    kind = kinds.get(type(value))
    return _(kind) if kind else type(value).__name__


def _show(value: Any) -> str:
    """A value as config.yaml writes it: true/false and null, not Python's True and None."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return shown_value(value)


_EXAMPLES = {
    "base_url": N_("add  base_url: https://humas.example.go.id/"),
    "default_language": N_("add  default_language: id"),
    "languages": N_("add  languages:  with one indented line per language, like  "
                    "id: {name: Bahasa Indonesia, locale: id_ID, title: ...}"),
}


def require_config_file(site_dir: Path) -> None:
    """Stop, as load_config does, when ``site_dir`` has no config.yaml (a mistyped --site, a
    folder that is no site), before anything is made in it or it is watched as a site."""
    if not os.path.lexists(site_dir / CONFIG_FILE):  # a link that loops is said when it is read
        raise _no_config(site_dir)


def _no_config(site_dir: Path) -> ConfigError:
    return ConfigError([Diagnostic(CONFIG_FILE, None, _("no {file} in {folder}").format(
        file=CONFIG_FILE, folder=site_dir), "error", _("run sitegen in the site folder or pass --site"))])


def line_of(site_dir: Path, *keypath: str | int) -> int | None:
    """The line of a setting in config.yaml, for a problem found once the config is read (a
    theme that is not there): the file is read again, as lines are no part of the settings."""
    try:
        return yamlmarks.load(yamlmarks.decode((site_dir / CONFIG_FILE).read_bytes())).line(*keypath)
    except (OSError, yamlmarks.YamlSyntaxError):
        return None  # changed since it was read: the problem is still worth showing


def load_config(site_dir: Path, overrides: Mapping[str, Any] | None = None) -> Config:
    """Read ``config.yaml``; raise ConfigError listing every problem."""
    path = site_dir / CONFIG_FILE
    shown = CONFIG_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _no_config(site_dir) from None
    except OSError as exc:  # a folder of that name, no right to read it: a config error all the same
        raise ConfigError([oserrors.describe(exc, shown)]) from None
    try:
        loaded = yamlmarks.load(yamlmarks.decode(raw))
    except yamlmarks.YamlSyntaxError as exc:
        raise ConfigError([Diagnostic(shown, p.line, p.message, "error", p.hint) for p in exc.every()]) from None
    if not isinstance(loaded.data, dict):
        raise ConfigError([Diagnostic(shown, 1, _("config.yaml must hold  key: value  settings"), "error",
                                      _("start from the example config in the README"))])
    data = dict(loaded.data)
    report = Report()
    for key, value in (overrides or {}).items():
        if key == "base_url" and isinstance(value, str) and not value.strip():  # --base-url "": its fault
            report.error("--base-url", None, *_base_url_problem(value))
        elif value is not None:
            data[key] = value
    reader = _Reader(loaded, data, shown, report, overridden_base_url=bool((overrides or {}).get("base_url")))
    config: Config = _read_section(reader, Config, data, ())
    _check_across_sections(reader, config)
    report.raise_if_errors(ConfigError)
    return dataclasses.replace(config, fingerprint=_fingerprint(config), source=source_digest(raw))


def _fingerprint(config: Config) -> str:
    """A hash of the settings as read (overrides included), so a comment, a reordered key or a
    change to a setting no output reads leaves every output up to date."""
    values = [(f.name, getattr(config, f.name)) for f in keys(Config) if f.metadata.get("outputs", True)]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def _check_across_sections(r: _Reader, config: Config) -> None:
    """Rules that tie one section to another: the languages named elsewhere must be configured."""
    if config.default_language and config.languages and config.default_language not in config.languages:
        r.error(("default_language",), _("default_language '{code}' is not in languages").format(
                code=config.default_language),
                "languages: " + ", ".join(config.languages))
    for section, langs in config.translations.require.items():
        for lang in langs:
            if config.languages and lang not in config.languages:
                r.error(("translations", "require", section),
                        _("translations.require.{section} names '{lang}', which is not in languages").format(
                            section=section, lang=lang),
                        "languages: " + ", ".join(config.languages))
