"""The desk without its script and while a chosen file goes up: a date it cannot read is not
saved, an upload Save waits for is said, and the overview's dates read in the desk's language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.desk.app import UNREADABLE_DATE
from sitegen.messages import _, set_language
from tests.desk_helpers import desk_server
from tests.test_desk import ARTICLE, new_fields, replace_field, saved_form, small_site
from tests.test_desk_two import field_errors

# --- 1. a date the desk cannot read, sent without the page's script ---------------------------------


@pytest.mark.parametrize(("field", "day", "clock", "said"), [
    ("date", "", "17:42", "a time (17:42) but no date: choose the day too"),
    ("date", "31/02/2026", "17:42", "not a date"),
    ("date", "2026-02-30", "17:42", "an impossible date: that month has no such day"),
    ("embargo_date", "", "09:00", "a time (09:00) but no date: choose the day too"),
    ("embargo_date", "besok", "", "not a date"),
    ("date", "2026-06-01", "17.42", "the time 17.42 cannot be read: write it as hours:minutes, like 17:42"),
])
def test_a_draft_with_a_date_the_desk_cannot_read_is_not_saved(
        make_site: Callable[..., Path], field: str, day: str, clock: str, said: str) -> None:
    site = small_site(make_site)
    before = (site / ARTICLE).read_bytes()
    clock_field = "time" if field == "date" else "embargo_time"
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(replace_field(saved_form(client, ARTICLE), field, day), clock_field, clock)
        refused = client.post("save", [*fields, ("draft", "1"), ("action", "save")])
        assert refused.status == 422
        assert (site / ARTICLE).read_bytes() == before
        page = refused.page()
        assert page.xpath(f"string(//*[@id='err-{field}'])").strip() == said
        assert "Nothing was saved" in page.xpath("string(//*[@role='alert'])")
        # the form comes back as sent: nothing typed is lost
        assert page.get_element_by_id(field).get("value") == day
        assert page.get_element_by_id(clock_field).get("value") == clock
        # A new release's form too: no file is made.
        folder = site / "content/berita"
        made = set(folder.iterdir())
        other = replace_field(replace_field(new_fields(client, title="Jadwal"), field, day), clock_field, clock)
        assert client.post("save", [*other, ("action", "save")]).status == 422
        assert set(folder.iterdir()) == made
        # a date and time it reads still save
        fields = replace_field(replace_field(fields, field, "2026-06-01"), clock_field, "17:42")
        assert client.post("save", [*fields, ("draft", "1"), ("action", "save")]).status == 303
        key = "date" if field == "date" else "embargo"
        assert f'{key}: "2026-06-01T17:42:00+07:00"' in (site / ARTICLE).read_text("utf-8")


def test_the_refusal_is_in_the_desk_s_language(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    set_language("id")
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(replace_field(saved_form(client, ARTICLE), "date", ""), "time", "17:42")
        page = client.post("save", [*fields, ("draft", "1"), ("action", "save")]).page()
        said = page.xpath("string(//*[@id='err-date'])").strip()
        assert said == _("a time ({value}) but no date: choose the day too").format(value="17:42") != \
            "a time (17:42) but no date: choose the day too"
        assert page.xpath("string(//*[@role='alert'])") == _(UNREADABLE_DATE)


def test_the_live_check_says_of_an_unreadable_time_what_save_says(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "time", "17.42")
        errors = field_errors(client, fields)
        assert errors["date"] == "the time 17.42 cannot be read: write it as hours:minutes, like 17:42", errors
