"""The names the desk gives new releases' files, beside deleted ones, and a save of a release
someone deleted meanwhile (an outside audit of issue 21, without a browser)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from sitegen.desk import storage
from sitegen.urls import title_slug
from tests.desk_helpers import Client, desk_server
from tests.test_desk import replace_field, small_site
from tests.test_desk_three import form_values, said


def new_release(client: Client, title: str, body: str) -> str:
    """The file of a new release saved from a fresh form, by its path."""
    blank = client.get(client.get("new?section=berita&lang=id").headers["Location"]).form_fields()
    saved = client.post("save", [*replace_field(replace_field(blank, "title", title), "body", body),
                                 ("action", "save")])
    assert saved.status == 303, saved.text[:2000]
    return unquote(saved.headers["Location"].split("file=")[1].split("&")[0])


def test_a_new_release_never_takes_a_deleted_releases_name(make_site: Callable[..., Path]) -> None:
    """Audit: a new draft of the same title took the name of one deleted a moment before; the
    deleted one left "Deleted releases" (restoring it from the history then replaced the new one)."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        first = new_release(client, "Rapat Koordinasi Humas", "Versi pertama oleh staf A.")
        confirm = client.get(f"delete?file={first}")
        assert client.post("delete", form_values(confirm, "delete")).status == 303
        second = new_release(client, "Rapat Koordinasi Humas", "Versi kedua oleh staf B.")
        assert second == first.replace(".id.md", "-2.id.md"), (first, second)
        assert [rel for rel, _version in storage.gone(site)] == [first]
        deleted = client.get("").page().xpath("//table[@class='deleted']//tr[td]")
        assert len(deleted) == 1 and "Rapat Koordinasi Humas" in deleted[0].text_content()
        assert "Versi kedua" in (site / second).read_text("utf-8") and not (site / first).exists()


def test_a_title_no_address_spells_names_the_file_as_sitegen_new_does(make_site: Callable[..., Path]) -> None:
    """Audit: the desk named every such draft "rilis", "rilis-2"...; ``sitegen new`` and the
    README name it by the title's hash (``rilis-97a2e557``)."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        made = [new_release(client, title, "Isi.") for title in ("政府 公告", "市政府 新闻")]
    assert title_slug("政府 公告") == "rilis-97a2e557"  # the README's example
    assert [rel.split("/")[-1][11:] for rel in made] == [f"{title_slug(t)}.id.md" for t in ("政府 公告", "市政府 新闻")]


def test_saving_a_release_someone_deleted_meanwhile_says_so(make_site: Callable[..., Path]) -> None:
    """Audit: the page said "theirs is beside it", with nothing beside it and no word of the
    deletion. Nothing is written; the form keeps what was typed."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        rel = new_release(client, "Rilis Yang Dihapus", "Isi.")
        opened = client.get(f"edit?file={rel}").form_fields()
        confirm = client.get(f"delete?file={rel}")
        assert client.post("delete", form_values(confirm, "delete")).status == 303
        answer = client.post("save", [*replace_field(opened, "summary", "Ringkasan baru."), ("action", "save")])
        assert answer.status == 409, answer.text[:2000]
        assert "Someone deleted this release since you opened it: nothing was saved." in said(answer)
        assert "beside" not in said(answer)
        assert ("summary", "Ringkasan baru.") in answer.form_fields()
        assert not (site / rel).exists()
