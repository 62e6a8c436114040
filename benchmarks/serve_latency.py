"""Time what staff wait for in `sitegen serve`: from saving a release to the open page showing it.

    python benchmarks/serve_latency.py --site WORK/n1000-many/sitegen [--edits 5] [--port 8765]

Starts `sitegen serve` on the site (a corpus written by run.py or corpus.py), opens the
newest release's Indonesian page in headless Chromium (Debian's /usr/bin/chromium through
Playwright), then appends a new sentence to that release's file `--edits` times. Each time
is measured from just before the file is written to the moment the reloaded page's text
contains the sentence, and the median is printed. The search index is refreshed in the
background after each rebuild, as serve always does.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rebuild import newest_release

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"sitegen serve did not answer on port {port} within {timeout:.0f} s")


def page_path(site: Path, release: Path) -> str:
    """The release's address, found in the output (its folder is named after the file)."""
    key = release.name.removesuffix(".id.md")
    found = sorted((site / "public").glob(f"{release.parent.name}/*/{key}/index.html"))
    if not found:
        raise SystemExit(f"no page for {release} under {site / 'public'}")
    return "/" + found[0].parent.relative_to(site / "public").as_posix() + "/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the first build")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "sitegen", "serve", "--site", str(args.site), "--port", str(args.port)]
    log = (args.site.parent / "serve.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    times: list[float] = []
    try:
        wait_for_port(args.port, args.timeout)
        release = newest_release(args.site)
        url = f"http://127.0.0.1:{args.port}" + page_path(args.site, release)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page()
            page.goto(url)
            time.sleep(2)  # the live-reload connection settles
            for n in range(1, args.edits + 1):
                marker = f"Penanda suntingan {n} {time.time_ns()}"
                started = time.perf_counter()
                with release.open("a", encoding="utf-8") as f:
                    f.write(f"\n{marker}.\n")
                page.wait_for_function("m => document.body && document.body.innerText.includes(m)", arg=marker,
                                       timeout=60_000, polling="raf")
                times.append(time.perf_counter() - started)
                time.sleep(1.5)  # the background search index of this edit finishes
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    print(f"`sitegen serve` on {args.site}: save to page shown, {args.edits} edits of the newest release\n")
    print("| median ms | runs ms |\n|---:|---|")
    print(f"| {statistics.median(times) * 1000:.0f} | {' / '.join(f'{t * 1000:.0f}' for t in times)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
