"""Issue 18, outside the writer: every bad argument, link loop, full disk and early-closing
browser ends in ``path: error: message (hint)`` and an exit status, never a traceback, and
nothing is written or lost; plus the left-overs (press contact in feed items, surrogate-pair
escapes, long slugs, reproducible search index)."""

from __future__ import annotations

import contextlib
import errno
import filecmp
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from html import escape
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from sitegen import oserrors
from tests.conftest import NOW, SMALL_CONFIG, Run, article, build, need, page, run, run_process, xml

A = "content/berita/2024-05-30-rapat.id.md"
FILES: dict[str, str | bytes] = {
    A: article("Rapat Koordinasi", body="Isi berita rapat."),
    "content/berita/2024-05-30-rapat.en.md": article("Coordination Meeting", body="The news."),
}


def tree(folder: Path, bookkeeping: bool = True) -> dict[str, bytes]:
    """Every file below ``folder`` (links as where they point), for byte-for-byte comparison;
    without ``bookkeeping``, only what the public sees (not sitegen's own .sitegen* files)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if not bookkeeping and path.name.startswith(".sitegen"):
            continue
        if path.is_symlink():
            found[path.relative_to(folder).as_posix()] = os.readlink(path).encode()
        elif path.is_file():
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def errors_only(result: Run) -> list[str]:
    """The diagnostic lines of a run, without the closing count."""
    return [line for line in result.err.splitlines() if ": error: " in line or ": warning: " in line]


def no_traceback(result: Run) -> None:
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err


# --- 7: arguments that name files, numbers out of range ---------------------------------


def test_site_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    afile = tmp_path / "situs.txt"
    afile.write_text("not a site", "utf-8")
    result = run_process("build", "--site", afile, "--now", NOW)
    no_traceback(result)
    assert result.code == 2
    assert errors_only(result) == [f"{afile}: error: --site names a file, but it must be the site folder "
                                   "(give a folder with --site, or move the file away)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["situs.txt"]  # nothing written beside it


@pytest.mark.parametrize("through", [False, True])
def test_output_that_is_a_file_is_a_usage_error(make_site: Callable[..., Path], through: bool) -> None:
    site = make_site(FILES)
    afile = site.parent / "public.html"
    afile.write_bytes(b"<p>the live site, do not touch</p>")
    output = afile / "sub" if through else afile
    result = run_process("build", "--site", site, "--output", output, "--now", NOW)
    no_traceback(result)
    assert result.code == 2
    what = f"goes through the file {afile}" if through else "names a file"
    assert errors_only(result) == [f"{output}: error: --output {what}, but it must be the output folder "
                                   "(give a folder with --output, or move the file away)"]
    assert afile.read_bytes() == b"<p>the live site, do not touch</p>"
    assert not (site / ".sitegen-cache").exists() and not (site / "public").exists()


@pytest.mark.parametrize("command", ["build", "check", "status"])
def test_a_folder_in_place_of_config_yaml_is_a_config_error(make_site: Callable[..., Path], command: str) -> None:
    """Exit 2, as a config.yaml that is missing or wrong: it was exit 1, the status of content errors."""
    site = make_site(FILES)
    (site / "config.yaml").unlink()
    (site / "config.yaml").mkdir()
    result = run_process(command, "--site", site, "--now", NOW)
    no_traceback(result)
    assert result.code == 2
    assert errors_only(result) == ["config.yaml: error: is a directory (a folder stands where a file is needed: "
                                   "move the folder away or choose another path)"]
    assert not (site / "public").exists()

def test_serve_port_out_of_range_is_a_usage_error(make_site: Callable[..., Path]) -> None:
    site = make_site(FILES)
    result = run_process("serve", "--site", site, "--port", "70000", timeout=60)
    no_traceback(result)
    assert result.code == 2
    assert errors_only(result) == ["--port: error: there is no port 70000: ports go from 0 to 65535 "
                                   "(use e.g. --port 8000, or --port 0 for any free port)"]
    assert not (site / "public").exists()


@pytest.mark.parametrize("jobs", ["0", "65", "2000"])
def test_jobs_has_bounds(make_site: Callable[..., Path], jobs: str) -> None:
    site = make_site(FILES)
    result = build(site, "--jobs", jobs)
    assert result.code == 2
    cores = os.cpu_count() or 1
    assert errors_only(result) == [f"--jobs: error: --jobs {jobs} is not between 1 and 64 "
                                   f"(this machine has {cores} cores: use at most that many)"]
    assert not (site / "public").exists()
    assert build(site, "--jobs", "1").code == 0


# --- 7: link loops in content/ and static/ -------------------------------------------------


def test_link_loop_in_content_is_an_error_and_the_old_output_stays(make_site: Callable[..., Path]) -> None:
    site = make_site(FILES)
    assert build(site).code == 0
    before = tree(site / "public")
    (site / "content/berita/putaran.md").symlink_to("lingkaran.md")
    (site / "content/berita/lingkaran.md").symlink_to("putaran.md")
    (site / "content/berita/folder").symlink_to("folder")
    result = run_process("build", "--site", site, "--now", NOW)
    no_traceback(result)
    assert result.code == 1
    hint = "(delete the link, or replace it with the file itself)"
    why = "this link cannot be followed: too many levels of symbolic links"
    assert errors_only(result) == [f"content/berita/{name}: error: {why} {hint}"
                                   for name in ("folder", "lingkaran.md", "putaran.md")]
    assert tree(site / "public") == before
    # check and status say the same, and write nothing either
    for command in ("check", "status"):
        other = run_process(command, "--site", site, "--now", NOW)
        no_traceback(other)
        assert other.code == 1 and errors_only(other) == errors_only(result)
    assert tree(site / "public") == before


def test_link_loop_in_static_is_an_error(make_site: Callable[..., Path]) -> None:
    site = make_site(FILES)
    (site / "static").mkdir()
    (site / "static/putaran.pdf").symlink_to("putaran.pdf")
    result = run_process("build", "--site", site, "--now", NOW)
    no_traceback(result)
    assert result.code == 1
    assert errors_only(result) == ["static/putaran.pdf: error: this link cannot be followed: it leads "
                                   "back to itself (delete the link, or replace it with the file itself)"]
    assert not (site / "public").exists()


def test_a_link_loop_in_static_is_named_with_a_release_s_error_and_the_folder_s_warnings(
        make_site: Callable[..., Path]) -> None:
    """Audit: build named the releases' errors and not the loop in static/ (check did); the
    loop stopped the walk, so the warnings of links after it were not said; its path was the
    whole path of the computer, where every other message names it from the site."""
    site = make_site({**FILES, "content/berita/rusak.id.md": "---\ntitle: Rusak\ndate: kemarin\n---\nIsi.\n"})
    (site / "static/files").mkdir(parents=True)
    (site / "static/a-putaran").symlink_to("a-putaran")
    (site / "static/files/hilang.pdf").symlink_to("hilang")
    for command in ("build", "check"):
        result = run_process(command, "--site", site, "--now", NOW)
        no_traceback(result)
        assert result.code == 1, result.err
        lines = result.err.splitlines()
        assert any(line.startswith("content/berita/rusak.id.md:3: error: ") for line in lines), result.err
        assert "static/a-putaran: error: this link cannot be followed: it leads back to itself (delete the link, " \
               "or replace it with the file itself)" in lines, result.err
        if command == "check":
            assert any(line.startswith("static/files/hilang.pdf: warning: this link leads to no file")
                       for line in lines), result.err
    (site / "content/berita/rusak.id.md").unlink()
    result = run_process("build", "--site", site, "--now", NOW)
    assert result.code == 1 and any(line.startswith("static/files/hilang.pdf: warning: ")
                                    for line in result.err.splitlines()), result.err
    assert not (site / "public").exists()


@pytest.mark.parametrize("config, template", [(False, "putaran.html"), (False, "article.html"), (True, "")])
def test_link_loop_in_templates_or_in_place_of_config_names_the_link(make_site: Callable[..., Path],
                                                                     config: bool, template: str) -> None:
    """A template that is a link loop was "sitegen: error: 'putaran.html' not found in search
    paths: ..."; config.yaml as one, "no config.yaml in ...", exit 2 (still 2: a config error).
    One named as a theme's template (article.html) was passed over for the theme's, silently."""
    site = make_site(FILES)
    if config:
        (site / "config.yaml").unlink()
        (site / "config.yaml").symlink_to("config.yaml")
    else:
        (site / "templates").mkdir()
        (site / "templates" / template).symlink_to(template)
    result = run_process("build", "--site", site, "--now", NOW)
    no_traceback(result)
    assert result.code == (2 if config else 1)
    shown = "config.yaml" if config else f"templates/{template}"
    assert errors_only(result) == [f"{shown}: error: too many levels of symbolic links (a symbolic link here points "
                                   "back to itself: delete it, or point it at a real file)"]
    assert not (site / "public").exists()

def test_attachment_that_is_a_link_loop_is_an_error_at_its_line(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat", attachments=["/files/rilis.pdf"])})
    (site / "static/files").mkdir(parents=True)
    (site / "static/files/rilis.pdf").symlink_to("rilis.pdf")
    result = run_process("build", "--site", site, "--now", NOW)
    no_traceback(result)
    assert result.code == 1
    assert f"{A}:4: error: '/files/rilis.pdf' is a link that leads back to itself (replace the link in " \
           "static/ with the file itself)" in errors_only(result)
    assert not (site / "public").exists()


def test_output_folder_that_is_a_link_loop_is_reported(make_site: Callable[..., Path]) -> None:
    site = make_site(FILES, SMALL_CONFIG + "output_dir: keluar\n")
    (site / "keluar").symlink_to("keluar")
    built = run_process("build", "--site", site, "--now", NOW)
    no_traceback(built)
    assert built.code == 2  # as for any output folder sitegen refuses, said at its line
    assert errors_only(built) == ["config.yaml:10: error: 'output_dir' is 'keluar': refusing to write to output "
                                  "folder: it is a link that leads back to itself (set  output_dir:  to an empty "
                                  "or new folder, or give one with --output)"]
    status = run_process("status", "--site", site, "--now", NOW, "--report", site.parent / "r")
    no_traceback(status)
    assert status.code == 1
    assert errors_only(status) == [f"{site}/keluar: error: too many levels of symbolic links (a symbolic link "
                                   "here points back to itself: delete it, or point it at a real file)"]
    assert (site / "keluar").is_symlink() and not (site.parent / "r").exists()
    assert sorted(p.name for p in site.iterdir()) == [".sitegen-cache", "config.yaml", "content", "keluar"]


def test_named_pipe_in_static_is_skipped_not_waited_for(make_site: Callable[..., Path]) -> None:
    site = make_site({**FILES, "static/files/rilis.pdf": b"%PDF-1.4\n"})
    os.mkfifo(site / "static/files/pipa.pdf")
    result = run_process("build", "--site", site, "--now", NOW, "--no-search", timeout=120)
    assert result.code == 0, result.err
    assert (site / "public/files/rilis.pdf").is_file() and not (site / "public/files/pipa.pdf").exists()


@pytest.mark.parametrize("command", ["status", "build"])
def test_a_reader_that_stops_reading_gets_no_traceback(make_site: Callable[..., Path], command: str) -> None:
    site = make_site(FILES)
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", command, "--site", str(site), "--now", NOW,
                             *(["--no-search"] if command == "build" else [])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `sitegen status | head -0` would
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""
    if command == "build":  # the site was built all the same
        assert (site / "public/berita/2024/rapat/index.html").is_file()


# --- 7: a full disk ------------------------------------------------------------------------


@contextlib.contextmanager
def full_disk(folder: Path) -> Iterator[Path]:
    """A tiny tmpfs mounted on ``folder`` and filled to the last byte."""
    need(os.geteuid() == 0 and shutil.which("mount"), "a full-disk test mounts a small tmpfs, which needs root")
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(folder)],
                             capture_output=True, text=True, check=False)
    need(mounted.returncode == 0, f"mounting a tmpfs failed: {mounted.stderr.strip()}")
    try:
        with open(folder / ".filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * 4096)
        with pytest.raises(OSError) as full:
            (folder / ".probe").write_bytes(b"x" * 8192)
        assert full.value.errno == errno.ENOSPC
        (folder / ".probe").unlink(missing_ok=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_cache_that_fills_up_after_a_build_is_warned_of(make_site: Callable[..., Path]) -> None:
    """Audit: .sitegen-cache/ on a disk of its own that filled up after a build: the next build
    kept nothing of its work for the one after, and said nothing (templates compiled already)."""
    need(os.geteuid() == 0 and shutil.which("mount"), "a full-disk test mounts a small tmpfs, which needs root")
    site = make_site(FILES)
    cache = site / ".sitegen-cache"
    cache.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(cache)],
                             capture_output=True, text=True, check=False)
    need(mounted.returncode == 0, f"mounting a tmpfs failed: {mounted.stderr.strip()}")
    try:
        assert run_process("build", "--site", site, "--now", NOW, "--no-search").code == 0
        with open(cache / ".filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * 4096)
        (site / A).write_text(article("Rapat", body="Isi yang diubah."), "utf-8")
        result = run_process("build", "--site", site, "--now", NOW, "--no-search")
        no_traceback(result)
        assert result.code == 0, result.err
        (said,) = errors_only(result)  # the reason as the system or SQLite gives it (no space, disk I/O error)
        assert said.startswith(".sitegen-cache: warning: the cache could not be kept for the next build (") and \
            said.endswith(" (the site is built all the same; free some disk space so that the next build is faster)")
        assert "Isi yang diubah." in (site / "public/berita/2024/rapat/index.html").read_text("utf-8")
    finally:
        subprocess.run(["umount", "-l", str(cache)], check=False)


def test_full_template_cache_warns_and_builds_the_same_site(make_site: Callable[..., Path]) -> None:
    reference = make_site(FILES, name="reference")
    assert build(reference, "--no-search").code == 0
    site = make_site(FILES)
    with full_disk(site / ".sitegen-cache"):
        result = run_process("build", "--site", site, "--now", NOW, "--no-search")
        no_traceback(result)
        assert result.code == 0, result.err
        assert errors_only(result) == [
            ".sitegen-cache/jinja: warning: compiled templates could not be kept for the next build (no space "
            "left on device) (the site is built all the same; free some disk space so that the next build "
            "is faster)"]
        assert tree(site / "public", False) == tree(reference / "public", False)
        again = run_process("build", "--site", site, "--now", NOW, "--no-search")  # still full: same again
        assert again.code == 0 and tree(site / "public", False) == tree(reference / "public", False)
    # Space again: nothing was lost, and the next build is a normal one.
    final = run_process("build", "--site", site, "--now", NOW, "--no-search")
    assert final.code == 0 and errors_only(final) == []
    assert tree(site / "public", False) == tree(reference / "public", False)


def test_a_file_in_place_of_the_cache_folder_warns_and_builds_the_same_site(make_site: Callable[..., Path]) -> None:
    reference = make_site(FILES, name="reference")
    assert build(reference, "--no-search").code == 0
    site = make_site(FILES)
    (site / ".sitegen-cache").write_text("not a folder", "utf-8")
    for _ in range(2):
        result = run_process("build", "--site", site, "--now", NOW, "--no-search")
        no_traceback(result)
        assert result.code == 0, result.err
        assert errors_only(result) == [
            ".sitegen-cache: warning: the cache folder cannot be used (not a directory) (the site is built all "
            "the same, only more slowly; make .sitegen-cache a folder sitegen may write, or delete what stands "
            "in its place)"]
        assert tree(site / "public", False) == tree(reference / "public", False)
    assert (site / ".sitegen-cache").read_text("utf-8") == "not a folder"


def test_new_on_a_full_disk_says_so_and_leaves_no_half_file(make_site: Callable[..., Path]) -> None:
    site = make_site(FILES)
    folder = site / "content/pengumuman"
    with full_disk(folder):
        env_epoch = str(int(datetime.fromisoformat(NOW).timestamp()))
        proc = subprocess.run([sys.executable, "-m", "sitegen", "new", "Libur Nasional",
                               "--site", str(site), "--section", "pengumuman", "--translations"],
                              capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": env_epoch},
                              check=False)
        assert "Traceback" not in proc.stderr
        assert proc.returncode == 1
        lines = [line for line in proc.stderr.splitlines() if ": error: " in line]
        assert len(lines) == 1
        assert lines[0] == ("content/pengumuman/2026-11-28-libur-nasional.id.md: error: no space left on device "
                            "(free some disk space, then run the command again)")
        assert sorted(p.name for p in folder.iterdir()) == [".filler"]


def test_os_errors_read_as_diagnostics() -> None:
    loop = OSError(errno.ELOOP, os.strerror(errno.ELOOP), "content/a.md")
    assert oserrors.describe(loop).format() == (
        "content/a.md: error: too many levels of symbolic links (a symbolic link here points back to "
        "itself: delete it, or point it at a real file)")
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert oserrors.describe(full, "public").format() == (
        "public: error: no space left on device (free some disk space, then run the command again)")
    watches = OSError(errno.ENOSPC, "inotify watch limit reached")
    assert oserrors.describe(watches).format() == (
        "sitegen: error: inotify watch limit reached (raise the limit, e.g. sudo sysctl "
        "fs.inotify.max_user_watches=524288, or watch fewer folders)")
    assert oserrors.describe(OSError("odd")).format() == (
        "sitegen: error: odd (fix the problem with this path, then run the command again)")


@pytest.mark.parametrize("code", sorted(oserrors.WORDS))
def test_the_systems_words_for_an_os_error_are_said_in_the_ui_language(code: int) -> None:
    """In English they are the system's own (glibc's); in Indonesian they were left in English
    inside an Indonesian sentence ("... tidak dapat diikuti: too many levels of symbolic links")."""
    from sitegen.messages import set_language

    problem = OSError(code, os.strerror(code), "public/a.html")
    english = oserrors.describe(problem).message
    assert english == os.strerror(code)[:1].lower() + os.strerror(code)[1:]
    set_language("id")  # the english_messages fixture sets English back
    indonesian = oserrors.describe(problem).message
    assert indonesian != english
    assert oserrors.describe(OSError(code, "a library's own words")).message == "a library's own words"


# --- 8: browsers that leave early ----------------------------------------------------------


def test_serve_is_quiet_about_browsers_that_close_early(make_site: Callable[..., Path]) -> None:
    from tests.test_serve import serving, wait_for

    big = os.urandom(4 << 20)
    site = make_site({**FILES, "static/files/besar.pdf": big})
    with serving(site) as srv:
        def rude(request: bytes, read: int = 0, pause: float = 0.0) -> None:
            """Send ``request``, maybe read a little, then close with a reset (SO_LINGER 0)."""
            with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.sendall(request)
                if read:
                    sock.recv(read)
                time.sleep(pause)

        for path in ("/files/besar.pdf", "/", "/berita/2024/rapat/", "/feed.xml", "/__sitegen/events"):
            rude(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), read=100)
        rude(b"GET / HTTP/1.1\r\nHost: x\r\n", pause=0.2)  # gone in the middle of the headers
        rude(b"GET /files/besar.pdf HTTP/1.1\r\n\r\n", read=10, pause=0.2)
        # The server goes on answering, and the big file arrives whole.
        wait_for(lambda: srv.get("/files/besar.pdf").body == big, "the big file, whole")
        assert srv.get("/berita/2024/rapat/").status == 200
        assert srv.stop() == 0
    err = srv.log("err")
    for noise in ("Traceback", "Exception occurred", "Connection", "Broken pipe", "reset by peer", "-----"):
        assert noise not in err, err


def test_server_handle_error_is_quiet_only_about_clients_that_left(capsys: pytest.CaptureFixture[str]) -> None:
    from sitegen.serve import LiveServer

    server = LiveServer.__new__(LiveServer)  # handle_error needs no socket
    for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"), ConnectionAbortedError()):
        try:
            raise gone
        except OSError:
            server.handle_error(socket.socket(), ("127.0.0.1", 1))
    assert capsys.readouterr().err == ""
    try:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "public/x.html")
    except OSError:
        server.handle_error(socket.socket(), ("127.0.0.1", 1))
    assert capsys.readouterr().err == ("public/x.html: error: no such file or directory (check the spelling of "
                                       "the path, and that the file or folder still exists)\n")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        server.handle_error(socket.socket(), ("127.0.0.1", 1))
    assert "Traceback" in capsys.readouterr().err  # a real bug still shows where it is


# --- 10: the clock, config, new, --jobs -----------------------------------------------------


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "1969-12-31T23:00:00Z",
                                 "0001-01-01T00:00:00+14:00"])
def test_out_of_range_now_is_a_usage_error(make_site: Callable[..., Path], now: str) -> None:
    site = make_site(FILES)
    for command in ("build", "check", "status"):
        result = run_process(command, "--site", site, "--now", now)
        no_traceback(result)
        assert result.code == 2, (command, result.err)
        assert errors_only(result) == [f"--now: error: --now '{now}' is not a time a site is built at: it must "
                                       "lie between the years 1970 and 8999 (write it like "
                                       "2024-05-30T10:00:00+07:00)"]
    assert not (site / "public").exists()


@pytest.mark.parametrize("now", ["1970-01-01T00:00:00", "1970-01-01T00:00:00+07:00", "8999-12-31T23:59:59"])
def test_the_first_and_last_years_are_within_the_range(make_site: Callable[..., Path], now: str) -> None:
    """'between the years 1970 and 8999' on the site's clock: the first moment of 1970 in
    Jakarta (1969 in UTC) was refused."""
    site = make_site(FILES)
    result = run("build", "--site", site, "--now", now, "--no-search")
    assert result.code == 0, result.err


def test_out_of_range_source_date_epoch_is_a_usage_error(make_site: Callable[..., Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(FILES)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "-86400")
    result = run("build", "--site", site)
    assert result.code == 2
    assert errors_only(result) == [
        "SOURCE_DATE_EPOCH: error: SOURCE_DATE_EPOCH '-86400' is not a time a site is built at: it must lie "
        "between the years 1970 and 8999 (set it to a whole number of seconds since 1970, e.g. "
        "SOURCE_DATE_EPOCH=$(date +%s))"]
    assert not (site / "public").exists()


def test_translation_rule_naming_an_unconfigured_language_is_a_config_error(
        make_site: Callable[..., Path]) -> None:
    site = make_site(FILES, SMALL_CONFIG + "translations:\n  require:\n    berita: [en, fr]\n")
    result = build(site)
    assert result.code == 2
    assert errors_only(result) == ["config.yaml:12: error: translations.require.berita names 'fr', which is not "
                                   "in languages (languages: id, en)"]
    assert not (site / "public").exists()


def test_language_without_title_is_a_config_error_at_its_line(make_site: Callable[..., Path]) -> None:
    config = SMALL_CONFIG.replace("title: Test Newsroom, ", "")
    site = make_site(FILES, config)
    result = build(site)
    assert result.code == 2
    assert errors_only(result) == [
        "config.yaml:6: error: missing required setting 'languages.en.title' (add  title: ...  here)"]
    assert "feedgen" not in result.err and "Required fields" not in result.err
    assert not (site / "public").exists()


@pytest.mark.parametrize("blank", ['""', "'  '"])
def test_language_with_a_blank_title_is_a_config_error_at_its_line(make_site: Callable[..., Path],
                                                                    blank: str) -> None:
    site = make_site(FILES, SMALL_CONFIG.replace("title: Test Newsroom", f"title: {blank}"))
    result = build(site)
    assert result.code == 2
    assert errors_only(result) == ["config.yaml:6: error: 'languages.en.title' is empty, but it is required "
                                   '(write it as  title: "...")']
    assert "feedgen" not in result.err and "Required fields" not in result.err
    assert not (site / "public").exists()


def test_new_refuses_a_title_the_build_would_refuse(make_site: Callable[..., Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.content.parse_file import MAX_TITLE

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764306000")
    site = make_site(FILES)
    listing = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    too_long = "Rapat " + "x" * (MAX_TITLE - 5)  # one over, once spaces are counted as the build does
    result = run("new", too_long, "--site", site, "--translations")
    assert result.code == 2
    assert errors_only(result) == [f"TITLE: error: the title is {MAX_TITLE + 1} characters long; a headline may "
                                   f"have at most {MAX_TITLE} (shorten it, and put the rest in the text below the "
                                   "front matter)"]
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == listing
    # At the limit it is written, and the build takes it.
    result = run("new", too_long[:-1], "--site", site)
    assert result.code == 0, result.err
    assert build(site).code == 0


# --- left over: the press contact in feed items ----------------------------------------------

CONTACT = {"name": "Humas <Kanwil> & Co", "phone": "+62 751 123", "email": "humas@example.go.id"}
CONTACT_CONFIG = SMALL_CONFIG + """\
contact:
  name: Subbagian Humas
  phone: "+62 751 000"
  email: humas@kanwil.example.go.id
"""


def contact_site(make_site: Callable[..., Path], config: str = CONTACT_CONFIG) -> Path:
    return make_site({
        A: article("Rapat Koordinasi", summary="Ringkas.", contact=CONTACT),
        "content/berita/2024-05-31-lain.id.md": article("Berita Lain", "2024-05-31T10:00:00+07:00"),
        "content/berita/2024-05-31-lain.en.md": article("Other News", "2024-05-31T10:00:00+07:00"),
    }, config)


ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def item_texts(out: Path, title: str, rss_tag: str, atom_tag: str) -> tuple[str, str]:
    """An item's ``rss_tag`` and ``atom_tag`` text as the feeds hold it (feedparser would
    sanitize it first, dropping tel: links, say)."""
    rss = next(i for i in xml(out / "feed.xml").iter("item") if i.findtext("title") == title)
    atom = next(e for e in xml(out / "atom.xml").iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == title)
    return rss.findtext(rss_tag) or "", atom.findtext(atom_tag) or ""


def test_feed_items_carry_the_press_contact(make_site: Callable[..., Path]) -> None:
    site = contact_site(make_site)
    assert build(site, "--no-search").code == 0
    out = site / "public"
    rss, atom = feedparser.parse(out / "feed.xml"), feedparser.parse(out / "atom.xml")
    assert not rss.bozo and not atom.bozo
    assert all("Kontak media" in e.content[0].value for parsed in (rss, atom) for e in parsed.entries)
    items = json.loads((out / "feed.json").read_bytes())["items"]
    own = ("Kontak media", "Humas <Kanwil> & Co", "Telepon: +62 751 123", "Surel: humas@example.go.id")
    default = ("Kontak media", "Subbagian Humas", "Telepon: +62 751 000", "Surel: humas@kanwil.example.go.id")
    for title, expected in (("Rapat Koordinasi", own), ("Berita Lain", default)):
        for html_text in (*item_texts(out, title, CONTENT, f"{ATOM}content"),
                          next(i for i in items if i["title"] == title)["content_html"]):
            block = etree.HTML(html_text).xpath("//p[@class='press-contact']")
            assert len(block) == 1
            assert tuple(t.strip() for t in block[0].itertext() if t.strip()) == (
                expected[0], expected[1], expected[2].split(": ")[0] + ":", expected[2].split(": ")[1],
                expected[3].split(": ")[0] + ":", expected[3].split(": ")[1])
            links = block[0].xpath(".//a/@href")
            assert links == ["tel:" + expected[2].split(": ")[1].replace(" ", ""),
                             "mailto:" + expected[3].split(": ")[1]]
    assert next(i for i in items if i["title"] == "Rapat Koordinasi")["_sitegen"] == {"press_contact": CONTACT}
    # The escaped name never becomes markup, in the XML either.
    assert b"<Kanwil>" not in (out / "feed.xml").read_bytes()
    # English items use the English words.
    en = json.loads((out / "en/feed.json").read_bytes())["items"][0]
    block = etree.HTML(en["content_html"]).xpath("//p[@class='press-contact']")[0]
    assert block.findtext("strong") == "Press contact"
    assert "Phone:" in "".join(block.itertext()) and "Email:" in "".join(block.itertext())


def test_summary_feeds_carry_the_contact_after_the_summary(make_site: Callable[..., Path]) -> None:
    site = contact_site(make_site, CONTACT_CONFIG + "feeds: {full_content: false}\n")
    assert build(site, "--no-search").code == 0
    out = site / "public"
    line = "Kontak media: Humas <Kanwil> & Co, Telepon +62 751 123, Surel humas@example.go.id"
    rss, atom = feedparser.parse(out / "feed.xml"), feedparser.parse(out / "atom.xml")
    assert not rss.bozo and not atom.bozo
    assert not any("content" in e for parsed in (rss, atom) for e in parsed.entries)
    # RSS's description is HTML text; Atom's summary is text
    assert item_texts(out, "Rapat Koordinasi", "description", f"{ATOM}summary") == (
        escape(f"Ringkas.\n\n{line}", quote=False), f"Ringkas.\n\n{line}")
    item = next(i for i in json.loads((out / "feed.json").read_bytes())["items"] if i["title"] == "Rapat Koordinasi")
    assert item["summary"] == "Ringkas." and item["content_text"] == f"Ringkas.\n\n{line}"
    assert item["_sitegen"] == {"press_contact": CONTACT}


def test_no_contact_configured_means_none_in_items(make_site: Callable[..., Path]) -> None:
    site = make_site(FILES)
    assert build(site, "--no-search").code == 0
    assert b"press-contact" not in (site / "public/feed.xml").read_bytes()
    assert "_sitegen" not in json.loads((site / "public/feed.json").read_bytes())["items"][0]


# --- left over: surrogate-pair escapes, long slugs ---------------------------------------------


def test_surrogate_pair_escapes_read_as_the_character(make_site: Callable[..., Path]) -> None:
    text = '---\ntitle: "Hari Bhayangkara \\ud83c\\udf89"\ndate: "2024-07-01T09:00:00+07:00"\n' \
           'tags: ["\\uD83C\\uDDEE\\uD83C\\uDDE9 Indonesia"]\n---\nIsi.\n'
    site = make_site({"content/berita/2024-07-01-bhayangkara.id.md": text})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert page(site, "/berita/2024/bhayangkara/").findtext(".//h1").strip() == "Hari Bhayangkara \U0001f389"
    item = json.loads((site / "public/feed.json").read_bytes())["items"][0]
    assert item["title"] == "Hari Bhayangkara \U0001f389"
    assert "\U0001f1ee\U0001f1e9 Indonesia" in item["tags"]
    assert not feedparser.parse(site / "public/feed.xml").bozo


def test_a_lone_surrogate_escape_is_an_error_at_its_line(make_site: Callable[..., Path]) -> None:
    text = '---\ntitle: "Baik"\ndate: "2024-07-01T09:00:00+07:00"\nsummary: "Setengah \\ud83c saja"\n---\nIsi.\n'
    site = make_site({"content/berita/2024-07-01-setengah.id.md": text})
    result = build(site)
    assert result.code == 1
    assert errors_only(result) == [
        "content/berita/2024-07-01-setengah.id.md:4: error: the escape \\ud83c is only half of a character "
        "(a surrogate without its partner) (write the character itself, or both escapes of the pair, like "
        "\\ud83c\\udf89 for \U0001f389)"]
    assert not (site / "public").exists()


def test_of_two_lone_surrogate_escapes_the_first_in_the_file_is_named(make_site: Callable[..., Path]) -> None:
    """Audit: with half characters on lines 2 and 5, the error named line 5."""
    text = ('---\ntitle: "Judul \\ud800 satu"\ndate: "2024-07-01T09:00:00+07:00"\ntags: ["a", "b"]\n'
            'summary: "ringkas \\udc00 dua"\n---\nIsi.\n')
    site = make_site({"content/berita/2024-07-01-setengah.id.md": text})
    (line,) = errors_only(build(site, "--no-search"))
    assert line.startswith("content/berita/2024-07-01-setengah.id.md:2: error: the escape \\ud800 "), line


def test_an_explicit_slug_over_80_characters_is_an_error(make_site: Callable[..., Path]) -> None:
    long_slug = "rapat-koordinasi-" + "a" * 70  # 87 characters
    site = make_site({
        A: article("Rapat", slug=long_slug),
        "content/berita/2024-05-31-pas.id.md": article("Pas", slug="b" * 80),  # exactly the limit: fine
    })
    result = build(site)
    assert result.code == 1
    assert errors_only(result) == [f"{A}:4: error: the slug is 87 characters long; a slug may have at most 80 "
                                   "(shorten it to a few words that name the release, like rapat-koordinasi)"]
    assert not (site / "public").exists()


def test_long_file_names_cut_to_one_address_are_reported(make_site: Callable[..., Path]) -> None:
    stem = "2024-05-30-" + "pengumuman-hasil-seleksi-" * 4
    site = make_site({
        f"content/berita/{stem}tahap-satu.id.md": article("Tahap Satu"),
        f"content/berita/{stem}tahap-dua.id.md": article("Tahap Dua"),
    })
    result = build(site)
    assert result.code == 1
    url = "/berita/2024/" + ("pengumuman-hasil-seleksi-" * 4)[:80].strip("-") + "/"
    lines = errors_only(result)
    assert len(lines) == 2 and all(f"{url} is claimed by both" in line for line in lines)
    assert not (site / "public").exists()


# --- left over: byte-reproducible outputs, search index included -------------------------------


def test_two_builds_of_the_same_sources_are_byte_for_byte_equal(tmp_path: Path,
                                                                 bundled_site: Path) -> None:
    from sitegen.searchindex import pagefind_binary

    need(pagefind_binary(), "Pagefind (pip install 'pagefind[bin]')")
    outputs = []
    for name in ("one", "two", "three"):
        shutil.rmtree(bundled_site / ".sitegen-cache", ignore_errors=True)
        result = run("build", "--site", bundled_site, "--output", tmp_path / name, "--now", NOW)
        assert result.code == 0, result.err
        outputs.append(tree(tmp_path / name))
    assert "pagefind/bundles.json" in outputs[0]  # one language per bundle: a fixed order
    assert outputs[0] == outputs[1] == outputs[2]
    comparison = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only
