"""Issue 4, checked again from outside: bad (and merely big) inputs named in the issue's own words."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import build, run, run_process

A = "content/berita/a.id.md"
OK = "---\ntitle: Rapat koordinasi\ndate: 2024-05-30T10:00:00+07:00\n---\n"


def test_a_ten_megabyte_article_of_one_paragraph_builds(make_site: Callable[..., Path]) -> None:
    """A 10 MB article pasted as one long paragraph of plain text (a few words in *italics*)
    converts in a moment: only paragraphs full of formatting are too costly to convert."""
    sentence = "Pemerintah provinsi menggelar rapat koordinasi penanganan banjir di Padang. "
    chunk = sentence * 800 + "Lihat *lampiran*. "
    body = chunk * (10_000_000 // len(chunk) + 1)
    assert len(body) > 10_000_000 and "\n" not in body
    site = make_site({A: OK + body + "\n"})
    result = run_process("build", "--site", site, "--now", "2026-11-28T12:00:00+07:00", "--no-search")
    assert result.code == 0, result.err[:500]
    assert "Traceback" not in result.err
    html = (site / "public/berita/2024/a/index.html").read_bytes()
    assert len(html) > 10_000_000 and html.rstrip().endswith(b"</html>")
    # (lxml refuses a text node over 10 MB, so the one paragraph is found in the bytes)
    text = html.decode("utf-8")
    start = text.index("<p>" + sentence)
    paragraph = text[start:text.index("</p>", start)]
    assert paragraph.count(sentence) == body.count(sentence)
    assert paragraph.count("<em>lampiran</em>") == body.count("*lampiran*")


def test_a_megabyte_paragraph_full_of_formatting_is_still_refused_at_its_line(
        make_site: Callable[..., Path]) -> None:
    body = "Pembuka.\n\n" + "kata *miring* dan [tautan](https://x.id) " * 30_000
    site = make_site({A: OK + body + "\n"})
    result = build(site)
    assert result.code == 1
    line = result.err.splitlines()[0]
    assert line.startswith(f"{A}:7: error: this paragraph is {len(body) - 10 + 1} characters long, too long to "
                           "convert (at most 100000)"), line
    assert not (site / "public").exists()


def test_ctrl_c_while_the_config_is_read_says_stopped_not_a_traceback(make_site: Callable[..., Path],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The first thing a build does is read ui_language from config.yaml; a Ctrl-C there (it
    happened in the first 60 ms of a real process) printed a traceback."""
    import sitegen.configmemo

    def interrupted(site_dir: Path) -> str | None:
        raise KeyboardInterrupt

    site = make_site({A: OK + "Isi.\n"})
    monkeypatch.setattr(sitegen.configmemo, "ui_language", interrupted)
    try:
        result = build(site)
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C came out of sitegen as a traceback")
    assert (result.code, result.err) == (130, "stopped\n")
    assert not (site / "public").exists()


@pytest.mark.parametrize("alias", ["/%2e%2e/%2e%2e/x/", "/berita/%2E%2E/x/", "/lama%2f..%2fx/", "/x%00y/", "/a%0Ab/",
                                   "/c%3Fd/", "/g%ffh/"])
def test_an_alias_with_dots_or_controls_in_escapes_is_refused(alias: str, make_site: Callable[..., Path]) -> None:
    """Browsers read ``%2e%2e`` as ``..``: such an alias was written as a folder no visitor could
    reach. (Doubled slashes are forgiven: ``//lama///x`` is ``/lama/x/``, see test_safety.)"""
    site = make_site({A: OK.removesuffix("---\n") + f"aliases: [{alias!r}]\n---\nIsi.\n"})
    result = build(site)
    assert result.code == 1, result.err
    assert result.err.splitlines()[0] == (
        f"{A}:4: error: alias '{alias}' is not a path inside this site (write it like /berita/2023/judul-lama/, "
        "without ../, https:// or ?)")
    assert not (site / "public").exists()


@pytest.mark.parametrize(("front", "line"), [
    ("title: Rapat koordinasi\npenanganan banjir\ndate: 2024-05-30\n", 3),  # a title wrapped onto a second line
    ("title: Rapat\ndate: 2024-05-30\nsummary: |\nteks ringkasan\n", 5),  # a block of text not indented
])
def test_a_line_without_key_is_reported_on_that_line_not_the_next(front: str, line: int,
                                                                  make_site: Callable[..., Path]) -> None:
    site = make_site({A: f"---\n{front}---\nIsi.\n"})
    result = build(site)
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(f"{A}:{line}: error: this line does not fit the lines before it ("), \
        result.err
    assert "Traceback" not in result.err


def test_an_alias_copied_from_the_address_bar_is_the_address_a_browser_asks_for(
        make_site: Callable[..., Path]) -> None:
    """``/berita/foto%20rapat/`` is the folder ``foto rapat`` to every web server: the redirect
    page was written into a folder named ``foto%20rapat`` that no request reached."""
    site = make_site({A: OK.removesuffix("---\n") + 'aliases: ["/berita/foto%20rapat/", "/lama/ber%C3%ADta.html"]\n'
                      "---\nIsi.\n"})
    result = build(site)
    assert result.code == 0, result.err
    public = site / "public"
    assert (public / "berita/foto rapat/index.html").is_file()
    assert (public / "lama/ber\u00edta.html").is_file()
    assert not list(public.rglob("*%*"))
    redirects = (public / "_redirects").read_text("utf-8").splitlines()
    assert "/berita/foto%20rapat/ /berita/2024/a/ 301" in redirects
    assert "/lama/ber%C3%ADta.html /berita/2024/a/ 301" in redirects


def test_a_theme_file_saved_with_a_bom_and_crlf_simply_works(make_site: Callable[..., Path]) -> None:
    """A partial saved by a Windows editor (BOM, CRLF): the BOM was copied into <head>, where it
    is text, so browsers and parsers started the body there and every meta tag fell into it."""
    from lxml import html

    from tests.conftest import REPO

    meta = (REPO / "themes/humas/templates/partials/meta.html").read_text("utf-8")
    site = make_site({A: OK + "Isi.\n",
                      "templates/partials/meta.html": ("\ufeff" + meta.replace("\n", "\r\n")).encode("utf-8")})
    result = build(site)
    assert result.code == 0, result.err
    raw = (site / "public/berita/2024/a/index.html").read_bytes()
    assert "\ufeff".encode() not in raw and b"\r" not in raw
    doc = html.fromstring(raw)
    assert doc.xpath("//head/meta[@property='og:title']/@content") == ["Rapat koordinasi"]
    assert not doc.xpath("//body//meta")


def test_a_content_file_whose_name_is_not_utf8_is_named_not_a_template_error(make_site: Callable[..., Path]) -> None:
    """A file copied from an old Windows share keeps its Latin-1 name (b'Rapat-\\xe9.id.md'):
    the build reported "templates: error: template error: 'utf-8' codec can't encode ...",
    naming no file."""
    site = make_site({A: OK + "Isi.\n"})
    assert build(site, "--no-search").code == 0
    before = (site / "public/index.html").read_bytes()
    (site / "content/berita").joinpath(os.fsdecode(b"rapat-\xe9.id.md")).write_text(OK + "Isi.\n", "utf-8")
    folder = (site / "content/berita").joinpath(os.fsdecode(b"arsip-\xe9"))
    folder.mkdir()
    (folder / "rapat.id.md").write_text(OK + "Isi.\n", "utf-8")
    result = run_process("build", "--site", site, "--now", "2026-11-28T12:00:00+07:00", "--no-search")
    assert result.code == 1, result.err
    assert "template" not in result.err and "Traceback" not in result.err
    assert set(result.err.splitlines()) == {
        "content/berita/rapat-\\xe9.id.md: error: the file name is not UTF-8 text, which addresses need "
        "(rename the file with letters, digits and dashes, like rapat-koordinasi.id.md)",
        "content/berita/arsip-\\xe9/rapat.id.md: error: the name of a folder above this file is not UTF-8 text, "
        "which addresses need (rename the folder with letters, digits and dashes, like content/berita/2024/)",
        "2 errors"}
    assert (site / "public/index.html").read_bytes() == before


def test_a_static_file_whose_name_is_not_utf8_is_warned_of_and_not_published(make_site: Callable[..., Path]) -> None:
    """No address reaches it (review): said at the file, and left out; the rest is published."""
    site = make_site({A: OK + "Isi.\n", "static/files/ok.pdf": b"%PDF-1.4\n"})
    (site / "static/files").joinpath(os.fsdecode(b"laporan-\xe9t\xe9.pdf")).write_bytes(b"%PDF-1.4\n")
    result = run_process("build", "--site", site, "--now", "2026-11-28T12:00:00+07:00", "--no-search")
    assert result.code == 0 and "Traceback" not in result.err, result.err
    assert ("static/files/laporan-\\xe9t\\xe9.pdf: warning: the file name is not UTF-8 text, which addresses need "
            "(rename the file with letters, digits and dashes, like laporan-2024.pdf)") in result.err
    assert sorted(os.listdir(site / "public/files")) == ["ok.pdf"]


def test_an_output_or_site_folder_whose_name_is_not_utf8_is_built_and_rolled_back(
        make_site: Callable[..., Path]) -> None:
    """Linux folder names are bytes; one of another encoding (Latin-1 'é', say) made a
    traceback where the output's cache key was made from its name."""
    from tests.conftest import article, run

    site = make_site({"content/berita/2024-05-30-a.id.md": article("Rapat")})
    out = site / os.fsdecode(b"publik-caf\xe9")
    assert build(site, "--no-search", "--output", str(out)).code == 0
    (site / "content/berita/2024-05-30-a.id.md").write_text(article("Rapat", body="Isi baru."), "utf-8")
    assert build(site, "--no-search", "--output", str(out)).code == 0
    assert b"Isi baru." in (out / "berita/2024/a/index.html").read_bytes()
    back = run("rollback", "--site", site, "--output", out)
    assert back.code == 0, back.err
    assert b"Isi baru." not in (out / "berita/2024/a/index.html").read_bytes()
    moved = site.parent / os.fsdecode(b"situs-\xff")
    site.rename(moved)
    again = build(moved, "--no-search")
    assert again.code == 0 and "Traceback" not in again.err, again.err


def test_a_template_whose_name_is_not_utf8_is_named_in_a_warning(make_site: Callable[..., Path]) -> None:
    """No template can extend or include it, and Jinja's cache of compiled templates failed on
    its name with a traceback."""
    from tests.conftest import article

    site = make_site({"content/berita/2024-05-30-a.id.md": article("Rapat"), "templates/.keep": ""})
    (site / "templates" / os.fsdecode(b"samping-\xff.html")).write_text("<p>x</p>", "utf-8")
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert ("templates/samping-\\xff.html: warning: the file name is not UTF-8 text, so no template can name it "
            "(rename the file with letters, digits and dashes, like sidebar.html)") in result.err.splitlines()


def test_a_link_to_a_release_that_is_gone_is_an_error_also_after_a_good_build(
        make_site: Callable[..., Path], tmp_path: Path) -> None:
    """A link whose file was moved or deleted was passed over in silence: a release gone from
    the site with nothing said. Made after a good build, it was not even seen ('nothing
    changed'), nor was a folder linked in since (which is not read, and says so)."""
    from tests.conftest import article

    site = make_site({"content/berita/2024-05-30-a.id.md": article("Rapat")})
    assert build(site, "--no-search").code == 0
    (site / "content/berita/2024-05-31-b.id.md").symlink_to(tmp_path / "dipindahkan.id.md")
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    assert ("content/berita/2024-05-31-b.id.md: error: this link leads to no file (delete the link, or replace it "
            "with the file itself)") in result.err.splitlines(), result.err
    (site / "content/berita/2024-05-31-b.id.md").unlink()
    assert build(site, "--no-search").code == 0
    (tmp_path / "luar").mkdir()
    (site / "content/luar").symlink_to(tmp_path / "luar")
    linked = build(site, "--no-search")
    assert linked.code == 1 and "content/luar: error: this folder is a link and is not read" in linked.err, linked.err


def test_a_release_saved_under_another_ending_is_named_not_skipped_unsaid(make_site: Callable[..., Path]) -> None:
    """Notepad saves "rilis.id.md" as "rilis.id.md.txt", and a Word file dropped in content/
    looks like a release to staff: each was left out of the site with nothing said."""
    from tests.conftest import article

    site = make_site({"content/berita/2024-05-30-a.id.md": article("Rapat"),
                      "content/berita/2024-05-31-rilis.id.md.txt": article("Rilis dari Notepad"),
                      "content/berita/2024-06-01-besar.MD": article("Huruf besar"),
                      "content/berita/2024-06-02-lain.markdown": article("Ejaan lain"),
                      "content/berita/naskah.docx": b"PK\x03\x04",
                      "content/berita/foto.jpg": b"\xff\xd8\xff",
                      "content/berita/catatan.txt": "catatan redaksi"})
    for command in ("build", "check"):
        result = build(site, "--no-search") if command == "build" else run("check", "--site", site)
        assert result.code == 0, result.err
        lines = result.err.splitlines()
        assert ("content/berita/2024-05-31-rilis.id.md.txt: warning: this file is not read: only names ending in "
                ".md are releases (rename it to 2024-05-31-rilis.id.md)") in lines, result.err
        assert ("content/berita/2024-06-01-besar.MD: warning: this file is not read: only names ending in .md are "
                "releases (rename it to 2024-06-01-besar.md)") in lines, result.err
        assert ("content/berita/2024-06-02-lain.markdown: warning: this file is not read: only names ending in .md "
                "are releases (rename it to 2024-06-02-lain.md)") in lines, result.err
        assert ("content/berita/naskah.docx: warning: a word-processor document in content/ is not read (copy its "
                "text into a .md file, or write the release in the desk)") in lines, result.err
        assert "foto.jpg" not in result.err and "catatan" not in result.err  # kept beside them on purpose
    assert (site / "public/berita/2024/a/index.html").is_file()


def test_copies_a_file_manager_or_sync_tool_made_and_names_ending_in_a_space_are_named(
        make_site: Callable[..., Path]) -> None:
    """Audit: "rapat (1).id.md", "rapat - Copy.id.md" and a Dropbox conflicted copy were
    published as more releases, the same one up to four times, with nothing said; a name
    ending in a space or a dot after .md was left out unsaid."""
    from tests.conftest import article

    original = article("Rapat")
    copies = ["rapat (1).id.md", "rapat - Salinan.id.md", "rapat.id - Copy.md",
              "rapat (Budi's conflicted copy 2024-05-30).id.md"]
    site = make_site({"content/berita/rapat.id.md": original, "content/berita/rapat (2024).id.md": original,
                      "content/berita/lain (1).id.md": article("Lain"), "content/berita/spasi.id.md ": original,
                      **{f"content/berita/{name}": original for name in copies}})
    for command in ("build", "check"):
        result = build(site, "--no-search") if command == "build" else run("check", "--site", site)
        assert result.code == 0, result.err
        said = sorted(line.split(": warning: ")[0] for line in result.err.splitlines() if "looks like a copy" in line)
        assert said == sorted(f"content/berita/{name}" for name in copies), result.err
        assert (f"content/berita/{copies[0]}: warning: this looks like a copy of content/berita/rapat.id.md that a "
                "file manager or a sync tool made, and it is published as a release of its own (delete it, or give "
                "it a name of its own if it is another release)") in result.err.splitlines()
        assert ("content/berita/spasi.id.md : warning: this file is not read: its name ends in a space or a dot "
                "after .md (rename it to spasi.id.md)") in result.err.splitlines(), result.err


def test_a_key_yaml_reads_as_no_text_is_named_as_written_at_its_line(make_site: Callable[..., Path]) -> None:
    """'~:' and 'true:' are None and True to YAML: the warning named 'None' and 'True', on no line."""
    site = make_site({"content/berita/2024-05-30-a.id.md":
                      "---\ntitle: Rapat\ndate: 2024-05-30T10:00:00+07:00\n~: x\n123: y\ntrue: z\n---\nIsi.\n"})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    said = [line.split(" (")[0] for line in result.err.splitlines() if "unknown front matter key" in line]
    assert said == [f"content/berita/2024-05-30-a.id.md:{n}: warning: unknown front matter key '{key}' is ignored"
                    for n, key in ((4, "~"), (5, "123"), (6, "true"))], result.err


def test_a_time_written_with_a_dot_is_an_error_not_misread(make_site: Callable[..., Path]) -> None:
    """'12.45', as the site itself shows times: Python read it as 12 hours and 0.45 seconds,
    so an embargo at 12.45 lifted at 12.00, with nothing said."""
    site = make_site({"content/berita/embargo.id.md": "---\ntitle: Embargo\ndate: 2026-11-28 09.00\n"
                                                     "embargo: 2026-11-28T12.45+07:00\n---\nIsi.\n"})
    result = build(site, "--no-search", "--now", "2026-11-28T12:10:00+07:00")
    assert result.code == 1
    assert ("content/berita/embargo.id.md:4: error: 'embargo' '2026-11-28T12.45+07:00' writes the time with a dot, "
            "as the site shows it (write it with a colon: 2026-11-28T12:45+07:00)") in result.err.splitlines()
    assert "content/berita/embargo.id.md:3: error: 'date' '2026-11-28 09.00' writes the time" in result.err
    assert not (site / "public/berita/2026/embargo").exists()


def test_a_title_of_invisible_characters_is_empty(make_site: Callable[..., Path]) -> None:
    """A zero-width space and a direction mark pasted from another program made a heading that
    looks blank, with nothing said."""
    site = make_site({"content/berita/kosong.id.md": '---\ntitle: "\\u200b\\u200e"\n'
                                                    "date: 2024-06-02T10:00:00+07:00\n---\nIsi.\n"})
    result = build(site, "--no-search")
    assert result.code == 1
    assert "content/berita/kosong.id.md:2: error: 'title' is empty (give the title some words)" in result.err


def test_twins_named_in_two_spellings_of_one_letter_are_translations(make_site: Callable[..., Path]) -> None:
    """'kopi-café' saved on a Mac (e and a combining accent) and on Windows (é): the same name
    to the staff who wrote them, two names to sitegen, which linked neither to the other."""
    import unicodedata

    from tests.conftest import article

    nfd, nfc = unicodedata.normalize("NFD", "kopi-café"), unicodedata.normalize("NFC", "kopi-café")
    site = make_site({
        f"content/berita/{nfd}.id.md": article("Kopi", "2024-06-02T10:00:00+07:00"),
        f"content/berita/{nfc}.en.md": article("Coffee", "2024-06-02T10:00:00+07:00"),
        "content/berita/teh.id.md": article("Teh", "2024-06-03T10:00:00+07:00", translation_key=f"teh-{nfd}"),
        "content/berita/tea.en.md": article("Tea", "2024-06-03T10:00:00+07:00", translation_key=f"teh-{nfc}"),
    })
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert "no English" not in result.err and "differ" not in result.err, result.err
    for page, twin in (("berita/2024/kopi-cafe", "en/berita/2024/kopi-cafe/"),
                       ("berita/2024/teh", "en/berita/2024/tea/")):
        assert f'hreflang="en" href="https://humas.example.go.id/{twin}"' in \
            (site / "public" / page / "index.html").read_text("utf-8"), page


def test_a_draft_that_would_take_a_release_s_address_does_not_stop_the_build(make_site: Callable[..., Path]) -> None:
    """The README: a draft never stops the site from rebuilding. One whose slug or translation
    key is a published release's stopped it (exit 1); it is a warning now, an error once the
    draft is built (--drafts) or published."""
    from tests.conftest import article

    site = make_site({"content/berita/rapat.id.md": article("Rapat", "2024-06-02T10:00:00+07:00"),
                      "content/berita/draf.id.md": article("Draf", "2024-06-02T10:00:00+07:00", slug="rapat",
                                                           draft=True),
                      "content/berita/lain.id.md": article("Lain", "2024-06-03T10:00:00+07:00", draft=True,
                                                           translation_key="berita/rapat")})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert "content/berita/draf.id.md:4: warning: /berita/2024/rapat/ is claimed by both" in result.err
    assert ("content/berita/rapat.id.md:1: warning: translation key 'berita/rapat' is already used by "
            "content/berita/lain.id.md") in result.err
    assert "Rapat" in (site / "public/berita/2024/rapat/index.html").read_text("utf-8")
    assert build(site, "--no-search", "--drafts", "--output", str(site / "drafts")).code == 1


def test_an_updated_time_before_the_date_is_warned_of(make_site: Callable[..., Path]) -> None:
    """Written in two time zones (02:00Z and 05:00+09:00 are the same hour's neighbours), the
    release was modified before it was published in JSON-LD and Atom, with nothing said."""
    site = make_site({"content/berita/a.id.md": "---\ntitle: Rapat\ndate: 2026-11-27T02:00:00Z\n"
                                                "updated: 2026-11-27T05:00:00+09:00\n---\nIsi.\n"})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert ("content/berita/a.id.md:4: warning: 'updated' is before 'date': a release changes after it comes out "
            "(check both times, and their time zones)") in result.err.splitlines(), result.err
