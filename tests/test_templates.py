"""The Jinja environment's shortcuts (straight calls, a quicker escape) behave exactly
as Jinja and markupsafe do: context still reaches functions that ask for it, and every
kind of value is escaped as markupsafe escapes it."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from sitegen.render import templates
from sitegen.render.i18n import Strings
from sitegen.render.templates import Templates


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
    # A method around a builtin has no attributes to look in: Jinja's own call handles it.
    odd = types.MethodType(len, [1, 2])
    assert not templates._plain(odd) and render(tmp_path, "{{ odd() }}", odd=odd) == "2"


def test_ui_strings_are_called_straight_with_their_values(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    strings = Strings("id", "id_ID", ZoneInfo("Asia/Jakarta"), {"page_n": "Halaman {number}"}, "x")
    assert render(tmp_path, "{% for n in [2] %}{{ t('page_n', number=n) }}{% endfor %}", t=strings) == "Halaman 2"


@pytest.mark.parametrize("value", ["<script>alert('x') & \"y\"</script>", "plain", "", 42, 1.5, None,
                                   Markup("<b>safe</b>"), Box("<i>")])
def test_escape_gives_what_markupsafe_gives(value: object) -> None:
    expected = markupsafe.escape(value)
    got = templates._escape(value)
    assert got == expected and type(got) is Markup


def test_templates_escape_content_with_the_quicker_escape(tmp_path: Path) -> None:
    out = render(tmp_path, '<a title="{{ title }}">{{ title }}</a>{{ safe }}', title="<x onclick='y'> & \"z\"",
                 safe=Markup("<em>kept</em>"))
    assert out == ('<a title="&lt;x onclick=&#39;y&#39;&gt; &amp; &#34;z&#34;">'
                   "&lt;x onclick=&#39;y&#39;&gt; &amp; &#34;z&#34;</a><em>kept</em>")
    # Included and imported templates get it too (each is its own compiled module).
    (tmp_path / "templates" / "inc.html").write_text("{{ v }}", "utf-8")
    (tmp_path / "templates" / "mac.html").write_text("{% macro m(v) %}{{ v }}{% endmacro %}", "utf-8")
    out = render(tmp_path, '{% include "inc.html" %}{% from "mac.html" import m %}{{ m(v) }}', v="<&>")
    assert out == "&lt;&amp;&gt;&lt;&amp;&gt;"
    compiled = Templates([tmp_path / "templates"], tmp_path).env.get_template("inc.html")
    assert compiled.root_render_func.__globals__["escape"] is templates._escape


def test_builtin_types_are_called_straight_and_a_class_that_asks_for_context_is_not(tmp_path: Path) -> None:
    class Asks:
        @jinja2.pass_context
        def __call__(self, context: Any) -> str:
            return str(context["name"])

    assert templates._plain(dict) and templates._plain(list)
    assert not templates._plain(Box) and not templates._plain(Asks())
    out = render(tmp_path, "{% set d = dict({'a': 1}, b=[2]) %}{{ d|tojson }}|{{ pair('ab') }}|{{ asks() }}",
                 asks=Asks(), name="Ana", pair=tuple)
    assert out == '{"a": 1, "b": [2]}|(&#39;a&#39;, &#39;b&#39;)|Ana'
