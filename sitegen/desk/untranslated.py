"""A translation's short fields still as in its source: said beside each, as a warning.

"Translate into" copies every field of the source into the new draft, so nothing is lost:
the tags, unit, category and photo texts too. Most of them are to be translated (a unit or
tag left in Indonesian files the English release under its Indonesian name, at
/en/units/divisi-.../), some rightly stay (a proper name, a photographer's credit). Emptying
them would lose what stays and make the photo's required alt text an error; so they are kept,
the form shows the source's value beside each, and while one is unchanged the check warns
there. A warning, not an error: Publish stays possible.

The title and summary are told the same way: "Translate into" then Publish at once would
otherwise put the source's words on the translation's page. A title can rightly stay (a name,
an event's name), and so, rarely, a summary: both can be kept. The text is warned of too, while
it is the source's as a whole, but never kept: a release's text is prose, the same in two
languages only when it is not translated yet (the warning may stay; Publish is still possible).

A field rightly left as it is gets "Keep as it is" beside it (see ``keep``): its warning stays
away while each of its texts still alike is one of those kept, compared as pairs of its text
and the source's. So a text that becomes alike again after a change (of the field, or of the
source: "Bappeda" kept, then "BAPPEDA") is asked about again, while translating one of several
kept tags leaves the others kept.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sitegen.desk.checking import Finding
from sitegen.desk.form import Release
from sitegen.errors import Diagnostic
from sitegen.messages import N_, _, ngettext

#: The fields of one text a translation starts with the source's value of.
FIELDS = ("title", "summary", "category", "unit", "image_alt", "image_caption", "image_credit")
#: Those whose warning is SAME: not names, as ONE supposes the others to be.
WORDS = ("title", "summary")
ONE = N_("still as in {language}: translate it, or keep it if it is a name")
SOME = N_("still as in {language}: {texts}. Translate them, or keep those that are names")
SAME = N_("still as in {language}: translate it, or keep it if it is the same in both languages")
BODY = N_("still as in {language}: translate the text")
#: Shorter paragraphs may rightly stay as they are ("Sumber: Bappeda.", a name, a figure).
_PARAGRAPH_WORDS = 6
#: How much of a paragraph the warning quotes.
_QUOTED = 40


def _plain(text: str) -> str:
    """``text`` with its runs of spaces and line ends as one space (a summary folded over lines)."""
    return " ".join(text.split())


def _same(mine: str, theirs: str) -> bool:
    # compared as the site files them: "KPK" and "kpk" are one tag page
    return bool(mine.strip()) and _plain(mine).casefold() == _plain(theirs).casefold()


def beside(source: Release) -> dict[str, str]:
    """The source's value of each field the form shows it beside (only those it has)."""
    shown = {name: getattr(source, name) for name in FIELDS}
    shown["tags"] = ", ".join(source.tags)
    return {name: value for name, value in shown.items() if value}


#: Each field whose texts still alike are said in one warning, and can be kept as they are.
KEEPABLE = (*FIELDS, "tags", "gallery", "attachments")
#: (this version's text, the source's) of a text still as in the source.
Pair = tuple[str, str]


def keepable(source: Release) -> tuple[str, ...]:
    """The fields a translation of ``source`` can have texts still as in it (those it has)."""
    has = {**beside(source), "gallery": source.gallery, "attachments": source.attachments}
    return tuple(name for name in KEEPABLE if has.get(name))


def alike(mine: Release, source: Release) -> dict[str, tuple[Pair, ...]]:
    """Each of ``mine``'s fields with texts still as in ``source``: those texts, paired with the
    source's, in the field's order (KEEPABLE's order; fields with none left out)."""
    found: dict[str, list[Pair]] = {name: [(_plain(getattr(mine, name)), _plain(getattr(source, name)))]
                                    for name in FIELDS}
    found["tags"] = [(tag, next((s for s in source.tags if _same(tag, s)), "")) for tag in mine.tags]
    gallery = {item[0]: item[1:] for item in source.gallery}
    found["gallery"] = [pair for path, *texts in mine.gallery
                        for pair in zip(texts, gallery.get(path, ("", "", "")), strict=True)]
    titles = dict(source.attachments)
    found["attachments"] = [(title, titles.get(path, "")) for path, title in mine.attachments]
    alike = {name: tuple(dict.fromkeys(pair for pair in pairs if _same(*pair))) for name, pairs in found.items()}
    return {name: pairs for name, pairs in alike.items() if pairs}


def holding(found: Mapping[str, Collection[Pair]], kept: Mapping[str, Collection[Pair]]
            ) -> dict[str, frozenset[Pair]]:
    """The fields of ``found`` (``alike``'s) whose every text still alike is one ``kept``, with those texts."""
    return {name: frozenset(pairs) for name, pairs in found.items() if set(pairs) <= set(kept.get(name, ()))}


def findings(rel: str, mine: Release, source: Release, language: str,
             kept: Mapping[str, Collection[Pair]]) -> tuple[Finding, ...]:
    """A warning beside each of ``mine``'s fields still as in ``source`` (in ``language``),
    but those ``kept`` as they are (see ``holding``)."""
    found = alike(mine, source)
    silent = holding(found, kept)
    warnings = []
    for field, pairs in found.items():
        if field in silent:
            continue
        text = _(SAME if field in WORDS else ONE).format(language=language) if field in FIELDS else _(SOME).format(
            language=language, texts=", ".join(f"“{text}”" for text in dict.fromkeys(t for t, _s in pairs)))
        warnings.append(Finding(field, Diagnostic(rel, None, text, "warning")))
    if _same(mine.body, source.body):
        warnings.append(Finding("body", Diagnostic(rel, None, _(BODY).format(language=language), "warning")))
    else:
        left = paragraphs_left(mine.body, source.body)
        if left:
            start = left[0] if len(left[0]) <= _QUOTED else left[0][:_QUOTED - 1].rstrip() + "…"
            # A text translated in part: its paragraphs still as in the source, the first quoted.
            text = ngettext("a paragraph still as in {language}: “{start}”: translate it",
                            "{count} paragraphs still as in {language}, the first: “{start}”: translate them",
                            len(left)).format(count=len(left), language=language, start=start)
            warnings.append(Finding("body", Diagnostic(rel, None, text, "warning")))
    return tuple(warnings)


def _paragraphs(body: str) -> list[str]:
    """``body``'s paragraphs of prose (not a heading, table, HTML or code), each on one line."""
    found = (_plain(part) for part in body.replace("\r\n", "\n").split("\n\n"))
    return [text for text in found if len(text.split()) >= _PARAGRAPH_WORDS and not text.startswith(
        ("#", "|", "<", "`", "~", "!["))]


def paragraphs_left(mine: str, source: str) -> list[str]:
    """The paragraphs of ``mine`` (a translation's text) still as in ``source``, in their order."""
    theirs = {text.casefold() for text in _paragraphs(source)}
    return list(dict.fromkeys(text for text in _paragraphs(mine) if text.casefold() in theirs))
