"""The Jinja environment as themes meet it: context reaches functions that ask for it, UI
strings and builtin types are called with their values, and content is escaped everywhere."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from sitegen.render import templates
from sitegen.render.i18n import Strings
from sitegen.render.templates import Templates
from tests.conftest import NOW, _CompiledOnce, article, build, run_process, write_site
from tests.test_kill import snapshot


def render(tmp_path: Path, source: str, **context: Any) -> str:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "t.html").write_text(source, "utf-8")
    return Templates([folder], tmp_path).render("t.html", context).decode("utf-8")


class Box:
    def __init__(self, value: str) -> None:
        self.value = value

    def plain(self, suffix: str) -> str:
        return self.value + suffix

    @jinja2.pass_context
    def marked(self, context: Any, suffix: str) -> str:
        return context["name"] + suffix


def test_functions_that_ask_for_the_context_still_get_it(tmp_path: Path) -> None:
    @jinja2.pass_context
    def who(context: Any, greeting: str) -> str:
        return f"{greeting} {context['name']}"

    @jinja2.pass_environment
    def env_kind(environment: Any) -> str:
        return type(environment).__name__

    box = Box("b")
    out = render(tmp_path, "{{ who('hi') }}|{{ env_kind() }}|{{ box.plain('!') }}|{{ box.marked('?') }}|"
                           "{% for x in [1, 2] %}{% set name = 'loop' %}{{ who('in') }}{{ plain(x) }}{% endfor %}",
                 who=who, env_kind=env_kind, box=box, name="Ana", plain=str)
    # Inside the loop a pass_context function sees the loop's variables, as with Jinja's own call.
    assert out == "hi Ana|Environment|b!|Ana?|in loop1in loop2"
    odd = types.MethodType(len, [1, 2])
    assert render(tmp_path, "{{ odd() }}", odd=odd) == "2"


def test_ui_strings_are_called_straight_with_their_values(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    strings = Strings("id", "id_ID", ZoneInfo("Asia/Jakarta"), {"page_n": "Halaman {number}"}, "x")
    assert render(tmp_path, "{% for n in [2] %}{{ t('page_n', number=n) }}{% endfor %}", t=strings) == "Halaman 2"


def test_templates_escape_content(tmp_path: Path) -> None:
    out = render(tmp_path, '<a title="{{ title }}">{{ title }}</a>{{ safe }}', title="<x onclick='y'> & \"z\"",
                 safe=Markup("<em>kept</em>"))
    assert out == ('<a title="&lt;x onclick=&#39;y&#39;&gt; &amp; &#34;z&#34;">'
                   "&lt;x onclick=&#39;y&#39;&gt; &amp; &#34;z&#34;</a><em>kept</em>")
    # Included and imported templates get it too (each is its own compiled module).
    (tmp_path / "templates" / "inc.html").write_text("{{ v }}", "utf-8")
    (tmp_path / "templates" / "mac.html").write_text("{% macro m(v) %}{{ v }}{% endmacro %}", "utf-8")
    out = render(tmp_path, '{% include "inc.html" %}{% from "mac.html" import m %}{{ m(v) }}', v="<&>")
    assert out == "&lt;&amp;&gt;&lt;&amp;&gt;"


def test_builtin_types_and_a_class_that_asks_for_context(tmp_path: Path) -> None:
    class Asks:
        @jinja2.pass_context
        def __call__(self, context: Any) -> str:
            return str(context["name"])

    out = render(tmp_path, "{% set d = dict({'a': 1}, b=[2]) %}{{ d|tojson }}|{{ pair('ab') }}|{{ asks() }}",
                 asks=Asks(), name="Ana", pair=tuple)
    assert out == '{"a": 1, "b": [2]}|(&#39;a&#39;, &#39;b&#39;)|Ana'


def test_the_suite_s_compiled_once_templates_make_the_pages_a_compile_of_their_own_makes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """conftest's _CompiledOnce lets the builds of one test process share compiled templates. A
    build that took every template from it writes the same pages, and the same files of its own
    cache, as a build in a process of its own, which compiles each template. (A template of a
    site's own folder is another file to Jinja, and compiled for each site.)"""
    files: dict[str, str | bytes] = {
        f"content/berita/rilis-{i}.{lang}.md": article(f"Rilis {i} {lang}", tags=["pelayanan"], body="Isi **tebal**.")
        for i in range(3) for lang in ("id", "en")}
    monkeypatch.setattr(templates, "_BytecodeCache", _CompiledOnce)  # as the suite runs, unless told not to
    files["templates/partials/share.html"] = "<p class=own>{{ page.title }}</p>\n"  # a site's own template
    assert build(write_site(tmp_path / "first", files)).code == 0  # the process has compiled them now
    compiles: list[str] = []
    compile_ = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiles.append(name or "")
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    shared = write_site(tmp_path / "shared", files)
    assert build(shared).code == 0
    assert compiles == ["partials/share.html"]  # only the one in this site's own folder
    own = write_site(tmp_path / "own", files)
    assert run_process("build", "--site", own, "--now", NOW).code == 0
    assert snapshot(shared / "public") == snapshot(own / "public")
    kept = [{p.name for p in (site / ".sitegen-cache/jinja").iterdir()} for site in (shared, own)]
    assert len(kept[0]) == len(kept[1]) > 1 and len(kept[0] - kept[1]) == 1  # the site's own one differs


def test_a_missing_template_named_by_an_expression_is_said_at_its_line(tmp_path: Path) -> None:
    """{% include p %} or a name put together: the line of the include, not a file of that
    name that "pages are made with"; a name sitegen does not render pages with is never said so."""
    page = '{% extends "base.html" %}\n{% block main %}\n{% set p = "partials/" ~ "nope.html" %}\n{% include p %}\n' \
           '{% endblock %}\n'
    site = write_site(tmp_path / "site", {"content/berita/2024-05-30-a.id.md": article("A"),
                                          "templates/article.html": page})
    result = build(site, "--no-search", "--now", NOW)
    assert result.code == 1
    assert "templates/article.html:4: error: template error: the template 'partials/nope.html' named on this line " \
           "does not exist" in result.err, result.err
    assert "pages are made with it" not in result.err


def test_a_compiled_template_damaged_in_the_cache_is_compiled_again_not_run(tmp_path: Path) -> None:
    """Audit: Jinja checks a cache file against the template's source, not against itself: a
    byte changed in its compiled code since was run, publishing pages with it (even with
    --clean), or stopped the build with a traceback."""
    files = {f"content/berita/rilis-{i}.id.md": article(f"Rilis {i}", body="Isi.") for i in range(2)}
    site = write_site(tmp_path / "site", files)
    assert run_process("build", "--site", site, "--now", NOW, "--no-search").code == 0
    damaged = 0
    for kept in (site / ".sitegen-cache/jinja").iterdir():
        data = kept.read_bytes()
        if b'class="site-header' in data:
            kept.write_bytes(data.replace(b'class="site-header', b'class="XXXX-header'))
            damaged += 1
    assert damaged
    (site / "content/berita/rilis-0.id.md").write_text(article("Rilis 0", body="Isi baru."), "utf-8")
    result = run_process("build", "--site", site, "--now", NOW, "--no-search", "--clean")
    assert result.code == 0 and "Traceback" not in result.err, result.err
    files["content/berita/rilis-0.id.md"] = article("Rilis 0", body="Isi baru.")
    fresh = write_site(tmp_path / "fresh", files)
    assert run_process("build", "--site", fresh, "--now", NOW, "--no-search").code == 0
    assert snapshot(site / "public") == snapshot(fresh / "public")
