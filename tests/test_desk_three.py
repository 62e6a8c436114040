"""A third outside audit of the desk: a mistaken draft deleted (and restored) without a
terminal, and a translation's tags, unit and photo texts marked as still to translate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from playwright.sync_api import Browser

from sitegen.desk import storage
from sitegen.desk.app import PREFIX
from tests.conftest import article, need
from tests.desk_helpers import Answer, Client, desk_server
from tests.test_accessibility import axe_path, violations
from tests.test_desk import ARTICLE, replace_field, saved_form, small_site

MISTAKE = "content/berita/2024-06-01-salah-ketik.id.md"
MISTAKE_TEXT = article("Rilis Salah Ketik", body="Teks yang salah.", draft=True, image="/images/a.jpg",
                       image_alt="Peserta rapat", image_credit="Humas")


def every_file(site: Path) -> dict[str, bytes]:
    """The site's own files (not its output or cache), by path."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and p.relative_to(site).parts[0] not in ("public", ".sitegen-cache")}


def form_values(answer: Answer, action: str) -> dict[str, str]:
    """The hidden fields of the page's form that posts to ``action``."""
    found = answer.page().xpath(f"//form[@action='{PREFIX}{action}']")
    assert found, answer.text[:3000]
    return {i.get("name"): i.get("value") or "" for i in found[0].iter("input")}


def translated(client: Client, source: str) -> str:
    """The English draft the desk makes of ``source`` (its Translate button), by its path."""
    made = client.post("translate", {"csrf": client.csrf(), "file": source, "lang": "en"})
    return unquote(made.headers["Location"].split("file=")[1].split("&")[0])


def said(answer: Answer) -> str:
    return " ".join(answer.page().xpath("string(//main)").split())


# --- deleting a mistaken draft ---------------------------------------------------------------------


def test_a_draft_never_published_is_deleted_after_a_confirmation_and_restored_from_the_overview(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site, **{MISTAKE: MISTAKE_TEXT})
    original = (site / MISTAKE).read_bytes()
    before = every_file(site)
    with desk_server(site) as srv:
        client = srv.client()
        # The draft's page offers it; the link only asks, it deletes nothing.
        edit = client.get(f"edit?file={MISTAKE}")
        link = edit.page().xpath("//a[normalize-space()='Delete draft']/@href")
        assert link == [f"{PREFIX}delete?file={MISTAKE}"], link
        confirm = client.get(link[0])
        assert confirm.status == 200 and (site / MISTAKE).read_bytes() == original
        text = said(confirm)
        assert "Rilis Salah Ketik" in text and "history" in text
        assert "Photos and files it uses stay" in text and "/images/a.jpg" in text
        values = form_values(confirm, "delete")
        assert values["file"] == MISTAKE and values["csrf"] and values["opened"] == storage.digest(original)
        # Without the session's token: nothing happens.
        assert client.post("delete", {**values, "csrf": ""}).status == 403
        assert (site / MISTAKE).read_bytes() == original
        # Confirmed: the file (and nothing else) goes into the desk's history.
        done = client.post("delete", values)
        assert done.status == 303, done.text[:2000]
        assert not (site / MISTAKE).exists()
        after = every_file(site)
        assert after == {k: v for k, v in before.items() if k != MISTAKE}  # the photo stays
        assert storage.version_bytes(site, MISTAKE, storage.versions(site, MISTAKE)[0].name) == original
        # (not rebuilt yet: the overview lists it as deleted all the same)
        # The overview says so and lists it with a Restore button.
        shown = client.get(done.headers["Location"])
        assert "Rilis Salah Ketik" in shown.page().xpath("string(//p[@role='status'])")
        assert MISTAKE not in " ".join(shown.page().xpath("//table[@class='releases']//a/@href"))
        deleted = shown.page().xpath("//table[@class='deleted']//tr[td]")
        assert len(deleted) == 1 and "Rilis Salah Ketik" in deleted[0].text_content()
        # Its history opens though the file is gone, and says so.
        history = client.get(f"history?file={MISTAKE}")
        assert history.status == 200 and "deleted" in said(history)
        assert history.page().xpath(f"//form[@action='{PREFIX}restore']")
        restore = form_values(shown, "restore")
        back = client.post("restore", restore)
        assert back.status == 303 and "done=restored" in back.headers["Location"]
        assert (site / MISTAKE).read_bytes() == original
        srv.rebuild()
        assert client.get("").page().xpath("//table[@class='deleted']") == []


def test_a_release_that_is_or_was_on_the_site_is_not_deleted(make_site: Callable[..., Path]) -> None:
    again = "content/berita/2024-06-03-ditarik.id.md"
    hand = "content/berita/2024-06-04-manual.id.md"
    site = small_site(make_site, **{again: article("Ditarik Lagi", body="Isi."),
                                    hand: article("Ditarik Manual", body="Isi.")})
    with desk_server(site) as srv:
        client = srv.client()
        # Published: no delete on its page, and the desk refuses one asked for anyway.
        assert client.get(f"edit?file={ARTICLE}").page().xpath("//a[normalize-space()='Delete draft']") == []
        refused = client.get(f"delete?file={ARTICLE}")
        assert refused.status == 409 and "not a draft" in said(refused)
        csrf = client.csrf()
        opened = storage.digest((site / ARTICLE).read_bytes())
        assert client.post("delete", {"csrf": csrf, "file": ARTICLE, "opened": opened}).status == 409
        assert (site / ARTICLE).exists()
        # Made a draft again in the desk: its history shows it was published.
        fields = [*saved_form(client, again), ("draft", "1"), ("action", "save")]
        assert client.post("save", fields).status == 303
        srv.rebuild()
        refused = client.get(f"delete?file={again}")
        assert refused.status == 409 and "published before" in said(refused), said(refused)
        # Made a draft by hand, not rebuilt yet: its page is still in the output.
        (site / hand).write_text(article("Ditarik Manual", body="Isi.", draft=True), "utf-8")
        refused = client.get(f"delete?file={hand}")
        assert refused.status == 409 and "on the site" in said(refused), said(refused)
        opened = storage.digest((site / hand).read_bytes())
        assert client.post("delete", {"csrf": csrf, "file": hand, "opened": opened}).status == 409
        assert (site / hand).exists() and (site / again).exists()


def test_a_translation_draft_of_a_published_release_is_deleted_but_not_the_source_of_a_published_one(
        make_site: Callable[..., Path]) -> None:
    source = "content/berita/2024-06-05-sumber.id.md"
    site = small_site(make_site, **{
        source: article("Rilis Sumber", body="Isi sumber."),
        "content/berita/2024-06-06-draf.id.md": article("Draf Sumber", body="Isi.", draft=True),
        "content/berita/2024-06-06-draf.en.md": article("Draft Source", body="Text."),
    })
    with desk_server(site) as srv:
        client = srv.client()
        twin = translated(client, source)
        srv.rebuild()
        confirm = client.get(f"delete?file={twin}")
        assert confirm.status == 200, said(confirm)
        assert client.post("delete", form_values(confirm, "delete")).status == 303
        assert not (site / twin).exists() and (site / source).exists()
        # An Indonesian draft whose English version is on the site: that page's original.
        refused = client.get("delete?file=content/berita/2024-06-06-draf.id.md")
        assert refused.status == 409 and "English" in said(refused), said(refused)
        # Changed since the confirmation was shown: nothing is deleted.
        confirm = client.get(f"delete?file={MISTAKE}") if (site / MISTAKE).exists() else None
        assert confirm is None
        (site / MISTAKE).write_text(MISTAKE_TEXT, "utf-8")
        srv.rebuild()
        values = form_values(client.get(f"delete?file={MISTAKE}"), "delete")
        (site / MISTAKE).write_text(MISTAKE_TEXT.replace("salah", "diubah"), "utf-8")
        assert client.post("delete", values).status == 409
        assert "diubah" in (site / MISTAKE).read_text("utf-8")


def test_deleting_a_draft_in_chromium_asks_first_and_the_overview_restores_it(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    site = small_site(make_site, **{MISTAKE: MISTAKE_TEXT})
    original = (site / MISTAKE).read_bytes()
    with desk_server(site) as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(f"http://127.0.0.1:{srv.port}{PREFIX}edit?file={MISTAKE}")
        page.get_by_role("link", name="Delete draft").click()
        page.wait_for_selector("form[action$='/delete']")
        assert (site / MISTAKE).exists()  # asking deletes nothing
        page.get_by_role("button", name="Delete draft").click()
        page.wait_for_selector("table.deleted")
        assert not (site / MISTAKE).exists()
        assert "Rilis Salah Ketik" in page.inner_text("[role=status]")
        srv.rebuild()
        page.locator("table.deleted").get_by_role("button", name="Restore").click()
        page.wait_for_selector("#release")
        assert page.input_value("#title") == "Rilis Salah Ketik"
        assert (site / MISTAKE).read_bytes() == original
        page.close()


# --- a translation's tags, unit and photo texts ------------------------------------------------------


def test_a_translation_marks_the_source_s_tags_unit_and_photo_texts_until_they_are_translated(
        make_site: Callable[..., Path]) -> None:
    source = "content/berita/2024-06-07-imigrasi.id.md"
    site = small_site(make_site, **{source: article(
        "Layanan Paspor", body="Isi.", tags=["paspor", "KPK"], unit="Divisi Keimigrasian",
        image="/images/a.jpg", image_alt="Petugas melayani pemohon", image_credit="Humas Kanwil")})
    with desk_server(site) as srv:
        client = srv.client()
        twin = translated(client, source)
        srv.rebuild()
        opened = client.get(f"edit?file={twin}")
        page = opened.page()
        # Nothing is lost: the values are in the form, and the source's value is shown beside each.
        assert page.get_element_by_id("unit").get("value") == "Divisi Keimigrasian"
        for field, value in (("unit", "Divisi Keimigrasian"), ("image_alt", "Petugas melayani pemohon"),
                             ("image_credit", "Humas Kanwil"), ("tags", "paspor, KPK")):
            beside = " ".join(page.xpath(f"string(//*[@id='src-{field}'])").split())
            assert beside == f"In Bahasa Indonesia: {value}", (field, beside)
            described = page.xpath(f"//*[@aria-describedby][contains(@aria-describedby, 'src-{field}')]")
            assert described, field
        # ... and the check warns beside each while it is unchanged, without blocking Publish.
        fields = opened.form_fields()
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        warned = {f["field"]: f["text"] for f in result["findings"] if f["severity"] == "warning"}
        for field in ("unit", "image_alt", "image_credit", "tags"):
            assert "still as in Bahasa Indonesia" in warned.get(field, ""), (field, warned)
        assert "paspor" in warned["tags"] and "KPK" in warned["tags"]
        assert result["errors"] == 0
        assert "still as in Bahasa Indonesia" in page.xpath("string(//*[@id='err-unit'])")
        assert page.get_element_by_id("publish").get("disabled") is None
        # Translated (a name kept as it is): the warning goes from that field only.
        fields = replace_field(fields, "unit", "Immigration Division")
        fields = replace_field(fields, "image_alt", "An officer serves applicants")
        fields = [(k, v) for k, v in fields if not (k == "tag" and v == "paspor")] + [("tag_new", "passport")]
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        warned = {f["field"]: f["text"] for f in result["findings"] if f["severity"] == "warning"}
        assert "unit" not in warned and "image_alt" not in warned
        assert "KPK" in warned["tags"] and "paspor" not in warned["tags"]
        assert "image_credit" in warned
        # Published with a warning left: the English unit page has the English name.
        published = client.post("save", [*replace_field(fields, "title", "Passport Service"), ("action", "publish")])
        assert published.status == 303, published.text[:2000]
        srv.rebuild()
        assert (site / "public/en/units/immigration-division/index.html").is_file()
        assert not (site / "public/en/units/divisi-keimigrasian").exists()
        # The original is no translation: nothing is marked on it.
        result = json.loads(client.post("check", saved_form(client, source),
                                        {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        assert [f for f in result["findings"] if f["field"] in ("gallery", "attachments")] == []


def test_a_translation_warns_of_gallery_and_attachment_texts_left_in_the_source_language(
        make_site: Callable[..., Path]) -> None:
    source = "content/berita/2024-06-08-galeri.id.md"
    site = small_site(make_site, **{source: article(
        "Galeri Rapat", body="Isi.", gallery=[{"path": "/images/a.jpg", "alt": "Suasana rapat", "credit": "Humas"}],
        attachments=[{"path": "/files/rilis.pdf", "title": "Siaran pers bertanda tangan"}])})
    with desk_server(site) as srv:
        client = srv.client()
        twin = translated(client, source)
        fields = saved_form(client, twin)
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        warned = {f["field"]: f["text"] for f in result["findings"] if f["severity"] == "warning"}
        assert "Suasana rapat" in warned["gallery"] and "Humas" in warned["gallery"]
        assert "Siaran pers bertanda tangan" in warned["attachments"]
        fields = replace_field(replace_field(fields, "gallery_alt", "The meeting"), "gallery_credit", "PR Office")
        fields = replace_field(fields, "attachment_title", "Signed press release")
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        assert [f for f in result["findings"] if f["field"] in ("gallery", "attachments")] == []



def test_under_serve_drafts_a_draft_s_page_in_the_output_does_not_count_as_published(
        make_site: Callable[..., Path]) -> None:
    # sitegen serve --drafts builds drafts into the output for the office to look at: that
    # page is no sign the draft was ever public.
    site = small_site(make_site, **{MISTAKE: MISTAKE_TEXT})
    with desk_server(site, drafts=True) as srv:
        client = srv.client()
        assert (site / "public/berita/2024/salah-ketik/index.html").is_file()
        confirm = client.get(f"delete?file={MISTAKE}")
        assert confirm.status == 200, said(confirm)
        assert client.post("delete", form_values(confirm, "delete")).status == 303
        assert not (site / MISTAKE).exists()


def test_the_delete_pages_and_a_translation_s_source_values_pass_axe_and_fit_a_phone(
        make_site: Callable[..., Path], chromium: Browser) -> None:
    axe = axe_path()
    need(axe, "axe-core (npm install --prefix .ci/.tools axe-core, or set AXE_JS)")
    assert axe is not None
    source = "content/berita/2024-06-07-imigrasi.id.md"
    gone = "content/berita/2024-06-02-terhapus.id.md"
    site = small_site(make_site, **{
        MISTAKE: MISTAKE_TEXT, gone: article("Rilis Terhapus", draft=True),
        source: article("Layanan Paspor", body="Isi.", tags=["paspor"], unit="Divisi Keimigrasian",
                        image="/images/a.jpg", image_alt="Petugas melayani pemohon", image_credit="Humas Kanwil")})
    with desk_server(site) as srv:
        client = srv.client()
        assert client.post("delete", form_values(client.get(f"delete?file={gone}"), "delete")).status == 303
        twin = translated(client, source)
        srv.rebuild()
        found: dict[str, list[str]] = {}
        for width, height, label in ((375, 800, "phone"), (1280, 900, "desktop")):
            page = chromium.new_page(viewport={"width": width, "height": height}, bypass_csp=True)
            for name, path in (("confirm", f"delete?file={MISTAKE}"), ("overview", ""),
                               ("history", f"history?file={gone}"), ("translation", f"edit?file={twin}")):
                page.goto(f"http://127.0.0.1:{srv.port}{PREFIX}{path}")
                page.wait_for_selector("main")
                if name == "translation":
                    page.wait_for_selector("#err-unit .warning")
                found[f"{name} {label}"] = violations(page, axe)
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, label)
            page.close()
        assert found == {name: [] for name in found}
