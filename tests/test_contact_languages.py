"""The office's press contact in each language: ``contact.name`` in config.yaml is one text for
every language or one per language code, and each language's pages, feeds, structured data,
new files and the desk's form show that language's name (the default language's, marked with
its ``lang``, where a language has none)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from lxml import html

from tests.conftest import NOW, SMALL_CONFIG, article, build, page, run
from tests.desk_helpers import desk_server

BOTH = SMALL_CONFIG + """\
contact:
  name: {id: Subbagian Humas Kanwil, en: Public Relations Subdivision}
  phone: "+62 751 1"
  email: humas@example.go.id
"""
ID_ONLY = SMALL_CONFIG + "contact: {name: {id: Subbagian Humas Kanwil}, email: humas@example.go.id}\n"
ONE = SMALL_CONFIG + "contact: {name: Humas Kanwil, email: humas@example.go.id}\n"

FILES = {
    "content/berita/2024-05-30-rapat.id.md": article("Rapat Koordinasi", slug="rapat"),
    "content/berita/2024-05-30-rapat.en.md": article("Coordination Meeting", slug="rapat"),
}


def contact_box(doc: html.HtmlElement) -> html.HtmlElement:
    found = doc.xpath('//section[@class="contact"]/p')
    assert len(found) == 1
    box: html.HtmlElement = found[0]
    return box


def contact_point(doc: html.HtmlElement) -> dict[str, Any]:
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        if data.get("@type") == "NewsArticle":
            point: dict[str, Any] = data["sourceOrganization"]["contactPoint"]
            return point
    raise AssertionError("no NewsArticle")


def item_content(site: Path, feed: str) -> str:
    parsed = feedparser.parse((site / "public" / feed).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    content: str = parsed.entries[0].content[0].value
    return content


def test_each_language_shows_its_own_name_of_the_office(make_site: Any) -> None:
    site = make_site(FILES, BOTH)
    assert build(site, "--no-search").code == 0
    indonesian, english = page(site, "/berita/2024/rapat/"), page(site, "/en/berita/2024/rapat/")
    assert contact_box(indonesian).text_content().startswith("Subbagian Humas Kanwil")
    assert contact_box(english).text_content().startswith("Public Relations Subdivision")
    assert not contact_box(english).xpath(".//*[@lang]")
    assert contact_point(indonesian)["name"] == "Subbagian Humas Kanwil"
    assert contact_point(english)["name"] == "Public Relations Subdivision"
    assert "Public Relations Subdivision" in item_content(site, "en/feed.xml")
    assert "Subbagian Humas Kanwil" not in item_content(site, "en/feed.xml")
    assert "Subbagian Humas Kanwil" in item_content(site, "feed.xml")
    feed = json.loads((site / "public/en/feed.json").read_text("utf-8"))
    assert feed["items"][0]["_sitegen"]["press_contact"]["name"] == "Public Relations Subdivision"


def test_a_language_without_its_own_name_shows_the_default_one_marked(make_site: Any) -> None:
    site = make_site(FILES, ID_ONLY)
    assert build(site, "--no-search").code == 0
    english = contact_box(page(site, "/en/berita/2024/rapat/"))
    marked = english.xpath('./span[@lang="id"]')
    assert [span.text for span in marked] == ["Subbagian Humas Kanwil"]
    assert not contact_box(page(site, "/berita/2024/rapat/")).xpath(".//*[@lang]")
    items = feedparser.parse((site / "public/en/feed.xml").read_bytes()).entries
    item = html.fragment_fromstring(items[0].content[0].value, create_parent="div")
    assert [span.text for span in item.xpath('.//p[@class="press-contact"]/span[@lang="id"]')] == \
        ["Subbagian Humas Kanwil"]


def test_one_name_for_every_language_is_shown_as_it_is(make_site: Any) -> None:
    site = make_site(FILES, ONE)
    assert build(site, "--no-search").code == 0
    for url in ("/berita/2024/rapat/", "/en/berita/2024/rapat/"):
        box = contact_box(page(site, url))
        assert box.text_content().startswith("Humas Kanwil") and not box.xpath(".//*[@lang]")


def test_a_name_for_a_language_that_is_not_configured_is_an_error(make_site: Any) -> None:
    site = make_site(FILES, SMALL_CONFIG + "contact:\n  name: {id: Humas, fr: Relations presse}\n")
    result = run("check", "--site", site, "--now", NOW)
    assert result.code == 2
    assert result.err.startswith("config.yaml:11: error: unknown key 'contact.name.fr' (known keys: en, id)"), \
        result.err


def test_new_files_take_the_name_in_their_own_language(make_site: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime.fromisoformat(NOW).timestamp())))
    site = make_site({}, BOTH)
    assert run("new", "Rapat Anggaran", "--site", site, "--section", "berita", "--translations").code == 0
    names = {}
    for path in (site / "content/berita").iterdir():
        data = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
        names[path.name.rsplit(".", 2)[1]] = data["contact"]["name"]
    assert names == {"id": "Subbagian Humas Kanwil", "en": "Public Relations Subdivision"}


def test_the_desk_offers_the_name_in_the_release_s_language(make_site: Any) -> None:
    site = make_site(FILES, BOTH)
    with desk_server(site) as srv:
        client = srv.client()
        for rel, name in (("content/berita/2024-05-30-rapat.id.md", "Subbagian Humas Kanwil"),
                          ("content/berita/2024-05-30-rapat.en.md", "Public Relations Subdivision")):
            doc = client.get(f"edit?file={rel}").page()
            assert doc.xpath('//input[@name="contact_name"]/@placeholder') == [name]
            assert name in doc.get_element_by_id("hint-contact").text_content()
