"""Text pasted from a word processor that Markdown reads otherwise than it looks: a paragraph
that starts with a tab (a code block, in a typewriter font) and bullets that are no list mark
(lines one below another run together into one paragraph). Warnings, on the line, in
``sitegen check`` and beside the desk's text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sitegen.messages import _
from tests.conftest import NOW, SMALL_CONFIG, article, page, run
from tests.desk_helpers import desk_server
from tests.test_check import lines

PASTED = "content/berita/2024-06-10-salinan.id.md"
# Lines 1-4 are the front matter: the text starts on line 5.
PASTED_BODY = """Paragraf pembuka.

\tParagraf yang diawali tab.

Berikut syaratnya:

•\tButir pertama
•\tButir kedua

    Paragraf dengan empat spasi di depannya.

▪ Satu butir saja

Penutup."""

#: Markdown that reads as it looks: none of it is warned of.
RIGHT = "content/berita/2024-06-11-benar.id.md"
RIGHT_BODY = """Berikut syaratnya:

- butir pertama
- butir kedua

    Paragraf lanjutan butir kedua, menjorok.

1. satu

\tlanjutan yang bertab

Teks dengan catatan[^1] dan titik · di tengah kalimat.
Baris sambungan
\tyang bertab di tengah paragraf.

[^1]: Catatan kaki.

    Paragraf kedua catatan kaki.

```
\tkode dalam pagar
• bukan butir
```

<div>
    <p>HTML yang menjorok</p>
</div>

## Judul bagian
- butir tepat di bawah judul
- butir berikutnya
sambungan butir tanpa menjorok

Tahun pelaksanaan
2026. Baris yang diawali tahun bukan butir.

Catatan:
1) butir bertanda kurung, yang bagi Markdown bukan daftar, juga setelah baris kosong

> kutipan"""


def site_with(make_site: Callable[..., Path], body: str, rel: str = PASTED) -> Path:
    return make_site({rel: article("Salinan dari Word", body=body)}, config=SMALL_CONFIG)


def check(site: Path) -> list[str]:
    return lines(run("check", "--site", site, "--now", NOW), "warning")


def tab_warning(start: str) -> str:
    return (_("“{start}” starts with a tab, so the site shows the paragraph as computer code, in a typewriter "
              "font").format(start=start) + f" ({_('remove the tab at the start of the line')})")


def test_a_paragraph_after_a_tab_and_pasted_bullets_are_warned_of_on_their_lines(
        make_site: Callable[..., Path]) -> None:
    site = site_with(make_site, PASTED_BODY)
    found = [line for line in check(site) if "version of this" not in line]
    hint = _("start each item with '- ' (a minus and a space) instead of '{mark}', with an empty line before "
             "the list")
    assert found == [
        f"{PASTED}:7: warning: {tab_warning('Paragraf yang diawali tab.')}",
        f"{PASTED}:11: warning: “• Butir pertama” and the lines below it that start with '•' are bullets pasted "
        "from a word processor: the site shows no list, and runs lines one below another together into one "
        f"paragraph ({hint.format(mark='•')})",
        f"{PASTED}:14: warning: “Paragraf dengan empat spasi di depannya.” starts with spaces, so the site shows the "
        "paragraph as computer code, in a typewriter font (remove the spaces at the start of the line)",
        f"{PASTED}:16: warning: “▪ Satu butir saja” starts with '▪', a bullet pasted from a word processor: the "
        f"site shows no list item, only the text ({hint.format(mark='▪')})",
    ], found
    # What the warnings are of, on the published page.
    assert run("build", "--site", site, "--now", NOW).code == 0
    text = page(site, "/berita/2024/salinan/").xpath("//div[contains(@class, 'body')]")[0]
    assert text.xpath("string(.//pre)").startswith("Paragraf yang diawali tab.")
    merged = text.xpath(".//p[contains(., 'Butir pertama')]")
    assert len(merged) == 1 and "Butir kedua" in merged[0].text_content() and not text.xpath(".//li")


def test_text_that_reads_as_it_looks_is_not_warned_of(make_site: Callable[..., Path]) -> None:
    site = site_with(make_site, RIGHT_BODY, RIGHT)
    assert [line for line in check(site) if "version of this" not in line] == []


LIST_BODY = """Kegiatan meliputi:
- rapat koordinasi
- kunjungan kerja

Langkah pendaftaran:
1. Isi formulir
2. Datang ke kantor

Teks dengan daftar yang benar:

- butir"""


def test_a_list_right_below_a_line_of_text_is_warned_of_on_its_first_item(make_site: Callable[..., Path]) -> None:
    """Python-Markdown starts a list only after an empty line: typed right below a line of text
    the items run into the paragraph, their marks shown as text."""
    site = site_with(make_site, LIST_BODY)
    hint = _("put an empty line before the list")
    assert [line for line in check(site) if "version of this" not in line] == [
        f"{PASTED}:6: warning: “- rapat koordinasi” starts a list right below a line of text: the site shows no "
        f"list, and runs the items into the paragraph above ({hint})",
        f"{PASTED}:10: warning: “1. Isi formulir” starts a list right below a line of text: the site shows no "
        f"list, and runs the items into the paragraph above ({hint})",
    ]
    assert run("build", "--site", site, "--now", NOW).code == 0
    text = page(site, "/berita/2024/salinan/").xpath("//div[contains(@class, 'body')]")[0]
    assert [li.text_content() for li in text.xpath(".//li")] == ["butir"]  # what the warnings are of
    assert "- kunjungan kerja" in text.xpath("string(.//p[1])")


def test_a_text_that_starts_with_a_tab_is_warned_of_on_its_first_line(make_site: Callable[..., Path]) -> None:
    # (article() strips the text: this one is written as is)
    site = make_site({PASTED: "---\ntitle: Salinan\ndate: 2024-06-10\nsummary: Ringkas.\n---\n"
                              "\tDiawali tab.\n\tBaris kedua.\n"})
    assert [line for line in check(site) if "version of this" not in line] == [
        f"{PASTED}:6: warning: {tab_warning('Diawali tab.')}"]


def test_a_heading_of_the_first_level_in_the_text_is_warned_of_on_its_line(make_site: Callable[..., Path]) -> None:
    """The release's title is the page's one <h1>: a "# " heading (or one underlined with "===")
    in the text makes a second, which screen readers list beside the title. Not in code."""
    site = site_with(make_site, "Paragraf pembuka.\n\n# Judul Besar\n\nTeks.\n\nJudul Lain\n==========\n\n"
                                "```\n# bukan judul\n```\n\n## Subjudul\n\n> # Dalam Kutipan\n")
    said = "is a heading of the first level, as the release's title is: a page has only one, its title, and " \
           "screen readers list the text's headings below it (make it a heading of the second level: start " \
           "the line with '## ')"
    assert [line for line in check(site) if "version of this" not in line] == [
        f"{PASTED}:7: warning: “# Judul Besar” {said}", f"{PASTED}:11: warning: “Judul Lain” {said}",
        f"{PASTED}:20: warning: “> # Dalam Kutipan” {said}"]
    assert run("build", "--site", site, "--now", NOW).code == 0  # published as written
    assert len(page(site, "/berita/2024/salinan/").xpath("//h1")) == 4


def test_the_bundled_site_has_no_pasted_text(bundled_site: Path) -> None:
    found = check(bundled_site)
    assert [line for line in found if "typewriter" in line or "bullet" in line or "starts a list" in line
            or "first level" in line] == [], found


def test_the_desk_says_it_beside_the_text(make_site: Callable[..., Path]) -> None:
    site = site_with(make_site, "Paragraf pembuka.")
    with desk_server(site) as srv:
        client = srv.client()
        fields = [(k, PASTED_BODY if k == "body" else v) for k, v in client.get(f"edit?file={PASTED}").form_fields()]
        answer = client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]})
        body = [f for f in json.loads(answer.body)["findings"] if f["field"] == "body"]
        assert [(f["severity"], f["line"]) for f in body] == [("warning", 7), ("warning", 11), ("warning", 14),
                                                             ("warning", 16)], body
        assert body[0]["text"] == tab_warning("Paragraf yang diawali tab.")
