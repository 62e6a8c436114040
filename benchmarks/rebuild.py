"""Time rebuilds the way `sitegen serve` and `sitegen watch` do them: one process keeps the
build State in memory, so an edit costs neither starting Python nor loading the cache.

    python benchmarks/rebuild.py --site WORK/n10000/sitegen [--edits 5] [--titles N] [--walk]

The site is a sitegen corpus written by run.py (or corpus.py). Its newest release is
edited in place, as run.py's edit scenarios do, and each build is told which file changed,
as serve's watcher tells it (``--walk``: not told, so it walks content/ as after a failed
build). Prints a Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

NOW = "2026-11-01T00:00:00+07:00"


def newest_release(site: Path) -> Path:
    files = sorted((site / "content").glob("*/*.id.md"))
    if not files:
        raise SystemExit(f"{site} holds no content/<section>/*.id.md: write a corpus with run.py first")
    return max(files, key=lambda p: p.name)  # corpus file names start with the date


def edit_body(path: Path, n: int) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\nPembaruan {n}: data realisasi anggaran telah diperbarui oleh dinas.\n")


def edit_title(path: Path, n: int) -> None:
    def retitle(match: re.Match[str]) -> str:
        value = match[1].strip()
        if value.startswith('"'):  # run.py's title edit writes the title as JSON
            value = json.loads(value)
        elif value.startswith("'"):
            value = value[1:-1].replace("''", "'")
        return "title: " + json.dumps(f"{value} r{n}", ensure_ascii=False)

    text = path.read_text("utf-8")
    path.write_text(re.sub(r"^title: (.*)$", retitle, text, count=1, flags=re.M), "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--titles", type=int, default=None, help="title edits (default: as many as --edits)")
    parser.add_argument("--walk", action="store_true",
                        help="do not tell each build which file changed (as no watcher would): it walks content/")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from sitegen.build import Options, State, build  # here: compare.py imports the edits only
    from sitegen.collector import collect_rarely

    collect_rarely()  # the collector's thresholds as serve's and watch's Rebuilder sets them
    options = Options(site_dir=args.site, now=NOW, search=False)
    state = State()
    started = time.perf_counter()
    build(options, state)
    first = time.perf_counter() - started
    target = newest_release(args.site)
    rows = [("first build of the session (cache loaded from disk)", [first])]
    edited = target.relative_to(args.site).as_posix()
    titles = args.edits if args.titles is None else args.titles
    for label, edit, count in (("one body edited", edit_body, args.edits), ("one title edited", edit_title, titles)):
        times = []
        for n in range(1, count + 1):
            edit(target, n)
            # What serve's watcher tells the build: the file that changed.
            state.touched = None if args.walk else frozenset({edited})
            started = time.perf_counter()
            build(options, state)
            times.append(time.perf_counter() - started)
        if times:
            rows.append((label, times))
    print(f"Rebuilds in one process (as serve/watch run them{', walking content/' if args.walk else ''}), "
          f"{args.site}:\n")
    print("| build | median s | runs s |\n|---|---:|---|")
    for label, times in rows:
        print(f"| {label} | {statistics.median(times):.2f} | {' / '.join(f'{t:.2f}' for t in times)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
