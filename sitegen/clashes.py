"""Outputs that cannot all be written, found before anything is: content errors naming both sides.

Two outputs at one path; a file where another output needs a folder (an alias
``/robots.txt/x/``, a static file ``static/tentang`` beside the page ``/tentang/``); an
output over a name sitegen keeps for itself (the Pagefind bundle ``pagefind/``, the marker).
Each is reported at the source most likely to be the mistake: an alias before a static
file before anything generated. A redirect from a term's old address is made only where it
would clash with nothing (``free``), so it is never one of them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, KeysView, Sequence

from sitegen.errors import Diagnostic, SiteError
from sitegen.generations import RESERVED
from sitegen.messages import N_, _
from sitegen.outputs import Output

SEARCH_BUNDLE = "pagefind"  # written by sitegen.searchindex after the pages
_BLAME = {"redirect": 0, "static": 1}  # the lower, the likelier the mistake


class Clashes(SiteError):
    """Outputs that cannot all be written (two at one address, one outside the folder), found
    before anything is rendered: the build says them with what rendering would find."""


def find(outputs: Sequence[Output], known: KeysView[str] | None = None) -> list[Diagnostic]:
    """Every clash among ``outputs``. ``known``: the paths of a site written before, which
    had none: the same paths again (an edit of a text, say) need only the duplicate check."""
    paths = {output.path for output in outputs}
    if known is not None and len(paths) == len(outputs) and paths == known:
        return []  # no two at one path, and the very paths of the site written before
    problems: list[Diagnostic] = []
    owner: dict[str, Output] = {}
    for output in outputs:
        first = owner.setdefault(output.path, output)
        if first is not output:
            problems.append(_clash(output, first))
    if known is not None and owner.keys() == known:
        return problems
    for path, output in owner.items():
        top = _kept(path)
        if top:
            what = _("the Pagefind search index /pagefind/") if top == SEARCH_BUNDLE \
                else _("sitegen's own file /{name}").format(name=top)
            problems.append(_at(output, _("{output} clashes with {other}").format(output=_name(output), other=what),
                                _("choose another address; this one is kept for sitegen")))
    for folder in sorted(_folders(owner) & owner.keys()):
        inside = next(output for path, output in owner.items() if path.startswith(folder + "/"))
        problems.append(_clash(owner[folder], inside, folder))
    return problems


def free(wanted: Iterable[str], taken: Collection[str]) -> set[str]:
    """Those of ``wanted``, paths of outputs made only where nothing else is (the old address
    of a term's list, sitegen.build.plan), that clash with none of ``taken``, every other
    output's path, nor with one of ``wanted`` before them: the rest are not made, where an
    alias would be an error (``find``)."""
    claimed = set(taken)
    folders = _folders(claimed)
    found: set[str] = set()
    for path in wanted:
        parents = _folders((path,))
        if path in claimed or path in folders or not parents.isdisjoint(claimed) or _kept(path):
            continue
        found.add(path)
        claimed.add(path)
        folders |= parents
    return found


_KEPT = (SEARCH_BUNDLE, *RESERVED, ".sitegen-")


def _kept(path: str) -> str:
    """The name sitegen keeps for itself that ``path`` is in (``pagefind``), else ""."""
    if not path.startswith(_KEPT):
        return ""
    top = path.split("/", 1)[0]
    if top != SEARCH_BUNDLE and top not in RESERVED and not top.startswith(".sitegen-"):
        return ""  # merely begins like one: "pagefinder/"
    return top


def _folders(paths: Iterable[str]) -> set[str]:
    """Every folder the files at ``paths`` are in: ``a/b/c`` is in ``a/b`` and ``a``."""
    folders: set[str] = set()
    for parent in {path.rpartition("/")[0] for path in paths}:
        while parent and parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    return folders


def _clash(a: Output, b: Output, folder: str | None = None) -> Diagnostic:
    """``a`` and ``b`` cannot both be written (``a`` is a file at ``folder``, which ``b``
    needs as a folder, when that is given): reported at the likelier mistake."""
    blamed, other = (a, b) if _blame(a) <= _blame(b) else (b, a)
    if folder is None:
        message = _("{output} clashes with {other}").format(output=_name(blamed), other=_description(other))
    elif blamed is a:
        message = _("{output} is a file where {other} needs the folder /{folder}/").format(
            output=_name(a), other=_description(b), folder=folder)
    else:
        message = _("{output} needs the folder /{folder}/, where {other} is a file").format(
            output=_name(b), other=_description(a), folder=folder)
    return _at(blamed, message, _("give one of them another address: slug, alias, permalink or file name"))


def _blame(output: Output) -> int:
    """How likely ``output`` is the mistake: the lower, the likelier. One the site as a whole
    makes (no source: the redirect file of every alias, a sitemap) is the least likely."""
    return _BLAME.get(output.kind, 2) if output.source else 3


def _at(output: Output, message: str, hint: str) -> Diagnostic:
    source = output.source or f"/{output.path}"
    path, _, line = source.rpartition(":")
    if path and line.isdigit():
        return Diagnostic(path, int(line), message, hint=hint)
    return Diagnostic(source, None, message, hint=hint)


def _name(output: Output) -> str:
    """The output as the subject of a sentence."""
    kind = {"redirect": N_("alias") if output.source else N_("file"), "static": N_("static file"),
            "feed": N_("feed"), "sitemap": N_("file"), "image": N_("image")}.get(output.kind, N_("page"))
    return f"{_(kind)} /{output.path}"


def _description(output: Output) -> str:
    """The output as the object of a sentence, with its source where it has one."""
    source = output.source.rsplit(":", 1)[0] if output.source else ""
    if output.kind == "redirect":
        return _("the alias /{path} in {source}").format(path=output.path, source=source) if source \
            else _("the redirect file /{path}").format(path=output.path)
    if output.kind == "static":
        return _("the static file {source}").format(source=source)
    if source:
        return _("the page of {source}").format(source=source)
    if output.kind == "feed":
        return _("the generated feed /{path}").format(path=output.path)
    return _("the generated file /{path}").format(path=output.path)
