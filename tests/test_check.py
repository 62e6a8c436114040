"""``sitegen check``: every problem a build would hit, broken links, missing translations and
embargoes about to lift, with nothing written to the site folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import NOW, SMALL_CONFIG, Run, article, run

POLICY = SMALL_CONFIG + "translations:\n  require:\n    berita: [en]\n"


def check(site: Path, *extra: str) -> Run:
    return run("check", "--site", site, "--now", NOW, *extra)


def lines(result: Run, kind: str) -> list[str]:
    return [x for x in result.err.splitlines() if f": {kind}: " in x]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*")}


def bilingual() -> dict[str, str | bytes]:
    return {
        "content/berita/2024-05-30-rapat.id.md": article(
            "Rapat", body="Lihat [berita](/en/berita/2024/rapat/), [PDF](/files/rilis.pdf), "
            "[daftar](/berita) dan [tentang](/tentang/#tim)."),
        "content/berita/2024-05-30-rapat.en.md": article("Meeting", body="See [home](/en/)."),
        "content/pages/tentang.id.md": article("Tentang", date="", body="Kami."),
        "content/pages/tentang.en.md": article("About", date="", body="Us."),
        "static/files/rilis.pdf": b"%PDF-1.4\n",
        "static/favicon.ico": b"\0",  # the theme links it; the site must provide it
    }


def test_a_sound_site_passes_and_nothing_is_written(make_site: Callable[..., Path]) -> None:
    site = make_site(bilingual())
    before = snapshot(site)
    result = check(site)
    assert lines(result, "error") == [] and lines(result, "warning") == [], result.err
    assert snapshot(site) == before  # no output folder, no .sitegen-cache


def _dead_link(source: str, line: int, link: str) -> str:
    """check's error for a link, written on ``line`` of ``source``, that leads nowhere."""
    return (f"{source}:{line}: error: the link {link} leads to no page or file of this site "
            "(check the address; pages end in /)")


def test_broken_links_are_reported_where_they_were_written(make_site: Callable[..., Path]) -> None:
    files = bilingual()
    files["content/berita/2024-05-30-rapat.id.md"] = article(
        "Rapat", body="Paragraf satu.\n\nLihat [lama](/berita/2023/hilang/) dan [berkas](/files/x.pdf).")
    site = make_site(files)
    result = check(site)
    assert result.code == 1
    source = "content/berita/2024-05-30-rapat.id.md"
    assert lines(result, "error") == [_dead_link(source, 7, "/berita/2023/hilang/"),
                                      _dead_link(source, 7, "/files/x.pdf")]


def test_a_broken_link_written_with_character_codes_is_reported_at_its_line(
        make_site: Callable[..., Path]) -> None:
    """``&#47;files/x.pdf`` is ``/files/x.pdf`` to a browser: the line that writes it is named."""
    files = bilingual()
    files["content/berita/2024-05-30-rapat.id.md"] = article(
        "Rapat", body="Paragraf satu.\n\nLihat [berkas](&#47;files/tidak.pdf) dan "
        '<a href="&#x2F;berita&#x2F;hilang/">lama</a>.')
    site = make_site(files)
    result = check(site)
    assert result.code == 1
    source = "content/berita/2024-05-30-rapat.id.md"
    found = lines(result, "error")
    assert len(found) == 2 and all(line.startswith(f"{source}:7: error: the link ") for line in found), result.err


def test_relative_links_are_checked_as_a_browser_would_follow_them(make_site: Callable[..., Path]) -> None:
    """Internal links written relative to the page (../rapat/, lampiran.pdf) are links too."""
    files = bilingual()
    files["content/berita/2024-05-30-rapat.en.md"] = article(
        "Meeting", body="See [the other](../hilang/), [file](lampiran.pdf), [us](../../../about/), "
        "[top](#top) and [mail](mailto:humas@example.go.id).")
    files["content/pages/about.en.md"] = article("About", date="", body="Us.")
    site = make_site(files)
    result = check(site)
    assert result.code == 1
    source = "content/berita/2024-05-30-rapat.en.md"
    assert lines(result, "error") == [_dead_link(source, 5, "../hilang/"), _dead_link(source, 5, "lampiran.pdf")]


def test_a_template_error_is_reported_with_its_line(make_site: Callable[..., Path]) -> None:
    files = bilingual()
    files["templates/page.html"] = ('{% extends "base.html" %}\n{% block main %}\n'
                                    "{{ page.no_such_field.upper() }}\n{% endblock %}\n")
    site = make_site(files)
    result = check(site)
    assert result.code == 1
    found = lines(result, "error")
    assert found and all(x.startswith("templates/page.html:3: error: template error: ") for x in found)


def test_missing_translations_warn_and_the_policy_makes_them_errors(
        make_site: Callable[..., Path]) -> None:
    files = bilingual()
    del files["content/berita/2024-05-30-rapat.en.md"]
    files["content/berita/2024-05-30-rapat.id.md"] = article("Rapat")
    site = make_site(files, config=POLICY)
    expected = ("content/berita/2024-05-30-rapat.id.md:2: {}: there is no English (en) version of "
                "this article (add content/berita/2024-05-30-rapat.en.md)")
    relaxed = check(site)
    assert lines(relaxed, "warning") == [expected.format("warning")]
    assert lines(relaxed, "error") == []
    strict = check(site, "--translations")
    assert strict.code == 1
    assert lines(strict, "error") == [expected.format("error")]


def test_a_policy_for_a_section_the_site_does_not_have_is_reported(make_site: Callable[..., Path]) -> None:
    """A misspelt section in translations.require would leave its releases outside the policy."""
    config = SMALL_CONFIG + "translations:\n  require:\n    berita: [en]\n    beritaa: [en]\n    rilis: [en]\n"
    site = make_site(bilingual(), config=config)
    relaxed = check(site)
    assert relaxed.code == 0
    assert lines(relaxed, "warning") == [
        "config.yaml:13: warning: translations.require names the section 'beritaa', which has no folder in "
        "content/ (did you mean 'berita'?)",
        "config.yaml:14: warning: translations.require names the section 'rilis', which has no folder in "
        "content/ (the sections are the folders of content/: berita, pages)"]
    strict = check(site, "--translations")
    # a mistake in config.yaml: the usage-or-config status, as every other one has
    assert strict.code == 2 and len(lines(strict, "error")) == 2
    files = bilingual()
    del files["content/berita/2024-05-30-rapat.en.md"]
    both = check(make_site(files, config=config, name="both"), "--translations")
    assert both.code == 2  # the content's errors are said too
    assert [x for x in lines(both, "error") if "there is no English (en) version" in x] == [
        "content/berita/2024-05-30-rapat.id.md:2: error: there is no English (en) version of this article "
        "(add content/berita/2024-05-30-rapat.en.md)"]
    # a section named under sections: but without releases yet is a plan, not a mistake
    planned = config.replace("  berita: {id: Berita, en: News}\n",
                             "  berita: {id: Berita, en: News}\n  rilis: {id: Rilis, en: Releases}\n")
    site = make_site(bilingual(), config=planned, name="planned")
    assert [x for x in lines(check(site, "--translations"), "error") if "rilis" in x] == []


def test_an_embargo_lifting_within_a_day_is_a_warning(make_site: Callable[..., Path]) -> None:
    files = bilingual()
    for name, lifts in (("besok", "2026-11-29T09:30:00+07:00"), ("lusa", "2026-12-01T09:00:00+07:00")):
        for lang in ("id", "en"):
            files[f"content/berita/2024-06-01-{name}.{lang}.md"] = article(
                f"Embargo {name}", embargo=lifts)
    site = make_site(files)
    result = check(site)
    assert lines(result, "warning") == [
        f"content/berita/2024-06-01-besok.{lang}.md:4: warning: the embargo lifts at "
        "2026-11-29 09:30 WIB, in 21 h 30 min (make sure it is final)" for lang in ("en", "id")]


def test_content_and_config_errors_use_their_exit_status(make_site: Callable[..., Path]) -> None:
    files = bilingual()
    files["content/berita/2024-05-30-rapat.en.md"] = "---\ntitle: [oops\n---\nText.\n"
    site = make_site(files)
    broken_content = check(site)
    assert broken_content.code == 1
    assert "content/berita/2024-05-30-rapat.en.md:" in broken_content.err

    site = make_site(bilingual(), config=SMALL_CONFIG + "paginat: 3\n", name="badconfig")
    broken_config = check(site)
    assert broken_config.code == 2
    assert "config.yaml:10: error: unknown key 'paginat'" in broken_config.err
    assert not (site / ".sitegen-cache").exists()


def test_the_bundled_site_checks_clean_of_errors(bundled_site: Path) -> None:
    before = snapshot(bundled_site)
    result = check(bundled_site)
    assert lines(result, "error") == [], result.err
    assert snapshot(bundled_site) == before


def test_an_empty_summary_without_a_summary_key_is_warned_of_at_the_title(make_site: Callable[..., Path]) -> None:
    """A release with neither ``summary:`` nor a paragraph to take one from: the warning has a
    line in the front matter (the title's) to go to, as every diagnostic has where it can."""
    text = "---\ntitle: Rapat\ndate: 2024-05-30T10:00:00+07:00\n---\n## Hanya judul\n"
    result = check(make_site({"content/berita/a.id.md": text}))
    assert [w for w in lines(result, "warning") if "summary" in w] == [
        "content/berita/a.id.md:2: warning: the summary is empty (write one or two sentences after  summary:, or "
        "start the text with a paragraph)"]


def test_a_release_with_errors_does_not_hide_the_other_pages_broken_links(make_site: Callable[..., Path]) -> None:
    """Every problem of the run at once: the release with an error is left out, the other
    pages are still rendered and their links checked; its twin is not called missing."""
    files = bilingual()
    files["content/berita/2024-05-30-rapat.id.md"] = article(
        "Rapat", body="Paragraf satu.\n\nLihat [lama](/berita/2023/hilang/).")
    files["content/berita/2024-05-30-rapat.en.md"] = "---\ntitle: Meeting\ndate: 2024-13-01\n---\nSee.\n"
    site = make_site(files)
    result = check(site)
    assert result.code == 1, result.err
    errors = lines(result, "error")
    assert errors[0].startswith("content/berita/2024-05-30-rapat.en.md:3: error: ")
    source = "content/berita/2024-05-30-rapat.id.md"
    assert errors[1].startswith(f"{source}:7: error: the link /berita/2023/hilang/ leads to no page or file of "
                                "this site (check the address; pages end in /; or it leads to a release with errors")
    assert len(errors) == 2, result.err
    assert not [w for w in lines(result, "warning") if "English (en) version" in w], result.err
    assert result.err.splitlines()[-1].startswith("2 errors")


def test_a_release_with_errors_has_the_links_of_its_text_checked_in_the_same_run(
        make_site: Callable[..., Path]) -> None:
    """A missing photo left the release out of the site, and with it the check of its text's
    links: the broken link was said only once the photo was fixed."""
    files = bilingual()
    files["content/berita/2024-05-30-rapat.id.md"] = article(
        "Rapat", body="Lihat [lama](/berita/2023/hilang/) dan [beranda](/).", image="/images/tidak-ada.jpg",
        image_alt="Foto")
    site = make_site(files)
    result = check(site)
    assert result.code == 1, result.err
    source = "content/berita/2024-05-30-rapat.id.md"
    errors = lines(result, "error")
    assert any(e.startswith(f"{source}:") and "tidak-ada.jpg" in e for e in errors), result.err
    assert [e for e in errors if "/berita/2023/hilang/" in e] == [
        f"{source}:7: error: the link /berita/2023/hilang/ leads to no page or file of this site (check the address; "
        "pages end in /; or it leads to a release with errors, which is not published until they are fixed)"]
    assert len(errors) == 2, result.err


def test_a_text_too_costly_or_too_deep_to_convert_is_not_converted_for_its_links(
        make_site: Callable[..., Path]) -> None:
    """A release left out because its text cannot be converted (too many unclosed brackets,
    HTML blocks nested too deeply) had its text converted all the same for the link check:
    minutes of work, or a RecursionError's traceback. Its own error is what is said."""
    files = bilingual()
    files["content/berita/mahal.id.md"] = article("Mahal", body="[" * 600 + " [lama](/hilang/)")
    files["content/berita/dalam.id.md"] = article(
        "Dalam", body='<div markdown="1">\n' * 400 + "Lihat [lama](/hilang-juga/).\n" + "</div>\n" * 400)
    site = make_site(files)
    result = check(site)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert "too many to convert" in result.err and "nested too deeply" in result.err, result.err
    assert "/hilang/" not in result.err and "/hilang-juga/" not in result.err


def test_a_damaged_text_cache_does_not_stop_check(make_site: Callable[..., Path]) -> None:
    """The texts a build keeps in .sitegen-cache/ cannot be read (a damaged file; a read-only or
    full disk answers the same): check reads every file anew, as it would without the cache."""
    site = make_site(bilingual())
    assert run("build", "--site", site, "--now", NOW).code == 0
    (site / ".sitegen-cache" / "bodies.sqlite").write_bytes(b"not a database " * 400)
    result = check(site)
    assert "Traceback" not in result.err, result.err
    assert result.code == 0, result.err
    assert lines(result, "error") == []


def test_a_lead_photo_without_its_credit_is_warned_of_at_its_line(make_site: Callable[..., Path]) -> None:
    """The desk asks for the credit when a photo is uploaded, and the page, JSON-LD and feeds show
    it; one emptied afterwards (or never written) is told of, as a warning."""
    from tests.conftest import photo_file

    site = make_site({"content/berita/2024-05-30-a.id.md": article(
                          "Rapat", summary="Rapat.", image="/images/a.jpg", image_alt="Rapat di aula"),
                      "content/berita/2024-05-31-b.id.md": article(
                          "Kedua", summary="Kedua.", image="/images/a.jpg", image_alt="Rapat di aula",
                          image_credit="Humas"),
                      "static/images/a.jpg": photo_file()})
    result = check(site)
    assert [x for x in lines(result, "warning") if "credit" in x] == [
        "content/berita/2024-05-30-a.id.md:5: warning: the lead photo has no credit (name who took it after  "
        "image_credit:  readers see it beside the photo)"], result.err


def test_a_broken_template_or_ui_string_does_not_hide_the_other_problems(make_site: Callable[..., Path]) -> None:
    """check prints every problem: a slip in the UI strings or a string a template asks for
    that no language has is said once, and the broken links and missing translations still
    are (the links of a release whose page the template stops are read from its text)."""
    from tests.conftest import REPO

    files = bilingual()
    files["content/berita/2024-05-30-rapat.id.md"] = article("Rapat", body="Lihat [lama](/berita/2023/hilang/).")
    files["content/berita/2024-06-01-khusus.id.md"] = article("Khusus", "2024-06-01T10:00:00+07:00")
    dead = _dead_link("content/berita/2024-05-30-rapat.id.md", 5, "/berita/2023/hilang/")
    missing = "content/berita/2024-06-01-khusus.id.md:2: warning: there is no English (en) version of this article"
    strings = dict(files, **{"i18n/id.yaml": 'home: "Beranda\n'})
    result = check(make_site(strings, name="strings"))
    assert result.code == 1
    assert lines(result, "error") == [dead, "i18n/id.yaml:1: error: a quote opened on this line is never closed "
                                            "(close it at the end of the value, or remove it)"], result.err
    assert [x for x in lines(result, "warning") if x.startswith(missing)], result.err
    article_html = (REPO / "themes/humas/templates/article.html").read_text("utf-8")
    asked = dict(files, **{"templates/article.html": article_html.replace(
        "<h1>{{ entry.title }}</h1>", '<h1>{{ t("kunci_tidak_ada") }}</h1>')})
    result = check(make_site(asked, name="asked"))
    said = lines(result, "error")
    assert dead in said and [x for x in said if "UI string 'kunci_tidak_ada' is missing for language 'id'" in x]
    assert len(said) == 3, result.err  # each language's missing string once, not once per page
    assert [x for x in lines(result, "warning") if x.startswith(missing)], result.err


def test_a_missing_photo_in_the_text_is_one_error_in_check_as_in_build(make_site: Callable[..., Path]) -> None:
    """check said it twice: as the missing file, and as a link that leads nowhere (the build
    said it once); a broken link beside it is still said."""
    from tests.conftest import run

    site = make_site({"content/berita/h.id.md": "---\ntitle: Foto hilang\ndate: 2024-05-30T10:00:00+07:00\n---\n"
                                                "Isi [lihat](/tidak/ada/).\n\n![Peserta rapat](/images/rapat.jpg)\n"})
    result = run("check", "--site", site)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 2, result.err
    assert errors[0].startswith("content/berita/h.id.md:5: error: the link /tidak/ada/ leads to no page"), result.err
    assert errors[1].startswith("content/berita/h.id.md:7: error: the file '/images/rapat.jpg' does not exist")


def test_check_follows_the_links_of_releases_still_under_embargo(make_site: Callable[..., Path]) -> None:
    """check said only 'make sure it is final' of a release under embargo, and its broken link
    came up once the embargo had lifted. A link to another release or a file still waiting
    leads to what will be there: not an error."""
    from tests.conftest import run

    waiting = "date: 2026-12-01T10:00:00+07:00\nembargo: 2026-12-09T05:00:00+07:00\n"
    site = make_site({
        "content/berita/a.id.md": f"---\ntitle: Rilis Embargo\n{waiting}attachments: [/files/data.pdf]\n---\n"
                                  "Baca [rilis lama](/berita/2024/tidak-ada/), [rilis kedua](/berita/2026/b/) "
                                  "dan [datanya](/files/data.pdf).\n",
        "content/berita/b.id.md": f"---\ntitle: Rilis Kedua\n{waiting}---\nIsi.\n",
        "static/files/data.pdf": b"%PDF-1.4\n%%EOF\n",
    })
    result = run("check", "--site", site, "--now", "2026-12-08T06:00:00+07:00")
    assert result.code == 1, result.err
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert errors == ["content/berita/a.id.md:7: error: the link /berita/2024/tidak-ada/ leads to no page or file of "
                      "this site (check the address; pages end in /)"], result.err


def test_check_refuses_the_output_folder_the_build_would_refuse(make_site: Callable[..., Path]) -> None:
    """Audit: with ``output_dir: .`` build stopped with a config error (exit 2) and check
    said nothing and exited 0."""
    site = make_site(bilingual(), SMALL_CONFIG + "output_dir: .\n")
    result = check(site)
    assert result.code == 2, result.err
    assert lines(result, "error") == [
        "config.yaml:10: error: 'output_dir' is '.': refusing to write to output folder: it is the site folder or "
        "contains it (set  output_dir:  to an empty or new folder, or give one with --output)"]


def test_two_releases_claiming_one_address_are_said_as_the_build_says_them(make_site: Callable[..., Path]) -> None:
    """Audit: check added a third error, with no line, for the clash of their pages (and one for
    their social cards) after the two that name the slug's line, as the build does."""
    from tests.conftest import build

    files = {f"content/berita/{name}.id.md": article(name.title(), date="2024-06-01T10:00:00+07:00", slug="rapat-x")
             for name in ("baru", "dua")}
    site = make_site(files)  # social cards on: each has one, at the same address too
    built = build(site, "--no-search")
    checked = check(site)
    assert built.code == checked.code == 1
    assert lines(checked, "error") == [line for line in built.err.splitlines() if ": error: " in line]
    assert len(lines(checked, "error")) == 2, checked.err
