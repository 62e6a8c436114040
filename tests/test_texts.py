"""sitegen.texts: the one place outputs fetch an entry's converted text."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from sitegen.texts import CacheLost, Text, Texts, TextStore


def test_texts_held_here_come_first_then_the_store(tmp_path: Path) -> None:
    store = TextStore(tmp_path / "texts.sqlite")
    store.put([("a", Text("<p>A</p>", ""))])
    texts = Texts(store)
    texts.add("b", Text("<p>B</p>", "<ul><li>B</li></ul>"))
    assert texts.get("a") == Text("<p>A</p>", "") and texts.get("b").toc == "<ul><li>B</li></ul>"
    with pytest.raises(CacheLost):
        texts.get("c")
    texts.save({"a", "b"})  # what was held here moves to the store
    assert store.get("b") == Text("<p>B</p>", "<ul><li>B</li></ul>")
    assert Texts(TextStore(tmp_path / "texts.sqlite")).get("b").html == "<p>B</p>"


def test_a_text_gone_from_the_store_is_a_lost_cache(tmp_path: Path) -> None:
    store = TextStore(tmp_path / "texts.sqlite")
    store.put([("a", Text("<p>A</p>", "")), ("b", Text("<p>B</p>", ""))])
    store.keep_only({"b"})
    with pytest.raises(CacheLost):
        Texts(store).get("a")
    with pytest.raises(CacheLost):
        Texts().get("b")  # no store at all


def test_more_texts_for_one_page_leave_the_build_s_alone(tmp_path: Path) -> None:
    texts = Texts(TextStore(tmp_path / "texts.sqlite"))
    preview = texts.with_texts({"new": Text("<p>draft</p>", "")})
    assert preview.get("new").html == "<p>draft</p>"
    with pytest.raises(CacheLost):
        texts.get("new")


def _read_in_child(texts: Texts, key: str, answer: multiprocessing.Queue[str]) -> None:
    answer.put(texts.get(key).html)


def test_a_forked_worker_reads_through_its_own_connection(tmp_path: Path) -> None:
    store = TextStore(tmp_path / "texts.sqlite")
    store.put([("a", Text("<p>A</p>", ""))])
    texts = Texts(store)
    assert texts.get("a").html == "<p>A</p>"  # the parent's connection is open
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    child = context.Process(target=_read_in_child, args=(texts, "a", answer))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0 and answer.get(timeout=5) == "<p>A</p>"
    assert texts.get("a").html == "<p>A</p>"  # and the parent's still works
    texts.close()


def test_texts_a_read_only_store_cannot_take_stay_while_an_entry_wants_them(tmp_path: Path) -> None:
    (tmp_path / "texts.sqlite").mkdir()  # no SQLite file can be made there
    texts = Texts(TextStore(tmp_path / "texts.sqlite"))
    texts.add("now", Text("<p>now</p>", ""))
    texts.add("before", Text("<p>an earlier version</p>", ""))
    with pytest.raises(OSError):
        texts.save({"now"})
    assert texts.get("now").html == "<p>now</p>"
    with pytest.raises(CacheLost):
        texts.get("before")
