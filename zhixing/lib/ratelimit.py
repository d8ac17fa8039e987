"""Fixed-window rate limits on the shared cache (Redis in production, local memory by default).

``hit`` fails closed: if the cache cannot be reached the action is refused with ``RateLimitUnavailable``,
so SMS codes and logins are never sent or tried unthrottled while Redis is down.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import caches


class RateLimitUnavailable(RuntimeError):
    """The limiter's store is unreachable; callers refuse the action with a clear message."""

    message = "系统繁忙，暂时无法处理该请求，请稍后再试。"


@dataclass(frozen=True)
class RateResult:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window resets


def _key(scope: str, ident: str, window: int, now: float) -> tuple[str, int]:
    bucket = int(now // window)
    reset = (bucket + 1) * window - int(now)
    return f"rl:{scope}:{ident}:{window}:{bucket}", max(reset, 1)


def hit(scope: str, ident: str, *, limit: int, window: int, cache_alias: str = "default") -> RateResult:
    """Count one attempt of ``scope`` by ``ident`` (an IP, a phone index …) and say whether it is allowed."""
    cache = caches[cache_alias]
    key, reset = _key(scope, ident, window, time.time())
    try:
        if cache.add(key, 1, timeout=window + 1):
            count = 1
        else:
            try:
                count = int(cache.incr(key))
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window + 1)
                count = 1
    except Exception as exc:  # the cache backend raises its driver's own errors (redis.ConnectionError …)
        raise RateLimitUnavailable(str(exc)) from exc
    return RateResult(allowed=count <= limit, count=count, limit=limit, retry_after=reset)


def peek(scope: str, ident: str, *, window: int, cache_alias: str = "default") -> int:
    """How many attempts were counted in the current window (0 when the store is unreachable)."""
    key, _ = _key(scope, ident, window, time.time())
    try:
        return int(caches[cache_alias].get(key) or 0)
    except Exception:  # reading is advisory only
        return 0


def reset(scope: str, ident: str, *, window: int, cache_alias: str = "default") -> None:
    key, _ = _key(scope, ident, window, time.time())
    try:
        caches[cache_alias].delete(key)
    except Exception:  # nothing to reset when the store is down
        return
