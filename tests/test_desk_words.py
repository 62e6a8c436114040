"""A fourth audit of the desk: a translation's title, summary and text still in the source's
language are marked as the other fields are, and the desk says the build's findings in staff
words (no front matter key, no file or folder staff never see)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from sitegen.desk.app import PREFIX
from sitegen.desk.untranslated import BODY, SAME
from sitegen.messages import _, set_language
from tests.conftest import NOW, article, run
from tests.desk_helpers import Answer, Client, desk_server
from tests.test_desk import replace_field, small_site
from tests.test_desk_browser import TIMEOUT_MS
from tests.test_desk_keep import box, checked, save, translation, warned
from tests.test_desk_three import translated

CHECKED = "Number(document.getElementById('release').dataset.checked || 0)"  # answers the page has shown

SOURCE = "content/berita/2024-06-07-bappeda.id.md"
SOURCE_TEXT = article("Rapat Bappeda", summary="Bappeda menggelar rapat koordinasi.",
                      body="Bappeda menggelar rapat koordinasi di Padang.\n\nRapat dibuka pukul 09.00.")


def check_answer(client: Client, fields: list[tuple[str, str]]) -> dict[str, object]:
    answer = client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]})
    return dict(json.loads(answer.body))


def published(site: Path, rel: str) -> str:
    return (site / rel).read_text("utf-8")


# --- 1. a translation's title, summary and text still as in the source ---------------------------------


def test_a_translation_s_title_summary_and_text_still_as_in_the_source_are_marked(
        make_site: Callable[..., Path]) -> None:
    with translation(make_site, SOURCE, SOURCE_TEXT) as (_site, _srv, client, twin):
        opened = client.get(f"edit?file={twin}")
        same = _(SAME).format(language="Bahasa Indonesia")
        marks = warned(opened)
        assert marks.get("title") == same and marks.get("summary") == same, marks
        assert marks.get("body") == _(BODY).format(language="Bahasa Indonesia"), marks
        # The title can be kept as it is (a name); the text has no such box.
        value, ticked, shown = box(opened, "title")
        assert value and shown and not ticked
        assert not opened.page().xpath("//input[@name='keep_body']")
        # The live check says the same, and gives the summary's box its value.
        fields = opened.form_fields()
        assert {"title", "summary", "body"} <= set(checked(client, fields))
        alike = check_answer(client, fields)["alike"]
        assert isinstance(alike, dict) and {"title", "summary"} <= set(alike) and "body" not in alike
        # Kept as they are (title and summary), saved: their warnings are gone; the text's stays.
        kept = [*fields, ("keep_title", value), ("keep_summary", alike["summary"])]
        save(client, kept)
        reopened = client.get(f"edit?file={twin}")
        assert {"title", "summary"}.isdisjoint(warned(reopened)) and "body" in warned(reopened), warned(reopened)
        assert box(reopened, "title")[1:] == (True, True)
        # Translated, the warnings go without any box.
        english = replace_field(replace_field(fields, "title", "Bappeda Meeting"), "body", "Bappeda met in Padang.")
        assert {"title", "body"}.isdisjoint(checked(client, english))
        assert "summary" in checked(client, english)


def test_a_translation_still_as_in_its_source_can_be_published_with_its_warnings(
        make_site: Callable[..., Path]) -> None:
    """A warning, as for the other fields: Publish stays possible (a name, a text left for later)."""
    with translation(make_site, SOURCE, SOURCE_TEXT) as (site, _srv, client, twin):
        opened = client.get(f"edit?file={twin}")
        assert not opened.page().xpath("//button[@id='publish'][@disabled]")
        answer = client.post("save", [*opened.form_fields(), ("action", "publish")])
        assert answer.status == 303, answer.text[:3000]
        assert "draft: true" not in published(site, twin)
        assert {"title", "summary", "body"} <= set(warned(client.get(f"edit?file={twin}")))


@pytest.mark.parametrize("ui_language", ["en", "id"])
def test_the_untranslated_title_is_marked_beside_it_in_chromium(make_site: Callable[..., Path], chromium: Browser,
                                                                ui_language: str) -> None:
    set_language(ui_language)  # as serve does for a site with  ui_language: id  (the fixture sets English back)
    same = _(SAME).format(language="Bahasa Indonesia")
    with translation(make_site, SOURCE, SOURCE_TEXT) as (_site, srv, _client, twin):
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(f"http://127.0.0.1:{srv.port}{PREFIX}edit?file={twin}")
        assert page.evaluate("document.documentElement.lang") == ui_language
        title_warning = page.locator("#err-title .warning")
        expect(title_warning).to_have_text(same)
        title = page.get_by_role("textbox", name=_("Title"), exact=True)
        expect(title).to_have_accessible_description(f"{same} {_('The headline, as readers will see it.')} "
                                                     f"{_('In {language}:').format(language='Bahasa Indonesia')} "
                                                     "Rapat Bappeda")
        expect(page.get_by_role("checkbox", name=f"{_('Keep as it is')} ({_('Title')})")).to_be_visible()
        title.fill("Bappeda Meeting")  # translated: the live check takes the warning away
        expect(title_warning).to_have_count(0)
        expect(page.locator("#err-body .warning")).to_have_text(_(BODY).format(language="Bahasa Indonesia"))
        page.close()


# --- 2. the build's findings in the desk's words ---------------------------------------------------------


def findings(client: Client, fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The live check's findings, by field ("" for the release as a whole)."""
    found = check_answer(client, fields)["findings"]
    assert isinstance(found, list)
    by_field: dict[str, list[str]] = {}
    for f in found:
        by_field.setdefault(f["field"], []).append(f["text"])
    return by_field


def shown(answer: Answer) -> dict[str, str]:
    """Everything the form shows beside each field, by field ("" for the release as a whole)."""
    return {box.get("id").removeprefix("err-"): " ".join(box.xpath("string(.)").split())
            for box in answer.page().xpath("//p[@class='field-problem']") if box.xpath("string(.)").strip()}


@pytest.mark.parametrize("ui_language", ["en", "id"])
def test_the_desk_says_a_missing_alt_text_and_a_missing_photo_without_a_key_or_a_folder(
        make_site: Callable[..., Path], ui_language: str) -> None:
    site = small_site(make_site, **{SOURCE: SOURCE_TEXT})
    set_language(ui_language)  # as serve does for a site with  ui_language: id
    with desk_server(site) as srv:
        client = srv.client()
        fields = client.get(f"edit?file={SOURCE}").form_fields()
        fields = replace_field(replace_field(fields, "image", "/images/a.jpg"), "image_credit", "Humas")
        said_alt = _("still empty: describe what the photo shows, for readers who cannot see it")
        said = findings(client, fields)
        assert said["image_alt"] == [said_alt], said
        said_missing = (f"{_('the file {value} does not exist').format(value=repr('/images/foto kegiatan.jpg'))} "
                        f"({_('upload the file again, or correct its name')})")
        said = findings(client, replace_field(fields, "image", "/images/foto kegiatan.jpg"))
        assert said["image"] == [said_missing], said
        web = "https://example.com/foto.jpg"
        said = findings(client, replace_field(fields, "image", web))
        on_the_web = _("photo {value} is a web address, not a file of this site").format(value=repr(web))
        assert said["image"] == [f"{on_the_web} ({_('save the photo on your computer, then upload it here')})"], said
        # The form as the page shows it after Save (a draft may be saved with them) says the same.
        save(client, [*fields, ("draft", "1")])
        page = shown(client.get(f"edit?file={SOURCE}"))
        assert "image_alt" not in page["image_alt"] and page["image_alt"] == said_alt, page
        reopened = client.get(f"edit?file={SOURCE}").form_fields()
        save(client, replace_field(reopened, "image", "/images/foto kegiatan.jpg"))
        page = shown(client.get(f"edit?file={SOURCE}"))
        assert "static" not in page["image"] and page["image"] == said_missing, page


@pytest.mark.parametrize("ui_language", ["en", "id"])
def test_words_about_a_photo_with_no_photo_file_are_told_without_a_key(
        make_site: Callable[..., Path], ui_language: str) -> None:
    """The photo file emptied while its description, credit or caption stays: the build's
    "'image_alt' describes a lead photo, but there is no image:" named two keys beside the field."""
    site = small_site(make_site, **{SOURCE: SOURCE_TEXT})
    set_language(ui_language)
    with desk_server(site) as srv:
        client = srv.client()
        fields = client.get(f"edit?file={SOURCE}").form_fields()
        fields = replace_field(replace_field(fields, "image_alt", "Rapat di aula"), "image_credit", "Humas")
        said = findings(client, fields)
        words = (f"{_('these words are about a lead photo, but there is no photo file')} "
                 f"({_('upload the photo, or empty this field')})")
        assert said.get("image_alt") == [words] and said.get("image_credit") == [words], said
        assert not any("image" in text for texts in said.values() for text in texts), said


@pytest.mark.parametrize("ui_language", ["en", "id"])
def test_a_photo_credit_emptied_after_the_upload_is_asked_for_beside_its_field(
        make_site: Callable[..., Path], ui_language: str) -> None:
    """The upload asks for the credit; emptied afterwards, nothing was said. A warning beside the
    credit field (Publish stays possible, as sitegen check only warns)."""
    from tests.test_desk import jpeg

    site = small_site(make_site, **{SOURCE: SOURCE_TEXT, "static/images/rapat.jpg": jpeg()})
    set_language(ui_language)
    with desk_server(site) as srv:
        client = srv.client()
        fields = client.get(f"edit?file={SOURCE}").form_fields()
        fields = replace_field(replace_field(fields, "image", "/images/rapat.jpg"), "image_alt", "Rapat di aula")
        credited = findings(client, replace_field(fields, "image_credit", "Humas"))
        assert "image_credit" not in credited, credited
        said = check_answer(client, replace_field(fields, "image_credit", ""))
        beside = [f for f in said["findings"] if f["field"] == "image_credit"]  # type: ignore[union-attr]
        assert [(f["text"], f["severity"]) for f in beside] == [
            (_("still empty: name who took the photo, as the page will show it"), "warning")], said


@pytest.mark.parametrize("ui_language", ["en", "id"])
def test_a_release_with_no_translation_is_told_of_the_button_not_of_a_file_and_not_under_its_title(
        make_site: Callable[..., Path], ui_language: str) -> None:
    site = small_site(make_site, **{SOURCE: SOURCE_TEXT})
    set_language(ui_language)
    with desk_server(site) as srv:
        client = srv.client()
        opened = client.get(f"edit?file={SOURCE}")
        page = shown(opened)
        button_hint = _("the button “Translate into {language}”, under Translations, makes one")
        wanted = (f"{_('there is no {language} version of this article yet').format(language='English')} "
                  f"({button_hint.format(language='English')})")
        assert page == {"": wanted}, page
        button = _("Translate into {language}").format(language="English")
        assert opened.page().xpath(f"//form[@action='{PREFIX}translate']/button[normalize-space()='{button}']")
        assert findings(client, opened.form_fields()) == {"": [wanted]}
        # Once the translation is made as a draft: open it, finish it and publish it.
        translated(client, SOURCE)
        srv.rebuild()
        draft = (f"{_('the {language} version of this article is still a draft').format(language='English')} "
                 f"({_('open it under Translations, finish it and publish it')})")
        assert shown(client.get(f"edit?file={SOURCE}")) == {"": draft}


def test_sitegen_check_keeps_its_own_words_for_whoever_edits_the_files(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site, **{SOURCE: SOURCE_TEXT})
    result = run("check", "--site", site, "--now", NOW)
    assert f"{SOURCE}:2: warning: there is no English (en) version of this article " \
           "(add content/berita/2024-06-07-bappeda.en.md)" in result.err, result.err
    photo = "content/berita/2024-06-09-foto.id.md"
    (site / photo).write_text(article("Foto", image="/images/a.jpg", image_credit="Humas"), "utf-8")
    result = run("check", "--site", site, "--now", NOW)
    assert f"{photo}:4: error: the lead photo has no image_alt" in result.err, result.err
    (site / photo).write_text(article("Foto", image="/images/foto kegiatan.jpg", image_alt="Foto",
                                      image_credit="Humas"), "utf-8")
    result = run("check", "--site", site, "--now", NOW)
    assert f"{photo}:4: error: the file '/images/foto kegiatan.jpg' does not exist (put it at " \
           "static/images/foto kegiatan.jpg, or fix the name)" in result.err, result.err


def test_a_note_above_the_form_is_not_made_again_while_it_stays_the_same(make_site: Callable[..., Path],
                                                                       chromium: Browser) -> None:
    """The note of a missing translation sits above the form, in a live region: made again at
    every check (each keystroke), a screen reader would read it out again each time."""
    site = small_site(make_site, **{SOURCE: SOURCE_TEXT})
    with desk_server(site) as srv:
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(f"http://127.0.0.1:{srv.port}{PREFIX}edit?file={SOURCE}")
        note = page.locator("#err- .warning")
        expect(note).to_have_count(1)
        summary = page.get_by_role("textbox", name=_("Summary"), exact=True)
        summary.press("End")
        with page.expect_response(lambda r: r.url.endswith("/check")):
            summary.type("!")  # the first check makes the box as the script writes it
        page.wait_for_function(CHECKED + " >= 1", timeout=TIMEOUT_MS)  # its answer shown
        page.evaluate("""() => { window.made = 0;
            new MutationObserver(m => { window.made += m.length; })
              .observe(document.getElementById('err-'), {childList: true, subtree: true, characterData: true}); }""")
        for text in (" Satu.", " Dua."):
            with page.expect_response(lambda r: r.url.endswith("/check")):
                summary.type(text)
        page.wait_for_function(CHECKED + " >= 3", timeout=TIMEOUT_MS)
        assert page.evaluate("window.made") == 0
        expect(note).to_have_count(1)
        page.close()


def test_a_translations_summary_still_as_in_the_source_has_its_keep_box_and_the_source_beside_it(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site, **{SOURCE: SOURCE_TEXT})
    with desk_server(site) as srv:
        client = srv.client()
        twin = translated(client, SOURCE)
        page = client.get(f"edit?file={twin}").page()
        assert page.xpath("string(//p[@id='src-summary']/span)") == "Bappeda menggelar rapat koordinasi."
        assert page.xpath("//input[@id='keep-summary']/@name") == ["keep_summary"]
        assert "src-summary" in page.xpath("string(//textarea[@id='summary']/@aria-describedby)").split()
