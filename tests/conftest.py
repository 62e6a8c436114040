"""Shared helpers: tests write tiny real sites into tmp_path and run sitegen on them."""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any, ClassVar

import jinja2.bccache
import pytest
from lxml import etree, html

from sitegen.cli import main
from sitegen.render import templates
from tests.sshd import Server, missing, sshd

REPO = Path(__file__).resolve().parents[1]

# A test run started in the background by a shell (``pytest &``, nohup) inherits Ctrl-C
# ignored, and so would every sitegen it starts: the tests of Ctrl-C would wait in vain. A
# handler of this process's own is reset to the default in the programs it starts.
signal.signal(signal.SIGINT, signal.default_int_handler)

# The small config DESIGN.md says must be accepted as it is.
SMALL_CONFIG = """\
base_url: https://humas.example.go.id/
default_language: id
timezone: Asia/Jakarta
languages:
  id: {name: Bahasa Indonesia, locale: id_ID, title: Situs Uji Humas, description: Situs uji}
  en: {name: English, locale: en_US, title: Test Newsroom, description: Test site}
sections:
  berita: {id: Berita, en: News}
paginate: 5
"""

NOW = "2026-11-28T12:00:00+07:00"


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read sitegen's English messages unless a site sets ``ui_language``: the C locale
    (sitegen.messages) for this process and the sitegen processes tests start."""
    from sitegen.messages import set_language

    for name in ("LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    set_language("en")
    yield
    set_language("en")


class _CompiledOnce(templates._BytecodeCache):
    """The site's own cache of compiled templates, as in every build, and behind it the code this
    test process has compiled before: where a build would compile a template (the site's cache
    has none), it takes that code, and writes it into the site's cache as a compile would.

    Nearly every test builds a new site of the same theme, and compiling its templates was most
    of such a small build (benchmarks/README.md has the suite's time with and without). The
    code is Jinja's compile of the same source, name and file under the same settings (all in
    the key), so pages are byte for byte those of a compile of their own (test_templates.py
    checks it against a build in a process of its own). Builds in processes of their own
    (``run_process``, the benchmarks) compile as always, and SITEGEN_TESTS_COMPILE=1 makes
    every build here compile too."""

    compiled: ClassVar[dict[tuple[object, ...], CodeType]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().load_bytecode(bucket)
        if bucket.code is None:
            known = self.compiled.get(_compile_key(bucket))
            if known is not None:
                bucket.code = known
                self.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self.compiled[_compile_key(bucket)] = bucket.code
        super().dump_bytecode(bucket)


def _compile_key(bucket: jinja2.bccache.Bucket) -> tuple[object, ...]:
    env = bucket.environment
    settings = (env.block_start_string, env.block_end_string, env.variable_start_string,
                env.variable_end_string, env.comment_start_string, env.comment_end_string,
                env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                env.newline_sequence, env.keep_trailing_newline, env.optimized, env.autoescape,
                env.finalize, env.undefined, tuple(sorted(env.extensions)))
    return (bucket.key, bucket.checksum, settings)


@pytest.fixture(autouse=True, scope="session")
def compiled_once() -> Iterator[None]:
    if os.environ.get("SITEGEN_TESTS_COMPILE") == "1":
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(templates, "_BytecodeCache", _CompiledOnce)
        yield


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*args: str | Path) -> Run:
    """Run the sitegen command line in this process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def run_process(*args: str | Path, cwd: Path | None = None, timeout: float = 120) -> Run:
    """Run ``python -m sitegen`` as a real process (to see tracebacks and exit codes as users do)."""
    proc = subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def article(title: str, date: str = "2024-05-30T10:00:00+07:00", body: str = "Isi berita.",
            **meta: object) -> str:
    """A content file: front matter from keyword arguments (JSON is valid YAML) and a body."""
    lines = [f"title: {json.dumps(title)}"]
    if date:
        lines.append(f"date: {json.dumps(date)}")
    lines += [f"{key}: {json.dumps(value)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body).strip() + "\n"


def write_site(root: Path, files: dict[str, str | bytes], config: str = SMALL_CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(config, "utf-8")
    (root / "content").mkdir(exist_ok=True)
    return add_files(root, files)


def add_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (site-relative path: text or bytes) into the site at ``root``."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, "utf-8")
    return root


def build(site: Path, *extra: str) -> Run:
    return run("build", "--site", site, "--now", NOW, *extra)


def page(site: Path, url: str, output: str = "public") -> html.HtmlElement:
    """Parse the page the site serves at ``url``."""
    path = site / output / url.lstrip("/")
    if url.endswith("/"):
        path = path / "index.html"
    return html.fromstring(path.read_bytes())


def xml(path: Path) -> etree._Element:
    return etree.fromstring(path.read_bytes())


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, str | bytes], config: str = SMALL_CONFIG, name: str = "site") -> Path:
        return write_site(tmp_path / name, files, config)

    return make


@pytest.fixture
def bundled_site(tmp_path: Path) -> Path:
    """A copy of the repository's example site (content, static, themes, config)."""
    target = tmp_path / "bundled"
    target.mkdir()
    for name in ("content", "static", "themes"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "config.yaml", target / "config.yaml")
    return target


def need(found: object, reason: str) -> None:
    """Skip a test whose system tool is missing; in CI (SITEGEN_STRICT=1) fail instead."""
    import os

    if not found:
        if os.environ.get("SITEGEN_STRICT") == "1":
            pytest.fail(f"required in CI but missing: {reason}")
        pytest.skip(reason)


def interrupt_another_thread(pid: int) -> None:
    """Send SIGINT to a thread of process ``pid`` other than its main one, as the kernel
    sometimes does with Ctrl-C: kill() with a thread's id hands the signal to that thread."""
    import os
    import signal

    need(Path("/proc/self/task").is_dir(), "sending a signal to one thread needs Linux's /proc")
    others = [int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid]
    assert others, "the process runs threads besides its main one"
    os.kill(max(others), signal.SIGINT)


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    return None


# --- a real browser on the built site (accessibility, journeys, live reload) ---

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_bundled(out: Path) -> Path:
    """The repository's own example site, built into ``out`` (the site folder is not touched
    apart from its git-ignored .sitegen-cache)."""
    result = run("build", "--site", REPO, "--output", out, "--now", NOW)
    assert result.code == 0, result.err
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free local port, as a static host would; yields the base URL."""
    with serve_with(functools.partial(_QuietHandler, directory=str(root))) as base:
        yield base


class _StaticHost(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that went away mid-answer (a tab closed, offline on purpose) is no error
        of the site: not a traceback in the test log."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_with(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve with ``handler`` on a free local port; yields the base URL."""
    server = _StaticHost(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright; skips (fails in CI) when either is missing."""
    need(importlib.util.find_spec("playwright"), "python playwright (pip install -e '.[test]')")
    executable = chromium_path()
    need(executable, "chromium (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # expect()'s own 5 s is short for a live check on a loaded CI machine (a 400 ms pause, a
    # request to a server in this process, the page's update): as long as every other wait.
    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def bundled_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled site, built once per test module and served on a local port."""
    with serve(build_bundled(tmp_path_factory.mktemp("bundled") / "public")) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as launched:
        yield launched


# --- photos -------------------------------------------------------------------------------------
#: Where the sample photos say they were taken (Padang): tests check it never reaches the output.
GPS_PADANG = (-0.95, 100.35)


def photo_file(width: int = 64, height: int = 48, fmt: str = "JPEG", gps: bool = False,
               orientation: int = 1, color: tuple[int, int, int] = (30, 110, 170)) -> bytes:
    """A real image file (Pillow can read every photo a release names), optionally with EXIF
    like a phone writes: camera, time, the GPS position of Padang and an orientation."""
    from PIL import Image

    image = Image.new("RGB", (width, height), color)
    image.paste((230, 190, 40), (0, 0, width // 3, height // 2))  # a corner that shows rotation
    exif = Image.Exif()
    if gps or orientation != 1:
        exif[0x010F], exif[0x0110] = "Contoh", "Kamera Contoh 12"  # Make, Model
        exif[0x0112] = orientation
        exif[0x0131] = "sitegen tests"
        if gps:
            exif.get_ifd(0x8825).update(_gps_tags(*GPS_PADANG))
    out = io.BytesIO()
    extra = {"exif": exif.tobytes()} if len(exif) else {}
    image.save(out, fmt, **extra)
    return out.getvalue()


def _gps_tags(lat: float, lon: float) -> dict[int, Any]:
    def dms(value: float) -> tuple[float, float, float]:
        seconds = round(abs(value) * 3600, 2)
        return (float(seconds // 3600), float(seconds % 3600 // 60), round(seconds % 60, 2))

    return {0: b"\x02\x03\x00\x00", 1: "S" if lat < 0 else "N", 2: dms(lat), 3: "E" if lon >= 0 else "W",
            4: dms(lon)}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A test OpenSSH server for a module's deploy tests (tests/sshd.py); skipped where there is
    none. A module may define its own (test_deploy_norsync.py's has no rsync)."""
    reason = missing()
    need(reason is None, reason or "")
    with sshd(tmp_path_factory.mktemp("sshd")) as running:
        yield running


@pytest.fixture(autouse=True)
def no_agent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the keys a test names: never the developer's ssh agent."""
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
