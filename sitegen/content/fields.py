"""Front-matter values → typed, cleaned values, each problem reported with its line."""

from __future__ import annotations

import difflib
import mimetypes
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from sitegen import urls
from sitegen.config import Contact
from sitegen.content.frontmatter import strip_controls
from sitegen.errors import Report, shown_value
from sitegen.messages import N_, _
from sitegen.model import Asset
from sitegen.yamlmarks import Loaded

if TYPE_CHECKING:
    from sitegen.images.photo import Photo

KNOWN_KEYS = (
    "title", "date", "summary", "author", "location", "agency", "tags", "category",
    "image", "image_alt", "image_caption", "image_credit", "attachments", "contact",
    "embargo", "draft", "slug", "translation_key", "updated", "aliases",
    "release_number", "unit", "gallery", "translated_from",
)

_WS = re.compile(r"\s+")

#: Dates outside this range are typing mistakes (and beyond year 9999 they cannot be stored).
YEARS = (1900, 2999)
#: A time of day alone, as the desk sends it when only the time was filled in.
_CLOCK = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
#: A time written with a dot, as Indonesian pages show it ("12.45"): Python reads 12.45 as
#: 12 hours and 0.45 seconds, so an embargo at 12.45 would lift at 12.00.
_DOTTED_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}[T ])(\d{1,2})\.(\d{2})((?:\.\d{2})?)(.*)")
_IMPOSSIBLE = (("day is out of range", N_("that month has no such day")),
               ("month must be", N_("there is no such month")),
               ("year 0", N_("there is no year 0")),
               ("hour must be", N_("there is no such hour")),
               ("minute must be", N_("there is no such minute")),
               ("second must be", N_("there is no such second")),
               ("offset must be", N_("a time zone offset must be less than 24 hours")))


def clean_text(text: str, single_line: bool = True) -> str:
    text = strip_controls(text)
    return _WS.sub(" ", text).strip() if single_line else text


show = shown_value


def _offset(offset: timedelta) -> str:
    """A UTC offset as people write it: +07:07:12."""
    seconds = int(offset.total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _shows_anything(text: str) -> bool:
    """Whether ``text`` has a character that shows: not only spaces and format characters
    (a zero-width space, a direction mark, a byte order mark pasted from another program)."""
    return any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text)


class Fields:
    """Reads one file's front matter; every accessor reports problems and returns a safe value."""

    def __init__(self, meta: Loaded, rel: str, report: Report, zone: ZoneInfo, base_url: str = "",
                 photos_before: Mapping[str, Photo] | None = None) -> None:
        data = meta.data if isinstance(meta.data, dict) else {}
        #: Photos this file's last parse showed whose files are as they were then, by file
        #: (static/...): they need not be read again (sitegen.images.read).
        self.photos_before: Mapping[str, Photo] = photos_before or {}
        # Keys by their text as written: YAML reads  ~:  or  true:  as None or True, which
        # would be named 'None' and found on no line (the lines are kept by the written text).
        written = [path[0] for path in meta.lines if len(path) == 1]
        names = written if len(written) == len(data) else [str(k) for k in data]
        self.data: dict[str, Any] = {k if isinstance(k, str) else str(name): v
                                     for (k, v), name in zip(data.items(), names, strict=True)}
        self.meta = meta
        self.rel = rel
        self.report = report
        self.zone = zone
        self.base_url = base_url
        self.failed = False
        #: False when the front matter is a list or a text: that one error is reported, not every
        #: required key as missing besides.
        self.mapping = meta.data is None or isinstance(meta.data, dict)
        if not self.mapping:
            self.error("", _("the front matter must be  key: value  lines"),
                       _("write it like  title: Rapat koordinasi  on its own line"), line=meta.start)
        for key in self.data:
            if key not in KNOWN_KEYS:
                near = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
                self.report.warning(rel, self.line(key), _("unknown front matter key '{key}' is ignored")
                                    .format(key=key), _("did you mean '{key}'?").format(key=near[0]) if near else
                                    _("known keys: {keys}").format(keys=", ".join(KNOWN_KEYS)))

    def line(self, key: str) -> int | None:
        return self.meta.line(key) or (1 if key == "" else self.meta.line())

    def error(self, key: str, message: str, hint: str | None = None, line: int | None = None) -> None:
        self.failed = True
        self.report.error(self.rel, line or self.line(key) or 1, message, hint)

    def _scalar(self, value: Any, *path: str | int) -> str | None:
        """Text of a scalar as it was written (``3.10``, not ``3.1``), None for other values."""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None
        return value if isinstance(value, str) else self.meta.written.get(path, str(value))

    def text(self, key: str, required: bool = False, single_line: bool = True) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required and self.mapping:
                if key in self.data:
                    self.error(key, _("'{key}' is empty").format(key=key),
                               _("write the {key} after  {key}:  on this line").format(key=key))
                else:
                    self.error(key, _("'{key}' is missing").format(key=key),
                               _("add a line like  {key}: ...  to the front matter").format(key=key))
            return ""
        written = self._scalar(value, key)
        if written is None:
            self.error(key, _("'{key}' must be text, not {kind}").format(key=key, kind=_kind(value)),
                       _("write it as  {key}: \"...\"").format(key=key))
            return ""
        cleaned = clean_text(written, single_line)
        if required and not _shows_anything(cleaned):
            self.error(key, _("'{key}' is empty").format(key=key), _("give the {key} some words").format(key=key))
        return cleaned

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        value = self.data.get(key)
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        written = [self._scalar(v, key, i) for i, v in enumerate(items)] if isinstance(items, list) else [None]
        if any(w is None for w in written):
            what = _kind(value)
            if isinstance(value, list):
                what = _("a list holding {kind}").format(
                    kind=_kind(next(v for v, w in zip(value, written, strict=True) if w is None)))
            self.error(key, _("'{key}' must be a list of texts, not {kind}").format(key=key, kind=what),
                       _("write it as  {key}: [first, second]").format(key=key))
            return ()
        cleaned = (clean_text(w) for w in written if w is not None)
        return tuple(dict.fromkeys(v for v in cleaned if v))

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(key, _("'{key}' must be true or false, not {value}").format(key=key, value=show(value)),
                       _("write  {key}: true  or  {key}: false").format(key=key))
            return False
        return value

    def moment(self, key: str, required: bool = False) -> datetime | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required and self.mapping:
                message = _("'{key}' is empty") if key in self.data else _("'{key}' is missing")
                self.error(key, message.format(key=key),
                           _("add  {key}: 2024-05-30T10:00:00+07:00  to the front matter").format(key=key))
            return None
        hint = _("write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+07:00, like 2024-05-30T10:00:00+07:00")
        if isinstance(value, date):  # an explicit !!timestamp tag
            value = value.isoformat()
        text = self._scalar(value, key)
        if text is None:
            self.error(key, _("'{key}' must be a date, not {kind}").format(key=key, kind=_kind(value)), hint)
            return None
        text = text.strip()
        dotted = _DOTTED_TIME.fullmatch(text)
        if dotted:
            day, hours, minutes, seconds, rest = dotted.groups()
            self.error(key, _("'{key}' {value} writes the time with a dot, as the site shows it").format(
                key=key, value=show(text)), _("write it with a colon: {fixed}").format(
                fixed=f"{day}{int(hours):02d}:{minutes}{seconds.replace('.', ':')}{rest}"))
            return None
        try:
            parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text[:11] else text)
        except ValueError as exc:
            why = next((plain for known, plain in _IMPOSSIBLE if known in str(exc)), None)
            if why:
                self.error(key, _("'{key}' {value} is an impossible date: {why}").format(
                    key=key, value=show(text), why=_(why)), hint)
            elif _CLOCK.fullmatch(text):  # the desk's time field filled, its date field left empty
                self.error(key, _("'{key}' has a time ({value}) but no date").format(key=key, value=text),
                           _("give the day too, like 2024-05-30 {value}").format(value=text))
            else:
                self.error(key, _("'{key}' {value} is not a date").format(key=key, value=show(text)), hint)
            return None
        if not YEARS[0] <= parsed.year <= YEARS[1]:
            self.error(key, _("'{key}' {value} is not between the years {first} and {last}").format(
                key=key, value=show(text), first=YEARS[0], last=YEARS[1]), _("check the year for a typing mistake"))
            return None
        if len(text) <= 10:
            parsed = datetime.combine(parsed.date(), time())
        moment = parsed.replace(tzinfo=self.zone) if parsed.tzinfo is None else parsed
        offset = moment.astimezone(self.zone).utcoffset()
        if offset is not None and offset.seconds % 60:
            # Before 1924 Jakarta's clocks ran 7:07:12 ahead of UTC: no feed, sitemap or
            # structured data can write such a time (RFC 822 and RFC 3339 take whole minutes).
            self.error(key, _("'{key}' {value} lies before the time zone {zone} kept whole minutes (its clocks then "
                              "ran {offset} from UTC), which feeds cannot write").format(
                key=key, value=show(text), zone=self.zone.key, offset=_offset(offset)),
                _("check the year for a typing mistake"))
            return None
        return moment

    def contact(self) -> Contact | None:
        value = self.data.get("contact")
        if value is None:
            return None
        fields = ("name", "phone", "email")
        texts = {str(k): self._scalar(v, "contact", str(k)) for k, v in value.items() if v is not None} \
            if isinstance(value, dict) else {"": None}
        if not set(texts) <= set(fields) or any(t is None for t in texts.values()):
            self.error("contact", _("'contact' must have only name, phone and email, each as text"),
                       _("write it as  contact: {name: ..., phone: ..., email: ...}"))
            return None
        return Contact(**{k: clean_text(t) for k, t in texts.items() if t is not None})

    def own_path(self, raw: Any) -> Any:
        """``raw`` with the site's own address taken off (``https://humas.../images/f.jpg``,
        copied from the published site, is ``/images/f.jpg``); anything else as it is."""
        path = urls.own_path(raw.strip(), self.base_url) if isinstance(raw, str) else None
        return raw if path is None else path

    def asset(self, key: str, raw: Any, site_dir: Path, title: str = "", line: int | None = None,
              missing: tuple[str, str] | None = None, example: str | None = None) -> Asset | None:
        """A file under static/, addressed as /path/in/static; nothing outside static/ is read.
        Problems are reported on ``line`` when given (a gallery item, an image in the text),
        else on the key's; ``missing``: the message and hint for a file that is not there, when
        ``raw`` is not what was written (an address resolved from a relative one); ``example``:
        how such a file is written there (default: an attachment's way)."""
        raw = self.own_path(raw)
        example = example or _("write it as  {key}: /files/rilis.pdf  for the file static/files/rilis.pdf").format(
            key=key)
        if raw is None or (isinstance(raw, str) and not clean_text(raw)):
            self.error(key, _("'{key}' names no file").format(key=key), example, line=line)
            return None
        if not isinstance(raw, str):
            self.error(key, _("'{key}' must be a file path, not {value}").format(key=key, value=show(raw)), example,
                       line=line)
            return None
        # "./images/f.jpg", "images//f.jpg": the file a browser would take them for ("." and
        # empty parts dropped; ".." is refused below).
        url = "/" + "/".join(part for part in clean_text(raw).split("/") if part not in ("", "."))
        if "%" in url and not (site_dir / "static" / url.lstrip("/")).exists():
            url = unquote(url)  # /images/foto%20rapat.jpg, as Markdown editors write a space
        try:
            static = (site_dir / "static").resolve()
            target = (static / url.lstrip("/")).resolve()
            # Inside static/ and inside the site: a linked static/ folder cannot lead out either.
            outside = ".." in url.split("/") or "\\" in url or not target.is_relative_to(static) \
                or not target.is_relative_to(site_dir.resolve())
            exists = not outside and target.is_file()
            stat = target.stat() if exists else None
            size, mtime_ns = (stat.st_size, stat.st_mtime_ns) if stat is not None else (0, 0)
        except (OSError, ValueError):  # a name too long, or with a character no file system takes
            self.error(key, _("{value} is not a usable file name").format(value=show(raw)), example, line=line)
            return None
        except RuntimeError:  # a link loop (Python 3.11's resolve() says so this way)
            self.error(key, _("{value} is a link that leads back to itself").format(value=show(raw)),
                       _("replace the link in static/ with the file itself"), line=line)
            return None
        if ".." in url.split("/") and target.is_relative_to(static):  # refused all the same: a path is
            # written from static/, as the file's own address (a browser would drop the "..")
            self.error(key, _("{value} has '..' in its path").format(value=show(raw)),
                       _("write the file's path from static/: {advice}").format(advice=example), line=line)
            return None
        if outside:
            self.error(key, _("{value} points outside the static/ folder").format(value=show(raw)),
                       _("put the file in static/ and {advice}").format(advice=example), line=line)
            return None
        if not exists and target.is_dir():
            self.error(key, _("{value} is a folder, not a file").format(value=show(raw)), example, line=line)
            return None
        if not exists:
            self.error(key, *(missing or (_("the file {value} does not exist").format(value=show(raw)),
                                          _("put it at static{url}, or fix the name").format(url=url))), line=line)
            return None
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return Asset(url=url, source="static" + url, size=size, mime=mime, title=title, file_size=size,
                     file_mtime_ns=mtime_ns)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return _("true/false")
    if value is None:
        return _("nothing")
    kinds = {dict: N_("a mapping (key: value pairs)"), list: N_("a list"), int: N_("a number"),
             float: N_("a number"), str: N_("text")}
    kind = kinds.get(type(value))
    return _(kind) if kind else _("a {type}").format(type=type(value).__name__)
