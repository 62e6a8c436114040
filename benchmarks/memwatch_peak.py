"""The summed peaks (RSS and PSS) of a benchmarks/memwatch.sh log, with the line of each.

    python benchmarks/memwatch_peak.py LOG
"""

from __future__ import annotations

import argparse


def peaks(lines: list[str]) -> tuple[tuple[int, str], tuple[int, str]]:
    rss: tuple[int, str] = (0, "")
    pss: tuple[int, str] = (0, "")
    for line in lines:
        fields = line.split()
        if len(fields) < 2 or ":" not in fields[1]:
            continue  # the build's own output
        try:
            samples = [tuple(map(int, field.split(":")[1].split("/"))) for field in fields[1:]]
        except ValueError:
            continue
        rss = max(rss, (sum(s[0] for s in samples), line.strip()))
        pss = max(pss, (sum(s[1] for s in samples), line.strip()))
    return rss, pss


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", help="the file benchmarks/memwatch.sh wrote")
    with open(parser.parse_args().log, encoding="utf-8") as log:
        (rss, rss_line), (pss, pss_line) = peaks(log.readlines())
    print(f"peak RSS summed {rss} MB: {rss_line}")
    print(f"peak PSS summed {pss} MB: {pss_line}")
