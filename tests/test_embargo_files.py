"""DESIGN.md: embargo — 'not public before this time: absent from every output until then',
also the files only its text shows or links to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import build, photo_file

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
SECRET = (
    "---\ntitle: Rahasia\ndate: 2026-11-20T10:00:00+07:00\nembargo: 2026-11-25T10:00:00+07:00\n---\n"
    "![Foto](/images/foto.jpg)\n\n![Bagan angka](/images/bagan.svg)\n\n![Animasi](../../../images/anim.gif)\n\n"
    "[Unduh data](/files/data.pdf) dan [pedoman](/files/pedoman.pdf)\n")


def _files(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*")
            if p.is_file() and p.parent.name in ("images", "files")}


def test_files_only_an_embargoed_release_s_text_names_wait_for_it(make_site: Callable[..., Path]) -> None:
    """A chart as SVG, a GIF and a PDF linked in the text of a release under embargo were
    public an hour before it; a file a public release links to is published all the same."""
    from PIL import Image

    site = make_site({"content/berita/rahasia.id.md": SECRET,
                      "content/berita/publik.id.md": article_linking("/files/pedoman.pdf")})
    (site / "static/images").mkdir(parents=True)
    (site / "static/files").mkdir()
    (site / "static/images/foto.jpg").write_bytes(photo_file())
    (site / "static/images/bagan.svg").write_bytes(SVG)
    Image.new("RGB", (8, 8)).save(site / "static/images/anim.gif")
    for name in ("data.pdf", "pedoman.pdf"):
        (site / "static/files" / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    before = build(site, "--now", "2026-11-25T09:59:00+07:00", "--no-search")
    assert before.code == 0, before.err
    assert _files(site / "public") == {"files/pedoman.pdf"}
    after = build(site, "--now", "2026-11-25T10:00:00+07:00", "--no-search")
    assert after.code == 0, after.err
    assert {"images/foto.jpg", "images/bagan.svg", "images/anim.gif", "files/data.pdf",
            "files/pedoman.pdf"} <= _files(site / "public")


def article_linking(path: str) -> str:
    return f"---\ntitle: Publik\ndate: 2026-11-20T10:00:00+07:00\n---\nLihat [pedoman]({path}).\n"


def test_a_translation_public_before_its_embargoed_original_is_warned_of(make_site: Callable[..., Path]) -> None:
    """Each file has its own embargo: an English version without one is public while the
    Indonesian waits, and tells what it holds back. It is built, with a warning on it."""
    site = make_site({
        "content/siaran-pers/rilis.id.md": "---\ntitle: Rilis\ndate: 2026-11-24T10:00:00+07:00\n"
                                           "embargo: 2026-11-25T10:00:00+07:00\n---\nIsi.\n",
        "content/siaran-pers/rilis.en.md": "---\ntitle: Release\ndate: 2026-11-24T10:00:00+07:00\n---\nBody.\n",
    })
    before = build(site, "--now", "2026-11-25T09:00:00+07:00", "--no-search")
    assert before.code == 0, before.err
    assert ("content/siaran-pers/rilis.en.md:3: warning: its id version (content/siaran-pers/rilis.id.md) is under "
            "embargo until 2026-11-25 10:00, but this one is public now") in before.err, before.err
    assert (site / "public/en/siaran-pers/2026/rilis/index.html").is_file()
    after = build(site, "--now", "2026-11-25T10:00:00+07:00", "--no-search")
    assert after.code == 0 and "embargo" not in after.err, after.err


def test_a_site_wide_picture_or_a_file_a_draft_links_to_is_never_held_back(make_site: Callable[..., Path]) -> None:
    """The office's logo shown in the text of a release under embargo, and a guide a draft's
    text links to: held back, every page's header lost its logo (a draft may wait for years)."""
    config_logo = "logo: /images/logo.svg\n"
    from tests.conftest import SMALL_CONFIG

    site = make_site({
        "content/berita/rahasia.id.md": "---\ntitle: Rahasia\ndate: 2026-11-20T10:00:00+07:00\n"
                                        "embargo: 2026-11-25T10:00:00+07:00\n---\n![Logo](/images/logo.svg)\n",
        "content/berita/draf.id.md": "---\ntitle: Draf\ndate: 2026-11-20T10:00:00+07:00\ndraft: true\n---\n"
                                     "Lihat [pedoman](/files/pedoman.pdf).\n",
        "content/berita/publik.id.md": "---\ntitle: Publik\ndate: 2026-11-20T10:00:00+07:00\n---\nIsi.\n",
    }, config=SMALL_CONFIG + config_logo)
    (site / "static/images").mkdir(parents=True)
    (site / "static/files").mkdir()
    (site / "static/images/logo.svg").write_bytes(SVG)
    (site / "static/files/pedoman.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = build(site, "--now", "2026-11-25T09:00:00+07:00", "--no-search")
    assert result.code == 0, result.err
    assert {"images/logo.svg", "files/pedoman.pdf"} <= _files(site / "public")
