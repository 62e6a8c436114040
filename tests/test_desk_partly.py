"""A translation whose text is translated in part: the paragraphs still as in its source are
warned of beside the text (the whole text still as in the source already was), quoting the
first, so the translator finds what is left."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import article
from tests.desk_helpers import desk_server
from tests.test_desk import replace_field, small_site
from tests.test_desk_keep import checked
from tests.test_desk_three import translated

SOURCE = "content/berita/2024-06-07-anggaran.id.md"
FIRST = "Pemerintah provinsi menetapkan anggaran tahun depan dalam rapat paripurna kemarin."
SECOND = "Anggaran pendidikan naik sepuluh persen dibanding tahun lalu, kata kepala dinas."
THIRD = "Warga dapat membaca rincian anggaran di laman resmi pemerintah provinsi mulai pekan depan."
SOURCE_TEXT = article("Anggaran Disahkan", body=f"{FIRST}\n\n{SECOND}\n\n## Rincian\n\n{THIRD}\n\nSumber: Bappeda.")


def test_paragraphs_still_as_in_the_source_are_warned_of_beside_the_text(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site, **{SOURCE: SOURCE_TEXT})
    with desk_server(site) as srv:
        client = srv.client()
        twin = translated(client, SOURCE)
        fields = client.get(f"edit?file={twin}").form_fields()
        assert checked(client, fields)["body"] == "still as in Bahasa Indonesia: translate the text"
        # The first paragraph and the heading translated; two paragraphs (and a short line) left.
        partly = f"The provincial government set next year's budget in yesterday's plenary meeting.\n\n" \
                 f"{SECOND}\n\n## Details\n\n{THIRD}\n\nSumber: Bappeda."
        said = checked(client, replace_field(fields, "body", partly))["body"]
        assert said == (f"2 paragraphs still as in Bahasa Indonesia, the first: “{SECOND[:39]}…”: "
                        "translate them"), said
        one = partly.replace(THIRD, "Residents can read the budget's details on the province's website from next week.")
        said = checked(client, replace_field(fields, "body", one))["body"]
        assert said == f"a paragraph still as in Bahasa Indonesia: “{SECOND[:39]}…”: translate it", said
        done = one.replace(SECOND, "The education budget rises by ten percent on last year, the head of office said.")
        assert "body" not in checked(client, replace_field(fields, "body", done))  # a short line may stay
