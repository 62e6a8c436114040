"""Where one `sitegen build` spends its time, stage by stage, workers included.

    python benchmarks/stages.py --site WORK/n1000/sitegen [--jobs 2] [--edit body|title] [--search]

Runs one build in this process, as `sitegen build --no-search` runs it (``--search``: as
`sitegen build` does, search index included), with a timer around each stage, and prints a
Markdown table: wall time, CPU time of this process and CPU time of the worker processes
the stage forked (user + system, from getrusage). Stages nest (the parse runs inside
loading the entries, which runs inside preparing).
``--edit`` first makes run.py's edit of the newest release. For a cold build, move
``.sitegen-cache/`` and ``public/`` out of the site first (and delete them after the
build: this machine creates files slowly for a minute after many were deleted).

To see whether a change moved a stage, run each checkout's own copy of this script in
turn on copies of one site, a few times each, and compare the least values: whole-build
times on a shared machine move more than most single changes do.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rebuild import NOW, edit_body, edit_title, newest_release

REPO = Path(__file__).resolve().parent.parent

#: (module, function, stage name); each is wrapped where the build looks it up.
STAGES = (
    ("sitegen.uptodate", "inputs_digest", "list inputs (nothing-changed check)"),
    ("sitegen.build", "prepare", "prepare (config to site model)"),
    ("sitegen.content.entry_cache", "load", "load entries cache"),
    ("sitegen.content.parse_all", "discover", "discover content"),
    ("sitegen.content.parse_all", "_parse_many", "parse changed files"),
    ("sitegen.build", "reassemble", "assemble site"),
    ("sitegen.build", "plan", "plan outputs"),
    ("sitegen.build", "write", "write (render, place, manifest)"),
    ("sitegen.writer", "_render_all", "render"),
    ("sitegen.searchindex", "index_site", "search index (with --search)"),
    ("sitegen.content.entry_cache", "save", "save entries cache"),
    ("sitegen.uptodate", "record", "record nothing-changed stamp"),
)


def cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime


def timed(function: Callable[..., Any], name: str, rows: list[tuple[str, float, float, float]]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started, (own, workers) = time.perf_counter(), cpu()
        try:
            result = function(*args, **kwargs)
            if inspect.isgenerator(result):  # planning: time it here, not in its consumer
                result = iter(list(result))
            return result
        finally:
            own_after, workers_after = cpu()
            rows.append((name, time.perf_counter() - started, own_after - own, workers_after - workers))

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=None, help="as sitegen build --jobs (default: its own)")
    parser.add_argument("--edit", choices=("body", "title"), help="edit the newest release first")
    parser.add_argument("--search", action="store_true", help="build the search index too (as the defaults do)")
    args = parser.parse_args()
    started, (own, _) = time.perf_counter(), cpu()
    sys.path.insert(0, str(REPO))
    import importlib

    from sitegen import cli

    rows: list[tuple[str, float, float, float]] = []
    modules = [importlib.import_module(module_name) for module_name, _, _ in STAGES]
    # What is imported later, inside a stage (feeds when planning, say), counts in that stage.
    rows.append(("import sitegen's build modules", time.perf_counter() - started, cpu()[0] - own, 0.0))
    for module, (_, function_name, name) in zip(modules, STAGES, strict=True):
        setattr(module, function_name, timed(getattr(module, function_name), name, rows))
    if args.edit:
        (edit_body if args.edit == "body" else edit_title)(newest_release(args.site), int(time.time()))
    argv = ["build", "--site", str(args.site), "--now", NOW, *([] if args.search else ["--no-search"])]
    if args.jobs is not None:
        argv += ["--jobs", str(args.jobs)]
    before = time.perf_counter(), *cpu()
    sys.argv = ["sitegen", *argv]
    try:
        cli.main()
    except SystemExit as stop:
        if stop.code:
            raise
    total = time.perf_counter() - before[0], cpu()[0] - before[1], cpu()[1] - before[2]
    print("\n| stage | wall s | this process CPU s | workers CPU s |\n|---|---:|---:|---:|")
    for name, wall, own, workers in [*rows, ("whole build (after imports)", *total)]:
        print(f"| {name} | {wall:.3f} | {own:.3f} | {workers:.3f} |")


if __name__ == "__main__":
    main()
