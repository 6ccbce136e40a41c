#!/usr/bin/env python3
"""Draw the KopDesk emblem into resources/icons/: kopdesk.svg, kopdesk.png (256 px) and kopdesk.ico.

One geometry on a 256-unit grid feeds both the SVG and the Pillow raster, so the formats cannot drift apart.
The emblem: a rounded teal square, a gold ring (the cooperative's unity) around a white "K" built from polygons
(no font needed, so the output is the same on every machine). Run it again after changing the geometry:

    python installer/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"

GRID = 256
TOP, BOTTOM = "#00897B", "#00463D"        # teal gradient of the tile
GOLD, WHITE = "#F9C440", "#FFFFFF"
TILE = (8, 8, 248, 248, 52)               # x0, y0, x1, y1, corner radius
RING = (128, 128, 86, 13)                 # cx, cy, radius, stroke width
STEM = [(84, 78), (108, 78), (108, 178), (84, 178)]
UPPER = [(100, 136), (142, 78), (170, 78), (114, 156)]
LOWER = [(118, 120), (172, 178), (142, 178), (100, 138)]
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]


def svg() -> str:
    x0, y0, x1, y1, r = TILE
    cx, cy, rr, w = RING

    def poly(points: list[tuple[int, int]]) -> str:
        return " ".join(f"{x},{y}" for x, y in points)

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{GRID}" height="{GRID}" viewBox="0 0 {GRID} {GRID}">\n'
        f'  <title>KopDesk</title>\n'
        f'  <defs><linearGradient id="tile" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{TOP}"/><stop offset="1" stop-color="{BOTTOM}"/></linearGradient></defs>\n'
        f'  <rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{r}" fill="url(#tile)"/>\n'
        f'  <circle cx="{cx}" cy="{cy}" r="{rr}" fill="none" stroke="{GOLD}" stroke-width="{w}"/>\n'
        f'  <g fill="{WHITE}">\n'
        f'    <polygon points="{poly(STEM)}"/>\n'
        f'    <polygon points="{poly(UPPER)}"/>\n'
        f'    <polygon points="{poly(LOWER)}"/>\n'
        f'  </g>\n'
        f'</svg>\n'
    )


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def raster(size: int) -> Image.Image:
    """The emblem at ``size`` pixels, drawn four times larger and scaled down for smooth edges."""
    ss = 4
    big = size * ss
    k = big / GRID

    def s(points: list[tuple[int, int]]) -> list[tuple[float, float]]:
        return [(x * k, y * k) for x, y in points]

    top, bottom = _hex(TOP), _hex(BOTTOM)
    gradient = Image.new("RGBA", (1, big))
    for y in range(big):
        t = y / max(big - 1, 1)
        gradient.putpixel((0, y), (*tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)), 255))
    gradient = gradient.resize((big, big))
    mask = Image.new("L", (big, big), 0)
    x0, y0, x1, y1, r = TILE
    ImageDraw.Draw(mask).rounded_rectangle((x0 * k, y0 * k, x1 * k, y1 * k), radius=r * k, fill=255)
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    img.paste(gradient, (0, 0), mask)
    draw = ImageDraw.Draw(img)
    cx, cy, rr, w = RING
    outer, inner = (rr + w / 2) * k, (rr - w / 2) * k
    draw.ellipse((cx * k - outer, cy * k - outer, cx * k + outer, cy * k + outer), fill=GOLD)
    # Punch the inside of the ring back to the gradient.
    hole = Image.new("L", (big, big), 0)
    ImageDraw.Draw(hole).ellipse((cx * k - inner, cy * k - inner, cx * k + inner, cy * k + inner), fill=255)
    img.paste(gradient, (0, 0), hole)
    for shape in (STEM, UPPER, LOWER):
        draw.polygon(s(shape), fill=WHITE)
    return img.resize((size, size), Image.LANCZOS)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "kopdesk.svg").write_text(svg(), encoding="utf-8")
    big = raster(256)
    big.save(OUT / "kopdesk.png", optimize=True)
    # Each ICO size drawn at its own resolution (not just shrunk from 256) so the small ones stay crisp.
    frames = [raster(n) for n in ICO_SIZES]
    frames[-1].save(OUT / "kopdesk.ico", format="ICO", sizes=[(n, n) for n in ICO_SIZES],
                    append_images=frames[:-1])
    for name in ("kopdesk.svg", "kopdesk.png", "kopdesk.ico"):
        print(f"{OUT / name} ({(OUT / name).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
