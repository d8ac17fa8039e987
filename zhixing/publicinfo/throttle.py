"""Anti-scraping gate for public queries: per-IP limits per minute and hour, and an image captcha after a
configurable number of queries per IP per hour. Fails closed when the limiter's store is down."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from zhixing.lib.captcha import captcha_check, captcha_new
from zhixing.lib.ratelimit import RateLimitUnavailable, hit

_PASS_TTL = 3600
_IMAGE_TTL = 300


@dataclass(frozen=True)
class Gate:
    allowed: bool
    status: int = 200
    message: str = ""
    captcha_required: bool = False


OPEN = Gate(True)


def query_gate(*, ip: str, captcha_token: str = "", captcha_answer: str = "", count: bool = True) -> Gate:
    """Count one query by ``ip`` and decide whether it may run now."""
    if not settings.PUBLICINFO_THROTTLE:
        return OPEN
    try:
        minute = hit("publicinfo-q-m", ip, limit=settings.PUBLICINFO_LIMIT_PER_MINUTE, window=60)
        if not minute.allowed:
            return Gate(False, 429, f"查询过于频繁，请{minute.retry_after}秒后再试。")
        if not count:
            return OPEN
        hour = hit("publicinfo-q-h", ip, limit=settings.PUBLICINFO_LIMIT_PER_HOUR, window=3600)
        if not hour.allowed:
            minutes = max(1, hour.retry_after // 60)
            return Gate(False, 429, f"本小时查询次数已达上限，请{minutes}分钟后再试。")
        if hour.count <= settings.PUBLICINFO_CAPTCHA_AFTER:
            return OPEN
        pass_key = f"publicinfo-pass:{ip}"
        remaining = int(cache.get(pass_key) or 0)
        if remaining > 0:
            cache.set(pass_key, remaining - 1, timeout=_PASS_TTL)
            return OPEN
        if captcha_token or captcha_answer:
            if captcha_check(captcha_token, captcha_answer):
                cache.set(pass_key, max(0, settings.PUBLICINFO_CAPTCHA_GRANTS - 1), timeout=_PASS_TTL)
                return OPEN
            return Gate(False, 422, "图形验证码不正确或已过期，请重新输入。", captcha_required=True)
        return Gate(False, 403, "查询次数较多，请先输入图形验证码。", captcha_required=True)
    except RateLimitUnavailable as exc:
        return Gate(False, 503, exc.message)
    except Exception:  # the cache backend raises its driver's own errors: fail closed
        return Gate(False, 503, RateLimitUnavailable.message)


def captcha_issue() -> str:
    """A new captcha; its image is kept briefly under the token for the image endpoint to serve once."""
    token, png = captcha_new()
    cache.set(f"publicinfo-captcha-png:{token}", png, timeout=_IMAGE_TTL)
    return token


def captcha_image(token: str) -> bytes | None:
    key = f"publicinfo-captcha-png:{token}"
    png = cache.get(key)
    if png is not None:
        cache.delete(key)
    return png if isinstance(png, bytes) else None
