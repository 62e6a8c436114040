"""The desk's overview gives the same facts as sitegen status, also while another file's error
stops the rebuilds (issue 21: "every release with its state ... the same facts as sitegen status")."""

from __future__ import annotations

from tests.desk_helpers import desk_server
from tests.test_desk import small_site


def test_the_overview_reads_a_file_changed_while_another_file_stops_the_rebuilds(make_site) -> None:  # type: ignore[no-untyped-def]
    """The overview showed the last good build's states: a release put back to a draft while
    another file's error stopped the rebuilds was still 'live', where sitegen status, which
    reads the files, listed it among the drafts."""
    from tests.conftest import article

    rel = "content/berita/2024-05-31-kembali.id.md"
    site = small_site(make_site, **{rel: article("Kembali Jadi Draf")})
    with desk_server(site) as srv:
        client = srv.client()

        def states() -> dict[str, list[str]]:
            return {row.xpath("string(td[1])").strip(): [s.text_content().strip() for s in row.xpath(".//li")]
                    for row in client.get("").page().xpath("//table[@class='releases']/tbody/tr")}

        assert states()["Kembali Jadi Draf"][0] == "live"
        (site / "content/berita/rusak.id.md").write_text("---\ntitle: Rusak\ndate: 2026-13-45\n---\nIsi.\n", "utf-8")
        (site / rel).write_text(article("Kembali Jadi Draf", draft=True), "utf-8")
        assert not srv.rebuilder.rebuild("changed").ok
        assert states()["Kembali Jadi Draf"] == ["draft"]
        drafts = client.get("?state=draft").page()
        assert "Kembali Jadi Draf" in [r.xpath("string(td[1])").strip() for r in drafts.xpath("//tbody/tr")]
