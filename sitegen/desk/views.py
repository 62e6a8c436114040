"""The desk's HTML: Jinja templates in ``templates/``, escaped everywhere, in the UI language.

Scripts and styles are the package's own files in ``assets/``, served by the desk itself:
no third-party script, font or stylesheet is ever loaded.
"""

from __future__ import annotations

import re
import string
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from babel.numbers import format_decimal

from sitegen.build import Prepared
from sitegen.clock import wall_time
from sitegen.desk.checking import Finding
from sitegen.desk.overview import state_name
from sitegen.errors import Diagnostic
from sitegen.messages import N_, _, current_language

HERE = Path(__file__).parent
_ASSET_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def local_time(moment: datetime, zone: ZoneInfo | str, timespec: str = "minutes") -> str:
    """``moment`` on the site's clock as sitegen writes every time, in the desk as in `status`
    and deploy: "2024-05-30 10:00 WIB" (``timespec`` "seconds" for the history, whose saves may
    be seconds apart). The zone is said: an embargo's hour means nothing without it."""
    return wall_time(moment, ZoneInfo(zone) if isinstance(zone, str) else zone, timespec)


#: Units of file_size, each 1,024 times the one before.
_UNITS = ("B", "KB", "MB", "GB")


def file_size(size: int) -> str:
    """A size in bytes as people read it, in the desk's language: "2,4 KB" ("2.4 KB" in English)."""
    amount, unit = float(size), 0
    while amount >= 1024 and unit < len(_UNITS) - 1:
        amount, unit = amount / 1024, unit + 1
    pattern = "#,##0" if unit == 0 else "#,##0.0"
    return f"{format_decimal(amount, pattern, locale=current_language())} {_UNITS[unit]}"


_env.globals.update(_=_, state_name=state_name, local_time=local_time, file_size=file_size)
_env.filters["diagnostic"] = lambda d: diagnostic_text(d)
_env.filters["finding"] = lambda f: finding_text(f)


def render(template: str, **context: Any) -> bytes:
    return _env.get_template(template).render(ui_lang=current_language(), **context).encode("utf-8")


def asset(name: str) -> tuple[bytes, str] | None:
    """One of the desk's own files; nothing outside ``assets/`` (names are looked up, not joined)."""
    files = {p.name: p for p in (HERE / "assets").iterdir() if p.is_file()}
    path = files.get(name)
    if path is None or path.suffix not in _ASSET_TYPES:
        return None
    return path.read_bytes(), _ASSET_TYPES[path.suffix]


def site_title(prepared: Prepared | None) -> str:
    if prepared is None:
        return "sitegen"
    config = prepared.config
    return config.languages[config.default_language].title


def diagnostic_text(d: Diagnostic) -> str:
    """A diagnostic for the form: its hint only when it does not tell how to write YAML (staff
    never see the front matter; the field the message sits beside is where to fix it)."""
    # "write it as ..." in either UI language ("tulis sebagai ...")
    yaml_talk = d.hint is not None and ("front matter" in d.hint or "  " in d.hint or ": ..." in d.hint
                                        or d.hint.startswith(("write", "tulis")))
    return d.message + (f" ({d.hint})" if d.hint and not yaml_talk else "")


#: What the desk says instead of some of the build's messages: (the build's message, the desk's,
#: its hint). The hint: True keeps the build's, False drops it, a text is the desk's own (both
#: filled in from the build's message's placeholders).
Reworded = tuple[str, str, bool | str]

#: The build's messages that name a front matter key, and what the form says beside that
#: key's field instead: the field's label names it already, the value is in the field (and a
#: date's, '2026-02-30 12:43', is read with the time field's glued on).
BESIDE_FIELD: tuple[Reworded, ...] = (
    (N_("'{key}' is empty"), N_("still empty"), False),
    (N_("'{key}' is missing"), N_("still empty"), False),
    (N_("'{key}' {value} is an impossible date: {why}"), N_("an impossible date: {why}"), False),
    (N_("'{key}' has a time ({value}) but no date"), N_("a time ({value}) but no date: choose the day too"), False),
    (N_("'{key}' {value} is not a date"), N_("not a date"), False),
    (N_("'{key}' {value} is not between the years {first} and {last}"),
     N_("the year is not between {first} and {last}"), True),
    (N_("'{key}' {value} lies before the time zone {zone} kept whole minutes (its clocks then ran {offset} from "
        "UTC), which feeds cannot write"), N_("a date earlier than feeds can write in the time zone {zone}"), True),
)

#: The build's messages that tell staff of a key, a file or a folder they never see (the
#: front matter, content/, static/), wherever the desk shows them: the desk's own way instead
#: (a photo or file is uploaded, a translation made with its button). ``sitegen check`` keeps
#: its words, for whoever edits the files.
IN_DESK: tuple[Reworded, ...] = (
    (N_("the lead photo has no image_alt"),
     N_("still empty: describe what the photo shows, for readers who cannot see it"), False),
    (N_("the lead photo has no credit"), N_("still empty: name who took the photo, as the page will show it"),
     False),
    (N_("'{key}' describes a lead photo, but there is no image:"),
     N_("these words are about a lead photo, but there is no photo file"),
     N_("upload the photo, or empty this field")),
    (N_("the file {value} does not exist"), N_("the file {value} does not exist"),
     N_("upload the file again, or correct its name")),
    (N_("photo {value} is a web address, not a file of this site"),
     N_("photo {value} is a web address, not a file of this site"),
     N_("save the photo on your computer, then upload it here")),
    (N_("there is no {language} ({code}) version of this article"),
     N_("there is no {language} version of this article yet"),
     N_("the button “Translate into {language}”, under Translations, makes one")),
    (N_("there is no {language} ({code}) version of this page"),
     N_("there is no {language} version of this page yet"),
     N_("the button “Translate into {language}”, under Translations, makes one")),
    (N_("the {language} ({code}) version of this article is still a draft"),
     N_("the {language} version of this article is still a draft"),
     N_("open it under Translations, finish it and publish it")),
    (N_("the {language} ({code}) version of this page is still a draft"),
     N_("the {language} version of this page is still a draft"),
     N_("open it under Translations, finish it and publish it")),
)


def _pattern(template: str) -> re.Pattern[str]:
    """A message made from ``template`` (in the UI language), its placeholders as groups."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P={name})" if f"(?P<{name}>" in "".join(parts) else f"(?P<{name}>.*?)")
    return re.compile("".join(parts), re.DOTALL)


def reworded(d: Diagnostic, table: tuple[Reworded, ...]) -> Diagnostic | None:
    """``d`` in the words ``table`` gives its message; None when it gives none."""
    for built, said, hint in table:
        found = _pattern(_(built)).fullmatch(d.message)
        if found is not None:
            words = found.groupdict()
            own = _(hint).format(**words) if isinstance(hint, str) else d.hint if hint else None
            return Diagnostic(d.path, d.line, _(said).format(**words), d.severity, own)
    return None


def beside_field(d: Diagnostic) -> Diagnostic | None:
    """``d`` as the form says it beside its field; None when it names no key."""
    return reworded(d, BESIDE_FIELD)


def finding_text(f: Finding) -> str:
    """A finding as the form shows it: beside its field without the key the field stands for,
    and anywhere in the desk's words, not a file's."""
    d = (beside_field(f.diagnostic) if f.field else None) or f.diagnostic
    return diagnostic_text(reworded(d, IN_DESK) or d)
