"""sitegen's messages in Indonesian and English: complete catalogues, the language choice, help."""

from __future__ import annotations

import argparse
import ast
import builtins
import gettext
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from sitegen import cli, messages
from tests.conftest import NOW, REPO, SMALL_CONFIG, run

LOCALE = REPO / "sitegen" / "locale"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def catalogue(lang: str) -> Catalog:
    with open(LOCALE / lang / "LC_MESSAGES" / "sitegen.po", "rb") as handle:
        return read_po(handle, locale=lang)


def extracted() -> dict[str | tuple[str, str], str]:
    """Every message in sitegen's source, as pybabel extract finds it (babel.cfg's method)."""
    with open(REPO / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str | tuple[str, str], str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(REPO / "sitegen", method_map, options_map):
        key = message if isinstance(message, str) else tuple(message)[:2]
        found[key] = f"sitegen/{filename}:{line}"  # type: ignore[index]
    return found


def test_every_message_has_an_indonesian_translation() -> None:
    indonesian = catalogue("id")
    untranslated = []
    for msgid, where in extracted().items():
        entry = indonesian.get(msgid if isinstance(msgid, str) else msgid[0])
        strings = [] if entry is None else [entry.string] if isinstance(entry.string, str) else list(entry.string)
        if entry is None or "fuzzy" in entry.flags or not strings or not all(strings):
            untranslated.append(f"{where}: {msgid!r}")
    assert len(extracted()) > 40
    assert not untranslated, "run pybabel extract/update and translate:\n" + "\n".join(untranslated)


def test_deploy_never_calls_a_copy_of_the_site_a_press_release_in_indonesian() -> None:
    """To humas staff "rilis" is a press release: "menghapus rilis lama" would read as deleting
    old press releases. A copy of the site on the server (a release in deploy's English) is a
    "versi" of the site; the releases staff write stay "rilis"."""
    said = []
    for entry in catalogue("id"):
        where = " ".join(path for path, _line in entry.locations)
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        if ("sitegen/deploy/" in where or "previous release" in ids[0]) and \
                "release" in PLACEHOLDER.sub("", " ".join(ids)).lower():
            said += [string for string in strings if re.search(r"\brilis", string, re.IGNORECASE)]
            assert any("versi" in string for string in strings), (ids[0], strings)
    assert said == []
    assert catalogue("id")["New release"].string == "Rilis baru"  # the desk's press releases


@pytest.mark.parametrize("lang", messages.LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    """A translation that drops or renames a {placeholder} would fail at run time."""
    for entry in catalogue(lang):
        if not entry.id or not entry.string:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in filter(None, strings):
            assert set(PLACEHOLDER.findall(string)) == wanted, (entry.id, string)


@pytest.mark.parametrize("lang", messages.LANGUAGES)
def test_the_compiled_catalogues_match_their_sources(lang: str) -> None:
    with open(LOCALE / lang / "LC_MESSAGES" / "sitegen.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue(lang):
        if not entry.id:
            continue
        translated = "fuzzy" not in entry.flags and (
            entry.string if isinstance(entry.string, str) else all(entry.string))
        if isinstance(entry.id, str):
            wanted = entry.string if translated else entry.id
            got = compiled.gettext(entry.id)
        else:
            singular, plural = entry.id[:2]
            wanted = entry.string[0] if translated else plural
            got = compiled.ngettext(singular, plural, 2)
        if got != wanted:
            stale.append(entry.id)
    assert not stale, f"run pybabel compile -d sitegen/locale -D sitegen: {stale}"


def test_a_wheel_carries_the_catalogues(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path),
                            str(REPO)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("sitegen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"sitegen/locale/{lang}/LC_MESSAGES/sitegen.mo" for lang in messages.LANGUAGES} <= names


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "id_ID.UTF-8"}, "id"),
    ({"LC_ALL": "id_ID.UTF-8", "LANG": "en_US.UTF-8"}, "id"),
    ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
    ({"LC_ALL": "", "LANG": "id"}, "id"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LC_ALL": "POSIX"}, "en"),
    ({}, "id"),
    ({"LANG": "fr_FR.UTF-8"}, "id"),
])
def test_the_system_locale_picks_the_language(environ: dict[str, str], language: str) -> None:
    assert messages.system_language(environ) == language


def test_set_language_switches_the_words() -> None:
    assert messages.set_language("id") == "id"
    assert messages._("stopped") == "dihentikan"
    assert messages.ngettext("{n} error", "{n} errors", 3).format(n=3) == "3 kesalahan"
    assert messages.set_language("en") == "en"
    assert messages._("stopped") == "stopped"
    assert messages.ngettext("{n} error", "{n} errors", 3).format(n=3) == "3 errors"


def test_plain_sitegen_prints_the_help() -> None:
    result = run()
    assert result.code == 2
    assert result.out.startswith("usage: sitegen")
    for command in cli.COMMANDS:
        assert re.search(rf"^\s+{command}\s+\w", result.out, re.M), command
    assert "required" not in result.out + result.err


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    (sub,) = [a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_every_option_of_every_command_is_described(command: str) -> None:
    sub = _subcommands()[command]
    assert sub.description
    for action in sub._actions:
        assert action.help and action.help != argparse.SUPPRESS, (command, action.option_strings or action.dest)
    result = run(command, "--help")
    assert result.code == 0
    for action in sub._actions:
        first_words = " ".join(str(action.help).split()[:3])
        assert first_words in " ".join(result.out.split()), (command, first_words)


def test_help_in_indonesian_from_the_system_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "id_ID.UTF-8")
    result = run("new", "--help")
    assert result.code == 0
    text = " ".join(result.out.split())
    assert text.startswith("pemakaian: sitegen new")
    assert "tulis juga kembaran berstatus draf" in text
    assert "opsi:" in result.out


def test_help_and_usage_errors_speak_the_site_s_ui_language(make_site: Callable[..., Path],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: sitegen's messages follow config's ui_language, else the locale; help and
    argument errors followed the locale alone. The site is --site's folder, else the current one."""
    site = make_site({}, config=SMALL_CONFIG + "ui_language: id\n")
    helped = run("new", "--help", "--site", site)
    assert helped.code == 0 and " ".join(helped.out.split()).startswith("pemakaian: sitegen new"), helped.out
    assert "tulis juga kembaran berstatus draf" in " ".join(helped.out.split())
    wrong = run("build", f"--site={site}", "--bogus")
    assert wrong.code == 2 and "argumen tidak dikenal: --bogus" in wrong.err, wrong.err
    monkeypatch.chdir(site)
    plain = run()
    assert plain.code == 2 and plain.out.startswith("pemakaian: sitegen"), plain.out
    monkeypatch.chdir(site.parent)
    assert run().out.startswith("usage: sitegen")  # no site here: the locale's (C: English)


def test_the_count_line_speaks_the_ui_language(make_site: Callable[..., Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/berita/a.id.md": "---\ntitle: A\n---\nIsi.\n"})
    english = run("check", "--site", site)
    assert english.code == 1 and english.err.strip().endswith("1 error"), english.err
    monkeypatch.setenv("LC_ALL", "id_ID.UTF-8")
    indonesian = run("check", "--site", site)
    assert indonesian.code == 1 and indonesian.err.strip().endswith("1 kesalahan"), indonesian.err


@pytest.mark.parametrize(("ui_language", "count"), [("id", "1 kesalahan"), ("en", "1 error")])
def test_ui_language_in_config_wins_over_the_locale(make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
                                                    ui_language: str, count: str) -> None:
    monkeypatch.setenv("LC_ALL", "id_ID.UTF-8" if ui_language == "en" else "C.UTF-8")
    site = make_site({"content/berita/a.id.md": "---\ntitle: A\n---\nIsi.\n"},
                     config=SMALL_CONFIG + f"ui_language: {ui_language}\n")
    result = run("check", "--site", site)
    assert result.code == 1 and result.err.strip().endswith(count), result.err


def test_an_unknown_ui_language_is_a_config_error(make_site: Callable[..., Path]) -> None:
    site = make_site({}, config=SMALL_CONFIG + "ui_language: fr\n")
    result = run("check", "--site", site)
    assert result.code == 2
    assert "config.yaml:10: error: ui_language 'fr' is not a language sitegen speaks" in result.err


# --- the misleading messages of issue 21 ---------------------------------------------------------

TWIN = "content/berita/rapat.en.md"


def test_a_draft_twin_is_reported_as_a_draft_not_as_missing(make_site: Callable[..., Path]) -> None:
    site = make_site({
        "content/berita/rapat.id.md": "---\ntitle: Rapat\ndate: 2024-05-30\n---\nIsi.\n",
        TWIN: "---\ntitle: Meeting\ndate: 2024-05-30\ndraft: true\n---\nText.\n",
    })
    result = run("check", "--site", site, "--now", NOW)
    assert result.code == 0, result.err
    assert ("content/berita/rapat.id.md:2: warning: the English (en) version of this article is still a draft "
            f"(finish the translation in {TWIN}, then delete its line  draft: true)") in result.err
    assert "there is no English" not in result.err and "add content/" not in result.err
    (site / TWIN).unlink()
    gone = run("check", "--site", site, "--now", NOW)
    assert "there is no English (en) version of this article (add content/berita/rapat.en.md)" in gone.err


def test_a_required_draft_translation_fails_check_translations(make_site: Callable[..., Path]) -> None:
    site = make_site({
        "content/berita/rapat.id.md": "---\ntitle: Rapat\ndate: 2024-05-30\n---\nIsi.\n",
        TWIN: "---\ntitle: Meeting\ndate: 2024-05-30\ndraft: true\n---\nText.\n",
    }, config=SMALL_CONFIG + "translations:\n  require:\n    berita: [en]\n")
    result = run("check", "--site", site, "--now", NOW, "--translations")
    assert result.code == 1
    assert ("content/berita/rapat.id.md:2: error: the English (en) version of this article is still a draft"
            in result.err)


def test_an_unclosed_quote_in_the_title_is_reported_on_its_own_line(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/berita/a.id.md": '---\ntitle: "Banjir di Padang\n'
                      'date: "2024-05-30T10:00:00+07:00"\nsummary: Ringkas\n---\nIsi.\n'})
    result = run("check", "--site", site, "--now", NOW)
    assert result.code == 1
    assert ('content/berita/a.id.md:2: error: the quote " opened on this line is never closed; the value runs on '
            'into the lines below (end the value with " on this line, like  title: "...")') in result.err
    assert ":3:" not in result.err and "does not fit" not in result.err


BAD = {"content/berita/a.id.md": "---\ntitle: Banjir\ntanggal: 2024-05-30\n---\nIsi.\n"}


@pytest.mark.parametrize(("ui_language", "expected"), [
    ("en", ["content/berita/a.id.md:1: error: 'date' is missing (add  date: 2024-05-30T10:00:00+07:00  to the "
            "front matter)", "1 error, 1 warning"]),  # the warning says why: 'tanggal' is no key
    ("id", ["content/berita/a.id.md:1: error: 'date' belum ada (tambahkan  date: 2024-05-30T10:00:00+07:00  ke "
            "front matter)", "1 kesalahan, 1 peringatan"]),
])
def test_the_same_bad_input_in_each_ui_language(make_site: Callable[..., Path], ui_language: str,
                                                expected: list[str]) -> None:
    site = make_site(BAD, config=SMALL_CONFIG + f"ui_language: {ui_language}\n")
    result = run("build", "--site", site, "--now", NOW)
    assert result.code == 1
    for line in expected:
        assert line in result.err.splitlines(), result.err
    assert not (site / "public").exists()


@pytest.mark.parametrize(("setting", "kind"),
                         [("[5]", "angka"), ("[x]", "teks"), ("[5.5]", "angka"), ("[null]", "kosong")])
def test_the_kind_of_a_wrong_config_value_is_said_in_indonesian(make_site: Callable[..., Path], setting: str,
                                                               kind: str) -> None:
    site = make_site({}, config=SMALL_CONFIG + f"ui_language: id\nfooter: {{social: {setting}}}\n")
    result = run("build", "--site", site, "--now", NOW)
    assert result.code == 2, result.err
    (line,) = [line for line in result.err.splitlines() if "footer.social.0" in line]
    assert line.startswith("config.yaml:11: error: ") and f"bukan {kind} (" in line, line


def test_a_refused_default_output_folder_names_output_dir_in_the_hint(make_site: Callable[..., Path]) -> None:
    """No output_dir: in config.yaml: the refused folder is the default public/, which the
    line changes as well as --output does."""
    site = make_site({"content/berita/a.id.md": "---\ntitle: A\ndate: 2024-05-30\n---\nIsi.\n",
                      "public/hand-made.html": "<p>not sitegen's</p>"})
    result = run("build", "--site", site, "--now", NOW)
    assert result.code == 2, result.err
    first = result.err.splitlines()[0]
    assert first.endswith("(add  output_dir:  with an empty or new folder to config.yaml, or give one with "
                          "--output)"), first
    assert (site / "public" / "hand-made.html").read_text() == "<p>not sitegen's</p>"


def test_status_speaks_indonesian(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/berita/a.id.md": "---\ntitle: Rapat\ndate: 2024-05-30\ndraft: true\n---\nIsi.\n"},
                     config=SMALL_CONFIG + "ui_language: id\n")
    result = run("status", "--site", site, "--now", NOW)
    assert result.code == 0, result.err
    assert "Status redaksi pada 2026-11-28 12:00 WIB (Asia/Jakarta)" in result.out
    assert "Draf (1)" in result.out and "Diembargo atau terjadwal (0)" in result.out
    assert "Drafts" not in result.out


def test_argument_errors_speak_the_locale_language(monkeypatch: pytest.MonkeyPatch) -> None:
    english = run("new")
    assert english.code == 2 and "sitegen: error: the following arguments are required: TITLE" in english.err
    monkeypatch.setenv("LC_ALL", "id_ID.UTF-8")
    indonesian = run("new")
    assert indonesian.code == 2
    assert "sitegen: error: argumen berikut wajib diisi: JUDUL" in indonesian.err
    assert "argumen --jobs: nilai int tidak sah: 'x'" in run("build", "--jobs", "x").err


# --- no diagnostic left in English only ----------------------------------------------------------

_SPEAKERS = {"error", "warning", "_error", "Diagnostic", "print", "say"}  # and every ...Error/...Problem
#: Python's own exceptions report a bug in sitegen, for its programmers, never a user's mistake.
_PROGRAMMING_ERRORS = {name for name in dir(builtins) if name.endswith("Error")}


def _literal_text(node: ast.expr) -> str | None:
    """The words of a plain or f-string literal (or a sum of them); None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp):
        return (_literal_text(node.left) or "") + (_literal_text(node.right) or "")
    return None


def test_no_message_is_written_in_english_only() -> None:
    """Messages, hints and printed lines are passed through _() (a path or an option name
    has no space and is left as it is)."""
    untranslated = []
    for path in sorted((REPO / "sitegen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name not in _SPEAKERS and not name.endswith(("Error", "Problem", "Failed", "Refused")) \
                    or name in _PROGRAMMING_ERRORS:
                continue
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg in ("message", "hint", None))]:
                text = _literal_text(arg)
                if text and " " in text.strip() and not text.startswith("sitegen: error: "):
                    untranslated.append(f"{path.relative_to(REPO)}:{node.lineno}: {text.strip()!r}")
    assert not untranslated, "wrap these in _() from sitegen.messages:\n" + "\n".join(untranslated)


@pytest.mark.parametrize(("template", "english", "indonesian"), [
    ("{{ entry.title|tak_ada }}", "No filter named 'tak_ada'.", "Tidak ada filter bernama 'tak_ada'."),
    ("{% if entry.title %}{% endblock %}",
     "Encountered unknown tag 'endblock'. You probably made a nesting mistake. Jinja is expecting this tag, but "
     "currently looking for 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
     "Tag 'endblock' tidak dikenal. Mungkin ada kesalahan susunan blok. Jinja memang menunggu tag ini, tetapi saat "
     "ini mencari 'elif' or 'else' or 'endif'. Blok terdalam yang harus ditutup adalah 'if'."),

    ("{{ entry.judul_lain }}", "'entry' has no field 'judul_lain'", "'entry' tidak punya isian 'judul_lain'"),
    ("{{ 1 // 0 }}", "integer division or modulo by zero", "pembagian bilangan bulat atau modulo dengan nol"),
])
def test_jinja_s_words_for_a_template_error_are_said_in_indonesian(
        make_site: Callable[..., Path], template: str, english: str, indonesian: str) -> None:
    """Jinja and Python speak English: the usual template mistakes are said in the UI
    language, with no English sentence inside an Indonesian line; English reads as before."""
    files = {"content/berita/a.id.md": "---\ntitle: Rapat\ndate: 2024-05-30\n---\nIsi.\n",
             "templates/article.html": "{% extends 'base.html' %}\n{% block main %}\n" + template
                                       + "\n{% endblock %}\n"}
    for language, words in (("en", english), ("id", indonesian)):
        site = make_site(files, config=SMALL_CONFIG + f"ui_language: {language}\n")
        result = run("build", "--site", site, "--now", NOW)
        assert result.code == 1, result.err
        first = result.err.splitlines()[0]
        assert first.startswith("templates/article.html:3: "), first
        assert words in first, first


def test_a_message_with_a_sentence_not_known_is_left_whole() -> None:
    from sitegen.render.jinjawords import said

    end = ("Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'. "
           "The innermost block that needs to be closed is 'for'.")
    messages.set_language("id")
    try:
        assert said(end) == ("Templat berakhir sebelum waktunya. Jinja mencari salah satu tag ini: 'endfor' or "
                             "'else'. Blok terdalam yang harus ditutup adalah 'for'.")
        assert said(end + " Something new.") == end + " Something new."  # not half translated
        assert said("'x' is undefined") == "'x' tidak didefinisikan"
    finally:
        messages.set_language("en")
    assert said(end) == end


def test_the_build_s_time_is_written_with_a_decimal_comma_in_indonesian(make_site: Callable[..., Path]) -> None:
    files = {"content/berita/a.id.md": "---\ntitle: Rapat\ndate: 2024-05-30\n---\nIsi.\n"}
    indonesian = make_site(files, config=SMALL_CONFIG + "ui_language: id\n")
    for attempt in ("dibangun", "tidak ada yang berubah"):
        result = run("build", "--site", indonesian, "--now", NOW)
        assert result.code == 0, result.err
        assert re.search(r" dalam \d+,\d\d dtk: ", result.out), result.out
        assert attempt in result.out
    english = make_site(files, config=SMALL_CONFIG + "ui_language: en\n")
    assert re.search(r" in \d+\.\d\ds: ", run("build", "--site", english, "--now", NOW).out)


def test_deploy_refuses_status_with_rollback_or_dry_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """``deploy --status --rollback`` showed the status alone, without a word: refused before
    anything runs (``--rollback --dry-run`` is a dry run of a rollback, and stays)."""
    english = run("deploy", "--status", "--rollback")
    assert english.code == 2, english.err
    assert "sitegen: error: argument --status: not allowed with argument --rollback" in english.err
    monkeypatch.setenv("LC_ALL", "id_ID.UTF-8")
    indonesian = run("deploy", "--dry-run", "--status")
    assert indonesian.code == 2
    assert "argumen --status: tidak boleh dipakai bersama argumen --dry-run" in indonesian.err


def test_an_unknown_option_of_a_command_shows_that_command_s_usage() -> None:
    """``sitegen build --bogus`` showed sitegen's own usage line, which names no option of build."""
    result = run("build", "--bogus")
    assert result.code == 2, result.err
    assert result.err.startswith("usage: sitegen build "), result.err
    assert "sitegen: error: unrecognized arguments: --bogus" in result.err


def test_a_warning_repeated_by_the_nothing_changed_build_is_in_the_run_s_language(tmp_path: Path) -> None:
    """The nothing-changed build says the last build's warnings again: they were said in the
    language of the build that made them, under a summary in this run's."""
    import os

    from tests.conftest import write_site

    site = write_site(tmp_path / "site", {"content/berita/a.id.md": "---\ntitle: T\ndate: 2024-05-30\ntitel: X\n---\n"
                                                                    "Isi.\n"}, SMALL_CONFIG)

    def build(lang: str) -> str:
        env = {**os.environ, "LANG": lang, "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}
        done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW,
                               "--no-search"], capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        return done.stderr

    assert "unknown front matter key 'titel'" in build("en_US.UTF-8")
    said = build("id_ID.UTF-8")
    assert "kunci front matter 'titel' tidak dikenal" in said and "1 peringatan" in said, said
    (site / "config.yaml").write_text(SMALL_CONFIG + "ui_language: en\n", "utf-8")
    said = build("id_ID.UTF-8")
    assert "unknown front matter key 'titel'" in said and "1 warning" in said, said
