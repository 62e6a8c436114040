"""A third outside audit of the desk: a translation's tags, unit and photo texts marked as
still to translate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from tests.conftest import article
from tests.desk_helpers import desk_server
from tests.test_desk import replace_field, saved_form, small_site

# --- a translation's tags, unit and photo texts ------------------------------------------------------


def test_a_translation_marks_the_source_s_tags_unit_and_photo_texts_until_they_are_translated(
        make_site: Callable[..., Path]) -> None:
    source = "content/berita/2024-06-07-imigrasi.id.md"
    site = small_site(make_site, **{source: article(
        "Layanan Paspor", body="Isi.", tags=["paspor", "KPK"], unit="Divisi Keimigrasian",
        image="/images/a.jpg", image_alt="Petugas melayani pemohon", image_credit="Humas Kanwil")})
    with desk_server(site) as srv:
        client = srv.client()
        made = client.post("translate", {"csrf": client.csrf(), "file": source, "lang": "en"})
        twin = unquote(made.headers["Location"].split("file=")[1].split("&")[0])
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
        assert [f for f in result["findings"] if "still as in" in f["text"]] == []


def test_a_translation_warns_of_gallery_and_attachment_texts_left_in_the_source_language(
        make_site: Callable[..., Path]) -> None:
    source = "content/berita/2024-06-08-galeri.id.md"
    site = small_site(make_site, **{source: article(
        "Galeri Rapat", body="Isi.", gallery=[{"path": "/images/a.jpg", "alt": "Suasana rapat", "credit": "Humas"}],
        attachments=[{"path": "/files/rilis.pdf", "title": "Siaran pers bertanda tangan"}])})
    with desk_server(site) as srv:
        client = srv.client()
        made = client.post("translate", {"csrf": client.csrf(), "file": source, "lang": "en"})
        twin = unquote(made.headers["Location"].split("file=")[1].split("&")[0])
        fields = saved_form(client, twin)
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        warned = {f["field"]: f["text"] for f in result["findings"] if f["severity"] == "warning"}
        assert "Suasana rapat" in warned["gallery"] and "Humas" in warned["gallery"]
        assert "Siaran pers bertanda tangan" in warned["attachments"]
        fields = replace_field(replace_field(fields, "gallery_alt", "The meeting"), "gallery_credit", "PR Office")
        fields = replace_field(fields, "attachment_title", "Signed press release")
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        assert [f for f in result["findings"] if "still as in" in f["text"]] == []


