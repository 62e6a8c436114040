"""Front-matter values → typed, cleaned values, each problem reported with its line."""

from __future__ import annotations

import difflib
import mimetypes
import re
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.config import Contact
from sitegen.errors import Report
from sitegen.model import Asset
from sitegen.yamlmarks import Loaded

KNOWN_KEYS = (
    "title", "date", "summary", "author", "location", "agency", "tags", "category",
    "image", "image_alt", "image_caption", "image_credit", "attachments", "contact",
    "embargo", "draft", "slug", "translation_key", "updated", "aliases",
    "release_number", "unit",
)

# Word processors paste vertical tabs (manual line breaks), form feeds and other
# controls that XML forbids; they become spaces or vanish instead of failing the build.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_SPACE_LIKE = re.compile("[\x0b\x0c\x85\u2028\u2029]")
_WS = re.compile(r"\s+")


def clean_text(text: str, single_line: bool = True) -> str:
    text = _CONTROL.sub("", _SPACE_LIKE.sub(" ", text))
    return _WS.sub(" ", text).strip() if single_line else text


class Fields:
    """Reads one file's front matter; every accessor reports problems and returns a safe value."""

    def __init__(self, meta: Loaded, rel: str, report: Report, zone: ZoneInfo) -> None:
        self.data: dict[str, Any] = meta.data if isinstance(meta.data, dict) else {}
        self.meta = meta
        self.rel = rel
        self.report = report
        self.zone = zone
        self.failed = False
        if meta.data is not None and not isinstance(meta.data, dict):
            self.error("", "front matter must be a list of 'key: value' lines")
        for key in self.data:
            if key not in KNOWN_KEYS:
                near = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1)
                self.report.warning(rel, self.line(key), f"unknown front matter key '{key}' is ignored",
                                    f"did you mean '{near[0]}'?" if near else None)

    def line(self, key: str) -> int | None:
        return self.meta.line(key) or (1 if key == "" else self.meta.line())

    def error(self, key: str, message: str, hint: str | None = None) -> None:
        self.failed = True
        self.report.error(self.rel, self.line(key) or 1, message, hint)

    def text(self, key: str, required: bool = False, single_line: bool = True) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(key, f"'{key}' is missing or empty" if key in self.data else f"missing '{key}'",
                           f"add a line like  {key}: ...  to the front matter")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, f"'{key}' must be text, not {_kind(value)}", f"write it as  {key}: \"...\"")
            return ""
        cleaned = clean_text(str(value), single_line)
        if required and not cleaned:
            self.error(key, f"'{key}' is empty", f"give the {key} some words")
        return cleaned

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
        ):
            self.error(key, f"'{key}' must be a list of texts, not {_kind(value)}",
                       f"write it as  {key}: [first, second]")
            return ()
        items = (clean_text(str(v)) for v in value)
        return tuple(dict.fromkeys(v for v in items if v))

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not {value!r}", f"write  {key}: true  or  {key}: false")
            return False
        return value

    def moment(self, key: str, required: bool = False) -> datetime | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(key, f"missing '{key}'", f"add  {key}: 2024-05-30T10:00:00+07:00  to the front matter")
            return None
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text[:11] else text)
        except ValueError as exc:
            reason = str(exc)
            impossible = "out of range" in reason or "must be in" in reason
            self.error(key, f"'{key}' {text!r} is " + ("an impossible date" if impossible else "not a date"),
                       "write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+07:00")
            return None
        if len(text) <= 10:
            parsed = datetime.combine(parsed.date(), time())
        return parsed.replace(tzinfo=self.zone) if parsed.tzinfo is None else parsed

    def contact(self) -> Contact | None:
        value = self.data.get("contact")
        if value is None:
            return None
        if not isinstance(value, dict) or not set(value) <= {"name", "phone", "email"}:
            self.error("contact", "'contact' must have only name, phone and email",
                       "write it as  contact: {name: ..., phone: ..., email: ...}")
            return None
        return Contact(**{k: clean_text(str(v)) for k, v in value.items() if v is not None})

    def asset(self, key: str, raw: Any, site_dir: Path, title: str = "") -> Asset | None:
        """A file under static/, addressed as /path/in/static; nothing outside static/ is read."""
        if not isinstance(raw, str) or not raw.strip():
            self.error(key, f"'{key}' must be a file path like /files/rilis.pdf")
            return None
        url = "/" + raw.strip().lstrip("/")
        static = (site_dir / "static").resolve()
        target = (static / url.lstrip("/")).resolve()
        if ".." in url.split("/") or not target.is_relative_to(static):
            self.error(key, f"'{raw}' points outside the static/ folder", "put the file in static/")
            return None
        if not target.is_file():
            self.error(key, f"file '{raw}' does not exist", f"put it at static{url}")
            return None
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return Asset(url=url, source="static" + url, size=target.stat().st_size, mime=mime, title=title)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {dict: "a mapping", list: "a list", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)
