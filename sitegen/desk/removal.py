"""Whether the desk may delete a release: only a draft that was never on the site.

A release that was public may be linked from news, messages and search engines; taking it
down is a decision for whoever runs the site, not a button. The desk sees that a release was
public in three ways: it is not a draft; the live output holds its page (made a draft again
by hand, before the rebuild; a page that ``serve --drafts`` built for the office does not
count); its history holds a version that was not a draft (made a draft again in the desk).
A draft that a published version in another language was translated
from is that page's original and stays too; a draft translation of a published release may
go. Deleting moves the file into the desk's history (``storage.remove``), nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitegen import generations, urls
from sitegen.build import Prepared
from sitegen.desk import document, form, overview, storage
from sitegen.messages import _


class Kept(Exception):
    """The release stays; ``text`` says why, in the person's words."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True, slots=True)
class Deletable:
    title: str
    uses: tuple[str, ...]  # the photos and files it names, which stay in static/
    others: tuple[tuple[str, str], ...]  # (language name, file) of its other versions, which stay


def _published(reason: str) -> Kept:
    return Kept(reason + " " + _("A published release may be linked from news and messages: ask whoever "
                                 "runs the site to take it down."))


def _was_published(site_dir: Path, rel: str) -> bool:
    """Whether the desk's history holds a version of ``rel`` that was not a draft."""
    for version in storage.versions(site_dir, rel):
        raw = storage.version_bytes(site_dir, rel, version.name)
        try:
            if raw is not None and document.parse(raw).data.get("draft") is not True:
                return True
        except document.Unreadable:
            continue  # a version that cannot be read says nothing either way
    return False


def on_the_site(prepared: Prepared, out_dir: Path, rel: str) -> str | None:
    """The address of ``rel``'s page when the live output holds it as a public page."""
    site = prepared.site
    shown = next((e for e in site.entries() if e.source == rel), None)
    if shown is not None and shown.draft:
        return None  # built with --drafts: its page is there for the office, not published
    hidden = next((h.entry for h in site.hidden if h.entry.source == rel), None)
    entry = shown or hidden
    if entry is None:
        return None
    return entry.url if urls.output_path(entry.url) in generations.read_manifest(out_dir) else None


def deletable(prepared: Prepared, site_dir: Path, out_dir: Path, rel: str, raw: bytes) -> Deletable:
    """What deleting ``rel`` (whose bytes are ``raw``) removes and leaves; Kept when the desk
    must not delete it. document.Unreadable when it cannot be read as a release."""
    release = form.from_document(document.parse(raw), prepared.config.zone)
    if not release.draft:
        raise _published(_("Only a draft that was never on the site can be deleted here, and this release "
                           "is not a draft."))
    address = on_the_site(prepared, out_dir, rel)
    if address is not None:
        raise _published(_("This release is on the site now ({address}), so the desk does not delete it.")
                         .format(address=prepared.config.base_path.rstrip("/") + address))
    if _was_published(site_dir, rel):
        raise _published(_("This release was published before (its history has a version that was not a "
                           "draft), so the desk does not delete it."))
    languages = prepared.config.languages
    others = []
    for code, other, exists in overview.twins(prepared, site_dir, rel):
        if not exists:
            continue
        name = languages[code].name
        source = overview.source_of(prepared, site_dir, other)
        if source is not None and source[0] == rel and not document.is_draft(storage.read(site_dir / other)):
            raise Kept(_("The {language} version, which is published, was translated from this draft: the "
                         "desk keeps this draft as its original.").format(language=name))
        others.append((name, other))
    uses = [release.image, *(photo[0] for photo in release.gallery), *(path for path, _title in release.attachments)]
    return Deletable(release.title, tuple(dict.fromkeys(u for u in uses if u)), tuple(others))
