"""What one build process holds once the model and the plan are made, and what keeping the
model between builds (pickled) would cost.

    python benchmarks/model_memory.py --site WORK/n100000-many/sitegen [--top 15] [--no-trace]
                                      [--fork-render N [--family articles|lists|feeds|sitemaps]]

Runs ``prepare`` and ``plan`` in this process on a site built before (its caches make
``prepare`` what an edit pays), as `sitegen build` does, then prints:

- the live Python memory by the line that allocated it (``tracemalloc``), after preparing
  and what planning added: the parts a forked render worker inherits and, reading them,
  copies page by page;
- with ``--no-trace`` instead, the time to prepare and plan, and the time and size of the
  model as one pickle (saved and loaded again): the floor of a build that would keep its
  model between runs instead of making it from the entries cache;
- with ``--fork-render N`` instead, what a forked render worker costs: a child renders every
  N-th output of the plan (of one ``--family`` only, if given), collecting its garbage as a
  worker does, without writing, and reports how much its private memory grew, and (unless
  ``--no-trace``) how much of that is its own objects rather than copies of its parent's
  pages.

Tracing slows the run several times over and its own bookkeeping swells the process; its
sizes are those of the objects, not the process's resident set.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

#: Outputs by what a render worker keeps for them (sitegen.writer._family)
FAMILIES: dict[str, Callable[[Any], bool]] = {
    "articles": lambda output: output.kind == "page" and bool(output.source),
    "lists": lambda output: output.kind == "page" and not output.source,
    "feeds": lambda output: output.kind == "feed",
    "sitemaps": lambda output: output.kind == "sitemap",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--top", type=int, default=15, help="allocation sites listed per stage")
    parser.add_argument("--no-trace", action="store_true", help="time preparing, planning and a pickled model")
    parser.add_argument("--fork-render", type=int, metavar="N", help="a forked child renders every N-th output")
    parser.add_argument("--family", choices=sorted(FAMILIES), help="with --fork-render: only these outputs")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from sitegen import build
    from sitegen.options import Options

    gc.disable()  # as a one-shot build makes its model (sitegen.collector.kept_as_made)
    trace = not args.no_trace and not args.fork_render  # with --fork-render, only the child traces
    if trace:
        tracemalloc.start(1)
    started = time.perf_counter()
    prepared = build.prepare(Options(site_dir=args.site, search=False), build.State(once=True))
    prepared_at = time.perf_counter()
    after_prepare = tracemalloc.take_snapshot() if trace else None
    outputs = list(build.plan(prepared, args.site))
    planned_at = time.perf_counter()
    entries = sum(1 for _ in prepared.site.entries())
    print(f"{entries:,} entries, {len(outputs):,} outputs")
    if after_prepare is not None:
        after_plan = tracemalloc.take_snapshot()
        traced = tracemalloc.get_traced_memory()[0]
        print(f"live Python objects after planning: {traced / 2**20:,.0f} MB")
        _table("preparing (config to site model)", after_prepare.statistics("lineno"), args.top)
        _table("planning (the outputs)", after_plan.compare_to(after_prepare, "lineno"), args.top)
        return
    print(f"prepare {prepared_at - started:.2f} s, plan {planned_at - prepared_at:.2f} s")
    if args.fork_render:
        chosen = [output for output in outputs if FAMILIES[args.family](output)] if args.family else outputs
        _fork_render(chosen, args.fork_render, not args.no_trace, args.top)
        return
    begun = time.perf_counter()
    data = pickle.dumps(prepared.site, protocol=pickle.HIGHEST_PROTOCOL)
    dumped = time.perf_counter()
    pickle.loads(data)
    loaded = time.perf_counter()
    print(f"the model as one pickle: {len(data) / 2**20:,.0f} MB, saved in {dumped - begun:.2f} s, "
          f"loaded in {loaded - dumped:.2f} s")


def _memory() -> dict[str, int]:
    """This process's resident memory by kind, in kB (Linux's smaps_rollup)."""
    found = {}
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                found[name] = int(rest.split()[0])
    return found


def _fork_render(outputs: list[Any], stride: int, trace: bool, top: int) -> None:
    """Render every ``stride``-th output in a forked child, as sitegen.parallel's workers are
    forked (the inherited objects frozen first, the child collecting its own garbage); report
    the child's memory, and with ``trace`` how much of it is the child's own objects (tracing
    slows it several times)."""
    from multiprocessing import get_context

    from sitegen.parallel import give_back_freed_memory

    gc.freeze()
    give_back_freed_memory()
    child = get_context("fork").Process(target=_render_some, args=(outputs[::stride], _memory(), trace, top))
    child.start()
    child.join()
    if child.exitcode != 0:
        print(f"the child failed ({child.exitcode})")


def _render_some(outputs: list[Any], before: dict[str, int], trace: bool, top: int) -> None:
    """In the child: render ``outputs`` and print what that cost its memory."""
    gc.enable()  # as sitegen.parallel's workers do: what rendering leaves in cycles is collected
    if trace:
        tracemalloc.start(1)
    start = _memory()
    begun = time.perf_counter()
    rendered = sum(len(output.render()) for output in outputs)
    took = time.perf_counter() - begun
    own, peak = tracemalloc.get_traced_memory()
    kept = tracemalloc.take_snapshot().statistics("lineno") if trace else []
    tracemalloc.stop()  # its own records are not part of what a worker holds
    end = _memory()
    traced = (f", of which its own objects still alive {own / 2**20:,.0f} MB (peak {peak / 2**20:,.0f} MB); "
              "the rest is pages of the parent it wrote to (reference counts) and memory it freed but kept"
              if trace else "")
    copied = end["Private_Dirty"] - start["Private_Dirty"]
    print(f"parent before the fork: {before['Rss'] / 1024:,.0f} MB resident, "
          f"{before['Private_Dirty'] / 1024:,.0f} MB private")
    print(f"child rendered {len(outputs):,} outputs ({rendered / 2**20:,.0f} MB) in {took:.1f} s; "
          f"its private memory grew by {copied / 1024:,.0f} MB{traced}")
    if kept:
        _table("the child's own objects still alive", kept, top)
    sys.stdout.flush()


def _table(title: str, stats: list[tracemalloc.Statistic] | list[tracemalloc.StatisticDiff], top: int) -> None:
    """The first ``top`` lines of ``stats``; for a comparison, what each line added."""
    print(f"\n| {title}: allocated at | MB | objects |\n|---|---:|---:|")
    for stat in stats[:top]:
        if isinstance(stat, tracemalloc.StatisticDiff):
            size, count = stat.size_diff, stat.count_diff
        else:
            size, count = stat.size, stat.count
        where = stat.traceback[0]
        name = where.filename.replace(str(REPO) + "/", "")
        print(f"| {name}:{where.lineno} | {size / 2**20:,.1f} | {count:,} |")


if __name__ == "__main__":
    main()
