"""The search page of each language: ``/search/`` under the language's prefix.

The page holds a plain form; the theme's script asks the Pagefind bundle (written by
``sitegen.searchindex`` after the pages) for results in the page's own language.
"""

from __future__ import annotations

from collections.abc import Iterator

from sitegen import urls
from sitegen.config import Config
from sitegen.model import Site
from sitegen.outputs import Output
from sitegen.render.renderer import Renderer

TEMPLATE = "search.html"


def search_url(config: Config, lang: str) -> str:
    return urls.lang_prefix(config, lang) + "/search/"


def search_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    versions = {code: search_url(site.config, code) for code in site.config.language_codes}
    for lang, url in versions.items():

        def render(lang: str = lang, url: str = url) -> bytes:
            info = r.info("search", lang, url, r.strings[lang]("search_title"), "",
                          versions=versions, noindex=True)
            return r.render(TEMPLATE, lang, info)

        yield Output(urls.output_path(url), r.deps(TEMPLATE, lang, url, sorted(versions.items())),
                     render, lang=lang)
