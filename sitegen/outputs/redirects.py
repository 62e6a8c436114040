"""``/_redirects``: every alias, and every old address of a term's list that has a redirect
page, as a real HTTP redirect, for hosts that read the file.

Netlify and Cloudflare Pages read ``/old/ /new/ 301`` lines from a ``_redirects`` file at
the root of the site. The alias pages (outputs/pages.py) stay as well: other hosts serve
those, and a host that reads this file answers with a proper 301 instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import quote, urlsplit

from sitegen.model import Site, Term
from sitegen.outputs import Output, fingerprint
from sitegen.render.renderer import Renderer

REDIRECTS_FILE = "_redirects"


def _host_path(site: Site, url: str) -> str:
    """A site path as the host sees it: under the base URL's own path when it has one, and
    percent-encoded, since a space would split the line's fields."""
    return quote(urlsplit(site.config.absolute(url)).path, safe="/%:@!$&'()*+,;=-._~")


def redirect_lines(site: Site, moved: Iterable[tuple[str, Term]] = ()) -> list[str]:
    """A line for every alias, and for every old address of a term's list in ``moved``; and
    for what stood below that address, its feeds and later pages, one with a splat
    (``/tags/strae/* /tags/strasse/:splat 301``): a feed reader follows no redirect page, and
    nothing else is below it (sitegen.build.plan makes none where anything is)."""
    pairs = {(_host_path(site, alias), _host_path(site, entry.url))
             for entry in site.entries() for alias in entry.aliases}
    for old, term in moved:
        pairs.add((_host_path(site, old), _host_path(site, term.url)))
        pairs.add((_host_path(site, old) + "*", _host_path(site, term.url) + ":splat"))
    return [f"{old} {new} 301" for old, new in sorted(pairs)]


def redirect_outputs(site: Site, r: Renderer, moved: Iterable[tuple[str, Term]] = ()) -> Iterator[Output]:
    """``moved``: the old addresses of terms' lists that have a redirect page
    (``sitegen.outputs.pages.moved_outputs``)."""
    lines = redirect_lines(site, moved)
    if not lines:
        return
    data = ("\n".join(lines) + "\n").encode("utf-8")
    yield Output(REDIRECTS_FILE, fingerprint(REDIRECTS_FILE, lines), lambda: data, kind="redirect")
