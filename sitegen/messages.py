"""sitegen's own words (diagnostics, `status`, help) in Indonesian or English, through gettext.

The catalogues are ``sitegen/locale/<lang>/LC_MESSAGES/sitegen.po`` with English msgids, compiled
to ``.mo`` beside them and committed (tests check the two agree; the README says how to update).
Write ``_("unknown key '{key}'").format(key=k)``: the catalogue holds the placeholder, never an
f-string, so a translation can put the words in its own order.

The language is chosen once per run, by the CLI after it has read config.yaml: ``ui_language``
there, else the system locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first one set): ``id...``
gives Indonesian; ``en...``, ``C`` and ``POSIX`` English (the C locale means untranslated text, so
scripts and CI logs stay stable); no locale at all, or one sitegen has no words for, Indonesian,
the language of the newsrooms sitegen serves.

The desk speaks to many browsers from one process: while it answers a request, ``speaking``
sets that request's language for the thread answering it (a context variable, so the other
threads, the rebuild's among them, keep the process's language).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Literal, get_args

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "sitegen"

_catalogue: gettext.NullTranslations = gettext.NullTranslations()
_language: Language = "en"
#: The language set_language was told (ui_language), None when it followed the locale.
_fixed: Language | None = None
#: (language, catalogue) of the request this thread answers (see ``speaking``), else None.
_speaking: ContextVar[tuple[Language, gettext.NullTranslations] | None] = ContextVar("sitegen_speaking",
                                                                                   default=None)


def _locale_code(environ: dict[str, str] | os._Environ[str] | None) -> str:
    env = os.environ if environ is None else environ
    value = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    return value.split(".")[0].split("@")[0].lower()


def locale_language(environ: dict[str, str] | os._Environ[str] | None = None) -> Language | None:
    """The language the process locale names (``id_ID...``, ``en_...``); None for the C or POSIX
    locale, none at all or one sitegen has no words for: a locale that names no language."""
    code = _locale_code(environ)
    return "id" if code.startswith("id") else "en" if code.startswith("en") else None


def system_language(environ: dict[str, str] | os._Environ[str] | None = None) -> Language:
    """The UI language the process locale asks for (see the module docstring)."""
    return locale_language(environ) or ("en" if _locale_code(environ) in ("c", "posix") else "id")


def set_language(language: str | None = None) -> Language:
    """Speak ``language`` from now on (None: the system locale's); returns the language chosen."""
    global _catalogue, _language, _fixed
    _fixed = "id" if language == "id" else "en" if language == "en" else None
    chosen: Language = _fixed or system_language()
    _catalogue = _catalogue_of(chosen)
    _language = chosen
    return chosen


def _catalogue_of(language: Language) -> gettext.NullTranslations:
    # gettext keeps each file as it parsed it: this is a copy of it, no read of the file
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def fixed_language() -> Language | None:
    """The language the command was told to speak (``ui_language``); None when it follows the locale."""
    return _fixed


@contextmanager
def speaking(language: Language) -> Iterator[None]:
    """Speak ``language`` in this thread (and context) until the block ends."""
    token = _speaking.set((language, _catalogue_of(language)))
    try:
        yield
    finally:
        _speaking.reset(token)


def current_language() -> Language:
    spoken = _speaking.get()
    return spoken[0] if spoken is not None else _language


def _current_catalogue() -> gettext.NullTranslations:
    spoken = _speaking.get()
    return spoken[1] if spoken is not None else _catalogue


def _(message: str) -> str:
    """``message`` (English) in the current UI language."""
    return _current_catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current UI language."""
    return _current_catalogue().ngettext(singular, plural, n)


def decimal(value: float, places: int = 2) -> str:
    """``value`` with ``places`` decimals as the UI language writes it ("0,25" in Indonesian).
    English needs no locale data, so the nothing-changed build does not import Babel's."""
    language = current_language()
    if language == "en":
        return f"{value:.{places}f}"
    from babel.numbers import format_decimal

    return format_decimal(value, "0." + "0" * places if places else "0", locale=language)


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; translate it with ``_()`` where used."""
    return message


set_language()
