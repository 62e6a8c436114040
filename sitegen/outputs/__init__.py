"""Outputs: pure functions of the Site that return the files to write.

Each Output names its path, a fingerprint of everything it is made from, and how to
render its bytes. Rendering is deferred so an unchanged fingerprint costs nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import NamedTuple


class Output(NamedTuple):
    """One file to write. A named tuple rather than a frozen dataclass: a build plans one per
    file of the site, and a tuple is made faster."""

    path: str  # relative to the output folder, with forward slashes
    deps: str  # fingerprint of every input; equal fingerprints mean equal bytes
    render: Callable[[], bytes]
    kind: str = "page"  # page, feed, sitemap, static, redirect: for progress and counts
    #: Outputs that share work in a worker (the feeds of one format reuse each other's
    #: items) are rendered together, by one worker; "" for none.
    group: str = ""
    #: Where it comes from, for an error that names it: ``content/x.id.md``, ``content/x.id.md:5``
    #: (an alias, at its line), ``static/logo.png``; "" for files the site as a whole makes.
    source: str = ""
    #: The language of a page or feed ("" for files of the whole site): a process keeps what
    #: one language's pages share (their release cards) while it renders them (writer._family).
    lang: str = ""


def fingerprint(*parts: object) -> str:
    """A short hash of ``parts``; strings (most parts: hashes, URLs) skip the cost of repr."""
    try:
        text = "\x1f".join(parts)  # type: ignore[arg-type]  # all text: the usual case, once per output
    except TypeError:
        text = "\x1f".join(part if isinstance(part, str) else repr(part) for part in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


# Characters XML 1.0 forbids (and the noncharacters feed validators reject).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML document may not hold (feeds, sitemaps)."""
    return _XML_FORBIDDEN.sub("", text)
