"""The photos a release names: its lead ``image:``, its ``gallery:`` and the images in its
text; each checked, probed and planned at parse time, each problem on its own line."""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from sitegen.content.fields import Fields, clean_text, show
from sitegen.images.markup import local_source, rewrite_images, written_path
from sitegen.images.photo import Photo
from sitegen.images.plan import plan_photo
from sitegen.images.probe import PhotoProblem, is_picture, is_raster, probe
from sitegen.images.settings import BODY_SIZES, ImageSettings
from sitegen.messages import _
from sitegen.model import Asset

GALLERY_KEYS = ("path", "alt", "caption", "credit")
#: A photo on another site (https://..., //cdn...): sitegen cannot clean or resize it.
_WEB = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*:)?//")


def _gallery_example() -> str:
    return _("write each photo as  - {{path: /images/foto.jpg, alt: ..., caption: ..., credit: ...}}").format()


def photo_example(key: str) -> str:
    """How a photo is written where ``key`` names it (``image:``, a gallery photo's ``path:``)."""
    return _("write it as  {key}: /images/foto.jpg  for the file static/images/foto.jpg").format(key=key)


def _body_example() -> str:
    return _("write it as  ![what the photo shows](/images/foto.jpg)  for the file static/images/foto.jpg")


def photo_at(f: Fields, key: str, raw: Any, line: int, site_dir: Path, settings: ImageSettings,
             alt: str, caption: str, credit: str, example: str | None = None) -> Photo | None:
    """One photo named at ``line`` by ``key``; None (with the error reported) when it cannot
    be published. ``example``: how the photo is written there (default: ``key: /images/...``)."""
    if on_the_web(f, raw, line):
        return None
    # a missing file or a path out of static/ is reported here
    asset = f.asset(key, raw, site_dir, line=line, example=example or photo_example(key))
    if asset is None:
        return None
    if not is_raster(asset.url):
        _not_a_photo(f, line, asset.url)
        return None
    again = _as_before(f, asset)
    if again is not None:
        return replace(again, alt=alt, caption=caption, credit=credit, line=line)
    try:
        found = probe(str(site_dir / asset.source), settings.max_pixels)
    except PhotoProblem as exc:
        _error(f, line, _("photo {value}: {problem}").format(value=show(asset.url), problem=exc.message), exc.hint)
        return None
    return plan_photo(found, asset.url, asset.source, alt, caption, credit, line, settings)


def _as_before(f: Fields, asset: Asset) -> Photo | None:
    """The photo as the file's last parse read it, its file unchanged since (parse_all checks),
    when the release names it the same way: reading and decoding it again, megabytes for a
    phone photo, would find the same."""
    before = f.photos_before.get(asset.source)
    return before if before is not None and before.source == asset.url else None


def on_the_web(f: Fields, raw: Any, line: int) -> bool:
    """Whether ``raw`` is the address of a photo on another site (reported as an error: sitegen
    can neither clean nor resize it), rather than a path in static/."""
    raw = f.own_path(raw)
    if not (isinstance(raw, str) and _WEB.match(raw.strip())):
        return False
    _error(f, line, _web_address(raw.strip()),
           _("download the photo into static/images/ and write its path, like  image: /images/foto.jpg"))
    return True


def _web_address(address: str) -> str:
    return _("photo {value} is a web address, not a file of this site").format(value=show(address))


def lead_photo(f: Fields, site_dir: Path, settings: ImageSettings) -> Photo | None:
    raw = f.data.get("image")
    if raw is None:
        return None
    line = f.line("image") or 1
    alt = f.text("image_alt")
    written = f.data.get("image_alt")
    if not alt and (written is None or isinstance(written, str)):  # one of another type is reported as such
        _error(f, f.line("image_alt") or line, _("the lead photo has no image_alt"),
               _("describe the photo for readers who cannot see it: image_alt: ..."))
    return photo_at(f, "image", raw, line, site_dir, settings, alt, f.text("image_caption"), f.text("image_credit"))


def gallery(f: Fields, site_dir: Path, settings: ImageSettings) -> tuple[Photo, ...]:
    raw = f.data.get("gallery")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        f.error("gallery", _("'gallery' must be a list of photos, not {value}").format(value=show(raw)),
                _gallery_example())
        return ()
    found: list[Photo] = []
    for index, item in enumerate(raw):
        line = f.meta.line("gallery", index) or f.line("gallery") or 1
        bare = isinstance(item, str)
        if bare:
            item = {"path": item}
        if not isinstance(item, dict) or not item.get("path"):
            _error(f, line, _("gallery photo {number} has no path").format(number=index + 1), _gallery_example())
            continue
        unknown = sorted(str(k) for k in item if k not in GALLERY_KEYS)
        if unknown:
            near = difflib.get_close_matches(unknown[0], GALLERY_KEYS, n=1)
            only = _("each photo has only path, alt, caption and credit")
            _error(f, line,
                   _("gallery photo {number} has unknown key '{key}'").format(number=index + 1, key=unknown[0]),
                   _("did you mean '{key}'?").format(key=near[0]) + " " + only if near else only)
            continue
        texts = {k: _text(f, item.get(k), index, k) for k in GALLERY_KEYS[1:]}
        if not texts["alt"]:
            _error(f, f.meta.line("gallery", index, "alt") or line,
                   _("gallery photo {number} has no alt text").format(number=index + 1),
                   _gallery_example() if bare else
                   _("describe what the photo shows for readers who cannot see it: alt: ..."))
        photo = photo_at(f, "path", item["path"], f.meta.line("gallery", index, "path") or line, site_dir,
                         settings, texts["alt"], texts["caption"], texts["credit"])
        if photo is not None:
            found.append(photo)
    return tuple(found)


def body_photos(f: Fields, html: str, text: str, first_line: int, site_dir: Path,
                settings: ImageSettings, base_url: str = "", page_url: str = "/", sizes: str = BODY_SIZES,
                ) -> tuple[str, tuple[Photo, ...], tuple[str, ...]]:
    """The body with its local raster images as <picture>, those photos, and the other files
    of static/ its images show, an SVG, a GIF (``base_url``: the site's, whose full addresses
    name its own files; ``page_url``: the release's own address; ``sizes``: the width of
    the text column they are shown in)."""
    found: list[Photo] = []
    shown: list[str] = []
    searched_from = 0
    # Where images are written: not in an HTML comment (an old picture kept there).
    text = _COMMENT.sub(lambda comment: re.sub(r"[^\n]", " ", comment[0]), text)

    def photo_for(src: str, attrs: dict[str, str], index: int) -> Photo | None:
        nonlocal searched_from
        path = local_source(src, base_url)
        at = _written_at(text, src, searched_from)
        at = _written_at(text, path, 0) if at < 0 and path is not None else at
        searched_from = max(searched_from, at + 1)
        line = first_line + text.count("\n", 0, max(at, 0))
        if not attrs.get("alt", "").strip():  # a warning: texts written before sitegen still build
            f.report.warning(f.rel, line, _("the image {value} in the text has no alt text").format(value=show(src)),
                             _("describe what it shows between the brackets: ![Peserta rapat]({src})").format(src=src))
        if path is None:
            if _WEB.match(src.strip()):  # a warning: texts written before sitegen still build
                f.report.warning(f.rel, line, _web_address(src.strip()), _(
                    "readers' browsers fetch it from that site, and sitegen can neither resize it nor remove its "
                    "location data: download it into static/images/ and write  "
                    "![what the photo shows](/images/foto.jpg)"))
            return None
        if not is_raster(path):
            other = other_file(f, src, line, site_dir, base_url, page_url)
            if other is not None and _unpublishable(site_dir / other.source):
                _not_a_photo(f, line, src)
            elif other is not None:
                shown.append(other.source)
            return None
        photo = photo_at(f, "image", path, line, site_dir, settings, attrs.get("alt", ""), attrs.get("title", ""), "",
                         _body_example())
        if photo is not None:
            found.append(photo)
        return photo

    return rewrite_images(html, photo_for, sizes), tuple(found), tuple(dict.fromkeys(shown))


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _written_at(text: str, address: str, start: int) -> int:
    """Where ``address`` is written whole in the Markdown ``text`` from ``start`` (-1: nowhere):
    as an image's address (after '(', '<', a quote or '='), else after a space (a reference
    ``[foto]: /images/x.jpg``); never as the end of a longer address that holds it
    (//cdn.example.com/x.jpg in https://cdn.example.com/x.jpg, images/x.jpg in /images/x.jpg),
    nor where the text only names it (``Foto /images/x.jpg dikirim lewat surel``) while an image
    of it is written further on."""
    end = r"(?![^\s)>\"'])"
    for before in (r"(?<=[(<\"'=])", r"(?<![^\s(<\"'=])"):
        found = re.compile(before + re.escape(address) + end).search(text, start)
        if found:
            return found.start()
    return -1


def _not_a_photo(f: Fields, line: int, value: str) -> None:
    _error(f, line, _("{value} is not a photo sitegen can publish (JPEG, PNG, WebP, TIFF or AVIF)").format(
        value=show(value)), _("save the picture as JPEG"))


def _unpublishable(file: Path) -> bool:
    """A picture by its first bytes that is neither named as a photo nor shown as written (an
    SVG, a GIF): an iPhone's HEIC, a JPEG with no extension. Browsers cannot show the one, and
    neither would go through Pillow (its location data kept): refused, as for a lead photo."""
    return file.suffix.lower() not in (".gif", ".svg") and is_picture(file)


def other_file(f: Fields, src: str, line: int, site_dir: Path, base_url: str, page_url: str) -> Asset | None:
    """The file of static/ an image in the text that is no photo (an SVG, a GIF) shows. The
    page keeps its address as written, unlike a photo's, so a relative one is read from the
    release's own address, as the browser will read it; the file there must exist."""
    written = written_path(src, base_url)
    if written is None:
        return None
    if written.startswith("/"):
        return f.asset("image", written, site_dir, line=line, example=_body_example())
    address = posixpath.normpath(posixpath.join(page_url, written))
    from_static = "/" + "/".join(part for part in written.split("/") if part not in ("", ".", ".."))
    missing = (_("the file {value} does not exist").format(value=show(src)),
               _("the page looks for it at {address}: put it at static{address}, or write  {path}  for "
                 "static{path}").format(address=address, path=from_static))
    return f.asset("image", address, site_dir, line=line, missing=missing, example=_body_example())


def _text(f: Fields, value: Any, index: int, key: str) -> str:
    if value is None:
        return ""
    written = f.meta.written.get(("gallery", index, key), str(value)) if not isinstance(value, str) else value
    if isinstance(value, dict | list):
        _error(f, f.meta.line("gallery", index, key) or 1,
               _("gallery photo {number}: '{key}' must be text").format(number=index + 1, key=key),
               _("write it as  {key}: \"...\"").format(key=key))
        return ""
    return clean_text(written)


def _error(f: Fields, line: int, message: str, hint: str | None = None) -> None:
    f.failed = True
    f.report.error(f.rel, line, message, hint)
