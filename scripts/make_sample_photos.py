"""Draw the bundled site's sample photos (static/images/) with Pillow.

    python scripts/make_sample_photos.py            # writes static/images/*.jpg

They are drawings, marked "Foto contoh / sample photo" in the picture and in every release's
caption and credit. Each is written with the EXIF a phone would give it: camera, time, the
GPS position of Padang (-0.95, 100.35) and an orientation; "penyuluhan-warga.jpg" is stored
on its side with orientation 6, as a phone held upright stores it. None of that may reach the
built site (tests/test_images.py checks the whole output), which is why the sources carry it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

OUT = Path(__file__).resolve().parents[1] / "static" / "images"
PADANG = (-0.95, 100.35)
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
MAX_BYTES = 400_000

Scene = Callable[[Image.Image, ImageDraw.ImageDraw, random.Random], None]


def gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def meeting_room(im: Image.Image, d: ImageDraw.ImageDraw, rnd: random.Random) -> None:
    w, h = im.size
    im.paste(gradient((w, h * 2 // 3), (214, 206, 190), (180, 170, 150)), (0, 0))
    d.rectangle((0, h * 2 // 3, w, h), fill=(120, 84, 60))  # floor
    d.rectangle((w * 0.3, h * 0.12, w * 0.7, h * 0.42), fill=(30, 40, 60), outline=(20, 20, 20), width=8)  # screen
    d.rectangle((w * 0.33, h * 0.16, w * 0.67, h * 0.38), fill=(40, 110, 170))
    d.rectangle((w * 0.15, h * 0.55, w * 0.85, h * 0.68), fill=(90, 60, 40))  # table
    for i in range(8):
        x = w * (0.18 + i * 0.09)
        colour = rnd.choice([(40, 60, 110), (90, 90, 90), (120, 40, 40), (30, 90, 70)])
        d.ellipse((x - 30, h * 0.45 - 30, x + 30, h * 0.45 + 30), fill=(150, 110, 80))  # head
        d.rounded_rectangle((x - 45, h * 0.48, x + 45, h * 0.6), 20, fill=colour)  # shoulders


def building(im: Image.Image, d: ImageDraw.ImageDraw, rnd: random.Random) -> None:
    w, h = im.size
    im.paste(gradient((w, h), (120, 170, 220), (250, 210, 160)), (0, 0))
    d.rectangle((0, h * 0.78, w, h), fill=(90, 140, 80))
    d.rectangle((w * 0.2, h * 0.45, w * 0.8, h * 0.8), fill=(235, 230, 215))
    # a gonjong roof: curved horns rising at both ends
    d.polygon([(w * 0.15, h * 0.47), (w * 0.22, h * 0.2), (w * 0.35, h * 0.38), (w * 0.5, h * 0.3),
               (w * 0.65, h * 0.38), (w * 0.78, h * 0.2), (w * 0.85, h * 0.47)], fill=(70, 50, 40))
    for i in range(6):
        x = w * (0.25 + i * 0.09)
        d.rectangle((x, h * 0.55, x + w * 0.05, h * 0.7), fill=(60, 90, 120))
    d.rectangle((w * 0.47, h * 0.62, w * 0.53, h * 0.8), fill=(110, 70, 40))


def flag_ceremony(im: Image.Image, d: ImageDraw.ImageDraw, rnd: random.Random) -> None:
    w, h = im.size
    im.paste(gradient((w, h), (150, 195, 235), (235, 235, 225)), (0, 0))
    d.rectangle((0, h * 0.7, w, h), fill=(170, 160, 140))
    d.rectangle((w * 0.5 - 6, h * 0.1, w * 0.5 + 6, h * 0.72), fill=(200, 200, 200))  # pole
    d.rectangle((w * 0.5 + 6, h * 0.12, w * 0.66, h * 0.19), fill=(206, 17, 38))  # merah
    d.rectangle((w * 0.5 + 6, h * 0.19, w * 0.66, h * 0.26), fill=(250, 250, 250))  # putih
    for row in range(3):
        for col in range(14):
            x, y = w * (0.08 + col * 0.065), h * (0.74 + row * 0.07)
            d.ellipse((x - 14, y - 40, x + 14, y - 12), fill=(120, 85, 60))
            d.rectangle((x - 18, y - 12, x + 18, y + 30), fill=(40, 70, 120) if row % 2 else (200, 190, 160))


def counter(im: Image.Image, d: ImageDraw.ImageDraw, rnd: random.Random) -> None:
    w, h = im.size
    im.paste(gradient((w, h), (240, 240, 235), (200, 205, 210)), (0, 0))
    d.rectangle((0, h * 0.6, w, h * 0.75), fill=(20, 80, 140))  # counter
    d.rectangle((0, h * 0.75, w, h), fill=(160, 160, 160))
    for i in range(3):
        x = w * (0.15 + i * 0.3)
        d.rectangle((x, h * 0.2, x + w * 0.2, h * 0.32), fill=(11, 79, 138))  # signs
        d.ellipse((x + w * 0.07, h * 0.42, x + w * 0.13, h * 0.52), fill=(150, 110, 80))
        d.rounded_rectangle((x + w * 0.04, h * 0.5, x + w * 0.16, h * 0.62), 24, fill=(240, 240, 240))


def village(im: Image.Image, d: ImageDraw.ImageDraw, rnd: random.Random) -> None:
    w, h = im.size
    im.paste(gradient((w, h), (130, 190, 230), (200, 230, 200)), (0, 0))
    d.polygon([(0, h * 0.5), (w * 0.3, h * 0.25), (w * 0.6, h * 0.5)], fill=(70, 120, 80))  # hills
    d.polygon([(w * 0.4, h * 0.5), (w * 0.75, h * 0.2), (w, h * 0.5)], fill=(60, 110, 70))
    d.rectangle((0, h * 0.5, w, h), fill=(110, 160, 80))
    d.rectangle((w * 0.1, h * 0.35, w * 0.9, h * 0.4), fill=(230, 220, 200))  # tent roof
    for x in (0.12, 0.5, 0.88):
        d.rectangle((w * x - 8, h * 0.4, w * x + 8, h * 0.7), fill=(120, 90, 60))
    for row in range(4):
        for col in range(9):
            x, y = w * (0.15 + col * 0.085 + rnd.uniform(-0.01, 0.01)), h * (0.62 + row * 0.08)
            d.ellipse((x - 18, y - 46, x + 18, y - 12), fill=(110, 80, 55))
            d.rectangle((x - 24, y - 12, x + 24, y + 34), fill=rnd.choice([(180, 60, 60), (60, 100, 160),
                                                                           (220, 200, 90), (90, 90, 90)]))


#: file → (scene, width, height, orientation, seed)
PHOTOS: dict[str, tuple[Scene, int, int, int, int]] = {
    "rapat-koordinasi.jpg": (meeting_room, 2000, 1333, 1, 1),
    "gedung-kanwil.jpg": (building, 2400, 1350, 1, 2),
    "upacara-bendera.jpg": (flag_ceremony, 1800, 1200, 1, 3),
    "loket-layanan.jpg": (counter, 1600, 1067, 1, 4),
    "penyuluhan-nagari.jpg": (village, 2200, 1467, 1, 5),
    "penyuluhan-warga.jpg": (village, 1200, 1600, 6, 6),  # portrait, stored on its side
}


def draw(scene: Scene, width: int, height: int, seed: int) -> Image.Image:
    rnd = random.Random(seed)
    im = Image.new("RGB", (width, height))
    scene(im, ImageDraw.Draw(im), rnd)
    im = im.filter(ImageFilter.GaussianBlur(1.2))
    d = ImageDraw.Draw(im)
    label = "FOTO CONTOH · SAMPLE PHOTO"
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(str(FONT), max(24, width // 40))
    except OSError:
        font = ImageFont.load_default(size=max(24, width // 40))
    box = d.textbbox((0, 0), label, font=font)
    x, y = width - (box[2] - box[0]) - width // 40, height - (box[3] - box[1]) - height // 25
    d.rectangle((x - 16, y - 10, x + box[2] - box[0] + 16, y + box[3] - box[1] + 18), fill=(0, 0, 0))
    d.text((x, y), label, font=font, fill=(255, 255, 255))
    return im


def exif(orientation: int, seed: int) -> Image.Exif:
    """What a phone writes: camera, times, and where the photo was taken."""
    data = Image.Exif()
    data[0x010F], data[0x0110] = "Contoh", "Kamera Contoh 12"  # Make, Model
    data[0x0112] = orientation
    data[0x0131] = "sitegen sample photos"  # Software
    data[0x0132] = f"2024:05:{10 + seed:02d} 10:{seed:02d}:00"  # DateTime
    lat, lon = PADANG
    gps = data.get_ifd(0x8825)
    gps.update({0: b"\x02\x03\x00\x00", 1: "S" if lat < 0 else "N", 2: _dms(lat), 3: "E" if lon >= 0 else "W",
                4: _dms(lon), 5: b"\x00", 6: 12.0})
    return data


def _dms(value: float) -> tuple[float, float, float]:
    seconds = round(abs(value) * 3600, 2)
    return (float(seconds // 3600), float(seconds % 3600 // 60), round(seconds % 60, 2))


def write(name: str, scene: Scene, width: int, height: int, orientation: int, seed: int) -> Path:
    upright = draw(scene, width, height, seed)
    # A phone held upright stores the sensor's landscape pixels and orientation 6 ("turn 90°
    # clockwise to view"); so the stored pixels are the upright picture turned the other way.
    stored = upright.transpose(Image.Transpose.ROTATE_90) if orientation == 6 else upright
    path = OUT / name
    for quality in (88, 82, 76, 70, 64):
        stored.save(path, "JPEG", quality=quality, exif=exif(orientation, seed).tobytes())
        if path.stat().st_size <= MAX_BYTES:
            break
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (scene, width, height, orientation, seed) in PHOTOS.items():
        path = write(name, scene, width, height, orientation, seed)
        print(f"{path.relative_to(OUT.parents[1])}: {path.stat().st_size // 1000} KB")


if __name__ == "__main__":
    main()
