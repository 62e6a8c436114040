"""The unsaved form, checked and rendered as the build would: ``sitegen check``'s diagnostics for
that one file, and its page in the real theme.

The form's values become the file's bytes (exactly what Save would write), which go through
the same parse as a build; the entry then replaces its saved version in the last good site,
and the site is assembled and the page rendered with the same code. Each diagnostic's line
is mapped back to the field whose front matter key sits on that line, or to the body.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sitegen import check, urls
from sitegen.assemble import assemble
from sitegen.build import Prepared, plan, render_error
from sitegen.content.discover import PAGES, SourceFile
from sitegen.content.parse_file import parse_file
from sitegen.desk import document, paths
from sitegen.desk.form import KEY_FIELDS
from sitegen.errors import Diagnostic, Report
from sitegen.images.store import derive_all
from sitegen.messages import _
from sitegen.model import Entry
from sitegen.outputs.pages import entry_outputs
from sitegen.render.renderer import Renderer
from sitegen.texts import Text


@dataclass(frozen=True, slots=True)
class Finding:
    field: str  # the form field it concerns: "title", "body", ... or "" for the release as a whole
    diagnostic: Diagnostic


@dataclass(frozen=True, slots=True)
class Examined:
    findings: tuple[Finding, ...]
    page: bytes | None  # the rendered page, when the file could be parsed and rendered
    url: str = ""  # the page's address on the site
    #: (address, file in the photo cache) of the versions of the release's photos: a release
    #: not public yet has none in the output, and its preview shows them from the cache
    photos: tuple[tuple[str, Path], ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.diagnostic.severity == "error")


def source_file(rel: str, prepared: Prepared, raw: bytes) -> SourceFile:
    section, key, lang = paths.split_name(rel, prepared.config)
    return SourceFile(rel, rel, section, key, lang, 0, len(raw))


def _everyone(prepared: Prepared, rel: str) -> list[Entry]:
    site = prepared.site
    return [e for e in site.all_entries() if e.source != rel]


def examine(prepared: Prepared, site_dir: Path, rel: str, raw: bytes) -> Examined:
    """Check ``raw`` as the content of ``rel`` (saved or not) against the last good site."""
    config = prepared.config
    report = Report()
    src = source_file(rel, prepared, raw)._replace(file=str(site_dir / rel))
    made = parse_file(src, site_dir, config, report, raw)
    page = None
    # A missing translation: sitegen check puts it on the title's line, to name the release; the
    # form says it above, of the release as a whole (it is no problem of the title's).
    whole: list[Diagnostic] = []
    empty: dict[Diagnostic, str] = {}  # (said of the field that is empty, not of the whole)
    if made is not None:
        entry = made[0]
        others = _everyone(prepared, rel)
        as_built = assemble(config, [*others, entry], prepared.site.now, report)
        built = replace(prepared, site=as_built, report=report)
        whole = check.missing_translations(built, enforce=False)
        report.extend(whole)
        report.extend(check.embargoes_lifting_soon(built))
        empties = check.empty_text(entry, made[1].html)
        report.extend(empties)
        empty = {d: "body" if d.message == _("the text is empty") else "summary" for d in empties}
        credits = check.uncredited(entry)
        report.extend(credits)
        empty.update(dict.fromkeys(credits, "image_credit"))
        page = _render(prepared, site_dir, others, made, report, raw.decode("utf-8", "replace"))
    else:  # no page for its errors: the links of its text are checked still, as sitegen check does
        report.extend(check.text_links(config, rel, raw, {o.path for o in plan(prepared, site_dir)}))
    mine = [d for d in report.items if d.path == rel]
    return Examined(tuple(Finding(empty.get(d) or ("" if d in whole else _field_of(raw, d)), d)
                          for d in dict.fromkeys(mine)),
                    page, made[0].url if made is not None else "", _photo_files(prepared, made[0]) if made else ())


def _photo_files(prepared: Prepared, entry: Entry) -> tuple[tuple[str, Path], ...]:
    """The versions of ``entry``'s photos, made into the photo cache if they are not there yet
    (a draft's photos are made by no build)."""
    files = prepared.renderer.photos
    if not entry.photos or not files.writable:
        return ()
    made = derive_all(((entry.source, photo) for photo in entry.photos), files, 1)
    if made.problems:  # reported by the check already, at the photo's line
        return ()
    return tuple((url, files.set_folder(photo.key) / name)
                 for photo in entry.photos for url, name in files.names(photo))


def _render(prepared: Prepared, site_dir: Path, others: list[Entry], made: tuple[Entry, Text], report: Report,
            text: str) -> bytes | None:
    """The entry's page as it will look once public (drafts and its embargo set aside), and
    the links in its text that lead nowhere."""
    entry, converted = made
    moments = [m for m in (prepared.site.now, entry.public_from()) if m is not None]
    now: datetime = max(moments)
    shown = replace(entry, draft=False)
    site = assemble(prepared.config, [*others, shown], now, Report())
    texts = prepared.renderer.texts.with_texts({entry.body_key: converted})
    renderer = Renderer(site, prepared.renderer.templates, prepared.renderer.strings, texts, {})
    preview = replace(prepared, site=site, renderer=renderer)
    target = urls.output_path(entry.url)
    page = None
    known: set[str] = set()
    try:
        outputs = list(plan(preview, site_dir))
        known = {o.path for o in outputs}
        for output in entry_outputs(site, renderer):
            if output.path == target:
                page = output.render()
                break
    except Exception as exc:  # noqa: BLE001 - a template error is a finding like any other
        report.items.append(replace(render_error(prepared, exc), path=entry.source))
        return None
    if page is not None:
        lines = text.split("\n")
        # Links relative to the page (../rapat/, lampiran.pdf) too, said as written, as check does.
        for written, link in dict.fromkeys(check.page_links(page.decode("utf-8", "replace"), prepared.config, target)):
            needle = written.split("#", 1)[0] or written
            line = next((n for n, words in enumerate(lines, 1) if needle in words), None)
            if line is not None and not check.link_target(link, known):  # the text's links, not the theme's
                report.items.append(check.leads_nowhere(entry.source, line, written))
    return page


def _field_of(raw: bytes, d: Diagnostic) -> str:
    """The form field a diagnostic's line belongs to ("" when it has no line or no field); a
    missing alt text belongs beside its own field, not the photo's whose line it names."""
    if d.message == _("the lead photo has no image_alt"):
        return "image_alt"
    try:
        doc = document.parse(raw)
    except document.Unreadable:
        return ""
    if d.line is None:
        return ""
    if d.line >= doc.body_line:
        return "body"
    for key, (first, last) in document.field_lines(doc).items():
        if first <= d.line <= last:
            return KEY_FIELDS.get(key, "")
    return ""


def is_page(rel: str) -> bool:
    return rel.split("/")[1] == PAGES
