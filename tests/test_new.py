"""``sitegen new``: a ready-to-edit article file, its twins, and no overwriting."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from tests.conftest import NOW, SMALL_CONFIG, build, page, run

CONFIG = SMALL_CONFIG + """\
contact:
  name: Humas Kanwil
  phone: "+62 751 1"
  email: humas@example.go.id
"""
KEY = "2026-11-28-rilis-anggaran-2027-disahkan"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime.fromisoformat(NOW).timestamp())))


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text("utf-8")
    assert text.startswith("---\n")
    data: dict[str, object] = yaml.safe_load(text.split("---\n")[1])
    return data


def front_matter_end(path: Path) -> int:
    """The line number of the closing --- of the front matter."""
    return path.read_text("utf-8").splitlines().index("---", 1) + 1


def test_new_writes_a_filled_in_article_that_builds(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=CONFIG)
    result = run("new", "Rilis: Anggaran 2027 \"Disahkan\"", "--site", site, "--section", "berita")
    assert result.code == 0, result.err
    path = site / f"content/berita/{KEY}.id.md"
    assert result.out == f"wrote {path}\n"
    assert front_matter(path) == {
        "title": 'Rilis: Anggaran 2027 "Disahkan"', "date": "2026-11-28T12:00:00+07:00",
        "slug": "rilis-anggaran-2027-disahkan", "summary": "", "tags": [], "location": "",
        "contact": {"name": "Humas Kanwil", "phone": "+62 751 1", "email": "humas@example.go.id"},
        "draft": True}
    built = build(site, "--drafts")
    assert built.code == 0, built.err
    doc = page(site, "/berita/2026/rilis-anggaran-2027-disahkan/")
    assert doc.findtext(".//h1").strip() == 'Rilis: Anggaran 2027 "Disahkan"'


def test_translations_are_draft_twins_in_the_same_group(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=CONFIG)
    result = run("new", "Rilis Anggaran 2027 Disahkan", "--site", site, "--section", "berita",
                 "--lang", "en", "--translations")
    assert result.code == 0, result.err
    english, indonesian = (site / f"content/berita/{KEY}.{c}.md" for c in ("en", "id"))
    assert result.out.splitlines() == [f"wrote {english}", f"wrote {indonesian}"]
    assert front_matter(english)["draft"] is True
    twin = front_matter(indonesian)
    assert twin["draft"] is True
    assert twin["title"] == "Rilis Anggaran 2027 Disahkan"
    # "an empty twin per other language sharing its translation key", said in both files
    assert front_matter(english)["translation_key"] == twin["translation_key"] == f"berita/{KEY}"
    assert build(site, "--drafts").code == 0
    switcher = page(site, "/en/berita/2026/rilis-anggaran-2027-disahkan/").xpath(
        "//link[@rel='alternate'][@hreflang='id']/@href")
    assert switcher == ["https://humas.example.go.id/berita/2026/rilis-anggaran-2027-disahkan/"]


def test_a_title_in_a_script_no_address_spells_is_named_by_its_hash(make_site: Callable[..., Path]) -> None:
    """'政府 公告' is letters; new refused it with 'the title needs at least one letter or
    digit'. Its file and slug are named as a tag's page would be; a title with no letter or
    digit at all is still refused."""
    site = make_site({}, config=CONFIG)
    result = run("new", "政府 公告", "--site", site, "--section", "berita")
    assert result.code == 0, result.err
    (path,) = (site / "content/berita").glob("*.id.md")
    slug = front_matter(path)["slug"]
    assert path.name == f"2026-11-28-{slug}.id.md" and re.fullmatch(r"rilis-[0-9a-f]{8}", slug), path.name
    assert front_matter(path)["title"] == "政府 公告"
    built = build(site, "--drafts")
    assert built.code == 0, built.err
    assert page(site, f"/berita/2026/{slug}/").findtext(".//h1").strip() == "政府 公告"
    refused = run("new", "!!! ???", "--site", site)
    assert refused.code == 2 and "TITLE: error: the title needs at least one letter or digit" in refused.err


def test_new_refuses_to_overwrite(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=CONFIG)
    assert run("new", "Rilis Anggaran 2027 Disahkan", "--site", site, "--section", "berita").code == 0
    english = site / f"content/berita/{KEY}.en.md"
    existing = site / f"content/berita/{KEY}.id.md"
    existing.write_text("---\ntitle: Sudah ditulis\n---\nIsi.\n", "utf-8")
    again = run("new", "Rilis Anggaran 2027 Disahkan", "--site", site, "--section", "berita",
                "--translations")
    assert again.code == 0, again.err  # another release holds that name now: the next free one
    assert existing.read_text("utf-8") == "---\ntitle: Sudah ditulis\n---\nIsi.\n"
    assert not english.exists()
    assert {p.name for p in (site / "content/berita").iterdir()} == {
        f"{KEY}.id.md", f"{KEY}-2.id.md", f"{KEY}-2.en.md"}
    # The same command again: the same title the same day is refused, nothing written.
    twice = run("new", "Rilis Anggaran 2027 Disahkan", "--site", site, "--section", "berita", "--translations")
    assert twice.code == 1 and "this file already exists" in twice.err
    assert len(list((site / "content/berita").iterdir())) == 3


def test_a_title_whose_address_is_taken_gets_the_next_free_one(make_site: Callable[..., Path]) -> None:
    """A weekly "Jum'at Berkah" in the same year, or a page titled like a section: the address
    was another release's or a list page's, and the release clashed only once it was published.
    It gets the next free address, as the desk gives its drafts; the same title again on the
    same day is still refused (the command run twice)."""
    site = make_site({"content/berita/2026-11-20-jum-at-berkah.id.md": "---\ntitle: Jum'at Berkah\n"
                      "date: 2026-11-20T09:00:00+07:00\n---\nIsi.\n"}, config=CONFIG)
    result = run("new", "Jum'at Berkah", "--site", site)
    assert result.code == 0, result.err
    path = site / "content/berita/2026-11-28-jum-at-berkah-2.id.md"
    assert front_matter(path)["slug"] == "jum-at-berkah-2"
    again = run("new", "Jum'at Berkah", "--site", site)
    assert again.code == 1 and "this file already exists" in again.err
    page_of_a_list = run("new", "Berita", "--site", site, "--section", "pages")
    assert page_of_a_list.code == 0, page_of_a_list.err
    assert front_matter(site / "content/pages/berita-2.id.md")["slug"] == "berita-2"
    for index in ("Tags", "Archive", "Search", "Pagefind"):  # sitegen's own lists and folders
        assert run("new", index, "--site", site, "--section", "pages").code == 0
        assert (site / f"content/pages/{index.lower()}-2.id.md").is_file(), index
    # Another title of the same address the same day ("Jum'at Berkah!"): not the command run
    # twice, so the next free address, not a refusal.
    other = run("new", "Jum'at Berkah!", "--site", site)
    assert other.code == 0 and front_matter(
        site / "content/berita/2026-11-28-jum-at-berkah-3.id.md")["slug"] == "jum-at-berkah-3"
    path.write_text(path.read_text("utf-8").replace("draft: true\n", "").replace("\n---\n", "\n---\nIsi.\n"),
                    "utf-8")
    built = build(site)
    assert built.code == 0, built.err
    assert page(site, "/berita/2026/jum-at-berkah-2/").findtext(".//h1").strip() == "Jum'at Berkah"


def test_a_title_the_terminal_sent_in_another_encoding_is_refused_whole(make_site: Callable[..., Path]) -> None:
    """A terminal set to Latin-1 sends 'é' as the byte 0xe9, which Python hands over as a lone
    surrogate: new stopped with a traceback and left an empty file that failed every build."""
    site = make_site({}, config=CONFIG)
    result = run("new", "Sosialisasi Caf\udce9 Hukum", "--site", site, "--translations")
    assert result.code == 2 and "Traceback" not in result.err
    assert "TITLE: error: the title is not UTF-8 text (byte 0xe9 cannot be read)" in result.err
    assert list((site / "content").iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--section", "agenda"], "content/agenda: error: a section is a folder, but this is a file"),
    (["--section", "beritaa"], "--section: error: there is no section 'beritaa'"),
    (["--section", "../berita"], "--section: error: there is no section '../berita'"),
    (["--lang", "fr"], "--lang: error: language 'fr' is not configured"),
])
def test_new_rejects_bad_arguments(make_site: Callable[..., Path], args: list[str],
                                   message: str) -> None:
    site = make_site({"content/agenda": "not a folder\n"} if "agenda" in args else {}, config=CONFIG)
    result = run("new", "Judul", "--site", site, *args)
    assert result.code == 2
    assert message in result.err
    assert [p.name for p in (site / "content").iterdir()] == (["agenda"] if "agenda" in args else [])


def test_new_starts_the_section_the_issue_names_when_it_has_no_folder_yet(make_site: Callable[..., Path]) -> None:
    """Issue 5's own command, `sitegen new "Judul rilis" --section siaran-pers`, on a site whose
    only section is berita: any folder of content/ is a section, so new makes the folder."""
    site = make_site({"content/berita/lama.id.md": "---\ntitle: Lama\ndate: 2024-05-30\n---\nIsi.\n"},
                     config=CONFIG)
    result = run("new", "Judul rilis", "--site", site, "--section", "siaran-pers", "--translations")
    assert result.code == 0, result.err
    key = "2026-11-28-judul-rilis"
    indonesian, english = (site / f"content/siaran-pers/{key}.{c}.md" for c in ("id", "en"))
    assert result.out.splitlines() == [f"wrote {indonesian}", f"wrote {english}"]
    assert result.err.splitlines()[0] == (
        "content/siaran-pers: warning: 'siaran-pers' is a new section: its folder was made "
        "(name it in each language under  sections:  in config.yaml)")
    assert front_matter(indonesian)["slug"] == "judul-rilis"
    assert front_matter(english)["translation_key"] == f"siaran-pers/{key}"
    assert build(site, "--drafts").code == 0
    assert page(site, "/siaran-pers/2026/judul-rilis/").findtext(".//h1").strip() == "Judul rilis"


@pytest.mark.parametrize("section", ["berita-foto", "siaran", "pers"])
def test_new_starts_a_section_that_only_shares_a_word_with_one(make_site: Callable[..., Path], section: str) -> None:
    """Only a slip of the keyboard is taken for a typo: "berita-foto" beside berita, "siaran"
    beside siaran-pers, "pers" beside pages are new sections (review: all were refused)."""
    site = make_site({"content/berita/lama.id.md": "---\ntitle: Lama\ndate: 2024-05-30\n---\nIsi.\n",
                      "content/siaran-pers/lama.id.md": "---\ntitle: Lama\ndate: 2024-05-30\n---\nIsi.\n"},
                     config=CONFIG)
    result = run("new", "Judul", "--site", site, "--section", section)
    assert result.code == 0, result.err
    assert f"'{section}' is a new section" in result.err and (site / "content" / section).is_dir()


@pytest.mark.parametrize(("section", "message"), [
    ("beritaa", "--section: error: there is no section 'beritaa' (did you mean 'berita'? A new section: make its "
                "folder content/beritaa/ first)"),
    ("bertia", "--section: error: there is no section 'bertia' (did you mean 'berita'? A new section: make its "
               "folder content/bertia/ first)"),
    ("en", "--section: error: the folder content/en/ cannot be a section: /en/ is the home page of language 'en' "
           "(use one of berita, pages)"),
])
def test_new_makes_no_section_that_is_a_typo_or_a_language(make_site: Callable[..., Path], section: str,
                                                           message: str) -> None:
    site = make_site({}, config=CONFIG)
    result = run("new", "Judul", "--site", site, "--section", section)
    assert (result.code, result.err.splitlines()[0]) == (2, message)
    assert list((site / "content").iterdir()) == []


def test_new_static_page_has_no_date(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=SMALL_CONFIG)
    assert run("new", "Profil Kantor", "--site", site, "--section", "pages").code == 0
    meta = front_matter(site / "content/pages/profil-kantor.id.md")
    assert "date" not in meta and "contact" not in meta  # no contact configured, none written
    assert build(site, "--drafts").code == 0
    assert page(site, "/profil-kantor/").findtext(".//h1").strip() == "Profil Kantor"


def test_new_files_stay_off_the_site_until_someone_publishes_them(make_site: Callable[..., Path]) -> None:
    """Issue 21: `new --translations` once published the empty Indonesian file at once."""
    site = make_site({"content/berita/lama.id.md": "---\ntitle: Lama\ndate: 2024-05-30\n---\nIsi lama.\n"},
                     config=CONFIG)
    assert run("new", "Rilis Anggaran 2027 Disahkan", "--site", site, "--section", "berita",
               "--translations").code == 0
    assert build(site).code == 0
    assert not (site / "public/berita/2026/rilis-anggaran-2027-disahkan").exists()
    assert not (site / "public/en/berita/2026/rilis-anggaran-2027-disahkan").exists()
    titles = [t.strip() for t in page(site, "/").xpath("//h2//text() | //h3//text()")]
    assert "Rilis Anggaran 2027 Disahkan" not in titles
    feed = (site / "public/feed.xml").read_text("utf-8")
    assert "Rilis Anggaran 2027 Disahkan" not in feed and "Lama" in feed
    checked = run("check", "--site", site, "--now", NOW)
    assert checked.code == 0, checked.err
    for code in ("id", "en"):
        rel = f"content/berita/{KEY}.{code}.md"
        # every problem as path:line: the empty text on the line below the front matter
        end = front_matter_end(site / rel)
        assert (f"{rel}:{end + 1}: warning: the text is empty (write the text below the second --- line)"
                in checked.err)
        assert f"{rel}:6: warning: the summary is empty" in checked.err
