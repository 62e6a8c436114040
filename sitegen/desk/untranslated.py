"""A translation's short fields still as in its source: said beside each, as a warning.

"Translate into" copies every field of the source into the new draft, so nothing is lost:
the tags, unit, category and photo texts too. Most of them are to be translated (a unit or
tag left in Indonesian files the English release under its Indonesian name, at
/en/units/divisi-.../), some rightly stay (a proper name, a photographer's credit). Emptying
them would lose what stays and make the photo's required alt text an error; so they are kept,
the form shows the source's value beside each, and while one is unchanged the check warns
there. A warning, not an error: Publish stays possible.
"""

from __future__ import annotations

from sitegen.desk.checking import Finding
from sitegen.desk.form import Release
from sitegen.errors import Diagnostic
from sitegen.messages import N_, _

#: The one-line fields a translation starts with the source's value of.
FIELDS = ("category", "unit", "image_alt", "image_caption", "image_credit")
ONE = N_("still as in {language}: translate it, or keep it if it is a name")
SOME = N_("still as in {language}: {texts}. Translate them, or keep those that are names")


def _same(mine: str, theirs: str) -> bool:
    # compared as the site files them: "KPK" and "kpk" are one tag page
    return bool(mine) and mine.casefold() == theirs.casefold()


def beside(source: Release) -> dict[str, str]:
    """The source's value of each field the form shows it beside (only those it has)."""
    shown = {name: getattr(source, name) for name in FIELDS}
    shown["tags"] = ", ".join(source.tags)
    return {name: value for name, value in shown.items() if value}


def _gallery(mine: Release, source: Release) -> list[str]:
    theirs = {item[0]: item[1:] for item in source.gallery}
    return [text for path, *texts in mine.gallery
            for text, other in zip(texts, theirs.get(path, ("", "", "")), strict=True) if _same(text, other)]


def _attachments(mine: Release, source: Release) -> list[str]:
    theirs = dict(source.attachments)
    return [title for path, title in mine.attachments if _same(title, theirs.get(path, ""))]


def findings(rel: str, mine: Release, source: Release, language: str) -> tuple[Finding, ...]:
    """A warning beside each of ``mine``'s fields still as in ``source`` (in ``language``)."""
    def warn(field: str, text: str) -> Finding:
        return Finding(field, Diagnostic(rel, None, text, "warning"))

    found = [warn(name, _(ONE).format(language=language))
             for name in FIELDS if _same(getattr(mine, name), getattr(source, name))]
    lists = {"tags": [t for t in mine.tags if any(_same(t, s) for s in source.tags)],
             "gallery": _gallery(mine, source), "attachments": _attachments(mine, source)}
    for field, texts in lists.items():
        if texts:
            quoted = ", ".join(f"“{text}”" for text in dict.fromkeys(texts))
            found.append(warn(field, _(SOME).format(language=language, texts=quoted)))
    return tuple(found)
