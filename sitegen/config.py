"""config.yaml → frozen, typed settings. Unknown keys and wrong types name their line."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from sitegen import yamlmarks
from sitegen.errors import ConfigError, Report

CONFIG_FILE = "config.yaml"

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


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str
    locale: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.phone or self.email)


@dataclass(frozen=True, slots=True)
class Feeds:
    items: int = 20
    full_content: bool = True
    hub: str | None = None


@dataclass(frozen=True, slots=True)
class Config:
    base_url: str
    default_language: str
    languages: Mapping[str, Language]
    timezone: str = "Asia/Jakarta"
    sections: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    permalinks: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PERMALINKS))
    paginate: int = 10
    theme: str = "humas"
    output_dir: str = "public"
    feeds: Feeds = field(default_factory=Feeds)
    contact: Contact = field(default_factory=Contact)
    #: raw HTML in Markdown is trusted by default; false sends it through a sanitizer.
    unsafe_html: bool = True
    logo: str | None = None
    #: Draw a share picture for each release without a lead photo (about 12 ms a release).
    social_cards: bool = True
    #: Sections whose releases must exist in every listed language (``sitegen check --translations``).
    translation_policy: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Hash of the whole config: outputs depend on it.
    fingerprint: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def language_codes(self) -> tuple[str, ...]:
        """Default language first, then the others in the order configured."""
        rest = [code for code in self.languages if code != self.default_language]
        return (self.default_language, *rest)

    def section_name(self, section: str, lang: str) -> str:
        names = self.sections.get(section, {})
        return names.get(lang) or names.get(self.default_language) or section.replace("-", " ").title()

    def absolute(self, url: str) -> str:
        return self.base_url.rstrip("/") + "/" + url.lstrip("/")


_TOP_KEYS = {
    "base_url", "default_language", "timezone", "languages", "sections", "permalinks",
    "paginate", "theme", "output_dir", "feeds", "contact", "markdown", "logo", "translations",
    "social_cards",
}
_LANG_KEYS = {"name", "locale", "title", "description"}
_FEED_KEYS = {"items", "full_content", "hub"}
_CONTACT_KEYS = {"name", "phone", "email"}
_LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PERMALINK = re.compile(r"^/[A-Za-z0-9_.{}/-]*$")
_FOLDER_NAME = re.compile(r"^(?!\.)[A-Za-z0-9_.-]+$")


class _Reader:
    """Typed access to the parsed YAML that reports problems with their line."""

    def __init__(self, loaded: yamlmarks.Loaded, path: str, report: Report) -> None:
        self.loaded = loaded
        self.path = path
        self.report = report

    def error(self, keypath: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        self.report.error(self.path, self.loaded.line(*keypath), message, hint)

    def mapping(self, value: Any, keypath: tuple[str | int, ...], allowed: set[str] | None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(keypath, f"'{_name(keypath)}' must be a group of  key: value  settings, "
                                f"not {_kind(value)}",
                       "put each setting on its own line below it, indented by two spaces")
            return {}
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    near = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                    hint = f"did you mean '{near[0]}'?" if near else "known keys: " + ", ".join(sorted(allowed))
                    self.error((*keypath, key), f"unknown key '{_name((*keypath, key))}'", hint)
        return value

    def string(self, value: Any, keypath: tuple[str | int, ...], required: bool = False) -> str | None:
        if value is None:
            if required:
                self.error(keypath[:-1] or keypath, f"missing required setting '{_name(keypath)}'",
                           _EXAMPLES.get(_name(keypath)))
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(keypath, f"'{_name(keypath)}' must be text, not {_kind(value)}",
                       f"write it as  {keypath[-1]}: \"...\"")
            return None
        return str(value)

    def integer(self, value: Any, keypath: tuple[str | int, ...], default: int, minimum: int = 1) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(keypath, f"'{_name(keypath)}' must be a whole number of at least {minimum}, "
                                f"not {_show(value)}", f"write it like  {keypath[-1]}: {default}")
            return default
        return value

    def boolean(self, value: Any, keypath: tuple[str | int, ...], default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(keypath, f"'{_name(keypath)}' must be true or false, not {_show(value)}",
                       f"write  {keypath[-1]}: true  or  {keypath[-1]}: false")
            return default
        return value


def _name(keypath: tuple[str | int, ...]) -> str:
    return ".".join(str(k) for k in keypath)


def _kind(value: Any) -> str:
    kinds = {dict: "a group of settings", list: "a list", bool: "true/false", int: "a number",
             float: "a number", str: "text", type(None): "empty"}
    return kinds.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_EXAMPLES = {
    "base_url": "add  base_url: https://humas.example.go.id/",
    "default_language": "add  default_language: id",
    "languages": "add  languages:  with one indented line per language, like  "
                 "id: {name: Bahasa Indonesia, locale: id_ID, title: ...}",
}


def load_config(site_dir: Path, overrides: Mapping[str, Any] | None = None) -> Config:
    """Read ``config.yaml``; raise ConfigError listing every problem."""
    path = site_dir / CONFIG_FILE
    shown = CONFIG_FILE
    report = Report()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError([_diag(shown, None, f"no {CONFIG_FILE} in {site_dir}",
                                 "run sitegen in the site folder or pass --site")]) from None
    try:
        loaded = yamlmarks.load(yamlmarks.decode(raw))
    except yamlmarks.YamlSyntaxError as exc:
        raise ConfigError([_diag(shown, exc.line, exc.message, exc.hint)]) from None
    data = dict(loaded.data or {}) if isinstance(loaded.data, dict) else None
    if data is None:
        raise ConfigError([_diag(shown, 1, "config.yaml must hold  key: value  settings",
                                 "start from the example config in the README")])
    for key, value in (overrides or {}).items():
        if value is not None:
            data[key] = value
    config = _parse(_Reader(loaded, shown, report), data, raw + repr(sorted((overrides or {}).items())).encode(),
                    overridden_base_url=bool((overrides or {}).get("base_url")))
    report.raise_if_errors(ConfigError)
    assert config is not None
    return config


def _diag(path: str, line: int | None, message: str, hint: str | None = None) -> Any:
    from sitegen.errors import Diagnostic

    return Diagnostic(path, line, message, "error", hint)


def _parse(r: _Reader, data: dict[str, Any], raw: bytes, overridden_base_url: bool = False) -> Config | None:
    r.mapping(data, (), _TOP_KEYS)
    base_url = r.string(data.get("base_url"), ("base_url",), required=True) or ""
    if base_url and not re.match(r"^https?://[^/\s?#]+(/[^\s?#]*)?$", base_url):
        problem = (f"base_url '{base_url}' must start with https:// (or http://) and name a host",
                   "write it like https://humas.example.go.id/")
        if overridden_base_url:
            r.report.error("--base-url", None, *problem)
        else:
            r.error(("base_url",), *problem)
    base_url = base_url.rstrip("/") + "/"

    languages: dict[str, Language] = {}
    for code, spec in r.mapping(data.get("languages"), ("languages",), None).items():
        kp: tuple[str | int, ...] = ("languages", code)
        if not isinstance(code, str) or not _LANG_CODE.match(code):
            r.error(kp, f"language code '{code}' is not a language code like 'id' or 'en'",
                    "use the two- or three-letter code in lower case")
            continue
        spec = r.mapping(spec, kp, _LANG_KEYS)
        locale = r.string(spec.get("locale"), (*kp, "locale")) or code
        try:
            Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            r.error((*kp, "locale"), f"unknown locale '{locale}'", "use a locale like id_ID or en_US")
            locale = "en"
        languages[code] = Language(
            code=code,
            name=r.string(spec.get("name"), (*kp, "name")) or code,
            locale=locale.replace("-", "_"),
            title=r.string(spec.get("title"), (*kp, "title")) or "",
            description=r.string(spec.get("description"), (*kp, "description")) or "",
        )
    if isinstance(data.get("languages"), dict) and not languages and not data["languages"]:
        r.error(("languages",), "at least one language must be configured", _EXAMPLES["languages"])
    elif "languages" not in data:
        r.error((), "missing required setting 'languages'", _EXAMPLES["languages"])

    default_language = r.string(data.get("default_language"), ("default_language",), required=True) or ""
    if default_language and languages and default_language not in languages:
        r.error(("default_language",), f"default_language '{default_language}' is not in languages",
                "languages: " + ", ".join(languages))

    timezone = r.string(data.get("timezone"), ("timezone",)) or "Asia/Jakarta"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.error(("timezone",), f"unknown timezone '{timezone}'", "use an IANA name such as Asia/Jakarta")
        timezone = "UTC"

    sections: dict[str, dict[str, str]] = {}
    for name, names in r.mapping(data.get("sections"), ("sections",), None).items():
        kp = ("sections", name)
        # Codes as written: a language already reported as invalid is not reported again here.
        written = {str(code) for code in data.get("languages") or {}} if isinstance(data.get("languages"), dict) \
            else set()
        names = r.mapping(names, kp, written or None)
        sections[str(name)] = {lang: r.string(v, (*kp, lang)) or "" for lang, v in names.items()}

    permalinks = dict(DEFAULT_PERMALINKS)
    for kind, pattern in r.mapping(data.get("permalinks"), ("permalinks",), set(DEFAULT_PERMALINKS)).items():
        text = r.string(pattern, ("permalinks", kind))
        if text is None or kind not in PERMALINK_TOKENS:
            continue
        used = set(re.findall(r"\{(\w+)\}", text))
        unknown = used - PERMALINK_TOKENS[kind]
        if unknown or not _PERMALINK.match(text) or ".." in text:
            r.error(("permalinks", kind), f"permalink '{text}' is not valid",
                    "start with / and use only letters, digits, - and "
                    + ", ".join(f"{{{t}}}" for t in sorted(PERMALINK_TOKENS[kind])))
            continue
        permalinks[kind] = text if text.endswith("/") else text + "/"

    feeds_raw = r.mapping(data.get("feeds"), ("feeds",), _FEED_KEYS)
    hub = r.string(feeds_raw.get("hub"), ("feeds", "hub"))
    feeds = Feeds(
        items=r.integer(feeds_raw.get("items"), ("feeds", "items"), 20),
        full_content=r.boolean(feeds_raw.get("full_content"), ("feeds", "full_content"), True),
        hub=hub,
    )
    contact_raw = r.mapping(data.get("contact"), ("contact",), _CONTACT_KEYS)
    contact = Contact(**{k: r.string(v, ("contact", k)) or "" for k, v in contact_raw.items() if k in _CONTACT_KEYS})
    markdown_raw = r.mapping(data.get("markdown"), ("markdown",), {"unsafe_html"})
    policy: dict[str, tuple[str, ...]] = {}
    translations_raw = r.mapping(data.get("translations"), ("translations",), {"require"})
    for section, langs in r.mapping(translations_raw.get("require"), ("translations", "require"), None).items():
        if not isinstance(langs, list) or not all(isinstance(x, str) for x in langs):
            r.error(("translations", "require", section),
                    f"'translations.require.{section}' must be a list of language codes",
                    f"write it like  {section}: [en]")
            continue
        policy[str(section)] = tuple(langs)

    theme = r.string(data.get("theme"), ("theme",)) or "humas"
    if not _FOLDER_NAME.match(theme):  # a theme is a folder under themes/, never a path out of it
        r.error(("theme",), f"theme '{theme}' is not a folder name", "write the name of a folder in themes/")
    output_dir = r.string(data.get("output_dir"), ("output_dir",)) or "public"
    paginate = r.integer(data.get("paginate"), ("paginate",), 10)
    unsafe_html = r.boolean(markdown_raw.get("unsafe_html"), ("markdown", "unsafe_html"), True)
    logo = r.string(data.get("logo"), ("logo",))
    social_cards = r.boolean(data.get("social_cards"), ("social_cards",), True)
    if r.report.errors:
        return None
    return Config(
        base_url=base_url,
        default_language=default_language,
        languages=languages,
        timezone=timezone,
        sections=sections,
        permalinks=permalinks,
        paginate=paginate,
        theme=theme,
        output_dir=output_dir,
        feeds=feeds,
        contact=contact,
        unsafe_html=unsafe_html,
        logo=logo,
        social_cards=social_cards,
        translation_policy=policy,
        fingerprint=hashlib.sha256(raw).hexdigest()[:16],
    )
