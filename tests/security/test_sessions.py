"""Check 2: cookies, session fixation, logout everywhere, idle and absolute timeouts.

Every way in — staff password, staff password + TOTP, public password, public SMS code, public registration,
unit login (web and API) — must hand out a new session id (the pre-login id is dead afterwards) in a cookie that
is Secure, HttpOnly and SameSite under the production settings. Logout and password changes end every session of
the user; idle and absolute lifetimes end staff, public and unit sessions. See also tests/accounts
(test_staff_auth, test_public_auth, test_units_and_permissions) for the single-path versions of these checks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pyotp
import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore as DbStore
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from zhixing.accounts.middleware import AUTH_AT, LAST_SEEN
from zhixing.accounts.models import StaffSecurity

from ..accounts.conftest import last_code
from ..conftest import UNIT, World
from . import sech_support as sup

PASSWORD = "Strong#Pass2024"
NEW_PHONE = "13712340000"


@pytest.fixture(autouse=True)
def _production_cookies(settings: Any) -> None:
    for key, value in sup.production_overrides().items():
        setattr(settings, key, value)
    settings.STAFF_PASSWORD_MAX_AGE_DAYS = 0
    cache.clear()


def _store(key: str) -> Any:
    engine = import_module(django_settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=key)


def _planted(client: Client) -> str:
    """An attacker-known session id planted in the victim's browser before login (session fixation)."""
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
    return str(session.session_key)


def _staff(client: Client, world: World) -> Any:
    return client.post("/workbench/login/", {"username": "judge_in", "password": PASSWORD}, secure=True)


def _staff_totp(client: Client, world: World) -> Any:
    secret = pyotp.random_base32()
    StaffSecurity.objects.update_or_create(
        user=world.approver,
        defaults={
            "totp_secret": secret,
            "totp_confirmed_at": timezone.now(),
            "password_changed_at": timezone.now(),
        },
    )
    first = client.post("/workbench/login/", {"username": "approver", "password": PASSWORD}, secure=True)
    assert first["Location"] == "/workbench/accounts/totp/"
    return client.post("/workbench/accounts/totp/", {"code": pyotp.TOTP(secret).now()}, secure=True)


def _public_password(client: Client, world: World) -> Any:
    return client.post("/account/login/", {"phone": world.public.phone, "password": PASSWORD}, secure=True)


def _public_sms(client: Client, world: World) -> Any:
    client.post("/account/login/sms/", {"phone": world.public.phone, "action": "send_code"}, secure=True)
    return client.post(
        "/account/login/sms/",
        {"phone": world.public.phone, "code": last_code(world.public.phone)},
        secure=True,
    )


def _register(client: Client, world: World) -> Any:
    client.post("/account/register/", {"phone": NEW_PHONE, "action": "send_code"}, secure=True)
    data = {"phone": NEW_PHONE, "code": last_code(NEW_PHONE), "password": "Qing-tian-2026", "agree": "1"}
    return client.post("/account/register/", {**data, "action": "register"}, secure=True)


def _unit(client: Client, world: World) -> Any:
    data = {"unit_code": UNIT[1], "query_code": world.unit_case.query_code}
    return client.post("/account/unit/", data, secure=True)


def _api_password(client: Client, world: World) -> Any:
    data = {"phone": world.public.phone, "password": PASSWORD}
    return client.post("/api/v1/accounts/login", data, content_type="application/json", secure=True)


def _api_sms(client: Client, world: World) -> Any:
    client.post(
        "/api/v1/accounts/sms-code",
        {"phone": world.public.phone, "purpose": "login"},
        content_type="application/json",
        secure=True,
    )
    data = {"phone": world.public.phone, "code": last_code(world.public.phone)}
    return client.post("/api/v1/accounts/login-sms", data, content_type="application/json", secure=True)


def _api_unit(client: Client, world: World) -> Any:
    data = {"unit_code": UNIT[1], "query_code": world.unit_case.query_code}
    return client.post("/api/v1/accounts/unit-login", data, content_type="application/json", secure=True)


LOGINS: dict[str, Callable[[Client, World], Any]] = {
    "staff-password": _staff,
    "staff-totp": _staff_totp,
    "public-password": _public_password,
    "public-sms": _public_sms,
    "public-register": _register,
    "unit": _unit,
    "api-password": _api_password,
    "api-sms": _api_sms,
    "api-unit": _api_unit,
}


@pytest.mark.django_db
@pytest.mark.parametrize("way", list(LOGINS))
def test_login_rotates_the_session_id_and_sets_strict_cookies(world: World, way: str) -> None:
    client = Client()
    planted = _planted(client)
    response = LOGINS[way](client, world)
    assert response.status_code in (200, 201, 302), response.content.decode()[:300]
    cookie = response.cookies.get(django_settings.SESSION_COOKIE_NAME)
    assert cookie is not None and cookie.value, "login must set a fresh session cookie"
    assert cookie.value != planted
    assert not _store(planted).exists(planted), "the pre-login session id must be dead"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"].lower() in {"lax", "strict"}
    assert int(cookie["max-age"] or django_settings.SESSION_COOKIE_AGE) <= 12 * 3600
    csrf = client.cookies.get(django_settings.CSRF_COOKIE_NAME)
    if csrf is not None and csrf.value:
        assert csrf["secure"] and csrf["samesite"].lower() in {"lax", "strict"}
    # The planted id is not accepted as a signed-in session either.
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = planted
    assert replay.get("/api/v1/accounts/me", secure=True).status_code == 401


@pytest.mark.django_db
def test_csrf_cookie_is_secure_and_same_site(world: World) -> None:
    response = Client().get("/api/v1/accounts/csrf", secure=True)
    cookie = response.cookies[django_settings.CSRF_COOKIE_NAME]
    assert cookie["secure"] and cookie["samesite"].lower() == "lax"


def _two_devices(world: World, login: Callable[[Client, World], Any]) -> tuple[Client, Client]:
    first, second = Client(), Client()
    login(first, world)
    login(second, world)
    return first, second


def _signed_in(client: Client) -> bool:
    return client.get("/api/v1/accounts/me", secure=True).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("login", "logout"),
    [
        (_staff, lambda c: c.post("/workbench/logout/", secure=True)),
        (_public_password, lambda c: c.post("/account/logout/", secure=True)),
        (_api_password, lambda c: c.post("/api/v1/accounts/logout", secure=True)),
    ],
    ids=["staff", "public-web", "public-api"],
)
def test_logout_ends_every_session_of_the_user(world: World, login: Any, logout: Any) -> None:
    first, second = _two_devices(world, login)
    stolen = first.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert _signed_in(first) and _signed_in(second)
    assert logout(first).status_code in (200, 302)
    assert not _signed_in(first) and not _signed_in(second)
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = stolen
    assert not _signed_in(replay)


@pytest.mark.django_db
def test_api_logout_may_end_only_this_device_when_asked(world: World) -> None:
    first, second = _two_devices(world, _api_password)
    first.post("/api/v1/accounts/logout?everywhere=false", secure=True)
    assert not _signed_in(first) and _signed_in(second)


@pytest.mark.django_db
def test_password_changes_end_every_session(world: World) -> None:
    # Staff: change password on one device, the other is signed out (and this one keeps going).
    first, second = _two_devices(world, _staff)
    r = first.post(
        "/workbench/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Another#Pass2025"},
        secure=True,
    )
    assert r.status_code == 200 and "accounts/wb_password_done.html" in [t.name for t in r.templates]
    assert not _signed_in(first) and not _signed_in(second)
    # Public: a password reset by SMS ends every session.
    device = Client()
    _public_password(device, world)
    assert _signed_in(device)
    other = Client()
    other.post("/account/reset/", {"phone": world.public.phone, "action": "send_code"}, secure=True)
    code = last_code(world.public.phone)
    other.post(
        "/account/reset/",
        {"phone": world.public.phone, "code": code, "password": "New-Secret-77"},
        secure=True,
    )
    assert not _signed_in(device)


def _age(client: Client, *, idle: int = 0, started: int = 0) -> None:
    session = client.session
    now = int(time.time())
    if idle:
        session[LAST_SEEN] = now - idle
    if started:
        session[AUTH_AT] = now - started
    session.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("login", "page", "idle_setting"),
    [
        (_staff, "/workbench/cases/", "SESSION_IDLE_SECONDS"),
        (_public_password, "/account/cases/", "PUBLIC_SESSION_IDLE_SECONDS"),
        (_unit, "/account/cases/", "PUBLIC_SESSION_IDLE_SECONDS"),
    ],
    ids=["staff", "public", "unit"],
)
def test_idle_and_absolute_timeouts(
    world: World, settings: Any, login: Any, page: str, idle_setting: str
) -> None:
    idle_limit = getattr(settings, idle_setting)
    assert idle_limit <= 30 * 60 and settings.SESSION_COOKIE_AGE <= 12 * 3600
    client = Client()
    login(client, world)
    assert client.get(page, secure=True).status_code == 200
    _age(client, idle=idle_limit - 30)
    assert client.get(page, secure=True).status_code == 200  # inside the idle limit
    _age(client, idle=idle_limit + 5)
    expired = client.get(page, secure=True)
    assert expired.status_code == 302 and "login" in expired["Location"]
    assert not _signed_in(client)  # the session is gone, not just this answer
    # Absolute lifetime: active all the time, still ends after SESSION_COOKIE_AGE.
    client = Client()
    login(client, world)
    _age(client, idle=1, started=settings.SESSION_COOKIE_AGE + 5)
    assert client.get(page, secure=True).status_code == 302
    assert not _signed_in(client)


@pytest.mark.django_db
def test_htmx_and_api_requests_after_timeout(world: World, settings: Any) -> None:
    client = Client()
    _staff(client, world)
    _age(client, idle=settings.SESSION_IDLE_SECONDS + 5)
    r = client.get("/workbench/cases/", HTTP_HX_REQUEST="true", secure=True)
    assert r.status_code == 204 and r["HX-Redirect"].startswith("/workbench/login/")
    client = Client()
    _api_password(client, world)
    _age(client, idle=settings.PUBLIC_SESSION_IDLE_SECONDS + 5)
    assert client.get("/api/v1/accounts/me", secure=True).status_code == 401


def test_session_store_is_server_side() -> None:
    """Sessions live on the server (database or Redis), never in a signed cookie the client keeps."""
    assert django_settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    }
    assert DbStore is not None
