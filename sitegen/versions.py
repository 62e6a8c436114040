"""A release's language versions: why one is missing, and which release a ``translation_key:``
that links nothing most likely meant. ``sitegen check`` and ``status`` say a missing version
with these words, and the build's warning for such a key (sitegen.assemble) names the release
with them, so no two of them give different ways to link the same two files."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher

from sitegen.messages import _
from sitegen.model import Entry, Site, own_translation_key

#: How alike (difflib's ratio, 0 to 1) the last parts of two keys must be for one to be taken
#: for a misspelling of the other: a letter wrong, missing or two swapped in ten gives 0.9;
#: ``rapat-lama`` against ``rapat-lanjutan`` (two releases) gives 0.75.
CLOSE = 0.8
#: The most releases one lone key is compared with letter by letter (see :class:`_Unlinked`).
MOST_COMPARED = 300


def near_misses(entries: Sequence[Entry], codes: Sequence[str]) -> list[tuple[Entry, Entry]]:
    """Each entry whose ``translation_key:`` line links nothing (a key no other entry has, and
    not the file's own from its folder and name) with the release of another language its key
    most likely meant: a typo that leaves two versions apart. A lone key with no such release
    is a key pinned on purpose (a renamed file keeping its feed guid and its links), left out."""
    # Only a file that writes the line can name a key no other file has: a large site's
    # other files cost one look at their lines here, on every build and edit.
    written = [entry for entry in entries if "translation_key" in entry.lines]
    if len(codes) < 2 or not written:
        return []
    users = Counter([entry.translation_key for entry in entries])
    lone = [entry for entry in written if users[entry.translation_key] == 1
            and entry.translation_key != own_translation_key(entry.section, entry.file_key)]
    if not lone:
        return []
    unlinked = _Unlinked(entries, codes, lone, users)
    return [(entry, meant) for entry in lone if (meant := unlinked.meant(entry)) is not None]


def _last(key: str) -> str:
    """A key's last part: ``rapat`` of ``berita/rapat``, so a bare key is compared with a file's
    own key (its folder and name)."""
    return key.rsplit("/", 1)[-1]


def _named(entry: Entry) -> tuple[str, str]:
    """The section and file name ``entry``'s key names: ``berita/rapat-lama`` the file
    rapat-lama in berita, a bare ``rapat-lama`` the file of that name in its own section."""
    section, _slash, name = entry.translation_key.partition("/")
    return (section, name) if name else (entry.section, entry.translation_key)


def _month(entry: Entry) -> int | None:
    return None if entry.date is None else entry.date.year * 12 + entry.date.month


class _Unlinked:
    """The releases a lone key may have meant, found without comparing it with every release of
    a large site, on every build and every edit serve rebuilds:

    - only releases of the lone keys' sections whose translation group lacks a language: a
      key that meant a release already linked in its own language would be a second version
      in that language, an error of its own. On a site translated in full these are few;
    - by name, one lookup each: the file of its own name (``rapat.en.md`` beside
      ``rapat.id.md``) and the file its key names (``translation_key: tentang``,
      ``tentang.en.md``);
    - letter by letter (difflib), and by slug, only with releases of its section dated in its
      month or the one before or after (undated with undated): the versions of a release come
      out together, and an older release of a yearly event (``sosialisasi-pajak-2023``) is not
      what ``sosialisasi-pajak-2024`` meant. At most MOST_COMPARED of them, its own month first,
      so what a lone key costs does not grow with the site or with a busy month.
    """

    def __init__(self, entries: Sequence[Entry], codes: Sequence[str], lone: Sequence[Entry],
                 users: Counter[str]) -> None:
        self.codes = codes
        languages = len(codes)
        sections = {entry.section for entry in lone} | {_named(entry)[0] for entry in lone}
        names = {entry.file_key for entry in lone} | {_named(entry)[1] for entry in lone}
        looked_into = {code for entry in lone for code in codes if code != entry.lang}
        unlinked = [e for e in entries if users[e.translation_key] < languages]
        #: the versions of groups of two or more: a group of one lacks every other language, and
        #: a site of two languages has no incomplete group of two
        self.present = {(e.translation_key, e.lang) for e in unlinked if users[e.translation_key] > 1} \
            if languages > 2 else set()
        candidates = [e for e in unlinked if e.lang in looked_into and e.section in sections]
        self.by_name = {(e.section, e.file_key, e.lang): e for e in candidates if e.file_key in names}
        self.by_month: dict[tuple[str, str, int | None], list[Entry]] = defaultdict(list)
        for e in candidates:
            when = e.date  # _month(e), without a call for each of many releases
            self.by_month[(e.section, e.lang, None if when is None else when.year * 12 + when.month)].append(e)

    def meant(self, entry: Entry) -> Entry | None:
        """The release of another language ``entry``'s lone key most likely meant, or None."""
        for code in self.codes:
            if code != entry.lang:
                for section, name in ((entry.section, entry.file_key), _named(entry)):
                    found = self.by_name.get((section, name, code))
                    if found is not None and self._apart(found, entry):
                        return found
        return self._closest(entry)

    def _apart(self, other: Entry, entry: Entry) -> bool:
        """Whether ``other`` is linked to no version in ``entry``'s language."""
        return other.lang != entry.lang and (other.translation_key, entry.lang) not in self.present

    def _near_in_time(self, entry: Entry) -> Iterator[Entry]:
        month = _month(entry)
        months = (None,) if month is None else (month, month - 1, month + 1)
        for code in self.codes:
            if code != entry.lang:
                for m in months:
                    yield from self.by_month.get((entry.section, code, m), ())

    def _closest(self, entry: Entry) -> Entry | None:
        """A release near in time of the same slug, else the one whose key is closest, if close."""
        matcher: SequenceMatcher[str] = SequenceMatcher(None, "", _last(entry.translation_key))
        best, score = None, CLOSE
        for compared, other in enumerate(self._near_in_time(entry)):
            if compared == MOST_COMPARED:
                break
            if not self._apart(other, entry):
                continue
            if other.slug == entry.slug:
                return other
            matcher.set_seq1(_last(other.translation_key))
            # the cheap upper bounds first, as difflib.get_close_matches does
            if matcher.real_quick_ratio() >= score and matcher.quick_ratio() >= score:
                ratio = matcher.ratio()
                if ratio > score or (best is None and ratio == score):
                    best, score = other, ratio
        return best


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


def meant_hint(meant: Entry, entry: Entry) -> str:
    """The hint of the warning for ``entry``'s lone key, which most likely meant ``meant``."""
    return _("did you mean '{key}' ({path})? {link}").format(
        key=meant.translation_key, path=meant.source, link=link_hint(meant, entry))


class Versions:
    """Every version of every release, drafts too, to say why one of a release's versions is
    missing; ``sitegen check`` and ``sitegen status`` say it with the same words."""

    def __init__(self, site: Site) -> None:
        every = site.all_entries()
        self.by_key = {(e.translation_key, e.lang): e for e in every}
        self.by_name = {(e.section, e.file_key, e.lang): e for e in every}
        pairs = near_misses(every, site.config.language_codes)
        #: a lone key's file → the release it likely meant (the key warning's "did you mean")
        self.meant = {lone.source: meant for lone, meant in pairs}
        #: (a meant release's key, the lone key's language) → the lone key's entry
        self.meant_by = {(meant.translation_key, lone.lang): lone for lone, meant in pairs}

    def namesake(self, entry: Entry, code: str) -> Entry | None:
        """The file ``entry``'s version in ``code`` would be (rapat.en.md beside rapat.id.md)."""
        return self.by_name.get((entry.section, entry.file_key, code))

    def _pair(self, entry: Entry, code: str) -> tuple[Entry, Entry] | None:
        """(the version that keeps its key, the one to change) when ``entry`` and a version in
        ``code`` are a lone key and the release it likely meant, as the key warning says."""
        meant = self.meant.get(entry.source)
        if meant is not None and meant.lang == code:
            return meant, entry
        lone = self.meant_by.get((entry.translation_key, code))
        return (entry, lone) if lone is not None else None

    def there(self, entry: Entry, code: str) -> bool:
        """Whether a file that may be ``entry``'s version in ``code`` is there, yet not linked."""
        return self._pair(entry, code) is not None or self.namesake(entry, code) is not None

    def why_missing(self, entry: Entry, code: str, language: str) -> tuple[str, str]:
        """The message and hint for ``entry``'s release lacking (a linked) version in ``code``."""
        pair = self._pair(entry, code)
        if pair is not None:
            keep, change = pair
            other = change if keep is entry else keep
            return _not_linked(entry, other, language, code), link_hint(keep, change)
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
