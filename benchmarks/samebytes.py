"""Build one corpus with two checkouts of sitegen and compare every output file, byte for byte.

    python benchmarks/samebytes.py --before 66325bc [--after .] [--n 1000] [--terms many|few]
                                   [--defaults] [--work DIR] [--keep]

A change meant to leave the output alone (a refactor, a speed-up) must give the same bytes.
Each checkout builds its own copy of one corpus, with no cache, then the same edits are
made to both copies and built again, as a newsroom's builds follow each other:

1. cold: no output, no cache;
2. nothing changed;
3. one body edited (the newest release's Indonesian text);
4. one title edited (the same release);
5. cold again after the edits, which must equal the incremental result of step 4.

After every step each output file of one side is compared with the other's (and their
lists of files): the report lists the files that differ or exist on one side only, and the
script exits 1 when any do. sitegen's own bookkeeping in the output folder (top-level names
starting with a dot: the manifest, staging) is not compared, nor the cache.

`--before` and `--after` are a git ref of this repository (checked out with `git worktree
add --detach` under WORK, removed afterwards unless `--keep`) or a folder holding a
checkout; `--after` defaults to this working tree, uncommitted changes included. The corpus
is like for like (`--no-search`, no social cards) unless `--defaults`: then Pagefind's
bundle (`pagefind/`) is listed but not compared byte for byte, as two indexers need not lay
out the same index alike; search is checked by tests/test_search.py instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import corpus as corpus_model
import writers
from rebuild import NOW, edit_body, edit_title, newest_release

REPO = Path(__file__).resolve().parent.parent
SEARCH_BUNDLE = "pagefind"


@dataclasses.dataclass(frozen=True)
class Side:
    name: str
    checkout: Path
    site: Path


def checkout(ref: str, work: Path, label: str) -> tuple[Path, bool]:
    """A folder holding sitegen at `ref`; True when it was made here (and is to be removed)."""
    if Path(ref).is_dir() and (Path(ref) / "sitegen").is_dir():
        return Path(ref).resolve(), False
    folder = work / f"checkout-{label}"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(folder), ref],
                   check=True)
    return folder, True


def build(side: Side, defaults: bool, log: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(side.checkout))
    command = [sys.executable, "-m", "sitegen", "build", "--site", str(side.site), "--now", NOW]
    if not defaults:
        command.append("--no-search")
    with log.open("ab") as out:
        out.write(f"$ {' '.join(command)}  # {side.checkout}\n".encode())
        out.flush()
        # Run from the checkout: `python -m` puts the working folder first on sys.path, so
        # from anywhere else (this repository, say) that folder's sitegen would be the one built.
        done = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False,
                              cwd=side.checkout)
    if done.returncode != 0:
        raise SystemExit(f"{side.name}: the build failed (exit {done.returncode}); see {log}")


def files(root: Path) -> Iterator[Path]:
    """Every output file, relative to the output folder, sitegen's dot-named bookkeeping left out."""
    for folder, dirs, names in os.walk(root, followlinks=True):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            names = [n for n in names if not n.startswith(".")]
        for name in names:
            yield (here / name).relative_to(root)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare(a: Path, b: Path, skip_search: bool) -> tuple[int, list[str]]:
    """(files compared, differences) between two output folders."""
    left, right = set(files(a)), set(files(b))
    problems = [f"only in {a.parent.name}: {p}" for p in sorted(left - right)]
    problems += [f"only in {b.parent.name}: {p}" for p in sorted(right - left)]
    compared = 0
    for path in sorted(left & right):
        if skip_search and path.parts[0] == SEARCH_BUNDLE:
            continue
        compared += 1
        if digest(a / path) != digest(b / path):
            problems.append(f"differs: {path}")
    if skip_search:  # the bundles' file names are content hashes: compare the lists apart
        problems = [p for p in problems if not p.split(": ", 1)[1].startswith(SEARCH_BUNDLE + "/")]
    return compared, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git ref or checkout folder (e.g. 66325bc)")
    parser.add_argument("--after", default=str(REPO), help="git ref or checkout folder (default: this tree)")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--terms", choices=sorted(corpus_model.TERMS), default="many")
    parser.add_argument("--defaults", action="store_true",
                        help="sitegen's out-of-the-box settings: social cards and the search index")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path,
                        help="folder for the scratch folder, which is made new inside it and removed after; "
                             "nothing else in it is touched (default: the system's temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and checkouts")
    args = parser.parse_args(argv)
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
    # A folder of its own even inside --work: removing it when done removes nothing else there
    # (a benchmark's corpora, say).
    work = Path(tempfile.mkdtemp(prefix="sitegen-samebytes-", dir=args.work)).resolve()
    made: list[Path] = []
    try:
        return run(args, work, made)
    finally:
        if not args.keep:
            for folder in made:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(folder)],
                               check=False)
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path, made: list[Path]) -> int:
    corpus = corpus_model.generate(args.n, args.seed, args.terms, args.defaults)
    source = work / "corpus"
    writers.prepare_out(source)
    writers.WRITERS["sitegen"](corpus, source)  # no themes/: each checkout uses its own theme
    sides = []
    for name, ref in (("before", args.before), ("after", args.after)):
        folder, new = checkout(ref, work, name)
        if new:
            made.append(folder)
        site = work / name
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(source, site)
        sides.append(Side(name, folder, site))
    log = work / "builds.log"
    print(f"# Byte-for-byte: {args.before} against {args.after}\n")
    print(f"Corpus: {args.n:,} releases x 2, {args.terms} terms, "
          + ("defaults (social cards, search; the search bundle is not compared)" if args.defaults
             else "like for like (--no-search, no social cards)") + "\n")
    print("| step | files compared | differences |\n|---|---:|---|")
    steps = [("cold", None), ("nothing changed", None), ("one body edited", edit_body),
             ("one title edited", edit_title), ("cold after the edits", "cold")]
    failed = False
    incremental = work / "incremental"
    for label, edit in steps:
        if edit == "cold":  # what the edits gave incrementally, to hold against a fresh build
            shutil.rmtree(incremental, ignore_errors=True)
            shutil.copytree(sides[1].site / "public", incremental / "public", symlinks=False)
        for side in sides:
            if edit == "cold":
                shutil.rmtree(side.site / "public", ignore_errors=True)
                shutil.rmtree(side.site / ".sitegen-cache", ignore_errors=True)
            elif edit is not None:
                edit(newest_release(side.site), 1)
            build(side, args.defaults, log)
        compared, problems = compare(sides[0].site / "public", sides[1].site / "public", args.defaults)
        failed = failed or bool(problems)
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        print(f"| {label} | {compared:,} | {shown or 'none'} |")
    compared, problems = compare(incremental / "public", sides[1].site / "public", args.defaults)
    failed = failed or bool(problems)
    print(f"| {args.after}: the edits built incrementally against from scratch | {compared:,} "
          f"| {'; '.join(problems[:5]) or 'none'} |")
    print("\n" + ("DIFFERENT" if failed else "IDENTICAL: every file of every step"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
