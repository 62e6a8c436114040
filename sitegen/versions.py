"""A release's language versions: which are there and, when one is missing, why and how to
link it. ``sitegen check`` and ``sitegen status`` say it with these words."""

from __future__ import annotations

from sitegen.messages import _
from sitegen.model import Entry, Site


def link_hint(keep: Entry, change: Entry) -> str:
    """How to link two versions of a release that their keys keep apart, ``change`` taking
    ``keep``'s key: when they are files of one name and only one writes the line, taking it
    out links them as well."""
    writers = [e for e in (keep, change) if "translation_key" in e.lines]
    if len(writers) == 1 and (keep.section, keep.file_key) == (change.section, change.file_key):
        writer, other = (keep, change) if writers[0] is keep else (change, keep)
        return _("to link them, remove the line  translation_key: {key}  from {path}, or write it in {other} "
                 "too").format(key=writer.translation_key, path=writer.source, other=other.source)
    return _("to link them, write the same  translation_key:  in both, like  translation_key: {key}  in "
             "{path}").format(key=keep.translation_key, path=change.source)


class Versions:
    """Every version of every release, drafts too, to say why one of a release's versions is
    missing; ``sitegen check`` and ``sitegen status`` say it with the same words."""

    def __init__(self, site: Site) -> None:
        every = (*site.entries(), *(h.entry for h in site.hidden))
        self.by_key = {(e.translation_key, e.lang): e for e in every}
        self.by_name = {(e.section, e.file_key, e.lang): e for e in every}

    def namesake(self, entry: Entry, code: str) -> Entry | None:
        """The file ``entry``'s version in ``code`` would be (rapat.en.md beside rapat.id.md)."""
        return self.by_name.get((entry.section, entry.file_key, code))

    def there(self, entry: Entry, code: str) -> bool:
        """Whether a file that may be ``entry``'s version in ``code`` is there, yet not linked."""
        return self.namesake(entry, code) is not None

    def why_missing(self, entry: Entry, code: str, language: str) -> tuple[str, str]:
        """The message and hint for ``entry``'s release lacking (a linked) version in ``code``."""
        return _no_version(entry, code, language, self.namesake(entry, code), self.by_key)


def _not_linked(entry: Entry, other: Entry, language: str, code: str) -> str:
    return _("{path} is not linked to this file as its {language} ({code}) version: their translation keys "
             "differ ('{theirs}' there, '{ours}' here)").format(
                 path=other.source, language=language, code=code, theirs=other.translation_key,
                 ours=entry.translation_key)


def _no_version(entry: Entry, code: str, language: str, namesake: Entry | None,
                versions: dict[tuple[str, str], Entry]) -> tuple[str, str]:
    """What to say of ``entry``'s missing version in ``code``, and the hint. ``namesake`` is the
    file that version would be (rapat.en.md beside rapat.id.md): when it is there, "add it" is
    wrong; its ``translation_key:`` line (or this one's) keeps the two apart."""
    if namesake is not None and (namesake.translation_key, entry.lang) not in versions:
        return _not_linked(entry, namesake, language, code), link_hint(entry, namesake)
    message = _("there is no {language} ({code}) version of this article") if entry.kind == "article" \
        else _("there is no {language} ({code}) version of this page")
    message = message.format(language=language, code=code)
    if namesake is None:
        return message, _("add {path}").format(path=f"content/{entry.section}/{entry.file_key}.{code}.md")
    # The namesake is another release's translation: this one's goes into a file of another name.
    return message, _("{path} is the translation of {other}; write this file's translation into a file of "
                      "another name, with the line  translation_key: {key}").format(
                          path=namesake.source, other=versions[(namesake.translation_key, entry.lang)].source,
                          key=entry.translation_key)
