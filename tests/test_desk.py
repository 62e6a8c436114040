"""The newsroom desk over HTTP: saving, conflicts, history, the byte-identical round trip,
translations, uploads and every security rule (host, CSRF, login, sessions, paths)."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from sitegen.config import load_config
from sitegen.content.discover import SourceFile
from sitegen.content.parse_file import parse_file
from sitegen.desk import document, form, security, storage, uploads
from sitegen.errors import Report
from tests.conftest import REPO, SMALL_CONFIG, Run, article, run
from tests.desk_helpers import Client, desk_server

ARTICLE = "content/berita/2024-05-30-rapat.id.md"
ZONE = ZoneInfo("Asia/Jakarta")


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def small_site(make_site: Callable[..., Path], **extra: str | bytes) -> Path:
    files: dict[str, str | bytes] = {
        "static/images/a.jpg": jpeg(),
        ARTICLE: article("Rapat Koordinasi", body="Isi berita rapat.", tags=["rapat"]),
        "content/berita/2024-05-30-rapat.en.md": article("Coordination Meeting", body="The news."),
        "content/pages/tentang.id.md": article("Tentang", date="", body="Tentang kami."),
        "static/files/rilis.pdf": b"%PDF-1.4\n%%EOF\n",
    }
    files.update(extra)
    return make_site(files)


def saved_form(client: Client, rel: str) -> list[tuple[str, str]]:
    return client.get(f"edit?file={rel}").form_fields()


def replace_field(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    return [(k, value if k == name else v) for k, v in fields]


# --- the front matter writer ---------------------------------------------------------------------


def bundled_files() -> list[Path]:
    return sorted((REPO / "content").rglob("*.md"))


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.name)
def test_every_bundled_file_round_trips_byte_for_byte_through_the_form(path: Path) -> None:
    raw = path.read_bytes()
    doc = document.parse(raw)
    shown = form.from_document(doc, ZONE)
    assert form.changes(shown, shown, ZONE) == {}
    assert document.apply(doc, {}, shown.body) == raw


def test_opening_and_saving_every_bundled_file_over_http_leaves_its_bytes(bundled_site: Path) -> None:
    with desk_server(bundled_site) as srv:
        client = srv.client()
        files = sorted(bundled_site.glob("content/*/*.md"))
        assert len(files) > 20
        for path in files:
            rel = path.relative_to(bundled_site).as_posix()
            before = path.read_bytes()
            fields = saved_form(client, rel)
            answer = client.post("save", [*fields, ("action", "save")])
            assert answer.status == 303, (rel, answer.text[:2000])
            assert path.read_bytes() == before, rel
        assert not list(bundled_site.glob("content/**/.*.tmp"))


HAND_WRITTEN = {
    "content/berita/2025-01-15-dua-spasi.id.md":
        '---\ntitle: "Rapat  Dua Spasi"\ndate: 2025-01-15T09:00:00+07:00\nsummary: "Ringkas."\n---\n\nIsi\n',
    "content/berita/2025-01-14-terlipat.id.md":
        '---\ntitle: Uji LF\ndate: 2025-01-05 09:00\nsummary: >\n  Ringkas\n  dua baris.\ntags: [a, "b c"]\n---\nIsi\n',
    "content/berita/2025-01-17-spasi-akhir.id.md":
        '---\ntitle: "Uji Spasi Akhir "\ndate: 2025-01-17T02:00:00Z\nsummary: "Ringkas. "\n'
        'location: "Padang  Pariaman"\ngallery:\n  - {path: /images/a.jpg, alt: "Dua  spasi", credit: " Humas "}\n'
        'attachments:\n  - {path: /files/rilis.pdf, title: "Rilis "}\n---\n\nIsi\n',
}


def test_saving_a_hand_written_file_without_changes_leaves_its_bytes(make_site: Callable[..., Path]) -> None:
    """Spaces the form tidies (two in a row, at the ends, a folded summary) are no change."""
    site = small_site(make_site, **HAND_WRITTEN)
    with desk_server(site) as srv:
        client = srv.client()
        for rel in HAND_WRITTEN:
            before = (site / rel).read_bytes()
            answer = client.post("save", [*saved_form(client, rel), ("action", "save")])
            assert answer.status == 303, (rel, answer.text[:2000])
            assert (site / rel).read_bytes() == before, rel
        rel = "content/berita/2025-01-15-dua-spasi.id.md"  # an edit is still written, tidied
        fields = replace_field(saved_form(client, rel), "title", "Rapat  Tiga  Spasi ")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
        assert 'title: "Rapat Tiga Spasi"' in (site / rel).read_text("utf-8")


def test_written_values_read_back_identically(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    config = load_config(site)
    tricky = 'Kanwil: "Rapat" #1 — ümlaut \\ back \'quote\' - dash'
    new = form.Release(title=tricky, date="2024-05-30", time="10:00", location="Padang: Kota",
                       tags=("yes", "no", "1.10", "- x"), summary="Baris satu.\nBaris: dua",
                       contact_name="Humas", contact_phone="+62 751", release_number="0123",
                       embargo_date="2024-05-31", embargo_time="08:30", draft=True,
                       attachments=(("/files/rilis.pdf", "Rilis: bertanda tangan"),),
                       gallery=(("/images/a.jpg", "Peserta rapat", "", "Humas"),), body="Isi.\n")
    doc = document.blank()
    data = document.apply(doc, form.changes(None, new, config.zone), new.body)
    again = form.from_document(document.parse(data), config.zone)
    assert again == new
    # sitegen's own parser reads the same values
    path = site / "content/berita/baru.id.md"
    path.write_bytes(data)
    report = Report()
    made = parse_file(SourceFile(str(path), "content/berita/baru.id.md", "berita", "baru", "id", 0, len(data)),
                      site, config, report, data)
    assert made is not None, report.items
    entry = made[0]
    assert (entry.title, entry.location, entry.tags, entry.release_number) == (
        tricky, "Padang: Kota", ("yes", "no", "1.10", "- x"), "0123")
    assert entry.draft is True and entry.embargo is not None
    assert entry.embargo.isoformat() == "2024-05-31T08:30:00+07:00"
    assert entry.date is not None and entry.date.isoformat() == "2024-05-30T10:00:00+07:00"
    assert [a.title for a in entry.attachments] == ["Rilis: bertanda tangan"]
    assert [(g.alt, g.credit) for g in entry.gallery] == [("Peserta rapat", "Humas")]
    # written twice, it is the same: the writer is stable
    assert document.apply(document.parse(data), form.changes(again, again, config.zone), again.body) == data


def test_a_change_keeps_unknown_keys_comments_and_line_endings() -> None:
    raw = ("\ufeff---\r\n# catatan redaksi\r\ntitle: Lama\r\nauthor: [A, B]\r\ncustom_key: {a: 1}\r\n"
           "tags:\r\n- x\r\n- y\r\n---\r\nIsi.\r\n").encode()
    doc = document.parse(raw)
    old = form.from_document(doc, ZONE)
    new = form.Release(**{**form.as_values(old), "title": "Baru", "tags": ("x",)})
    out = document.apply(doc, form.changes(old, new, ZONE), new.body).decode("utf-8")
    assert out == ("\ufeff---\r\n# catatan redaksi\r\ntitle: \"Baru\"\r\nauthor: [A, B]\r\ncustom_key: {a: 1}\r\n"
                   "tags:\r\n  - \"x\"\r\n---\r\nIsi.\r\n")


# --- saving, conflicts, history --------------------------------------------------------------------


def test_save_is_atomic_and_kept_in_history_and_restorable(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    original = (site / ARTICLE).read_bytes()
    with desk_server(site) as srv:
        client = srv.client()
        fields = saved_form(client, ARTICLE)
        answer = client.post("save", [*replace_field(fields, "title", "Rapat Kedua"), ("action", "save")])
        assert answer.status == 303 and "done=saved" in answer.headers["Location"]
        assert 'title: "Rapat Kedua"' in (site / ARTICLE).read_text("utf-8")
        assert not [p for p in (site / "content/berita").iterdir() if p.name.startswith(".")]
        versions = storage.versions(site, ARTICLE)
        assert [storage.version_bytes(site, ARTICLE, v.name) for v in versions] == [
            (site / ARTICLE).read_bytes(), original]
        history = client.get(f"history?file={ARTICLE}")
        assert history.status == 200
        page = history.page()
        oldest = page.xpath("//form[@action='/__sitegen/desk/restore']")[-1]
        values = {i.get("name"): i.get("value") for i in oldest.iter("input")}
        assert client.post("restore", values).status == 303
        assert (site / ARTICLE).read_bytes() == original
        assert len(storage.versions(site, ARTICLE)) == 3  # the restore is kept too


def test_a_file_changed_on_disk_is_never_overwritten(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = saved_form(client, ARTICLE)
        outside = (site / ARTICLE).read_text("utf-8").replace("Isi berita rapat.", "Diubah di luar.")
        (site / ARTICLE).write_text(outside, "utf-8")
        mine = replace_field(replace_field(fields, "title", "Judul Saya"), "body", "Teks saya.\n")
        answer = client.post("save", [*mine, ("action", "save")])
        assert answer.status == 409  # both changed the text
        assert (site / ARTICLE).read_text("utf-8") == outside  # untouched
        page = answer.page()
        assert page.get_element_by_id("title").get("value") == "Judul Saya"  # mine, in the form
        assert "Diubah di luar." in page.get_element_by_id("theirs-body").text_content()  # theirs, beside it
        assert "you both changed: Text." in answer.text
        # Saving the merged form now is a deliberate choice, made with the disk version's digest.
        merged = replace_field(answer.form_fields(), "body", "Diubah di luar.\n\nDan tambahan saya.\n")
        assert client.post("save", [*merged, ("action", "save")]).status == 303
        text = (site / ARTICLE).read_text("utf-8")
        assert 'title: "Judul Saya"' in text and "Dan tambahan saya." in text and "Diubah di luar." in text
        assert outside.encode() in [storage.version_bytes(site, ARTICLE, v.name)
                                    for v in storage.versions(site, ARTICLE)]


def test_two_editors_changing_different_fields_keep_both_changes(make_site: Callable[..., Path]) -> None:
    """Editor A adds an embargo, a dateline and a tag while B, who opened the release before,
    retitles it: B's save writes nothing over A's (issue 21: a file changed on disk since it was
    opened is never overwritten, the desk shows both versions); B's form comes back with A's
    changes already in it, so saving it keeps both instead of silently dropping the embargo."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        a, b = srv.client(), srv.client()
        opened_by_b = saved_form(b, ARTICLE)
        fields_a = saved_form(a, ARTICLE)
        fields_a = replace_field(replace_field(fields_a, "embargo_date", "2030-01-02"), "embargo_time", "09:00")
        fields_a = replace_field(replace_field(fields_a, "location", "Padang"), "tag_new", "embargo")
        assert a.post("save", [*fields_a, ("action", "save")]).status == 303
        by_a = (site / ARTICLE).read_text("utf-8")
        answer = b.post("save", [*replace_field(opened_by_b, "title", "Judul B"), ("action", "save")])
        assert answer.status == 409
        assert (site / ARTICLE).read_text("utf-8") == by_a  # untouched
        beside = answer.page().xpath("string(//section[@class='theirs'])")
        assert "Padang" in beside and "2030-01-02" in beside  # A's, beside the form
        assert "in other fields than you: nothing was saved yet" in answer.text
        both = dict(answer.form_fields())
        assert both["title"] == "Judul B" and both["location"] == "Padang" and both["embargo_date"] == "2030-01-02"
        answer = b.post("save", [*answer.form_fields(), ("action", "save")])  # saved deliberately
        assert answer.status == 303 and "done=saved" in answer.headers["Location"]
        text = (site / ARTICLE).read_text("utf-8")
        assert 'title: "Judul B"' in text
        assert 'embargo: "2030-01-02T09:00:00+07:00"' in text and 'location: "Padang"' in text
        assert '"embargo"' in text and '"rapat"' in text  # both tags
        shown = b.get(answer.headers["Location"].removeprefix("/__sitegen/desk/"))
        notice = shown.page().xpath("string(//p[contains(@class, 'notice')])")
        # under embargo: it says when the release goes public, and links to no page that is not there yet
        assert "It goes on the site at 2030-01-02 09:00 WIB" in notice
        assert shown.page().xpath("//a[text()='See it on the site' or text()='On the site']") == []
        # A clash on one field is put to the person, with the other's changes already in the form.
        fields_a = replace_field(saved_form(a, ARTICLE), "summary", "Ringkasan A.")
        fields_b = saved_form(b, ARTICLE)
        assert a.post("save", [*replace_field(fields_a, "unit", "Biro Humas"), ("action", "save")]).status == 303
        clash = b.post("save", [*replace_field(fields_b, "summary", "Ringkasan B."), ("action", "save")])
        assert clash.status == 409 and "you both changed: Summary." in clash.text
        shown = dict(clash.form_fields())
        assert shown["summary"] == "Ringkasan B." and shown["unit"] == "Biro Humas"
        assert "Ringkasan A." in (site / ARTICLE).read_text("utf-8")  # untouched until B chooses


def test_storage_refuses_a_stale_digest_and_a_new_file_that_exists(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    target = "content/a.md"
    assert storage.save(tmp_path, target, b"one", storage.ABSENT)
    with pytest.raises(storage.Conflict):
        storage.save(tmp_path, target, b"two", storage.ABSENT)
    with pytest.raises(storage.Conflict):
        storage.save(tmp_path, target, b"two", storage.digest(b"other"))
    assert storage.save(tmp_path, target, b"two", storage.digest(b"one"))
    assert (tmp_path / target).read_bytes() == b"two"


# --- new releases, checks, publishing ---------------------------------------------------------------


def new_fields(client: Client, **values: str) -> list[tuple[str, str]]:
    fields = client.follow("new?section=berita&lang=id").form_fields()
    for name, value in values.items():
        fields = replace_field(fields, name, value)
    return fields


def test_a_new_release_starts_as_a_draft_and_publish_waits_for_a_clean_check(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        blank = client.follow("new?section=berita&lang=id")
        assert blank.page().get_element_by_id("draft").get("checked") is not None
        # Publishing without a title is refused, and nothing is written.
        refused = client.post("save", [*new_fields(client, title="", date="2024-06-01"), ("action", "publish")])
        assert refused.status == 422
        assert refused.page().get_element_by_id("publish").get("disabled") is not None
        assert refused.page().get_element_by_id("err-title").text_content().strip() == "still empty"
        assert refused.page().get_element_by_id("title").get("aria-invalid") == "true"
        assert sorted(p.name for p in (site / "content/berita").iterdir()) == [
            "2024-05-30-rapat.en.md", "2024-05-30-rapat.id.md"]
        # Saved, it is a draft.
        fields = new_fields(client, title="Sosialisasi Layanan", date="2024-06-01", time="09:30")
        fields = replace_field(fields, "body", "Isi berita sosialisasi.\n")
        saved = client.post("save", [*fields, ("action", "save")])
        assert saved.status == 303
        rel = "content/berita/2024-06-01-sosialisasi-layanan.id.md"
        text = (site / rel).read_text("utf-8")
        assert text == ('---\ntitle: "Sosialisasi Layanan"\ndate: "2024-06-01T09:30:00+07:00"\ndraft: true\n'
                        "---\nIsi berita sosialisasi.\n")
        # Saved without the draft box (a form that never sent it): still a draft, being new.
        fields = new_fields(client, title="Tanpa Kotak Draf", date="2024-06-02")
        saved = client.post("save", [(k, v) for k, v in fields if k != "draft"] + [("action", "save")])
        assert saved.status == 303
        assert "draft: true" in (site / "content/berita/2024-06-02-tanpa-kotak-draf.id.md").read_text("utf-8")
        # Published: the draft line goes.
        published = client.post("save", [*saved_form(client, rel), ("action", "publish")])
        assert published.status == 303 and "done=published" in published.headers["Location"]
        assert "draft" not in (site / rel).read_text("utf-8")
        srv.rebuild()
        assert (site / "public/berita/2024/sosialisasi-layanan/index.html").is_file()


def test_checks_point_at_the_field_they_concern(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = saved_form(client, ARTICLE)
        fields = replace_field(fields, "title", "")
        fields = replace_field(fields, "body", "Lihat [laporan](/tidak-ada/) kami.\n")
        fields = replace_field(fields, "image", "/images/hilang.jpg")
        answer = client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]})
        assert answer.status == 200
        result = json.loads(answer.body)
        by_field = {f["field"]: f["text"] for f in result["findings"] if f["severity"] == "error"}
        assert by_field["title"] == "still empty"  # beside the Title field: no key name
        assert "hilang.jpg" in by_field["image"]
        assert result["errors"] >= 2
        fields = replace_field(replace_field(fields, "title", "Rapat"), "image", "")
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        assert [f["field"] for f in result["findings"] if f["severity"] == "error"] == ["body"]
        assert "/tidak-ada/" in result["findings"][0]["text"]
        fixed = replace_field(fields, "body", "Lihat [berita](/berita/) kami.\n")
        result = json.loads(client.post("check", fixed, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        assert result["errors"] == 0
        preview = result["preview"]
        assert "<h1" in preview and "Rapat" in preview and "Lihat" in preview  # the real theme's page
        assert (site / ARTICLE).read_text("utf-8").count("Rapat Koordinasi") == 1  # nothing saved


def test_overview_shows_states_and_filters(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site, **{
        "content/berita/2030-01-01-nanti.id.md": article("Nanti", date="2030-01-01T09:00:00+07:00"),
        "content/berita/2024-05-01-embargo.id.md": article("Berembargo", embargo="2030-02-01T10:00:00+07:00"),
        "content/berita/2024-05-02-draf.id.md": article("Draf", draft=True),
        "content/berita/2024-05-03-sendiri.id.md": article("Sendirian"),
    })
    with desk_server(site) as srv:
        client = srv.client()
        page = client.get("").page()
        states = {row.xpath("string(td[1])").strip(): [s.text_content().strip() for s in row.xpath(".//li")]
                  for row in page.xpath("//table[@class='releases']/tbody/tr")}
        assert states["Nanti"][0].startswith("scheduled for 2030-01-01 09:00")
        assert states["Berembargo"][0].startswith("embargoed until 2030-02-01 10:00")
        assert states["Draf"] == ["draft"]
        assert states["Sendirian"] == ["live", "translation missing: en"]
        assert states["Rapat Koordinasi"] == ["live"]
        only = client.get("?state=draft").page()
        assert [r.xpath("string(td[1])").strip() for r in only.xpath("//tbody/tr")] == ["Draf"]
        by_title = client.get("?q=koordin").page()
        assert [r.xpath("string(td[1])").strip() for r in by_title.xpath("//tbody/tr")] == ["Rapat Koordinasi"]
        english = client.get("?lang=en").page()
        assert [r.xpath("string(td[1])").strip() for r in english.xpath("//tbody/tr")] == ["Coordination Meeting"]
        pages = client.get("?section=pages").page()
        assert [r.xpath("string(td[1])").strip() for r in pages.xpath("//tbody/tr")] == ["Tentang"]


# --- translations ----------------------------------------------------------------------------------


def test_translate_makes_a_draft_twin_and_status_marks_it_out_of_date(make_site: Callable[..., Path]) -> None:
    source = "content/berita/2024-05-03-sendiri.id.md"
    site = small_site(make_site, **{source: article("Sendirian", body="Teks asli.", aliases=["/lama/"])})
    twin = "content/berita/2024-05-03-sendiri.en.md"
    with desk_server(site) as srv:
        client = srv.client()
        page = client.get(f"edit?file={source}").page()
        button = page.xpath("//form[@action='/__sitegen/desk/translate']//button")[0]
        assert button.text_content().strip() == "Translate into English"
        csrf = page.xpath("//input[@name='csrf']/@value")[0]
        answer = client.post("translate", {"csrf": csrf, "file": source, "lang": "en"})
        assert answer.status == 303 and twin in answer.headers["Location"]
        text = (site / twin).read_text("utf-8")
        assert "draft: true" in text and "translated_from: \"id:" in text and "/lama/" not in text
        opened = client.get(f"edit?file={twin}").page()
        assert "Teks asli." in opened.xpath("string(//section[@class='source-version'])")  # the source beside it
        # Translated and published, it is up to date...
        fields = replace_field(saved_form(client, twin), "title", "Alone")
        fields = replace_field(fields, "body", "Original text.\n")
        assert client.post("save", [*fields, ("action", "publish")]).status == 303
        srv.rebuild()
        rows = client.get("?lang=en").page().xpath("//tbody/tr")
        assert "out of date" not in rows[0].text_content()
        assert "Translations older than their source (0)" in run("status", "--site", site).out
        # ...until the source changes.
        src_fields = replace_field(saved_form(client, source), "body", "Teks asli, diperbarui.\n")
        assert client.post("save", [*src_fields, ("action", "save")]).status == 303
        srv.rebuild()
        rows = client.get("?lang=en").page().xpath("//tbody/tr")
        assert "translation out of date" in rows[0].text_content()
        status = run("status", "--site", site).out
        assert "Translations older than their source (1)" in status and twin in status
        stale_page = client.get(f"edit?file={twin}").page()
        assert stale_page.xpath("//section[@class='source-version']//p[contains(@class,'problem')]")
        # The translator brings it up to date and says so.
        fields = replace_field(saved_form(client, twin), "body", "Original text, updated.\n")
        assert client.post("save", [*fields, ("refresh_source", "1"), ("action", "save")]).status == 303
        srv.rebuild()
        assert "Translations older than their source (0)" in run("status", "--site", site).out


def test_a_translation_being_written_is_out_of_date_in_the_overview_and_not_missing(
        make_site: Callable[..., Path]) -> None:
    """Right after "Translate", the source's row said "translation missing: en" while status said
    "en (still a draft)"; and a change to the source while the draft was being written marked
    nothing, in the overview or in status."""
    source = "content/berita/2024-05-03-sendiri.id.md"
    twin = "content/berita/2024-05-03-sendiri.en.md"
    site = small_site(make_site, **{source: article("Sendirian", body="Teks asli.")})
    with desk_server(site) as srv:
        client = srv.client()
        csrf = client.get(f"edit?file={source}").page().xpath("//input[@name='csrf']/@value")[0]
        assert client.post("translate", {"csrf": csrf, "file": source, "lang": "en"}).status == 303
        srv.rebuild()
        rows = {r.xpath("string(td[3])").strip(): [" ".join(li.xpath("string(.)").split())
                                                   for li in r.xpath("td[4]//li")]
                for r in client.get("?q=Sendirian").page().xpath("//tbody/tr")}
        assert rows == {"id": ["live", "translation missing: en (still a draft)"], "en": ["draft"]}, rows
        src_fields = replace_field(saved_form(client, source), "body", "Teks asli, diperbarui.\n")
        assert client.post("save", [*src_fields, ("action", "save")]).status == 303
        srv.rebuild()
        stale = client.get("?state=stale").page().xpath("//tbody/tr/td[1]/a/@href")
        assert [href.rpartition("file=")[2].replace("%2F", "/") for href in stale] == [twin], stale
        status = run("status", "--site", site).out
        assert "Translations older than their source (1)" in status and twin in status


# --- uploads ---------------------------------------------------------------------------------------


def test_uploads_are_sniffed_limited_named_safely_and_need_alt_and_credit(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        csrf = client.csrf("new")
        photo = {"kind": "photo", "alt": "Peserta rapat", "credit": "Humas"}
        good = client.upload(photo, "Rapat Besar (1).JPG", jpeg(), csrf)
        assert good.status == 201 and json.loads(good.body) == {"url": "/images/rapat-besar-1.jpg"}
        again = client.upload(photo, "Rapat Besar (1).JPG", jpeg(), csrf)
        assert json.loads(again.body) == {"url": "/images/rapat-besar-1-2.jpg"}  # never overwrites
        assert (site / "static/images/rapat-besar-1.jpg").read_bytes() == jpeg()
        assert client.upload({"kind": "photo", "alt": "", "credit": ""}, "a.jpg", jpeg(), csrf).status == 422
        fake = client.upload(photo, "foto.jpg", b"<script>alert(1)</script>", csrf)
        assert fake.status == 415
        renamed = client.upload({"kind": "attachment"}, "rilis.jpg", b"%PDF-1.4\n%%EOF\n", csrf)
        assert renamed.status == 415  # a PDF named .jpg
        pdf = client.upload({"kind": "attachment"}, "../../Rilis Resmi.pdf", b"%PDF-1.4\n%%EOF\n", csrf)
        assert json.loads(pdf.body) == {"url": "/files/rilis-resmi.pdf"}
        assert client.upload({"kind": "attachment"}, "x.exe", b"MZ\x90\x00", csrf).status == 415
        heic = client.upload(photo, "IMG_5678.HEIC", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", csrf)
        assert heic.status == 415 and "an iPhone's HEIC photo as JPEG" in json.loads(heic.body)["error"]
        too_big = client.request("POST", "upload", b"x", {
            "Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(uploads.MAX_REQUEST + 1),
            "X-CSRF-Token": csrf})
        assert too_big.status == 413
        assert json.loads(too_big.body)["error"].startswith("the file is larger than 25 MB: upload a smaller")
        big = client.upload(photo, "besar.jpg", b"\xff\xd8\xff" + b"\0" * (uploads.MAX_BYTES + 1), csrf)
        assert big.status == 413 and json.loads(big.body) == json.loads(too_big.body)
        # Far over the limit, sent whole before the answer is read: still the answer, not a reset.
        huge = client.upload(photo, "sangat-besar.jpg", b"\xff\xd8\xff" + b"\0" * (30 * 1024 * 1024), csrf)
        assert huge.status == 413 and json.loads(huge.body) == json.loads(too_big.body)
        assert sorted(p.name for p in (site / "static/images").iterdir()) == ["a.jpg", "rapat-besar-1-2.jpg",
                                                                              "rapat-besar-1.jpg"]
        no_csrf = client.upload(photo, "b.jpg", jpeg(), "wrong")
        assert no_csrf.status == 403
        garbled = client.request("POST", "upload", b"x", {"Content-Length": "banyak", "X-CSRF-Token": csrf})
        assert garbled.status == 400


def test_a_jpeg_named_as_windows_and_whatsapp_name_it_is_uploaded_as_jpg(make_site: Callable[..., Path]) -> None:
    """WhatsApp and Windows save a JPEG as .jfif (and some cameras .jpe): its name matches
    what it holds, and it is stored as .jpg."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        csrf = client.csrf("new")
        photo = {"kind": "photo", "alt": "Peserta rapat", "credit": "Humas"}
        for name, url in (("IMG-20240530-WA0001.jfif", "/images/img-20240530-wa0001.jpg"),
                          ("rapat.JPE", "/images/rapat.jpg")):
            answer = client.upload(photo, name, jpeg(), csrf)
            assert answer.status == 201 and json.loads(answer.body) == {"url": url}, answer.body
        assert (site / "static/images/rapat.jpg").read_bytes() == jpeg()


def test_a_damaged_photo_is_refused_at_upload_and_the_site_keeps_building(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        csrf = client.csrf("new")
        photo = {"kind": "photo", "alt": "Peserta rapat", "credit": "Humas"}
        cut = client.upload(photo, "rusak.jpg", jpeg((640, 480))[:400], csrf)  # a JPEG cut short
        assert cut.status == 415, cut.text
        assert "damaged or cut short" in json.loads(cut.body)["error"]
        assert not (site / "static/images/rusak.jpg").exists()
        srv.rebuild()  # nothing was stored that every later build would fail on


def test_the_preview_of_a_draft_shows_its_photo(make_site: Callable[..., Path]) -> None:
    """A draft's photo has no versions in the output (no build publishes it yet): the preview
    is given them from the photo cache, so it shows the photo rather than a broken image."""
    draft = "content/berita/2024-06-03-draf.id.md"
    site = small_site(make_site, **{"static/images/draf.jpg": jpeg((900, 600)), draft: article(
        "Draf Berfoto", body="Isi.", draft=True, image="/images/draf.jpg", image_alt="Peserta", image_credit="Humas")})
    with desk_server(site) as srv:
        client = srv.client()
        preview = client.get(f"edit?file={draft}").page().xpath("string(//iframe[@id='preview']/@srcdoc)")
        shown = re.findall(r'(?:src|srcset)="([^"]+)"', preview)
        versions = sorted({url.split()[0] for value in shown for url in value.split(", ") if "/images/draf-" in url})
        assert len(versions) >= 3, shown
        for url in versions:
            assert not (site / "public" / url.lstrip("/")).exists()  # not published
            answer = client.get(url)
            assert answer.status == 200, url
            with Image.open(io.BytesIO(answer.body)) as im:
                assert im.width <= 900
        assert client.get("/images/draf-9999w.0000000000.jpg").status == 404  # nothing else from the cache


def test_off_loopback_a_draft_s_photo_versions_are_shown_only_to_a_signed_in_person(
        make_site: Callable[..., Path]) -> None:
    """The versions a preview made of a release that is not public come from the photo cache,
    not the output: off loopback only a person signed in to the desk is given them (the site's
    published files stay open to all)."""
    draft = "content/berita/2024-06-03-draf.id.md"
    site = small_site(make_site, **{"static/images/draf.jpg": jpeg((900, 600)), draft: article(
        "Draf Berfoto", body="Isi.", draft=True, image="/images/draf.jpg", image_alt="Peserta", image_credit="Humas")})
    security.set_password(site, "a long enough password")
    with desk_server(site, host="0.0.0.0") as srv:
        staff = srv.client()
        csrf = staff.get("login").page().xpath("//input[@name='csrf']/@value")[0]
        assert staff.post("login", {"csrf": csrf, "password": "a long enough password"}).status == 303
        preview = staff.get(f"edit?file={draft}").page().xpath("string(//iframe[@id='preview']/@srcdoc)")
        versions = sorted({url.split()[0] for value in re.findall(r'(?:src|srcset)="([^"]+)"', preview)
                           for url in value.split(", ") if "/images/draf-" in url})
        assert versions, preview
        assert all(url.startswith("/__sitegen/desk/preview/images/draf-") for url in versions), versions
        stranger = srv.client()
        for url in versions:
            assert staff.get(url).status == 200, url
            assert stranger.get(url).status == 303, url  # to the login page, no photo
            assert stranger.get(url.removeprefix("/__sitegen/desk/preview")).status == 404  # not on the site
        assert stranger.get("/images/a.jpg").status == 200  # published: open to every reader
        csrf = staff.csrf()
        assert staff.post("logout", {"csrf": csrf}).status == 303
        assert all(staff.get(url).status == 303 for url in versions)  # signed out: a stranger again


def test_a_missing_alt_text_is_shown_beside_the_alt_text_field(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "image", "/images/a.jpg")
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        errors = {f["field"]: f["text"] for f in result["findings"] if f["severity"] == "error"}
        assert "image_alt" in errors and "image" not in errors, errors
        assert "image_alt: ..." not in errors["image_alt"]  # no YAML for the form


def test_an_embargo_time_without_a_date_is_an_error_not_a_release_made_public(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "embargo_time", "09:00")
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        errors = {f["field"]: f["text"] for f in result["findings"] if f["severity"] == "error"}
        assert errors["embargo_date"] == "a time (09:00) but no date: choose the day too"
        refused = client.post("save", [*fields, ("action", "publish")])
        assert refused.status == 422
        assert "embargo" not in (site / ARTICLE).read_text("utf-8")  # not published without its embargo
        # the release's own date emptied, its time kept: the same words, not "'10:00' is not a date"
        fields = replace_field(saved_form(client, ARTICLE), "date", "")
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        errors = {f["field"]: f["text"] for f in result["findings"] if f["severity"] == "error"}
        assert errors["date"].startswith("a time (") and "but no date" in errors["date"], errors


def test_the_desk_warns_of_an_empty_text_and_summary_as_check_does(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(replace_field(saved_form(client, ARTICLE), "body", ""), "summary", "")
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        warnings = [f["text"] for f in result["findings"] if f["severity"] == "warning"]
        assert any("the text is empty" in w for w in warnings), warnings
        assert any("the summary is empty" in w for w in warnings), warnings


def test_the_desk_checks_links_in_the_text_relative_to_the_page_as_check_does(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        body = "Lihat [rapat lain](../tidak-ada/) dan [beranda](/).\n"
        fields = replace_field(saved_form(client, ARTICLE), "body", body)
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        errors = [f["text"] for f in result["findings"] if f["severity"] == "error"]
        assert any("the link ../tidak-ada/ leads to no page or file of this site" in e for e in errors), errors
        assert not any("the link / " in e for e in errors), errors


def test_a_pair_named_apart_by_translation_key_is_one_release(make_site: Callable[..., Path]) -> None:
    """Files named apart but joined by translation_key: the desk opens the other version
    instead of making a second one (which would stop every build), and shows the source of a
    translation made from English into Indonesian."""
    english = "content/berita/2024-06-01-satisfaction.en.md"
    indonesian = "content/berita/2024-06-01-kepuasan.id.md"
    site = small_site(make_site, **{
        english: article("Satisfaction Index", body="Survey text.", translation_key="ikm-2024"),
        indonesian: article("Indeks Kepuasan", body="Teks survei.", translation_key="ikm-2024"),
        "content/berita/2024-06-02-report.en.md": article("Annual Report", body="The English original."),
    })
    with desk_server(site) as srv:
        client = srv.client()
        page = client.get(f"edit?file={english}").page()
        assert page.xpath("//form[@action='/__sitegen/desk/translate']//button") == []  # nothing to make
        assert page.xpath(f"//a[contains(@href, '{indonesian}')]")  # the other version, opened
        csrf = page.xpath("//input[@name='csrf']/@value")[0]
        answer = client.post("translate", {"csrf": csrf, "file": english, "lang": "id"})
        assert answer.status == 303 and indonesian in answer.headers["Location"]
        assert sorted(p.name for p in (site / "content/berita").glob("2024-06-01-*")) == [
            "2024-06-01-kepuasan.id.md", "2024-06-01-satisfaction.en.md"]
        srv.rebuild()
        # English into Indonesian: the English source beside the new Indonesian draft
        answer = client.post("translate", {"csrf": csrf, "file": "content/berita/2024-06-02-report.en.md",
                                           "lang": "id"})
        twin = answer.headers["Location"].split("file=", 1)[1].split("&", 1)[0].replace("%2F", "/")
        source = client.get(f"edit?file={twin}").page().xpath("string(//section[@class='source-version'])")
        assert "The English original." in source and "(en)" in source


def test_a_translation_older_than_its_source_says_so_on_its_edit_page(make_site: Callable[..., Path]) -> None:
    """No translated_from in the file (written by hand): its dates decide, as the overview's."""
    site = small_site(make_site, **{
        ARTICLE: article("Rapat Koordinasi", body="Isi berita rapat, diperbarui.", updated="2024-06-10T10:00:00+07:00"),
        "content/berita/2024-05-30-rapat.en.md": article("Coordination Meeting", body="The news.")})
    with desk_server(site) as srv:
        client = srv.client()
        row = client.get("?lang=en").page().xpath("//tbody/tr")[0].text_content()
        assert "translation out of date" in row
        edit = client.get("edit?file=content/berita/2024-05-30-rapat.en.md").page()
        assert edit.xpath("//section[@class='source-version']//p[contains(@class,'problem')]")


def test_the_desk_speaks_indonesian_in_every_message(make_site: Callable[..., Path]) -> None:
    from sitegen.messages import set_language

    site = small_site(make_site)
    set_language("id")  # as serve does for a site with  ui_language: id  (the fixture sets English back)
    with desk_server(site) as srv:
        client = srv.client()
        (site / "content/berita/2024-05-31-rusak.id.md").write_text("judul tanpa front matter\n", "utf-8")
        unreadable = client.get("edit?file=content/berita/2024-05-31-rusak.id.md")
        assert unreadable.status == 200  # its text, to correct (test_desk_fix_unreadable)
        assert unreadable.page().xpath("string(//h1)") == "Perbaiki berkas ini"
        assert "front matter (baris ---)" in unreadable.text or "tidak diawali" in unreadable.text, unreadable.text
        fields = replace_field(saved_form(client, ARTICLE), "date", "kemarin")
        result = json.loads(client.post("check", fields, {"X-CSRF-Token": dict(fields)["csrf"]}).body)
        date_error = next(f["text"] for f in result["findings"] if f["field"] == "date")
        assert "TTTT" not in date_error  # how to write YAML is not for the form, in Indonesian either
        foreign = client.request("GET", "", headers={"Host": "jahat.example"})
        assert foreign.status == 421 and "alamat" in foreign.text


# --- security --------------------------------------------------------------------------------------


def test_foreign_host_headers_are_refused(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        for host in ("evil.example", f"evil.example:{srv.port}", f"127.0.0.1:{srv.port + 1}", ""):
            client = Client(srv.port, host=host or " ")
            assert client.get("").status == 421, host
            assert client.get("/").status == 421, host  # the preview too
        for host in (f"127.0.0.1:{srv.port}", f"localhost:{srv.port}"):
            assert Client(srv.port, host=host).get("").status == 200


def test_a_form_that_expired_comes_back_filled_in_and_saves_on_the_second_try(
        make_site: Callable[..., Path]) -> None:
    """serve restarted while a release was open: its token is unknown now. Nothing is saved
    from that request, but the text comes back in a form that works, instead of being lost."""
    site = small_site(make_site)
    before = (site / ARTICLE).read_bytes()
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "body", "Teks panjang yang diketik sejam.\n")
        srv.desk.sessions = security.Sessions()  # as after a restart: no session is known
        client.cookie = ""
        origin = {"Origin": f"http://127.0.0.1:{srv.port}"}
        expired = client.post("save", [*fields, ("action", "save")], origin)
        assert expired.status == 403 and (site / ARTICLE).read_bytes() == before  # nothing done
        assert "nothing was saved" in expired.text
        again = expired.form_fields()
        assert dict(again)["body"] == "Teks panjang yang diketik sejam.\n"  # the text is back
        assert client.post("save", [*again, ("action", "save")], origin).status == 303
        assert "Teks panjang yang diketik sejam." in (site / ARTICLE).read_text("utf-8")
        # from elsewhere, or without saying where from: a plain refusal that echoes nothing
        for headers in ({"Origin": "http://evil.example"}, {}):
            client.cookie = ""
            srv.desk.sessions = security.Sessions()
            refused = client.post("save", [*fields, ("action", "save")], headers)
            assert refused.status == 403 and "Teks panjang" not in refused.text


def test_off_loopback_a_save_after_the_session_ended_comes_back_after_signing_in_again(
        make_site: Callable[..., Path]) -> None:
    """Off loopback the session ends after an idle hour or a restart of serve. A release sent
    then is not saved, and not lost: the login page carries it, and once signed in again the
    form is back as it was sent. An upload then tells the page's script it was signed out."""
    site = small_site(make_site)
    security.set_password(site, "a long enough password")
    before = (site / ARTICLE).read_bytes()
    with desk_server(site, host="0.0.0.0") as srv:
        staff = srv.client()
        csrf = staff.get("login").page().xpath("//input[@name='csrf']/@value")[0]
        assert staff.post("login", {"csrf": csrf, "password": "a long enough password"}).status == 303
        fields = replace_field(saved_form(staff, ARTICLE), "body", "Teks yang diketik sejam penuh.\n")
        srv.desk.sessions = security.Sessions()  # the session ended: no session is known
        origin = {"Origin": f"http://127.0.0.1:{srv.port}"}
        uploaded = staff.upload({"kind": "photo", "alt": "Peserta", "credit": "Humas"}, "a.jpg", jpeg(), csrf)
        assert uploaded.status == 403 and json.loads(uploaded.body)["signed_out"] is True
        # The page's script sent the form without the photo it could not upload: named.
        out = staff.post("save", [*fields, ("action", "save"), ("not_uploaded", "rapat.jpg")], origin)
        assert out.status == 403 and (site / ARTICLE).read_bytes() == before  # nothing done
        assert "The file rapat.jpg you chose was not uploaded" in out.text
        login = out.form_fields("login")
        assert {name for name, _value in login} == {"csrf", "carried", "password"}
        carried = dict(login)
        wrong = staff.post("login", {**carried, "password": "not the password"}, origin)
        assert wrong.status == 401
        assert dict(wrong.form_fields("login"))["carried"] == carried["carried"]  # still carried
        back = staff.post("login", {**carried, "password": "a long enough password"}, origin)
        assert "The file rapat.jpg you chose was not uploaded" in back.text
        assert back.status == 200 and "Teks yang diketik sejam penuh." not in (site / ARTICLE).read_text("utf-8")
        again = back.form_fields()
        assert dict(again)["body"] == "Teks yang diketik sejam penuh.\n"  # the text is back, in a form that works
        assert staff.post("save", [*again, ("action", "save")], origin).status == 303
        assert "Teks yang diketik sejam penuh." in (site / ARTICLE).read_text("utf-8")
        # Not from this desk: a plain refusal that carries nothing.
        srv.desk.sessions = security.Sessions()
        refused = staff.post("save", [*fields, ("action", "save")], {"Origin": "http://evil.example"})
        assert refused.status == 403 and "Teks yang diketik" not in refused.text


def test_another_site_can_neither_fill_the_form_through_the_login_nor_sign_anyone_out(
        make_site: Callable[..., Path]) -> None:
    """A page of another site that posts to the login form a ``carried`` release of its own
    words: it never reaches the form (its words would be saved as "what you wrote"). Opening
    the login page, as a link from anywhere does, leaves the session of someone signed in."""
    site = small_site(make_site)
    security.set_password(site, "a long enough password")
    with desk_server(site, host="0.0.0.0") as srv:
        staff = srv.client()
        page = staff.get("login")
        assert page.headers["Set-Cookie"].startswith(f"{security.LOGIN_COOKIE}=")
        csrf = page.page().xpath("//input[@name='csrf']/@value")[0]
        assert staff.post("login", {"csrf": csrf, "password": "a long enough password"}).status == 303
        signed_in = staff.cookie
        elsewhere = staff.get("login")  # a link from another site: the session stays
        assert not elsewhere.headers["Set-Cookie"].startswith(f"{security.COOKIE}=")
        staff.cookie = signed_in
        assert staff.get("").status == 200
        words = json.dumps({"route": "save", "values": {"title": ["Layanan paspor dihentikan"],
                                                          "body": ["Kata-kata situs lain."]}})
        visitor = srv.client()
        csrf = visitor.get("login").page().xpath("//input[@name='csrf']/@value")[0]
        for origin in ({"Origin": "http://evil.example"}, {}):
            sent = visitor.post("login", {"csrf": csrf, "carried": words, "password": "a long enough password"},
                                origin)
            assert "Kata-kata situs lain" not in sent.text and "carried" not in sent.text
        assert not list((site / "content").rglob("*layanan-paspor*"))
        # A login page that outlived its session (serve restarted) says why it asks again.
        srv.desk.sessions = security.Sessions()
        again = visitor.post("login", {"csrf": csrf, "password": "a long enough password"},
                             {"Origin": f"http://127.0.0.1:{srv.port}"})
        assert again.status == 403 and "This page had expired" in again.text


def test_every_write_needs_the_sessions_csrf_token(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    before = (site / ARTICLE).read_bytes()
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "title", "Diserang")
        for bad in (replace_field(fields, "csrf", ""), replace_field(fields, "csrf", "x" * 43),
                    [f for f in fields if f[0] != "csrf"]):
            assert client.post("save", [*bad, ("action", "save")]).status == 403
        stranger = Client(srv.port)  # a session of its own: its token is not this one's
        assert stranger.post("save", [*fields, ("action", "save")]).status == 403
        cross = client.post("save", [*fields, ("action", "save")], {"Origin": "http://evil.example"})
        assert cross.status == 403
        assert (site / ARTICLE).read_bytes() == before
        cookie = client.get("").headers.get("Set-Cookie") or Client(srv.port).get("").headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/__sitegen/desk/" in cookie
        # A browser may send two values (a cookie of another path kept from before): the live
        # session is still found, and its token still works.
        client.cookie = f"{security.COOKIE}=left-from-before; {client.cookie}"
        assert client.get("").headers.get("Set-Cookie") is None  # no new session started
        fields = saved_form(client, ARTICLE)
        assert client.post("save", [*fields, ("action", "save")]).status == 303


@pytest.mark.parametrize("rel", ["../config.yaml", "content/../config.yaml", "/etc/passwd", "static/x.md",
                                 "content/berita/../../config.yaml", "content/berita/.hidden.md",
                                 "content\\berita\\x.md", "content/berita/x.txt", "themes/humas/x.md"])
def test_paths_are_confined_to_content(make_site: Callable[..., Path], rel: str) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        assert client.get(f"edit?file={rel}").status == 403
        assert client.get(f"history?file={rel}").status == 403
        csrf = client.csrf()
        assert client.post("save", {"csrf": csrf, "file": rel, "title": "x", "action": "save"}).status == 403
        assert client.post("translate", {"csrf": csrf, "file": ARTICLE, "lang": "../x"}).status == 403
    assert (site / "config.yaml").read_text("utf-8").startswith("base_url")


def test_a_symlinked_section_cannot_lead_out(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = small_site(make_site)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.id.md").write_text(article("Luar"), "utf-8")
    with desk_server(site) as srv:  # linked after the first build: the build refuses a linked folder
        os.symlink(outside, site / "content/luar")
        assert srv.client().get("edit?file=content/luar/x.id.md").status == 403


def test_off_loopback_the_desk_needs_a_login(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site, host="0.0.0.0") as srv:
        client = srv.client()
        assert client.get("").status == 303  # to the login page
        closed = client.get("login")
        assert closed.status == 503 and "sitegen desk-password" in closed.text
        # The admin sets a password: it is stored as a salted hash, never as typed.
        result = run_with_stdin("correct horse battery\n", "desk-password", "--site", site)
        assert result.code == 0, result.err
        stored = json.loads(security.password_path(site).read_text("utf-8"))
        assert stored["scheme"] == "scrypt" and "correct horse" not in json.dumps(stored)
        assert oct(security.password_path(site).stat().st_mode & 0o777) == "0o600"
        login = client.get("login")
        csrf = login.page().xpath("//input[@name='csrf']/@value")[0]
        assert client.post("login", {"csrf": csrf, "password": "wrong password"}).status == 401
        assert client.get("").status == 303  # still out
        assert client.post("save", {"csrf": csrf, "file": ARTICLE}).status == 403
        answer = client.post("login", {"csrf": csrf, "password": "correct horse battery"})
        assert answer.status == 303
        assert "HttpOnly" in answer.headers["Set-Cookie"] and "SameSite=Strict" in answer.headers["Set-Cookie"]
        assert client.get("").status == 200
        csrf = client.csrf()
        assert client.post("logout", {"csrf": csrf}).status == 303
        assert client.get("").status == 303


def test_too_many_wrong_passwords_are_slowed_down(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    security.set_password(site, "a long enough password")
    with desk_server(site, host="0.0.0.0") as srv:
        client = srv.client()
        csrf = client.get("login").page().xpath("//input[@name='csrf']/@value")[0]
        codes = [client.post("login", {"csrf": csrf, "password": f"guess {n}"}).status for n in range(7)]
        assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
        assert client.post("login", {"csrf": csrf, "password": "a long enough password"}).status == 429


def test_sessions_expire() -> None:
    now = [1000.0]
    sessions = security.Sessions(clock=lambda: now[0])
    idle = sessions.start(signed_in=True)
    assert sessions.get(idle.sid) is idle
    now[0] += security.IDLE_SECONDS + 1
    assert sessions.get(idle.sid) is None
    busy = sessions.start(signed_in=True)
    for _ in range(int(security.MAX_SECONDS // 600) + 1):
        now[0] += 600
        sessions.get(busy.sid)
    assert sessions.get(busy.sid) is None  # a working day at most, however busy


def test_passwords_are_hashed_with_salt() -> None:
    one, two = security.hash_password("sama saja panjang"), security.hash_password("sama saja panjang")
    assert one["hash"] != two["hash"]
    assert security.verify_password("sama saja panjang", one)
    assert not security.verify_password("lain", one)
    assert not security.verify_password("x", {"scheme": "plain", "hash": "x"})


def test_the_password_command_refuses_a_short_one(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    result = run_with_stdin("short\n", "desk-password", "--site", site)
    assert result.code == 2 and "at least 10" in result.err
    assert not security.password_path(site).exists()


def run_with_stdin(text: str, *args: str | Path) -> Run:
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        return run(*args)
    finally:
        sys.stdin = saved


def test_serve_prints_the_desk_address(make_site: Callable[..., Path]) -> None:
    from tests.test_serve import serving

    site = small_site(make_site)
    with serving(site) as srv:
        assert re.search(rf"newsroom desk at http://127\.0\.0\.1:{srv.port}/__sitegen/desk/", srv.log("out"))


def test_what_files_say_is_escaped_on_the_desk(make_site: Callable[..., Path]) -> None:
    nasty = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    rel = "content/berita/2024-05-04-nakal.id.md"
    site = small_site(make_site, **{rel: article(nasty, summary=nasty, unit=nasty, body="Isi.")})
    with desk_server(site) as srv:
        client = srv.client()
        for path in ("", f"edit?file={rel}", "?q=script"):
            answer = client.get(path)
            assert answer.status == 200
            page = answer.page()
            assert not page.xpath("//script[not(@src)]") and not page.xpath("//img[@onerror]"), path
        edit = client.get(f"edit?file={rel}").page()
        assert edit.get_element_by_id("title").get("value") == nasty  # shown as text, intact
        for path in ("", f"edit?file={rel}", "new", f"history?file={rel}"):
            page = client.follow(path).page()
            loaded = page.xpath("//script/@src | //link/@href | //img/@src | //iframe/@src")
            assert all(u.startswith("/__sitegen/desk/assets/") for u in loaded), (path, loaded)  # nothing from afar
        headers = client.get("").headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_broken_outside_the_desk_stays_listed_and_points_to_its_history(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "title", "Rapat Tersimpan")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
        srv.rebuild()
        (site / ARTICLE).write_text('---\ntitle: "Rapat\ndate: 2024-05-30\n---\nIsi.\n', "utf-8")
        assert not srv.rebuilder.rebuild("broken outside").ok  # the last good site stays served
        rows = client.get("?state=error").page().xpath("//tbody/tr")
        assert [r.xpath("string(td[1])").strip() for r in rows] == ["Rapat Tersimpan"]
        assert "has errors" in rows[0].text_content()
        opened = client.get(f"edit?file={ARTICLE}")  # its text to correct, or its history
        assert opened.status == 200 and f"{ARTICLE}:2" in opened.text
        history = opened.page().xpath("//a[contains(@href, 'history?file=')]/@href")[0]
        page = client.get(history).page()
        newest = page.xpath("//form[@action='/__sitegen/desk/restore']")[0]
        values = {i.get("name"): i.get("value") for i in newest.iter("input")}
        assert client.post("restore", values).status == 303
        assert 'title: "Rapat Tersimpan"' in (site / ARTICLE).read_text("utf-8")


def test_a_wheel_carries_the_desks_pages_and_assets_and_the_bundled_theme(tmp_path: Path) -> None:
    """Installed from the wheel (not editable), a site with no themes/ of its own builds with
    the bundled humas theme: it was not in the wheel ('theme humas was not found')."""
    import subprocess
    import sys
    import zipfile

    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("sitegen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"sitegen/desk/{p.relative_to(REPO / 'sitegen/desk').as_posix()}"
               for p in (REPO / "sitegen/desk").rglob("*") if p.suffix in (".html", ".js", ".css")}
    assert len(shipped) >= 8 and shipped <= names
    theme = {f"sitegen/bundled_themes/{p.relative_to(REPO / 'themes').as_posix()}"
             for p in (REPO / "themes").rglob("*") if p.is_file()}
    assert len(theme) >= 20 and theme <= names
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    site = tmp_path / "site"
    (site / "content/berita").mkdir(parents=True)
    (site / "config.yaml").write_text(SMALL_CONFIG, "utf-8")
    (site / "content/berita/2024-05-30-rapat.id.md").write_text(article("Rapat"), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(installed)}  # ahead of the editable install's finder
    probe = subprocess.run([sys.executable, "-c", "import sitegen; print(sitegen.__file__)"], env=env,
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    assert probe.stdout.startswith(str(installed)), probe.stdout
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site), "--no-search"], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (site / "public/berita/2024/rapat/index.html").is_file() and (site / "public/css/style.css").is_file()


def test_suggestions_are_those_of_the_forms_language(make_site: Callable[..., Path]) -> None:
    """An Indonesian form offers the Indonesian releases' tags, categories and units, not
    "christmas"; a language with no releases yet is offered every language's."""
    site = small_site(make_site, **{
        "content/berita/2024-05-30-rapat.en.md": article("Coordination Meeting", body="The news.",
                                                         tags=["christmas"], unit="Immigration Division"),
        "content/berita/2024-05-31-natal.id.md": article("Natal", body="Isi.", tags=["natal"],
                                                         unit="Divisi Keimigrasian"),
    })
    with desk_server(site) as srv:
        client = srv.client()

        def offered(path: str, listed: str) -> list[str]:
            return [str(v) for v in client.get(path).page().xpath(f"//datalist[@id='{listed}']/option/@value")]

        assert offered(f"edit?file={ARTICLE}", "tag-list") == ["natal", "rapat"]
        assert offered(f"edit?file={ARTICLE}", "units") == ["Divisi Keimigrasian"]
        assert offered("edit?file=content/berita/2024-05-30-rapat.en.md", "tag-list") == ["christmas"]
        assert offered("edit?file=content/berita/2024-05-30-rapat.en.md", "units") == ["Immigration Division"]
