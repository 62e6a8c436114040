"""Time `sitegen deploy` over loopback against a real OpenSSH server (rsync path).

    python benchmarks/deploy.py --n 10000 [--work DIR]

Writes the benchmark corpus (corpus.py) into WORK, builds it (`--no-search`, as the plain
`rsync -a` it is compared with has nothing to index), starts sshd on 127.0.0.1 (tests/sshd.py),
then measures, each as a fresh process the way a user runs it:

1. a plain `rsync -a` of the output to an empty folder over the same ssh options: the baseline;
2. the first `sitegen deploy --no-build` to an empty target (target: within 1.5x of 1.);
3. one body edited, rebuilt, then `sitegen deploy --no-build` (target: under 5 s), checking
   that the files sent are exactly the files whose bytes the live release does not hold;
4. the same again: the target has `keep: 1`, so this deploy prunes the first release (the
   live one and the one before it are always kept), as every deploy does in a steady state;
   then how long until the pruned release is gone from the server (it is removed in the
   background), waiting at most 120 s.

Run it with `PYTHONPATH` naming another checkout to time that checkout's `sitegen`.

Needs root (sshd logs in as the current user with a key made here) and about three times
the output's size in free disk. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-11-01T00:00:00+07:00"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from rebuild import edit_body, newest_release  # noqa: E402

from sitegen.generations import MARKER  # noqa: E402
from tests.sshd import missing, sshd  # noqa: E402


def sitegen(*args: str | Path) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], capture_output=True, text=True,
                          check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"sitegen {' '.join(map(str, args))} failed:\n{proc.stdout}{proc.stderr}")
    return seconds, proc.stdout + proc.stderr


def digests(root: Path) -> dict[str, str]:
    """Every file a release holds: the output folder exactly, its public marker
    (.sitegen-output.json, which changes with any page) included, as deploy sends it."""
    out = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and (not rel.startswith(".sitegen") or rel == MARKER):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def real_photos(folder: Path) -> None:
    """The corpus's photos are placeholder bytes, which the build now refuses as damaged:
    small real JPEGs instead (what travels is the site's pages, not photo sizes)."""
    from PIL import Image

    for path in folder.glob("*.jpg"):
        shade = int(hashlib.sha256(path.name.encode()).hexdigest()[:2], 16)
        Image.new("RGB", (640, 480), (shade, 120, 255 - shade)).save(path, "JPEG", quality=80)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="releases (each in id and en)")
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary one, removed after)")
    args = parser.parse_args()
    reason = missing()
    if reason:
        raise SystemExit(f"needs {reason}")
    work = args.work or Path(tempfile.mkdtemp(prefix="sitegen-deploy-bench-"))
    site = work / "site"
    try:
        if not (site / "config.yaml").exists():
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "corpus.py"), "--n", str(args.n),
                            "--out", str(site)], check=True)
        real_photos(site / "static" / "images")
        build_s, _ = sitegen("build", "--site", site, "--now", NOW, "--no-search")
        out = site / "public"
        files = [p for p in out.rglob("*") if p.is_file() and (not p.name.startswith(".sitegen") or p.name == MARKER)]
        size = sum(p.stat().st_size for p in files)
        shutil.rmtree(work / "sshd", ignore_errors=True)  # keys of an earlier run: ssh-keygen will not overwrite them
        with sshd(work / "sshd") as server:
            remote = work / "remote"
            shutil.rmtree(remote, ignore_errors=True)
            (remote / "site").mkdir(parents=True)  # the target's folder: deploy never makes it
            config = (site / "config.yaml").read_text("utf-8").split("\ndeploy:\n")[0]
            config += (f"\ndeploy:\n  bench:\n    url: {server.url(remote / 'site')}\n"
                       f"    identity_file: {server.client_key}\n    known_hosts: {server.known_hosts}\n"
                       "    keep: 1\n")
            (site / "config.yaml").write_text(config, "utf-8")
            sitegen("build", "--site", site, "--now", NOW, "--no-search")  # config changed: same bytes
            env_ssh = ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                       "-o", f"UserKnownHostsFile={server.known_hosts}", "-i", str(server.client_key),
                       "-p", str(server.port)]
            plain = remote / "plain"
            plain.mkdir(parents=True)
            started = time.perf_counter()
            # What a release holds: the output folder, its public marker too (deploy sends it).
            subprocess.run(["rsync", "-a", f"--include=/{MARKER}", "--exclude=/.sitegen*",
                            "-e", " ".join(map(shlex.quote, env_ssh)),
                            f"{out}/", f"127.0.0.1:{plain}/"], check=True)
            plain_s = time.perf_counter() - started
            first_s, first_out = sitegen("deploy", "--site", site, "--no-build")
            before = digests(out)
            edit_body(newest_release(site), 1)
            rebuild_s, _ = sitegen("build", "--site", site, "--now", NOW, "--no-search")
            after = digests(out)
            held = set(before.values())  # a file the live release holds under another name is linked
            changed = sum(1 for digest in after.values() if digest not in held)
            again_s, again_out = sitegen("deploy", "--site", site, "--no-build")
            sent = int(re.search(r"sent (\d+) files?", again_out).group(1))  # type: ignore[union-attr]
            live = remote / "site" / "current"
            assert digests(live) == after, "the tree under current differs from the build"
            releases = remote / "site" / "releases"
            first = sorted(releases.iterdir())[0]
            edit_body(newest_release(site), 2)
            sitegen("build", "--site", site, "--now", NOW, "--no-search")
            prune_s, prune_out = sitegen("deploy", "--site", site, "--no-build")
            assert "pruned 1 old release" in prune_out, prune_out
            started = time.perf_counter()
            while any(not p.name.startswith("2") for p in releases.iterdir()) and time.perf_counter() < started + 120:
                time.sleep(0.1)
            gone_s = time.perf_counter() - started
            assert not first.exists() and digests(live) == digests(out)
            assert len(list(releases.iterdir())) == 2, "releases/ holds the live release and the one before, only"
        print(f"Deploy over loopback, {args.n:,} releases x 2: {len(files):,} files, {size / 1e6:,.0f} MB "
              f"(build {build_s:.1f} s, rebuild after the edit {rebuild_s:.1f} s)\n")
        print("| step | seconds | note |\n|---|---:|---|")
        print(f"| plain `rsync -a` of the output | {plain_s:.2f} | baseline |")
        print(f"| first `sitegen deploy --no-build` | {first_s:.2f} | {first_s / plain_s:.2f}x the plain rsync "
              "(target <= 1.5x) |")
        print(f"| redeploy after one body edit | {again_s:.2f} | sent {sent} files; {changed} files changed "
              "(target < 5 s, sent == changed) |")
        print(f"| redeploy after another edit, pruning the first release | {prune_s:.2f} | the pruned release "
              f"gone {gone_s:.2f} s after the deploy returned |")
        print("\n" + "\n".join(o.strip().splitlines()[-1] for o in (first_out, again_out, prune_out)))
        return 0 if sent == changed else 1
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
