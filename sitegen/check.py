"""``sitegen check``: everything a build would find, plus broken links and missing
translations, without writing a single file.

The site is prepared (config, content, templates, i18n) and every output is rendered in
memory, so template errors show up exactly as a build would report them. Then every
internal ``href``/``src`` in the rendered HTML must name something the site produces.
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

from sitegen import clashes, status, urls
from sitegen.build import Options, Prepared, State, held_back, not_said_again, plan, prepare, recovering, render_error
from sitegen.clock import wall_time
from sitegen.config import CONFIG_FILE, Config, line_of
from sitegen.content import markdown
from sitegen.content.frontmatter import decode, split
from sitegen.errors import Diagnostic, LineProblem, Severity, SiteError
from sitegen.messages import _, ngettext
from sitegen.model import Entry
from sitegen.options import output_dir
from sitegen.searchindex import BUNDLE
from sitegen.texts import CacheLost
from sitegen.versions import Versions
from sitegen.writer import check_output_folder

SOON = timedelta(hours=24)
_LINK_ATTRS = ("href", "src")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HERE = "http://page.invalid"  # resolves a relative link against the page's own address


def check(site_dir: Path, now: str | None, translations: bool) -> list[Diagnostic]:
    return recovering(State(), lambda state: _check(site_dir, now, translations, state))


def _check(site_dir: Path, now: str | None, translations: bool, state: State) -> list[Diagnostic]:
    try:
        # Files with errors are left out of the site, not allowed to hide the rest: the
        # other pages are still rendered and their links checked.
        prepared = prepare(Options(site_dir=site_dir, now=now, cache=False), state, keep_errors=True)
    except SiteError as exc:
        if exc.exit_code != 1:
            raise  # config or usage errors keep their own exit status
        return exc.diagnostics
    config = prepared.config
    # An output folder the build would refuse (output_dir: . or inside content/): its usage error.
    check_output_folder(output_dir(Options(site_dir=site_dir), config), site_dir, config.output_dir)
    errors = prepared.report.errors
    left_out = {d.path for d in errors}
    pages, problems = render_all(prepared, site_dir)
    if not all(path.startswith("content/") for path in left_out):
        # A template or the UI strings have errors, said once: not again for each page they
        # stop. The pages they do not stop are checked still, and all that needs no page.
        said = {d.message for d in errors}  # a page that fails knows no template's name to say
        problems = [d for d in problems if d.message not in said]
    found = [*prepared.report.items, *problems]  # the warnings of the outputs too (static/'s links)
    links = broken_links(prepared, pages, site_dir) + left_out_links(prepared, pages, site_dir, left_out) + \
        waiting_links(prepared, pages, site_dir)
    if any(path.startswith("content/") for path in left_out):
        links = [replace(d, hint=_("{hint}; or it leads to a release with errors, which is not published until "
                                   "they are fixed").format(hint=d.hint)) for d in links]
    found += links
    # A translation is not missing because its file has an error: that error is said.
    found += [d for d in missing_translations(prepared, translations)
              if not any(path in (d.hint or "") for path in left_out)]
    found += unknown_policy_sections(prepared, site_dir, translations)
    found += empty_texts(prepared, site_dir)
    found += [d for entry in prepared.site.all_entries() for d in uncredited(entry)]
    found += embargoes_lifting_soon(prepared)
    return found


@dataclass(slots=True)
class Rendered:
    """What the link check needs from the outputs: every path, and the links of each page."""

    paths: set[str] = field(default_factory=set)
    links: dict[str, list[str]] = field(default_factory=dict)  # page path → internal links
    written: dict[tuple[str, str], str] = field(default_factory=dict)  # (page, relative link's path) → as written


def render_all(prepared: Prepared, site_dir: Path) -> tuple[Rendered, list[Diagnostic]]:
    rendered = Rendered()
    problems: list[Diagnostic] = []
    entries = {e.source: e for e in prepared.site.all_entries()}
    try:
        outputs = list(plan(prepared, site_dir, prepared.report))
        # as the build finds them, before writing (and says them: not again for a file's own errors)
        problems += not_said_again(prepared.site, prepared.report.errors, clashes.find(outputs))
        for output in outputs:
            rendered.paths.add(output.path)
            if output.kind == "photo":
                continue  # a photo's versions: checked when the release was read, made only by a build
            try:
                data = output.render()
            except CacheLost:
                raise  # check starts again without the cache
            except Exception as exc:  # noqa: BLE001 - every failure becomes a diagnostic
                problems.append(render_error(prepared, exc))
                # A release's page that a broken template stops: the links of its text are checked still.
                entry = entries.get(output.source) if output.kind == "page" else None
                if entry is None:
                    continue
                data = prepared.renderer.texts.html(entry).encode("utf-8")
            if output.path.endswith(".html"):
                found = page_links(data.decode("utf-8", "replace"), prepared.config, output.path)
                rendered.links[output.path] = [path for _written, path in found]
                rendered.written.update(((output.path, path), written) for written, path in found
                                        if written != path)
    except CacheLost:
        raise
    except Exception as exc:  # noqa: BLE001 - a template that cannot even be read
        problems.append(render_error(prepared, exc))
    return rendered, problems


class _Links(HTMLParser):
    def __init__(self, images: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.images = images

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.images or tag != "img":
            self.found += [value for name, value in attrs if name in _LINK_ATTRS and value]


def page_links(page: str, config: Config, at: str | None = None, images: bool = True) -> list[tuple[str, str]]:
    """Each internal link of the page as written and as a site path ('/x/' or 'https://site/x/';
    for a site in a folder of its host, whose links are put there, '/folder/x/'). Given ``at``, the page's
    output path, relative links (``../rapat/``, ``lampiran.pdf``) count too, resolved
    against the page's address as a browser does. ``images``: with the sources of <img>."""
    base_url, folder = config.base_url, config.base_path
    parser = _Links(images)
    parser.feed(page)
    parser.close()
    paths = []
    for written in parser.found:
        value = written.strip()
        if value.startswith(base_url):
            value = "/" + value[len(base_url):]
        elif folder != "/" and value.startswith(folder):
            value = "/" + value[len(folder):]
        if value.startswith("/") and not value.startswith("//"):
            paths.append((value, value))
        elif at is not None and value and value[0] not in "#?/" and not _SCHEME.match(value):
            here = _HERE + "/" + at.rpartition("/")[0] + "/"
            paths.append((value, urljoin(here, value)[len(_HERE):]))
    return paths


def link_target(link: str, paths: set[str]) -> bool:
    """Does ``link`` name an output (a file, or a folder whose index.html is one)?"""
    path = unquote(link.split("#", 1)[0].split("?", 1)[0])
    clean = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    rel = urls.output_path(clean)
    if rel.split("/", 1)[0] == BUNDLE:
        return True  # the search index is written after the outputs
    return rel in paths or f"{rel}/index.html" in paths


def broken_links(prepared: Prepared, rendered: Rendered, site_dir: Path) -> list[Diagnostic]:
    entries = {urls.output_path(e.url): e for e in prepared.site.entries()}
    in_text: dict[tuple[str, str], Entry] = {}
    elsewhere: dict[str, list[str]] = {}
    for page, links in rendered.links.items():
        entry = entries.get(page)
        for link in dict.fromkeys(links):
            if link_target(link, rendered.paths):
                continue
            link = rendered.written.get((page, link), link)  # reported as written
            if entry is not None and _line_of(site_dir / entry.source, link):
                in_text[(entry.source, link)] = entry
            else:
                elsewhere.setdefault(link, []).append("/" + page.removesuffix("index.html"))
    found = [leads_nowhere(source, _line_of(site_dir / source, link), link) for (source, link) in in_text]
    for link, pages in elsewhere.items():
        others = len(pages) - 1
        message = ngettext("the link {link} leads to no page or file of this site (also on {n} other page)",
                           "the link {link} leads to no page or file of this site (also on {n} other pages)",
                           others) if others else _("the link {link} leads to no page or file of this site")
        found.append(Diagnostic(pages[0], None, message.format(link=link, n=others),
                                hint=_("it comes from the templates, the config or the front matter")))
    return found


def left_out_links(prepared: Prepared, rendered: Rendered, site_dir: Path, left_out: set[str]) -> list[Diagnostic]:
    """The broken links in the texts of content files left out for their errors (a missing
    photo, an impossible date), said in the same run as those errors."""
    found = []
    for rel in sorted(path for path in left_out if path.startswith("content/") and path.endswith(".md")):
        try:
            raw = (site_dir / rel).read_bytes()
        except OSError:
            continue  # unreadable: its error is what was said
        found += text_links(prepared.config, rel, raw, rendered.paths)
    return found


def waiting_links(prepared: Prepared, rendered: Rendered, site_dir: Path) -> list[Diagnostic]:
    """The broken links in the texts of releases not public yet (under embargo, scheduled):
    the day before an embargo lifts is when they are checked. A link to another such release,
    or to a file that waits with one, leads to what will be there."""
    site = prepared.site
    waiting = [h.entry for h in site.hidden if h.reason != "draft"]
    if not waiting:
        return []
    paths = rendered.paths | {urls.output_path(h.entry.url) for h in site.hidden} | held_back(site)
    found = []
    for entry in waiting:
        links = page_links(prepared.renderer.texts.html(entry), site.config, at=urls.output_path(entry.url),
                           images=False)
        found += [leads_nowhere(entry.source, _line_of(site_dir / entry.source, written), written)
                  for written, path in dict.fromkeys(links) if not link_target(path, paths)]
    return found


def text_links(config: Config, rel: str, raw: bytes, paths: set[str]) -> list[Diagnostic]:
    """The links from the site's root in the text of the content file ``rel`` (``raw``) that lead
    to none of ``paths``: for a file whose errors give it no page, and so no address that
    relative links would start from."""
    try:
        body = split(decode(raw)).body
        # a text the build does not convert (too costly, too long, too deeply nested) is its error
        html = markdown.render(body).html if markdown.within_limits(body) else ""
    except (ValueError, LineProblem, RecursionError):
        return []  # its front matter cannot be read, or its HTML blocks nest too deeply: that is said
    text = raw.decode("utf-8", "replace")
    # Not the images: one of the text that is not there is an error of the parse already
    # ("the file ... does not exist"), said once.
    return [leads_nowhere(rel, _line_in(text, written), written)
            for written, path in dict.fromkeys(page_links(html, config, images=False))
            if not link_target(path, paths)]


def leads_nowhere(source: str, line: int | None, link: str) -> Diagnostic:
    return Diagnostic(source, line, _("the link {link} leads to no page or file of this site").format(link=link),
                      hint=_("check the address; pages end in /"))


def _line_of(path: Path, link: str) -> int | None:
    """The first line of the Markdown source that holds ``link``, also written with character
    codes (``&#47;files/x.pdf`` is ``/files/x.pdf`` to a browser, and to check)."""
    try:
        text = path.read_text("utf-8", "replace")
    except OSError:
        return None
    return _line_in(text, link)


def _line_in(text: str, link: str) -> int | None:
    needle = link.split("#", 1)[0] or link
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line or ("&" in line and needle in html.unescape(line)):
            return number
    return None


def missing_translations(prepared: Prepared, enforce: bool) -> list[Diagnostic]:
    """A warning for each language a release or page lacks (an error where ``enforce`` and the
    translation policy demands it), at its title: the releases the desk lists, pages too."""
    config = prepared.config
    drafts = {(h.entry.translation_key, h.entry.lang): h.entry for h in prepared.site.hidden if h.reason == "draft"}
    versions = Versions(prepared.site)
    found = []
    for lacking in status.missing_translations(prepared.site, pages=True):
        anchor = lacking.first
        line = anchor.lines.get("title", 1)  # the release the warning is about, by its title
        for code in lacking.missing:
            severity: Severity = "error" if enforce and code in lacking.required else "warning"
            name = config.languages[code].name
            draft = drafts.get((anchor.translation_key, code))
            if draft is not None:  # the translation exists but is not finished: say so, not "add it"
                message = _("the {language} ({code}) version of this article is still a draft") \
                    if anchor.kind == "article" else _("the {language} ({code}) version of this page is still a draft")
                found.append(Diagnostic(anchor.source, line, message.format(language=name, code=code), severity,
                                        _("finish the translation in {path}, then delete its line  draft: true")
                                        .format(path=draft.source)))
                continue
            message, hint = versions.why_missing(anchor, code, name)
            found.append(Diagnostic(anchor.source, line, message, severity, hint))
    return found


def unknown_policy_sections(prepared: Prepared, site_dir: Path, enforce: bool) -> list[Diagnostic]:
    """Sections named in ``translations.require`` that the site has no folder for: a misspelt
    name leaves its releases outside the policy, and nothing else would say so."""
    config = prepared.config
    content = site_dir / "content"
    known = set(config.sections) | ({p.name for p in content.iterdir() if p.is_dir()} if content.is_dir() else set())
    unknown = [section for section in config.translations.require if section not in known]
    if not unknown:
        return []
    found = []
    for section in unknown:
        near = difflib.get_close_matches(section, sorted(known), n=1)
        hint = _("did you mean '{key}'?").format(key=near[0]) if near else \
            _("the sections are the folders of content/: {names}").format(names=", ".join(sorted(known)) or "-")
        found.append(Diagnostic(CONFIG_FILE, line_of(site_dir, "translations", "require", section),
                                _("translations.require names the section '{section}', which has no folder in "
                                  "content/").format(section=section), "error" if enforce else "warning", hint))
    return found


def empty_texts(prepared: Prepared, site_dir: Path) -> list[Diagnostic]:
    """Releases, drafts included, whose text or summary is still empty: a new file from
    ``sitegen new`` until someone writes it."""
    return [found for entry in prepared.site.all_entries()
            for found in empty_text(entry, prepared.renderer.texts.html(entry), site_dir)]


def uncredited(entry: Entry) -> list[Diagnostic]:
    """A lead photo without its credit, which the desk asks for when the photo is uploaded and
    the page, JSON-LD and feeds show beside it; the desk asks too, as the field is emptied."""
    if entry.image is None or entry.image.credit:
        return []
    return [Diagnostic(entry.source, entry.lines.get("image_credit") or entry.lines.get("image"),
                       _("the lead photo has no credit"), "warning",
                       _("name who took it after  image_credit:  readers see it beside the photo"))]


def _text_line(path: Path) -> int | None:
    """The line below the front matter's closing ---, where the text belongs."""
    try:
        lines = path.read_text("utf-8", "replace").splitlines()
    except OSError:
        return None
    closing = next((n for n, line in enumerate(lines[1:], 2) if line.rstrip() == "---"), None)
    return None if closing is None else closing + 1


def empty_text(entry: Entry, html: str, site_dir: Path | None = None) -> list[Diagnostic]:
    """One release's empty text or summary (``html``: its converted text); the desk asks too.
    Given the site folder, the empty text is reported on the line where it belongs."""
    found = []
    if not html.strip():
        line = None if site_dir is None else _text_line(site_dir / entry.source)
        found.append(Diagnostic(entry.source, line, _("the text is empty"), "warning",
                                _("write the text below the second --- line")))
    if not entry.summary and entry.kind == "article":
        # Without a summary: key, the title's line: a line in the front matter, where one goes.
        line = entry.lines.get("summary") or entry.lines.get("title")
        found.append(Diagnostic(entry.source, line, _("the summary is empty"), "warning",
                                _("write one or two sentences after  summary:, or start the text with a "
                                  "paragraph")))
    return found


def embargoes_lifting_soon(prepared: Prepared) -> list[Diagnostic]:
    now = prepared.site.now
    found = []
    for hidden in prepared.site.hidden:
        until = hidden.until
        if hidden.reason == "draft" or until is None or not now < until <= now + SOON:
            continue
        minutes = int((until - now).total_seconds() // 60)
        message = _("the embargo lifts at {time}, in {hours} h {minutes} min") if hidden.reason == "embargo" \
            else _("it is published at {time}, in {hours} h {minutes} min")
        key = "embargo" if hidden.reason == "embargo" else "date"
        found.append(Diagnostic(hidden.entry.source, hidden.entry.lines.get(key), message.format(
            time=wall_time(until, prepared.config.zone, "minutes"), hours=minutes // 60,
            minutes=minutes % 60), "warning", _("make sure it is final")))
    return found
