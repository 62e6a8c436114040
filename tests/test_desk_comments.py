"""The README: when the desk saves a hand-written file, 'only the front matter keys whose values
changed are rewritten, unknown keys and comments stay', also a comment after a changed value."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from sitegen.desk import document
from tests.desk_helpers import desk_server
from tests.test_desk import replace_field, saved_form, small_site

HAND_WRITTEN = """---
title: Rapat tangan   # judul sementara
date: 2024-05-30T10:00:00+07:00
tags: [humas, koordinasi]   # tag utama
summary: Ringkasan.
---
Isi.
"""


def test_a_comment_after_a_changed_value_stays(make_site) -> None:  # type: ignore[no-untyped-def]
    """It went with the line the desk rewrote: '# tag utama' was lost once a tag was added."""
    rel = "content/berita/2024-05-30-tangan.id.md"
    site = small_site(make_site, **{rel: HAND_WRITTEN})
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, rel), "tag_new", "kinerja")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
    saved = (site / rel).read_text("utf-8")
    assert "title: Rapat tangan   # judul sementara\n" in saved  # unchanged: byte for byte
    assert "tags:  # tag utama\n" in saved, saved
    assert yaml.safe_load(saved.split("---\n")[1])["tags"] == ["humas", "koordinasi", "kinerja"]


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_VALUES = st.one_of(
    _TEXT.map(lambda t: document.scalar(t)),  # double-quoted, any character
    _TEXT.map(lambda t: "'" + t.replace("'", "''") + "'"),
    st.lists(st.sampled_from(["humas", "'a # b'", '"c # d"', "rapat kerja"]), max_size=3).map(
        lambda items: "[" + ", ".join(items) + "]"),
    st.sampled_from(["Rapat", "Rapat#1", "it's", "true", "2024-05-30"]),
)


@given(value=_VALUES, comment=st.sampled_from(["", "  # catatan", "   # c'a\"t", " #"]))
def test_a_line_s_comment_is_found_as_yaml_reads_it(value: str, comment: str) -> None:
    """The comment found is exactly what YAML takes for one: the line without it holds the
    same value, and no '#' inside a quoted value is taken for a comment."""
    line = f"key: {value}{comment}"
    found = document.trailing_comment(line)
    assert found == comment.lstrip(" \t")
    assert yaml.safe_load(line) == yaml.safe_load(line[: len(line) - len(found)])

