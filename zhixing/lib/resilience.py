"""Behaviour when a backing service is down: PostgreSQL, Redis or the object store.

* ``ResilienceMiddleware`` (in ``MIDDLEWARE``) turns an infrastructure failure raised by a view into a 503 with
  ``Retry-After`` and a Chinese message: an HTML page for people, ``{"detail": …}`` under ``/api/``. When a
  rate limiter or the object store refused an action and the view answered with its usual 422 form/API error,
  the status becomes 503 as well (the message stays where the form shows it).
* ``server_error`` is the project's ``handler500``: failures raised inside other middleware (e.g. the session
  store when the database is down) reach Django's last-resort handler, which asks it for the page; known
  infrastructure failures get the same 503, anything else Django's plain 500.
* ``TolerantRedisCache`` is the default cache in production: ordinary caching degrades to "miss" while Redis
  is unreachable (reads return the default, writes are dropped, ``add`` answers "already there"), so public
  pages stay readable. Counters (``incr``/``decr``) are never faked: they raise, so the rate limiter
  (``zhixing.lib.ratelimit``) fails closed and SMS codes / logins are refused while Redis is down.
* ``storage_errors`` converts object-store failures during an upload into a Chinese ``ValidationError`` after
  the caller's transaction rolled back (nothing half-recorded), and marks the request as degraded (→ 503).

Nothing here touches the database: these pages must render while it is down.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from html import escape
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

log = logging.getLogger("zhixing.resilience")

RETRY_AFTER_SECONDS = 10

DB_DOWN = "系统数据库暂时无法访问，请稍后再试。已提交成功的内容不会丢失。"
DB_BUSY = "系统繁忙，本次操作未完成，请稍后重试。"
CACHE_DOWN = "系统繁忙，暂时无法处理该请求，请稍后再试。"
STORAGE_DOWN = "文件存储服务暂时不可用，本次上传未保存任何内容，请稍后重新提交。"
TITLE = "服务暂时不可用"

# Set per request by the middleware: why an action was refused because a service is down (or "").
_degraded: ContextVar[str] = ContextVar("zhixing_degraded", default="")


def note_degraded(reason: str) -> None:
    """Record that this request was refused because ``reason`` (db/cache/storage) is unavailable."""
    _degraded.set(reason)


def degraded_reason() -> str:
    return _degraded.get()


# --- classifying failures -------------------------------------------------------------------------------


def _storage_error_types() -> tuple[type[BaseException], ...]:
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # S3 support not installed: only our own marker class
        return (StorageUnavailable,)
    return (StorageUnavailable, BotoCoreError, ClientError)


def _cache_error_types() -> tuple[type[BaseException], ...]:
    from zhixing.lib.ratelimit import RateLimitUnavailable

    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:
        return (RateLimitUnavailable,)
    return (RateLimitUnavailable, RedisConnectionError, RedisTimeoutError)


class StorageUnavailable(RuntimeError):
    """The object store could not be reached (or refused) while saving an upload."""


def _is_conflict(exc: BaseException) -> bool:
    """A deadlock, serialization failure or lock timeout: the database is up, this transaction lost."""
    cause = exc.__cause__
    try:
        from psycopg.errors import DeadlockDetected, LockNotAvailable, SerializationFailure
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    if isinstance(cause, DeadlockDetected | SerializationFailure | LockNotAvailable):
        return True
    return "database is locked" in str(exc)  # SQLite busy timeout


def classify(exc: BaseException | None) -> tuple[str, str] | None:
    """(reason, Chinese message) for a failure of a backing service, else None (a real bug: 500)."""
    if exc is None:
        return None
    if isinstance(exc, OperationalError | InterfaceError):
        return "db", DB_BUSY if _is_conflict(exc) else DB_DOWN
    if isinstance(exc, _cache_error_types()):
        return "cache", CACHE_DOWN
    if isinstance(exc, _storage_error_types()):
        return "storage", STORAGE_DOWN
    return None


# --- responses ------------------------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {site}</title>
<style>
body{{font-family:-apple-system,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;
background:#f5f6f8;color:#1f2329;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}}
main{{background:#fff;max-width:28rem;margin:1rem;padding:2rem 1.5rem;border-radius:12px;text-align:center;
box-shadow:0 2px 12px rgba(0,0,0,.06)}}
h1{{font-size:1.25rem;margin:0 0 .75rem;color:#b71c1c}} p{{line-height:1.7;margin:.5rem 0}}
.hint{{color:#646a73;font-size:.875rem}} a{{color:#1d5fd1}}
</style></head>
<body><main role="alert">
<h1>{title}</h1>
<p>{message}</p>
<p class="hint">请约 {retry} 秒后刷新页面重试。如需帮助，请拨打服务热线 12368。</p>
<p><a href="{path}">重新加载</a></p>
</main></body></html>
"""


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def unavailable_response(request: HttpRequest, message: str) -> HttpResponse:
    """503 + Retry-After, JSON ``{"detail": message}`` for the API, a self-contained page otherwise."""
    if _wants_json(request):
        response = HttpResponse(
            json.dumps({"detail": message}, ensure_ascii=False),
            status=503,
            content_type="application/json; charset=utf-8",
        )
    else:
        body = _PAGE.format(
            title=TITLE,
            site=escape(getattr(settings, "SITE_NAME", "")),
            message=escape(message),
            retry=RETRY_AFTER_SECONDS,
            path=escape(request.path or "/"),
        )
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = getattr(settings, "CONTENT_SECURITY_POLICY", "default-src 'self'")
    return response


class ResilienceMiddleware:
    """Infrastructure failures → 503 with a Chinese message (see module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _degraded.set("")
        try:
            response = self.get_response(request)
            reason = _degraded.get()
            if reason and response.status_code == 422:
                # A limiter or the object store refused the action; the form/API error carries the message.
                response.status_code = 503
                response.reason_phrase = "Service Unavailable"
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        finally:
            _degraded.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        found = classify(exception)
        if found is None:
            return None
        reason, message = found
        log.warning("%s unavailable during %s %s: %s", reason, request.method, request.path, exception)
        return unavailable_response(request, message)


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """``handler500``: a 503 page for a backing service that is down, Django's 500 page otherwise."""
    found = classify(sys.exc_info()[1])
    if found is not None:
        return unavailable_response(request, found[1])
    from django.views.defaults import server_error as django_server_error

    return django_server_error(request, *args, **kwargs)


# --- uploads --------------------------------------------------------------------------------------------


@contextmanager
def storage_errors(field: str = "files") -> Iterator[None]:
    """Wrap the transaction that stores uploads: an object-store failure becomes a Chinese ValidationError
    on ``field`` (the transaction inside has rolled back by then) and the request answers 503."""
    try:
        yield
    except _storage_error_types() as exc:
        log.warning("object storage unavailable: %s", exc)
        note_degraded("storage")
        raise ValidationError({field: [STORAGE_DOWN]}) from exc


# --- cache ----------------------------------------------------------------------------------------------


class TolerantRedisCache(RedisCache):
    """Redis cache whose ordinary operations degrade to a miss while Redis is unreachable.

    After a failure the cache is skipped for ``OPTIONS["DOWN_SECONDS"]`` (default 2 s) instead of paying a
    connection attempt per call. ``incr``/``decr`` always go to Redis and raise: counters back rate limits,
    which must fail closed.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self._down_seconds = float(options.pop("DOWN_SECONDS", 2.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, op: str, exc: BaseException) -> None:
        if self._available():
            log.warning("cache unavailable (%s): %s — serving without cache", op, exc)
        self._down_until = time.monotonic() + self._down_seconds

    def _try(self, op: str, call: Callable[[], Any], fallback: Any) -> Any:
        if not self._available():
            return fallback
        try:
            return call()
        except _cache_error_types() as exc:
            self._failed(op, exc)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        # "Already there" is the safe answer: callers skip the once-only action (e.g. counting a view).
        return bool(
            self._try("add", lambda: super(TolerantRedisCache, self).add(key, value, timeout, version), False)
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._try("get", lambda: super(TolerantRedisCache, self).get(key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> None:
        self._try("set", lambda: super(TolerantRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return bool(
            self._try("touch", lambda: super(TolerantRedisCache, self).touch(key, timeout, version), False)
        )

    def delete(self, key: Any, version: Any = None) -> bool:
        return bool(self._try("delete", lambda: super(TolerantRedisCache, self).delete(key, version), False))

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return dict(
            self._try("get_many", lambda: super(TolerantRedisCache, self).get_many(keys, version), {})
        )

    def has_key(self, key: Any, version: Any = None) -> bool:
        return bool(
            self._try("has_key", lambda: super(TolerantRedisCache, self).has_key(key, version), False)
        )

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        failed = list(data) if isinstance(data, dict) else []
        return list(
            self._try(
                "set_many", lambda: super(TolerantRedisCache, self).set_many(data, timeout, version), failed
            )
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._try("delete_many", lambda: super(TolerantRedisCache, self).delete_many(keys, version), None)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return super().incr(key, delta, version)
        except _cache_error_types() as exc:
            self._failed("incr", exc)
            note_degraded("cache")
            raise

    def decr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return super().decr(key, delta, version)
        except _cache_error_types() as exc:
            self._failed("decr", exc)
            note_degraded("cache")
            raise
