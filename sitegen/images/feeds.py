"""Photos in feed items: Media RSS ``media:content`` with caption and credit (RSS and Atom),
enclosure links (Atom), and ``image`` plus a ``_photos`` extension (JSON Feed). Every URL is the
1200-wide, metadata-free JPEG, never the original."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

from sitegen.images.photo import Photo
from sitegen.images.plan import file_name
from sitegen.images.store import PhotoFiles
from sitegen.model import Entry
from sitegen.outputs import xml_safe

MEDIA_NS = "http://search.yahoo.com/mrss/"


@dataclass(frozen=True, slots=True)
class Media:
    photo: Photo
    url: str  # absolute
    size: int  # bytes, 0 when unknown (a check, which makes no photos)


def media_of(entry: Entry, absolute: Any, photos: PhotoFiles | None) -> tuple[Media, ...]:
    """The lead and gallery photos of ``entry`` as feed media; without either, the photo a link
    preview shows (the first in the text), so an aggregator has the picture the page shares.
    The text's photos are in its HTML too."""
    chosen = (*((entry.photo,) if entry.photo else ()), *entry.gallery) or entry.photos[:1]
    return tuple(Media(p, absolute(p.og_url), photos.size(p, file_name(p.og_width, "jpeg")) if photos else 0)
                 for p in chosen)


class MediaNamespace(BaseExtension):  # type: ignore[misc]
    """Declares Media RSS's namespace on the feed's root, in Atom as in RSS."""

    def extend_ns(self) -> dict[str, str]:
        return {"media": MEDIA_NS}


class PhotoMedia(BaseEntryExtension):  # type: ignore[misc]
    """Writes ``media:content`` with ``media:description`` and ``media:credit`` (RSS and
    Atom: Atom has no element of its own for a photo's credit), and in Atom also an
    enclosure link for each photo."""

    def __init__(self) -> None:
        self.items: tuple[Media, ...] = ()

    def extend_rss(self, entry: Any) -> Any:
        for m in self.items:
            _media_content(entry, m)
        return entry

    def extend_atom(self, entry: Any) -> Any:
        for m in self.items:
            attributes = {"rel": "enclosure", "href": m.url, "type": "image/jpeg"}
            if m.size:
                attributes["length"] = str(m.size)
            title = m.photo.caption or m.photo.alt
            if title:
                attributes["title"] = xml_safe(title)
            xml_elem("link", entry, **attributes)
        for m in self.items:
            _media_content(entry, m)
        return entry


def _media_content(entry: Any, m: Media) -> None:
    attributes = {"url": m.url, "type": "image/jpeg", "medium": "image",
                  "width": str(m.photo.og_width), "height": str(m.photo.og_height)}
    if m.size:
        attributes["fileSize"] = str(m.size)
    content = xml_elem(f"{{{MEDIA_NS}}}content", entry, **attributes)
    text = m.photo.caption or m.photo.alt
    if text:
        xml_elem(f"{{{MEDIA_NS}}}description", content, type="plain").text = xml_safe(text)
    if m.photo.credit:
        xml_elem(f"{{{MEDIA_NS}}}credit", content, role="photographer").text = xml_safe(m.photo.credit)


def json_photos(items: tuple[Media, ...]) -> dict[str, Any]:
    """JSON Feed item members: ``image`` (the lead, else the first photo), attachments, and
    ``_photos`` (JSON Feed's extension mechanism) with caption, credit and size."""
    if not items:
        return {}
    return {
        "image": items[0].url,
        "attachments": [{"url": m.url, "mime_type": "image/jpeg", **({"size_in_bytes": m.size} if m.size else {}),
                         **({"title": m.photo.caption or m.photo.alt} if m.photo.caption or m.photo.alt else {})}
                        for m in items],
        "_photos": {"photos": [
            {"url": m.url, "width": m.photo.og_width, "height": m.photo.og_height, "alt": m.photo.alt,
             "caption": m.photo.caption, "credit": m.photo.credit} for m in items]},
    }
