"""The photo budget in a real browser: a release whose lead photo is a 12-megapixel, 5 MB
phone photo transfers under 250 KB at phone width and under 600 KB at desktop width
(Chromium, counted from the responses). A size budget, not a timing."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.images import phone_photo
from tests.conftest import REPO, article, browser, build, serve, write_site

ARTIFACTS = REPO / "tests" / "artifacts"
BUDGETS = {390: 250_000, 1280: 600_000}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    photo = phone_photo()
    assert 4_000_000 < len(photo) < 7_000_000, len(photo)
    root = write_site(tmp_path_factory.mktemp("budget") / "site", {
        "static/images/kegiatan.jpg": photo,
        "content/berita/kegiatan.id.md": article(
            "Kegiatan Lapangan", image="/images/kegiatan.jpg", image_alt="Petugas dan warga di lapangan",
            image_caption="Kegiatan di lapangan.", image_credit="Humas",
            body="Paragraf pertama.\n\n" + "Paragraf berikutnya yang cukup panjang. " * 40),
    })
    result = build(root, "--no-search")
    assert result.code == 0, result.err
    return root


@pytest.mark.parametrize("width", sorted(BUDGETS))
def test_a_release_with_a_12_megapixel_photo_stays_within_its_transfer_budget(site: Path, width: int) -> None:
    with serve(site / "public") as base, browser() as chromium:
        context = chromium.new_context(viewport={"width": width, "height": 844 if width < 600 else 800})
        page = context.new_page()
        sizes: dict[str, int] = {}

        def count(response: object) -> None:
            url = response.url  # type: ignore[attr-defined]
            try:
                sizes[url] = len(response.body())  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - a redirect or an aborted request carries no body
                sizes[url] = 0

        page.on("response", count)
        page.goto(base + "/berita/2024/kegiatan/", wait_until="networkidle")
        lead = page.locator("figure.lead-image img")
        assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
        chosen = lead.evaluate("img => img.currentSrc")
        shown = lead.evaluate("img => img.getBoundingClientRect().width")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"photo-budget-{width}.png"), full_page=False)
        context.close()
    total = sum(sizes.values())
    assert total < BUDGETS[width], f"{total} bytes: {sorted(sizes.items(), key=lambda kv: -kv[1])[:5]}"
    assert "/images/kegiatan.jpg" not in " ".join(sizes)  # never the 5 MB original
    natural = int(chosen.rsplit("-", 1)[1].split("w.")[0])
    assert natural >= shown  # the version chosen is sharp at its shown width
