"""config.yaml: the small config is accepted as it is; every mistake names its key and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.config import DEFAULT_PERMALINKS, Config, load_config
from sitegen.errors import ConfigError
from tests.conftest import REPO, SMALL_CONFIG, article, build


def load(tmp_path: Path, text: str | bytes, **overrides: object) -> Config:
    path = tmp_path / "config.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return load_config(tmp_path, overrides or None)


def problems(tmp_path: Path, text: str | bytes, **overrides: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text, **overrides)
    assert caught.value.exit_code == 2
    return [d.format() for d in caught.value.diagnostics]


def test_small_config_is_accepted_with_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, SMALL_CONFIG)
    assert config.base_url == "https://humas.example.go.id/"
    assert config.language_codes == ("id", "en")
    assert config.languages["en"].locale == "en_US"
    assert config.languages["id"].title == "Situs Uji Humas"
    assert config.section_name("berita", "en") == "News"
    assert config.paginate == 5
    assert (config.theme, config.output_dir, config.timezone) == ("humas", "public", "Asia/Jakarta")
    assert config.permalinks == DEFAULT_PERMALINKS
    assert config.feeds.items == 20 and config.feeds.full_content is True
    assert config.markdown.unsafe_html is True


def test_bom_and_crlf_config_is_read(tmp_path: Path) -> None:
    config = load(tmp_path, ("\ufeff" + SMALL_CONFIG).replace("\n", "\r\n").encode("utf-8"))
    assert config.paginate == 5 and config.languages["en"].title == "Test Newsroom"


def test_every_problem_is_reported_with_its_line_and_a_hint(tmp_path: Path) -> None:
    text = SMALL_CONFIG + """\
feeds:
  items: many
  ful_content: true
contact:
  name: [Budi]
theme: ../elsewhere
permalinks:
  article: /{section}/{hour}/{slug}/
"""
    assert problems(tmp_path, text) == [
        "config.yaml:11: error: 'feeds.items' must be a whole number of at least 1, not 'many' "
        "(write it like  items: 20)",
        "config.yaml:12: error: unknown key 'feeds.ful_content' (did you mean 'full_content'?)",
        "config.yaml:14: error: 'contact.name' must be text, not a list (write it as  name: \"...\")",
        "config.yaml:15: error: theme '../elsewhere' is not a folder name "
        "(write the name of a folder in themes/)",
        "config.yaml:17: error: permalink '/{section}/{hour}/{slug}/' is not valid (start with / and use "
        "only letters, digits, - and {day}, {key}, {month}, {section}, {slug}, {year})",
    ]


@pytest.mark.parametrize("change, expected", [
    (("paginate: 5", "paginate: yes"), "config.yaml:9: error: 'paginate' must be a whole number of at least 1, "
                                       "not 'yes'"),
    (("paginate: 5", "paginate: 2.5"), "config.yaml:9: error: 'paginate' must be a whole number of at least 1, "
                                       "not 2.5"),
    (("paginate: 5", "paginate: 0"), "config.yaml:9: error: 'paginate' must be a whole number of at least 1, "
                                     "not 0"),
    (("timezone: Asia/Jakarta", "timezone: WIB"), "config.yaml:3: error: unknown timezone 'WIB'"),
    (("locale: en_US", "locale: english"), "config.yaml:6: error: unknown locale 'english'"),
    (("default_language: id", "default_language: fr"), "config.yaml:2: error: default_language 'fr' is not in "
                                                       "languages"),
    (("  en: {", "  en-: {"), "config.yaml:6: error: language code 'en-' is not a language code like 'id' or "
                             "'en'"),  # and sections.berita.en is then unknown: a second line
    (("berita: {id: Berita, en: News}", "berita: {id: Berita, fr: Nouvelles}"),
     "config.yaml:8: error: unknown key 'sections.berita.fr'"),
    (("https://humas.example.go.id/", "humas.example.go.id"),
     "config.yaml:1: error: base_url 'humas.example.go.id' must start with https:// (or http://) and name a host"),
    (("https://humas.example.go.id/", "ftp://humas.example.go.id/"),
     "config.yaml:1: error: base_url 'ftp://humas.example.go.id/' must start with https:// (or http://) "
     "and name a host"),
    (("https://humas.example.go.id/", "https:///berita/"),
     "config.yaml:1: error: base_url 'https:///berita/' must start with https:// (or http://) and name a host"),
    # a port that is none, and a password that would be in every page and feed
    (("https://humas.example.go.id/", "https://humas.example.go.id:abc/"),
     "config.yaml:1: error: base_url 'https://humas.example.go.id:abc/' must start with https:// (or http://) "
     "and name a host"),
    (("https://humas.example.go.id/", "https://humas.example.go.id:99999/"),
     "config.yaml:1: error: base_url 'https://humas.example.go.id:99999/' must start with https:// (or http://) "
     "and name a host"),
    (("https://humas.example.go.id/", "https://humas:rahasia@humas.example.go.id/"),
     "config.yaml:1: error: base_url 'https://humas:rahasia@humas.example.go.id/' must start with https:// "
     "(or http://) and name a host"),
    (("paginate: 5", "paginate: true"),  # as config.yaml writes it, not Python's True
     "config.yaml:9: error: 'paginate' must be a whole number of at least 1, not true"),
    (("paginate: 5", "paginate: 5\npaginate: 6"), "config.yaml:10: error: 'paginate' appears twice "
                                                  "(first on line 9)"),
    (("paginate: 5", "paginate: [5"), "config.yaml:9: error: a list opened with '[' on this line is never "
                                      "closed"),
])
def test_wrong_values(change: tuple[str, str], expected: str, tmp_path: Path) -> None:
    assert change[0] in SMALL_CONFIG
    found = problems(tmp_path, SMALL_CONFIG.replace(*change))
    assert len(found) == 1 + (change[1] == "  en-: {"), found
    assert found[0].startswith(expected + " ("), found[0]


@pytest.mark.parametrize("remove, expected", [
    ("base_url: https://humas.example.go.id/\n", "config.yaml:1: error: missing required setting 'base_url' "
                                                 "(add  base_url: https://humas.example.go.id/)"),
    ("default_language: id\n", "config.yaml:1: error: missing required setting 'default_language' "
                               "(add  default_language: id)"),
])
def test_missing_required(remove: str, expected: str, tmp_path: Path) -> None:
    found = problems(tmp_path, SMALL_CONFIG.replace(remove, ""))
    assert found == [expected]


def test_missing_languages(tmp_path: Path) -> None:
    found = problems(tmp_path, "base_url: https://x.go.id/\ndefault_language: id\n")
    assert found[-1].startswith("config.yaml:1: error: missing required setting 'languages' (add  languages:")


def test_missing_key_names_the_mapping_it_belongs_in(tmp_path: Path) -> None:
    """A missing key has no line of its own: the line of the mapping it belongs in is named,
    the first one after the comments at the top, or the section's."""
    text = "# Situs humas\n\n" + SMALL_CONFIG.replace("base_url: https://humas.example.go.id/\n", "")
    assert problems(tmp_path, text)[0].startswith("config.yaml:3: error: missing required setting 'base_url'")
    assert problems(tmp_path, SMALL_CONFIG.replace("default_language: id", "default_language:"))[0].startswith(
        "config.yaml:2: error: missing required setting 'default_language'")
    assert problems(tmp_path, "base_url: https://x.go.id/\ndefault_language: id\nlanguages:\n")[0].startswith(
        "config.yaml:3: error: missing required setting 'languages'")
    deploy = SMALL_CONFIG + "deploy:\n  production:\n    keep: 3\n"
    assert problems(tmp_path, deploy)[0].startswith(
        "config.yaml:11: error: missing required setting 'deploy.production.url'")


def test_yes_and_no_are_not_booleans(tmp_path: Path) -> None:
    """YAML 1.1 reads `no` as false: Norwegian would lose its code, `yes` would pass as true."""
    text = SMALL_CONFIG + "feeds: {full_content: yes}\n"
    assert problems(tmp_path, text)[0].startswith(
        "config.yaml:10: error: 'feeds.full_content' must be true or false, not 'yes'")
    norwegian = SMALL_CONFIG.replace("sections:", "  no: {name: Norsk, locale: nb_NO, title: Nyheter}\nsections:")
    assert "no" in load(tmp_path, norwegian).languages


def test_not_utf8(tmp_path: Path) -> None:
    assert problems(tmp_path, (SMALL_CONFIG + "# Caf\xe9\n").encode("latin-1")) == [
        "config.yaml:10: error: the file is not UTF-8 text (byte 0xe9 cannot be read) "
        "(open it in your editor and save it again with the UTF-8 encoding)"]


def test_control_character_is_named_with_its_line(tmp_path: Path) -> None:
    assert problems(tmp_path, SMALL_CONFIG.replace("Test Newsroom", "Test\x07Newsroom"))[0].startswith(
        "config.yaml:6: error: the character U+0007 is not allowed here")


def test_base_url_override_is_checked_as_the_option(tmp_path: Path) -> None:
    assert problems(tmp_path, SMALL_CONFIG, base_url="localhost:8000")[0].startswith(
        "--base-url: error: base_url 'localhost:8000' must start with https://")
    assert load(tmp_path, SMALL_CONFIG, base_url="http://localhost:8000").base_url == "http://localhost:8000/"
    # an empty one is the option's fault too, not config.yaml's line 1
    assert problems(tmp_path, SMALL_CONFIG, base_url="") == [
        "--base-url: error: base_url '' must start with https:// (or http://) and name a host "
        "(write it like https://humas.example.go.id/)"]


def test_config_errors_exit_2_with_a_count(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/berita/a.id.md": article("Rapat")},
                     config=SMALL_CONFIG.replace("paginate: 5", "paginate: lima") + "colour: red\n")
    result = build(site)
    assert result.code == 2
    lines = result.err.splitlines()
    assert [line.split(" error: ")[0] for line in lines[:-1]] == ["config.yaml:9:", "config.yaml:10:"]
    assert "unknown key 'colour'" in lines[1]
    assert lines[-1] == "2 errors"
    assert not (site / "public").exists()


def test_no_config_at_all(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = build(tmp_path)
    assert result.code == 2
    assert result.err.startswith("config.yaml: error: no config.yaml in ")


def test_language_without_title_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    text = SMALL_CONFIG.replace(", title: Test Newsroom", "")
    assert problems(tmp_path, text) == [
        "config.yaml:6: error: missing required setting 'languages.en.title' (add  title: ...  here)"]


def test_translation_rule_naming_an_unconfigured_language_is_an_error(tmp_path: Path) -> None:
    text = SMALL_CONFIG + "translations:\n  require:\n    berita: [en, fr]\n"
    assert problems(tmp_path, text) == [
        "config.yaml:12: error: translations.require.berita names 'fr', which is not in languages "
        "(languages: id, en)"]


def test_every_key_is_declared_once_with_its_meaning() -> None:
    from sitegen import config as module

    sections = [module.Config, module.Language, module.Feeds, module.OfficeContact, module.MarkdownSettings,
                module.Translations]
    for section in sections:
        for key in module.keys(section):
            assert key.metadata["doc"].strip(), f"{section.__name__}.{key.name} has no doc"
    assert "fingerprint" not in {key.name for key in module.keys(module.Config)}


def test_settings_no_output_reads_leave_the_fingerprint_alone(tmp_path: Path) -> None:
    base = load(tmp_path, SMALL_CONFIG).fingerprint
    assert load(tmp_path, "# a comment\n" + SMALL_CONFIG + "ui_language: en\n").fingerprint == base
    deploy = "deploy:\n  share: {url: 'file:///srv/humas'}\n"
    assert load(tmp_path, SMALL_CONFIG + deploy).fingerprint == base
    assert load(tmp_path, SMALL_CONFIG.replace("paginate: 5", "paginate: 6")).fingerprint != base
    assert load(tmp_path, SMALL_CONFIG, base_url="https://other.example.go.id/").fingerprint != base


@pytest.mark.parametrize("kind, pattern, message, hint", [
    ("archive", "/{year}", "permalink '/{year}' puts the index of 'archive' pages at /, the home page's address",
     "begin it with a folder of its own, as in  /archive/{year}/"),
    ("tag", "/{slug}/", "permalink '/{slug}/' puts the index of 'tag' pages at /, the home page's address",
     "begin it with a folder of its own, as in  /tags/{slug}/"),
    ("tag", "/tags/", "permalink '/tags/' gives every 'tag' one address",
     "put {slug} in it, as in  /tags/{slug}/"),
    ("archive", "/arsip/", "permalink '/arsip/' gives every 'archive' one address",
     "put {year} in it, as in  /archive/{year}/"),
    ("article", "/{section}/{year}/", "permalink '/{section}/{year}/' gives every 'article' one address",
     "put {slug} or {key} in it, as in  /{section}/{year}/{slug}/"),
    ("page", "/halaman/", "permalink '/halaman/' gives every 'page' one address",
     "put {slug} or {key} in it, as in  /{slug}/"),
    # a file's name: it was made the folder r1.html/, its address ending in .html/
    ("article", "/{section}/{year}/{slug}.html", "permalink '/{section}/{year}/{slug}.html' names a file, but every "
     "page is a folder with its index.html", "end it with /, like  /{section}/{year}/{slug}/"),
    ("tag", "/t/{slug}.html", "permalink '/t/{slug}.html' names a file, but every page is a folder with its index.html",
     "end it with /, like  /tags/{slug}/"),
    ("page", "/{slug}.php/", "permalink '/{slug}.php/' names a file, but every page is a folder with its index.html",
     "end it with /, like  /{slug}/"),
])
def test_a_permalink_that_cannot_tell_pages_apart_is_an_error_at_its_line(
        tmp_path: Path, kind: str, pattern: str, message: str, hint: str) -> None:
    # Found by the build as clashing outputs, these were named by an output path
    # (/index.html) or by two content files whose slugs the pattern never used.
    assert problems(tmp_path, f"{SMALL_CONFIG}permalinks:\n  {kind}: \"{pattern}\"\n") == [
        f"config.yaml:11: error: {message} ({hint})"]


def test_permalinks_that_tell_pages_apart_are_accepted(tmp_path: Path) -> None:
    text = (f"{SMALL_CONFIG}permalinks:\n  article: /{{key}}/\n  page: /halaman/{{slug}}/\n"
            "  section: /rubrik/{section}/\n  archive: /arsip/{year}/\n  tag: /topik/{slug}-v1.0\n")
    config = load(tmp_path, text)
    assert config.permalinks["article"] == "/{key}/"
    assert config.permalinks["archive"] == "/arsip/{year}/"
    assert config.permalinks["tag"] == "/topik/{slug}-v1.0/"  # a dot in a folder's name, not a file's


def test_controls_pasted_into_config_texts_reach_no_page_or_feed(make_site: Callable[..., Path]) -> None:
    """A site title, section name or contact pasted from a word processor with a NUL, a
    vertical tab or U+FFFE: they vanish (the tab becomes a space) as in front matter, instead
    of reaching the pages raw and the JSON as \\u0000."""
    import json
    import re

    from lxml import html

    config = SMALL_CONFIG.replace("title: Situs Uji Humas", 'title: "Situs\\x00 Uji\\vHumas\\uFFFE"') \
        .replace("berita: {id: Berita, en: News}", 'berita: {id: "Ber\\x01ita", en: News}') \
        + 'contact: {name: "Bu\\x0bdi", email: humas@example.go.id}\n'
    site = make_site({"content/berita/2024-05-06-satu.id.md": article("Satu", "2024-05-06T10:00:00+07:00")}, config)
    assert build(site, "--no-search", "--now", "2024-05-07T00:00:00+07:00").code == 0
    assert load_config(site).languages["id"].title == "Situs Uji Humas"
    controls = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]|\\\\u00(0[0-8]|0b|0c|1[0-9a-f])|\\\\ufffe", re.I)
    for path in (site / "public").rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            assert not controls.search(path.read_text("utf-8")), path
    home = html.fromstring((site / "public/index.html").read_bytes())
    assert home.findtext(".//title").startswith("Situs Uji Humas")
    feed = json.loads((site / "public/berita/feed.json").read_text("utf-8"))
    assert "Berita" in feed["title"]


def test_a_language_whose_code_is_no_locale_needs_one(make_site: Callable[..., Path]) -> None:
    """``locale`` defaults to the code; a regional language's code Babel does not know (min,
    Minangkabau) was a template error without a line, exit 1: it is the config's, at its line."""
    config = SMALL_CONFIG.replace("sections:", "  min: {name: Baso Minang, title: Situs Minang}\nsections:")
    site = make_site({"content/berita/2024-05-06-satu.id.md": article("Satu", "2024-05-06T10:00:00+07:00")}, config)
    result = build(site, "--no-search")
    assert result.code == 2
    line = next(i for i, text in enumerate(config.splitlines(), 1) if text.startswith("  min:"))
    assert f"config.yaml:{line}: error: 'min' is no locale that dates and numbers can be written in" in result.err
    strings = (REPO / "themes/humas/i18n/id.yaml").read_text("utf-8")  # its words: Indonesian's, for the test
    fixed = make_site({"i18n/min.yaml": strings}, config.replace("title: Situs Minang}",
                                                                 "title: Situs Minang, locale: id_ID}"), name="fixed")
    assert build(fixed, "--no-search").code == 0
