"""The desk's lists in staff's terms: a draft with errors by its title and date, a release's
history with sizes and dates in the desk's language, a delete confirmation that names the
file once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitegen.desk import storage
from sitegen.messages import set_language
from tests.conftest import article
from tests.desk_helpers import desk_server
from tests.test_desk import ARTICLE, small_site

HALF_WRITTEN = "content/berita/2024-06-01-darurat.id.md"


def test_a_draft_with_errors_is_listed_by_its_title_and_date_like_the_other_drafts(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site, **{
        HALF_WRITTEN: article("Rapat Darurat", date="2024-06-01T09:30:00+07:00", draft=True,
                              image="/images/tidak-ada.jpg", image_alt="Foto"),
    })
    with desk_server(site) as srv:
        broken = '---\ntitle: "Rusak\ndate: 2024-06-02\n---\n'
        (site / "content/berita/2024-06-02-rusak.id.md").write_text(broken, "utf-8")
        assert not srv.rebuilder.rebuild("broken outside").ok
        listed = srv.client().get("?state=error").page().xpath("//tbody/tr")
        rows = {r.xpath("string(td[1])").strip(): r for r in listed}
        assert set(rows) == {"Rapat Darurat", "2024-06-02-rusak.id.md"}, list(rows)
        darurat = rows["Rapat Darurat"]
        assert darurat.xpath("string(td[5]/time/@datetime)") == "2024-06-01T09:30:00+07:00"
        assert darurat.xpath("normalize-space(td[5])") == "2024-06-01 09:30 WIB"
        assert [s.strip() for s in darurat.xpath("td[4]//li/text()")] == ["has errors", "draft"]
        assert "draft" in [s.get("class").split("-")[-1] for s in darurat.xpath("td[4]//li")]
        # A file whose front matter cannot be read is named by its file, with no date.
        assert rows["2024-06-02-rusak.id.md"].xpath("string(td[5])").strip() == ""


@pytest.mark.parametrize(("ui_language", "size"), [("en", "2.4 KB"), ("id", "2,4 KB")])
def test_the_history_shows_sizes_in_the_desk_s_language_and_times_on_the_site_s_clock(
        make_site: Callable[..., Path], ui_language: str, size: str) -> None:
    site = small_site(make_site)
    set_language(ui_language)  # as serve does for a site with  ui_language: id  (the fixture sets English back)
    data = article("Rapat Koordinasi", body="Isi berita rapat.").encode()
    data += b"x" * (2458 - len(data)) + b"\n"  # 2,459 bytes: 2.4 KB
    current = (site / ARTICLE).read_bytes()
    storage.save(site, ARTICLE, data[:2459], storage.digest(current), now=datetime(2024, 6, 3, 2, 15, tzinfo=UTC))
    with desk_server(site) as srv:
        page = srv.client().get(f"history?file={ARTICLE}").page()
        rows = page.xpath("//table[@class='history']/tbody/tr")
        assert rows[0].xpath("normalize-space(td[2])") == size
        saved = rows[0].xpath("string(td[1]/time/@datetime)")
        shown = rows[0].xpath("string(td[1]/time)")
        assert saved.startswith("2024-06-03T02:15:00")
        wanted = "2024-06-03 09:15:00 WIB"  # on the site's clock, as sitegen writes every time
        assert shown == wanted, shown
        assert rows[1].xpath("normalize-space(td[2])").endswith(" B")  # the first version: under 1 KB
        # The version shown is headed by its date in the same words.
        href = rows[0].xpath("string(.//a[contains(@href, 'version=')]/@href)")
        heading = srv.client().get(href).page().xpath("string(//h2)")
        assert wanted in heading, heading


@pytest.mark.parametrize("title", ["", "Rapat Darurat"])
def test_the_delete_confirmation_names_the_file_once(make_site: Callable[..., Path], title: str) -> None:
    site = small_site(make_site, **{HALF_WRITTEN: f'---\ntitle: "{title}"\ndate: 2024-06-01\ndraft: true\n---\n'})
    with desk_server(site) as srv:
        asked = srv.client().get(f"delete?file={HALF_WRITTEN}")
        assert asked.status == 200
        said = asked.page().xpath("normalize-space(//main/p[1])")
        assert said.count(HALF_WRITTEN) == 1, said
        if title:
            assert said == f"“{title}” ({HALF_WRITTEN}) has never been on the site."
        else:
            assert said == f"The file {HALF_WRITTEN} has never been on the site."


def test_the_toolbar_draws_its_icons_and_needs_no_emoji_font(make_site: Callable[..., Path]) -> None:
    """A staff laptop without an emoji font showed two of the seven formatting buttons as empty
    boxes (link and image were emoji). Each button shows a letter, a common mark or a drawn
    icon, and is named in words."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        page = srv.client().get(f"edit?file={ARTICLE}").page()
    buttons = page.xpath("//div[@role='toolbar']/button")
    assert [b.get("data-md") for b in buttons] == ["bold", "italic", "heading", "link", "list", "quote", "image"]
    for button in buttons:
        assert button.xpath("normalize-space(.//*[@class='visually-hidden'])"), button.get("data-md")
        shown = "".join(button.xpath(".//*[@aria-hidden='true']//text()"))
        assert all(ord(char) < 0x2190 or char in "“”•" for char in shown), (button.get("data-md"), shown)
        assert shown.strip() or button.xpath(".//*[local-name()='svg'][@aria-hidden='true']"), button.get("data-md")
