"""Python-Markdown, minus the pattern searches a text cannot match.

Stock Python-Markdown tries each of its inline patterns on every run of text, and much
of a press release's conversion time went to regex searches that found nothing: most
sentences hold no '[', '<', '`', '&', '*' or '_' at all. Block
processors likewise search every paragraph for '#' headings, '>' quotes, '---' rules,
'|' tables and '[^1]:' footnotes. Each of these needs one of a few literal characters to
match, so it is skipped when the text lacks all of them. Its search could not have
matched, so nothing else changes: the output is byte-identical to stock
(tests/test_prefilter.py compares them).

Patterns are recognised by their regex source (or class), not their name, so one that
another extension or a later Python-Markdown replaces is simply always tried.

The link and image patterns also find the bracket that closes a link's text by jumping
from bracket to bracket (Brackets) where stock looks at every character of the paragraph,
again after each match changes it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

import markdown as md
from markdown import blockprocessors, preprocessors, treeprocessors, util
from markdown import inlinepatterns as ip
from markdown.extensions import tables
from markdown.extensions.toc import TocTreeprocessor

#: Regex source → the literals one of which any match (or its lookahead) contains.
_NEEDS: dict[str, tuple[str, ...]] = {
    ip.BACKTICK_RE: ("`",),
    ip.ESCAPE_RE: ("\\",),
    r"\[\^([^\]]*)\]": ("[^",),  # footnotes' reference, defined inside its extension
    ip.LINK_RE: ("[",),
    ip.REFERENCE_RE: ("[",),
    ip.IMAGE_LINK_RE: ("![",),
    ip.IMAGE_REFERENCE_RE: ("![",),
    ip.AUTOLINK_RE: ("<",),
    ip.AUTOMAIL_RE: ("<",),
    ip.LINE_BREAK_RE: ("  \n",),
    ip.HTML_RE: ("<",),
    ip.ENTITY_RE: ("&",),
    r"\*": ("*",),  # emphasis before Python-Markdown 3.11
    r"_": ("_",),
}
_DELIMITERS: Any = getattr(ip, "DelimiterProcessor", None)  # emphasis since 3.11


def _needs(pattern: object) -> tuple[str, ...] | None:
    if _DELIMITERS is not None and isinstance(pattern, _DELIMITERS):
        return tuple(pattern.tokens) or None
    source = getattr(pattern, "pattern", None)
    return _NEEDS.get(source) if isinstance(source, str) else None


class QuickInline(treeprocessors.InlineProcessor):
    """Stock InlineProcessor whose per-text loop first checks a pattern's literals."""

    _patterns: list[Any]
    _needs: list[tuple[str, ...] | None]

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # A plain list: indexing the registry re-sorts it on every lookup.
        self._patterns = list(self.inlinePatterns)
        self._needs = [_needs(pattern) for pattern in self._patterns]
        return super().run(tree, ancestors)

    # The stock loop, name-mangled so the stock class's own calls reach this one. A match
    # only ever replaces text with a placeholder, which holds none of the literals, so a
    # pattern whose literals are missing now will not find them later either.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns, needs = self._patterns, self._needs
        for index in range(patternIndex, len(patterns)):
            need = needs[index]
            if need is not None:
                for literal in need:
                    if literal in data:
                        break
                else:
                    continue
            pattern, start, matched = patterns[index], 0, True
            while matched:  # after a match the same pattern goes on from where it left off
                data, matched, start = apply(pattern, data, index, start)
        return data


#: Block processor regex source → literals one of which the block must hold for the
#: processor's test (or, for footnotes and references, its run) to match.
_BLOCK_NEEDS: dict[str, tuple[str, ...]] = {
    blockprocessors.HashHeaderProcessor.RE.pattern: ("#",),
    blockprocessors.SetextHeaderProcessor.RE.pattern: ("=", "-"),
    blockprocessors.HRProcessor.SEARCH_RE.pattern: ("-", "_", "*"),
    blockprocessors.BlockQuoteProcessor.RE.pattern: (">",),
    blockprocessors.ReferenceProcessor.RE.pattern: ("[",),
    r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$": ("[^",),  # footnote definitions
}


def _block_needs(processor: object) -> tuple[str, ...] | None:
    if type(processor) is tables.TableProcessor:
        return ("|",)  # a table's header row holds a pipe, or its test fails
    regex = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    source = getattr(regex, "pattern", regex)
    return _BLOCK_NEEDS.get(source) if isinstance(source, str) else None


def _filtered(test: Any, need: tuple[str, ...]) -> Any:
    def quick_test(parent: Any, block: str) -> bool:
        for literal in need:
            if literal in block:
                return bool(test(parent, block))
        return False

    return quick_test


_BRACKET = re.compile(r"[\[\]]")


def bracket_ends(data: str) -> tuple[list[int], list[int | None]]:
    """(starts, ends): between two brackets the depth of nesting is the same at every
    position, so ``data`` is cut just after each bracket into runs beginning at ``starts``;
    ``ends[k]`` is the position just past the bracket that closes the one open at run k
    (None if it never closes). Stock asks the same of every position, one by one."""
    starts, depths, depth = [0], [0], 0
    for mark in _BRACKET.finditer(data):
        depth += 1 if mark.group() == "[" else -1
        starts.append(mark.end())
        depths.append(depth)
    ends: list[int | None] = [None] * len(starts)
    waiting: list[int] = []  # runs whose closing bracket is not yet found, deepest last
    for run, depth in enumerate(depths):
        while waiting and depth < depths[waiting[-1]]:
            ends[waiting.pop()] = starts[run]
        waiting.append(run)
    return starts, ends


class Brackets:
    """LinkInlineProcessor.getText, from bracket to bracket: the text of a link or image
    between ``index`` and the bracket that closes it, where that bracket ends, and whether
    there is one. Shared by the link patterns, which look at the same text in turn."""

    def __init__(self) -> None:
        self._data: str | None = None
        self._starts: list[int] = []
        self._ends: list[int | None] = []

    def get_text(self, data: str, index: int) -> tuple[str, int, bool]:
        if data is not self._data:  # held here, so no other text can come to have its id
            self._data = data
            self._starts, self._ends = bracket_ends(data)
        end = self._ends[bisect_right(self._starts, index) - 1]
        if end is None:
            return data[index:], len(data), False
        return data[index:end - 1], end, True


def install(converter: md.Markdown) -> None:
    """Put QuickInline in place of the stock inline pass, where this Python-Markdown
    still has the loop it replaces; gate the whole-text passes on their literals; give
    known block processors a literal check; and the stock link patterns Brackets."""
    stock = treeprocessors.InlineProcessor
    if all(hasattr(stock, name) for name in ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")) \
            and type(converter.treeprocessors["inline"]) is stock:
        converter.treeprocessors.register(QuickInline(converter), "inline", 20)
    brackets = Brackets()
    for pattern in converter.inlinePatterns:
        # by the method, so a subclass that finds its text another way keeps it
        if isinstance(pattern, ip.LinkInlineProcessor) and type(pattern).getText is ip.LinkInlineProcessor.getText:
            pattern.getText = brackets.get_text  # type: ignore[method-assign]
    scan = _Scan(converter)
    toc = converter.treeprocessors["toc"] if "toc" in converter.treeprocessors else None
    if isinstance(toc, TocTreeprocessor) and toc.marker:
        scan.toc, scan.marker = toc, toc.marker
    whole_needs = _whole_needs()
    for pre in converter.preprocessors:
        need = whole_needs.get(type(pre))
        if need is not None:
            pre.run = scan.gate(pre.run, need, skipped=lambda lines: lines)  # type: ignore[method-assign]
        elif type(pre) is preprocessors.NormalizeWhitespace:
            pre.run = scan.gate(pre.run, _WHITESPACE_NEEDS, skipped=_whitespace_skipped)  # type: ignore[method-assign]
    for tree in converter.treeprocessors:
        need = whole_needs.get(type(tree))
        if need is not None:  # a tree processor that returns None keeps the tree it was given
            tree.run = scan.gate(tree.run, need, skipped=lambda root: None)  # type: ignore[method-assign]
    converter.preprocessors.register(scan, "sitegen-scan", 100)
    for processor in converter.parser.blockprocessors:
        need = _block_needs(processor)
        if need is not None:
            # Footnote and reference tests accept every block and their run gives the block
            # back when its search fails: the literal check sits in front of either.
            processor.test = _filtered(processor.test, need)  # type: ignore[method-assign]


@lru_cache(maxsize=1)
def _whole_needs() -> dict[type, tuple[str, ...]]:
    """Processors that pass over the whole text or tree and change nothing unless the
    source holds one of these literals; by exact class, so a replacement is always run.
    Fenced code needs its fence; the raw-HTML pass parses the text as HTML, which only
    '<' and '&' can start anything in; attribute lists are written in braces; and the
    unescape pass restores only what a backslash escaped. (Imported here, once a
    converter has loaded them: fenced_code imports codehilite, and codehilite Pygments,
    unless markdown.extensions() loads it.)"""
    from markdown.extensions import attr_list, fenced_code, md_in_html

    return {
        fenced_code.FencedBlockPreprocessor: ("```", "~~~"),
        preprocessors.HtmlBlockPreprocessor: ("<", "&"),
        md_in_html.HtmlBlockPreprocessor: ("<", "&"),
        attr_list.AttrListTreeprocessor: ("{",),
        treeprocessors.UnescapeTreeprocessor: ("\\",),
    }


class _Scan(preprocessors.Preprocessor):
    """Runs first and looks once at the source for the literals the gated processors need
    (and for the toc extension's ``[TOC]`` marker, which toc looks for in the text of
    every element of the document, joining all the text inside each). Nothing that runs
    later adds those characters: the passes before the gated ones only put placeholders of
    letters and digits in the text."""

    def __init__(self, converter: md.Markdown) -> None:
        super().__init__(converter)
        self.toc: TocTreeprocessor | None = None
        self.marker = ""
        self.text = ""

    def run(self, lines: list[str]) -> list[str]:
        # The final newline lets " \n" find a space at the end of the last line too.
        self.text = "\n".join(lines) + "\n"
        if self.toc is not None:
            self.toc.marker = self.marker if self.marker in self.text else ""
        return lines

    def gate(self, run: Any, need: tuple[str, ...], skipped: Any) -> Any:
        """``run``, where this source holds one of ``need``; ``skipped`` where it does not."""

        def gated(data: Any) -> Any:
            for literal in need:
                if literal in self.text:
                    return run(data)
            return skipped(data)

        return gated


#: NormalizeWhitespace's four replacements and its regex (spaces on a line of their own)
#: change nothing in a text without these; what it then returns is the lines and two
#: empty ones.
_WHITESPACE_NEEDS = (" \n", "\t", "\r", util.STX, util.ETX)


def _whitespace_skipped(lines: list[str]) -> list[str]:
    return [*lines, "", ""] if lines else ["", "", ""]
