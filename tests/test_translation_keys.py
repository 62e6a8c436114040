"""A ``translation_key:`` that no other release shares links nothing: a typo that leaves two
language versions apart is said at the key's line by build, check, serve's rebuilds and the
desk, naming the release it likely meant, and the release is built all the same. A key pinned
after a rename, with no such release near it, is quiet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from sitegen import versions
from sitegen.build import Options, State, prepare
from sitegen.desk.checking import examine
from tests.conftest import NOW, SMALL_CONFIG, article, build, page, run

RAPAT = "content/berita/rapat.id.md"
MEETING = "content/berita/meeting.en.md"
#: the line of translation_key: in a file made by article("...", translation_key=...)
KEY_LINE = 4


def typo() -> dict[str, str | bytes]:
    """Two versions of one release meant to share a key, one of them misspelt."""
    return {RAPAT: article("Rapat", translation_key="rapat-2024"),
            MEETING: article("Meeting", translation_key="rapat-2042")}


def key_warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": warning: translation_key '" in line]


def test_a_key_no_other_release_shares_is_a_warning_at_its_line_and_the_release_is_built(
        make_site: Callable[..., Path]) -> None:
    site = make_site(typo())
    result = build(site)
    assert result.code == 0, result.err
    assert key_warnings(result.err) == [
        f"{MEETING}:{KEY_LINE}: warning: translation_key 'rapat-2042' matches no other release (did you mean "
        f"'rapat-2024' ({RAPAT})? to link them, write the same  translation_key:  in both, like  "
        f"translation_key: rapat-2024  in {MEETING})",
        f"{RAPAT}:{KEY_LINE}: warning: translation_key 'rapat-2024' matches no other release (did you mean "
        f"'rapat-2042' ({MEETING})? to link them, write the same  translation_key:  in both, like  "
        f"translation_key: rapat-2042  in {RAPAT})",
    ]
    assert page(site, "/berita/2024/rapat/").xpath("string(//h1)").strip() == "Rapat"


def test_check_says_it_too(make_site: Callable[..., Path]) -> None:
    site = make_site(typo())
    result = run("check", "--site", site, "--now", NOW)
    assert result.code == 0, result.err
    assert [line.split(": warning: ")[0] for line in key_warnings(result.err)] == [
        f"{MEETING}:{KEY_LINE}", f"{RAPAT}:{KEY_LINE}"]


def test_a_bare_name_beside_a_file_without_the_line_is_the_trap_it_catches(make_site: Callable[..., Path]) -> None:
    """``translation_key: tentang`` beside ``tentang.id.md`` without the line: that file's key is
    pages/tentang, so the two pages are not linked; the warning names that file and its key."""
    site = make_site({"content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nIsi.\n",
                      "content/pages/about.en.md": "---\ntitle: About Us\ntranslation_key: tentang\n---\nText.\n"})
    result = build(site)
    assert result.code == 0, result.err
    assert key_warnings(result.err) == [
        "content/pages/about.en.md:3: warning: translation_key 'tentang' matches no other release (did you mean "
        "'pages/tentang' (content/pages/tentang.id.md)? to link them, write the same  translation_key:  in both, "
        "like  translation_key: pages/tentang  in content/pages/about.en.md)"]


@pytest.mark.parametrize("files", [
    # linked: both files say the key
    {RAPAT: article("Rapat", translation_key="rapat-2024"), MEETING: article("Meeting", translation_key="rapat-2024")},
    # linked: the key is the other file's own (its folder and name)
    {RAPAT: article("Rapat"), MEETING: article("Meeting", translation_key="berita/rapat")},
    # linked to a translation still in draft, or under embargo: not public, but there
    {RAPAT: article("Rapat", translation_key="rapat-2024"),
     MEETING: article("Meeting", translation_key="rapat-2024", draft=True)},
    {RAPAT: article("Rapat", translation_key="rapat-2024"),
     MEETING: article("Meeting", translation_key="rapat-2024", embargo="2030-01-01T00:00:00+07:00")},
    # the file's own key, as `sitegen new --translations` writes it: the twin not written yet
    # (or deleted) is a missing translation, which check and status report, not a typo
    {RAPAT: article("Rapat", translation_key="berita/rapat")},
], ids=["shared", "other-files-own-key", "draft-twin", "embargoed-twin", "own-key-alone"])
def test_a_key_that_links_or_names_the_file_itself_is_quiet(files: dict[str, str | bytes],
                                                              make_site: Callable[..., Path]) -> None:
    result = build(make_site(files))
    assert result.code == 0, result.err
    assert key_warnings(result.err) == []


#: a release in both languages, linked: never what a lone key meant
LINKED = {"content/berita/banjir.id.md": article("Banjir", translation_key="banjir-2024"),
          "content/berita/flood.en.md": article("Flood", translation_key="banjir-2024")}
#: an English release without an Indonesian version, in the same month, of another name
ENGLISH_ONLY = {"content/berita/press-tour.en.md": article("Press tour")}
PINNED = "content/berita/rapat-baru.id.md"


@pytest.mark.parametrize("files", [
    # renamed from rapat-lama.id.md, its old key pinned so its feed guid stays; no English version
    {PINNED: article("Rapat baru", translation_key="rapat-lama"), **LINKED, **ENGLISH_ONLY},
    # its old own key (folder and name), written in full
    {PINNED: article("Rapat baru", translation_key="berita/rapat-lama"), **LINKED, **ENGLISH_ONLY},
    # an English release whose key is close to it, but a year older: a yearly event, not its version
    {"content/berita/pajak.id.md": article("Sosialisasi", translation_key="sosialisasi-pajak-2024"),
     "content/berita/sosialisasi-pajak-2023.en.md": article("Tax", date="2023-05-30T10:00:00+07:00")},
], ids=["pinned-bare", "pinned-own-key", "close-but-a-year-apart"])
def test_a_pinned_key_with_no_release_it_may_have_meant_is_quiet(files: dict[str, str | bytes],
                                                                 make_site: Callable[..., Path]) -> None:
    site = make_site(files)
    result = build(site)
    assert result.code == 0, result.err
    assert key_warnings(result.err) == []
    checked = run("check", "--site", site, "--now", NOW)
    assert key_warnings(checked.err) == []
    lone = next(iter(files))
    examined = examine(prepare(Options(site_dir=site, now=NOW, search=False)), site, lone, (site / lone).read_bytes())
    assert [f for f in examined.findings if "translation_key '" in f.diagnostic.message] == []


@pytest.mark.parametrize(("files", "meant"), [
    # one letter off the other release's own key (folder and name), written in full
    ({"content/berita/rapat-koordinasi.id.md": article("Rapat", translation_key="berita/rapta"),
      "content/berita/rapat.en.md": article("Meeting"), **LINKED, **ENGLISH_ONLY},
     "'berita/rapat' (content/berita/rapat.en.md)"),
    # one letter off another release's own key, written bare
    ({"content/berita/rapat-koordinasi.id.md": article("Rapat", translation_key="rapat-inflsi"),
      "content/berita/rapat-inflasi.en.md": article("Meeting"), **LINKED, **ENGLISH_ONLY},
     "'berita/rapat-inflasi' (content/berita/rapat-inflasi.en.md)"),
    # a key unlike any, but the English file of the same name is there, unlinked
    ({"content/berita/rapat-koordinasi.id.md": article("Rapat", translation_key="x1"),
      "content/berita/rapat-koordinasi.en.md": article("Meeting"), **LINKED, **ENGLISH_ONLY},
     "'berita/rapat-koordinasi' (content/berita/rapat-koordinasi.en.md)"),
    # the key names a file (as it was before a rename) whose English version kept the old name
    ({"content/berita/rapat-koordinasi.id.md": article("Rapat", translation_key="rapat-lama"),
      "content/berita/rapat-lama.en.md": article("Meeting"), **LINKED, **ENGLISH_ONLY},
     "'berita/rapat-lama' (content/berita/rapat-lama.en.md)"),
    # an English release with the same slug
    ({"content/berita/rapat-koordinasi.id.md": article("Rapat", translation_key="x1"),
      "content/berita/meeting.en.md": article("Meeting", slug="rapat-koordinasi"), **LINKED, **ENGLISH_ONLY},
     "'berita/meeting' (content/berita/meeting.en.md)"),
    # the close key of the year-apart case above, in the month after
    ({"content/berita/rapat-koordinasi.id.md": article("Rapat", translation_key="sosialisasi-pajak-2024"),
      "content/berita/sosialisasi-pajak-2023.en.md": article("Tax", date="2024-06-02T10:00:00+07:00")},
     "'berita/sosialisasi-pajak-2023' (content/berita/sosialisasi-pajak-2023.en.md)"),
], ids=["typo-of-own-key", "bare-typo", "same-name", "named-file", "same-slug", "close-key-near-in-time"])
def test_a_lone_key_with_a_release_it_likely_meant_is_a_warning_naming_it(
        files: dict[str, str | bytes], meant: str, make_site: Callable[..., Path]) -> None:
    result = build(make_site(files))
    assert result.code == 0, result.err
    [warning] = key_warnings(result.err)
    where, said = warning.split(": warning: ")
    assert where == f"content/berita/rapat-koordinasi.id.md:{KEY_LINE}"
    assert said.split(" (", 1)[1].startswith(f"did you mean {meant}? to link them, ")


def test_check_says_the_release_a_lone_key_meant_is_there_not_linked_in_the_warnings_words(
        make_site: Callable[..., Path]) -> None:
    """check's missing-translation warning names the release the key warning names, with the
    same way to link them (not "add content/berita/rapat-koordinasi.en.md"), on both files."""
    mine, theirs = "content/berita/rapat-koordinasi.id.md", "content/berita/rapat.en.md"
    site = make_site({mine: article("Rapat", translation_key="berita/rapta"), theirs: article("Meeting")})
    result = run("check", "--site", site, "--now", NOW)
    assert result.code == 0, result.err
    link = f"to link them, write the same  translation_key:  in both, like  translation_key: berita/rapat  in {mine}"
    assert key_warnings(result.err) == [
        f"{mine}:{KEY_LINE}: warning: translation_key 'berita/rapta' matches no other release (did you mean "
        f"'berita/rapat' ({theirs})? {link})"]
    assert version_warnings(result.err) == [
        f"{mine}:2: warning: {theirs} is not linked to this file as its English (en) version: their translation "
        f"keys differ ('berita/rapat' there, 'berita/rapta' here) ({link})",
        f"{theirs}:2: warning: {mine} is not linked to this file as its Bahasa Indonesia (id) version: their "
        f"translation keys differ ('berita/rapta' there, 'berita/rapat' here) ({link})"]


def test_the_search_for_what_a_key_meant_is_bounded(make_site: Callable[..., Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A lone key is compared with at most MOST_COMPARED releases near it in time, those of its
    own month first: here the one it meant is of the month after, behind three of its own."""
    files: dict[str, str | bytes] = {f"content/berita/a{n}.en.md": article(f"A{n}") for n in range(3)}
    files["content/berita/rapat-koordinasi.id.md"] = article("Rapat", translation_key="b-rapat")
    files["content/berita/b-rapta.en.md"] = article("Meeting", date="2024-06-02T10:00:00+07:00")
    assert len(key_warnings(build(make_site(files)).err)) == 1
    monkeypatch.setattr(versions, "MOST_COMPARED", 3)
    assert key_warnings(build(make_site(files, name="bounded")).err) == []


def test_a_one_language_site_has_nothing_to_link(make_site: Callable[..., Path]) -> None:
    english = "  en: {name: English, locale: en_US, title: Test Newsroom, description: Test site}\n"
    config = SMALL_CONFIG.replace(english, "").replace("{id: Berita, en: News}", "{id: Berita}")
    result = build(make_site({RAPAT: article("Rapat", translation_key="rapat-2024")}, config))
    assert result.code == 0, result.err
    assert key_warnings(result.err) == []


def test_a_key_twice_in_one_language_stays_the_one_error(make_site: Callable[..., Path]) -> None:
    """Two files of one language on one key: the error says it; no warning on top."""
    site = make_site({RAPAT: article("Rapat", translation_key="rapat-2024"),
                      "content/berita/rapat-lain.id.md": article("Rapat lain", translation_key="rapat-2024")})
    result = build(site)
    assert result.code == 1
    assert [line for line in result.err.splitlines() if "rapat-2024" in line] == [
        "content/berita/rapat.id.md:4: error: translation key 'rapat-2024' is already used by "
        "content/berita/rapat-lain.id.md in language 'id' (each language may have only one file per translation key)"]


def test_a_rebuild_of_an_edited_text_says_it_again(make_site: Callable[..., Path]) -> None:
    """serve and watch assemble a text edit by swapping the entry into the last site
    (sitegen.assemble.reassemble): that build's warnings still hold the key's, which watch
    prints once and then keeps quiet about."""
    site = make_site(typo())
    state = State()
    options = Options(site_dir=site, now=NOW, search=False)
    first = prepare(options, state)
    with (site / RAPAT).open("a", encoding="utf-8") as handle:
        handle.write("\nParagraf baru.\n")  # below the first: the summary and the metadata stay
    again = prepare(options, state)
    assert again.site.terms[("en", "section")][0] is first.site.terms[("en", "section")][0]  # swapped in
    assert again.site.articles["id"][0].body_key != first.site.articles["id"][0].body_key
    said = [d.format() for d in first.report.warnings if "translation_key" in d.message]
    assert len(said) == 2
    assert [d.format() for d in again.report.warnings if "translation_key" in d.message] == said


def test_the_desk_shows_it_on_the_release(make_site: Callable[..., Path]) -> None:
    site = make_site(typo())
    prepared = prepare(Options(site_dir=site, now=NOW, search=False))
    examined = examine(prepared, site, MEETING, (site / MEETING).read_bytes())
    found = [f for f in examined.findings if "translation_key" in f.diagnostic.message]
    assert [(f.diagnostic.severity, f.diagnostic.line) for f in found] == [("warning", KEY_LINE)]
    assert examined.errors == ()
    fixed = article("Meeting", translation_key="rapat-2024").encode()
    findings = examine(prepared, site, MEETING, fixed).findings
    assert not [f for f in findings if "translation_key" in f.diagnostic.message]


# --- check's missing-translation warning, when the file it would name is there -----------

RAPAT_EN = "content/berita/rapat.en.md"


def version_warnings(err: str) -> list[str]:
    """check's warnings of the title line (line 2): the missing or unlinked versions."""
    return [line for line in err.splitlines() if ":2: warning: " in line]


@pytest.mark.parametrize(("files", "expected"), [
    # rapat.en.md is there, with a key of its own: "add content/berita/rapat.en.md" was wrong
    ({RAPAT: article("Rapat"), RAPAT_EN: article("Meeting", translation_key="rapat-lama")}, [
        f"{RAPAT_EN}:2: warning: {RAPAT} is not linked to this file as its Bahasa Indonesia (id) version: their "
        "translation keys differ ('berita/rapat' there, 'rapat-lama' here) (to link them, remove the line  "
        f"translation_key: rapat-lama  from {RAPAT_EN}, or write it in {RAPAT} too)",
        f"{RAPAT}:2: warning: {RAPAT_EN} is not linked to this file as its English (en) version: their "
        "translation keys differ ('rapat-lama' there, 'berita/rapat' here) (to link them, remove the line  "
        f"translation_key: rapat-lama  from {RAPAT_EN}, or write it in {RAPAT} too)"]),
    # both write a key, and they differ: each file is told the other's key, as its key warning says
    ({RAPAT: article("Rapat", translation_key="rapat-2024"), RAPAT_EN: article("Meeting", translation_key="rapat")}, [
        f"{RAPAT_EN}:2: warning: {RAPAT} is not linked to this file as its Bahasa Indonesia (id) version: their "
        "translation keys differ ('rapat-2024' there, 'rapat' here) (to link them, write the same  "
        f"translation_key:  in both, like  translation_key: rapat-2024  in {RAPAT_EN})",
        f"{RAPAT}:2: warning: {RAPAT_EN} is not linked to this file as its English (en) version: their "
        "translation keys differ ('rapat' there, 'rapat-2024' here) (to link them, write the same  "
        f"translation_key:  in both, like  translation_key: rapat  in {RAPAT})"]),
    # rapat.en.md is the translation of another release: this one's goes into another file
    ({RAPAT: article("Rapat"), RAPAT_EN: article("Meeting", translation_key="lama"),
      "content/berita/lama.id.md": article("Lama", translation_key="lama")}, [
        f"{RAPAT}:2: warning: there is no English (en) version of this article ({RAPAT_EN} is the translation "
        "of content/berita/lama.id.md; write this file's translation into a file of another name, with the "
        "line  translation_key: berita/rapat)"]),
    # the default language's file may go without its code: that is the file meant
    ({"content/berita/rapat.md": article("Rapat"), RAPAT_EN: article("Meeting", translation_key="x")}, [
        f"{RAPAT_EN}:2: warning: content/berita/rapat.md is not linked to this file as its Bahasa Indonesia (id) "
        "version: their translation keys differ ('berita/rapat' there, 'x' here) (to link them, remove the "
        f"line  translation_key: x  from {RAPAT_EN}, or write it in content/berita/rapat.md too)",
        f"content/berita/rapat.md:2: warning: {RAPAT_EN} is not linked to this file as its English (en) version: "
        "their translation keys differ ('x' there, 'berita/rapat' here) (to link them, remove the line  "
        f"translation_key: x  from {RAPAT_EN}, or write it in content/berita/rapat.md too)"]),
], ids=["one-writes-a-key", "both-write-keys", "namesake-of-another", "default-language-bare"])
def test_check_says_a_version_that_is_there_is_not_linked(files: dict[str, str | bytes], expected: list[str],
                                                         make_site: Callable[..., Path]) -> None:
    result = run("check", "--site", make_site(files), "--now", NOW)
    assert result.code == 0, result.err
    assert version_warnings(result.err) == expected


def test_check_still_says_add_when_the_file_is_not_there(make_site: Callable[..., Path]) -> None:
    result = run("check", "--site", make_site({RAPAT: article("Rapat")}), "--now", NOW)
    assert version_warnings(result.err) == [
        f"{RAPAT}:2: warning: there is no English (en) version of this article (add {RAPAT_EN})"]


def test_status_says_a_version_that_is_there_is_not_linked(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """status lists both files as without translation; under each, check's words say why."""
    site = make_site({RAPAT: article("Rapat"), RAPAT_EN: article("Meeting", translation_key="rapat-lama")})
    report = tmp_path / "report"
    result = run("status", "--site", site, "--now", NOW, "--report", report)
    assert result.code == 0, result.err
    block = result.out.split("Without translation, oldest first (2)\n", 1)[1].split("\n\n", 1)[0]
    said = [line.split(": warning: ", 1)[1] for line in version_warnings(run("check", "--site", site).err)]
    assert block.splitlines() == [
        "  2024-05-30 10:00 WIB  id  Meeting", f"      {RAPAT_EN}",
        f"      {RAPAT} is not linked to this file as its Bahasa Indonesia (id) version: their translation keys "
        "differ ('berita/rapat' there, 'rapat-lama' here) (to link them, remove the line  translation_key: "
        f"rapat-lama  from {RAPAT_EN}, or write it in {RAPAT} too)",
        "  2024-05-30 10:00 WIB  en  Rapat", f"      {RAPAT}",
        f"      {said[1]}"]
    assert block.splitlines()[2] == f"      {said[0]}"  # check's words, not a copy of them
    doc = html.fromstring((report / "index.html").read_bytes())
    notes = doc.xpath("//section[@id='missing']//tbody/tr/td[last()]/p/text()")
    assert notes == said


def test_status_says_nothing_more_when_the_file_is_not_there(make_site: Callable[..., Path]) -> None:
    result = run("status", "--site", make_site({RAPAT: article("Rapat")}), "--now", NOW)
    block = result.out.split("Without translation, oldest first (1)\n", 1)[1].split("\n\n", 1)[0]
    assert block.splitlines() == ["  2024-05-30 10:00 WIB  en  Rapat", f"      {RAPAT}"]


def test_status_says_the_release_a_lone_key_meant_is_there_not_linked(make_site: Callable[..., Path]) -> None:
    mine, theirs = "content/berita/rapat-koordinasi.id.md", "content/berita/rapat.en.md"
    site = make_site({mine: article("Rapat", translation_key="berita/rapta"), theirs: article("Meeting")})
    result = run("status", "--site", site, "--now", NOW)
    assert result.code == 0, result.err
    block = result.out.split("Without translation, oldest first (2)\n", 1)[1].split("\n\n", 1)[0]
    said = [line.split(": warning: ", 1)[1] for line in version_warnings(run("check", "--site", site).err)]
    assert [line.strip() for line in block.splitlines()[2::3]] == said
    assert said[0].startswith(f"{theirs} is not linked to this file")
