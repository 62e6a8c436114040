"""Jinja2 with the theme chain (site templates/ over the theme's), strict undefined values,
template fingerprints for incremental builds, and template errors as file:line diagnostics."""

from __future__ import annotations

import hashlib
import json
import os
import re
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.meta
import jinja2.nodes
from markupsafe import Markup, escape

from sitegen import cachefiles, oserrors, urls, yamlmarks
from sitegen.errors import Diagnostic
from sitegen.messages import _
from sitegen.render.jinjawords import said

# Templates each template names, by file and source: parsing them is the slow part of a
# fingerprint, so they are kept in memory for serve/watch and in
# the cache folder for the next build.
_REFERENCES: dict[str, tuple[str, ...]] = {}
_REFERENCES_CACHE = "template-references-2"  # 2: with shared_part() names
#: The template function for parts shown alike on every page (render.renderer.SharedParts).
SHARED_PART = "shared_part"
_NO_ATTRIBUTE = re.compile(r"'[\w.]*?(\w+) object' has no attribute '(\w+)'")
#: A template written when an entry still held its text (``entry.body_html``).
_ENTRY_TEXT = re.compile(r"'entry' has no field '(body_html|toc_html)'")


def json_ld(value: Any) -> Markup:
    """JSON for a <script> block: '<', '>' and '&' escaped so '</script>' cannot end it early."""
    text = json.dumps(value, ensure_ascii=False, indent=None, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def at_once(html: Any) -> Markup:
    """``html`` with its first lazily loaded picture fetched at once instead, as the theme's
    ``picture(..., lead=True)`` writes it: a list's first card is the card every other list
    shows (a shared part, rendered once), not a second rendering kept beside it, which at
    100,000 releases held a card for most list pages as well (benchmarks/README.md)."""
    return Markup(str(escape(html)).replace(' loading="lazy"', ' fetchpriority="high"', 1))


#: Words a photo credit may start with that already say what the picture is, in Indonesian
#: and English (case aside; "Dok." is dokumentasi, a file photo): such a credit is shown as
#: written, not after the theme's "Foto:" ("Foto: Ilustrasi: Humas"). A word only starting
#: so ("Dokter Ani", "Fotografer Humas") is part of a name and gets the label.
CREDIT_LABELS = ("foto", "photo", "ilustrasi", "illustration", "dok", "dokumentasi", "documentation")
_LABELLED = re.compile(rf"(?:{'|'.join(CREDIT_LABELS)})\b", re.IGNORECASE)


def credit_line(credit: str, label: str) -> str:
    """``credit`` after ``label`` ("Foto: Budi Santoso"), or as written when it starts with a
    word of :data:`CREDIT_LABELS` (the ``credit_line`` filter: ``photo.credit|credit_line(t('photo'))``)."""
    return credit if _LABELLED.match(credit.strip()) else f"{label}: {credit}"


#: Words that name an office, a unit or a team, not a person, in Indonesian and English (a
#: whole word, any case): a release signed "Tim Humas Kantor Wilayah" is by an organisation.
#: "Tim" alone is not one of them: it is an English given name too.
OFFICE_WORDS = ("humas", "subbagian", "subbag", "bagian", "biro", "kantor", "kanwil", "dinas", "divisi",
                "direktorat", "sekretariat", "kementerian", "badan", "panitia", "pemerintah", "redaksi", "lembaga",
                "office", "public relations", "subdivision", "sub-section", "division", "bureau", "directorate",
                "secretariat", "ministry", "committee", "department", "agency", "team", "newsroom")
_OFFICE_WORD = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, OFFICE_WORDS))})(?![\w-])", re.IGNORECASE)


def author_type(name: str, offices: Iterable[str]) -> str:
    """``Organization`` for an author who is the office (one of ``offices``, the site's title
    and the brand's and contact's names, case and spacing aside) or names one (a word of
    :data:`OFFICE_WORDS`), else ``Person``: the ``author_type`` filter of JSON-LD's authors."""
    def plain(text: str) -> str:
        return " ".join(text.casefold().split())

    if plain(name) in {plain(office) for office in offices} or _OFFICE_WORD.search(name):
        return "Organization"
    return "Person"


def _referenced(tree: jinja2.nodes.Template) -> tuple[str, ...]:
    """The templates ``tree`` extends, includes or imports, and the parts it shows through
    ``shared_part("name", ...)`` (see render.renderer.SharedParts)."""
    found = [dep for dep in jinja2.meta.find_referenced_templates(tree) if dep is not None]
    for call in tree.find_all(jinja2.nodes.Call):
        if (isinstance(call.node, jinja2.nodes.Name) and call.node.name == SHARED_PART and call.args
                and isinstance(call.args[0], jinja2.nodes.Const) and isinstance(call.args[0].value, str)):
            found.append(call.args[0].value)
    return tuple(found)


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates in .sitegen-cache/jinja. A cache file that cannot be written (a full
    disk, a read-only folder) or read (a damaged file) only means compiling the template again;
    the first such write problem is kept, for one warning. Each file ends with its digest
    (``cachefiles.sealed``): Jinja's own check is only of the template's source, and compiled
    code damaged since it was written ran, publishing wrong pages or stopping the build."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        self.problem: OSError | None = None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as kept:
                code = cachefiles.unsealed(kept.read())
            if code is not None:
                bucket.bytecode_from_string(code)
        except FileNotFoundError:
            pass
        except Exception:  # noqa: BLE001 - a broken cache file is the same as none
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            cachefiles.place(self._get_cache_filename(bucket), cachefiles.sealed(bucket.bytecode_to_string()))
        except OSError as exc:
            self.problem = self.problem or exc


class Templates:
    def __init__(self, dirs: list[Path], site_dir: Path, cache_dir: Path | None = None) -> None:
        self.dirs = [d for d in dirs if d.is_dir()]
        self.site_dir = site_dir
        bytecode = self._bytecode = _BytecodeCache(str(cache_dir)) if cache_dir else None
        self.env = jinja2.Environment(
            # utf-8-sig: a byte order mark a Windows editor put first is no text of the page (in
            # <head> it would start the body there and push the meta tags after it).
            loader=jinja2.FileSystemLoader([str(d) for d in self.dirs], encoding="utf-8-sig"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=bytecode,
            auto_reload=False,
            # A plain dict instead of a locked LRU: every include looks its template up
            # again (ten times a page), and a theme's few templates all stay loaded.
            cache_size=-1,
        )
        self.env.filters["json_ld"] = json_ld
        self.env.filters["at_once"] = at_once
        self.env.filters["credit_line"] = credit_line
        self.env.filters["author_type"] = author_type
        self._fingerprints: dict[str, str] = {}
        self._keep_references = cache_dir is not None
        if self._keep_references and not _REFERENCES:
            try:
                known = json.loads(bytes(cachefiles.read(site_dir, _REFERENCES_CACHE) or b"{}"))
                _REFERENCES.update((str(k), tuple(map(str, v))) for k, v in known.items())
            except (ValueError, AttributeError, TypeError):
                pass  # a damaged file only means parsing the templates again

    def add_globals(self, **values: Callable[..., Any] | object) -> None:
        self.env.globals.update(values)

    def render(self, name: str, context: dict[str, Any]) -> bytes:
        return self.env.get_template(name).render(context).encode("utf-8")

    def fingerprint(self, name: str) -> str:
        """Hash of a template and every template it extends, includes or imports."""
        if name not in self._fingerprints:
            digest = hashlib.blake2b(digest_size=8)
            for dep in sorted(self._closure(name, set())):
                source, _, _ = self.env.loader.get_source(self.env, dep)  # type: ignore[union-attr]
                digest.update(dep.encode() + b"\0" + source.encode())
            self._fingerprints[name] = digest.hexdigest()
        return self._fingerprints[name]

    def _closure(self, name: str, seen: set[str]) -> set[str]:
        if name in seen:
            return seen
        seen.add(name)
        source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        key = hashlib.blake2b(f"{filename or name}\0{source}".encode(), digest_size=16).hexdigest()
        if key not in _REFERENCES:
            _REFERENCES[key] = _referenced(self.env.parse(source))
            self._save_references()
        for dep in _REFERENCES[key]:
            self._closure(dep, seen)
        return seen

    def _save_references(self) -> None:
        if not self._keep_references:
            return
        try:
            cachefiles.write(self.site_dir, _REFERENCES_CACHE, json.dumps(_REFERENCES).encode())
        except OSError:
            pass  # the next build parses again

    def check(self) -> list[Diagnostic]:
        """Compile every template so syntax errors surface before anything is rendered."""
        problems: list[Diagnostic] = []
        for name in sorted(set(self.env.list_templates(extensions=["html", "xml", "txt", "json"]))):
            if not urls.is_utf8(name):  # no template can name it, nor Jinja's cache of compiled ones
                folder = next(d for d in self.dirs if os.path.lexists(d / name))
                problems.append(Diagnostic(urls.readable(self._rel(str(folder / name))), None,
                                           _("the file name is not UTF-8 text, so no template can name it"),
                                           "warning", _("rename the file with letters, digits and dashes, "
                                                        "like sidebar.html")))
                continue
            # Listed, yet it cannot be opened (a link loop, say): Jinja's loader would pass over it
            # for a theme's template of that name, or find none.
            unopened = self._unopened(name)
            if unopened is not None:
                problems.append(unopened)
                continue
            try:
                self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                problems.append(self.diagnostic(exc))
            except UnicodeDecodeError:
                problems.append(self._undecodable(name))
            except jinja2.TemplateNotFound:  # gone since it was listed
                problems.append(self._unopened(name) or _cannot_open(name))
        failed = self._bytecode.problem if self._bytecode is not None else None
        if failed is not None:
            words = oserrors.words(failed)
            problems.append(Diagnostic(f"{cachefiles.CACHE_DIR}/jinja", None,
                                       _("compiled templates could not be kept for the next build ({reason})")
                                       .format(reason=words), "warning",
                                       hint=_("the site is built all the same; free some disk space so that the "
                                              "next build is faster")))
        return problems

    def _unopened(self, name: str) -> Diagnostic | None:
        """The first file of the chain named ``name``, if it cannot be opened, in the system's
        words; None when it can."""
        for folder in self.dirs:
            try:
                (folder / name).stat()
            except OSError as exc:
                if isinstance(exc, FileNotFoundError) and not os.path.lexists(folder / name):
                    continue  # in another folder of the chain
                return oserrors.describe(exc, f"{self._rel(str(folder))}/{name}")  # not resolved: it may loop
            return None
        return _cannot_open(name)

    def _undecodable(self, name: str) -> Diagnostic:
        """A template that is not UTF-8 text: the file the loader read, at the line of its first bad byte."""
        path = next(d / name for d in self.dirs if (d / name).is_file())
        try:
            yamlmarks.decode(path.read_bytes())
        except yamlmarks.YamlSyntaxError as exc:
            return Diagnostic(self._rel(str(path)), exc.line, exc.message, hint=exc.hint)
        return Diagnostic(self._rel(str(path)), None, _("the file is not UTF-8 text"),
                          hint=_("open it in your editor and save it again with the UTF-8 encoding"))

    def diagnostic(self, exc: BaseException) -> Diagnostic:
        """Where in which template ``exc`` happened, as a site-relative path and line."""
        if isinstance(exc, jinja2.TemplateSyntaxError):
            return Diagnostic(self._rel(exc.filename or exc.name or "?"), exc.lineno,
                              _("template error: {problem}").format(problem=said(exc.message or "")),
                              hint=_("fix the template on this line; an unclosed {{ }} or {% %} is the usual cause"))
        if isinstance(exc, jinja2.TemplateNotFound) and exc.name:
            named = self.where(re.compile(r"""\b(?:include|extends|import|from)\s+(['"])""" + re.escape(str(exc.name))
                                          + r"\1"))
            if named is None:  # named by an expression ({% include p %}): where the render stopped
                named = self._failed_at(exc)
            if named is None and exc.name not in PAGE_TEMPLATES:  # in a list of names to try, say
                named = self.where(re.compile(r"""(['"])""" + re.escape(str(exc.name)) + r"\1"))
            if named is not None:
                return Diagnostic(named[0], named[1],
                                  _("template error: the template '{name}' named on this line does not exist").format(
                                      name=exc.name),
                                  hint=_("check the name; templates are looked for in templates/ of the site, then "
                                         "of the theme"))
            if exc.name not in PAGE_TEMPLATES:
                return Diagnostic("templates", None, _("template error: the template '{name}' does not exist").format(
                    name=exc.name), hint=_("check the name; templates are looked for in templates/ of the site, then "
                                           "of the theme"))
            # one sitegen itself renders pages with: said at the file that is missing, where the
            # site may put its own
            return Diagnostic(f"templates/{exc.name}", None,
                              _("template error: the template '{name}' does not exist, and pages are made with it")
                              .format(name=exc.name),
                              hint=_("put it back in the theme's templates/ folder, or write the site's own in "
                                     "templates/"))
        # "'sitegen.model.Entry object' has no attribute 'x'" is for programmers.
        message = _NO_ATTRIBUTE.sub(lambda m: f"'{m[1].lower()}' has no field '{m[2]}'", str(exc))
        hint = _("check the spelling of the value this line uses") if isinstance(exc, jinja2.UndefinedError) \
            else _("fix the expression on this line of the template")
        if _ENTRY_TEXT.search(message):
            hint = _("a page's text is no longer a field of entry: write body_html (and toc_html) instead of "
                     "entry.body_html")
        message = said(message)
        at = self._failed_at(exc)
        if at is not None:
            return Diagnostic(at[0], at[1], _("template error: {problem}").format(problem=message), hint=hint)
        return Diagnostic("templates", None, _("template error: {problem}").format(problem=message), hint=hint)

    def _failed_at(self, exc: BaseException) -> tuple[str, int] | None:
        """The template file and line where a render raised ``exc``, from its traceback (Jinja
        puts the templates' lines in it); None without one (a worker's error)."""
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename.endswith((".html", ".xml", ".txt", ".json"))]
        if not frames or frames[-1].lineno is None:
            return None
        return self._rel(frames[-1].filename), frames[-1].lineno

    def where(self, pattern: re.Pattern[str]) -> tuple[str, int] | None:
        """The first template file and line that ``pattern`` finds (looked for only once a render
        has failed: a worker's error arrives without its traceback), as a site-relative path."""
        found = self._where(pattern)
        return None if found is None else (self._rel(found[0]), found[1])

    def _where(self, pattern: re.Pattern[str]) -> tuple[str, int] | None:
        for template in sorted(self.env.list_templates()):
            try:
                source, filename, _uptodate = self.env.loader.get_source(self.env, template)  # type: ignore[union-attr]
            except (jinja2.TemplateNotFound, UnicodeDecodeError, OSError):
                continue
            for number, line in enumerate(source.splitlines(), 1):
                if pattern.search(line):
                    return filename or template, number
        return None

    def _rel(self, filename: str) -> str:
        path = Path(filename).resolve()
        try:
            return path.relative_to(self.site_dir.resolve()).as_posix()
        except ValueError:
            return str(path)


#: The templates sitegen itself renders pages with (sitegen.outputs): a theme must have them.
PAGE_TEMPLATES = frozenset({"article.html", "page.html", "home.html", "list.html", "terms.html", "404.html",
                            "search.html", "redirect.html"})


def _cannot_open(name: str) -> Diagnostic:
    return Diagnostic("templates", None, _("template error: the template '{name}' cannot be opened").format(
        name=name), hint=_("check that the file is there and may be read"))
