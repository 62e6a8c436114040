"""The release form ↔ front matter: what each field shows, and which keys a submission changes.

A field is compared with what the file already says *as the form shows it*: a date written
``2024-05-30T10:00:00+07:00`` shows as 2024-05-30 and 10:00, and only a different date or time
rewrites the ``date`` line. Keys the form does not know (``author``, ``aliases``, anything
else) are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.desk.document import Document, Value
from sitegen.urls import apart, default_slug, slugify, title_slug

#: Form field → the front matter key it writes (several fields may write one key).
FIELD_KEYS: dict[str, str] = {
    "title": "title", "date": "date", "time": "date", "location": "location",
    "release_number": "release_number", "category": "category", "unit": "unit", "tags": "tags",
    "summary": "summary", "contact_name": "contact", "contact_phone": "contact", "contact_email": "contact",
    "embargo_date": "embargo", "embargo_time": "embargo", "draft": "draft", "image": "image",
    "image_alt": "image_alt", "image_caption": "image_caption", "image_credit": "image_credit",
    "attachments": "attachments", "gallery": "gallery", "translated_from": "translated_from",
}
#: Front matter key → the form field where its problems are shown.
KEY_FIELDS: dict[str, str] = {
    "title": "title", "date": "date", "location": "location", "release_number": "release_number",
    "category": "category", "unit": "unit", "tags": "tags", "summary": "summary", "contact": "contact_name",
    "embargo": "embargo_date", "draft": "draft", "image": "image", "image_alt": "image_alt",
    "image_caption": "image_caption", "image_credit": "image_credit", "attachments": "attachments",
    "gallery": "gallery",
}
#: The order in which a new file's keys are written (the order the README's example uses).
KEY_ORDER = ("title", "date", "embargo", "draft", "summary", "location", "release_number", "category", "unit",
             "tags", "contact", "image", "image_alt", "image_caption", "image_credit", "gallery", "attachments",
             "translated_from")
GALLERY_KEYS = ("path", "alt", "caption", "credit")
_TIME = re.compile(r"^\d{2}:\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Release:
    """Everything the form shows, as the text in its fields."""

    title: str = ""
    date: str = ""  # YYYY-MM-DD in the site's timezone
    time: str = ""  # HH:MM
    location: str = ""
    release_number: str = ""
    category: str = ""  # empty: the build files it under its section
    unit: str = ""
    tags: tuple[str, ...] = ()
    summary: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    embargo_date: str = ""
    embargo_time: str = ""
    draft: bool = False
    image: str = ""
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    attachments: tuple[tuple[str, str], ...] = ()  # (path, title)
    gallery: tuple[tuple[str, str, str, str], ...] = ()  # (path, alt, caption, credit)
    translated_from: str = ""
    body: str = ""


# --- file → form -------------------------------------------------------------------------


def _moment(doc: Document, key: str, zone: ZoneInfo) -> tuple[str, str]:
    """A date key as (date, time) in the site's timezone; ("", "") when absent or unreadable."""
    raw = doc.data.get(key)
    text = raw.isoformat() if isinstance(raw, date) else doc.written(key)
    if not text:
        return "", ""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text[:11] else text)
    except ValueError:
        return "", ""
    if len(text) <= 10:
        return moment.date().isoformat(), ""
    local = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    return local.date().isoformat(), f"{local:%H:%M}"


def _texts(doc: Document, key: str) -> tuple[str, ...]:
    value = doc.data.get(key)
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return tuple(str(v) for v in items if isinstance(v, str | int | float) and not isinstance(v, bool))


def _contact(doc: Document) -> Mapping[str, str]:
    value = doc.data.get("contact")
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str | int | float)}


def _attachments(doc: Document) -> tuple[tuple[str, str], ...]:
    value = doc.data.get("attachments")
    items = value if isinstance(value, list) else [value] if value is not None else []
    found = []
    for item in items:
        if isinstance(item, dict):
            found.append((str(item.get("path") or ""), str(item.get("title") or "")))
        elif isinstance(item, str):
            found.append((item, ""))
    return tuple(found)


def _gallery(doc: Document) -> tuple[tuple[str, str, str, str], ...]:
    value = doc.data.get("gallery")
    found = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str):
            item = {"path": item}
        if isinstance(item, dict):
            found.append(tuple(str(item.get(k) or "") for k in GALLERY_KEYS))
    return tuple((p, a, c, r) for p, a, c, r in found)


def from_document(doc: Document, zone: ZoneInfo) -> Release:
    day, clock = _moment(doc, "date", zone)
    embargo_day, embargo_clock = _moment(doc, "embargo", zone)
    contact = _contact(doc)
    draft = doc.data.get("draft")
    return Release(
        title=doc.written("title") or "", date=day, time=clock,
        location=doc.written("location") or "", release_number=doc.written("release_number") or "",
        category=doc.written("category") or "", unit=doc.written("unit") or "", tags=_texts(doc, "tags"),
        summary=doc.written("summary") or "",
        contact_name=contact.get("name", ""), contact_phone=contact.get("phone", ""),
        contact_email=contact.get("email", ""), embargo_date=embargo_day, embargo_time=embargo_clock,
        draft=draft is True, image=doc.written("image") or "", image_alt=doc.written("image_alt") or "",
        image_caption=doc.written("image_caption") or "", image_credit=doc.written("image_credit") or "",
        attachments=_attachments(doc), gallery=_gallery(doc), translated_from=doc.written("translated_from") or "",
        body=doc.body,
    )


# --- form submission → Release ---------------------------------------------------------------


def _one(form: Mapping[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0].replace("\r\n", "\n").replace("\r", "\n")


def _line(form: Mapping[str, list[str]], name: str) -> str:
    return " ".join(_one(form, name).split())


def from_form(form: Mapping[str, list[str]]) -> Release:
    """A submitted form (``parse_qs``-style) as a Release; text is kept as typed, line ends made plain."""
    tags = [t.strip() for t in form.get("tag", []) if t.strip()]
    tags += [t.strip() for t in _one(form, "tag_new").split(",") if t.strip()]
    paths, titles = form.get("attachment_path", []), form.get("attachment_title", [])
    # A file uploaded again (its entry said it was missing) is one attachment, with its title.
    listed: dict[str, str] = {}
    for i, path in enumerate(paths):
        title = (titles[i] if i < len(titles) else "").strip()
        if path.strip():
            listed[path.strip()] = listed.get(path.strip()) or title
    attachments = tuple(listed.items())
    columns = [form.get(f"gallery_{k}", []) for k in GALLERY_KEYS]
    gallery = tuple((p.strip(), *(" ".join((c[i] if i < len(c) else "").split()) for c in columns[1:]))
                    for i, p in enumerate(columns[0]) if p.strip())
    return Release(
        title=_line(form, "title"), date=_one(form, "date").strip(), time=_one(form, "time").strip()[:5],
        location=_line(form, "location"), release_number=_line(form, "release_number"),
        category=_line(form, "category"), unit=_line(form, "unit"), tags=tuple(dict.fromkeys(tags)),
        summary=_one(form, "summary").strip(),
        contact_name=_line(form, "contact_name"), contact_phone=_line(form, "contact_phone"),
        contact_email=_line(form, "contact_email"), embargo_date=_one(form, "embargo_date").strip(),
        embargo_time=_one(form, "embargo_time").strip()[:5], draft=bool(form.get("draft")),
        image=_line(form, "image"), image_alt=_line(form, "image_alt"),
        image_caption=_line(form, "image_caption"), image_credit=_line(form, "image_credit"),
        attachments=attachments, gallery=gallery,  # type: ignore[arg-type]
        translated_from=_line(form, "translated_from"), body=_one(form, "body"),
    )


def as_form(release: Release) -> dict[str, list[str]]:
    """The fields a browser sends back for ``release`` when nothing was edited (the inverse of
    ``from_form`` up to its tidying of spaces)."""
    sent = {f.name: [getattr(release, f.name)] for f in fields(Release)
            if isinstance(getattr(release, f.name), str)}
    sent["tag"] = list(release.tags)
    sent["draft"] = ["1"] if release.draft else []
    sent["attachment_path"] = [path for path, _title in release.attachments]
    sent["attachment_title"] = [title for _path, title in release.attachments]
    for index, key in enumerate(GALLERY_KEYS):
        sent[f"gallery_{key}"] = [item[index] for item in release.gallery]
    return sent


# --- Release → front matter changes ------------------------------------------------------------


def moment_text(day: str, clock: str, zone: ZoneInfo) -> str:
    """``2024-05-30T10:00:00+07:00`` for a date and time on the site's clock; the date alone
    without a time; what was typed when it is not a date, or a time without a date (the
    check then says what is wrong: an embargo time alone must not vanish and publish at once)."""
    if not day:
        return clock
    if not _DATE.match(day) or (clock and not _TIME.match(clock)):
        return f"{day} {clock}".strip()
    try:
        parsed = date.fromisoformat(day)
        if not clock:
            return parsed.isoformat()
        local = datetime.combine(parsed, time.fromisoformat(clock), tzinfo=zone)
    except ValueError:
        return f"{day} {clock}".strip()
    return local.isoformat()


def _is(kind: type[date] | type[time], pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``text`` is a date (a time) as the browser's field sends one: 2026-05-30 (17:42)."""
    try:
        kind.fromisoformat(text)
    except ValueError:
        return False
    return pattern.match(text) is not None


def unreadable_part(day: str, clock: str) -> str | None:
    """Which of a date field and its time field stops ``moment_text`` writing them as a moment:
    "date" (a time with no date, or a date text that is none), "time" (a time text that is
    none); None when both are empty or both can be read. Without the page's script a date the
    browser cannot read arrives empty, and the time alone would be written as the date."""
    if not day:
        return "date" if clock else None
    if not _is(date, _DATE, day):
        return "date"
    return "time" if clock and not _is(time, _TIME, clock) else None


def unreadable_moments(release: Release) -> dict[str, str]:
    """Each date field ("date", "embargo_date") whose date and time cannot be written as a
    moment, with the part at fault ("date" or "time")."""
    pairs = {"date": (release.date, release.time), "embargo_date": (release.embargo_date, release.embargo_time)}
    found = {name: unreadable_part(day, clock) for name, (day, clock) in pairs.items()}
    return {name: part for name, part in found.items() if part is not None}


def goes_public(release: Release, zone: ZoneInfo) -> datetime | None:
    """When the release may go on the site, as its date and embargo say (the later of the
    two); None when neither can be read as a moment."""
    moments = []
    for day, clock in ((release.date, release.time), (release.embargo_date, release.embargo_time)):
        text = moment_text(day, clock, zone)
        try:
            moment = datetime.fromisoformat(text) if "T" in text else \
                datetime.combine(date.fromisoformat(text), time(), tzinfo=zone)
        except ValueError:
            continue
        moments.append(moment)
    return max(moments) if moments else None


def _value(release: Release, key: str, zone: ZoneInfo, article: bool) -> Value | None:
    """The front matter value of ``key`` for ``release``; None: the key is left out."""
    r = release
    if key == "title":
        return r.title  # written even when empty, so the check points at its line
    if key in ("date", "embargo"):
        day, clock = (r.date, r.time) if key == "date" else (r.embargo_date, r.embargo_time)
        text = moment_text(day, clock, zone)
        return text if text or (key == "date" and article) else None
    if key == "tags":
        return r.tags or None
    if key == "contact":
        pairs = {"name": r.contact_name, "phone": r.contact_phone, "email": r.contact_email}
        kept = {k: v for k, v in pairs.items() if v}
        return kept or None
    if key == "draft":
        return True if r.draft else None
    if key == "gallery":
        photos = tuple({k: v for k, v in zip(GALLERY_KEYS, item, strict=True) if v} for item in r.gallery)
        return photos or None
    if key == "attachments":
        items = tuple({"path": p, "title": t} if t else {"path": p} for p, t in r.attachments)
        return items or None
    text = getattr(r, key)
    assert isinstance(text, str)
    return text or None


def changes(old: Release | None, new: Release, zone: ZoneInfo, article: bool = True) -> dict[str, Value | None]:
    """The front matter keys whose value differs between the two forms, with their new values;
    every key with a value when there is no ``old`` (a new file)."""
    if old is None:
        values = {key: _value(new, key, zone, article) for key in KEY_ORDER}
        return {key: value for key, value in values.items() if value is not None}
    # Compared as the form would send them back: a field left as it was (a title with two
    # spaces, a folded summary) is then no change, and its key keeps its bytes.
    old = from_form(as_form(old))
    differing = {FIELD_KEYS[f.name] for f in fields(Release)
                 if f.name in FIELD_KEYS and getattr(old, f.name) != getattr(new, f.name)}
    return {key: _value(new, key, zone, article) for key in KEY_ORDER if key in differing}


def follows_title(doc: Document, title: str, file_key: str, taken: Callable[[str], bool]) -> bool:
    """Whether the file's address is the one its title gives (by its ``slug:``, else by its file
    name, made from the title at the first save; "rilis" for a title still empty then), or the
    one the desk gives it to keep it apart from other releases' (``apart``), rather than one
    someone chose apart from the title (``hut-ri-79`` for "HUT RI")."""
    written = doc.written("slug")
    address = slugify(written) if written else default_slug(file_key.rsplit("/", 1)[-1])
    wanted = title_slug(title)
    return address in (wanted, apart(wanted, taken))


def address_change(doc: Document, old: Release, new: Release, file_key: str,
                   taken: Callable[[str], bool]) -> dict[str, Value | None]:
    """The ``slug`` a retitled draft gets. A release saved early under a working title would keep
    that title's address for ever; while it is a draft (never on the site, so no link to it is
    out there) its address follows its title, unless someone chose another."""
    if doc.data.get("draft") is not True or old.title == new.title or \
            not follows_title(doc, old.title, file_key, taken):
        return {}
    return title_address(doc, new.title, file_key, taken)


def title_address(doc: Document, title: str, file_key: str,
                  taken: Callable[[str], bool]) -> dict[str, Value | None]:
    """The ``slug`` change that gives the file the address ``title`` gives, kept apart from
    other releases' (none when the title is empty, or the file name says it already)."""
    if not title.strip():
        return {}
    wanted = title_slug(title)
    wanted = apart(wanted, taken)
    if wanted == default_slug(file_key.rsplit("/", 1)[-1]):
        return {"slug": None} if doc.written("slug") else {}
    return {"slug": wanted}


def merge(base: Release, mine: Release, theirs: Release) -> tuple[Release, tuple[str, ...]]:
    """Two saves of one opened release: ``mine`` with every field that only ``theirs`` changed
    since ``base`` (what both were opened from); and the fields both changed, each its own
    way, where ``mine`` is kept. The opened versions are compared as the form shows them."""
    base, theirs = from_form(as_form(base)), from_form(as_form(theirs))
    merged: dict[str, Any] = {}
    clashing = []
    for f in fields(Release):
        was, own, other = getattr(base, f.name), getattr(mine, f.name), getattr(theirs, f.name)
        merged[f.name] = other if own == was else own
        if own != was and other not in (was, own):
            clashing.append(f.name)
    return Release(**merged), tuple(clashing)


def new_release(zone: ZoneInfo, now: datetime) -> Release:
    """A blank release: today's date on the site's clock, and a draft until someone publishes it.
    The press contact stays empty: the one in config.yaml applies (the form shows it)."""
    local = now.astimezone(zone)
    return replace(Release(), date=local.date().isoformat(), time=f"{local:%H:%M}", draft=True)


def as_values(release: Release) -> dict[str, Any]:
    """The form's fields for the templates."""
    return {f.name: getattr(release, f.name) for f in fields(Release)}
