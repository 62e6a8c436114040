"""The desk's routes: requests in, replies out; the HTTP server around it is sitegen serve's.

Every request first passes the Host check; off loopback every page but the login needs a
signed-in session; every POST needs the session's CSRF token. Pages are rendered from
``templates/`` with the UI language's words; files are touched only through ``storage``,
``uploads`` and ``paths``.
"""

from __future__ import annotations

import json
import mimetypes
import re
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from sitegen import urls
from sitegen.build import Options, Prepared, output_dir, prepare
from sitegen.clock import ClockError, resolve_now
from sitegen.config import Config
from sitegen.content.discover import PAGES
from sitegen.desk import document, form, keep, overview, paths, removal, security, storage, untranslated, uploads, views
from sitegen.desk.checking import Examined, Finding, examine, is_page
from sitegen.desk.language import choose as choose_language
from sitegen.errors import Diagnostic, SiteError
from sitegen.images.settings import image_settings
from sitegen.messages import N_, Language, _, fixed_language, locale_language, ngettext, speaking
from sitegen.translated import KEY as TRANSLATED_FROM
from sitegen.translated import stamp

PREFIX = "/__sitegen/desk/"
#: Where a preview's photos are (after PREFIX), by their address on the site
PREVIEW = "preview/"
#: Each form field by the label the form shows it under (for a conflict's list of fields).
FIELD_LABELS = {
    "title": N_("Title"), "date": N_("Date"), "time": N_("Time"), "location": N_("Location (dateline)"),
    "release_number": N_("Release number"), "category": N_("Category"), "unit": N_("Unit"), "tags": N_("Tags"),
    "summary": N_("Summary"),
    "contact_name": N_("Press contact"), "contact_phone": N_("Press contact"), "contact_email": N_("Press contact"),
    "embargo_date": N_("Embargo date"), "embargo_time": N_("Embargo time"), "draft": N_("Draft: not on the site yet"),
    "image": N_("Lead photo"), "image_alt": N_("Lead photo"), "image_caption": N_("Lead photo"),
    "image_credit": N_("Lead photo"), "attachments": N_("Attachments"), "gallery": N_("Gallery"),
    "translated_from": N_("This translation matches the current source"), "body": N_("Text"),
}
#: Fields the other version beside a conflicting form always shows (translated_from: a hidden one).
SHOWN_BESIDE = frozenset({"title", "date", "time", "summary", "body", "translated_from"})
#: The largest release form the desk saves, as the browser sends it. A press release is some
#: tens of kB; 2 MB is a book's length, reached only by something pasted by mistake (a word
#: processor's photo as a data: address), which every save would also copy into the history
#: and every keystroke send to the check and render. So the limit stays, and is never where
#: work is lost: the page's script says it before sending (and the live check beside the text),
#: and a form over it comes back filled in, as sent (serve reads up to uploads.MAX_REQUEST).
MAX_FORM = 2 * 1024 * 1024
MAX_FORM_MB = MAX_FORM // (1024 * 1024)
#: The contact fields' hint, also filled in per language for a new release's form (its script).
CONTACT_HINT = N_("Leave empty to use the office's contact: {name}.")
#: What the desk says beside the text of a release over MAX_FORM (the script says it too).
TOO_LONG = N_("The release is larger than {limit} MB, the most the desk saves. Shorten the text: photos go "
              "in with “Upload photo”, not pasted into it.")


#: What the desk says above a form it did not save for a date or time it cannot read (sent
#: without the page's script, which says so before sending, or typed where the browser has no
#: calendar): how to write them.
UNREADABLE_DATE = N_("Nothing was saved: a date or time below cannot be read. Write a date as year-month-day, "
                     "like 2026-05-30, and a time as hours:minutes, like 17:42; a time needs its date too.")


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str  # with the query string
    headers: Mapping[str, str]  # lower-case names
    body: bytes = b""
    client: str = ""

    @property
    def route(self) -> str:
        return urlsplit(self.path).path[len(PREFIX):]

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)

    def form(self) -> dict[str, list[str]]:
        kind = self.headers.get("content-type", "")
        if kind.startswith("multipart/form-data"):
            return uploads.texts(uploads.multipart(kind, self.body))
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)


@dataclass(slots=True)
class Reply:
    status: int
    body: bytes = b""
    kind: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def _first(values: Mapping[str, list[str]], name: str) -> str:
    return (values.get(name) or [""])[0]


def _as_text(value: object) -> str:
    """A form field's value as the side-by-side version shows it."""
    if isinstance(value, bool):
        return _("draft") if value else _("not a draft")
    if isinstance(value, tuple):
        return ", ".join(item if isinstance(item, str) else " ".join(p for p in item if p) for item in value)
    return str(value)


def _where(rel: str, exc: document.Unreadable) -> str:
    """Where a file's front matter cannot be read: ``path:line``, or the path alone."""
    return f"{rel}:{exc.line}" if exc.line else rel


def _language_name(config: Config, code: str) -> str:
    """A language as config.yaml names it ("Bahasa Indonesia"); its code when it names none."""
    return config.languages[code].name if code in config.languages else code


def their_values(theirs: form.Release, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The other version's value of each field named (both saves changed it, or the form took it
    from the other) that the side panel does not always show (tags, unit, embargo, photo ...),
    under the label the form gives it: the person is asked to choose, or to check what came
    into their form, so they must see it."""
    shown: dict[str, list[str]] = {}
    for name in names:
        if name not in SHOWN_BESIDE:
            shown.setdefault(_(FIELD_LABELS.get(name, name)), []).append(_as_text(getattr(theirs, name)))
    return [(label, " · ".join(v for v in values if v) or "-") for label, values in shown.items()]


def dates_said(examined: Examined, release: form.Release, unreadable: Mapping[str, str]) -> Examined:
    """``examined`` with each of the ``unreadable`` date fields' problem beside it: the check's
    words for its date (an impossible date says why), the desk's own for a time the check read
    as part of a date that is none, or for a date the check let pass."""
    findings = list(examined.findings)
    for name, part in unreadable.items():
        clock = release.time if name == "date" else release.embargo_time
        if part == "date" and any(f.field == name and f.diagnostic.severity == "error" for f in findings):
            continue
        text = _("not a date") if part == "date" else \
            _("the time {value} cannot be read: write it as hours:minutes, like 17:42").format(value=clock)
        findings = [f for f in findings if f.field != name or f.diagnostic.severity != "error"]
        findings.append(Finding(name, Diagnostic("", None, text)))
    return replace(examined, findings=tuple(findings))


class Desk:
    """One site's desk. ``latest`` gives the last good build (None before the first one), ``broken``
    the files with errors in the latest build attempt."""

    def __init__(self, site_dir: Path, latest: Callable[[], Prepared | None], bind: str, port: int,
                 sessions: security.Sessions | None = None, broken: Callable[[], set[str]] | None = None,
                 output: Callable[[], Path] | None = None) -> None:
        self.site_dir = site_dir
        #: The output folder the builds write (a release whose page is there is on the site).
        self.output = output or (lambda: output_dir(Options(site_dir=site_dir), self._prepared().config))
        self._last_good = latest
        self._unbuilt: tuple[object, Prepared | None] | None = None
        self._unbuilt_lock = threading.Lock()
        #: Files the latest build attempt found errors in (it may have failed: the last good
        #: site then still shows their older version).
        self.broken = broken or set
        self.hosts = security.HostCheck(bind, port)
        #: the photo versions the last preview showed, by address (see preview_file)
        self._previewed: dict[str, Path] = {}
        self.login_required = not security.is_loopback(bind)
        self.sessions = sessions or security.Sessions()
        self._new_lock = threading.Lock()  # saves of new-release forms (see _save)

    def latest(self) -> Prepared | None:
        """The site the desk works on: the last good build's; before there is one (serve was
        started while a file had an error), the site as it reads now without the files in
        error, so the desk opens and the person can fix them there. None on a config error."""
        good = self._last_good()
        return good if good is not None else self._read_unbuilt()

    def _read_unbuilt(self) -> Prepared | None:
        content = self.site_dir / "content"
        files = [*content.rglob("*.md"), self.site_dir / "config.yaml"] if content.is_dir() else []
        seen = []
        for path in files:
            try:
                found = path.stat()
            except OSError:
                continue
            seen.append((str(path), found.st_mtime_ns, found.st_size))
        key = (tuple(seen), frozenset(self.broken()))
        with self._unbuilt_lock:
            if self._unbuilt is None or self._unbuilt[0] != key:
                if self._unbuilt is not None and self._unbuilt[1] is not None:
                    self._unbuilt[1].renderer.texts.close()  # its text store; a later read opens it again
                try:
                    prepared: Prepared | None = prepare(Options(site_dir=self.site_dir, search=False, cache=False),
                                                        keep_errors=True)
                except (SiteError, OSError):
                    prepared = None
                self._unbuilt = (key, prepared)
            return self._unbuilt[1]

    # --- the door ------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        """The reply to ``request``, in the language ``language`` chooses for it."""
        return self._spoken(request, self._handle)

    def _spoken(self, request: Request, answer: Callable[[Request], Reply]) -> Reply:
        lang = self.language(request)
        with speaking(lang):
            reply = answer(request)
        # Each browser gets its own language at the same address: no cache may hand one's page to another.
        reply.headers += [("Content-Language", lang), ("Vary", "Accept-Language")]
        return reply

    def language(self, request: Request) -> Language:
        """The desk's language for ``request``: ``ui_language`` (config's, else the one the
        command was started with), else the one the server's locale names, else the browser's,
        else the site's default language."""
        prepared = self.latest()
        config = prepared.config if prepared is not None else None
        return choose_language(request.headers.get("accept-language"),
                               (config.ui_language if config is not None else None) or fixed_language(),
                               config.default_language if config is not None else "", locale_language())

    def _handle(self, request: Request) -> Reply:
        if not self.hosts.allows(request.headers.get("host")):
            return Reply(HTTPStatus.MISDIRECTED_REQUEST, security.unknown_host().encode(), "text/plain; charset=utf-8")
        route = request.route
        if route.startswith("assets/") and request.method in ("GET", "HEAD"):
            return self._asset(route.removeprefix("assets/"))
        if request.method in ("GET", "HEAD") and security.read_by_a_script(request.headers):
            return Reply(HTTPStatus.FORBIDDEN, _("The desk's pages open in the browser, not in a script.").encode(),
                         "text/plain; charset=utf-8")
        session = self._session(request)
        needs_login = self._needs_login(request)
        fresh = None
        if session is None and not needs_login:
            session = fresh = self.sessions.start(signed_in=True)  # loopback: the machine's user is trusted
        if route == "login":
            reply = self._login(request)
        elif session is None or not session.signed_in:
            if request.method != "GET":
                return self._signed_out(request, route)
            return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", PREFIX + "login")])
        elif request.method == "POST" and not self._csrf_ok(request, session):
            reply = self._expired(request, route, session)
        else:
            reply = self._route(request, route, session)
        if fresh is not None:
            reply.headers.append(("Set-Cookie", security.cookie_header(fresh, PREFIX)))
        return reply

    def too_large(self, request: Request) -> Reply:
        return self._spoken(request, self._too_large)

    def _too_large(self, request: Request) -> Reply:
        """The answer to a request whose body is over any limit (its body is not read): a
        refusal that changes nothing; to a release form (sent without the page's script, which
        stops it sooner) a page naming the limit, else the words an upload refused for its size gets."""
        if not self.hosts.allows(request.headers.get("host")):
            return Reply(HTTPStatus.MISDIRECTED_REQUEST, security.unknown_host().encode(), "text/plain; charset=utf-8")
        if request.route == "save":  # a form sent by a browser without the page's script: a page to read
            return self._message(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _(
                "Nothing was saved: the release is larger than {limit} MB, the most the desk saves. Press the "
                "browser's Back button: your text is still in the form there. Shorten it, then save."
            ).format(limit=MAX_FORM_MB), None)
        return Reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, json.dumps({"error": _(uploads.TOO_LARGE)}).encode(),
                     "application/json")

    def _expired(self, request: Request, route: str, session: security.Session) -> Reply:
        """A form sent with a token this desk does not know (serve restarted, the session ended):
        nothing is done. A release's form, or a file's corrected text, sent from this very desk
        (its Origin says so) comes back filled in as it was sent, with a token that works, so
        nothing typed is lost."""
        def refused() -> Reply:
            return self._message(HTTPStatus.FORBIDDEN, _("This form has expired. Open the page again and "
                                                         "repeat the change."), session)

        if route in ("upload", "check"):  # asked by the page's script, which shows an "error" it is sent
            text = _("This page has expired, so the desk did not take this. Press Save: what you wrote "
                     "is kept, and the page works again.")
            return Reply(HTTPStatus.FORBIDDEN, json.dumps({"error": text}).encode(), "application/json")
        if route not in ("save", "fix") or self._from_here(request) is not True or self.latest() is None:
            return refused()
        again = _("This form had expired, so nothing was saved. What you wrote is below: press Save again.")
        try:
            return self._given_back(session, route, request.form(), HTTPStatus.FORBIDDEN, again)
        except paths.Refused:
            return refused()

    def _given_back(self, session: security.Session, route: str, values: Mapping[str, list[str]], status: int,
                    problem: str) -> Reply:
        """A release's form (``route`` save), or a file's corrected text (fix), filled in as it
        was sent, with ``problem`` said above it and a token that works; paths.Refused for a
        file the desk may not open."""
        if route == "fix":  # a file's corrected text: back as sent, still checked against the file as opened
            rel = _first(values, "file")
            paths.content_file(self.site_dir, rel)
            return self._page("fix.html", session, status, rel=rel, opened=_first(values, "opened") or storage.ABSENT,
                              problem=problem, text=_first(values, "text").replace("\r\n", "\n"))
        return self._sent_back(session, values, status, problem)

    def _signed_out(self, request: Request, route: str) -> Reply:
        """A request sent after the session ended (an idle hour, a restart of serve) where a
        login is needed: nothing is done. A release's form, or a file's corrected text, sent
        from this very desk comes back after signing in again, filled in as it was sent (the
        login form carries it), so nothing typed is lost; the page's script is told in words
        it shows, and Save then goes on without the file it could not upload."""
        if route in ("upload", "check"):
            text = _("You were signed out, so the desk did not take this. Press Save: sign in again, and what "
                     "you wrote comes back in the form; then choose the file again.") if route == "upload" else \
                _("You were signed out. Press Save: sign in again, and what you wrote comes back in the form.")
            return Reply(HTTPStatus.FORBIDDEN, json.dumps({"error": text, "signed_out": True}).encode(),
                         "application/json")
        if route not in ("save", "fix") or self._from_here(request) is not True:
            return self._message(HTTPStatus.FORBIDDEN, _("Please sign in again."), None)
        values = {name: sent for name, sent in request.form().items() if name not in ("csrf", "password")}
        carried = json.dumps({"route": route, "values": values}, ensure_ascii=False)
        problem = _("You were signed out, so nothing was saved. Sign in again: what you wrote comes back in the "
                    "form, ready to save.")
        return self._login_page(HTTPStatus.FORBIDDEN, problem + _not_uploaded(values), carried)

    def _carried_back(self, session: security.Session, carried: str) -> Reply | None:
        """The form the login form carried (``_signed_out``), filled in again for the session
        just signed in; None when it carried none that can be shown."""
        try:
            sent = json.loads(carried or "null")
            route, values = sent["route"], sent["values"]
            if route not in ("save", "fix") or not isinstance(values, dict) or not all(
                    isinstance(v, list) and all(isinstance(x, str) for x in v) for v in values.values()):
                return None
        except (ValueError, TypeError, KeyError):
            return None
        if self.latest() is None:
            return None
        again = _("You are signed in again. Nothing was saved yet: what you wrote is below; press Save.")
        try:
            return self._given_back(session, route, values, HTTPStatus.OK, again + _not_uploaded(values))
        except paths.Refused:
            return None

    def _sent_back(self, session: security.Session, values: Mapping[str, list[str]], status: int, problem: str,
                   examined: Examined | None = None) -> Reply:
        """The release form filled in as it was sent, with ``problem`` said above it: a save
        that was not made loses nothing typed."""
        rel = _first(values, "file")
        if rel:
            paths.content_file(self.site_dir, rel)
        return self._form(session, self._submitted(values), rel=rel, opened=_first(values, "opened") or storage.ABSENT,
                          section=_first(values, "section"), lang=_first(values, "lang"), status=status,
                          problem=problem, examined=examined, new_id=_first(values, "new_id"),
                          kept=keep.chosen(values))

    def _session(self, request: Request) -> security.Session | None:
        """The request's live session, unless it was trusted for being on loopback and this
        request needs a login (it came through a proxy, whose visitors are not this machine's user)."""
        live = (self.sessions.get(sid) for sid in security.cookie_values(request.headers.get("cookie")))
        session = next((s for s in live if s is not None), None)
        if session is not None and session.signed_in and not session.by_password and self._needs_login(request):
            return None
        return session

    def _needs_login(self, request: Request) -> bool:
        """Off loopback, or on loopback behind a reverse proxy (the README's advice for using the
        desk beyond the office network): the proxy's visitors are not this machine's user."""
        return self.login_required or security.forwarded(request.headers)

    @staticmethod
    def _from_here(request: Request) -> bool | None:
        """Whether the request's Origin is this desk's address (as the browser asked for it,
        through a proxy too); None when it names none."""
        origin = request.headers.get("origin")
        if not origin:
            return None
        return urlsplit(origin).netloc.lower() == security.public_host(request.headers)

    def _csrf_ok(self, request: Request, session: security.Session) -> bool:
        if self._from_here(request) is False:
            return False
        sent = request.headers.get("x-csrf-token") or _first(request.form(), "csrf")
        return security.csrf_ok(session, sent)

    def _route(self, request: Request, route: str, session: security.Session) -> Reply:
        get = request.method in ("GET", "HEAD")
        if get and route.startswith(PREVIEW):
            return self._preview_photo(route.removeprefix(PREVIEW))
        routes: dict[tuple[bool, str], Callable[[Request, security.Session], Reply]] = {
            (True, ""): self._overview, (True, "new"): self._new, (True, "edit"): self._edit,
            (True, "history"): self._history, (False, "save"): self._save, (False, "check"): self._check,
            (False, "upload"): self._upload, (False, "translate"): self._translate,
            (False, "restore"): self._restore, (False, "logout"): self._logout, (False, "fix"): self._fix,
            (True, "delete"): self._ask_delete, (False, "delete"): self._delete,
        }
        handler = routes.get((get, route))
        if handler is None:
            return self._message(HTTPStatus.NOT_FOUND, _("There is no such page on the desk."), session)
        prepared = self.latest()
        if prepared is None and route not in ("logout",):
            return self._message(HTTPStatus.SERVICE_UNAVAILABLE, _("The site has not been built yet. Fix the "
                                                                   "errors sitegen serve shows, then reload."),
                                 session)
        try:
            return handler(request, session)
        except paths.Refused:
            return self._message(HTTPStatus.FORBIDDEN, _("The desk cannot open that file."),
                                 session)
        except Exception:  # noqa: BLE001 - a bug must not cost the person their form: say so, keep serving
            traceback.print_exc()
            return self._message(HTTPStatus.INTERNAL_SERVER_ERROR, _("Something went wrong inside sitegen "
                                                                     "(details in the terminal). Go back: "
                                                                     "your text is still in the form."),
                                 session)

    # --- pages ---------------------------------------------------------------------------

    def _page(self, template: str, session: security.Session | None, status: int = HTTPStatus.OK,
              **context: Any) -> Reply:
        prepared = self.latest()
        body = views.render(template, prefix=PREFIX, session=session,
                            login=self.login_required or (session is not None and session.by_password),
                            site_title=views.site_title(prepared), **context)
        return Reply(status, body)

    def _message(self, status: int, text: str, session: security.Session | None) -> Reply:
        return self._page("message.html", session, status, message=text)

    def _asset(self, name: str) -> Reply:
        found = views.asset(name)
        if found is None:
            return Reply(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")
        data, kind = found
        return Reply(HTTPStatus.OK, data, kind)

    def _prepared(self) -> Prepared:
        prepared = self.latest()
        assert prepared is not None  # _route answered 503 otherwise
        return prepared

    def _overview(self, request: Request, session: security.Session) -> Reply:
        prepared = self._prepared()
        q = request.query
        chosen = overview.Filters(section=_first(q, "section"), state=_first(q, "state"),
                                  lang=_first(q, "lang"), text=_first(q, "q"))
        gone = self._gone()
        absent = {rel for rel, _version, _title in gone}
        # the last build may not have seen a deletion yet: a deleted file is listed as deleted only
        rows = [r for r in overview.rows(prepared, self.site_dir, self.broken()) if r.rel not in absent]
        deleted = _first(q, "deleted")
        title = next((t for rel, _version, t in gone if rel == deleted), None)
        notice = _("“{title}” was deleted. It is kept in the desk's history: Restore, under “Deleted releases” "
                   "below, brings it back.").format(title=title) if title is not None else ""
        return self._page("overview.html", session, rows=overview.apply(rows, chosen), total=len(rows),
                          filters=chosen, sections=overview.sections(prepared, self.site_dir),
                          languages=prepared.config.languages, states=overview.STATES,
                          zone=prepared.config.timezone, gone=gone, notice=notice, absent=storage.ABSENT)

    def _new(self, request: Request, session: security.Session) -> Reply:
        """A blank release form. Each has an id of its own, in its address too: the browser's
        Back, which loads the page anew, then finds the same form, or, once that form has saved
        a release, that release (its form, unlike the blank one, holds all it saved)."""
        prepared = self._prepared()
        config = prepared.config
        section = _first(request.query, "section")
        lang = _first(request.query, "lang") or config.default_language
        new_id = _first(request.query, "form")
        if not storage.is_form_id(new_id):
            query = urlencode({**({"section": section} if section else {}), "lang": lang, "form": storage.form_id()})
            return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", f"{PREFIX}new?{query}")])
        made = storage.made_by(self.site_dir, new_id)
        if made is not None and storage.read(paths.content_file(self.site_dir, made[0])) is not None:
            return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", f"{PREFIX}edit?file={quote(made[0])}&done=again")])
        release = form.new_release(config.zone, self._now(prepared))
        return self._form(session, release, rel="", opened=storage.ABSENT, section=section, lang=lang,
                          new_id=new_id)

    def _edit(self, request: Request, session: security.Session) -> Reply:
        rel = _first(request.query, "file")
        path = paths.content_file(self.site_dir, rel)
        raw = storage.read(path)
        if raw is None:  # deleted: its history can bring it back
            return self._page("message.html", session, HTTPStatus.NOT_FOUND, message=_("This release no longer "
                                                                                       "exists."),
                              history=rel if storage.versions(self.site_dir, rel) else "")
        try:
            doc = document.parse(raw)
        except document.Unreadable as exc:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:  # as text here it would be saved with its letters lost
                return self._unreadable(session, rel, exc)
            return self._fix_page(session, rel, raw, f"{_where(rel, exc)}: {exc.message}")
        release = form.from_document(doc, self._prepared().config.zone)
        storage.remember(self.site_dir, rel, raw)  # what a later save that meets another merges against
        done = _first(request.query, "done")
        notice = {"saved": _("Saved."), "published": _("Published: it appears on the site as soon as the "
                                                        "rebuild is done."),
                  "restored": _("The chosen version was restored."),
                  "again": _("That new release's form was saved already: here is the release it made, as "
                             "saved. Saving this form updates it."),
                  "translated": _("The translation was created as a draft with the source's words in "
                                  "it. Translate the title, summary and text, and the tags, unit and "
                                  "photo texts: each is marked beside its field while it is as in the "
                                  "source. Then publish it.")}.get(done, "")
        later = self._goes_public_later(release)
        if later is not None and not release.draft and done in ("saved", "published"):
            notice = _("Saved. It goes on the site at {time}, when its embargo lifts or its publication "
                       "time comes.").format(time=views.local_time(later, self._prepared().config.zone))
        # A draft with errors is left out and the rest rebuilt: only other files stop a rebuild.
        stopping = sorted(other for other in self.broken() - {rel}
                          if not document.is_draft(storage.read(self.site_dir / other)))
        if stopping and done in ("saved", "published"):
            # Its page waits for a rebuild that another file's error stops: say which, not only "soon",
            # as the overview names them (its title, else its file's name), no content/ path.
            prepared = self._prepared()
            named = ", ".join(f"“{overview.unbuilt_row(self.site_dir / other, other, prepared).title}”"
                              for other in stopping)
            notice += " " + ngettext("The site is not rebuilt while {files} has errors: fix it first (All releases, "
                                     "state “has errors”).",
                                     "The site is not rebuilt while {files} have errors: fix them first (All "
                                     "releases, state “has errors”).", len(stopping)).format(files=named)
        return self._form(session, release, rel=rel, opened=storage.digest(raw), notice=notice)

    def _goes_public_later(self, release: form.Release) -> datetime | None:
        """When ``release`` goes on the site, if that is still to come (its date or embargo)."""
        prepared = self._prepared()
        moment = form.goes_public(release, prepared.config.zone)
        return moment if moment is not None and moment > self._now(prepared) else None

    def _unreadable(self, session: security.Session, rel: str, exc: document.Unreadable) -> Reply:
        text = _("This file cannot be shown as a form: {where}: {problem}. Restore an earlier version "
                 "from its history, or ask whoever edited it by hand.").format(where=_where(rel, exc),
                                                                               problem=exc.message)
        return self._page("message.html", session, HTTPStatus.UNPROCESSABLE_ENTITY, message=text,
                          history=rel)

    def _fix_page(self, session: security.Session, rel: str, raw: bytes, problem: str,
                  status: int = HTTPStatus.OK, text: str | None = None) -> Reply:
        """A file the form cannot show (its front matter cannot be read: edited by hand, with a
        slip), as its text to correct (``text``: as sent, else the file's), ``problem`` above."""
        return self._page("fix.html", session, status, rel=rel, opened=storage.digest(raw), problem=problem,
                          text=raw.decode("utf-8") if text is None else text)

    def _fix(self, request: Request, session: security.Session) -> Reply:
        """The corrected text of a file the form could not show: saved (its history keeps what
        it replaces), then the form, or the text again with what is still wrong."""
        values = request.form()
        rel = _first(values, "file")
        path = paths.content_file(self.site_dir, rel)
        text = _first(values, "text").replace("\r\n", "\n")  # a browser sends a textarea's lines so
        current = storage.read(path)
        if current is not None and b"\r\n" in current:  # the file's own line ends stay
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        if len(data) > MAX_FORM:
            return self._fix_page(session, rel, current or b"", _(TOO_LONG).format(limit=MAX_FORM_MB),
                                  HTTPStatus.REQUEST_ENTITY_TOO_LARGE, text)
        try:
            storage.save(self.site_dir, rel, data, _first(values, "opened"))
        except storage.Conflict as exc:
            if exc.theirs is None:
                return self._message(HTTPStatus.NOT_FOUND, _("This release no longer exists."), session)
            # What was typed comes back, to be saved over the change (which its history keeps).
            return self._fix_page(session, rel, exc.theirs, _(
                "The file changed since you opened it: your correction is below. Saving it replaces that "
                "change, which stays in the file's history."), HTTPStatus.CONFLICT, text)
        try:
            document.parse(data)
        except document.Unreadable as problem:
            return self._fix_page(session, rel, data, f"{_where(rel, problem)}: {problem.message}",
                                  HTTPStatus.UNPROCESSABLE_ENTITY)
        return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", f"{PREFIX}edit?file={quote(rel)}&done=saved")])

    def _now(self, prepared: Prepared) -> Any:
        try:
            return resolve_now(None, prepared.config.zone)
        except ClockError:
            return prepared.site.now

    def _form(self, session: security.Session, release: form.Release, rel: str, opened: str,
              section: str = "", lang: str = "", notice: str = "", status: int = HTTPStatus.OK,
              examined: Examined | None = None, theirs: form.Release | None = None,
              problem: str = "", their_fields: list[tuple[str, str]] | None = None, new_id: str = "",
              kept: keep.Kept | None = None) -> Reply:
        """The release form; ``kept``: the fields its "Keep as it is" boxes keep (None: as saved)."""
        prepared = self._prepared()
        config = prepared.config
        if rel:
            section, _key, lang = paths.split_name(rel, config)
        if kept is None:
            kept = keep.load(self.site_dir, rel) if rel else {}
        if examined is None:
            examined = self._examine(release, rel, section, lang, kept)
        source = overview.translation_source(prepared, self.site_dir, rel) if rel else None
        later = self._goes_public_later(release) is not None  # not on the site yet: no link to it
        live, deletable = self._standing(rel) if rel else (False, False)
        return self._page(
            "edit.html", session, status, values=form.as_values(release), rel=rel, opened=opened, section=section,
            lang=lang, notice=notice, problem=problem, findings=examined.findings, theirs=theirs,
            new_id="" if rel else new_id,
            their_fields=their_fields or [],
            errors=len(examined.errors), preview=(examined.page or b"").decode("utf-8", "replace"),
            sections=overview.sections(prepared, self.site_dir), languages=config.languages,
            suggestions=overview.suggestions(prepared, lang),
            by_language=None if rel else overview.suggestions_by_language(prepared, _(CONTACT_HINT)),
            contact=config.contact.shown(lang, config.default_language),
            contact_hint=overview.contact_hint(config, lang, _(CONTACT_HINT)),
            zone=config.timezone,
            source=source, page=is_page(rel) if rel else section == "pages",
            beside=untranslated.beside(source.fields) if source is not None else {},
            keep_boxes=keep.boxes(release, source.fields, kept) if source is not None else {},
            source_language=_language_name(config, source.lang) if source is not None else "",
            twins=overview.twins(prepared, self.site_dir, rel) if rel else (),
            public_url=config.base_path.rstrip("/") + examined.url if rel and examined.url and not later else "",
            live=live, deletable=deletable,
            uploads_photo=",".join(f".{e}" for e in uploads.allowed("photo")),
            uploads_file=",".join(f".{e}" for e in uploads.allowed("attachment")), upload_max=uploads.MAX_BYTES,
            too_large=_(uploads.TOO_LARGE), form_max=MAX_FORM, too_long=_(TOO_LONG).format(limit=MAX_FORM_MB),
        )

    def _standing(self, rel: str) -> tuple[bool, bool]:
        """(live, deletable) of the file ``rel`` as saved: whether it is a release on the site
        now, which its form warns is taken off by saving it as a draft; whether it is a draft
        the desk would delete, for which alone the form offers "Delete draft"."""
        raw = storage.read(paths.content_file(self.site_dir, rel))
        if raw is None:
            return False, False
        prepared = self._prepared()
        try:
            if not form.from_document(document.parse(raw), prepared.config.zone).draft:
                return removal.on_the_site(prepared, self.output(), rel) is not None, False
            removal.deletable(prepared, self.site_dir, self.output(), rel, raw)
        except (document.Unreadable, removal.Kept):
            return False, False
        return False, True

    # --- building the file from the form ---------------------------------------------------

    def _target(self, values: Mapping[str, list[str]], release: form.Release) -> tuple[str, str, str]:
        """(file, section, language) the form writes: the opened file, or a new name."""
        rel = _first(values, "file")
        config = self._prepared().config
        if rel:
            paths.content_file(self.site_dir, rel)
            section, _key, lang = paths.split_name(rel, config)
            return rel, section, lang
        section, lang = _first(values, "section"), _first(values, "lang")
        if section not in overview.sections(self._prepared(), self.site_dir) or lang not in config.languages:
            raise paths.Refused(section)
        rel = paths.new_name(section, release.title, release.date, lang)
        stem = rel.removesuffix(f".{lang}.md")
        n = 2
        # Another file of that name, or another release at the address it would give (one of
        # that title earlier in the year): the next free name. (The desk writes the date on the
        # site's clock, as the form shows it.)
        # A deleted release's name stays its own (restored from "Deleted releases", it takes it back).
        while (self.site_dir / rel).exists() or storage.kept(self.site_dir, rel) or self._taken(rel, release.date)(
                urls.default_slug(paths.split_name(rel, config)[1])):
            rel = f"{stem}-{n}.{lang}.md"
            n += 1
        paths.content_file(self.site_dir, rel)
        return rel, section, lang

    def _taken(self, rel: str, written: object) -> Callable[[str], bool]:
        """Whether the address a slug gives the file ``rel`` is another release's, published,
        waiting or a draft, or one of their old addresses. ``written``: its ``date:`` as the file
        will hold it, whose digits (not the site's clock) make an article's address."""
        prepared = self._prepared()
        config = prepared.config
        section, key, lang = paths.split_name(rel, config)
        when = None
        if section != PAGES:  # a page's address has no date in it
            try:
                when = datetime.strptime(str(written)[:10], "%Y-%m-%d")  # noqa: DTZ007 - only its digits
            except ValueError:  # no date yet, or none the form can read: said beside its field
                return lambda slug: False
        claimed: set[str] = set()  # every release's addresses, gathered once asked: most saves never ask

        def taken(slug: str) -> bool:
            if not claimed:
                claimed.update(url for entry in prepared.site.all_entries() if entry.source != rel
                               for url in (entry.url, *entry.aliases))
            return urls.article_url(config, lang, section, slug, key, when) in claimed

        return taken

    def _bytes(self, rel: str, release: form.Release, current: bytes | None) -> bytes:
        config = self._prepared().config
        doc = document.parse(current) if current else document.blank()
        old = form.from_document(doc, config.zone) if current else None
        changed = form.changes(old, release, config.zone, article=not is_page(rel))
        if old is not None:
            dated = changed["date"] if "date" in changed else doc.data.get("date")
            changed.update(form.address_change(doc, old, release, paths.split_name(rel, config)[1],
                                               self._taken(rel, dated)))
        return document.apply(doc, changed, release.body)

    def _shown(self, examined: Examined) -> Examined:
        """The preview with its photos at the desk's own addresses (``preview/...``): a draft's or
        an embargoed release's versions are in the photo cache, not the output, and are given
        only to whoever may use the desk (off loopback, a signed-in person), with its cookie."""
        if not examined.photos or examined.page is None:
            return examined
        folder = self._prepared().config.base_path
        moved: dict[bytes, bytes] = {}
        for url, path in examined.photos:
            self._previewed[url] = path
            moved[(folder + url.lstrip("/")).encode()] = (PREFIX + PREVIEW + url.lstrip("/")).encode()
        # One pass: a new address holds the old one, which a second replace would find again.
        pattern = re.compile(b"|".join(re.escape(old) for old in sorted(moved, key=len, reverse=True)))
        return replace(examined, page=pattern.sub(lambda m: moved[m.group(0)], examined.page))

    def _preview_photo(self, url: str) -> Reply:
        found = self._previewed.get("/" + url)
        if found is None or not found.is_file():
            return Reply(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8")
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"  # as serve's files
        return Reply(HTTPStatus.OK, found.read_bytes(), kind)

    def _examine(self, release: form.Release, rel: str, section: str, lang: str, kept: keep.Kept) -> Examined:
        saved = bool(rel)
        if not rel:
            rel = paths.new_name(section or "berita", release.title, release.date,
                                 lang or self._prepared().config.default_language)
        try:
            current = storage.read(paths.content_file(self.site_dir, rel))
            raw = self._bytes(rel, release, current)
        except (paths.Refused, document.Unreadable):
            return Examined((), None)
        return self._examined(rel, release, raw, saved, kept)

    def _examined(self, rel: str, release: form.Release, raw: bytes, saved: bool, kept: keep.Kept) -> Examined:
        """``examine`` of the form's bytes ``raw`` as the file ``rel``; for a file saved
        before (``saved``) that is a translation, its fields still as in its source too (but
        those ``kept`` as they are)."""
        examined = self._shown(examine(self._prepared(), self.site_dir, rel, raw))
        made_from = self._made_from(rel) if saved else None
        if made_from is None:
            return examined
        source, language = made_from
        more = untranslated.findings(rel, release, source, language, kept)
        return replace(examined, findings=examined.findings + more)

    def _made_from(self, rel: str) -> tuple[form.Release, str] | None:
        """The release the translation ``rel`` is made from, and its language's name; None for an original."""
        prepared = self._prepared()
        found = overview.source_of(prepared, self.site_dir, rel)
        if found is None:
            return None
        _other, lang, doc = found
        return form.from_document(doc, prepared.config.zone), _language_name(prepared.config, lang)

    def _keep(self, rel: str, release: form.Release, chosen: keep.Kept) -> None:
        """Note which fields of ``release``, just saved as ``rel``, stay kept as they are: those
        ``chosen`` by the form's boxes that still hold; any other choice is forgotten."""
        made_from = self._made_from(rel)
        found = untranslated.alike(release, made_from[0]) if made_from is not None else {}
        keep.store(self.site_dir, rel, untranslated.holding(found, chosen))

    def _submitted(self, values: Mapping[str, list[str]]) -> form.Release:
        release = form.from_form(values)
        removed = set(values.get("attachment_remove", []))
        release = replace(release, attachments=tuple(a for a in release.attachments if a[0] not in removed),
                          gallery=tuple(g for g in release.gallery if g[0] not in removed))
        rel = _first(values, "file")
        if values.get("refresh_source") and rel:
            source = overview.translation_source(self._prepared(), self.site_dir, rel)
            if source is not None:
                raw = storage.read(self.site_dir / source.rel)
                release = replace(release, translated_from=(stamp(source.lang, raw) or "") if raw else "")
        return release

    # --- actions -------------------------------------------------------------------------

    def _check(self, request: Request, session: security.Session) -> Reply:
        if len(request.body) > MAX_FORM:  # not rendered: said beside the text, as Save would refuse it
            beside = [{"field": "body", "severity": "error", "text": _(TOO_LONG).format(limit=MAX_FORM_MB)}]
            return Reply(HTTPStatus.OK, json.dumps({"findings": beside, "errors": 1, "preview": ""}).encode(),
                         "application/json")
        values = request.form()
        release = self._submitted(values)
        rel = _first(values, "file")
        section, lang = _first(values, "section"), _first(values, "lang")
        if rel:
            section, _key, lang = paths.split_name(rel, self._prepared().config)
        examined = self._examine(release, rel, section, lang, keep.chosen(values))
        examined = dates_said(examined, release, form.unreadable_moments(release))  # as Save would say them
        findings = [{"field": f.field, "severity": f.diagnostic.severity, "line": f.diagnostic.line,
                     "text": views.finding_text(f)} for f in examined.findings]
        made_from = self._made_from(rel) if rel else None
        # each "Keep as it is" box's value now (its field's texts still as in the source)
        alike = keep.boxes(release, made_from[0], {}) if made_from is not None else {}
        payload = {"findings": findings, "errors": len(examined.errors),
                   "preview": (examined.page or b"").decode("utf-8", "replace"),
                   "alike": {name: value for name, (value, _ticked) in alike.items() if value}}
        return Reply(HTTPStatus.OK, json.dumps(payload).encode(), "application/json")

    def _save(self, request: Request, session: security.Session) -> Reply:
        if len(request.body) > MAX_FORM:
            beside = Finding("body", Diagnostic("", None, _(TOO_LONG).format(limit=MAX_FORM_MB)))
            return self._sent_back(session, request.form(), HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _(
                "Nothing was saved: the release is larger than {limit} MB, the most the desk saves. Your text "
                "is below: shorten it, then save.").format(limit=MAX_FORM_MB), Examined((beside,), None))
        values = request.form()
        if _first(values, "file") or not _first(values, "new_id"):
            return self._write(session, values)
        with self._new_lock:  # one at a time: a double click on Save must not make two files either
            made = storage.made_by(self.site_dir, _first(values, "new_id"))
            if made is not None and storage.read(paths.content_file(self.site_dir, made[0])) is not None:
                # This form saved before: sent again (a double click), it is that file's save,
                # as opened from the version it saved; sent with other words (a second tab of
                # the form, the Back button) it is never written over that file (_write).
                values = {**values, "file": [made[0]], "opened": [made[1]], "resent": ["1"]}
            return self._write(session, values)

    def _write(self, session: security.Session, values: Mapping[str, list[str]], retry: bool = True) -> Reply:
        action = _first(values, "action")
        release = self._submitted(values)
        chosen = keep.chosen(values)
        if action == "publish":
            release = replace(release, draft=False)
        rel, section, lang = self._target(values, release)
        opened = _first(values, "opened") or storage.ABSENT
        path = paths.content_file(self.site_dir, rel)
        current = storage.read(path)
        if storage.digest(current) != opened:
            # Changed since it was opened: never written over. The form comes back with the other
            # save's changes to the fields this one left alone already in it, the fields both
            # changed named, and the other version beside it; saving that is a deliberate choice.
            both = self._merged(rel, opened, release, current) if _first(values, "file") else None
            mine = both[0] if both is not None else release
            taken = tuple(f.name for f in fields(form.Release) if getattr(mine, f.name) != getattr(release, f.name))
            return self._conflict(session, rel if _first(values, "file") else "", mine, current, section, lang,
                                  both[1] if both is not None else (), chosen, taken=taken, merged=both is not None)
        if (current is None or _first(values, "resent")) and action != "publish":
            release = replace(release, draft=True)  # a new release is a draft until someone publishes it
        try:
            data = self._bytes(rel, release, current)
        except document.Unreadable as exc:
            return self._unreadable(session, rel, exc)
        if _first(values, "resent") and data != current:
            # A new release's form saved before, now with other words: what its first save made
            # (perhaps another tab's text) and this are shown side by side, as for any file
            # changed since it was opened.
            return self._conflict(session, rel, release, current, section, lang, kept=chosen)
        examined = self._examined(rel, release, data, saved=bool(_first(values, "file")), kept=chosen)
        unreadable = form.unreadable_moments(release)
        if unreadable:  # a draft too: the time alone would be written as its date
            return self._form(session, release, rel=_first(values, "file"), opened=opened, section=section,
                              lang=lang, status=HTTPStatus.UNPROCESSABLE_ENTITY,
                              examined=dates_said(examined, release, unreadable), problem=_(UNREADABLE_DATE),
                              new_id=_first(values, "new_id"), kept=chosen)
        if examined.errors and not release.draft:
            problem = _("Not published: fix the problems marked below first, or save it as a draft.")
            return self._form(session, release, rel=_first(values, "file"), opened=opened, section=section,
                              lang=lang, status=HTTPStatus.UNPROCESSABLE_ENTITY, examined=examined,
                              problem=problem, new_id=_first(values, "new_id"), kept=chosen)
        try:
            storage.save(self.site_dir, rel, data, opened)
        except storage.Conflict as conflict:
            if not _first(values, "file") and retry:  # another file took the new release's name meanwhile:
                return self._write(session, values, retry=False)  # a name of its own, as if it had been first
            return self._conflict(session, rel, release, conflict.theirs, section, lang, kept=chosen)
        self._keep(rel, release, chosen)
        if _first(values, "new_id"):
            storage.note_made(self.site_dir, _first(values, "new_id"), rel, data)
        done = "published" if action == "publish" else "saved"
        return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", f"{PREFIX}edit?file={quote(rel)}&done={done}")])

    def _merged(self, rel: str, opened: str, mine: form.Release, current: bytes | None
                ) -> tuple[form.Release, tuple[str, ...]] | None:
        """``form.merge`` of this save with the file as it is now, against the version it was
        opened from; None when that version or the file cannot be read as a form."""
        base = storage.opened_version(self.site_dir, rel, opened)
        if base is None or current is None:
            return None
        zone = self._prepared().config.zone
        try:
            return form.merge(form.from_document(document.parse(base), zone), mine,
                              form.from_document(document.parse(current), zone))
        except document.Unreadable:
            return None

    def _conflict(self, session: security.Session, rel: str, mine: form.Release, theirs: bytes | None,
                  section: str, lang: str, clashing: tuple[str, ...] = (), kept: keep.Kept | None = None,
                  taken: tuple[str, ...] = (), merged: bool = False) -> Reply:
        """Both versions side by side: the form keeps the person's own text (with what the other
        save changed elsewhere, ``merged``: the fields ``taken`` from it) and now carries the disk
        version's digest, so saving it again is a deliberate choice; or they take the other."""
        zone = self._prepared().config.zone
        other = None
        if theirs is not None:
            try:
                other = form.from_document(document.parse(theirs), zone)
            except document.Unreadable:
                other = form.Release(body=theirs.decode("utf-8", "replace"))
        problem = _("Someone changed this release since you opened it. Your version is in the form; "
                    "theirs is beside it. Copy what you need from theirs, then save to keep yours, or "
                    "take theirs.")
        if theirs is None:  # deleted meanwhile (in the desk: under "Deleted releases"): there is no theirs
            problem = _("Someone deleted this release since you opened it: nothing was saved. Your version "
                        "is in the form; saving it again makes the file anew.")
        elif merged and not clashing:
            problem = _("Someone changed this release since you opened it, in other fields than you: "
                        "nothing was saved yet. Their changes are already in your form, beside yours; "
                        "their version is beside the form. Check it, then save.")
        if clashing:
            labels = ", ".join(dict.fromkeys(_(FIELD_LABELS.get(name, name)) for name in clashing))
            problem = _("Someone changed this release since you opened it. Their changes to the other "
                        "fields are already in your form; you both changed: {fields}. Theirs is beside "
                        "the form: choose, then save.").format(fields=labels)
        return self._form(session, mine, rel=rel, opened=storage.digest(theirs), section=section, lang=lang,
                          status=HTTPStatus.CONFLICT, theirs=other, problem=problem,
                          their_fields=their_values(other, tuple(dict.fromkeys(clashing + taken)))
                          if other is not None else [], kept=kept)

    def _upload(self, request: Request, session: security.Session) -> Reply:
        def refuse(status: int, text: str, **more: object) -> Reply:
            return Reply(status, json.dumps({"error": text, **more}).encode(), "application/json")

        if len(request.body) > uploads.MAX_REQUEST:
            return refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _(uploads.TOO_LARGE))
        parts = uploads.multipart(request.headers.get("content-type", ""), request.body)
        kind = parts["kind"].data.decode() if "kind" in parts else ""
        upload = parts.get("file")
        if kind not in ("photo", "attachment") or upload is None or not upload.filename:
            return refuse(HTTPStatus.BAD_REQUEST, _("choose a file to upload"))
        if kind == "photo":
            texts = uploads.texts(parts)
            missing = [name for name in ("alt", "credit") if not _first(texts, name).strip()]
            if missing:
                words = {"alt": _("describe the photo for readers who cannot see it (alt text)"),
                         "credit": _("name who took the photo (credit)")}
                # and each on its own, which the page says again as those fields are filled in
                return refuse(HTTPStatus.UNPROCESSABLE_ENTITY, "; ".join(words[m] for m in missing),
                              missing=[[m, words[m]] for m in missing])
        try:
            stored = uploads.store(self.site_dir, kind, upload.filename, upload.data,  # type: ignore[arg-type]
                                   image_settings(self._prepared().config).max_pixels)
        except uploads.Rejected as exc:
            too_large = isinstance(exc, uploads.TooLarge)
            return refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if too_large else HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                          exc.text())
        return Reply(HTTPStatus.CREATED, json.dumps({"url": stored.url}).encode(), "application/json")

    def _translate(self, request: Request, session: security.Session) -> Reply:
        values = request.form()
        rel = _first(values, "file")
        lang = _first(values, "lang")
        config = self._prepared().config
        source = paths.content_file(self.site_dir, rel)
        if lang not in config.languages:
            raise paths.Refused(lang)
        # a version in that language already, named apart (translation_key:), is the one to open
        twin = overview.versions(self._prepared(), rel).get(lang) or paths.twin_name(rel, lang, config)
        target = paths.content_file(self.site_dir, twin)
        made = ""  # the notice that the draft was made, for a translation made now only
        if not target.exists():
            made = "&done=translated"
            raw = storage.read(source)
            if raw is None:
                return self._message(HTTPStatus.NOT_FOUND, _("This release no longer exists."), session)
            _section, key, source_lang = paths.split_name(rel, config)
            doc = document.parse(raw)
            # The source's text to translate over, as a draft that can never go public untranslated;
            # old addresses (aliases) stay with the source. Its address is its title's, so it
            # follows the title while that is translated (form.address_change).
            opened = form.from_document(doc, config.zone)
            data = document.apply(doc, {"draft": True, "aliases": None, "slug": None,
                                        **form.title_address(document.blank(), opened.title, key,
                                                             self._taken(twin, doc.data.get("date"))),
                                        TRANSLATED_FROM: stamp(source_lang, raw) or ""})
            try:
                storage.save(self.site_dir, twin, data, storage.ABSENT)
            except storage.Conflict:
                pass  # made a moment ago in another tab: open that one
        # One there already (a page open from before it was made, the Back button): opened as it is.
        return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", f"{PREFIX}edit?file={quote(twin)}{made}")])

    def _history(self, request: Request, session: security.Session) -> Reply:
        rel = _first(request.query, "file")
        path = paths.content_file(self.site_dir, rel)
        current = storage.read(path)
        chosen = _first(request.query, "version")
        shown = storage.version_bytes(self.site_dir, rel, chosen) if chosen else None
        zone = self._prepared().config.zone
        versions = storage.versions(self.site_dir, rel)
        saved = next((v.saved for v in versions if v.name == chosen), None)
        readable = None  # the version as the form shows a release (its title, summary, text), not as YAML
        if shown is not None:
            try:
                readable = form.from_document(document.parse(shown), zone)
            except document.Unreadable:
                readable = None
        return self._page("history.html", session, rel=rel, versions=versions, gone=current is None,
                          opened=storage.digest(current), chosen=chosen,
                          shown=shown.decode("utf-8", "replace") if shown is not None else None,
                          shown_time=views.local_time(saved, zone, "seconds") if saved is not None else chosen,
                          readable=readable, zone=zone)

    def _restore(self, request: Request, session: security.Session) -> Reply:
        values = request.form()
        rel = _first(values, "file")
        paths.content_file(self.site_dir, rel)
        data = storage.version_bytes(self.site_dir, rel, _first(values, "version"))
        if data is None:
            return self._message(HTTPStatus.NOT_FOUND, _("That version is not in the history."), session)
        try:
            storage.save(self.site_dir, rel, data, _first(values, "opened"))
        except storage.Conflict:
            return self._message(HTTPStatus.CONFLICT, _("The release changed since you opened its history. "
                                                        "Open the history again and choose."), session)
        return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", f"{PREFIX}edit?file={quote(rel)}&done=restored")])

    # --- deleting a mistaken draft -------------------------------------------------------------

    def _deletable(self, session: security.Session, rel: str) -> tuple[bytes, removal.Deletable] | Reply:
        """The file's bytes and what deleting it removes and leaves; else the page that says
        why it stays."""
        raw = storage.read(paths.content_file(self.site_dir, rel))
        if raw is None:
            return self._message(HTTPStatus.NOT_FOUND, _("This release no longer exists."), session)
        try:
            return raw, removal.deletable(self._prepared(), self.site_dir, self.output(), rel, raw)
        except document.Unreadable as exc:
            return self._unreadable(session, rel, exc)
        except removal.Kept as kept:
            return self._page("message.html", session, HTTPStatus.CONFLICT, message=kept.text, release=rel)

    def _ask_delete(self, request: Request, session: security.Session) -> Reply:
        """The confirmation: what goes, what stays, and the button that deletes."""
        rel = _first(request.query, "file")
        found = self._deletable(session, rel)
        if isinstance(found, Reply):
            return found
        raw, what = found
        return self._page("delete.html", session, rel=rel, opened=storage.digest(raw), what=what)

    def _delete(self, request: Request, session: security.Session) -> Reply:
        values = request.form()
        rel = _first(values, "file")
        found = self._deletable(session, rel)
        if isinstance(found, Reply):
            return found
        try:
            storage.remove(self.site_dir, rel, _first(values, "opened"))
        except storage.Conflict:
            return self._message(HTTPStatus.CONFLICT, _("The release changed since you asked to delete it, so "
                                                        "nothing was deleted. Open it again to see the change."),
                                 session)
        return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", f"{PREFIX}?deleted={quote(rel)}")])

    def _gone(self) -> list[tuple[str, storage.Version, str]]:
        """(file, newest version, title) of each release the history keeps whose file is gone."""
        found = []
        for rel, version in storage.gone(self.site_dir):
            try:
                paths.content_file(self.site_dir, rel)
            except paths.Refused:
                continue
            found.append((rel, version, self._kept_title(rel, version.name)))
        return found

    def _kept_title(self, rel: str, version: str) -> str:
        raw = storage.version_bytes(self.site_dir, rel, version)
        try:
            title = document.parse(raw).written("title") if raw is not None else None
        except document.Unreadable:
            title = None
        return title or rel.rsplit("/", 1)[-1]

    # --- signing in and out ------------------------------------------------------------------

    def _login(self, request: Request) -> Reply:
        if not self._needs_login(request):
            return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", PREFIX)])
        stored = security.load_password(self.site_dir)
        if stored is None:
            return self._page("login.html", None, HTTPStatus.SERVICE_UNAVAILABLE, unset=True, problem="",
                              csrf="")
        if request.method != "POST":
            return self._login_page(HTTPStatus.OK, "")
        # What a login form carries (``_signed_out``) is taken from this desk's own pages only: from
        # another site's, it would put that site's words in the form as "what you wrote".
        carried = _first(request.form(), "carried") if self._from_here(request) is True else ""
        pending = next((s for s in map(self.sessions.get, security.cookie_values(
            request.headers.get("cookie"), security.LOGIN_COOKIE)) if s is not None and not s.signed_in), None)
        if pending is None or not self._csrf_ok(request, pending):
            # The login page outlived its session (serve restarted): asked again, said why.
            return self._login_page(HTTPStatus.FORBIDDEN, _("This page had expired. Sign in again."), carried)
        client = security.client_of(request.client, request.headers)
        if not self.sessions.may_try(client):
            return self._page("login.html", None, HTTPStatus.TOO_MANY_REQUESTS, unset=False, csrf=pending.csrf,
                              carried=carried,
                              problem=_("Too many wrong passwords. Wait a quarter of an hour and try again."))
        if not security.verify_password(_first(request.form(), "password"), stored):
            self.sessions.failed(client)
            return self._page("login.html", None, HTTPStatus.UNAUTHORIZED, unset=False, csrf=pending.csrf,
                              carried=carried, problem=_("That password is not right."))
        self.sessions.end(pending.sid)
        signed = self.sessions.start(signed_in=True, by_password=True)  # a new id after signing in: no fixation
        cookies = [("Set-Cookie", security.cookie_header(signed, PREFIX)),
                   ("Set-Cookie", security.cookie_header(None, PREFIX, security.LOGIN_COOKIE))]
        reply = self._carried_back(signed, carried)
        if reply is None:
            return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", PREFIX), *cookies])
        reply.headers.extend(cookies)
        return reply

    def _login_page(self, status: int, problem: str, carried: str = "") -> Reply:
        """The login form, with a session of its own that carries its CSRF token; ``carried``: a
        form sent after the session ended, given back once signed in (``_signed_out``)."""
        pending = self.sessions.start(signed_in=False)
        reply = self._page("login.html", None, status, unset=False, problem=problem, csrf=pending.csrf,
                           carried=carried)
        reply.headers.append(("Set-Cookie", security.cookie_header(pending, PREFIX, security.LOGIN_COOKIE)))
        return reply

    def _logout(self, request: Request, session: security.Session) -> Reply:
        self.sessions.end(session.sid)
        return Reply(HTTPStatus.SEE_OTHER, headers=[("Location", PREFIX + "login"),
                                                    ("Set-Cookie", security.cookie_header(None, PREFIX))])


def _not_uploaded(values: Mapping[str, list[str]]) -> str:
    """The words naming the files a form was sent without (chosen, but never uploaded: a file
    cannot come back in a form), or ""."""
    left = [name for name in values.get("not_uploaded", []) if name]
    return " " + _("The file {names} you chose was not uploaded: choose it again and upload it.").format(
        names=", ".join(left)) if left else ""
