"""``sitegen deploy``: build, compare with the live release, send what changed, switch, prune.

Order matters for safety: nothing on the target changes before the plan passed the
deletion guard; ``current`` moves only after the release's completion mark is written;
old releases are pruned only after the switch, and never the live one nor the one a rollback
would go to. A pruned release is renamed out of the releases at once and removed in the background
(``Transport.discard``), so that the removal of a large release never holds up a deploy. What
earlier deploys stopped sending is removed in full before anything is sent (``_clear``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sitegen import oserrors
from sitegen.clock import wall_time
from sitegen.config import Config, DeployTarget, load_config
from sitegen.deploy import layout, sshconfig, websub
from sitegen.deploy.endpoint import parse_url
from sitegen.deploy.hostkeys import known_hosts_file
from sitegen.deploy.plan import Plan, guard, make_plan
from sitegen.deploy.problems import DeployFailed, blocked, failed, made_folder, refused, would_make_folder
from sitegen.deploy.progress import Progress, human_bytes
from sitegen.deploy.snapshot import FileInfo, Snapshot, take
from sitegen.deploy.transport import Taken, Transport
from sitegen.errors import ConfigError, Diagnostic, SiteError, UsageError
from sitegen.interrupts import held, stop_as_interrupt
from sitegen.messages import _, decimal, ngettext
from sitegen.parallel import Beside
from sitegen.writer import MARKER

Say = Callable[[str], None]
Warn = Callable[[Sequence[Diagnostic]], None]


@dataclass(frozen=True, slots=True)
class Request:
    site_dir: Path
    target: str | None = None
    dry_run: bool = False
    rollback: bool = False
    yes: bool = False
    build: bool = True
    status: bool = False
    build_progress: Callable[[int, int], None] | None = None  # the build's counter on a terminal


def run(request: Request, say: Say, warn: Warn) -> int:
    # Stopped by SIGTERM (a service manager, `timeout`) as by Ctrl-C: rsync is stopped with it
    # instead of sending on alone into a release the next deploy removes.
    with stop_as_interrupt():
        return _run(request, say, warn)


def _run(request: Request, say: Say, warn: Warn) -> int:
    config = load_config(request.site_dir)
    target = choose_target(config, request.target)
    if request.status:
        return _status(request, config, target, say)
    if request.rollback:
        return _rollback(request, config, target, say, warn)
    return _deploy(request, config, target, say, warn)


def choose_target(config: Config, name: str | None) -> DeployTarget:
    targets = config.deploy
    if not targets:
        raise ConfigError([Diagnostic("config.yaml", None, _("no deploy target is configured"), "error",
                                      _("add a deploy: section, like  deploy: {production: {url: "
                                        "ssh://humas@web.example.go.id/var/www/humas}}"))])
    if name is None:
        if len(targets) > 1:
            raise UsageError([Diagnostic("deploy", None, _("name the target: {names}").format(
                names=", ".join(targets)), "error", _("like  sitegen deploy {name}").format(name=next(iter(targets))))])
        return next(iter(targets.values()))
    if name not in targets:
        raise UsageError([Diagnostic(name, None, _("no deploy target named '{name}' in config.yaml").format(name=name),
                                     "error", _("targets: {names}").format(names=", ".join(targets)))])
    return targets[name]


def open_transport(config: Config, target: DeployTarget, site_dir: Path, note: Say,
                   first: Callable[[Transport], object] | None = None) -> Transport:
    """The target's transport, connected. ``first``: a request made at once on every kind of
    target; over OpenSSH the first request also tells whether the server runs commands for the
    account and has rsync, else SFTP is used, and ``note`` is told why (the deploy's summary
    says it). Without ``first`` that is the listing of the releases, which the transport keeps
    for the command."""
    endpoint = parse_url(target.url)
    label = target.name
    if endpoint.scheme == "file":
        from sitegen.deploy.local import LocalTransport

        return _asked(LocalTransport(label, Path(endpoint.path)), first)
    known = known_hosts_file(target.known_hosts, site_dir)
    global_known = not (target.known_hosts or os.environ.get("SITEGEN_KNOWN_HOSTS"))
    identity = _path(target.identity_file, site_dir)
    problem = _key_problem(identity) if identity is not None else None
    if problem is not None:  # said plainly, rather than as a key the server refused
        raise refused(label, *problem)
    resolved = sshconfig.resolve(endpoint)
    endpoint, keys = resolved.endpoint, resolved.keys
    if shutil.which("rsync") and shutil.which("ssh"):
        from sitegen.deploy.openssh import NoShell, OpenSSH
        from sitegen.deploy.rsync import RsyncTransport

        transport = RsyncTransport(label, OpenSSH(label, endpoint, known, identity, global_known, keys))
        try:
            if first is None:
                transport.releases()
            else:
                first(transport)
        except NoShell:
            transport.close()
            note(_("over SFTP: the server runs no commands for this account (SFTP only)"))
        except BaseException:
            transport.close()
            raise
        else:
            if transport.remote_rsync:
                return transport
            transport.close()
            note(_("over SFTP: the server has no rsync"))
    else:
        note(_("over SFTP: this computer has no rsync") if shutil.which("ssh")
             else _("over SFTP: this computer has no OpenSSH client (ssh)"))
    from sitegen.deploy.sftp import SftpTransport

    return _asked(SftpTransport(label, endpoint, known, identity, global_known, keys), first)


def _asked(transport: Transport, first: Callable[[Transport], object] | None) -> Transport:
    """``transport``, once ``first`` was asked of it (closed if that fails)."""
    if first is not None:
        try:
            first(transport)
        except BaseException:
            transport.close()
            raise
    return transport


def _check_target(request: Request, config: Config, target: DeployTarget, note: Say) -> Transport:
    """Before the build: a wrong host, an unknown host key, a refused key, a target folder that
    is missing, blocked or cannot be written is said in seconds, not after a build that takes
    minutes on a large site (``Transport.check``; a dry run writes nothing there). The
    transport, paused through the build (``Transport.pause``), serves the deploy after it: over
    OpenSSH its connection, which ssh keeps alive, ends and reopens by itself; over SFTP a new
    one. Nothing the check reads is kept: another deploy may switch the target meanwhile."""
    transport = open_transport(config, target, request.site_dir, note,
                               lambda opened: opened.check(write=not request.dry_run))
    transport.pause()
    return transport


def _key_problem(path: Path) -> tuple[str, str] | None:
    """(message, hint) when ``path`` is no private key OpenSSH and paramiko can read (PEM or
    OpenSSH's own format, encrypted or not): both say only that the server refused the key, or
    that the connection failed, for a missing or unreadable file, a public key or a PuTTY key."""
    if path.is_dir():
        return (_("identity_file {file} is a folder, not a key").format(file=path),
                _("give the path of your private key, like ~/.ssh/id_ed25519"))
    try:
        with path.open("rb") as handle:
            start = handle.read(4096)
    except FileNotFoundError:
        return (_("identity_file {file} does not exist").format(file=path),
                _("give the path of your private key, like ~/.ssh/id_ed25519"))
    except OSError as exc:
        return (_("identity_file {file} cannot be read ({reason})").format(file=path, reason=oserrors.words(exc)),
                _("the key must be readable by the account that deploys: chmod 600 {file}, owned by that account")
                .format(file=path))
    if re.search(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----", start) is None:  # the .pub by mistake, a PuTTY key
        return (_("identity_file {file} is not a private key").format(file=path),
                _("give your private key in OpenSSH's format: the file without .pub, like ~/.ssh/id_ed25519; "
                  "a PuTTY .ppk key converts with  puttygen KEY.ppk -O private-openssh -o KEY"))
    return None


def _quiet(text: str) -> None:
    """For --status and --rollback, which send nothing: how a deploy would send is no news."""


def _path(value: str | None, site_dir: Path) -> Path | None:
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else site_dir / path


def _build(request: Request, config: Config, label: str, warn: Warn) -> Path:
    from sitegen.oneshot import build_once
    from sitegen.options import Options, output_dir

    if not request.build:
        out = output_dir(Options(site_dir=request.site_dir), config)
        if not (out / MARKER).is_file():
            raise failed(label, _("there is no build in {out} to deploy").format(out=out),
                         _("run sitegen build first, or leave out --no-build"))
        return out
    try:  # as `sitegen build` runs: an unchanged site is known in a moment
        result = build_once(Options(site_dir=request.site_dir, jobs=os.cpu_count() or 1,
                                    progress=request.build_progress))
    except SiteError as exc:
        if isinstance(exc, ConfigError | UsageError):
            raise
        raise SiteError([*exc.diagnostics, Diagnostic(label, None, _("nothing was deployed: the build has errors"),
                                                      "error", _("fix them and deploy again"))]) from None
    warn(list(result.warnings))
    return result.output_dir


def _read_and_connect(out: Path, site_dir: Path, config: Config, target: DeployTarget,
                      note: Say, checked: Transport | None) -> tuple[Snapshot, Transport]:
    """The local build's snapshot, read while the connection to the target opens: the one
    waits on the disk, the other on the network. ``checked``: the transport of the check
    before the build, to resume (the caller closes it if this fails)."""
    reading = Beside(take, out, site_dir, name="sitegen-snapshot")  # Ctrl-C does not wait for it
    if checked is not None:
        checked.resume()
        return reading.result(), checked
    transport = open_transport(config, target, site_dir, note)
    try:
        return reading.result(), transport
    except BaseException:
        transport.close()
        raise


@contextlib.contextmanager
def _closed_on_failure(transport: Transport | None) -> Iterator[None]:
    try:
        yield
    except BaseException:
        if transport is not None:
            transport.close()
        raise


def _live_manifest(transport: Transport, live: str | None) -> dict[str, FileInfo]:
    return layout.read_manifest(transport.read_manifest(live)) if live else {}


def _shown(transport: Transport, releases: layout.Releases,
           live_files: dict[str, FileInfo]) -> tuple[str | None, dict[str, FileInfo]]:
    """The release the public sees (``current`` points to it) and its files as its record says:
    the live release's, or, where its completion mark went missing, its manifest all the same.
    No files when the record is gone or cannot be read (.sitegen-deploy/ moved away, a copy of
    the site made by hand)."""
    if releases.live is not None:
        return releases.live, live_files
    if releases.linked in (*releases.complete, *releases.incomplete):
        return releases.linked, layout.read_manifest(transport.read_manifest(releases.linked))
    return None, {}


def _deploy(request: Request, config: Config, target: DeployTarget, say: Say, warn: Warn) -> int:
    from sitegen.build import build_lock

    started = time.monotonic()
    label = target.name
    notes: list[str] = []  # how the files travel, when not as asked: said once, in the summary
    checked = _check_target(request, config, target, notes.append) if request.build else None
    with contextlib.ExitStack() as locked:
        with _closed_on_failure(checked):  # until the try below takes it over
            out = _build(request, config, label, warn)
            # Under the build lock from reading the output until its files have travelled: a build
            # meanwhile would rewrite the folder being read (the spare generation).
            locked.enter_context(build_lock(request.site_dir))
            snapshot, transport = _read_and_connect(out, request.site_dir, config, target, notes.append, checked)
        try:
            releases = transport.releases()
            if releases.blocked:
                raise failed(label, *_blocked(target, releases.blocked))
            live = releases.live
            live_files = _live_manifest(transport, live)
            plan = make_plan(snapshot.files, live_files)
            shown, shown_files = _shown(transport, releases, live_files)
            loss = guard(plan if shown == live else make_plan(snapshot.files, shown_files), shown_files)
            unread = shown if shown is not None and not shown_files else None  # the guard cannot count: asks
            refusal = None if request.yes else \
                _("refusing to deploy: {gone} of the {pages} pages of the live site would be removed (more than "
                  "a fifth)").format(gone=loss.removed, pages=loss.live) if loss is not None else \
                _("refusing to deploy: the record of the live release {release} cannot be read, so what this "
                  "deploy would remove from the public site is unknown").format(release=unread) if unread else None
            if request.dry_run:
                _show_plan(plan, say, label, live)
                for said in dict.fromkeys(notes):
                    say(f"{label}: {said}")
                if releases.missing:
                    say(f"{label}: {would_make_folder(parse_url(target.url))}")
                if refusal is not None:  # what the deploy itself would then say
                    say(_("{label}: a deploy would stop here: {refusal}; add --yes if that is intended").format(
                        label=label, refusal=refusal))
                return 0
            if refusal is not None:
                raise failed(label, refusal, _("check --site and content/ (sitegen deploy --dry-run lists them); "
                                               "run again with --yes if that is intended"))
            here = layout.this_computer()
            cleared = _clear(transport, releases, layout.half_sent(releases, here, time.time(), layout.pid_alive),
                             config, label, warn)
            if plan.empty and live is not None:
                say(_("{label}: nothing to send: the live release {live} already holds this build").format(
                    label=label, live=live) + _removed(cleared))
                return 0
            # Only now, as the release is about to be written: never for a dry run, a status, a
            # rollback, a failed build or check, or a refusal.
            made = [made_folder(label, parse_url(target.url))] if releases.missing and transport.make_folder() else []
            release = layout.new_id((*releases.complete, *releases.incomplete))
            left: list[Diagnostic] = []
            progress = Progress(label, len(plan.to_upload), sum(snapshot.files[p].size for p in plan.to_upload))
            with _said_after_a_failure(made):
                try:
                    for _attempt in range(_CLAIMS):
                        try:
                            sent = transport.upload(release, live, plan, snapshot, progress,
                                                    layout.sending_mark(here, datetime.now(UTC)))
                            break
                        except Taken:  # another deploy chose the same id in the same moment: the next
                            release = layout.new_id((*releases.complete, *releases.incomplete, release))
                    else:
                        raise failed(label, _("other deploys took every release id tried ({release} the last)").format(
                            release=release), _("run the deploy again"))
                finally:
                    progress.end()
                locked.close()
                # A stop until the release is complete leaves current as it was; one that comes
                # while current is switched waits for the switch: the release is then live, and
                # the old releases are left for the next deploy to remove.
                transport.finish(release, layout.manifest_bytes(release, live, snapshot.files))
                with held() as switching:
                    transport.switch(release)
            pruned = [] if switching.asked else layout.to_prune(
                layout.Releases((*releases.complete, release), (), release), target.keep, live)
            if pruned:
                try:
                    transport.discard(pruned)
                except DeployFailed as exc:  # the site is live: tidying up is the next deploy's to finish
                    pruned, left = [], exc.diagnostics
        finally:
            with contextlib.suppress(DeployFailed):  # a connection dropped after the switch
                transport.close()
    warn(made)
    _ping_hub(config, plan, label, warn)
    warn([Diagnostic(label, None, _("release {release} is live, but removing old releases failed: {problem}").format(
        release=release, problem=d.message), "warning", _("the next deploy removes them")) for d in left])
    # "added", "changed"... are said of files and take no plural; "file" does.
    say(_("{label}: release {release} is live: {added} added, {changed} changed, {removed} removed, "
          "{linked} unchanged; {sent} in {seconds}s{pruned}").format(
        label=label, release=release, added=len(plan.added), changed=len(plan.changed), removed=len(plan.removed),
        linked=len(plan.unchanged), seconds=decimal(time.monotonic() - started, 1),
        sent=ngettext("sent {n} file ({size})", "sent {n} files ({size})", sent.files).format(
            n=sent.files, size=human_bytes(sent.bytes)),
        pruned=(ngettext("; pruned {n} old release", "; pruned {n} old releases", len(pruned)).format(
            n=len(pruned)) if pruned else "") + _removed(cleared))
        + "".join(f" ({said})" for said in dict.fromkeys(notes)))
    return 0


def _removed(cleared: int) -> str:
    """The end of a deploy's last line when it removed half-sent releases (its ``_clear``)."""
    return ngettext("; removed {n} half-sent release", "; removed {n} half-sent releases", cleared).format(
        n=cleared) if cleared else ""


@contextlib.contextmanager
def _said_after_a_failure(warnings: list[Diagnostic]) -> Iterator[None]:
    """A failed deploy says ``warnings`` after its error: the error leads, and what it did
    that lasts (a target folder made) is still said, once, as the next deploy will not."""
    try:
        yield
    except DeployFailed as exc:
        exc.diagnostics.extend(warnings)
        raise


#: Release ids tried before a deploy gives up: each is taken only by a deploy started in the
#: same moment, and a few in a row are already many staff deploying one site at once.
_CLAIMS = 5


def _clear(transport: Transport, releases: layout.Releases, found: layout.HalfSent, config: Config, label: str,
           warn: Warn) -> int:
    """Remove what earlier deploys left, before anything is sent: the releases they stopped
    sending (``found.removed``), and folders an earlier prune set aside. How many half-sent
    releases went; a failure is a warning, as the upload goes on beside them, and the next
    deploy tries again. A release another deploy is still sending (``found.busy``: two staff
    deploying at once) is left alone, said once each: removed under that deploy, it would go
    on sending into a release that lost files, and switch the site to it.

    Half-sent releases are removed in full, whenever there are any, before the upload starts
    (pruned ones, where the target can, in the background as after the switch). There are some only when an
    earlier deploy stopped before its completion mark (a full disk, a quota, a dropped
    connection, Ctrl-C), and their room may be what this upload needs: removed beside it, in
    the background, a retry after a full disk ran into the same full disk. Waiting for them
    only when free space looks short would be no simpler and not correct: a quota does not
    show in the free space. The wait comes once, after a failed deploy."""
    warn([_busy_warning(busy, config, label) for busy in found.busy])
    if not found.removed and not releases.pruned:
        return 0
    try:
        transport.remove_half_sent(found.removed)
    except DeployFailed as exc:
        warn([Diagnostic(label, None, _("what an earlier deploy left could not be removed: {problem}").format(
            problem=d.message), "warning", _("the deploy goes on beside it; the next deploy tries again"))
              for d in exc.diagnostics])
        return 0
    return len(found.removed)


def _busy_warning(busy: layout.Busy, config: Config, label: str) -> Diagnostic:
    hint = _("if that deploy was stopped, the next deploy after {until} removes it").format(
        until=wall_time(busy.until, config.zone))
    if busy.host is None or busy.started is None:
        return Diagnostic(label, None, _("release {release} may be being sent by another deploy (its sending mark "
                                         "cannot be read): left alone").format(release=busy.release), "warning", hint)
    return Diagnostic(label, None, _("release {release} is being sent by another deploy (from {host}, started "
                                     "{started}): left alone").format(
        release=busy.release, host=busy.host, started=wall_time(busy.started, config.zone)), "warning", hint)


def _blocked(target: DeployTarget, what: str) -> tuple[str, str]:
    return blocked(parse_url(target.url).path, what)


def _show_plan(plan: Plan, say: Say, label: str, live: str | None) -> None:
    for word, paths in ((_("add"), plan.added), (_("change"), plan.changed), (_("remove"), plan.removed)):
        for path in paths:
            say(f"{word} {path}")
    say(_("{label}: dry run, nothing changed: would add {added}, change {changed} and remove {removed} files "
          "({unchanged} unchanged) against {live}").format(
        label=label, added=len(plan.added), changed=len(plan.changed), removed=len(plan.removed),
        unchanged=len(plan.unchanged), live=live or _("an empty target")))


def _ping_hub(config: Config, plan: Plan, label: str, warn: Warn) -> None:
    hub = config.feeds.hub
    feeds = plan.feeds_changed()
    if not hub or not feeds:
        return
    failures = websub.ping(hub, [config.absolute(path) for path in feeds])
    by_reason: dict[str, list[str]] = {}
    for url, reason in failures:
        by_reason.setdefault(reason, []).append(url)
    hint = _("the site is live; subscribers will find it on their next poll")
    warn([Diagnostic(label, None, (_("the WebSub hub {hub} was not told about {url}: {reason}") if len(urls) == 1 else
                                   _("the WebSub hub {hub} was not told about {url} and {n} more feeds: {reason}"))
                     .format(hub=hub, url=urls[0], n=len(urls) - 1, reason=reason), "warning", hint)
          for reason, urls in by_reason.items()])


def _rollback(request: Request, config: Config, target: DeployTarget, say: Say, warn: Warn) -> int:
    label = target.name
    transport = open_transport(config, target, request.site_dir, _quiet)
    try:
        releases = transport.releases()
        live = releases.live
        manifest = transport.read_manifest(live) if live else None
        previous = releases.previous(layout.previous_of(manifest))
        if live is None or previous is None:
            raise failed(label, _("there is no earlier complete release to roll back to"),
                         _("sitegen deploy --status lists the releases on the target"))
        if request.dry_run:
            say(_("{label}: dry run: would switch current from {live} (deployed {live_time}) to {previous} "
                  "(deployed {previous_time})").format(label=label, live=live, previous=previous,
                                                       live_time=_deployed(live, config),
                                                       previous_time=_deployed(previous, config)))
            return 0
        back = layout.read_manifest(transport.read_manifest(previous))
        transport.switch(previous)
    finally:
        transport.close()
    # The feeds now served are the earlier release's: subscribers hear of each that differs.
    _ping_hub(config, make_plan(back, layout.read_manifest(manifest)), label, warn)
    say(_("{label}: rolled back: {previous}, deployed {previous_time}, is live again (was {live}, deployed "
          "{live_time})").format(label=label, previous=previous, live=live, live_time=_deployed(live, config),
                                 previous_time=_deployed(previous, config)))
    return 0


def _deployed(release: str, config: Config) -> str:
    """When a release was deployed, on the site's clock (its id is the UTC time)."""
    return wall_time(layout.released_at(release), config.zone)


def _status(request: Request, config: Config, target: DeployTarget, say: Say) -> int:
    from sitegen.options import Options, output_dir

    label = target.name
    transport = open_transport(config, target, request.site_dir, _quiet)
    try:
        releases = transport.releases()
        live, manifest = _shown(transport, releases, _live_manifest(transport, releases.live))
    finally:
        transport.close()
    say(f"{label}: {parse_url(target.url)}")
    if releases.blocked:
        say(_blocked(target, releases.blocked)[0])
    elif live is not None and not manifest:
        say(_("live: release {live}, whose record cannot be read (its files are unknown)").format(live=live))
    elif live is None:
        say(_("live: nothing deployed yet"))
        if releases.missing:
            say(_("the target folder does not exist yet: the first deploy makes it"))
    else:
        switched = datetime.fromtimestamp(releases.since, UTC) if releases.since is not None else None
        since = wall_time(switched or layout.released_at(live), config.zone)
        say(_("live: release {live}, since {since} ({files} files)").format(live=live, since=since,
                                                                             files=len(manifest)))
    names = [name + (" *" if name == live else "") for name in releases.complete]
    say(_("releases: {names}").format(names=", ".join(names) or "-"))
    found = layout.half_sent(releases, layout.this_computer(), time.time(), layout.pid_alive)
    if found.removed:
        say(_("incomplete (removed by the next deploy): {names}").format(names=", ".join(found.removed)))
    for busy in found.busy:
        say(_("being sent by another deploy: {release} (from {host}, started {started})").format(
            release=busy.release, host=busy.host, started=wall_time(busy.started, config.zone))
            if busy.host is not None and busy.started is not None else
            _("being sent by another deploy: {release} (its sending mark cannot be read)").format(
                release=busy.release))
    out = output_dir(Options(site_dir=request.site_dir), config)
    if not (out / MARKER).is_file():
        say(_("local build: none in {out}").format(out=out))
        return 0
    plan = make_plan(take(out, request.site_dir).files, manifest)
    if plan.empty:
        say(_("local build ({out}): the same as the live release").format(out=out))
        return 0
    say(_("local build ({out}) differs from the live release: {added} added, {changed} changed, "
          "{removed} removed").format(out=out, added=len(plan.added), changed=len(plan.changed),
                                      removed=len(plan.removed)))
    for word, paths in (("+", plan.added), ("~", plan.changed), ("-", plan.removed)):
        for path in paths[:20]:
            say(f"  {word} {path}")
        if len(paths) > 20:
            say(f"  {word} " + _("... and {n} more").format(n=len(paths) - 20))
    return 0
