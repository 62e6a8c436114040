"""Issue 21, "Checks as they type: the same diagnostics as `sitegen check`, shown next to the
field they concern": the empty text and summary that `check` warns of (a release from
`sitegen new`, or a form not written yet) are said beside the text and the summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import run
from tests.desk_helpers import desk_server
from tests.test_desk import replace_field, small_site


def test_an_empty_text_and_summary_are_warned_of_beside_their_fields(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(client.follow("new").form_fields(), "title", "Rapat Tanpa Isi")
        # As it is typed: the check the page asks for.
        found = json.loads(client.post("check", fields).body)["findings"]
        beside = {(f["field"], f["severity"]) for f in found}
        assert ("body", "warning") in beside and ("summary", "warning") in beside, found
        assert not [f for f in found if f["field"] == ""], found
        # Saved as a draft, the form that comes back says them beside the same fields.
        answer = client.post("save", [*fields, ("action", "save")])
        assert answer.status == 303
        rel = answer.headers["Location"].split("file=", 1)[1].split("&", 1)[0].replace("%2F", "/")
        page = client.get(answer.headers["Location"]).page()
        assert page.xpath("string(//p[@id='err-body'])").strip(), "no warning beside the text"
        assert page.xpath("string(//p[@id='err-summary'])").strip(), "no warning beside the summary"
        assert not page.xpath("string(//p[@id='err-'])").strip()
    # sitegen check warns of both for the same file
    out = run("check", "--site", site).err
    assert out.count(rel) >= 2, out
