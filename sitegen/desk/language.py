"""Which language the desk speaks to one request.

``ui_language`` when config sets it; else the server's locale where it names a language
(``id_ID.UTF-8``, ``en_US.UTF-8``: the system locale, as for sitegen's other words); else the
browser's first choice among the desk's languages (Accept-Language, quality values honoured);
else the site's default language. A locale that names none (C.UTF-8, a default Linux server's)
is no choice: for the command line it means English so scripts read stable words, but it
would give an Indonesian newsroom an English desk.
"""

from __future__ import annotations

from babel import negotiate_locale

from sitegen.messages import LANGUAGES, Language

#: What a browser asking for none of the desk's languages, on a site whose default language is
#: neither, gets: the language of the newsrooms sitegen serves (as sitegen.messages).
FALLBACK: Language = "id"


def preferred(accept: str | None) -> list[str]:
    """The languages an Accept-Language header asks for, most wanted first (``q=0``: refused,
    left out, and so is one whose quality cannot be read), in lower case."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept or "").split(",")):
        tag, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _sep, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, index, tag.lower()))
    return [tag for _q, _i, tag in sorted(ranked)]


def _language(code: str | None) -> Language | None:
    return next((lang for lang in LANGUAGES if lang == code), None)


def choose(accept: str | None, ui_language: str | None, default_language: str,
           locale: Language | None = None) -> Language:
    """The desk's language for a request whose browser sent ``accept``; ``locale``: the language
    the server's locale names, if any (see the module docstring)."""
    fixed = _language(ui_language) or locale
    if fixed is not None:
        return fixed
    wanted = negotiate_locale(preferred(accept), list(LANGUAGES), sep="-")
    return _language(wanted) or _language(default_language) or FALLBACK
