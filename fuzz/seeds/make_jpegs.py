#!/usr/bin/env python3
"""Makes the JPEG seeds of the image_header fuzz target (checked in beside this file), like
the engine's and server's tests make theirs (image's encoder on a smooth gradient), but just
over the 300-pixel minimum so that each stays under 10 KB. Needs Pillow:

    python3 -m venv ~/.cache/verifyd/fuzz-venv
    ~/.cache/verifyd/fuzz-venv/bin/pip install Pillow
    ~/.cache/verifyd/fuzz-venv/bin/python fuzz/seeds/make_jpegs.py
"""

import io
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent / "image_header"


def photo(width, height, mode="RGB"):
    image = Image.new("RGB", (width, height))
    image.putdata(
        [
            ((x * 255 // width) & 0xFF, (y * 255 // height) & 0xFF, ((x + y) % 256) // 2)
            for y in range(height)
            for x in range(width)
        ]
    )
    return image.convert(mode)


VARIANTS = [
    ("baseline-420", photo(320, 24), dict(quality=60, subsampling=2)),
    ("baseline-444", photo(310, 16), dict(quality=50, subsampling=0)),
    ("progressive", photo(320, 24), dict(quality=60, progressive=True)),
    ("grey", photo(400, 20, "L"), dict(quality=70)),
    ("cmyk", photo(304, 8, "CMYK"), dict(quality=50)),
    ("optimised", photo(320, 16), dict(quality=40, optimize=True)),
    ("exif", photo(301, 8), dict(quality=50, exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00")),
    ("restart", photo(320, 16), dict(quality=50, restart_marker_blocks=4)),
    ("small", photo(300, 20), dict(quality=50)),
]


def main():
    HERE.mkdir(parents=True, exist_ok=True)
    for name, image, options in VARIANTS:
        out = io.BytesIO()
        image.save(out, "JPEG", **options)
        data = out.getvalue()
        assert len(data) < 10 * 1024, (name, len(data))
        (HERE / f"{name}.jpg").write_bytes(data)
        print(f"{name}.jpg: {len(data)} bytes")


if __name__ == "__main__":
    main()
