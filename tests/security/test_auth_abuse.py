"""Check 6: authentication abuse — SMS-code brute force, replay, expiry, SMS bombing, enumeration, lockouts, TOTP.

The single paths are tested in tests/accounts (test_sms_codes: code storage, single use, binding, expiry, 5 tries,
resend interval, daily cap, per-IP captcha and limit, limiter down; test_public_auth and test_staff_auth: lockouts,
TOTP replay, enumeration by answer; test_units_and_permissions: unit lockout). This file attacks across paths and
faces: the budget of guesses an attacker gets per number, attacks spread over many IP addresses, web and API sharing
one counter, and equal work (password hashing) for registered and unknown identifiers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import hashers
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from zhixing.accounts.models import SmsCode, StaffSecurity
from zhixing.lib import crypto

from ..accounts.conftest import last_code, sms_to
from ..conftest import UNIT, World
from ..factories import public_user

UNKNOWN = "13711112222"
PASSWORD = "Strong#Pass2024"


@pytest.fixture(autouse=True)
def _clean() -> None:
    cache.clear()


def _ip(n: int) -> Client:
    return Client(REMOTE_ADDR=f"198.51.100.{n % 250 + 1}")


def _api(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/accounts/{path}", data, content_type="application/json")


def _age_codes(phone: str, seconds: int) -> None:
    index = crypto.blind_index(phone)
    for code in SmsCode.objects.filter(phone_index=index):
        SmsCode.objects.filter(pk=code.pk).update(
            created_at=code.created_at - timedelta(seconds=seconds),
            expires_at=code.expires_at - timedelta(seconds=seconds),
        )


@pytest.mark.django_db
def test_sms_code_guess_budget_per_number(world: World) -> None:
    """Five wrong guesses void a code even when each comes from another IP; the right code is then refused."""
    phone = world.public.phone
    _api(_ip(0), "sms-code", {"phone": phone, "purpose": "login"})
    code = last_code(phone)
    wrong = [f"{(int(code) + k) % 10**6:06d}" for k in range(1, 6)]
    for n, guess in enumerate(wrong, start=1):
        assert _api(_ip(n), "login-sms", {"phone": phone, "code": guess}).status_code == 422
    assert _api(_ip(9), "login-sms", {"phone": phone, "code": code}).status_code == 422
    # The whole budget for one number and day: codes per day × tries per code, out of a million.
    budget = django_settings.SMS_CODE_DAILY_LIMIT * django_settings.SMS_CODE_MAX_ATTEMPTS
    print(f"[auth] guesses per number per day ≤ {budget} of 1,000,000 (p ≤ {budget / 1e6:.4%})")
    assert budget / 10**6 <= 1e-4


@pytest.mark.django_db
def test_sms_code_replay_and_expiry_on_web_and_api(world: World) -> None:
    phone = world.public.phone
    web = Client()
    web.post("/account/login/sms/", {"phone": phone, "action": "send_code"})
    code = last_code(phone)
    assert web.post("/account/login/sms/", {"phone": phone, "code": code}).status_code == 302
    assert _api(_ip(1), "login-sms", {"phone": phone, "code": code}).status_code == 422  # replay on the API
    _age_codes(phone, django_settings.SMS_CODE_RESEND_SECONDS + 1)
    _api(_ip(2), "sms-code", {"phone": phone, "purpose": "login"})
    fresh = last_code(phone)
    _age_codes(phone, django_settings.SMS_CODE_TTL_SECONDS + 1)  # past its lifetime
    assert _api(_ip(3), "login-sms", {"phone": phone, "code": fresh}).status_code == 422
    assert Client().post("/account/login/sms/", {"phone": phone, "code": fresh}).status_code == 422


@pytest.mark.django_db
def test_sms_bombing_one_number_from_many_addresses(world: World) -> None:
    """Rotating IP addresses does not get more SMS to the victim: the per-number interval and cap hold."""
    victim = world.public.phone
    for n in range(20):
        _api(_ip(n), "sms-code", {"phone": victim, "purpose": "login"})
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post(
            "/account/login/sms/", {"phone": victim, "action": "send_code"}
        )
    assert len(sms_to(victim)) == 1
    print("[auth] one number, 40 requests from 40 addresses: 1 SMS")
    # A day of patient attempts (each after the resend interval) stops at the daily cap.
    for n in range(django_settings.SMS_CODE_DAILY_LIMIT + 5):
        _age_codes(victim, django_settings.SMS_CODE_RESEND_SECONDS + 1)
        _api(_ip(100 + n), "sms-code", {"phone": victim, "purpose": "login"})
    sent_today = [
        m for m in sms_to(victim) if timezone.localtime(m.created_at).date() == timezone.localdate()
    ]
    assert len(sent_today) <= django_settings.SMS_CODE_DAILY_LIMIT


@pytest.mark.django_db
def test_sms_bombing_many_numbers_from_one_address(settings: Any) -> None:
    """One address cycling through numbers needs a captcha after a few requests and is then cut off."""
    client = Client(REMOTE_ADDR="192.0.2.77")
    statuses = [
        _api(client, "sms-code", {"phone": f"1371000{n:04d}", "purpose": "register"}).status_code
        for n in range(40)
    ]
    sent = sum(1 for n in range(40) if sms_to(f"1371000{n:04d}"))
    print(f"[auth] one address, 40 numbers: {sent} SMS sent, {statuses.count(422)} refused")
    assert sent <= settings.SMS_CODE_CAPTCHA_AFTER, (sent, statuses)
    assert all(s == 422 for s in statuses[settings.SMS_CODE_CAPTCHA_AFTER :])


@pytest.mark.django_db
def test_password_lockout_is_per_account_across_addresses_and_faces(world: World) -> None:
    """Five failures lock the number whichever addresses and faces (web, API) they came from."""
    phone = world.party.phone
    for n in range(3):
        _ip(n).post("/account/login/", {"phone": phone, "password": f"wrong-{n}"})
    for n in range(3, 5):
        _api(_ip(n), "login", {"phone": phone, "password": f"wrong-{n}"})
    locked_web = _ip(10).post("/account/login/", {"phone": phone, "password": PASSWORD})
    locked_api = _api(_ip(11), "login", {"phone": phone, "password": PASSWORD})
    assert locked_web.status_code == 422 and "锁定" in locked_web.content.decode()
    assert locked_api.status_code == 422 and "锁定" in locked_api.json()["detail"]
    # Staff: the same across addresses.
    for n in range(5):
        _ip(20 + n).post("/workbench/login/", {"username": "judge_in", "password": f"wrong-{n}"})
    r = _ip(30).post("/workbench/login/", {"username": "judge_in", "password": PASSWORD})
    assert r.status_code == 422 and "锁定" in r.content.decode()
    # Unit: a query-code guessing run from many addresses locks the unit code.
    for n in range(5):
        _ip(40 + n).post("/account/unit/", {"unit_code": UNIT[1], "query_code": f"WRONG{n}CODE23"})
    r = _ip(50).post("/account/unit/", {"unit_code": UNIT[1], "query_code": world.unit_case.query_code})
    assert r.status_code == 422 and "锁定" in r.content.decode()


@pytest.mark.django_db
def test_totp_guessing_counts_toward_the_lock_and_codes_are_single_use(world: World) -> None:
    secret = pyotp.random_base32()
    StaffSecurity.objects.update_or_create(
        user=world.approver,
        defaults={
            "totp_secret": secret,
            "totp_confirmed_at": timezone.now(),
            "password_changed_at": timezone.now(),
        },
    )
    totp = pyotp.TOTP(secret)
    attacker = Client()
    attacker.post("/workbench/login/", {"username": "approver", "password": PASSWORD})
    valid = {totp.at(timezone.now().timestamp() + k * 30) for k in (-1, 0, 1)}
    guesses = [g for g in (f"{n:06d}" for n in range(100)) if g not in valid][:5]
    for guess in guesses:
        assert attacker.post("/workbench/accounts/totp/", {"code": guess}).status_code == 422
    # Locked now: even the right code (and the right password) is refused.
    r = attacker.post("/workbench/accounts/totp/", {"code": totp.now()})
    assert r.status_code == 422 and "锁定" in r.content.decode()


@pytest.mark.django_db
def test_registered_and_unknown_identifiers_get_the_same_answer(world: World) -> None:
    known, unknown = world.public.phone, UNKNOWN
    pairs = {
        "sms-code login": [
            _api(_ip(1), "sms-code", {"phone": p, "purpose": "login"}) for p in (known, unknown)
        ],
        "sms-code register": [
            _api(_ip(2), "sms-code", {"phone": p, "purpose": "register"}) for p in (known, unknown)
        ],
        "sms-code reset": [
            _api(_ip(3), "sms-code", {"phone": p, "purpose": "reset"}) for p in (known, unknown)
        ],
        "login": [_api(_ip(4), "login", {"phone": p, "password": "Wrong-pass-1"}) for p in (known, unknown)],
        "login-sms": [_api(_ip(5), "login-sms", {"phone": p, "code": "123456"}) for p in (known, unknown)],
        "password-reset": [
            _api(_ip(6), "password-reset", {"phone": p, "code": "123456", "password": "New-Secret-77"})
            for p in (known, unknown)
        ],
    }
    for name, (a, b) in pairs.items():
        assert a.status_code == b.status_code, name
        assert a.json() == b.json(), name
    web = [
        Client().post("/account/login/", {"phone": p, "password": "Wrong-pass-1"}) for p in (known, unknown)
    ]
    assert web[0].status_code == web[1].status_code == 422
    assert web[0].context["errors"] == web[1].context["errors"]
    staff = [
        Client().post("/workbench/login/", {"username": u, "password": "Wrong#1"}) for u in ("lead", "nobody")
    ]
    assert staff[0].status_code == staff[1].status_code == 422
    assert staff[0].context["errors"] == staff[1].context["errors"]


@pytest.mark.django_db
def test_unknown_identifiers_cost_the_same_password_hashing(
    settings: Any, monkeypatch: Any, world: World
) -> None:
    """An unknown number or username still runs one Argon2 computation, like a wrong password for a real one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    real = public_user("13722223333", password=PASSWORD)
    calls: list[str] = []
    cls = hashers.Argon2PasswordHasher
    encode, verify = cls.encode, cls.verify
    monkeypatch.setattr(cls, "encode", lambda self, *a, **k: calls.append("encode") or encode(self, *a, **k))
    monkeypatch.setattr(cls, "verify", lambda self, *a, **k: calls.append("verify") or verify(self, *a, **k))
    counts = {}
    for label, phone in (("known", real.phone), ("unknown", "13799998888")):
        calls.clear()
        Client().post("/account/login/", {"phone": phone, "password": "Wrong-pass-1"})
        counts[label] = len(calls)
    for label, username in (("staff-known", "lead"), ("staff-unknown", "nobody_here")):
        calls.clear()
        Client().post("/workbench/login/", {"username": username, "password": "Wrong#Pass1"})
        counts[label] = len(calls)
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    print(f"[auth] Argon2 computations per failed login: {counts}")
    assert counts["known"] == counts["unknown"] == 1
    assert counts["staff-known"] == counts["staff-unknown"] == 1
