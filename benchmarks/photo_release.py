"""Copy a corpus and give its newest release a lead photo and a gallery of phone-sized photos.

    python benchmarks/photo_release.py WORK/n1000-few/sitegen /tmp/photocorpus [--photos 9]

run.py's corpora carry small photos, and its edits go to the newest release, which has none:
this measures an edit to a release as newsrooms publish them, with a gallery of 12-megapixel
JPEGs (about 4 MB each), for example with compare.py's ``--build body``. The copy leaves out
the corpus's output and cache; the photos are Pillow's noise, blurred a little so that they
compress as photos do, each one shifted in colour so that no two are the same file.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from PIL import Image, ImageFilter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a sitegen corpus written by run.py")
    parser.add_argument("copy", type=Path, help="where to write the copy (replaced if it exists)")
    parser.add_argument("--photos", type=int, default=9, help="the lead photo and the gallery's, together")
    args = parser.parse_args()
    shutil.rmtree(args.copy, ignore_errors=True)
    shutil.copytree(args.corpus, args.copy, ignore=shutil.ignore_patterns("public", ".sitegen-cache"))
    base = Image.effect_noise((4000, 3000), 60).convert("RGB").filter(ImageFilter.GaussianBlur(1))
    folder = args.copy / "static" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(args.photos):
        Image.eval(base, lambda v, n=n: (v + 25 * n) % 256).save(folder / f"galeri-{n}.jpg", "JPEG", quality=90)
    newest = max((args.copy / "content").glob("*/*.id.md"), key=lambda p: p.name)
    gallery = "".join(f"\n  - {{path: /images/galeri-{n}.jpg, alt: Foto kegiatan {n}, caption: Kegiatan {n}., "
                      "credit: Humas}" for n in range(1, args.photos))
    text = newest.read_text("utf-8").replace(
        "---\n", "---\nimage: /images/galeri-0.jpg\nimage_alt: Peserta kegiatan\ngallery:" + gallery + "\n", 1)
    newest.write_text(text, "utf-8")
    print(newest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
