"""Every error of a run is said at once, each at its line: a clash of addresses beside a bad
date or a broken template, and each item of a list at its own line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO, article, run

NOW = "2026-11-28T12:00:00+07:00"


def _errors(site: Path, command: str = "build") -> list[str]:
    result = run(command, "--site", site, "--now", NOW, *(("--no-search",) if command == "build" else ()))
    assert result.code == 1, result.err
    return [line.split(" (")[0] for line in result.err.splitlines() if ": error: " in line]


def test_a_clash_is_said_with_a_release_error_and_with_a_template_error(make_site: Callable[..., Path]) -> None:
    files: dict[str, str | bytes] = {
        "content/berita/a.id.md": article("A", "2024-05-30T10:00:00+07:00"),
        "content/berita/b.id.md": "---\ntitle: B\ndate: 2024-13-01\n---\nIsi.\n",
        "content/berita/d.id.md": article("D", "2024-05-31T10:00:00+07:00", aliases=["/feed.xml"]),
        "static/berita/2024/a/index.html": "<p>tangan</p>\n",
    }
    expected = [
        "content/berita/b.id.md:3: error: 'date' '2024-13-01' is an impossible date: there is no such month",
        "content/berita/d.id.md:4: error: alias /feed.xml clashes with the generated feed /feed.xml",
        "static/berita/2024/a/index.html: error: static file /berita/2024/a/index.html clashes with the page of "
        "content/berita/a.id.md"]
    site = make_site(files, name="dated")
    assert _errors(site) == _errors(site, "check") == expected
    assert not (site / "public").exists()
    template = (REPO / "themes/humas/templates/article.html").read_text("utf-8")
    broken = {**files, "content/berita/b.id.md": article("B", "2024-05-29T10:00:00+07:00"),
              "content/berita/d.id.md": article("D", "2024-05-31T10:00:00+07:00"),
              "templates/article.html": template.replace("{{ entry.title }}", "{{ entry.nosuch }}", 1)}
    site = make_site(broken, name="templated")
    line = next(i for i, text in enumerate(template.splitlines(), 1) if "{{ entry.title }}" in text)
    assert _errors(site) == [expected[2], f"templates/article.html:{line}: error: template error: 'entry' has no "
                                          "field 'nosuch'"]


def test_a_page_that_takes_a_list_address_is_said_once_and_the_other_clashes_too(
        make_site: Callable[..., Path]) -> None:
    pages = {f"content/pages/p{slug}.id.md": f"---\ntitle: P {slug}\nslug: {slug}\n---\nIsi.\n"
             for slug in ("berita", "search")}
    site = make_site({"content/berita/a.id.md": article("A", "2024-05-30T10:00:00+07:00"), **pages})
    assert _errors(site) == [
        "content/pages/pberita.id.md:3: error: /berita/ is already the address of the list page 'Berita'",
        "content/pages/psearch.id.md: error: page /search/index.html clashes with the generated file "
        "/search/index.html"]


def test_each_attachment_and_alias_is_said_at_its_own_line(make_site: Callable[..., Path]) -> None:
    text = ("---\ntitle: Rapat\ndate: 2024-05-30T10:00:00+07:00\nattachments:\n"
            "  - {path: /files/ada.pdf, title: Ada}\n"
            "  - {path: /files/hilang1.pdf, title: X}\n"
            "  - path: /files/hilang2.pdf\n    title: Y\n"
            "  - /files/hilang3.pdf\n"
            "  - {path: ../config.yaml, title: Z}\n"
            "---\nIsi.\n")
    site = make_site({"content/berita/a.id.md": text, "static/files/ada.pdf": b"%PDF-1.4\n"})
    assert _errors(site) == [
        "content/berita/a.id.md:6: error: the file '/files/hilang1.pdf' does not exist",
        "content/berita/a.id.md:7: error: the file '/files/hilang2.pdf' does not exist",
        "content/berita/a.id.md:9: error: the file '/files/hilang3.pdf' does not exist",
        "content/berita/a.id.md:10: error: '../config.yaml' points outside the static/ folder"]
    aliased = "---\ntitle: Rapat\ndate: 2024-05-30T10:00:00+07:00\naliases:\n  - /lama/\n  - /feed.xml\n---\nIsi.\n"
    site = make_site({"content/berita/a.id.md": aliased}, name="aliased")
    assert _errors(site) == ["content/berita/a.id.md:6: error: alias /feed.xml clashes with the generated feed "
                             "/feed.xml"]


def test_an_alias_is_said_at_its_own_line_after_a_repeated_one_and_once(make_site: Callable[..., Path]) -> None:
    """A repeated alias is dropped before the lines are matched to the aliases: the clash of
    the third is said at its line, not the second's; an alias on another release's address is
    said once, at its line, not also as a clash at the key's."""
    other = article("Rapat", "2024-05-30T10:00:00+07:00")
    clashing = ("---\ntitle: Lain\ndate: 2024-05-31T10:00:00+07:00\naliases:\n  - /lama/\n  - /lama/\n"
                "  - /berita/2024/rapat/\n---\nIsi.\n")
    site = make_site({"content/berita/2024-05-30-rapat.id.md": other, "content/berita/lain.id.md": clashing})
    said = _errors(site)
    assert [line for line in said if line.startswith("content/berita/lain.id.md")] == [
        "content/berita/lain.id.md:7: error: /berita/2024/rapat/ is claimed by both content/berita/lain.id.md and "
        "content/berita/2024-05-30-rapat.id.md"], said
