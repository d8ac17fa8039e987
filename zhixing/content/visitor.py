"""What the portal knows about a visitor for 关注 and 本地, and the key that de-duplicates view counts.

Logged-in users' follows are rows (models.Follow); anonymous visitors' follows and everyone's chosen
region live in signed cookies, so tampering with them is detected and nothing needs a session row."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from zhixing.lib.crypto import sha256_hex

from . import regions, selectors
from .selectors import Interests

FOLLOW_COOKIE = "zx_follow"
REGION_COOKIE = "zx_region"
VISITOR_COOKIE = "zx_vid"
_SALT = "zhixing.content.visitor"
_YEAR = 365 * 24 * 3600
MAX_COOKIE_FOLLOWS = 50


def _read(request: HttpRequest, name: str) -> Any:
    try:
        return json.loads(request.get_signed_cookie(name, default="", salt=_SALT) or "null")
    except (signing.BadSignature, ValueError):
        return None


def _write(response: HttpResponse, name: str, value: Any) -> None:
    response.set_signed_cookie(
        name,
        json.dumps(value, separators=(",", ":")),
        salt=_SALT,
        max_age=_YEAR,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def cookie_follows(request: HttpRequest) -> tuple[set[str], set[int]]:
    data = _read(request, FOLLOW_COOKIE)
    if not isinstance(data, dict):
        return set(), set()
    channels = {str(s) for s in data.get("c", []) if isinstance(s, str)}
    courts = {int(c) for c in data.get("k", []) if isinstance(c, int)}
    return channels, courts


def write_cookie_follows(response: HttpResponse, channels: set[str], courts: set[int]) -> None:
    _write(
        response,
        FOLLOW_COOKIE,
        {"c": sorted(channels)[:MAX_COOKIE_FOLLOWS], "k": sorted(courts)[:MAX_COOKIE_FOLLOWS]},
    )


def chosen_region(request: HttpRequest) -> str | None:
    value = _read(request, REGION_COOKIE)
    return regions.normalise(value) if isinstance(value, str) else None


def write_region(response: HttpResponse, code: str | None) -> None:
    if code:
        _write(response, REGION_COOKIE, code)
    else:
        response.delete_cookie(REGION_COOKIE)


def interests(request: HttpRequest) -> Interests:
    user = request.user
    if getattr(user, "is_authenticated", False):
        channels, courts = selectors.follows_of_user(user=user)
    else:
        c, k = cookie_follows(request)
        channels, courts = frozenset(c), frozenset(k)
    region = chosen_region(request)
    source = "chosen" if region else ""
    if region is None:
        region = selectors.region_of_user(user=user)
        source = "id" if region else ""
    return Interests(
        channel_slugs=frozenset(channels), court_ids=frozenset(courts), region=region, region_source=source
    )


def viewer_key(request: HttpRequest) -> tuple[str, str | None]:
    """A stable key for this viewer, and a visitor token to set as a cookie when the visitor has none.

    Logged-in users are keyed by account, sessions by session; other visitors by a signed cookie whose value
    is derived from their address and browser the first time. A client that never keeps cookies therefore
    maps to the same address-based key on every request and cannot inflate view counts."""
    user = request.user
    if getattr(user, "is_authenticated", False):
        return f"u{user.pk}", None
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        return "s" + sha256_hex(session_key.encode())[:32], None
    token = request.get_signed_cookie(VISITOR_COOKIE, default="", salt=_SALT)
    if token:
        return "v" + token[:32], None
    ip = str(getattr(request, "client_ip", "") or request.META.get("REMOTE_ADDR", ""))
    agent = request.headers.get("User-Agent", "")[:300]
    token = sha256_hex(f"{ip}|{agent}".encode())[:32]
    return "v" + token, token


def remember_visitor(response: HttpResponse, token: str | None) -> None:
    if token:
        response.set_signed_cookie(
            VISITOR_COOKIE,
            token,
            salt=_SALT,
            max_age=_YEAR,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
