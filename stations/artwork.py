"""The show's picture when the department chose none and no bulletin has a cover.

Apple Podcasts lists no show without a square picture of at least 1400 px, so a fresh
installation must have one: Loa's logo (static/loa-logo.svg, redrawn with Pillow at full
size so no SVG renderer is needed) above the department's name.
"""

from __future__ import annotations

import functools
import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIDE = 1400
RED, WHITE, YELLOW = "#b3261e", "#ffffff", "#ffd54f"
# Noto Sans carries every Vietnamese letter with its tone marks (fonts-noto-core).
FONT = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
LOGO_BOX = 64  # the logo's viewBox side


def _logo(draw: ImageDraw.ImageDraw, left: float, top: float, scale: float) -> None:
    """The loudspeaker and its two sound waves of loa-logo.svg, drawn at ``scale``."""

    def xy(x: float, y: float) -> tuple[float, float]:
        return left + x * scale, top + y * scale

    draw.polygon([xy(14, 26), xy(23, 26), xy(37, 16), xy(37, 48), xy(23, 38), xy(14, 38)],
                 fill=WHITE)
    for radius in (14, 22):  # arcs centred on (43, 32), the right half of a circle
        box = [xy(43 - radius, 32 - radius), xy(43 + radius, 32 + radius)]
        draw.arc(box, start=-46, end=46, fill=YELLOW, width=round(4 * scale))


def _name_lines(name: str) -> list[str]:
    return textwrap.wrap(name, width=22)[:4]


@functools.lru_cache(maxsize=8)
def default_artwork(name: str) -> bytes:
    """A 1400 × 1400 JPEG: the logo above ``name`` in white on Loa's red."""
    picture = Image.new("RGB", (SIDE, SIDE), RED)
    draw = ImageDraw.Draw(picture)
    _logo(draw, left=SIDE * 0.2, top=SIDE * 0.02, scale=SIDE * 0.6 / LOGO_BOX)
    font = ImageFont.truetype(str(FONT), 76)
    y = SIDE * 0.66
    for line in _name_lines(name):
        draw.text((SIDE / 2, y), line, font=font, fill=WHITE, anchor="ma")
        y += 100
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()
