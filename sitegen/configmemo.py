"""What a run needs of config.yaml before it reads it whole, kept by the last build.

Every command first wants ``ui_language`` (the language of its own messages), and a
`sitegen build` with nothing to do wants only where the output goes, the theme, the time
zone and the settings' fingerprint. Importing PyYAML and the config reader and reading the
file with them is a large share of that build (benchmarks/README.md). So a build that
succeeded keeps those few values here, with a digest of the config.yaml bytes its config
was read from; a later run that finds the same bytes takes them from here. Other bytes, a
memo written by another sitegen (cachefiles' stamp), or none at all: config.yaml is read
whole, as always.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen import cachefiles

if TYPE_CHECKING:
    from sitegen.config import Config

CONFIG_FILE = "config.yaml"
MEMO = "config-memo"


def source_digest(raw: bytes) -> str:
    """The digest of config.yaml's bytes that a memo is kept under."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Memo:
    """The settings a nothing-changed build reads, as the config read whole gave them."""

    source: str  # source_digest of the bytes they were read from
    base_url: str | None  # the --base-url they were read with (it is in the fingerprint)
    ui_language: str | None
    output_dir: str
    theme: str
    timezone: str
    fingerprint: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def keep(site_dir: Path, config: Config, base_url: str | None) -> None:
    """Remember ``config``'s memo (a read-only cache folder: the next run reads config.yaml)."""
    if not config.source:  # not read from a file (a test's own Config)
        return
    memo = Memo(config.source, base_url, config.ui_language, config.output_dir, config.theme, config.timezone,
                config.fingerprint)
    if cachefiles.load(site_dir, MEMO) == memo:
        return
    try:
        cachefiles.save(site_dir, MEMO, memo)
    except OSError:
        pass


def recall(site_dir: Path) -> Memo | None:
    """The memo of config.yaml as it is now, or None."""
    try:
        raw = (site_dir / CONFIG_FILE).read_bytes()
    except OSError:
        return None
    memo = cachefiles.load(site_dir, MEMO)
    if not isinstance(memo, Memo) or memo.source != source_digest(raw):
        return None
    try:
        memo.zone  # noqa: B018 - the system's time zone data may have lost it since: read whole, reported
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return memo


def ui_language(site_dir: Path) -> str | None:
    """``ui_language`` from the site's config.yaml, read ahead of the config itself so that even
    its errors are reported in that language; any problem leaves the choice to the locale (the
    config reader reports it)."""
    memo = recall(site_dir)  # config.yaml as the last build read it: no YAML to load
    if memo is not None:
        return memo.ui_language
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # read on every command: the C reader
        data = yaml.load((site_dir / CONFIG_FILE).read_text("utf-8"), Loader=loader)  # a safe loader
    except (OSError, UnicodeError, yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError, OverflowError):
        return None  # a value its tag does not fit too (yamlmarks.CONSTRUCTION_ERRORS): the config reader says
    value = data.get("ui_language") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None
