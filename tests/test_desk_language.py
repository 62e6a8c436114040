"""The desk's own language: ``ui_language`` when config sets it, else the server's locale
where it names a language (issue 21: "else the system locale"), else the browser's
(Accept-Language, among the desk's languages), else the site's default language. A locale that
names none (a Linux server's C.UTF-8) would otherwise give an Indonesian newsroom an English
desk."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.configmemo import ui_language
from sitegen.desk.app import PREFIX
from sitegen.desk.language import choose
from sitegen.messages import set_language
from tests.conftest import SMALL_CONFIG
from tests.desk_helpers import Answer, Client, desk_server
from tests.test_desk import ARTICLE, replace_field, small_site

INDONESIAN_BROWSER = "id-ID,id;q=0.9,en;q=0.8"
#: A desk page's words in each language: the page title's start, and the script's words on the form.
WORDS = {"id": ("Semua rilis", "Unggahan tidak sampai ke meja redaksi; coba lagi."),
         "en": ("All releases", "The upload did not reach the desk; try again.")}


def started_as_serve(site: Path, monkeypatch: pytest.MonkeyPatch, locale: str = "C.UTF-8") -> None:
    """The language ``sitegen serve`` starts with on a server whose LANG is ``locale`` (a default
    Linux server's: C.UTF-8), and the site's ui_language when config sets one (as the command
    line reads it)."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", locale)
    set_language(ui_language(site))


def speaks(answer: Answer, lang: str) -> None:
    """The page is in ``lang``: its <html lang>, its words and the words it hands its script."""
    page = answer.page()
    assert page.get("lang") == lang
    assert page.findtext(".//h1") == WORDS[lang][0]


def overview(client: Client, accept: str | None) -> Answer:
    return client.request("GET", PREFIX, headers={"Accept-Language": accept} if accept is not None else {})


@pytest.mark.parametrize(("accept", "lang"), [(INDONESIAN_BROWSER, "id"), ("en-US", "en"), (None, "id"),
                                              ("en-US,en;q=0.9", "en"), ("fr-FR, en;q=0.5, id;q=0.7", "id"),
                                              ("id;q=0, en;q=0.1", "en"), ("fr-FR", "id")])
def test_with_no_ui_language_the_desk_speaks_the_browser_s_language(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, accept: str | None, lang: str) -> None:
    site = small_site(make_site)
    started_as_serve(site, monkeypatch)
    with desk_server(site) as srv:
        client = Client(srv.port, browser_language=False)
        speaks(overview(client, accept), lang)
        headers = {"Accept-Language": accept} if accept is not None else {}
        answer = client.request("GET", f"edit?file={ARTICLE}", headers=headers)
        assert answer.page().get("lang") == lang
        release = answer.page().get_element_by_id("release")
        assert release.get("data-upload-failed") == WORDS[lang][1]
        assert lang in answer.headers["Content-Language"] and "Accept-Language" in answer.headers["Vary"]
        # What the live check sends the page's script is in the same language.
        fields = replace_field(answer.form_fields(), "title", "")
        checked = client.post("check", fields, {**headers, "X-CSRF-Token": dict(fields)["csrf"]})
        said = {f["field"]: f["text"] for f in json.loads(checked.body)["findings"]}
        assert said["title"] == {"id": "masih kosong", "en": "still empty"}[lang], said


def test_with_no_header_the_desk_speaks_the_site_s_default_language(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({ARTICLE: "---\ntitle: Rapat\ndate: 2024-05-30\n---\nIsi.\n"},
                     config=SMALL_CONFIG.replace("default_language: id", "default_language: en"))
    started_as_serve(site, monkeypatch)
    with desk_server(site) as srv:
        speaks(overview(Client(srv.port, browser_language=False), None), "en")
        speaks(overview(Client(srv.port, browser_language=False), INDONESIAN_BROWSER), "id")


@pytest.mark.parametrize(("setting", "accept"), [("en", INDONESIAN_BROWSER), ("id", "en-US")])
def test_ui_language_wins_over_the_browser(make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
                                           setting: str, accept: str) -> None:
    site = make_site({ARTICLE: "---\ntitle: Rapat\ndate: 2024-05-30\n---\nIsi.\n"},
                     config=SMALL_CONFIG + f"ui_language: {setting}\n")
    started_as_serve(site, monkeypatch)
    with desk_server(site) as srv:
        speaks(overview(Client(srv.port, browser_language=False), accept), setting)


@pytest.mark.parametrize(("locale", "accept"), [("id_ID.UTF-8", "en-US,en;q=0.9"), ("en_US.UTF-8", INDONESIAN_BROWSER)])
def test_a_locale_that_names_a_language_wins_over_the_browser(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, locale: str, accept: str) -> None:
    """Without ui_language the system locale decides, as for sitegen's other words, where it
    names a language; C.UTF-8 names none (the tests above)."""
    site = small_site(make_site)
    started_as_serve(site, monkeypatch, locale)
    with desk_server(site) as srv:
        speaks(overview(Client(srv.port, browser_language=False), accept), locale[:2])
        speaks(overview(Client(srv.port, browser_language=False), None), locale[:2])


@pytest.mark.parametrize(("accept", "lang"), [("", "id"), ("*", "id"), ("en-GB;q=0.3, id-ID;q=0.2", "en"),
                                              ("en;q=abc, id", "id"), ("EN-us", "en"), ("id-ID;q=0", "id"),
                                              ("en;q=0, id;q=0", "id")])
def test_choose_reads_quality_values(accept: str, lang: str) -> None:
    assert choose(accept, None, "id") == lang
    assert choose(accept, "en", "id") == "en"
    assert choose(accept, None, "id", "en") == "en"
