"""Incremental, cached and parallel builds give exactly the bytes of a clean serial build."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import writer
from sitegen.build import Result
from sitegen.content import parse_all
from sitegen.oneshot import Unchanged, build_once
from sitegen.options import Options
from sitegen.outputs import Output
from tests.conftest import article, run

NOW = "2026-11-28T12:00:00+07:00"


def corpus() -> dict[str, str]:
    files: dict[str, str] = {}
    for n in range(1, 15):
        tags = ["humas", f"topik-{n % 4}"]
        date = f"2025-{1 + n % 12:02d}-{n:02d}T09:00:00+07:00"
        files[f"content/berita/rilis-{n:02d}.id.md"] = article(f"Rilis {n}", date, f"Isi rilis {n}.", tags=tags,
                                                                summary=f"Ringkasan {n}.")
        if n % 3:
            files[f"content/berita/rilis-{n:02d}.en.md"] = article(f"Release {n}", date, f"Body {n}.",
                                                                   tags=["public relations"])
    files["content/berita/rilis-02.en.md"] = article("Release 2", "2025-03-02T09:00:00+07:00", "Body 2.",
                                                     tags=["public relations"], aliases=["/old/release-2/"])
    # published hours before the build's clock: in the news sitemap
    files["content/berita/terkini.id.md"] = article("Terkini", "2026-11-28T09:00:00+07:00", "Baru saja.")
    files["content/pages/tentang.id.md"] = "---\ntitle: Tentang\n---\nKantor.\n"
    files["content/pages/tentang.en.md"] = "---\ntitle: About\n---\nOffice.\n"
    return files


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(site: Path, jobs: int | None = None, output: Path | None = None, now: str = NOW) -> Result | Unchanged:
    """Build as ``sitegen build --no-search`` does (the nothing-changed shortcut first), in
    this process, and return what the build says it did."""
    return build_once(Options(site_dir=site, output=output, now=now, search=False,
                              **({"jobs": jobs} if jobs is not None else {})))


def counts(outcome: Result | Unchanged) -> tuple[int, int, int]:
    """Outputs rendered, written and removed by a build that did not take the shortcut."""
    assert isinstance(outcome, Result), "the build took the nothing-changed shortcut"
    return outcome.rendered, len(outcome.written.written), len(outcome.written.removed)


def clean_build_of(site: Path, tmp_path: Path, now: str = NOW) -> dict[str, str]:
    """Build a copy of the site with no cache and no previous output."""
    copy = tmp_path / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    build(copy, jobs=1, now=now)
    return digest(copy / "public")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "body": lambda s: edit(s / "content/berita/rilis-04.id.md", "Isi rilis 4.", "Isi rilis empat, diperbarui."),
    "title": lambda s: edit(s / "content/berita/rilis-05.en.md", "Release 5", "Release Five"),
    "tags": lambda s: edit(s / "content/berita/rilis-06.id.md", '"topik-2"', '"topik-baru"'),
    "delete": lambda s: (s / "content/berita/rilis-07.en.md").unlink(),
    "date": lambda s: edit(s / "content/berita/rilis-08.id.md", "2025-09-08T09:00", "2024-01-02T09:00"),
    "summary": lambda s: edit(s / "content/berita/rilis-09.id.md", "Ringkasan 9.", "Ringkasan sembilan."),
    # static pages are listed by title: a new title can reorder the sitemap
    "page title": lambda s: edit(s / "content/pages/tentang.en.md", "title: About", "title: Zz About"),
    "lead from body": lambda s: edit(s / "content/berita/rilis-10.en.md", "Body 10.", "A new lead for 10."),
    "add": lambda s: (s / "content/berita/rilis-99.id.md").write_text(
        article("Rilis Baru", "2026-11-01T09:00:00+07:00", tags=["humas"]), "utf-8"),
    "template": lambda s: (s / "templates").mkdir() or (s / "templates/page.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ entry.title }}</h1><p>override</p>{% endblock %}',
        "utf-8"),
    "i18n": lambda s: (s / "i18n").mkdir() or (s / "i18n/en.yaml").write_text("home: Front page\n", "utf-8"),
    "config": lambda s: edit(s / "config.yaml", "paginate: 5", "paginate: 3"),
    # absolute addresses everywhere, the news sitemap included
    "base_url": lambda s: edit(s / "config.yaml", "https://humas.example.go.id/", "https://pers.example.go.id/"),
    # the text of alias redirect pages
    "moved string": lambda s: (s / "i18n").mkdir() or (s / "i18n/en.yaml").write_text("moved: Gone elsewhere\n",
                                                                                      "utf-8"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_incremental_build_equals_clean_build(make_site, tmp_path: Path, change: str) -> None:  # type: ignore[no-untyped-def]
    site = make_site(corpus())
    build(site)
    CHANGES[change](site)
    build(site)
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_parallel_build_equals_serial_build(make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(writer, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parse_all, "PARALLEL_FROM", 1)
    site = make_site(corpus())
    build(site, jobs=2)
    assert digest(site / "public") == clean_build_of(site, tmp_path)
    # Parse workers store the HTML themselves; the next build renders from that store.
    CHANGES["title"](site)
    build(site, jobs=2)
    assert digest(site / "public") == clean_build_of(site, tmp_path / "again")


def test_a_parallel_build_gives_each_group_of_outputs_to_one_worker_whole() -> None:
    # The feeds of one format reuse each other's items: split between workers, both would
    # make most items.
    kinds = [("page", ""), ("feed", "feed.xml"), ("sitemap", ""), ("feed", "atom.xml"), ("page", ""),
             ("feed", "feed.xml")] * 300
    outputs = [Output(f"o{i}", "", bytes, kind=kind, group=group) for i, (kind, group) in enumerate(kinds)]
    parts = writer._parts(outputs, list(range(len(outputs))), 2)
    assert sorted(i for part in parts for i in part) == list(range(len(outputs)))
    assert [{outputs[i].group for i in part} for part in parts[:2]] == [{"feed.xml"}, {"atom.xml"}]
    assert len(parts[0]) == 600 and len(parts[1]) == 300
    rest = [outputs[i].kind for part in parts[2:] for i in part]
    assert rest == ["sitemap"] * 300 + ["page"] * 600  # the heavy first


def test_nothing_changed_renders_nothing(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site(corpus())
    build(site)
    (site / ".sitegen-cache/uptodate.pickle").unlink()  # past the shortcut: the fingerprints decide
    assert counts(build(site)) == (0, 0, 0)


def test_the_command_line_prints_what_the_build_did(make_site) -> None:  # type: ignore[no-untyped-def]
    """The counts themselves are read from the build's result (above); this is the line
    `sitegen build` prints from them."""
    site = make_site(corpus())
    first = run("build", "--site", site, "--now", NOW, "--no-search")
    assert first.code == 0, first.err
    summary = re.fullmatch(r"built (\d+) files into (.+) in [\d.]+s: (\d+) rendered, (\d+) written, 0 removed\n",
                           first.out)
    assert summary is not None, first.out
    files, output, rendered, written = summary.groups()
    assert output == str(site / "public") and files == rendered == written != "0"
    again = run("build", "--site", site, "--now", NOW, "--no-search")
    assert re.fullmatch(rf"built {files} files into {re.escape(output)} in [\d.]+s: nothing changed\n", again.out)
    (site / ".sitegen-cache/uptodate.pickle").unlink()  # past the shortcut: the fingerprints decide
    last = run("build", "--site", site, "--now", NOW, "--no-search")
    assert re.fullmatch(rf"built {files} files into {re.escape(output)} in [\d.]+s: 0 rendered, 0 written, "
                        r"0 removed\n", last.out)


def test_an_upgraded_library_makes_the_next_build_a_real_one(  # type: ignore[no-untyped-def]
        make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new version of a library that shapes the output (a fix in the sanitizer, say) must
    reach the site: the caches and the nothing-changed stamp are stamped with the installed
    versions, so the next build parses again and renders every release's page and feeds."""
    from sitegen import cachefiles

    site = make_site(corpus())
    options = Options(site_dir=site, now=NOW, search=False)
    first = build_once(options)
    assert isinstance(first, Result) and isinstance(build_once(options), Unchanged)
    installed = cachefiles.STAMP[-1]
    upgraded = tuple(name.replace("nh3-", "nh3-0.0.0+upgraded.", 1) for name in installed)
    assert upgraded != installed
    monkeypatch.setattr(cachefiles, "STAMP", (*cachefiles.STAMP[:-1], upgraded))
    again = build_once(options)
    assert isinstance(again, Result)
    made_again = {path for path, deps in again.written.deps.items() if first.written.deps.get(path) != deps}
    pages = {path for path in first.written.deps if "/rilis-" in path and path.endswith("/index.html")}
    assert len(pages) == len([name for name in corpus() if "/rilis-" in name])
    lists = {"index.html", "berita/index.html", "tags/humas/index.html", "en/index.html"}
    assert lists <= first.written.deps.keys()
    assert pages | lists | {"feed.xml", "atom.xml", "feed.json"} <= made_again, sorted(made_again)
    assert again.rendered >= len(made_again)
    assert isinstance(build_once(options), Unchanged)  # and the new versions are remembered


def test_a_change_to_sitegen_itself_makes_the_next_build_a_real_one(  # type: ignore[no-untyped-def]
        make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade that keeps the version number (from a checkout, say) must still reach the
    site: the stamp holds a digest of sitegen's own modules, which changes with any of them."""
    import shutil

    import sitegen
    from sitegen import cachefiles

    package = Path(sitegen.__file__).parent
    assert cachefiles.STAMP[1] == cachefiles.own_code(package)
    copy = tmp_path / "sitegen"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))  # times kept
    assert cachefiles.own_code(copy) == cachefiles.own_code(package)
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"compiled")
    assert cachefiles.own_code(copy) == cachefiles.own_code(package)  # compiled files are not the code
    with open(copy / "writer.py", "a", encoding="utf-8") as handle:
        handle.write("# a fix\n")
    changed = cachefiles.own_code(copy)
    assert changed != cachefiles.own_code(package)

    site = make_site(corpus())
    options = Options(site_dir=site, now=NOW, search=False)
    first = build_once(options)
    assert isinstance(first, Result) and isinstance(build_once(options), Unchanged)
    monkeypatch.setattr(cachefiles, "STAMP", (cachefiles.STAMP[0], changed, *cachefiles.STAMP[2:]))
    again = build_once(options)
    assert isinstance(again, Result)
    pages = {path for path in first.written.deps if "/rilis-" in path and path.endswith("/index.html")}
    assert pages and all(again.written.deps[path] != first.written.deps[path] for path in pages)
    assert isinstance(build_once(options), Unchanged)


def test_the_installed_libraries_are_read_with_their_versions() -> None:
    from importlib.metadata import version

    from sitegen.cachefiles import STAMP, installed_libraries

    names = installed_libraries()
    assert STAMP[-1] == names  # what every cache file and the parse's fingerprint are stamped with
    for project in ("markdown", "jinja2", "babel", "feedgen", "nh3", "pillow", "pyyaml"):
        assert [n for n in names if n.lower().startswith(f"{project}-{version(project).lower()}.")], (project, names)


def test_body_edit_rewrites_only_affected_outputs(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site(corpus())
    build(site)
    before = digest(site / "public")
    CHANGES["body"](site)
    build(site)
    changed = {p for p, h in digest(site / "public").items() if before.get(p) != h}
    # its page, and the feeds carrying its full text; never lists (the summary is front matter)
    assert "berita/2025/rilis-04/index.html" in changed
    assert all(p == "berita/2025/rilis-04/index.html" or p.endswith(("feed.xml", "atom.xml", "feed.json"))
               or p in ("sitemap.xml", ".sitegen-output.json") for p in changed), changed
    assert "en/feed.xml" not in changed


def test_template_edit_rerenders_only_its_pages_without_markdown(make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    site = make_site(corpus())
    build(site)
    calls: list[str] = []
    from sitegen.content import markdown

    real = markdown.render
    monkeypatch.setattr(markdown, "render", lambda *a, **k: calls.append("md") or real(*a, **k))
    CHANGES["template"](site)
    outcome = build(site)
    assert calls == []
    assert counts(outcome) == (2, 2, 0)  # the two static pages, nothing else


def test_shortcut_when_nothing_changed_and_only_then(make_site) -> None:  # type: ignore[no-untyped-def]
    files = corpus()
    files["content/berita/embargo.id.md"] = article("Embargo", "2026-11-01T09:00:00+07:00",
                                                     embargo="2026-11-28T15:00:00+07:00")
    site = make_site(files)
    build(site)
    assert isinstance(build(site), Unchanged)
    # an output file removed by hand is written again
    (site / "public/berita/2025/rilis-04/index.html").unlink()
    assert counts(build(site))[1] == 1
    assert (site / "public/berita/2025/rilis-04/index.html").is_file()
    # the clock passing the embargo changes the site
    assert isinstance(build(site, now="2026-11-28T15:00:00+07:00"), Result)
    assert (site / "public/berita/2026/embargo/index.html").is_file()
    # an edited input (same size, new time) is noticed
    path = site / "content/berita/rilis-02.id.md"
    path.write_text(path.read_text("utf-8").replace("Rilis 2", "Rilis Z"), "utf-8")
    assert isinstance(build(site, now="2026-11-28T15:00:00+07:00"), Result)
    assert b"Rilis Z" in (site / "public/berita/2025/rilis-02/index.html").read_bytes()


def test_shortcut_ends_when_a_release_leaves_the_news_sitemap(make_site) -> None:  # type: ignore[no-untyped-def]
    """The news sitemap holds the last two days' releases, the moment two days after one came
    out included: the nothing-changed shortcut holds until the first of them leaves it, and
    the build then drops it from the file."""
    files = corpus()
    files["content/berita/kemarin.id.md"] = article("Kemarin", "2026-11-27T10:00:00+07:00", "Kemarin.")
    site = make_site(files)
    build(site)

    def news() -> list[str]:
        text = (site / "public/news-sitemap.xml").read_text("utf-8")
        return sorted(re.findall(r"<loc>[^<]*/(\w+)/</loc>", text))

    assert news() == ["kemarin", "terkini"]
    assert isinstance(build(site, now="2026-11-29T09:59:59+07:00"), Unchanged)
    assert isinstance(build(site, now="2026-11-29T10:00:00+07:00"), Unchanged)  # two days exactly: still in
    assert isinstance(build(site, now="2026-11-29T10:00:01+07:00"), Result)
    assert news() == ["terkini"]
    assert isinstance(build(site, now="2026-11-29T10:00:01+07:00"), Unchanged)


def test_shortcut_ends_when_a_new_month_begins_on_the_site_s_clock(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The footer's copyright line says the build's year, and the search index groups the last
    twelve months by month: on 1 January (on the site's clock) nothing had changed for the
    shortcut, and every page kept last year's line."""
    site = make_site(corpus())
    build(site, now="2026-12-31T23:00:00+07:00")
    assert "© 2026" in (site / "public/index.html").read_text("utf-8")
    assert isinstance(build(site, now="2026-12-31T23:59:59+07:00"), Unchanged)
    assert isinstance(build(site, now="2027-01-01T00:30:00+07:00"), Result)  # 2026-12-31 17:30 UTC
    assert "© 2027" in (site / "public/index.html").read_text("utf-8")
    assert digest(site / "public") == clean_build_of(site, tmp_path, now="2027-01-01T00:30:00+07:00")
    assert isinstance(build(site, now="2027-01-15T00:00:00+07:00"), Unchanged)
    assert isinstance(build(site, now="2027-02-01T00:00:00+07:00"), Result)


def test_a_photo_added_swapped_or_described_anew_in_the_text_shows_on_the_list_cards(
        make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A card shows the first photo of the gallery or the text; an edit of the text alone left
    the lists as they were, their cards showing the picture before (or none)."""
    from tests.conftest import photo_file

    files: dict[str, str | bytes] = {**corpus(), "static/images/a.jpg": photo_file(320, 240),
                                     "static/images/b.jpg": photo_file(320, 240, color=(200, 40, 40))}
    site = make_site(files)
    build(site)
    release = site / "content/berita/terkini.id.md"
    for body in ("Baru saja.\n\n![Gedung kantor](/images/a.jpg)", "Baru saja.\n\n![Gedung kantor](/images/b.jpg)",
                 "Baru saja.\n\n![Halaman kantor](/images/b.jpg)", "Baru saja."):
        release.write_text(article("Terkini", "2026-11-28T09:00:00+07:00", body), "utf-8")
        assert isinstance(build(site), Result)
        assert digest(site / "public") == clean_build_of(site, tmp_path), body
    # Text that moves the photo down, or a photo file touched, changes no card: no list is made.
    body = "Baru saja.\n\n![Gedung kantor](/images/a.jpg)\n\nAkhir."
    release.write_text(article("Terkini", "2026-11-28T09:00:00+07:00", body), "utf-8")
    build(site)
    release.write_text(article("Terkini", "2026-11-28T09:00:00+07:00", body + " Diubah."), "utf-8")
    below = counts(build(site))[0]  # the text after the photo: the release's own outputs
    release.write_text(article("Terkini", "2026-11-28T09:00:00+07:00", body.replace("\n\n!", "\n\nBaru.\n\n!")),
                       "utf-8")
    assert counts(build(site))[0] == below
    os.utime(site / "static/images/a.jpg", None)
    assert counts(build(site))[0] <= 1


def test_list_pages_known_by_their_remembered_fingerprints_are_made_when_needed(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With no metadata changed, list pages are planned from the paths and fingerprints the
    last build remembered; one that must be rendered is then made from its list."""
    site = make_site(corpus())
    build(site)
    clean = clean_build_of(site, tmp_path)
    for page in ("public/tags/humas/index.html", "public/berita/page/2/index.html", "public/index.html"):
        (site / page).unlink()
    assert counts(build(site))[:2] == (3, 3)
    assert digest(site / "public") == clean
    # another output folder: every list page rendered there, from the remembered list
    other = tmp_path / "other"
    build(site, output=other)
    assert digest(other) == clean


def test_what_a_killed_build_left_never_reaches_the_output(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """kill -9 leaves a staging folder (pages of that build, drafts too if it had --drafts)
    and a half-updated spare in .sitegen-cache/; none of it is ever served, and the next
    build that changes something starts them again."""
    site = make_site(corpus())
    build(site)
    edit(site / "content/berita/rilis-05.id.md", "Rilis 5", "Rilis lima")
    build(site)
    (home,) = (site / ".sitegen-cache").glob("output-*")
    staged = home / "staging/berita/2026/draf/index.html"
    staged.parent.mkdir(parents=True)
    staged.write_text("<p>draf rahasia</p>", "utf-8")
    spare = (home / "previous").stat()
    (home / f"slot-{spare.st_dev}-{spare.st_ino}.id").unlink()  # as if killed while updating the spare
    (home / "previous/berita/2026/draf").mkdir(parents=True)
    (home / "previous/berita/2026/draf/index.html").write_text("<p>draf rahasia</p>", "utf-8")
    assert isinstance(build(site), Unchanged)  # the live site is whole: nothing to do
    assert not list((site / "public").rglob("draf"))
    edit(site / "content/berita/rilis-05.id.md", "Rilis lima", "Rilis 5")
    assert isinstance(build(site), Result)
    assert not staged.exists()
    assert not list((site / "public").rglob("draf"))
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_files_of_a_build_stopped_before_its_cache_was_saved_are_redone(make_site, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Stopped after writing its files but before saving what they were made from (Ctrl-C
    during the search index, say), with the edit then undone: the next build must not take
    the stopped build's files for the previous build's."""
    from sitegen import cachefiles
    from sitegen.build import build as build_site

    site = make_site(corpus())
    build(site)
    source = site / "content/berita/rilis-05.id.md"
    original = source.read_text("utf-8")
    edit(source, "Rilis 5", "JUDUL SALAH")

    def stop(site_dir: Path, name: str, value: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(cachefiles, "save", stop)
        with pytest.raises(KeyboardInterrupt):
            build_site(Options(site_dir=site, now=NOW, search=False, jobs=1))
    assert "JUDUL SALAH" in (site / "public/berita/2025/rilis-05/index.html").read_text("utf-8")
    source.write_text(original, "utf-8")
    build(site)
    assert digest(site / "public") == clean_build_of(site, tmp_path)


def test_a_fingerprint_writes_parts_that_are_not_text_as_their_repr() -> None:
    """Lists pass their languages already written out (once per list, not per page): the
    fingerprint must be the one the list itself gives, or an upgrade re-renders them all."""
    from sitegen.outputs import fingerprint

    languages = [("en", "/en/berita/"), ("id", "/berita/")]
    assert fingerprint("list.html", languages, 3) == fingerprint("list.html", repr(languages), "3")
    assert fingerprint("list.html", languages) != fingerprint("list.html", repr(languages[:1]))


_IMPORTED = """
import sys
from sitegen.cli import run
try:
    run()
except SystemExit as exc:
    assert not exc.code, exc.code
print(sorted(m for m in HEAVY if m in sys.modules))
"""


def test_a_build_that_finds_nothing_changed_imports_none_of_the_build(make_site) -> None:  # type: ignore[no-untyped-def]
    """The shortcut answers before the model is made: it must not pay for importing the
    Markdown converter, the templates, the feeds, the writer or the photo library."""
    import subprocess
    import sys

    site = make_site(corpus())
    assert run("build", "--site", site, "--now", NOW, "--no-search").code == 0
    heavy = ["jinja2", "markdown", "feedgen", "lxml", "PIL", "sqlite3", "ctypes", "secrets", "sitegen.build",
             "sitegen.writer", "sitegen.render"]
    done = subprocess.run([sys.executable, "-c", f"HEAVY = {heavy!r}\n{_IMPORTED}", "build", "--site", str(site),
                           "--now", NOW, "--no-search"], capture_output=True, text=True, timeout=120)
    out = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert out[0].endswith("nothing changed") and out[-1] == "[]", out


def _jpeg_of(colour: tuple[int, int, int], size: int) -> bytes:
    """A small JPEG of one colour, padded after its end to ``size`` bytes (decoders stop at the
    end mark): two different pictures of one file size."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    data = out.getvalue()
    assert len(data) <= size
    return data + b"\0" * (size - len(data))


#: Edits that keep the file's size, as a same-length fix of a number does: (file, old, new).
SAME_SIZE: dict[str, tuple[str, bytes | str, bytes | str]] = {
    "release": ("content/berita/rilis-04.id.md", "Isi rilis 4.", "Isi rilis 5."),
    "template": ("templates/page.html", "<p>satu</p>", "<p>dua!</p>"),
    "ui string": ("i18n/en.yaml", "Front page", "Front door"),
    "static file": ("static/files/catatan.txt", "versi 1", "versi 2"),
    "photo": ("static/images/foto.jpg", _jpeg_of((200, 30, 30), 2000), _jpeg_of((30, 30, 200), 2000)),
}


@pytest.mark.parametrize("change", sorted(SAME_SIZE))
def test_clean_reads_every_file_again(make_site, tmp_path: Path, change: str) -> None:  # type: ignore[no-untyped-def]
    """A file changed with its size kept and its modification time set back to the one the
    last build read (``git stash`` then ``touch -d``, a tool that gives files one time): a
    build trusts size and time, as make and rsync do, but ``--clean`` builds from nothing,
    its caches' parses and photos included, and equals a clean build of the new files."""
    rel, old, new = SAME_SIZE[change]
    files: dict[str, str | bytes] = {**corpus(), "static/files/catatan.txt": "versi 1\n",
                                     "templates/page.html": '{% extends "base.html" %}{% block main %}'
                                                            "<h1>{{ entry.title }}</h1><p>satu</p>{% endblock %}",
                                     "i18n/en.yaml": "home: Front page\n",
                                     "static/images/foto.jpg": _jpeg_of((200, 30, 30), 2000)}
    files["content/berita/rilis-03.id.md"] = article("Rilis 3", "2025-04-03T09:00:00+07:00", "Isi.",
                                                     image="/images/foto.jpg", image_alt="Foto", image_credit="Humas")
    site = make_site(files)
    build(site)
    path = site / rel
    before = os.stat(path)
    data = path.read_bytes()
    replaced = data.replace(old.encode() if isinstance(old, str) else old,
                            new.encode() if isinstance(new, str) else new)
    assert replaced != data and len(replaced) == len(data)
    path.write_bytes(replaced)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the time the last build read
    build_once(Options(site_dir=site, now=NOW, search=False, clean=True))
    assert digest(site / "public") == clean_build_of(site, tmp_path)
