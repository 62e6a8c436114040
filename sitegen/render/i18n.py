"""UI strings from the theme's (and the site's) i18n files, and dates in each locale's words."""

from __future__ import annotations

import datetime as dt
import hashlib
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import babel
from babel import Locale
from babel.dates import format_date, format_datetime, get_timezone_name
from markupsafe import Markup, escape

from sitegen import yamlmarks
from sitegen.errors import Report
from sitegen.messages import _

# One pattern for every locale; Babel supplies the words ("Kamis, 30 Mei 2024").
DATE_PATTERN = "EEEE, d MMMM y"
DATETIME_PATTERN = "EEEE, d MMMM y, HH.mm zzz"
SHORT_DATE_PATTERN = "d MMM y"
#: The clock as Indonesian newsrooms print it, in every language: "10.00 WIB".
TIME_PATTERN = "HH.mm"
#: Patterns without hours or zones: every moment of a day reads the same.
_DAY_PATTERNS = frozenset({DATE_PATTERN, SHORT_DATE_PATTERN})
#: The plural forms a UI string by count may have (CLDR's categories); each language's rules,
#: through Babel, pick one for a number: English "one" and "other", Russian also "few" and
#: "many", Indonesian only "other".
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
OTHER = "other"
#: Strings once written as a pair, the text for one result apart: the old key → the string by
#: count it belongs to. A site's i18n file (or template) written so keeps saying what it said:
#: the old key is read as that string's text for exactly 1 (the form ``=1``, before the
#: language's own forms), and is not required in every language.
LEGACY_ONE = {"search_count_one": "search_count"}
EXACTLY_ONE = "=1"


class MissingString(Exception):
    def __init__(self, lang: str, key: str) -> None:
        super().__init__(_("UI string '{key}' is missing for language '{lang}'").format(key=key, lang=lang))
        self.lang = lang
        self.key = key


@dataclass(frozen=True, slots=True)
class Strings:
    lang: str
    locale: str
    zone: ZoneInfo
    table: Mapping[str, str]
    fingerprint: str
    #: The locales asked, in turn, for the name of the site's timezone printed after a time:
    #: the site's languages', its default language's first, so an Indonesian site says "WIB"
    #: in English too, as its press does, whichever language is its default.
    zone_locales: tuple[str, ...] = ()
    #: Strings by count (``one: ...``, ``other: ...``): key → plural form → text
    plurals: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def names(self) -> set[str]:
        """The keys of every string, by count or not (an old key of :data:`LEGACY_ONE` is
        not one: it needs no twin in the other languages)."""
        return {*self.table, *self.plurals} - LEGACY_ONE.keys()

    def __call__(self, key: str, **values: object) -> str:
        text = self.table.get(key)
        if text is None:
            forms = self.plurals.get(key)
            if forms is not None:
                text = forms[OTHER]
            elif key in LEGACY_ONE and LEGACY_ONE[key] in self.names:  # a site's old template asks
                one = self.forms(LEGACY_ONE[key])
                text = one.get(EXACTLY_ONE) or one.get("one") or one[OTHER]
            else:
                raise MissingString(self.lang, key)
        return text.format(**values) if values else text

    def plural(self, key: str, n: int, **values: object) -> str:
        """``key``'s text for ``n`` of something, ``n`` and ``values`` put in: the form the
        language's plural rules pick for ``n``, else its ``other`` form. A string written as
        plain text is the same for every number (Indonesian needs no more)."""
        forms = self.plurals.get(key)
        if forms is None:
            text = self(key)
        else:
            text = (forms.get(f"={n}") or forms.get(str(_locale(self.locale).plural_form(n)))
                    or forms[OTHER])
        return text.format(n=n, **values)

    def forms(self, key: str) -> dict[str, str]:
        """``key``'s texts by plural form, for a script to pick from by the number it has
        (``{"one": ..., "other": ...}``); plain text is the ``other`` form alone."""
        forms = self.plurals.get(key)
        return dict(forms) if forms is not None else {OTHER: self(key)}

    def markup(self, key: str, **values: object) -> Markup:
        """``key``'s text with ``values`` put in, as HTML: each value escaped unless it is HTML
        already (a name in a span of its own language, in a heading of the page's)."""
        return Markup(escape(self(key))).format(**values)

    def date(self, moment: dt.datetime | None, pattern: str = DATE_PATTERN) -> str:
        if moment is None:
            return ""
        if pattern in _DAY_PATTERNS:  # remembered by day: a newsroom publishes several a day
            return _format_day(moment.astimezone(self.zone).date(), pattern, self.locale)
        return _format(moment, pattern, self.locale, self.zone)

    def datetime(self, moment: dt.datetime | None) -> str:
        """"Kamis, 30 Mei 2024, 10.00 WIB": the date in the locale's words and the time."""
        if moment is None:
            return ""
        return f"{self.date(moment)}, {self.time(moment)}"

    def dated(self, moment: dt.datetime | None) -> str:
        """A release's date as its page shows it: :meth:`datetime`, or the date alone at
        midnight on the site's clock, which is what a date written without a time
        (``date: 2024-05-30``) is: a day, not "00.00 WIB"."""
        if moment is None:
            return ""
        if moment.astimezone(self.zone).time() == dt.time():
            return self.date(moment)
        return self.datetime(moment)

    def time(self, moment: dt.datetime | None) -> str:
        """"10.00 WIB": the time in the site's timezone and that zone's short name."""
        if moment is None:
            return ""
        return _format_time(moment, self.zone, (*self.zone_locales, self.locale), self.locale)

    def short_date(self, moment: dt.datetime | None) -> str:
        return self.date(moment, SHORT_DATE_PATTERN)


#: Dates and times in words, by what they are made of. Babel is exact but slow: a release's
#: date is on many list pages, and loading a locale's data costs more than rendering an
#: edit's own page, so the build also keeps them between runs (:func:`recall_words`,
#: :func:`new_words`).
_WORDS: dict[tuple[object, ...], str] = {}
_added = False
#: What the words of a kept table were made by.
WORDS_MADE_BY = repr((babel.__version__, 1))


def _said(key: tuple[object, ...], make: Callable[[], str]) -> str:
    global _added
    words = _WORDS.get(key)
    if words is None:
        words = _WORDS[key] = make()
        _added = True
    return words


def recall_words(kept: object) -> None:
    """Take the words a build kept (:func:`new_words`); anything else is ignored."""
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == WORDS_MADE_BY and isinstance(kept[1], dict):
        for key, words in kept[1].items():
            _WORDS.setdefault(key, words)


def new_words() -> tuple[str, dict[tuple[object, ...], str]] | None:
    """The dates and times said last in this process (at most KEEP_WORDS), to keep, if any
    is new since the last call."""
    global _added
    if not _added:
        return None
    _added = False
    return WORDS_MADE_BY, dict(list(_WORDS.items())[-KEEP_WORDS:])


#: Words kept between runs: an edit says a few, a build in one process all the site's.
KEEP_WORDS = 4096


def _format(moment: dt.datetime, pattern: str, locale: str, zone: ZoneInfo) -> str:
    return _said(("at", moment, pattern, locale, zone.key), lambda: str(
        format_datetime(moment.astimezone(zone), pattern, locale=_locale(locale))))


def _format_time(moment: dt.datetime, zone: ZoneInfo, zone_locales: tuple[str, ...], locale: str) -> str:
    def make() -> str:
        local = moment.astimezone(zone)
        clock = format_datetime(local, TIME_PATTERN, locale=_locale(locale))
        return f"{clock} {zone_abbreviation(local, *zone_locales)}"

    return _said(("time", moment, zone.key, zone_locales, locale), make)


def zone_abbreviation(local: dt.datetime, *locales: str) -> str:
    """The zone's short name ("WIB", "WITA", "WIT", "CET") from the first locale that has one;
    Babel gives an offset ("+0700") where a locale has none, and that is the last resort."""
    name = ""
    for locale in locales:
        name = str(get_timezone_name(local, "short", locale=_locale(locale)))
        if not name.startswith(("+", "-", "GMT", "UTC")):
            return name
    return name


def _format_day(day: dt.date, pattern: str, locale: str) -> str:
    return _said(("day", day, pattern, locale), lambda: str(format_date(day, pattern, locale=_locale(locale))))


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def load_strings(dirs: list[Path], site_dir: Path, lang: str, locale: str, zone: ZoneInfo,
                 report: Report, zone_locales: tuple[str, ...] = (), unread: set[str] | None = None) -> Strings:
    """Merge i18n/<lang>.yaml from each folder; later folders (the site's) override earlier ones.
    ``unread`` gets ``lang`` when one of its files cannot be read as a whole (its error is said)."""
    table: dict[str, str] = {}
    plurals: dict[str, dict[str, str]] = {}
    digest = hashlib.blake2b(digest_size=8)
    for folder in dirs:
        path = folder / f"{lang}.yaml"
        if not path.is_file():
            continue
        rel = _rel(path, site_dir)
        raw = path.read_bytes()
        digest.update(raw)
        try:
            loaded = yamlmarks.load(yamlmarks.decode(raw))
        except yamlmarks.YamlSyntaxError as exc:
            report.error(rel, exc.line, exc.message,
                         exc.hint or _("write one  key: text  line per UI string, as in the theme's own file"))
            if unread is not None:
                unread.add(lang)
            continue
        if not isinstance(loaded.data, dict):
            report.error(rel, 1, _("an i18n file must be a mapping of 'key: text' lines"),
                         _("write one  key: text  line per UI string, as in the theme's own file"))
            if unread is not None:
                unread.add(lang)
            continue
        for key, value in loaded.data.items():
            if isinstance(value, dict):  # a string by count; a later file's plain text replaces it
                forms = _plural_forms(str(key), value, rel, loaded, report)
                earlier = [*plurals[str(key)].values()] if str(key) in plurals else \
                    [table[str(key)]] if str(key) in table else None
                if forms is not None and earlier is not None:  # each form fits as the theme's text would
                    given = "".join("{" + name + "}" for name in sorted(set().union(
                        *(_placeholders(text) for text in earlier))))
                    if not all(_placeholders_fit(str(key), text, given, rel, loaded.line(key), report)
                               for text in forms.values()):
                        continue
                if forms is not None:
                    plurals[str(key)] = forms
                    table.pop(str(key), None)
                continue
            if not isinstance(value, str):
                report.error(rel, loaded.line(key), _("UI string '{key}' must be text").format(key=key),
                             _quoted(str(key)))
                continue
            if not value.strip():  # a blank in every page (a menu link with no words), as a missing one would be
                report.error(rel, loaded.line(key), _("UI string '{key}' is empty").format(key=key),
                             _("write its words, as the theme's i18n/{lang}.yaml has them").format(lang=lang))
                continue
            if not _placeholders_fit(str(key), value, table.get(str(key)), rel, loaded.line(key), report):
                continue
            table[str(key)] = value
            plurals.pop(str(key), None)
    _read_legacy_one(table, plurals)
    return Strings(lang, locale, zone, table, digest.hexdigest(), zone_locales, plurals)


def _placeholders(text: str) -> set[str]:
    """The names a text's {placeholders} ask for; ValueError for a brace never closed."""
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}


def _placeholders_fit(key: str, text: str, before: str | None, rel: str, line: int | None,
                      report: Report) -> bool:
    """Whether ``text`` can be filled in as the text it replaces (``before``, the theme's) is:
    a site's translation that asks for a name the templates do not give ({nomor} for
    {number}) failed in whichever template used the string, which was then blamed."""
    try:
        asked = _placeholders(text)
    except ValueError:
        report.error(rel, line, _("UI string '{key}' has a brace that is never closed").format(key=key),
                     _("write a placeholder whole, like {example}, or take the brace out").format(example="{number}"))
        return False
    if before is None:
        return True
    try:
        given = _placeholders(before)
    except ValueError:
        return True
    unknown = sorted(asked - given)
    if unknown:
        report.error(rel, line, _("UI string '{key}' asks for {names}, which the pages do not fill in").format(
            key=key, names=", ".join("{" + name + "}" for name in unknown)),
            _("use the names of the theme's own text: {names}").format(
                names=", ".join("{" + name + "}" for name in sorted(given)) or "-"))
        return False
    return True


def _read_legacy_one(table: dict[str, str], plurals: dict[str, dict[str, str]]) -> None:
    """Each old key of :data:`LEGACY_ONE` written as its string's text for exactly 1, the
    string made one by count if it was plain text."""
    for old, key in LEGACY_ONE.items():
        one = table.get(old)
        if one is None:
            continue
        if key in table:
            plurals[key] = {OTHER: table.pop(key)}
        if key in plurals:
            plurals[key] = {**plurals[key], EXACTLY_ONE: one}


def _quoted(key: str) -> str:
    return _("write it in quotes, like  {key}: \"...\"").format(key=key)


def _plural_forms(key: str, value: dict[Any, Any], rel: str, loaded: yamlmarks.Loaded,
                  report: Report) -> dict[str, str] | None:
    """The texts of a string by count, by plural form; None when it cannot be used (an
    ``other`` form is needed: it is the text for any number the other forms leave)."""
    forms: dict[str, str] = {}
    for form, text in value.items():
        if form not in PLURAL_FORMS:
            report.error(rel, loaded.line(key, form), _("'{form}' is not a plural form (UI string '{key}')").format(
                form=form, key=key), _("the forms are zero, one, two, few, many and other; write the ones your "
                                       "language uses, and always other"))
        elif not isinstance(text, str):
            report.error(rel, loaded.line(key, form), _("UI string '{key}' must be text").format(key=f"{key}.{form}"),
                         _quoted(str(form)))
        else:
            forms[form] = text
    if OTHER not in forms:
        report.error(rel, loaded.line(key), _("UI string '{key}' has no 'other' form").format(key=key),
                     _("add  other: ...  below it: the text for every number the other forms leave"))
        return None
    return forms


def _rel(path: Path, site_dir: Path) -> str:
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)
