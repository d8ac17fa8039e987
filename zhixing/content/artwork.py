"""Generated pictures and clips for the demo articles: coloured banners with the title (Pillow, WenQuanYi
when installed) and a few seconds of animated title card encoded to MP4/H.264 with the ffmpeg binary that
the imageio-ffmpeg wheel ships (nothing is downloaded). Nothing here runs on a request path."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont | None:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None  # no CJK font: draw a plain banner rather than boxes


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int
) -> list[str]:
    lines: list[str] = []
    line = ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width and line:
            lines.append(line)
            line = ch
        else:
            line += ch
    if line:
        lines.append(line)
    return lines[:3]


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _card(
    size: tuple[int, int], title: str, tag: str, colour: str, progress: float | None = None
) -> Image.Image:
    w, h = size
    base = _hex(colour)
    img = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(img)
    # A diagonal band of a lighter shade gives the banner some depth without any external artwork.
    light = tuple(min(255, c + 40) for c in base)
    draw.polygon([(int(w * 0.55), 0), (w, 0), (w, h), (int(w * 0.35), h)], fill=light)
    draw.rectangle([0, h - int(h * 0.04), w, h], fill=(255, 255, 255))
    title_font = _font(max(18, w // 16))
    tag_font = _font(max(12, w // 36))
    if title_font is not None and tag_font is not None:
        pad = w // 18
        draw.rounded_rectangle(
            [pad, pad, pad + int(draw.textlength(tag, font=tag_font)) + 24, pad + w // 36 + 16],
            8,
            fill=(255, 255, 255),
        )
        draw.text((pad + 12, pad + 6), tag, font=tag_font, fill=base)
        y = h // 3
        for line in _wrap(draw, title, title_font, w - 2 * pad):
            draw.text((pad, y), line, font=title_font, fill=(255, 255, 255))
            y += int(w / 16 * 1.35)
        draw.text((pad, h - h // 7), "智慧执行 · 执行头条", font=tag_font, fill=(255, 255, 255))
    if progress is not None:
        draw.rectangle([0, h - int(h * 0.04), int(w * progress), h], fill=(255, 214, 0))
    return img


def cover_jpeg(title: str, tag: str, colour: str, size: tuple[int, int] = (1280, 720)) -> bytes:
    out = io.BytesIO()
    _card(size, title, tag, colour).save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def video_mp4(title: str, tag: str, colour: str, *, seconds: int = 4, fps: int = 12) -> bytes | None:
    """A short H.264 MP4 (faststart, so browsers read metadata from the first bytes), or None when the
    imageio-ffmpeg wheel is not installed."""
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    size = (640, 368)  # multiples of 16, as H.264 encoders prefer
    fd, path = tempfile.mkstemp(suffix=".mp4")
    os.close(fd)
    try:
        writer = imageio_ffmpeg.write_frames(
            path,
            size,
            fps=fps,
            codec="libx264",
            pix_fmt_out="yuv420p",
            macro_block_size=16,
            quality=6,
            output_params=["-movflags", "+faststart", "-profile:v", "baseline", "-level", "3.0"],
            ffmpeg_log_level="error",
        )
        writer.send(None)
        frames = seconds * fps
        for i in range(frames):
            writer.send(_card(size, title, tag, colour, progress=(i + 1) / frames).tobytes())
        writer.close()
        return Path(path).read_bytes()
    finally:
        Path(path).unlink(missing_ok=True)
