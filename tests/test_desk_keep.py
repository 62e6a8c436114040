"""A translation's field left as in its source on purpose (a name: "COVID-19", "Bappeda",
"Humas Sumbar"): "Keep as it is" beside its mark silences its warning while it stays so."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from sitegen.cachefiles import CACHE_DIR
from sitegen.desk.app import PREFIX
from sitegen.desk.untranslated import ONE
from sitegen.messages import _, set_language
from tests.conftest import article
from tests.desk_helpers import Answer, Client, DeskServer, desk_server, leaving
from tests.test_desk import replace_field, saved_form, small_site
from tests.test_desk_three import translated

SOURCE = "content/berita/2024-06-07-bappeda.id.md"
SOURCE_TEXT = article("Rapat Bappeda", body="Isi.", tags=["COVID-19", "paspor"], unit="Bappeda",
                      image="/images/a.jpg", image_alt="Peserta rapat", image_credit="Humas Sumbar",
                      gallery=[{"path": "/images/a.jpg", "alt": "Suasana rapat", "credit": "Humas Sumbar"}])


@contextmanager
def translation(make_site: Callable[..., Path], source: str = SOURCE, text: str = SOURCE_TEXT
                ) -> Iterator[tuple[Path, DeskServer, Client, str]]:
    """A site with ``source`` (``text``), its desk, a signed-in client and the source's English
    translation made by the desk (built since): (site, server, client, the translation's file)."""
    site = small_site(make_site, **{source: text})
    with desk_server(site) as srv:
        client = srv.client()
        twin = translated(client, source)
        srv.rebuild()
        yield site, srv, client, twin


def warned(answer: Answer) -> dict[str, str]:
    """The warnings the page shows beside each field, by field."""
    page = answer.page()
    return {box.get("id").removeprefix("err-"): " ".join(box.xpath("string(.)").split())
            for box in page.xpath("//p[@class='field-problem'][span[@class='warning']]")}


def box(answer: Answer, field: str) -> tuple[str, bool, bool]:
    """(value, ticked, shown) of the field's "Keep as it is" box."""
    (found,) = answer.page().xpath(f"//input[@name='keep_{field}']")
    shown = not found.xpath("ancestor-or-self::*[@hidden]")
    return found.get("value") or "", found.get("checked") is not None, shown


def ticked(answer: Answer, *fields: str) -> list[tuple[str, str]]:
    """The form as sent with the "Keep as it is" box of each of ``fields`` ticked."""
    return [*answer.form_fields(), *((f"keep_{f}", box(answer, f)[0]) for f in fields)]


def save(client: Client, fields: list[tuple[str, str]]) -> None:
    saved = client.post("save", [*fields, ("action", "save")])
    assert saved.status == 303, saved.text[:3000]


def checked(client: Client, fields: list[tuple[str, str]]) -> dict[str, str]:
    """The live check's warnings, by field."""
    answer = client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]})
    return {f["field"]: f["text"] for f in json.loads(answer.body)["findings"] if f["severity"] == "warning"}


def test_a_field_kept_as_it_is_warns_no_more_until_it_or_its_source_changes(make_site: Callable[..., Path]) -> None:
    with translation(make_site) as (site, srv, client, twin):
        opened = client.get(f"edit?file={twin}")
        assert {"unit", "image_credit", "tags", "gallery"} <= set(warned(opened))
        value, is_ticked, shown = box(opened, "unit")
        assert value and shown and not is_ticked
        # Kept, and saved: the file keeps its bytes, and the warning is gone for good ...
        before = (site / twin).read_bytes()
        save(client, ticked(opened, "unit", "image_credit", "gallery"))
        assert (site / twin).read_bytes() == before
        reopened = client.get(f"edit?file={twin}")
        # (the title and text are the source's too: see test_desk_words)
        assert set(warned(reopened)) == {"title", "body", "tags", "image_alt"}, warned(reopened)
        assert box(reopened, "unit")[1:] == (True, True)
        assert set(checked(client, reopened.form_fields())) == {"title", "body", "tags", "image_alt"}
        # ... for that field only: unticked, it warns again (as soon as the live check sees it).
        unticked = [(k, v) for k, v in reopened.form_fields() if k != "keep_image_credit"]
        assert "image_credit" in checked(client, unticked)
        # The value changed and back: the choice went with the value, and the warning returns.
        save(client, replace_field(reopened.form_fields(), "unit", "Regional Planning Agency"))
        changed = client.get(f"edit?file={twin}")
        assert "unit" not in warned(changed) and box(changed, "unit") == ("", False, False)
        save(client, replace_field(changed.form_fields(), "unit", "Bappeda"))
        back = client.get(f"edit?file={twin}")
        assert "unit" in warned(back) and box(back, "unit")[1:] == (False, True)
        # Another value that is again as in the source (BAPPEDA is Bappeda's tag page) is asked
        # about again, also when the box ticked for the old one is sent with it (no script).
        save(client, ticked(back, "unit"))
        assert "unit" not in warned(client.get(f"edit?file={twin}"))
        save(client, replace_field(ticked(back, "unit"), "unit", "BAPPEDA"))
        assert "unit" in warned(client.get(f"edit?file={twin}"))
        # The source's value changes: what was kept no longer is what the source says.
        assert "image_credit" not in warned(client.get(f"edit?file={twin}"))
        (site / SOURCE).write_text(SOURCE_TEXT.replace('"Humas Sumbar"}]', '"HUMAS SUMBAR"}]')
                                   .replace('image_credit: "Humas Sumbar"', 'image_credit: "HUMAS SUMBAR"'), "utf-8")
        srv.rebuild()
        again = client.get(f"edit?file={twin}")
        assert {"image_credit", "gallery"} <= set(warned(again)), warned(again)
        assert box(again, "image_credit")[1:] == (False, True)


def test_kept_tags_stay_kept_when_one_of_them_is_translated_and_not_when_another_is_added(
        make_site: Callable[..., Path]) -> None:
    with translation(make_site) as (site, srv, client, twin):
        save(client, ticked(client.get(f"edit?file={twin}"), "tags"))
        kept = client.get(f"edit?file={twin}")
        assert "tags" not in warned(kept)
        fields = [(k, v) for k, v in kept.form_fields() if (k, v) != ("tag", "paspor")] + [("tag_new", "passport")]
        assert "tags" not in checked(client, fields)
        save(client, fields)
        translated_one = client.get(f"edit?file={twin}")
        assert "tags" not in warned(translated_one)
        assert "tags" in checked(client, replace_field(translated_one.form_fields(), "tag_new", "paspor"))


def test_keeping_a_field_needs_the_form_s_token(make_site: Callable[..., Path]) -> None:
    with translation(make_site) as (site, srv, client, twin):
        opened = client.get(f"edit?file={twin}")
        before = (site / twin).read_bytes()
        forged = replace_field(ticked(opened, "unit"), "csrf", "forged")
        refused = client.post("save", [*forged, ("action", "save")])
        assert refused.status == 403
        assert "unit" in warned(client.get(f"edit?file={twin}"))
        assert (site / twin).read_bytes() == before
        assert not (site / CACHE_DIR / "desk-kept").exists()
        # An expired form from this very desk comes back as it was sent, the tick too: nothing is lost.
        here = {"Origin": f"http://127.0.0.1:{srv.port}"}
        expired = client.post("save", [*forged, ("action", "save")], here)
        assert expired.status == 403 and box(expired, "unit")[1:] == (True, True)
        assert "unit" not in warned(expired)
        assert not (site / CACHE_DIR / "desk-kept").exists()
        # from another site's page, with this session's own token: refused too
        other = client.post("save", [*ticked(opened, "unit"), ("action", "save")], {"Origin": "http://evil.example"})
        assert other.status == 403
        assert "unit" in warned(client.get(f"edit?file={twin}"))


def test_an_original_and_a_field_not_as_in_its_source_have_no_keep_box(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site, **{SOURCE: SOURCE_TEXT})
    with desk_server(site) as srv:
        client = srv.client()
        twin = translated(client, SOURCE)
        assert not client.get(f"edit?file={SOURCE}").page().xpath("//input[starts-with(@name, 'keep_')]")
        srv.rebuild()
        fields = replace_field(saved_form(client, twin), "image_alt", "Meeting participants")
        save(client, fields)
        assert box(client.get(f"edit?file={twin}"), "image_alt") == ("", False, False)


# --- in a browser ------------------------------------------------------------------------------


@pytest.mark.parametrize("ui_language", ["en", "id"])
def test_keeping_a_name_as_it_is_in_chromium(make_site: Callable[..., Path], chromium: Browser,
                                             ui_language: str) -> None:
    set_language(ui_language)  # as serve does for a site with  ui_language: id  (the fixture sets English back)
    warning = _(ONE).format(language="Bahasa Indonesia")
    with translation(make_site) as (site, srv, _client, twin):
        before = (site / twin).read_bytes()
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(f"http://127.0.0.1:{srv.port}{PREFIX}edit?file={twin}")
        assert page.evaluate("document.documentElement.lang") == ui_language
        unit_warning, keep_unit = page.locator("#err-unit .warning"), page.locator("#keep-unit")
        expect(unit_warning).to_have_text(warning)
        keep = page.get_by_role("checkbox", name=f"{_('Keep as it is')} ({_('Unit')})")
        expect(keep).to_be_visible()
        expect(keep).not_to_be_checked()
        keep.check()  # the live check takes the warning away at once ...
        expect(unit_warning).to_have_count(0)
        expect(page.locator("#err-image_credit .warning")).to_have_text(warning)
        with leaving(page):  # the page's script follows the typing from then on
            page.get_by_role("button", name=_("Save"), exact=True).click()  # ... and Save keeps the choice
        expect(page.get_by_role("status").filter(has_text=_("Saved."))).to_be_visible()
        assert (site / twin).read_bytes() == before
        expect(keep_unit).to_be_checked()
        expect(unit_warning).to_have_count(0)
        checks = int(page.evaluate("Number(document.getElementById('release').dataset.checked || 0)"))
        page.fill("#unit", "Badan Perencanaan")  # another value: nothing to keep, the box goes
        expect(keep_unit).to_be_hidden()
        page.fill("#unit", "Bappeda")  # and back: asked again
        expect(unit_warning).to_have_text(warning)
        expect(keep_unit).to_be_visible()
        expect(keep_unit).not_to_be_checked()
        assert int(page.evaluate("Number(document.getElementById('release').dataset.checked)")) > checks
        with leaving(page):  # what follows holds on the page left too: look at the one Save brings
            page.get_by_role("button", name=_("Save"), exact=True).click()
        expect(page.get_by_role("status").filter(has_text=_("Saved."))).to_be_visible()
        expect(unit_warning).to_have_text(warning)
        expect(keep_unit).not_to_be_checked()
        page.close()
