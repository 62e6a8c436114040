"""The search page of each language."""

from __future__ import annotations

from collections.abc import Iterator

from sitegen.model import Site
from sitegen.outputs import Output
from sitegen.outputs.context import Renderer


def search_outputs(site: Site, r: Renderer) -> Iterator[Output]:
    yield from ()
