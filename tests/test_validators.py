"""The W3C Nu HTML Checker (npm vnu-jar, run with the machine's Java) finds no error in any page
or stylesheet of the bundled site.

``.ci/run`` installs it and exports ``VNU_JAR``; locally:
``npm install --prefix /tmp/vnu vnu-jar`` and
``export VNU_JAR=/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, build_bundled, need

VNU_DEFAULT = REPO / ".ci" / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A page and a stylesheet with known errors: proof that the checker ran and reports.
BROKEN_HTML = '<!DOCTYPE html><html lang="en"><title>x</title><p><div></span>'
BROKEN_CSS = "a { colr: red; }\n"
#: the built site's folder, and the checker's errors by file
Checked = tuple[Path, dict[str, list[str]]]


def vnu_command() -> list[str] | None:
    jar = Path(os.environ.get("VNU_JAR") or VNU_DEFAULT)
    java = shutil.which("java")
    return [java, "-jar", str(jar)] if java and jar.is_file() else None


def check(*args: str | Path) -> dict[str, list[str]]:
    """Run the checker; its errors, grouped by file path."""
    command = vnu_command()
    need(command, "java and the Nu HTML Checker (npm install vnu-jar; set VNU_JAR)")
    assert command is not None
    proc = subprocess.run([*command, "--errors-only", "--format", "json", *map(str, args)],
                          capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(proc.stderr or proc.stdout)  # JSON goes to stderr
    found: dict[str, list[str]] = {}
    for message in report["messages"]:
        where = message.get("url", "").removeprefix("file:")
        found.setdefault(where, []).append(f"{message.get('lastLine')}: {message['message']}")
    return found


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """One checker run (one JVM start) over every page and stylesheet, plus the two controls."""
    built = build_bundled(tmp_path_factory.mktemp("vnu") / "public")
    controls = tmp_path_factory.mktemp("controls")
    (controls / "broken.html").write_text(BROKEN_HTML, "utf-8")
    (controls / "broken.css").write_text(BROKEN_CSS, "utf-8")
    files = sorted(built.rglob("*.html")) + sorted(built.rglob("*.css"))
    errors = check("--also-check-css", *files, controls / "broken.html", controls / "broken.css")
    return built, errors


def errors_in(checked: Checked, suffix: str) -> tuple[int, dict[str, list[str]]]:
    """How many files of a kind were checked, and the errors in the site's (not the controls')."""
    built, errors = checked
    count = sum(1 for _ in built.rglob("*" + suffix))
    control = [path for path in errors if path.endswith("broken" + suffix)]
    assert control, "the checker did not report the broken control file"
    return count, {path: found for path, found in errors.items()
                   if path.endswith(suffix) and path not in control}


def test_every_page_is_valid_html(checked: Checked) -> None:
    count, errors = errors_in(checked, ".html")
    assert count > 50  # the whole site: releases, lists, tags, archives, search, 404, redirects
    assert errors == {}


def test_every_stylesheet_is_valid_css(checked: Checked) -> None:
    count, errors = errors_in(checked, ".css")
    assert count >= 2  # the theme's screen and print styles (and Pagefind's, when indexed)
    assert errors == {}
