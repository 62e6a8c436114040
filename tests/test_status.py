"""``sitegen status``: the embargo and translation desk, in the terminal and as a private report."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from lxml import html

from sitegen.build import Options, prepare
from sitegen.model import Site
from sitegen.status import Missing, missing_translations, span, stale_translations
from tests.conftest import NOW, REPO, SMALL_CONFIG, article, run, write_site

POLICY = SMALL_CONFIG + "translations:\n  require:\n    siaran-pers: [en]\n"


def _breaches(site: Site) -> list[Missing]:
    """The releases ``sitegen check --translations`` fails on: those missing a required language."""
    return [m for m in missing_translations(site) if m.required]


def _at(day: str, time: str = "10:00") -> str:
    return f"2026-{day}T{time}:00+07:00"


DESK_FILES = {
    # eight days old: not recent; the Indonesian source was corrected after the English twin
    "content/siaran-pers/2026-11-20-lama.id.md": article(
        "Rilis Lama", _at("11-20"), updated=_at("11-26", "15:00")),
    "content/siaran-pers/2026-11-20-lama.en.md": article("Old Release", _at("11-20")),
    "content/siaran-pers/2026-11-26-baru.id.md": article("Rilis Baru", _at("11-26")),
    "content/berita/2026-01-10-tua.id.md": article("Berita Tua", _at("01-10", "08:00")),
    "content/siaran-pers/2026-12-01-embargo.id.md": article(
        "Rilis Embargo", _at("11-27", "09:00"), embargo=_at("12-01", "09:00")),
    "content/siaran-pers/2026-12-01-embargo.en.md": article(
        "Embargoed Release", _at("11-27", "09:00"), embargo=_at("12-01", "09:00")),
    "content/berita/2026-12-24-jadwal.id.md": article("Berita Terjadwal", _at("12-24", "08:00")),
    "content/berita/2026-11-27-draf.id.md": article("Berita Draf", _at("11-27"), draft=True),
    # the English twin is only a draft: the release still lacks a publishable translation
    "content/siaran-pers/2026-11-25-kembar.id.md": article("Rilis Kembar", _at("11-25", "14:00")),
    "content/siaran-pers/2026-11-25-kembar.en.md": article("Twin Release", _at("11-25", "14:00"),
                                                           draft=True),
}


@pytest.fixture
def desk_site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", dict(DESK_FILES), POLICY)


def _blocks(out: str) -> dict[str, list[tuple[str, ...]]]:
    """Terminal output → {section title: its rows}; a row is its cells, the file or address last."""
    blocks: dict[str, list[tuple[str, ...]]] = {}
    for chunk in out.strip().split("\n\n")[1:]:
        head, *rest = chunk.split("\n")
        title = head.rsplit(" (", 1)[0]
        pairs = zip(rest[::2], rest[1::2], strict=False)
        rows = [(*cells.strip().split("  "), where.strip()) for cells, where in pairs]
        blocks[title] = rows if rest != ["  none"] else []
        assert head.endswith(f"({len(blocks[title])})")
    return blocks


def test_status_in_the_terminal(desk_site: Path) -> None:
    result = run("status", "--site", desk_site, "--now", NOW)
    assert result.code == 0, result.err
    assert result.out.startswith("Newsroom status at 2026-11-28 12:00 WIB (Asia/Jakarta)")
    blocks = _blocks(result.out)
    assert blocks["Under embargo or scheduled"] == [
        ("2026-12-01 09:00 WIB", "in 2 days 21 hours", "embargo", "en", "Embargoed Release",
         "content/siaran-pers/2026-12-01-embargo.en.md"),
        ("2026-12-01 09:00 WIB", "in 2 days 21 hours", "embargo", "id", "Rilis Embargo",
         "content/siaran-pers/2026-12-01-embargo.id.md"),
        ("2026-12-24 08:00 WIB", "in 25 days 20 hours", "scheduled", "id", "Berita Terjadwal",
         "content/berita/2026-12-24-jadwal.id.md"),
    ]
    assert blocks["Drafts"] == [
        ("id", "Berita Draf", "content/berita/2026-11-27-draf.id.md"),
        ("en", "Twin Release", "content/siaran-pers/2026-11-25-kembar.en.md")]
    assert blocks["Published in the last 7 days"] == [
        ("2026-11-26 10:00 WIB", "2 days 2 hours ago", "id", "Rilis Baru",
         "https://humas.example.go.id/siaran-pers/2026/baru/"),
        ("2026-11-25 14:00 WIB", "2 days 22 hours ago", "id", "Rilis Kembar",
         "https://humas.example.go.id/siaran-pers/2026/kembar/"),
    ]
    assert [row[1:] for row in blocks["Without translation, oldest first"]] == [
        ("en", "Berita Tua", "content/berita/2026-01-10-tua.id.md"),
        # its English version exists, still a draft: said so, so no one writes it a second time
        ("en (required, still a draft)", "Rilis Kembar", "content/siaran-pers/2026-11-25-kembar.id.md"),
        ("en (required)", "Rilis Baru", "content/siaran-pers/2026-11-26-baru.id.md"),
        ("en", "Berita Terjadwal", "content/berita/2026-12-24-jadwal.id.md"),
    ]
    assert blocks["Translations older than their source"] == [
        ("en", "2026-11-20 10:00 WIB", "2026-11-26 15:00 WIB (id, 6 days 5 hours later)",
         "Old Release", "content/siaran-pers/2026-11-20-lama.en.md")]


def test_status_time_moves_with_now(desk_site: Path) -> None:
    """At a later --now the embargo has lifted: the release is public and recent, not waiting."""
    blocks = _blocks(run("status", "--site", desk_site, "--now", _at("12-03", "09:00")).out)
    assert [row[4] for row in blocks["Under embargo or scheduled"]] == ["Berita Terjadwal"]
    recent = blocks["Published in the last 7 days"]
    assert recent[0][:4] == ("2026-12-01 09:00 WIB", "2 days ago", "en", "Embargoed Release")
    # 2026-11-26 10:00 is 6 days 23 hours back, 2026-11-25 14:00 more than 7 days
    assert [row[3] for row in recent[2:]] == ["Rilis Baru"]


def test_status_report_is_private_html(desk_site: Path, tmp_path: Path) -> None:
    report = tmp_path / "desk-report"
    result = run("status", "--site", desk_site, "--now", NOW, "--report", report)
    assert result.code == 0, result.err
    assert f"report written to {report / 'index.html'}" in result.out
    doc = html.fromstring((report / "index.html").read_bytes())
    assert doc.xpath("string(//meta[@name='robots']/@content)") == "noindex, nofollow"

    def rows(key: str) -> list[list[str]]:
        return [[td.text_content() for td in tr.xpath("td")]
                for tr in doc.xpath(f"//section[@id='{key}']//tbody/tr")]

    assert rows("waiting")[0] == ["2026-12-01 09:00 WIB", "in 2 days 21 hours", "embargo", "en",
                                  "Embargoed Release",
                                  "content/siaran-pers/2026-12-01-embargo.en.md"]
    assert [r[1] for r in rows("drafts")] == ["Berita Draf", "Twin Release"]
    assert doc.xpath("//section[@id='recent']//a/@href") == [
        "https://humas.example.go.id/siaran-pers/2026/baru/",
        "https://humas.example.go.id/siaran-pers/2026/kembar/"]
    assert [r[1] for r in rows("missing")] == ["en", "en (required, still a draft)", "en (required)", "en"]
    assert [r[4] for r in rows("stale")] == ["content/siaran-pers/2026-11-20-lama.en.md"]
    assert not (desk_site / "public").exists()  # status builds nothing


def test_status_report_escapes_titles(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"content/berita/x.id.md": article(
        "<script>alert(1)</script> & co", "2026-12-10T08:00:00+07:00")})
    run("status", "--site", site, "--now", NOW, "--report", tmp_path / "r")
    doc = html.fromstring((tmp_path / "r" / "index.html").read_bytes())
    assert not doc.xpath("//script")
    title = doc.xpath("string(//section[@id='waiting']//tbody/tr/td[5])")
    assert title == "<script>alert(1)</script> & co"


@pytest.mark.parametrize("where",
                         ["public", "public/desk", "content/desk", "static", "themes/x", "."])
def test_status_report_refuses_public_and_source_folders(desk_site: Path, where: str) -> None:
    target = desk_site / where
    result = run("status", "--site", desk_site, "--now", NOW, "--report", target)
    assert result.code == 2
    assert "refusing to write the private status report here" in result.err
    assert not (target / "index.html").exists()
    assert result.out == ""  # refused before anything is shown as done


def test_status_report_refuses_configured_output_folder(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"content/berita/x.id.md": article("X")},
                      SMALL_CONFIG + "output_dir: _site\n")
    result = run("status", "--site", site, "--now", NOW, "--report", site / "_site" / "desk")
    assert result.code == 2


def test_status_report_refuses_a_folder_a_build_wrote(tmp_path: Path) -> None:
    """A site built with --output elsewhere is public output too: the report must not replace
    its home page (nor go into any folder inside it)."""
    site = write_site(tmp_path / "site", {"content/berita/x.id.md": article("X", _at("11-20"))})
    elsewhere = tmp_path / "www"
    assert run("build", "--site", site, "--now", NOW, "--output", elsewhere).code == 0
    home = (elsewhere / "index.html").read_bytes()
    for target in (elsewhere, elsewhere / "berita"):
        result = run("status", "--site", site, "--now", NOW, "--report", target)
        assert result.code == 2, result.out
        assert "refusing to write the private status report here" in result.err
    assert (elsewhere / "index.html").read_bytes() == home
    assert not (elsewhere / "berita" / "index.html").read_bytes().count(b"Newsroom status")


def test_missing_translations_oldest_first_by_the_date_shown(tmp_path: Path) -> None:
    """"Oldest first" goes by the release's date, the date the list shows, not by when an
    embargo lets it out."""
    site = write_site(tmp_path / "site", {
        "content/berita/a.id.md": article("Tua Berembargo", _at("11-01", "08:00"), embargo=_at("12-10")),
        "content/berita/b.id.md": article("Lebih Baru", _at("11-15", "08:00"))})
    blocks = _blocks(run("status", "--site", site, "--now", NOW).out)
    assert [row[0] for row in blocks["Without translation, oldest first"]] == [
        "2026-11-01 08:00 WIB", "2026-11-15 08:00 WIB"]


def test_translation_policy_data(desk_site: Path) -> None:
    """What ``sitegen check --translations`` builds on: which releases lack which language."""
    site = prepare(Options(site_dir=desk_site, now=NOW)).site
    missing = {m.first.source: (m.missing, m.required) for m in missing_translations(site)}
    assert missing == {
        "content/berita/2026-01-10-tua.id.md": (("en",), ()),
        "content/siaran-pers/2026-11-25-kembar.id.md": (("en",), ("en",)),
        "content/siaran-pers/2026-11-26-baru.id.md": (("en",), ("en",)),
        "content/berita/2026-12-24-jadwal.id.md": (("en",), ()),
    }
    assert [m.first.source for m in _breaches(site)] == [
        "content/siaran-pers/2026-11-25-kembar.id.md", "content/siaran-pers/2026-11-26-baru.id.md"]


def test_policy_applies_to_english_only_releases(tmp_path: Path) -> None:
    """A release first written in English lacks Indonesian; a policy asking for id catches it."""
    config = SMALL_CONFIG + "translations:\n  require:\n    berita: [id, en]\n"
    site_dir = write_site(tmp_path / "site", {
        "content/berita/a.en.md": article("Only English"),
        "content/berita/b.id.md": article("Dua Bahasa"), "content/berita/b.en.md": article("Both"),
    }, config)
    site = prepare(Options(site_dir=site_dir, now=NOW)).site
    assert [(m.first.source, m.missing, m.required) for m in _breaches(site)] == [
        ("content/berita/a.en.md", ("id",), ("id",))]


def test_translation_updated_after_its_source_is_not_stale(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path / "site", {
        "content/berita/a.id.md": article("A", updated="2024-06-01T10:00:00+07:00"),
        "content/berita/a.en.md": article("A", updated="2024-06-02T10:00:00+07:00"),
        "content/berita/b.id.md": article("B", updated="2024-06-03T10:00:00+07:00"),
        "content/berita/b.en.md": article("B", updated="2024-06-02T10:00:00+07:00"),
    })
    site = prepare(Options(site_dir=site_dir, now=NOW)).site
    assert [(s.translation.source, s.source.source) for s in stale_translations(site)] == [
        ("content/berita/b.en.md", "content/berita/b.id.md")]


def test_status_of_an_empty_site_says_none(tmp_path: Path) -> None:
    result = run("status", "--site", write_site(tmp_path / "site", {}), "--now", NOW)
    assert result.code == 0
    assert all(rows == [] for rows in _blocks(result.out).values())
    assert len(_blocks(result.out)) == 5


@pytest.mark.parametrize(("delta", "words"), [
    (timedelta(seconds=20), "less than a minute"),
    (timedelta(minutes=1), "1 minute"),
    (timedelta(hours=2, minutes=5), "2 hours 5 minutes"),
    (timedelta(days=1, hours=3, minutes=59), "1 day 3 hours"),
    (timedelta(days=400, hours=1), "1 year 35 days"),
    (timedelta(days=-3), "3 days"),
])
def test_span_words(delta: timedelta, words: str) -> None:
    assert span(delta) == words


def test_a_release_dated_after_its_embargo_is_scheduled_not_embargoed(tmp_path: Path) -> None:
    """It goes public at its date, the later moment: the date keeps it back, so it is called
    scheduled, at its date, and check's warning names the date's line, not the embargo's."""
    site = write_site(tmp_path / "site", {"content/berita/2026-11-29-nanti.id.md": article(
        "Berita Nanti", _at("11-29", "08:00"), embargo=_at("11-28", "18:00"))}, SMALL_CONFIG)
    blocks = _blocks(run("status", "--site", site, "--now", NOW).out)
    assert blocks["Under embargo or scheduled"] == [
        ("2026-11-29 08:00 WIB", "in 20 hours", "scheduled", "id", "Berita Nanti",
         "content/berita/2026-11-29-nanti.id.md")]
    checked = run("check", "--site", site, "--now", NOW)
    assert "content/berita/2026-11-29-nanti.id.md:3: warning: it is published at 2026-11-29 08:00 WIB" in checked.err, \
        checked.err


def test_a_file_with_errors_is_named_and_the_rest_of_the_status_still_shown(desk_site: Path) -> None:
    """One release saved half written must not hide every other release from the desk's
    lists: its error is printed (exit status 1) and the lists hold the other files."""
    (desk_site / "content/berita/2026-11-27-rusak.id.md").write_text(
        "---\ntitle: Rusak\ndate: 2026-13-01\n---\nIsi.\n", "utf-8")
    result = run("status", "--site", desk_site, "--now", NOW)
    assert result.code == 1, result.err
    assert "content/berita/2026-11-27-rusak.id.md:3: error: " in result.err
    assert "Traceback" not in result.err
    blocks = _blocks(result.out.split("\n\n1 file with errors")[0])
    assert [row[4] for row in blocks["Under embargo or scheduled"]] == [
        "Embargoed Release", "Rilis Embargo", "Berita Terjadwal"]
    assert "1 file with errors is left out of these lists (see below)" in result.out


def test_a_translation_behind_its_source_s_words_says_so_not_a_time_later(tmp_path: Path) -> None:
    """Made in the desk from an older text of its source (the ``translated_from`` digest), with
    the same date as the source: the row says the source's words changed, not "less than a
    minute later"."""
    site = write_site(tmp_path / "site", {
        "content/berita/2026-11-20-rapat.id.md": article("Rapat", _at("11-20"), body="Isi yang baru."),
        "content/berita/2026-11-20-rapat.en.md": article("Meeting", _at("11-20"), body="The text.",
                                                         translated_from="id:0000000000000000"),
    }, SMALL_CONFIG)
    blocks = _blocks(run("status", "--site", site, "--now", NOW).out)
    (row,) = blocks["Translations older than their source"]
    assert row[2] == "2026-11-20 10:00 WIB (id, its words changed after the translation was made)", row


def test_a_translation_still_being_written_falls_behind_its_source_too(tmp_path: Path) -> None:
    """The desk's "Translate" makes the twin as a draft; when the source changes while it is being
    translated, status (and the desk, from the same facts) says the translation is out of date.
    A draft is the source only of a release with no published version: an English release
    whose Indonesian translation is a newer draft is not behind it."""
    site_dir = write_site(tmp_path / "site", {
        "content/berita/a.id.md": article("A", updated="2024-06-03T10:00:00+07:00"),
        "content/berita/a.en.md": article("A", updated="2024-06-02T10:00:00+07:00", draft=True),
        "content/berita/b.en.md": article("B", updated="2024-06-01T10:00:00+07:00"),
        "content/berita/b.id.md": article("B", updated="2024-06-04T10:00:00+07:00", draft=True),
        "content/berita/c.id.md": article("C", updated="2024-06-03T10:00:00+07:00", draft=True),
        "content/berita/c.en.md": article("C", updated="2024-06-02T10:00:00+07:00", draft=True),
    })
    site = prepare(Options(site_dir=site_dir, now=NOW)).site
    assert [(s.translation.source, s.source.source) for s in stale_translations(site)] == [
        ("content/berita/a.en.md", "content/berita/a.id.md"), ("content/berita/c.en.md", "content/berita/c.id.md")]
    result = run("status", "--site", site_dir, "--now", NOW)
    assert result.code == 0, result.err
    behind = _blocks(result.out)["Translations older than their source"]
    assert sorted(row[-1] for row in behind) == ["content/berita/a.en.md", "content/berita/c.en.md"], behind


def test_a_translation_made_from_an_english_original_falls_behind_it(tmp_path: Path) -> None:
    """The README: a translation made in the desk knows its source whichever language that is.
    An Indonesian translation of an English original (the desk's ``translated_from: en:...``)
    was compared with nothing, and never called out of date; with three languages a Malay
    translation of the English was compared with the Indonesian version."""
    from sitegen.translated import stamp

    original = article("English original", _at("11-01"), body="English text, first version.")
    changed = article("English original", _at("11-01"), body="English text: the figures changed.",
                      updated=_at("11-20"))
    made = stamp("en", original.encode())
    three = SMALL_CONFIG.replace("sections:", "  ms: {name: Bahasa Melayu, locale: ms_MY, title: Laman}\nsections:")
    site = write_site(tmp_path / "site", {
        "content/berita/f.en.md": changed,
        "content/berita/f.id.md": article("Versi Indonesia", _at("11-01"), body="Teks.", translated_from=made),
        "content/berita/x.id.md": article("Asal", _at("11-02"), body="Teks asal.", updated=_at("11-21")),
        "content/berita/x.en.md": original,
        "content/berita/x.ms.md": article("Versi Melayu", _at("11-01"), body="Teks Melayu.", translated_from=made),
        "i18n/ms.yaml": (REPO / "themes/humas/i18n/id.yaml").read_text("utf-8"),
    }, three)
    blocks = _blocks(run("status", "--site", site, "--now", NOW).out)
    rows = blocks["Translations older than their source"]
    said = {row[-1] for row in rows}
    # f.id.md behind its English source; x.ms.md made from x.en.md as it is: not behind the
    # Indonesian version, though that changed later (nor is the English original it names).
    assert said == {"content/berita/f.id.md"}, rows
    (row,) = [row for row in rows if row[-1] == "content/berita/f.id.md"]
    assert "(en, its words changed after the translation was made)" in row[2], row


def test_the_report_says_none_in_its_language_and_names_the_files_left_out(tmp_path: Path) -> None:
    """An empty list said "None" in English in the Indonesian report (``{{ none }}`` is Jinja's
    None, not the text handed to it), and the page had no word of a file with errors that the
    lists leave out, where the terminal says it."""
    site = write_site(tmp_path / "site", {
        "content/berita/2026-11-20-a.id.md": article("Rilis", _at("11-20")),
        "content/berita/2026-11-20-a.en.md": article("Release", _at("11-20")),
        "content/berita/bad.id.md": "---\ntitle: Rusak\ndate: kemarin sore\n---\nIsi.\n",
    }, SMALL_CONFIG + "ui_language: id\n")
    report = tmp_path / "laporan"
    result = run("status", "--site", site, "--now", NOW, "--report", report)
    assert result.code == 1
    doc = html.fromstring((report / "index.html").read_bytes())
    assert doc.get("lang") == "id"
    assert {p.text_content() for p in doc.xpath("//p[@class='empty']")} == {"Tidak ada."}
    said = doc.xpath("string(//section[@id='left-out']/h2)")
    assert said == "1 berkas yang bermasalah tidak dimasukkan ke daftar ini (lihat di bawah)"
    (problem,) = doc.xpath("//section[@id='left-out']//li")
    assert problem.text_content().startswith("content/berita/bad.id.md:3: error: ")


def test_a_desk_translation_corrected_by_hand_with_a_later_updated_time_is_in_date(tmp_path: Path) -> None:
    """The README: correct the translation, then tick the box in the desk, or give it an
    ``updated:`` time as well. A translation the desk made (its ``translated_from`` digest of an
    older source) stayed "older than its source" though corrected with an ``updated:`` after the
    source's."""
    source = "content/berita/2026-11-01-a.id.md"
    files = {source: article("Sumber A", _at("11-01"), body="Isi yang baru.", updated=_at("11-10")),
             "content/berita/2026-11-01-a.en.md": article("Source A", _at("11-01"), body="Corrected.",
                                                         translated_from="id:0000000000000000",
                                                         updated=_at("11-12"))}
    site = write_site(tmp_path / "site", files, SMALL_CONFIG)
    assert _blocks(run("status", "--site", site, "--now", NOW).out).get("Translations older than their source") == []
    # an updated: time before the source's change does not correct it
    (site / "content/berita/2026-11-01-a.en.md").write_text(article(
        "Source A", _at("11-01"), body="Old.", translated_from="id:0000000000000000", updated=_at("11-05")), "utf-8")
    assert len(_blocks(run("status", "--site", site, "--now", NOW).out)["Translations older than their source"]) == 1


def test_the_report_is_written_also_when_the_reader_of_the_terminal_stops(make_site) -> None:  # type: ignore[no-untyped-def]
    """README: 'sitegen status --report ../laporan' also writes a private web page, and with
    '| head' sitegen stops quietly (141). The lists were printed first, and a reader gone
    before the end stopped sitegen before it wrote the report."""
    import subprocess
    import sys

    from tests.conftest import article

    site = make_site({f"content/berita/2026-12-{1 + n % 28:02d}-terjadwal-{n}.id.md":
                      article(f"Rilis terjadwal nomor {n} dengan judul yang cukup panjang",
                              f"2026-12-{1 + n % 28:02d}T10:00:00+07:00") for n in range(300)})
    report = site.parent / "laporan"
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "status", "--site", str(site), "--now",
                             "2026-11-28T12:00:00+07:00", "--report", str(report)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as head does once it has its lines
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert "Traceback" not in err
    assert "Rilis terjadwal nomor 299" in (report / "index.html").read_text("utf-8")


def test_a_draft_left_out_for_its_errors_is_still_listed_among_the_drafts(make_site) -> None:  # type: ignore[no-untyped-def]
    """A draft saved half written (its photo not uploaded yet, its date half typed) is left out
    of the site with a warning, and was then in no list of status, terminal or report."""
    from tests.conftest import article

    site = make_site({
        "content/berita/draf1.id.md": article("Draf Foto Hilang", "2026-11-24T09:00:00+07:00", draft=True,
                                              image="/images/belum-diunggah.jpg", image_alt="Foto"),
        "content/berita/draf2.id.md": "---\ntitle: Draf Tanggal Salah\ndate: kemarin\ndraft: true\n---\nIsi.\n",
        "content/berita/draf3.id.md": article("Draf Baik", "2026-11-24T09:00:00+07:00", draft=True),
        "content/berita/publik.id.md": article("Publik", "2026-11-24T09:00:00+07:00"),
    })
    report = site.parent / "laporan"
    result = run("status", "--site", site, "--now", "2026-11-25T09:00:00+07:00", "--report", report)
    assert result.code == 0, result.err
    drafts = result.out.split("Drafts (", 1)[1].split("\n\n", 1)[0]
    assert drafts.startswith("3)"), result.out
    for title, file in (("Draf Foto Hilang (left out for its errors)", "content/berita/draf1.id.md"),
                        ("Draf Tanggal Salah (left out for its errors)", "content/berita/draf2.id.md"),
                        ("Draf Baik", "content/berita/draf3.id.md")):
        assert title in drafts and file in drafts, drafts
    shown = (report / "index.html").read_text("utf-8")
    assert "Draf Foto Hilang" in shown and "Draf Tanggal Salah" in shown


def test_the_report_page_is_valid_whatever_the_clock_and_the_titles(tmp_path: Path) -> None:
    """The report (checked from outside): a clock with microseconds made an invalid <time>; a
    title written as a web address became a link (one with spaces an invalid one); a draft left
    out for its errors was listed by its raw title, control characters and all, and the report
    never said why it was left out, as the terminal does; a year was 365 days, so a span across
    29 February read "1 year 1 day"."""
    site = write_site(tmp_path / "site", {
        "content/berita/2026-11-26-alamat.id.md": article("https://lapor.go.id kini menerima aduan <24 jam>",
                                                          "2026-11-26T10:00:00+07:00"),
        "content/berita/2026-11-27-rusak.id.md": article("Draf \x1b[31mMERAH\x1b[0m bel\x07",
                                                         "2026-11-27T10:00:00+07:00", draft=True,
                                                         image="/img/tidak-ada.jpg", image_alt="Foto",
                                                         image_credit="Humas"),
        "content/berita/2027-05-30-baru.id.md": article("Baru", "2027-05-30T09:00:00+07:00"),
        "content/berita/2028-06-01-jauh.id.md": article("Jauh", "2027-05-01T09:00:00+07:00",
                                                        embargo="2028-06-01T09:00:00+07:00"),
    })
    result = run("status", "--site", site, "--now", "2027-06-01T08:59:59.123456+07:00",
                 "--report", tmp_path / "r")
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "Draf [31mMERAH[0m bel (left out for its errors)" in result.out, result.out
    assert "in 1 year" in result.out and "in 1 year 1 day" not in result.out, result.out
    doc = html.fromstring((tmp_path / "r" / "index.html").read_bytes())
    assert doc.xpath("string(//time/@datetime)") == "2027-06-01T08:59:59+07:00"
    assert not [a for a in doc.xpath("//a/@href") if "lapor.go.id" in a]
    assert doc.xpath("//td[starts-with(., 'https://lapor.go.id kini')]")
    assert any(address.startswith("https://humas.example.go.id/") for address in doc.xpath("//a/@href"))
    said = doc.xpath("string(//section[@id='left-out'])")
    assert "2026-11-27-rusak.id.md" in said and "tidak-ada.jpg" in said, said
