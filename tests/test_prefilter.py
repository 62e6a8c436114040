"""sitegen's prefiltered Python-Markdown gives exactly what stock Python-Markdown gives."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import markdown as md
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content import markdown, prefilter
from sitegen.content.markdown import _SETTINGS, EXTENSIONS, extensions

ROOT = Path(__file__).resolve().parent.parent

TRICKY = [
    "plain text with no markup at all",
    "*em* and **strong** and ***both*** and _under_ and __dunder__ and snake_case_words",
    "a [link](https://example.go.id/ \"t\") and ![img](a.png) and [ref][r] and [r]\n\n[r]: /x",
    "footnote[^1] and another[^note]\n\n[^1]: one\n[^note]: two *em*",
    "<span class=\"x\">raw</span> <https://example.go.id> <humas@example.go.id> &amp; &copy; & ;",
    "`code *not em*` and ``double ` tick`` and \\*escaped\\* and \\\\`x`",
    "line one  \nline two\\\nline three",
    "# Judul {#id .cls}\n\nparagraph {: .lead }\n\n| a | b |\n|---|---|\n| *x* | [y](z) |",
    "- one *a*\n- two [b](c)\n    1. nested `d`\n\n> quote **e**\n> <b>f</b>",
    "<div markdown=\"1\">*inside* [html](x)</div>\n\n```\n*fenced* [no](link)\n```",
    "***a** b* _a __b__ c_ *a _b* c_ **a*b** 5*3*2 a * b * c",
    "[a [nested] link](x) [unclosed [ ( < & ` \\",
    "Judul\n=====\n\nSub\n---\n\n* * *\n\n___\n\n- - -\n\n> a\n> > b\n\n#no space\n\n####### seven",
    "| one |\n| --- |\n| *x* |\n\na | b\n-|-\n1 | 2\n\nnot | a table\n\n\\| escaped |",
    "text[^n]\n\n[^n]: note\n    more\n[^m]: other\n\n[id]: http://x.id \"T\"\n[id2]:\n  /y\n\n[id] [id2][]",
    "~~~\n*fenced* [with](tildes)\n~~~\n\n~~~~ {.python}\nx = 1\n~~~~",
    "## Isi\n\n[TOC]\n\n### Bagian satu\n\ntext\n\n  [TOC]  \n\n*[TOC]* `[TOC]` [ TOC] \\[TOC\\] &#91;TOC&#93;",
]

# Markdown's special characters, heavily weighted, plus words and line ends.
TOKENS = st.sampled_from(list("*_[]()<>!`\\&;#^{}:.|-=") + ["  \n", "\n", "\n\n", " ", "word", "http://x.id",
                                                             "a@b.id", "&amp;", "<b>", "</b>", "[^1]", "    ",
                                                             "\n# ", "\n> ", "\n---\n", "\n===", "\n| a | b |",
                                                             "[TOC]", "\n## ",
                                                             "\n|---|---|", "\n[^1]: ", "\n[r]: /x", "\n1. ",
                                                             "\n- "])
SNIPPETS = st.lists(TOKENS, max_size=60).map("".join)


def convert(text: str, quick: bool) -> tuple[str, str]:
    # Stock: extensions by name, as documented. Quick: sitegen's own objects and prefilter.
    converter = (md.Markdown(extensions=extensions(), output_format="html") if quick else
                 md.Markdown(extensions=EXTENSIONS, extension_configs=_SETTINGS, output_format="html"))
    if quick:
        prefilter.install(converter)
        assert isinstance(converter.treeprocessors["inline"], prefilter.QuickInline)
        quick = {name for name in ("table", "hashheader", "setextheader", "hr", "quote", "footnote", "reference")
                 if converter.parser.blockprocessors[name].test.__name__ == "quick_test"}
        assert len(quick) == 7, quick
        gated = [name for name in ("normalize_whitespace", "fenced_code_block", "html_block")
                 if converter.preprocessors[name].run.__name__ == "gated"]
        gated += [name for name in ("attr_list", "unescape") if converter.treeprocessors[name].run.__name__ == "gated"]
        assert len(gated) == 5, gated
        linked = [name for name in ("link", "image_link", "reference", "image_reference", "short_reference",
                                    "short_image_ref")
                  if isinstance(getattr(converter.inlinePatterns[name].getText, "__self__", None), prefilter.Brackets)]
        assert len(linked) == 6, linked
    html = converter.convert(text)
    return html, getattr(converter, "toc", "")


def same(text: str) -> None:
    assert convert(text, quick=True) == convert(text, quick=False), text


def test_tricky_markdown_converts_as_stock() -> None:
    for text in TRICKY:
        same(text)
    same("\n\n".join(TRICKY))


def test_the_bundled_site_and_a_generated_corpus_convert_as_stock() -> None:
    for path in sorted((ROOT / "content").rglob("*.md")):
        same(path.read_text(encoding="utf-8"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    releases = corpus.generate(40, seed=7).releases
    bodies = [text.body for release in releases for text in release.texts.values()]
    assert len(bodies) == 80
    for body in random.Random(3).sample(bodies, 20):
        same(body)


@settings(max_examples=400, deadline=None)
@given(SNIPPETS)
def test_any_markdown_converts_as_stock(text: str) -> None:
    same(text)


# Without the literals that open the gated passes ('<', '&', '{', a backslash, a fence of
# three), so that they are skipped; with what those passes would otherwise act near
# (two backticks or tildes, '}', trailing spaces, lines of spaces, headings for attr_list).
PLAIN_TOKENS = st.sampled_from(list("*_[]()!`~#^}:.|-=") + ["  \n", " \n", "   \n", "\n", "\n\n", " ", "word",
                                                             "``", "~~", "\n    code", "\n# ", "\n## Judul",
                                                             "\n> ", "\n- ", "\n1. ", "[^1]", "\n[^1]: ", ">",
                                                             "http://x.id", "\n|---|", "\n| a | b |", "[TOC]"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PLAIN_TOKENS, max_size=60).map("".join))
def test_markdown_that_skips_the_gated_passes_converts_as_stock(text: str) -> None:
    same(text)


# Links' texts: brackets nested, unclosed, closed too often, escaped, beside other marks.
BRACKETED = st.lists(st.sampled_from(["[", "]", "[", "]", "![", "](x)", "][r]", "[]", "\\[", "\\]", "a", " ", "`",
                                      "\n", "\n\n", "*", "[r]: /x\n"]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(BRACKETED)
def test_links_text_ends_where_stock_finds_it(text: str) -> None:
    stock = md.inlinepatterns.LinkInlineProcessor(md.inlinepatterns.LINK_RE, md.Markdown())
    brackets = prefilter.Brackets()
    for index in range(len(text) + 1):
        assert brackets.get_text(text, index) == stock.getText(text, index), (text, index)
    same(text)


def test_a_link_pattern_that_finds_its_text_its_own_way_is_left_alone() -> None:
    converter = md.Markdown()

    class OwnText(md.inlinepatterns.LinkInlineProcessor):
        def getText(self, data: str, index: int) -> tuple[str, int, bool]:
            return "", index, False

    converter.inlinePatterns.register(OwnText(md.inlinepatterns.LINK_RE, converter), "link", 160)
    prefilter.install(converter)
    assert converter.convert("[a](b)") == "<p>[a](b)</p>"
    assert isinstance(converter.inlinePatterns["image_link"].getText.__self__, prefilter.Brackets)


def test_a_converter_with_its_own_inline_pass_is_left_alone() -> None:
    converter = md.Markdown()

    class Custom(md.treeprocessors.InlineProcessor):
        pass

    converter.treeprocessors.register(Custom(converter), "inline", 20)
    prefilter.install(converter)
    assert type(converter.treeprocessors["inline"]) is Custom


# Nesting and unclosed-bracket guards: their quick pre-checks never miss what the full scan finds.
MARKS = st.sampled_from([" ", "  ", "    ", "\t", "- ", "* ", "+ ", "> ", ">", "1. ", "12) ", "x", "-x"])
# Runs of 40-60 marks, so that nesting just under and just over the limit of 50 both come up.
PREFIX = st.builds(lambda unit, n, rest: "".join(unit) * n + rest,
                   st.lists(MARKS, min_size=1, max_size=2), st.integers(40, 60), st.sampled_from(["", "isi"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(PREFIX, min_size=1, max_size=4).map("\n".join))
def test_quick_nesting_check_agrees_with_the_full_scan(body: str) -> None:
    quick = markdown.too_deep(body)
    markdown._MAYBE_DEEP, saved = re.compile(""), markdown._MAYBE_DEEP
    try:
        assert quick == markdown.too_deep(body)
    finally:
        markdown._MAYBE_DEEP = saved


def test_quick_bracket_count_agrees_with_the_full_scan() -> None:
    assert markdown.too_costly("a [b] <c>\n\n" + "[" * 500) is None
    assert markdown.too_costly("a\n\n" + "[" * 501) == 2
    assert markdown.too_costly("<b " * 300 + "\n\n" + "<b " * 300) is None  # 600 in all, 300 a paragraph


def test_the_converter_loads_without_pygments() -> None:
    """fenced_code imports codehilite, which imports Pygments (and, through it, the entry
    points of every installed package) unless markdown.extensions() loads it first: 25 ms
    and more at every start, for highlighting sitegen never does."""
    import subprocess

    code = ("import sys; import sitegen.content.markdown as m; m.render('```\\nx\\n```'); "
            "print(sys.modules.get('pygments') is None, 'importlib.metadata' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.split() == ["True", "False"], done.stdout + done.stderr
