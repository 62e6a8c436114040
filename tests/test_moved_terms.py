"""A tag, category or unit whose address gained a short hash (a name ``slugify`` keeps only in
part: "Straße", "政府 Jakarta") keeps its old address working where nothing else has it now."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from sitegen.build import Options, State
from sitegen.build import build as build_with_state
from tests.conftest import NOW, article, build, page, run, xml
from tests.test_incremental import build as build_in_process
from tests.test_incremental import clean_build_of, digest, edit

A, B, C = "content/berita/a.id.md", "content/berita/b.id.md", "content/berita/c.id.md"
BASE = "https://humas.example.go.id"


def _sha8(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


STRASSE = "strasse"  # "ß" reads "ss", which a URL holds: Strasse's page, no hash
LODZ = f"odz-{_sha8('łodz')}"
CELSIUS = f"30c-{_sha8('30°c')}"


def _redirect(doc: html.HtmlElement) -> tuple[str, str, str]:
    """A redirect page's canonical, the address its meta refresh sends to, and its link's."""
    refresh = doc.xpath("string(//meta[@http-equiv='refresh']/@content)")
    delay, _, url = refresh.partition("; url=")
    assert delay == "0", refresh
    return doc.xpath("string(//link[@rel='canonical']/@href)"), url, doc.xpath("string(//a/@href)")


def _files(public: Path) -> set[str]:
    return {p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file()}


def _redirects_from(site: Path, old: str) -> list[str]:
    return [line for line in (site / "public/_redirects").read_text("utf-8").splitlines()
            if line.startswith(old + " ")]


def _release(title: str, date: str, tags: list[str], **meta: str) -> str:
    return article(title, date, tags=tags, **meta)


MOVED = {
    A: _release("Kunjungan", "2024-06-03T09:00:00+07:00", ["Straße", "政府 Jakarta"], category="Łódź", unit="30°C"),
    B: _release("Banjir", "2024-06-02T09:00:00+07:00", ["Jakarta"]),
    "content/berita/a.en.md": _release("Visit", "2024-06-03T09:00:00+07:00", ["Straße"]),
}


def test_a_term_whose_address_gained_a_hash_is_still_found_at_its_old_one(make_site: Callable[..., Path]) -> None:
    """/tags/strae/ was Straße's page: it now sends readers to /tags/strasse/, in each
    language, as an alias page does, and is listed in _redirects. /tags/jakarta/, where
    "政府 Jakarta" used to be listed, is Jakarta's page and stays so."""
    site = make_site(dict(MOVED))
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    moved = {"/tags/strae/": f"/tags/{STRASSE}/", "/en/tags/strae/": f"/en/tags/{STRASSE}/",
             "/categories/odz/": f"/categories/{LODZ}/", "/units/30c/": f"/units/{CELSIUS}/"}
    for old, new in moved.items():
        assert _redirect(page(site, old)) == (BASE + new, new, new)
        assert page(site, new).xpath("//h1/text()")  # the term's own page
    jakarta = page(site, "/tags/jakarta/")
    assert jakarta.xpath("//h1/text()") == ["Jakarta"]
    assert not jakarta.xpath("//meta[@http-equiv='refresh']")
    assert jakarta.xpath("//article[@class='card']//h2/a/text()") == ["Banjir"]
    public = site / "public"
    # The feeds and later pages below an old address go on too, on hosts that read the file.
    assert (public / "_redirects").read_text("utf-8").splitlines() == sorted(
        [f"{old} {new} 301" for old, new in moved.items()] + [f"{old}* {new}:splat 301" for old, new in moved.items()])
    # No sitemap, feed or page names an old address: only the redirect file (and the list of
    # the files written, .sitegen-output.json) does.
    naming = {path for path in _files(public) if any(old.encode() in (public / path).read_bytes() for old in moved)}
    assert naming == {"_redirects", ".sitegen-output.json"}
    locations = xml(public / "sitemap.xml").xpath("//*[local-name()='loc']/text()")
    assert f"{BASE}/tags/{STRASSE}/" in locations
    assert not [loc for loc in locations if loc.removeprefix(BASE) in moved]
    assert run("check", "--site", site, "--now", NOW).code == 0  # every link of the redirects leads somewhere


def test_names_a_url_holds_whole_make_no_redirect(make_site: Callable[..., Path]) -> None:
    """Names whose slug did not change (accents, punctuation, full-width letters, one with a
    hash of its kind only) write exactly the files they wrote before."""
    site = make_site({A: _release("Semua", "2024-06-03T09:00:00+07:00",
                                  ["Jakarta", "Café", "Rapat—Koordinasi", "Ｐｏｌｒｉ", "政府"], category="Ekonomi")})
    assert build(site, "--no-search").code == 0
    tag_files = {path for path in _files(site / "public") if path.startswith("tags/")}
    slugs = ["jakarta", "cafe", "rapatkoordinasi", "polri", f"tag-{_sha8('政府')}"]
    assert tag_files == {"tags/index.html", *(f"tags/{slug}/{name}" for slug in slugs
                                              for name in ("index.html", "feed.xml", "atom.xml", "feed.json"))}
    assert not (site / "public/_redirects").exists()
    assert not [path for path in _files(site / "public")
                if path.endswith(".html") and b'http-equiv="refresh"' in (site / "public" / path).read_bytes()]


#: Something else at a term's old address, or where its redirect would need a folder: the
#: redirect is not made, and the build goes on as it would without it.
CLAIMED = {
    "alias": ({C: article("Arsip", "2024-05-01T09:00:00+07:00", aliases=["/tags/strae/"])},
              lambda doc: _redirect(doc)[1] == "/berita/2024/c/"),
    "static page": ({"static/tags/strae/index.html": "<html><body><p id='own'>own</p></body></html>"},
                    lambda doc: doc.xpath("//p[@id='own']/text()") == ["own"]),
}


@pytest.mark.parametrize("claim", sorted(CLAIMED))
def test_an_old_address_something_else_has_is_left_to_it(make_site: Callable[..., Path], claim: str) -> None:
    files, expected = CLAIMED[claim]
    site = make_site({**MOVED, **files})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert expected(page(site, "/tags/strae/"))
    assert _redirects_from(site, "/tags/strae/") == (["/tags/strae/ /berita/2024/c/ 301"] if claim == "alias" else [])


def test_an_old_address_where_a_file_is_is_left_to_it(make_site: Callable[..., Path]) -> None:
    """A static file tags/strae: the redirect would need a folder of that name."""
    site = make_site({**MOVED, "static/tags/strae": "a file"})
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert (site / "public/tags/strae").read_text("utf-8") == "a file"
    assert not _redirects_from(site, "/tags/strae/")
    assert run("check", "--site", site, "--now", NOW).code == 0


def test_an_old_address_two_terms_shared_leads_to_the_one_it_was_named_after(make_site: Callable[..., Path]) -> None:
    """"Humas 🏛️" and "Humas 🏛🏛" both had /tags/humas/, titled with the newest release's
    spelling: it leads to that term's page."""
    site = make_site({A: _release("Baru", "2024-06-03T09:00:00+07:00", ["Humas 🏛🏛"]),
                      B: _release("Lama", "2024-06-02T09:00:00+07:00", ["Humas 🏛️"])})
    assert build(site, "--no-search").code == 0
    new = f"/tags/humas-{_sha8('humas-🏛🏛')}/"
    assert _redirect(page(site, "/tags/humas/")) == (BASE + new, new, new)


@pytest.mark.parametrize("watching", [False, True])
def test_a_build_after_a_tag_changed_writes_what_a_clean_build_writes(make_site: Callable[..., Path],
                                                                       tmp_path: Path, watching: bool) -> None:
    """Jakarta's last release drops the tag: /tags/jakarta/ is free and leads to "政府 Jakarta";
    Straße spelled Strasse: /tags/strae/ goes with its page. Built again by a new process,
    or by the one that keeps its state between builds (serve, watch)."""
    site = make_site(dict(MOVED))
    state = State()

    def again() -> None:
        if watching:
            build_with_state(Options(site_dir=site, now=NOW, search=False), state)
        else:
            build_in_process(site)

    again()
    assert _redirect(page(site, "/tags/strae/"))[1] == f"/tags/{STRASSE}/"
    edit(site / B, '"Jakarta"', '"Banjir"')
    edit(site / A, '"Stra\\u00dfe"', '"Strasse"')
    again()
    new = f"/tags/jakarta-{_sha8('政府-jakarta')}/"
    assert _redirect(page(site, "/tags/jakarta/")) == (BASE + new, new, new)
    assert not (site / "public/tags/strae").exists()
    assert (site / "public/en/tags/strae/index.html").exists()  # the English release still says Straße
    assert digest(site / "public") == clean_build_of(site, tmp_path)
