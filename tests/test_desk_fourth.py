"""The desk, checked from outside a fourth time: a draft with errors stops no rebuild and the
desk does not say it does; every X-Forwarded-* header makes a request sign in; a translation
asked for again opens the one there is, without saying it was just made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import article
from tests.desk_helpers import Client, desk_server
from tests.test_desk import ARTICLE, replace_field, saved_form, small_site

LONG = "content/berita/2024-06-01-panjang.id.md"


def test_a_draft_with_errors_is_not_said_to_stop_the_rebuild(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site, **{LONG: article("Judul Sangat Panjang " * 20, "2024-06-01T10:00:00+07:00",
                                                   draft=True)})
    broken = "content/berita/2024-06-02-rusak.id.md"
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "title", "Rapat Koordinasi Baru")
        answer = client.post("save", [*fields, ("action", "save")])
        assert answer.status == 303
        srv.rebuild()
        said = client.get(answer.headers["Location"].removeprefix("/__sitegen/desk/")).text
        assert "Saved." in said and "is not rebuilt" not in said  # the draft is left out, the rest rebuilt
        assert "Rapat Koordinasi Baru" in (site / "public/berita/2024/rapat/index.html").read_text("utf-8")
        # a release (no draft) with errors does stop it, and the desk says which
        (site / broken).write_text("---\ntitle: Rusak\ndate: 2024-13-01\n---\nIsi.\n", "utf-8")
        assert not srv.rebuilder.rebuild("broken by hand").ok
        fields = replace_field(saved_form(client, ARTICLE), "title", "Rapat Lagi")
        answer = client.post("save", [*fields, ("action", "save")])
        said = client.get(answer.headers["Location"].removeprefix("/__sitegen/desk/")).text
        # named as the overview names it, no content/ path (the README: the desk names no folder)
        assert "The site is not rebuilt while “Rusak” has errors" in said and LONG not in said
        assert broken not in said


def test_any_x_forwarded_header_makes_a_request_sign_in(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        assert srv.client().get("").status == 200  # on this machine: no password
        for header in ("X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server", "X-Forwarded-For"):
            visitor = Client(srv.port, extra={header: "https" if header.endswith("Proto") else "203.0.113.9"})
            assert visitor.get("").headers["Location"].endswith("/login"), header


def test_translating_again_opens_the_translation_there_is_without_a_new_notice(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    twin = "content/berita/2024-05-30-rapat.en.md"
    before = (site / twin).read_bytes()
    with desk_server(site) as srv:
        client = srv.client()
        csrf = dict(saved_form(client, ARTICLE))["csrf"]
        answer = client.post("translate", {"csrf": csrf, "file": ARTICLE, "lang": "en"})  # a page from before
        assert answer.status == 303 and "done=" not in answer.headers["Location"]
        assert (site / twin).read_bytes() == before
        opened = client.get(answer.headers["Location"].removeprefix("/__sitegen/desk/")).text
        assert "The translation was created as a draft" not in opened


def test_an_english_original_with_an_indonesian_draft_made_from_it(make_site: Callable[..., Path]) -> None:
    """The draft records ``translated_from: "en:..."``: the English release is the original, as
    status says. The desk showed the Indonesian draft beside it as its source, and refused to
    delete the draft for "the English version was translated from this draft"."""
    from sitegen.translated import stamp

    original = article("Coordination Meeting", "2024-06-05T10:00:00+07:00", body="The English text.")
    english, indonesian = "content/berita/2024-06-05-asal.en.md", "content/berita/2024-06-05-asal.id.md"
    site = small_site(make_site, **{english: original, indonesian: article(
        "Rapat Koordinasi", "2024-06-05T10:00:00+07:00", body="Teks.", draft=True,
        translated_from=stamp("en", original.encode()) or "")})
    with desk_server(site) as srv:
        client = srv.client()
        opened = client.get(f"edit?file={english}").page()
        assert not opened.xpath("//section[@class='source-version']")  # nobody's translation
        beside = client.get(f"edit?file={indonesian}").page()
        assert "The English text." in beside.xpath("string(//section[@class='source-version'])")
        confirm = client.get(f"delete?file={indonesian}")
        assert confirm.status == 200, confirm.text
