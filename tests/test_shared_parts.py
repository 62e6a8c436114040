"""``shared_part()``: partials shown alike on every page of a language (the footer, a
release's card) are rendered once per build and process, and give the same bytes as an
``{% include %}`` of them; they cannot see the page, and editing one re-renders its pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import pytest

from sitegen.render.renderer import SharedParts
from sitegen.render.templates import Templates
from tests.conftest import REPO, SMALL_CONFIG, article, build, page, photo_file, write_site

THEME = REPO / "themes" / "humas" / "templates"


def _templates(tmp_path: Path, files: dict[str, str]) -> Templates:
    folder = tmp_path / "templates"
    for name, source in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(source, "utf-8")
    return Templates([folder], tmp_path)


class _Unnamed:
    """A value shared_part cannot name within a build, so it must refuse it."""


def test_a_part_is_rendered_once_per_key_and_sees_only_the_language_context(tmp_path: Path) -> None:
    calls: list[str] = []

    def count(name: str) -> str:
        calls.append(name)
        return name.upper()

    templates = _templates(tmp_path, {
        "part.html": "<p>{{ count(lang) }} {{ who|default('-') }}</p>",
        "page.html": "{{ page }}:{{ shared_part('part.html') }}{{ shared_part('part.html', who='<b>') }}",
        "nosy.html": "{{ page }}",
    })
    context: dict[str, Any] = {"lang": "id", "count": count}
    context["shared_part"] = SharedParts(templates, context)
    pages = [templates.render("page.html", {**context, "page": n}).decode() for n in (1, 2, 3)]
    assert pages == [f"{n}:<p>ID -</p><p>ID &lt;b&gt;</p>" for n in (1, 2, 3)]
    assert calls == ["id", "id"]  # one per distinct set of values, not one per page
    with pytest.raises(jinja2.UndefinedError, match="'page' is undefined"):
        context["shared_part"]("nosy.html")
    with pytest.raises(TypeError, match="shared_part"):
        context["shared_part"]("part.html", who=_Unnamed())


def _with_includes(site: Path) -> None:
    """The theme's templates as they were before shared_part: plain includes."""
    card = '{% include "partials/card.html" %}'
    swaps = {
        "base.html": (r'\{\{ shared_part\("partials/footer.html"\) -\}\}\n', '{% include "partials/footer.html" %}\n'),
        # Each page's first card as the card template writes it, not by the filter at_once.
        "list.html": (r'\{% for item in paginator.entries %\}.*?\{% endfor %\}',
                      '{% for item in paginator.entries %}{% with first = loop.first %}' + card
                      + '{% endwith %}{% endfor %}'),
        "home.html": (r'\{% for item in paginator.entries %\}.*?\{% endfor %\}',
                      '{% for item in paginator.entries %}{% with lead = loop.first and paginator.number == 1, '
                      'first = loop.first %}' + card + '{% endwith %}{% endfor %}'),
    }
    for name, (pattern, replacement) in swaps.items():
        source = (THEME / name).read_text("utf-8")
        changed, count = re.subn(pattern, replacement, source, flags=re.S)
        assert count == 1, name
        (site / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "templates" / name).write_text(changed, "utf-8")


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(".")}


@pytest.mark.parametrize("cards", [False, True])
def test_the_theme_gives_the_bytes_of_plain_includes(tmp_path: Path, cards: bool) -> None:
    # The odd ones have a photo (the first card of each second page among them); the others
    # show a tile in their cards, and a social card when ``cards``.
    photo = {"image": "/images/foto.jpg", "image_alt": "Foto kegiatan"}
    files: dict[str, str | bytes] = {
        f"content/berita/r{i}.{lang}.md": article(f"Rilis {i} {lang}", f"2026-0{1 + i % 9}-1{i % 10}T10:00:00+07:00",
                                                  tags=["Pangan", f"Topik {i % 3}"], category="ekonomi",
                                                  unit="Diskominfo", summary=f"Ringkasan {i}",
                                                  **(photo if i % 2 else {}))
        for i in range(14) for lang in ("id", "en")
    }
    files["static/images/foto.jpg"] = photo_file(800, 600)
    config = SMALL_CONFIG + f"social_cards: {'true' if cards else 'false'}\n"
    shared = write_site(tmp_path / "shared", files, config)
    plain = write_site(tmp_path / "plain", files, config)
    _with_includes(plain)
    for site in (shared, plain):
        result = build(site, "--no-search")
        assert result.code == 0, result.err
    ours, theirs = _files(shared / "public"), _files(plain / "public")
    assert ours.keys() == theirs.keys()
    html_files = [name for name in ours if name.endswith(".html")]
    assert len(html_files) > 40
    assert [name for name in ours if ours[name] != theirs[name]] == []
    home = page(shared, "/")
    assert len(home.xpath("//*[@id='lead-story']")) == 1
    assert len(home.xpath("//article[@class='card' or @id='lead-story']")) == 5
    assert home.xpath("//footer[@class='site-footer']//a[@href='/feed.xml']")
    # a card's photo is loaded lazily, but a later page's first: it is in the first screen too
    for url in ("/page/2/", "/berita/page/2/"):
        pictures = page(shared, url).xpath("//article[@class='card']//img")
        assert len(pictures) > 1 and page(shared, url).xpath("//article[@class='card'][1]//img")
        assert [(p.get("fetchpriority"), p.get("loading")) for p in pictures] == \
            [("high", None)] + [(None, "lazy")] * (len(pictures) - 1), url


def test_a_part_that_reads_the_page_is_a_template_error_at_its_line(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {
        "content/berita/a.id.md": article("Satu"),
        "templates/partials/footer.html": "<footer>\n{{ page.title }}\n</footer>\n",
    })
    result = build(site)
    assert result.code == 1
    assert "templates/partials/footer.html:2: error: template error: 'page' is undefined" in result.err
    assert "Traceback" not in result.err


def test_editing_a_shared_part_rebuilds_the_pages_that_show_it(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {
        f"content/berita/a{i}.id.md": article(f"Rilis {i}", f"2026-02-0{i + 1}T10:00:00+07:00") for i in range(3)
    })
    assert build(site).code == 0
    footer = (THEME / "partials" / "footer.html").read_text("utf-8")
    edited = footer.replace('<p class="copyright"', '<p class="hotline">Hotline 112</p>\n    <p class="copyright"')
    assert edited != footer
    (site / "templates" / "partials").mkdir(parents=True)
    (site / "templates" / "partials" / "footer.html").write_text(edited, "utf-8")
    result = build(site)
    assert result.code == 0, result.err
    pages = [p for p in (site / "public").rglob("index.html")]
    assert len(pages) > 5
    for path in pages:
        assert b'<p class="hotline">Hotline 112</p>' in path.read_bytes(), path
