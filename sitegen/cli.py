"""Command line: parse arguments, run a command, print diagnostics, choose the exit status."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.errors import Diagnostic, SiteError, UsageError, print_diagnostics
from sitegen.messages import N_, _, decimal, set_language

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # as if ended by SIGPIPE, like other programs whose reader stopped
#: Parallel processes at most. Each worker holds its own copy of the site model, and past
#: the machine's cores more of them only wait: a typo like --jobs 2000 must not fill the memory.
MAX_JOBS = 64


# argparse's own headings, in sitegen's catalogue so that help reads in one language.
_HEADINGS = {"options": N_("options"), "positional arguments": N_("positional arguments"),
             "commands": N_("commands")}


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(_(_HEADINGS[heading]) if heading in _HEADINGS else heading)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help=_("show this help and exit"))

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"sitegen: error: {_argparse_message(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


# argparse's usual complaints, matched in its English words and said again in the UI language
# (argparse reads its own gettext domain, which sitegen does not ship). Compiled only when
# argparse complains: every command imports this module.
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (?P<names>.+)",
     N_("the following arguments are required: {names}")),
    (r"unrecognized arguments: (?P<names>.+)", N_("unrecognized arguments: {names}")),
    (r"argument (?P<name>\S+): expected one argument", N_("argument {name}: expected one argument")),
    (r"argument (?P<name>\S+): invalid (?P<type>\w+) value: (?P<value>.+)",
     N_("argument {name}: invalid {type} value: {value}")),
    (r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
     N_("argument {name}: invalid choice: {value} (choose from {choices})")),
    (r"argument (?P<name>\S+): not allowed with argument (?P<other>\S+)",
     N_("argument {name}: not allowed with argument {other}")),
)


def _argparse_message(message: str) -> str:
    for pattern, words in _ARGPARSE_MESSAGES:
        found = re.fullmatch(pattern, message)
        if found:
            return _(words).format(**found.groupdict())
    return message


def _site_args(p: argparse.ArgumentParser, now: bool = True) -> None:
    p.add_argument("--site", type=Path, default=Path("."), metavar=_("FOLDER"),
                   help=_("site folder, the one holding config.yaml (default: the current folder)"))
    if now:
        p.add_argument("--now", metavar="ISO8601",
                       help=_("the clock for embargoes and scheduling, e.g. 2024-05-30T10:00:00+07:00 "
                              "(default: now, or SOURCE_DATE_EPOCH when set)"))


def _preview_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--drafts", action="store_true", help=_("also show drafts"))
    p.add_argument("--output", type=Path, metavar=_("FOLDER"),
                   help=_("output folder (default: output_dir from config.yaml)"))


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="sitegen", description=_("Bilingual static sites for press offices."),
                epilog=_("Run 'sitegen COMMAND --help' for a command's options."))
    p.add_argument("--version", action="version", version=f"sitegen {__version__}",
                   help=_("show sitegen's version and exit"))
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar=_("COMMAND"), title=_("commands"))

    b = sub.add_parser("build", help=_("build the site into the output folder"),
                       description=_("Build the whole site into the output folder; the previous output stays "
                                     "as it was if the build fails."))
    _site_args(b)
    b.add_argument("--output", type=Path, metavar=_("FOLDER"),
                   help=_("output folder (default: output_dir from config.yaml)"))
    b.add_argument("--drafts", action="store_true", help=_("also publish drafts"))
    b.add_argument("--base-url", metavar="URL", help=_("use this address instead of base_url from config.yaml"))
    b.add_argument("--clean", action="store_true", help=_("first remove the files sitegen wrote before"))
    b.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, MAX_JOBS), metavar="N",
                   help=_("number of parallel processes (default: one per processor)"))
    b.add_argument("--no-search", dest="search", action="store_false",
                   help=_("skip the search index (Pagefind)"))

    s = sub.add_parser("serve", help=_("build, serve on 127.0.0.1, rebuild and reload on change"),
                       description=_("Build the site, serve it for preview and rebuild and reload the "
                                     "browser when a file changes."))
    _site_args(s, now=False)
    s.add_argument("--host", default="127.0.0.1",
                   help=_("address to listen on (default: 127.0.0.1, this computer only)"))
    s.add_argument("--port", type=int, default=8000, help=_("port to listen on (default: 8000)"))
    _preview_args(s)

    w = sub.add_parser("watch", help=_("build and rebuild on change, without a server"),
                       description=_("Build the site and rebuild it whenever a file changes, without a "
                                     "server."))
    _site_args(w, now=False)
    _preview_args(w)

    n = sub.add_parser("new", help=_("write a new article file (and its translations)"),
                       description=_("Write a new release file with its front matter filled in. It starts "
                                     "as a draft: delete the 'draft' line to publish it."))
    n.add_argument("title", metavar=_("TITLE"), help=_("the headline, in quotes"))
    n.add_argument("--site", type=Path, default=Path("."), metavar=_("FOLDER"),
                   help=_("site folder, the one holding config.yaml (default: the current folder)"))
    n.add_argument("--section", default="berita",
                   help=_("section folder under content/, or 'pages' for a page (default: berita)"))
    n.add_argument("--lang", help=_("language of the file (default: default_language from config.yaml)"))
    n.add_argument("--translations", action="store_true",
                   help=_("also write a draft twin in every other configured language"))

    c = sub.add_parser("check", help=_("validate everything, write nothing"),
                       description=_("Check config, content and templates and report every problem; "
                                     "nothing is written."))
    _site_args(c)
    c.add_argument("--translations", action="store_true",
                   help=_("also fail when the translation policy in config is broken"))

    r = sub.add_parser("rollback", help=_("put the previously published site back (run again to undo)"),
                       description=_("Swap the site published before the last build back into the output "
                                     "folder, in one step. Running it again restores the newer one."))
    r.add_argument("--site", type=Path, default=Path("."), metavar=_("FOLDER"),
                   help=_("site folder, the one holding config.yaml (default: the current folder)"))
    r.add_argument("--output", type=Path, metavar=_("FOLDER"),
                   help=_("output folder (default: output_dir from config.yaml)"))

    st = sub.add_parser("status", help=_("embargoes, schedule, drafts, missing translations"),
                        description=_("List what is embargoed, scheduled, draft or missing a translation."))
    _site_args(st)
    st.add_argument("--report", type=Path, metavar=_("FOLDER"),
                    help=_("also write an HTML report into this folder"))

    dp = sub.add_parser("desk-password", help=_("set the password the desk asks for when serve listens "
                                                "beyond 127.0.0.1 (read from the terminal or standard input)"),
                        description=_("Set the password of the newsroom desk. sitegen serve asks for it when it "
                                      "listens on an address other than 127.0.0.1 (--host). It is kept as a "
                                      "salted scrypt hash in .sitegen-cache/desk-password.json; typed twice on "
                                      "a terminal, or read from the first line of standard input."))
    _site_args(dp, now=False)

    d = sub.add_parser("deploy", help=_("publish the build to a deploy target from config.yaml"),
                       description=_("Build the site, send what changed to a target under deploy: in "
                                     "config.yaml and switch the live site to it in one step."))
    d.add_argument("target", nargs="?", metavar=_("TARGET"),
                   help=_("the target's name under deploy: (may be left out when there is one)"))
    _site_args(d, now=False)
    d.add_argument("--dry-run", action="store_true",
                   help=_("list what would be added, changed and removed; nothing on the target changes"))
    d.add_argument("--rollback", action="store_true", help=_("switch the live site back to the previous release"))
    d.add_argument("--yes", action="store_true",
                   help=_("deploy even when more than a fifth of the live site's pages would go"))
    d.add_argument("--no-build", dest="build", action="store_false",
                   help=_("deploy the existing build as it is, without building first"))
    d.add_argument("--status", action="store_true",
                   help=_("show what is live, since when, and what differs from the local build"))
    for command in sub.choices.values():  # a command's own mistakes are told with its own usage
        command.set_defaults(command_parser=command)
    return p


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line's options; an option a command does not know is refused with that
    command's usage (argparse's own refusal shows sitegen's, which names none of its options)."""
    top = parser()
    args, unknown = top.parse_known_args(argv)
    if unknown:
        (getattr(args, "command_parser", None) or top).error(
            _("unrecognized arguments: {names}").format(names=" ".join(unknown)))
    return args


def terminal_progress(done: int, total: int) -> None:
    """A one-line counter on a terminal; long builds show they are alive."""
    end = "\n" if done >= total else ""
    print("\r" + _("rendering {done}/{total}").format(done=done, total=total), end=end, file=sys.stderr,
          flush=True)


def _build(args: argparse.Namespace) -> int:
    from sitegen.interrupts import stop_as_interrupt
    from sitegen.oneshot import Unchanged, build_once
    from sitegen.options import Options

    options = Options(site_dir=args.site, output=args.output, drafts=args.drafts, now=args.now,
                      base_url=args.base_url, clean=args.clean, jobs=args.jobs, search=args.search,
                      progress=terminal_progress if sys.stderr.isatty() else None)
    # Stopped by SIGTERM (a scheduled job's time limit, a service manager) as by Ctrl-C: said
    # "stopped", the search indexer stopped with it, the published site whole.
    with stop_as_interrupt():
        outcome = build_once(options)
    print_diagnostics(list(outcome.warnings))
    if isinstance(outcome, Unchanged):
        print(_("built {files} files into {output} in {seconds}s: nothing changed").format(
            files=outcome.files, output=outcome.output_dir, seconds=decimal(outcome.seconds)))
        return EXIT_OK
    w = outcome.written
    print(_("built {files} files into {output} in {seconds}s: {rendered} rendered, {written} written, "
            "{removed} removed").format(files=w.total, output=outcome.output_dir, seconds=decimal(outcome.seconds),
                                        rendered=outcome.rendered, written=len(w.written),
                                        removed=len(w.removed)))
    if outcome.photos.made or outcome.photos.reused:
        print(_("photos: {made} made, {reused} reused").format(made=outcome.photos.made,
                                                              reused=outcome.photos.reused))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from sitegen.serve import serve

    return serve(args.site, args.host, args.port, args.output, args.drafts)


def _watch(args: argparse.Namespace) -> int:
    from sitegen.watch import watch

    return watch(args.site, args.output, args.drafts)


def _new(args: argparse.Namespace) -> int:
    from sitegen.scaffold import new_article

    written, notes = new_article(args.site, args.title, args.section, args.lang, args.translations)
    for path in written:
        print(_("wrote {path}").format(path=path))
    if notes:
        print_diagnostics(notes)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from sitegen.check import check
    from sitegen.config import CONFIG_FILE

    diagnostics = check(args.site, args.now, args.translations)
    print_diagnostics(diagnostics)
    wrong = {d.path for d in diagnostics if d.severity == "error"}
    # An error in config.yaml (--translations: a policy for a section the site lacks) is a
    # config error, whatever the content has.
    return EXIT_USAGE if CONFIG_FILE in wrong else EXIT_CONTENT if wrong else EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from sitegen.status import status

    return status(args.site, args.now, args.report)


def _rollback(args: argparse.Namespace) -> int:
    from sitegen.build import roll_back
    from sitegen.generations import shown_apart

    done = roll_back(args.site, args.output)
    print_diagnostics([Diagnostic(str(done.output / path), None, _("changed by hand since the site was built; the "
                                                                  "site that was live has the same change"), "warning",
                                  _("the next build writes it again")) for path in done.edited])
    restored, aside = shown_apart(done.restored.built, done.aside.built, done.zone)
    print(_("rolled back {output} to the site built {restored}; the site built {aside} is kept: run "
            "'sitegen rollback' again to restore it").format(output=done.output, restored=restored, aside=aside))
    return EXIT_OK


def _desk_password(args: argparse.Namespace) -> int:
    from sitegen.desk.password import desk_password

    return desk_password(args.site)


def _deploy(args: argparse.Namespace) -> int:
    from sitegen.deploy.command import Request, run

    if args.status and (args.rollback or args.dry_run):  # it would show the status and do nothing else
        args.command_parser.error(_("argument {name}: not allowed with argument {other}").format(
            name="--status", other="--rollback" if args.rollback else "--dry-run"))
    request = Request(site_dir=args.site, target=args.target, dry_run=args.dry_run, rollback=args.rollback,
                      yes=args.yes, build=args.build, status=args.status,
                      build_progress=terminal_progress if sys.stderr.isatty() else None)
    return run(request, lambda text: print(text, flush=True), print_diagnostics)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build, "serve": _serve, "watch": _watch, "new": _new, "check": _check, "status": _status,
    "rollback": _rollback,
    "desk-password": _desk_password,
    "deploy": _deploy,
}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        _speak(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:  # Ctrl-C while config.yaml is read for its ui_language
        print(_("stopped"), file=sys.stderr)
        return 130
    return _run(parse(argv))


def run() -> None:
    """The ``sitegen`` program."""
    try:
        code = main()
    except KeyboardInterrupt:  # Ctrl-C before a command began (while the options are read)
        print(_("stopped"), file=sys.stderr)
        code = 130
    raise SystemExit(code)


def check_args(args: argparse.Namespace) -> None:
    """What argparse cannot see: folders that are files, numbers out of range."""
    problems: list[Diagnostic] = []
    for option, kind in (("site", _("the site folder")), ("output", _("the output folder")),
                         ("report", _("the report folder"))):
        path: Path | None = getattr(args, option, None)
        blocker = _file_in_the_way(path) if path is not None else None
        if blocker is not None:
            if blocker.is_symlink() and not blocker.exists():
                message = _("--{option} goes through {file}, a link that leads nowhere, but it must be {kind}")
            elif blocker == path:
                message = _("--{option} names a file, but it must be {kind}")
            else:
                message = _("--{option} goes through the file {file}, but it must be {kind}")
            problems.append(Diagnostic(str(path), None, message.format(option=option, file=blocker, kind=kind),
                                       hint=_("give a folder with --{option}, or move the file away").format(
                                           option=option)))
    jobs: int | None = getattr(args, "jobs", None)
    if jobs is not None and not 1 <= jobs <= MAX_JOBS:
        problems.append(Diagnostic("--jobs", None, _("--jobs {jobs} is not between 1 and {most}").format(
                                   jobs=jobs, most=MAX_JOBS),
                                   hint=_("this machine has {n} cores: use at most that many").format(
                                       n=os.cpu_count() or 1)))
    port: int | None = getattr(args, "port", None)
    if port is not None and not 0 <= port <= 65535:
        problems.append(Diagnostic("--port", None, _("there is no port {port}: ports go from 0 to 65535").format(
                                   port=port), hint=_("use e.g. --port 8000, or --port 0 for any free port")))
    if problems:
        raise UsageError(problems)


def _file_in_the_way(path: Path) -> Path | None:
    """The file that stands where ``path`` or the nearest of its folders that exists should be a
    folder (a folder still to be made is fine)."""
    for candidate in (path, *path.parents):
        if candidate.is_dir():
            return None
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return None


def _speak(argv: Sequence[str]) -> None:
    """The language of everything the command says, help and usage errors included (argparse
    says them while it reads the options): the site's ``ui_language``, else the locale's. The
    site is the folder ``--site`` names, as written, else the current one."""
    site = Path(".")
    for at, arg in enumerate(argv):
        if arg == "--site" and at + 1 < len(argv):
            site = Path(argv[at + 1])
        elif arg.startswith("--site="):
            site = Path(arg.removeprefix("--site="))
    from sitegen import configmemo

    set_language(configmemo.ui_language(site))


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that flushing it on exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file behind sys.stdout (a test's StringIO)
        pass


def _run(args: argparse.Namespace) -> int:
    if args.command is None:  # plain `sitegen`: the help, and the exit status of a usage error
        parser().print_help()
        return EXIT_USAGE
    try:
        check_args(args)
        return COMMANDS[args.command](args)
    except SiteError as exc:
        print_diagnostics(exc.diagnostics)
        return exc.exit_code
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) and exc.filename is None:
            # Whoever read the output stopped (sitegen status | head): nothing more to say to
            # them, and the status of a program ended by SIGPIPE.
            _quiet_stdout()
            return EXIT_BROKEN_PIPE
        # Whatever the system refused (a full disk, a folder that is a file, a link loop),
        # said as every other problem is: the path, the system's words and a way out.
        from sitegen.oserrors import describe

        print_diagnostics([describe(exc)])
        return EXIT_CONTENT
    except RuntimeError as exc:
        from sitegen.oserrors import describe, link_loop

        loop = link_loop(exc)
        if loop is None:
            raise
        print_diagnostics([describe(loop)])
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print(_("stopped"), file=sys.stderr)
        return 130
