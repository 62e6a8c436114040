"""The dateline and the release number in feed items: a republishing service takes the item's
content as the release, so it carries them as the release page shows them."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from tests.conftest import SMALL_CONFIG, article, xml
from tests.test_feeds import parse
from tests.test_incremental import build, clean_build_of, digest, edit

NEWS = "content/berita/"
#: A dateline and a number that break HTML unless escaped.
AGENCY = "Humas <Agam> & Mitra"
NUMBER = "HM.01.02-268 <b>&amp;"


def files() -> dict[str, str | bytes]:
    return {
        NEWS + "2024-05-30-banjir.id.md": article("Banjir Surut", location="Agam", agency=AGENCY,
                                                   release_number=NUMBER, body="Air sudah surut.\n\nWarga pulang."),
        # No agency: the office itself (the language's site title), as on the page.
        NEWS + "2024-05-30-banjir.en.md": article("Flood Recedes", location="Agam", release_number=NUMBER,
                                                   body="The water has gone down.\n\nPeople went home."),
        NEWS + "2024-05-29-biasa.id.md": article("Rilis Biasa", "2024-05-29T10:00:00+07:00", body="Isi biasa."),
        NEWS + "2024-05-29-biasa.en.md": article("Plain Release", "2024-05-29T10:00:00+07:00", body="Plain text."),
    }


#: language → (feed folder, the number line, the dateline, the first paragraph's text after it)
EXPECTED = {
    "id": ("/", f"Nomor: {NUMBER}", f"Agam ({AGENCY}) -", "Air sudah surut."),
    "en": ("/en/", f"No.: {NUMBER}", "Agam (Test Newsroom) -", "The water has gone down."),
}


def contents(site: Path, folder: str) -> dict[str, str]:
    """Each item's content HTML by title, from RSS and Atom as feedparser reads them and from
    the JSON Feed as json reads it."""
    found: dict[str, str] = {}
    for name in ("feed.xml", "atom.xml"):
        parsed: Any = parse(site, folder + name)
        for item in parsed.entries:
            found[f"{name} {item.title}"] = item.content[0].value
    for item in parse(site, folder + "feed.json")["items"]:
        found[f"feed.json {item['title']}"] = item["content_html"]
    return found


def paragraphs(content: str) -> list[str]:
    return [p.text_content() for p in html.fragment_fromstring(content, create_parent="div").xpath("p")]


def test_items_carry_the_dateline_and_the_release_number_escaped(make_site: Any) -> None:
    site = make_site(files())
    build(site)
    for lang, (folder, number, dateline, first) in EXPECTED.items():
        found = contents(site, folder)
        assert len(found) == 6, found.keys()
        for key, content in found.items():
            if "Banjir" in key or "Flood" in key:
                # The number on a line of its own before the text, the dateline opening the
                # first paragraph, as the release page shows them (its label in the item's language).
                assert paragraphs(content)[:2] == [number, f"{dateline} {first}"], (lang, key)
                assert "<Agam>" not in content and "<b>" not in content  # escaped, not markup
            else:
                assert paragraphs(content)[0] == ("Isi biasa." if lang == "id" else "Plain text."), key
                assert "Nomor" not in content and "No.:" not in content and " -" not in content


def test_a_summary_only_feed_carries_them_in_its_text(make_site: Any) -> None:
    site = make_site({**files(), NEWS + "2024-05-30-banjir.id.md": article(
        "Banjir Surut", location="Agam", agency=AGENCY, release_number=NUMBER, summary="Air surut di Agam.")},
        SMALL_CONFIG + "feeds: {full_content: false}\n")
    build(site)
    item = next(i for i in parse(site, "/feed.json")["items"] if i["title"] == "Banjir Surut")
    assert item["content_text"] == f"Nomor: {NUMBER}\n\nAgam ({AGENCY}) - Air surut di Agam."
    assert item["summary"] == "Air surut di Agam."  # the summary field itself is the summary
    # RSS's description as written: HTML text (readers take a description as HTML, whatever it is).
    rss = xml(site / "public/feed.xml")
    assert rss.xpath("string(//item[title='Banjir Surut']/description)") == escape(
        f"Nomor: {NUMBER}\n\nAgam ({AGENCY}) - Air surut di Agam.", quote=False)
    plain = next(i for i in parse(site, "/feed.json")["items"] if i["title"] == "Rilis Biasa")
    assert plain["content_text"] == "Isi biasa."  # the summary made from the text, alone


@pytest.mark.parametrize("change", ["location", "agency", "number"])
def test_an_edit_of_the_dateline_alone_changes_the_item(make_site: Any, tmp_path: Path, change: str) -> None:
    site = make_site(files())
    build(site)
    source = site / NEWS / "2024-05-30-banjir.id.md"
    old, new = {"location": ("Agam", "Bukittinggi"), "agency": ("Mitra", "Kawan"),
                "number": ("HM.01.02-268", "HM.01.02-269")}[change]
    edit(source, f'"{old}' if change != "agency" else old, f'"{new}' if change != "agency" else new)
    build(site)
    for name in ("feed.xml", "atom.xml", "feed.json"):
        text = (site / "public" / name).read_text("utf-8")
        assert new in text and (old not in text or change == "location"), name  # "Agam" is in the title too
    assert digest(site / "public") == clean_build_of(site, tmp_path)
