"""Which of a translation's fields were kept as they are in its source ("Keep as it is"), so
their warning (see ``untranslated``) stays away.

A name is often the same in both languages (a tag "COVID-19", a unit "Bappeda", a credit
"Humas Sumbar"). The choice is a box beside the field's mark, in the release's form: sent with
Save (so it needs the form's CSRF token, and works without the page's script), and read by
the live check as it is ticked.

It is the desk's own state, kept in ``.sitegen-cache/desk-kept/<file>.json`` like the desk's
history and its new-release notes, not in the front matter: only the desk's check reads it (the
build and ``sitegen check`` do not warn of these fields), staff never see or write YAML, a file
opened and saved without a change keeps its bytes, and a file written by hand need not carry
it. Losing it (the cache deleted) only brings the warnings back.

Each field's choice is the pairs of (its text, the source's) it was made for: the form's box
carries them as its value, JSON, so a box ticked for one value never keeps another.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from pathlib import Path

from sitegen.cachefiles import cache_dir
from sitegen.desk import storage, untranslated
from sitegen.desk.form import Release
from sitegen.desk.untranslated import KEEPABLE, Pair

FOLDER = "desk-kept"
Kept = dict[str, frozenset[Pair]]


def encode(pairs: Collection[Pair]) -> str:
    """The pairs as the form's box carries them (the same text for the same pairs)."""
    return json.dumps(sorted(set(pairs)), ensure_ascii=False)


def _pairs(value: object) -> frozenset[Pair]:
    """``value`` (read from JSON) as pairs; none when it is anything else (a box's value is sent
    by the browser, a file in the cache may be damaged)."""
    if not isinstance(value, list):
        return frozenset()
    return frozenset((item[0], item[1]) for item in value
                     if isinstance(item, list) and len(item) == 2 and all(isinstance(t, str) for t in item))


def _decode(text: str) -> frozenset[Pair]:
    try:
        return _pairs(json.loads(text))
    except ValueError:
        return frozenset()


def chosen(values: Mapping[str, list[str]]) -> Kept:
    """The fields the form's ticked boxes (``keep_<field>``) keep, with what they keep."""
    found = {name: _decode((values.get(f"keep_{name}") or [""])[0]) for name in KEEPABLE}
    return {name: pairs for name, pairs in found.items() if pairs}


def boxes(mine: Release, source: Release, kept: Mapping[str, Collection[Pair]]) -> dict[str, tuple[str, bool]]:
    """The "Keep as it is" boxes of the form of ``mine``, a translation of ``source``: by field
    (each the source has texts in), the box's value (the field's texts still as in the source;
    "" while there are none, and the box is hidden) and whether it is ticked (``kept`` holds)."""
    found = untranslated.alike(mine, source)
    held = untranslated.holding(found, kept)
    return {name: (encode(found[name]) if name in found else "", name in held)
            for name in untranslated.keepable(source)}


def _path(site_dir: Path, rel: str) -> Path:
    return cache_dir(site_dir) / FOLDER / f"{rel}.json"


def load(site_dir: Path, rel: str) -> Kept:
    """The fields of ``rel`` kept as they are, as last saved."""
    raw = storage.read(_path(site_dir, rel))
    try:
        data = json.loads(raw) if raw is not None else {}
    except ValueError:
        data = {}
    found = {name: _pairs(data.get(name)) for name in KEEPABLE} if isinstance(data, dict) else {}
    return {name: pairs for name, pairs in found.items() if pairs}


def store(site_dir: Path, rel: str, kept: Mapping[str, Collection[Pair]]) -> None:
    """Note ``kept`` as ``rel``'s choice (none: forget it); nothing is written when it is so already."""
    wanted = {name: frozenset(pairs) for name, pairs in kept.items() if pairs}
    if load(site_dir, rel) == wanted:
        return
    path = _path(site_dir, rel)
    if not wanted:
        path.unlink(missing_ok=True)
        return
    data = {name: sorted(pairs) for name, pairs in wanted.items()}
    storage.atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
