"""The defaults' cost over like for like, measured interleaved: cold builds of one
corpus's like-for-like copy and its out-of-the-box copy, taken in turn.

    python benchmarks/ratio.py --work WORK --n 1000 --terms many --rounds 5

run.py times all of one tool's builds before the next tool's: on a machine whose speed
drifts within minutes, the ratio of two medians taken minutes apart moves more than a
change does. This takes the two kinds of build in turn, swapping which goes first every
round, and prints each round's ratio and their median. The corpora are the ones run.py
wrote (``--defaults``): WORK/n<N>-<terms>/sitegen and .../sitegen-defaults.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

from compare import prepare, run

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="run.py's --work folder")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--terms", choices=("many", "few"), default="many")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    corpus = args.work / f"n{args.n}-{args.terms}"
    sites = {"like for like": (corpus / "sitegen", False), "defaults": (corpus / "sitegen-defaults", True)}
    trash = args.work / ".trash-ratio"
    trash.mkdir(exist_ok=True)
    log = args.work / "ratio.log"
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in sites}
    for round_ in range(1, args.rounds + 1):
        order = list(sites) if round_ % 2 else list(reversed(sites))
        for name in order:
            site, search = sites[name]
            prepare(site, "cold", trash, round_)
            times[name].append(run(REPO, site, log, search))
        wall = [times[name][-1][0] for name in sites]
        print(f"round {round_}: like for like {wall[0]:.2f} s, defaults {wall[1]:.2f} s, ratio {wall[1] / wall[0]:.2f}",
              file=sys.stderr)
    shutil.rmtree(trash, ignore_errors=True)
    ratios = [out[0] / like[0] for like, out in zip(times["like for like"], times["defaults"], strict=True)]
    print(f"cold builds of {corpus}, {args.rounds} rounds, interleaved\n")
    print("| build | median wall s | runs s | median CPU s |\n|---|---:|---|---:|")
    for name, found in times.items():
        walls = [w for w, _ in found]
        print(f"| {name} | {statistics.median(walls):.2f} | {' / '.join(f'{w:.2f}' for w in walls)} | "
              f"{statistics.median(c for _, c in found):.2f} |")
    print(f"\ndefaults / like for like, per round: {' / '.join(f'{r:.2f}' for r in ratios)}; "
          f"median **{statistics.median(ratios):.2f}**")
    return 0


if __name__ == "__main__":
    sys.exit(main())
