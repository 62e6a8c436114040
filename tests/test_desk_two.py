"""A second outside audit of the desk: a release's category, a text too large to send, a new
release saved twice from one form, and the words shown beside a field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import article
from tests.desk_helpers import desk_server
from tests.test_desk import ARTICLE, new_fields, replace_field, saved_form, small_site

ANNOUNCEMENT = "content/berita/2024-05-29-libur.id.md"


def test_a_release_s_category_is_a_field_with_the_site_s_categories_suggested(
        make_site: Callable[..., Path]) -> None:
    # Staff set a category without YAML; the categories other releases carry are offered.
    site = small_site(make_site, **{ANNOUNCEMENT: article("Libur Nasional", category="Pengumuman")})
    with desk_server(site) as srv:
        client = srv.client()
        page = client.get("new?section=berita&lang=id").page()
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
