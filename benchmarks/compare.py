"""Compare two checkouts of sitegen on one kind of build, interleaved.

    python benchmarks/compare.py --site WORK/n1000/sitegen --build cold --rounds 6 OLD_CHECKOUT NEW_CHECKOUT
    python benchmarks/compare.py --site WORK/n1000/sitegen-defaults --search ...   # with the search index

On a shared machine two runs of run.py, minutes apart, can differ by more than a change
does (here one commit's cold 1,000 x 2 build took 6.34 s in one run, 5.14 s in the
next). This runs the two checkouts in turn, swapping which goes first every round, each
on its own copy of the site, and reports the median and the least wall and CPU time of each: the least CPU time is the
steadiest figure. Builds are `sitegen build` processes, as run.py times them. Each copy
gets its checkout's own `themes/`, as run.py copies the repository's theme into a corpus.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

from rebuild import NOW, edit_body, edit_title, newest_release
from run import measure

TIMEOUT = 1800  # seconds, as run.py's default

BUILDS = ("cold", "nothing", "body", "title")


def prepare(site: Path, build: str, trash: Path, n: int) -> None:
    if build == "cold":
        # Moved, not deleted: on a file system that holds freed inodes back (see README),
        # deleting just before a build slows the build down.
        for name in ("public", ".sitegen-cache"):
            if (site / name).exists():
                (site / name).rename(trash / f"{name}-{uuid.uuid4().hex}")
    elif build == "body":
        edit_body(newest_release(site), n)
    elif build == "title":
        edit_title(newest_release(site), n)


def run(checkout: Path, site: Path, log: Path, search: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds of one build, measured as run.py measures its builds."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed copy keeps its bytecode
    command = [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW,
               *([] if search else ["--no-search"])]
    done = measure(command, site, env, log, TIMEOUT)
    if not done.ok:
        raise SystemExit(f"the build of {site} with {checkout} failed ({done.rc}); see {log}")
    return done.wall, done.cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a sitegen corpus written by run.py")
    parser.add_argument("--build", choices=BUILDS, default="cold")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--search", action="store_true",
                        help="build the search index too (for a corpus written with run.py --defaults)")
    parser.add_argument("checkouts", type=Path, nargs=2, metavar="CHECKOUT")
    args = parser.parse_args()
    checkouts = [c.resolve() for c in args.checkouts]
    work = Path(tempfile.mkdtemp(prefix="sitegen-compare-"))
    trash = work / ".trash"
    trash.mkdir()
    log = work / "builds.log"
    sites = []
    for i in range(2):
        copy = work / f"site-{i}"
        shutil.copytree(args.site, copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
        if (checkouts[i] / "themes").is_dir():  # each checkout with its own theme, as run.py copies it in
            shutil.rmtree(copy / "themes", ignore_errors=True)
            shutil.copytree(checkouts[i] / "themes", copy / "themes")
        run(checkouts[i], copy, log, args.search)  # a first build: caches and bytecode for the edits
        sites.append(copy)
    times: list[list[tuple[float, float]]] = [[], []]
    for n in range(1, args.rounds + 1):
        for i in (0, 1) if n % 2 else (1, 0):
            prepare(sites[i], args.build, trash, n)
            times[i].append(run(checkouts[i], sites[i], log, args.search))
    print(f"{args.build} builds of {args.site}, {args.rounds} rounds, interleaved\n")
    print("| checkout | median wall s | least wall s | median CPU s | least CPU s |")
    print("|---|---:|---:|---:|---:|")
    for checkout, found in zip(checkouts, times, strict=True):
        walls, cpus = [w for w, _ in found], [c for _, c in found]
        print(f"| {checkout} | {statistics.median(walls):.2f} | {min(walls):.2f} | "
              f"{statistics.median(cpus):.2f} | {min(cpus):.2f} |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
