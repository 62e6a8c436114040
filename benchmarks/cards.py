"""How long one social card takes to draw, over the titles of a corpus.

    python benchmarks/cards.py --site WORK/n1000-many/sitegen
    PYTHONPATH=/tmp/before python benchmarks/cards.py --site ...   # another checkout's cards

Draws the card of every release title in the site's content (each language's), three
times over, in this process, and prints the least time per card of the three passes, in
milliseconds: the drawing and the PNG, without the build around them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml


def titles(site: Path) -> list[str]:
    found = []
    for source in sorted((site / "content").rglob("*.md")):
        text = source.read_text("utf-8")
        if text.startswith("---\n"):
            head = yaml.safe_load(text[4:text.index("\n---", 4)]) or {}
            if isinstance(head.get("title"), str):
                found.append(head["title"])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    args = parser.parse_args()
    from sitegen.outputs.cards import draw_card

    every = titles(args.site)
    if not every:
        raise SystemExit(f"no titles under {args.site / 'content'}")
    draw_card(every[0], "Kamis, 30 Mei 2024", "Humas")  # fonts loaded before timing
    passes = []
    for _ in range(3):
        started = time.perf_counter()
        for title in every:
            draw_card(title, "Kamis, 30 Mei 2024", "Humas Kanwil Sumatera Barat")
        passes.append((time.perf_counter() - started) / len(every) * 1000)
    print(f"{len(every)} cards: {min(passes):.3f} ms a card (passes: {' / '.join(f'{p:.3f}' for p in passes)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
