"""What Pillow says to itself stays out of sitegen's messages: a phone photo Pillow finds odd
but reads (a damaged multi-picture index) is published, and stderr holds only sitegen's lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import NOW, article, photo_file, run_process


def _malformed_mpo(jpeg: bytes) -> bytes:
    """A JPEG with an APP2 "MPF" segment of zeros after its start: Pillow warns that it "appears
    to be a malformed MPO file" and reads it as a plain JPEG."""
    segment = b"MPF\x00" + bytes(40)
    return jpeg[:2] + b"\xff\xe2" + (len(segment) + 2).to_bytes(2, "big") + segment + jpeg[2:]


def test_a_photo_pillow_warns_about_is_published_without_its_warning(make_site: Callable[..., Path]) -> None:
    site = make_site({
        "static/images/foto.jpg": _malformed_mpo(photo_file(640, 480)),
        "content/berita/2024-05-30-rapat.id.md": article(
            "Rapat", image="/images/foto.jpg", image_alt="Peserta rapat", image_credit="Humas"),
    })
    result = run_process("build", "--site", site, "--now", NOW, "--no-search")
    assert result.code == 0, result.err
    assert result.err == "", result.err
    assert any((site / "public").rglob("*.webp"))
