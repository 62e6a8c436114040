"""A build run once, as `sitegen build` runs it: the nothing-changed shortcut first, then
the whole build, with the process tuned for a run that ends when the build does.

serve and watch keep their State between builds and call sitegen.build directly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import cachefiles, configmemo, lock, ondisk, uptodate
from sitegen.clock import ClockError, resolve_now
from sitegen.collector import collect_rarely
from sitegen.errors import Diagnostic
from sitegen.options import Options, output_dir

if TYPE_CHECKING:  # the shortcut must not pay for importing the whole build
    from sitegen.build import Result, State
    from sitegen.config import Config
    from sitegen.content.discover import Listing


@dataclass(frozen=True, slots=True)
class Unchanged:
    """What the shortcut found: the last build's output is current."""

    output_dir: Path
    files: int
    warnings: tuple[Diagnostic, ...]
    seconds: float


def build_once(options: Options) -> Result | Unchanged:
    """Build the site, or say that the last build's output is still current."""
    collect_rarely()
    started = time.perf_counter()
    listing: Listing = {}
    # The few settings the shortcut needs, as the last build read them from these bytes of
    # config.yaml; else config.yaml read whole.
    memo = None if options.clean else configmemo.recall(options.site_dir)
    if memo is not None and memo.base_url != options.base_url:
        memo = None  # another --base-url: another fingerprint
    config = None if options.clean or memo is not None else uptodate.read_config(options)
    settings = memo or config
    # A clean build, a config the build will report on, or another build running: the build
    # waits for that one, saying so, and then finds what it left.
    if settings is None or lock.busy(cachefiles.cache_dir(options.site_dir)):
        return _build(options, _state(listing, None, None), None, None)
    out = output_dir(options, settings)
    # The output's files are checked for hand edits in a child (on a large site) while the
    # inputs are listed here; the build that may follow takes the same answer.
    check = ondisk.start(options.site_dir, out, options.jobs, foreign=False)
    digest = uptodate.inputs_digest(options, settings, listing)
    try:
        now = resolve_now(options.now, settings.zone)
    except ClockError:
        now = None  # the build says what is wrong with it
    stamp = uptodate.unchanged(options, digest, now, out, check) if now is not None else None
    if stamp is not None:
        check.close()
        if config is not None:  # read whole: kept for the next run (a memo lost, or another --base-url)
            configmemo.keep(options.site_dir, config, options.base_url)
        return Unchanged(out, stamp.files, stamp.warnings, time.perf_counter() - started)
    check.start_foreign()  # a build follows: its writer wants them, the shortcut did not
    state = _state(listing, check, config)
    del listing  # the build lets it go once it has read content/: it holds every input file's stat
    return _build(options, state, digest, settings.fingerprint)


def _state(listing: Listing, check: ondisk.Check | None, config: Config | None) -> State:
    from sitegen.build import State

    return State(config=config, listing=listing, check=check, once=True)


def _build(options: Options, state: State, inputs: str | None, fingerprint: str | None) -> Result:
    """``inputs``: the digest the shortcut took of the inputs, with the settings whose
    ``fingerprint`` it read; the stamp keeps it only if the build read the same settings
    (config.yaml saved while it ran was read by the build, not by the shortcut)."""
    from sitegen.build import build

    try:
        result = build(options, state)
    finally:
        if state.texts is not None:
            state.texts.close()
    if inputs is not None and result.prepared.site.config.fingerprint == fingerprint:
        uptodate.record(options, inputs, result)
    configmemo.keep(options.site_dir, result.prepared.site.config, options.base_url)
    return result
