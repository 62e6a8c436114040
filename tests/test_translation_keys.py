"""A ``translation_key:`` that no other release shares links nothing: a typo that leaves two
language versions apart is said at the key's line by build, check, serve's rebuilds and the
desk, and the release is built all the same."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

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
    return [line for line in err.splitlines() if "translation_key" in line and ": warning: " in line]


def test_a_key_no_other_release_shares_is_a_warning_at_its_line_and_the_release_is_built(
        make_site: Callable[..., Path]) -> None:
    site = make_site(typo())
    result = build(site)
    assert result.code == 0, result.err
    assert key_warnings(result.err) == [
        f"{MEETING}:{KEY_LINE}: warning: translation_key 'rapat-2042' matches no other release (to link it with "
        "its other language versions, write the same  translation_key: rapat-2042  in each of them; a file "
        "without that line has the key berita/meeting, from its folder and name)",
        f"{RAPAT}:{KEY_LINE}: warning: translation_key 'rapat-2024' matches no other release (to link it with "
        "its other language versions, write the same  translation_key: rapat-2024  in each of them; a file "
        "without that line has the key berita/rapat, from its folder and name)",
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
    pages/tentang, so the two pages are not linked; the warning names the key to write."""
    site = make_site({"content/pages/tentang.id.md": "---\ntitle: Tentang Kami\n---\nIsi.\n",
                      "content/pages/about.en.md": "---\ntitle: About Us\ntranslation_key: tentang\n---\nText.\n"})
    result = build(site)
    assert result.code == 0, result.err
    [warning] = key_warnings(result.err)
    assert warning.startswith("content/pages/about.en.md:3: warning: translation_key 'tentang' matches no other")
    assert "a file without that line has the key pages/tentang" not in warning  # its own, not the other's
    assert "the key pages/about, from its folder and name" in warning


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
    # both write a key, and they differ
    ({RAPAT: article("Rapat", translation_key="rapat-2024"), RAPAT_EN: article("Meeting", translation_key="rapat")}, [
        f"{RAPAT_EN}:2: warning: {RAPAT} is not linked to this file as its Bahasa Indonesia (id) version: their "
        "translation keys differ ('rapat-2024' there, 'rapat' here) (to link them, write the same  "
        f"translation_key:  in both, like  translation_key: rapat  in {RAPAT})",
        f"{RAPAT}:2: warning: {RAPAT_EN} is not linked to this file as its English (en) version: their "
        "translation keys differ ('rapat' there, 'rapat-2024' here) (to link them, write the same  "
        f"translation_key:  in both, like  translation_key: rapat-2024  in {RAPAT_EN})"]),
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
