"""What rendering keeps in a process lives while the process renders one kind of output.

The sitemap files of a large site share every location of the site, the list pages their
release cards, a worker's feeds their items: kept for as long as a process renders that
kind of output, and let go of (Renderer.forget) when it moves on, so a render worker does
not carry them into the article pages that follow."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitegen import writer
from sitegen.build import State, build, prepare
from sitegen.generations import Slots
from sitegen.options import Options
from sitegen.outputs import Output, sitemaps
from tests.conftest import NOW, article


def test_the_renderer_keeps_a_value_until_it_forgets(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/berita/2024-05-30-rapat.id.md": article("Rapat")})
    renderer = prepare(Options(site_dir=site, now=NOW, search=False), State()).renderer
    made: list[int] = []

    def make() -> list[int]:
        made.append(1)
        return [len(made)]

    first = renderer.kept("numbers", make)
    assert renderer.kept("numbers", make) is first and made == [1]
    renderer.forget()
    assert renderer.kept("numbers", make) == [2] and made == [1, 1]


def test_a_process_forgets_as_it_moves_to_another_kind_of_output(tmp_path: Path) -> None:
    """In the order the outputs come: a sitemap file and the next share what was kept; an
    article page (an output with a source) starts afresh, and so does a list page after it,
    and a list page of another language."""
    events: list[str] = []

    def made(name: str) -> Callable[[], bytes]:
        def render() -> bytes:
            events.append(name)
            return name.encode()

        return render

    outputs = [Output("sitemap-1.xml", "1", made("sitemap-1"), kind="sitemap"),
               Output("sitemap-2.xml", "2", made("sitemap-2"), kind="sitemap"),
               Output("a/index.html", "3", made("a"), source="content/a.id.md"),
               Output("b/index.html", "4", made("b"), source="content/b.id.md"),
               Output("tag/x/index.html", "5", made("tag"), lang="id"),
               Output("tag/y/index.html", "6", made("tag-y"), lang="id"),
               Output("en/tag/x/index.html", "7", made("en-tag"), lang="en"),
               Output("feed.xml", "8", made("feed"), kind="feed", lang="id"),
               Output("en/feed.xml", "9", made("en-feed"), kind="feed", lang="en")]
    slots = Slots(tmp_path / "public", tmp_path / "home", tmp_path / "home/previous")
    writer.write(outputs, slots, lambda exc: pytest.fail(str(exc)), jobs=1,
                 forget=lambda: events.append("forget"))
    # The list pages of another language hold other releases' cards: those are let go of too.
    # The feeds of every language share their items' text across formats: kept.
    assert events == ["forget", "sitemap-1", "sitemap-2", "forget", "a", "b", "forget", "tag", "tag-y",
                      "forget", "en-tag", "forget", "feed", "en-feed"]
    assert (tmp_path / "public/tag/x/index.html").read_text("utf-8") == "tag"


def test_a_parallel_render_gives_memory_back_as_a_process_moves_on(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """In a parallel render, each process hands the memory of a kind of output back to the
    system when it moves on to the next kind (not before its first); a render in one
    process (an edit in serve, whose model is not frozen) never collects its garbage."""
    log = tmp_path / "log"

    def note(line: str) -> None:
        with log.open("a", encoding="utf-8") as f:  # the worker is another process
            f.write(f"{os.getpid()} {line}\n")

    def made(name: str) -> Callable[[], bytes]:
        def render() -> bytes:
            note(name)
            return name.encode()

        return render

    outputs = [Output(f"sitemap-{n}.xml", str(n), made(f"sitemap:{n}"), kind="sitemap") for n in range(6)]
    outputs += [Output(f"tag/{n}/index.html", str(n), made(f"list:{n}")) for n in range(30)]
    outputs += [Output(f"a{n}/index.html", str(n), made(f"article:{n}"), source=f"content/a{n}.id.md")
                for n in range(30)]
    monkeypatch.setattr(writer, "_give_back", lambda: note("give back"))
    for jobs, folder in ((1, "one"), (2, "two")):
        monkeypatch.setattr(writer, "PARALLEL_FROM", 1)
        log.unlink(missing_ok=True)
        slots = Slots(tmp_path / folder / "public", tmp_path / folder, tmp_path / folder / "previous")
        writer.write(outputs, slots, lambda exc: pytest.fail(str(exc)), jobs=jobs)
        by_process: dict[str, list[str]] = {}
        for line in log.read_text("utf-8").splitlines():
            pid, what = line.split(" ", 1)
            by_process.setdefault(pid, []).append(what)
        rendered = sorted(what for seen in by_process.values() for what in seen if what != "give back")
        assert rendered == sorted(f"{kind}:{n}" for kind, count in (("sitemap", 6), ("list", 30), ("article", 30))
                                  for n in range(count))
        if jobs == 1:
            assert all("give back" not in seen for seen in by_process.values())
            continue
        assert len(by_process) == 2  # the build's process and one worker
        for seen in by_process.values():
            kinds = [what.split(":")[0] for what in seen]
            for before, what, after in zip(kinds, kinds[1:], kinds[2:], strict=False):
                if what == "give back":
                    assert before != after and "give back" not in (before, after)
            renders = [kind for kind in kinds if kind != "give back"]
            moves = sum(a != b for a, b in zip(renders, renders[1:], strict=False))
            assert kinds.count("give back") == moves and kinds[0] != "give back"
        assert any("give back" in seen for seen in by_process.values())


def test_workers_render_the_article_pages_last() -> None:
    """Handed out in this order, a worker lets go of what the lists and sitemaps kept before
    it renders article pages, and never needs it again."""
    outputs = [Output(f"a{n}/index.html", str(n), bytes, source=f"content/a{n}.id.md") for n in range(40)]
    outputs += [Output(f"tag/{n}/index.html", str(n), bytes) for n in range(40)]
    outputs += [Output("feed.xml", "f", bytes, kind="feed", group="feed.xml"),
                Output("sitemap.xml", "s", bytes, kind="sitemap")]
    parts = writer._parts(outputs, list(range(len(outputs))), jobs=2)
    order = [outputs[index] for part in parts for index in part]
    assert order[0].kind == "feed" and order[1].kind == "sitemap"
    first_article = next(n for n, output in enumerate(order) if output.source)
    assert all(output.source for output in order[first_article:])
    assert sorted(index for part in parts for index in part) == list(range(len(outputs)))


def test_sitemap_files_share_their_locations(make_site: Callable[..., Path],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Several sitemap files are made from the locations worked out once, not once a file;
    the site is the same as with one process per output kind."""
    files = {f"content/berita/2024-05-{n + 1:02d}-rapat-{n}.id.md":
             article(f"Rapat {n}", date=f"2024-05-{n + 1:02d}T10:00:00+07:00") for n in range(12)}
    site = make_site(files)
    monkeypatch.setattr(sitemaps, "MAX_URLS", 5)
    asked: list[bool] = []
    every_location = sitemaps.locations

    def locations(site: Any, r: Any, details: bool = True) -> list[sitemaps.Location]:
        asked.append(details)
        return every_location(site, r, details=details)

    monkeypatch.setattr(sitemaps, "locations", locations)
    build(Options(site_dir=site, now=NOW, search=False, jobs=1))
    names = sorted(path.name for path in (site / "public").glob("sitemap-*.xml"))
    assert len(names) >= 3
    assert asked.count(True) == 1


def _left(items: Any) -> int:
    return sum(len(made._made) for made in (items.content, items.rss, items.atom, items.json))


def _forget_in_a_worker(renderer: Any) -> None:
    renderer.forget()
    raise SystemExit(0 if _left(renderer.feed_items) == 0 else 1)


def test_a_worker_lets_go_of_its_feed_items_and_the_build_keeps_its_own(make_site: Callable[..., Path]) -> None:
    """The feed items a render worker made die with it; the build's own (kept between builds
    by serve and watch) stay."""
    import multiprocessing

    files = {f"content/berita/2024-05-{n + 1:02d}-rapat-{n}.id.md":
             article(f"Rapat {n}", date=f"2024-05-{n + 1:02d}T10:00:00+07:00") for n in range(3)}
    site = make_site(files)
    prepared = prepare(Options(site_dir=site, now=NOW, search=False), State())
    from sitegen.build import plan

    for output in plan(prepared, site):
        if output.kind == "feed":
            output.render()
    renderer = prepared.renderer
    made = _left(renderer.feed_items)
    assert made > 0
    worker = multiprocessing.get_context("fork").Process(target=_forget_in_a_worker, args=(renderer,))
    worker.start()
    worker.join()
    assert worker.exitcode == 0
    renderer.forget()
    assert _left(renderer.feed_items) == made


def test_each_page_and_feed_is_of_its_language(make_site: Callable[..., Path]) -> None:
    """What tells a process it moves on to another language's outputs: every page and feed
    names its language, here the default language's at the root and English's under en/;
    files of the whole site (sitemaps, redirects) name none. Twice: planned afresh, and
    from the list pages remembered by a build before."""
    from sitegen.build import plan

    files = {f"content/berita/2024-05-{n + 1:02d}-rapat-{n}.{lang}.md":
             article(f"Rapat {n} {lang}", date=f"2024-05-{n + 1:02d}T10:00:00+07:00", tags=[f"topik-{n % 2}"])
             for n in range(4) for lang in ("id", "en")}
    site = make_site(files)
    options = Options(site_dir=site, now=NOW, search=False, jobs=1)
    state = State()
    for _ in range(2):
        outputs = list(plan(prepare(options, state), site))
        pages = [o for o in outputs if o.kind in ("page", "feed")]
        assert {o.lang for o in pages} == {"id", "en"}
        assert all(o.lang == ("en" if o.path.startswith("en/") else "id") for o in pages)
        assert all(o.lang == "" for o in outputs if o.kind in ("sitemap", "redirect"))
        build(options, state)
