"""A release whose front matter cannot be read (a quote never closed, a missing ---) is fixed
in the desk: it opens as its text, with the problem named at its line, and saving the
corrected text opens the form. The README: the desk "lists the file as 'has errors' and lets
you fix it there"; it only offered a history that a file edited by hand does not have."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sitegen.desk import security, storage
from tests.desk_helpers import desk_server
from tests.test_desk import replace_field, small_site

BROKEN = "content/berita/2024-06-03-rusak.id.md"
TEXT = '---\ntitle: "Judul rusak\ndate: 2024-06-03T10:00:00+07:00\n---\nIsi berita.\n'


def test_a_file_whose_front_matter_cannot_be_read_is_fixed_in_the_desk(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        (site / BROKEN).write_text(TEXT, "utf-8")  # edited by hand, with a slip
        assert not srv.rebuilder.rebuild("broken by hand").ok
        client = srv.client()
        opened = client.get(f"edit?file={BROKEN}")
        assert opened.status == 200
        page = opened.page()
        assert f"{BROKEN}:2" in page.xpath("string(//*[@role='alert'])")
        fields = opened.form_fields("fix")
        assert dict(fields)["text"] == TEXT
        # Still wrong: saved all the same (nothing typed is lost), and the new problem is named.
        still = client.post("fix", replace_field(fields, "text", TEXT.replace("\n---\nIsi", "\nIsi")))
        assert still.status == 422
        assert "never closed" in still.page().xpath("string(//*[@role='alert'])")
        fields = still.form_fields("fix")
        fixed = TEXT.replace('"Judul rusak', '"Judul diperbaiki"')
        answer = client.post("fix", replace_field(fields, "text", fixed.replace("\n", "\r\n")))  # as browsers send
        assert answer.status == 303 and answer.headers["Location"].endswith(f"edit?file={BROKEN}&done=saved")
        assert (site / BROKEN).read_text("utf-8") == fixed
        form = client.get(f"edit?file={BROKEN}").form_fields()
        assert dict(form)["title"] == "Judul diperbaiki"
        assert len(storage.versions(site, BROKEN)) == 3  # as it was, the second try and the fix
        assert srv.rebuilder.rebuild("fixed").ok


def test_fixing_a_file_changed_meanwhile_writes_nothing(make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    with desk_server(site) as srv:
        (site / BROKEN).write_text(TEXT, "utf-8")
        client = srv.client()
        fields = client.get(f"edit?file={BROKEN}").form_fields("fix")
        (site / BROKEN).write_text(TEXT + "Ditambah di luar.\n", "utf-8")
        answer = client.post("fix", replace_field(fields, "text", "---\ntitle: Lain\n---\n"))
        assert answer.status == 409
        assert (site / BROKEN).read_text("utf-8") == TEXT + "Ditambah di luar.\n"
        again = answer.form_fields("fix")  # what was typed comes back, to be saved over the change
        assert dict(again)["text"] == "---\ntitle: Lain\n---\n"
        assert client.post("fix", again).status == 303
        assert (site / BROKEN).read_text("utf-8") == "---\ntitle: Lain\n---\n"
        no_token = [(k, v) for k, v in fields if k != "csrf"]
        assert client.post("fix", no_token).status == 403


def test_a_file_with_windows_line_ends_keeps_them_and_one_not_utf8_is_not_offered_as_text(
        make_site: Callable[..., Path]) -> None:
    site = small_site(make_site)
    latin = "content/berita/2024-06-04-kafe.id.md"
    with desk_server(site) as srv:
        (site / BROKEN).write_bytes(TEXT.replace("\n", "\r\n").encode())
        (site / latin).write_bytes('---\ntitle: "Caf\xe9\n---\n'.encode("latin-1"))
        client = srv.client()
        fields = client.get(f"edit?file={BROKEN}").form_fields("fix")
        fixed = TEXT.replace('"Judul rusak', '"Judul"')
        assert client.post("fix", replace_field(fields, "text", fixed.replace("\n", "\r\n"))).status == 303
        assert (site / BROKEN).read_bytes() == fixed.replace("\n", "\r\n").encode()
        # as text here, its é would be lost when saved: the page says what is wrong instead
        refused = client.get(f"edit?file={latin}")
        assert refused.status == 422 and not refused.page().xpath("//textarea")
        assert "UTF-8" in refused.text


def test_a_correction_sent_after_the_form_expired_comes_back_as_typed(make_site: Callable[..., Path]) -> None:
    """serve restarted while the fix page was open: nothing is written, and the corrected text
    comes back (not a bare refusal) to be saved with a token that works; still checked against
    the file as it was opened. From elsewhere, a refusal that echoes nothing."""
    site = small_site(make_site)
    with desk_server(site) as srv:
        (site / BROKEN).write_text(TEXT, "utf-8")
        client = srv.client()
        fields = client.get(f"edit?file={BROKEN}").form_fields("fix")
        typed = TEXT.replace('"Judul rusak', '"Judul diketik lama"')
        srv.desk.sessions = security.Sessions()  # as after a restart: no session is known
        client.cookie = ""
        origin = {"Origin": f"http://127.0.0.1:{srv.port}"}
        expired = client.post("fix", replace_field(fields, "text", typed.replace("\n", "\r\n")), origin)
        assert expired.status == 403 and (site / BROKEN).read_text("utf-8") == TEXT
        assert "nothing was saved" in expired.page().xpath("string(//*[@role='alert'])")
        again = expired.form_fields("fix")
        assert dict(again)["text"] == typed and dict(again)["opened"] == dict(fields)["opened"]
        assert client.post("fix", again, origin).status == 303
        assert (site / BROKEN).read_text("utf-8") == typed
        client.cookie = ""
        srv.desk.sessions = security.Sessions()
        refused = client.post("fix", replace_field(fields, "text", "rahasia baru"), {"Origin": "http://evil.example"})
        assert refused.status == 403 and "rahasia baru" not in refused.text
