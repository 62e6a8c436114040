"""Nothing is ever lost and nothing escapes: output-folder refusals, --clean, failed builds,
paths that try to leave the site, and escaping of front-matter text wherever it lands."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import NOW, article, build, page, photo_file, run

A = "content/berita/a.id.md"
EVIL = "Rapat </script><script>alert(1)</script> & \"kutip\" 'tunggal' <b>tebal</b> ]]> {{ x }}"


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file under ``root`` with its bytes (and every symlink with its target), leaving
    out ``.sitegen-cache/``, which a build may always write (DESIGN.md)."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".sitegen-cache"]
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel + "/"] = b""
    return found


def tree(root: Path, skip: tuple[str, ...] = ()) -> set[str]:
    """Paths under ``root`` (not below any ``skip`` folder): what a build may not add to."""
    return {rel for rel in snapshot(root) if not rel.startswith(skip)}


# --- the output folder --------------------------------------------------------------------------

@pytest.mark.parametrize("output, reason", [
    (".", "is the site folder or contains it"),
    ("..", "is the site folder or contains it"),
    ("content", "is inside content/, themes/ or static/"),
    ("static/out", "is inside content/, themes/ or static/"),
    ("elsewhere", "is not empty and was not made by sitegen"),
])
def test_output_folder_refused(output: str, reason: str, make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat"), "static/logo.txt": "logo", "elsewhere/thesis.docx": "draft"})
    before = snapshot(site.parent)
    result = build(site, "--output", str(site / output))
    assert result.code == 2
    # the folder given on the command line is named as given, with no config.yaml line
    assert result.err.startswith(f"{site / output}: error: refusing to write to output folder: it {reason} (")
    assert "Traceback" not in result.err
    assert snapshot(site.parent) == before


@pytest.mark.parametrize("kind", ["loop", "file"])
def test_a_default_output_folder_that_is_a_link_loop_or_a_file_is_a_usage_error_named_from_the_site(
        kind: str, make_site: Callable[..., Path]) -> None:
    """Audit: public as a link to itself was exit 1, "too many levels of symbolic links",
    named with the computer's whole path, where public as a file is exit 2 from the site."""
    site = make_site({A: article("Rapat")})
    if kind == "loop":
        (site / "public").symlink_to("public")
    else:
        (site / "public").write_text("bukan folder", "utf-8")
    for _twice in range(2):  # the second through the nothing-changed shortcut's path too
        result = build(site, "--no-search")
        assert result.code == 2, result.err
        reason = "it is a link that leads back to itself" if kind == "loop" else "it is a file, not a folder"
        assert result.err.startswith(f"public: error: refusing to write to output folder: {reason} ("), result.err
    assert (site / "public").is_symlink() == (kind == "loop")


def test_output_folder_holding_a_site_is_refused(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({A: article("Rapat")})
    other = make_site({A: article("Lain")}, name="other")
    before = snapshot(tmp_path)
    result = build(site, "--output", str(other))
    assert result.code == 2
    assert "contains content/, themes/, static/ or config.yaml" in result.err
    assert snapshot(tmp_path) == before


def test_clean_removes_only_files_sitegen_wrote(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat"), "content/berita/b.id.md": article("Kedua", slug="kedua")})
    assert build(site).code == 0
    out = site / "public"
    (out / "berita" / "catatan-redaksi.txt").write_text("milik redaksi", "utf-8")
    (out / "verifikasi-google.html").write_text("google-site-verification", "utf-8")
    written = set(json.loads((out / ".sitegen-output.json").read_text("utf-8"))["files"])
    (site / "content/berita/b.id.md").unlink()
    result = build(site, "--clean")
    assert result.code == 0, result.err
    # Files added by hand are carried into each new generation, at the top and inside
    # sitegen's own folders alike (README: Output safety).
    assert (out / "verifikasi-google.html").read_text("utf-8") == "google-site-verification"
    assert (out / "berita" / "catatan-redaksi.txt").read_text("utf-8") == "milik redaksi"
    assert not (out / "berita/2024/kedua").exists()
    assert (out / "berita/2024/a/index.html").is_file()
    assert "berita/2024/kedua/index.html" in written
    # and the count says so: what sitegen had made there and makes no more
    gone = written - set(json.loads((out / ".sitegen-output.json").read_text("utf-8"))["files"])
    assert "berita/2024/kedua/index.html" in gone
    assert f", {len(gone)} removed" in result.out, result.out


def test_files_added_by_hand_deep_in_the_output_stay_build_after_build(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat"), "content/berita/b.id.md": article("Kedua", slug="kedua")})
    assert build(site).code == 0
    out = site / "public"
    (out / "berita/2024/a/catatan.txt").write_text("catatan", "utf-8")
    (out / "berita/2024/arsip-lama").mkdir()
    (out / "berita/2024/arsip-lama/rilis.pdf").write_bytes(b"%PDF-1.4\n")
    (out / "berita/2024/kedua/lampiran.txt").write_text("lampiran", "utf-8")  # in a page that goes
    for n in range(4):  # generation after generation, each brought up to date from the one before
        (site / A).write_text(article("Rapat", body=f"Isi {n}."), "utf-8")
        assert build(site).code == 0
        assert (out / "berita/2024/a/catatan.txt").read_text("utf-8") == "catatan"
        assert (out / "berita/2024/arsip-lama/rilis.pdf").read_bytes() == b"%PDF-1.4\n"
        assert f"Isi {n}." in (out / "berita/2024/a/index.html").read_text("utf-8")
    (site / "content/berita/b.id.md").unlink()
    assert build(site).code == 0
    assert not (out / "berita/2024/kedua/index.html").exists()  # the page goes, the hand's file stays
    assert (out / "berita/2024/kedua/lampiran.txt").read_text("utf-8") == "lampiran"
    assert build(site, "--clean").code == 0 and build(site, "--clean").code == 0
    assert (out / "berita/2024/a/catatan.txt").read_text("utf-8") == "catatan"
    # Deleted by hand, it stays deleted: the generation before does not bring it back.
    (out / "berita/2024/a/catatan.txt").unlink()
    for n in range(3):
        (site / A).write_text(article("Rapat", body=f"Lagi {n}."), "utf-8")
        assert build(site).code == 0
        assert not (out / "berita/2024/a/catatan.txt").exists()
    assert (out / "berita/2024/arsip-lama/rilis.pdf").is_file()


def test_hand_added_files_stay_in_a_removed_pages_folder_a_new_pages_folder_and_after_a_copy_keeping_times(
        make_site: Callable[..., Path]) -> None:
    import os
    import shutil

    site = make_site({A: article("Rapat"), "content/berita/b.id.md": article("Kedua", slug="kedua")})
    assert build(site).code == 0
    out = site / "public"
    seen: list[set[str]] = []

    def rebuilt(n: int) -> None:
        (site / A).write_text(article("Rapat", body=f"Isi {n}."), "utf-8")
        assert build(site).code == 0

    # A page goes, a file added to its folder stays; one added to that folder later goes along.
    (out / "berita/2024/kedua/foto.jpg").write_text("foto", "utf-8")
    (site / "content/berita/b.id.md").unlink()
    assert build(site).code == 0
    (out / "berita/2024/kedua/baru.txt").write_text("baru", "utf-8")
    for n in range(3):
        rebuilt(n)
        seen.append({p.name for p in (out / "berita/2024/kedua").iterdir()})
    assert seen == [{"foto.jpg", "baru.txt"}] * 3
    # A folder added by hand that a new page then uses: its other files stay, and one deleted stays deleted.
    (out / "berita/2024/tiga").mkdir()
    (out / "berita/2024/tiga/foto.jpg").write_text("foto", "utf-8")
    rebuilt(10)
    (site / "content/berita/c.id.md").write_text(article("Tiga", slug="tiga"), "utf-8")
    assert build(site).code == 0
    assert {p.name for p in (out / "berita/2024/tiga").iterdir()} >= {"index.html", "foto.jpg"}
    (out / "berita/2024/tiga/foto.jpg").unlink()
    for n in range(11, 14):
        rebuilt(n)
        assert not (out / "berita/2024/tiga/foto.jpg").exists()
    # Files copied in with their times kept (rsync -a, tar, cp -a): the folder's mtime goes back.
    extra = site.parent / "tambahan"
    (extra / "berita").mkdir(parents=True)
    (extra / "berita/dokumen.pdf").write_bytes(b"%PDF")
    shutil.copy2(extra / "berita/dokumen.pdf", out / "berita/dokumen.pdf")
    os.utime(out / "berita", (946684800, 946684800))  # as a copy that keeps times leaves it
    for n in range(20, 23):
        rebuilt(n)
        assert (out / "berita/dokumen.pdf").read_bytes() == b"%PDF"


def test_a_removed_article_disappears_but_foreign_files_stay(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat"), "content/berita/b.id.md": article("Kedua", slug="kedua")})
    assert build(site).code == 0
    (site / "public/komentar").mkdir()
    (site / "public/komentar/catatan.txt").write_text("catatan", "utf-8")
    (site / "content/berita/b.id.md").unlink()
    assert build(site).code == 0
    assert not (site / "public/berita/2024/kedua/index.html").exists()
    assert (site / "public/komentar/catatan.txt").read_text("utf-8") == "catatan"
    (site / A).write_text(article("Rapat lagi"), "utf-8")
    assert build(site).code == 0  # and on, generation after generation
    assert (site / "public/komentar/catatan.txt").read_text("utf-8") == "catatan"


# --- a failed build changes nothing -------------------------------------------------------------

@pytest.mark.parametrize("breakage", ["content", "template", "config"])
def test_failed_build_leaves_previous_output_byte_for_byte(breakage: str,
                                                           make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat"), "content/berita/b.id.md": article("Kedua", slug="kedua"),
                      "static/files/rilis.pdf": b"%PDF-1.4 lama"})
    assert build(site).code == 0
    before = snapshot(site / "public")
    # Changes that would rewrite many files if the build went through...
    (site / "content/berita/c.id.md").write_text(article("Ketiga", slug="ketiga"), "utf-8")
    (site / "static/files/rilis.pdf").write_bytes(b"%PDF-1.4 baru")
    (site / A).write_text(article("Rapat diubah"), "utf-8")
    # ...and one thing that makes it fail.
    if breakage == "content":
        (site / "content/berita/b.id.md").write_text("---\ntitle: [rusak\n---\n", "utf-8")
    elif breakage == "template":  # fails while rendering, after other pages rendered fine
        (site / "templates").mkdir()
        (site / "templates/page.html").write_text("{{ entry.no_such_field.deeper }}", "utf-8")
        (site / "content/pages/tentang.id.md").parent.mkdir(parents=True)
        (site / "content/pages/tentang.id.md").write_text(article("Tentang", date=""), "utf-8")
    else:
        (site / "config.yaml").write_text((site / "config.yaml").read_text("utf-8") + "paginat: 3\n", "utf-8")
    result = build(site)
    assert result.code in (1, 2)
    assert "Traceback" not in result.err
    assert snapshot(site / "public") == before


# --- nothing reads or writes outside the site and output folders --------------------------------

def test_hostile_paths_stay_inside(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("rahasia", "utf-8")
    site = make_site({
        A: article("Rapat", slug="../../../../outside", translation_key="../../../x"),
        "content/berita/b.id.md": article("Dua", slug="/etc/passwd"),
        "content/berita/c.id.md": article("Tiga", slug="..\\..\\win"),
        "content/pages/d.id.md": article("Empat", date="", slug="../../../tentang"),
        "content/berita/e.id.md": article("Lima", aliases=["//lama///escape"]),
    })
    (site / "static").mkdir()
    (site / "static/leak.txt").symlink_to(secret)
    before = tree(tmp_path, skip=("site/public",))
    result = build(site)
    assert result.code == 0, result.err
    assert tree(tmp_path, skip=("site/public",)) == before
    assert b"rahasia" not in b"".join(v for v in snapshot(site / "public").values() if isinstance(v, bytes))
    for url in ("/berita/2024/outside/", "/berita/2024/etc-passwd/", "/berita/2024/win/", "/tentang/",
                "/lama/escape/"):
        assert (site / "public" / url.strip("/") / "index.html").is_file(), url


def test_attachment_symlink_pointing_out_is_refused(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    (tmp_path / "secret.pdf").write_bytes(b"%PDF rahasia")
    site = make_site({A: article("Rapat", attachments=["/files/rilis.pdf"])})
    (site / "static/files").mkdir(parents=True)
    (site / "static/files/rilis.pdf").symlink_to(tmp_path / "secret.pdf")
    result = build(site)
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(
        f"{A}:4: error: '/files/rilis.pdf' points outside the static/ folder")


def test_content_symlink_pointing_out_is_refused(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    (tmp_path / "elsewhere.md").write_text(article("Dari luar"), "utf-8")
    site = make_site({A: article("Rapat")})
    (site / "content/berita/luar.id.md").symlink_to(tmp_path / "elsewhere.md")
    result = build(site)
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(
        "content/berita/luar.id.md: error: the file is a link to a file outside the site folder")


def test_linked_static_folder_cannot_lead_attachments_out(tmp_path: Path,
                                                           make_site: Callable[..., Path]) -> None:
    (tmp_path / "shared/files").mkdir(parents=True)
    (tmp_path / "shared/files/rilis.pdf").write_bytes(b"%PDF rahasia")
    site = make_site({A: article("Rapat", attachments=["/files/rilis.pdf"])})
    (site / "static").symlink_to(tmp_path / "shared")
    result = build(site)
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(
        f"{A}:4: error: '/files/rilis.pdf' points outside the static/ folder")


def test_links_in_static_that_are_not_published_are_named(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    """A link out of static/ stays unpublished (it could carry any file of the computer), but
    the person who made it is told, as is one to a folder or to a file that is gone; a link to
    a file inside static/ is published as the file."""
    (tmp_path / "secret.txt").write_text("rahasia", "utf-8")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared/logo.png").write_bytes(b"png")
    site = make_site({A: article("Rapat"), "content/berita/a.en.md": article("Meeting"),
                      "static/files/asli.txt": "asli", "catatan.txt": "di situs"})
    (site / "static/salinan.txt").symlink_to("files/asli.txt")
    (site / "static/rahasia.txt").symlink_to(tmp_path / "secret.txt")
    (site / "static/catatan.txt").symlink_to(site / "catatan.txt")
    (site / "static/bersama").symlink_to(tmp_path / "shared", target_is_directory=True)
    (site / "static/hilang.jpg").symlink_to("files/dihapus.jpg")
    for command in ("build", "check"):
        result = run(command, "--site", site, "--now", NOW)
        assert result.code == 0, result.err
        assert result.err.splitlines() == [
            "static/bersama: warning: this folder is a link and is not published "
            "(copy its files into static/ instead of linking to them)",
            "static/catatan.txt: warning: this link leads out of static/ and is not published "
            "(copy the file into static/ instead of linking to it)",
            "static/hilang.jpg: warning: this link leads to no file and is not published "
            "(delete the link, or replace it with the file itself)",
            "static/rahasia.txt: warning: this link leads out of static/ and is not published "
            "(copy the file into static/ instead of linking to it)",
            "4 warnings"], command
    assert (site / "public/salinan.txt").read_text("utf-8") == "asli"
    assert not any((site / "public" / name).exists() for name in ("rahasia.txt", "catatan.txt", "bersama",
                                                                   "hilang.jpg"))


def test_a_link_in_the_cache_folder_is_never_written_through(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    """Nothing outside the output and .sitegen-cache/ is written, whatever links say: the
    compiled templates went through a link put at .sitegen-cache/jinja into its target."""
    site = make_site({"content/berita/a.id.md": article("Rapat")})
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / ".sitegen-cache").mkdir()
    (site / ".sitegen-cache/jinja").symlink_to(outside)
    result = build(site, "--no-search")
    assert result.code == 0, result.err
    assert list(outside.iterdir()) == []
    assert (site / ".sitegen-cache/jinja").is_dir() and not (site / ".sitegen-cache/jinja").is_symlink()
    assert list((site / ".sitegen-cache/jinja").iterdir())  # the templates' cache, in the cache


def test_linked_content_folder_is_not_followed_and_stops_the_build(tmp_path: Path,
                                                                   make_site: Callable[..., Path]) -> None:
    """Audit: a section folder moved into a synced folder and linked back was a warning, and the
    build took every release of the section off the live site. It stops the build, as a folder
    that cannot be read does, and the live site stays as it was."""
    site = make_site({A: article("Rapat"), "content/berita/b.id.md": article("Kedua")})
    assert build(site, "--no-search").code == 0
    before = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}
    (tmp_path / "elsewhere").mkdir()
    (site / "content/berita").rename(tmp_path / "elsewhere/berita")
    (site / "content/berita").symlink_to(tmp_path / "elsewhere/berita", target_is_directory=True)
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    assert result.err.splitlines()[0] == (
        "content/berita: error: this folder is a link and is not read "
        "(move or copy the files into content/ instead)")
    assert {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()} == before


def test_linked_content_root_is_refused(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    (tmp_path / "elsewhere/berita").mkdir(parents=True)
    (tmp_path / "elsewhere/berita/b.id.md").write_text(article("Dari luar"), "utf-8")
    site = make_site({})
    (site / "content").rmdir()
    (site / "content").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = build(site)
    assert result.code == 1
    assert result.err.splitlines()[0].startswith(
        "content: error: content/ is a link to a folder outside the site folder")


def test_content_moved_out_and_linked_back_after_a_good_build_is_refused(tmp_path: Path,
                                                                         make_site: Callable[..., Path]) -> None:
    """Audit: the same files behind the link, so the nothing-changed shortcut said "nothing
    changed" where check, status and a cold build refuse the link."""
    site = make_site({A: article("Rapat")})
    assert build(site, "--no-search").code == 0
    (site / "content").rename(tmp_path / "content")
    (site / "content").symlink_to(tmp_path / "content", target_is_directory=True)
    result = build(site, "--no-search")
    assert result.code == 1, result.err
    assert result.err.startswith("content: error: content/ is a link to a folder outside the site folder"), result.err


def test_permalink_with_dots_is_refused(make_site: Callable[..., Path]) -> None:
    from tests.conftest import SMALL_CONFIG

    site = make_site({A: article("Rapat")}, config=SMALL_CONFIG + "permalinks: {article: '/../{slug}/'}\n")
    result = build(site)
    assert result.code == 2
    assert result.err.startswith("config.yaml:10: error: permalink '/../{slug}/' is not valid")


# --- escaping -----------------------------------------------------------------------------------

def test_front_matter_text_is_escaped_everywhere(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article(EVIL, summary=EVIL, tags=[EVIL], author=EVIL, location=EVIL,
                                 image="/img/foto.jpg", image_alt=EVIL, image_caption=EVIL)})
    (site / "static/img").mkdir(parents=True)
    (site / "static/img/foto.jpg").write_bytes(photo_file())
    result = build(site)
    assert result.code == 0, result.err
    doc = page(site, "/berita/2024/a/")
    assert doc.findtext(".//h1") == EVIL
    # No element or attribute came out of the text: only the theme's own scripts exist.
    scripts = doc.xpath("//script")
    assert all(s.get("type") == "application/ld+json" or s.get("src") for s in scripts)
    assert not doc.xpath("//script[contains(., 'alert(1)')][not(@type='application/ld+json')]")
    assert not doc.xpath("//main//b")
    assert doc.xpath("//meta[@property='og:title']/@content") == [EVIL]
    assert EVIL in doc.xpath("//img/@alt")
    ld = [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]
    assert any(item.get("headline") == EVIL for item in ld)
    for script in doc.xpath("//script[@type='application/ld+json']"):
        assert "</" not in script.text
    for feed in ("feed.xml", "atom.xml"):
        path = site / "public" / feed
        if path.is_file() and path.stat().st_size:
            titles = [t.text for t in etree.fromstring(path.read_bytes()).iter()
                      if isinstance(t.tag, str) and etree.QName(t).localname == "title"]
            assert EVIL in titles
    if (site / "public/feed.json").is_file() and (site / "public/feed.json").stat().st_size:
        items = json.loads((site / "public/feed.json").read_text("utf-8")).get("items", [])
        assert [i["title"] for i in items] == [EVIL]


UNSAFE_BODY = """\
Paragraf <em>miring</em>.

<script>alert('xss')</script>

<img src="/foto.jpg" onerror="alert(1)" alt="foto">

<a href="javascript:alert(1)">klik</a> <a href="https://example.go.id/">aman</a>

<iframe src="https://evil.example/"></iframe>

<div class="kotak" style="color:red" onclick="x()">kotak</div>
"""


def test_raw_html_is_kept_by_default_for_trusted_staff(make_site: Callable[..., Path]) -> None:
    site = make_site({A: article("Rapat", body=UNSAFE_BODY), "static/foto.jpg": photo_file()})
    assert build(site).code == 0
    body = page(site, "/berita/2024/a/").xpath("//div[@class='body']")[0]
    assert body.xpath(".//iframe") and body.xpath(".//script") and body.xpath(".//div[@class='kotak']")


def test_unsafe_html_false_sanitizes_with_nh3(make_site: Callable[..., Path]) -> None:
    from tests.conftest import SMALL_CONFIG

    site = make_site({A: article("Rapat", body=UNSAFE_BODY), "static/foto.jpg": photo_file()},
                     config=SMALL_CONFIG + "markdown: {unsafe_html: false}\n")
    result = build(site)
    assert result.code == 0, result.err
    body = page(site, "/berita/2024/a/").xpath("//div[@class='body']")[0]
    assert not body.xpath(".//script | .//iframe | .//@onerror | .//@onclick | .//@style")
    assert not [h for h in body.xpath(".//a/@href") if h.lower().startswith("javascript:")]
    assert body.xpath(".//em")[0].text == "miring"
    assert body.xpath(".//img/@alt") == ["foto"]
    assert "https://example.go.id/" in body.xpath(".//a/@href")
    assert body.xpath(".//div[@class='kotak']")[0].text == "kotak"


def test_a_link_or_image_whose_address_the_sanitizer_took_out_stays_valid_html(
        make_site: Callable[..., Path]) -> None:
    """nh3 took out a javascript: or data: address and left a link with rel but no href, an
    image without src: invalid HTML, which the Nu checker reports. The link stays a plain <a>
    around its words, the image becomes its alt text."""
    from tests.conftest import SMALL_CONFIG

    text = ('[tautan](javascript:alert(1)) <a href="javascript:x" title="t">kata</a> '
            "![gambar data](data:image/png;base64,AAA) [biasa](/berita/)")
    site = make_site({A: article("Rapat", body=text)}, config=SMALL_CONFIG + "markdown: {unsafe_html: false}\n")
    assert build(site).code == 0
    body = page(site, "/berita/2024/a/").xpath("//div[@class='body']")[0]
    assert not body.xpath(".//a[@rel and not(@href)] | .//img[not(@src)]")
    assert [a.text_content() for a in body.xpath(".//a[not(@href)]")] == ["tautan", "kata"]
    assert "gambar data" in body.text_content() and body.xpath(".//a[@href='/berita/']")


def test_check_writes_nothing(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site({A: article("Rapat")})
    before = snapshot(tmp_path)
    result = run("check", "--site", site, "--now", NOW)
    assert result.code in (0, 1) and "Traceback" not in result.err
    assert snapshot(tmp_path) == before


def test_broken_links_in_the_sources_do_not_stop_a_build(tmp_path: Path, make_site: Callable[..., Path]) -> None:
    """A link left pointing at a deleted file (an editor's lock file, a moved photo) is skipped."""
    site = make_site({A: article("Rapat")})
    (site / "static").mkdir(exist_ok=True)
    (site / "static/gone.jpg").symlink_to(tmp_path / "deleted.jpg")
    (site / "content/berita/.#a.id.md").symlink_to(tmp_path / "user@host.123")
    for _ in range(2):  # the second build takes the nothing-changed path
        result = build(site)
        assert result.code == 0, result.err
        assert "Traceback" not in result.err
    assert page(site, "/berita/2024/a/").findtext(".//h1") == "Rapat"


def test_a_refused_output_folder_is_said_even_when_the_content_has_errors(make_site: Callable[..., Path]) -> None:
    """The command's own mistake first, as a config error is: not hidden behind the
    content's errors until those are fixed."""
    site = make_site({"content/berita/a.id.md": "---\ntitle: A\ndate: 2024-13-01\n---\nIsi.\n"})
    result = run("build", "--site", site, "--output", site, "--now", "2026-11-28T12:00:00+07:00")
    assert result.code == 2, result.err
    assert "content/berita/a.id.md" not in result.err
    assert result.err.splitlines()[0].startswith(f"{site}: error: ")
