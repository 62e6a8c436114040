"""A build keeps what the next run needs of config.yaml (sitegen.configmemo): a `sitegen build`
with nothing to do then loads neither PyYAML nor the config reader, and any other bytes in
config.yaml, another --base-url or a memo that no longer holds mean reading it whole."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from sitegen import cachefiles, configmemo
from sitegen.config import load_config
from tests.conftest import NOW, SMALL_CONFIG, add_files, article, build, write_site

#: Runs the command line in a fresh interpreter and says, after it, which of the config
#: reader's modules it loaded.
LOADED = """
import sys
from sitegen.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print("loaded:", ",".join(m for m in ("yaml", "sitegen.config") if m in sys.modules))
print("exit:", code)
"""


def fresh_build(site: Path, *extra: str) -> tuple[str, set[str]]:
    """``sitegen build`` in a new process: what it printed, and the config modules it loaded."""
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    done = subprocess.run([sys.executable, "-c", LOADED, "build", "--site", str(site), "--now", NOW, "--no-search",
                           *extra], capture_output=True, text=True, timeout=120, env=env, check=False)
    lines = done.stdout.splitlines()
    assert lines and lines[-1] == "exit: 0", done.stdout + done.stderr
    loaded = lines[-2].removeprefix("loaded:").strip()
    return "\n".join(lines[:-2]), set(filter(None, loaded.split(",")))


def site_with(tmp_path: Path, config: str = SMALL_CONFIG) -> Path:
    return write_site(tmp_path / "site", {"content/berita/rapat.id.md": article("Rapat Koordinasi")}, config)


def test_nothing_changed_reads_no_yaml_and_no_config_reader(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    first, loaded = fresh_build(site)
    assert "nothing changed" not in first and "sitegen.config" in loaded
    again, loaded = fresh_build(site)
    assert again.endswith("nothing changed"), again
    assert loaded == set(), loaded


def test_a_changed_setting_is_read_and_built_and_a_comment_changes_nothing(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    fresh_build(site)
    config = site / "config.yaml"
    config.write_text(SMALL_CONFIG.replace("title: Situs Uji Humas", "title: Situs Baru Humas"), "utf-8")
    out, loaded = fresh_build(site)
    assert "nothing changed" not in out and "sitegen.config" in loaded
    assert "Situs Baru Humas" in html.parse(str(site / "public/index.html")).findtext(".//title")
    config.write_text(config.read_text("utf-8") + "# diubah oleh staf\n", "utf-8")
    out, loaded = fresh_build(site)  # other bytes, the same settings: read whole, nothing to build
    assert out.endswith("nothing changed") and "sitegen.config" in loaded, (out, loaded)
    out, loaded = fresh_build(site)  # and kept for the next run
    assert out.endswith("nothing changed") and loaded == set(), (out, loaded)


def test_the_messages_language_follows_config_yaml_as_it_is_now(tmp_path: Path) -> None:
    site = site_with(tmp_path, SMALL_CONFIG + "ui_language: id\n")
    fresh_build(site)
    out, loaded = fresh_build(site)
    assert out.endswith("tidak ada yang berubah") and loaded == set(), (out, loaded)
    (site / "config.yaml").write_text(SMALL_CONFIG + "ui_language: en\n", "utf-8")
    out, _ = fresh_build(site)
    # Outputs do not read ui_language: nothing is written; but the last build's warnings were
    # worded in Indonesian, so a build (not the shortcut) says them again, in English.
    assert out.endswith(": 0 rendered, 0 written, 0 removed"), out
    out, _ = fresh_build(site)
    assert out.endswith("nothing changed"), out  # the memo now says English (this process's locale would too)
    (site / "config.yaml").write_text(SMALL_CONFIG + "ui_language: id\n", "utf-8")
    out, _ = fresh_build(site)
    assert out.endswith(": 0 dirender, 0 ditulis, 0 dihapus"), out  # not the memo's English
    out, _ = fresh_build(site)
    assert out.endswith("tidak ada yang berubah"), out


def test_another_base_url_is_built_with_and_the_memo_follows_it(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    other = "https://humas.example.go.id/baru/"
    fresh_build(site)
    out, loaded = fresh_build(site, "--base-url", other)
    assert "nothing changed" not in out and "sitegen.config" in loaded
    canonical = html.parse(str(site / "public/index.html")).find(".//link[@rel='canonical']").get("href")
    assert canonical.startswith(other), canonical
    out, loaded = fresh_build(site, "--base-url", other)
    assert out.endswith("nothing changed") and loaded == set(), (out, loaded)
    out, _ = fresh_build(site)
    assert "nothing changed" not in out
    canonical = html.parse(str(site / "public/index.html")).find(".//link[@rel='canonical']").get("href")
    assert canonical.startswith("https://humas.example.go.id/") and not canonical.startswith(other)


def test_the_memo_holds_what_reading_config_yaml_whole_gives(tmp_path: Path) -> None:
    site = site_with(tmp_path, SMALL_CONFIG.replace("Asia/Jakarta", "Asia/Makassar")
                     + "ui_language: id\ntheme: humas\noutput_dir: situs\n")
    assert build(site, "--no-search").code == 0
    memo = configmemo.recall(site)
    config = load_config(site)
    assert memo is not None
    assert (memo.ui_language, memo.output_dir, memo.theme, memo.timezone, memo.fingerprint, memo.zone) == (
        config.ui_language, config.output_dir, config.theme, config.timezone, config.fingerprint, config.zone)
    assert memo.source == config.source == configmemo.source_digest((site / "config.yaml").read_bytes())
    (site / "config.yaml").write_text(SMALL_CONFIG, "utf-8")
    assert configmemo.recall(site) is None


def test_a_memo_naming_a_time_zone_the_system_no_longer_has_is_not_used(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    assert build(site, "--no-search").code == 0
    memo = configmemo.recall(site)
    assert memo is not None
    cachefiles.save(site, configmemo.MEMO, configmemo.Memo(memo.source, None, None, memo.output_dir, memo.theme,
                                                           "Mars/Olympus_Mons", memo.fingerprint))
    assert configmemo.recall(site) is None
    out, loaded = fresh_build(site)  # read whole: the config's own zone, and nothing to build
    assert out.endswith("nothing changed") and "sitegen.config" in loaded, (out, loaded)
    assert configmemo.recall(site) == memo


def test_config_yaml_saved_during_a_build_is_never_taken_for_the_one_it_was_built_with(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut took the settings from the memo and the build that followed read config.yaml
    again, saved meanwhile: the stamp said the site was built with the memo's settings, and once
    the old bytes were back, "nothing changed" stood over pages with the other title."""
    from sitegen import uptodate

    site = site_with(tmp_path)
    config = site / "config.yaml"
    before = config.read_bytes()
    fresh_build(site)
    add_files(site, {"content/berita/kedua.id.md": article("Rapat Kedua")})  # a build follows the shortcut
    listed = uptodate.inputs_digest

    def saved_meanwhile(*args: Any, **kwargs: Any) -> str:
        digest = listed(*args, **kwargs)
        config.write_bytes(before.replace(b"title: Situs Uji Humas", b"title: Judul Sementara"))
        return digest

    monkeypatch.setattr(uptodate, "inputs_digest", saved_meanwhile)
    assert build(site, "--no-search").code == 0
    monkeypatch.setattr(uptodate, "inputs_digest", listed)
    assert "Judul Sementara" in html.parse(str(site / "public/index.html")).findtext(".//title")
    config.write_bytes(before)
    out, _ = fresh_build(site)
    assert "nothing changed" not in out, out
    assert "Situs Uji Humas" in html.parse(str(site / "public/index.html")).findtext(".//title")


def test_a_memo_that_cannot_be_written_leaves_the_build_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder that takes no more files (full, read-only): the build succeeds and the next
    run reads config.yaml whole."""
    saved = cachefiles.save

    def refused(site_dir: Path, name: str, payload: object) -> None:
        if name == configmemo.MEMO:
            raise OSError(28, "No space left on device")
        saved(site_dir, name, payload)

    monkeypatch.setattr(cachefiles, "save", refused)
    site = site_with(tmp_path)
    result = build(site, "--no-search")
    assert result.code == 0 and "Traceback" not in result.err, result.err
    assert configmemo.recall(site) is None
    again = build(site, "--no-search")
    assert again.code == 0 and again.out.endswith("nothing changed\n"), again
