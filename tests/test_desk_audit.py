"""Gaps found by auditing issue 21 from outside: each test is a desk behaviour a user met."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sitegen.desk import security
from sitegen.desk.security import set_password
from tests.conftest import article
from tests.desk_helpers import Client, desk_server
from tests.test_desk import ARTICLE, jpeg, new_fields, replace_field, saved_form, small_site
from tests.test_serve import serving, wait_for

NESTED = "content/berita/2024/2024-06-01-rapat-tahunan.id.md"


def test_a_release_kept_in_a_folder_inside_its_section_opens_saves_and_translates(
        make_site: Callable[..., Path]) -> None:
    # The build reads releases in folders inside a section (by year, say); the desk lists them,
    # so it must open them too.
    site = small_site(make_site, **{NESTED: article("Rapat Tahunan", body="Isi rapat tahunan.",
                                                    summary="Ringkas.")})
    with desk_server(site) as srv:
        client = srv.client()
        links = client.get("").page().xpath("//tbody//a/@href")
        assert any(NESTED in link for link in links), links
        opened = client.get(f"edit?file={NESTED}")
        assert opened.status == 200, opened.text[:500]
        assert opened.page().get_element_by_id("title").get("value") == "Rapat Tahunan"
        # Checked as the build checks it: no clash with itself, nothing wrong.
        assert not opened.page().xpath("//*[contains(@class,'field-problem')]//*[contains(@class,'error')]")
        before = (site / NESTED).read_bytes()
        assert client.post("save", [*saved_form(client, NESTED), ("action", "save")]).status == 303
        assert (site / NESTED).read_bytes() == before
        fields = replace_field(saved_form(client, NESTED), "title", "Rapat Tahunan 2024")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
        assert 'title: "Rapat Tahunan 2024"' in (site / NESTED).read_text("utf-8")
        # Its translation is made beside it, in the same folder, and the build pairs the two.
        answer = client.post("translate", {"csrf": client.csrf(f"edit?file={NESTED}"), "file": NESTED,
                                           "lang": "en"})
        twin = NESTED.replace(".id.md", ".en.md")
        assert answer.status == 303 and twin in answer.headers["Location"]
        assert "draft: true" in (site / twin).read_text("utf-8")
        srv.rebuild()
        page = client.get(f"edit?file={twin}").page()
        assert "Isi rapat tahunan." in page.xpath("string(//section[@class='source-version'])")


DRAFT = "content/berita/2024-06-02-rilis.id.md"


def test_the_desk_opens_when_serve_starts_on_a_site_with_an_error_so_it_can_be_fixed_there(
        make_site: Callable[..., Path]) -> None:
    # A release whose title was emptied by hand fails the build (a draft with an error no
    # longer does: it is left out); serve started again must still open the desk to fix it.
    site = small_site(make_site, **{DRAFT: "---\ntitle: \"\"\ndate: \"2024-06-02T09:00:00+07:00\"\n"
                                           "---\nIsi rilis yang belum selesai.\n"})
    with serving(site) as srv:
        assert "build failed: there is no site to show until this is fixed" in srv.log("err")  # none built yet
        client = Client(srv.port)
        rows = client.get("?state=error").page().xpath("//tbody/tr")
        assert [DRAFT in (row.xpath("string(.//a/@href)")) for row in rows] == [True]
        assert client.get("").page().xpath("//tbody//a[contains(@href, '2024-05-30-rapat.id.md')]")
        opened = client.get(f"edit?file={DRAFT}")
        assert opened.status == 200, opened.text[:500]
        assert "still empty" in opened.page().xpath("string(//*[@id='err-title'])")
        fields = replace_field(opened.form_fields(), "title", "Rilis Selesai")
        assert client.post("save", [*fields, ("action", "publish")]).status == 303
        assert "draft" not in (site / DRAFT).read_text("utf-8")
        wait_for(lambda: srv.get("/berita/2024/rilis/").status == 200, "the fixed release on the site")


def test_a_version_in_the_history_reads_as_a_release_with_its_time_not_as_yaml(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "title", "Rapat Koordinasi Baru")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
        history = client.get(f"history?file={ARTICLE}").page()
        first = history.xpath("//a[contains(@href, '&version=')]/@href")[-1]  # the oldest: the hand-written file
        shown_at = history.xpath("string(//tbody/tr[last()]//time)")
        page = client.get(first.removeprefix("/__sitegen/desk/")).page()
        heading = page.xpath("string(//main//h2)")
        assert heading == f"Version of {shown_at}", heading
        found = {" ".join(dt.text_content().split()): " ".join(dt.getnext().text_content().split())
                 for dt in page.xpath("//main//dl/dt")}
        assert found["Title"] == "Rapat Koordinasi" and found["Text"] == "Isi berita rapat."
        assert "title:" not in page.xpath("string(//main)")


PROXY = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "meja.humas.example.go.id",
         "X-Forwarded-Proto": "https"}


def test_behind_a_reverse_proxy_on_loopback_the_desk_asks_for_the_password_and_then_saves(
        make_site: Callable[..., Path]) -> None:
    # The README's advice: an HTTPS proxy in front of the desk before using it beyond the office.
    # A proxy on the same machine reaches serve on 127.0.0.1, yet its visitors are not this
    # machine's user; their browsers name the proxy's address in Origin.
    site = small_site(make_site)
    with desk_server(site) as srv:
        local = srv.client()
        assert local.get("").status == 200  # on this machine: no password, as before
        borrowed = Client(srv.port, cookie=local.cookie, extra=PROXY)
        assert borrowed.get("").headers["Location"].endswith("/login")  # a loopback session is not enough
        visitor = Client(srv.port, extra=PROXY)
        assert visitor.get("").headers["Location"].endswith("/login")
        closed = visitor.get("login")
        assert closed.status == 503 and "sitegen desk-password" in closed.text
        set_password(site, "kata-sandi-panjang")
        page = visitor.get("login").page()
        csrf = page.xpath("//input[@name='csrf']/@value")[0]
        here = {"Origin": "https://meja.humas.example.go.id"}
        signed = visitor.post("login", {"csrf": csrf, "password": "kata-sandi-panjang"}, here)
        assert signed.status == 303 and signed.headers["Location"] == "/__sitegen/desk/"
        assert visitor.get("").status == 200
        fields = replace_field(saved_form(visitor, ARTICLE), "title", "Rapat Lewat Proksi")
        elsewhere = visitor.post("save", [*fields, ("action", "save")], {"Origin": "https://evil.example"})
        assert elsewhere.status == 403 and "Rapat Lewat Proksi" not in (site / ARTICLE).read_text("utf-8")
        assert visitor.post("save", [*fields, ("action", "save")], here).status == 303
        assert 'title: "Rapat Lewat Proksi"' in (site / ARTICLE).read_text("utf-8")


def test_a_photo_whose_name_has_no_extension_is_stored_under_the_one_its_bytes_show(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    photo = jpeg()
    with desk_server(site) as srv:
        client = srv.client()
        answer = client.upload({"kind": "photo", "alt": "Peserta rapat", "credit": "Humas"}, "IMG_20241201",
                               photo, client.csrf())
        assert answer.status == 201, answer.text
        assert json.loads(answer.body) == {"url": "/images/img-20241201.jpg"}
        assert (site / "static/images/img-20241201.jpg").read_bytes() == photo
        wrong = client.upload({"kind": "photo", "alt": "a", "credit": "b"}, "foto.png", photo, client.csrf())
        assert wrong.status == 415 and ".png" in json.loads(wrong.body)["error"]


def _their_side(answer_page: object) -> dict[str, str]:
    """The side-by-side 'version on disk now' as label → value."""
    found = {}
    for dt in answer_page.xpath("//section[@class='theirs']//dt"):  # type: ignore[attr-defined]
        found[" ".join(dt.text_content().split())] = " ".join(dt.getnext().text_content().split())
    return found


def test_a_clash_on_tags_unit_or_embargo_shows_the_other_version_of_those_fields(
        make_site: Callable[..., Path]) -> None:
    # Two tabs on one release both change its tags, unit and embargo: the second is told
    # "you both changed: Unit, Tags, Embargo date. Theirs is beside the form: choose", so the
    # side panel must show their tags, unit and embargo, not only title, date, summary and text.
    site = small_site(make_site)
    with desk_server(site) as srv:
        a, b = srv.client(), srv.client()
        fields_a, fields_b = saved_form(a, ARTICLE), saved_form(b, ARTICLE)
        fields_a = replace_field(replace_field(fields_a, "tag_new", "dari-tab-satu"), "unit", "Biro Humas")
        fields_a = replace_field(replace_field(fields_a, "embargo_date", "2030-01-02"), "embargo_time", "09:00")
        assert a.post("save", [*fields_a, ("action", "save")]).status == 303
        fields_b = replace_field(replace_field(fields_b, "tag_new", "dari-tab-dua"), "unit", "Divisi Imigrasi")
        fields_b = replace_field(fields_b, "embargo_date", "2031-05-06")
        clash = b.post("save", [*fields_b, ("action", "save")])
        assert clash.status == 409
        assert "you both changed: Unit, Tags, Embargo date." in clash.text
        theirs = _their_side(clash.page())
        assert theirs["Tags"] == "rapat, dari-tab-satu"
        assert theirs["Unit"] == "Biro Humas"
        assert theirs["Embargo date"] == "2030-01-02"
        assert theirs["Title"] == "Rapat Koordinasi"  # what it always showed stays
        shown = dict(clash.form_fields())
        assert shown["unit"] == "Divisi Imigrasi"  # the form keeps this tab's own choice


def test_an_upload_or_check_from_an_expired_page_says_to_save_not_to_try_again(
        make_site: Callable[..., Path]) -> None:
    # serve restarted while a release was open: its token is unknown. An upload answered with
    # an HTML page made the desk's script say "the upload did not reach the desk; try again",
    # which never works; the live check went quiet. Both now say what to do, as JSON the script reads.
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        csrf = client.csrf()
        fields = saved_form(client, ARTICLE)
        srv.desk.sessions = security.Sessions()  # as after a restart: no session is known
        client.cookie = ""
        upload = client.upload({"kind": "photo", "alt": "Peserta", "credit": "Humas"}, "rapat.jpg", jpeg(), csrf)
        assert upload.status == 403 and upload.headers["Content-Type"] == "application/json"
        assert "Press Save" in json.loads(upload.body)["error"]
        assert not (site / "static/images/rapat.jpg").exists()
        check = client.post("check", fields, {"Origin": f"http://127.0.0.1:{srv.port}"})
        assert check.status == 403 and "Press Save" in json.loads(check.body)["error"]


def test_while_a_release_is_a_draft_its_address_follows_its_title(make_site: Callable[..., Path]) -> None:
    # Staff save a new release early, under a working title ("tes"), and give it its real title
    # before publishing: the address was fixed at the first save (/berita/2024/tes/), and the
    # desk has no way to change it. While the release is a draft it now follows the title.
    site = small_site(make_site)
    with desk_server(site) as srv:
        client = srv.client()
        fields = new_fields(client, title="tes", date="2024-06-01")
        saved = client.post("save", [*replace_field(fields, "body", "Isi.\n"), ("action", "save")])
        rel = "content/berita/2024-06-01-tes.id.md"
        assert saved.status == 303 and rel in saved.headers["Location"]
        fields = replace_field(saved_form(client, rel), "title", "Sosialisasi Layanan Paspor")
        assert client.post("save", [*fields, ("action", "publish")]).status == 303
        assert 'slug: "sosialisasi-layanan-paspor"' in (site / rel).read_text("utf-8")
        srv.rebuild()
        assert (site / "public/berita/2024/sosialisasi-layanan-paspor/index.html").is_file()
        assert not (site / "public/berita/2024/tes").exists()
        page = client.get(f"edit?file={rel}").page()
        assert page.xpath("//p[@class='file']/a[last()]/@href") == ["/berita/2024/sosialisasi-layanan-paspor/"]
        # Published, its address stays whatever the title becomes: links to it are out there.
        fields = replace_field(saved_form(client, rel), "title", "Sosialisasi Layanan Paspor 2024")
        assert client.post("save", [*fields, ("action", "save")]).status == 303
        assert 'slug: "sosialisasi-layanan-paspor"' in (site / rel).read_text("utf-8")
        # Its translation, a draft too, follows its own title: an English address.
        translated = client.post("translate", {"csrf": client.csrf(f"edit?file={rel}"), "file": rel, "lang": "en"})
        twin = rel.replace(".id.md", ".en.md")
        assert translated.status == 303 and twin in translated.headers["Location"]
        fields = replace_field(saved_form(client, twin), "title", "Passport Service Outreach")
        assert client.post("save", [*fields, ("action", "publish")]).status == 303
        assert 'slug: "passport-service-outreach"' in (site / twin).read_text("utf-8")
        srv.rebuild()
        assert (site / "public/en/berita/2024/passport-service-outreach/index.html").is_file()


def test_a_draft_whose_address_was_chosen_apart_from_its_title_keeps_it(make_site: Callable[..., Path]) -> None:
    # A file named by hand (rapat-triwulan for "[DRAF] Rapat Kerja Evaluasi Triwulan III") or
    # given a slug: of its own has an address someone chose: retitling the draft keeps it.
    chosen = "content/berita/2024-06-03-rapat-triwulan.id.md"
    sluggish = "content/berita/2024-06-04-rapat-lain.id.md"
    site = small_site(make_site, **{
        chosen: article("[DRAF] Rapat Kerja Evaluasi Triwulan III", body="Isi.", draft=True),
        sluggish: article("Rapat Lain", body="Isi.", draft=True, slug="rapat-pilihan")})
    with desk_server(site) as srv:
        client = srv.client()
        for rel in (chosen, sluggish):
            fields = replace_field(saved_form(client, rel), "title", "Rapat Kerja Evaluasi Triwulan III")
            assert client.post("save", [*fields, ("action", "publish")]).status == 303
        assert "slug" not in (site / chosen).read_text("utf-8")
        assert 'slug: "rapat-pilihan"' in (site / sluggish).read_text("utf-8")


def test_a_sound_release_added_while_another_is_broken_is_not_said_to_have_errors(
        make_site: Callable[..., Path]) -> None:
    """The overview says what ``sitegen status`` says: a release added while another file's
    error stops the rebuilds is not built yet, but has no error of its own."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        (site / "content/berita/rusak.id.md").write_text("---\ntitle: Rusak\ndate: 2026-13-45\n---\nIsi.\n", "utf-8")
        (site / "content/berita/2026-11-27-baru.id.md").write_text(
            "---\ntitle: Baru Dan Benar\ndate: 2026-11-27T09:00:00+07:00\nsummary: S.\n---\nIsi.\n", "utf-8")
        assert not srv.rebuilder.rebuild("changed").ok
        client = srv.client()
        rows = {row.xpath("string(.//a)").strip(): row.xpath("string(.)") for row in
                client.get("").page().xpath("//tbody/tr")}
        assert "Rusak" in rows or "rusak.id.md" in rows, rows
        erring = [title for title in rows if title in {r.xpath("string(.//a)").strip() for r in
                                                         client.get("?state=error").page().xpath("//tbody/tr")}]
        assert erring in (["Rusak"], ["rusak.id.md"]), erring
        assert [r.xpath("string(.//a)").strip() for r in client.get("?state=live").page().xpath("//tbody/tr")
                if "Baru Dan Benar" in r.xpath("string(.//a)")] == ["Baru Dan Benar"]


def test_publishing_while_another_file_stops_the_rebuilds_says_which_file(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    broken = "content/berita/rusak.id.md"
    with desk_server(site) as srv:
        (site / broken).write_text("---\ntitle: Rusak\ndate: 2026-13-45\n---\nIsi.\n", "utf-8")
        assert not srv.rebuilder.rebuild("changed").ok
        client = srv.client()
        fields = replace_field(saved_form(client, ARTICLE), "title", "Rapat Koordinasi Lanjutan")
        answer = client.post("save", [*fields, ("action", "publish")])
        assert answer.status == 303, answer.text[:300]
        shown = client.get(answer.headers["Location"]).text
        assert "The site is not rebuilt while “Rusak” has errors" in shown and broken not in shown, shown[:2000]
