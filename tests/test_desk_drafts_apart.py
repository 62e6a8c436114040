"""The desk checks and previews a release against the site as it is published: the other
drafts are not on it. A link to a draft leads nowhere on the site, and the side column of the
built page lists no draft; the desk said neither."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html

from sitegen.build import Options, prepare
from sitegen.desk.checking import examine
from tests.conftest import NOW, article

DRAFT_URL = "/berita/2024/rapat-rahasia/"
NEW = "content/berita/2024-06-02-kunjungan.id.md"


def test_a_release_is_checked_and_previewed_without_the_other_drafts(make_site: Callable[..., Path]) -> None:
    site = make_site({
        "content/berita/2024-05-30-rapat.id.md": article("Rapat Koordinasi", tags=["rapat"]),
        "content/berita/2024-05-31-rapat-rahasia.id.md": article(
            "Rapat Rahasia Belum Terbit", "2024-05-31T10:00:00+07:00", draft=True, tags=["rapat"]),
    })
    prepared = prepare(Options(site_dir=site, now=NOW, search=False))
    raw = article("Kunjungan Kerja", "2024-06-02T10:00:00+07:00", draft=True, tags=["rapat"],
                  body=f"Lihat [rapat itu]({DRAFT_URL}) dan [rapat lain](/berita/2024/rapat/).").encode()
    examined = examine(prepared, site, NEW, raw)
    errors = [f.diagnostic.message for f in examined.errors]
    assert errors == [f"the link {DRAFT_URL} leads to no page or file of this site"], errors
    assert examined.page is not None
    page = html.fromstring(examined.page)
    text = page.text_content()
    assert "Rapat Koordinasi" in text  # the published release, in the side column
    assert "Rapat Rahasia Belum Terbit" not in text
    assert not page.xpath(f"//a[@href='{DRAFT_URL}']/ancestor::aside")


def _saved_names(site: Path) -> set[str]:
    return {p.name for p in (site / "content/berita").iterdir()}


def test_a_new_draft_never_takes_the_address_of_another_release(make_site: Callable[..., Path]) -> None:
    """A new release titled as one published earlier that year had its address: the site
    stopped rebuilding (two files, one address) over a draft. The desk gives it the next free
    address, as it gives a second file of one title and day the next free name."""
    from tests.desk_helpers import desk_server
    from tests.test_desk import new_fields, replace_field, saved_form, small_site

    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        before = _saved_names(site)
        # ARTICLE is "Rapat Koordinasi" of 2024-05-30, at /berita/2024/rapat/ (its file's name)
        fields = new_fields(client, title="Rapat", date="2024-06-03", time="09:00")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
        (made,) = _saved_names(site) - before
        assert made == "2024-06-03-rapat-2.id.md"
        assert srv.rebuilder.rebuild("saved").ok
        # A draft retitled to a taken address gets the next free one too, in its slug.
        fields = new_fields(client, title="Kunjungan Kerja", date="2024-06-04", time="09:00")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
        rel = "content/berita/2024-06-04-kunjungan-kerja.id.md"
        retitled = replace_field(saved_form(client, rel), "title", "Rapat")
        assert client.post("save", [*retitled, ("action", "save")]).status == 303
        assert 'slug: "rapat-3"' in (site / rel).read_text("utf-8")
        assert srv.rebuilder.rebuild("retitled").ok
        # The second, named "-2" by the desk, still follows its title when retitled.
        retitled = replace_field(saved_form(client, f"content/berita/{made}"), "title", "Rapat Evaluasi")
        assert client.post("save", [*retitled, ("action", "save")]).status == 303
        assert 'slug: "rapat-evaluasi"' in (site / f"content/berita/{made}").read_text("utf-8")
        assert srv.rebuilder.rebuild("retitled again").ok


@pytest.mark.parametrize(("ui_language", "name"), [("en", "News"), ("id", "Berita")])
def test_the_desk_names_sections_in_its_own_language(make_site: Callable[..., Path], ui_language: str,
                                                      name: str) -> None:
    from sitegen.messages import set_language
    from tests.desk_helpers import desk_server
    from tests.test_desk import small_site

    site = small_site(make_site)  # sections: berita: {id: Berita, en: News}
    set_language(ui_language)  # as serve does for a site with  ui_language:  (the fixture sets English back)
    with desk_server(site) as srv:
        client = srv.client()
        overview = client.get("").page()
        options = [o.text_content().strip() for o in overview.xpath("//select[@name='section']/option")]
        assert name in options, options
        form = client.follow("new?section=berita&lang=id").page()
        chosen = form.xpath("//select[@name='section']/option[@value='berita']")
        assert chosen and chosen[0].text_content().strip() == name


def test_an_address_chosen_by_hand_stays_and_the_written_date_makes_the_address(
        make_site: Callable[..., Path]) -> None:
    """A slug chosen by hand that ends in digits (hut-ri-79) is not the desk's "-2": retitling
    the draft keeps it. An article's address takes the digits of its date as written (a date in
    UTC may be the next day on the site's clock); a page's has no date, and is kept apart too."""
    from tests.desk_helpers import desk_server
    from tests.test_desk import replace_field, saved_form, small_site

    hand = "content/berita/2024-08-17-upacara.id.md"
    late = "content/berita/2024-12-31-akhir-tahun.id.md"
    page = "content/pages/kontak.id.md"
    site = small_site(make_site, **{
        hand: article("HUT RI", "2024-08-17T08:00:00+07:00", draft=True, slug="hut-ri-79"),
        # 20:00 UTC on 31 December 2024 is 1 January 2025 in Jakarta: its address is in 2024
        late: article("Akhir Tahun", "2024-12-31T20:00:00Z", draft=True),
        page: article("Kontak", date="", draft=True),
    })
    with desk_server(site) as srv:
        client = srv.client()
        retitled = replace_field(saved_form(client, hand), "title", "HUT RI Ke-79 Upacara")
        assert client.post("save", [*retitled, ("action", "save")]).status == 303
        assert 'slug: "hut-ri-79"' in (site / hand).read_text("utf-8")
        retitled = replace_field(saved_form(client, late), "title", "Rapat")  # /berita/2024/rapat/ is taken
        assert client.post("save", [*retitled, ("action", "save")]).status == 303
        assert 'slug: "rapat-2"' in (site / late).read_text("utf-8")
        retitled = replace_field(saved_form(client, page), "title", "Tentang")  # /tentang/ is taken
        assert client.post("save", [*retitled, ("action", "save")]).status == 303
        assert 'slug: "tentang-2"' in (site / page).read_text("utf-8")
        assert srv.rebuilder.rebuild("retitled").ok
