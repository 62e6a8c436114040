"""The catalogue of bad inputs: each gets one precise line (`path:line: error: message (hint)`),
the right exit status, no traceback, every error of the run at once, and nothing written."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import SMALL_CONFIG, article, build, page, run_process

A = "content/berita/a.id.md"
B = "content/berita/b.id.md"
C = "content/berita/c.id.md"
LINE = re.compile(r"^[^:]+(:\d+)?: (error|warning): \S")
COUNT = re.compile(r"^(\d+ errors?(, \d+ warnings?)?|\d+ warnings?)$")


def fm(*lines: str, body: str = "Isi berita.") -> str:
    """A file with exactly these front matter lines (line 1 is ---, so lines[0] is line 2)."""
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def _jpeg() -> bytes:
    from tests.conftest import photo_file

    return photo_file(64, 48)


LONG_UNIT = "/units/badan-perencanaan-pembangunan-penelitian-dan-pengembangan-daerah-provinsi-sumate/"
DEEP_DIVS = '<div markdown="1">\n' * 1000 + "isi\n" + "</div>\n" * 1000
OK = ("title: Rapat koordinasi", "date: 2024-05-30T10:00:00+07:00")
#: nine lists of nine of the one before: 9^7 items once the aliases are followed
ALIAS_BOMB = "[&a [lol, lol, lol, lol, lol, lol, lol, lol, lol], " + ", ".join(
    f"&{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]" for n in range(6)) + "]"
LATIN = "Kafe di Padang\n\nCaf\xe9 baru."  # written in Latin-1 below: its \xe9 is no UTF-8
OVERRIDE_BROKEN = "{% extends 'base.html' %}\n{% block main %}\n{{ entry.title }\n{% endblock %}\n"
OVERRIDE_UNDEFINED = ("{% extends 'base.html' %}\n{% block main %}\n<h1>{{ entry.title }}</h1>\n"
                      "<p>{{ entry.subtitle_that_does_not_exist }}</p>\n{% endblock %}\n")


@dataclass(frozen=True)
class Bad:
    name: str
    files: dict[str, str | bytes]
    #: every diagnostic line, in order, without its hint: ``path:line: severity: message``
    expected: tuple[str, ...]
    code: int = 1
    config: str = SMALL_CONFIG
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())


CATALOGUE = [
    # --- YAML syntax: the line where the mistake starts, in plain words
    Bad("yaml-list-never-closed", {A: fm(*OK, "tags: [banjir, padang")},
        (f"{A}:4: error: a list opened with '[' on this line is never closed",)),
    Bad("yaml-list-open-at-the-end", {A: fm(*OK, "tags: [", "")},
        (f"{A}:4: error: a list opened with '[' on this line is never closed",)),
    # a type tag its value does not fit: PyYAML's constructor raised Python's own errors (a traceback)
    Bad("yaml-tag-int-on-words", {A: fm(*OK, "summary: !!int x")},
        (f"{A}:4: error: the value does not fit its type tag !!int",)),
    Bad("yaml-tag-timestamp-on-words", {A: fm(OK[0], "date: !!timestamp kemarin")},
        (f"{A}:3: error: the value does not fit its type tag !!timestamp",)),
    Bad("yaml-tag-bool-on-words", {A: fm(*OK, "draft: !!bool x")},
        (f"{A}:4: error: the value does not fit its type tag !!bool",)),
    Bad("config-tag-does-not-fit", {A: fm(*OK)}, ("config.yaml:9: error: the value does not fit its type tag !!int",),
        code=2, config=SMALL_CONFIG.replace("paginate: 5", "paginate: !!int lima")),
    Bad("i18n-tag-does-not-fit", {A: fm(*OK), "i18n/id.yaml": "home: !!bool x\n"},
        ("i18n/id.yaml:1: error: the value does not fit its type tag !!bool",)),
    Bad("yaml-colon-in-title", {A: fm("title: Rapat: koordinasi banjir", OK[1])},
        (f"{A}:2: error: this line has a ': ' (colon and space) where none may be",)),
    # closed on its line, but a value inside holds ': ' (audit: "a '{' on this line is never closed")
    Bad("yaml-colon-in-a-braced-value", {A: fm(*OK, "tags: {a: b, kredit: Ilustrasi: Humas}")},
        (f"{A}:4: error: this line has a ': ' (colon and space) where none may be",)),
    Bad("yaml-quote-never-closed", {A: fm('title: "Rapat koordinasi', OK[1])},
        (f"{A}:2: error: a quote opened on this line is never closed",)),
    # quotes inside a quoted value close it early: said as that, not as a line out of place
    Bad("yaml-quotes-inside-double-quotes", {A: fm('title: "Kanwil Luncurkan "Layanan Prima" di Padang"', OK[1])},
        (f'{A}:2: error: the value ends at the " before the end of the line, and the text after it does not fit',)),
    Bad("yaml-apostrophe-inside-single-quotes", {A: fm(*OK, "summary: 'Kegiatan Jum'at Berkah di aula'")},
        (f"{A}:4: error: the value ends at the ' before the end of the line, and the text after it does not fit",)),
    Bad("yaml-tab-indent", {A: fm(OK[0], "\t" + OK[1])},
        (f"{A}:3: error: a tab character is used to indent this line",)),
    Bad("yaml-value-starts-with-at", {A: fm("title: @bupati hadir", OK[1])},
        (f"{A}:2: error: a value may not start with '@'",)),
    Bad("yaml-value-starts-with-star", {A: fm("title: *Penting* rapat", OK[1])},
        (f"{A}:2: error: a value may not start with '*'",)),
    Bad("yaml-key-twice", {A: fm(*OK, "title: Lagi")},
        (f"{A}:4: error: 'title' appears twice (first on line 2)",)),
    # every key given twice at once (audit: one a run, a run per key to fix them)
    Bad("yaml-keys-twice", {A: fm(*OK, "draft: false", "title: Lagi", "draft: true")},
        (f"{A}:5: error: 'title' appears twice (first on line 2)",
         f"{A}:6: error: 'draft' appears twice (first on line 4)")),
    Bad("config-keys-twice", {A: fm(*OK)},
        ("config.yaml:10: error: 'base_url' appears twice (first on line 1)",
         "config.yaml:11: error: 'paginate' appears twice (first on line 9)"),
        code=2, config=SMALL_CONFIG.replace("paginate: 5", "paginate: 5\nbase_url: https://x.go.id/\npaginate: 6")),
    Bad("yaml-nested-1000-deep", {A: fm(*OK, "tags: " + "[" * 1000 + "]" * 1000)},
        (f"{A}:4: error: the values are nested more than 50 levels deep",)),
    # --- the front matter block itself
    Bad("front-matter-never-closed", {A: "---\ntitle: Rapat\ndate: 2024-05-30\n\nIsi berita.\n"},
        (f"{A}:1: error: the front matter that starts here is never closed",)),
    Bad("no-front-matter", {A: "Rapat koordinasi\n\nIsi berita.\n"},
        (f"{A}:1: error: the file does not start with front matter (a line ---)",)),
    Bad("front-matter-a-list", {A: fm("- title: Rapat", "- date: 2024-05-30")},
        (f"{A}:2: error: the front matter must be  key: value  lines",)),
    Bad("front-matter-plain-text", {A: fm("", "Rapat koordinasi banjir")},
        (f"{A}:3: error: the front matter must be  key: value  lines",)),
    Bad("empty-file", {A: ""}, (f"{A}:1: error: the file is empty",)),
    Bad("only-whitespace", {A: " \n\n\t\n"}, (f"{A}:1: error: the file is empty",)),
    Bad("not-utf8", {A: fm(*OK, body="Kafe di Padang\n\nCaf\xe9 baru.").encode("latin-1")},
        (f"{A}:7: error: the file is not UTF-8 text (byte 0xe9 cannot be read)",)),
    # the same byte after a BOM (it was 'byte 0x65', three bytes early, on line 5) and in a file
    # of old-Mac lines (line 1)
    Bad("not-utf8-after-a-bom", {A: b"\xef\xbb\xbf" + fm(*OK, body=LATIN).encode("latin-1")},
        (f"{A}:7: error: the file is not UTF-8 text (byte 0xe9 cannot be read)",)),
    Bad("not-utf8-in-cr-lines", {A: fm(*OK, body=LATIN).replace("\n", "\r").encode("latin-1")},
        (f"{A}:7: error: the file is not UTF-8 text (byte 0xe9 cannot be read)",)),
    # --- required values
    Bad("missing-title", {A: fm(OK[1])}, (f"{A}:1: error: 'title' is missing",)),
    Bad("empty-title", {A: fm("title:", OK[1])}, (f"{A}:2: error: 'title' is empty",)),
    Bad("blank-title", {A: fm('title: "   "', OK[1])}, (f"{A}:2: error: 'title' is empty",)),
    Bad("missing-date", {A: fm(OK[0])}, (f"{A}:1: error: 'date' is missing",)),
    # --- dates
    Bad("unparseable-date", {A: fm(OK[0], "date: kemarin sore")},
        (f"{A}:3: error: 'date' 'kemarin sore' is not a date",)),
    Bad("impossible-date", {A: fm(OK[0], "date: 2024-02-30")},
        (f"{A}:3: error: 'date' '2024-02-30' is an impossible date: that month has no such day",)),
    Bad("impossible-month", {A: fm(OK[0], "date: 2024-13-01T10:00:00+07:00")},
        (f"{A}:3: error: 'date' '2024-13-01T10:00:00+07:00' is an impossible date: there is no such month",)),
    Bad("impossible-offset", {A: fm(OK[0], "date: 2024-05-30T10:00:00+25:00")},
        (f"{A}:3: error: 'date' '2024-05-30T10:00:00+25:00' is an impossible date: "
         "a time zone offset must be less than 24 hours",)),
    Bad("date-year-typo", {A: fm(OK[0], "date: 20244-05-30")},
        (f"{A}:3: error: 'date' '20244-05-30' is not a date",)),
    Bad("date-far-future", {A: fm(OK[0], "date: 9999-12-31T23:59:59-12:00")},
        (f"{A}:3: error: 'date' '9999-12-31T23:59:59-12:00' is not between the years 1900 and 2999",)),
    # Jakarta's clocks ran 7:07:12 ahead of UTC before 1924: no feed or sitemap writes that
    Bad("date-before-whole-minutes", {A: fm(OK[0], "date: 1920-05-30T10:00:00")},
        (f"{A}:3: error: 'date' '1920-05-30T10:00:00' lies before the time zone Asia/Jakarta kept whole minutes "
         "(its clocks then ran +07:07:12 from UTC), which feeds cannot write",)),
    # every tag's page and feeds repeat every tag: 5,000 pasted tags made 2 GB of output
    Bad("tags-past-the-limit", {A: fm(*OK, "tags: [" + ", ".join(f"t{n}" for n in range(201)) + "]")},
        (f"{A}:4: error: the release has 201 tags; at most 200 are published",)),
    Bad("slug-in-javanese-script", {A: fm(*OK, "slug: ꦱꦸꦫꦧꦪ")},
        (f"{A}:4: error: slug 'ꦱꦸꦫꦧꦪ' has no Latin letters or digits, which addresses are made of",)),
    Bad("date-as-list", {A: fm(OK[0], "date: [2024, 5, 30]")},
        (f"{A}:3: error: 'date' must be a date, not a list",)),
    Bad("embargo-not-a-date", {A: fm(*OK, "embargo: besok pagi")},
        (f"{A}:4: error: 'embargo' 'besok pagi' is not a date",)),
    # --- wrong types
    Bad("tags-as-number", {A: fm(*OK, "tags: 5")},
        (f"{A}:4: error: 'tags' must be a list of texts, not a number",)),
    Bad("tags-holding-a-mapping", {A: fm(*OK, "tags: [banjir, {a: b}]")},
        (f"{A}:4: error: 'tags' must be a list of texts, not a list holding a mapping (key: value pairs)",)),
    Bad("draft-maybe", {A: fm(*OK, "draft: maybe")},
        (f"{A}:4: error: 'draft' must be true or false, not 'maybe'",)),
    Bad("draft-yes", {A: fm(*OK, "draft: yes")},
        (f"{A}:4: error: 'draft' must be true or false, not 'yes'",)),
    Bad("title-as-list", {A: fm("title: [a, b]", OK[1])},
        (f"{A}:2: error: 'title' must be text, not a list",)),
    Bad("contact-as-text", {A: fm(*OK, "contact: Budi 0812")},
        (f"{A}:4: error: 'contact' must have only name, phone and email, each as text",)),
    Bad("slug-without-letters", {A: fm(*OK, "slug: '!!!'")},
        (f"{A}:4: error: slug '!!!' has no letters or digits",)),
    # --- one file, several problems: all of them
    Bad("several-problems-in-one-file", {A: fm("title:", "date: 2024-02-30", "tags: 5", "draft: maybe")},
        (f"{A}:2: error: 'title' is empty",
         f"{A}:3: error: 'date' '2024-02-30' is an impossible date: that month has no such day",
         f"{A}:4: error: 'tags' must be a list of texts, not a number",
         f"{A}:5: error: 'draft' must be true or false, not 'maybe'")),
    # --- files and names
    Bad("language-not-configured", {"content/berita/a.fr.md": fm(*OK)},
        ("content/berita/a.fr.md:1: error: the name ends in '.fr.md', so it would be in language 'fr', "
         "but that language is not in config.yaml",)),
    Bad("section-named-like-a-language", {"content/en/a.md": fm(*OK)},
        ("content/en/a.md: error: the folder content/en/ cannot be a section: /en/ is the home page "
         "of language 'en'",)),
    Bad("two-files-one-url", {A: fm(*OK, "slug: rapat"), B: fm(*OK, "slug: rapat")},
        (f"{A}:4: error: /berita/2024/rapat/ is claimed by both {A} and {B}",
         f"{B}:4: error: /berita/2024/rapat/ is claimed by both {B} and {A}")),
    Bad("two-units-cut-to-one-address",
        {A: fm(*OK, "unit: Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Provinsi Sumatera Barat"),
         B: fm(*OK, "unit: Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Provinsi Sumatera Utara")},
        (f"{A}:4: error: 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Provinsi Sumatera Barat' "
         "and 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Provinsi Sumatera Utara' would "
         f"share one list page, {LONG_UNIT}",
         f"{B}:4: error: 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Provinsi Sumatera Utara' "
         "and 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Provinsi Sumatera Barat' would "
         f"share one list page, {LONG_UNIT}")),
    Bad("tag-named-like-the-address-of-another", {A: fm(*OK, "tags: [政府]"), B: fm(*OK, "tags: [tag-c492716d]")},
        (f"{A}:4: error: '政府' and 'tag-c492716d' would share one list page, /tags/tag-c492716d/",
         f"{B}:4: error: 'tag-c492716d' and '政府' would share one list page, /tags/tag-c492716d/")),
    Bad("page-takes-a-section-address", {A: fm(*OK), "content/pages/berita.id.md": fm("title: Berita")},
        ("content/pages/berita.id.md:2: error: /berita/ is already the address of the list page 'Berita'",)),
    Bad("translation-key-twice-in-one-language",
        {A: fm(*OK, "translation_key: rapat"), B: fm(*OK, "translation_key: rapat")},
        (f"{B}:4: error: translation key 'rapat' is already used by {A} in language 'id'",)),
    # --- nesting: an error, never a traceback
    Bad("list-nested-1000-deep", {A: fm(*OK, body="\n".join("  " * i + "- x" for i in range(1000)))},
        (f"{A}:105: error: the text is nested too deeply to convert",)),
    Bad("lists-opened-on-one-line", {A: fm(*OK, body="  - " * 126 + "isi")},
        (f"{A}:5: error: the text is nested too deeply to convert",)),
    Bad("quotes-nested-1000-deep", {A: fm(*OK, body="Pengantar.\n\n" + "> " * 1000 + "kutipan")},
        (f"{A}:7: error: the text is nested too deeply to convert",)),
    Bad("html-blocks-nested-1000-deep", {A: fm(*OK, body=DEEP_DIVS)},
        (f"{A}:5: error: the text is nested too deeply to convert",)),
    # --- text that would take Python-Markdown minutes: refused at once, on its paragraph's line
    Bad("brackets-never-closed", {A: fm(*OK, body="Pengantar.\n\n" + "[" * 20000)},
        (f"{A}:7: error: this paragraph has more than 500 '[' or '<' that are never closed, too many "
         "to convert",)),
    Bad("tags-never-closed", {A: fm(*OK, body="<a " * 5000)},
        (f"{A}:5: error: this paragraph has more than 500 '[' or '<' that are never closed, too many "
         "to convert",)),
    Bad("links-never-closed", {A: fm(*OK, body="[a](" * 5000)},
        (f"{A}:5: error: this paragraph has more than 500 '[' or '<' that are never closed, too many "
         "to convert",)),
    # --- files the front matter points at
    Bad("image-does-not-exist", {A: fm(*OK, "image: /img/rapat.jpg", "image_alt: Rapat")},
        (f"{A}:4: error: the file '/img/rapat.jpg' does not exist",)),
    Bad("attachment-does-not-exist", {A: fm(*OK, "attachments: [/files/rilis.pdf]")},
        (f"{A}:4: error: the file '/files/rilis.pdf' does not exist",)),
    Bad("attachment-outside-static", {A: fm(*OK, "attachments: [../config.yaml]"), "static/x.txt": "x"},
        (f"{A}:4: error: '../config.yaml' points outside the static/ folder",)),
    # said as they are: a folder is no file, and a '..' that stays in static/ leads nowhere outside
    Bad("attachment-that-is-a-folder", {A: fm(*OK, "image: /img", "image_alt: Rapat"), "static/img/a.txt": "x"},
        (f"{A}:4: error: '/img' is a folder, not a file",)),
    Bad("attachment-with-dots-inside-static", {A: fm(*OK, "attachments: [/files/../files/a.pdf]"),
                                               "static/files/a.pdf": "%PDF-1.4\n"},
        (f"{A}:4: error: '/files/../files/a.pdf' has '..' in its path",)),
    Bad("attachment-windows-path", {A: fm(*OK, "attachments: [C:\\Users\\humas\\rilis.pdf]")},
        (f"{A}:4: error: 'C:\\Users\\humas\\rilis.pdf' points outside the static/ folder",)),
    Bad("alias-outside-site", {A: fm(*OK, "aliases: [../../../etc/cron.d/x]")},
        (f"{A}:4: error: alias '../../../etc/cron.d/x' is not a path inside this site",)),
    Bad("alias-to-another-site", {A: fm(*OK, "aliases: ['https://example.com/x/']")},
        (f"{A}:4: error: alias 'https://example.com/x/' is not a path inside this site",)),
    Bad("alias-bad-entry-on-its-own-line", {A: fm(*OK, "aliases:", "  - /lama/rilis/", "  - https://example.com/x/")},
        (f"{A}:6: error: alias 'https://example.com/x/' is not a path inside this site",)),
    Bad("alias-replacing-home", {A: fm(*OK, "aliases: [/]")},
        (f"{A}:4: error: alias '/' would replace the home page",)),
    # --- themes and strings
    Bad("template-syntax-error", {A: fm(*OK), "templates/article.html": OVERRIDE_BROKEN},
        ("templates/article.html:3: error: template error: unexpected '}'",)),
    Bad("template-undefined-variable", {A: fm(*OK), "templates/article.html": OVERRIDE_UNDEFINED},
        ("templates/article.html:4: error: template error: 'entry' has no field 'subtitle_that_does_not_exist'",)),
    Bad("i18n-string-in-one-language-only", {A: fm(*OK), "i18n/en.yaml": "press_office: Press office\n"},
        ("i18n/id.yaml:1: error: UI string 'press_office' is missing for language 'id'",)),
    # a file that cannot be read is its one error: not also every string it holds, as missing
    Bad("i18n-file-that-cannot-be-read", {A: fm(*OK), "i18n/en.yaml": "press_office: Press office\n",
                                          "i18n/id.yaml": "press_office: [Kantor pers\n"},
        ("i18n/id.yaml:1: error: a list opened with '[' on this line is never closed",)),
    # a translation that asks for a name the pages do not give was blamed on the theme's template
    Bad("i18n-placeholder-the-pages-do-not-fill",
        {A: fm(*OK), "i18n/id.yaml": "page_of: 'Halaman {nomor} dari {total}'\n"},
        ("i18n/id.yaml:1: error: UI string 'page_of' asks for {nomor}, which the pages do not fill in",)),
    # the same in a string written by count: blamed on the theme's template, and only where a gallery showed it
    Bad("i18n-placeholder-of-a-form-the-pages-do-not-fill",
        {A: fm(*OK), "i18n/id.yaml": "gallery_print: {one: 'Galeri: {jumlah} foto', other: 'Galeri: {jumlah} foto'}\n"},
        ("i18n/id.yaml:1: error: UI string 'gallery_print' asks for {jumlah}, which the pages do not fill in",)),
    Bad("i18n-placeholder-never-closed",
        {A: fm(*OK), "i18n/id.yaml": "page_of: 'Halaman {number dari {total}'\n"},
        ("i18n/id.yaml:1: error: UI string 'page_of' has a brace that is never closed",)),
    # audit: a blank where the words go, the menu's link to the home page with no name
    Bad("i18n-empty-string", {A: fm(*OK), "i18n/id.yaml": "home: ''\n"},
        ("i18n/id.yaml:1: error: UI string 'home' is empty",)),
    Bad("i18n-file-of-a-list", {A: fm(*OK), "i18n/id.yaml": "- Beranda\n- Berita\n"},
        ("i18n/id.yaml:1: error: an i18n file must be a mapping of 'key: text' lines",)),
    Bad("i18n-count-string-without-other", {A: fm(*OK), "i18n/en.yaml": "home: Home\ngallery_print:\n  one: 1 photo\n"},
        ("i18n/en.yaml:2: error: UI string 'gallery_print' has no 'other' form",)),
    Bad("i18n-count-string-unknown-form", {A: fm(*OK), "i18n/id.yaml": "gallery_print:\n  satu: 1 foto\n"
                                                                       "  other: '{n} foto'\n  few: [2, 3]\n"},
        ("i18n/id.yaml:2: error: 'satu' is not a plural form (UI string 'gallery_print')",
         "i18n/id.yaml:4: error: UI string 'gallery_print.few' must be text")),
    Bad("template-error-on-every-page-once", {A: fm(*OK), B: fm("title: Kedua", OK[1]), C: fm("title: Ketiga", OK[1]),
                                               "templates/article.html": "{% extends 'base.html' %}\n"
                                               "{% block main %}{{ 1 // 0 }}{% endblock %}\n"},
        ("templates/article.html:2: error: template error: integer division or modulo by zero",)),
    # A template that fails only as a page is rendered, beside an error in a release: both in
    # one run (the pages are tried on the releases that have no error, and nothing is written).
    Bad("template-undefined-beside-a-content-error", {A: fm(*OK), B: fm("title: Kedua", "date: 2024-02-30"),
                                                      "templates/article.html": OVERRIDE_UNDEFINED},
        (f"{B}:3: error: 'date' '2024-02-30' is an impossible date: that month has no such day",
         "templates/article.html:4: error: template error: 'entry' has no field 'subtitle_that_does_not_exist'")),
    Bad("ui-string-missing-beside-a-content-error", {A: fm(*OK), B: fm("title: Kedua", "date: 2024-02-30"),
                                                     "templates/list.html": "{% extends 'base.html' %}\n"
                                                     "{% block main %}\n<p>{{ t('tak_ada') }}</p>\n{% endblock %}\n"},
        (f"{B}:3: error: 'date' '2024-02-30' is an impossible date: that month has no such day",
         "templates/list.html:3: error: UI string 'tak_ada' is missing for language 'id'")),
    Bad("image-alt-as-a-list", {A: fm(*OK, "image: /images/a.jpg", "image_alt: [satu, dua]"),
                                "static/images/a.jpg": _jpeg()},
        (f"{A}:5: error: 'image_alt' must be text, not a list",)),
    Bad("ui-string-in-no-language", {A: fm(*OK), B: fm("title: Kedua", OK[1]), "templates/article.html":
                                     "{% extends 'base.html' %}\n{% block main %}\n<p>{{ t('tak_ada') }}</p>\n"
                                     "{% endblock %}\n"},
        ("templates/article.html:3: error: UI string 'tak_ada' is missing for language 'id'",)),
    Bad("template-includes-a-missing-one", {A: fm(*OK), "templates/article.html":
                                            "{% extends 'base.html' %}\n{% block main %}\n<p>x</p>\n"
                                            "{% include 'tidak-ada.html' %}\n{% endblock %}\n"},
        ("templates/article.html:4: error: template error: the template 'tidak-ada.html' named on this line does "
         "not exist",)),
    Bad("attachment-without-path", {A: fm(*OK, "attachments:", "  - {title: Tanpa berkas}")},
        (f"{A}:5: error: 'attachments' names no file",)),  # the item's line
    Bad("template-not-utf8", {A: fm(*OK), "templates/article.html": b"{% extends 'base.html' %}\n<p>Caf\xe9</p>\n"},
        ("templates/article.html:2: error: the file is not UTF-8 text (byte 0xe9 cannot be read)",)),
    Bad("i18n-not-utf8", {A: fm(*OK), "i18n/id.yaml": b"press_office: Humas\nlain: Caf\xe9\n"},
        ("i18n/id.yaml:2: error: the file is not UTF-8 text (byte 0xe9 cannot be read)",)),
    # --- config.yaml: exit 2
    Bad("config-wrong-type", {A: fm(*OK)}, ("config.yaml:9: error: 'paginate' must be a whole number of "
                                            "at least 1, not 'lima'",),
        code=2, config=SMALL_CONFIG.replace("paginate: 5", "paginate: lima")),
    # an alias bomb (9^7 items once its aliases are followed) is never written out whole
    Bad("config-alias-bomb", {A: fm(*OK)}, ("config.yaml:9: error: 'paginate' must be a whole number of at least 1, "
                                            "not [['lol', 'lol', 'lol', 'lol', ...], [[...], [...], [...], [...], "
                                            "...], [[...], [...], [...], [...], ...], [[...], [...], [...], [...], "
                                            "...], ...]",),
        code=2, config=SMALL_CONFIG.replace("paginate: 5", f"paginate: {ALIAS_BOMB}")),
    Bad("config-unknown-key", {A: fm(*OK)}, ("config.yaml:10: error: unknown key 'paginat'",),
        code=2, config=SMALL_CONFIG + "paginat: 5\n"),
    Bad("config-base-url-without-scheme", {A: fm(*OK)},
        ("config.yaml:1: error: base_url 'humas.example.go.id/' must start with https:// (or http://) "
         "and name a host",),
        code=2, config=SMALL_CONFIG.replace("https://", "")),
    Bad("config-yaml-syntax", {A: fm(*OK)}, ("config.yaml:10: error: a '{' on this line is never closed "
                                             "with '}'",),
        code=2, config=SMALL_CONFIG + "feeds: {items: 3\n"),
    Bad("config-languages-not-a-mapping", {A: fm(*OK)},
        ("config.yaml:3: error: 'languages' must be a group of  key: value  settings, not a list",),
        code=2, config="base_url: https://x.id/\ndefault_language: id\nlanguages: [id, en]\n"),
    Bad("config-unknown-timezone", {A: fm(*OK)},
        ("config.yaml:3: error: unknown timezone 'Asia/Padang'",),
        code=2, config=SMALL_CONFIG.replace("Asia/Jakarta", "Asia/Padang")),
    Bad("config-theme-is-a-path", {A: fm(*OK)},
        ("config.yaml:10: error: theme '../../elsewhere' is not a folder name",),
        code=2, config=SMALL_CONFIG + "theme: ../../elsewhere\n"),
    Bad("config-several-problems", {A: fm(*OK)},
        ("config.yaml:3: error: 'timezone' must be text, not a list",
         "config.yaml:9: error: 'paginate' must be a whole number of at least 1, not 0",
         "config.yaml:10: error: 'feeds.full_content' must be true or false, not 'maybe'"),
        code=2, config=SMALL_CONFIG.replace("Asia/Jakarta", "[Asia/Jakarta]").replace("paginate: 5", "paginate: 0")
        + "feeds: {full_content: maybe}\n"),
    Bad("config-missing-base-url", {A: fm(*OK)},
        ("config.yaml:1: error: missing required setting 'base_url'",),
        code=2, config=SMALL_CONFIG.replace("base_url: https://humas.example.go.id/\n", "")),
    Bad("config-theme-a-number", {A: fm(*OK)}, ("config.yaml:10: error: theme '5' was not found",),
        code=2, config=SMALL_CONFIG + "theme: 5\n"),
    Bad("config-only-an-open-brace", {A: fm(*OK)},
        ("config.yaml:1: error: a '{' on this line is never closed with '}'",), code=2, config="{"),
    Bad("config-logo-and-emblem-not-in-static", {A: fm(*OK), "static/images/lambang.svg": "<svg/>"},
        ("config.yaml:10: error: 'logo' names /nonexistent.png, which is not a file in static/",
         "config.yaml:12: error: 'brand.emblem' names /images/lambang.png, which is not a file in static/"),
        code=2, config=SMALL_CONFIG + "logo: /nonexistent.png\nbrand:\n  emblem: /images/lambang.png\n"),
    Bad("config-logo-out-of-static", {A: fm(*OK)},
        ("config.yaml:10: error: 'logo' names /../config.yaml, which is not a file in static/",),
        code=2, config=SMALL_CONFIG + "logo: /../config.yaml\n"),
    Bad("config-logo-not-from-the-root", {A: fm(*OK), "static/images/logo.png": _jpeg()},
        ("config.yaml:10: error: 'logo' must be a path in static/ starting with /, like /images/logo.png, "
         "not 'images/logo.png'",),
        code=2, config=SMALL_CONFIG + "logo: images/logo.png\n"),
    # one mistake, one error: not also "missing name" and "missing url" for the same item
    Bad("config-social-item-a-number", {A: fm(*OK)},
        ("config.yaml:10: error: 'footer.social.0' must be an account with a name and a url, not a number",),
        code=2, config=SMALL_CONFIG + "footer: {social: [5]}\n"),
    Bad("config-social-item-empty", {A: fm(*OK)},
        ("config.yaml:13: error: 'footer.social.1' must be an account with a name and a url, not empty",),
        code=2, config=SMALL_CONFIG + "footer:\n  social:\n    - {name: Instagram, url: https://instagram.com/h}\n"
        "    -\n"),
    # the output folder written in config.yaml is refused at its line (with --output: test_safety)
    Bad("config-output-dir-the-site-folder", {A: fm(*OK)},
        ("config.yaml:10: error: 'output_dir' is '.': refusing to write to output folder: it is the site folder "
         "or contains it",), code=2, config=SMALL_CONFIG + "output_dir: .\n"),
    Bad("config-output-dir-in-content", {A: fm(*OK)},
        ("config.yaml:11: error: 'output_dir' is 'content/out': refusing to write to output folder: it is inside "
         "content/, themes/ or static/",), code=2,
        config=SMALL_CONFIG + "# where the site goes\noutput_dir: content/out\n"),
    Bad("config-not-utf8", {A: fm(*OK), "config.yaml": (SMALL_CONFIG + "# Caf\xe9\n").encode("latin-1")},
        ("config.yaml:10: error: the file is not UTF-8 text (byte 0xe9 cannot be read)",), code=2),
]


def _params() -> list[object]:
    return [pytest.param(bad, id=bad.name, marks=bad.marks) for bad in CATALOGUE]


@pytest.mark.parametrize("bad", _params())
def test_bad_input(bad: Bad, make_site: Callable[..., Path]) -> None:
    site = make_site(bad.files, config=bad.config)
    result = build(site)
    assert "Traceback" not in result.err
    assert result.code == bad.code, result.err
    lines = result.err.splitlines()
    found = [_without_hint(line) for line in lines[:-1]]
    assert found == list(bad.expected), result.err
    for line in lines[:-1]:
        assert LINE.match(line), line
        if bad.code == 2 or "template error" not in line:
            assert line.endswith(")") and " (" in line, f"no hint to fix it: {line}"
    errors = sum(": error: " in line for line in lines)
    assert lines[-1] == f"{errors} error{'s' * (errors != 1)}"
    assert not (site / "public").exists(), "a failed build wrote output"


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("name", ["config-missing-base-url", "config-theme-a-number", "config-only-an-open-brace",
                                  "config-logo-and-emblem-not-in-static"])
def test_config_problems_name_their_line_in_build_and_check(name: str, command: str,
                                                          make_site: Callable[..., Path]) -> None:
    bad = next(b for b in CATALOGUE if b.name == name)
    site = make_site(bad.files, config=bad.config)
    result = run_process(command, "--site", site, "--now", "2026-11-28T12:00:00+07:00")
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert [_without_hint(line) for line in result.err.splitlines()[:-1]] == list(bad.expected)


def _without_hint(line: str) -> str:
    """``path:line: error: message (hint)`` → ``path:line: error: message``."""
    if not line.endswith(")"):
        return line
    depth = 0
    for index in range(len(line) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(line[index], 0)
        if depth == 0:
            return line[:index].rstrip()
    return line


def test_every_problem_of_the_run_is_reported_at_once(make_site: Callable[..., Path]) -> None:
    site = make_site({A: "---\ntitle: Rapat\n", B: fm(OK[0], "date: 2024-13-01"), C: fm(OK[1])})
    result = build(site)
    assert result.code == 1
    lines = result.err.splitlines()
    assert [line.split(": error:")[0] for line in lines[:-1]] == [f"{A}:1", f"{B}:3", f"{C}:1"]
    assert lines[-1] == "3 errors"


def test_unknown_key_is_a_warning_with_a_suggestion(make_site: Callable[..., Path]) -> None:
    site = make_site({A: fm(*OK, "sumary: Ringkasan", "colour: merah")})
    result = build(site)
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        f"{A}:4: warning: unknown front matter key 'sumary' is ignored (did you mean 'summary'?)",
        f"{A}:5: warning: unknown front matter key 'colour' is ignored (known keys: "
        "title, date, summary, author, location, agency, tags, category, image, image_alt, image_caption, "
        "image_credit, attachments, contact, embargo, draft, slug, translation_key, updated, aliases, "
        "release_number, unit, gallery, translated_from)",
        "2 warnings",
    ]
    assert page(site, "/berita/2024/a/").findtext(".//h1") == "Rapat koordinasi"


@pytest.mark.parametrize("name", ["yaml-colon-in-title", "template-syntax-error", "config-unknown-key"])
def test_real_process_prints_no_traceback(name: str, make_site: Callable[..., Path]) -> None:
    bad = next(b for b in CATALOGUE if b.name == name)
    site = make_site(bad.files, config=bad.config)
    result = run_process("build", "--site", site, "--now", "2026-11-28T12:00:00+07:00")
    assert result.code == bad.code
    assert "Traceback" not in result.err
    assert [_without_hint(line) for line in result.err.splitlines()[:-1]] == list(bad.expected)


# --- inputs that look odd but must simply work -------------------------------------------------

def test_bom_and_crlf_simply_work(make_site: Callable[..., Path]) -> None:
    text = "\ufeff" + article("Rapat koordinasi", body="Paragraf satu.\n\nParagraf dua.", tags=["banjir"])
    site = make_site({A: text.replace("\n", "\r\n").encode("utf-8")})
    result = build(site)
    assert result.code == 0, result.err
    doc = page(site, "/berita/2024/a/")
    assert doc.findtext(".//h1") == "Rapat koordinasi"
    paragraphs = [p.text_content() for p in doc.iter("p")]
    assert "Paragraf satu." in paragraphs and "Paragraf dua." in paragraphs
    assert "\r" not in (site / "public/berita/2024/a/index.html").read_text("utf-8")


def test_control_characters_from_word_processors_are_dropped(make_site: Callable[..., Path]) -> None:
    # A vertical tab (manual line break in Word) and a form feed, raw in the YAML and the body.
    text = "---\ntitle: Rapat\x0bkoordinasi\x0c banjir\x01\ndate: 2024-05-30\n---\nIsi\x0bberita\x00.\n"
    site = make_site({A: text})
    result = build(site)
    assert result.code == 0, result.err
    doc = page(site, "/berita/2024/a/")
    assert doc.findtext(".//h1") == "Rapat koordinasi banjir"
    html = (site / "public/berita/2024/a/index.html").read_text("utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", html)


def test_values_are_read_as_written(make_site: Callable[..., Path]) -> None:
    """YAML 1.1 would turn 'No' into false, 0123 into 83 and 10:30 into 630."""
    site = make_site({A: fm("title: No", OK[1], "release_number: 0123", "location: 10:30",
                            "tags: [3.10, on, 2024]")})
    result = build(site)
    assert result.code == 0, result.err
    doc = page(site, "/berita/2024/a/")
    assert doc.findtext(".//h1") == "No"
    text = doc.text_content()
    assert "0123" in text and "10:30" in text
    tag_links = {a.text_content().strip() for a in doc.iter("a") if "/tags/" in (a.get("href") or "")}
    assert {"3.10", "on", "2024"} <= tag_links


def test_a_number_too_long_for_python_is_text(make_site: Callable[..., Path]) -> None:
    """Found by the property tests: 8000 digits once made int() raise inside PyYAML."""
    site = make_site({A: fm(*OK, "release_number: " + "7" * 8000, "summary: " + "1" * 5000)})
    result = build(site)
    assert result.code == 0, result.err
    assert "7" * 8000 in (site / "public/berita/2024/a/index.html").read_text("utf-8")


def test_blank_lines_before_front_matter_are_forgiven(make_site: Callable[..., Path]) -> None:
    site = make_site({A: "\n\n" + fm(*OK)})
    assert build(site).code == 0


def test_page_needs_no_date(make_site: Callable[..., Path]) -> None:
    site = make_site({"content/pages/tentang.id.md": fm("title: Tentang kami")})
    result = build(site)
    assert result.code == 0, result.err
    assert page(site, "/tentang/").findtext(".//h1") == "Tentang kami"


def test_many_closed_brackets_and_code_are_fine(make_site: Callable[..., Path]) -> None:
    links = "\n".join(f"- [Lampiran {i}](/files/{i}.pdf) <b>PDF</b>" for i in range(1500))
    code = "```\n" + "if (a < b) { x[i] = y[j; }\n" * 800 + "```"
    site = make_site({A: fm(*OK, body=links + "\n\n" + code)})
    result = build(site)
    assert result.code == 0, result.err
    doc = page(site, "/berita/2024/a/")
    assert len(doc.xpath("//div[@class='body']//li/a")) == 1500
    assert "x[i] = y[j;" in doc.xpath("//div[@class='body']//pre")[0].text_content()


def test_a_failed_conversion_does_not_spoil_the_next(make_site: Callable[..., Path]) -> None:
    """Python-Markdown keeps state between files; one that overflowed must not leak into the next."""
    assert build(make_site({A: fm(*OK, body=DEEP_DIVS)}, name="deep")).code == 1
    site = make_site({A: fm(*OK, body="Paragraf satu.")}, name="next")
    assert build(site).code == 0
    assert "Paragraf satu." in [p.text_content() for p in page(site, "/berita/2024/a/").iter("p")]


def test_ten_megabyte_article_builds(make_site: Callable[..., Path]) -> None:
    paragraph = ("Pemerintah provinsi menggelar rapat koordinasi penanganan banjir bersama "
                 "instansi terkait di Padang. " * 18).strip()
    blocks = [f"## Bagian {i}" if i % 100 == 0 else paragraph for i in range(5600)]
    body = "\n\n".join(blocks)
    assert len(body.encode()) > 10_000_000
    site = make_site({A: fm(*OK, body=body)})
    result = build(site)
    assert result.code == 0, result.err
    html = (site / "public/berita/2024/a/index.html").read_bytes()
    assert len(html) > 10_000_000
    assert html.rstrip().endswith(b"</html>")


def test_a_long_summary_and_many_tags_are_warned_about_and_the_release_builds(
        make_site: Callable[..., Path]) -> None:
    """Each tag is a page and three feeds that repeat the release's summary: thousands of tags
    and a summary of megabytes make gigabytes of output (a disk filled). Warnings at the field's
    line, not errors: the release is published."""
    import json

    tags = [f"topik {i}" for i in range(31)]
    summary = ("kata " * 300)[:1001]
    site = make_site({A: fm(*OK, f"summary: {summary}", "tags: " + json.dumps(tags))})
    result = build(site)
    assert result.code == 0, result.err
    assert [_without_hint(line) for line in result.err.splitlines()] == [
        f"{A}:4: warning: the summary is 1001 characters long; a summary should have at most 1000",
        f"{A}:5: warning: the release has 31 tags; a release should have at most 30",
        "2 warnings"]
    assert all(line.endswith(")") for line in result.err.splitlines()[:-1])
    assert page(site, "/berita/2024/a/").findtext(".//h1") == "Rapat koordinasi"
    assert (site / "public/tags/topik-30/index.html").is_file()
    fine = make_site({A: fm(*OK, f"summary: {summary[:1000]}", "tags: " + json.dumps(tags[:30]))}, name="fine")
    result = build(fine)
    assert (result.code, result.err) == (0, "")


def test_a_tag_with_no_letter_or_digit_is_warned_about_and_the_release_builds(
        make_site: Callable[..., Path]) -> None:
    """"?" or an emoji alone names no topic: its page gets a code for an address (tag-1a2b3c4d)
    and no reader looks for it. A warning at the tags' line; tags in any script are words."""
    import json

    site = make_site({A: fm(*OK, "tags: " + json.dumps(["?", "Rapat", "\U0001f389", "政府", "30°C"]))})
    result = build(site)
    assert result.code == 0, result.err
    assert [_without_hint(line) for line in result.err.splitlines()] == [
        f"{A}:4: warning: the tag '?' has no letter or digit",
        f"{A}:4: warning: the tag '\U0001f389' has no letter or digit",
        "2 warnings"]
    assert "(write a word readers would look for" in result.err
    assert page(site, "/berita/2024/a/").findtext(".//h1") == "Rapat koordinasi"


def test_a_ten_megabyte_paragraph_is_refused_at_once_and_a_long_list_or_table_is_not(
        make_site: Callable[..., Path]) -> None:
    """One paragraph of ten megabytes would take Python-Markdown many minutes."""
    import time

    lines = "kata *miring* dan [tautan](https://x.id)\n" * 250_000
    site = make_site({A: fm(*OK, body="Pembuka.\n\n" + lines)}, name="paragraph")
    started = time.monotonic()
    result = build(site)
    assert result.code == 1 and time.monotonic() - started < 60
    assert result.err.startswith(f"{A}:7: error: this paragraph is {len(lines)} characters long, too long to "
                                 "convert"), result.err
    assert "Traceback" not in result.err
    items = "".join(f"- butir nomor {i} dengan *tekanan*\n" for i in range(4000))
    table = "| a | b |\n|---|---|\n" + "".join(f"| baris {i} | {i} |\n" for i in range(6000))
    assert len(items) > 100_000 and len(table) > 100_000
    fine = make_site({A: fm(*OK, body=items + "\n" + table)}, name="lists")
    assert build(fine).code == 0


def test_a_template_reading_the_text_from_the_entry_is_told_what_to_write(make_site: Callable[..., Path]) -> None:
    """The text left the entry for ``body_html``: a template written before says where it went."""
    old = "{% extends 'base.html' %}\n{% block main %}\n<div>{{ entry.body_html }}</div>\n{% endblock %}\n"
    site = make_site({A: fm(*OK), "templates/article.html": old})
    result = build(site)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "templates/article.html:3: error: template error: 'entry' has no field 'body_html' (a page's text is no "
        "longer a field of entry: write body_html (and toc_html) instead of entry.body_html)")


def test_a_template_that_fails_at_run_time_gets_a_hint_for_its_kind_of_failure(
        make_site: Callable[..., Path]) -> None:
    """A misspelt value is told to check the spelling; a division by zero was told the same."""
    template = "{% extends 'base.html' %}\n{% block main %}{{ 1 // 0 }}{{ entry.judul_lain }}{% endblock %}\n"
    result = build(make_site({A: fm(*OK), "templates/article.html": template}), "--no-search")
    assert result.code == 1
    assert [line for line in result.err.splitlines() if ": error: " in line] == [
        "templates/article.html:2: error: template error: integer division or modulo by zero "
        "(fix the expression on this line of the template)"]
    template = "{% extends 'base.html' %}\n{% block main %}{{ entry.judul_lain.x }}{% endblock %}\n"
    result = build(make_site({A: fm(*OK), "templates/article.html": template}, name="undefined"), "--no-search")
    assert [line for line in result.err.splitlines() if ": error: " in line] == [
        "templates/article.html:2: error: template error: 'entry' has no field 'judul_lain' "
        "(check the spelling of the value this line uses)"]


def test_an_alias_onto_another_release_is_named_at_the_alias(make_site: Callable[..., Path]) -> None:
    """The file whose alias takes another release's address is told so at its aliases: line;
    it was told to change its slug, at its title."""
    b = "content/berita/b.id.md"
    files = {A: fm(*OK), b: fm("title: Kedua", OK[1], "aliases: [/berita/2024/a/]")}
    result = build(make_site(files), "--no-search")
    assert result.code == 1
    assert [line for line in result.err.splitlines() if ": error: " in line] == [
        f"{A}:2: error: /berita/2024/a/ is claimed by both {A} and {b} (give one of them another address with  "
        "slug: ...  in its front matter)",
        f"{b}:4: error: /berita/2024/a/ is claimed by both {b} and {A} (take it out of  aliases:  or change it: "
        "an alias may not be another page's address)"]


def test_an_alias_onto_its_own_release_is_named_once_as_such(make_site: Callable[..., Path]) -> None:
    """An alias that is the release's own address was reported as the file clashing with
    itself, twice ("claimed by both a.id.md and a.id.md"). Once, at the aliases: line."""
    result = build(make_site({A: fm(*OK, "aliases: [/lama/a/, /berita/2024/a/]")}), "--no-search")
    assert result.code == 1
    assert [line for line in result.err.splitlines() if ": error: " in line] == [
        f"{A}:4: error: the alias /berita/2024/a/ is this release's own address (an alias is an old address that "
        "leads to the page; take this one out of  aliases:)"]


def test_check_and_a_watch_also_report_a_template_error_beside_a_release_s(make_site: Callable[..., Path]) -> None:
    """``check`` reports both as the build does; in a watch the next good build is not
    changed by the pages tried on the site without the bad release."""
    from sitegen.build import Options, State
    from sitegen.build import build as build_site
    from sitegen.errors import SiteError

    bad = next(b for b in CATALOGUE if b.name == "template-undefined-beside-a-content-error")
    site = make_site(bad.files, config=bad.config)
    result = run_process("check", "--site", site, "--now", "2026-11-28T12:00:00+07:00")
    assert result.code == 1 and "Traceback" not in result.err, result.err
    shown = [_without_hint(line) for line in result.err.splitlines()[:-1]]
    assert [line for line in shown if ": error: " in line] == list(bad.expected)
    state = State()
    options = Options(site_dir=site, now="2026-11-28T12:00:00+07:00", search=False)
    with pytest.raises(SiteError) as failed:
        build_site(options, state)
    assert len(failed.value.diagnostics) == 2
    (site / "templates/article.html").unlink()
    (site / B).write_text(fm("title: Kedua", OK[1]), "utf-8")
    build_site(options, state)
    fresh = make_site(bad.files | {B: fm("title: Kedua", OK[1])}, config=bad.config)
    (fresh / "templates/article.html").unlink()
    build_site(Options(site_dir=fresh, now="2026-11-28T12:00:00+07:00", search=False))
    ours = sorted(p.relative_to(site / "public") for p in (site / "public").rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(fresh / "public") for p in (fresh / "public").rglob("*") if p.is_file())
    assert ours == theirs
    for rel in ours:
        assert (site / "public" / rel).read_bytes() == (fresh / "public" / rel).read_bytes(), rel


def test_a_line_break_in_a_file_name_is_shown_escaped_so_the_line_still_names_the_file(
        make_site: Callable[..., Path]) -> None:
    """One problem, one line: a file name holding a line break (possible on Linux) would
    otherwise split it, and an editor would read only the name's last part as the path."""
    site = make_site({"content/berita/rapat\nbaru.id.md": fm(OK[0], "date: 2024-02-30")})
    result = build(site)
    assert result.code == 1, result.err
    lines = result.err.splitlines()
    assert lines[0].startswith("content/berita/rapat\\nbaru.id.md:3: error: "), result.err
    assert lines[1:] == ["1 error"]


def test_a_template_sitegen_makes_pages_with_that_is_missing_is_named_as_that_file(
        make_site: Callable[..., Path]) -> None:
    """It was 'templates: error: template error: 'article.html' not found in search path: ...'
    with a hint about 'this line', naming no file and no line."""
    import shutil

    from tests.conftest import REPO

    site = make_site({A: fm(*OK)}, config=SMALL_CONFIG + "theme: eigen\n")
    shutil.copytree(REPO / "themes/humas", site / "themes/eigen")
    (site / "themes/eigen/templates/article.html").unlink()
    result = build(site, "--no-search")
    assert result.code == 1
    assert [line for line in result.err.splitlines() if ": error: " in line] == [
        "templates/article.html: error: template error: the template 'article.html' does not exist, and pages are "
        "made with it (put it back in the theme's templates/ folder, or write the site's own in templates/)"]


def test_a_value_in_a_message_is_never_written_out_whole() -> None:
    """A value named in a config error is cut short before it is written out: an alias bomb's
    9^9 items, written whole first, took 3 GB and two minutes before the error was said."""
    from sitegen.config import _show

    class Whole:
        def __repr__(self) -> str:
            raise AssertionError("written out whole")

    assert _show([[[[Whole()]]]]) == "[[[...]]]"
    assert "..." in _show("x" * 10_000) and len(_show("x" * 10_000)) < 70


def test_tags_are_counted_as_the_site_gives_them_pages(make_site: Callable[..., Path]) -> None:
    """Banjir and banjir are one tag with one page: 120 tags written twice each are 120, a
    warning, not 240 and a release refused."""
    tags = ", ".join(f"Topik{n}, topik{n}" for n in range(120))
    site = make_site({A: fm(*OK, f"tags: [{tags}]")})
    result = build(site)
    assert result.code == 0, result.err
    assert f"{A}:4: warning: the release has 120 tags; a release should have at most 30" in result.err
