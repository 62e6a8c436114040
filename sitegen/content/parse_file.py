"""One content file → one Entry and its converted text (or errors naming its lines)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from sys import intern
from typing import Any
from urllib.parse import unquote, urljoin

from sitegen import cachefiles, htmlurls, urls
from sitegen.config import Config
from sitegen.content import charrefs, markdown, pasted
from sitegen.content.discover import PAGES, SourceFile
from sitegen.content.fields import Fields, clean_text, show
from sitegen.content.frontmatter import FrontMatterError, decode, split
from sitegen.errors import Report
from sitegen.images import probe
from sitegen.images import read as photos
from sitegen.images.markup import written_path
from sitegen.images.photo import Photo
from sitegen.images.probe import cleaned_when_published
from sitegen.images.settings import BODY_SIZES, PAGE_BODY_SIZES, ImageSettings, image_settings
from sitegen.images.store import FOLDER as PHOTO_FOLDER
from sitegen.images.store import PhotoFileError, PhotoFiles
from sitegen.messages import _, current_language
from sitegen.model import SHARED_TEXT, SHARED_TUPLES, Asset, Entry, Image, own_translation_key
from sitegen.texts import Text
from sitegen.yamlmarks import Loaded

#: A longer title is text pasted into the wrong place; feeds, cards and search results cut it anyway.
MAX_TITLE = 300
#: An alias is written as folders and a file: no part may be longer than a file name
#: (NAME_MAX, 255 bytes on Linux filesystems), nor the whole address longer than sitegen's
#: own folders and the output's path leave of a path (PATH_MAX, 4,096 bytes)
#: A summary is a few sentences (a standfirst, a search result's line): 1,000 characters is
#: some 150 words, twice a long lead paragraph. It is repeated on every list, tag page and feed
#: that shows the release, so a longer one (the text pasted into the wrong field) multiplies.
MAX_SUMMARY = 1000
#: Releases carry a handful of tags. Each is a page and three feeds that repeat the release,
#: and the release's page and cards link every one: thousands make gigabytes.
MAX_TAGS = 30
#: Past this many tags a release is not published: each tag's page and feeds repeat every tag
#: of it, so the output grows with the square of the count (5,000 pasted tags made 2 GB).
TAGS_LIMIT = 200
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 2048


def parser_fingerprint(config: Config) -> str:
    """Everything besides a file's bytes that its parse depends on: what its entry depends on
    (``content_fingerprint``), and the UI language, as a parse keeps its warnings in it. A
    cached parse from another of any of them is not used."""
    return _parser_fingerprint(content_fingerprint(config), current_language())


def content_fingerprint(config: Config) -> str:
    """Everything besides a file's bytes that its entry and converted text depend on: the
    config, and the sitegen and Python-Markdown code and settings that convert the text. Not
    the UI language nor anything else of the computer that builds: published names are made
    from it (the search bundles'), and the same sources give the same bytes anywhere."""
    return _parser_fingerprint(repr(cachefiles.STAMP), markdown.CONVERTER, config.fingerprint)


@lru_cache(maxsize=4)
def _parser_fingerprint(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


def source_hash(raw: bytes, config: Config) -> str:
    """What a parsed entry depends on: the file's bytes and the content's fingerprint."""
    return hashlib.blake2b(raw + content_fingerprint(config).encode(), digest_size=12).hexdigest()


def linked_files(body_html: str, base_url: str, page_url: str) -> tuple[str, ...]:
    """The files of this site a text links to or shows (pages, whose addresses end in /, left
    out), as addresses without the leading /, relative ones resolved from ``page_url``."""
    found = (written_path(written, base_url) for written in htmlurls.addresses(body_html))
    resolved = (urljoin(page_url, path).lstrip("/") for path in found if path is not None)
    return tuple(dict.fromkeys(path for path in resolved if path and not path.endswith("/")))


def parse_file(src: SourceFile, site_dir: Path, config: Config, report: Report,
               raw: bytes | None = None, photos_before: Sequence[Photo] = ()) -> tuple[Entry, Text] | None:
    """The entry and its text (keyed by ``entry.body_key``), or None after reporting why not.
    ``photos_before``: photos the file's last parse showed, under the same config and sitegen,
    whose files have the size and mtime they had then (parse_all): taken as they are."""
    raw = src.path.read_bytes() if raw is None else raw
    try:
        parts = split(decode(raw))
    except FrontMatterError as exc:
        for problem in exc.every():
            report.error(src.rel, problem.line, problem.message, problem.hint)
        if exc.body is not None:  # the README: such an error does not hide a missing photo in the text
            _text_photos(src, exc.body, site_dir, config, report)
        return None
    f = Fields(parts.meta, src.rel, report, config.zone, config.base_url, {p.file: p for p in photos_before})
    is_page = src.section == PAGES
    title = f.text("title", required=True)
    if len(title) > MAX_TITLE:
        f.error("title", _("the title is {length} characters long; a headline may have at most {most}").format(
                length=len(title), most=MAX_TITLE),
            _("shorten it, and put the rest in the text below the front matter"))
    date = f.moment("date", required=not is_page)
    updated = f.moment("updated")
    if updated is not None and date is not None and updated < date:  # feeds and JSON-LD would say it changed first
        f.report.warning(src.rel, f.line("updated"), _("'updated' is before 'date': a release changes after it "
                                                        "comes out"), _("check both times, and their time zones"))
    embargo = f.moment("embargo")
    slug_raw = f.text("slug")
    slug = urls.slugify(slug_raw) if slug_raw else urls.default_slug(src.file_key.rsplit("/", 1)[-1])
    if slug_raw and not slug and any(char.isalnum() for char in slug_raw):  # ꦱꦸꦫꦧꦪ, 政府: no Latin
        f.error("slug", _("slug {value} has no Latin letters or digits, which addresses are made of").format(
            value=show(slug_raw)), _("write it in Latin letters, like rapat-koordinasi, or delete the line: "
                                     "the address is then made from the file name"))
    elif slug_raw and not slug:
        f.error("slug", _("slug {value} has no letters or digits").format(value=show(slug_raw)),
                _("use words like rapat-koordinasi"))
    elif slug_raw and len(urls.full_slug(slug_raw)) > urls.MAX_SLUG:
        # Cut, two long slugs that start alike would become one address.
        f.error("slug", _("the slug is {length} characters long; a slug may have at most {most}").format(
                length=len(urls.full_slug(slug_raw)), most=urls.MAX_SLUG),
                _("shorten it to a few words that name the release, like rapat-koordinasi"))
    # in one spelling of its letters, as the file's own key (discover)
    translation_key = unicodedata.normalize("NFC", f.text("translation_key")) or \
        own_translation_key(src.section, src.file_key)
    image = _image(f, site_dir)
    settings = image_settings(config)
    photo = photos.lead_photo(f, site_dir, settings) if image is not None else None
    gallery = photos.gallery(f, site_dir, settings)
    attachments = _attachments(f, site_dir, config)
    listed_aliases = f.text_list("aliases")
    aliases = tuple(_alias(f, a) for a in listed_aliases)
    tags = f.text_list("tags")
    authors = f.text_list("author")
    result = dict(
        summary=f.text("summary", single_line=False).strip(),
        location=f.text("location"), agency=f.text("agency"),
        category=f.text("category") or ("" if is_page else src.section),
        unit=f.text("unit"), release_number=f.text("release_number"),
        draft=f.flag("draft"), contact=f.contact(),
    )
    _warn_of_summary_and_tags(f, str(result["summary"]), tags)
    if result["agency"] and not result["location"]:  # the dateline is "Padang (ANTARA) -": no place, no dateline
        f.report.warning(src.rel, f.line("agency"),
                         _("'agency' is given without 'location': the dateline needs the place it was written in"),
                         _("add a line like  location: Padang"))
    # The text is converted even after errors above, so that its own (a missing photo in it)
    # are reported in the same run, not after those are fixed.
    converted = _convert(parts.body, parts.body_line, f, config.markdown.unsafe_html)
    if converted is None:
        return None
    body_html, toc_html = converted
    url = urls.article_url(config, src.lang, src.section, slug, src.file_key, date)
    body_html, body_photos, text_files = photos.body_photos(f, body_html, parts.body, parts.body_line, site_dir,
                                                            settings, config.base_url, url,
                                                            PAGE_BODY_SIZES if is_page else BODY_SIZES)
    if f.failed:
        return None
    summary = str(result.pop("summary")) or markdown.first_paragraph(body_html)
    # A photo is part of what the entry is made of: a new photo under the same name gives
    # the entry (its page, its body with <picture>s, its feed items) a new hash.
    photo_keys = "".join(p.key for p in (*((photo,) if photo else ()), *gallery, *body_photos))
    digest = source_hash(raw + photo_keys.encode(), config)
    values: dict[str, Any] = dict(
        source=src.rel,
        kind="page" if is_page else "article",
        section=src.section,
        file_key=src.file_key,
        translation_key=translation_key,
        lang=src.lang,
        url=url,
        slug=slug,
        title=title,
        summary=clean_text(summary),
        date=date,
        updated=updated,
        embargo=embargo,
        authors=authors,
        tags=tags,
        image=image,
        photo=photo,
        gallery=gallery,
        attachments=attachments,
        aliases=tuple(a for a in aliases if a),
        **result,
    )
    # One object per distinct value in this process: a parse worker's results then carry each
    # once per batch (pickle refers back to an object it has written), not once per entry.
    for name in SHARED_TEXT:
        values[name] = intern(values[name])
    for name in SHARED_TUPLES:
        values[name] = tuple(intern(text) for text in values[name])
    entry = Entry(**values, body_photos=body_photos, text_files=text_files,
                  linked_files=linked_files(body_html, config.base_url, url), source_hash=digest,
                  # and the text's first photo as a card shows it, where there is no other (not
                  # its line in the text, nor the file's time)
                  meta_hash=_hash([*sorted(values.items()), [(p.source, p.key, p.alt) for p in body_photos[:1]]]),
                  place_hash=_hash([values[name] for name in PLACE] + [values["title"]] * is_page),
                  body_key=digest,
                  lines=_lines(tuple((intern(str(k[0])), v) for k, v in parts.meta.lines.items() if len(k) == 1)
                                 + _alias_lines(f, listed_aliases)))
    return entry, Text(body_html, toc_html)


def _alias_lines(f: Fields, listed: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """The line of each alias (``listed``: as ``text_list`` gives them, empty and repeated ones
    left out), as ``aliases.<index>``: a clash of one, found once every output is known, is
    said on its own line (sitegen.model.alias_line)."""
    written = f.data.get("aliases")
    if not isinstance(written, list):
        return ()
    found = []
    for index, alias in enumerate(listed):
        at = next((i for i, value in enumerate(written) if isinstance(value, str) and clean_text(value) == alias),
                  None)
        line = f.meta.line("aliases", at) if at is not None else None
        if line is not None:
            found.append((f"aliases.{index}", line))
    return tuple(found)


@lru_cache(maxsize=256)
def _lines(items: tuple[tuple[str, int], ...]) -> dict[str, int]:
    """Front matter keys and their lines, one dict for files written alike (nothing changes
    an entry's lines once it is made)."""
    return dict(items)


#: What decides where an entry appears (its address, its lists, its language versions)
#: and the dates a sitemap gives: everything the sitemap is made of. (A static page's
#: title too: pages are listed in title order.)
PLACE = ("url", "lang", "kind", "translation_key", "date", "updated", "embargo", "draft", "section", "tags",
         "category", "unit")


def _hash(value: object) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


#: ``date:`` and ``slug:`` as written on their own lines, for front matter YAML cannot read
_WRITTEN_DATE = re.compile(r"""^date:\s*["']?(\d{4})-(\d{2})-(\d{2})""", re.MULTILINE)
_WRITTEN_SLUG = re.compile(r"""^slug:\s*["']?([A-Za-z0-9-]+)["']?\s*$""", re.MULTILINE)


def _text_photos(src: SourceFile, body: tuple[str, int, str], site_dir: Path, config: Config,
                 report: Report) -> None:
    """The problems of the photos in the text of a file whose front matter cannot be read, said
    with that error. Its address, from which relative images are read, from its date and slug
    as written on their lines; a release whose date cannot be found so has none to read them
    from, and is not checked (its error is said, and the next build checks them)."""
    text, first_line, front = body
    date = _WRITTEN_DATE.search(front)
    if date is None and src.section != PAGES:
        return
    slug = _WRITTEN_SLUG.search(front)
    f = Fields(Loaded({}, {}), src.rel, report, config.zone, config.base_url)
    converted = _convert(text, first_line, f, config.markdown.unsafe_html)
    if converted is None:
        return
    # only its digits make the address
    when = datetime(int(date[1]), int(date[2]), int(date[3])) if date else None  # noqa: DTZ001
    url = urls.article_url(config, src.lang, src.section, urls.slugify(slug[1]) if slug else
                           urls.default_slug(src.file_key.rsplit("/", 1)[-1]), src.file_key, when)
    photos.body_photos(f, converted[0], text, first_line, site_dir, image_settings(config), config.base_url, url,
                       PAGE_BODY_SIZES if src.section == PAGES else BODY_SIZES)


def _convert(text: str, first_line: int, f: Fields, unsafe_html: bool) -> tuple[str, str] | None:
    """The body as HTML, or an error on the line where it nests too deeply to convert."""
    body = clean_text(text, single_line=False)
    costly = markdown.too_costly(body)
    if costly is not None:
        f.report.error(f.rel, first_line + costly, _("this paragraph has more than {most} '[' or '<' that are never "
                                                     "closed, too many to convert").format(most=markdown.MAX_UNCLOSED),
                       _("put such text in a code block between lines of ```, or close the brackets"))
        return None
    long = markdown.too_long(body)
    if long is not None:
        f.report.error(f.rel, first_line + long[0], _("this paragraph is {size} characters long, too long to convert "
                                                      "(at most {most})").format(size=long[1],
                                                                                 most=long[2]),
                       _("split it into paragraphs, with an empty line between them"))
        return None
    deep = markdown.too_deep(body)
    if deep is None:
        try:
            converted = markdown.render(body, unsafe_html)
        except RecursionError:  # deep HTML blocks (md_in_html) that too_deep does not look for
            deep = 0
        else:
            _warn_controls(converted.controls, first_line, f)
            for index, message, hint in pasted.warnings(body, converted.html):
                f.report.warning(f.rel, first_line + index, message, hint)
            return converted.html, converted.toc
    f.report.error(f.rel, first_line + deep, _("the text is nested too deeply to convert"),
                   _("lists, quotes or HTML blocks may sit inside each other at most {most} levels deep; flatten "
                     "them").format(most=markdown.MAX_NESTING))
    return None


def _warn_controls(found: tuple[tuple[int, str], ...], first_line: int, f: Fields) -> None:
    """A warning on each line of the text that had a reference to a control character (the
    HTML is published without them): staff pasted something odd and may want to look."""
    for index, written in found:
        shown = charrefs.replacement_of(written)
        reference = written if len(written) <= 16 else written[:12] + "…"  # "&#" and thousands of digits
        if shown.strip():
            f.report.warning(f.rel, first_line + index,
                             _("'{reference}' is an old Windows code that web pages and feeds must not contain; "
                               "it is written as '{character}'").format(reference=reference, character=shown),
                             _("type '{character}' itself").format(character=shown))
        else:
            f.report.warning(f.rel, first_line + index,
                             _("'{reference}' is the code of a character that web pages and feeds must not contain; "
                               "it is taken out").format(reference=reference),
                             _("delete it: such codes come with text copied from another program"))


def _warn_of_summary_and_tags(f: Fields, summary: str, tags: tuple[str, ...]) -> None:
    """Warnings, not errors: the release is published as written, but the person who wrote
    it hears that its summary or tags will be copied far more than they meant, or that a tag
    holds no word."""
    if len(summary) > MAX_SUMMARY:
        f.report.warning(f.rel, f.line("summary"),
                         _("the summary is {length} characters long; a summary should have at most {most}").format(
                             length=len(summary), most=MAX_SUMMARY),
                         _("keep it to a few sentences: it is repeated on every list, tag page and feed that "
                           "shows the release; the rest belongs in the text below the front matter"))
    count = len({urls.term_key(tag) for tag in tags})  # as the site gives them pages: Banjir and banjir are one
    if count > TAGS_LIMIT:
        f.error("tags", _("the release has {count} tags; at most {most} are published").format(
            count=count, most=TAGS_LIMIT), _("keep the few that readers look for: each tag is a page and feeds of "
                                                 "its own that repeat the release and all its tags"))
    elif count > MAX_TAGS:
        f.report.warning(f.rel, f.line("tags"),
                         _("the release has {count} tags; a release should have at most {most}").format(
                             count=count, most=MAX_TAGS),
                         _("keep the few that readers look for: each tag is a page and feeds of its own that "
                           "repeat the release"))
    for tag in tags:
        if not any(ch.isalnum() for ch in tag):  # "?", "-", an emoji: no word to find or read
            f.report.warning(f.rel, f.line("tags"), _("the tag '{tag}' has no letter or digit").format(tag=tag),
                             _("write a word readers would look for; its page's address is a code"))


def _image(f: Fields, site_dir: Path) -> Image | None:
    raw = f.data.get("image")
    if raw is None:
        # Words about a photo the page does not show: the image line deleted, or its key mistyped.
        for key in ("image_alt", "image_caption", "image_credit"):
            if f.text(key):
                f.report.warning(f.rel, f.line(key),
                                 _("'{key}' describes a lead photo, but there is no image:").format(key=key),
                                 _("add  image: /images/foto.jpg  for the photo, or delete the line"))
        return None
    if photos.on_the_web(f, raw, f.line("image") or 1):
        return None
    asset = f.asset("image", raw, site_dir, example=photos.photo_example("image"))
    if asset is None:
        return None
    # A missing image_alt is reported with the photo (sitegen.images.read.lead_photo).
    return Image(asset, f.text("image_alt"), f.text("image_caption"), f.text("image_credit"))


def _attachments(f: Fields, site_dir: Path, config: Config) -> tuple[Asset, ...]:
    raw: Any = f.data.get("attachments")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raw = [raw]
    found: list[Asset] = []
    for index, item in enumerate(raw):
        # A problem is said on the item's own line (a list written in one line: the key's).
        line = f.meta.line("attachments", index) if isinstance(f.data.get("attachments"), list) else None
        if isinstance(item, dict):
            if not set(item) <= {"path", "title"}:
                f.error("attachments", _("each attachment has only 'path' and 'title'"), line=line)
                continue
            asset = f.asset("attachments", item.get("path"), site_dir, clean_text(str(item.get("title") or "")),
                            line=f.meta.line("attachments", index, "path") or line)
        else:
            asset = f.asset("attachments", item, site_dir, line=line)
        if asset is not None and any(a.url == asset.url for a in found):
            # the same file twice (uploaded again while its entry said it was missing): one link
            f.report.warning(f.rel, line or f.line("attachments"),
                             _("the attachment {url} is listed twice; it is shown once").format(url=asset.url),
                             _("delete this line of  attachments:"))
        elif asset is not None:
            found.append(_as_published(asset, site_dir, config))
    return tuple(found)


def _as_published(asset: Asset, site_dir: Path, config: Config) -> Asset:
    """An attachment that is a picture is published without its metadata (as every picture of
    static/ is): its size is the published file's, the length feeds give its enclosure."""
    path = site_dir / asset.source
    if not cleaned_when_published(asset.url, path):
        return asset
    size = _published_size(str(path), asset.file_size, asset.file_mtime_ns, site_dir, image_settings(config))
    return asset if size is None else replace(asset, size=size)


def forget_files() -> None:
    """What this process remembers of files by their size and time, forgotten (``--clean``
    reads every file again)."""
    _published_size.cache_clear()
    probe.forget()


@lru_cache(maxsize=256)
def _published_size(path: str, _size: int, _mtime_ns: int, site_dir: Path, settings: ImageSettings) -> int | None:
    """The size of the clean copy of the picture at ``path`` (as it was at that size and mtime),
    None when it is not published; once per process for a picture many releases attach. Read
    from the cache of clean copies where the copy is there, never written to it here
    (``sitegen check`` writes nothing): the build's copy of static/ fills it."""
    store = PhotoFiles(cachefiles.cache_dir(site_dir) / PHOTO_FOLDER, site_dir, settings, writable=False)
    try:
        return len(store.clean_file(Path(path)))
    except (PhotoFileError, OSError):  # not published at all: the build says so at the file
        return None


def _plain_parts(parts: list[str]) -> bool:
    """Whether percent-escapes leave every part of an alias one part of UTF-8 text without
    control characters, '?' or '#', and none of them '.' or '..' (``/%2e%2e/x/`` is ``/../x/``
    to every browser and server)."""
    try:
        decoded = [unquote(part, errors="strict") for part in parts]
    except UnicodeDecodeError:
        return False
    return not any(part in (".", "..") or any(c in "/\\?#" or c < " " or c == "\x7f" for c in part)
                   for part in decoded)


def _alias(f: Fields, alias: str) -> str:
    """An old address that should redirect here: ``/berita/lama/`` or a file like ``/lama.html``."""
    parts = [part for part in alias.strip().split("/") if part]
    path = "/" + "/".join(parts)
    # A last part with a dot names a file (an old CMS page); anything else is a folder.
    path += "" if parts and "." in parts[-1].strip(".") else "/"
    problem, hint = None, _("write it like /berita/2023/judul-lama/, without ../, https:// or ?")
    if not parts:
        problem = _("alias {value} would replace the home page").format(value=show(alias))
    elif any(c in alias for c in "?#\\") or ":" in parts[0] or not urls.is_safe_path(urls.output_path(path)) \
            or not _plain_parts(parts):
        problem = _("alias {value} is not a path inside this site").format(value=show(alias))
    elif max(len(part.encode("utf-8")) for part in parts) > MAX_NAME_BYTES \
            or len(path.encode("utf-8")) > MAX_PATH_BYTES:
        problem = _("alias {value} is too long to be written as a file: at most {part} bytes between two slashes "
                    "and {whole} in all").format(value=show(alias), part=MAX_NAME_BYTES, whole=MAX_PATH_BYTES)
        hint = _("shorten it to the old address as it really was")
    if problem:
        written = f.data.get("aliases")
        at = next((i for i, value in enumerate(written) if isinstance(value, str) and clean_text(value) == alias),
                  None) if isinstance(written, list) else None
        f.error("aliases", problem, hint,
                line=f.meta.line("aliases", at) if at is not None else None)  # the entry's own line
        return ""
    # Copied from a browser's address bar: /berita/foto%20rapat/ is the folder 'foto rapat' to
    # every web server (and _redirects escapes it again).
    return unquote(path)
