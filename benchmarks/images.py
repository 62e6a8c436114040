"""Photo budgets, run by hand (not in the test suite):

    python benchmarks/images.py cpu                 # CPU seconds for all versions of one 12 MP photo
    python benchmarks/images.py reuse --count 1000  # a site with 1,000 such photos, built twice

``cpu`` makes every version of a 12-megapixel phone photo (about 5 MB) with the default
settings, upright and turned (EXIF orientation 6, whose full-size download must be encoded
again), in this process, and reports the CPU seconds each took (user + system, so the
machine's other load does not count). Budget: under 0.3 s for the upright photo.

``reuse`` writes a site with ``--count`` releases, each with its own 12 MP photo (one photo
with a different comment segment each, so each has its own content and its own versions),
builds it, deletes the output and builds again: the second build must make 0 photo sets
and reuse all of them.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sitegen.config import Images  # noqa: E402
from sitegen.images.photo import Photo  # noqa: E402
from sitegen.images.plan import plan_photo  # noqa: E402
from sitegen.images.probe import probe  # noqa: E402
from sitegen.images.store import PhotoFiles  # noqa: E402

CONFIG = """\
base_url: https://humas.example.go.id/
default_language: id
languages:
  id: {name: Bahasa Indonesia, locale: id_ID, title: Uji Foto}
"""


def phone_photo(width: int = 4000, height: int = 3000, orientation: int = 1) -> bytes:
    """A 12-megapixel JPEG of about 5 MB: shapes, soft edges and sensor grain, as phones give."""
    rnd = random.Random(7)
    sky = Image.linear_gradient("L").resize((width, height))
    im = Image.merge("RGB", (sky.point(lambda v: 90 + v // 3), sky.point(lambda v: 130 + v // 4),
                             Image.new("L", (width, height), 220)))
    draw = ImageDraw.Draw(im)
    for _ in range(150):
        x, y, size = rnd.randrange(width), rnd.randrange(height // 3, height), rnd.randrange(width // 40, width // 6)
        box = (x, y, x + size, y + int(size * rnd.random() * 2))
        (draw.ellipse if rnd.random() < .5 else draw.rectangle)(box, fill=tuple(rnd.randrange(256) for _ in "rgb"))
    im = ImageChops.add(im.filter(ImageFilter.GaussianBlur(2)),
                        Image.effect_noise((width, height), 20).convert("RGB"), offset=-20)
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    im.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu(rounds: int) -> None:
    settings = Images()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "static").mkdir()
        for orientation in (1, 6):
            data = phone_photo(orientation=orientation)
            source = root / "static" / f"photo-{orientation}.jpg"
            source.write_bytes(data)
            files = PhotoFiles(root / "cache", root, settings)
            found = probe(str(source), settings.max_pixels)
            photo: Photo = plan_photo(found, f"/photo-{orientation}.jpg", f"static/photo-{orientation}.jpg",
                                      "alt", "", "", 1, settings)
            times = []
            for _ in range(rounds):
                shutil.rmtree(root / "cache", ignore_errors=True)
                job = files.job(photo, with_clean=True)
                started = cpu_seconds()
                from sitegen.images.derive import make_set

                make_set(job)
                times.append(cpu_seconds() - started)
            made = sorted(p.name for p in Path(job.folder).iterdir())
            print(f"orientation {orientation}: {len(data) / 1e6:.1f} MB, {found.width}x{found.height}, "
                  f"{len(made)} files + the metadata-free full-size copy; CPU seconds "
                  f"best {min(times):.3f}, median {sorted(times)[len(times) // 2]:.3f} (of {rounds})")


def reuse(count: int, jobs: int) -> None:
    base = phone_photo()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        (site / "static/images").mkdir(parents=True)
        (site / "content/berita").mkdir(parents=True)
        (site / "config.yaml").write_text(CONFIG, "utf-8")
        for n in range(count):
            # A comment segment after the start of the image: other bytes, the same picture.
            comment = f"foto {n}".encode()
            data = base[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + base[2:]
            (site / f"static/images/f{n}.jpg").write_bytes(data)
            (site / f"content/berita/r{n}.id.md").write_text(
                f"---\ntitle: Rilis {n}\ndate: 2024-05-30T10:00:00+07:00\nimage: /images/f{n}.jpg\n"
                f"image_alt: Foto {n}\n---\nIsi.\n", "utf-8")
        for label in ("first build", "second build (output deleted, cache kept)"):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site), "--no-search",
                                   "--jobs", str(jobs), "--now", "2024-06-01T00:00:00+07:00"],
                                  capture_output=True, text=True, cwd=REPO, check=False)
            seconds = time.perf_counter() - started
            photos = next((line for line in done.stdout.splitlines() if line.startswith("photos:")), done.stderr)
            print(f"{label}: {seconds:.1f} s; {photos}")
            shutil.rmtree(site / "public", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    c = sub.add_parser("cpu")
    c.add_argument("--rounds", type=int, default=5)
    r = sub.add_parser("reuse")
    r.add_argument("--count", type=int, default=1000)
    r.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if args.what == "cpu":
        cpu(args.rounds)
    else:
        reuse(args.count, args.jobs)


if __name__ == "__main__":
    main()
