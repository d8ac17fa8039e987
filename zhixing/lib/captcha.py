"""A self-hosted image captcha (no third-party service, no font download).

``captcha_new`` returns a token and a PNG; the answer is kept hashed in the cache under the token,
valid for 5 minutes and for one check only (right or wrong), so an image cannot be replayed.
"""

from __future__ import annotations

import hashlib
import io
import math
import secrets

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes
LENGTH = 5
TTL_SECONDS = 300


def _digest(token: str, answer: str) -> str:
    return hashlib.sha256(f"{token}:{answer.strip().upper()}".encode()).hexdigest()


def _render(text: str) -> bytes:
    width, height = 150, 50
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (width, height), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=30)
    for _ in range(6):  # interference lines
        draw.line(
            [
                (rng.randint(0, width), rng.randint(0, height)),
                (rng.randint(0, width), rng.randint(0, height)),
            ],
            fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)),
            width=2,
        )
    x = 8
    for char in text:
        glyph = Image.new("RGBA", (34, 44), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (4, 2), char, font=font, fill=(rng.randint(20, 110), 30, rng.randint(20, 110))
        )
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(glyph, (x, rng.randint(0, 8)), glyph)
        x += 27
    # A gentle sine warp makes segmentation harder without hurting people.
    phase = rng.uniform(0, math.pi)
    warped = Image.new("RGB", (width, height), (245, 246, 248))
    for col in range(width):
        shift = int(3 * math.sin(col / 11 + phase))
        warped.paste(image.crop((col, 0, col + 1, height)), (col, shift))
    for _ in range(120):  # speckle
        warped.putpixel((rng.randrange(width), rng.randrange(height)), (rng.randint(0, 255),) * 3)
    buffer = io.BytesIO()
    warped.filter(ImageFilter.SMOOTH).save(buffer, format="PNG")
    return buffer.getvalue()


def captcha_new() -> tuple[str, bytes]:
    token = secrets.token_urlsafe(18)
    text = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    cache.set(f"captcha:{token}", _digest(token, text), timeout=TTL_SECONDS)
    return token, _render(text)


def captcha_check(token: str, answer: str) -> bool:
    """True only for the right answer to a live token; the token is spent either way."""
    if not token or not answer:
        return False
    key = f"captcha:{token}"
    expected = cache.get(key)
    cache.delete(key)
    return expected is not None and secrets.compare_digest(expected, _digest(token, answer))
