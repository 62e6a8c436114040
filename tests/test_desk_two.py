"""A second outside audit of the desk: a release's category, a text too large to send, a new
release saved twice from one form, and the words shown beside a field."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser

from sitegen.desk import storage, uploads
from sitegen.desk.app import MAX_FORM, PREFIX
from sitegen.messages import set_language
from tests.conftest import article
from tests.desk_helpers import Client, desk_server
from tests.test_desk import ARTICLE, new_fields, replace_field, saved_form, small_site

ANNOUNCEMENT = "content/berita/2024-05-29-libur.id.md"


def test_a_release_s_category_is_a_field_with_the_site_s_categories_suggested(
        make_site: Callable[..., Path]) -> None:
    # Staff set a category without YAML; the categories other releases carry are offered.
    site = small_site(make_site, **{ANNOUNCEMENT: article("Libur Nasional", category="Pengumuman")})
    with desk_server(site) as srv:
        client = srv.client()
        page = client.follow("new?section=berita&lang=id").page()
        assert page.xpath("string(//label[@for='category'])") == "Category"
        listed = page.get_element_by_id("category").get("list")
        assert page.xpath(f"//datalist[@id='{listed}']/option/@value") == ["Pengumuman"]
        # A new release writes the key only when it is set.
        made = client.post("save", [*new_fields(client, title="Jadwal Layanan", date="2024-06-01",
                                                category="Pengumuman"), ("action", "save")])
        assert made.status == 303, made.text[:2000]
        rel = made.headers["Location"].split("file=")[1].split("&")[0].replace("%2F", "/")
        assert 'category: "Pengumuman"' in (site / rel).read_text("utf-8")
        plain = client.post("save", [*new_fields(client, title="Rapat Lain", date="2024-06-01"),
                                     ("action", "save")])
        other = plain.headers["Location"].split("file=")[1].split("&")[0].replace("%2F", "/")
        assert "category" not in (site / other).read_text("utf-8")
        # An existing one shows its category, changes it, and an emptied field removes the key.
        assert client.get(f"edit?file={ANNOUNCEMENT}").page().get_element_by_id("category").get("value") == \
            "Pengumuman"
        fields = replace_field(saved_form(client, ANNOUNCEMENT), "category", "Layanan Publik")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
        assert 'category: "Layanan Publik"' in (site / ANNOUNCEMENT).read_text("utf-8")
        fields = replace_field(saved_form(client, ANNOUNCEMENT), "category", "")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
        assert "category" not in (site / ANNOUNCEMENT).read_text("utf-8")
        # Two tabs both set it: the clash names the field and shows the other's value beside it.
        a, b = saved_form(client, ARTICLE), saved_form(client, ARTICLE)
        assert client.post("save", [*replace_field(a, "category", "Kegiatan"), ("action", "save")]).status == 303
        clash = client.post("save", [*replace_field(b, "category", "Pengumuman"), ("action", "save")])
        assert clash.status == 409 and "you both changed: Category." in clash.text
        beside = {dt.text_content(): dt.getnext().text_content() for dt in clash.page().xpath("//aside//dl/dt")}
        assert beside["Category"] == "Kegiatan"
        assert dict(clash.form_fields())["category"] == "Pengumuman"


# A text over the desk's limit, as a word processor's pasted photo (a data: address) makes one.
PASTED = "Isi rilis.\n\n![foto](data:image/png;base64," + "A" * (MAX_FORM + MAX_FORM // 4) + ")\n"


def test_a_release_over_the_size_limit_comes_back_in_the_form_with_the_limit_named(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    before = sorted(p.name for p in (site / "content/berita").iterdir())
    with desk_server(site) as srv:
        client = srv.client()
        fields = new_fields(client, title="Rilis Panjang", date="2024-06-01", body=PASTED)
        # The live check says it beside the text, and renders nothing that large.
        checked = json.loads(client.request("POST", "check", urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": dict(fields)["csrf"]}).body)
        assert [(f["field"], f["severity"]) for f in checked["findings"]] == [("body", "error")]
        assert "2 MB" in checked["findings"][0]["text"] and checked["preview"] == ""
        # Saved without the page's script: refused, and the text is back in a working form.
        answer = client.post("save", [*fields, ("action", "save")])
        assert answer.status == 413
        assert sorted(p.name for p in (site / "content/berita").iterdir()) == before
        problem = answer.page().xpath("string(//p[contains(@class,'problem')])")
        assert "2 MB" in problem and "Nothing was saved" in problem, problem
        assert "2 MB" in answer.page().xpath("string(//*[@id='err-body'])")
        back = dict(answer.form_fields())
        assert back["body"] == PASTED and back["title"] == "Rilis Panjang"
        assert back["csrf"] == dict(fields)["csrf"] and back["section"] == "berita"
        # Larger than serve reads at all: not even that can come back, so the page says how.
        huge = client.request("POST", "save", b"x", {"Content-Type": "application/x-www-form-urlencoded",
                                                     "Content-Length": str(uploads.MAX_REQUEST + 1)})
        assert huge.status == 413 and huge.headers["Content-Type"].startswith("text/html")
        said = huge.page().xpath("string(//p[@role='alert'])")
        assert "2 MB" in said and "Back" in said, said


def test_the_browser_keeps_a_release_over_the_size_limit_and_says_the_limit_on_save(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    site = small_site(make_site)
    before = sorted(p.name for p in (site / "content/berita").iterdir())
    with desk_server(site) as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        address = f"http://127.0.0.1:{srv.port}{PREFIX}new?section=berita&lang=id"
        page.goto(address)
        address = page.url  # the form's own address (sitegen.desk.app.Desk._new)
        page.fill("#title", "Rilis Panjang")
        page.evaluate("text => { const body = document.getElementById('body'); body.value = text;"
                      " body.dispatchEvent(new Event('input', {bubbles: true})); }", PASTED)
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_function("document.getElementById('save-problem').textContent.includes('2 MB')",
                               timeout=10_000)
        assert page.url == address
        assert page.input_value("#body") == PASTED
        assert page.is_visible("#save-problem")
        # beside the text as well, once the live check has looked
        page.wait_for_function("document.getElementById('err-body').textContent.includes('2 MB')",
                               timeout=10_000)
        assert sorted(p.name for p in (site / "content/berita").iterdir()) == before
        page.close()


def test_a_new_release_saved_again_from_the_same_form_updates_the_file_it_made(
        make_site: Callable[..., Path]) -> None:
    # Save, then the same form (kept by the browser's Back, or a second tab of it) saved again
    # with other words: the same release, not a copy; and not written over either, since that
    # form never saw what the first save made (a duplicated tab is another person's text): both
    # versions are shown, and saving from there is a deliberate choice.
    site = small_site(make_site)
    folder = site / "content/berita"
    before = {p.name for p in folder.iterdir()}
    with desk_server(site) as srv:
        client = srv.client()
        fields = new_fields(client, title="Jadwal Layanan", date="2024-06-01", body="Draf pertama.\n")
        first = client.post("save", [*fields, ("action", "save")])
        assert first.status == 303, first.text[:2000]
        again = client.post("save", [*replace_field(fields, "body", "Draf kedua.\n"), ("action", "save")])
        assert again.status == 409, again.text[:2000]
        made = {p.name for p in folder.iterdir()} - before
        assert len(made) == 1, made
        (name,) = made
        assert "Draf pertama." in (folder / name).read_text("utf-8")
        chosen = client.post("save", [*again.form_fields(), ("action", "save")])
        assert chosen.status == 303 and chosen.headers["Location"] == first.headers["Location"], chosen.text[:2000]
        text = (folder / name).read_text("utf-8")
        assert "Draf kedua." in text and "Draf pertama." not in text and "draft: true" in text
        # Another new form is another release.
        other = new_fields(client, title="Jadwal Layanan", date="2024-06-01", body="Rilis lain.\n")
        assert client.post("save", [*other, ("action", "save")]).status == 303
        assert len({p.name for p in folder.iterdir()} - before) == 2
        # A double click sends one form twice at once: still one file.
        twice = new_fields(client, title="Klik Dua Kali", date="2024-06-01", body="Sekali saja.\n")
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda _: client.post("save", [*twice, ("action", "save")]), range(2)))
        assert [a.status for a in answers] == [303, 303]
        assert len({p.name for p in folder.iterdir()} - before) == 3


def field_errors(client: Client, fields: list[tuple[str, str]]) -> dict[str, str]:
    answer = client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]})
    return {f["field"]: f["text"] for f in json.loads(answer.body)["findings"] if f["severity"] == "error"}


def test_a_broken_link_is_said_beside_the_text_of_a_release_with_other_errors(make_site: Callable[..., Path]) -> None:
    """A missing photo gave the release no page to check, and its broken link was said only
    once the photo was fixed; sitegen check says both at once, and so does the form."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = new_fields(client, title="Rapat", date="2024-06-01", body="Lihat [lama](/berita/2023/hilang/).\n",
                            image="/images/tidak-ada.jpg", image_alt="Foto")
        errors = field_errors(client, fields)
        assert "image" in errors and "/berita/2023/hilang/" in errors.get("body", ""), errors


@pytest.mark.parametrize("ui_language", ["en", "id"])
def test_a_message_beside_a_field_does_not_name_its_front_matter_key(
        make_site: Callable[..., Path], ui_language: str) -> None:
    # The field's label names it already; a date is said without the time read with it.
    site = small_site(make_site)
    set_language(ui_language)  # as serve does for a site with  ui_language: id  (the fixture sets English back)
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(replace_field(saved_form(client, ARTICLE), "title", ""), "date", "2026-02-30")
        fields = replace_field(replace_field(fields, "time", "12:43"), "embargo_time", "09:00")
        errors = field_errors(client, fields)
        for name in ("title", "date", "embargo_date"):
            assert "'" not in errors[name] and "12:43" not in errors[name], errors
        if ui_language == "en":
            assert errors["title"] == "still empty"
            assert errors["date"] == "an impossible date: that month has no such day"
            assert errors["embargo_date"] == "a time (09:00) but no date: choose the day too"
        else:
            assert errors["date"].endswith("bulan itu tidak memiliki tanggal tersebut"), errors
        fields = replace_field(replace_field(fields, "date", ""), "time", "")
        assert field_errors(client, fields)["date"] == ("still empty" if ui_language == "en" else errors["title"])
        fields = replace_field(replace_field(fields, "date", "1066-10-14"), "title", "Rapat")
        year = field_errors(client, fields)["date"]
        assert "1066" not in year and "'" not in year, year
        # the same words in the form as the server renders it
        page = client.post("save", [*fields, ("action", "publish")]).page()
        assert page.xpath("string(//*[@id='err-date'])").strip() == year
        # not beside a field (no field for it), a message still names what it concerns
        (site / "content/berita/2024-06-03-tangan.id.md").write_text(
            '---\ntitle: "Rilis"\ndate: 2024-06-03\nagency: ANTARA\n---\nIsi.\n', "utf-8")
        general = client.get("edit?file=content/berita/2024-06-03-tangan.id.md").page()
        assert "'agency'" in general.xpath("string(//*[@id='err-'])")


def test_a_new_release_never_takes_over_a_file_that_appeared_under_its_name(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the desk choosing a new release's file name and writing it, another file of that
    name appeared (another editor, a copy): the release gets a name of its own, as if that file
    had been there first; the other file is never written over, nor offered as "changed"."""
    site = small_site(make_site)
    other = b"---\ntitle: Milik Orang Lain\ndate: 2024-06-01\n---\nIsi lain.\n"
    real = storage.save

    def first_another(site_dir: Path, rel: str, data: bytes, opened: str, now: object = None) -> bool:
        if not any(p.read_bytes() == other for p in (site_dir / "content/berita").iterdir()):
            (site_dir / rel).write_bytes(other)  # once: the name the desk chose is taken just before it writes
        return real(site_dir, rel, data, opened)

    with desk_server(site) as srv:
        client = srv.client()
        monkeypatch.setattr(storage, "save", first_another)
        made = client.post("save", [*new_fields(client, title="Rapat Baru", date="2024-06-01"), ("action", "save")])
        assert made.status == 303, made.text[:2000]
    (taken,) = [p for p in (site / "content/berita").iterdir() if p.read_bytes() == other]
    rel = made.headers["Location"].split("file=")[1].split("&")[0].replace("%2F", "/")
    assert taken.name == "2024-06-01-rapat-baru.id.md" and rel == "content/berita/2024-06-01-rapat-baru-2.id.md"
    assert "Rapat Baru" in (site / rel).read_text("utf-8")
