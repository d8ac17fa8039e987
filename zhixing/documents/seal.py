"""The court's visible seal: a red round seal with a star and the court's name along the upper arc.

Drawn as a transparent PNG with Pillow (pyHanko renders Chinese stamp text badly, see DEPENDENCY-NOTES),
then used as the background of the visible signature appearance.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
SEAL_RED = (214, 0, 0, 235)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    raise RuntimeError("未找到中文字体：请安装 fonts-wqy-microhei。")


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=SEAL_RED)


def seal_png(court_name: str, *, caption: str = "", size: int = 480) -> bytes:
    """Render the seal of ``court_name`` (caption drawn under the star, e.g. 电子签章) as PNG bytes."""
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    c = size / 2
    ring = size * 0.035
    draw.ellipse((ring / 2, ring / 2, size - ring / 2, size - ring / 2), outline=SEAL_RED, width=int(ring))
    _star(draw, c, c, size * 0.16)

    name = court_name.strip() or "人民法院"
    glyph = int(size * (0.13 if len(name) <= 10 else 0.11 if len(name) <= 14 else 0.09))
    font = _font(glyph)
    text_radius = c - ring - glyph * 0.75
    # The name runs clockwise over the top, spread over up to 240 degrees centred on 12 o'clock.
    span = min(math.radians(240), len(name) * (glyph * 1.12) / text_radius)
    start = -math.pi / 2 - span / 2
    step = span / max(len(name) - 1, 1)
    for i, ch in enumerate(name):
        angle = start + i * step if len(name) > 1 else -math.pi / 2
        tile = Image.new("RGBA", (glyph * 2, glyph * 2), (255, 255, 255, 0))
        ImageDraw.Draw(tile).text((glyph, glyph), ch, font=font, fill=SEAL_RED, anchor="mm")
        rotated = tile.rotate(-math.degrees(angle + math.pi / 2), resample=Image.Resampling.BICUBIC)
        x = c + text_radius * math.cos(angle) - glyph
        y = c + text_radius * math.sin(angle) - glyph
        img.alpha_composite(rotated, (int(x), int(y)))
    if caption:
        small = _font(int(size * 0.075))
        draw.text((c, c + size * 0.27), caption, font=small, fill=SEAL_RED, anchor="mm")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
